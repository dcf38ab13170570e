use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_cognitoidentityprovider as cognito;
use cognito::config::{Credentials, Region};

use super::{Client, ClientError, ErrorKind, UserPage, UserQuery};
use crate::lambda::Lambda;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::seed, wire::connector::LocalConnector};
use crate::pool::audit::{Admin, Change, Entry, Outcome, Query};
use crate::pool::message::SentMessage;

/// Where the console's pools live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The embedded store in a SQLite file.
    Local { db: PathBuf },
    /// Amazon Cognito, or anything that speaks its protocol at `endpoint_url`. Unset
    /// fields come from the environment and config files, as the aws CLI reads them.
    Aws {
        profile: Option<String>,
        region: Option<String>,
        endpoint_url: Option<String>,
    },
}

impl Target {
    /// One line for a header: the database path, or profile / region / endpoint.
    pub fn describe(&self) -> String {
        match self {
            Target::Local { db } => format!("local {}", db.display()),
            Target::Aws {
                profile,
                region,
                endpoint_url,
            } => {
                let mut parts = vec![format!(
                    "aws profile {}",
                    profile.as_deref().unwrap_or("default")
                )];
                if let Some(r) = region {
                    parts.push(format!("region {r}"));
                }
                if let Some(e) = endpoint_url {
                    parts.push(format!("endpoint {e}"));
                }
                parts.join(", ")
            }
        }
    }
}

/// Requests that hang are cut off so the console can say so.
/// Tries per call, the first included, before a throttled call is reported.
pub const MAX_ATTEMPTS: u32 = 5;
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// Builds the client for `target`, whose pools' Lambda functions are called on AWS.
pub async fn connect(target: Target) -> Result<Client, ClientError> {
    connect_with(target, None).await
}

/// Builds the client for `target`. For the local store this opens (and on first use
/// seeds) the database; for AWS it reads configuration but resolves no credentials:
/// those are fetched on the first call, so start-up never waits on them. The pools'
/// Lambda functions (the store's triggers, the console's previews) are called at
/// `lambda_endpoint`, else on AWS.
pub async fn connect_with(
    target: Target,
    lambda_endpoint: Option<String>,
) -> Result<Client, ClientError> {
    match &target {
        Target::Local { db } => {
            let db = db.clone();
            let lambda = Arc::new(Lambda::new(lambda_endpoint.as_deref(), None));
            let calls = lambda.clone();
            let store = tokio::task::spawn_blocking(move || -> Result<Store, ClientError> {
                let config =
                    |e: &dyn std::fmt::Display| ClientError::new(ErrorKind::Config, e.to_string());
                // The console's and the commands' store: 16 MB of pages hold a million
                // users' index interiors; what is scrolled past need not stay.
                let store = Store::open(&db)
                    .map_err(|e| config(&e))?
                    .with_page_cache(16)
                    .map_err(|e| config(&e))?
                    .with_lambda(calls);
                seed::ensure_demo_pool(&store).map_err(|e| {
                    ClientError::new(
                        ErrorKind::Config,
                        format!("cannot create the demo pool: {e}"),
                    )
                })?;
                Ok(store)
            })
            .await
            .map_err(|e| ClientError::new(ErrorKind::Other, e.to_string()))??;
            Ok(local_client(Arc::new(store), target).with_lambda(lambda))
        }
        Target::Aws {
            profile,
            region,
            endpoint_url,
        } => {
            let mut loader = aws_config::defaults(BehaviorVersion::latest())
                // Adaptive: on TooManyRequestsException the SDK slows its own sending rate
                // as well as backing off. The console retries further, visibly.
                .retry_config(RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS))
                .timeout_config(
                    TimeoutConfig::builder()
                        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                        .operation_timeout(OPERATION_TIMEOUT)
                        .build(),
                );
            if let Some(p) = profile {
                loader = loader.profile_name(p);
            }
            if let Some(r) = region {
                loader = loader.region(Region::new(r.clone()));
            }
            if let Some(e) = endpoint_url {
                loader = loader.endpoint_url(e);
            }
            let config = loader.load().await;
            if config.region().is_none() {
                return Err(ClientError::new(
                    ErrorKind::Config,
                    "no AWS region: pass --region or set AWS_REGION (or a region in your profile)",
                ));
            }
            let watch = Arc::new(super::throttle::ThrottleWatch::default());
            let sdk_config = cognito::config::Builder::from(&config)
                .interceptor(super::throttle::Watcher(watch.clone()))
                .build();
            let lambda = Arc::new(Lambda::new(lambda_endpoint.as_deref(), profile.clone()));
            Ok(
                Client::new(cognito::Client::from_conf(sdk_config), target.clone())
                    .watching(watch)
                    .with_lambda(lambda),
            )
        }
    }
}

