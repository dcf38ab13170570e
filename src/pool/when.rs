//! Dates as the console and the command line print them, in UTC.

use std::time::SystemTime;

/// A date as YYYY-MM-DD (UTC), computed without a calendar crate.
pub fn date(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let days = secs.div_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day `text` names as YYYY-MM-DD (UTC), as days since 1970-01-01: a real date, or
/// why not ("2026-13-45" has no month 13).
pub fn parse_date(text: &str) -> Result<i64, String> {
    let bad = || format!("{text:?} is not a date as YYYY-MM-DD");
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let number = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse::<i64>().ok())
            .flatten()
            .ok_or_else(bad)
    };
    let (y, m, d) = (number(y)?, number(m)?, number(d)?);
    if !(1..=12).contains(&m) {
        return Err(format!("{text:?}: there is no month {m}"));
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days_in_month = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days_in_month).contains(&d) {
        return Err(format!("{text:?}: month {m} has no day {d}"));
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok(era * 146_097 + doe - 719_468)
}

/// The first instant of the day `days` after 1970-01-01, in seconds since then.
pub fn day_start(days: i64) -> f64 {
    days as f64 * 86_400.0
}

/// Date and time as YYYY-MM-DD HH:MM:SS UTC.
pub fn date_time(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let s = secs % 86_400;
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        date(t),
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_548_099_495);
        assert_eq!(date(t), "2019-01-21");
        assert_eq!(date_time(t), "2019-01-21 19:38:15 UTC");
        assert_eq!(
            date(SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29"
        );
    }

    #[test]
    fn dates_are_read_back_and_nonsense_is_refused() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2019-01-21",
            "2026-12-31",
            "1969-07-20",
        ] {
            let days = parse_date(text).unwrap();
            let t = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(day_start(days).max(0.0));
            if days >= 0 {
                assert_eq!(date(t), text);
            }
        }
        assert_eq!(parse_date("1969-12-31"), Ok(-1));
        for bad in [
            "1990-13-45",
            "2001-02-29",
            "2026-04-31",
            "26-01-01",
            "2026-1-1",
            "x",
            "+202-01-01",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_date("1990-13-45").unwrap_err(),
            "\"1990-13-45\": there is no month 13"
        );
    }
}
