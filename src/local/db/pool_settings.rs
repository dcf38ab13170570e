//! A pool's settings as Cognito's UserPoolType shapes them, stored as one JSON object.
//!
//! The members the store interprets (password policy, invitation template, aliases,
//! schema...) are checked and normalised through `pool` types; the rest (Lambda
//! triggers, email and SMS configuration, tags...) are kept verbatim, so that a round
//! trip through the store returns what was sent.

use serde_json::{Map, Value, json};

use crate::local::wire::error::ApiError;
use crate::pool::standard_attributes;
use crate::pool::template;
use crate::pool::{
    self, AdminCreateUserConfig, PasswordPolicy, VerificationMessageTemplate, validate,
};

/// Members CreateUserPool takes besides PoolName.
pub const CREATE_MEMBERS: &[&str] = &[
    "Policies",
    "DeletionProtection",
    "LambdaConfig",
    "AutoVerifiedAttributes",
    "AliasAttributes",
    "UsernameAttributes",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "MfaConfiguration",
    "UserAttributeUpdateSettings",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "Schema",
    "UserPoolAddOns",
    "UsernameConfiguration",
    "AccountRecoverySetting",
    "UserPoolTier",
];

/// Members UpdateUserPool sets; whatever of these a request omits goes back to its
/// default, as in Cognito. (PoolName is kept when omitted.)
pub const UPDATE_MEMBERS: &[&str] = &[
    "Policies",
    "DeletionProtection",
    "LambdaConfig",
    "AutoVerifiedAttributes",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "UserAttributeUpdateSettings",
    "MfaConfiguration",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "UserPoolAddOns",
    "AccountRecoverySetting",
    "UserPoolTier",
];

/// What Cognito gives a pool for a member the request left out.
fn default_for(member: &str) -> Option<Value> {
    Some(match member {
        "Policies" => json!({
            "PasswordPolicy": PasswordPolicy::default(),
            "SignInPolicy": { "AllowedFirstAuthFactors": ["PASSWORD"] }
        }),
        "DeletionProtection" => json!("INACTIVE"),
        "LambdaConfig" => json!({}),
        "MfaConfiguration" => json!("OFF"),
        "VerificationMessageTemplate" => json!({ "DefaultEmailOption": "CONFIRM_WITH_CODE" }),
        "EmailConfiguration" => json!({ "EmailSendingAccount": "COGNITO_DEFAULT" }),
        "AdminCreateUserConfig" => serde_json::to_value(AdminCreateUserConfig::default()).ok()?,
        "UserPoolTier" => json!("ESSENTIALS"),
        _ => return None,
    })
}

