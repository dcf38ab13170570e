//! The Users tab's jobs: export and import, marking every user a search matches, and a
//! bulk action on the marked users. What is asked ([`Work`]), what comes back
//! ([`Done`]), and the run itself: export and import are `crate::bulk`'s (the same code
//! as the `export` and `import` subcommands), the rest is here. Progress goes in a
//! [`Tally`] the Users tab draws as a gauge while the keys go on answering.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::user_change::UserChange;
use crate::bulk::format::Format;
use crate::bulk::import::{self, Problem, Summary};
use crate::bulk::job::{self, JobSummary};
use crate::bulk::pace::{self, Pace};
use crate::bulk::progress::{Progress, Tally};
use crate::client::{Client, ClientError, UserQuery};
use crate::pool::User;

/// The most users marked at once: a bulk action's users are held in memory.
pub const MAX_MARKS: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    Export {
        path: PathBuf,
        format: Format,
    },
    /// AdminCreateUser for each row.
    Import {
        path: PathBuf,
        format: Format,
        send_invitations: bool,
    },
    /// Cognito's import job.
    ImportJob {
        path: PathBuf,
        role_arn: String,
    },
    /// Every user `query` finds (ListUsers' filter, the local ones), to mark in
    /// `pool_id` (and nowhere else, should another pool be open when it ends).
    Mark {
        query: Box<UserQuery>,
        search: String,
        pool_id: String,
    },
    /// One change per marked user.
    Users(UserJob),
}

/// A bulk action's changes, one per user, in the order they are made.
#[derive(Debug, Clone)]
pub struct UserJob {
    /// "disable 12 users".
    pub title: String,
    pub changes: Vec<UserChange>,
}

impl PartialEq for UserJob {
    fn eq(&self, other: &Self) -> bool {
        let names = |j: &Self| {
            j.changes
                .iter()
                .map(|c| c.username().to_string())
                .collect::<Vec<_>>()
        };
        self.title == other.title && names(self) == names(other)
    }
}

/// How a bulk action on marked users ended: who was done, who failed and why, who was
/// never reached (a stop).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsersDone {
    pub title: String,
    pub done: Vec<String>,
    pub failed: Vec<(String, String)>,
    pub not_started: Vec<String>,
    /// Each done user's line ("ann disabled"), for the messages.
    pub lines: Vec<String>,
}

impl Work {
    /// The file read or written, for the jobs that have one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Export { path, .. }
            | Self::Import { path, .. }
            | Self::ImportJob { path, .. } => Some(path),
            Self::Mark { .. } | Self::Users(_) => None,
        }
    }

    /// "exporting to users.csv", for the gauge.
    pub fn describe(&self) -> String {
        let file = self
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match self {
            Self::Export { .. } => format!("exporting to {file}"),
            Self::Import { .. } => format!("importing {file}"),
            Self::ImportJob { .. } => format!("import job for {file}"),
            Self::Mark { search, .. } => format!("marking every user {search} matches"),
            Self::Users(job) => job.title.clone(),
        }
    }
}

/// How a bulk run ended.
#[derive(Debug, Clone)]
pub enum Done {
    Exported(crate::bulk::export::Exported),
    Imported(Summary),
    Job(JobSummary),
    /// The users found to mark, and whether every one was (not stopped, not at the
    /// ceiling).
    Marked {
        users: Vec<User>,
        whole: bool,
    },
    Users(UsersDone),
}

/// A file read and checked against the pool, before anything is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub path: PathBuf,
    pub rows: u64,
    pub problems: Vec<Problem>,
}

/// Reads `path` and checks every row against the pool, with the import job's own rule
/// when `job` (off the async workers: a large file takes a while).
pub async fn check(
    client: &Client,
    pool_id: &str,
    path: PathBuf,
    format: Format,
    job: bool,
) -> Result<Checked, String> {
    let pool = client
        .describe_pool(pool_id)
        .await
        .map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || {
        let (rows, problems) =
            import::check_file(&path, &pool, format, job).map_err(|e| e.to_string())?;
        Ok(Checked {
            path,
            rows,
            problems,
        })
    })
    .await
    .map_err(|e| e.to_string())?
}

