//! GetUser and GlobalSignOut: the operations a signed-in user calls with their access
//! token, checked as Cognito checks it (signature, expiry, token use, pool, client, and
//! not signed out).

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::mfa, sign_in::access, sign_in::tokens, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    access_token: String,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.read(|tx| {
        let (access, key, user) = access::holder(tx, &input.access_token, now)?;
        let mut out = json!({
            "Username": user.username,
            "UserAttributes": wire::attributes_json(&user.all_attributes()),
        });
        wire::mfa_settings(&mut out, &mfa::get(tx, &access.pool_id, &key)?.mfa);
        Ok(out)
    })
}

/// GlobalSignOut: the holder of the token signs out of every device. Every refresh
/// token is revoked, and every access token made from them refused.
pub fn global_sign_out(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let (access, _, user) = access::holder(tx, &input.access_token, now)?;
        tokens::revoke_all(tx, &access.pool_id, &user.sub)
    })?;
    Ok(json!({}))
}
