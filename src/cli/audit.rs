//! `cognito-console audit`: the audit log, newest first, an entry a paragraph (when,
//! who, what, where; who from where with which key; what changed; how it ended), a
//! tab-separated line (`--output text`), or a JSON object a line for other tools
//! (`--output json`, or `--json`).

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;

use super::output::{Output, OutputArgs, text_line};
use crate::local::{Store, db::audit};
use crate::pool::audit::{Entry, Query};
use crate::pool::printable;
use crate::pool::when::date_time;

/// `--pool ID` keeps only what was done in that pool.
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Only what this admin did (the key comment, or the local account).
    #[arg(long, value_name = "NAME")]
    pub admin: Option<String>,

    /// Only what was done to this user (the username as stored).
    #[arg(long, value_name = "USERNAME")]
    pub user: Option<String>,

    /// The newest N entries.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,

    /// Every entry (paged from the store, newest first).
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,

    /// One JSON object a line, every field, for other tools (`--output json`).
    #[arg(long, conflicts_with = "output")]
    pub json: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

impl AuditArgs {
    fn output(&self) -> Output {
        if self.json {
            Output::Json
        } else {
            self.output.output
        }
    }
}

/// Prints the entries of the store at `db` that `args` (and `pool`) select.
pub async fn run(db: &Path, pool: Option<&str>, args: &AuditArgs) -> Result<()> {
    if !db.exists() {
        bail!(
            "there is no store at {}, so nothing has been recorded there",
            db.display()
        );
    }
    let db = db.to_path_buf();
    let store = tokio::task::spawn_blocking(move || Store::open(&db)).await??;
    let mut query = Query {
        admin: args.admin.clone(),
        pool_id: pool.map(str::to_string),
        username: args.user.clone(),
        before: None,
        limit: if args.all {
            audit::MAX_PAGE
        } else {
            args.limit as usize
        },
    };
    let mut printed = 0;
    let mut out = std::io::stdout().lock();
    let output = args.output();
    loop {
        let page = audit::list(&store, &query)?;
        for e in &page {
            match output {
                Output::Json => writeln!(out, "{}", printable::json(&as_json(e).to_string()))?,
                Output::Text => writeln!(out, "{}", text(e))?,
                Output::Table => print(&mut out, e)?,
            }
        }
        printed += page.len();
        match page.last() {
            Some(last) if args.all && page.len() == query.limit => query.before = Some(last.id),
            _ => break,
        }
    }
    if printed == 0 && output == Output::Table {
        writeln!(out, "no entries{}", selected(pool, args))?;
    }
    Ok(())
}

fn selected(pool: Option<&str>, args: &AuditArgs) -> String {
    let mut parts = Vec::new();
    if let Some(a) = &args.admin {
        parts.push(format!("by {a}"));
    }
    if let Some(u) = &args.user {
        parts.push(format!("for user {u}"));
    }
    if let Some(p) = pool {
        parts.push(format!("in {p}"));
    }
    if parts.is_empty() {
        " yet".into()
    } else {
        format!(" {}", parts.join(" "))
    }
}

/// One entry: its line, then who, what changed and how it ended, indented. Every stored
/// value is printed escaped.
pub fn print(out: &mut impl Write, e: &Entry) -> Result<()> {
    writeln!(out, "{}", e.line())?;
    writeln!(
        out,
        "    by {}, session {}{}",
        e.admin.describe(),
        e.session,
        if e.admin.read_only { ", read-only" } else { "" }
    )?;
    for d in &e.change.details {
        writeln!(out, "    {}", printable::field(d))?;
    }
    let when = e
        .finished
        .map(|t| format!(" at {}", date_time(t)))
        .unwrap_or_default();
    writeln!(out, "    {}{when}", printable::field(&e.outcome.describe()))?;
    Ok(())
}

/// One entry on one line: when, admin, action, user, pool, outcome, result.
fn text(e: &Entry) -> String {
    let at = date_time(e.at);
    text_line(&[
        &at,
        &e.admin.name,
        &e.change.action,
        e.change.username.as_deref().unwrap_or("-"),
        e.change.pool_id.as_deref().unwrap_or("-"),
        e.outcome.word(),
        e.outcome.text(),
    ])
}

fn as_json(e: &Entry) -> serde_json::Value {
    let epoch = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    };
    json!({
        "id": e.id,
        "at": epoch(e.at),
        "session": e.session,
        "admin": e.admin.name,
        "key_fingerprint": e.admin.key_fingerprint,
        "origin": e.admin.origin,
        "read_only": e.admin.read_only,
        "pool_id": e.change.pool_id,
        "username": e.change.username,
        "action": e.change.action,
        "details": e.change.details,
        "outcome": e.outcome.word(),
        "result": e.outcome.text(),
        "finished": e.finished.map(epoch),
    })
}
