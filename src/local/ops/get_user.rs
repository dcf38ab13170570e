//! GetUser and GlobalSignOut: the operations a signed-in user calls with their access
//! token, checked as Cognito checks it (signature, expiry, token use, pool, client, and
//! not signed out).

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::users::UserRecord;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::users, sign_in::access, sign_in::tokens, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    access_token: String,
}

/// The user an access token stands for, and the token's own facts.
fn holder(
    tx: &rusqlite::Transaction<'_>,
    token: &str,
    now: f64,
) -> Result<(access::Access, UserRecord), ApiError> {
    let access = access::verify_access(tx, token, now)?;
    let key = users::key_by_sub(tx, &access.pool_id, &access.sub)?
        .ok_or_else(ApiError::user_not_found)?;
    let user = users::get(tx, &access.pool_id, &key)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    Ok((access, user))
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let now = wire::epoch(store.now());
    let (_, user) = store.read(|tx| holder(tx, &input.access_token, now))?;
    Ok(json!({
        "Username": user.username,
        "UserAttributes": wire::attributes_json(&user.all_attributes()),
    }))
}

/// GlobalSignOut: the holder of the token signs out of every device. Every refresh
/// token is revoked, and every access token made from them refused.
pub fn global_sign_out(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let (access, user) = holder(tx, &input.access_token, now)?;
        tokens::revoke_all(tx, &access.pool_id, &user.sub)
    })?;
    Ok(json!({}))
}
