//! ResendConfirmationCode: a new sign-up code for an UNCONFIRMED user (the old one stops
//! working), sent as SignUp sent the first (CustomMessage_ResendCode, if the pool's
//! CustomMessage function writes it). With PreventUserExistenceErrors, a user who does
//! not exist or is disabled gets a simulated delivery, and nothing is sent.

use serde_json::{Value, json};

use super::{ClientUserRef, Context, public_client};
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::mail::delivery::Destination;
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::sign_in::decoy;
use crate::local::triggers::custom_message;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::users, wire};
use crate::pool::triggers::{Caller, MessageSource};
use crate::pool::{DeliveryMedium, UserStatus};

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

/// The medium a confirmation code would go by in this pool: a phone if it verifies
/// phones automatically, else email (as `Destination::for_confirmation` picks).
fn medium(pool: &PoolRow) -> DeliveryMedium {
    let auto = pool.settings.auto_verified_attributes();
    if auto.iter().any(|a| a == "phone_number") {
        DeliveryMedium::Sms
    } else {
        DeliveryMedium::Email
    }
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ClientUserRef = wire::input(body)?;
    let now = wire::epoch(store.now());
    let found = store.write(|tx| {
        let (client, pool) = public_client(
            tx,
            &input.client_id,
            &input.username,
            input.secret_hash.as_ref(),
        )?;
        let user = users::resolve(tx, &pool.id, &pool.settings, &input.username)?
            .map(|key| users::get(tx, &pool.id, &key))
            .transpose()?;
        match user {
            Some(user) if user.enabled || !client.hides_user_existence() => {
                Ok(Ok((client, pool, user)))
            }
            // "returns CodeDeliveryDetails for a disabled user or a user that doesn't
            // exist": a simulated one, and nothing is sent.
            _ if client.hides_user_existence() => {
                let details = decoy::delivery(tx, &pool, &input.username, medium(&pool), now)?;
                Ok(Err(json!({ "CodeDeliveryDetails": details })))
            }
            _ => Err(ApiError::user_not_found()),
        }
    })?;
    let (client, pool, user) = match found {
        Ok(found) => found,
        Err(simulated) => return Ok(simulated),
    };
    destination(&pool, &user)?;
    let custom = custom_message::for_user(
        store,
        &pool,
        MessageSource::ResendCode,
        &user,
        Caller::Client(&client.client_id),
        &input.client_metadata,
    )?;
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
