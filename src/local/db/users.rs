//! User rows: the columns a user is stored in, and the queries several operations share.

use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde_json::{Value, json};

use crate::local::db::pool_settings::Settings;
use crate::local::sign_in::srp::Verifier;
use crate::local::wire::error::ApiError;
use crate::pool::{Attribute, UserStatus};

/// A stored user, without its password verifier.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub username: String,
    pub sub: String,
    pub status: UserStatus,
    pub enabled: bool,
    pub created: f64,
    pub modified: f64,
    /// Every attribute but `sub`, in the order they were given.
    pub attributes: Vec<Attribute>,
    pub temporary_password_expires: Option<f64>,
}

pub const COLUMNS: &str =
    "username, sub, status, enabled, created, modified, attributes, temporary_password_expires";

/// Searchable attributes that are copied into their own indexed columns.
pub const INDEXED_ATTRIBUTES: [&str; 6] = [
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
];

impl UserRecord {
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let status: String = row.get(2)?;
        let attributes: String = row.get(6)?;
        let pairs: Vec<(String, String)> = serde_json::from_str(&attributes).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, Box::new(e))
        })?;
        Ok(Self {
            username: row.get(0)?,
            sub: row.get(1)?,
            status: status.parse().unwrap_or(UserStatus::Unknown),
            enabled: row.get(3)?,
            created: row.get(4)?,
            modified: row.get(5)?,
            attributes: pairs
                .into_iter()
                .map(|(n, v)| Attribute::new(n, v))
                .collect(),
            temporary_password_expires: row.get(7)?,
        })
    }

    /// All attributes, `sub` first, as Cognito lists them.
    pub fn all_attributes(&self) -> Vec<Attribute> {
        let mut all = Vec::with_capacity(self.attributes.len() + 1);
        all.push(Attribute::new("sub", &self.sub));
        all.extend(self.attributes.iter().cloned());
        all
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        if name == "sub" {
            return Some(&self.sub);
        }
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    /// `UserType`: `attributes_key` is `Attributes` (ListUsers, AdminCreateUser) or
    /// `UserAttributes` (AdminGetUser). `only` limits the attributes (AttributesToGet).
    pub fn to_json(&self, attributes_key: &str, only: Option<&[String]>) -> Value {
        let attrs: Vec<Attribute> = self
            .all_attributes()
            .into_iter()
            .filter(|a| only.is_none_or(|names| names.contains(&a.name)))
            .collect();
        json!({
            "Username": self.username,
            attributes_key: crate::local::wire::attributes_json(&attrs),
            "UserCreateDate": self.created,
            "UserLastModifiedDate": self.modified,
            "Enabled": self.enabled,
            "UserStatus": self.status.as_str(),
        })
    }

    fn attributes_column(&self) -> String {
        let pairs: Vec<(&str, &str)> = self
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_str()))
            .collect();
        serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
    }

    fn verified(&self, flag: &str) -> bool {
        self.attribute(flag)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// The key a username is unique by in this pool.
pub fn username_key(settings: &Settings, username: &str) -> String {
    if settings.case_sensitive_usernames() {
        username.to_string()
    } else {
        username.to_lowercase()
    }
}

/// The key of the user that `username` names, as every operation that takes a Username
/// reads it: the username itself; in a pool whose users sign in with an email or phone
/// number, that email or phone number; or any alias the pool defines (a verified email
/// or phone number, a preferred_username).
pub fn resolve(
    tx: &Transaction<'_>,
    pool_id: &str,
    settings: &Settings,
    username: &str,
) -> Result<Option<String>, ApiError> {
    let key = username_key(settings, username);
    if exists(tx, pool_id, &key)? {
        return Ok(Some(key));
    }
    for attribute in settings.username_attributes() {
        if let Some(key) = key_by_username_attribute(tx, pool_id, &attribute, username)? {
            return Ok(Some(key));
        }
    }
    for attribute in settings.alias_attributes() {
        if let Some(key) = alias_owner(tx, pool_id, &attribute, username, "")? {
            return Ok(Some(key));
        }
    }
    Ok(None)
}

/// Like [`resolve`], but a missing user is Cognito's UserNotFoundException.
pub fn resolve_existing(
    tx: &Transaction<'_>,
    pool_id: &str,
    settings: &Settings,
    username: &str,
) -> Result<String, ApiError> {
    resolve(tx, pool_id, settings, username)?.ok_or_else(ApiError::user_not_found)
}

/// The user whose email or phone number (a username attribute) is `value`.
pub fn key_by_username_attribute(
    tx: &Transaction<'_>,
    pool_id: &str,
    attribute: &str,
    value: &str,
) -> Result<Option<String>, ApiError> {
    let column = match attribute {
        "email" => "email",
        "phone_number" => "phone_number",
        _ => return Ok(None),
    };
    let sql =
        format!("SELECT username_key FROM users WHERE pool_id = ?1 AND {column} = ?2 LIMIT 1");
    Ok(tx
        .prepare_cached(&sql)?
        .query_row(params![pool_id, value], |r| r.get(0))
        .optional()?)
}

pub fn find(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
) -> Result<Option<UserRecord>, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE pool_id = ?1 AND username_key = ?2");
    Ok(tx
        .prepare_cached(&sql)?
        .query_row(params![pool_id, key], UserRecord::from_row)
        .optional()?)
}

