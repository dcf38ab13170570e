//! USER_SRP_AUTH, the two steps: InitiateAuth answers PASSWORD_VERIFIER with the user's
//! salt and the server's SRP_B, and RespondToAuthChallenge checks the client's proof of
//! the password (Cognito's SRP-6a variant, in [`srp`]). A user who does not exist, where
//! the client hides that, gets a decoy's salt and SRP_B and the same arithmetic
//! ([`decoy`]), then "Incorrect username or password."

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rusqlite::Transaction;
use serde_json::{Value, json};

use crate::local::db::app_clients::ClientRow;
use crate::local::db::pools::PoolRow;
use crate::local::sign_in::checks::{check_secret_hash, lookup, may_try, required, wrong_password};
use crate::local::sign_in::issue::Step;
use crate::local::sign_in::next_step::password_checked;
use crate::local::sign_in::sessions::{
    SrpState, new_session, peek_session, set_custom_state, take_session,
};
use crate::local::triggers::auth_challenge::Round;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::users, sign_in::decoy, sign_in::srp};

/// The PASSWORD_VERIFIER challenge. `custom`: the rounds of the custom authentication
/// (CUSTOM_AUTH with SRP_A) the proof is a round of, kept with the session.
pub(super) fn start(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    params: &HashMap<String, String>,
    custom: Option<String>,
    now: f64,
) -> Result<Value, ApiError> {
    let username = required(params, "USERNAME")?;
    check_secret_hash(client, &[username], params.get("SECRET_HASH"))?;
    let a = srp::parse_client_public(required(params, "SRP_A")?)
        .ok_or_else(|| ApiError::invalid("SRP_A is not a valid SRP public value"))?;
    // b and g^b before the store is locked: neither depends on the user.
    let server = srp::ServerSecret::new();
    let mut block = [0u8; 64];
    aws_lc_rs::rand::fill(&mut block)
        .map_err(|_| ApiError::new(ErrorCode::InternalError, "the random source failed"))?;
    let block = STANDARD.encode(block);
    store.write(|tx| {
        // No such user, and the client hides it: a decoy's salt and verifier, a session
        // no user's answer can match, and the same arithmetic.
        let (key, shown, verifier) = match lookup(tx, pool, client, username)? {
            Some((key, user)) => {
                may_try(tx, &pool.id, &key, &user, now)?;
                let verifier = usable_verifier(tx, pool, &key, &user.username, now)?;
                (key, user.username, verifier)
            }
            None => {
                let (salt, verifier) = decoy::salt_and_verifier(tx, pool, username, now)?;
                let verifier = srp::Verifier { salt, verifier };
                (String::new(), username.to_string(), verifier)
            }
        };
        let b_public = server
            .public(&verifier.verifier)
            .ok_or_else(|| ApiError::invalid("the user has no password verifier"))?;
        let state = SrpState {
            secret: &server.secret,
            client_public: &a,
            server_public: &b_public,
        };
        new_session(
            tx,
            client,
            &key,
            "PASSWORD_VERIFIER",
            Some(state),
            &block,
            now,
        )?;
        if let Some(rounds) = &custom {
            set_custom_state(tx, &block, rounds)?;
        }
        Ok(json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": srp::to_hex(&verifier.salt),
                "SECRET_BLOCK": block,
                "SRP_B": srp::to_hex(&b_public),
                "USERNAME": shown,
                "USER_ID_FOR_SRP": shown,
            },
        }))
    })
}

/// What a PASSWORD_VERIFIER answer proved.
#[derive(Debug)]
pub enum Proven {
    /// A sign-in's next step.
    Step(Box<Step>),
    /// A round of a custom authentication (CUSTOM_AUTH with SRP_A), passed: the user's
    /// key and the rounds so far, for Define auth challenge to say what comes next.
    CustomRound { key: String, rounds: Vec<Round> },
}

pub(super) fn verify(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    responses: &HashMap<String, String>,
    now: f64,
) -> Result<Proven, ApiError> {
    let username = required(responses, "USERNAME")?;
    let block = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = required(responses, "TIMESTAMP")?;
    check_secret_hash(client, &[username], responses.get("SECRET_HASH"))?;
    let block_bytes = STANDARD
        .decode(block)
        .map_err(|_| ApiError::not_authorized("Invalid session for the user."))?;
    let signature = STANDARD.decode(signature).unwrap_or_default();
    // The key (two exponentiations) is computed with the store unlocked, from the session
    // and the verifier as read; the answer's write then takes the session and uses the
    // key only if the verifier is still the one it was computed for.
    let (session, verifier) = store.read(|tx| {
        let session = peek_session(tx, client, block, "PASSWORD_VERIFIER", now)?;
        let verifier = match lookup(tx, pool, client, username)? {
            Some((key, user)) if key == session.username_key => {
                usable_verifier(tx, pool, &key, &user.username, now)?
            }
            // A decoy's session (or another user's): the same arithmetic, then no.
            _ => {
                let (salt, verifier) = decoy::salt_and_verifier(tx, pool, username, now)?;
                srp::Verifier { salt, verifier }
            }
        };
        Ok((session, verifier))
    })?;
    let computed = session.srp_key(&verifier.verifier);
    store.write(|tx| {
        let session = take_session(tx, client, block, "PASSWORD_VERIFIER", now)?;
        let Some((key, user)) = lookup(tx, pool, client, username)? else {
            return Err(wrong_password());
        };
        if key != session.username_key {
            return Err(wrong_password());
        }
        may_try(tx, &pool.id, &key, &user, now)?;
        let current = usable_verifier(tx, pool, &key, &user.username, now)?;
        // The password changed in between: the key for the verifier now stored.
        let session_key = if current == verifier {
            computed
        } else {
            session.srp_key(&current.verifier)
        };
        let proven = session_key.is_some_and(|k| {
            srp::signature_matches(
                &k,
                &pool.id,
                &user.username,
                &block_bytes,
                timestamp,
                &signature,
            )
        });
        match session.custom_state.as_deref() {
            // A round of a custom authentication: Define auth challenge says what next.
            Some(rounds) if proven => {
                let mut rounds: Vec<Round> = serde_json::from_str(rounds)?;
                rounds.push(Round {
                    challenge_name: "PASSWORD_VERIFIER".into(),
                    challenge_result: true,
                    challenge_metadata: None,
                });
                Ok(Ok(Proven::CustomRound { key, rounds }))
            }
            _ => Ok(
                password_checked(tx, client, pool, &key, &user, proven, now)?
                    .map(|step| Proven::Step(Box::new(step))),
            ),
        }
    })?
}

/// The user's verifier; for a user without one (no password can sign them in), the
/// decoy's: the challenge looks like anyone's and the proof fails after the same work.
fn usable_verifier(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    key: &str,
    username: &str,
    now: f64,
) -> Result<srp::Verifier, ApiError> {
    let stored = users::verifier(tx, &pool.id, key)?;
    if !stored.is_none() {
        return Ok(stored);
    }
    let (salt, verifier) = decoy::salt_and_verifier(tx, pool, username, now)?;
    Ok(srp::Verifier { salt, verifier })
}
