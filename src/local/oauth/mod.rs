//! The pool's domain, as `serve` answers it: the managed login page and the OAuth 2.0
//! and OpenID Connect endpoints (`/oauth2/authorize`, `/login`, `/oauth2/token`,
//! `/oauth2/userInfo`, `/oauth2/revoke`, `/logout`) and the discovery document.
//!
//! Cognito answers a domain at `https://PREFIX.auth.REGION.amazoncognito.com`; `serve`
//! answers it at `http://HOST:PORT/PREFIX/`, the prefix standing for the host name. Each
//! endpoint is a function of a [`Request`] to a [`Reply`]; the HTTP glue is in
//! `wire::serve::domain`. Rules: docs/documented-rules.md OAUTH-1 to OAUTH-12.

pub mod authorize;
pub mod discovery;
pub mod login;
pub mod page;
pub mod token;
pub mod userinfo;

use serde_json::Value;

use crate::local::Store;
use crate::local::db::app_clients::{self, ClientRow};
use crate::local::db::oauth;
use crate::local::db::pools::{self, PoolRow};
use crate::local::wire::error::ApiError;

/// A request to the domain, as the HTTP layer hands it over.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The query string, raw, and its pairs.
    pub raw_query: String,
    pub query: Vec<(String, String)>,
    /// An `application/x-www-form-urlencoded` body's pairs.
    pub form: Vec<(String, String)>,
    pub cookies: Vec<(String, String)>,
    /// The `Authorization` header.
    pub authorization: Option<String>,
    /// Where the domain is reached: `http://127.0.0.1:9229/PREFIX`.
    pub base: String,
}

fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

impl Request {
    pub fn query(&self, name: &str) -> Option<&str> {
        find(&self.query, name)
    }

    pub fn form(&self, name: &str) -> Option<&str> {
        find(&self.form, name)
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        find(&self.cookies, name)
    }
}

/// What the domain answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// 302 to `location`, setting `cookies` (whole `Set-Cookie` values).
    Redirect {
        location: String,
        cookies: Vec<String>,
    },
    /// An HTML page.
    Page {
        status: u16,
        html: String,
        cookies: Vec<String>,
    },
    /// A JSON body (the token endpoint, userInfo, discovery).
    Json {
        status: u16,
        body: Value,
        headers: Vec<(&'static str, String)>,
    },
    /// No body: headers say it (userInfo's errors, revoke's success).
    Empty {
        status: u16,
        headers: Vec<(&'static str, String)>,
    },
}

/// Cookie names, as Cognito's hosted UI names them.
pub const SESSION_COOKIE: &str = "cognito";
pub const CSRF_COOKIE: &str = "XSRF-TOKEN";

/// A `Set-Cookie` value for the domain's path: HttpOnly, SameSite=Lax; `max_age` 0
/// clears it. (Not Secure: `serve` speaks plain HTTP on loopback.)
pub fn set_cookie(base_path: &str, name: &str, value: &str, max_age: i64) -> String {
    cookie::Cookie::build((name.to_string(), value.to_string()))
        .path(base_path.to_string())
        .http_only(true)
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build()
        .to_string()
}

/// The path part of a base URL (`/PREFIX`).
pub fn base_path(base: &str) -> String {
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or_else(|| "/".to_string(), |i| after_scheme[i..].to_string())
}

/// `uri` with `pairs` added to its query (or fragment, for the implicit grant).
pub fn with_params(uri: &str, pairs: &[(&str, &str)], fragment: bool) -> String {
    let mut encoded = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        encoded.append_pair(k, v);
    }
    let encoded = encoded.finish();
    let joiner = if fragment {
        '#'
    } else if uri.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{uri}{joiner}{encoded}")
}

/// An error page that goes nowhere else: what Cognito shows for a request it cannot
/// send back to the app (an unknown client, a redirect URI not registered).
pub fn error_page(status: u16, detail: &str) -> Reply {
    Reply::Page {
        status,
        html: page::error(detail),
        cookies: Vec::new(),
    }
}

/// The pool whose domain is `prefix`.
pub fn pool_of_domain(store: &Store, prefix: &str) -> Result<PoolRow, Reply> {
    let found = store.read(|tx| {
        let Some(domain) = oauth::domain(tx, prefix)? else {
            return Ok(None);
        };
        pools::load(tx, &domain.pool_id).map(Some)
    });
    match found {
        Ok(Some(pool)) => Ok(pool),
        Ok(None) => Err(error_page(
            404,
            &format!("No user pool has the domain {prefix}."),
        )),
        Err(e) => Err(internal(&e)),
    }
}

pub fn internal(e: &ApiError) -> Reply {
    tracing::error!(error = %e, "the domain could not answer");
    error_page(500, "Something went wrong here; the log says what.")
}

/// A client of `pool` with OAuth turned on (`AllowedOAuthFlowsUserPoolClient`).
pub fn oauth_client(store: &Store, pool: &PoolRow, client_id: &str) -> Option<ClientRow> {
    let client = store
        .read(|tx| app_clients::load(tx, &pool.id, client_id))
        .ok()?;
    client.oauth_enabled().then_some(client)
}

/// The client's members as strings.
pub fn strings(client: &ClientRow, member: &str) -> Vec<String> {
    client
        .settings
        .get(member)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_join_a_query_or_a_fragment() {
        assert_eq!(
            with_params(
                "https://a.example/cb",
                &[("code", "x y"), ("state", "s")],
                false
            ),
            "https://a.example/cb?code=x+y&state=s"
        );
        assert_eq!(
            with_params("https://a.example/cb?k=1", &[("code", "c")], false),
            "https://a.example/cb?k=1&code=c"
        );
        assert_eq!(
            with_params("myapp://cb", &[("access_token", "t")], true),
            "myapp://cb#access_token=t"
        );
        assert_eq!(base_path("http://127.0.0.1:9229/demo"), "/demo");
    }
}
