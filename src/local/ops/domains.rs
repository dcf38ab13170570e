//! A pool's prefix domain, where its managed login and OAuth 2.0 endpoints are answered:
//! CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
//! DeleteUserPoolDomain (OAUTH-1, OAUTH-2). Locally the domain `prefix` is answered by
//! `serve` at `http://HOST:PORT/prefix/`, standing for
//! `https://prefix.auth.REGION.amazoncognito.com`.

use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::oauth;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::pools, wire};
use crate::pool::oauth::domain_prefix;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    domain: String,
    user_pool_id: String,
    #[serde(default)]
    managed_login_version: Option<i64>,
    #[serde(default)]
    custom_domain_config: Option<Value>,
}

fn version(v: Option<i64>) -> Result<i64, ApiError> {
    match v.unwrap_or(1) {
        v @ (1 | 2) => Ok(v),
        other => Err(ApiError::invalid(format!(
            "ManagedLoginVersion {other} is not a version: 1 (the classic hosted UI) or 2 (managed login)"
        ))),
    }
}

fn custom_domains_unsupported(input: &Input) -> Result<(), ApiError> {
    if input.custom_domain_config.is_some() {
        return Err(ApiError::invalid(
            "Custom domains need a certificate and DNS; the local store has prefix domains only",
        ));
    }
    Ok(())
}

pub fn create(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    custom_domains_unsupported(&input)?;
    domain_prefix(&input.domain).map_err(|e| ApiError::invalid(e.rule))?;
    let version = version(input.managed_login_version)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        if oauth::domain_of(tx, &pool.id)?.is_some() {
            return Err(ApiError::invalid(
                "User pool already has a domain configured.",
            ));
        }
        if oauth::domain(tx, &input.domain)?.is_some() {
            return Err(ApiError::invalid(
                "Domain already associated with another user pool.",
            ));
        }
        tx.execute(
            "INSERT INTO user_pool_domains (domain, pool_id, managed_login_version, created)
             VALUES (?1, ?2, ?3, ?4)",
            params![input.domain, pool.id, version, now],
        )?;
        Ok(())
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "created a domain");
    Ok(json!({ "ManagedLoginVersion": version }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    domain: String,
}

/// An unknown domain is no error: `{"DomainDescription": {}}`, as Cognito answers.
pub fn describe(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: DescribeInput = wire::input(body)?;
    let Some(found) = store.read(|tx| oauth::domain(tx, &input.domain))? else {
        return Ok(json!({ "DomainDescription": {} }));
    };
    Ok(json!({ "DomainDescription": {
        "UserPoolId": found.pool_id,
        "AWSAccountId": "000000000000",
        "Domain": found.domain,
        "Status": "ACTIVE",
        "Version": "1",
        "ManagedLoginVersion": found.managed_login_version,
    }}))
}

fn owned(
    tx: &rusqlite::Transaction<'_>,
    domain: &str,
    pool_id: &str,
) -> Result<oauth::Domain, ApiError> {
    pools::load(tx, pool_id)?;
    match oauth::domain(tx, domain)? {
        Some(d) if d.pool_id == pool_id => Ok(d),
        _ => Err(ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("Domain {domain} does not exist in user pool {pool_id}."),
        )),
    }
}

/// Changes the managed login version only: a domain is never renamed.
pub fn update(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    custom_domains_unsupported(&input)?;
    let version = version(input.managed_login_version)?;
    store.write(|tx| {
        owned(tx, &input.domain, &input.user_pool_id)?;
        tx.execute(
            "UPDATE user_pool_domains SET managed_login_version = ?2 WHERE domain = ?1",
            params![input.domain, version],
        )?;
        Ok(())
    })?;
    Ok(json!({ "ManagedLoginVersion": version }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteInput {
    domain: String,
    user_pool_id: String,
}

/// The managed login and the OAuth endpoints go with it; the prefix is free again.
pub fn delete(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: DeleteInput = wire::input(body)?;
    store.write(|tx| {
        owned(tx, &input.domain, &input.user_pool_id)?;
        tx.execute(
            "DELETE FROM user_pool_domains WHERE domain = ?1",
            params![input.domain],
        )?;
        Ok(())
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "deleted a domain");
    Ok(json!({}))
}
