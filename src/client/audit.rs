//! The audit log, as a console session writes it: its sign-in, each change before it
//! is made and its outcome after, its sign-out. The log is the local store's, whatever
//! the target (on AWS, the store in the data directory keeps it), reached through the
//! in-process connector.

use super::target::InProcess;
use super::{Client, ClientError};
use crate::pool::audit::{Admin, Change, Entry, Outcome, Query, SIGN_IN, SIGN_OUT};

/// Where the entries are kept.
#[derive(Debug, Clone)]
pub struct AuditLog {
    connector: InProcess,
}

/// The audit log kept in the local store at `db` (created if need be, without the demo
/// pool): where sessions on any target write what they did. Blocks while it opens.
pub fn open_audit_log(db: &std::path::Path) -> Result<AuditLog, ClientError> {
    let connector = InProcess::open(db).map_err(|e| {
        ClientError::new(e.kind, format!("cannot open the audit log: {}", e.message))
    })?;
    Ok(AuditLog { connector })
}

/// The audit log of the store `client` reaches in process, sharing its connection.
pub fn audit_log_of(client: &Client) -> Option<AuditLog> {
    client
        .in_process
        .clone()
        .map(|connector| AuditLog { connector })
}

impl AuditLog {
    /// The entries `query` selects, newest first.
    pub async fn list(&self, query: Query) -> Result<Vec<Entry>, ClientError> {
        self.connector.audit_list(query).await
    }
}

/// One console session's pen: who is at the console, and which session this is.
#[derive(Debug, Clone)]
pub struct Auditor {
    log: AuditLog,
    admin: Admin,
    session: String,
}

/// A change written down as pending, waiting for its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending(i64);

impl Auditor {
    /// A new session of `admin`'s, written in `log`.
    pub fn new(log: AuditLog, admin: Admin) -> Self {
        Self {
            log,
            admin,
            session: uuid::Uuid::new_v4().to_string(),
        }
    }

    pub fn admin(&self) -> &Admin {
        &self.admin
    }

    pub fn session(&self) -> &str {
        &self.session
    }

    pub fn log(&self) -> &AuditLog {
        &self.log
    }

    async fn note(&self, change: Change, outcome: Outcome) -> Result<i64, ClientError> {
        self.log
            .connector
            .audit_record(self.session.clone(), self.admin.clone(), change, outcome)
            .await
    }

    /// The session's first entry. A console that cannot write it must not open.
    pub async fn signed_in(&self) -> Result<(), ClientError> {
        let mode = if self.admin.read_only {
            "read-only console"
        } else {
            "console that may change pools"
        };
        self.note(
            Change::new(SIGN_IN).detail(mode),
            Outcome::Done(String::new()),
        )
        .await
        .map(drop)
    }

    /// The session's last entry, saying why it ended; a change still waiting for its
    /// answer is marked abandoned first.
    pub async fn signed_out(&self, why: &str) -> Result<(), ClientError> {
        self.log
            .connector
            .audit_abandon(
                self.session.clone(),
                format!("the session ended ({why}) before the answer came"),
            )
            .await?;
        self.note(
            Change::new(SIGN_OUT).detail(why),
            Outcome::Done(String::new()),
        )
        .await
        .map(drop)
    }

    /// Writes `change` down before it is made. When this fails the change must not be
    /// made: it would go unrecorded.
    pub async fn begin(&self, change: &Change) -> Result<Pending, ClientError> {
        self.note(change.clone(), Outcome::Pending)
            .await
            .map(Pending)
    }

    /// Records how the change ended.
    pub async fn finish(&self, pending: Pending, outcome: Outcome) -> Result<(), ClientError> {
        self.log.connector.audit_finish(pending.0, outcome).await
    }
}
