//! The console's filters and orders run in the store (no Cognito operation carries
//! them; the console reaches this through `client::target::InProcess`). Conditions the
//! database can test are pushed into SQL, on an index where one serves (status,
//! enabled, the dates, a ListUsers filter, the order); [`LocalFilter::matches`] then has
//! the last word on every row, so the store and the console never disagree on a user.
//!
//! Pages are keyset pages like ListUsers', in phases where an order has them (users
//! with an email, then those without; verified, not, absent). A call reads at most
//! [`BUDGET`] rows, so a rare match over a million users comes back as a few short
//! pages, each quick, rather than one call that holds the store.

use std::time::{Duration, UNIX_EPOCH};

use rusqlite::types::Value as Sql;
use serde_json::{Value, json};

use super::list_users::{keyed_rows, plan};
use crate::local::db::users::{COLUMNS, UserRecord};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, wire};
use crate::pool::filter::Filter;
use crate::pool::user_filter::{LocalFilter, Sort, SortColumn};
use crate::pool::{Attribute, User};

/// Rows read per call at most; a page may come back short (or empty) with a token.
pub const BUDGET: usize = 20_000;
/// The most rows asked of SQLite at a time. The first ask is for just the rows the page
/// still needs (and one more); each ask after it doubles, for a filter that SQL cannot
/// test and that matches rarely.
const BATCH: usize = 4_000;

/// What the console asks: ListUsers' own filter, the local ones, an order.
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    pub pool_id: &'a str,
    pub filter: Option<&'a Filter>,
    pub local: &'a LocalFilter,
    pub sort: Option<Sort>,
    pub limit: usize,
    pub token: Option<&'a str>,
}

/// A page: the users that matched, and where to go on from.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanPage {
    pub users: Vec<User>,
    pub next: Option<String>,
    /// Rows read to find them.
    pub scanned: u64,
}

/// One stretch of the order: the column it goes by, a condition of its own, and which
/// rows of it belong (a verified flag's rank, tested on the decoded user).
struct Phase {
    column: &'static str,
    condition: &'static str,
    rank: Option<(&'static str, u8)>,
}

fn phases(sort: Option<Sort>) -> Vec<Phase> {
    let by = |column| Phase {
        column,
        condition: "1",
        rank: None,
    };
    let Some(sort) = sort else {
        return vec![by("username_key")];
    };
    let flag = |name: &'static str| {
        let mut ranks: Vec<Phase> = (0..3)
            .map(|rank| Phase {
                column: "username_key",
                condition: "1",
                rank: Some((name, rank)),
            })
            .collect();
        if sort.descending {
            ranks.reverse();
        }
        ranks
    };
    match sort.column {
        SortColumn::Username => vec![by("username_key")],
        SortColumn::Enabled => vec![by("enabled")],
        SortColumn::Status => vec![by("status")],
        SortColumn::Updated => vec![by("modified")],
        SortColumn::Created => vec![by("created")],
        // Users without an email come last, whichever way.
        SortColumn::Email => vec![
            Phase {
                column: "email",
                condition: "email IS NOT NULL",
                rank: None,
            },
            Phase {
                column: "username_key",
                condition: "email IS NULL",
                rank: None,
            },
        ],
        SortColumn::EmailVerified => flag("email_verified"),
        SortColumn::PhoneVerified => flag("phone_number_verified"),
    }
}

/// A verified flag's rank: yes, no, absent.
fn rank(user: &User, flag: &str) -> u8 {
    match user.attribute(flag) {
        Some(v) if v.eq_ignore_ascii_case("true") => 0,
        Some(_) => 1,
        None => 2,
    }
}

/// The local filters the database can test, as conditions and their parameters. Each
/// is implied by `LocalFilter::matches`, which still decides.
fn conditions(local: &LocalFilter) -> (String, Vec<Sql>) {
    let mut sql = String::new();
    let mut params = Vec::new();
    if let Some(status) = local.status {
        sql.push_str(" AND status = ?");
        params.push(Sql::Text(status.as_str().into()));
    }
    if let Some(enabled) = local.enabled {
        sql.push_str(" AND enabled = ?");
        params.push(Sql::Integer(i64::from(enabled)));
    }
    for (column, days) in [("created", &local.created), ("modified", &local.modified)] {
        let (from, before) = days.seconds();
        if let Some(f) = from {
            sql.push_str(&format!(" AND {column} >= ?"));
            params.push(Sql::Real(f));
        }
        if let Some(b) = before {
            sql.push_str(&format!(" AND {column} < ?"));
            params.push(Sql::Real(b));
        }
    }
    // Text the JSON column holds as typed: ASCII without quotes, backslashes or control
    // characters. LIKE folds ASCII case only, so a row with any other character (its
    // length in characters is not its length in bytes) is left to the exact test.
    if let Some(needle) = local.needle()
        && needle
            .chars()
            .all(|c| c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\')
    {
        sql.push_str(
            " AND (username LIKE ? ESCAPE '\\' OR attributes LIKE ? ESCAPE '\\' \
             OR sub LIKE ? ESCAPE '\\' \
             OR length(username) != octet_length(username) \
             OR length(attributes) != octet_length(attributes))",
        );
        let like = format!("%{}%", escape_like(&needle));
        params.push(Sql::Text(like.clone()));
        params.push(Sql::Text(like.clone()));
        params.push(Sql::Text(like));
    }
    // A verified flag as the JSON column holds it: `["email_verified","true"]` can only
    // be the attribute itself (a quote inside a value is escaped), and LIKE folds the
    // case of "true" as `User::is_verified` does.
    for (flag, wanted) in [
        ("email_verified", local.email_verified),
        ("phone_number_verified", local.phone_verified),
    ] {
        if let Some(wanted) = wanted {
            let not = if wanted { "" } else { "NOT " };
            sql.push_str(&format!(" AND attributes {not}LIKE ? ESCAPE '\\'"));
            params.push(Sql::Text(format!("%[\"{}\",\"true\"]%", escape_like(flag))));
        }
    }
    (sql, params)
}

/// `text` matched literally by `LIKE ... ESCAPE '\'`.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn user(r: UserRecord) -> User {
    let at = |secs: f64| UNIX_EPOCH + Duration::from_secs_f64(secs.max(0.0));
    User {
        attributes: std::iter::once(Attribute::new("sub", &r.sub))
            .chain(r.attributes)
            .collect(),
        username: r.username,
        created: Some(at(r.created)),
        last_modified: Some(at(r.modified)),
        enabled: r.enabled,
        status: Some(r.status),
        mfa: None,
    }
}

