use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    max_results: i64,
    #[serde(default)]
    next_token: Option<String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let after = match &input.next_token {
        Some(token) => wire::decode_token(token)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ApiError::invalid("Invalid NextToken."))?,
        None => String::new(),
    };
    store.read(|tx| {
        let ids: Vec<String> = tx
            .prepare("SELECT id FROM user_pools WHERE id > ?1 ORDER BY id LIMIT ?2")?
            .query_map(params![after, input.max_results + 1], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let more = ids.len() as i64 > input.max_results;
        let page = &ids[..ids.len().min(input.max_results as usize)];
        let pools: Vec<Value> = page
            .iter()
            .map(|id| pools::load(tx, id).map(|p| p.summary()))
            .collect::<Result<_, _>>()?;
        let mut out = json!({ "UserPools": pools });
        if more && let Some(last) = page.last() {
            out["NextToken"] = json!(wire::encode_token(&json!(last)));
        }
        Ok(out)
    })
}
