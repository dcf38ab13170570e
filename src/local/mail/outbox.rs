//! The outbox: every message the store sends, kept where an admin can read it, and the
//! queue a mail relay (`--smtp`) takes email from.
//!
//! A message is written in the transaction of the change it tells of, so the API call
//! never waits on mail. An email made while a relay runs on this database (any process
//! started with `--smtp`, found in `relays`) is marked pending; the relay claims it for a
//! while (`LEASE`), sends it, and records what happened. A claim that lapses (the relay
//! was killed mid-send) makes the message due again, so a message is sent at least once
//! and, short of such a kill, exactly once.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::local::Store;
use crate::local::wire;
use crate::local::wire::error::ApiError;
use crate::pool::message::{MessageState, SentMessage};

/// How long a relay holds a message it is sending before another may take it.
pub const LEASE: f64 = 120.0;
/// Tries before a failing message is given up (about 80 minutes of them).
pub const MAX_TRIES: i64 = 12;

/// The wait after the `tries`-th failure: 5 s, 15 s, 45 s... then every 10 minutes.
pub fn retry_delay(tries: i64) -> f64 {
    let exponent = i32::try_from(tries.clamp(1, 8) - 1).unwrap_or(7);
    (5.0 * 3f64.powi(exponent)).min(600.0)
}

/// A message as the store makes it.
#[derive(Debug, Clone, Default)]
pub struct NewMessage<'a> {
    pub pool_id: &'a str,
    pub username: &'a str,
    pub medium: &'a str,
    pub destination: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub body: Option<&'a str>,
    /// Why Cognito would not have delivered it, when it would not.
    pub not_delivered: Option<&'a str>,
    pub sender: Option<&'a str>,
    pub reply_to: Option<&'a str>,
}

/// Puts `m` in the outbox; an email with somewhere to go is pending when a relay runs.
pub fn record(tx: &Transaction<'_>, m: &NewMessage<'_>, now: f64) -> Result<(), ApiError> {
    let relayed = m.not_delivered.is_none()
        && m.medium == "EMAIL"
        && m.destination.is_some_and(|d| !d.is_empty())
        && relay_running(tx, now)?;
    tx.prepare_cached(
        "INSERT INTO outbox (pool_id, username, medium, destination, subject, body, delivered,
             reason, created, sender, reply_to, relay, relay_next)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        m.pool_id,
        m.username,
        m.medium,
        m.destination,
        m.subject,
        m.body,
        m.not_delivered.is_none(),
        m.not_delivered,
        now,
        m.sender,
        m.reply_to,
        relayed.then_some("pending"),
        relayed.then_some(now),
    ])?;
    Ok(())
}

fn relay_running(tx: &Transaction<'_>, now: f64) -> Result<bool, ApiError> {
    Ok(tx
        .prepare_cached("SELECT 1 FROM relays WHERE alive_until > ?1 LIMIT 1")?
        .query_row(params![now], |_| Ok(()))
        .optional()?
        .is_some())
}

const COLUMNS: &str =
    "id, username, medium, destination, subject, body, delivered, reason, created,
     relay, relay_error, relay_tries, relay_next, relay_sent";

fn message(r: &Row<'_>) -> rusqlite::Result<SentMessage> {
    let medium: String = r.get(2)?;
    let delivered: bool = r.get(6)?;
    let relay: Option<String> = r.get(9)?;
    let state = if !delivered {
        MessageState::NotDelivered {
            reason: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
        }
    } else {
        match relay.as_deref() {
            Some("pending") => MessageState::Pending,
            Some("sent") => MessageState::Sent {
                at: wire::from_epoch(r.get::<_, Option<f64>>(13)?.unwrap_or_default()),
            },
            Some(_) => MessageState::Failed {
                tries: u32::try_from(r.get::<_, i64>(11)?).unwrap_or(u32::MAX),
                error: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                next: r.get::<_, Option<f64>>(12)?.map(wire::from_epoch),
            },
            None if medium == "SMS" => MessageState::KeptSms,
            None => MessageState::KeptNoRelay,
        }
    };
    Ok(SentMessage {
        id: r.get(0)?,
        username: r.get(1)?,
        medium,
        destination: r.get(3)?,
        subject: r.get(4)?,
        body: r.get(5)?,
        created: wire::from_epoch(r.get(8)?),
        state,
    })
}

/// The messages of `pool_id` (to `username` only, when given), newest first.
pub fn list(
    store: &Store,
    pool_id: &str,
    username: Option<&str>,
) -> Result<Vec<SentMessage>, ApiError> {
    store.read(|tx| {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox
             WHERE pool_id = ?1 AND (?2 IS NULL OR username = ?2) ORDER BY id DESC"
        ))?;
        let rows = stmt
            .query_map(params![pool_id, username], message)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    })
}

/// The messages of `pool_id` (to `username` only, when given) after message `after`,
/// oldest first.
pub fn after(
    store: &Store,
    pool_id: &str,
    username: Option<&str>,
    after: i64,
) -> Result<Vec<SentMessage>, ApiError> {
    store.read(|tx| {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM outbox
             WHERE pool_id = ?1 AND (?2 IS NULL OR username = ?2) AND id > ?3 ORDER BY id"
        ))?;
        let rows = stmt
            .query_map(params![pool_id, username, after], message)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    })
}

