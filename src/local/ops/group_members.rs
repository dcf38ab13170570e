//! AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser and
//! ListUsersInGroup. The user may be named by any alias, as in every admin call; adding
//! a member twice or removing a non-member changes nothing.

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::groups::{self, GroupRow};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, db::users, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Membership {
    user_pool_id: String,
    username: String,
    group_name: String,
}

fn change(store: &Store, body: &Value, add: bool) -> Result<Value, ApiError> {
    let input: Membership = wire::input(body)?;
    crate::pool::group::name(&input.group_name)?;
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        groups::load(tx, &pool.id, &input.group_name)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        if add {
            groups::add_member(tx, &pool.id, &input.group_name, &key)
        } else {
            groups::remove_member(tx, &pool.id, &input.group_name, &key)
        }
    })?;
    Ok(json!({}))
}

pub fn add(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    change(store, body, true)
}

pub fn remove(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    change(store, body, false)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ForUser {
    user_pool_id: String,
    username: String,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    next_token: Option<String>,
}

pub fn groups_for_user(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ForUser = wire::input(body)?;
    let (limit, after) = groups::page_bounds(input.limit, input.next_token.as_deref())?;
    let (rows, next) = store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        groups::of_user_page(tx, &pool.id, &key, limit, &after)
    })?;
    let mut out = json!({ "Groups": rows.iter().map(GroupRow::to_json).collect::<Vec<_>>() });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InGroup {
    user_pool_id: String,
    group_name: String,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    next_token: Option<String>,
}

pub fn users_in_group(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: InGroup = wire::input(body)?;
    let (limit, after) = groups::page_bounds(input.limit, input.next_token.as_deref())?;
    let (members, next) = store.read(|tx| {
        pools::load(tx, &input.user_pool_id)?;
        groups::load(tx, &input.user_pool_id, &input.group_name)?;
        groups::members(tx, &input.user_pool_id, &input.group_name, limit, &after)
    })?;
    let mut out = json!({
        "Users": members.iter().map(|u| u.to_json("Attributes", None)).collect::<Vec<_>>(),
    });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}