/// Whether the pool has a user with this key (without reading the user).
pub fn exists(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<bool, ApiError> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM users WHERE pool_id = ?1 AND username_key = ?2")?
        .exists(params![pool_id, key])?)
}

pub fn get(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<UserRecord, ApiError> {
    find(tx, pool_id, key)?.ok_or_else(ApiError::user_not_found)
}

/// Inserts a new user and counts it in its pool.
pub fn insert(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    user: &UserRecord,
    verifier: &Verifier,
) -> Result<(), ApiError> {
    insert_uncounted(tx, pool_id, key, user, verifier)?;
    count_new(tx, pool_id, 1)
}

/// Adds `n` users inserted with [`insert_uncounted`] to the pool's count (once per
/// batch of a bulk insert, in the same transaction).
pub fn count_new(tx: &Transaction<'_>, pool_id: &str, n: i64) -> Result<(), ApiError> {
    tx.prepare_cached("UPDATE user_pools SET user_count = user_count + ?2 WHERE id = ?1")?
        .execute(params![pool_id, n])?;
    Ok(())
}

/// Inserts a new user; the caller counts it with [`count_new`] before committing.
pub fn insert_uncounted(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    user: &UserRecord,
    verifier: &Verifier,
) -> Result<(), ApiError> {
    insert_row(tx, pool_id, key, user, verifier, "")?;
    Ok(())
}

/// As [`insert_uncounted`], unless the pool has a user by that key already: whether it
/// was inserted. One look at the key, where a check first and an insert make two.
pub fn insert_if_new(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    user: &UserRecord,
    verifier: &Verifier,
) -> Result<bool, ApiError> {
    Ok(insert_row(
        tx,
        pool_id,
        key,
        user,
        verifier,
        " ON CONFLICT (pool_id, username_key) DO NOTHING",
    )? == 1)
}

fn insert_row(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    user: &UserRecord,
    verifier: &Verifier,
    on_conflict: &str,
) -> Result<usize, ApiError> {
    let indexed: Vec<Option<&str>> = INDEXED_ATTRIBUTES
        .iter()
        .map(|n| user.attribute(n))
        .collect();
    Ok(tx.prepare_cached(&format!("INSERT INTO users (pool_id, username, username_key, sub, status, enabled, created, modified,
            attributes, email, phone_number, name, given_name, family_name, preferred_username,
            email_verified, phone_number_verified, password_salt, password_verifier,
            temporary_password_expires)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20){on_conflict}"))?.execute(params![
            pool_id,
            user.username,
            key,
            user.sub,
            user.status.as_str(),
            user.enabled,
            user.created,
            user.modified,
            user.attributes_column(),
            indexed[0],
            indexed[1],
            indexed[2],
            indexed[3],
            indexed[4],
            indexed[5],
            user.verified("email_verified"),
            user.verified("phone_number_verified"),
            verifier.salt,
            verifier.verifier,
            user.temporary_password_expires,
        ])?)
}

