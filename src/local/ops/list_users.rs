//! ListUsers: keyset pagination over an index, never OFFSET, so every page costs the
//! same however deep it is, and a user is never seen twice or skipped.

use rusqlite::types::Value as Sql;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Context;
use crate::local::db::users::{COLUMNS, UserRecord};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, wire};
use crate::pool::filter::{self, Filter, FilterOp, SearchAttribute};
use crate::pool::standard_attributes;

pub const MAX_LIMIT: i64 = 60;

/// The answer, written from the rows as they are (no JSON value built in between).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Page<'a> {
    users: Vec<Listed<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination_token: Option<String>,
}

/// One user as ListUsers shows it (`UserType`): `sub` first among the attributes, and
/// only those asked for when AttributesToGet is given.
struct Listed<'a> {
    user: &'a UserRecord,
    only: Option<&'a [String]>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Pair<'a> {
    name: &'a str,
    value: &'a str,
}

impl Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Attributes<'a>(&'a Listed<'a>);
        impl Serialize for Attributes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let Listed { user, only } = self.0;
                let wanted = |name: &str| only.is_none_or(|names| names.iter().any(|n| n == name));
                let sub = std::iter::once(("sub", user.sub.as_str()));
                let rest = user
                    .attributes
                    .iter()
                    .map(|a| (a.name.as_str(), a.value.as_str()));
                let mut seq = s.serialize_seq(None)?;
                for (name, value) in sub.chain(rest).filter(|(name, _)| wanted(name)) {
                    seq.serialize_element(&Pair { name, value })?;
                }
                seq.end()
            }
        }
        let u = self.user;
        let mut map = s.serialize_map(Some(6))?;
        map.serialize_entry("Attributes", &Attributes(self))?;
        map.serialize_entry("Enabled", &u.enabled)?;
        map.serialize_entry("UserCreateDate", &u.created)?;
        map.serialize_entry("UserLastModifiedDate", &u.modified)?;
        map.serialize_entry("UserStatus", u.status.as_str())?;
        map.serialize_entry("Username", &u.username)?;
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    #[serde(default)]
    attributes_to_get: Option<Vec<String>>,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    pagination_token: Option<String>,
    #[serde(default)]
    filter: Option<String>,
}

/// How a filter becomes SQL: the column it reads (also the sort key, so the index
/// serves both) and the condition with its parameters.
pub(super) struct Plan {
    pub column: &'static str,
    pub condition: String,
    pub params: Vec<Sql>,
}

fn column(attribute: SearchAttribute) -> &'static str {
    match attribute {
        SearchAttribute::Username => "username_key",
        SearchAttribute::Email => "email",
        SearchAttribute::PhoneNumber => "phone_number",
        SearchAttribute::Name => "name",
        SearchAttribute::GivenName => "given_name",
        SearchAttribute::FamilyName => "family_name",
        SearchAttribute::PreferredUsername => "preferred_username",
        SearchAttribute::UserStatus => "status",
        SearchAttribute::Status => "enabled",
        SearchAttribute::Sub => "sub",
    }
}

pub(super) fn plan(filter: Option<&Filter>, case_sensitive: bool) -> Plan {
    let Some(f) = filter else {
        return Plan {
            column: "username_key",
            condition: "1".into(),
            params: Vec::new(),
        };
    };
    let col = column(f.attribute);
    let value = match f.attribute {
        SearchAttribute::UserStatus => f.value.to_ascii_uppercase(),
        SearchAttribute::Username if !case_sensitive => f.value.to_lowercase(),
        _ => f.value.clone(),
    };
    if f.attribute == SearchAttribute::Status {
        // `status` is "Enabled" or "Disabled", stored as a flag.
        let flags: Vec<String> = [("Enabled", 1), ("Disabled", 0)]
            .into_iter()
            .filter(|(word, _)| f.matches(word))
            .map(|(_, flag)| flag.to_string())
            .collect();
        let list = if flags.is_empty() {
            "NULL".to_string()
        } else {
            flags.join(",")
        };
        return Plan {
            column: col,
            condition: format!("enabled IN ({list})"),
            params: Vec::new(),
        };
    }
    match f.op {
        FilterOp::Equals => Plan {
            column: col,
            // `IS NOT NULL` names the partial index outright (migration 8).
            condition: format!("{col} IS NOT NULL AND {col} = ?"),
            params: vec![Sql::Text(value)],
        },
        // A range the index can serve, then an exact prefix test on what it yields.
        FilterOp::StartsWith => Plan {
            column: col,
            condition: format!(
                "{col} IS NOT NULL AND {col} >= ? AND {col} < ? || char(1114111) AND substr({col}, 1, length(?)) = ?"
            ),
            params: vec![
                Sql::Text(value.clone()),
                Sql::Text(value.clone()),
                Sql::Text(value.clone()),
                Sql::Text(value),
            ],
        },
    }
}

