use std::fmt;

use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::error::display::DisplayErrorContext;

/// What kind of failure: decides how the console shows it and whether to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Cognito answered with an error (`code` names it).
    Service,
    /// TooManyRequestsException, after the SDK's own retries.
    Throttled,
    /// No answer: connection refused, DNS, TLS...
    Network,
    /// No answer in time.
    Timeout,
    /// The request could not be built or signed: credentials, region, configuration.
    Config,
    /// A rule checked before calling (the request never left).
    Invalid,
    Other,
}

/// A failed call: Cognito's exception name when it gave one, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    pub kind: ErrorKind,
    /// e.g. `UsernameExistsException`.
    pub code: Option<String>,
    pub message: String,
}

impl ClientError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: None,
            message: message.into(),
        }
    }

    /// Whether Cognito answered with exception `code`.
    pub fn is(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<crate::pool::RuleError> for ClientError {
    fn from(e: crate::pool::RuleError) -> Self {
        Self::new(ErrorKind::Invalid, e.to_string())
    }
}

/// The innermost cause, which names what a user can act on ("Connection refused"),
/// where the outer layers only say "dispatch failure: io error: client error".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

impl<E, R> From<SdkError<E, R>> for ClientError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    fn from(e: SdkError<E, R>) -> Self {
        let (kind, code, message) = match &e {
            SdkError::ServiceError(service) => {
                let err = service.err();
                let code = err.code().map(str::to_string);
                let kind = if code.as_deref() == Some("TooManyRequestsException") {
                    ErrorKind::Throttled
                } else {
                    ErrorKind::Service
                };
                let message = err
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| DisplayErrorContext(&e).to_string());
                (kind, code, message)
            }
            SdkError::TimeoutError(_) => (
                ErrorKind::Timeout,
                None,
                "Cognito did not answer in time".to_string(),
            ),
            SdkError::DispatchFailure(d) if d.is_timeout() => (
                ErrorKind::Timeout,
                None,
                "Cognito did not answer in time".to_string(),
            ),
            SdkError::DispatchFailure(_) => {
                tracing::debug!(error = %DisplayErrorContext(&e), "dispatch failure");
                (
                    ErrorKind::Network,
                    None,
                    format!("cannot reach Cognito: {}", root_cause(&e)),
                )
            }
            SdkError::ConstructionFailure(_) => (
                ErrorKind::Config,
                None,
                format!("cannot build the request: {}", DisplayErrorContext(&e)),
            ),
            _ => (ErrorKind::Other, None, DisplayErrorContext(&e).to_string()),
        };
        Self {
            kind,
            code,
            message,
        }
    }
}
