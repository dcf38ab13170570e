//! AdminEnableUser and AdminDisableUser: the same change with a different value.

use serde_json::{Value, json};

use super::{Context, UserRef};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, db::users, wire};

fn set(store: &Store, body: &Value, enabled: bool) -> Result<Value, ApiError> {
    let input: UserRef = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        users::set_enabled(tx, &pool.id, &key, enabled, now)
    })?;
    Ok(json!({}))
}

pub fn enable(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    set(store, body, true)
}

pub fn disable(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    set(store, body, false)
}
