//! Takes any Cognito event, records it, and answers it unchanged: PostConfirmation and
//! PostAuthentication, whose answers Cognito does not read.

use lambda_runtime::Error;
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|event: Value| async move { Ok(event) }).await
}
