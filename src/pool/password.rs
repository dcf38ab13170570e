//! The password policy check and the temporary-password generator.

use std::fmt;

use rand::RngExt;
use rand::rngs::SysRng;

use super::rule::RuleError;
use super::{PasswordPolicy, Secret};

/// Cognito's symbol set for `RequireSymbols` (its developer guide lists these).
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-";

/// The longest password Cognito takes (`PasswordType`, 256), from the service model.
pub fn temporary_password_max() -> usize {
    super::model::length("AdminCreateUserRequest", "TemporaryPassword").1
}

/// One way a password falls short of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort { minimum: i64 },
    TooLong,
    Whitespace,
    NoUppercase,
    NoLowercase,
    NoNumber,
    NoSymbol,
}

impl fmt::Display for PasswordProblem {
    /// Cognito's own wording, so the console and the store say the same thing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort { minimum } => {
                write!(
                    f,
                    "Password not long enough (at least {minimum} characters)"
                )
            }
            Self::TooLong => write!(
                f,
                "Password too long (at most {} characters)",
                temporary_password_max()
            ),
            Self::Whitespace => {
                f.write_str("Password must not begin or end with a space, or hold a line break")
            }
            Self::NoUppercase => f.write_str("Password must have uppercase characters"),
            Self::NoLowercase => f.write_str("Password must have lowercase characters"),
            Self::NoNumber => f.write_str("Password must have numeric characters"),
            Self::NoSymbol => f.write_str("Password must have symbol characters"),
        }
    }
}

/// Every problem a password has against a policy, in Cognito's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordError {
    pub field: &'static str,
    pub problems: Vec<PasswordProblem>,
}

impl fmt::Display for PasswordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password did not conform with policy: ")?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PasswordError {}

impl From<PasswordError> for RuleError {
    fn from(e: PasswordError) -> Self {
        RuleError::new(e.field, e.to_string())
    }
}

/// The problems of `password` under `policy`; empty when it passes.
pub fn problems(password: &str, policy: &PasswordPolicy) -> Vec<PasswordProblem> {
    let mut found = Vec::new();
    let len = password.chars().count();
    if (len as i64) < policy.minimum_length {
        found.push(PasswordProblem::TooShort {
            minimum: policy.minimum_length,
        });
    }
    if policy.require_uppercase && !password.chars().any(|c| c.is_ascii_uppercase()) {
        found.push(PasswordProblem::NoUppercase);
    }
    if policy.require_lowercase && !password.chars().any(|c| c.is_ascii_lowercase()) {
        found.push(PasswordProblem::NoLowercase);
    }
    if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        found.push(PasswordProblem::NoNumber);
    }
    // Cognito counts a space inside the password as a special character.
    if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c) || c == ' ') {
        found.push(PasswordProblem::NoSymbol);
    }
    found
}

/// The policy as a checklist against `password`, for a live display while it is typed:
/// (what is required, whether it is met), in the order of Cognito's messages.
pub fn checklist(password: &str, policy: &PasswordPolicy) -> Vec<(String, bool)> {
    let found = problems(password, policy);
    let met = |p: PasswordProblem| !found.contains(&p);
    let mut items = vec![(
        format!("{}+ characters", policy.minimum_length),
        !found
            .iter()
            .any(|p| matches!(p, PasswordProblem::TooShort { .. })),
    )];
    if policy.require_uppercase {
        items.push(("uppercase".into(), met(PasswordProblem::NoUppercase)));
    }
    if policy.require_lowercase {
        items.push(("lowercase".into(), met(PasswordProblem::NoLowercase)));
    }
    if policy.require_numbers {
        items.push(("number".into(), met(PasswordProblem::NoNumber)));
    }
    if policy.require_symbols {
        items.push(("symbol".into(), met(PasswordProblem::NoSymbol)));
    }
    items.push((
        "no space at either end".into(),
        !password.is_empty() && !badly_spaced(password),
    ));
    items
}

