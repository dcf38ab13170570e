//! SetUserPoolMfaConfig and GetUserPoolMfaConfig: whether the pool's users must, may or
//! may not use MFA, and by which factors. Set replaces the whole configuration: a factor
//! block left out is a factor turned off (MFA-2). Refused as Cognito refuses: MFA on with
//! no factor, or off with one; SMS without a role to send it; email without Amazon SES,
//! or on the Lite tier (MFA-1, MFA-3).

use rusqlite::params;
use serde::Deserialize;
use serde_json::Value;

use super::Context;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::pools, wire};
use crate::pool::mfa::{EmailMfa, Enforcement, PoolMfa, check_pool, tier_refuses};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SmsBlock {
    #[serde(default)]
    sms_authentication_message: Option<String>,
    #[serde(default)]
    sms_configuration: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SoftwareTokenBlock {
    #[serde(default)]
    enabled: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SetInput {
    user_pool_id: String,
    #[serde(default)]
    mfa_configuration: Option<String>,
    #[serde(default)]
    sms_mfa_configuration: Option<SmsBlock>,
    #[serde(default)]
    software_token_mfa_configuration: Option<SoftwareTokenBlock>,
    #[serde(default)]
    email_mfa_configuration: Option<EmailMfa>,
    #[serde(default)]
    web_authn_configuration: Option<Value>,
}

pub fn set(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: SetInput = wire::input(body)?;
    let mfa = PoolMfa {
        // Left out, MFA is OFF (MFA-2).
        enforcement: input
            .mfa_configuration
            .as_deref()
            .and_then(Enforcement::from_wire)
            .unwrap_or_default(),
        sms: input.sms_mfa_configuration.is_some(),
        sms_message: input
            .sms_mfa_configuration
            .as_ref()
            .and_then(|s| s.sms_authentication_message.clone()),
        software_token: input
            .software_token_mfa_configuration
            .as_ref()
            .and_then(|t| t.enabled)
            == Some(true),
        email: input.email_mfa_configuration.clone(),
    };
    let sms_configuration = input
        .sms_mfa_configuration
        .as_ref()
        .and_then(|s| s.sms_configuration.clone());
    let now = wire::epoch(store.now());
    let answer = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let mut facts = pool.settings.mfa_facts();
        facts.sms_configuration |= sms_configuration.is_some();
        if let Some(e) = tier_refuses(&mfa, &facts) {
            return Err(ApiError::new(
                ErrorCode::FeatureUnavailableInTier,
                e.to_string(),
            ));
        }
        check_pool(&mfa, &facts)?;
        let mut settings = pool
            .settings
            .with_mfa(&mfa, input.web_authn_configuration.as_ref());
        if let Some(role) = &sms_configuration {
            settings.0.insert("SmsConfiguration".into(), role.clone());
        }
        tx.execute(
            "UPDATE user_pools SET settings = ?2, modified = ?3 WHERE id = ?1",
            params![pool.id, serde_json::to_string(&settings.0)?, now],
        )?;
        Ok(settings.mfa_config_json())
    })?;
    tracing::info!(pool_id = %input.user_pool_id, mfa = ?mfa.enforcement, "set the pool's MFA");
    Ok(answer)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetInput {
    user_pool_id: String,
}

pub fn get(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: GetInput = wire::input(body)?;
    store.read(|tx| {
        Ok(pools::load(tx, &input.user_pool_id)?
            .settings
            .mfa_config_json())
    })
}
