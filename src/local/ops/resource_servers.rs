//! A pool's resource servers and their custom scopes (`identifier/scope`), which app
//! clients allow and the token endpoint grants: CreateResourceServer,
//! DescribeResourceServer, UpdateResourceServer (its name and whole list of scopes;
//! omitted scopes are gone), DeleteResourceServer, ListResourceServers (OAUTH-3).

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::oauth::{self, ResourceServer};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::pools, wire};
use crate::pool::oauth::{Scope, resource_server_scopes};

/// Resource servers a pool may have (Cognito's quota, adjustable there).
const MAX_SERVERS: usize = 25;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    identifier: String,
    name: String,
    #[serde(default)]
    scopes: Vec<Scope>,
}

pub fn create(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    resource_server_scopes(&input.scopes)?;
    let server = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        if oauth::resource_server(tx, &pool.id, &input.identifier).is_ok() {
            return Err(ApiError::invalid(format!(
                "{} already exists in user pool {}.",
                input.identifier, pool.id
            )));
        }
        if oauth::resource_servers(tx, &pool.id, "", MAX_SERVERS)?.len() >= MAX_SERVERS {
            return Err(ApiError::new(
                ErrorCode::LimitExceeded,
                format!("A user pool has at most {MAX_SERVERS} resource servers."),
            ));
        }
        let server = ResourceServer {
            pool_id: pool.id,
            identifier: input.identifier.clone(),
            name: input.name.clone(),
            scopes: input.scopes.clone(),
        };
        oauth::save_resource_server(tx, &server)?;
        Ok(server)
    })?;
    Ok(json!({ "ResourceServer": server.to_json() }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Ref {
    user_pool_id: String,
    identifier: String,
}

pub fn describe(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Ref = wire::input(body)?;
    let server = store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        oauth::resource_server(tx, &pool.id, &input.identifier)
    })?;
    Ok(json!({ "ResourceServer": server.to_json() }))
}

/// The name and the whole list of scopes are replaced; a scope left out is gone from
/// the server, and from every token after, though clients keep naming it (OAUTH-3).
pub fn update(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    resource_server_scopes(&input.scopes)?;
    let server = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let mut server = oauth::resource_server(tx, &pool.id, &input.identifier)?;
        server.name = input.name.clone();
        server.scopes = input.scopes.clone();
        oauth::save_resource_server(tx, &server)?;
        Ok(server)
    })?;
    Ok(json!({ "ResourceServer": server.to_json() }))
}

pub fn delete(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Ref = wire::input(body)?;
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        oauth::resource_server(tx, &pool.id, &input.identifier)?;
        tx.execute(
            "DELETE FROM resource_servers WHERE pool_id = ?1 AND identifier = ?2",
            rusqlite::params![pool.id, input.identifier],
        )?;
        Ok(())
    })?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListInput {
    user_pool_id: String,
    max_results: usize,
    #[serde(default)]
    next_token: Option<String>,
}

pub fn list(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ListInput = wire::input(body)?;
    let after = input.next_token.unwrap_or_default();
    let page = store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        oauth::resource_servers(tx, &pool.id, &after, input.max_results + 1)
    })?;
    let more = page.len() > input.max_results;
    let servers: Vec<Value> = page
        .iter()
        .take(input.max_results)
        .map(ResourceServer::to_json)
        .collect();
    let mut out = json!({ "ResourceServers": servers });
    if more && let Some(last) = page.get(input.max_results - 1) {
        out["NextToken"] = json!(last.identifier);
    }
    Ok(out)
}
