//! AdminUserGlobalSignOut: signs a user out of every device. Their refresh tokens are
//! revoked, so no client gets new tokens from them ("Refresh Token has been revoked").
//! (Tokens already issued run out on their own: no operation of the store takes an
//! access token yet.)

use serde_json::{Value, json};

use super::{Context, UserRef};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, db::users, sign_in::tokens, wire};

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: UserRef = wire::input(body)?;
    let revoked = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        tokens::revoke_all(tx, &pool.id, &user.sub)
    })?;
    tracing::info!(pool_id = %input.user_pool_id, revoked, "signed a user out everywhere");
    Ok(json!({}))
}