/// Spaces as Cognito refuses them (`^[\S]+.*[\S]+$`): at either end, or a line break
/// anywhere; a space inside is taken (and counts as a special character).
fn badly_spaced(password: &str) -> bool {
    let java_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r');
    let line_break = |c: char| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}');
    password.starts_with(java_space)
        || password.ends_with(java_space)
        || password.chars().any(line_break)
}

/// A temporary password as AdminCreateUser takes it: `[\S]+`, at most 256 characters,
/// and the pool's policy.
pub fn check_temporary(password: &str, policy: &PasswordPolicy) -> Result<(), PasswordError> {
    check("TemporaryPassword", password, policy)
}

/// A password an administrator sets (AdminSetUserPassword): the same rules.
pub fn check_admin_set(password: &str, policy: &PasswordPolicy) -> Result<(), PasswordError> {
    check("Password", password, policy)
}

/// The password a user sets for themselves (NEW_PASSWORD_REQUIRED): the same rules.
pub fn check_new(password: &str, policy: &PasswordPolicy) -> Result<(), PasswordError> {
    check("NEW_PASSWORD", password, policy)
}

fn check(
    field: &'static str,
    password: &str,
    policy: &PasswordPolicy,
) -> Result<(), PasswordError> {
    let mut found = Vec::new();
    if password.chars().count() > temporary_password_max() {
        found.push(PasswordProblem::TooLong);
    }
    if badly_spaced(password) {
        found.push(PasswordProblem::Whitespace);
    }
    found.extend(problems(password, policy));
    if found.is_empty() {
        Ok(())
    } else {
        Err(PasswordError {
            field,
            problems: found,
        })
    }
}

/// Wrong passwords in a row before sign-in is slowed down.
pub const FREE_ATTEMPTS: i64 = 5;

/// Seconds a user is locked out after `failed` wrong passwords in a row: none for the
/// first four, then 1 s, doubling with each further failure, capped at 15 minutes.
pub fn lockout_seconds(failed: i64) -> Option<i64> {
    if failed < FREE_ATTEMPTS {
        return None;
    }
    let doublings = (failed - FREE_ATTEMPTS).min(20) as u32;
    Some((1i64 << doublings).min(15 * 60))
}

/// How long a generated temporary password is: the policy's minimum length, so that the
/// console's message-length check ("a password of the policy's length") is exact.
pub fn temporary_password_length(policy: &PasswordPolicy) -> usize {
    policy.minimum_length.clamp(6, 99) as usize
}

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
/// Symbols that survive SMS, email and a shell without quoting trouble.
const SAFE_SYMBOLS: &[u8] = b"!#%+-=?@^_~.";

