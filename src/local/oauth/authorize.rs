//! `/oauth2/authorize`: an app sends a user here to sign in. The request is checked in
//! Cognito's order (OAUTH-5): an unknown client or a redirect URI the client did not
//! register is an error page and never a redirect; anything else wrong goes back to the
//! app as `error=`; a browser with a live session is sent straight back with a code
//! (or tokens, for the implicit grant); any other goes to `/login`.

use serde_json::Value;

use super::{
    Reply, Request, SESSION_COOKIE, error_page, internal, oauth_client, pool_of_domain, strings,
    with_params,
};
use crate::local::Store;
use crate::local::db::app_clients::ClientRow;
use crate::local::db::oauth::{self, Grant};
use crate::local::db::pools::PoolRow;
use crate::local::db::users;
use crate::local::sign_in::issue::{Occasion, mint};
use crate::local::sign_in::tokens;
use crate::local::wire::{self, error::ApiError};
use crate::pool::oauth::granted;

/// An authorization request that passed every check.
#[derive(Debug, Clone)]
pub struct AuthRequest {
    pub pool: PoolRow,
    pub client: ClientRow,
    pub redirect_uri: String,
    /// `code`, or `token` (implicit).
    pub response_type: String,
    pub state: Option<String>,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    /// PKCE's S256 challenge.
    pub challenge: Option<String>,
    /// The request's own query, for the login form to post back with.
    pub raw_query: String,
}

/// Checks an authorization request (also the login page's, which takes the same
/// parameters).
pub fn check(store: &Store, prefix: &str, req: &Request) -> Result<AuthRequest, Reply> {
    let pool = pool_of_domain(store, prefix)?;
    let client_id = req.query("client_id").unwrap_or_default();
    let Some(client) = oauth_client(store, &pool, client_id) else {
        return Err(error_page(
            400,
            "An error was encountered with the requested page: the client_id is not an app client of this pool with OAuth 2.0 turned on (invalid_client).",
        ));
    };
    let callbacks = strings(&client, "CallbackURLs");
    let default = client
        .settings
        .get("DefaultRedirectURI")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| (callbacks.len() == 1).then(|| callbacks[0].clone()));
    let redirect_uri = match req.query("redirect_uri") {
        Some(uri) if crate::pool::oauth::registered(uri, &callbacks) => uri.to_string(),
        None => match default {
            Some(uri) => uri,
            None => return Err(redirect_mismatch()),
        },
        Some(_) => return Err(redirect_mismatch()),
    };
    // The managed login signs in the pool's own users only for a client that lists them.
    if !strings(&client, "SupportedIdentityProviders")
        .iter()
        .any(|p| p == "COGNITO")
    {
        return Err(error_page(
            400,
            "Login option is not available: this app client's identity providers do not include COGNITO, the user pool's own users (SupportedIdentityProviders).",
        ));
    }
    let state = req.query("state").map(str::to_string);
    let refuse = |error: &str, description: &str| {
        let mut pairs = vec![("error", error), ("error_description", description)];
        if let Some(state) = &state {
            pairs.push(("state", state));
        }
        Reply::Redirect {
            location: with_params(&redirect_uri, &pairs, false),
            cookies: Vec::new(),
        }
    };
    let response_type = match req.query("response_type") {
        None => return Err(refuse("invalid_request", "response_type is required")),
        Some(t @ ("code" | "token")) => t.to_string(),
        Some(_) => {
            return Err(refuse(
                "unsupported_response_type",
                "response_type is code or token",
            ));
        }
    };
    let flow = if response_type == "code" {
        "code"
    } else {
        "implicit"
    };
    if !client.oauth_flows().iter().any(|f| f == flow) {
        return Err(refuse(
            "unauthorized_client",
            &format!("the client does not allow the {flow} grant"),
        ));
    }
    let challenge = match (
        req.query("code_challenge"),
        req.query("code_challenge_method"),
    ) {
        (None, None) => None,
        (Some(c), Some("S256")) if !c.is_empty() => Some(c.to_string()),
        (_, Some(m)) if m != "S256" => {
            return Err(refuse(
                "invalid_request",
                "code_challenge_method must be S256",
            ));
        }
        _ => {
            return Err(refuse(
                "invalid_request",
                "code_challenge and code_challenge_method=S256 go together",
            ));
        }
    };
    if let Some(idp) = req.query("identity_provider")
        && idp != "COGNITO"
    {
        return Err(refuse(
            "invalid_request",
            "the local store signs users in with the pool itself (identity_provider=COGNITO)",
        ));
    }
    let allowed = strings(&client, "AllowedOAuthScopes");
    let Some(scopes) = granted(req.query("scope"), &allowed) else {
        return Err(refuse(
            "invalid_scope",
            "a scope is not allowed to this client, or phone, email or profile was asked without openid",
        ));
    };
    Ok(AuthRequest {
        pool,
        client,
        redirect_uri,
        response_type,
        state,
        scopes,
        nonce: req.query("nonce").map(str::to_string),
        challenge,
        raw_query: req.raw_query.clone(),
    })
}

