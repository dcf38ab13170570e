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
    #[serde(default)]
    max_results: Option<i64>,
    #[serde(default)]
    next_token: Option<String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let limit = input.max_results.unwrap_or(60);
    let after = match &input.next_token {
        Some(t) => wire::decode_token(t)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ApiError::invalid("Invalid NextToken."))?,
        None => String::new(),
    };
    store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let rows: Vec<(String, String)> = tx
            .prepare(
                "SELECT client_id, name FROM user_pool_clients WHERE pool_id = ?1 AND client_id > ?2
                 ORDER BY client_id LIMIT ?3",
            )?
            .query_map(params![pool.id, after, limit + 1], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let more = rows.len() as i64 > limit;
        let page = &rows[..rows.len().min(limit as usize)];
        let clients: Vec<Value> = page
            .iter()
            .map(|(id, name)| json!({"ClientId": id, "UserPoolId": pool.id, "ClientName": name}))
            .collect();
        let mut out = json!({ "UserPoolClients": clients });
        if more && let Some((last, _)) = page.last() {
            out["NextToken"] = json!(wire::encode_token(&json!(last)));
        }
        Ok(out)
    })
}
