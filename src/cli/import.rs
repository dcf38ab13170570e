//! `cognito-console import`: a file into a pool, by AdminCreateUser or Cognito's import
//! job: every row checked first, progress on stderr, the problems by line, a summary,
//! and an exit status that says whether every row made it. `--output json` puts the
//! report on stdout as one JSON document (the progress stays on stderr).

use std::io::Write;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;

use super::output::{Output, OutputArgs, text_line};

use crate::bulk::progress::Progress;
use crate::bulk::{self, Format};
use crate::client::Client;
use crate::pool::printable;

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file to import.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,

    /// csv or jsonl; by default from the file's extension (.jsonl is JSONL).
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Check every row against the pool and stop: nothing is written.
    #[arg(long)]
    pub dry_run: bool,

    /// Send each user Cognito's invitation (by default none is sent).
    #[arg(long)]
    pub send_invitations: bool,

    /// AdminCreateUser calls in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: u32,

    /// Where rows that fail are written (default: beside FILE, NAME.failed.csv).
    #[arg(long, value_name = "FILE")]
    pub failed_rows: Option<std::path::PathBuf>,

    /// Use Cognito's own import job (CreateUserImportJob) instead of AdminCreateUser:
    /// users arrive RESET_REQUIRED, with no password and no invitation. CSV only, at
    /// most 100 MB.
    #[arg(long, conflicts_with_all = ["send_invitations", "failed_rows"])]
    pub job: bool,

    /// The IAM role Cognito writes the job's CloudWatch log with (required on AWS; the
    /// embedded store takes any role ARN and has a default).
    #[arg(long, value_name = "ARN", requires = "job")]
    pub role_arn: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

fn problems_json(problems: &[bulk::import::Problem]) -> Vec<serde_json::Value> {
    problems
        .iter()
        .map(|p| json!({"line": p.line, "username": p.username, "error": p.error}))
        .collect()
}

/// The report as one JSON document on stdout, escaped for the terminal.
fn report(value: &serde_json::Value) -> Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    writeln!(std::io::stdout().lock(), "{}", printable::json(&text))?;
    Ok(())
}

/// `import`: a file into `pool_id`, by AdminCreateUser or (`--job`) an import job.
pub async fn run(client: &Client, pool_id: &str, args: &ImportArgs) -> Result<()> {
    let options = bulk::import::Options {
        format: args
            .format
            .unwrap_or_else(|| bulk::Format::of_path(&args.file)),
        dry_run: args.dry_run,
        send_invitations: args.send_invitations,
        concurrency: args.concurrency as usize,
        failed_rows: args.failed_rows.clone(),
    };
    let progress = Progress::new("imported");
    let tally = progress.tally().clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!(
                "stopping: letting the calls in flight finish (Ctrl-C again to quit at once)"
            );
            tally.stop();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    if args.job {
        return import_job(client, pool_id, args, &progress).await;
    }
    let s = bulk::import::import(client, pool_id, &args.file, &options, &progress).await?;
    progress.finish();
    let file = args.file.display();
    if args.output.output == Output::Json {
        report(&json!({
            "file": args.file.display().to_string(),
            "pool_id": pool_id,
            "dry_run": args.dry_run,
            "rows": s.rows,
            "created": s.created,
            "present": s.present,
            "failed": problems_json(&s.failed),
            "problems": problems_json(&s.invalid),
            "failed_rows_file": s.failed_rows_file.as_ref().map(|p| p.display().to_string()),
            "interrupted": s.interrupted,
        }))?;
    }
    if args.output.output == Output::Text {
        // A row that did not make it a line on stdout, for a pipe; the rest on stderr.
        let mut out = std::io::stdout().lock();
        for p in s.invalid.iter().chain(&s.failed) {
            let line = p.line.to_string();
            writeln!(out, "{}", text_line(&[&line, &p.username, &p.error]))?;
        }
    }
    let show = |p: &bulk::import::Problem| {
        printable::lines(&format!(
            "line {}: {}{}",
            p.line,
            if p.username.is_empty() {
                String::new()
            } else {
                format!("{}: ", p.username)
            },
            p.error
        ))
        .into_owned()
    };
    if !s.invalid.is_empty() {
        for p in &s.invalid {
            eprintln!("{}", show(p));
        }
        bail!(
            "{file}: {} problems in {} rows; nothing was imported",
            s.invalid.len(),
            s.rows
        );
    }
    if args.dry_run {
        eprintln!(
            "{file}: {} rows, every one can be imported into {pool_id}; {} already in the \
             pool (done if their attributes match the row's), {} to create",
            s.rows,
            s.present,
            s.rows.saturating_sub(s.present)
        );
        return Ok(());
    }
    for p in &s.failed {
        eprintln!("{}", show(p));
    }
    eprintln!(
        "{file}: {} rows; created {}, already there {} (skipped), failed {}",
        s.rows,
        s.created,
        s.present,
        s.failed.len()
    );
    if let Some(path) = &s.failed_rows_file {
        eprintln!(
            "the failed rows are in {}: fix them and import that file",
            path.display()
        );
    }
    if s.interrupted {
        bail!("interrupted: run the same import again to finish");
    }
    if !s.failed.is_empty() {
        bail!("{} rows failed", s.failed.len());
    }
    Ok(())
}

