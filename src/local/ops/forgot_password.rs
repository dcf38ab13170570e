//! ForgotPassword: a user asks for a code to set a new password. It goes to the first of
//! the pool's recovery mechanisms the user has a verified address for (as the pool's
//! CustomMessage function writes it, CustomMessage_ForgotPassword, if it has one); the
//! current password keeps working until the code is used (ConfirmForgotPassword). A
//! user the pool lacks may be brought in first by its UserMigration function
//! (UserMigration_ForgotPassword, TRIG-7).

use serde_json::{Value, json};

use super::{ClientUserRef, Context, public_client};
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::mail::delivery::Destination;
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::sign_in::migrate;
use crate::local::triggers::{authentication::Migration, custom_message};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::users, wire};
use crate::pool::UserStatus;
use crate::pool::triggers::{Caller, MessageSource};

/// Where the user's code goes, if they may reset their password.
fn destination(pool: &PoolRow, user: &UserRecord) -> Result<Destination, ApiError> {
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    if user.status == UserStatus::ForceChangePassword {
        return Err(ApiError::not_authorized(
            "User password cannot be reset in the current state.",
        ));
    }
    Destination::for_reset(&pool.settings, user)
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ClientUserRef = wire::input(body)?;
    let metadata = &input.client_metadata;
    let (client, pool) = store.read(|tx| {
        public_client(
            tx,
            &input.client_id,
            &input.username,
            input.secret_hash.as_ref(),
        )
    })?;
    let none = std::collections::BTreeMap::new();
    let why = Migration::ForgotPassword;
    migrate::if_missing(store, &client, &pool, &input.username, why, &none, metadata)?;
    let found = store.read(|tx| {
        users::resolve(tx, &pool.id, &pool.settings, &input.username)?
            .map(|key| users::get(tx, &pool.id, &key))
            .transpose()
    })?;
    let Some(user) = found else {
        if client.hides_user_existence() {
            // The answer for someone who does not exist looks like any other.
            let now = wire::epoch(store.now());
            let details = store.write(|tx| {
                crate::local::sign_in::decoy::delivery(
                    tx,
                    &pool,
                    &input.username,
                    crate::pool::DeliveryMedium::Email,
                    now,
                )
            })?;
            return Ok(json!({ "CodeDeliveryDetails": details }));
        }
        return Err(ApiError::user_not_found());
    };
    destination(&pool, &user)?;
    let custom = custom_message::for_user(
        store,
        &pool,
        MessageSource::ForgotPassword,
        &user,
        Caller::Client(&client.client_id),
        metadata,
    )?;
    let now = wire::epoch(store.now());
    let details = store.write(|tx| {
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        let destination = destination(&pool, &user)?;
        codes::send(
            tx,
            &pool,
            &user,
            &destination,
            Purpose::ResetPassword,
            custom.as_ref(),
            now,
        )
    })?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}