/// Rewrites a user's attributes (and the columns copied from them).
pub fn update_attributes(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    user: &UserRecord,
) -> Result<(), ApiError> {
    let indexed: Vec<Option<&str>> = INDEXED_ATTRIBUTES
        .iter()
        .map(|n| user.attribute(n))
        .collect();
    tx.prepare_cached("UPDATE users SET attributes = ?3, email = ?4, phone_number = ?5, name = ?6, given_name = ?7,
            family_name = ?8, preferred_username = ?9, email_verified = ?10,
            phone_number_verified = ?11, modified = ?12
         WHERE pool_id = ?1 AND username_key = ?2")?.execute(params![
            pool_id,
            key,
            user.attributes_column(),
            indexed[0],
            indexed[1],
            indexed[2],
            indexed[3],
            indexed[4],
            indexed[5],
            user.verified("email_verified"),
            user.verified("phone_number_verified"),
            user.modified,
        ])?;
    Ok(())
}

/// A new temporary password (RESEND, or AdminSetUserPassword not permanent):
/// FORCE_CHANGE_PASSWORD until the user chooses their own, expiring at `expires`; wrong
/// passwords so far are forgotten.
pub fn set_temporary_password(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    verifier: &Verifier,
    expires: f64,
    now: f64,
) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE users SET password_salt = ?3, password_verifier = ?4,
            status = 'FORCE_CHANGE_PASSWORD', temporary_password_expires = ?5, modified = ?6,
            failed_sign_ins = 0, locked_until = NULL
         WHERE pool_id = ?1 AND username_key = ?2",
    )?
    .execute(params![
        pool_id,
        key,
        verifier.salt,
        verifier.verifier,
        expires,
        now
    ])?;
    Ok(())
}

/// The user (other than `except_key`) for whom `attribute` = `value` is an alias: a
/// verified email or phone number, or a preferred_username.
pub fn alias_owner(
    tx: &Transaction<'_>,
    pool_id: &str,
    attribute: &str,
    value: &str,
    except_key: &str,
) -> Result<Option<String>, ApiError> {
    let (column, verified) = match attribute {
        "email" => ("email", "AND email_verified = 1"),
        "phone_number" => ("phone_number", "AND phone_number_verified = 1"),
        // A preferred_username alias needs no verification.
        "preferred_username" => ("preferred_username", ""),
        _ => return Ok(None),
    };
    let sql = format!(
        "SELECT username_key FROM users
         WHERE pool_id = ?1 AND {column} = ?2 {verified} AND username_key != ?3 LIMIT 1"
    );
    Ok(tx
        .prepare_cached(&sql)?
        .query_row(params![pool_id, value, except_key], |r| r.get(0))
        .optional()?)
}

