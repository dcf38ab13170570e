//! ResendConfirmationCode: a new sign-up code for an UNCONFIRMED user (the old one stops
//! working), sent as SignUp sent the first (CustomMessage_ResendCode, if the pool's
//! CustomMessage function writes it).

use serde_json::{Value, json};

use super::{ClientUserRef, Context, public_client};
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::mail::delivery::Destination;
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::triggers::custom_message;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::users, wire};
use crate::pool::UserStatus;
use crate::pool::triggers::{Caller, MessageSource};

/// The user may be sent a confirmation code: UNCONFIRMED, with an address the pool
/// verifies automatically.
fn destination(pool: &PoolRow, user: &UserRecord) -> Result<Destination, ApiError> {
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::invalid("User is already confirmed."));
    }
    Destination::for_confirmation(&pool.settings, user).ok_or_else(|| {
        ApiError::invalid(
            "No confirmation code can be sent: the pool verifies no attribute automatically \
             (AutoVerifiedAttributes) that the user has. An administrator can confirm them.",
        )
    })
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ClientUserRef = wire::input(body)?;
    let (client, pool, user) = store.read(|tx| {
        let (client, pool) = public_client(
            tx,
            &input.client_id,
            &input.username,
            input.secret_hash.as_ref(),
        )?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        Ok((client, pool, user))
    })?;
    destination(&pool, &user)?;
    let custom = custom_message::for_user(
        store,
        &pool,
        MessageSource::ResendCode,
        &user,
        Caller::Client(&client.client_id),
        &input.client_metadata,
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
            Purpose::ConfirmSignUp,
            custom.as_ref(),
            now,
        )
    })?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}
