//! Multi-factor authentication as Cognito has it: the pool's setting (off, optional,
//! required) and the factors it offers, each user's factors and the one they prefer, and
//! what a right password leads to. Pure: the store enforces these rules and the console
//! checks them before it calls. docs/documented-rules.md, MFA-*.

use serde::{Deserialize, Serialize};

use super::model;
use super::rule::RuleError;

/// Digits of a software token's code (`SoftwareTokenMFAUserCodeType`).
pub const CODE_DIGITS: usize = 6;
/// Seconds a software token's code lasts (RFC 6238's step, as authenticator apps use).
pub const STEP_SECONDS: u64 = 30;
/// Steps before and after the current one whose code is still accepted: "within 30
/// seconds before or after the attempt, to account for minor clock skew" (MFA-7).
pub const SKEW_STEPS: u64 = 1;
/// Random bytes in a new authenticator secret: 160 bits, RFC 4226's recommendation, 32
/// characters of base32 (the model asks for at least 16). Short enough that its
/// `otpauth://` URI fits a phone-readable QR code on an 80x24 terminal.
pub const SECRET_BYTES: usize = 20;

/// `MfaConfiguration` (`UserPoolMfaType`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Enforcement {
    #[default]
    #[serde(rename = "OFF")]
    Off,
    #[serde(rename = "OPTIONAL")]
    Optional,
    /// `ON`: every user must pass MFA to sign in.
    #[serde(rename = "ON")]
    Required,
}

impl Enforcement {
    pub const ALL: [Enforcement; 3] = [Self::Off, Self::Optional, Self::Required];

    pub fn as_wire(self) -> &'static str {
        match self {
            Self::Off => "OFF",
            Self::Optional => "OPTIONAL",
            Self::Required => "ON",
        }
    }

    pub fn from_wire(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_wire() == value)
    }

    /// As the Cognito console says it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Off => "No MFA",
            Self::Optional => "Optional MFA",
            Self::Required => "Require MFA",
        }
    }
}

/// A second factor, named as the challenges and `UserMFASettingList` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Factor {
    Sms,
    SoftwareToken,
    Email,
}

impl Factor {
    /// In the order Cognito lists them.
    pub const ALL: [Factor; 3] = [Self::Sms, Self::SoftwareToken, Self::Email];

    /// The challenge's name, which is also the factor's in `UserMFASettingList`.
    pub fn challenge(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    pub fn from_challenge(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.challenge() == name)
    }

    /// The challenge response that carries the code (`SMS_MFA_CODE`...).
    pub fn code_key(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA_CODE",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA_CODE",
            Self::Email => "EMAIL_OTP_CODE",
        }
    }

    /// In words, for screens and the audit log.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sms => "SMS message",
            Self::SoftwareToken => "authenticator app",
            Self::Email => "email message",
        }
    }

    /// The attribute a code for this factor is sent to (none: the user's own app).
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Self::Sms => Some("phone_number"),
            Self::SoftwareToken => None,
            Self::Email => Some("email"),
        }
    }
}

/// `EmailMfaConfigType`: the message that carries an email MFA code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailMfa {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A pool's MFA, as GetUserPoolMfaConfig describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolMfa {
    pub enforcement: Enforcement,
    /// SMS MFA is on (`SmsMfaConfiguration` given).
    pub sms: bool,
    /// `SmsAuthenticationMessage`; none: Cognito's default.
    pub sms_message: Option<String>,
    /// `SoftwareTokenMfaConfiguration.Enabled`.
    pub software_token: bool,
    /// Email MFA, when it is on.
    pub email: Option<EmailMfa>,
}

impl PoolMfa {
    pub fn offers(&self, factor: Factor) -> bool {
        match factor {
            Factor::Sms => self.sms,
            Factor::SoftwareToken => self.software_token,
            Factor::Email => self.email.is_some(),
        }
    }

    /// The factors the pool offers, in Cognito's order.
    pub fn factors(&self) -> Vec<Factor> {
        Factor::ALL
            .into_iter()
            .filter(|f| self.offers(*f))
            .collect()
    }
}

/// What the rest of a pool's settings say about the MFA it may have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolFacts {
    /// `SmsConfiguration` is set: the pool can send SMS.
    pub sms_configuration: bool,
    /// `EmailConfiguration.EmailSendingAccount` is `DEVELOPER` (Amazon SES).
    pub email_by_ses: bool,
    /// `UserPoolTier` is `LITE`.
    pub lite_tier: bool,
}

/// The message SMS MFA codes go in when the pool sets none.
pub const DEFAULT_SMS_MESSAGE: &str = "Your authentication code is {####}. ";
/// The subject and message of email MFA codes when the pool sets none.
pub const DEFAULT_EMAIL_SUBJECT: &str = "Your authentication code";
pub const DEFAULT_EMAIL_MESSAGE: &str = "Your authentication code is {####}.";

/// Email MFA on a Lite pool: Cognito's FeatureUnavailableInTierException (MFA-3).
pub fn tier_refuses(mfa: &PoolMfa, facts: &PoolFacts) -> Option<RuleError> {
    (mfa.email.is_some() && facts.lite_tier).then(|| {
        RuleError::new(
            "EmailMfaConfiguration",
            "email MFA needs the Essentials tier or higher",
        )
    })
}

