use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        if pool
            .settings
            .0
            .get("DeletionProtection")
            .and_then(Value::as_str)
            == Some("ACTIVE")
        {
            return Err(ApiError::invalid(
                "The user pool cannot be deleted because deletion protection is activated.",
            ));
        }
        if crate::local::db::oauth::domain_of(tx, &pool.id)?.is_some() {
            return Err(ApiError::invalid(
                "User pool cannot be deleted. It has a domain configured that should be deleted first.",
            ));
        }
        // Users and outbox rows go with the pool (ON DELETE CASCADE).
        tx.execute("DELETE FROM user_pools WHERE id = ?1", params![pool.id])?;
        Ok(())
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "deleted user pool");
    Ok(json!({}))
}
