//! App client rows and the UserPoolClientType a response carries.

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value, json};

use crate::local::wire::error::{ApiError, ErrorCode};

#[derive(Debug, Clone)]
pub struct ClientRow {
    pub pool_id: String,
    pub client_id: String,
    pub name: String,
    pub secret: Option<String>,
    pub created: f64,
    pub modified: f64,
    pub settings: Map<String, Value>,
}

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
        "SELECT pool_id, client_id, name, secret, created, modified, settings FROM user_pool_clients
         WHERE pool_id = ?1 AND client_id = ?2",
        params![pool_id, client_id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, f64>(4)?,
                r.get::<_, f64>(5)?,
                r.get::<_, String>(6)?,
            ))
        },
    )
    .optional()?
    .map(|(pool_id, client_id, name, secret, created, modified, settings)| {
        Ok(ClientRow {
            pool_id,
            client_id,
            name,
            secret,
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
        if let Some(secret) = &self.secret {
            out.insert("ClientSecret".into(), json!(secret));
        }
        out.insert("CreationDate".into(), json!(self.created));
        out.insert("LastModifiedDate".into(), json!(self.modified));
        Value::Object(out)
    }
}
