use serde_json::{Value, json};

use super::{Context, UserRef};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, db::users, wire};

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: UserRef = wire::input(body)?;
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        users::delete(tx, &pool.id, &key)
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "deleted a user");
    Ok(json!({}))
}
