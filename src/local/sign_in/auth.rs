//! Sign-in: InitiateAuth and AdminInitiateAuth, and the answers to their challenges
//! (RespondToAuthChallenge, AdminRespondToAuthChallenge). Both pairs share this code;
//! the admin operations only add the pool id and the admin-only password flows.
//!
//! A password is never stored or compared as such: password flows recompute the SRP
//! verifier with the user's salt and compare it in constant time; USER_SRP_AUTH runs
//! the SRP handshake (`srp_sign_in`, `srp`). Wrong passwords are counted: from the fifth in a row the
//! user is locked out for a time that doubles with each failure (see
//! [`crate::pool::password::lockout_seconds`]).

use std::collections::{BTreeMap, HashMap};

use aws_lc_rs::constant_time::verify_slices_are_equal;
use serde::Deserialize;
use serde_json::Value;

use super::checks::{
    Caller, check_secret_hash, client_and_pool, find_user, lookup, may_try, required,
    wrong_password,
};
use super::issue::{Occasion, Step, mint};
use super::next_step::password_checked;
use super::srp_sign_in::Proven;
use super::{custom_auth, mfa, migrate, new_password, tokens};
use crate::local::db::app_clients::ClientRow;
use crate::local::db::pools::PoolRow;
use crate::local::db::users;
use crate::local::triggers::{self, authentication::Migration};
use crate::local::wire::error::ApiError;
use crate::local::{Store, sign_in::decoy, sign_in::srp, sign_in::srp_sign_in, wire};
use crate::pool::mfa::Factor;
use crate::pool::triggers::{self as trigger, About, Trigger};
use crate::pool::{Secret, app_client};

