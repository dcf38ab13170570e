//! What a right or wrong password leads to, whichever flow checked it: a wrong one is
//! counted toward the lockout; a right one ends in the challenge the user still owes
//! (NEW_PASSWORD_REQUIRED for a temporary password, then MFA's, see `mfa`) or in
//! tokens.

use rusqlite::Transaction;
use serde_json::{Map, Value, json};

use super::checks::wrong_password;
use crate::local::db::app_clients::ClientRow;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::{self, UserRecord};
use crate::local::sign_in::issue::{Occasion, Step};
use crate::local::sign_in::sessions::new_session;
use crate::local::sign_in::tokens::random_token;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::{Attribute, UserStatus};

/// The password was right: the temporary one must still be valid, and a user who never
/// chose a password must choose one now. Everyone else goes on to MFA, or gets tokens.
fn signed_in(
    tx: &Transaction<'_>,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    user: &UserRecord,
    now: f64,
) -> Result<Result<Step, ApiError>, ApiError> {
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
        return Ok(Ok(Step::Answer(json!({
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": session,
            "ChallengeParameters": {
                "USER_ID_FOR_SRP": user.username,
                "requiredAttributes": serde_json::to_string(&missing)?,
                "userAttributes": serde_json::to_string(&current)?,
            },
        }))));
    }
    super::mfa::next(tx, client, pool, key, user, Occasion::Authentication, now).map(Ok)
}

/// After a password check: a wrong one is counted (and committed, the error returned
/// after), a right one signs the user in.
pub(in crate::local) fn password_checked(
    tx: &Transaction<'_>,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    user: &UserRecord,
    right: bool,
    now: f64,
) -> Result<Result<Step, ApiError>, ApiError> {
    if !right {
        users::record_failed_sign_in(tx, &pool.id, key, now)?;
        return Ok(Err(wrong_password()));
    }
    signed_in(tx, client, pool, key, user, now)
}

/// Required attributes of the pool the user does not have (or has empty).
pub(in crate::local) fn missing_required(pool: &PoolRow, attributes: &[Attribute]) -> Vec<String> {
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
