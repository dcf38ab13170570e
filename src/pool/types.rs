//! Cognito's nouns. Settings types carry serde names exactly as Cognito's wire protocol
//! spells them, so the local store reads and writes them without a second copy.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::Secret;

/// `Policies.PasswordPolicy`. Integers are kept wide so that out-of-range input reaches
/// the range check (and its message) instead of failing to parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    #[serde(default = "default_minimum_length")]
    pub minimum_length: i64,
    #[serde(default)]
    pub require_uppercase: bool,
    #[serde(default)]
    pub require_lowercase: bool,
    #[serde(default)]
    pub require_numbers: bool,
    #[serde(default)]
    pub require_symbols: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_history_size: Option<i64>,
    #[serde(default = "default_temporary_password_validity_days")]
    pub temporary_password_validity_days: i64,
}

pub const DEFAULT_MINIMUM_LENGTH: i64 = 8;
pub const DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS: i64 = 7;
/// The Cognito console's maximum for "days until a new account expires" (seed 000).
pub const CONSOLE_MAX_VALIDITY_DAYS: i64 = 90;

fn default_minimum_length() -> i64 {
    DEFAULT_MINIMUM_LENGTH
}

fn default_temporary_password_validity_days() -> i64 {
    DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS
}

impl Default for PasswordPolicy {
    /// The policy Cognito gives a pool created without one.
    fn default() -> Self {
        Self {
            minimum_length: DEFAULT_MINIMUM_LENGTH,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            password_history_size: None,
            temporary_password_validity_days: DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS,
        }
    }
}

impl PasswordPolicy {
    /// Days a temporary password stays valid; Cognito reads 0 as "the default".
    pub fn effective_validity_days(&self) -> i64 {
        if self.temporary_password_validity_days == 0 {
            DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS
        } else {
            self.temporary_password_validity_days
        }
    }
}

/// `AdminCreateUserConfig.InviteMessageTemplate` (`MessageTemplateType`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteMessageTemplate {
    #[serde(
        rename = "SMSMessage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sms_message: Option<String>,
    #[serde(
        rename = "EmailMessage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_message: Option<String>,
    #[serde(
        rename = "EmailSubject",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_subject: Option<String>,
}

/// `AdminCreateUserConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    #[serde(default)]
    pub allow_admin_create_user_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_account_validity_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<InviteMessageTemplate>,
}

impl Default for AdminCreateUserConfig {
    fn default() -> Self {
        Self {
            allow_admin_create_user_only: false,
            unused_account_validity_days: Some(DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS),
            invite_message_template: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefaultEmailOption {
    #[serde(rename = "CONFIRM_WITH_CODE")]
    ConfirmWithCode,
    #[serde(rename = "CONFIRM_WITH_LINK")]
    ConfirmWithLink,
}

/// `VerificationMessageTemplate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message_by_link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject_by_link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<DefaultEmailOption>,
}

/// The part of a pool the console shows and edits. Everything else in the pool is
/// carried through untouched by `client::update_pool`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolConfig {
    pub password_policy: PasswordPolicy,
    pub admin_create_user: AdminCreateUserConfig,
    pub verification: VerificationMessageTemplate,
    /// Shown, never edited: who the pool's email comes from (test sends use it).
    pub email: super::message::EmailHeaders,
    /// The pool's MFA (GetUserPoolMfaConfig); none when it could not be read.
    pub mfa: Option<super::mfa::PoolMfa>,
    /// The functions its `LambdaConfig` names for the triggers (its other members, such
    /// as the custom sender triggers, are kept by the client as they are).
    pub triggers: super::triggers::Functions,
    /// Verification, recovery and deletion protection (the Sign-up tab).
    pub sign_up: super::sign_up::SignUpSettings,
}

/// A pool as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSummary {
    pub id: String,
    pub name: String,
    pub created: Option<SystemTime>,
    pub last_modified: Option<SystemTime>,
}

/// One attribute of a pool's schema (`SchemaAttributeType`), as the attribute editor
/// needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaAttribute {
    /// Full name: `email`, `custom:team`.
    pub name: String,
    /// String, Number, DateTime or Boolean.
    pub data_type: String,
    pub mutable: bool,
    pub required: bool,
    /// Its constraints in words ("1 to 20 characters", "0 to 100"), if it has any.
    pub bounds: Option<String>,
    pub max_length: Option<usize>,
}

/// A pool as described: identity, the editable settings, the attribute schema and the
/// user estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolDescription {
    pub id: String,
    pub name: String,
    pub arn: Option<String>,
    pub config: PoolConfig,
    pub schema: Vec<SchemaAttribute>,
    /// `AliasAttributes`: what else a user may sign in with (set when the pool is made).
    pub alias_attributes: Vec<String>,
    /// `UsernameAttributes`: email and/or phone_number signing users in in place of a
    /// username (set when the pool is made).
    pub username_attributes: Vec<String>,
    pub estimated_number_of_users: i64,
    pub created: Option<SystemTime>,
    pub last_modified: Option<SystemTime>,
    /// What the rest of the pool allows its MFA (an SMS role, SES email, the tier).
    pub mfa_facts: super::mfa::PoolFacts,
    /// Why `config.mfa` could not be read, when it could not.
    pub mfa_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