/// SetUserPoolMfaConfig's rules across its members and the pool (MFA-1, MFA-2, MFA-3),
/// and each message against the service model.
pub fn check_pool(mfa: &PoolMfa, facts: &PoolFacts) -> Result<(), RuleError> {
    let any = !mfa.factors().is_empty();
    match mfa.enforcement {
        Enforcement::Off if any => {
            return Err(RuleError::new(
                "MfaConfiguration",
                "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
            ));
        }
        Enforcement::Optional | Enforcement::Required if !any => {
            return Err(RuleError::new(
                "MfaConfiguration",
                "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled.",
            ));
        }
        _ => {}
    }
    if mfa.sms && !facts.sms_configuration {
        return Err(RuleError::new(
            "SmsMfaConfiguration.SmsConfiguration",
            "SMS MFA needs an SmsConfiguration (the role Cognito sends SMS with), in this request or on the pool",
        ));
    }
    if mfa.email.is_some() && !facts.email_by_ses {
        return Err(RuleError::new(
            "EmailMfaConfiguration",
            "email MFA needs the pool to send email with Amazon SES (EmailConfiguration.EmailSendingAccount DEVELOPER), not Cognito's default email",
        ));
    }
    if let Some(message) = &mfa.sms_message {
        let shape = model::member("SmsMfaConfigType", "SmsAuthenticationMessage");
        model::check_str(
            shape,
            "SmsMfaConfiguration.SmsAuthenticationMessage",
            message,
        )?;
    }
    if let Some(email) = &mfa.email {
        if let Some(subject) = &email.subject {
            let shape = model::member("EmailMfaConfigType", "Subject");
            model::check_str(shape, "EmailMfaConfiguration.Subject", subject)?;
        }
        if let Some(message) = &email.message {
            let shape = model::member("EmailMfaConfigType", "Message");
            model::check_str(shape, "EmailMfaConfiguration.Message", message)?;
        }
    }
    Ok(())
}

/// A user's MFA: the factors they turned on and the one they prefer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserMfa {
    /// In Cognito's order, each once.
    pub enabled: Vec<Factor>,
    pub preferred: Option<Factor>,
}

impl UserMfa {
    pub fn has(&self, factor: Factor) -> bool {
        self.enabled.contains(&factor)
    }

    pub fn is_empty(&self) -> bool {
        self.enabled.is_empty() && self.preferred.is_none()
    }

    fn set(&mut self, factor: Factor, on: bool) {
        self.enabled.retain(|f| *f != factor);
        if on {
            self.enabled.push(factor);
            self.enabled.sort();
        } else if self.preferred == Some(factor) {
            self.preferred = None;
        }
    }

    /// The user with `factor` on (and preferred if they prefer none yet): what completing
    /// MFA_SETUP leaves (MFA-12).
    pub fn with_set_up(mut self, factor: Factor) -> Self {
        self.set(factor, true);
        self.preferred.get_or_insert(factor);
        self
    }

    /// The user without `factor`: what AdminDeleteSoftwareToken leaves for the software
    /// token (MFA-13).
    pub fn without(mut self, factor: Factor) -> Self {
        self.set(factor, false);
        self
    }
}

/// What a user can receive a code by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    /// A `phone_number` (it need not be verified).
    pub phone: bool,
    /// An `email`.
    pub email: bool,
    /// A verified software token.
    pub token: bool,
}

impl Reach {
    pub fn by(&self, factor: Factor) -> bool {
        match factor {
            Factor::Sms => self.phone,
            Factor::SoftwareToken => self.token,
            Factor::Email => self.email,
        }
    }
}

/// One factor's block of SetUserMFAPreference (`SMSMfaSettingsType`...): each member
/// may be left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FactorSetting {
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub preferred_mfa: Option<bool>,
}

/// SetUserMFAPreference and AdminSetUserMFAPreference: a block per factor, or none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreferenceRequest {
    pub blocks: Vec<(Factor, FactorSetting)>,
}