/// Every `AuthFlowType`.
const AUTH_FLOWS: [&str; 8] = [
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InitiateInput {
    auth_flow: String,
    client_id: String,
    #[serde(default)]
    auth_parameters: HashMap<String, String>,
    #[serde(default)]
    user_pool_id: Option<String>,
    /// For the pre authentication and user migration functions (their
    /// `validationData`); never stored.
    #[serde(default)]
    client_metadata: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RespondInput {
    challenge_name: String,
    client_id: String,
    #[serde(default)]
    challenge_responses: HashMap<String, String>,
    #[serde(default)]
    session: Option<String>,
    #[serde(default)]
    user_pool_id: Option<String>,
    /// For the functions the answer runs (custom authentication, post authentication,
    /// pre token generation); never stored.
    #[serde(default)]
    client_metadata: BTreeMap<String, String>,
}

pub fn initiate(store: &Store, body: &Value, caller: Caller) -> Result<Value, ApiError> {
    let input: InitiateInput = wire::input(body)?;
    let flow = input.auth_flow.as_str();
    if !AUTH_FLOWS.contains(&flow) {
        return Err(ApiError::invalid(format!(
            "1 validation error detected: Value '{flow}' at 'authFlow' failed to satisfy constraint: \
             Member must satisfy enum value set: [{}]",
            AUTH_FLOWS.join(", ")
        )));
    }
    let admin_only = matches!(flow, "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH");
    let user_only = flow == "USER_PASSWORD_AUTH";
    if (caller == Caller::User && admin_only) || (caller == Caller::Admin && user_only) {
        return Err(ApiError::invalid("Initiate Auth method not supported."));
    }
    let (client, pool) = store
        .read(|tx| client_and_pool(tx, caller, input.user_pool_id.as_deref(), &input.client_id))?;
    if !app_client::allows(&client.auth_flows(), flow) {
        return Err(ApiError::invalid(format!(
            "{flow} flow not enabled for this client"
        )));
    }
    let now = wire::epoch(store.now());
    let params = &input.auth_parameters;
    let none = BTreeMap::new();
    if matches!(flow, "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN") {
        return refresh(store, &client, &pool, params, now)?.finish(store, &pool, &none);
    }
    if flow == "USER_AUTH" {
        return Err(ApiError::invalid(
            "USER_AUTH chooses among passwordless factors, which the local store does not have",
        ));
    }
    let username = required(params, "USERNAME")?;
    check_secret_hash(&client, &[username], params.get("SECRET_HASH"))?;
    let validation = &input.client_metadata;
    let password_flow = matches!(
        flow,
        "USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH"
    );
    if password_flow {
        let password = Secret::new(required(params, "PASSWORD")?);
        migrate::if_missing(
            store,
            &client,
            &pool,
            username,
            Migration::SignIn(&password),
            validation,
            &none,
        )?;
    }
    pre_authenticate(store, &client, &pool, username, validation)?;
    match flow {
        "USER_SRP_AUTH" => srp_sign_in::start(store, &client, &pool, params, None, now),
        "CUSTOM_AUTH" => custom_auth::start(store, &client, &pool, params, now),
        _ => password_sign_in(store, &client, &pool, params, now)?.finish(store, &pool, &none),
    }
}

/// The pool's pre authentication function, for a user who exists, before their password
/// or challenge.
fn pre_authenticate(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    username: &str,
    validation: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    if !triggers::has(pool, Trigger::PreAuthentication) {
        return Ok(());
    }
    let found = store.read(|tx| {
        users::resolve(tx, &pool.id, &pool.settings, username)?
            .map(|key| users::get(tx, &pool.id, &key))
            .transpose()
    })?;
    let Some(user) = found else {
        return Ok(());
    };
    let about = About {
        pool_id: &pool.id,
        username: &user.username,
        caller: trigger::Caller::Client(&client.client_id),
    };
    triggers::authentication::pre_authentication(
        store,
        pool,
        about,
        triggers::attributes_of(&user),
        validation,
    )
}

fn password_sign_in(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    params: &HashMap<String, String>,
    now: f64,
) -> Result<Step, ApiError> {
    let username = required(params, "USERNAME")?;
    let password = Secret::new(required(params, "PASSWORD")?);
    // The verifier (a 3072-bit power) is computed outside the write lock, from the salt
    // read here; the write below compares it with what is stored then.
    let found = store.read(|tx| {
        Ok(match lookup(tx, pool, client, username)? {
            Some((key, user)) => Some((user, users::verifier(tx, &pool.id, &key)?)),
            None => None,
        })
    })?;
    let Some((user, stored)) = found else {
        // No such user, and the client hides it: the same work as a wrong password, and
        // the same kind of write (a user's failed attempt is counted).
        // (A write: the pool's signing key, which the decoy derives from, may be made now.)
        let (salt, _) = store.write(|tx| decoy::salt_and_verifier(tx, pool, username, now))?;
        let _ = srp::verifier_for(&pool.id, username, &password, &salt);
        store.write(|tx| {
            let _ = lookup(tx, pool, client, username)?;
            decoy::note_attempt(tx, pool, username, now)
        })?;
        return Err(wrong_password());
    };
    let computed = srp::verifier_for(&pool.id, &user.username, &password, &stored.salt);
    store.write(|tx| {
        let (key, user) = find_user(tx, pool, client, username)?;
        may_try(tx, &pool.id, &key, &user, now)?;
        let current = users::verifier(tx, &pool.id, &key)?;
        let matches = current.salt == stored.salt
            && verify_slices_are_equal(&current.verifier, &computed).is_ok();
        password_checked(tx, client, pool, &key, &user, matches, now)
    })?
}

fn refresh(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    params: &HashMap<String, String>,
    now: f64,
) -> Result<Step, ApiError> {
    let token = required(params, "REFRESH_TOKEN")?;
    refresh_step(store, client, pool, token, Some(params), now)
}

/// New ID and access tokens for a live refresh token of this client. `hashed`: the auth
/// parameters whose SECRET_HASH a client with a secret must send (None: the caller has
/// checked the secret itself, as GetTokensFromRefreshToken does).
pub(in crate::local) fn refresh_step(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    token: &str,
    hashed: Option<&HashMap<String, String>>,
    now: f64,
) -> Result<Step, ApiError> {
    let invalid = || ApiError::not_authorized("Invalid Refresh Token");
    store.write(|tx| {
        let (sub, auth_time, origin, scopes) = match tokens::redeem_refresh(tx, client, token, now)?
        {
            tokens::Refresh::Live {
                sub,
                auth_time,
                origin_jti,
                scopes,
            } => (sub, auth_time, origin_jti, scopes),
            tokens::Refresh::Revoked => {
                return Err(ApiError::not_authorized("Refresh Token has been revoked"));
            }
            tokens::Refresh::Invalid => return Err(invalid()),
        };
        let key = users::key_by_sub(tx, &pool.id, &sub)?.ok_or_else(invalid)?;
        let user = users::get(tx, &pool.id, &key)?;
        if let Some(params) = hashed {
            let named = params.get("USERNAME").map(String::as_str).unwrap_or("");
            check_secret_hash(
                client,
                &[named, user.username.as_str(), user.sub.as_str()],
                params.get("SECRET_HASH"),
            )?;
        }
        if !user.enabled {
            return Err(ApiError::not_authorized("User is disabled."));
        }
        let mut minted = mint(
            tx,
            client,
            &user,
            auth_time,
            now,
            Some(&origin),
            Occasion::RefreshTokens,
        )?;
        if let Some(scopes) = scopes {
            // A custom scope its resource server has lost since is left out (OAUTH-3).
            let custom = crate::local::db::oauth::custom_scopes(tx, &pool.id)?;
            let scopes: Vec<String> = scopes
                .into_iter()
                .filter(|s| !s.contains('/') || custom.contains(s))
                .collect();
            minted.with_scopes(&scopes, None);
        }
        Ok(Step::Tokens(Box::new(minted)))
    })
}

pub fn respond(store: &Store, body: &Value, caller: Caller) -> Result<Value, ApiError> {
    let input: RespondInput = wire::input(body)?;
    let (client, pool) = store
        .read(|tx| client_and_pool(tx, caller, input.user_pool_id.as_deref(), &input.client_id))?;
    let now = wire::epoch(store.now());
    let responses = &input.challenge_responses;
    let metadata = &input.client_metadata;
    let name = input.challenge_name.as_str();
    if name == "PASSWORD_VERIFIER" {
        return match srp_sign_in::verify(store, &client, &pool, responses, now)? {
            Proven::Step(step) => step.finish(store, &pool, metadata),
            Proven::CustomRound { key, rounds } => {
                custom_auth::next_round(store, &client, &pool, &key, rounds, None, metadata, now)
            }
        };
    }
    let session = input
        .session
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid("Missing required parameter Session"))?;
    if let Some(username) = responses.get("USERNAME") {
        check_secret_hash(&client, &[username], responses.get("SECRET_HASH"))?;
    }
    if name == custom_auth::CHALLENGE {
        return custom_auth::answer(store, &client, &pool, responses, session, metadata, now);
    }
    challenge_step(store, &client, &pool, name, responses, session, now)?
        .finish(store, &pool, metadata)
}

/// Where the answer to a challenge (not SRP's, not a custom one) leads: shared by the
/// API and the managed login page.
pub(in crate::local) fn challenge_step(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    name: &str,
    responses: &HashMap<String, String>,
    session: &str,
    now: f64,
) -> Result<Step, ApiError> {
    match (name, Factor::from_challenge(name)) {
        ("NEW_PASSWORD_REQUIRED", _) => {
            new_password::respond(store, client, pool, responses, session, now)
        }
        (_, Some(factor)) => mfa::answer_code(store, client, pool, responses, session, factor, now),
        ("SELECT_MFA_TYPE", _) => mfa::answer_select(store, client, pool, responses, session, now),
        ("MFA_SETUP", _) => mfa::finish_setup(store, client, pool, responses, session, now),
        (other, _) => Err(ApiError::invalid(format!(
            "The local store answers PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP and CUSTOM_CHALLENGE, not {other}"
        ))),
    }
}

/// The managed login page's sign-in: a username and password checked as
/// USER_PASSWORD_AUTH checks them (user migration and pre authentication included),
/// whatever the client's ExplicitAuthFlows, which govern the API alone.
pub(in crate::local) fn hosted_password(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    username: &str,
    password: &Secret,
    now: f64,
) -> Result<Step, ApiError> {
    let none = BTreeMap::new();
    migrate::if_missing(
        store,
        client,
        pool,
        username,
        Migration::SignIn(password),
        &none,
        &none,
    )?;
    pre_authenticate(store, client, pool, username, &none)?;
    let params = HashMap::from([
        ("USERNAME".to_string(), username.to_string()),
        ("PASSWORD".to_string(), password.expose().to_string()),
    ]);
    password_sign_in(store, client, pool, &params, now)
}
