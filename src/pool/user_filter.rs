//! What ListUsers cannot do, done here: filters beyond its one `=` or `^=` (text anywhere,
//! a regular expression, status, enabled, verified flags, dates) and an order by any
//! column. The console applies them to the pages as they stream in; the local store
//! runs the same ones in its database (`local::db::user_scan`), where
//! [`LocalFilter::matches`] is still the last word on every row.

use std::time::{SystemTime, UNIX_EPOCH};

use regex::{Regex, RegexBuilder};

use super::printable;
use super::types::{User, UserStatus};
use super::when;

/// The longest regular expression taken, and the most memory its program may use: a
/// pattern can never make a filter slow (the regex crate runs in linear time).
const REGEX_MAX: usize = 512;
const REGEX_MEMORY: usize = 1 << 20;

/// A regular expression, compared by its text.
#[derive(Debug, Clone)]
pub struct Pattern(Regex);

impl Pattern {
    pub fn new(text: &str) -> Result<Self, String> {
        if text.chars().count() > REGEX_MAX {
            return Err(format!("at most {REGEX_MAX} characters"));
        }
        RegexBuilder::new(text)
            .size_limit(REGEX_MEMORY)
            .build()
            .map(Self)
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => "too large a pattern".to_string(),
                e => {
                    // The crate's message spans lines with a caret under the spot.
                    let text = e.to_string();
                    let last = text.lines().last().unwrap_or("not a regular expression");
                    last.trim_start_matches("error: ").to_string()
                }
            })
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

/// Days (since 1970-01-01, UTC): a user's date is on or after `from` and before
/// `before`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Days {
    pub from: Option<i64>,
    pub before: Option<i64>,
}

impl Days {
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.before.is_none()
    }

    /// The bounds in seconds since 1970: on or after the first, before the second.
    pub fn seconds(&self) -> (Option<f64>, Option<f64>) {
        (
            self.from.map(when::day_start),
            self.before.map(when::day_start),
        )
    }

    fn holds(&self, t: Option<SystemTime>) -> bool {
        if self.is_empty() {
            return true;
        }
        let Some(t) = t else {
            return false;
        };
        let secs = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs_f64(),
            Err(e) => -e.duration().as_secs_f64(),
        };
        let (from, before) = self.seconds();
        from.is_none_or(|f| secs >= f) && before.is_none_or(|b| secs < b)
    }

    fn describe(&self, what: &str, parts: &mut Vec<String>) {
        let day = |d: i64| {
            let t = UNIX_EPOCH + std::time::Duration::from_secs_f64(when::day_start(d).max(0.0));
            when::date(t)
        };
        if let Some(f) = self.from {
            parts.push(format!("{what} on or after {}", day(f)));
        }
        if let Some(b) = self.before {
            parts.push(format!("{what} before {}", day(b)));
        }
    }
}

/// The filters ListUsers has no way to say. Every one set must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalFilter {
    /// In the username or any attribute's value, ignoring case.
    pub contains: Option<String>,
    /// Matches the username or any attribute's value.
    pub regex: Option<Pattern>,
    pub status: Option<UserStatus>,
    pub enabled: Option<bool>,
    /// `email_verified` is "true" (Some(true)) or is not (Some(false)).
    pub email_verified: Option<bool>,
    pub phone_verified: Option<bool>,
    pub created: Days,
    pub modified: Days,
}