/// The user's MFA after a preference request (MFA-8, MFA-9, MFA-10, MFA-11). Blocks left
/// out change nothing; a factor turned on needs a way to reach the user and a pool that
/// offers it (a software token: only a verified one); only one factor may be preferred,
/// and only one that is on. While the pool requires MFA a factor cannot be turned off:
/// the request is taken and that part of it does nothing, as Cognito does.
pub fn set_preference(
    current: &UserMfa,
    request: &PreferenceRequest,
    pool: &PoolMfa,
    reach: Reach,
) -> Result<UserMfa, RuleError> {
    let preferred: Vec<Factor> = request
        .blocks
        .iter()
        .filter(|(_, s)| s.preferred_mfa == Some(true))
        .map(|(f, _)| *f)
        .collect();
    if preferred.len() > 1 {
        return Err(RuleError::new(
            "PreferredMfa",
            "only one MFA method can be set as preferred",
        ));
    }
    let mut after = current.clone();
    for (factor, setting) in &request.blocks {
        match setting.enabled {
            Some(true) => {
                if !reach.by(*factor) || (*factor != Factor::SoftwareToken && !pool.offers(*factor))
                {
                    return Err(RuleError::new(
                        setting_field(*factor),
                        format!(
                            "User does not have delivery config set to turn on {}",
                            factor.challenge()
                        ),
                    ));
                }
                after.set(*factor, true);
            }
            Some(false) if pool.enforcement != Enforcement::Required => after.set(*factor, false),
            _ => {}
        }
        match setting.preferred_mfa {
            Some(true) if !after.has(*factor) => {
                return Err(RuleError::new(
                    setting_field(*factor),
                    format!(
                        "{} cannot be the preferred MFA method while it is not enabled",
                        factor.challenge()
                    ),
                ));
            }
            Some(true) => after.preferred = Some(*factor),
            Some(false) if after.preferred == Some(*factor) => after.preferred = None,
            _ => {}
        }
    }
    Ok(after)
}

fn setting_field(factor: Factor) -> &'static str {
    match factor {
        Factor::Sms => "SMSMfaSettings",
        Factor::SoftwareToken => "SoftwareTokenMfaSettings",
        Factor::Email => "EmailMfaSettings",
    }
}

/// What a right password leads to, MFA-wise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterPassword {
    /// No second factor: tokens (or what else the user owes).
    Tokens,
    /// A code by this factor.
    Challenge(Factor),
    /// SELECT_MFA_TYPE: the user picks one of these.
    Select(Vec<Factor>),
    /// MFA_SETUP: the pool requires MFA and the user has no factor it can use; these are
    /// the factors the pool offers.
    Setup(Vec<Factor>),
}

/// The MFA step after a right password (MFA-4, MFA-5, MFA-6). The factors a user turned
/// on count where they can be used: SMS and email while the pool offers them and the
/// user has the address; a verified software token even after the pool stops offering
/// new ones. The preferred one is asked for; several and none preferred, the user
/// chooses. A pool that requires MFA sends an SMS code to a user with a phone number
/// (and an email code to one with an email) before it asks anyone to set MFA up.
pub fn after_password(pool: &PoolMfa, user: &UserMfa, reach: Reach) -> AfterPassword {
    if pool.enforcement == Enforcement::Off {
        return AfterPassword::Tokens;
    }
    let usable: Vec<Factor> = user
        .enabled
        .iter()
        .copied()
        .filter(|f| reach.by(*f) && (*f == Factor::SoftwareToken || pool.offers(*f)))
        .collect();
    if let Some(preferred) = user.preferred.filter(|p| usable.contains(p)) {
        return AfterPassword::Challenge(preferred);
    }
    match usable.as_slice() {
        [one] => return AfterPassword::Challenge(*one),
        [_, _, ..] => return AfterPassword::Select(usable),
        [] => {}
    }
    if pool.enforcement == Enforcement::Optional {
        return AfterPassword::Tokens;
    }
    for automatic in [Factor::Sms, Factor::Email] {
        if pool.offers(automatic) && reach.by(automatic) {
            return AfterPassword::Challenge(automatic);
        }
    }
    AfterPassword::Setup(pool.factors())
}

/// A code typed for a challenge, before it is sent: digits only, and a software
/// token's exactly six.
pub fn check_code(factor: Factor, code: &str) -> Result<(), RuleError> {
    let field = factor.code_key();
    if code.is_empty() {
        return Err(RuleError::new(field, "type the code"));
    }
    if !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(RuleError::new(field, "a code is digits only"));
    }
    let len = code.chars().count();
    let fits = match factor {
        Factor::SoftwareToken => len == CODE_DIGITS,
        Factor::Sms | Factor::Email => (CODE_DIGITS..=8).contains(&len),
    };
    if !fits {
        return Err(RuleError::new(
            field,
            match factor {
                Factor::SoftwareToken => {
                    format!("an authenticator's code has {CODE_DIGITS} digits")
                }
                _ => format!("the code has {CODE_DIGITS} to 8 digits"),
            },
        ));
    }
    Ok(())
}

/// The `otpauth://` URI an authenticator app scans for `secret` (RFC 4648 base32, as
/// AssociateSoftwareToken gives it): the username as the account, and the pool's name
/// as the issuer if given (it makes the URI, and so its QR code, longer). A `:` (which
/// the URI format reserves) in either becomes `_`.
pub fn otpauth_uri(
    secret: &str,
    username: &str,
    issuer: Option<&str>,
) -> Result<String, RuleError> {
    let bytes = totp_rs::Secret::try_from_base32(secret)
        .map_err(|_| RuleError::new("SecretCode", "is not a base32 secret"))?;
    let totp = totp_rs::Builder::new()
        .with_secret(bytes)
        .with_account_name(username.replace(':', "_"))
        .with_issuer(issuer.map(|i| i.replace(':', "_")))
        .build_noncompliant();
    totp.to_url()
        .map_err(|e| RuleError::new("SecretCode", e.to_string()))
}

#[cfg(test)]
mod tests;