pub fn delete(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<(), ApiError> {
    let n = tx
        .prepare_cached("DELETE FROM users WHERE pool_id = ?1 AND username_key = ?2")?
        .execute(params![pool_id, key])?;
    if n == 0 {
        return Err(ApiError::user_not_found());
    }
    tx.prepare_cached("UPDATE user_pools SET user_count = user_count - 1 WHERE id = ?1")?
        .execute(params![pool_id])?;
    Ok(())
}

pub fn set_enabled(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    enabled: bool,
    now: f64,
) -> Result<(), ApiError> {
    let n = tx
        .prepare_cached(
            "UPDATE users SET enabled = ?3, modified = ?4 WHERE pool_id = ?1 AND username_key = ?2",
        )?
        .execute(params![pool_id, key, enabled, now])?;
    if n == 0 {
        return Err(ApiError::user_not_found());
    }
    Ok(())
}

/// The user whose `sub` this is.
pub fn key_by_sub(
    tx: &Transaction<'_>,
    pool_id: &str,
    sub: &str,
) -> Result<Option<String>, ApiError> {
    Ok(tx
        .query_row(
            "SELECT username_key FROM users WHERE pool_id = ?1 AND sub = ?2",
            params![pool_id, sub],
            |r| r.get(0),
        )
        .optional()?)
}

/// The stored salt and verifier.
pub fn verifier(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<Verifier, ApiError> {
    tx.prepare_cached("SELECT password_salt, password_verifier FROM users WHERE pool_id = ?1 AND username_key = ?2")?.query_row(params![pool_id, key],
        |r| {
            Ok(Verifier {
                salt: r.get::<_, Option<Vec<u8>>>(0)?.unwrap_or_default(),
                verifier: r.get::<_, Option<Vec<u8>>>(1)?.unwrap_or_default(),
            })
        })
    .optional()?
    .ok_or_else(ApiError::user_not_found)
}

/// Until when a user is locked out after wrong passwords, if they are.
pub fn locked_until(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
) -> Result<Option<f64>, ApiError> {
    Ok(tx
        .query_row(
            "SELECT locked_until FROM users WHERE pool_id = ?1 AND username_key = ?2",
            params![pool_id, key],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Counts a wrong password. From the fifth in a row on, the user is locked out for a
/// second, doubling with each further failure up to 15 minutes, as Cognito does.
pub fn record_failed_sign_in(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    now: f64,
) -> Result<(), ApiError> {
    let failed: i64 = tx
        .prepare_cached(
            "UPDATE users SET failed_sign_ins = failed_sign_ins + 1
         WHERE pool_id = ?1 AND username_key = ?2 RETURNING failed_sign_ins",
        )?
        .query_row(params![pool_id, key], |r| r.get(0))?;
    if let Some(seconds) = crate::pool::password::lockout_seconds(failed) {
        tx.prepare_cached(
            "UPDATE users SET locked_until = ?3 WHERE pool_id = ?1 AND username_key = ?2",
        )?
        .execute(params![pool_id, key, now + seconds as f64])?;
    }
    Ok(())
}

/// A good password ends any run of failures.
pub fn record_sign_in(tx: &Transaction<'_>, pool_id: &str, key: &str) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE users SET failed_sign_ins = 0, locked_until = NULL
         WHERE pool_id = ?1 AND username_key = ?2",
    )?
    .execute(params![pool_id, key])?;
    Ok(())
}

/// The user's own password (NEW_PASSWORD_REQUIRED answered): CONFIRMED, and the
/// temporary password's expiry no longer applies.
pub fn set_password(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    verifier: &Verifier,
    now: f64,
) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE users SET password_salt = ?3, password_verifier = ?4, status = 'CONFIRMED',
            temporary_password_expires = NULL, modified = ?5, failed_sign_ins = 0,
            locked_until = NULL
         WHERE pool_id = ?1 AND username_key = ?2",
    )?
    .execute(params![pool_id, key, verifier.salt, verifier.verifier, now])?;
    Ok(())
}

/// AdminResetUserPassword: the password stops working (the verifier is dropped) and the
/// user is RESET_REQUIRED until they set a new one with a code.
pub fn require_reset(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    now: f64,
) -> Result<(), ApiError> {
    tx.prepare_cached("UPDATE users SET password_salt = NULL, password_verifier = NULL, status = 'RESET_REQUIRED',
            temporary_password_expires = NULL, modified = ?3, failed_sign_ins = 0,
            locked_until = NULL
         WHERE pool_id = ?1 AND username_key = ?2")?.execute(params![pool_id, key, now])?;
    Ok(())
}

/// A sign-up confirmed (by its code or by an administrator): CONFIRMED.
pub fn confirm(tx: &Transaction<'_>, pool_id: &str, key: &str, now: f64) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE users SET status = 'CONFIRMED', modified = ?3
         WHERE pool_id = ?1 AND username_key = ?2",
    )?
    .execute(params![pool_id, key, now])?;
    Ok(())
}