/// The users `sql` selects (`SELECT {COLUMNS}, sort column, username_key ...`), each
/// with the two values its keyset token is made of.
pub(super) fn keyed_rows(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    params: Vec<Sql>,
) -> Result<Vec<(UserRecord, Sql, String)>, ApiError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            Ok((
                UserRecord::from_row(r)?,
                r.get::<_, Sql>(8)?,
                r.get::<_, String>(9)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Number(n) => Sql::Integer(n.as_i64().unwrap_or_default()),
        Value::String(s) => Sql::Text(s.clone()),
        _ => Sql::Null,
    }
}

fn from_sql(v: Sql) -> Value {
    match v {
        Sql::Integer(i) => json!(i),
        Sql::Text(s) => json!(s),
        _ => Value::Null,
    }
}

pub fn run_text(store: &Store, _ctx: &Context, body: &Value) -> Result<String, ApiError> {
    let input: Input = wire::input(body)?;
    let limit = input.limit.unwrap_or(MAX_LIMIT);
    let limit = if limit == 0 { MAX_LIMIT } else { limit };
    let filter_text = input.filter.clone().unwrap_or_default();
    let filter = filter::parse(&filter_text)?;
    let after = match &input.pagination_token {
        Some(token) => {
            let t = wire::decode_token(token)?;
            // The token is only good for the filter it was made for.
            if t.get(0).and_then(Value::as_str) != Some(filter_text.as_str()) {
                return Err(ApiError::invalid(
                    "Invalid pagination token for this filter.",
                ));
            }
            Some((to_sql(&t[1]), t[2].as_str().unwrap_or_default().to_string()))
        }
        None => None,
    };

    store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        if let Some(names) = &input.attributes_to_get {
            let custom = pool.settings.custom_attributes();
            for name in names {
                if !standard_attributes::is_standard_attribute(name)
                    && !custom.iter().any(|c| c.name == *name)
                {
                    return Err(ApiError::invalid(format!(
                        "AttributesToGet: {name} is not an attribute of this user pool."
                    )));
                }
            }
        }
        let p = plan(filter.as_ref(), pool.settings.case_sensitive_usernames());
        let mut params: Vec<Sql> = vec![Sql::Text(pool.id.clone())];
        params.extend(p.params);
        let mut keyset = String::new();
        if let Some((sort_value, username_key)) = after {
            if p.column == "username_key" {
                keyset = " AND username_key > ?".into();
            } else {
                keyset = format!(" AND ({}, username_key) > (?, ?)", p.column);
                params.push(sort_value);
            }
            params.push(Sql::Text(username_key));
        }
        params.push(Sql::Integer(limit + 1));
        let sql = format!(
            "SELECT {COLUMNS}, {col}, username_key FROM users
             WHERE pool_id = ? AND {cond}{keyset}
             ORDER BY {col}, username_key LIMIT ?",
            col = p.column,
            cond = p.condition,
        );
        let rows = keyed_rows(tx, &sql, params)?;
        let more = rows.len() as i64 > limit;
        let page = &rows[..rows.len().min(limit as usize)];
        let only = input.attributes_to_get.as_deref();
        let token = match page.last() {
            Some((_, sort_value, key)) if more => {
                let token = json!([filter_text, from_sql(sort_value.clone()), key]);
                Some(wire::encode_token(&token))
            }
            _ => None,
        };
        let out = Page {
            users: page
                .iter()
                .map(|(u, _, _)| Listed { user: u, only })
                .collect(),
            pagination_token: token,
        };
        Ok(serde_json::to_string(&out)?)
    })
}
