//! AdminConfirmSignUp: an administrator confirms an UNCONFIRMED user without a code.
//! No attribute is verified by it; the user's pending code stops working. The pool's
//! post confirmation function then runs (PostConfirmation_ConfirmSignUp, no client):
//! its failure is the caller's error, and the user stays confirmed (TRIG-3).

use serde_json::{Value, json};

use super::confirm_sign_up::cannot_confirm;
use super::{Context, UserRef};
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::triggers::{self, sign_up::Confirmed};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, db::users, wire};
use crate::pool::UserStatus;
use crate::pool::triggers::{About, Caller};

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: UserRef = wire::input(body)?;
    let now = wire::epoch(store.now());
    let (pool, user) = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let mut user = users::get(tx, &pool.id, &key)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(cannot_confirm(user.status));
        }
        users::confirm(tx, &pool.id, &key, now)?;
        codes::forget(tx, &pool.id, &key, Purpose::ConfirmSignUp)?;
        user.status = UserStatus::Confirmed;
        Ok((pool, user))
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "confirmed a user's sign-up");
    let about = About {
        pool_id: &pool.id,
        username: &user.username,
        caller: Caller::Nobody,
    };
    triggers::sign_up::post_confirmation(
        store,
        &pool,
        Confirmed::SignUp,
        about,
        triggers::attributes_of(&user),
        &input.client_metadata,
    )?;
    Ok(json!({}))
}
