//! AdminConfirmSignUp: an administrator confirms an UNCONFIRMED user without a code.
//! No attribute is verified by it; the user's pending code stops working.

use serde_json::{Value, json};

use super::confirm_sign_up::cannot_confirm;
use super::{Context, UserRef};
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, db::users, wire};
use crate::pool::UserStatus;

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: UserRef = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(cannot_confirm(user.status));
        }
        users::confirm(tx, &pool.id, &key, now)?;
        codes::forget(tx, &pool.id, &key, Purpose::ConfirmSignUp)
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "confirmed a user's sign-up");
    Ok(json!({}))
}
