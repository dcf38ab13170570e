//! Access tokens presented back to the store (GetUser, GlobalSignOut): checked as
//! Cognito checks them, and refused once the sign-in they come from is revoked.

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

use crate::local::db::pools;
use crate::local::db::users::{self, UserRecord};
use crate::local::sign_in::tokens::{issuer, stored_key};
use crate::local::wire::error::ApiError;

/// A verified access token: whose, from which client.
#[derive(Debug, Clone)]
pub struct Access {
    pub pool_id: String,
    pub client_id: String,
    pub sub: String,
    /// The `scope` claim: `aws.cognito.signin.user.admin` from the API, what was granted
    /// from the OAuth endpoints.
    pub scopes: Vec<String>,
}

fn invalid_access() -> ApiError {
    ApiError::not_authorized("Invalid Access Token")
}

/// Checks an access token as Cognito does where an operation takes one: signed by the
/// pool's key, not expired, an access token (not an ID token), of a pool and an app
/// client that still exist, and its sign-in not revoked (GlobalSignOut,
/// AdminUserGlobalSignOut, RevokeToken).
pub fn verify_access(tx: &Transaction<'_>, token: &str, now: f64) -> Result<Access, ApiError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid_access());
    };
    let decode = |part: &str| -> Option<Value> {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
    };
    let (Some(header), Some(claims)) = (decode(header), decode(payload)) else {
        return Err(invalid_access());
    };
    let claim = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or("");
    let pool_id = claim("iss").rsplit('/').next().unwrap_or("").to_string();
    if pool_id.is_empty() || claim("iss") != issuer(&pool_id) {
        return Err(invalid_access());
    }
    let Some(key) = stored_key(tx, &pool_id)? else {
        return Err(invalid_access());
    };
    if header.get("kid").and_then(Value::as_str) != Some(key.kid.as_str())
        || header.get("alg").and_then(Value::as_str) != Some("RS256")
    {
        return Err(invalid_access());
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| invalid_access())?;
    let signed = &token[..token.rfind('.').unwrap_or(0)];
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key.public_der())
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| invalid_access())?;
    if claim("token_use") != "access" {
        return Err(invalid_access());
    }
    let exp = claims.get("exp").and_then(Value::as_f64).unwrap_or(0.0);
    if exp <= now {
        return Err(ApiError::not_authorized("Access Token has expired"));
    }
    pools::load(tx, &pool_id).map_err(|_| invalid_access())?;
    let client_id = claim("client_id").to_string();
    crate::local::db::app_clients::load(tx, &pool_id, &client_id).map_err(|_| invalid_access())?;
    let live: Option<bool> = tx
        .query_row(
            "SELECT revoked = 0 FROM refresh_tokens WHERE origin_jti = ?1 AND pool_id = ?2",
            params![claim("origin_jti"), pool_id],
            |r| r.get(0),
        )
        .optional()?;
    if live != Some(true) {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    Ok(Access {
        pool_id,
        client_id,
        sub: claim("sub").to_string(),
        scopes: claim("scope")
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    })
}

/// The user an access token stands for (their key and row), and the token's own facts.
/// A disabled user's tokens are refused.
pub fn holder(
    tx: &Transaction<'_>,
    token: &str,
    now: f64,
) -> Result<(Access, String, UserRecord), ApiError> {
    let access = verify_access(tx, token, now)?;
    // A token from the OAuth endpoints reaches a user's own operations only with the
    // scope that grants them (OAUTH-9).
    if !access
        .scopes
        .iter()
        .any(|s| s == crate::pool::oauth::STANDARD_SCOPES[4])
    {
        return Err(ApiError::not_authorized(
            "Access Token does not have required scopes",
        ));
    }
    let key = users::key_by_sub(tx, &access.pool_id, &access.sub)?
        .ok_or_else(ApiError::user_not_found)?;
    let user = users::get(tx, &access.pool_id, &key)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    Ok((access, key, user))
}
