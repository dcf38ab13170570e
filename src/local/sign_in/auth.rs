//! Sign-in: InitiateAuth and AdminInitiateAuth, and the answers to their challenges
//! (RespondToAuthChallenge, AdminRespondToAuthChallenge). Both pairs share this code;
//! the admin operations only add the pool id and the admin-only password flows.
//!
//! A password is never stored or compared as such: password flows recompute the SRP
//! verifier with the user's salt and compare it in constant time; USER_SRP_AUTH runs
//! the SRP handshake (`srp_sign_in`, `srp`). Wrong passwords are counted: from the fifth in a row the
//! user is locked out for a time that doubles with each failure (see
//! [`crate::pool::password::lockout_seconds`]).

use std::collections::HashMap;

use aws_lc_rs::constant_time::verify_slices_are_equal;
use rusqlite::Transaction;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::local::db::app_clients::{self, ClientRow};
use crate::local::db::pools::{self, PoolRow};
use crate::local::db::users::{self, UserRecord};
use crate::local::sign_in::sessions::new_session;
use crate::local::sign_in::tokens::{self, random_token};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, sign_in::decoy, sign_in::srp, sign_in::srp_sign_in, wire};
use crate::pool::{Attribute, Secret, UserStatus, app_client};

/// Every `AuthFlowType`.
const AUTH_FLOWS: [&str; 8] = [
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InitiateInput {
    auth_flow: String,
    client_id: String,
    #[serde(default)]
    auth_parameters: HashMap<String, String>,
    #[serde(default)]
    user_pool_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RespondInput {
    challenge_name: String,
    client_id: String,
    #[serde(default)]
    challenge_responses: HashMap<String, String>,
    #[serde(default)]
    session: Option<String>,
    #[serde(default)]
    user_pool_id: Option<String>,
}

/// Which operation is asking: the admin ones name the pool and may use the admin flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    User,
    Admin,
}

pub(super) fn wrong_password() -> ApiError {
    ApiError::not_authorized("Incorrect username or password.")
}

pub(super) fn required<'a>(
    map: &'a HashMap<String, String>,
    name: &str,
) -> Result<&'a str, ApiError> {
    map.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::invalid(format!("Missing required parameter {name}")))
}

pub(in crate::local) fn client_and_pool(
    tx: &Transaction<'_>,
    caller: Caller,
    pool_id: Option<&str>,
    client_id: &str,
) -> Result<(ClientRow, PoolRow), ApiError> {
    match caller {
        Caller::Admin => {
            let pool_id = pool_id
                .ok_or_else(|| ApiError::invalid("Missing required parameter UserPoolId"))?;
            let pool = pools::load(tx, pool_id)?;
            Ok((app_clients::load(tx, &pool.id, client_id)?, pool))
        }
        Caller::User => {
            let client = app_clients::load_by_id(tx, client_id)?;
            let pool = pools::load(tx, &client.pool_id)?;
            Ok((client, pool))
        }
    }
}

/// SECRET_HASH, when the client has a secret.
pub(in crate::local) fn check_secret_hash(
    client: &ClientRow,
    usernames: &[&str],
    given: Option<&String>,
) -> Result<(), ApiError> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let id = &client.client_id;
    let Some(given) = given else {
        return Err(ApiError::not_authorized(format!(
            "Client {id} is configured for secret but secret was not received"
        )));
    };
    if usernames
        .iter()
        .any(|u| app_client::secret_hash_matches(secret, u, id, given))
    {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {id}"
        )))
    }
}

/// The user a sign-in names: by username, by a username attribute, or by a verified alias.
pub(super) fn find_user(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    client: &ClientRow,
    username: &str,
) -> Result<(String, UserRecord), ApiError> {
    lookup(tx, pool, client, username)?.ok_or_else(wrong_password)
}

/// As [`find_user`], but a user who does not exist is None where the client hides
/// whether users exist (the caller then does a decoy's work), and UserNotFound elsewhere.
pub(super) fn lookup(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    client: &ClientRow,
    username: &str,
) -> Result<Option<(String, UserRecord)>, ApiError> {
    let key = users::resolve(tx, &pool.id, &pool.settings, username)?;
    let Some(key) = key else {
        return if client.hides_user_existence() {
            Ok(None)
        } else {
            Err(ApiError::user_not_found())
        };
    };
    let user = users::get(tx, &pool.id, &key)?;
    Ok(Some((key, user)))
}

