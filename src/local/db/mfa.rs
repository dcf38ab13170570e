//! Each user's MFA row: the factors they turned on, the one they prefer, and their
//! authenticator app's secret (verified, and a new one waiting to be). A user without a
//! row has no MFA.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::local::wire::error::ApiError;
use crate::pool::Secret;
use crate::pool::mfa::{Factor, UserMfa};

/// A user's verified authenticator.
#[derive(Debug, Clone)]
pub struct Token {
    pub secret: Secret,
    /// `FriendlyDeviceName`, if one was given.
    pub device: Option<String>,
    /// The last time step a code was taken for.
    pub last_step: Option<u64>,
}

/// Everything stored of a user's MFA.
#[derive(Debug, Clone, Default)]
pub struct MfaRow {
    pub mfa: UserMfa,
    pub token: Option<Token>,
    /// A secret given by AssociateSoftwareToken, not verified yet.
    pub pending: Option<Secret>,
}

pub fn get(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<MfaRow, ApiError> {
    let row = tx
        .prepare_cached(
            "SELECT sms, software_token, email, preferred, token_secret, token_device,
                    token_last_step, pending_secret
             FROM user_mfa WHERE pool_id = ?1 AND username_key = ?2",
        )?
        .query_row(params![pool_id, key], |r| {
            let on = [r.get::<_, bool>(0)?, r.get(1)?, r.get(2)?];
            let preferred: Option<String> = r.get(3)?;
            let secret: Option<String> = r.get(4)?;
            let last_step: Option<i64> = r.get(6)?;
            let device: Option<String> = r.get(5)?;
            let pending: Option<String> = r.get(7)?;
            Ok(MfaRow {
                mfa: UserMfa {
                    enabled: Factor::ALL
                        .into_iter()
                        .zip(on)
                        .filter_map(|(f, on)| on.then_some(f))
                        .collect(),
                    preferred: preferred.as_deref().and_then(Factor::from_challenge),
                },
                token: secret.map(|s| Token {
                    secret: Secret::new(s),
                    device,
                    last_step: last_step.and_then(|n| u64::try_from(n).ok()),
                }),
                pending: pending.map(Secret::new),
            })
        })
        .optional()?;
    Ok(row.unwrap_or_default())
}

fn ensure_row(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<(), ApiError> {
    tx.prepare_cached("INSERT OR IGNORE INTO user_mfa (pool_id, username_key) VALUES (?1, ?2)")?
        .execute(params![pool_id, key])?;
    Ok(())
}

/// The factors turned on and the preferred one.
pub fn set_factors(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    mfa: &UserMfa,
) -> Result<(), ApiError> {
    ensure_row(tx, pool_id, key)?;
    tx.prepare_cached(
        "UPDATE user_mfa SET sms = ?3, software_token = ?4, email = ?5, preferred = ?6
         WHERE pool_id = ?1 AND username_key = ?2",
    )?
    .execute(params![
        pool_id,
        key,
        mfa.has(Factor::Sms),
        mfa.has(Factor::SoftwareToken),
        mfa.has(Factor::Email),
        mfa.preferred.map(Factor::challenge),
    ])?;
    Ok(())
}

/// A new secret waiting to be verified; an earlier unverified one stops counting.
pub fn set_pending(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    secret: &Secret,
) -> Result<(), ApiError> {
    ensure_row(tx, pool_id, key)?;
    tx.prepare_cached(
        "UPDATE user_mfa SET pending_secret = ?3 WHERE pool_id = ?1 AND username_key = ?2",
    )?
    .execute(params![pool_id, key, secret.expose()])?;
    Ok(())
}

/// The pending secret, verified with a code of `step`, becomes the user's authenticator
/// (replacing any earlier one).
pub fn verify_pending(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    device: Option<&str>,
    step: u64,
) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE user_mfa SET token_secret = pending_secret, pending_secret = NULL,
            token_device = ?3, token_last_step = ?4
         WHERE pool_id = ?1 AND username_key = ?2 AND pending_secret IS NOT NULL",
    )?
    .execute(params![pool_id, key, device, step_value(step)])?;
    Ok(())
}

/// A code of `step` was taken: no code of that step or an earlier one is taken again.
pub fn take_step(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    step: u64,
) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE user_mfa SET token_last_step = ?3 WHERE pool_id = ?1 AND username_key = ?2",
    )?
    .execute(params![pool_id, key, step_value(step)])?;
    Ok(())
}

/// Removes the user's authenticator (and a secret waiting to be verified).
pub fn delete_token(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE user_mfa SET token_secret = NULL, token_device = NULL, token_last_step = NULL,
            pending_secret = NULL
         WHERE pool_id = ?1 AND username_key = ?2",
    )?
    .execute(params![pool_id, key])?;
    Ok(())
}

fn step_value(step: u64) -> i64 {
    i64::try_from(step).unwrap_or(i64::MAX)
}
