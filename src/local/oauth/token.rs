//! `/oauth2/token` and `/oauth2/revoke`. The client authenticates with HTTP Basic
//! (`client_secret_basic`) or in the body (`client_secret_post`); a public client names
//! itself. Grants: `authorization_code` (the code once, within five minutes, from the
//! same client and redirect URI, with the PKCE verifier its challenge asked for),
//! `refresh_token`, and `client_credentials` with the resource servers' scopes. Errors
//! are RFC 6749's, as Cognito words them (OAUTH-7, OAUTH-8).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::{Reply, Request, pool_of_domain, strings};
use crate::local::Store;
use crate::local::db::app_clients::{self, ClientRow};
use crate::local::db::oauth;
use crate::local::db::pools::PoolRow;
use crate::local::db::users;
use crate::local::sign_in::auth::refresh_step;
use crate::local::sign_in::issue::{Issued, Occasion, Step, mint, mint_for_client};
use crate::local::sign_in::tokens;
use crate::local::wire::{self, error::ApiError};
use crate::pool::oauth::{STANDARD_SCOPES, granted_to_client, pkce_matches};

fn failure(status: u16, error: &str, description: Option<&str>) -> Reply {
    let mut body = json!({ "error": error });
    if let Some(d) = description {
        body["error_description"] = json!(d);
    }
    Reply::Json {
        status,
        body,
        headers: no_store(),
    }
}

fn no_store() -> Vec<(&'static str, String)> {
    vec![
        ("cache-control", "no-store".into()),
        ("pragma", "no-cache".into()),
    ]
}

/// The client a request authenticates as: Basic, else `client_id` (and `client_secret`)
/// in the body. A client with a secret must send one of its secrets.
fn authenticate(store: &Store, pool: &PoolRow, req: &Request) -> Result<ClientRow, ()> {
    let basic = req
        .authorization
        .as_deref()
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode = |s: &str| {
                form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
            };
            Some((decode(id)?, Some(decode(secret)?)))
        });
    let (client_id, secret) = match basic {
        Some(pair) => pair,
        None => (
            req.form("client_id").ok_or(())?.to_string(),
            req.form("client_secret").map(str::to_string),
        ),
    };
    let client = store
        .read(|tx| app_clients::load(tx, &pool.id, &client_id))
        .map_err(|_| ())?;
    if !client.secrets.is_empty() && !client.secret_is(secret.as_deref().unwrap_or_default()) {
        return Err(());
    }
    Ok(client)
}

/// `/oauth2/token`.
pub fn token(store: &Store, prefix: &str, req: &Request) -> Reply {
    let pool = match pool_of_domain(store, prefix) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let Ok(client) = authenticate(store, &pool, req) else {
        return failure(400, "invalid_client", Some("Client authentication failed"));
    };
    if !client.oauth_enabled() {
        return failure(
            400,
            "invalid_grant",
            Some("OAuth 2.0 is not turned on for this client"),
        );
    }
    let answer = match req.form("grant_type") {
        Some("authorization_code") => code_grant(store, &pool, &client, req),
        Some("refresh_token") => refresh_grant(store, &pool, &client, req),
        Some("client_credentials") => client_grant(store, &pool, &client, req),
        Some(_) => Err(failure(400, "unsupported_grant_type", None)),
        None => Err(failure(
            400,
            "invalid_request",
            Some("grant_type is required"),
        )),
    };
    answer.unwrap_or_else(|reply| reply)
}

fn tokens_reply(issued: &Issued, with_id: bool, with_refresh: bool) -> Reply {
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
    });
    if with_id {
        body["id_token"] = json!(issued.id_token);
    }
    if with_refresh && let Some(refresh) = &issued.refresh_token {
        body["refresh_token"] = json!(refresh);
    }
    Reply::Json {
        status: 200,
        body,
        headers: no_store(),
    }
}

fn granted_error(e: &ApiError) -> Reply {
    if e.code == crate::local::wire::error::ErrorCode::InternalError {
        return super::internal(e);
    }
    failure(400, "invalid_grant", Some(&e.message))
}

