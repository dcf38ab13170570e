//! Answers with something that is not the event Cognito sent.

use lambda_runtime::Error;
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|_event: Value| async move { Ok(Value::String("not an event".into())) })
        .await
}
