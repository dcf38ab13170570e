use rand::RngExt;
use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::pool_settings::Settings;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pool_mfa, db::pools, wire};
use crate::pool::validate;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    pool_name: String,
}

const ID_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn new_pool_id(region: &str) -> String {
    let mut rng = rand::rng();
    let suffix: String = (0..9)
        .map(|_| ID_CHARS[rng.random_range(0..ID_CHARS.len())] as char)
        .collect();
    let region: String = region
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let region = if region.is_empty() {
        "local".into()
    } else {
        region
    };
    format!("{region}_{suffix}")
}

pub fn run(store: &Store, ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    validate::pool_name(&input.pool_name)?;
    let request = body.as_object().cloned().unwrap_or_default();
    let mut settings = Settings::for_create(&request)?;
    pool_mfa::at_create(&mut settings);
    let now = wire::epoch(store.now());
    let id = new_pool_id(&ctx.region);
    let pool = store.write(|tx| {
        tx.execute(
            "INSERT INTO user_pools (id, name, created, modified, settings) VALUES (?1, ?2, ?3, ?3, ?4)",
            params![id, input.pool_name, now, serde_json::to_string(&settings.0)?],
        )?;
        pools::load(tx, &id)
    })?;
    tracing::info!(pool_id = %pool.id, "created user pool");
    Ok(json!({ "UserPool": pool.description() }))
}