/// A temporary password from the operating system's CSPRNG that always satisfies the
/// policy: one character of each required class, the rest from all classes, shuffled.
/// Look-alike characters (0/O, 1/l/I) are left out: people type these from a message.
pub fn generate(policy: &PasswordPolicy) -> Secret {
    let mut rng = rand::rand_core::UnwrapErr(SysRng);
    let length = temporary_password_length(policy);
    let mut classes: Vec<&[u8]> = Vec::new();
    // Every class is used, required or not: it only makes the password stronger, and a
    // policy that forbids nothing cannot be broken by it.
    classes.extend([UPPER, LOWER, DIGITS, SAFE_SYMBOLS]);
    let all: Vec<u8> = classes.concat();
    let mut chars: Vec<u8> = classes
        .iter()
        .map(|class| class[rng.random_range(0..class.len())])
        .collect();
    while chars.len() < length {
        chars.push(all[rng.random_range(0..all.len())]);
    }
    // Fisher-Yates, so the required characters are not always first.
    for i in (1..chars.len()).rev() {
        let j = rng.random_range(0..=i);
        chars.swap(i, j);
    }
    Secret::new(String::from_utf8(chars).expect("ASCII alphabet"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checklist_follows_the_policy() {
        let policy = PasswordPolicy {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: false,
            ..PasswordPolicy::default()
        };
        let names = |pw: &str| -> Vec<(String, bool)> { checklist(pw, &policy) };
        assert_eq!(
            names("abc"),
            [
                ("8+ characters".to_string(), false),
                ("uppercase".to_string(), false),
                ("lowercase".to_string(), true),
                ("number".to_string(), false),
                ("no space at either end".to_string(), true),
            ]
        );
        assert!(names("Abcdefg1").iter().all(|(_, ok)| *ok));
        assert!(
            names("Abc defg1").last().unwrap().1,
            "a space inside is taken"
        );
        assert!(!names(" Abcdefg1").last().unwrap().1);
    }

    #[test]
    fn lockout_grows_and_caps() {
        assert_eq!(lockout_seconds(4), None);
        assert_eq!(lockout_seconds(5), Some(1));
        assert_eq!(lockout_seconds(6), Some(2));
        assert_eq!(lockout_seconds(9), Some(16));
        assert_eq!(lockout_seconds(40), Some(900));
        assert_eq!(lockout_seconds(i64::MAX), Some(900));
    }

    fn policy(min: i64, upper: bool, lower: bool, numbers: bool, symbols: bool) -> PasswordPolicy {
        PasswordPolicy {
            minimum_length: min,
            require_uppercase: upper,
            require_lowercase: lower,
            require_numbers: numbers,
            require_symbols: symbols,
            ..PasswordPolicy::default()
        }
    }

    #[test]
    fn policy_table() {
        use PasswordProblem::*;
        let strict = PasswordPolicy::default();
        let cases: &[(&str, &[PasswordProblem])] = &[
            ("Str0ng!Pass", &[]),
            (
                "short",
                &[TooShort { minimum: 8 }, NoUppercase, NoNumber, NoSymbol],
            ),
            ("alllowercase1!", &[NoUppercase]),
            ("ALLUPPERCASE1!", &[NoLowercase]),
            ("NoNumbersHere!", &[NoNumber]),
            ("NoSymbols123", &[NoSymbol]),
            // Cognito counts basic Latin letters only: Ü is not an uppercase letter here.
            ("Ünïcode1!", &[NoUppercase]),
            (
                "a\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
                &[NoUppercase, NoNumber, NoSymbol],
            ),
        ];
        for (password, expected) in cases {
            assert_eq!(problems(password, &strict), *expected, "{password}");
        }
        assert!(problems("abcdef", &policy(6, false, false, false, false)).is_empty());
    }

    #[test]
    fn every_cognito_symbol_counts() {
        let p = policy(6, false, false, false, true);
        for symbol in SYMBOLS.chars() {
            assert!(
                problems(&format!("aaaaa{symbol}"), &p).is_empty(),
                "{symbol}"
            );
        }
    }

    #[test]
    fn temporary_password_shape() {
        let p = policy(6, false, false, false, false);
        assert!(check_temporary("has space", &p).is_ok(), "inside: taken");
        for bad in [" leading", "trailing ", "line\nbreak", "tabbed\t"] {
            assert_eq!(
                check_temporary(bad, &p).unwrap_err().problems,
                [PasswordProblem::Whitespace],
                "{bad:?}"
            );
        }
        assert_eq!(
            check_temporary(&"a".repeat(257), &p).unwrap_err().problems,
            [PasswordProblem::TooLong]
        );
        let err = check_temporary("x", &PasswordPolicy::default()).unwrap_err();
        assert_eq!(err.field, "TemporaryPassword");
        assert!(
            err.to_string()
                .starts_with("Password did not conform with policy: Password not long enough")
        );
    }

    #[test]
    fn generated_passwords_always_pass_and_differ() {
        let mut seen = std::collections::HashSet::new();
        for min in [6, 8, 12, 20, 99] {
            let p = policy(min, true, true, true, true);
            for _ in 0..200 {
                let pw = generate(&p);
                assert_eq!(pw.char_len(), min as usize);
                assert!(check_temporary(pw.expose(), &p).is_ok(), "{min}");
                seen.insert(pw.expose().to_string());
            }
        }
        assert_eq!(seen.len(), 1000, "a CSPRNG does not repeat itself");
    }
}
