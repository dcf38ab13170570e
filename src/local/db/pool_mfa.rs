//! A pool's MFA as its settings keep it. `MfaConfiguration` is a member of the pool like
//! any other; which factors it offers (SetUserPoolMfaConfig's blocks) are kept beside
//! it under GetUserPoolMfaConfig's names, which no pool description carries. The SMS
//! block's message and role are the pool's own `SmsAuthenticationMessage` and
//! `SmsConfiguration`, so UpdateUserPool and SetUserPoolMfaConfig change the same ones.

use serde_json::{Map, Value, json};

use super::pool_settings::{MFA_MEMBERS, Settings};
use crate::local::wire::error::ApiError;
use crate::pool::mfa::{EmailMfa, Enforcement, PoolFacts, PoolMfa};

const SMS: &str = MFA_MEMBERS[0];
const SOFTWARE_TOKEN: &str = MFA_MEMBERS[1];
const EMAIL: &str = MFA_MEMBERS[2];
const WEBAUTHN: &str = MFA_MEMBERS[3];

impl Settings {
    pub fn enforcement(&self) -> Enforcement {
        self.0
            .get("MfaConfiguration")
            .and_then(Value::as_str)
            .and_then(Enforcement::from_wire)
            .unwrap_or_default()
    }

    /// The pool's MFA.
    pub fn pool_mfa(&self) -> PoolMfa {
        PoolMfa {
            enforcement: self.enforcement(),
            sms: self.0.contains_key(SMS),
            sms_message: self
                .0
                .get("SmsAuthenticationMessage")
                .and_then(Value::as_str)
                .map(str::to_string),
            software_token: self
                .0
                .get(SOFTWARE_TOKEN)
                .and_then(|t| t.get("Enabled"))
                .and_then(Value::as_bool)
                == Some(true),
            email: self
                .0
                .get(EMAIL)
                .and_then(|e| serde_json::from_value::<EmailMfa>(e.clone()).ok()),
        }
    }

    /// What the rest of the pool allows its MFA.
    pub fn mfa_facts(&self) -> PoolFacts {
        PoolFacts {
            sms_configuration: self.0.contains_key("SmsConfiguration"),
            email_by_ses: self
                .0
                .get("EmailConfiguration")
                .and_then(|c| c.get("EmailSendingAccount"))
                .and_then(Value::as_str)
                == Some("DEVELOPER"),
            lite_tier: self.0.get("UserPoolTier").and_then(Value::as_str) == Some("LITE"),
        }
    }

    /// The pool with `mfa` in force: what SetUserPoolMfaConfig sets, every block at
    /// once (a block left out is a factor turned off).
    pub fn with_mfa(&self, mfa: &PoolMfa, webauthn: Option<&Value>) -> Self {
        let mut s = self.clone();
        s.0.insert("MfaConfiguration".into(), json!(mfa.enforcement.as_wire()));
        for member in MFA_MEMBERS {
            s.0.remove(member);
        }
        if mfa.sms {
            s.0.insert(SMS.into(), json!({}));
            match &mfa.sms_message {
                Some(m) => s.0.insert("SmsAuthenticationMessage".into(), json!(m)),
                None => s.0.remove("SmsAuthenticationMessage"),
            };
        }
        if mfa.software_token {
            s.0.insert(SOFTWARE_TOKEN.into(), json!({ "Enabled": true }));
        }
        if let Some(email) = &mfa.email {
            s.0.insert(EMAIL.into(), json!(email));
        }
        if let Some(webauthn) = webauthn {
            s.0.insert(WEBAUTHN.into(), webauthn.clone());
        }
        s
    }

    /// GetUserPoolMfaConfig's answer.
    pub fn mfa_config_json(&self) -> Value {
        let mfa = self.pool_mfa();
        let mut out = Map::new();
        out.insert("MfaConfiguration".into(), json!(mfa.enforcement.as_wire()));
        if mfa.sms {
            let mut sms = Map::new();
            for (from, to) in [
                ("SmsAuthenticationMessage", "SmsAuthenticationMessage"),
                ("SmsConfiguration", "SmsConfiguration"),
            ] {
                if let Some(v) = self.0.get(from) {
                    sms.insert(to.into(), v.clone());
                }
            }
            out.insert(SMS.into(), Value::Object(sms));
        }
        if mfa.software_token {
            out.insert(SOFTWARE_TOKEN.into(), json!({ "Enabled": true }));
        }
        if let Some(email) = &mfa.email {
            out.insert(EMAIL.into(), json!(email));
        }
        if let Some(webauthn) = self.0.get(WEBAUTHN) {
            out.insert(WEBAUTHN.into(), webauthn.clone());
        }
        Value::Object(out)
    }
}

/// CreateUserPool: "The CreateUserPool operation supports only SMS MFA configuration": a
/// pool made with MFA on offers SMS (POOL-3 checks its SmsConfiguration).
pub fn at_create(settings: &mut Settings) {
    if settings.enforcement() != Enforcement::Off {
        settings.0.insert(SMS.into(), json!({}));
    }
}

/// UpdateUserPool's MFA (MFA-14): MFA cannot be turned ON once a pool exists ("Cannot
/// turn MFA functionality ON, once the user pool has been created."); OFF, sent or left
/// out, turns every factor off; OPTIONAL from OFF turns SMS MFA on, which needs an
/// SmsConfiguration; a pool that keeps MFA keeps its factors.
pub fn after_update(before: &Settings, after: &mut Settings) -> Result<(), ApiError> {
    let (was, now) = (before.enforcement(), after.enforcement());
    if now == Enforcement::Required && was != Enforcement::Required {
        return Err(ApiError::invalid(
            "Cannot turn MFA functionality ON, once the user pool has been created.",
        ));
    }
    match now {
        Enforcement::Off => {
            for member in [SMS, SOFTWARE_TOKEN, EMAIL] {
                after.0.remove(member);
            }
        }
        _ if was == Enforcement::Off => {
            if !after.0.contains_key("SmsConfiguration") {
                return Err(ApiError::invalid(
                    "SMS configuration and Auto verification for phone_number are required when MFA is required/optional",
                ));
            }
            after.0.insert(SMS.into(), json!({}));
        }
        _ => {}
    }
    if after.0.contains_key(SMS) && !after.0.contains_key("SmsConfiguration") {
        return Err(ApiError::invalid(
            "SmsConfiguration: the pool's SMS MFA needs it; send it back, or turn SMS MFA off first",
        ));
    }
    Ok(())
}
