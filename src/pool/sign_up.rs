//! The pool's sign-up settings, as Cognito's console shows them beside the schema:
//! which addresses are verified automatically, whether a changed address keeps its old
//! value until verified, how users recover their account, deletion protection; and a
//! custom attribute to add. Cognito's rules for each, checked before the call (POOL-13,
//! POOL-15).

use super::rule::RuleError;
use super::{model, pool_rules};

/// How a user who forgot their password gets a code (`AccountRecoverySetting`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    EmailOnly,
    PhoneOnly,
    EmailThenPhone,
    PhoneThenEmail,
    /// Only an administrator can reset the password.
    AdminOnly,
}

impl Recovery {
    pub const ALL: [Recovery; 5] = [
        Self::EmailOnly,
        Self::PhoneOnly,
        Self::EmailThenPhone,
        Self::PhoneThenEmail,
        Self::AdminOnly,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::EmailOnly => "Email only",
            Self::PhoneOnly => "SMS only",
            Self::EmailThenPhone => "Email, else SMS",
            Self::PhoneThenEmail => "SMS, else email",
            Self::AdminOnly => "None: an administrator resets",
        }
    }

    /// `RecoveryMechanisms` in priority order, as Cognito names them.
    pub fn mechanisms(self) -> Vec<&'static str> {
        match self {
            Self::EmailOnly => vec!["verified_email"],
            Self::PhoneOnly => vec!["verified_phone_number"],
            Self::EmailThenPhone => vec!["verified_email", "verified_phone_number"],
            Self::PhoneThenEmail => vec!["verified_phone_number", "verified_email"],
            Self::AdminOnly => vec!["admin_only"],
        }
    }

    /// The setting `mechanisms` (in priority order) makes, if it is one of these.
    pub fn from_mechanisms(mechanisms: &[&str]) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.mechanisms() == mechanisms)
    }
}

/// The sign-up settings the console edits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignUpSettings {
    /// `AutoVerifiedAttributes`.
    pub verify_email: bool,
    pub verify_phone: bool,
    /// `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`: the old
    /// address stays until the new one is verified.
    pub keep_email_until_verified: bool,
    pub keep_phone_until_verified: bool,
    /// None: the pool sets none (Cognito then uses the phone, else the email).
    pub recovery: Option<Recovery>,
    pub deletion_protection: bool,
}

impl SignUpSettings {
    /// Cognito's refusals: an address can wait for verification only if it is verified
    /// automatically ("You can only enable this setting for attributes that are ...
    /// automatically verified").
    pub fn check(&self) -> Vec<RuleError> {
        let mut errors = Vec::new();
        for (keep, verified, name) in [
            (self.keep_email_until_verified, self.verify_email, "email"),
            (
                self.keep_phone_until_verified,
                self.verify_phone,
                "phone_number",
            ),
        ] {
            if keep && !verified {
                errors.push(RuleError::new(
                    "AttributesRequireVerificationBeforeUpdate",
                    format!("{name} can wait for verification only if the pool verifies it automatically"),
                ));
            }
        }
        errors
    }

    /// A line for each setting that differs from `before`.
    pub fn changes(&self, before: &SignUpSettings) -> Vec<String> {
        let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
        let recovery =
            |r: Option<Recovery>| r.map_or_else(|| "not set".to_string(), |r| r.label().into());
        let pairs = [
            (
                "Verify email automatically",
                yes(before.verify_email),
                yes(self.verify_email),
            ),
            (
                "Verify phone number automatically",
                yes(before.verify_phone),
                yes(self.verify_phone),
            ),
            (
                "Keep the old email until the new one is verified",
                yes(before.keep_email_until_verified),
                yes(self.keep_email_until_verified),
            ),
            (
                "Keep the old phone number until the new one is verified",
                yes(before.keep_phone_until_verified),
                yes(self.keep_phone_until_verified),
            ),
            (
                "Account recovery",
                recovery(before.recovery),
                recovery(self.recovery),
            ),
            (
                "Deletion protection",
                yes(before.deletion_protection),
                yes(self.deletion_protection),
            ),
        ];
        pairs
            .into_iter()
            .filter(|(_, a, b)| a != b)
            .map(|(what, a, b)| format!("{what}: {a} → {b}"))
            .collect()
    }
}

