use std::fmt;

/// A broken rule of Cognito: which field, and what the rule says.
///
/// `field` uses Cognito's own member names (`Username`, `TemporaryPassword`,
/// `InviteMessageTemplate.SMSMessage`) or, for attributes, the attribute name, so that
/// both a form and an API error can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub field: String,
    pub rule: String,
}

impl RuleError {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            rule: rule.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

impl std::error::Error for RuleError {}

/// Length in characters, as Cognito counts its limits (Unicode scalar values).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Checks `min <= length <= max` in characters, with Cognito's wording.
pub fn check_length(field: &str, value: &str, min: usize, max: usize) -> Result<(), RuleError> {
    let len = char_len(value);
    if len < min {
        let rule = if min == 1 {
            "must not be empty".to_string()
        } else {
            format!("must be at least {min} characters long (it has {len})")
        };
        return Err(RuleError::new(field, rule));
    }
    if len > max {
        return Err(RuleError::new(
            field,
            format!("must be at most {max} characters long (it has {len})"),
        ));
    }
    Ok(())
}
