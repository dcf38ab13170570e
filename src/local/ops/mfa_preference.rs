//! SetUserMFAPreference (the user, with their access token) and
//! AdminSetUserMFAPreference: which of a user's factors are on, and which one they
//! prefer. Blocks left out change nothing; the rules are `pool::mfa::set_preference`'s
//! (MFA-8 to MFA-11). SetUserSettings and AdminSetUserSettings are the legacy way, for
//! SMS MFA only (`MFAOptions`).

use rusqlite::Transaction;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{
    Store, db::mfa, db::pools, db::users, sign_in::access, sign_in::mfa as sign_in_mfa, wire,
};
use crate::pool::UserStatus;
use crate::pool::mfa::{Factor, FactorSetting, PreferenceRequest, set_preference};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    user_pool_id: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(rename = "SMSMfaSettings", default)]
    sms: Option<FactorSetting>,
    #[serde(rename = "SoftwareTokenMfaSettings", default)]
    software_token: Option<FactorSetting>,
    #[serde(rename = "EmailMfaSettings", default)]
    email: Option<FactorSetting>,
    #[serde(rename = "WebAuthnMfaSettings", default)]
    webauthn: Option<FactorSetting>,
}

impl Input {
    fn request(&self) -> Result<PreferenceRequest, ApiError> {
        if self.webauthn.and_then(|w| w.enabled) == Some(true) {
            return Err(ApiError::invalid(
                "WebAuthnMfaSettings: passkeys are not configured for this user pool",
            ));
        }
        Ok(PreferenceRequest {
            blocks: [
                (Factor::Sms, self.sms),
                (Factor::SoftwareToken, self.software_token),
                (Factor::Email, self.email),
            ]
            .into_iter()
            .filter_map(|(f, s)| s.map(|s| (f, s)))
            .collect(),
        })
    }
}

fn apply(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    key: &str,
    user: &UserRecord,
    request: &PreferenceRequest,
) -> Result<(), ApiError> {
    match user.status {
        UserStatus::ResetRequired => {
            return Err(ApiError::new(
                ErrorCode::PasswordResetRequired,
                "Password reset required for the user",
            ));
        }
        UserStatus::Unconfirmed => {
            return Err(ApiError::new(
                ErrorCode::UserNotConfirmed,
                "User is not confirmed.",
            ));
        }
        _ => {}
    }
    let row = mfa::get(tx, &pool.id, key)?;
    let after = set_preference(
        &row.mfa,
        request,
        &pool.settings.pool_mfa(),
        sign_in_mfa::reach(&row, user),
    )?;
    mfa::set_factors(tx, &pool.id, key, &after)
}

/// SetUserMFAPreference.
pub fn set(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let token = input
        .access_token
        .clone()
        .ok_or_else(|| ApiError::invalid("Missing required parameter AccessToken"))?;
    let request = input.request()?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let (access, key, user) = access::holder(tx, &token, now)?;
        let pool = pools::load(tx, &access.pool_id)?;
        apply(tx, &pool, &key, &user, &request)
    })?;
    Ok(json!({}))
}

/// AdminSetUserMFAPreference.
pub fn admin_set(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let (Some(pool_id), Some(username)) = (input.user_pool_id.clone(), input.username.clone())
    else {
        return Err(ApiError::invalid(
            "Missing required parameter UserPoolId or Username",
        ));
    };
    let request = input.request()?;
    store.write(|tx| {
        let pool = pools::load(tx, &pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &username)?;
        let user = users::get(tx, &pool.id, &key)?;
        apply(tx, &pool, &key, &user, &request)
    })?;
    tracing::info!(pool_id = %pool_id, "set a user's MFA preference");
    Ok(json!({}))
}

/// `MFAOptions`: the legacy way to turn SMS MFA on or off ("You can use it to configure
/// only SMS MFA"): an SMS option to phone_number turns it on, none turns it off.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SettingsInput {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    user_pool_id: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(rename = "MFAOptions")]
    mfa_options: Vec<MfaOption>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MfaOption {
    #[serde(default)]
    delivery_medium: Option<String>,
    #[serde(default)]
    attribute_name: Option<String>,
}

impl SettingsInput {
    fn request(&self) -> Result<PreferenceRequest, ApiError> {
        let mut sms = false;
        for option in &self.mfa_options {
            match (
                option.delivery_medium.as_deref(),
                option.attribute_name.as_deref(),
            ) {
                (Some("SMS"), Some("phone_number") | None) => sms = true,
                _ => {
                    return Err(ApiError::invalid(
                        "MFAOptions: only SMS to phone_number can be set here; SetUserMFAPreference sets the other methods",
                    ));
                }
            }
        }
        Ok(PreferenceRequest {
            blocks: vec![(
                Factor::Sms,
                FactorSetting {
                    enabled: Some(sms),
                    preferred_mfa: None,
                },
            )],
        })
    }
}

/// SetUserSettings: the user turns SMS MFA on or off with their access token.
pub fn settings(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: SettingsInput = wire::input(body)?;
    let token = input
        .access_token
        .clone()
        .ok_or_else(|| ApiError::invalid("Missing required parameter AccessToken"))?;
    let request = input.request()?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let (access, key, user) = access::holder(tx, &token, now)?;
        let pool = pools::load(tx, &access.pool_id)?;
        apply(tx, &pool, &key, &user, &request)
    })?;
    Ok(json!({}))
}

/// AdminSetUserSettings: the same, for an administrator.
pub fn admin_settings(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: SettingsInput = wire::input(body)?;
    let (Some(pool_id), Some(username)) = (input.user_pool_id.clone(), input.username.clone())
    else {
        return Err(ApiError::invalid(
            "Missing required parameter UserPoolId or Username",
        ));
    };
    let request = input.request()?;
    store.write(|tx| {
        let pool = pools::load(tx, &pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &username)?;
        let user = users::get(tx, &pool.id, &key)?;
        apply(tx, &pool, &key, &user, &request)
    })?;
    tracing::info!(pool_id = %pool_id, "set a user's SMS MFA (MFAOptions)");
    Ok(json!({}))
}
