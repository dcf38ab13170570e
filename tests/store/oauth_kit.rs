//! What the OAuth rules' tests share: a pool with a domain, a resource server, a web
//! client and a user, and the domain's endpoints called in process as `serve` calls them.
#![allow(dead_code)]

use crate::rules::*;

use cognito_console::local::oauth::{self, Reply, Request};
use serde_json::{Value, json};

pub const CB: &str = "https://app.example/cb";
pub const BASE: &str = "http://127.0.0.1:9229/app";

/// A pool with the domain `app`, a resource server `api` with `read` and `write`, a web
/// client (code grant, a secret) and a user `ana`.
pub fn setup() -> (Pool, String, Value) {
    let p = Pool::new();
    let id = p.pool(json!({}));
    p.ok(
        "CreateUserPoolDomain",
        json!({"UserPoolId": id, "Domain": "app"}),
    );
    p.ok(
        "CreateResourceServer",
        json!({"UserPoolId": id, "Identifier": "api", "Name": "API", "Scopes": [
            {"ScopeName": "read", "ScopeDescription": "read"},
            {"ScopeName": "write", "ScopeDescription": "write"}]}),
    );
    let web = p.client(
        &id,
        json!({"GenerateSecret": true, "AllowedOAuthFlowsUserPoolClient": true,
               "AllowedOAuthFlows": ["code", "implicit"],
               "AllowedOAuthScopes": ["openid", "email", "profile", "api/read", "api/write"],
               "CallbackURLs": [CB], "LogoutURLs": ["https://app.example/bye"],
               "SupportedIdentityProviders": ["COGNITO"]}),
    );
    p.user(
        &id,
        "ana",
        json!([{"Name": "email", "Value": "ana@example.com"}, {"Name": "email_verified", "Value": "true"},
               {"Name": "name", "Value": "Ana"}]),
    );
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}),
    );
    (p, id, web)
}

pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn request(query: &[(&str, &str)], form: &[(&str, &str)], cookies: &[(&str, &str)]) -> Request {
    let mut raw = form_urlencoded::Serializer::new(String::new());
    for (k, v) in query {
        raw.append_pair(k, v);
    }
    Request {
        raw_query: raw.finish(),
        query: pairs(query),
        form: pairs(form),
        cookies: pairs(cookies),
        authorization: None,
        base: BASE.into(),
    }
}

pub fn location(reply: &Reply) -> String {
    match reply {
        Reply::Redirect { location, .. } => location.clone(),
        other => panic!("not a redirect: {other:?}"),
    }
}

pub fn param(location: &str, name: &str) -> Option<String> {
    let query = location.split_once(['?', '#'])?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub fn page_status(reply: &Reply) -> (u16, String) {
    match reply {
        Reply::Page { status, html, .. } => (*status, html.clone()),
        other => panic!("not a page: {other:?}"),
    }
}

pub fn json_of(reply: &Reply) -> (u16, Value) {
    match reply {
        Reply::Json { status, body, .. } => (*status, body.clone()),
        other => panic!("not JSON: {other:?}"),
    }
}

pub const CSRF: &str = "0123456789abcdef0123456789abcdef0123456789";

/// The browser's sign-in with `query`, the password given: the final reply.
pub fn sign_in(p: &Pool, query: &[(&str, &str)], username: &str, password: &str) -> Reply {
    let form = [
        ("_csrf", CSRF),
        ("username", username),
        ("password", password),
    ];
    oauth::login::submit(
        &p.store,
        "app",
        &request(query, &form, &[("XSRF-TOKEN", CSRF)]),
    )
}

pub fn code_query<'a>(web: &'a Value, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut q = vec![
        ("response_type", "code"),
        ("client_id", web["ClientId"].as_str().unwrap()),
        ("redirect_uri", CB),
    ];
    q.extend_from_slice(extra);
    q
}

/// A code for ana with `extra` authorize parameters.
pub fn code_for(p: &Pool, web: &Value, extra: &[(&str, &str)]) -> String {
    let done = sign_in(p, &code_query(web, extra), "ana", "Passw0rd!");
    param(&location(&done), "code").expect("a code")
}

pub fn token(p: &Pool, web: &Value, form: &[(&str, &str)]) -> Reply {
    let mut form = form.to_vec();
    form.push(("client_id", web["ClientId"].as_str().unwrap()));
    form.push(("client_secret", web["ClientSecret"].as_str().unwrap()));
    oauth::token::token(&p.store, "app", &request(&[], &form, &[]))
}

pub fn redeem(p: &Pool, web: &Value, code: &str) -> Reply {
    token(
        p,
        web,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CB),
        ],
    )
}
