//! An app client's token lifetimes, as CreateUserPoolClient documents them: the unit a
//! number is read in when `TokenValidityUnits` is silent, the ranges once the unit is
//! applied, and what 0 and silence mean (docs/documented-rules.md, CLIENT-1 to CLIENT-4).

use serde_json::{Map, Value, json};

use super::rule::RuleError;

/// One of the three tokens: its validity member, its `TokenValidityUnits` member, the
/// unit a number sent without one is read in, the lifetime when nothing is sent, and the
/// range its lifetime must fall in (seconds).
struct Token {
    member: &'static str,
    unit_member: &'static str,
    api_unit: &'static str,
    default: (i64, &'static str),
    range: (i64, i64),
    range_words: &'static str,
}

const TOKENS: [Token; 3] = [
    Token {
        member: "AccessTokenValidity",
        unit_member: "AccessToken",
        api_unit: "hours",
        default: (60, "minutes"),
        range: (300, 86_400),
        range_words: "between 5 minutes and 1 day",
    },
    Token {
        member: "IdTokenValidity",
        unit_member: "IdToken",
        api_unit: "hours",
        default: (60, "minutes"),
        range: (300, 86_400),
        range_words: "between 5 minutes and 1 day",
    },
    Token {
        member: "RefreshTokenValidity",
        unit_member: "RefreshToken",
        api_unit: "days",
        default: (30, "days"),
        range: (3_600, 315_360_000),
        range_words: "between 60 minutes and 10 years",
    },
];

/// Seconds in one `TimeUnitsType` unit.
pub fn unit_seconds(unit: &str) -> Option<i64> {
    Some(match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3_600,
        "days" => 86_400,
        _ => return None,
    })
}

/// The lifetimes a CreateUserPoolClient request gives its client, as the members to
/// store (`AccessTokenValidity`, `IdTokenValidity`, `RefreshTokenValidity` and a
/// complete `TokenValidityUnits`), or the first lifetime out of its range.
pub fn resolve(request: &Map<String, Value>) -> Result<Map<String, Value>, RuleError> {
    let units = request.get("TokenValidityUnits").and_then(Value::as_object);
    let mut out = Map::new();
    let mut chosen_units = Map::new();
    for token in &TOKENS {
        let given_unit = units
            .and_then(|u| u.get(token.unit_member))
            .and_then(Value::as_str);
        let (amount, unit) = match request.get(token.member).and_then(Value::as_i64) {
            // RefreshTokenValidity 0 is overridden with the default of 30 days.
            Some(0) if token.member == "RefreshTokenValidity" => token.default,
            Some(n) => (n, given_unit.unwrap_or(token.api_unit)),
            None => token.default,
        };
        let seconds = unit_seconds(unit)
            .ok_or_else(|| RuleError::new("TokenValidityUnits", format!("{unit} is not a unit")))?
            .saturating_mul(amount);
        let (low, high) = token.range;
        if !(low..=high).contains(&seconds) {
            return Err(RuleError::new(
                token.member,
                format!("must be {} ({amount} {unit} is not)", token.range_words),
            ));
        }
        out.insert(token.member.into(), json!(amount));
        chosen_units.insert(token.unit_member.into(), json!(unit));
    }
    out.insert("TokenValidityUnits".into(), Value::Object(chosen_units));
    Ok(out)
}

/// A stored client's lifetime of one token in seconds (`member` as in `resolve`).
pub fn seconds(settings: &Map<String, Value>, member: &str) -> i64 {
    let Some(token) = TOKENS.iter().find(|t| t.member == member) else {
        return 0;
    };
    let amount = settings
        .get(member)
        .and_then(Value::as_i64)
        .unwrap_or(token.default.0);
    let unit = settings
        .get("TokenValidityUnits")
        .and_then(|u| u.get(token.unit_member))
        .and_then(Value::as_str)
        .unwrap_or(token.default.1);
    amount
        .max(0)
        .saturating_mul(unit_seconds(unit).unwrap_or(86_400))
}

/// The unit an amount of `member` (`AccessTokenValidity`...) is in when the request or
/// the description gives it no `TokenValidityUnits`: hours, or days for refresh tokens.
pub fn api_unit(member: &str) -> &'static str {
    TOKENS
        .iter()
        .find(|t| t.member == member)
        .map_or("hours", |t| t.api_unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(request: Value) -> Result<Map<String, Value>, RuleError> {
        resolve(request.as_object().expect("object"))
    }

    #[test]
    fn silence_means_an_hour_and_thirty_days() {
        let out = resolved(json!({})).unwrap();
        assert_eq!(seconds(&out, "AccessTokenValidity"), 3_600);
        assert_eq!(seconds(&out, "IdTokenValidity"), 3_600);
        assert_eq!(seconds(&out, "RefreshTokenValidity"), 30 * 86_400);
    }

    #[test]
    fn a_number_without_a_unit_is_in_hours_or_days() {
        let out = resolved(json!({"AccessTokenValidity": 2, "RefreshTokenValidity": 5})).unwrap();
        assert_eq!(seconds(&out, "AccessTokenValidity"), 7_200);
        assert_eq!(out["TokenValidityUnits"]["AccessToken"], "hours");
        assert_eq!(seconds(&out, "RefreshTokenValidity"), 5 * 86_400);
        // The one it was not given keeps its default.
        assert_eq!(seconds(&out, "IdTokenValidity"), 3_600);
    }

    #[test]
    fn zero_refresh_validity_is_thirty_days() {
        let out = resolved(json!({"RefreshTokenValidity": 0})).unwrap();
        assert_eq!(seconds(&out, "RefreshTokenValidity"), 30 * 86_400);
    }

    #[test]
    fn ranges_apply_after_the_unit() {
        let units = |u: &str| json!({"AccessToken": u, "IdToken": u, "RefreshToken": u});
        for (request, ok) in [
            (
                json!({"AccessTokenValidity": 5, "TokenValidityUnits": units("minutes")}),
                true,
            ),
            (
                json!({"AccessTokenValidity": 4, "TokenValidityUnits": units("minutes")}),
                false,
            ),
            (json!({"IdTokenValidity": 24}), true),
            (json!({"IdTokenValidity": 25}), false),
            (
                json!({"AccessTokenValidity": 2, "TokenValidityUnits": units("days")}),
                false,
            ),
            (
                json!({"RefreshTokenValidity": 60, "TokenValidityUnits": units("minutes")}),
                true,
            ),
            (
                json!({"RefreshTokenValidity": 59, "TokenValidityUnits": units("minutes")}),
                false,
            ),
            (json!({"RefreshTokenValidity": 3650}), true),
            (json!({"RefreshTokenValidity": 3651}), false),
        ] {
            assert_eq!(resolved(request.clone()).is_ok(), ok, "{request}");
        }
        let err = resolved(json!({"IdTokenValidity": 25})).unwrap_err();
        assert_eq!(err.field, "IdTokenValidity");
        assert!(err.rule.contains("between 5 minutes and 1 day"), "{err}");
    }
}
