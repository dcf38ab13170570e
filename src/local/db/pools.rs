//! Pool rows: loading, and the UserPoolType a response carries.

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value, json};

use crate::local::db::attribute_schema;
use crate::local::db::pool_settings::Settings;
use crate::local::wire::error::ApiError;
use crate::pool::validate;

#[derive(Debug, Clone)]
pub struct PoolRow {
    pub id: String,
    pub name: String,
    pub created: f64,
    pub modified: f64,
    pub settings: Settings,
    pub user_count: i64,
}

/// The pool `id`, or Cognito's error for a malformed or unknown id.
pub fn load(tx: &Transaction<'_>, id: &str) -> Result<PoolRow, ApiError> {
    validate::pool_id(id)?;
    let row = tx
        .prepare_cached(
            "SELECT id, name, created, modified, settings, user_count FROM user_pools WHERE id = ?1",
        )?
        .query_row(
            params![id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, f64>(2)?,
                    r.get::<_, f64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            },
        )
        .optional()?;
    let (id, name, created, modified, settings, user_count) =
        row.ok_or_else(|| ApiError::pool_not_found(id))?;
    let settings: Map<String, Value> = serde_json::from_str(&settings)?;
    Ok(PoolRow {
        id,
        name,
        created,
        modified,
        settings: Settings(settings),
        user_count,
    })
}

pub fn region_of(pool_id: &str) -> &str {
    pool_id
        .split_once('_')
        .map_or("local", |(region, _)| region)
}

impl PoolRow {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:cognito-idp:{}:000000000000:userpool/{}",
            region_of(&self.id),
            self.id
        )
    }

    /// `UserPoolType` as DescribeUserPool and CreateUserPool return it.
    pub fn description(&self) -> Value {
        let mut out = self.settings.to_response_members();
        out.insert("Id".into(), json!(self.id));
        out.insert("Name".into(), json!(self.name));
        out.insert("Arn".into(), json!(self.arn()));
        out.insert("CreationDate".into(), json!(self.created));
        out.insert("LastModifiedDate".into(), json!(self.modified));
        out.insert("EstimatedNumberOfUsers".into(), json!(self.user_count));
        out.insert(
            "SchemaAttributes".into(),
            attribute_schema::schema_attributes(&self.settings),
        );
        Value::Object(out)
    }

    /// `UserPoolDescriptionType` as ListUserPools returns it.
    pub fn summary(&self) -> Value {
        json!({
            "Id": self.id,
            "Name": self.name,
            "LambdaConfig": self.settings.0.get("LambdaConfig").cloned().unwrap_or(json!({})),
            "CreationDate": self.created,
            "LastModifiedDate": self.modified,
        })
    }
}
