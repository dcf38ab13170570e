//! RevokeToken: a client revokes a refresh token it was given. The refresh token stops
//! working, and so does every access token made from the same sign-in. Only refresh
//! tokens can be revoked; a token the store does not know is accepted silently, as
//! OAuth revocation is (RFC 7009).

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::app_clients, sign_in::tokens, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    token: String,
    client_id: String,
    #[serde(default)]
    client_secret: Option<String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    if input.token.split('.').count() == 3 {
        return Err(ApiError::new(
            ErrorCode::UnsupportedTokenType,
            "Only refresh tokens can be revoked.",
        ));
    }
    store.write(|tx| {
        let client = app_clients::load_by_id(tx, &input.client_id)?;
        if !client.secrets.is_empty() {
            let given = input.client_secret.as_deref().unwrap_or("");
            if !client.secret_is(given) {
                return Err(ApiError::not_authorized(format!(
                    "Unable to verify the client secret of client {}",
                    client.client_id
                )));
            }
        }
        if client.settings.get("EnableTokenRevocation") == Some(&json!(false)) {
            return Err(ApiError::new(
                ErrorCode::UnsupportedOperation,
                "Token revocation is not enabled for this client.",
            ));
        }
        match tokens::refresh_token_client(tx, &input.token)? {
            Some(owner) if owner != client.client_id => Err(ApiError::not_authorized(
                "The token was not issued to this client.",
            )),
            Some(_) => tokens::revoke(tx, &client, &input.token).map(|_| ()),
            None => Ok(()),
        }
    })?;
    Ok(json!({}))
}
