//! MFA at sign-in. Once the password is settled (and after NEW_PASSWORD_REQUIRED), the
//! step `pool::mfa::after_password` chooses: tokens, a code by SMS or email (sent through
//! the outbox), the user's authenticator, SELECT_MFA_TYPE or MFA_SETUP. Then the answers:
//! a wrong code is CodeMismatchException, counted toward the lockout as a wrong password
//! is, and may be tried again while the session lasts; a right one ends the sign-in.

use std::collections::HashMap;

use rusqlite::Transaction;
use serde_json::{Map, Value, json};

use super::checks::{check_secret_hash, find_user, may_try, required};
use super::codes::{self, Purpose, Redeemed};
use super::issue::{Occasion, PendingCode, Step, mint};
use super::sessions::{self, new_session, peek_session, take_session};
use super::tokens::random_token;
use super::totp;
use crate::local::Store;
use crate::local::db::app_clients::ClientRow;
use crate::local::db::mfa::{self, MfaRow};
use crate::local::db::pools::PoolRow;
use crate::local::db::users::{self, UserRecord};
use crate::local::mail::delivery::{self, Destination};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::mfa::{AfterPassword, Factor, Reach, after_password};
use crate::pool::{Attribute, DeliveryMedium};

/// The session of an MFA_SETUP once AssociateSoftwareToken gave a secret.
pub const SETUP_ASSOCIATED: &str = "MFA_SETUP:ASSOCIATED";
/// The session of an MFA_SETUP once VerifySoftwareToken took a code: what
/// RespondToAuthChallenge(MFA_SETUP) answers.
pub const SETUP_VERIFIED: &str = "MFA_SETUP:VERIFIED";

/// What the user can receive a code by.
pub fn reach(row: &MfaRow, user: &UserRecord) -> Reach {
    let has = |name: &str| user.attribute(name).is_some_and(|v| !v.is_empty());
    Reach {
        phone: has("phone_number"),
        email: has("email"),
        token: row.token.is_some(),
    }
}

/// The end of a sign-in whose password is settled: MFA's challenge, or the tokens (and
/// the user's run of failures forgotten), made for `occasion`.
pub fn next(
    tx: &Transaction<'_>,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    user: &UserRecord,
    occasion: Occasion,
    now: f64,
) -> Result<Step, ApiError> {
    let row = mfa::get(tx, &pool.id, key)?;
    let list = |factors: &[Factor]| -> Result<String, ApiError> {
        let names: Vec<&str> = factors.iter().map(|f| f.challenge()).collect();
        Ok(serde_json::to_string(&names)?)
    };
    let (challenge, parameters) =
        match after_password(&pool.settings.pool_mfa(), &row.mfa, reach(&row, user)) {
            AfterPassword::Tokens => {
                return tokens(tx, client, pool, key, user, occasion, now);
            }
            AfterPassword::Challenge(factor) => {
                return challenge(tx, client, pool, key, user, &row, factor, now);
            }
            AfterPassword::Select(factors) => (
                "SELECT_MFA_TYPE",
                json!({ "MFAS_CAN_CHOOSE": list(&factors)? }),
            ),
            AfterPassword::Setup(factors) => {
                ("MFA_SETUP", json!({ "MFAS_CAN_SETUP": list(&factors)? }))
            }
        };
    let mut parameters = parameters;
    parameters["USER_ID_FOR_SRP"] = json!(user.username);
    open(tx, client, key, challenge, parameters, now).map(Step::Answer)
}

/// The sign-in is done: the user's run of failures forgotten, and their tokens minted
/// for `occasion`.
fn tokens(
    tx: &Transaction<'_>,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    user: &UserRecord,
    occasion: Occasion,
    now: f64,
) -> Result<Step, ApiError> {
    users::record_sign_in(tx, &pool.id, key)?;
    let minted = mint(tx, client, user, now as i64, now, None, occasion)?;
    Ok(Step::Tokens(Box::new(minted)))
}