/// `import --job`: Cognito's import job, watched to its end.
async fn import_job(
    client: &Client,
    pool_id: &str,
    args: &ImportArgs,
    progress: &Progress,
) -> Result<()> {
    let format = args
        .format
        .unwrap_or_else(|| bulk::Format::of_path(&args.file));
    if format != bulk::Format::Csv {
        bail!("an import job takes Cognito's CSV; import JSONL without --job");
    }
    let role = match (&args.role_arn, bulk::job::default_role(client.target())) {
        (Some(role), _) => role.clone(),
        (None, Some(role)) => role.to_string(),
        (None, None) => {
            bail!("--role-arn: Cognito needs the IAM role its import job logs to CloudWatch with")
        }
    };
    let s = bulk::job::run(client, pool_id, &args.file, &role, args.dry_run, progress).await?;
    let file = args.file.display();
    if args.output.output == Output::Json {
        report(&json!({
            "file": args.file.display().to_string(),
            "pool_id": pool_id,
            "dry_run": args.dry_run,
            "rows": s.rows,
            "problems": problems_json(&s.invalid),
            "job": s.job.as_ref().map(|j| json!({
                "JobId": j.id,
                "JobName": j.name,
                "Status": j.status,
                "ImportedUsers": j.imported,
                "SkippedUsers": j.skipped,
                "FailedUsers": j.failed,
                "CompletionMessage": j.message,
            })),
            "failures_file": s.failures_file.as_ref().map(|p| p.display().to_string()),
        }))?;
    }
    if !s.invalid.is_empty() {
        for p in &s.invalid {
            eprintln!(
                "{}",
                printable::lines(&format!("line {}: {}", p.line, p.error))
            );
        }
        bail!(
            "{file}: {} problems in {} rows; no job was created",
            s.invalid.len(),
            s.rows
        );
    }
    let Some(job) = s.job else {
        eprintln!(
            "{file}: {} rows, every one can be imported into {pool_id}",
            s.rows
        );
        return Ok(());
    };
    eprintln!(
        "import job {} {}: {} imported, {} skipped, {} failed{}",
        job.id,
        job.status,
        job.imported,
        job.skipped,
        job.failed,
        job.message
            .as_deref()
            .map(|m| format!(" ({m})"))
            .unwrap_or_default()
    );
    match job.status.as_str() {
        "Succeeded" if job.failed == 0 => Ok(()),
        "Succeeded" => match &s.failures_file {
            Some(path) => bail!(
                "{} rows failed: each row's line, username and reason are in {}",
                job.failed,
                path.display()
            ),
            None => bail!(
                "{} rows failed (Cognito logs each to CloudWatch)",
                job.failed
            ),
        },
        "Stopped" => bail!("stopped: the rows not yet imported were not; import them again"),
        other => bail!("the job ended {other}"),
    }
}
