use rusqlite::params;
use serde_json::{Value, json};

use super::Context;
use super::describe_user_pool_client::ClientRef;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::app_clients, db::pools, wire};

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ClientRef = wire::input(body)?;
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let row = app_clients::load(tx, &pool.id, &input.client_id)?;
        tx.execute(
            "DELETE FROM user_pool_clients WHERE pool_id = ?1 AND client_id = ?2",
            params![row.pool_id, row.client_id],
        )?;
        Ok(())
    })?;
    Ok(json!({}))
}
