//! PreSignUp: a sign-up whose validation data holds `invite=yes` is confirmed and its
//! email verified at once; an email at blocked.example is refused.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsPreSignup;
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|mut event: CognitoEventUserPoolsPreSignup| async move {
        let email = event
            .request
            .user_attributes
            .get("email")
            .cloned()
            .unwrap_or_default();
        if email.ends_with("@blocked.example") {
            return Err("sign-ups from blocked.example are closed".into());
        }
        let invited = event
            .request
            .validation_data
            .get("invite")
            .map(String::as_str)
            == Some("yes");
        event.response.auto_confirm_user = invited;
        event.response.auto_verify_email = invited && !email.is_empty();
        Ok(event)
    })
    .await
}
