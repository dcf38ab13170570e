//! ResendConfirmationCode: a new sign-up code for an UNCONFIRMED user (the old one stops
//! working), sent as SignUp sent the first.

use serde_json::{Value, json};

use super::{ClientUserRef, Context, public_client};
use crate::local::mail::delivery::Destination;
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::users, wire};
use crate::pool::UserStatus;

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ClientUserRef = wire::input(body)?;
    let now = wire::epoch(store.now());
    let details = store.write(|tx| {
        let (_, pool) = public_client(
            tx,
            &input.client_id,
            &input.username,
            input.secret_hash.as_ref(),
        )?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ApiError::invalid("User is already confirmed."));
        }
        let destination = Destination::for_confirmation(&pool.settings, &user).ok_or_else(|| {
            ApiError::invalid(
                "No confirmation code can be sent: the pool verifies no attribute automatically \
                 (AutoVerifiedAttributes) that the user has. An administrator can confirm them.",
            )
        })?;
        codes::send(
            tx,
            &pool,
            &key,
            &user,
            &destination,
            Purpose::ConfirmSignUp,
            now,
        )
    })?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}
