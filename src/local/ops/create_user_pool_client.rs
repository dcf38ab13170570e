use rand::RngExt;
use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::app_clients, db::pools, wire};
use crate::pool::{app_client, token_validity};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    client_name: String,
    #[serde(default)]
    generate_secret: bool,
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    explicit_auth_flows: Option<Vec<String>>,
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

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    app_client::client_name(&input.client_name)?;
    if let Some(flows) = &input.explicit_auth_flows {
        app_client::explicit_auth_flows(flows)?;
    }
    if input.generate_secret && input.client_secret.is_some() {
        return Err(ApiError::invalid(
            "GenerateSecret and ClientSecret: give one or the other, not both.",
        ));
    }
    if let Some(urls) = body.get("CallbackURLs").and_then(Value::as_array) {
        for url in urls.iter().filter_map(Value::as_str) {
            app_client::callback_url(url)?;
        }
    }
    let request = body.as_object().cloned().unwrap_or_default();
    let lifetimes = token_validity::resolve(&request)?;
    let secret = match (&input.client_secret, input.generate_secret) {
        (Some(s), _) => Some(s.clone()),
        // 51 characters of [a-z0-9], as Cognito's secrets look.
        (None, true) => Some(random(b"abcdefghijklmnopqrstuvwxyz0123456789", 51)),
        (None, false) => None,
    };
    let mut settings = app_clients::defaults();
    for &member in KEPT {
        if let Some(v) = body.get(member).filter(|v| !v.is_null()) {
            settings.insert(member.into(), v.clone());
        }
    }
    settings.extend(lifetimes);
    // Client ids: 26 characters of [a-z0-9], as Cognito's.
    let client_id = random(b"abcdefghijklmnopqrstuvwxyz0123456789", 26);
    let now = wire::epoch(store.now());
    let row = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        tx.execute(
            "INSERT INTO user_pool_clients (pool_id, client_id, name, secret, created, modified, settings)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
            params![pool.id, client_id, input.client_name, secret, now, serde_json::to_string(&settings)?],
        )?;
        app_clients::load(tx, &pool.id, &client_id)
    })?;
    tracing::info!(pool_id = %row.pool_id, "created an app client");
    Ok(json!({ "UserPoolClient": row.description() }))
}
