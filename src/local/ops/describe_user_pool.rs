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
    let (pool, domain) = store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let domain = crate::local::db::oauth::domain_of(tx, &pool.id)?;
        Ok((pool, domain))
    })?;
    let mut description = pool.description();
    if let Some(domain) = domain {
        description["Domain"] = json!(domain);
    }
    Ok(json!({ "UserPool": description }))
}
