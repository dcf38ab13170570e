//! The pool's Lambda triggers as the console sees them: the functions `LambdaConfig`
//! names (read from DescribeUserPool, changed through `update_pool`, one trigger at a
//! time, with every other member of `LambdaConfig` sent back as it was), whether a
//! function can be called, and what the pool's CustomMessage function writes for a
//! message (the Message customizations tab's preview).

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider::types as sdk;
use serde_json::Value;

use super::{Client, ClientError, ErrorKind};
use crate::lambda::LambdaError;
use crate::pool::triggers::{
    self, About, Caller, Configured, CustomMessage, Functions, MessageSource, Trigger,
};

/// The functions `config` names.
pub fn functions(config: &sdk::LambdaConfigType) -> Functions {
    let mut out = BTreeMap::new();
    for trigger in Trigger::ALL {
        let arn = match trigger {
            Trigger::PreSignUp => config.pre_sign_up(),
            Trigger::CustomMessage => config.custom_message(),
            Trigger::PostConfirmation => config.post_confirmation(),
            Trigger::PreAuthentication => config.pre_authentication(),
            Trigger::PostAuthentication => config.post_authentication(),
            Trigger::PreTokenGeneration => config.pre_token_generation(),
            Trigger::UserMigration => config.user_migration(),
            Trigger::DefineAuthChallenge => config.define_auth_challenge(),
            Trigger::CreateAuthChallenge => config.create_auth_challenge(),
            Trigger::VerifyAuthChallengeResponse => config.verify_auth_challenge_response(),
        };
        let mut configured = arn.filter(|a| !a.is_empty()).map(|arn| Configured {
            arn: arn.to_string(),
            version: 1,
        });
        if trigger == Trigger::PreTokenGeneration
            && let Some(versioned) = config.pre_token_generation_config()
        {
            configured = Some(Configured {
                arn: versioned.lambda_arn().to_string(),
                version: match versioned.lambda_version().as_str() {
                    "V2_0" => 2,
                    "V3_0" => 3,
                    _ => 1,
                },
            });
        }
        if let Some(configured) = configured {
            out.insert(trigger, configured);
        }
    }
    out
}

/// `current` with the triggers whose function differs between `before` and `after` set
/// as `after` has them; every other member as it was.
pub fn merged(
    current: Option<&sdk::LambdaConfigType>,
    before: &Functions,
    after: &Functions,
) -> sdk::LambdaConfigType {
    let mut b = match current {
        Some(c) => sdk::LambdaConfigType::builder()
            .set_pre_sign_up(c.pre_sign_up.clone())
            .set_custom_message(c.custom_message.clone())
            .set_post_confirmation(c.post_confirmation.clone())
            .set_pre_authentication(c.pre_authentication.clone())
            .set_post_authentication(c.post_authentication.clone())
            .set_define_auth_challenge(c.define_auth_challenge.clone())
            .set_create_auth_challenge(c.create_auth_challenge.clone())
            .set_verify_auth_challenge_response(c.verify_auth_challenge_response.clone())
            .set_pre_token_generation(c.pre_token_generation.clone())
            .set_pre_token_generation_config(c.pre_token_generation_config.clone())
            .set_user_migration(c.user_migration.clone())
            .set_custom_sms_sender(c.custom_sms_sender.clone())
            .set_custom_email_sender(c.custom_email_sender.clone())
            .set_kms_key_id(c.kms_key_id.clone())
            .set_inbound_federation(c.inbound_federation.clone()),
        None => sdk::LambdaConfigType::builder(),
    };
    for trigger in Trigger::ALL {
        let to = after.get(&trigger);
        if before.get(&trigger) == to {
            continue;
        }
        let arn = to.map(|c| c.arn.clone());
        b = match trigger {
            Trigger::PreSignUp => b.set_pre_sign_up(arn),
            Trigger::CustomMessage => b.set_custom_message(arn),
            Trigger::PostConfirmation => b.set_post_confirmation(arn),
            Trigger::PreAuthentication => b.set_pre_authentication(arn),
            Trigger::PostAuthentication => b.set_post_authentication(arn),
            Trigger::UserMigration => b.set_user_migration(arn),
            Trigger::DefineAuthChallenge => b.set_define_auth_challenge(arn),
            Trigger::CreateAuthChallenge => b.set_create_auth_challenge(arn),
            Trigger::VerifyAuthChallengeResponse => b.set_verify_auth_challenge_response(arn),
            Trigger::PreTokenGeneration => b
                .set_pre_token_generation(arn)
                .set_pre_token_generation_config(to.and_then(|c| {
                    sdk::PreTokenGenerationVersionConfigType::builder()
                        .lambda_arn(&c.arn)
                        .lambda_version(sdk::PreTokenGenerationLambdaVersionType::from(
                            c.lambda_version(),
                        ))
                        .build()
                        .ok()
                })),
        };
    }
    b.build()
}

/// What the console found when it called a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// It answered (a function that fails on a check's empty event has answered).
    Answers,
    /// It cannot be called: why, in Lambda's words.
    Unreachable(String),
}

/// What a CustomMessage function wrote for a message, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub source: MessageSource,
    pub message: CustomMessage,
}

impl Client {
    fn lambda_or_err(&self) -> Result<&crate::lambda::Lambda, ClientError> {
        self.lambda
            .as_deref()
            .ok_or_else(|| ClientError::new(ErrorKind::Config, "this console cannot call Lambda"))
    }

    /// Where the pool's functions are called, in a few words.
    pub fn lambda_target(&self) -> Option<String> {
        self.lambda.as_deref().map(crate::lambda::Lambda::describe)
    }

    /// Whether `function` can be called: an Invoke with `DryRun`, which on AWS checks the
    /// function and the permission without running it. (A local endpoint may run it with
    /// an empty event; it then answers or fails, and either way it is there.)
    pub async fn check_function(&self, function: &str) -> Result<Reach, ClientError> {
        Ok(match self.lambda_or_err()?.check(function).await {
            Ok(()) | Err(LambdaError::Function(_)) | Err(LambdaError::NotJson) => Reach::Answers,
            Err(LambdaError::Unreachable(why)) => Reach::Unreachable(why),
        })
    }

    /// Runs the pool's CustomMessage `function` for a message of `source` to a user with
    /// `attributes`, as the store would: what it wrote.
    pub async fn run_custom_message(
        &self,
        pool_id: &str,
        function: &str,
        source: MessageSource,
        username: &str,
        attributes: &[crate::pool::Attribute],
    ) -> Result<Written, ClientError> {
        let about = About {
            pool_id,
            username,
            caller: Caller::NotApplicable,
        };
        let request = triggers::message_request(
            triggers::user_attributes(attributes, Some("CONFIRMED")),
            source,
            &BTreeMap::new(),
        );
        let event = triggers::event(
            about,
            1,
            source.trigger_source(),
            request,
            triggers::message_response(),
        );
        let answer = self
            .lambda_or_err()?
            .invoke(function, &event)
            .await
            .map_err(|e| ClientError::new(ErrorKind::Other, e.to_string()))?;
        let response = answer.get("response").cloned().unwrap_or(Value::Null);
        let message = CustomMessage::from_response(&response).map_err(|why| {
            ClientError::new(
                ErrorKind::Other,
                format!("the function's answer is not a CustomMessage event: {why}"),
            )
        })?;
        Ok(Written { source, message })
    }
}
