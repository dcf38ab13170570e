//! AdminUpdateUserAttributes: an administrator changes a user's attributes. Immutable and
//! undeclared attributes are refused, an empty value removes an attribute (unless the
//! pool requires it), a changed email or phone number is no longer verified unless its
//! flag is set true in the same call, and aliases stay unique.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::attributes, db::pools, db::users, wire};
use crate::pool::Attribute;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    username: String,
    user_attributes: Vec<wire::AttributeIn>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let given: Vec<Attribute> = input
        .user_attributes
        .into_iter()
        .map(Attribute::from)
        .collect();
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let mut user = users::get(tx, &pool.id, &key)?;
        attributes::update(&pool.settings, &mut user, &given)?;
        attributes::claim_aliases(tx, &pool, &key, &user.attributes, false, now)?;
        user.modified = now;
        users::update_attributes(tx, &pool.id, &key, &user)
    })?;
    tracing::info!(pool_id = %input.user_pool_id, count = given.len(), "updated a user's attributes");
    Ok(json!({}))
}