/// The user an answer names, who must be the one `open` (their challenge's session)
/// was opened for, and who may still try.
fn session_user(
    tx: &Transaction<'_>,
    client: &ClientRow,
    pool: &PoolRow,
    open: &sessions::Session,
    username: &str,
    now: f64,
) -> Result<(String, UserRecord), ApiError> {
    let (key, user) = find_user(tx, pool, client, username)?;
    if key != open.username_key {
        return Err(ApiError::not_authorized("Invalid session for the user."));
    }
    may_try(tx, &pool.id, &key, &user, now)?;
    Ok((key, user))
}

/// A new session for `challenge`, and the answer that asks it.
fn open(
    tx: &Transaction<'_>,
    client: &ClientRow,
    key: &str,
    challenge: &str,
    parameters: Value,
    now: f64,
) -> Result<Value, ApiError> {
    let session = random_token(128);
    new_session(tx, client, key, challenge, None, &session, now)?;
    Ok(json!({
        "ChallengeName": challenge,
        "Session": session,
        "ChallengeParameters": parameters,
    }))
}

/// Asks for a code by `factor`: an SMS or email code is made and sent now.
#[allow(clippy::too_many_arguments)]
fn challenge(
    tx: &Transaction<'_>,
    client: &ClientRow,
    pool: &PoolRow,
    key: &str,
    user: &UserRecord,
    row: &MfaRow,
    factor: Factor,
    now: f64,
) -> Result<Step, ApiError> {
    let mut parameters = Map::new();
    let mut message = None;
    if let Some(attribute) = factor.attribute() {
        let medium = match factor {
            Factor::Email => DeliveryMedium::Email,
            _ => DeliveryMedium::Sms,
        };
        let destination = Destination {
            medium,
            address: user.attribute(attribute).unwrap_or_default().to_string(),
        };
        let code = codes::new_code();
        codes::store(
            tx,
            &pool.id,
            key,
            Purpose::SignIn,
            &code,
            Some(attribute),
            now,
        )?;
        parameters.insert(
            "CODE_DELIVERY_DELIVERY_MEDIUM".into(),
            json!(medium.as_str()),
        );
        parameters.insert(
            "CODE_DELIVERY_DESTINATION".into(),
            json!(delivery::mask(&destination.address)),
        );
        message = Some(PendingCode {
            user: user.clone(),
            client_id: client.client_id.clone(),
            destination,
            code,
        });
    } else if let Some(device) = row.token.as_ref().and_then(|t| t.device.as_deref()) {
        parameters.insert("FRIENDLY_DEVICE_NAME".into(), json!(device));
    }
    parameters.insert("USER_ID_FOR_SRP".into(), json!(user.username));
    let answer = open(
        tx,
        client,
        key,
        factor.challenge(),
        Value::Object(parameters),
        now,
    )?;
    Ok(match message {
        Some(message) => Step::Code { answer, message },
        None => Step::Answer(answer),
    })
}

fn mismatch() -> ApiError {
    ApiError::new(ErrorCode::CodeMismatch, "Invalid code received for user")
}

/// The answer to SMS_MFA, EMAIL_OTP or SOFTWARE_TOKEN_MFA.
pub fn answer_code(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    responses: &HashMap<String, String>,
    session: &str,
    factor: Factor,
    now: f64,
) -> Result<Step, ApiError> {
    let username = required(responses, "USERNAME")?;
    check_secret_hash(client, &[username], responses.get("SECRET_HASH"))?;
    let code = required(responses, factor.code_key())?;
    store.write(|tx| {
        let open = peek_session(tx, client, session, factor.challenge(), now)?;
        let (key, mut user) = session_user(tx, client, pool, &open, username, now)?;
        let refused = match factor {
            Factor::SoftwareToken => software_token(tx, &pool.id, &key, code, now)?,
            Factor::Sms | Factor::Email => {
                match codes::redeem(tx, &pool.id, &key, Purpose::SignIn, code, now)? {
                    Redeemed::Right { attribute, .. } => {
                        verified(tx, &pool.id, &key, &mut user, attribute.as_deref(), now)?;
                        None
                    }
                    Redeemed::Refused(e) if e.code == ErrorCode::CodeMismatch => Some(mismatch()),
                    Redeemed::Refused(e) => Some(e),
                }
            }
        };
        if let Some(e) = refused {
            if e.code == ErrorCode::CodeMismatch {
                users::record_failed_sign_in(tx, &pool.id, &key, now)?;
            }
            return Ok(Err(e));
        }
        sessions::end(tx, session)?;
        let done = tokens(tx, client, pool, &key, &user, Occasion::Authentication, now)?;
        Ok(Ok(done))
    })?
}

