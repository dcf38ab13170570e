//! Invitations: rendered from the pool's template and put in the outbox table, in the
//! same transaction as the user they invite. A template without `{####}` is not
//! delivered, as Cognito does, and the outbox records why.

use rusqlite::{Transaction, params};

use super::error::ApiError;
use super::users::UserRecord;
use crate::pool::template::{self, Invitation};
use crate::pool::{DeliveryMedium, InviteMessageTemplate, Secret};

pub fn send_invitation(
    tx: &Transaction<'_>,
    pool_id: &str,
    user: &UserRecord,
    mediums: &[DeliveryMedium],
    invite: Option<&InviteMessageTemplate>,
    password: &Secret,
    now: f64,
) -> Result<(), ApiError> {
    for &medium in mediums {
        let destination = user.attribute(medium.attribute());
        let (delivered, subject, body, reason) =
            match template::invitation(invite, medium, &user.username, password.expose()) {
                Invitation::Deliver { subject, body } => (true, subject, Some(body), None),
                Invitation::NotDelivered { reason } => (false, None, None, Some(reason)),
            };
        tx.execute(
            "INSERT INTO outbox (pool_id, username, medium, destination, subject, body, delivered, reason, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![pool_id, user.username, medium.as_str(), destination, subject, body, delivered, reason, now],
        )?;
        // The log says that a message went out, never what it said.
        tracing::debug!(pool_id, medium = medium.as_str(), delivered, "invitation");
    }
    Ok(())
}

/// A message in the outbox, newest first when listed.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub username: String,
    pub medium: String,
    pub destination: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub delivered: bool,
    pub reason: Option<String>,
    pub created: f64,
}

/// The messages sent to `username` in `pool_id`, newest first.
pub fn outbox(
    store: &super::Store,
    pool_id: &str,
    username: Option<&str>,
) -> Result<Vec<OutboxMessage>, ApiError> {
    store.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT username, medium, destination, subject, body, delivered, reason, created FROM outbox
             WHERE pool_id = ?1 AND (?2 IS NULL OR username = ?2) ORDER BY id DESC",
        )?;
        let rows = stmt
            .query_map(params![pool_id, username], |r| {
                Ok(OutboxMessage {
                    username: r.get(0)?,
                    medium: r.get(1)?,
                    destination: r.get(2)?,
                    subject: r.get(3)?,
                    body: r.get(4)?,
                    delivered: r.get(5)?,
                    reason: r.get(6)?,
                    created: r.get(7)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    })
}