/// The messages whose ids are given, as they are now (a follower watching a relay).
pub fn by_ids(store: &Store, ids: &[i64]) -> Result<Vec<SentMessage>, ApiError> {
    store.read(|tx| {
        let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"))?;
        let mut found = Vec::new();
        for id in ids {
            if let Some(m) = stmt.query_row(params![id], message).optional()? {
                found.push(m);
            }
        }
        Ok(found)
    })
}

/// An email a relay has claimed, to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sender: Option<String>,
    pub reply_to: Option<String>,
    pub tries: i64,
}

/// Takes up to `limit` emails that are due, holding each for [`LEASE`] seconds.
pub fn claim(store: &Store, limit: usize) -> Result<Vec<Claimed>, ApiError> {
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let claimed: Vec<Claimed> = tx
            .prepare_cached(
                "SELECT id, destination, subject, body, sender, reply_to, relay_tries FROM outbox
                 WHERE relay_next IS NOT NULL AND relay_next <= ?1
                 ORDER BY relay_next, id LIMIT ?2",
            )?
            .query_map(params![now, limit as i64], |r| {
                Ok(Claimed {
                    id: r.get(0)?,
                    to: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    subject: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    body: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    sender: r.get(4)?,
                    reply_to: r.get(5)?,
                    tries: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut hold = tx.prepare_cached("UPDATE outbox SET relay_next = ?2 WHERE id = ?1")?;
        for c in &claimed {
            hold.execute(params![c.id, now + LEASE])?;
        }
        Ok(claimed)
    })
}

/// Records that message `id` went out.
pub fn sent(store: &Store, id: i64) -> Result<(), ApiError> {
    let now = wire::epoch(store.now());
    store.write(|tx| {
        tx.prepare_cached(
            "UPDATE outbox SET relay = 'sent', relay_sent = ?2, relay_next = NULL,
                 relay_error = NULL, relay_tries = relay_tries + 1 WHERE id = ?1",
        )?
        .execute(params![id, now])?;
        Ok(())
    })
}

/// Records that message `id` failed with `error`: tried again later, or given up after
/// [`MAX_TRIES`].
pub fn failed(store: &Store, id: i64, error: &str) -> Result<(), ApiError> {
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let tries: i64 = tx
            .prepare_cached("SELECT relay_tries FROM outbox WHERE id = ?1")?
            .query_row(params![id], |r| r.get(0))?;
        let tries = tries + 1;
        let next = (tries < MAX_TRIES).then(|| now + retry_delay(tries));
        tx.prepare_cached(
            "UPDATE outbox SET relay = 'failed', relay_error = ?2, relay_tries = ?3,
                 relay_next = ?4 WHERE id = ?1",
        )?
        .execute(params![id, error, tries, next])?;
        Ok(())
    })
}

/// Makes every failed email of `pool_id` (or of every pool) due now, given up or not.
/// Returns how many.
pub fn retry(store: &Store, pool_id: Option<&str>) -> Result<usize, ApiError> {
    let now = wire::epoch(store.now());
    store.write(|tx| {
        Ok(tx
            .prepare_cached(
                "UPDATE outbox SET relay = 'pending', relay_next = ?1, relay_tries = 0
                 WHERE relay = 'failed' AND (?2 IS NULL OR pool_id = ?2)",
            )?
            .execute(params![now, pool_id])?)
    })
}

/// Says that relay `id` (reaching `server`) runs, until `until` seconds from now.
pub fn relay_alive(store: &Store, id: &str, server: &str, until: f64) -> Result<(), ApiError> {
    let now = wire::epoch(store.now());
    store.write(|tx| {
        tx.prepare_cached(
            "INSERT INTO relays (id, server, alive_until) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET alive_until = excluded.alive_until",
        )?
        .execute(params![id, server, now + until])?;
        tx.prepare_cached("DELETE FROM relays WHERE alive_until <= ?1")?
            .execute(params![now])?;
        Ok(())
    })
}

/// The servers of the relays running on this database now.
pub fn relays(store: &Store) -> Result<Vec<String>, ApiError> {
    let now = wire::epoch(store.now());
    store.read(|tx| {
        let servers = tx
            .prepare_cached(
                "SELECT DISTINCT server FROM relays WHERE alive_until > ?1 ORDER BY server",
            )?
            .query_map(params![now], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(servers)
    })
}

/// Relay `id` stops: emails made from now on are kept, not relayed (unless another runs).
pub fn relay_gone(store: &Store, id: &str) -> Result<(), ApiError> {
    store.write(|tx| {
        tx.prepare_cached("DELETE FROM relays WHERE id = ?1")?
            .execute(params![id])?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_slow_down_then_settle() {
        let delays: Vec<f64> = (1..=9).map(retry_delay).collect();
        assert_eq!(
            delays,
            [5.0, 15.0, 45.0, 135.0, 405.0, 600.0, 600.0, 600.0, 600.0]
        );
    }
}
