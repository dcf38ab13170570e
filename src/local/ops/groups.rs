//! CreateGroup, GetGroup, UpdateGroup, DeleteGroup and ListGroups. Every field is held to
//! the service model (name 1–128 printable characters without spaces, description up to
//! 2048, precedence from 0, an IAM role ARN). UpdateGroup changes only what it is sent.
//! Deleting a group ends its memberships.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::groups::{self, GroupRow};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GroupInput {
    user_pool_id: String,
    group_name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    role_arn: Option<String>,
    #[serde(default)]
    precedence: Option<i64>,
}

impl GroupInput {
    fn check(&self) -> Result<(), ApiError> {
        groups::check(
            &self.group_name,
            self.description.as_deref(),
            self.role_arn.as_deref(),
            self.precedence,
        )
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GroupRef {
    user_pool_id: String,
    group_name: String,
}

pub fn create(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: GroupInput = wire::input(body)?;
    input.check()?;
    let now = wire::epoch(store.now());
    let row = GroupRow {
        pool_id: input.user_pool_id.clone(),
        name: input.group_name.clone(),
        description: input.description.clone(),
        role_arn: input.role_arn.clone(),
        precedence: input.precedence,
        created: now,
        modified: now,
    };
    store.write(|tx| {
        pools::load(tx, &row.pool_id)?;
        groups::insert(tx, &row)
    })?;
    tracing::info!(pool_id = %row.pool_id, "created a group");
    Ok(json!({ "Group": row.to_json() }))
}

pub fn get(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: GroupRef = wire::input(body)?;
    let row = store.read(|tx| {
        pools::load(tx, &input.user_pool_id)?;
        groups::load(tx, &input.user_pool_id, &input.group_name)
    })?;
    Ok(json!({ "Group": row.to_json() }))
}

pub fn update(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: GroupInput = wire::input(body)?;
    input.check()?;
    let now = wire::epoch(store.now());
    let row = store.write(|tx| {
        pools::load(tx, &input.user_pool_id)?;
        let mut row = groups::load(tx, &input.user_pool_id, &input.group_name)?;
        if let Some(d) = &input.description {
            row.description = Some(d.clone());
        }
        if let Some(r) = &input.role_arn {
            row.role_arn = Some(r.clone());
        }
        if let Some(p) = input.precedence {
            row.precedence = Some(p);
        }
        row.modified = now;
        groups::update(tx, &row)?;
        Ok(row)
    })?;
    Ok(json!({ "Group": row.to_json() }))
}

pub fn delete(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: GroupRef = wire::input(body)?;
    store.write(|tx| {
        pools::load(tx, &input.user_pool_id)?;
        groups::delete(tx, &input.user_pool_id, &input.group_name)
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "deleted a group");
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListInput {
    user_pool_id: String,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    next_token: Option<String>,
}

pub fn list(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ListInput = wire::input(body)?;
    let (limit, after) = groups::page_bounds(input.limit, input.next_token.as_deref())?;
    let (rows, next) = store.read(|tx| {
        pools::load(tx, &input.user_pool_id)?;
        groups::list(tx, &input.user_pool_id, limit, &after)
    })?;
    let mut out = json!({ "Groups": rows.iter().map(GroupRow::to_json).collect::<Vec<_>>() });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}
