//! Users a second that many SDK calls in flight create: the bulk and passwords benches'.

use std::time::Instant;

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
    let pool = sdk
        .create_user_pool()
        .pool_name("concurrent")
        .send()
        .await
        .expect("pool")
        .user_pool()
        .and_then(|p| p.id())
        .expect("id")
        .to_string();
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
