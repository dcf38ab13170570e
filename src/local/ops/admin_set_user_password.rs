//! AdminSetUserPassword: an administrator sets a user's password, held to the pool's
//! policy. Permanent: the user is CONFIRMED and signs in with it. Not permanent: a new
//! temporary password, FORCE_CHANGE_PASSWORD, and the pool's validity period starts
//! again. Either way the old password stops working, and the store keeps only the
//! salted verifier.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, db::users, sign_in::srp, wire};
use crate::pool::{Secret, password};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    username: String,
    password: String,
    #[serde(default)]
    permanent: bool,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let secret = Secret::new(input.password);
    let (pool, key, user) = store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        Ok((pool, key, user))
    })?;
    let policy = pool.settings.password_policy();
    password::check_admin_set(secret.expose(), &policy)?;
    // The slow part (a 3072-bit modular power) runs before the write lock is taken.
    let verifier = srp::new_verifier(&pool.id, &user.username, &secret);
    let now_time = store.now();
    let now = wire::epoch(now_time);
    store.write(|tx| {
        // The user may have gone while the verifier was made.
        users::get(tx, &pool.id, &key)?;
        if input.permanent {
            users::set_password(tx, &pool.id, &key, &verifier, now)
        } else {
            let expires = wire::epoch(
                now_time + Duration::from_secs(policy.effective_validity_days() as u64 * 86_400),
            );
            users::set_temporary_password(tx, &pool.id, &key, &verifier, expires, now)
        }
    })?;
    tracing::info!(pool_id = %pool.id, permanent = input.permanent, "set a user's password");
    Ok(json!({}))
}