/// The members kept for MFA (`pool_mfa`) that a pool's description does not carry:
/// GetUserPoolMfaConfig answers with them.
pub const MFA_MEMBERS: [&str; 4] = [
    "SmsMfaConfiguration",
    "SoftwareTokenMfaConfiguration",
    "EmailMfaConfiguration",
    "WebAuthnConfiguration",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings(pub Map<String, Value>);

impl Settings {
    /// Settings for CreateUserPool: the request's members, checked, over the defaults.
    pub fn for_create(request: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut settings = Map::new();
        for &member in CREATE_MEMBERS {
            if let Some(value) = request.get(member).filter(|v| !v.is_null()) {
                settings.insert(member.to_string(), normalise(member, value)?);
            } else if let Some(default) = default_for(member) {
                settings.insert(member.to_string(), default);
            }
        }
        let s = Self(settings);
        s.check_consistency()?;
        pool::pool_rules::create_mfa(&s.0)?;
        Ok(s)
    }

    /// UpdateUserPool: every updatable member is replaced by the request's value or reset
    /// to its default; create-only members (schema, aliases, username settings) stay.
    pub fn updated(&self, request: &Map<String, Value>) -> Result<Self, ApiError> {
        let mut settings = self.0.clone();
        for &member in UPDATE_MEMBERS {
            settings.remove(member);
            if let Some(value) = request.get(member).filter(|v| !v.is_null()) {
                settings.insert(member.to_string(), normalise(member, value)?);
            } else if let Some(default) = default_for(member) {
                settings.insert(member.to_string(), default);
            }
        }
        let s = Self(settings);
        s.check_consistency()?;
        Ok(s)
    }

    fn check_consistency(&self) -> Result<(), ApiError> {
        Ok(pool::pool_rules::consistency(&self.0)?)
    }

    /// The member at `path`, read without copying the settings.
    fn typed<T: serde::de::DeserializeOwned + Default>(&self, path: &[&str]) -> T {
        let Some((first, rest)) = path.split_first() else {
            return T::default();
        };
        let mut v = self.0.get(*first);
        for key in rest {
            v = v.and_then(|v| v.get(key));
        }
        v.and_then(|v| T::deserialize(v).ok()).unwrap_or_default()
    }

    pub fn password_policy(&self) -> PasswordPolicy {
        self.typed(&["Policies", "PasswordPolicy"])
    }

    pub fn admin_create_user_config(&self) -> AdminCreateUserConfig {
        self.typed(&["AdminCreateUserConfig"])
    }

    pub fn verification_template(&self) -> VerificationMessageTemplate {
        self.typed(&["VerificationMessageTemplate"])
    }

    pub fn string_list(&self, member: &str) -> Vec<String> {
        self.typed(&[member])
    }

    /// Attributes that identify a user besides the username once verified: aliases and
    /// username attributes (email, phone_number).
    pub fn alias_attributes(&self) -> Vec<String> {
        let mut all = self.string_list("AliasAttributes");
        all.extend(self.string_list("UsernameAttributes"));
        all
    }

    /// `AutoVerifiedAttributes`: the attributes a sign-up's confirmation code is sent
    /// to (and that confirming it verifies).
    /// `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`: the
    /// addresses whose old value stays until the new one is verified (POOL-15).
    pub fn kept_until_verified(&self) -> Vec<String> {
        self.typed(&[
            "UserAttributeUpdateSettings",
            "AttributesRequireVerificationBeforeUpdate",
        ])
    }

    pub fn auto_verified_attributes(&self) -> Vec<String> {
        self.string_list("AutoVerifiedAttributes")
    }

    /// `AccountRecoverySetting.RecoveryMechanisms` by priority: where a password reset
    /// code goes (`verified_email`, `verified_phone_number`, or `admin_only`). A pool
    /// without the setting uses Cognito's legacy order: a verified phone first, then a
    /// verified email.
    pub fn recovery_mechanisms(&self) -> Vec<String> {
        let mut listed: Vec<(i64, String)> = self
            .0
            .get("AccountRecoverySetting")
            .and_then(|s| s.get("RecoveryMechanisms"))
            .and_then(Value::as_array)
            .map(|all| {
                all.iter()
                    .filter_map(|m| {
                        Some((
                            m.get("Priority").and_then(Value::as_i64).unwrap_or(0),
                            m.get("Name")?.as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if listed.is_empty() {
            return vec!["verified_phone_number".into(), "verified_email".into()];
        }
        listed.sort();
        listed.into_iter().map(|(_, name)| name).collect()
    }

    /// The pool's email headers (`EmailConfiguration`).
    pub fn email_headers(&self) -> crate::pool::message::EmailHeaders {
        let config = self.0.get("EmailConfiguration");
        let member = |name: &str| config.and_then(|c| c.get(name)).and_then(Value::as_str);
        crate::pool::message::EmailHeaders::of(
            member("From"),
            member("SourceArn"),
            member("ReplyToEmailAddress"),
        )
    }

    /// `AdminCreateUserConfig.AllowAdminCreateUserOnly`: self sign-up is refused.
    pub fn admin_create_only(&self) -> bool {
        self.admin_create_user_config().allow_admin_create_user_only
    }

    /// `UsernameAttributes`: email and/or phone_number sign users in instead of a
    /// username, which Cognito then generates (the user's sub).
    pub fn username_attributes(&self) -> Vec<String> {
        self.string_list("UsernameAttributes")
    }

    /// Cognito's API default for a pool created without UsernameConfiguration is
    /// case-sensitive usernames.
    pub fn case_sensitive_usernames(&self) -> bool {
        self.0
            .get("UsernameConfiguration")
            .and_then(|c| c.get("CaseSensitive"))
            .and_then(Value::as_bool)
            .unwrap_or(true)
    }

    /// Custom attributes declared by the pool's schema, full names (`custom:team`), with
    /// their data type and string length limit.
    pub fn custom_attributes(&self) -> Vec<CustomAttribute> {
        let schema: Vec<Value> = self.typed(&["Schema"]);
        schema
            .iter()
            .filter_map(|a| {
                let name = a.get("Name")?.as_str()?;
                if standard_attributes::is_standard_attribute(name) {
                    return None;
                }
                let name = if name.starts_with(validate::CUSTOM_PREFIX) {
                    name.to_string()
                } else {
                    format!("{}{name}", validate::CUSTOM_PREFIX)
                };
                let data_type = a
                    .get("AttributeDataType")
                    .and_then(Value::as_str)
                    .unwrap_or("String")
                    .to_string();
                let max_length = a
                    .pointer("/StringAttributeConstraints/MaxLength")
                    .and_then(|v| {
                        v.as_str()
                            .and_then(|s| s.parse().ok())
                            .or_else(|| v.as_u64())
                    })
                    .map(|n| n as usize);
                // Custom attributes are mutable unless declared otherwise.
                let mutable = a.get("Mutable").and_then(Value::as_bool).unwrap_or(true);
                Some(CustomAttribute {
                    name,
                    data_type,
                    max_length,
                    mutable,
                })
            })
            .collect()
    }

    /// The standard attributes the pool's schema marks `Required`: every user must have
    /// them by the end of their first sign-in.
    pub fn required_attributes(&self) -> Vec<String> {
        let schema: Vec<Value> = self.typed(&["Schema"]);
        schema
            .iter()
            .filter(|a| a.get("Required").and_then(Value::as_bool) == Some(true))
            .filter_map(|a| a.get("Name")?.as_str().map(str::to_string))
            .collect()
    }

    /// The members a response carries: everything stored but the raw `Schema` and the
    /// MFA blocks GetUserPoolMfaConfig answers with.
    pub fn to_response_members(&self) -> Map<String, Value> {
        let mut out = self.0.clone();
        out.remove("Schema");
        for member in MFA_MEMBERS {
            out.remove(member);
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAttribute {
    pub name: String,
    pub data_type: String,
    pub max_length: Option<usize>,
    pub mutable: bool,
}

fn one_of(member: &str, value: &Value, allowed: &[&str]) -> Result<Value, ApiError> {
    match value.as_str() {
        Some(s) if allowed.contains(&s) => Ok(value.clone()),
        _ => Err(ApiError::invalid(format!(
            "{member} must be one of {}, not {value}",
            allowed.join(", ")
        ))),
    }
}

fn list_of(member: &str, value: &Value, allowed: &[&str]) -> Result<Value, ApiError> {
    let items = value
        .as_array()
        .ok_or_else(|| ApiError::invalid(format!("{member} must be a list")))?;
    for item in items {
        one_of(member, item, allowed)?;
    }
    Ok(value.clone())
}

fn text(member: &str, value: &Value) -> Result<String, ApiError> {
    value
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| ApiError::invalid(format!("{member} must be a string")))
}

fn parse<T: serde::de::DeserializeOwned>(member: &str, value: &Value) -> Result<T, ApiError> {
    serde_json::from_value(value.clone()).map_err(|e| ApiError::invalid(format!("{member}: {e}")))
}

fn first_error(errors: Vec<pool::RuleError>) -> Result<(), ApiError> {
    match errors.into_iter().next() {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Checks one member and returns it as the store keeps it.
fn normalise(member: &str, value: &Value) -> Result<Value, ApiError> {
    match member {
        "Policies" => {
            let mut policies = value
                .as_object()
                .cloned()
                .ok_or_else(|| ApiError::invalid("Policies must be an object"))?;
            let policy: PasswordPolicy = match policies.get("PasswordPolicy") {
                Some(p) => parse("Policies.PasswordPolicy", p)?,
                None => PasswordPolicy::default(),
            };
            validate::password_policy(&policy)?;
            // "If you submit a value of 0, Amazon Cognito treats it as a null value and
            // sets TemporaryPasswordValidityDays to its default value."
            let mut policy = policy;
            policy.temporary_password_validity_days = policy.effective_validity_days();
            policies.insert("PasswordPolicy".into(), serde_json::to_value(policy)?);
            Ok(Value::Object(policies))
        }
        "AdminCreateUserConfig" => {
            let config: AdminCreateUserConfig = parse(member, value)?;
            if let Some(t) = &config.invite_message_template {
                first_error(template::check_invite_api(t))?;
            }
            Ok(serde_json::to_value(config)?)
        }
        "VerificationMessageTemplate" => {
            let mut t: VerificationMessageTemplate = parse(member, value)?;
            first_error(template::check_verification_api(&t))?;
            t.default_email_option
                .get_or_insert(pool::DefaultEmailOption::ConfirmWithCode);
            Ok(serde_json::to_value(t)?)
        }
        "SmsVerificationMessage"
        | "SmsAuthenticationMessage"
        | "EmailVerificationMessage"
        | "EmailVerificationSubject" => {
            template::check_legacy_message(member, &text(member, value)?)?;
            Ok(value.clone())
        }
        "MfaConfiguration" => one_of(member, value, &["OFF", "ON", "OPTIONAL"]),
        "DeletionProtection" => one_of(member, value, &["ACTIVE", "INACTIVE"]),
        "UserPoolTier" => one_of(member, value, &["LITE", "ESSENTIALS", "PLUS"]),
        "AutoVerifiedAttributes" => list_of(member, value, &["phone_number", "email"]),
        "AliasAttributes" => list_of(
            member,
            value,
            &["phone_number", "email", "preferred_username"],
        ),
        "UsernameAttributes" => list_of(member, value, &["phone_number", "email"]),
        "UsernameConfiguration" => {
            if value
                .get("CaseSensitive")
                .and_then(Value::as_bool)
                .is_none()
            {
                return Err(ApiError::invalid(
                    "UsernameConfiguration.CaseSensitive must be true or false",
                ));
            }
            Ok(value.clone())
        }
        "Schema" => {
            let items = value
                .as_array()
                .ok_or_else(|| ApiError::invalid("Schema must be a list"))?;
            pool::pool_rules::schema(items)?;
            Ok(value.clone())
        }
        _ if value.is_object() || value.is_array() || value.is_string() => Ok(value.clone()),
        _ => Err(ApiError::invalid(format!("{member} has the wrong type"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn create_fills_defaults_and_keeps_the_rest() {
        let s = Settings::for_create(&obj(json!({
            "LambdaConfig": {"PreSignUp": "arn:aws:lambda:us-east-1:123:function:f"},
            "Policies": {"PasswordPolicy": {"MinimumLength": 12}},
        })))
        .unwrap();
        assert_eq!(s.password_policy().minimum_length, 12);
        assert!(
            !s.password_policy().require_symbols,
            "omitted booleans are false"
        );
        assert_eq!(s.0["MfaConfiguration"], "OFF");
        assert_eq!(
            s.0["LambdaConfig"]["PreSignUp"],
            "arn:aws:lambda:us-east-1:123:function:f"
        );
        assert!(s.case_sensitive_usernames());
    }

    #[test]
    fn update_resets_what_it_omits() {
        let s = Settings::for_create(&obj(json!({
            "LambdaConfig": {"PreSignUp": "arn:x"},
            "MfaConfiguration": "OPTIONAL",
            "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"},
            "AliasAttributes": ["email"],
        })))
        .unwrap();
        let u = s
            .updated(&obj(
                json!({"AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true}}),
            ))
            .unwrap();
        assert_eq!(u.0["LambdaConfig"], json!({}));
        assert_eq!(u.0["MfaConfiguration"], "OFF");
        assert!(u.admin_create_user_config().allow_admin_create_user_only);
        assert_eq!(u.alias_attributes(), ["email"], "create-only members stay");
    }

    #[test]
    fn bad_members_are_named() {
        let cases = [
            (
                json!({"Policies": {"PasswordPolicy": {"MinimumLength": 3}}}),
                "MinimumLength",
            ),
            (json!({"MfaConfiguration": "MAYBE"}), "MfaConfiguration"),
            (
                json!({"AutoVerifiedAttributes": ["address"]}),
                "AutoVerifiedAttributes",
            ),
            (
                json!({"VerificationMessageTemplate": {"SmsMessage": "no code"}}),
                "SmsMessage",
            ),
            (
                json!({"AdminCreateUserConfig": {"InviteMessageTemplate": {"SMSMessage": "x"}}}),
                "SMSMessage",
            ),
            (
                json!({"AliasAttributes": ["email"], "UsernameAttributes": ["email"]}),
                "cannot be set with AliasAttributes",
            ),
        ];
        for (request, says) in cases {
            let err = Settings::for_create(&obj(request.clone())).unwrap_err();
            assert!(err.message.contains(says), "{request}: {err}");
        }
    }
}
