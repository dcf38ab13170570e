//! Calling a Lambda function as Cognito calls a trigger: the Invoke API through
//! aws-sdk-lambda, RequestResponse, on AWS (the credentials and profile of the target,
//! the region the function's ARN names) or on a local Lambda endpoint (`cargo lambda
//! watch`, SAM local...), which knows its functions by name. A call gets five seconds,
//! and is made three times in all when the call itself fails (Cognito's "it must
//! respond within 5 seconds. If it does not, Amazon Cognito retries the call. After
//! three unsuccessful attempts, the function times out"). It knows Lambda, nothing of
//! pools: the local store's triggers and the console's previews both call through it.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_lambda as lambda;
use aws_sdk_lambda::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use serde_json::Value;

/// How long Cognito waits for a function.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// Calls that fail to reach the function are made this many times in all.
pub const ATTEMPTS: usize = 3;

/// How a call went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LambdaError {
    /// The function ran and failed (threw, or its runtime did): its message.
    #[error("the function failed: {0}")]
    Function(String),
    /// The call did not reach the function, was refused, or took too long: why, in
    /// Lambda's words (an error code, "Socket timeout while invoking Lambda function").
    #[error("the function could not be called: {0}")]
    Unreachable(String),
    /// The function answered something that is not JSON.
    #[error("the function's answer is not JSON")]
    NotJson,
}

/// The way to call Lambda.
pub struct Lambda {
    runtime: tokio::runtime::Handle,
    /// The local endpoint functions are called at, if not AWS.
    endpoint: Option<String>,
    /// A local endpoint: one client, functions by name.
    local: Option<lambda::Client>,
    /// AWS: the profile whose credentials call (None: the default chain), and a client
    /// per region, made when a function there is first called.
    profile: Option<String>,
    regions: tokio::sync::Mutex<HashMap<String, lambda::Client>>,
}

impl std::fmt::Debug for Lambda {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lambda")
            .field("local", &self.local.is_some())
            .finish()
    }
}

/// What went wrong with one attempt.
enum Failure {
    /// The function ran and failed: its message.
    Function(String),
    /// The call did not reach the function or did not come back: worth trying again.
    Transient(String),
    /// The call was refused: trying again will not help.
    Refused(String),
}