pub async fn run(
    client: &Client,
    pool_id: &str,
    work: &Work,
    tally: Arc<Tally>,
) -> Result<Done, String> {
    let text = |e: anyhow::Error| format!("{e:#}");
    match work {
        Work::Export { path, format } => {
            let progress = Progress::watched("exported", tally);
            let file = crate::bulk::export::create_private(path, false)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            let out = std::io::BufWriter::new(file);
            crate::bulk::export::export_with(client, pool_id, *format, false, out, &progress)
                .await
                .map(Done::Exported)
                .map_err(text)
        }
        Work::Import {
            path,
            format,
            send_invitations,
        } => {
            let progress = Progress::watched("imported", tally);
            let options = import::Options {
                format: *format,
                dry_run: false,
                send_invitations: *send_invitations,
                concurrency: 4,
                failed_rows: None,
            };
            import::import(client, pool_id, path, &options, &progress)
                .await
                .map(Done::Imported)
                .map_err(text)
        }
        Work::ImportJob { path, role_arn } => {
            let progress = Progress::watched("imported", tally);
            job::run(client, pool_id, path, role_arn, false, &progress)
                .await
                .map(Done::Job)
                .map_err(text)
        }
        Work::Mark { query, .. } => mark(client, pool_id, (**query).clone(), tally).await,
        // Run by `run_users`, which makes each change through the audit log.
        Work::Users(_) => Err("a bulk action runs through run_users".into()),
    }
}

/// Pages through every user `query` finds, as far as [`MAX_MARKS`] or a stop.
async fn mark(
    client: &Client,
    pool_id: &str,
    mut query: UserQuery,
    tally: Arc<Tally>,
) -> Result<Done, String> {
    let progress = Progress::watched("found", tally.clone());
    let mut users = Vec::new();
    query.limit = Some(60);
    loop {
        if tally.stopping() {
            return Ok(Done::Marked {
                users,
                whole: false,
            });
        }
        let page = loop {
            match client.list_users(pool_id, &query).await {
                Ok(page) => break page,
                Err(e) if pace::throttled(&e) => {
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await
                }
                Err(e) => return Err(e.to_string()),
            }
        };
        progress.advance(page.users.len() as u64);
        users.extend(page.users);
        if users.len() >= MAX_MARKS {
            users.truncate(MAX_MARKS);
            return Ok(Done::Marked {
                users,
                whole: false,
            });
        }
        match page.next {
            Some(token) => query.pagination_token = Some(token),
            None => return Ok(Done::Marked { users, whole: true }),
        }
    }
}

/// How one change is made: through the audit log, by the caller (`effect`).
pub type MakeOne = Box<
    dyn Fn(UserChange) -> std::pin::Pin<Box<dyn Future<Output = Result<(), ClientError>> + Send>>
        + Send
        + Sync,
>;

/// The changes of a bulk action, a few at a time at the pace Cognito allows (a throttled
/// change waits and is made again, never dropped). A failure is that user's and the
/// rest go on; a stop lets the changes in flight finish and starts no more.
pub async fn run_users(job: &UserJob, tally: Arc<Tally>, make: MakeOne) -> UsersDone {
    const CONCURRENCY: usize = 4;
    let progress = Progress::watched("done", tally.clone());
    progress.expect(job.changes.len() as u64);
    let make = Arc::new(make);
    let pace = Pace::shared();
    let mut out = UsersDone {
        title: job.title.clone(),
        ..UsersDone::default()
    };
    let mut left = job.changes.iter().cloned();
    let mut in_flight = tokio::task::JoinSet::new();
    loop {
        while in_flight.len() < CONCURRENCY && !tally.stopping() {
            let Some(change) = left.next() else { break };
            let (make, pace) = (make.clone(), pace.clone());
            in_flight.spawn(async move {
                let result = loop {
                    Pace::wait(&pace).await;
                    match make(change.clone()).await {
                        Err(e) if pace::throttled(&e) => Pace::throttled(&pace).await,
                        result => {
                            if result.is_ok() {
                                Pace::succeeded(&pace).await;
                            }
                            break result;
                        }
                    }
                };
                (change, result)
            });
        }
        let Some(joined) = in_flight.join_next().await else {
            break;
        };
        progress.advance(1);
        match joined {
            Ok((change, Ok(()))) => {
                out.lines.push(change.describe());
                out.done.push(change.username().to_string());
            }
            Ok((change, Err(e))) => out.failed.push((
                change.username().to_string(),
                format!("{}: {e}", change.failed()),
            )),
            Err(e) => out.failed.push((String::new(), e.to_string())),
        }
    }
    out.not_started = left.map(|c| c.username().to_string()).collect();
    out
}
