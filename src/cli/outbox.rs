//! `cognito-console outbox`: what the local store sent, and what the mail relay made of
//! it; `--follow` watches, `--retry` tries failed email again.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::output::{Output, OutputArgs, text_line};
use crate::client::{self, Target};
use crate::local::{Store, mail::outbox};
use crate::pool::message::{MessageState, SentMessage};
use crate::pool::printable;
use crate::pool::when::date_time;

#[derive(Debug, Clone, Args)]
pub struct OutboxArgs {
    /// Only messages to this user (a username or an alias).
    #[arg(long)]
    pub user: Option<String>,

    /// Keep watching: print messages as they are made, oldest first, and what the mail
    /// relay does with them, until Ctrl-C.
    #[arg(long, conflicts_with = "retry")]
    pub follow: bool,

    /// Try every failed email again now (given up or not): a running mail relay sends it.
    #[arg(long)]
    pub retry: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn run(target: &Target, pool: Option<&str>, args: OutboxArgs) -> Result<()> {
    let Target::Local { db } = target else {
        bail!("the outbox belongs to the local store; AWS delivers its own messages");
    };
    let client = client::connect(target.clone()).await?;
    let pool_id = super::choose_pool(&client, pool).await?;
    // A user named by an alias is found by it; the outbox keeps the username.
    let username = match args.user.as_deref() {
        Some(user) => Some(
            client
                .get_user(&pool_id, user)
                .await
                .with_context(|| format!("no user {user:?} in the pool {pool_id}"))?
                .username,
        ),
        None => None,
    };
    let db = db.clone();
    let store = Arc::new(tokio::task::spawn_blocking(move || Store::open(&db)).await??);
    let selection = Selection {
        pool_id,
        username,
        output: args.output.output,
    };
    if args.retry {
        retry(store, &selection.pool_id).await
    } else if args.follow {
        follow(store, &selection, super::shutdown_signal()?).await
    } else {
        show(store, &selection).await
    }
}

/// How often `--follow` looks again.
const FOLLOW_POLL: Duration = Duration::from_millis(250);

/// What to show: a pool's messages, or one user's (`username` as stored).
pub struct Selection {
    pub pool_id: String,
    pub username: Option<String>,
    pub output: Output,
}

fn line(out: &mut impl Write, text: &str) -> Result<()> {
    writeln!(out, "{}", printable::lines(text))?;
    Ok(())
}

/// One message as `output` says: a paragraph, a tab-separated line, a JSON object.
fn emit(out: &mut impl Write, m: &SentMessage, output: Output) -> Result<()> {
    match output {
        Output::Table => print(out, m),
        Output::Text => {
            let at = date_time(m.created);
            let state = m.state.describe();
            writeln!(
                out,
                "{}",
                text_line(&[
                    &at,
                    &m.medium,
                    m.destination.as_deref().unwrap_or("-"),
                    &m.username,
                    &state,
                    m.subject.as_deref().unwrap_or("-"),
                    m.body.as_deref().unwrap_or("-"),
                ])
            )?;
            Ok(())
        }
        Output::Json => {
            let epoch = |t: std::time::SystemTime| {
                t.duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64())
            };
            let value = serde_json::json!({
                "id": m.id,
                "created": epoch(m.created),
                "username": m.username,
                "medium": m.medium,
                "destination": m.destination,
                "subject": m.subject,
                "body": m.body,
                "state": m.state.describe(),
            });
            writeln!(out, "{}", printable::json(&value.to_string()))?;
            Ok(())
        }
    }
}

/// One message: a header line (when, how, to whom), its state, its subject and body.
pub fn print(out: &mut impl Write, m: &SentMessage) -> Result<()> {
    line(
        out,
        &format!(
            "--- {}  {} to {}  (user {})",
            date_time(m.created),
            m.medium,
            m.destination.as_deref().unwrap_or("-"),
            m.username
        ),
    )?;
    line(out, &format!("State: {}", m.state.describe()))?;
    if !matches!(m.state, MessageState::NotDelivered { .. }) {
        if let Some(subject) = &m.subject {
            line(out, &format!("Subject: {subject}"))?;
        }
        line(out, m.body.as_deref().unwrap_or_default())?;
    }
    Ok(())
}

fn nothing(sel: &Selection) -> String {
    match &sel.username {
        Some(user) => format!(
            "no messages to {user} in {}: none was sent to them (MessageAction SUPPRESS sends none)",
            sel.pool_id
        ),
        None => format!("no messages in {} yet", sel.pool_id),
    }
}

