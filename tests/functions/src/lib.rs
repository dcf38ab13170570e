//! What every test function shares: running a handler that reads its event as
//! `aws_lambda_events` types it, and writing each event it gets where the tests read
//! them: `$TRIGGER_EVENTS/<userPoolId>/<n>-<triggerSource>-<userName>.json`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

static SEEN: AtomicU64 = AtomicU64::new(0);

/// Writes `event` for the tests, named by its pool, trigger source and user.
fn record(event: &Value) {
    let Some(dir) = std::env::var_os("TRIGGER_EVENTS") else {
        return;
    };
    let field = |name: &str| event.get(name).and_then(Value::as_str).unwrap_or("none");
    let pool = PathBuf::from(dir).join(field("userPoolId"));
    let _ = std::fs::create_dir_all(&pool);
    let n = SEEN.fetch_add(1, Ordering::SeqCst);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!(
        "{stamp}-{n}-{}-{}.json",
        field("triggerSource"),
        field("userName")
    );
    let _ = std::fs::write(pool.join(name), event.to_string());
}

/// Runs `handler` on each event, typed as `E`; the event is recorded first. An event that
/// does not parse as Cognito's is the function's error.
pub async fn run<E, R, F, Fut>(handler: F) -> Result<(), Error>
where
    E: DeserializeOwned,
    R: Serialize,
    F: Fn(E) -> Fut,
    Fut: std::future::Future<Output = Result<R, Error>>,
{
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        record(&event.payload);
        let typed: E = serde_json::from_value(event.payload)
            .map_err(|e| format!("the event is not Cognito's: {e}"))?;
        handler(typed).await
    }))
    .await
}