/// What a token is good for: this query alone.
fn fingerprint(scan: &Scan<'_>) -> String {
    format!(
        "{:?}|{:?}|{:?}",
        scan.filter.map(ToString::to_string),
        scan.local,
        scan.sort
    )
}

pub fn run(store: &Store, scan: &Scan<'_>) -> Result<ScanPage, ApiError> {
    let limit = scan.limit.clamp(1, 1000);
    let print = fingerprint(scan);
    // Where the last call stopped: the phase, and the last row read in it.
    let (mut phase, mut after): (usize, Option<(Sql, String)>) = match scan.token {
        None => (0, None),
        Some(token) => {
            let t = wire::decode_token(token)?;
            if t.get(0).and_then(Value::as_str) != Some(print.as_str()) {
                return Err(ApiError::invalid(
                    "Invalid pagination token for this filter.",
                ));
            }
            let phase = t.get(1).and_then(Value::as_u64).unwrap_or(0) as usize;
            let after = match (t.get(2), t.get(3).and_then(Value::as_str)) {
                (Some(v), Some(key)) => Some((to_sql(v), key.to_string())),
                _ => None,
            };
            (phase, after)
        }
    };
    let descending = scan.sort.is_some_and(|s| s.descending);
    let phases = phases(scan.sort);
    let (local_sql, local_params) = conditions(scan.local);

    store.read(|tx| {
        let pool = pools::load(tx, scan.pool_id)?;
        let server = plan(scan.filter, pool.settings.case_sensitive_usernames());
        let mut users = Vec::new();
        let mut scanned = 0usize;
        let mut batch = 0usize;
        while phase < phases.len() && users.len() < limit && scanned < BUDGET {
            batch = (batch * 2).clamp(limit - users.len() + 1, BATCH);
            let p = &phases[phase];
            let (cmp, way) = if descending {
                ("<", "DESC")
            } else {
                (">", "ASC")
            };
            let mut params: Vec<Sql> = vec![Sql::Text(pool.id.clone())];
            params.extend(server.params.iter().cloned());
            params.extend(local_params.iter().cloned());
            let mut keyset = String::new();
            if let Some((value, key)) = &after {
                keyset = if p.column == "username_key" {
                    format!(" AND username_key {cmp} ?")
                } else {
                    params.push(value.clone());
                    format!(" AND ({}, username_key) {cmp} (?, ?)", p.column)
                };
                params.push(Sql::Text(key.clone()));
            }
            params.push(Sql::Integer(batch as i64));
            let sql = format!(
                "SELECT {COLUMNS}, {col}, username_key FROM users
                 WHERE pool_id = ? AND {server} AND {phase}{local_sql}{keyset}
                 ORDER BY {col} {way}, username_key {way} LIMIT ?",
                col = p.column,
                server = server.condition,
                phase = p.condition,
            );
            let rows = keyed_rows(tx, &sql, params)?;
            let exhausted = rows.len() < batch;
            for (record, value, key) in rows {
                scanned += 1;
                after = Some((value, key));
                let u = user(record);
                let in_phase = p.rank.is_none_or(|(flag, r)| rank(&u, flag) == r);
                if in_phase && scan.local.matches(&u) {
                    users.push(u);
                    if users.len() == limit {
                        break;
                    }
                }
            }
            if exhausted && users.len() < limit {
                phase += 1;
                after = None;
            }
        }
        let next = (phase < phases.len()).then(|| {
            let (value, key) = match &after {
                Some((v, k)) => (from_sql(v), json!(k)),
                None => (Value::Null, Value::Null),
            };
            wire::encode_token(&json!([print, phase, value, key]))
        });
        Ok(ScanPage {
            users,
            next,
            scanned: scanned as u64,
        })
    })
}

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Number(n) if n.is_i64() => Sql::Integer(n.as_i64().unwrap_or_default()),
        Value::Number(n) => Sql::Real(n.as_f64().unwrap_or_default()),
        Value::String(s) => Sql::Text(s.clone()),
        _ => Sql::Null,
    }
}

fn from_sql(v: &Sql) -> Value {
    match v {
        Sql::Integer(i) => json!(i),
        Sql::Real(f) => json!(f),
        Sql::Text(s) => json!(s),
        _ => Value::Null,
    }
}
