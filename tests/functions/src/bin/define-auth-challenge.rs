//! DefineAuthChallenge: one custom question; tokens once it is answered right, failure
//! after three wrong answers.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsDefineAuthChallenge;
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(
        |mut event: CognitoEventUserPoolsDefineAuthChallenge| async move {
            let session: Vec<_> = event.request.session.iter().flatten().collect();
            let right = session.iter().any(|c| c.challenge_result);
            let wrong = session.iter().filter(|c| !c.challenge_result).count();
            if event.request.user_not_found || wrong >= 3 {
                event.response.fail_authentication = true;
            } else if right {
                event.response.issue_tokens = true;
            } else {
                event.response.challenge_name = Some("CUSTOM_CHALLENGE".into());
            }
            Ok(event)
        },
    )
    .await
}
