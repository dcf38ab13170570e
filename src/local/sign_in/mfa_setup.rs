//! Setting up an authenticator app: AssociateSoftwareToken gives a new secret and
//! VerifySoftwareToken takes a code of it, either for a signed-in user (their access
//! token) or inside a sign-in that must set MFA up (the MFA_SETUP challenge's session).
//! The secret is shown once, kept only in the store, and never logged; a verified new
//! one replaces the old, which works until then.

use rusqlite::Transaction;
use serde::Deserialize;
use serde_json::{Value, json};

use super::mfa::{SETUP_ASSOCIATED, SETUP_VERIFIED};
use super::sessions::{self, Session, new_session, peek_any_client, take_any_client};
use super::tokens::random_token;
use super::{access, totp};
use crate::local::db::{app_clients, mfa, pools};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, wire};

/// Who asks: a signed-in user, or a sign-in in progress.
enum Caller {
    Token(String),
    Session(String),
}

fn caller(access_token: Option<String>, session: Option<String>) -> Result<Caller, ApiError> {
    match (access_token, session) {
        (Some(token), None) => Ok(Caller::Token(token)),
        (None, Some(session)) => Ok(Caller::Session(session)),
        _ => Err(ApiError::invalid(
            "Give either an AccessToken or a Session, not both and not neither.",
        )),
    }
}

/// The pool must offer software tokens to set one up (MFA-16).
fn offered(tx: &Transaction<'_>, pool_id: &str) -> Result<(), ApiError> {
    if pools::load(tx, pool_id)?.settings.pool_mfa().software_token {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::SoftwareTokenMfaNotFound,
            "Software Token MFA has not been enabled by the userPool",
        ))
    }
}

/// A new session of the same sign-in, for its next step.
fn next_session(
    tx: &Transaction<'_>,
    open: &Session,
    step: &str,
    now: f64,
) -> Result<String, ApiError> {
    let client = app_clients::load(tx, &open.pool_id, &open.client_id)?;
    let token = random_token(128);
    new_session(tx, &client, &open.username_key, step, None, &token, now)?;
    Ok(token)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AssociateInput {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    session: Option<String>,
}

/// AssociateSoftwareToken: a new secret, waiting to be verified.
pub fn associate(store: &Store, body: &Value) -> Result<Value, ApiError> {
    let input: AssociateInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    let secret = totp::new_secret();
    store.write(
        |tx| match caller(input.access_token.clone(), input.session.clone())? {
            Caller::Token(token) => {
                let (access, key, _) = access::holder(tx, &token, now)?;
                offered(tx, &access.pool_id)?;
                mfa::set_pending(tx, &access.pool_id, &key, &secret)?;
                Ok(json!({ "SecretCode": secret.expose() }))
            }
            Caller::Session(session) => {
                let open = peek_any_client(tx, &session, "MFA_SETUP", now)?;
                offered(tx, &open.pool_id)?;
                let open = take_any_client(tx, &session, "MFA_SETUP", now)?;
                mfa::set_pending(tx, &open.pool_id, &open.username_key, &secret)?;
                let next = next_session(tx, &open, SETUP_ASSOCIATED, now)?;
                Ok(json!({ "SecretCode": secret.expose(), "Session": next }))
            }
        },
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VerifyInput {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    session: Option<String>,
    user_code: String,
    #[serde(default)]
    friendly_device_name: Option<String>,
}

/// VerifySoftwareToken: a code of the waiting secret makes it the user's authenticator.
/// A wrong one is EnableSoftwareTokenMFAException, and may be tried again.
pub fn verify(store: &Store, body: &Value) -> Result<Value, ApiError> {
    let input: VerifyInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    let device = input
        .friendly_device_name
        .as_deref()
        .filter(|d| !d.is_empty());
    store.write(
        |tx| match caller(input.access_token.clone(), input.session.clone())? {
            Caller::Token(token) => {
                let (access, key, _) = access::holder(tx, &token, now)?;
                take_code(tx, &access.pool_id, &key, &input.user_code, device, now)?;
                Ok(json!({ "Status": "SUCCESS" }))
            }
            Caller::Session(session) => {
                let open = peek_any_client(tx, &session, SETUP_ASSOCIATED, now)?;
                take_code(
                    tx,
                    &open.pool_id,
                    &open.username_key,
                    &input.user_code,
                    device,
                    now,
                )?;
                sessions::end(tx, &session)?;
                let next = next_session(tx, &open, SETUP_VERIFIED, now)?;
                Ok(json!({ "Status": "SUCCESS", "Session": next }))
            }
        },
    )
}

/// Checks `code` against the user's waiting secret and, if right, makes it theirs.
fn take_code(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    code: &str,
    device: Option<&str>,
    now: f64,
) -> Result<(), ApiError> {
    let Some(pending) = mfa::get(tx, pool_id, key)?.pending else {
        return Err(ApiError::new(
            ErrorCode::SoftwareTokenMfaNotFound,
            "Software Token MFA has not been associated with the user: call AssociateSoftwareToken first.",
        ));
    };
    let step = totp::matched_step(&pending, code, now).ok_or_else(|| {
        ApiError::new(
            ErrorCode::EnableSoftwareTokenMfa,
            "Code mismatch and fail enable Software Token MFA",
        )
    })?;
    mfa::verify_pending(tx, pool_id, key, device, step)
}
