//! CreateUserPoolClient, and what UpdateUserPoolClient shares with it: the members a
//! client keeps, checked and defaulted the same way for both.

use rand::RngExt;
use rusqlite::params;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::Context;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::app_clients, db::pools, wire};
use crate::pool::{Secret, app_client, oauth, token_validity};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    client_name: String,
    #[serde(default)]
    generate_secret: bool,
    #[serde(default)]
    client_secret: Option<String>,
}

/// Members kept as sent (or defaulted); the rest of the request is identity.
const KEPT: &[&str] = &[
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
    "RefreshTokenRotation",
];

fn random(chars: &[u8], n: usize) -> String {
    let mut rng = rand::rng();
    (0..n)
        .map(|_| chars[rng.random_range(0..chars.len())] as char)
        .collect()
}

/// A secret Cognito would make: 51 characters of [a-z0-9], as Cognito's look.
pub(super) fn new_secret() -> Secret {
    Secret::new(random(b"abcdefghijklmnopqrstuvwxyz0123456789", 51))
}

/// The settings a create or update request gives a client: its members checked (name,
/// flows, callback URLs, token lifetimes), those it leaves out at Cognito's defaults.
pub(super) fn settings_of(body: &Value) -> Result<Map<String, Value>, ApiError> {
    if let Some(name) = body.get("ClientName").and_then(Value::as_str) {
        app_client::client_name(name)?;
    }
    if let Some(flows) = body.get("ExplicitAuthFlows").and_then(Value::as_array) {
        let flows: Vec<String> = flows
            .iter()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect();
        app_client::explicit_auth_flows(&flows)?;
    }
    for member in ["CallbackURLs", "LogoutURLs"] {
        if let Some(urls) = body.get(member).and_then(Value::as_array) {
            for url in urls.iter().filter_map(Value::as_str) {
                app_client::callback_url(url).map_err(|mut e| {
                    e.field = member.into();
                    e
                })?;
            }
        }
    }
    let request = body.as_object().cloned().unwrap_or_default();
    let lifetimes = token_validity::resolve(&request)?;
    let mut settings = app_clients::defaults();
    for &member in KEPT {
        if let Some(v) = body.get(member).filter(|v| !v.is_null()) {
            settings.insert(member.into(), v.clone());
        }
    }
    settings.extend(lifetimes);
    Ok(settings)
}

fn strings(settings: &Map<String, Value>, member: &str) -> Vec<String> {
    settings
        .get(member)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The client's OAuth members against the pool's resource servers (OAUTH-4): checked in
/// the transaction that writes the client, so a scope cannot vanish in between.
fn check_oauth(
    tx: &rusqlite::Transaction<'_>,
    pool_id: &str,
    settings: &Map<String, Value>,
    has_secret: bool,
) -> Result<(), ApiError> {
    let custom = crate::local::db::oauth::custom_scopes(tx, pool_id)?;
    oauth::client_members(
        &strings(settings, "AllowedOAuthFlows"),
        &strings(settings, "AllowedOAuthScopes"),
        &strings(settings, "CallbackURLs"),
        settings.get("DefaultRedirectURI").and_then(Value::as_str),
        has_secret,
        &custom,
    )
    .map_err(|refusal| match refusal {
        oauth::ClientRefusal::Flow(m) => ApiError::new(ErrorCode::InvalidOAuthFlow, m),
        oauth::ClientRefusal::Scope(m) => ApiError::new(ErrorCode::ScopeDoesNotExist, m),
        oauth::ClientRefusal::Parameter(e) => e.into(),
    })
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    app_client::client_name(&input.client_name)?;
    if input.generate_secret && input.client_secret.is_some() {
        return Err(ApiError::invalid(
            "GenerateSecret and ClientSecret: give one or the other, not both.",
        ));
    }
    let settings = settings_of(body)?;
    let secret = match (&input.client_secret, input.generate_secret) {
        (Some(s), _) => Some(Secret::new(s.as_str())),
        (None, true) => Some(new_secret()),
        (None, false) => None,
    };
    // Client ids: 26 characters of [a-z0-9], as Cognito's.
    let client_id = random(b"abcdefghijklmnopqrstuvwxyz0123456789", 26);
    let now = wire::epoch(store.now());
    let row =
        store.write(|tx| {
            let pool = pools::load(tx, &input.user_pool_id)?;
            check_oauth(tx, &pool.id, &settings, secret.is_some())?;
            tx.execute(
            "INSERT INTO user_pool_clients (pool_id, client_id, name, created, modified, settings)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            params![pool.id, client_id, input.client_name, now, serde_json::to_string(&settings)?],
        )?;
            if let Some(secret) = &secret {
                app_clients::add_secret(tx, &pool.id, &client_id, secret, now)?;
            }
            app_clients::load(tx, &pool.id, &client_id)
        })?;
    tracing::info!(pool_id = %row.pool_id, "created an app client");
    Ok(json!({ "UserPoolClient": row.description() }))
}

/// UpdateUserPoolClient: "If you don't provide a value for an attribute, Amazon Cognito
/// sets it to its default value." Every member is the request's or the default; the
/// client's id, secret and creation date stay, and its name unless a new one is given
/// (CLIENT-9).
pub fn update(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: super::describe_user_pool_client::ClientRef = wire::input(body)?;
    let settings = settings_of(body)?;
    let name = body.get("ClientName").and_then(Value::as_str);
    let now = wire::epoch(store.now());
    let row = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let before = app_clients::load(tx, &pool.id, &input.client_id)?;
        check_oauth(tx, &pool.id, &settings, !before.secrets.is_empty())?;
        tx.execute(
            "UPDATE user_pool_clients SET name = ?3, settings = ?4, modified = ?5
             WHERE pool_id = ?1 AND client_id = ?2",
            params![
                pool.id,
                before.client_id,
                name.unwrap_or(&before.name),
                serde_json::to_string(&settings)?,
                now
            ],
        )?;
        app_clients::load(tx, &pool.id, &before.client_id)
    })?;
    tracing::info!(pool_id = %row.pool_id, "updated an app client");
    Ok(json!({ "UserPoolClient": row.description() }))
}