async fn list(store: &std::sync::Arc<Store>, sel: &Selection) -> Result<Vec<SentMessage>> {
    let (store, pool, user) = (
        std::sync::Arc::clone(store),
        sel.pool_id.clone(),
        sel.username.clone(),
    );
    Ok(tokio::task::spawn_blocking(move || outbox::list(&store, &pool, user.as_deref())).await??)
}

/// Every message of the selection, newest first.
pub async fn show(store: std::sync::Arc<Store>, sel: &Selection) -> Result<()> {
    let messages = list(&store, sel).await?;
    let mut out = std::io::stdout().lock();
    if messages.is_empty() && sel.output == Output::Table {
        line(&mut out, &nothing(sel))?;
    }
    for m in &messages {
        emit(&mut out, m, sel.output)?;
    }
    Ok(())
}

/// Failed email made due now; says whether a relay will take it.
pub async fn retry(store: std::sync::Arc<Store>, pool_id: &str) -> Result<()> {
    let pool = pool_id.to_string();
    let (count, running) = tokio::task::spawn_blocking(move || {
        let count = outbox::retry(&store, Some(&pool))?;
        Ok::<_, crate::local::wire::error::ApiError>((count, outbox::relays(&store)?))
    })
    .await??;
    let mut out = std::io::stdout().lock();
    match (count, running.as_slice()) {
        (0, _) => line(&mut out, &format!("no failed email in {pool_id}")),
        (n, []) => line(
            &mut out,
            &format!(
                "{n} failed email(s) in {pool_id} will be tried again when a mail relay runs (serve --smtp, or the console with --smtp); none runs now"
            ),
        ),
        (n, servers) => line(
            &mut out,
            &format!(
                "{n} failed email(s) in {pool_id} are being tried again (relay to {})",
                servers.join(", ")
            ),
        ),
    }
}

/// The selection's messages, oldest first, then each new one as it is made and each
/// change of a message's relay state, until `stop` resolves.
pub async fn follow(
    store: std::sync::Arc<Store>,
    sel: &Selection,
    stop: impl std::future::Future<Output = ()>,
) -> Result<()> {
    tokio::pin!(stop);
    let mut printed = 0_i64;
    // Messages whose state may still change (pending, failed with tries left).
    let mut open: HashMap<i64, MessageState> = HashMap::new();
    let mut first = true;
    loop {
        let (shop, pool, user, ids) = (
            std::sync::Arc::clone(&store),
            sel.pool_id.clone(),
            sel.username.clone(),
            open.keys().copied().collect::<Vec<_>>(),
        );
        let (new, changed) = tokio::task::spawn_blocking(move || {
            Ok::<_, crate::local::wire::error::ApiError>((
                outbox::after(&shop, &pool, user.as_deref(), printed)?,
                outbox::by_ids(&shop, &ids)?,
            ))
        })
        .await??;
        {
            let mut out = std::io::stdout().lock();
            if first && new.is_empty() && sel.output == Output::Table {
                line(
                    &mut out,
                    &format!("{}; waiting for one (Ctrl-C stops)", nothing(sel)),
                )?;
            }
            first = false;
            for m in &changed {
                if open.get(&m.id).is_some_and(|before| *before != m.state)
                    && sel.output != Output::Table
                {
                    emit(&mut out, m, sel.output)?;
                } else if open.get(&m.id).is_some_and(|before| *before != m.state) {
                    line(
                        &mut out,
                        &format!(
                            "--- the {} to {} of {}: {}",
                            m.medium,
                            m.destination.as_deref().unwrap_or("-"),
                            date_time(m.created),
                            m.state.describe()
                        ),
                    )?;
                }
                watch(&mut open, m);
            }
            for m in &new {
                emit(&mut out, m, sel.output)?;
                printed = printed.max(m.id);
                watch(&mut open, m);
            }
            out.flush().context("cannot write to standard output")?;
        }
        tokio::select! {
            _ = &mut stop => return Ok(()),
            _ = tokio::time::sleep(FOLLOW_POLL) => {}
        }
    }
}

/// Keeps watching a message whose state may still change (pending, failed with tries
/// left), and lets go of the rest.
fn watch(open: &mut HashMap<i64, MessageState>, m: &SentMessage) {
    if matches!(
        m.state,
        MessageState::Pending | MessageState::Failed { next: Some(_), .. }
    ) {
        open.insert(m.id, m.state.clone());
    } else {
        open.remove(&m.id);
    }
}
