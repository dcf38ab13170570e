//! The custom authentication functions (CUSTOM_AUTH): Define auth challenge decides,
//! from the rounds so far, whether to issue tokens, fail, or ask another challenge;
//! Create auth challenge makes a CUSTOM_CHALLENGE (what the caller sees, what only the
//! check sees); Verify auth challenge response checks the answer. `sign_in::custom_auth`
//! drives them (TRIG-8).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{call, unrecognizable};
use crate::local::Store;
use crate::local::db::pools::PoolRow;
use crate::local::wire::error::ApiError;
use crate::pool::triggers::{About, Trigger};

/// One round of a custom authentication, as the functions see it in `session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Round {
    pub challenge_name: String,
    pub challenge_result: bool,
    pub challenge_metadata: Option<String>,
}

/// What Define auth challenge decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Fail,
    IssueTokens,
    Challenge(String),
}

/// The functions custom authentication needs: all three, or it cannot run.
pub const NEEDED: [Trigger; 3] = [
    Trigger::DefineAuthChallenge,
    Trigger::CreateAuthChallenge,
    Trigger::VerifyAuthChallengeResponse,
];

fn request(attributes: Value, metadata: &BTreeMap<String, String>) -> Value {
    let mut request = json!({ "userAttributes": attributes, "userNotFound": false });
    if !metadata.is_empty() {
        request["clientMetadata"] = json!(metadata);
    }
    request
}

/// Asks Define auth challenge what comes after `rounds`.
pub fn define(
    store: &Store,
    pool: &PoolRow,
    about: About<'_>,
    attributes: Value,
    rounds: &[Round],
    metadata: &BTreeMap<String, String>,
) -> Result<Decision, ApiError> {
    let mut request = request(attributes, metadata);
    request["session"] = json!(rounds);
    let response =
        json!({ "challengeName": null, "issueTokens": null, "failAuthentication": null });
    let source = "DefineAuthChallenge_Authentication";
    let answer = call(
        store,
        pool,
        Trigger::DefineAuthChallenge,
        about,
        source,
        request,
        response,
    )?
    .ok_or_else(unrecognizable)?;
    let flag = |name: &str| answer.get(name).and_then(Value::as_bool) == Some(true);
    if flag("failAuthentication") {
        return Ok(Decision::Fail);
    }
    if flag("issueTokens") {
        return Ok(Decision::IssueTokens);
    }
    match answer.get("challengeName").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => Ok(Decision::Challenge(name.to_string())),
        _ => Err(unrecognizable()),
    }
}

/// A challenge Create auth challenge made.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    /// `publicChallengeParameters`: the caller's `ChallengeParameters`.
    pub public: Map<String, Value>,
    /// `privateChallengeParameters`: for Verify only.
    pub private: Value,
    /// `challengeMetadata`: this round's, in the next `session`.
    pub metadata: Option<String>,
}

/// Asks Create auth challenge for the challenge `name`.
pub fn create(
    store: &Store,
    pool: &PoolRow,
    about: About<'_>,
    attributes: Value,
    name: &str,
    rounds: &[Round],
    metadata: &BTreeMap<String, String>,
) -> Result<Created, ApiError> {
    let mut request = request(attributes, metadata);
    request["challengeName"] = json!(name);
    request["session"] = json!(rounds);
    let response = json!({
        "publicChallengeParameters": null,
        "privateChallengeParameters": null,
        "challengeMetadata": null,
    });
    let source = "CreateAuthChallenge_Authentication";
    let answer = call(
        store,
        pool,
        Trigger::CreateAuthChallenge,
        about,
        source,
        request,
        response,
    )?
    .ok_or_else(unrecognizable)?;
    let strings = |name: &str| -> Result<Map<String, Value>, ApiError> {
        match answer.get(name) {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(map)) if map.values().all(Value::is_string) => Ok(map.clone()),
            Some(_) => Err(unrecognizable()),
        }
    };
    let public = strings("publicChallengeParameters")?;
    let private = Value::Object(strings("privateChallengeParameters")?);
    let metadata = match answer.get("challengeMetadata") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(unrecognizable()),
    };
    Ok(Created {
        public,
        private,
        metadata,
    })
}

/// Asks Verify auth challenge response whether `answer` is right.
pub fn verify(
    store: &Store,
    pool: &PoolRow,
    about: About<'_>,
    attributes: Value,
    private: &Value,
    answer: &str,
    metadata: &BTreeMap<String, String>,
) -> Result<bool, ApiError> {
    let mut request = request(attributes, metadata);
    request["privateChallengeParameters"] = private.clone();
    request["challengeAnswer"] = json!(answer);
    let source = "VerifyAuthChallengeResponse_Authentication";
    let trigger = Trigger::VerifyAuthChallengeResponse;
    let response = json!({ "answerCorrect": null });
    let answer =
        call(store, pool, trigger, about, source, request, response)?.ok_or_else(unrecognizable)?;
    match answer.get("answerCorrect") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(right)) => Ok(*right),
        Some(_) => Err(unrecognizable()),
    }
}
