//! Field rules of AdminCreateUser and of pool settings, in a form's words; every length
//! and range is read from the service model (`model`), so a number is never written twice.

use std::sync::LazyLock;

use regex::Regex;

use super::model;
use super::rule::{RuleError, char_len, check_length};
use super::standard_attributes::is_standard_attribute;
use super::{Attribute, NewUser, PasswordPolicy, password};

/// `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`: letters, marks, symbols, numbers, punctuation; no spaces.
static PRINTABLE_NO_SPACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$").expect("static pattern"));
static POOL_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\w-]+_[0-9a-zA-Z]+$").expect("static pattern"));
static POOL_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\w\s+=,.@-]+$").expect("static pattern"));
static ATTRIBUTE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+$").expect("static pattern"));
static E164: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\+[1-9][0-9]{1,14}$").expect("static pattern"));

pub const CUSTOM_PREFIX: &str = "custom:";

/// Pairs of (verified flag, the attribute it vouches for).
pub const VERIFIED_FLAGS: [(&str, &str); 2] = [
    ("email_verified", "email"),
    ("phone_number_verified", "phone_number"),
];

pub fn username(value: &str) -> Result<(), RuleError> {
    let (min, max) = model::length("AdminCreateUserRequest", "Username");
    check_length("Username", value, min, max)?;
    if !PRINTABLE_NO_SPACE.is_match(value) {
        return Err(RuleError::new(
            "Username",
            "may hold letters, numbers, symbols and punctuation, but no spaces or control characters",
        ));
    }
    Ok(())
}

pub fn pool_id(value: &str) -> Result<(), RuleError> {
    let (min, max) = model::length("DescribeUserPoolRequest", "UserPoolId");
    check_length("UserPoolId", value, min, max)?;
    if !POOL_ID.is_match(value) {
        return Err(RuleError::new(
            "UserPoolId",
            "must look like REGION_ID, for example us-east-1_AbC123xyZ",
        ));
    }
    Ok(())
}

pub fn pool_name(value: &str) -> Result<(), RuleError> {
    let (min, max) = model::length("CreateUserPoolRequest", "PoolName");
    check_length("PoolName", value, min, max)?;
    if !POOL_NAME.is_match(value) {
        return Err(RuleError::new(
            "PoolName",
            "may hold letters, numbers, spaces and + = , . @ - only",
        ));
    }
    Ok(())
}

/// An attribute's name: its length and pattern, and the `custom:` prefix for anything
/// that is not a standard attribute.
pub fn attribute_name(name: &str) -> Result<(), RuleError> {
    let field = if name.is_empty() {
        "attribute name"
    } else {
        name
    };
    let (min, max) = model::length("AttributeType", "Name");
    check_length(field, name, min, max)?;
    if !ATTRIBUTE_NAME.is_match(name) {
        return Err(RuleError::new(
            field,
            "attribute names hold letters, numbers, symbols and punctuation only",
        ));
    }
    if !is_standard_attribute(name) {
        match name.strip_prefix(CUSTOM_PREFIX) {
            Some("") => {
                return Err(RuleError::new(
                    field,
                    "a custom attribute needs a name after custom:",
                ));
            }
            Some(_) => {}
            None => {
                return Err(RuleError::new(
                    field,
                    format!(
                        "is not a standard attribute; custom attributes need the {CUSTOM_PREFIX} prefix"
                    ),
                ));
            }
        }
    }
    Ok(())
}

pub fn email(value: &str) -> Result<(), RuleError> {
    let ok = match value.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !value.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !domain.contains('@')
                && domain.contains('.')
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(RuleError::new(
            "email",
            "is not a valid email address (name@example.com)",
        ))
    }
}

pub fn phone_number(value: &str) -> Result<(), RuleError> {
    if E164.is_match(value) {
        Ok(())
    } else {
        Err(RuleError::new(
            "phone_number",
            "must be in E.164 format: + then the country code and number, digits only (+15555551212)",
        ))
    }
}

/// A verified flag's value: "true" or "false" (Cognito accepts any case).
pub fn verified_flag(name: &str, value: &str) -> Result<bool, RuleError> {
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(RuleError::new(name, "must be true or false"))
    }
}

