//! CreateAuthChallenge: the question in public, its answer in private.

use std::collections::HashMap;

use aws_lambda_events::event::cognito::CognitoEventUserPoolsCreateAuthChallenge;
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(
        |mut event: CognitoEventUserPoolsCreateAuthChallenge| async move {
            event.response.public_challenge_parameters =
                HashMap::from([("question".to_string(), "What is 6 times 7?".to_string())]);
            event.response.private_challenge_parameters =
                HashMap::from([("answer".to_string(), "42".to_string())]);
            event.response.challenge_metadata = Some("QUESTION-1".into());
            Ok(event)
        },
    )
    .await
}
