//! A confidential client's secrets, rotated without downtime: AddUserPoolClientSecret,
//! ListUserPoolClientSecrets, DeleteUserPoolClientSecret. A client has at most two; a
//! generated secret's value is answered once, when it is made, and never listed; a
//! SECRET_HASH or client secret made with either is accepted (CLIENT-10).

use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use super::create_user_pool_client::new_secret;
use super::describe_user_pool_client::ClientRef;
use crate::local::db::app_clients::{self, ClientSecret, MAX_SECRETS};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::pools, wire};
use crate::pool::Secret;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AddInput {
    user_pool_id: String,
    client_id: String,
    #[serde(default)]
    client_secret: Option<String>,
}

fn descriptor(secret: &ClientSecret, with_value: bool) -> Value {
    let mut out = json!({
        "ClientSecretId": secret.id,
        "ClientSecretCreateDate": secret.created,
    });
    if with_value {
        out["ClientSecretValue"] = json!(secret.value.expose());
    }
    out
}

/// AddUserPoolClientSecret: a second secret for a client that has one. "The
/// ClientSecretValue is only returned when Amazon Cognito generates the secret."
pub fn add(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: AddInput = wire::input(body)?;
    let generated = input.client_secret.is_none();
    let value = input
        .client_secret
        .map(Secret::new)
        .unwrap_or_else(new_secret);
    let now = wire::epoch(store.now());
    let secret = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let client = app_clients::load(tx, &pool.id, &input.client_id)?;
        if client.secrets.is_empty() {
            return Err(ApiError::invalid(format!(
                "Client {} has no secret: only a confidential client can have its secrets rotated",
                client.client_id
            )));
        }
        if client.secrets.len() >= MAX_SECRETS {
            return Err(ApiError::new(
                ErrorCode::LimitExceeded,
                format!(
                    "Client {} already has {MAX_SECRETS} secrets, the most it can have: delete one first",
                    client.client_id
                ),
            ));
        }
        app_clients::add_secret(tx, &pool.id, &client.client_id, &value, now)
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "added an app client secret");
    Ok(json!({ "ClientSecretDescriptor": descriptor(&secret, generated) }))
}

/// ListUserPoolClientSecrets: ids and dates, "the response never reveals the actual
/// secret value". All in one answer (no NextToken).
pub fn list(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ClientRef = wire::input(body)?;
    let client = store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        app_clients::load(tx, &pool.id, &input.client_id)
    })?;
    let secrets: Vec<Value> = client
        .secrets
        .iter()
        .map(|s| descriptor(s, false))
        .collect();
    Ok(json!({ "ClientSecrets": secrets }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteInput {
    user_pool_id: String,
    client_id: String,
    client_secret_id: String,
}

/// DeleteUserPoolClientSecret: one of two secrets goes; a client's last secret stays
/// (a confidential client cannot become public).
pub fn delete(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: DeleteInput = wire::input(body)?;
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let client = app_clients::load(tx, &pool.id, &input.client_id)?;
        if !client
            .secrets
            .iter()
            .any(|s| s.id == input.client_secret_id)
        {
            return Err(ApiError::new(
                ErrorCode::ResourceNotFound,
                format!(
                    "Client secret {} does not exist for client {}.",
                    input.client_secret_id, client.client_id
                ),
            ));
        }
        if client.secrets.len() == 1 {
            return Err(ApiError::invalid(format!(
                "Client secret {} is the client's only secret: add another before deleting it",
                input.client_secret_id
            )));
        }
        tx.execute(
            "DELETE FROM client_secrets WHERE pool_id = ?1 AND client_id = ?2 AND secret_id = ?3",
            params![pool.id, client.client_id, input.client_secret_id],
        )?;
        Ok(())
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "deleted an app client secret");
    Ok(json!({}))
}