impl LocalFilter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The text `contains` looks for, as compared: lower case.
    pub fn needle(&self) -> Option<String> {
        self.contains.as_ref().map(|c| c.to_lowercase())
    }

    /// Whether `user` passes every filter set.
    pub fn matches(&self, user: &User) -> bool {
        let values = || {
            std::iter::once(user.username.as_str())
                .chain(user.attributes.iter().map(|a| a.value.as_str()))
        };
        if let Some(needle) = self.needle()
            && !values().any(|v| v.to_lowercase().contains(&needle))
        {
            return false;
        }
        if let Some(re) = &self.regex
            && !values().any(|v| re.is_match(v))
        {
            return false;
        }
        if self.status.is_some_and(|s| user.status != Some(s)) {
            return false;
        }
        if self.enabled.is_some_and(|e| user.enabled != e) {
            return false;
        }
        if self
            .email_verified
            .is_some_and(|v| user.is_verified("email_verified") != v)
        {
            return false;
        }
        if self
            .phone_verified
            .is_some_and(|v| user.is_verified("phone_number_verified") != v)
        {
            return false;
        }
        self.created.holds(user.created) && self.modified.holds(user.last_modified)
    }

    /// "contains \"ann\" · CONFIRMED · created before 2026-01-01", for the summary line.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.contains {
            parts.push(format!("contains {:?}", printable::field(c)));
        }
        if let Some(r) = &self.regex {
            parts.push(format!("matches /{}/", printable::field(r.as_str())));
        }
        if let Some(s) = self.status {
            parts.push(s.as_str().to_string());
        }
        if let Some(e) = self.enabled {
            parts.push(if e { "enabled" } else { "disabled" }.into());
        }
        for (flag, what) in [
            (self.email_verified, "email"),
            (self.phone_verified, "phone"),
        ] {
            if let Some(v) = flag {
                let not = if v { "" } else { "not " };
                parts.push(format!("{what} {not}verified"));
            }
        }
        self.created.describe("created", &mut parts);
        self.modified.describe("updated", &mut parts);
        parts.join(", ")
    }
}

/// A column of the Users list, as rows can be ordered by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    Username,
    Enabled,
    Status,
    Email,
    EmailVerified,
    PhoneVerified,
    Updated,
    Created,
}

impl SortColumn {
    /// In the order `o` steps through them (the list's columns, left to right).
    pub const ALL: [SortColumn; 8] = [
        Self::Username,
        Self::Enabled,
        Self::Status,
        Self::Email,
        Self::EmailVerified,
        Self::PhoneVerified,
        Self::Updated,
        Self::Created,
    ];

    /// The column's heading in the list.
    pub fn title(self) -> &'static str {
        match self {
            Self::Username => "Username",
            Self::Enabled => "Enabled",
            Self::Status => "Account status",
            Self::Email => "Email",
            Self::EmailVerified => "Email ✓",
            Self::PhoneVerified => "Phone ✓",
            Self::Updated => "Updated",
            Self::Created => "Created",
        }
    }

    /// The next column, or none after the last (the pool's own order again).
    pub fn next(self) -> Option<Self> {
        let i = Self::ALL.iter().position(|c| *c == self)?;
        Self::ALL.get(i + 1).copied()
    }
}

/// An order of the rows: a column, rising or falling; ties by username.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

/// A verified flag as it sorts: yes, then no, then absent.
fn flag_rank(user: &User, flag: &str) -> u8 {
    match user.attribute(flag) {
        Some(v) if v.eq_ignore_ascii_case("true") => 0,
        Some(_) => 1,
        None => 2,
    }
}

impl Sort {
    /// "Updated, newest first".
    pub fn describe(&self) -> String {
        let way = match (self.column, self.descending) {
            (SortColumn::Updated | SortColumn::Created, false) => "oldest first",
            (SortColumn::Updated | SortColumn::Created, true) => "newest first",
            (_, false) => "A to Z",
            (_, true) => "Z to A",
        };
        format!("{} {way}", self.column.title())
    }

