//! `/oauth2/userInfo` and `/logout`. userInfo answers the attributes an access token's
//! scopes open (all the user's with `openid` alone), the verified flags as strings as
//! Cognito gives them, and its errors in `WWW-Authenticate` only (OAUTH-9). `/logout`
//! ends the browser's session and goes to a sign-out URL the client registered, or back
//! to the sign-in page (OAUTH-12).

use serde_json::{Map, Value, json};

use super::{
    Reply, Request, SESSION_COOKIE, base_path, error_page, oauth_client, pool_of_domain,
    set_cookie, strings, with_params,
};
use crate::local::Store;
use crate::local::db::{oauth, users};
use crate::local::sign_in::access::verify_access;
use crate::local::wire;
use crate::pool::oauth::{registered, scope_shows};

fn refused(status: u16, error: &str, description: &str) -> Reply {
    Reply::Empty {
        status,
        headers: vec![(
            "www-authenticate",
            format!("Bearer error=\"{error}\", error_description=\"{description}\""),
        )],
    }
}

/// `/oauth2/userInfo` (GET or POST), with `Authorization: Bearer ACCESS_TOKEN`.
pub fn userinfo(store: &Store, prefix: &str, req: &Request) -> Reply {
    let pool = match pool_of_domain(store, prefix) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let Some(token) = req
        .authorization
        .as_deref()
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return refused(
            400,
            "invalid_request",
            "Bad OAuth2 request at UserInfo Endpoint",
        );
    };
    let expired =
        "Access token is expired, disabled, or deleted, or the user has globally signed out.";
    let now = wire::epoch(store.now());
    let found = store.read(|tx| {
        let access = verify_access(tx, token, now)?;
        let user = users::key_by_sub(tx, &access.pool_id, &access.sub)?
            .map(|key| users::get(tx, &access.pool_id, &key))
            .transpose()?;
        Ok((access, user))
    });
    let Ok((access, Some(user))) = found else {
        return refused(401, "invalid_token", expired);
    };
    if access.pool_id != pool.id || !user.enabled {
        return refused(401, "invalid_token", expired);
    }
    if !access.scopes.iter().any(|s| s == "openid") {
        return refused(
            401,
            "invalid_token",
            "The access token has no openid scope.",
        );
    }
    let mut out = Map::new();
    out.insert("sub".into(), json!(user.sub));
    for attribute in &user.attributes {
        if attribute.name != "sub" && scope_shows(&access.scopes, &attribute.name) {
            out.insert(attribute.name.clone(), json!(attribute.value));
        }
    }
    out.insert("username".into(), json!(user.username));
    Reply::Json {
        status: 200,
        body: Value::Object(out),
        headers: Vec::new(),
    }
}

/// `/logout?client_id=...&logout_uri=...`, or `&redirect_uri=...&response_type=...` to
/// sign in again.
pub fn logout(store: &Store, prefix: &str, req: &Request) -> Reply {
    let pool = match pool_of_domain(store, prefix) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let Some(client) = oauth_client(store, &pool, req.query("client_id").unwrap_or_default())
    else {
        return error_page(
            400,
            "The client_id is not an app client of this pool with OAuth 2.0 turned on.",
        );
    };
    let location = if let Some(uri) = req.query("logout_uri") {
        if !registered(uri, &strings(&client, "LogoutURLs")) {
            return error_page(
                400,
                "The logout_uri is not one of the app client's sign-out URLs, exactly.",
            );
        }
        uri.to_string()
    } else if req.query("redirect_uri").is_some() {
        let keep: Vec<(&str, &str)> = [
            "client_id",
            "redirect_uri",
            "response_type",
            "state",
            "scope",
        ]
        .into_iter()
        .filter_map(|k| req.query(k).map(|v| (k, v)))
        .collect();
        with_params(&format!("{}/oauth2/authorize", req.base), &keep, false)
    } else {
        return error_page(
            400,
            "Sign-out needs a logout_uri, or a redirect_uri and response_type to sign in again.",
        );
    };
    if let Some(token) = req.cookie(SESSION_COOKIE)
        && let Err(e) = store.write(|tx| oauth::end_session(tx, token))
    {
        return super::internal(&e);
    }
    Reply::Redirect {
        location,
        cookies: vec![set_cookie(&base_path(&req.base), SESSION_COOKIE, "", 0)],
    }
}
