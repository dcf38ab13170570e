use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::app_clients, db::pools, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ClientRef {
    pub user_pool_id: String,
    pub client_id: String,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ClientRef = wire::input(body)?;
    let row = store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        app_clients::load(tx, &pool.id, &input.client_id)
    })?;
    Ok(json!({ "UserPoolClient": row.description() }))
}
