//! Answers after six seconds: longer than Cognito waits for a trigger (five).

use lambda_runtime::Error;
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|event: Value| async move {
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        Ok(event)
    })
    .await
}
