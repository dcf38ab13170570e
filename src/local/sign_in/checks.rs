//! What every sign-in flow checks before it looks at a password or a code: the app
//! client and pool the request names (and who may name them), the client's SECRET_HASH,
//! the user (or none, where the client hides whether users exist), and whether they may
//! try now (enabled, not reset, not locked out).

use std::collections::HashMap;

use rusqlite::Transaction;

use crate::local::db::app_clients::{self, ClientRow};
use crate::local::db::pools::{self, PoolRow};
use crate::local::db::users::{self, UserRecord};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::{UserStatus, app_client};

/// Which operation is asking: the admin ones name the pool and may use the admin flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    User,
    Admin,
}

pub(in crate::local) fn wrong_password() -> ApiError {
    ApiError::not_authorized("Incorrect username or password.")
}

pub(in crate::local) fn required<'a>(
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
    if client.secrets.is_empty() {
        return Ok(());
    }
    let id = &client.client_id;
    let Some(given) = given else {
        return Err(ApiError::not_authorized(format!(
            "Client {id} is configured for secret but secret was not received"
        )));
    };
    let matches = client.secrets.iter().fold(false, |found, secret| {
        usernames.iter().fold(found, |found, u| {
            found | app_client::secret_hash_matches(secret.value.expose(), u, id, given)
        })
    });
    if matches {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {id}"
        )))
    }
}

/// The user a sign-in names: by username, by a username attribute, or by a verified alias.
pub(in crate::local) fn find_user(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    client: &ClientRow,
    username: &str,
) -> Result<(String, UserRecord), ApiError> {
    lookup(tx, pool, client, username)?.ok_or_else(wrong_password)
}

/// As [`find_user`], but a user who does not exist is None where the client hides
/// whether users exist (the caller then does a decoy's work), and UserNotFound elsewhere.
pub(in crate::local) fn lookup(
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
pub(in crate::local) fn may_try(
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