impl Lambda {
    /// Calls Lambda at `endpoint` (a local Lambda endpoint) or, without one, on AWS with
    /// the credentials of `profile` (None: the default chain, as the aws CLI finds
    /// them), resolved on the first call. Made on the runtime that blocking calls
    /// ([`Lambda::invoke_blocking`]) will wait on.
    pub fn new(endpoint: Option<&str>, profile: Option<String>) -> Self {
        let local = endpoint.map(|url| {
            let config = lambda::Config::builder()
                .behavior_version(aws_config::BehaviorVersion::latest())
                .region(lambda::config::Region::new("us-east-1"))
                .credentials_provider(lambda::config::Credentials::new(
                    "local",
                    "local",
                    None,
                    None,
                    "cognito-console",
                ))
                .endpoint_url(url)
                .retry_config(aws_config::retry::RetryConfig::disabled())
                .build();
            lambda::Client::from_conf(config)
        });
        Self {
            runtime: tokio::runtime::Handle::current(),
            endpoint: endpoint.map(str::to_string),
            local,
            profile,
            regions: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Where functions are called, in a few words.
    pub fn describe(&self) -> String {
        match &self.endpoint {
            Some(url) => format!("the Lambda endpoint {url}, by function name"),
            None => "AWS Lambda, in each function's region".into(),
        }
    }

    /// The client and the name to call `arn` by: a local endpoint knows its functions by
    /// name, AWS by ARN, in the ARN's region.
    async fn target(&self, arn: &str) -> (lambda::Client, String) {
        let parts: Vec<&str> = arn.split(':').collect();
        if let Some(client) = &self.local {
            // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
            let name = parts.get(6).copied().unwrap_or(arn);
            return (client.clone(), name.to_string());
        }
        let region = parts.get(3).copied().unwrap_or_default().to_string();
        let mut regions = self.regions.lock().await;
        if let Some(client) = regions.get(&region) {
            return (client.clone(), arn.to_string());
        }
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .retry_config(aws_config::retry::RetryConfig::disabled());
        if let Some(profile) = &self.profile {
            loader = loader.profile_name(profile);
        }
        if !region.is_empty() {
            loader = loader.region(lambda::config::Region::new(region.clone()));
        }
        let client = lambda::Client::new(&loader.load().await);
        regions.insert(region, client.clone());
        (client, arn.to_string())
    }

    /// Whether `function` can be called: Invoke with `DryRun` (on AWS: the function and
    /// the permission are checked, nothing runs). Once, five seconds.
    pub async fn check(&self, function: &str) -> Result<(), LambdaError> {
        let (client, name) = self.target(function).await;
        let call = client
            .invoke()
            .function_name(&name)
            .invocation_type(InvocationType::DryRun)
            .payload(Blob::new(b"{}".to_vec()))
            .send();
        match tokio::time::timeout(TIMEOUT, call).await {
            Err(_) => Err(LambdaError::Unreachable(
                "Socket timeout while invoking Lambda function".into(),
            )),
            Ok(Ok(out)) if out.function_error().is_some() => Err(LambdaError::Function(
                error_message(out.payload().map(Blob::as_ref)),
            )),
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(match failure(e) {
                Failure::Function(message) => LambdaError::Function(message),
                Failure::Transient(why) | Failure::Refused(why) => LambdaError::Unreachable(why),
            }),
        }
    }

    /// Calls `function` with `event` from a blocking thread (the store's operations run
    /// on them): waits on the runtime this was made on.
    pub fn invoke_blocking(&self, function: &str, event: &Value) -> Result<Value, LambdaError> {
        self.runtime.block_on(self.invoke(function, event))
    }

    /// Calls `function` with `event`: its answer.
    pub async fn invoke(&self, function: &str, event: &Value) -> Result<Value, LambdaError> {
        let (client, name) = self.target(function).await;
        let payload = event.to_string().into_bytes();
        let mut last = String::new();
        for _ in 0..ATTEMPTS {
            let call = client
                .invoke()
                .function_name(&name)
                .invocation_type(InvocationType::RequestResponse)
                .payload(Blob::new(payload.clone()))
                .send();
            let failure = match tokio::time::timeout(TIMEOUT, call).await {
                Err(_) => {
                    Failure::Transient("Socket timeout while invoking Lambda function".into())
                }
                Ok(Ok(out)) => match (out.function_error(), out.payload()) {
                    (Some(_), payload) => {
                        Failure::Function(error_message(payload.map(Blob::as_ref)))
                    }
                    (None, payload) => {
                        return serde_json::from_slice(
                            payload.map(Blob::as_ref).unwrap_or_default(),
                        )
                        .map_err(|_| LambdaError::NotJson);
                    }
                },
                Ok(Err(e)) => failure(e),
            };
            match failure {
                Failure::Function(message) => return Err(LambdaError::Function(message)),
                Failure::Refused(why) => return Err(LambdaError::Unreachable(why)),
                Failure::Transient(why) => last = why,
            }
        }
        Err(LambdaError::Unreachable(last))
    }
}

/// The `errorMessage` of a function's error payload (or the payload as it is).
fn error_message(payload: Option<&[u8]>) -> String {
    let payload = payload.unwrap_or_default();
    serde_json::from_slice::<Value>(payload)
        .ok()
        .and_then(|v| {
            v.get("errorMessage")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| String::from_utf8_lossy(payload).into_owned())
}

/// What a failed call means. A local endpoint such as `cargo lambda watch` answers a
/// function's error with a 5xx whose body is the error payload, where AWS answers 200
/// with `X-Amz-Function-Error`: both are the function's failure.
fn failure(e: SdkError<lambda::operation::invoke::InvokeError, HttpResponse>) -> Failure {
    match &e {
        SdkError::ServiceError(service) => {
            let raw = service.raw();
            let status = raw.status().as_u16();
            let body = raw.body().bytes().unwrap_or_default();
            let code = service.err().code().map(str::to_string);
            let thrown = serde_json::from_slice::<Value>(body)
                .ok()
                .filter(|v| v.get("errorMessage").is_some());
            match (code, thrown) {
                (None, Some(_)) => Failure::Function(error_message(Some(body))),
                (Some(code), _) if code == "TooManyRequestsException" || status >= 500 => {
                    Failure::Transient(code)
                }
                (Some(code), _) => Failure::Refused(code),
                (None, None) if status == 404 => {
                    Failure::Refused("ResourceNotFoundException".into())
                }
                (None, None) if status >= 500 => Failure::Transient("ServiceException".into()),
                (None, None) => Failure::Refused(format!("HTTP {status}")),
            }
        }
        SdkError::TimeoutError(_) => {
            Failure::Transient("Socket timeout while invoking Lambda function".into())
        }
        SdkError::DispatchFailure(d) => Failure::Transient(format!(
            "cannot reach the Lambda endpoint ({})",
            d.as_connector_error()
                .map(|c| c.to_string())
                .unwrap_or_else(|| "no connection".into())
        )),
        _ => Failure::Refused(e.to_string()),
    }
}
