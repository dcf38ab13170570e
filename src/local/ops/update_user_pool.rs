use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pool_mfa, db::pools, wire};
use crate::pool::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    #[serde(default)]
    pool_name: Option<String>,
}

/// UpdateUserPool, as Cognito does it: every updatable setting the request omits goes
/// back to its default. Clients that change one setting must send all the others.
pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    if let Some(name) = &input.pool_name {
        validate::pool_name(name)?;
    }
    let request = body.as_object().cloned().unwrap_or_default();
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let mut settings = pool.settings.updated(&request)?;
        pool_mfa::after_update(&pool.settings, &mut settings)?;
        let name = input.pool_name.as_deref().unwrap_or(&pool.name);
        tx.execute(
            "UPDATE user_pools SET name = ?2, settings = ?3, modified = ?4 WHERE id = ?1",
            params![pool.id, name, serde_json::to_string(&settings.0)?, now],
        )?;
        Ok(())
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "updated user pool");
    Ok(json!({}))
}
