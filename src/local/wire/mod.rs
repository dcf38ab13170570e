//! Cognito's wire protocol (awsJson1.1): [`api`] dispatches a request to its operation,
//! [`error`] shapes Cognito's errors, [`connector`] carries the SDK's requests in
//! process and [`serve`] on TCP. Here: the helpers every operation's body shares
//! (request parsing, timestamps, attribute lists, pagination tokens).

pub mod api;
pub mod connector;
pub mod error;
pub mod serve;

/// Where `serve` listens unless told otherwise (loopback only), and so the address the
/// store's URLs name when no caller's endpoint is known.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9229";

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::local::wire::error::ApiError;
use crate::pool::Attribute;

/// Epoch seconds with milliseconds, as Cognito writes timestamps (`1548099495.428`).
pub fn epoch(t: SystemTime) -> f64 {
    let ms = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    ms as f64 / 1000.0
}

/// The time an [`epoch`] number stands for (a negative one is the epoch itself).
pub fn from_epoch(secs: f64) -> SystemTime {
    UNIX_EPOCH + std::time::Duration::from_secs_f64(secs.max(0.0))
}

/// Parses a request body into an operation's input. A missing or mistyped member is
/// Cognito's InvalidParameterException, naming the member.
pub fn input<T: DeserializeOwned>(body: &Value) -> Result<T, ApiError> {
    serde_json::from_value(body.clone())
        .map_err(|e| ApiError::invalid(format!("1 validation error detected: {e}")))
}

/// `AttributeType` as sent: `Value` may be omitted.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeIn {
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
}

impl From<AttributeIn> for Attribute {
    fn from(a: AttributeIn) -> Self {
        Attribute::new(a.name, a.value.unwrap_or_default())
    }
}

pub fn attributes_json(attrs: &[Attribute]) -> Value {
    Value::Array(
        attrs
            .iter()
            .map(|a| json!({ "Name": a.name, "Value": a.value }))
            .collect(),
    )
}

/// Opaque pagination tokens: base64url of a small JSON value.
pub fn encode_token(value: &Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

pub fn decode_token(token: &str) -> Result<Value, ApiError> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::invalid("Invalid pagination token."))
}

/// A user's `UserMFASettingList` and `PreferredMfaSetting`, each left out when empty.
pub fn mfa_settings(out: &mut Value, mfa: &crate::pool::mfa::UserMfa) {
    if !mfa.enabled.is_empty() {
        let list: Vec<&str> = mfa.enabled.iter().map(|f| f.challenge()).collect();
        out["UserMFASettingList"] = json!(list);
    }
    if let Some(preferred) = mfa.preferred {
        out["PreferredMfaSetting"] = json!(preferred.challenge());
    }
}
