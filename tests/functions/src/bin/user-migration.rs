//! UserMigration: users whose names start with `legacy-` exist in the old system with
//! the password `Legacy-Passw0rd`; they arrive with a verified email, CONFIRMED at a
//! sign-in and RESET_REQUIRED from a forgotten password.

use std::collections::HashMap;

use aws_lambda_events::event::cognito::CognitoEventUserPoolsMigrateUser;
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|mut event: CognitoEventUserPoolsMigrateUser| async move {
        let name = event
            .cognito_event_user_pools_header
            .user_name
            .clone()
            .unwrap_or_default();
        if !name.starts_with("legacy-") {
            return Err("User not found in the old system".into());
        }
        let source = serde_json::to_value(&event.cognito_event_user_pools_header.trigger_source)?;
        let signing_in = source.as_str() == Some("UserMigration_Authentication");
        if signing_in
            && event
                .cognito_event_user_pools_migrate_user_request
                .password
                .as_deref()
                != Some("Legacy-Passw0rd")
        {
            return Err("Bad password".into());
        }
        event
            .cognito_event_user_pools_migrate_user_response
            .user_attributes = HashMap::from([
            ("email".to_string(), format!("{name}@legacy.example")),
            ("email_verified".to_string(), "true".to_string()),
        ]);
        event
            .cognito_event_user_pools_migrate_user_response
            .final_user_status = Some(
            if signing_in {
                "CONFIRMED"
            } else {
                "RESET_REQUIRED"
            }
            .into(),
        );
        event
            .cognito_event_user_pools_migrate_user_response
            .message_action = Some("SUPPRESS".into());
        Ok(event)
    })
    .await
}
