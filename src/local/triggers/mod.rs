//! The pool's Lambda triggers, called as Cognito calls them: the function its
//! `LambdaConfig` names, through [`crate::lambda`] (on AWS or a local Lambda endpoint),
//! with Cognito's event (`pool::triggers` shapes it) and its answer read as Cognito
//! reads it. What a function throws is `UserLambdaValidationException` ("PreSignUp
//! failed with error ..."), a function that cannot be reached or takes longer than
//! Cognito waits `UnexpectedLambdaException`, an answer that is not the event
//! `InvalidLambdaResponseException` (docs/documented-rules.md, TRIG-*).
//!
//! A trigger is called outside every database transaction, before the change it may
//! refuse is written: a slow function never holds up the store, and a refused change
//! leaves nothing behind. Each call is logged and written in the audit log: the
//! function, the trigger, how long it took and how it ended (never a password or code).
//!
//! One file for each group of triggers: [`sign_up`] (pre sign-up, post confirmation),
//! [`custom_message`], [`authentication`] (pre and post authentication, user
//! migration), [`pre_token`], [`auth_challenge`] (define, create, verify).

pub mod auth_challenge;
pub mod authentication;
pub mod custom_message;
pub mod pre_token;
pub mod sign_up;

use std::time::Instant;

use serde_json::Value;

use crate::lambda::LambdaError;
use crate::local::Store;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::audit::{Admin, Change, Outcome};
use crate::pool::triggers::{self, About, Configured, Trigger};

/// The function the pool names for `trigger`, if any.
pub fn configured(pool: &PoolRow, trigger: Trigger) -> Option<Configured> {
    let config = pool.settings.0.get("LambdaConfig")?;
    triggers::configured(config, trigger)
}

/// Whether the pool names a function for `trigger`.
pub fn has(pool: &PoolRow, trigger: Trigger) -> bool {
    configured(pool, trigger).is_some()
}

/// A user's attributes as events carry them, with `cognito:user_status`.
pub fn attributes_of(user: &UserRecord) -> Value {
    triggers::user_attributes(&user.all_attributes(), Some(user.status.as_str()))
}

/// Calls the pool's function for `trigger`, if it names one, with the event of
/// `source` about `about`: the answer's `response`. None: no function for it.
pub fn call(
    store: &Store,
    pool: &PoolRow,
    trigger: Trigger,
    about: About<'_>,
    source: &str,
    request: Value,
    response: Value,
) -> Result<Option<Value>, ApiError> {
    let Some(function) = configured(pool, trigger) else {
        return Ok(None);
    };
    let event = triggers::event(about, function.version, source, request, response);
    let started = Instant::now();
    let answer = match store.lambda() {
        Some(lambda) => lambda
            .invoke_blocking(&function.arn, &event)
            .map_err(|e| cognito_error(trigger, e)),
        None => Err(cognito_error(
            trigger,
            LambdaError::Unreachable(
                "the local store was started without a way to call Lambda".into(),
            ),
        )),
    };
    let answer = answer.and_then(response_of);
    let took = started.elapsed().as_millis();
    let arn = &function.arn;
    match &answer {
        Ok(_) => {
            tracing::info!(trigger = trigger.name(), function = %arn, %source, ms = took, "trigger answered")
        }
        Err(e) => {
            tracing::warn!(trigger = trigger.name(), function = %arn, %source, ms = took, error = %e, "trigger failed")
        }
    }
    audit(store, pool, trigger, about, source, arn, took, &answer);
    answer.map(Some)
}

/// Cognito's error for a call that went wrong.
fn cognito_error(trigger: Trigger, e: LambdaError) -> ApiError {
    let name = trigger.name();
    match e {
        LambdaError::Function(message) => ApiError::new(
            ErrorCode::UserLambdaValidation,
            format!("{name} failed with error {message}."),
        ),
        LambdaError::Unreachable(why) => ApiError::new(
            ErrorCode::UnexpectedLambda,
            format!("{name} invocation failed due to error {why}."),
        ),
        LambdaError::NotJson => ApiError::new(
            ErrorCode::InvalidLambdaResponse,
            "Invalid lambda function output : Invalid JSON",
        ),
    }
}

/// The call in the audit log: the function, the trigger, how long, how it ended.
#[allow(clippy::too_many_arguments)]
fn audit(
    store: &Store,
    pool: &PoolRow,
    trigger: Trigger,
    about: About<'_>,
    source: &str,
    function: &str,
    took: u128,
    answer: &Result<Value, ApiError>,
) {
    let change = Change::new(format!("Lambda trigger {}", trigger.name()))
        .in_pool(&pool.id)
        .of_user(about.username)
        .detail(format!("function: {function}"))
        .detail(format!("trigger source: {source}"))
        .detail(format!("took {took} ms"));
    let outcome = match answer {
        Ok(_) => Outcome::Done(String::new()),
        Err(e) => Outcome::Refused(e.to_string()),
    };
    let admin = Admin {
        name: "local store".into(),
        key_fingerprint: None,
        origin: "Lambda trigger".into(),
        read_only: false,
    };
    if let Err(e) =
        crate::local::db::audit::record(store, "lambda-triggers", &admin, &change, &outcome)
    {
        tracing::error!(error = %e, "a trigger's call could not be written in the audit log");
    }
}

/// The `response` of the event a function answered with: it must answer the event.
fn response_of(out: Value) -> Result<Value, ApiError> {
    match out.get("response") {
        Some(response) if response.is_object() || response.is_null() => Ok(response.clone()),
        _ => Err(unrecognizable()),
    }
}

/// An answer of the right JSON that does not say what the trigger must say.
pub fn unrecognizable() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidLambdaResponse,
        "Unrecognizable lambda output",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_is_worded_as_cognito_words_it() {
        let thrown = cognito_error(Trigger::PreSignUp, LambdaError::Function("No!".into()));
        assert_eq!(thrown.code, ErrorCode::UserLambdaValidation);
        assert_eq!(thrown.message, "PreSignUp failed with error No!.");
        let late = cognito_error(
            Trigger::PostConfirmation,
            LambdaError::Unreachable("Socket timeout while invoking Lambda function".into()),
        );
        assert_eq!(late.code, ErrorCode::UnexpectedLambda);
        assert_eq!(
            late.message,
            "PostConfirmation invocation failed due to error Socket timeout while invoking Lambda function."
        );
        let garbled = cognito_error(Trigger::CustomMessage, LambdaError::NotJson);
        assert_eq!(garbled.code, ErrorCode::InvalidLambdaResponse);
        assert_eq!(
            garbled.message,
            "Invalid lambda function output : Invalid JSON"
        );
        assert_eq!(
            response_of(serde_json::json!("not an event")).map_err(|e| e.message),
            Err("Unrecognizable lambda output".to_string())
        );
    }
}
