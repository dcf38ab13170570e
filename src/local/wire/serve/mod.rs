//! `cognito-console serve`: the store's awsJson1.1 API on a TCP listener, for the aws
//! CLI, boto3 or any SDK (`--endpoint-url http://127.0.0.1:9229`).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use tokio::net::TcpListener;

use crate::local::Store;
use crate::local::ops::Context;
use crate::local::wire::api;
use crate::local::wire::error::{ApiError, ErrorCode};

mod connections;
mod domain;
mod sigv4;

pub use connections::Limits;
pub use sigv4::KeyPairs;

/// The largest request body `serve` reads (Cognito's requests are a few kilobytes).
pub const MAX_BODY: usize = 2 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "refusing to listen on {0}: it is reachable from other machines; \
         pass --allow-remote (with --credentials) if that is what you want"
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

/// How `serve` behaves beyond answering.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Requests a second above which it answers TooManyRequestsException.
    pub max_rps: Option<u32>,
    /// Timeouts and the connection limit.
    pub limits: Limits,
    /// Listening on loopback only: requests must name a loopback host (`Host:
    /// 127.0.0.1:9229`, `localhost`, `[::1]`), so a web page that rebinds its own name to
    /// 127.0.0.1 cannot reach the store from a browser.
    pub loopback_only: bool,
    /// The key pairs whose SigV4 signatures let a request in; None lets in everyone
    /// (loopback only).
    pub credentials: Option<KeyPairs>,
    /// The region it answers as: new pools' ids, and with credentials the region a
    /// signature must be scoped to. None: the region a request was signed for.
    pub region: Option<String>,
}

/// A token bucket: `rate` requests a second, bursts up to `rate`.
#[derive(Debug)]
struct RateLimit {
    rate: f64,
    state: Mutex<(f64, Instant)>,
}

impl RateLimit {
    fn new(rate: u32) -> Self {
        Self {
            rate: f64::from(rate),
            state: Mutex::new((f64::from(rate), Instant::now())),
        }
    }

    fn admit(&self) -> bool {
        self.admit_at(Instant::now())
    }

