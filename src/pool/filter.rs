//! The ListUsers filter grammar: `attribute = "value"` or `attribute ^= "value"`.
//!
//! User input never reaches a filter unescaped: [`Filter`] holds the raw value and
//! `Filter`'s `Display` (its `to_string`) escapes `"` and `\` with a backslash, as Cognito reads them.

use std::fmt;
use std::str::FromStr;

use super::rule::RuleError;

/// ListUsers' longest `Filter` (256), from the service model.
pub fn filter_max() -> usize {
    super::model::length("ListUsersRequest", "Filter").1
}

/// The attributes ListUsers can search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchAttribute {
    Username,
    Email,
    PhoneNumber,
    Name,
    GivenName,
    FamilyName,
    PreferredUsername,
    /// `cognito:user_status`, matched without regard to case.
    UserStatus,
    /// `status`: `Enabled` or `Disabled`.
    Status,
    Sub,
}

impl SearchAttribute {
    pub const ALL: [SearchAttribute; 10] = [
        Self::Username,
        Self::Email,
        Self::PhoneNumber,
        Self::Name,
        Self::GivenName,
        Self::FamilyName,
        Self::PreferredUsername,
        Self::UserStatus,
        Self::Status,
        Self::Sub,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Email => "email",
            Self::PhoneNumber => "phone_number",
            Self::Name => "name",
            Self::GivenName => "given_name",
            Self::FamilyName => "family_name",
            Self::PreferredUsername => "preferred_username",
            Self::UserStatus => "cognito:user_status",
            Self::Status => "status",
            Self::Sub => "sub",
        }
    }
}

impl fmt::Display for SearchAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SearchAttribute {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|a| a.as_str()).collect();
                let why = if s.starts_with("custom:") {
                    "custom attributes are not searchable".to_string()
                } else {
                    format!("{s:?} is not searchable")
                };
                RuleError::new(
                    "Filter",
                    format!("{why}; search one of {}", names.join(", ")),
                )
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterOp {
    /// `=`: exact match.
    Equals,
    /// `^=`: starts with.
    StartsWith,
}

impl FilterOp {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Equals => "=",
            Self::StartsWith => "^=",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Filter {
    pub attribute: SearchAttribute,
    pub op: FilterOp,
    /// The value as the user meant it, unescaped.
    pub value: String,
}

impl Filter {
    pub fn new(attribute: SearchAttribute, op: FilterOp, value: impl Into<String>) -> Self {
        Self {
            attribute,
            op,
            value: value.into(),
        }
    }

    /// The filter string as sent to ListUsers, checked against its 256-character limit.
    pub fn to_request(&self) -> Result<String, RuleError> {
        let s = self.to_string();
        if s.chars().count() > filter_max() {
            return Err(RuleError::new(
                "Filter",
                format!(
                    "must be at most {} characters long; search for a shorter value",
                    filter_max()
                ),
            ));
        }
        Ok(s)
    }