/// A software token's code: right (and its step taken) or why not.
fn software_token(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    code: &str,
    now: f64,
) -> Result<Option<ApiError>, ApiError> {
    let Some(token) = mfa::get(tx, pool_id, key)?.token else {
        return Ok(Some(ApiError::new(
            ErrorCode::SoftwareTokenMfaNotFound,
            "Software Token MFA does not exist for the user.",
        )));
    };
    let Some(step) = totp::matched_step(&token.secret, code, now) else {
        return Ok(Some(mismatch()));
    };
    if token.last_step.is_some_and(|last| step <= last) {
        return Ok(Some(ApiError::new(
            ErrorCode::ExpiredCode,
            "Your software token has already been used once.",
        )));
    }
    mfa::take_step(tx, pool_id, key, step)?;
    Ok(None)
}

/// A code sent to an address proves it: "after the first successful SMS MFA,
/// phone_number_verified becomes true" (MFA-15), and an email code likewise.
fn verified(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    user: &mut UserRecord,
    attribute: Option<&str>,
    now: f64,
) -> Result<(), ApiError> {
    let Some(attribute) = attribute else {
        return Ok(());
    };
    let flag = format!("{attribute}_verified");
    if user.attribute(&flag) == Some("true") {
        return Ok(());
    }
    user.attributes.retain(|a| a.name != flag);
    user.attributes.push(Attribute::new(flag, "true"));
    user.modified = now;
    users::update_attributes(tx, pool_id, key, user)
}

/// SELECT_MFA_TYPE's answer: the chosen factor's challenge, if it is one offered.
pub fn answer_select(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    responses: &HashMap<String, String>,
    session: &str,
    now: f64,
) -> Result<Step, ApiError> {
    let username = required(responses, "USERNAME")?;
    check_secret_hash(client, &[username], responses.get("SECRET_HASH"))?;
    let answer = required(responses, "ANSWER")?;
    store.write(|tx| {
        let open = take_session(tx, client, session, "SELECT_MFA_TYPE", now)?;
        let (key, user) = session_user(tx, client, pool, &open, username, now)?;
        let row = mfa::get(tx, &pool.id, &key)?;
        let offered = match after_password(&pool.settings.pool_mfa(), &row.mfa, reach(&row, &user))
        {
            AfterPassword::Select(factors) => factors,
            _ => Vec::new(),
        };
        let factor = Factor::from_challenge(answer)
            .filter(|f| offered.contains(f))
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "ANSWER must be one of MFAS_CAN_CHOOSE, not {answer}"
                ))
            })?;
        challenge(tx, client, pool, &key, &user, &row, factor, now)
    })
}

/// MFA_SETUP's answer, with the session VerifySoftwareToken gave: the authenticator is
/// the user's factor from now on (preferred, unless another is), and they are signed in.
pub fn finish_setup(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    responses: &HashMap<String, String>,
    session: &str,
    now: f64,
) -> Result<Step, ApiError> {
    let username = required(responses, "USERNAME")?;
    check_secret_hash(client, &[username], responses.get("SECRET_HASH"))?;
    store.write(|tx| {
        let open = take_session(tx, client, session, SETUP_VERIFIED, now)?;
        let (key, user) = session_user(tx, client, pool, &open, username, now)?;
        let row = mfa::get(tx, &pool.id, &key)?;
        mfa::set_factors(
            tx,
            &pool.id,
            &key,
            &row.mfa.with_set_up(Factor::SoftwareToken),
        )?;
        tokens(tx, client, pool, &key, &user, Occasion::Authentication, now)
    })
}