    fn admit_at(&self, now: Instant) -> bool {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (tokens, last) = &mut *state;
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.rate).min(self.rate);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

pub(super) struct Server {
    store: Arc<Store>,
    limit: Option<RateLimit>,
    loopback_only: bool,
    body_timeout: std::time::Duration,
    credentials: Option<KeyPairs>,
    region: Option<String>,
}

pub fn router(store: Arc<Store>) -> Router {
    router_with(store, Options::default())
}

pub fn router_with(store: Arc<Store>, options: Options) -> Router {
    let server = Arc::new(Server {
        store,
        limit: options.max_rps.map(RateLimit::new),
        loopback_only: options.loopback_only,
        body_timeout: options.limits.idle_timeout,
        credentials: options.credentials,
        region: options.region,
    });
    use domain::Endpoint;
    // The first segment is a pool id (its keys, its discovery document) or a domain
    // prefix (the managed login and the OAuth endpoints); the two never look alike, a
    // pool id having an underscore that a prefix cannot have.
    let page = |endpoint: Endpoint| {
        move |State(server): State<Arc<Server>>,
              Path(prefix): Path<String>,
              uri: http::Uri,
              headers: HeaderMap| {
            domain::endpoint(server, endpoint, prefix, uri, headers, None)
        }
    };
    let form = |endpoint: Endpoint| {
        move |State(server): State<Arc<Server>>,
              Path(prefix): Path<String>,
              uri: http::Uri,
              headers: HeaderMap,
              body: Body| {
            domain::endpoint(server, endpoint, prefix, uri, headers, Some(body))
        }
    };
    Router::new()
        .route("/", post(handle))
        .route("/{base}/.well-known/jwks.json", get(jwks))
        .route(
            "/{base}/.well-known/openid-configuration",
            get(domain::discovery),
        )
        .route("/{base}/oauth2/authorize", get(page(Endpoint::Authorize)))
        .route(
            "/{base}/login",
            get(page(Endpoint::ShowLogin)).post(form(Endpoint::SubmitLogin)),
        )
        .route("/{base}/oauth2/token", post(form(Endpoint::Token)))
        .route(
            "/{base}/oauth2/userInfo",
            get(page(Endpoint::UserInfo)).post(form(Endpoint::UserInfo)),
        )
        .route("/{base}/oauth2/revoke", post(form(Endpoint::Revoke)))
        .route("/{base}/logout", get(page(Endpoint::Logout)))
        .route("/import/{job_id}", put(upload))
        .with_state(server)
}

/// The pool's token-signing keys, where Cognito publishes them (relative to the
/// endpoint): `/{poolId}/.well-known/jwks.json`.
async fn jwks(
    State(server): State<Arc<Server>>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = check_host(&server, &headers) {
        return answer_response(api::Response::error(&e));
    }
    let store = server.store.clone();
    let answer = tokio::task::spawn_blocking(move || {
        let now = crate::local::wire::epoch(store.now());
        store.write(|tx| crate::local::sign_in::tokens::jwks(tx, &pool_id, now))
    })
    .await;
    match answer {
        Ok(Ok(keys)) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            keys.to_string(),
        )
            .into_response(),
        Ok(Err(e)) if e.code == crate::local::wire::error::ErrorCode::InternalError => {
            tracing::error!(error = %e, "cannot publish the pool's keys");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
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

/// A name a loopback listener answers to.
fn loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    ["127.0.0.1", "localhost", "::1"].contains(&name.to_ascii_lowercase().as_str())
}

pub(super) fn check_host(server: &Server, headers: &HeaderMap) -> Result<(), ApiError> {
    if !server.loopback_only {
        return Ok(());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if loopback_host(host) {
        return Ok(());
    }
    tracing::warn!(host = %host.escape_debug(), "refused a request for another host");
    Err(ApiError::new(
        ErrorCode::AccessDenied,
        "This store listens on loopback and answers only requests addressed to 127.0.0.1, localhost or [::1].",
    ))
}

/// The request body, read whole within the idle timeout and up to [`MAX_BODY`].
pub(super) async fn read_body(server: &Server, body: Body) -> Result<axum::body::Bytes, ApiError> {
    let read = tokio::time::timeout(server.body_timeout, axum::body::to_bytes(body, MAX_BODY));
    match read.await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) if is_too_large(&e) => Err(ApiError::new(
            ErrorCode::RequestTooLarge,
            format!("The request body is larger than {MAX_BODY} bytes."),
        )),
        Ok(Err(_)) | Err(_) => Err(ApiError::new(
            ErrorCode::Serialization,
            "The request body did not arrive whole in time.",
        )),
    }
}

fn is_too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// An import job's CSV, PUT to its pre-signed URL (`/import/{job_id}?token=...`), as a
/// client puts it to S3 for Cognito. The token is the authority here, as S3's signature is.
async fn upload(
    State(server): State<Arc<Server>>,
    Path(job_id): Path<String>,
    uri: http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(e) = check_host(&server, &headers) {
        return answer_response(api::Response::error(&e));
    }
    let token = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .unwrap_or_default()
        .to_string();
    let read = tokio::time::timeout(
        server.body_timeout * 6,
        axum::body::to_bytes(body, crate::local::user_import::MAX_CSV),
    );
    let csv = match read.await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) if is_too_large(&e) => {
            let e = ApiError::new(
                ErrorCode::RequestTooLarge,
                format!(
                    "An import CSV is at most {} bytes.",
                    crate::local::user_import::MAX_CSV
                ),
            );
            return answer_response(api::Response::error(&e));
        }
        _ => {
            let e = ApiError::new(
                ErrorCode::Serialization,
                "The CSV did not arrive whole in time.",
            );
            return answer_response(api::Response::error(&e));
        }
    };
    let store = server.store.clone();
    let stored = tokio::task::spawn_blocking(move || {
        crate::local::user_import::upload(&store, &job_id, &token, &csv)
    })
    .await;
    match stored {
        Ok(Ok(())) => StatusCode::OK.into_response(),
        Ok(Err(e)) => answer_response(api::Response::error(&e)),
        Err(e) => {
            tracing::error!(error = %e, "upload task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// Whether `--max-rps` lets one more request in now (the API and the domain's
/// endpoints count alike).
pub(super) fn admitted(server: &Server) -> bool {
    let admitted = server.limit.as_ref().is_none_or(RateLimit::admit);
    if !admitted {
        tracing::debug!("throttled a request");
    }
    admitted
}

async fn handle(
    State(server): State<Arc<Server>>,
    uri: http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(e) = check_host(&server, &headers) {
        return answer_response(api::Response::error(&e));
    }
    if !admitted(&server) {
        let e = ApiError::new(ErrorCode::TooManyRequests, "Rate exceeded");
        return answer_response(api::Response::error(&e));
    }
    let body = match read_body(&server, body).await {
        Ok(b) => b,
        Err(e) => return answer_response(api::Response::error(&e)),
    };
    if let Some(keys) = &server.credentials {
        let uri = uri.path_and_query().map_or("/", |p| p.as_str());
        let served = server.region.as_deref().unwrap_or("us-east-1");
        let now = std::time::SystemTime::now();
        if let Err(e) = keys.verify("POST", uri, &headers, &body, now, served) {
            tracing::info!(
                error = e.code.name(),
                "refused an unsigned or badly signed request"
            );
            return answer_response(api::Response::error(&e));
        }
    }
    let store = server.store.clone();
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let target = text("x-amz-target");
    let mut ctx = Context {
        endpoint: text("host").map(|host| format!("http://{host}")),
        ..Context::default()
    };
    if let Some(region) = server.region.clone().or_else(|| {
        text("authorization")
            .as_deref()
            .and_then(api::region_from_authorization)
    }) {
        ctx.region = region;
    }
    let answer =
        match off_the_runtime(move || api::handle(&store, &ctx, target.as_deref(), &body)).await {
            Ok(answer) => answer,
            Err(e) => {
                tracing::error!(error = %e, "request task failed");
                return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
            }
        };
    answer_response(answer)
}

/// Runs a store call, which may wait for the store's lock, where it cannot hold up the
/// runtime's other connections. On the multi-threaded runtime `serve` runs on, the call
/// stays on this thread and the thread's other work moves to another
/// (`block_in_place`): the answer does not wait for a thread to be woken for it and then
/// for this one to be woken again, two context switches that cost a sequential client
/// more than a small call itself. Elsewhere (a single-threaded runtime) it goes to the
/// blocking pool.
/// A panic in the call is caught and answered as an error, as the blocking pool does.
pub(super) async fn off_the_runtime<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    use tokio::runtime::{Handle, RuntimeFlavor};
    if Handle::current().runtime_flavor() == RuntimeFlavor::MultiThread {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            tokio::task::block_in_place(f)
        }))
        .map_err(|_| "the request's task panicked".to_string())
    } else {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| e.to_string())
    }
}

pub(super) fn answer_response(answer: api::Response) -> Response {
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
    run_with(store, listener, Options::default(), shutdown).await
}

pub async fn run_with(
    store: Arc<Store>,
    listener: TcpListener,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let limits = options.limits;
    // The verifier's table (a few milliseconds), before the first password needs it.
    std::thread::spawn(crate::local::sign_in::group::warm);
    connections::serve(listener, router_with(store, options), limits, shutdown).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_admits_its_rate_then_refills() {
        let limit = RateLimit::new(5);
        let t0 = Instant::now();
        let admitted = (0..20).filter(|_| limit.admit_at(t0)).count();
        assert_eq!(admitted, 5, "a burst of the rate, then refusals");
        let later = t0 + std::time::Duration::from_millis(450);
        let refilled = (0..10).filter(|_| limit.admit_at(later)).count();
        assert_eq!(refilled, 2, "0.45 s at 5 a second is two tokens");
        let much_later = later + std::time::Duration::from_secs(60);
        let capped = (0..20).filter(|_| limit.admit_at(much_later)).count();
        assert_eq!(capped, 5, "a long pause refills to the burst, no more");
    }

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
