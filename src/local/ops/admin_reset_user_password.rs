//! AdminResetUserPassword: the user's password stops working and they are
//! RESET_REQUIRED; signing in answers PasswordResetRequiredException until they set a
//! new password with the code they are sent (ConfirmForgotPassword; the message is
//! CustomMessage_ForgotPassword's if the pool's function writes it). As in Cognito it
//! needs an enabled, CONFIRMED user (a RESET_REQUIRED one gets a fresh code) with a
//! verified address the pool's account recovery may use.

use serde_json::{Value, json};

use super::{Context, UserRef};
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::mail::delivery::Destination;
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::triggers::custom_message;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, db::users, wire};
use crate::pool::UserStatus;
use crate::pool::triggers::{Caller, MessageSource};

/// Where the user's reset code goes, if their password may be reset.
fn destination(pool: &PoolRow, user: &UserRecord) -> Result<Destination, ApiError> {
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    if !matches!(
        user.status,
        UserStatus::Confirmed | UserStatus::ResetRequired
    ) {
        return Err(ApiError::not_authorized(
            "User password cannot be reset in the current state.",
        ));
    }
    Destination::for_reset(&pool.settings, user)
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: UserRef = wire::input(body)?;
    let (pool, user) = store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        Ok((pool, user))
    })?;
    destination(&pool, &user)?;
    let custom = custom_message::for_user(
        store,
        &pool,
        MessageSource::ForgotPassword,
        &user,
        Caller::NotApplicable,
        &input.client_metadata,
    )?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        let destination = destination(&pool, &user)?;
        users::require_reset(tx, &pool.id, &key, now)?;
        codes::send(
            tx,
            &pool,
            &user,
            &destination,
            Purpose::ResetPassword,
            custom.as_ref(),
            now,
        )?;
        Ok(())
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "reset a user's password");
    Ok(json!({}))
}
