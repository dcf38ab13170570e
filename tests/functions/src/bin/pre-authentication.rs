//! PreAuthentication: the user `blocked` may not sign in.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPreAuthentication;
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|event: CognitoEventUserPoolsPreAuthentication| async move {
        if event.cognito_event_user_pools_header.user_name.as_deref() == Some("blocked") {
            return Err("blocked by policy".into());
        }
        Ok(event)
    })
    .await
}