/// One attribute as AdminCreateUser receives it: name, value length, and the format of
/// the attributes Cognito checks (email, phone_number, the verified flags).
pub fn attribute(name: &str, value: &str) -> Result<(), RuleError> {
    attribute_name(name)?;
    if name == "sub" {
        return Err(RuleError::new(
            "sub",
            "is generated by Cognito and cannot be set",
        ));
    }
    let max = model::length("AttributeType", "Value").1;
    if char_len(value) > max {
        return Err(RuleError::new(
            name,
            format!("must be at most {max} characters long"),
        ));
    }
    match name {
        "email" => email(value),
        "phone_number" => phone_number(value),
        "email_verified" | "phone_number_verified" => verified_flag(name, value).map(|_| ()),
        _ => Ok(()),
    }
}

/// An AWS region's name as the service's pool ids carry it (`us-east-1`,
/// `ap-southeast-2`, `us-gov-west-1`).
pub fn region(name: &str) -> bool {
    static REGION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\A[a-z]{2}(-[a-z]+)+-[0-9]\z").expect("the pattern compiles")
    });
    REGION.is_match(name)
}

/// The format the documentation gives a standard attribute, which the console holds a
/// typed value to though Cognito checks only its length: `birthdate` is a real day as
/// YYYY-MM-DD (OpenID Connect's format; "1990-13-45" is ten characters, and no day).
pub fn documented_format(name: &str, value: &str) -> Result<(), RuleError> {
    match name {
        "birthdate" => super::when::parse_date(value)
            .map(|_| ())
            .map_err(|e| RuleError::new(name, format!("must be a real day as YYYY-MM-DD: {e}"))),
        _ => Ok(()),
    }
}

/// A value against its schema declaration: at most `max_length` characters, and a
/// number where the attribute is a Number. The store and the attribute form both use it.
pub fn schema_value(
    name: &str,
    value: &str,
    data_type: &str,
    max_length: Option<usize>,
) -> Result<(), RuleError> {
    if let Some(max) = max_length
        && char_len(value) > max
    {
        return Err(RuleError::new(
            name,
            format!("must be at most {max} characters"),
        ));
    }
    if data_type == "Number" && value.parse::<f64>().is_err() {
        return Err(RuleError::new(name, "must be a number"));
    }
    Ok(())
}

/// In a pool whose users sign in with an email or phone number (`UsernameAttributes`),
/// the Username given must be one of those; Cognito stores it as that attribute and
/// makes the user's sub their username. Returns which attribute it is (None when the
/// pool has plain usernames).
pub fn username_attribute(
    allowed: &[String],
    username: &str,
) -> Result<Option<&'static str>, RuleError> {
    if allowed.is_empty() {
        return Ok(None);
    }
    let by_email = allowed.iter().any(|a| a == "email");
    let by_phone = allowed.iter().any(|a| a == "phone_number");
    if by_email && email(username).is_ok() {
        return Ok(Some("email"));
    }
    if by_phone && phone_number(username).is_ok() {
        return Ok(Some("phone_number"));
    }
    let rule = match (by_email, by_phone) {
        (true, true) => {
            "should be either an email or a phone number: this pool signs users in with them"
        }
        (true, false) => "should be an email: this pool signs users in with their email",
        _ => "should be a phone number: this pool signs users in with their phone number",
    };
    Err(RuleError::new("Username", rule))
}

/// In a pool with aliases, the username itself cannot look like an alias: not an email
/// address when email is an alias, not a phone number when phone_number is
/// (docs/documented-rules.md, POOL-5).
pub fn alias_username(aliases: &[String], username: &str) -> Result<(), RuleError> {
    for (alias, looks_like, what) in [
        ("email", email(username).is_ok(), "an email address"),
        (
            "phone_number",
            phone_number(username).is_ok(),
            "a phone number",
        ),
    ] {
        if looks_like && aliases.iter().any(|a| a == alias) {
            return Err(RuleError::new(
                "Username",
                format!(
                    "cannot be {what}: this pool uses {alias} as an alias, so it would be ambiguous"
                ),
            ));
        }
    }
    Ok(())
}

/// The username as this pool signs users in: not shaped like one of its aliases, and an
/// email or phone number where those are the usernames.
pub fn username_fits_pool(
    aliases: &[String],
    username_attributes: &[String],
    username: &str,
) -> Result<(), RuleError> {
    alias_username(aliases, username)?;
    username_attribute(username_attributes, username).map(|_| ())
}

/// A verified flag set true needs its address.
pub fn verified_flags_have_addresses(attributes: &[Attribute]) -> Vec<RuleError> {
    let value = |name: &str| {
        attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    };
    VERIFIED_FLAGS
        .iter()
        .filter(|(flag, target)| {
            value(flag).is_some_and(|v| v.eq_ignore_ascii_case("true"))
                && value(target).is_none_or(str::is_empty)
        })
        .map(|(flag, target)| RuleError::new(*target, format!("is required when {flag} is true")))
        .collect()
}

