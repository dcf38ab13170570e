//! PreTokenGeneration, version 2: a claim in both tokens, a scope added to the access
//! token and one taken away.

use aws_lambda_events::event::cognito::{
    ClaimsAndScopeOverrideDetailsV2, CognitoAccessTokenGenerationV2,
    CognitoEventUserPoolsPreTokenGenV2, CognitoIdTokenGenerationV2,
};
use lambda_runtime::Error;

#[tokio::main]
async fn main() -> Result<(), Error> {
    trigger_functions::run(|mut event: CognitoEventUserPoolsPreTokenGenV2| async move {
        let mut id = CognitoIdTokenGenerationV2::default();
        id.claims_to_add_or_override
            .insert("tier".into(), "gold".into());
        let mut access = CognitoAccessTokenGenerationV2::default();
        access
            .claims_to_add_or_override
            .insert("tier".into(), "gold".into());
        access.scopes_to_add = vec!["demo/read".into()];
        access.scopes_to_suppress = vec!["aws.cognito.signin.user.admin".into()];
        let mut details = ClaimsAndScopeOverrideDetailsV2::default();
        details.id_token_generation = Some(id);
        details.access_token_generation = Some(access);
        event.response.claims_and_scope_override_details = Some(details);
        Ok(event)
    })
    .await
}