/// An SDK client whose requests are answered by `store` in this process.
pub fn local_sdk(store: Arc<Store>) -> cognito::Client {
    sdk_on(LocalConnector::new(store))
}

/// The console's client on the store at `store`, in this process.
pub fn local_client(store: Arc<Store>, target: Target) -> Client {
    let connector = LocalConnector::new(store);
    Client::new(sdk_on(connector.clone()), target).in_process(InProcess(connector))
}

fn sdk_on(connector: LocalConnector) -> cognito::Client {
    let config = cognito::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("local"))
        .credentials_provider(Credentials::new(
            "local",
            "local",
            None,
            None,
            "cognito-console",
        ))
        .endpoint_url(crate::local::user_import::IN_PROCESS)
        .http_client(connector)
        .build();
    cognito::Client::from_conf(config)
}

/// The embedded store reached in this process for what no Cognito operation does: the
/// audit log, the outbox, and an import job's CSV put at its pre-signed URL. This is the
/// client's one door into `local`; the rest of `client` sees only this type.
#[derive(Debug, Clone)]
pub struct InProcess(LocalConnector);

/// A refusal of the store's, as the client reports it (`what` says what was tried).
fn refused(what: &str) -> impl FnOnce(ApiError) -> ClientError + '_ {
    move |e| ClientError::new(ErrorKind::Other, format!("{what}: {e}"))
}

impl InProcess {
    /// The store in the file `db`, created if need be, without the demo pool. Blocks
    /// while it opens.
    pub fn open(db: &std::path::Path) -> Result<Self, ClientError> {
        let store =
            Store::open(db).map_err(|e| ClientError::new(ErrorKind::Config, e.to_string()))?;
        Ok(Self(LocalConnector::new(Arc::new(store))))
    }

    /// Whether `url` is one of this store's pre-signed URLs (they name no server).
    pub fn takes(url: &str) -> bool {
        LocalConnector::takes(url)
    }

    /// A PUT to one of this store's pre-signed URLs: the status and body of the answer.
    pub async fn put(&self, url: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
        self.0.put(url, body).await
    }

    /// The messages the store sent `username`, newest first.
    pub async fn messages(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<Vec<SentMessage>, ClientError> {
        self.0
            .messages(pool_id, username)
            .await
            .map_err(refused("cannot read the outbox"))
    }

    /// Writes an audit entry; its id.
    pub async fn audit_record(
        &self,
        session: String,
        admin: Admin,
        change: Change,
        outcome: Outcome,
    ) -> Result<i64, ClientError> {
        self.0
            .audit_record(session, admin, change, outcome)
            .await
            .map_err(refused(UNWRITTEN))
    }

    /// Records how the pending entry `id` ended.
    pub async fn audit_finish(&self, id: i64, outcome: Outcome) -> Result<(), ClientError> {
        self.0
            .audit_finish(id, outcome)
            .await
            .map_err(refused(UNWRITTEN))
    }

    /// Marks a session's pending entries abandoned, saying `why`.
    pub async fn audit_abandon(&self, session: String, why: String) -> Result<usize, ClientError> {
        self.0
            .audit_abandon(session, why)
            .await
            .map_err(refused(UNWRITTEN))
    }

    /// The audit entries `query` selects, newest first.
    pub async fn audit_list(&self, query: Query) -> Result<Vec<Entry>, ClientError> {
        self.0
            .audit_list(query)
            .await
            .map_err(refused("cannot read the audit log"))
    }
}

impl InProcess {
    /// Why each failed row of an import job failed: (line, username, reason).
    pub async fn import_failures(
        &self,
        job_id: &str,
    ) -> Result<Vec<(u64, String, String)>, ClientError> {
        self.0
            .import_failures(job_id.to_string())
            .await
            .map_err(refused("cannot read the import job's failures"))
    }

    /// A page of the users `query` selects, filtered and ordered in the store; how many
    /// rows were read to find them.
    pub async fn scan_users(
        &self,
        pool_id: &str,
        query: &UserQuery,
    ) -> Result<(UserPage, u64), ClientError> {
        let page = self
            .0
            .scan_users(
                pool_id.to_string(),
                query.filter.clone(),
                query.local.clone(),
                query.sort,
                query.limit.unwrap_or(60).max(1) as usize,
                query.pagination_token.clone(),
            )
            .await
            .map_err(|e| ClientError::new(ErrorKind::Other, e.message))?;
        Ok((
            UserPage {
                users: page.users,
                next: page.next,
                scanned: Some(page.scanned),
            },
            page.scanned,
        ))
    }
}

const UNWRITTEN: &str = "the audit log cannot be written";