fn code_grant(
    store: &Store,
    pool: &PoolRow,
    client: &ClientRow,
    req: &Request,
) -> Result<Reply, Reply> {
    if !client.oauth_flows().iter().any(|f| f == "code") {
        return Err(failure(
            400,
            "unauthorized_client",
            Some("Client is not allowed for code grant flow"),
        ));
    }
    let code = req
        .form("code")
        .ok_or_else(|| failure(400, "invalid_request", Some("code is required")))?;
    let now = wire::epoch(store.now());
    let invalid = || {
        failure(
            400,
            "invalid_grant",
            Some("Authorization code has been consumed already or does not exist."),
        )
    };
    let grant = store
        .write(|tx| oauth::take_code(tx, code, now))
        .map_err(|e| super::internal(&e))?
        .ok_or_else(invalid)?;
    if grant.client_id != client.client_id || grant.pool_id != pool.id {
        return Err(invalid());
    }
    if req.form("redirect_uri") != Some(grant.redirect_uri.as_str()) {
        return Err(failure(
            400,
            "unauthorized_client",
            Some("invalid_redirect"),
        ));
    }
    if let Some(challenge) = &grant.challenge {
        let verifier = req
            .form("code_verifier")
            .ok_or_else(|| failure(400, "invalid_request", Some("code_verifier is required")))?;
        if !pkce_matches(verifier, challenge) {
            return Err(failure(
                400,
                "invalid_grant",
                Some("the code_verifier does not match the code_challenge"),
            ));
        }
    }
    let minted = store
        .write(|tx| {
            // A scope its resource server no longer has is left out (OAUTH-3).
            let custom = oauth::custom_scopes(tx, &pool.id)?;
            let scopes: Vec<String> = grant
                .scopes
                .iter()
                .filter(|s| STANDARD_SCOPES.contains(&s.as_str()) || custom.contains(*s))
                .cloned()
                .collect();
            let key = users::key_by_sub(tx, &pool.id, &grant.sub)?
                .ok_or_else(|| ApiError::not_authorized("User does not exist."))?;
            let user = users::get(tx, &pool.id, &key)?;
            if !user.enabled {
                return Err(ApiError::not_authorized("User is disabled."));
            }
            let mut minted = mint(
                tx,
                client,
                &user,
                grant.auth_time,
                now,
                None,
                Occasion::HostedAuth,
            )?;
            minted.with_scopes(&scopes, grant.nonce.as_deref());
            tokens::remember_scopes(tx, minted.origin(), &scopes)?;
            Ok((minted, scopes))
        })
        .map_err(|e| granted_error(&e))?;
    let (minted, scopes) = minted;
    let issued = minted
        .issue(store, pool, &Default::default())
        .map_err(|e| granted_error(&e))?;
    Ok(tokens_reply(
        &issued,
        scopes.iter().any(|s| s == "openid"),
        true,
    ))
}

fn refresh_grant(
    store: &Store,
    pool: &PoolRow,
    client: &ClientRow,
    req: &Request,
) -> Result<Reply, Reply> {
    let token = req
        .form("refresh_token")
        .ok_or_else(|| failure(400, "invalid_request", Some("refresh_token is required")))?;
    let now = wire::epoch(store.now());
    let step = refresh_step(store, client, pool, token, None, now).map_err(|e| {
        let revoked = e.message.contains("revoked");
        failure(
            400,
            "invalid_grant",
            Some(if revoked {
                "Refresh token has been revoked"
            } else {
                "Invalid Refresh Token"
            }),
        )
    })?;
    let Step::Tokens(minted) = step else {
        return Err(failure(400, "invalid_grant", None));
    };
    let with_id = minted.scope().split_whitespace().any(|s| s == "openid")
        || minted.scope() == STANDARD_SCOPES[4];
    let issued = minted
        .issue(store, pool, &Default::default())
        .map_err(|e| granted_error(&e))?;
    Ok(tokens_reply(&issued, with_id, false))
}

fn client_grant(
    store: &Store,
    pool: &PoolRow,
    client: &ClientRow,
    req: &Request,
) -> Result<Reply, Reply> {
    if !client
        .oauth_flows()
        .iter()
        .any(|f| f == "client_credentials")
    {
        return Err(failure(
            400,
            "unauthorized_client",
            Some("Client is not allowed for client_credentials"),
        ));
    }
    let now = wire::epoch(store.now());
    let token = store
        .write(|tx| {
            let custom = oauth::custom_scopes(tx, &pool.id)?;
            let allowed: Vec<String> = strings(client, "AllowedOAuthScopes")
                .into_iter()
                .filter(|s| custom.contains(s))
                .collect();
            let Some(scopes) = granted_to_client(req.form("scope"), &allowed) else {
                return Ok(None);
            };
            mint_for_client(tx, client, &scopes, now).map(Some)
        })
        .map_err(|e| super::internal(&e))?;
    let Some((access_token, expires_in)) = token else {
        return Err(failure(400, "invalid_scope", None));
    };
    Ok(Reply::Json {
        status: 200,
        body: json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": expires_in,
        }),
        headers: no_store(),
    })
}

/// `/oauth2/revoke`: a refresh token, and every token made from it, stops working. An
/// unknown or already revoked token is answered 200 all the same (OAUTH-12).
pub fn revoke(store: &Store, prefix: &str, req: &Request) -> Reply {
    let pool = match pool_of_domain(store, prefix) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let Some(token) = req.form("token").filter(|t| !t.is_empty()) else {
        return failure(400, "invalid_request", Some("token is required"));
    };
    let Ok(client) = authenticate(store, &pool, req) else {
        return failure(401, "invalid_client", Some("Client authentication failed"));
    };
    if client.settings.get("EnableTokenRevocation") == Some(&Value::Bool(false)) {
        return failure(
            400,
            "invalid_request",
            Some("token revocation is not enabled for this client"),
        );
    }
    if token.split('.').count() == 3 {
        return failure(400, "unsupported_token_type", None);
    }
    match store.write(|tx| tokens::revoke(tx, &client, token)) {
        Ok(_) => Reply::Empty {
            status: 200,
            headers: no_store(),
        },
        Err(e) => super::internal(&e),
    }
}
