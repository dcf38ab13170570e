//! Group rows and memberships, and the paging the group operations share: keyset pages
//! by name (or by username), never OFFSET, with an opaque NextToken.

use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde_json::{Value, json};

use crate::local::db::users::{COLUMNS, UserRecord};
use crate::local::wire;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::group::{self, Group};

pub const MAX_LIMIT: i64 = 60;

/// A stored group with its dates as Cognito writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub pool_id: String,
    pub name: String,
    pub description: Option<String>,
    pub role_arn: Option<String>,
    pub precedence: Option<i64>,
    pub created: f64,
    pub modified: f64,
}

const GROUP_COLUMNS: &str = "pool_id, name, description, role_arn, precedence, created, modified";

impl GroupRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            pool_id: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?,
            role_arn: r.get(3)?,
            precedence: r.get(4)?,
            created: r.get(5)?,
            modified: r.get(6)?,
        })
    }

    /// `GroupType`.
    pub fn to_json(&self) -> Value {
        let mut out = json!({
            "GroupName": self.name,
            "UserPoolId": self.pool_id,
            "CreationDate": self.created,
            "LastModifiedDate": self.modified,
        });
        if let Some(d) = &self.description {
            out["Description"] = json!(d);
        }
        if let Some(r) = &self.role_arn {
            out["RoleArn"] = json!(r);
        }
        if let Some(p) = self.precedence {
            out["Precedence"] = json!(p);
        }
        out
    }

    /// The pure view, for the claims.
    pub fn to_group(&self) -> Group {
        Group {
            name: self.name.clone(),
            description: self.description.clone(),
            role_arn: self.role_arn.clone(),
            precedence: self.precedence,
            ..Group::default()
        }
    }
}

pub fn group_not_found() -> ApiError {
    ApiError::new(ErrorCode::ResourceNotFound, "Group not found.")
}

/// The group's fields as a request gives them, checked against the service model.
pub fn check(
    name: &str,
    description: Option<&str>,
    role_arn: Option<&str>,
    precedence: Option<i64>,
) -> Result<(), ApiError> {
    let g = Group {
        name: name.to_string(),
        description: description.map(str::to_string),
        role_arn: role_arn.map(str::to_string),
        precedence,
        ..Group::default()
    };
    match group::check(&g).into_iter().next() {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

pub fn find(tx: &Transaction<'_>, pool_id: &str, name: &str) -> Result<Option<GroupRow>, ApiError> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM groups WHERE pool_id = ?1 AND name = ?2");
    Ok(tx
        .query_row(&sql, params![pool_id, name], GroupRow::from_row)
        .optional()?)
}

pub fn load(tx: &Transaction<'_>, pool_id: &str, name: &str) -> Result<GroupRow, ApiError> {
    find(tx, pool_id, name)?.ok_or_else(group_not_found)
}

pub fn insert(tx: &Transaction<'_>, g: &GroupRow) -> Result<(), ApiError> {
    if find(tx, &g.pool_id, &g.name)?.is_some() {
        return Err(ApiError::new(
            ErrorCode::GroupExists,
            format!("A group with the name {} already exists.", g.name),
        ));
    }
    tx.prepare_cached(
        "INSERT INTO groups (pool_id, name, description, role_arn, precedence, created, modified)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        g.pool_id,
        g.name,
        g.description,
        g.role_arn,
        g.precedence,
        g.created,
        g.modified
    ])?;
    Ok(())
}

pub fn update(tx: &Transaction<'_>, g: &GroupRow) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE groups SET description = ?3, role_arn = ?4, precedence = ?5, modified = ?6
         WHERE pool_id = ?1 AND name = ?2",
    )?
    .execute(params![
        g.pool_id,
        g.name,
        g.description,
        g.role_arn,
        g.precedence,
        g.modified
    ])?;
    Ok(())
}

pub fn delete(tx: &Transaction<'_>, pool_id: &str, name: &str) -> Result<(), ApiError> {
    let n = tx
        .prepare_cached("DELETE FROM groups WHERE pool_id = ?1 AND name = ?2")?
        .execute(params![pool_id, name])?;
    if n == 0 {
        return Err(group_not_found());
    }
    Ok(())
}

