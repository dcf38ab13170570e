//! PreTokenGeneration, version 1: a claim added, the email suppressed, and the groups
//! overridden in the ID token.

use aws_lambda_events::event::cognito::{
    ClaimsOverrideDetails, CognitoEventUserPoolsPreTokenGen, GroupConfiguration,
};
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|mut event: CognitoEventUserPoolsPreTokenGen| async move {
        let mut details = ClaimsOverrideDetails::default();
        details
            .claims_to_add_or_override
            .insert("department".into(), "from-the-trigger".into());
        details.claims_to_suppress = vec!["email".into()];
        let mut groups = GroupConfiguration::default();
        groups.groups_to_override = vec!["trigger-group".into()];
        details.group_override_details = groups;
        event.response.claims_override_details = Some(details);
        Ok(event)
    })
    .await
}
