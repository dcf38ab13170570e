//! An import through Cognito's own import job: the file is checked row by row as
//! `import` checks it, then CreateUserImportJob, the CSV put at the job's pre-signed URL,
//! StartUserImportJob, and DescribeUserImportJob until the job ends. Users arrive in
//! RESET_REQUIRED with no password, and no invitation is sent (Cognito's job sends none).
//! A stop request (Ctrl-C, the console's stop key) becomes StopUserImportJob.

use std::path::Path;
use std::time::Duration;

use super::format::Format;
use super::import::{Problem, check_file};
use super::progress::Progress;
use crate::client::{Client, ImportJob, Target};
use crate::pool::csv_header::MAX_CSV;

/// The role an import job names where no real role exists (the embedded store, `serve`).
const LOCAL_ROLE: &str = "arn:aws:iam::000000000000:role/cognito-console-import";

/// The role to name when the admin gives none: a placeholder for the embedded store and
/// an `--endpoint-url` (serve, moto); None on AWS, whose job needs a real one.
pub fn default_role(target: &Target) -> Option<&'static str> {
    match target {
        Target::Local { .. }
        | Target::Aws {
            endpoint_url: Some(_),
            ..
        } => Some(LOCAL_ROLE),
        Target::Aws { .. } => None,
    }
}

/// How often a running job is described.
const POLL: Duration = Duration::from_millis(500);

/// What a job did, or why it did not start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobSummary {
    pub rows: u64,
    /// Problems found before the job was created (it was not).
    pub invalid: Vec<Problem>,
    /// The job as it ended; None when it was not created (problems, a dry run).
    pub job: Option<ImportJob>,
    /// Where each failed row's reason was written (`FILE.failures.csv`), when the store
    /// keeps them (the local store; on AWS they are in CloudWatch Logs).
    pub failures_file: Option<std::path::PathBuf>,
}

/// A name for the job: the file's, as the console and Cognito's list show it.
pub fn job_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // JobNameType: 1-128 of [\w\s+=,.@-].
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_ +=,.@-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .take(128)
        .collect();
    if name.is_empty() {
        "import".into()
    } else {
        name
    }
}

/// Checks the CSV at `path`, then runs it as an import job into `pool_id`.
pub async fn run(
    client: &Client,
    pool_id: &str,
    path: &Path,
    role_arn: &str,
    dry_run: bool,
    progress: &Progress,
) -> anyhow::Result<JobSummary> {
    let size = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?
        .len();
    if size > MAX_CSV as u64 {
        anyhow::bail!(
            "{}: {size} bytes; an import job takes a CSV of at most {MAX_CSV} bytes \
             (import without a job takes any size)",
            path.display()
        );
    }
    let pool = client.describe_pool(pool_id).await?;
    let (rows, invalid) = check_file(path, &pool, Format::Csv, true)?;
    if !invalid.is_empty() || dry_run {
        return Ok(JobSummary {
            rows,
            invalid,
            job: None,
            failures_file: None,
        });
    }
    let job = client
        .create_import_job(pool_id, &job_name(path), role_arn)
        .await?;
    let url = job
        .upload_url
        .clone()
        .ok_or_else(|| anyhow::anyhow!("Cognito gave import job {} no upload URL", job.id))?;
    let csv = std::fs::read(path)?;
    client.upload_import_csv(&url, csv).await?;
    let mut job = client.start_import_job(pool_id, &job.id).await?;
    progress.expect(rows);
    let mut stop_sent = false;
    while !job.finished() {
        if progress.tally().stopping() && !stop_sent {
            job = client.stop_import_job(pool_id, &job.id).await?;
            stop_sent = true;
            continue;
        }
        tokio::time::sleep(POLL).await;
        job = client.describe_import_job(pool_id, &job.id).await?;
        progress.set(u64::try_from(job.imported + job.skipped + job.failed).unwrap_or(0));
    }
    progress.finish();
    let failures_file = if job.failed > 0 {
        match client.import_job_failures(&job.id).await? {
            Some(failures) => Some(write_failures(path, &failures)?),
            None => None,
        }
    } else {
        None
    };
    Ok(JobSummary {
        rows,
        invalid: Vec::new(),
        job: Some(job),
        failures_file,
    })
}

/// `FILE.failures.csv` beside the input: line, username and reason of each failed row,
/// readable by its owner alone (it names users).
fn write_failures(
    path: &Path,
    failures: &[(u64, String, String)],
) -> anyhow::Result<std::path::PathBuf> {
    let out = path.with_extension("failures.csv");
    let file = super::export::create_private(&out, true)?;
    let mut w = csv::Writer::from_writer(file);
    w.write_record(["line", "username", "reason"])?;
    for (line, username, reason) in failures {
        w.write_record([line.to_string().as_str(), username, reason])?;
    }
    w.flush()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_names_keep_what_cognito_allows() {
        assert_eq!(job_name(Path::new("/tmp/users 2026.csv")), "users 2026");
        assert_eq!(job_name(Path::new("ünïcode.csv")), "-n-code");
        assert_eq!(job_name(Path::new("/")), "import");
        assert_eq!(job_name(Path::new(&"a".repeat(300))).len(), 128);
    }
}