    /// Orders `a` and `b` as the store does: by the column (users without an email
    /// last, whichever way), then by username. Names go by their lower case, as the
    /// store orders them in a case-insensitive pool (the console's and the AWS console's
    /// default); a case-sensitive pool's store orders them as typed.
    pub fn compare(&self, a: &User, b: &User) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        let by_name = a
            .username
            .to_lowercase()
            .cmp(&b.username.to_lowercase())
            .then_with(|| a.username.cmp(&b.username));
        let key = match self.column {
            SortColumn::Username => Ordering::Equal,
            // "Disabled" before "Enabled", as the words sort.
            SortColumn::Enabled => a.enabled.cmp(&b.enabled),
            SortColumn::Status => a
                .status
                .map(|s| s.as_str())
                .cmp(&b.status.map(|s| s.as_str())),
            SortColumn::Email => match (a.attribute("email"), b.attribute("email")) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            SortColumn::EmailVerified => {
                flag_rank(a, "email_verified").cmp(&flag_rank(b, "email_verified"))
            }
            SortColumn::PhoneVerified => {
                flag_rank(a, "phone_number_verified").cmp(&flag_rank(b, "phone_number_verified"))
            }
            SortColumn::Updated => a.last_modified.cmp(&b.last_modified),
            SortColumn::Created => a.created.cmp(&b.created),
        };
        let order = key.then(by_name);
        if self.descending {
            order.reverse()
        } else {
            order
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::Attribute;
    use std::time::Duration;

    fn user(name: &str, attributes: &[(&str, &str)], day: u64) -> User {
        let t = UNIX_EPOCH + Duration::from_secs(day * 86_400 + 3_600);
        User {
            username: name.into(),
            attributes: attributes
                .iter()
                .map(|(n, v)| Attribute::new(*n, *v))
                .collect(),
            created: Some(t),
            last_modified: Some(t),
            enabled: true,
            status: Some(UserStatus::Confirmed),
            mfa: None,
        }
    }

    #[test]
    fn each_filter_holds_or_not() {
        let ann = user(
            "ann",
            &[("email", "Ann@Example.com"), ("email_verified", "true")],
            10,
        );
        let bob = user("bob", &[("email", "bob@corp.test")], 20);
        let f = |f: LocalFilter| (f.matches(&ann), f.matches(&bob));
        let contains = |s: &str| LocalFilter {
            contains: Some(s.into()),
            ..Default::default()
        };
        assert_eq!(f(contains("example")), (true, false), "ignoring case");
        assert_eq!(f(contains("B")), (false, true), "the username counts");
        assert_eq!(
            f(LocalFilter {
                regex: Some(Pattern::new(r"@corp\.test$").unwrap()),
                ..Default::default()
            }),
            (false, true)
        );
        assert_eq!(
            f(LocalFilter {
                email_verified: Some(false),
                ..Default::default()
            }),
            (false, true)
        );
        let day = |d: &str| when::parse_date(d).unwrap();
        assert_eq!(
            f(LocalFilter {
                created: Days {
                    from: Some(day("1970-01-11")),
                    before: None
                },
                ..Default::default()
            }),
            (true, true),
            "on the day itself"
        );
        assert_eq!(
            f(LocalFilter {
                modified: Days {
                    from: None,
                    before: Some(day("1970-01-12"))
                },
                ..Default::default()
            }),
            (true, false)
        );
        assert_eq!(f(LocalFilter::default()), (true, true));
        assert_eq!(
            f(LocalFilter {
                enabled: Some(false),
                ..Default::default()
            }),
            (false, false)
        );
    }

    #[test]
    fn bad_patterns_say_why() {
        assert!(Pattern::new("(unclosed").unwrap_err().contains("unclosed"));
        assert!(Pattern::new(&"a".repeat(600)).is_err());
        assert!(Pattern::new(r"\w{1000}\w{1000}").is_err(), "too big");
    }

    #[test]
    fn the_summary_says_every_filter() {
        let f = LocalFilter {
            contains: Some("ann".into()),
            status: Some(UserStatus::Confirmed),
            phone_verified: Some(false),
            created: Days {
                from: Some(0),
                before: Some(31),
            },
            ..Default::default()
        };
        assert_eq!(
            f.describe(),
            "contains \"ann\", CONFIRMED, phone not verified, created on or after 1970-01-01, \
             created before 1970-02-01"
        );
    }

    #[test]
    fn sorting_puts_missing_values_last_either_way() {
        let a = user("a", &[("email", "z@x")], 1);
        let b = user("B", &[], 2);
        let c = user("c", &[("email", "m@x")], 3);
        let mut rows = vec![a.clone(), b.clone(), c.clone()];
        let by = |column, descending| Sort { column, descending };
        rows.sort_by(|x, y| by(SortColumn::Email, false).compare(x, y));
        assert_eq!(names(&rows), ["c", "a", "B"]);
        rows.sort_by(|x, y| by(SortColumn::Email, true).compare(x, y));
        assert_eq!(names(&rows), ["a", "c", "B"], "missing still last");
        rows.sort_by(|x, y| by(SortColumn::Username, false).compare(x, y));
        assert_eq!(names(&rows), ["a", "B", "c"], "ignoring case");
        rows.sort_by(|x, y| by(SortColumn::Created, true).compare(x, y));
        assert_eq!(names(&rows), ["c", "B", "a"]);
        assert_eq!(
            by(SortColumn::Created, true).describe(),
            "Created newest first"
        );
        assert_eq!(SortColumn::Created.next(), None);
    }

    fn names(rows: &[User]) -> Vec<&str> {
        rows.iter().map(|u| u.username.as_str()).collect()
    }
}
