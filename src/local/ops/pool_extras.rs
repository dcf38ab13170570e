//! What a pool gains after it is made: custom attributes (AddCustomAttributes: a
//! `custom:` name each, at most 50 in all, never required, never a name the pool
//! already has) and tags (TagResource, UntagResource, ListTagsForResource, by the pool's
//! ARN; at most 50). POOL-13, POOL-14.

use rusqlite::params;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::Context;
use crate::local::db::pool_settings::Settings;
use crate::local::db::pools::{self, PoolRow};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, wire};
use crate::pool::{pool_rules, validate};

/// Custom attributes a pool may have.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;
/// Tags a pool may have.
pub const MAX_TAGS: usize = 50;

fn save(
    tx: &rusqlite::Transaction<'_>,
    pool: &PoolRow,
    settings: &Settings,
    now: f64,
) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE user_pools SET settings = ?2, modified = ?3 WHERE id = ?1",
        params![pool.id, serde_json::to_string(&settings.0)?, now],
    )?;
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AddInput {
    user_pool_id: String,
    custom_attributes: Vec<Value>,
}

pub fn add_custom_attributes(
    store: &Store,
    _ctx: &Context,
    body: &Value,
) -> Result<Value, ApiError> {
    let input: AddInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let existing = pool.settings.custom_attributes();
        let mut schema: Vec<Value> = pool
            .settings
            .0
            .get("Schema")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for item in &input.custom_attributes {
            let name = item.get("Name").and_then(Value::as_str).unwrap_or_default();
            let full = format!(
                "{}{}",
                validate::CUSTOM_PREFIX,
                name.trim_start_matches(validate::CUSTOM_PREFIX)
            );
            if existing.iter().any(|c| c.name == full) {
                return Err(ApiError::invalid(format!(
                    "Existing attribute already has name {full}."
                )));
            }
            if item.get("Required").and_then(Value::as_bool) == Some(true) {
                return Err(ApiError::invalid(format!(
                    "{full}: custom attributes cannot be required"
                )));
            }
            let mut entry = item.clone();
            entry["Name"] = json!(full);
            if entry.get("Mutable").is_none() {
                entry["Mutable"] = json!(true);
            }
            schema.push(entry);
        }
        if existing.len() + input.custom_attributes.len() > MAX_CUSTOM_ATTRIBUTES {
            return Err(ApiError::new(
                ErrorCode::LimitExceeded,
                format!("A user pool has at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."),
            ));
        }
        pool_rules::schema(&schema)?;
        let mut settings = pool.settings.clone();
        settings.0.insert("Schema".into(), Value::Array(schema));
        save(tx, &pool, &settings, now)
    })?;
    tracing::info!(pool_id = %input.user_pool_id, count = input.custom_attributes.len(), "added custom attributes");
    Ok(json!({}))
}

/// The pool an ARN names, as DescribeUserPool gives it.
fn pool_of(tx: &rusqlite::Transaction<'_>, arn: &str) -> Result<PoolRow, ApiError> {
    let id = arn
        .rsplit_once("userpool/")
        .map(|(_, id)| id)
        .unwrap_or_default();
    let pool = pools::load(tx, id).map_err(|_| {
        ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("Resource {arn} does not exist."),
        )
    })?;
    if pool.arn() != arn {
        return Err(ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("Resource {arn} does not exist."),
        ));
    }
    Ok(pool)
}

fn tags(settings: &Settings) -> Map<String, Value> {
    settings
        .0
        .get("UserPoolTags")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TagInput {
    resource_arn: String,
    #[serde(default)]
    tags: Map<String, Value>,
    #[serde(default)]
    tag_keys: Vec<String>,
}

pub fn tag(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: TagInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pool_of(tx, &input.resource_arn)?;
        let mut all = tags(&pool.settings);
        all.extend(input.tags.clone());
        if all.len() > MAX_TAGS {
            return Err(ApiError::new(
                ErrorCode::LimitExceeded,
                format!("A user pool has at most {MAX_TAGS} tags."),
            ));
        }
        let mut settings = pool.settings.clone();
        settings.0.insert("UserPoolTags".into(), Value::Object(all));
        save(tx, &pool, &settings, now)
    })?;
    Ok(json!({}))
}

pub fn untag(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: TagInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let pool = pool_of(tx, &input.resource_arn)?;
        let mut all = tags(&pool.settings);
        for key in &input.tag_keys {
            all.remove(key);
        }
        let mut settings = pool.settings.clone();
        settings.0.insert("UserPoolTags".into(), Value::Object(all));
        save(tx, &pool, &settings, now)
    })?;
    Ok(json!({}))
}

pub fn list_tags(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: TagInput = wire::input(body)?;
    let all = store.read(|tx| Ok(tags(&pool_of(tx, &input.resource_arn)?.settings)))?;
    Ok(json!({ "Tags": all }))
}
