//! The HTTP side of a pool's domain (`local::oauth`): each route turns the request into
//! an `oauth::Request` (query, form body, cookies, Authorization, the base URL it was
//! reached at), runs the endpoint off the async runtime, and writes its `Reply`. Pages
//! say they are not to be framed, cached or referred from. No SigV4 here: a domain's
//! endpoints are public, as Cognito's are.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Server, answer_response, check_host, read_body};
use crate::local::Store;
use crate::local::oauth::{self, Reply, Request};
use crate::local::wire::api;

/// Which endpoint a route is.
#[derive(Debug, Clone, Copy)]
pub enum Endpoint {
    Authorize,
    ShowLogin,
    SubmitLogin,
    Token,
    UserInfo,
    Revoke,
    Logout,
}

fn pairs(text: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn request(
    server: &Server,
    prefix: &str,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: Option<Body>,
) -> Result<Request, Response> {
    check_host(server, headers).map_err(|e| answer_response(api::Response::error(&e)))?;
    if !super::admitted(server) {
        return Err((StatusCode::TOO_MANY_REQUESTS, "Rate exceeded").into_response());
    }
    let header = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let form = match body {
        Some(body) => {
            let bytes = read_body(server, body)
                .await
                .map_err(|e| (StatusCode::BAD_REQUEST, e.message).into_response())?;
            let form_type = header(header::CONTENT_TYPE)
                .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
            if form_type {
                pairs(&String::from_utf8_lossy(&bytes))
            } else {
                Vec::new()
            }
        }
        None => Vec::new(),
    };
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| cookie::Cookie::split_parse(v.to_string()))
        .filter_map(Result::ok)
        .map(|c| (c.name().to_string(), c.value().to_string()))
        .collect();
    let host = header(header::HOST).unwrap_or_else(|| crate::local::wire::DEFAULT_LISTEN.into());
    let raw_query = uri.query().unwrap_or_default().to_string();
    Ok(Request {
        query: pairs(&raw_query),
        raw_query,
        form,
        cookies,
        authorization: header(header::AUTHORIZATION),
        base: format!("http://{host}/{prefix}"),
    })
}

/// One of the domain's endpoints.
pub async fn endpoint(
    server: Arc<Server>,
    endpoint: Endpoint,
    prefix: String,
    uri: http::Uri,
    headers: HeaderMap,
    body: Option<Body>,
) -> Response {
    let req = match request(&server, &prefix, &uri, &headers, body).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let store: Arc<Store> = server.store.clone();
    let reply = tokio::task::spawn_blocking(move || match endpoint {
        Endpoint::Authorize => oauth::authorize::authorize(&store, &prefix, &req),
        Endpoint::ShowLogin => oauth::login::show(&store, &prefix, &req),
        Endpoint::SubmitLogin => oauth::login::submit(&store, &prefix, &req),
        Endpoint::Token => oauth::token::token(&store, &prefix, &req),
        Endpoint::UserInfo => oauth::userinfo::userinfo(&store, &prefix, &req),
        Endpoint::Revoke => oauth::token::revoke(&store, &prefix, &req),
        Endpoint::Logout => oauth::userinfo::logout(&store, &prefix, &req),
    })
    .await;
    match reply {
        Ok(reply) => write(reply),
        Err(e) => {
            tracing::error!(error = %e, "domain task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// The pool's discovery document.
pub async fn discovery(
    State(server): State<Arc<Server>>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = check_host(&server, &headers) {
        return answer_response(api::Response::error(&e));
    }
    if !super::admitted(&server) {
        return (StatusCode::TOO_MANY_REQUESTS, "Rate exceeded").into_response();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or(crate::local::wire::DEFAULT_LISTEN)
        .to_string();
    let store = server.store.clone();
    let document = tokio::task::spawn_blocking(move || {
        oauth::discovery::document(&store, &pool_id, &format!("http://{host}"))
    })
    .await;
    match document {
        Ok(Ok(doc)) => write(Reply::Json {
            status: 200,
            body: doc,
            headers: Vec::new(),
        }),
        Ok(Err(e)) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "message": e.message }).to_string(),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "discovery task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn write(reply: Reply) -> Response {
    let mut response = match &reply {
        Reply::Redirect { location, .. } => {
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Reply::Page {
            status: s, html, ..
        } => {
            let mut r = (status(*s), html.clone()).into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
                ),
            );
            h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            r
        }
        Reply::Json {
            status: s,
            body,
            headers,
        } => {
            let mut r = (status(*s), body.to_string()).into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            );
            for (name, value) in headers {
                if let Ok(v) = HeaderValue::from_str(value) {
                    h.insert(*name, v);
                }
            }
            r
        }
        Reply::Empty { status: s, headers } => {
            let mut r = status(*s).into_response();
            for (name, value) in headers {
                if let Ok(v) = HeaderValue::from_str(value) {
                    r.headers_mut().insert(*name, v);
                }
            }
            r
        }
    };
    let h = response.headers_mut();
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if matches!(reply, Reply::Page { .. } | Reply::Redirect { .. }) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Reply::Redirect { cookies, .. } | Reply::Page { cookies, .. } = &reply {
        for c in cookies {
            if let Ok(v) = HeaderValue::from_str(c) {
                h.append(header::SET_COOKIE, v);
            }
        }
    }
    response
}
