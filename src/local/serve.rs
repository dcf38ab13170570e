//! `cognito-console serve`: the store's awsJson1.1 API on a TCP listener, for the aws
//! CLI, boto3 or any SDK (`--endpoint-url http://127.0.0.1:9229`).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;

use super::Store;
use super::api;
use super::ops::Context;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:9229";

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "refusing to listen on {0}: it is reachable from other machines and the store has no authentication; \
         pass --allow-remote if that is what you want"
    )]
    RemoteNotAllowed(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Loopback only, unless the caller says otherwise.
pub fn check_listen(addr: SocketAddr, allow_remote: bool) -> Result<(), ServeError> {
    if addr.ip().is_loopback() || allow_remote {
        Ok(())
    } else {
        Err(ServeError::RemoteNotAllowed(addr))
    }
}

pub fn router(store: Arc<Store>) -> Router {
    Router::new()
        .route("/", post(handle))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .with_state(store)
}

/// The pool's token-signing keys, where Cognito publishes them (relative to the
/// endpoint): `/{poolId}/.well-known/jwks.json`.
async fn jwks(State(store): State<Arc<Store>>, Path(pool_id): Path<String>) -> Response {
    let answer = tokio::task::spawn_blocking(move || {
        let now = super::wire::epoch(store.now());
        store.write(|tx| super::tokens::jwks(tx, &pool_id, now))
    })
    .await;
    match answer {
        Ok(Ok(keys)) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            keys.to_string(),
        )
            .into_response(),
        Ok(Err(e)) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "message": e.message }).to_string(),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "request task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

async fn handle(State(store): State<Arc<Store>>, headers: HeaderMap, body: Bytes) -> Response {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let target = text("x-amz-target");
    let mut ctx = Context::default();
    if let Some(region) = text("authorization")
        .as_deref()
        .and_then(api::region_from_authorization)
    {
        ctx.region = region;
    }
    let answer = match tokio::task::spawn_blocking(move || {
        api::handle(&store, &ctx, target.as_deref(), &body)
    })
    .await
    {
        Ok(answer) => answer,
        Err(e) => {
            tracing::error!(error = %e, "request task failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, answer.body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(api::CONTENT_TYPE),
    );
    if let Some(error_type) = answer.error_type {
        h.insert("x-amzn-errortype", HeaderValue::from_static(error_type));
    }
    response
}

/// Binds `addr` (after the loopback check).
pub async fn bind(addr: SocketAddr, allow_remote: bool) -> Result<TcpListener, ServeError> {
    check_listen(addr, allow_remote)?;
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn run(
    store: Arc<Store>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    axum::serve(listener, router(store))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_without_allow_remote() {
        let ok: SocketAddr = "127.0.0.1:9229".parse().unwrap();
        let v6: SocketAddr = "[::1]:9229".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:9229".parse().unwrap();
        assert!(check_listen(ok, false).is_ok());
        assert!(check_listen(v6, false).is_ok());
        let err = check_listen(any, false).unwrap_err();
        assert!(err.to_string().contains("--allow-remote"));
        assert!(check_listen(any, true).is_ok());
    }
}
