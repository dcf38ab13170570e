//! CUSTOM_AUTH: a sign-in whose steps the pool's functions decide. Define auth challenge
//! looks at the rounds so far and issues tokens, fails the sign-in, or asks a challenge:
//! CUSTOM_CHALLENGE (made by Create auth challenge, its answer checked by Verify auth
//! challenge response) or, when the sign-in began with SRP_A, PASSWORD_VERIFIER (the
//! SRP proof of the password, as in USER_SRP_AUTH). The rounds and the challenge's
//! private parameters ride with the session, in the store; the functions run outside
//! every transaction. Tokens go through MFA as any sign-in's do (TRIG-8).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::checks::{find_user, lookup, may_try, required, wrong_password};
use super::issue::Occasion;
use super::sessions::{new_session, set_custom_state, take_session};
use super::tokens::random_token;
use crate::local::Store;
use crate::local::db::app_clients::ClientRow;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::{self, UserRecord};
use crate::local::triggers::auth_challenge::{self, Decision, NEEDED, Round};
use crate::local::triggers::{self, attributes_of};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::UserStatus;
use crate::pool::triggers::{About, Caller};

pub const CHALLENGE: &str = "CUSTOM_CHALLENGE";

/// What a CUSTOM_CHALLENGE session keeps: the rounds so far and what its answer is
/// checked against.
#[derive(Serialize, Deserialize)]
struct State {
    rounds: Vec<Round>,
    private: Value,
    metadata: Option<String>,
}

/// InitiateAuth with CUSTOM_AUTH (pre authentication has run): the first round.
pub fn start(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    params: &HashMap<String, String>,
    now: f64,
) -> Result<Value, ApiError> {
    if let Some(missing) = NEEDED.iter().find(|t| !triggers::has(pool, **t)) {
        return Err(ApiError::invalid(format!(
            "Custom auth lambda trigger is not configured for the user pool: {} names no function.",
            missing.name()
        )));
    }
    let username = required(params, "USERNAME")?;
    let key = store.read(|tx| {
        let Some((key, user)) = lookup(tx, pool, client, username)? else {
            return Err(wrong_password());
        };
        may_try(tx, &pool.id, &key, &user, now)?;
        Ok(key)
    })?;
    let srp_a = params
        .get("SRP_A")
        .filter(|_| params.get("CHALLENGE_NAME").is_some_and(|c| c == "SRP_A"));
    let rounds = match srp_a {
        Some(_) => vec![Round {
            challenge_name: "SRP_A".into(),
            challenge_result: true,
            challenge_metadata: None,
        }],
        None => Vec::new(),
    };
    next_round(
        store,
        client,
        pool,
        &key,
        rounds,
        srp_a.map(String::as_str),
        &BTreeMap::new(),
        now,
    )
}

/// Asks Define auth challenge what follows `rounds`, and does it.
#[allow(clippy::too_many_arguments)]
pub fn next_round(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    rounds: Vec<Round>,
    srp_a: Option<&str>,
    metadata: &BTreeMap<String, String>,
    now: f64,
) -> Result<Value, ApiError> {
    let user = store.read(|tx| users::get(tx, &pool.id, key))?;
    let about = About {
        pool_id: &pool.id,
        username: &user.username,
        caller: Caller::Client(&client.client_id),
    };
    match auth_challenge::define(store, pool, about, attributes_of(&user), &rounds, metadata)? {
        Decision::Fail => Err(wrong_password()),
        Decision::IssueTokens => issue(store, client, pool, key, metadata, now),
        Decision::Challenge(name) if name == CHALLENGE => {
            let created = auth_challenge::create(
                store,
                pool,
                about,
                attributes_of(&user),
                &name,
                &rounds,
                metadata,
            )?;
            let state = State {
                rounds,
                private: created.private,
                metadata: created.metadata,
            };
            let mut parameters = created.public;
            parameters.insert("USERNAME".into(), json!(user.username));
            let session = random_token(128);
            store.write(|tx| {
                new_session(tx, client, key, CHALLENGE, None, &session, now)?;
                set_custom_state(tx, &session, &serde_json::to_string(&state)?)
            })?;
            Ok(json!({
                "ChallengeName": CHALLENGE,
                "Session": session,
                "ChallengeParameters": parameters,
            }))
        }
        Decision::Challenge(name) if name == "PASSWORD_VERIFIER" && srp_a.is_some() => {
            let rounds = serde_json::to_string(&rounds)?;
            let params = HashMap::from([
                ("USERNAME".to_string(), user.username.clone()),
                ("SRP_A".to_string(), srp_a.unwrap_or_default().to_string()),
            ]);
            super::srp_sign_in::start(store, client, pool, &params, Some(rounds), now)
        }
        Decision::Challenge(_) => Err(triggers::unrecognizable()),
    }
}

/// Define auth challenge issued tokens: the sign-in goes on as any does (MFA, then the
/// tokens), for a user who may sign in.
fn issue(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    metadata: &BTreeMap<String, String>,
    now: f64,
) -> Result<Value, ApiError> {
    let step = store.write(|tx| {
        let user: UserRecord = users::get(tx, &pool.id, key)?;
        may_try(tx, &pool.id, key, &user, now)?;
        if user.status == UserStatus::Unconfirmed {
            return Err(ApiError::new(
                ErrorCode::UserNotConfirmed,
                "User is not confirmed.",
            ));
        }
        super::mfa::next(tx, client, pool, key, &user, Occasion::Authentication, now)
    })?;
    step.finish(store, pool, metadata)
}

/// RespondToAuthChallenge with CUSTOM_CHALLENGE: the answer checked, then the next round.
pub fn answer(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    responses: &HashMap<String, String>,
    session: &str,
    metadata: &BTreeMap<String, String>,
    now: f64,
) -> Result<Value, ApiError> {
    let username = required(responses, "USERNAME")?;
    let given = required(responses, "ANSWER")?;
    let (key, user, state) = store.write(|tx| {
        let open = take_session(tx, client, session, CHALLENGE, now)?;
        let (key, user) = find_user(tx, pool, client, username)?;
        if key != open.username_key {
            return Err(ApiError::not_authorized("Invalid session for the user."));
        }
        may_try(tx, &pool.id, &key, &user, now)?;
        let state: State = serde_json::from_str(open.custom_state.as_deref().unwrap_or("null"))
            .map_err(|_| ApiError::not_authorized("Invalid session for the user."))?;
        Ok((key, user, state))
    })?;
    let about = About {
        pool_id: &pool.id,
        username: &user.username,
        caller: Caller::Client(&client.client_id),
    };
    let right = auth_challenge::verify(
        store,
        pool,
        about,
        attributes_of(&user),
        &state.private,
        given,
        metadata,
    )?;
    let mut rounds = state.rounds;
    rounds.push(Round {
        challenge_name: CHALLENGE.into(),
        challenge_result: right,
        challenge_metadata: state.metadata,
    });
    next_round(store, client, pool, &key, rounds, None, metadata, now)
}
