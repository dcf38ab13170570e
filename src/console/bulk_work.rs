//! Export and import from the console: what is asked ([`Work`]), what comes back
//! ([`Done`]), and the run itself, which is `crate::bulk`'s (the same code as the
//! `export` and `import` subcommands) with the progress in a [`Tally`] the Users tab
//! draws as a gauge while the keys go on answering.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::bulk::format::Format;
use crate::bulk::import::{self, Problem, Summary};
use crate::bulk::job::{self, JobSummary};
use crate::bulk::progress::{Progress, Tally};
use crate::client::Client;

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
}

impl Work {
    pub fn path(&self) -> &Path {
        match self {
            Self::Export { path, .. }
            | Self::Import { path, .. }
            | Self::ImportJob { path, .. } => path,
        }
    }

    /// "exporting to users.csv", for the gauge.
    pub fn describe(&self) -> String {
        let file = self.path().display();
        match self {
            Self::Export { .. } => format!("exporting to {file}"),
            Self::Import { .. } => format!("importing {file}"),
            Self::ImportJob { .. } => format!("import job for {file}"),
        }
    }
}

/// How a bulk run ended.
#[derive(Debug, Clone)]
pub enum Done {
    Exported(u64),
    Imported(Summary),
    Job(JobSummary),
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
            crate::bulk::export::export(client, pool_id, *format, out, &progress)
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
    }
}
