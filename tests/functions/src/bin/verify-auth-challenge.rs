//! VerifyAuthChallengeResponse: the answer must be the private one.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsVerifyAuthChallenge;
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(
        |mut event: CognitoEventUserPoolsVerifyAuthChallenge| async move {
            let expected = event
                .request
                .private_challenge_parameters
                .get("answer")
                .cloned();
            let given = event
                .request
                .challenge_answer
                .as_ref()
                .and_then(|a| a.as_str())
                .map(str::to_string);
            event.response.answer_correct = expected.is_some() && expected == given;
            Ok(event)
        },
    )
    .await
}
