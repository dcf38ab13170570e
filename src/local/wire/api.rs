//! The awsJson1.1 front door: `X-Amz-Target` picks the operation, the body is its JSON
//! input, and errors come back in Cognito's shape. Both the in-process connector and
//! `serve` call [`handle`], so they cannot answer differently.

use serde_json::{Value, json};

use crate::local::Store;
use crate::local::ops::{self, Context};
use crate::local::wire::error::{ApiError, ErrorCode};

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// An HTTP answer, ready for either transport.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    /// `x-amzn-ErrorType`, for errors.
    pub error_type: Option<&'static str>,
    pub body: Vec<u8>,
}

impl Response {
    fn ok(body: &Value) -> Self {
        Self::ok_text(body.to_string())
    }

    fn ok_text(body: String) -> Self {
        Self {
            status: 200,
            error_type: None,
            body: body.into_bytes(),
        }
    }

    pub fn error(e: &ApiError) -> Self {
        let name = e.code.name();
        Self {
            status: e.code.status(),
            error_type: Some(name),
            body: json!({ "__type": name, "message": e.message })
                .to_string()
                .into_bytes(),
        }
    }
}

/// The region a SigV4 `Authorization` header was signed for, if any: new pools are
/// named after it, as in Cognito (`us-west-2_AbC123xyZ`).
pub fn region_from_authorization(header: &str) -> Option<String> {
    let credential = header.split("Credential=").nth(1)?;
    let scope: Vec<&str> = credential.split([',', ' ']).next()?.split('/').collect();
    scope
        .get(2)
        .filter(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(|r| r.to_string())
}

/// Answers one request. Never panics on input: whatever arrives gets Cognito's error.
pub fn handle(store: &Store, ctx: &Context, target: Option<&str>, body: &[u8]) -> Response {
    match dispatch(store, ctx, target, body) {
        Ok(Answer::Value(value)) => Response::ok(&value),
        Ok(Answer::Text(text)) => Response::ok_text(text),
        Err(e) => {
            if e.code == ErrorCode::InternalError {
                tracing::error!(error = %e, "request failed");
            } else {
                tracing::debug!(error = %e.code.name(), "request refused");
            }
            Response::error(&e)
        }
    }
}

fn dispatch(
    store: &Store,
    ctx: &Context,
    target: Option<&str>,
    body: &[u8],
) -> Result<Answer, ApiError> {
    let target = target.ok_or_else(|| {
        ApiError::new(ErrorCode::UnknownOperation, "Missing X-Amz-Target header.")
    })?;
    let name = target.strip_prefix(TARGET_PREFIX).unwrap_or(target);
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body)?
    };
    if !body.is_object() {
        return Err(ApiError::new(
            ErrorCode::Serialization,
            "The request body must be a JSON object.",
        ));
    }
    answer(store, ctx, name, &body)
}

/// An operation's answer: a JSON value, or the JSON text it wrote itself.
enum Answer {
    Value(Value),
    Text(String),
}

/// Runs operation `name` on a JSON body, without HTTP: for seeding and tests.
pub fn call(store: &Store, ctx: &Context, name: &str, body: &Value) -> Result<Value, ApiError> {
    match answer(store, ctx, name, body)? {
        Answer::Value(value) => Ok(value),
        Answer::Text(text) => Ok(serde_json::from_str(&text)?),
    }
}

fn answer(store: &Store, ctx: &Context, name: &str, body: &Value) -> Result<Answer, ApiError> {
    let found = match (ops::find_text(name), ops::find(name)) {
        (Some(text), _) => Ok(text),
        (None, Some(op)) => Err(op),
        (None, None) => {
            return Err(ApiError::new(
                ErrorCode::UnknownOperation,
                format!("The local store does not support {name}."),
            ));
        }
    };
    // Cognito reads and checks every member against its service model before it looks
    // at what the request means.
    crate::pool::model::check_input(name, body).map_err(|invalid| {
        let code = match invalid {
            crate::pool::model::Invalid::Type { .. } => ErrorCode::Serialization,
            crate::pool::model::Invalid::Constraints(_) => ErrorCode::InvalidParameter,
        };
        ApiError::new(code, invalid.to_string())
    })?;
    match found {
        Ok(text) => text(store, ctx, body).map(Answer::Text),
        Err(op) => op(store, ctx, body).map(Answer::Value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_from_sigv4() {
        let h = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/cognito-idp/aws4_request, SignedHeaders=host, Signature=ab";
        assert_eq!(region_from_authorization(h).as_deref(), Some("us-west-2"));
        assert_eq!(region_from_authorization("Bearer x"), None);
        assert_eq!(region_from_authorization("Credential=a/b/../c"), None);
    }

    #[test]
    fn malformed_requests_get_cognito_errors() {
        let store = Store::open_in_memory().unwrap();
        let ctx = Context::default();
        let cases: &[(Option<&str>, &[u8], &str)] = &[
            (None, b"{}", "UnknownOperationException"),
            (
                Some("AWSCognitoIdentityProviderService.Nope"),
                b"{}",
                "UnknownOperationException",
            ),
            (
                Some("AWSCognitoIdentityProviderService.ListUsers"),
                b"{not json",
                "SerializationException",
            ),
            (
                Some("AWSCognitoIdentityProviderService.ListUsers"),
                b"[1]",
                "SerializationException",
            ),
            (
                Some("AWSCognitoIdentityProviderService.ListUsers"),
                b"{}",
                "InvalidParameterException",
            ),
            (
                Some("AWSCognitoIdentityProviderService.ListUsers"),
                br#"{"UserPoolId": "local_nothere"}"#,
                "ResourceNotFoundException",
            ),
        ];
        for (target, body, expected) in cases {
            let r = handle(&store, &ctx, *target, body);
            assert_eq!(r.status, 400);
            assert_eq!(r.error_type, Some(*expected), "{target:?}");
            let v: Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(v["__type"], *expected);
            assert!(!v["message"].as_str().unwrap().is_empty());
        }
    }
}
