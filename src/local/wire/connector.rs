//! The in-process connector: an HTTP client for the AWS SDK that hands each request to
//! [`api::handle`] instead of a socket. The SDK builds, signs and parses exactly as it
//! would against Cognito, so the console has one code path for every target.

use std::sync::Arc;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use crate::local::Store;
use crate::local::ops::Context;
use crate::local::ops::scan_users::{self, ScanPage};
use crate::local::wire::api;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::audit::{Admin, Change, Entry, Outcome, Query};
use crate::pool::filter::Filter;
use crate::pool::user_filter::{LocalFilter, Sort};

#[derive(Debug, Clone)]
pub struct LocalConnector {
    store: Arc<Store>,
}

impl LocalConnector {
    pub fn new(store: Arc<Store>) -> Self {
        Self { store }
    }

    /// Whether `url` is one of this store's pre-signed URLs (they name no server).
    pub fn takes(url: &str) -> bool {
        url.starts_with(crate::local::user_import::IN_PROCESS)
    }

    /// A PUT to one of this store's pre-signed URLs (an import job's CSV), taken as
    /// `serve` takes it: the status and body of the answer.
    pub async fn put(&self, url: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
        let rest = url
            .strip_prefix(crate::local::user_import::IN_PROCESS)
            .unwrap_or(url);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let Some(job_id) = path.strip_prefix("/import/").map(str::to_string) else {
            let e = ApiError::new(ErrorCode::ResourceNotFound, format!("No such URL: {url}"));
            let answer = api::Response::error(&e);
            return (answer.status, answer.body);
        };
        let token = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("token="))
            .unwrap_or_default()
            .to_string();
        let store = Arc::clone(&self.store);
        let stored = tokio::task::spawn_blocking(move || {
            crate::local::user_import::upload(&store, &job_id, &token, &body)
        })
        .await;
        match stored {
            Ok(Ok(())) => (200, Vec::new()),
            Ok(Err(e)) => {
                let answer = api::Response::error(&e);
                (answer.status, answer.body)
            }
            Err(e) => (500, e.to_string().into_bytes()),
        }
    }
}

impl LocalConnector {
    /// The messages the store sent `username` (the username as stored), newest first:
    /// the outbox is the store's own, no Cognito operation reads it.
    pub async fn messages(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<Vec<crate::pool::message::SentMessage>, ApiError> {
        let (store, pool_id, username) = (
            Arc::clone(&self.store),
            pool_id.to_string(),
            username.to_string(),
        );
        tokio::task::spawn_blocking(move || {
            crate::local::mail::outbox::list(&store, &pool_id, Some(&username))
        })
        .await
        .unwrap_or_else(|e| Err(ApiError::new(ErrorCode::InternalError, e.to_string())))
    }
}

/// The audit log: no Cognito operation writes or reads it.
impl LocalConnector {
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .unwrap_or_else(|e| Err(ApiError::new(ErrorCode::InternalError, e.to_string())))
    }

    /// Writes an entry (see [`crate::local::db::audit::record`]); its id.
    pub async fn audit_record(
        &self,
        session: String,
        admin: Admin,
        change: Change,
        outcome: Outcome,
    ) -> Result<i64, ApiError> {
        self.blocking(move |s| {
            crate::local::db::audit::record(s, &session, &admin, &change, &outcome)
        })
        .await
    }

    pub async fn audit_finish(&self, id: i64, outcome: Outcome) -> Result<(), ApiError> {
        self.blocking(move |s| crate::local::db::audit::finish(s, id, &outcome))
            .await
    }

    pub async fn audit_abandon(&self, session: String, why: String) -> Result<usize, ApiError> {
        self.blocking(move |s| crate::local::db::audit::abandon(s, &session, &why))
            .await
    }

    pub async fn audit_list(&self, query: Query) -> Result<Vec<Entry>, ApiError> {
        self.blocking(move |s| crate::local::db::audit::list(s, &query))
            .await
    }

    /// Why each failed row of an import job failed (line, username, reason).
    pub async fn import_failures(
        &self,
        job_id: String,
    ) -> Result<Vec<(u64, String, String)>, ApiError> {
        self.blocking(move |s| crate::local::user_import::failures(s, &job_id))
            .await
    }

    /// A page of users by the console's own filters and order (see
    /// [`crate::local::ops::scan_users`]).
    pub async fn scan_users(
        &self,
        pool_id: String,
        filter: Option<Filter>,
        local: LocalFilter,
        sort: Option<Sort>,
        limit: usize,
        token: Option<String>,
    ) -> Result<ScanPage, ApiError> {
        self.blocking(move |s| {
            scan_users::run(
                s,
                &scan_users::Scan {
                    pool_id: &pool_id,
                    filter: filter.as_ref(),
                    local: &local,
                    sort,
                    limit,
                    token: token.as_deref(),
                },
            )
        })
        .await
    }
}

impl HttpConnector for LocalConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let store = Arc::clone(&self.store);
        let headers = request.headers();
        let target = headers.get("x-amz-target").map(str::to_string);
        let mut ctx = Context {
            endpoint: Some(crate::local::user_import::IN_PROCESS.to_string()),
            ..Context::default()
        };
        if let Some(region) = headers
            .get("authorization")
            .and_then(api::region_from_authorization)
        {
            ctx.region = region;
        }
        let body = request
            .body()
            .bytes()
            .map(<[u8]>::to_vec)
            .unwrap_or_default();
        HttpConnectorFuture::new(async move {
            // SQLite and the SRP arithmetic block: keep them off the async workers.
            let answer = tokio::task::spawn_blocking(move || {
                api::handle(&store, &ctx, target.as_deref(), &body)
            })
            .await
            .map_err(|e| ConnectorError::other(Box::new(e), None))?;
            let status = StatusCode::try_from(answer.status)
                .map_err(|e| ConnectorError::other(Box::new(e), None))?;
            let mut response = HttpResponse::new(status, SdkBody::from(answer.body));
            response
                .headers_mut()
                .insert("content-type", api::CONTENT_TYPE);
            if let Some(error_type) = answer.error_type {
                response
                    .headers_mut()
                    .insert("x-amzn-errortype", error_type);
            }
            Ok(response)
        })
    }
}

impl HttpClient for LocalConnector {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}