/// A disabled or locked-out user gets no further, nor does one whose password an
/// administrator reset: they must set a new one with the code they were sent.
pub(super) fn may_try(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    user: &UserRecord,
    now: f64,
) -> Result<(), ApiError> {
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    if user.status == UserStatus::ResetRequired {
        return Err(ApiError::new(
            ErrorCode::PasswordResetRequired,
            "Password reset required for the user",
        ));
    }
    if users::locked_until(tx, pool_id, key)?.is_some_and(|until| until > now) {
        return Err(ApiError::not_authorized("Password attempts exceeded"));
    }
    Ok(())
}

/// The password was right: the temporary one must still be valid, and a user who never
/// chose a password must choose one now. Everyone else gets tokens.
fn signed_in(
    tx: &Transaction<'_>,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    user: &UserRecord,
    now: f64,
) -> Result<Result<Value, ApiError>, ApiError> {
    if user.status == UserStatus::Unconfirmed {
        users::record_sign_in(tx, &pool.id, key)?;
        return Ok(Err(ApiError::new(
            ErrorCode::UserNotConfirmed,
            "User is not confirmed.",
        )));
    }
    if user.status == UserStatus::ForceChangePassword {
        if user.temporary_password_expires.is_some_and(|t| t < now) {
            return Ok(Err(ApiError::not_authorized(
                "Temporary password has expired and must be reset by an administrator.",
            )));
        }
        users::record_sign_in(tx, &pool.id, key)?;
        let session = random_token(128);
        new_session(
            tx,
            client,
            key,
            "NEW_PASSWORD_REQUIRED",
            None,
            &session,
            now,
        )?;
        let current: Map<String, Value> = user
            .attributes
            .iter()
            .map(|a| (a.name.clone(), json!(a.value)))
            .collect();
        let missing: Vec<String> = missing_required(pool, &user.attributes)
            .into_iter()
            .map(|name| format!("userAttributes.{name}"))
            .collect();
        return Ok(Ok(json!({
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": session,
            "ChallengeParameters": {
                "USER_ID_FOR_SRP": user.username,
                "requiredAttributes": serde_json::to_string(&missing)?,
                "userAttributes": serde_json::to_string(&current)?,
            },
        })));
    }
    users::record_sign_in(tx, &pool.id, key)?;
    let issued = tokens::issue(tx, client, user, now as i64, now, None)?;
    Ok(Ok(issued.response()))
}

/// After a password check: a wrong one is counted (and committed, the error returned
/// after), a right one signs the user in.
pub(super) fn password_checked(
    tx: &Transaction<'_>,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    user: &UserRecord,
    right: bool,
    now: f64,
) -> Result<Result<Value, ApiError>, ApiError> {
    if !right {
        users::record_failed_sign_in(tx, &pool.id, key, now)?;
        return Ok(Err(wrong_password()));
    }
    signed_in(tx, client, pool, key, user, now)
}

/// Required attributes of the pool the user does not have (or has empty).
pub(super) fn missing_required(pool: &PoolRow, attributes: &[Attribute]) -> Vec<String> {
    pool.settings
        .required_attributes()
        .into_iter()
        .filter(|name| name != "sub")
        .filter(|name| {
            !attributes
                .iter()
                .any(|a| &a.name == name && !a.value.is_empty())
        })
        .collect()
}

pub fn initiate(store: &Store, body: &Value, caller: Caller) -> Result<Value, ApiError> {
    let input: InitiateInput = wire::input(body)?;
    let flow = input.auth_flow.as_str();
    if !AUTH_FLOWS.contains(&flow) {
        return Err(ApiError::invalid(format!(
            "1 validation error detected: Value '{flow}' at 'authFlow' failed to satisfy constraint: \
             Member must satisfy enum value set: [{}]",
            AUTH_FLOWS.join(", ")
        )));
    }
    let admin_only = matches!(flow, "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH");
    let user_only = flow == "USER_PASSWORD_AUTH";
    if (caller == Caller::User && admin_only) || (caller == Caller::Admin && user_only) {
        return Err(ApiError::invalid("Initiate Auth method not supported."));
    }
    let (client, pool) = store
        .read(|tx| client_and_pool(tx, caller, input.user_pool_id.as_deref(), &input.client_id))?;
    if !app_client::allows(&client.auth_flows(), flow) {
        return Err(ApiError::invalid(format!(
            "{flow} flow not enabled for this client"
        )));
    }
    let now = wire::epoch(store.now());
    let params = &input.auth_parameters;
    match flow {
        "USER_SRP_AUTH" => srp_sign_in::start(store, &client, &pool, params, now),
        "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            password_sign_in(store, &client, &pool, params, now)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => refresh(store, &client, &pool, params, now),
        _ => Err(ApiError::invalid(format!(
            "{flow} runs Lambda triggers or passwordless factors, which the local store does not have"
        ))),
    }
}

