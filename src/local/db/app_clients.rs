//! App client rows and the UserPoolClientType a response carries.

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value, json};

use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::Secret;

#[derive(Debug, Clone)]
pub struct ClientRow {
    pub pool_id: String,
    pub client_id: String,
    pub name: String,
    /// Oldest first; empty for a public client.
    pub secrets: Vec<ClientSecret>,
    pub created: f64,
    pub modified: f64,
    pub settings: Map<String, Value>,
}

/// One of a client's secrets (at most two: SECRET-1).
#[derive(Debug, Clone)]
pub struct ClientSecret {
    /// `<client-id>--<epoch milliseconds>`.
    pub id: String,
    pub value: Secret,
    pub created: f64,
}

/// At most this many secrets at a time, "for zero-downtime credential rotation".
pub const MAX_SECRETS: usize = 2;

/// What Cognito gives a client for members its request left out.
pub fn defaults() -> Map<String, Value> {
    let v = json!({
        "RefreshTokenValidity": 30,
        "AccessTokenValidity": 60,
        "IdTokenValidity": 60,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
        "ExplicitAuthFlows": crate::pool::app_client::DEFAULT_FLOWS,
        "AllowedOAuthFlowsUserPoolClient": false,
        "PreventUserExistenceErrors": "LEGACY",
        "EnableTokenRevocation": true,
        "EnablePropagateAdditionalUserContextData": false,
        "AuthSessionValidity": 3,
    });
    v.as_object().cloned().unwrap_or_default()
}

pub fn load(tx: &Transaction<'_>, pool_id: &str, client_id: &str) -> Result<ClientRow, ApiError> {
    tx.query_row(
        "SELECT pool_id, client_id, name, created, modified, settings FROM user_pool_clients
         WHERE pool_id = ?1 AND client_id = ?2",
        params![pool_id, client_id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, f64>(3)?,
                r.get::<_, f64>(4)?,
                r.get::<_, String>(5)?,
            ))
        },
    )
    .optional()?
    .map(|(pool_id, client_id, name, created, modified, settings)| {
        let secrets = secrets(tx, &pool_id, &client_id)?;
        Ok(ClientRow {
            pool_id,
            client_id,
            name,
            secrets,
            created,
            modified,
            settings: serde_json::from_str(&settings)?,
        })
    })
    .unwrap_or_else(|| {
        Err(ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("User pool client {client_id} does not exist."),
        ))
    })
}

/// A client's secrets, oldest first.
fn secrets(
    tx: &Transaction<'_>,
    pool_id: &str,
    client_id: &str,
) -> Result<Vec<ClientSecret>, ApiError> {
    let mut statement = tx.prepare_cached(
        "SELECT secret_id, secret, created FROM client_secrets
         WHERE pool_id = ?1 AND client_id = ?2 ORDER BY created, secret_id",
    )?;
    let rows = statement.query_map(params![pool_id, client_id], |r| {
        Ok(ClientSecret {
            id: r.get(0)?,
            value: Secret::new(r.get::<_, String>(1)?),
            created: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Gives the client a secret made at `now`, named by its creation time (a millisecond
/// later where two are made in the same one). Its `ClientSecret`.
pub fn add_secret(
    tx: &Transaction<'_>,
    pool_id: &str,
    client_id: &str,
    value: &Secret,
    now: f64,
) -> Result<ClientSecret, ApiError> {
    let mut millis = (now * 1000.0) as i64;
    loop {
        let id = format!("{client_id}--{millis}");
        let added = tx.execute(
            "INSERT OR IGNORE INTO client_secrets (pool_id, client_id, secret_id, secret, created)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![pool_id, client_id, id, value.expose(), now],
        )?;
        if added == 1 {
            return Ok(ClientSecret {
                id,
                value: value.clone(),
                created: now,
            });
        }
        millis += 1;
    }
}

/// The client with this id, whatever its pool (InitiateAuth names only the client).
pub fn load_by_id(tx: &Transaction<'_>, client_id: &str) -> Result<ClientRow, ApiError> {
    let pool_id: Option<String> = tx
        .query_row(
            "SELECT pool_id FROM user_pool_clients WHERE client_id = ?1",
            params![client_id],
            |r| r.get(0),
        )
        .optional()?;
    load(tx, pool_id.as_deref().unwrap_or(""), client_id)
}

impl ClientRow {
    /// Whether `given` is one of the client's secrets (compared in constant time).
    pub fn secret_is(&self, given: &str) -> bool {
        self.secrets.iter().fold(false, |found, s| {
            found | constant_time_eq(s.value.expose(), given)
        })
    }

    /// OAuth 2.0 is on for this client: `AllowedOAuthFlowsUserPoolClient` and at least
    /// one flow. A client without it is stored as given but gets no OAuth (OAUTH-4).
    pub fn oauth_enabled(&self) -> bool {
        self.settings.get("AllowedOAuthFlowsUserPoolClient") == Some(&json!(true))
            && !self.oauth_flows().is_empty()
    }

    /// `AllowedOAuthFlows`: code, implicit, client_credentials.
    pub fn oauth_flows(&self) -> Vec<String> {
        self.settings
            .get("AllowedOAuthFlows")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `ExplicitAuthFlows` as stored.
    pub fn auth_flows(&self) -> Vec<String> {
        self.settings
            .get("ExplicitAuthFlows")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `PreventUserExistenceErrors` is ENABLED: unknown users look like wrong passwords.
    pub fn hides_user_existence(&self) -> bool {
        self.settings
            .get("PreventUserExistenceErrors")
            .and_then(Value::as_str)
            == Some("ENABLED")
    }

    /// AuthSessionValidity, in seconds.
    pub fn session_seconds(&self) -> f64 {
        self.settings
            .get("AuthSessionValidity")
            .and_then(Value::as_i64)
            .unwrap_or(3) as f64
            * 60.0
    }

    pub fn description(&self) -> Value {
        let mut out = self.settings.clone();
        out.insert("UserPoolId".into(), json!(self.pool_id));
        out.insert("ClientId".into(), json!(self.client_id));
        out.insert("ClientName".into(), json!(self.name));
        if let Some(secret) = self.secrets.first() {
            out.insert("ClientSecret".into(), json!(secret.value.expose()));
        }
        out.insert("CreationDate".into(), json!(self.created));
        out.insert("LastModifiedDate".into(), json!(self.modified));
        Value::Object(out)
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a.as_bytes(), b.as_bytes()).is_ok()
}
