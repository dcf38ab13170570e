//! The console's one door to Cognito: an aws-sdk-cognitoidentityprovider client for a
//! [`Target`], with calls that speak `pool` types. The local store is reached through
//! the same SDK (via the in-process connector), so every target takes the same path.

mod app_clients;
pub mod audit;
pub mod auth;
mod convert;
mod domains;
mod error;
mod groups;
mod import_jobs;
mod messages;
pub mod mfa;
mod pools;
pub mod raw;
pub mod target;
pub mod throttle;
pub mod triggers;
mod users;

pub use audit::{AuditLog, Auditor, audit_log_of, open_audit_log};
pub use auth::{SignIn, SignInClient, Tokens};
pub use error::{ClientError, ErrorKind};
pub use import_jobs::ImportJob;
pub use pools::merge_update;
pub use target::{Target, connect, connect_with};
pub use users::{UserPage, UserQuery};

use aws_sdk_cognitoidentityprovider as cognito;

/// A connected client and what it is connected to.
#[derive(Debug, Clone)]
pub struct Client {
    sdk: cognito::Client,
    target: Target,
    throttle: std::sync::Arc<throttle::ThrottleWatch>,
    /// The in-process connector `sdk` reaches the embedded store through, for what is
    /// not an API call: an import job's CSV, whose pre-signed URL names no server.
    in_process: Option<target::InProcess>,
    /// How the pool's Lambda functions are called, for a preview of what one answers.
    lambda: Option<std::sync::Arc<crate::lambda::Lambda>>,
}

impl Client {
    pub fn new(sdk: cognito::Client, target: Target) -> Self {
        Self {
            sdk,
            target,
            throttle: Default::default(),
            in_process: None,
            lambda: None,
        }
    }

    /// Calls the pool's functions, for previews, through `lambda`.
    pub fn with_lambda(mut self, lambda: std::sync::Arc<crate::lambda::Lambda>) -> Self {
        self.lambda = Some(lambda);
        self
    }

    /// `sdk` reaches the embedded store through `connector`.
    pub(super) fn in_process(mut self, connector: target::InProcess) -> Self {
        self.in_process = Some(connector);
        self
    }

    /// Uses `watch`, which an interceptor on `sdk` feeds (see [`throttle`]).
    pub fn watching(mut self, watch: std::sync::Arc<throttle::ThrottleWatch>) -> Self {
        self.throttle = watch;
        self
    }

    /// What the SDK's attempts have met of throttling.
    pub fn throttling(&self) -> &throttle::ThrottleWatch {
        &self.throttle
    }

    /// The SDK client itself, for calls the console does not wrap (tests use it to set
    /// settings the console never touches).
    pub fn sdk(&self) -> &cognito::Client {
        &self.sdk
    }

    /// Whether this is the embedded store in this process, which filters and sorts the
    /// whole pool itself (`UserQuery::local`, `UserQuery::sort`).
    pub fn is_local(&self) -> bool {
        self.in_process.is_some()
    }

    pub fn target(&self) -> &Target {
        &self.target
    }
}