fn password_sign_in(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    params: &HashMap<String, String>,
    now: f64,
) -> Result<Value, ApiError> {
    let username = required(params, "USERNAME")?;
    check_secret_hash(client, &[username], params.get("SECRET_HASH"))?;
    let password = Secret::new(required(params, "PASSWORD")?);
    // The verifier (a 3072-bit power) is computed outside the write lock, from the salt
    // read here; the write below compares it with what is stored then.
    let found = store.read(|tx| {
        Ok(match lookup(tx, pool, client, username)? {
            Some((key, user)) => Some((user, users::verifier(tx, &pool.id, &key)?)),
            None => None,
        })
    })?;
    let Some((user, stored)) = found else {
        // No such user, and the client hides it: the same work as a wrong password.
        let (salt, _) = store.write(|tx| decoy::salt_and_verifier(tx, pool, username, now))?;
        let _ = srp::verifier_for(&pool.id, username, &password, &salt);
        return Err(wrong_password());
    };
    let computed = srp::verifier_for(&pool.id, &user.username, &password, &stored.salt);
    store.write(|tx| {
        let (key, user) = find_user(tx, pool, client, username)?;
        may_try(tx, &pool.id, &key, &user, now)?;
        let current = users::verifier(tx, &pool.id, &key)?;
        let matches = current.salt == stored.salt
            && verify_slices_are_equal(&current.verifier, &computed).is_ok();
        password_checked(tx, client, pool, &key, &user, matches, now)
    })?
}

fn refresh(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    params: &HashMap<String, String>,
    now: f64,
) -> Result<Value, ApiError> {
    let token = required(params, "REFRESH_TOKEN")?;
    let invalid = || ApiError::not_authorized("Invalid Refresh Token");
    store.write(|tx| {
        let (sub, auth_time, origin) = match tokens::redeem_refresh(tx, client, token, now)? {
            tokens::Refresh::Live {
                sub,
                auth_time,
                origin_jti,
            } => (sub, auth_time, origin_jti),
            tokens::Refresh::Revoked => {
                return Err(ApiError::not_authorized("Refresh Token has been revoked"));
            }
            tokens::Refresh::Invalid => return Err(invalid()),
        };
        let key = users::key_by_sub(tx, &pool.id, &sub)?.ok_or_else(invalid)?;
        let user = users::get(tx, &pool.id, &key)?;
        let named = params.get("USERNAME").map(String::as_str).unwrap_or("");
        check_secret_hash(
            client,
            &[named, user.username.as_str(), user.sub.as_str()],
            params.get("SECRET_HASH"),
        )?;
        if !user.enabled {
            return Err(ApiError::not_authorized("User is disabled."));
        }
        let issued = tokens::issue(tx, client, &user, auth_time, now, Some(&origin))?;
        Ok(issued.response())
    })
}

pub fn respond(store: &Store, body: &Value, caller: Caller) -> Result<Value, ApiError> {
    let input: RespondInput = wire::input(body)?;
    let (client, pool) = store
        .read(|tx| client_and_pool(tx, caller, input.user_pool_id.as_deref(), &input.client_id))?;
    let now = wire::epoch(store.now());
    let responses = &input.challenge_responses;
    match input.challenge_name.as_str() {
        "PASSWORD_VERIFIER" => srp_sign_in::verify(store, &client, &pool, responses, now),
        "NEW_PASSWORD_REQUIRED" => {
            let session = input
                .session
                .as_deref()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| ApiError::invalid("Missing required parameter Session"))?;
            crate::local::sign_in::new_password::respond(
                store, &client, &pool, responses, session, now,
            )
        }
        other => Err(ApiError::invalid(format!(
            "The local store answers PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED, not {other}"
        ))),
    }
}
