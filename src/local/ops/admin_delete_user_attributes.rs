//! AdminDeleteUserAttributes: an administrator removes attributes from a user. Required
//! and immutable attributes cannot be removed; removing an email or phone number
//! removes its verified flag too.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::attributes, db::pools, db::users, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    username: String,
    user_attribute_names: Vec<String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let mut user = users::get(tx, &pool.id, &key)?;
        attributes::delete(&pool.settings, &mut user, &input.user_attribute_names)?;
        user.modified = now;
        users::update_attributes(tx, &pool.id, &key, &user)
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "deleted a user's attributes");
    Ok(json!({}))
}
