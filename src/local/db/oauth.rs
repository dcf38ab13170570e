//! OAuth rows: a pool's prefix domain, its resource servers, the managed login's
//! authorization codes and sessions. Codes and session cookies are kept hashed.

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Value, json};

use crate::local::sign_in::tokens::{random_token, token_hash};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::oauth::{CODE_SECONDS, SESSION_SECONDS, Scope};

#[derive(Debug, Clone)]
pub struct Domain {
    pub domain: String,
    pub pool_id: String,
    pub managed_login_version: i64,
}

pub fn domain(tx: &Transaction<'_>, domain: &str) -> Result<Option<Domain>, ApiError> {
    Ok(tx
        .query_row(
            "SELECT domain, pool_id, managed_login_version FROM user_pool_domains WHERE domain = ?1",
            params![domain],
            |r| {
                Ok(Domain {
                    domain: r.get(0)?,
                    pool_id: r.get(1)?,
                    managed_login_version: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// The pool's prefix domain, if it has one.
pub fn domain_of(tx: &Transaction<'_>, pool_id: &str) -> Result<Option<String>, ApiError> {
    Ok(tx
        .query_row(
            "SELECT domain FROM user_pool_domains WHERE pool_id = ?1",
            params![pool_id],
            |r| r.get(0),
        )
        .optional()?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceServer {
    pub pool_id: String,
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl ResourceServer {
    /// `ResourceServerType`.
    pub fn to_json(&self) -> Value {
        json!({
            "UserPoolId": self.pool_id,
            "Identifier": self.identifier,
            "Name": self.name,
            "Scopes": self.scopes,
        })
    }
}

pub fn resource_server(
    tx: &Transaction<'_>,
    pool_id: &str,
    identifier: &str,
) -> Result<ResourceServer, ApiError> {
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT name, scopes FROM resource_servers WHERE pool_id = ?1 AND identifier = ?2",
            params![pool_id, identifier],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (name, scopes) = row.ok_or_else(|| {
        ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("Resource server {identifier} does not exist in user pool {pool_id}."),
        )
    })?;
    Ok(ResourceServer {
        pool_id: pool_id.to_string(),
        identifier: identifier.to_string(),
        name,
        scopes: serde_json::from_str(&scopes)?,
    })
}

/// The pool's resource servers by identifier, from just after `after`, at most `limit`.
pub fn resource_servers(
    tx: &Transaction<'_>,
    pool_id: &str,
    after: &str,
    limit: usize,
) -> Result<Vec<ResourceServer>, ApiError> {
    let mut statement = tx.prepare_cached(
        "SELECT identifier, name, scopes FROM resource_servers
         WHERE pool_id = ?1 AND identifier > ?2 ORDER BY identifier LIMIT ?3",
    )?;
    let rows = statement.query_map(params![pool_id, after, limit as i64], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (identifier, name, scopes) = row?;
        out.push(ResourceServer {
            pool_id: pool_id.to_string(),
            identifier,
            name,
            scopes: serde_json::from_str(&scopes)?,
        });
    }
    Ok(out)
}

/// Every custom scope of the pool, as `identifier/name`.
pub fn custom_scopes(
    tx: &Transaction<'_>,
    pool_id: &str,
) -> Result<std::collections::BTreeSet<String>, ApiError> {
    Ok(resource_servers(tx, pool_id, "", usize::MAX >> 1)?
        .into_iter()
        .flat_map(|s| {
            s.scopes
                .into_iter()
                .map(move |scope| format!("{}/{}", s.identifier, scope.scope_name))
        })
        .collect())
}

pub fn save_resource_server(tx: &Transaction<'_>, server: &ResourceServer) -> Result<(), ApiError> {
    tx.execute(
        "INSERT OR REPLACE INTO resource_servers (pool_id, identifier, name, scopes)
         VALUES (?1, ?2, ?3, ?4)",
        params![
            server.pool_id,
            server.identifier,
            server.name,
            serde_json::to_string(&server.scopes)?
        ],
    )?;
    Ok(())
}

/// What an authorization code stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub pool_id: String,
    pub client_id: String,
    pub sub: String,
    pub auth_time: i64,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    /// The PKCE S256 challenge, when the request sent one.
    pub challenge: Option<String>,
}

/// A new code for `grant`, good for five minutes.
pub fn new_code(tx: &Transaction<'_>, grant: &Grant, now: f64) -> Result<String, ApiError> {
    let code = random_token(32);
    tx.prepare_cached(
        "INSERT INTO oauth_codes (code_hash, pool_id, client_id, sub, auth_time, redirect_uri,
             scopes, nonce, challenge, expires)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        token_hash(&code),
        grant.pool_id,
        grant.client_id,
        grant.sub,
        grant.auth_time,
        grant.redirect_uri,
        grant.scopes.join(" "),
        grant.nonce,
        grant.challenge,
        now + CODE_SECONDS
    ])?;
    Ok(code)
}

/// The grant of a live code, which is used up by asking: a code is good once, right or
/// wrong what comes with it. None: no such code, used, or expired.
pub fn take_code(tx: &Transaction<'_>, code: &str, now: f64) -> Result<Option<Grant>, ApiError> {
    let hash = token_hash(code);
    let row = tx
        .query_row(
            "SELECT pool_id, client_id, sub, auth_time, redirect_uri, scopes, nonce, challenge, expires
             FROM oauth_codes WHERE code_hash = ?1",
            params![hash],
            |r| {
                Ok((
                    Grant {
                        pool_id: r.get(0)?,
                        client_id: r.get(1)?,
                        sub: r.get(2)?,
                        auth_time: r.get(3)?,
                        redirect_uri: r.get(4)?,
                        scopes: r
                            .get::<_, String>(5)?
                            .split_whitespace()
                            .map(str::to_string)
                            .collect(),
                        nonce: r.get(6)?,
                        challenge: r.get(7)?,
                    },
                    r.get::<_, f64>(8)?,
                ))
            },
        )
        .optional()?;
    tx.execute(
        "DELETE FROM oauth_codes WHERE code_hash = ?1 OR expires <= ?2",
        params![hash, now],
    )?;
    Ok(row.filter(|(_, expires)| *expires > now).map(|(g, _)| g))
}

/// A signed-in browser's session: who, since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub sub: String,
    pub auth_time: i64,
}

/// A new session cookie's value, for an hour.
pub fn new_session(
    tx: &Transaction<'_>,
    pool_id: &str,
    session: &Session,
    now: f64,
) -> Result<String, ApiError> {
    let token = random_token(32);
    // Sessions past their hour go as new ones come.
    tx.execute(
        "DELETE FROM hosted_sessions WHERE expires <= ?1",
        params![now],
    )?;
    tx.execute(
        "INSERT INTO hosted_sessions (token_hash, pool_id, sub, auth_time, expires)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            token_hash(&token),
            pool_id,
            session.sub,
            session.auth_time,
            now + SESSION_SECONDS
        ],
    )?;
    Ok(token)
}

pub fn session(
    tx: &Transaction<'_>,
    pool_id: &str,
    token: &str,
    now: f64,
) -> Result<Option<Session>, ApiError> {
    Ok(tx
        .query_row(
            "SELECT sub, auth_time FROM hosted_sessions
             WHERE token_hash = ?1 AND pool_id = ?2 AND expires > ?3",
            params![token_hash(token), pool_id, now],
            |r| {
                Ok(Session {
                    sub: r.get(0)?,
                    auth_time: r.get(1)?,
                })
            },
        )
        .optional()?)
}

pub fn end_session(tx: &Transaction<'_>, token: &str) -> Result<(), ApiError> {
    tx.execute(
        "DELETE FROM hosted_sessions WHERE token_hash = ?1",
        params![token_hash(token)],
    )?;
    Ok(())
}