fn redirect_mismatch() -> Reply {
    error_page(
        400,
        "An error was encountered with the requested page: the redirect_uri is not one of the app client's callback URLs, exactly (redirect_mismatch).",
    )
}

/// `/oauth2/authorize`.
pub fn authorize(store: &Store, prefix: &str, req: &Request) -> Reply {
    let auth = match check(store, prefix, req) {
        Ok(a) => a,
        Err(reply) => return reply,
    };
    let now = wire::epoch(store.now());
    let live = req.cookie(SESSION_COOKIE).and_then(|token| {
        store
            .write(|tx| {
                let Some(session) = oauth::session(tx, &auth.pool.id, token, now)? else {
                    return Ok(None);
                };
                // A user deleted or disabled since signs in again (and is refused there).
                let enabled = match users::key_by_sub(tx, &auth.pool.id, &session.sub)? {
                    Some(key) => users::get(tx, &auth.pool.id, &key)?.enabled,
                    None => false,
                };
                if !enabled {
                    oauth::end_session(tx, token)?;
                    return Ok(None);
                }
                Ok(Some(session))
            })
            .ok()
            .flatten()
    });
    if let Some(session) = live {
        // Signed in within the hour: no form (OAUTH-10).
        return match complete(store, &auth, &session.sub, session.auth_time) {
            Ok(location) => Reply::Redirect {
                location,
                cookies: Vec::new(),
            },
            Err(e) => internal(&e),
        };
    }
    Reply::Redirect {
        location: format!("{}/login?{}", req.base, req.raw_query),
        cookies: Vec::new(),
    }
}

/// A signed-in user is sent back to the app: with a code, or (implicit) with tokens in
/// the fragment. The location.
pub fn complete(
    store: &Store,
    auth: &AuthRequest,
    sub: &str,
    auth_time: i64,
) -> Result<String, ApiError> {
    let now = wire::epoch(store.now());
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if auth.response_type == "code" {
        let grant = Grant {
            pool_id: auth.pool.id.clone(),
            client_id: auth.client.client_id.clone(),
            sub: sub.to_string(),
            auth_time,
            redirect_uri: auth.redirect_uri.clone(),
            scopes: auth.scopes.clone(),
            nonce: auth.nonce.clone(),
            challenge: auth.challenge.clone(),
        };
        let code = store.write(|tx| oauth::new_code(tx, &grant, now))?;
        pairs.push(("code", code));
    } else {
        let minted = store.write(|tx| {
            let key =
                users::key_by_sub(tx, &auth.pool.id, sub)?.ok_or_else(ApiError::user_not_found)?;
            let user = users::get(tx, &auth.pool.id, &key)?;
            let mut minted = mint(
                tx,
                &auth.client,
                &user,
                auth_time,
                now,
                None,
                Occasion::HostedAuth,
            )?;
            minted.with_scopes(&auth.scopes, auth.nonce.as_deref());
            tokens::remember_scopes(tx, minted.origin(), &auth.scopes)?;
            Ok(minted)
        })?;
        let issued = minted.issue(store, &auth.pool, &Default::default())?;
        pairs.push(("access_token", issued.access_token));
        if auth.scopes.iter().any(|s| s == "openid") {
            pairs.push(("id_token", issued.id_token));
        }
        pairs.push(("token_type", "Bearer".into()));
        pairs.push(("expires_in", issued.expires_in.to_string()));
    }
    if let Some(state) = &auth.state {
        pairs.push(("state", state.clone()));
    }
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Ok(with_params(
        &auth.redirect_uri,
        &borrowed,
        auth.response_type == "token",
    ))
}