impl Attribute {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// `UserStatusType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    Archived,
    Compromised,
    Unknown,
    ResetRequired,
    ForceChangePassword,
    ExternalProvider,
}

impl UserStatus {
    pub const ALL: [UserStatus; 8] = [
        Self::Unconfirmed,
        Self::Confirmed,
        Self::Archived,
        Self::Compromised,
        Self::Unknown,
        Self::ResetRequired,
        Self::ForceChangePassword,
        Self::ExternalProvider,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unconfirmed => "UNCONFIRMED",
            Self::Confirmed => "CONFIRMED",
            Self::Archived => "ARCHIVED",
            Self::Compromised => "COMPROMISED",
            Self::Unknown => "UNKNOWN",
            Self::ResetRequired => "RESET_REQUIRED",
            Self::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            Self::ExternalProvider => "EXTERNAL_PROVIDER",
        }
    }
}

impl fmt::Display for UserStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UserStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown user status {s:?}"))
    }
}

/// `DeliveryMediumType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeliveryMedium {
    Sms,
    Email,
}

impl DeliveryMedium {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::Email => "EMAIL",
        }
    }

    /// The attribute a message by this medium is sent to.
    pub fn attribute(self) -> &'static str {
        match self {
            Self::Sms => "phone_number",
            Self::Email => "email",
        }
    }
}

impl FromStr for DeliveryMedium {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "SMS" => Ok(Self::Sms),
            "EMAIL" => Ok(Self::Email),
            other => Err(format!("must be SMS or EMAIL, not {other:?}")),
        }
    }
}

/// `MessageActionType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAction {
    Resend,
    Suppress,
}

impl MessageAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resend => "RESEND",
            Self::Suppress => "SUPPRESS",
        }
    }
}

impl FromStr for MessageAction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "RESEND" => Ok(Self::Resend),
            "SUPPRESS" => Ok(Self::Suppress),
            other => Err(format!("must be RESEND or SUPPRESS, not {other:?}")),
        }
    }
}

/// A user as ListUsers / AdminGetUser / AdminCreateUser return it.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub username: String,
    pub attributes: Vec<Attribute>,
    pub created: Option<SystemTime>,
    pub last_modified: Option<SystemTime>,
    pub enabled: bool,
    pub status: Option<UserStatus>,
    /// Their MFA factors and preference, where the answer carried them (AdminGetUser);
    /// none where it did not (ListUsers).
    pub mfa: Option<super::mfa::UserMfa>,
}

impl User {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    pub fn sub(&self) -> Option<&str> {
        self.attribute("sub")
    }

    /// `email_verified` / `phone_number_verified` as Cognito stores them ("true").
    pub fn is_verified(&self, flag: &str) -> bool {
        self.attribute(flag)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// The parameters of AdminCreateUser, as the console's form or any caller builds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewUser {
    pub username: String,
    pub attributes: Vec<Attribute>,
    pub validation_data: Vec<Attribute>,
    /// None: Cognito generates one.
    pub temporary_password: Option<Secret>,
    pub force_alias_creation: bool,
    pub message_action: Option<MessageAction>,
    /// Empty: Cognito's default, SMS.
    pub desired_delivery_mediums: Vec<DeliveryMedium>,
    pub client_metadata: BTreeMap<String, String>,
}

impl NewUser {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The mediums an invitation goes by, or none when it is suppressed.
    pub fn invitation_mediums(&self) -> Vec<DeliveryMedium> {
        if self.message_action == Some(MessageAction::Suppress) {
            return Vec::new();
        }
        effective_mediums(&self.desired_delivery_mediums)
    }
}

/// DesiredDeliveryMediums with Cognito's default (SMS) applied, without repeats.
pub fn effective_mediums(desired: &[DeliveryMedium]) -> Vec<DeliveryMedium> {
    if desired.is_empty() {
        return vec![DeliveryMedium::Sms];
    }
    let mut mediums = desired.to_vec();
    mediums.sort();
    mediums.dedup();
    mediums
}

/// An app client of a pool, as the console shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AppClient {
    pub pool_id: String,
    pub id: String,
    /// Only for clients created with a secret; shown on request, never logged.
    pub secret: Option<Secret>,
    /// Its name, flows, lifetimes, URLs and permissions: what the console edits.
    pub settings: super::client_settings::ClientSettings,
    pub created: Option<SystemTime>,
    pub last_modified: Option<SystemTime>,
}