/// An imported user (an import job's row) must have a verified email or phone number: it
/// has no password, and sets one with a code sent there.
pub fn verified_address(attributes: &[Attribute]) -> Result<(), RuleError> {
    let verified = VERIFIED_FLAGS.iter().any(|(flag, address)| {
        attributes
            .iter()
            .any(|a| a.name == *flag && a.value.eq_ignore_ascii_case("true"))
            && attributes
                .iter()
                .any(|a| a.name == *address && !a.value.is_empty())
    });
    if verified {
        Ok(())
    } else {
        Err(RuleError::new(
            "email_verified",
            "must be true with an email, or phone_number_verified with a phone: the user has no password and sets one with a code sent there",
        ))
    }
}

/// Every rule AdminCreateUser checks before it touches the pool, in the order a form
/// shows them. Empty means the request may be sent.
pub fn new_user(user: &NewUser, policy: &PasswordPolicy) -> Vec<RuleError> {
    let mut errors = Vec::new();
    if let Err(e) = username(&user.username) {
        errors.push(e);
    }
    let mut seen = std::collections::BTreeSet::new();
    for attr in &user.attributes {
        if let Err(e) = attribute(&attr.name, &attr.value) {
            errors.push(e);
        } else if !seen.insert(attr.name.as_str()) {
            errors.push(RuleError::new(&attr.name, "is given more than once"));
        }
    }
    errors.extend(verified_flags_have_addresses(&user.attributes));
    for medium in user.invitation_mediums() {
        let target = medium.attribute();
        if user.attribute(target).is_none_or(str::is_empty)
            && !errors.iter().any(|e| e.field == target)
        {
            errors.push(RuleError::new(
                target,
                format!("is required to send the invitation by {}", medium.as_str()),
            ));
        }
    }
    if let Some(password) = &user.temporary_password
        && let Err(e) = password::check_temporary(password.expose(), policy)
    {
        errors.push(e.into());
    }
    errors.extend(super::triggers::check_inputs(
        &user.validation_data,
        &user.client_metadata,
    ));
    errors
}

/// The password policy's ranges (`PasswordPolicyType`).
pub fn password_policy(policy: &PasswordPolicy) -> Result<(), RuleError> {
    let within = |member: &str, value: i64| {
        let (min, max) = model::range("PasswordPolicyType", member);
        in_range(&format!("PasswordPolicy.{member}"), value, min, max)
    };
    within("MinimumLength", policy.minimum_length)?;
    within(
        "TemporaryPasswordValidityDays",
        policy.temporary_password_validity_days,
    )?;
    if let Some(size) = policy.password_history_size {
        within("PasswordHistorySize", size)?;
    }
    Ok(())
}

