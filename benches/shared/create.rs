//! What the bulk and passwords benches share: a pool made through the SDK, users a
//! second that many SDK calls in flight create, and a peer's Python script run.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use aws_sdk_cognitoidentityprovider::Client as Sdk;
use serde_json::Value;

use super::common;

/// Users a second that `clients` SDK calls in flight at once create through `endpoint`,
/// each with `temporary` as its TemporaryPassword, or one generated.
pub async fn create_at_once(
    endpoint: &str,
    n: usize,
    clients: usize,
    temporary: Option<&'static str>,
) -> f64 {
    use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
    let sdk = common::endpoint_client(endpoint).sdk().clone();
    let pool = new_pool(&sdk, "concurrent").await;
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (sdk, pool, next) = (sdk.clone(), pool.clone(), next.clone());
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    return;
                }
                sdk.admin_create_user()
                    .user_pool_id(&pool)
                    .username(format!("user{i:07}"))
                    .set_temporary_password(temporary.map(str::to_string))
                    .message_action(MessageActionType::Suppress)
                    .user_attributes(
                        AttributeType::builder()
                            .name("email")
                            .value(format!("user{i}@example.com"))
                            .build()
                            .expect("attribute"),
                    )
                    .send()
                    .await
                    .expect("AdminCreateUser");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("client task");
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// A new pool named `name`; its id.
pub async fn new_pool(sdk: &Sdk, name: &str) -> String {
    sdk.create_user_pool()
        .pool_name(name)
        .send()
        .await
        .expect("pool")
        .user_pool()
        .and_then(|p| p.id())
        .expect("id")
        .to_string()
}

/// Runs `benches/peers/<script>` with the project's .venv Python (no AWS configuration
/// read); what it printed, as JSON.
pub fn python(script: &str, args: &[&str]) -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("benches/peers").join(script))
        .args(args)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}