/// The data types a custom attribute may have.
pub const DATA_TYPES: [&str; 4] = ["String", "Number", "DateTime", "Boolean"];

/// A custom attribute to add (AddCustomAttributes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomAttribute {
    /// Without the `custom:` prefix, which Cognito adds.
    pub name: String,
    pub data_type: String,
    pub mutable: bool,
    /// String lengths or Number values.
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl NewCustomAttribute {
    /// `SchemaAttributeType` as AddCustomAttributes takes it.
    pub fn to_schema(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "Name": self.name,
            "AttributeDataType": self.data_type,
            "Mutable": self.mutable,
        });
        let bounds = |min: &str, max: &str| {
            let mut c = serde_json::Map::new();
            if let Some(n) = self.min {
                c.insert(min.into(), serde_json::json!(n.to_string()));
            }
            if let Some(n) = self.max {
                c.insert(max.into(), serde_json::json!(n.to_string()));
            }
            serde_json::Value::Object(c)
        };
        match self.data_type.as_str() {
            "String" => v["StringAttributeConstraints"] = bounds("MinLength", "MaxLength"),
            "Number" => v["NumberAttributeConstraints"] = bounds("MinValue", "MaxValue"),
            _ => {}
        }
        v
    }

    /// What Cognito would refuse, given the custom attributes the pool has (full names).
    pub fn check(&self, existing: &[String]) -> Vec<RuleError> {
        let mut errors = Vec::new();
        let shape = model::shape("CustomAttributeNameType");
        if let Err(e) = model::check_str(shape, "Name", &self.name) {
            errors.push(e);
        }
        let full = format!("custom:{}", self.name);
        if existing.contains(&full) {
            errors.push(RuleError::new(
                "Name",
                format!("the pool already has {full}"),
            ));
        }
        if existing.len() >= 50 {
            errors.push(RuleError::new(
                "Name",
                "the pool already has 50 custom attributes, the most it can have",
            ));
        }
        if !DATA_TYPES.contains(&self.data_type.as_str()) {
            errors.push(RuleError::new(
                "AttributeDataType",
                "must be String, Number, DateTime or Boolean",
            ));
        }
        if let Err(e) = pool_rules::schema(&[self.to_schema()]) {
            errors.push(RuleError::new(
                if e.field.ends_with("MinLength") || e.field.ends_with("MinValue") {
                    "Min"
                } else {
                    "Max"
                },
                e.rule,
            ));
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_reads_back_from_its_mechanisms() {
        for r in Recovery::ALL {
            assert_eq!(Recovery::from_mechanisms(&r.mechanisms()), Some(r));
        }
        assert_eq!(
            Recovery::from_mechanisms(&["verified_email", "admin_only"]),
            None
        );
    }

    #[test]
    fn an_address_waits_for_verification_only_when_verified_automatically() {
        let s = SignUpSettings {
            keep_email_until_verified: true,
            ..SignUpSettings::default()
        };
        assert_eq!(s.check().len(), 1);
        let ok = SignUpSettings {
            verify_email: true,
            ..s.clone()
        };
        assert!(ok.check().is_empty());
        assert_eq!(ok.changes(&s), ["Verify email automatically: no → yes"]);
    }

    #[test]
    fn a_custom_attribute_is_held_to_cognitos_rules() {
        let team = NewCustomAttribute {
            name: "team".into(),
            data_type: "String".into(),
            mutable: true,
            min: Some(1),
            max: Some(20),
        };
        assert!(team.check(&[]).is_empty());
        assert!(!team.check(&["custom:team".into()]).is_empty());
        let too_long = NewCustomAttribute {
            max: Some(4096),
            ..team.clone()
        };
        assert_eq!(too_long.check(&[])[0].field, "Max");
        let bad_name = NewCustomAttribute {
            name: "x".repeat(21),
            ..team
        };
        assert_eq!(bad_name.check(&[])[0].field, "Name");
    }
}
