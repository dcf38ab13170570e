//! CustomMessage: every message rewritten, with the code and username placeholders
//! Cognito fills in; a client metadata `length=long` asks for an SMS too long to send.

use aws_lambda_events::event::cognito::CognitoEventUserPoolsCustomMessage;
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|mut event: CognitoEventUserPoolsCustomMessage| async move {
        let source = serde_json::to_value(&event.cognito_event_user_pools_header.trigger_source)?;
        let source = source.as_str().unwrap_or_default().to_string();
        let code = event.request.code_parameter.clone().unwrap_or_default();
        let user = event.request.username_parameter.clone().unwrap_or_default();
        event.response.email_subject = Some(format!("Custom: {source}"));
        event.response.email_message =
            Some(format!("Hello {user}, your code is {code}. ({source})"));
        let long = event
            .request
            .client_metadata
            .get("length")
            .map(String::as_str)
            == Some("long");
        event.response.sms_message = Some(if long {
            format!("{code} {}", "x".repeat(200))
        } else {
            format!("Custom code {code}")
        });
        Ok(event)
    })
    .await
}
