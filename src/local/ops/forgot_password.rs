//! ForgotPassword: a user asks for a code to set a new password. It goes to the first of
//! the pool's recovery mechanisms the user has a verified address for; the current
//! password keeps working until the code is used (ConfirmForgotPassword).

use serde_json::{Value, json};

use super::{ClientUserRef, Context, public_client};
use crate::local::mail::delivery::{self, Destination};
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::users, wire};
use crate::pool::UserStatus;

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ClientUserRef = wire::input(body)?;
    let now = wire::epoch(store.now());
    let details = store.write(|tx| {
        let (client, pool) = public_client(
            tx,
            &input.client_id,
            &input.username,
            input.secret_hash.as_ref(),
        )?;
        let Some(key) = users::resolve(tx, &pool.id, &pool.settings, &input.username)? else {
            if client.hides_user_existence() {
                // The answer for someone who does not exist looks like any other.
                return Ok(json!({
                    "Destination": delivery::mask(&input.username),
                    "DeliveryMedium": "EMAIL",
                    "AttributeName": "email",
                }));
            }
            return Err(ApiError::user_not_found());
        };
        let user = users::get(tx, &pool.id, &key)?;
        if !user.enabled {
            return Err(ApiError::not_authorized("User is disabled."));
        }
        if user.status == UserStatus::ForceChangePassword {
            return Err(ApiError::not_authorized(
                "User password cannot be reset in the current state.",
            ));
        }
        let destination = Destination::for_reset(&pool.settings, &user)?;
        codes::send(
            tx,
            &pool,
            &key,
            &user,
            &destination,
            Purpose::ResetPassword,
            now,
        )
    })?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}