/// Adds a member; adding one already in the group changes nothing, as in Cognito.
pub fn add_member(
    tx: &Transaction<'_>,
    pool_id: &str,
    group: &str,
    key: &str,
) -> Result<(), ApiError> {
    tx.prepare_cached("INSERT OR IGNORE INTO group_members (pool_id, group_name, username_key) VALUES (?1, ?2, ?3)")?.execute(params![pool_id, group, key])?;
    Ok(())
}

pub fn remove_member(
    tx: &Transaction<'_>,
    pool_id: &str,
    group: &str,
    key: &str,
) -> Result<(), ApiError> {
    tx.prepare_cached(
        "DELETE FROM group_members WHERE pool_id = ?1 AND group_name = ?2 AND username_key = ?3",
    )?
    .execute(params![pool_id, group, key])?;
    Ok(())
}

/// `Limit` (0–60, default 60; 0 means the default) and `NextToken` (the last key of
/// the page before).
pub fn page_bounds(limit: Option<i64>, token: Option<&str>) -> Result<(i64, String), ApiError> {
    let limit = limit.unwrap_or(MAX_LIMIT);
    let limit = if limit == 0 { MAX_LIMIT } else { limit };
    let after = match token {
        Some(t) => wire::decode_token(t)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ApiError::invalid("Invalid NextToken."))?,
        None => String::new(),
    };
    Ok((limit, after))
}

/// The token for the page after `rows` (one more than `limit` was asked for).
fn next_token<T>(rows: &mut Vec<T>, limit: i64, key: impl Fn(&T) -> String) -> Option<String> {
    if rows.len() as i64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last()
        .map(|last| wire::encode_token(&json!(key(last))))
}

/// A page of the pool's groups, by name.
pub fn list(
    tx: &Transaction<'_>,
    pool_id: &str,
    limit: i64,
    after: &str,
) -> Result<(Vec<GroupRow>, Option<String>), ApiError> {
    let sql = format!(
        "SELECT {GROUP_COLUMNS} FROM groups WHERE pool_id = ?1 AND name > ?2 ORDER BY name LIMIT ?3"
    );
    let mut rows: Vec<GroupRow> = tx
        .prepare(&sql)?
        .query_map(params![pool_id, after, limit + 1], GroupRow::from_row)?
        .collect::<Result<_, _>>()?;
    let next = next_token(&mut rows, limit, |g| g.name.clone());
    Ok((rows, next))
}

/// A page of one user's groups, by name.
pub fn of_user_page(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    limit: i64,
    after: &str,
) -> Result<(Vec<GroupRow>, Option<String>), ApiError> {
    let sql = format!(
        "SELECT {} FROM groups g JOIN group_members m ON m.pool_id = g.pool_id AND m.group_name = g.name
         WHERE m.pool_id = ?1 AND m.username_key = ?2 AND g.name > ?3 ORDER BY g.name LIMIT ?4",
        GROUP_COLUMNS.split(", ").map(|c| format!("g.{c}")).collect::<Vec<_>>().join(", ")
    );
    let mut rows: Vec<GroupRow> = tx
        .prepare(&sql)?
        .query_map(params![pool_id, key, after, limit + 1], GroupRow::from_row)?
        .collect::<Result<_, _>>()?;
    let next = next_token(&mut rows, limit, |g| g.name.clone());
    Ok((rows, next))
}

/// Every group of one user (for the claims of their tokens).
pub fn of_user(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<Vec<GroupRow>, ApiError> {
    Ok(of_user_page(tx, pool_id, key, i64::MAX - 1, "")?.0)
}

/// A page of a group's members, by username key.
pub fn members(
    tx: &Transaction<'_>,
    pool_id: &str,
    group: &str,
    limit: i64,
    after: &str,
) -> Result<(Vec<UserRecord>, Option<String>), ApiError> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {columns}, u.username_key FROM users u JOIN group_members m
            ON m.pool_id = u.pool_id AND m.username_key = u.username_key
         WHERE m.pool_id = ?1 AND m.group_name = ?2 AND m.username_key > ?3
         ORDER BY m.username_key LIMIT ?4"
    );
    let mut rows: Vec<(UserRecord, String)> = tx
        .prepare(&sql)?
        .query_map(params![pool_id, group, after, limit + 1], |r| {
            Ok((UserRecord::from_row(r)?, r.get(8)?))
        })?
        .collect::<Result<_, _>>()?;
    let next = next_token(&mut rows, limit, |(_, key)| key.clone());
    Ok((rows.into_iter().map(|(u, _)| u).collect(), next))
}
