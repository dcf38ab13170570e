//! GetCSVHeader: the columns of the pool's user import CSV (`pool::csv_header`, which
//! `export` writes too).

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, wire};
use crate::pool::{SchemaAttribute, csv_header};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let pool = store.read(|tx| pools::load(tx, &input.user_pool_id))?;
    let schema: Vec<SchemaAttribute> = pool
        .settings
        .custom_attributes()
        .into_iter()
        .map(|c| SchemaAttribute {
            bounds: None,
            name: c.name,
            ..SchemaAttribute::default()
        })
        .collect();
    Ok(json!({ "UserPoolId": pool.id, "CSVHeader": csv_header::header(&schema) }))
}