    /// Whether `candidate` (the attribute's value on a user) matches.
    pub fn matches(&self, candidate: &str) -> bool {
        let (c, v) = if self.attribute == SearchAttribute::UserStatus {
            (
                candidate.to_ascii_uppercase(),
                self.value.to_ascii_uppercase(),
            )
        } else {
            (candidate.to_string(), self.value.clone())
        };
        match self.op {
            FilterOp::Equals => c == v,
            FilterOp::StartsWith => c.starts_with(&v),
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} \"", self.attribute, self.op.as_str())?;
        for c in self.value.chars() {
            if c == '"' || c == '\\' {
                f.write_str("\\")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("\"")
    }
}

/// Parses a ListUsers filter. An empty (or all-space) filter is `None`: list everyone.
pub fn parse(input: &str) -> Result<Option<Filter>, RuleError> {
    if input.chars().count() > filter_max() {
        return Err(RuleError::new(
            "Filter",
            format!("must be at most {} characters long", filter_max()),
        ));
    }
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let syntax = || {
        RuleError::new(
            "Filter",
            "must look like attribute = \"value\" or attribute ^= \"value\"",
        )
    };
    let op_at = s.find(['=', '^']).ok_or_else(syntax)?;
    let attribute: SearchAttribute = s[..op_at].trim().parse()?;
    let rest = &s[op_at..];
    let (op, rest) = if let Some(r) = rest.strip_prefix("^=") {
        (FilterOp::StartsWith, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (FilterOp::Equals, r)
    } else {
        return Err(syntax());
    };
    let rest = rest.trim_start();
    let body = rest
        .strip_prefix('"')
        .ok_or_else(|| RuleError::new("Filter", "the value must be in double quotes"))?;
    let mut value = String::new();
    let mut chars = body.chars();
    loop {
        match chars.next() {
            None => {
                return Err(RuleError::new(
                    "Filter",
                    "the value's closing quote is missing",
                ));
            }
            Some('\\') => match chars.next() {
                Some(c @ ('"' | '\\')) => value.push(c),
                _ => {
                    return Err(RuleError::new(
                        "Filter",
                        "a backslash in the value may only escape \" or \\",
                    ));
                }
            },
            Some('"') => break,
            Some(c) => value.push(c),
        }
    }
    if !chars.as_str().trim().is_empty() {
        return Err(RuleError::new(
            "Filter",
            "only one attribute can be searched at a time; nothing may follow the value",
        ));
    }
    Ok(Some(Filter {
        attribute,
        op,
        value,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_operators() {
        assert_eq!(
            parse(r#"email ^= "diego""#).unwrap(),
            Some(Filter::new(
                SearchAttribute::Email,
                FilterOp::StartsWith,
                "diego"
            ))
        );
        assert_eq!(
            parse(r#"  cognito:user_status="FORCE_CHANGE_PASSWORD" "#).unwrap(),
            Some(Filter::new(
                SearchAttribute::UserStatus,
                FilterOp::Equals,
                "FORCE_CHANGE_PASSWORD"
            ))
        );
        assert_eq!(parse("   ").unwrap(), None);
        assert_eq!(parse(r#"name = """#).unwrap().unwrap().value, "");
    }

    #[test]
    fn escapes_round_trip() {
        for value in [r#"say "hi""#, r"back\slash", r#"\""#, "plain", "ünï", ""] {
            let f = Filter::new(SearchAttribute::Name, FilterOp::Equals, value);
            assert_eq!(parse(&f.to_string()).unwrap(), Some(f.clone()), "{value}");
        }
        let f = Filter::new(SearchAttribute::Name, FilterOp::StartsWith, r#"a"b\c"#);
        assert_eq!(f.to_string(), r#"name ^= "a\"b\\c""#);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let cases = [
            ("email", "must look like"),
            (
                r#"custom:team = "x""#,
                "custom attributes are not searchable",
            ),
            (r#"address = "x""#, "not searchable"),
            ("email = diego", "double quotes"),
            (r#"email = "diego"#, "closing quote"),
            (r#"email = "a\b""#, "backslash"),
            (r#"email = "a" and name = "b""#, "only one attribute"),
            (r#"email == "a""#, "double quotes"),
        ];
        for (input, says) in cases {
            let err = parse(input).unwrap_err();
            assert_eq!(err.field, "Filter");
            assert!(err.rule.contains(says), "{input}: {err}");
        }
        let long = Filter::new(SearchAttribute::Email, FilterOp::Equals, "x".repeat(250));
        assert!(long.to_request().is_err());
    }

    #[test]
    fn matching() {
        let f = Filter::new(SearchAttribute::UserStatus, FilterOp::Equals, "confirmed");
        assert!(f.matches("CONFIRMED"));
        let f = Filter::new(SearchAttribute::Email, FilterOp::StartsWith, "Di");
        assert!(f.matches("Diego@x.com"));
        assert!(!f.matches("diego@x.com"));
    }
}
