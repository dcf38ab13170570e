//! Sign-in sessions: the token that carries a sign-in from one challenge to its answer
//! (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, the MFA challenges and the steps of MFA
//! set-up). Kept by SHA-256 only; taking a session ends it, so a session answers once,
//! but an MFA code's session is only looked at until a code is right.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::local::db::app_clients::ClientRow;
use crate::local::sign_in::srp;
use crate::local::sign_in::tokens::token_hash;
use crate::local::wire::error::ApiError;

/// A challenge in progress: who, on which client, and the SRP state if any.
pub struct Session {
    pub pool_id: String,
    pub client_id: String,
    /// What the session answers: a challenge's name, or a step of MFA set-up.
    pub challenge: String,
    pub username_key: String,
    pub srp_secret: Option<Vec<u8>>,
    pub srp_client_public: Option<Vec<u8>>,
    /// The SRP_B the challenge sent (None for a session from before it was kept).
    pub srp_server_public: Option<Vec<u8>>,
    /// CUSTOM_CHALLENGE: the rounds so far (see `sign_in::custom_auth`).
    pub custom_state: Option<String>,
}

impl Session {
    /// The SRP session key of a PASSWORD_VERIFIER session for `verifier`, if the session
    /// holds the server's secret and the client's A.
    pub fn srp_key(&self, verifier: &[u8]) -> Option<[u8; 16]> {
        let secret: [u8; 32] = self.srp_secret.as_deref()?.try_into().ok()?;
        let a = srp::client_public(self.srp_client_public.as_deref()?)?;
        let b_public = match self.srp_server_public.as_deref() {
            Some(b) => srp::client_public(b)?,
            None => srp::ServerSecret::from_secret(secret).public(verifier)?,
        };
        srp::session_key(&a, &secret, &b_public, verifier)
    }
}

/// What a PASSWORD_VERIFIER session keeps: the server's secret b, the client's A and the
/// B it was sent.
#[derive(Clone, Copy)]
pub struct SrpState<'a> {
    pub secret: &'a [u8],
    pub client_public: &'a [u8],
    pub server_public: &'a [u8],
}

/// Starts a challenge's session: `token` goes to the client (hashed here), and the
/// session ends at the client's session validity. Expired sessions are cleared first.
pub fn new_session(
    tx: &Transaction<'_>,
    client: &ClientRow,
    key: &str,
    challenge: &str,
    srp: Option<SrpState<'_>>,
    token: &str,
    now: f64,
) -> Result<(), ApiError> {
    tx.prepare_cached("DELETE FROM auth_sessions WHERE expires < ?1")?
        .execute(params![now])?;
    tx.prepare_cached(
        "INSERT INTO auth_sessions (token_hash, pool_id, client_id, username_key, challenge,
            srp_secret, srp_client_public, srp_server_public, expires)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        token_hash(token),
        client.pool_id,
        client.client_id,
        key,
        challenge,
        srp.map(|s| s.secret),
        srp.map(|s| s.client_public),
        srp.map(|s| s.server_public),
        now + client.session_seconds(),
    ])?;
    Ok(())
}

/// Keeps `state` with the session `token`: a custom authentication's rounds.
pub fn set_custom_state(tx: &Transaction<'_>, token: &str, state: &str) -> Result<(), ApiError> {
    tx.prepare_cached("UPDATE auth_sessions SET custom_state = ?2 WHERE token_hash = ?1")?
        .execute(params![token_hash(token), state])?;
    Ok(())
}

/// Takes (and so ends) the session `token` for `challenge` on this client.
pub fn take_session(
    tx: &Transaction<'_>,
    client: &ClientRow,
    token: &str,
    challenge: &str,
    now: f64,
) -> Result<Session, ApiError> {
    let session = peek_session(tx, client, token, challenge, now)?;
    end(tx, token)?;
    Ok(session)
}

/// The session `token` for `challenge` on this client, left open: a wrong MFA code may
/// be tried again while the session lasts (the user's lockout counts the tries).
pub fn peek_session(
    tx: &Transaction<'_>,
    client: &ClientRow,
    token: &str,
    challenge: &str,
    now: f64,
) -> Result<Session, ApiError> {
    let session = find(tx, token, now)?;
    if session.pool_id != client.pool_id
        || session.client_id != client.client_id
        || session.challenge != challenge
    {
        return Err(invalid());
    }
    Ok(session)
}

/// Takes the session `token` for `challenge` whatever its client: AssociateSoftwareToken
/// and VerifySoftwareToken carry a session and no client id.
pub fn take_any_client(
    tx: &Transaction<'_>,
    token: &str,
    challenge: &str,
    now: f64,
) -> Result<Session, ApiError> {
    let session = peek_any_client(tx, token, challenge, now)?;
    end(tx, token)?;
    Ok(session)
}

/// The session `token` for `challenge` whatever its client, left open: a wrong code to
/// VerifySoftwareToken may be tried again.
pub fn peek_any_client(
    tx: &Transaction<'_>,
    token: &str,
    challenge: &str,
    now: f64,
) -> Result<Session, ApiError> {
    let session = find(tx, token, now)?;
    if session.challenge != challenge {
        return Err(invalid());
    }
    Ok(session)
}

/// The live session `token`, whatever it is for. An expired one is said to be.
fn find(tx: &Transaction<'_>, token: &str, now: f64) -> Result<Session, ApiError> {
    let row = tx
        .prepare_cached(
            "SELECT client_id, username_key, srp_secret, srp_client_public, expires, challenge,
                    pool_id, custom_state, srp_server_public
             FROM auth_sessions WHERE token_hash = ?1",
        )?
        .query_row(params![token_hash(token)], |r| {
            Ok((
                Session {
                    client_id: r.get(0)?,
                    username_key: r.get(1)?,
                    srp_secret: r.get(2)?,
                    srp_client_public: r.get(3)?,
                    challenge: r.get(5)?,
                    pool_id: r.get(6)?,
                    custom_state: r.get(7)?,
                    srp_server_public: r.get(8)?,
                },
                r.get::<_, f64>(4)?,
            ))
        })
        .optional()?;
    let Some((session, expires)) = row else {
        return Err(invalid());
    };
    if expires <= now {
        return Err(ApiError::not_authorized(
            "Invalid session for the user, session is expired.",
        ));
    }
    Ok(session)
}

/// Ends the session `token`.
pub fn end(tx: &Transaction<'_>, token: &str) -> Result<(), ApiError> {
    tx.prepare_cached("DELETE FROM auth_sessions WHERE token_hash = ?1")?
        .execute(params![token_hash(token)])?;
    Ok(())
}

fn invalid() -> ApiError {
    ApiError::not_authorized("Invalid session for the user.")
}