pub fn in_range(field: &str, value: i64, min: i64, max: i64) -> Result<(), RuleError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(RuleError::new(
            field,
            format!("must be between {min} and {max} (it is {value})"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::{Attribute, DeliveryMedium, MessageAction, Secret};

    #[test]
    fn usernames() {
        for ok in [
            "diego",
            "a",
            "ünïcödé",
            "user@example.com",
            "+15555551212",
            "名前",
            &"x".repeat(128),
        ] {
            assert!(username(ok).is_ok(), "{ok:?} should pass");
        }
        for bad in ["", "has space", "tab\there", "new\nline", &"x".repeat(129)] {
            let err = username(bad).unwrap_err();
            assert_eq!(err.field, "Username", "{bad:?}");
        }
    }

    #[test]
    fn pool_ids_and_names() {
        assert!(pool_id("us-east-1_AbC123xyZ").is_ok());
        assert!(pool_id("local_x").is_ok());
        for bad in [
            "",
            "nounderscore",
            "us-east-1_",
            "_abc",
            "us east_1",
            &format!("a_{}", "b".repeat(60)),
        ] {
            assert!(pool_id(bad).is_err(), "{bad:?}");
        }
        assert!(pool_name("My pool, v2 (prod)").is_err());
        assert!(pool_name("My pool, v2.prod@x+y=z").is_ok());
    }

    #[test]
    fn attribute_names() {
        for ok in ["email", "custom:department", "custom:x", "zoneinfo"] {
            assert!(attribute_name(ok).is_ok(), "{ok}");
        }
        let cases = [
            ("department", "custom: prefix"),
            ("custom:", "needs a name"),
            ("", "must not be empty"),
            ("custom:a_much_too_long_attribute_name", "at most 32"),
        ];
        for (bad, says) in cases {
            let err = attribute_name(bad).unwrap_err();
            assert!(err.rule.contains(says), "{bad:?}: {err}");
        }
    }

    #[test]
    fn a_birthdate_is_a_real_day() {
        assert!(documented_format("birthdate", "1990-02-28").is_ok());
        let e = documented_format("birthdate", "1990-13-45").unwrap_err();
        assert!(e.rule.contains("no month 13"), "{}", e.rule);
        assert!(documented_format("birthdate", "02/28/1990").is_err());
        assert!(documented_format("name", "1990-13-45").is_ok());
    }

    #[test]
    fn emails() {
        for ok in [
            "diego@example.com",
            "a.b+c@sub.example.co.uk",
            "ü@exämple.de",
        ] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "diego",
            "@example.com",
            "diego@",
            "diego@example",
            "di ego@example.com",
            "a@b..com",
            "a@.b.com",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_numbers() {
        for ok in ["+15555551212", "+442071838750", "+12"] {
            assert!(phone_number(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "15555551212",
            "+1 555 555 1212",
            "+1-555-555-1212",
            "+0123",
            "+1234567890123456",
            "+",
        ] {
            let err = phone_number(bad).unwrap_err();
            assert!(err.rule.contains("E.164"), "{bad}");
        }
    }

    fn user(attrs: &[(&str, &str)]) -> NewUser {
        NewUser {
            username: "diego".into(),
            attributes: attrs.iter().map(|(n, v)| Attribute::new(*n, *v)).collect(),
            ..NewUser::default()
        }
    }

    fn fields(errors: &[RuleError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn new_user_rules() {
        let policy = PasswordPolicy::default();
        // Default medium is SMS: a phone number is needed unless the message is suppressed.
        assert_eq!(fields(&new_user(&user(&[]), &policy)), ["phone_number"]);
        let mut suppressed = user(&[]);
        suppressed.message_action = Some(MessageAction::Suppress);
        assert!(new_user(&suppressed, &policy).is_empty());

        let mut by_email = user(&[("phone_number", "+15555551212")]);
        by_email.desired_delivery_mediums = vec![DeliveryMedium::Email, DeliveryMedium::Sms];
        assert_eq!(fields(&new_user(&by_email, &policy)), ["email"]);

        let verified = user(&[("email_verified", "true"), ("phone_number", "+15555551212")]);
        let errors = new_user(&verified, &policy);
        assert_eq!(fields(&errors), ["email"]);
        assert!(errors[0].rule.contains("email_verified"));

        let bad = user(&[
            ("email", "nope"),
            ("phone_number", "555"),
            ("sub", "x"),
            ("color", "red"),
        ]);
        assert_eq!(
            fields(&new_user(&bad, &policy)),
            ["email", "phone_number", "sub", "color"]
        );

        let dup = user(&[
            ("phone_number", "+15555551212"),
            ("phone_number", "+15555551213"),
        ]);
        assert_eq!(fields(&new_user(&dup, &policy)), ["phone_number"]);

        let mut weak = user(&[("phone_number", "+15555551212")]);
        weak.temporary_password = Some(Secret::new("short"));
        assert_eq!(fields(&new_user(&weak, &policy)), ["TemporaryPassword"]);
        weak.temporary_password = Some(Secret::new("Str0ng!Pass"));
        assert!(new_user(&weak, &policy).is_empty());
    }

    #[test]
    fn username_attributes() {
        let both = vec!["email".to_string(), "phone_number".to_string()];
        assert_eq!(username_attribute(&[], "ana").unwrap(), None);
        assert_eq!(
            username_attribute(&both, "ana@example.com").unwrap(),
            Some("email")
        );
        assert_eq!(
            username_attribute(&both, "+15555550100").unwrap(),
            Some("phone_number")
        );
        let err = username_attribute(&both, "ana").unwrap_err();
        assert!(err.rule.contains("either an email or a phone number"));
        let email_only = vec!["email".to_string()];
        assert!(username_attribute(&email_only, "+15555550100").is_err());
    }

    #[test]
    fn policy_ranges() {
        let mut p = PasswordPolicy::default();
        assert!(password_policy(&p).is_ok());
        p.minimum_length = 5;
        assert_eq!(
            password_policy(&p).unwrap_err().field,
            "PasswordPolicy.MinimumLength"
        );
        p.minimum_length = 99;
        p.temporary_password_validity_days = 366;
        assert!(password_policy(&p).is_err());
        p.temporary_password_validity_days = 0;
        assert_eq!(p.effective_validity_days(), 7);
        p.password_history_size = Some(25);
        assert!(password_policy(&p).is_err());
    }
}
