//! The `export` and `import` subcommands: progress on stderr, the problems by line, a
//! summary, and an exit status that says whether every row made it.

use anyhow::{Context, Result, bail};

use super::progress::Progress;
use crate::cli::{ExportArgs, ImportArgs};
use crate::client::Client;
use crate::pool::printable;

/// `export`: every user of `pool_id` to `--output` or stdout.
pub async fn export(client: &Client, pool_id: &str, args: &ExportArgs) -> Result<()> {
    let progress = Progress::new("exported");
    let written = match &args.output {
        Some(path) => {
            let file = super::export::create_private(path, true)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let out = std::io::BufWriter::new(file);
            super::export::export(client, pool_id, args.format, out, &progress).await?
        }
        None => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            super::export::export(client, pool_id, args.format, out, &progress).await?
        }
    };
    eprintln!("exported {written} users from {pool_id}");
    Ok(())
}

/// `import`: a file into `pool_id`, by AdminCreateUser or (`--job`) an import job.
pub async fn import(client: &Client, pool_id: &str, args: &ImportArgs) -> Result<()> {
    let options = super::import::Options {
        format: args
            .format
            .unwrap_or_else(|| super::Format::of_path(&args.file)),
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
    let s = super::import::import(client, pool_id, &args.file, &options, &progress).await?;
    progress.finish();
    let file = args.file.display();
    let show = |p: &super::import::Problem| {
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
            "{file}: {} rows, every one can be imported into {pool_id}",
            s.rows
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
        .unwrap_or_else(|| super::Format::of_path(&args.file));
    if format != super::Format::Csv {
        bail!("an import job takes Cognito's CSV; import JSONL without --job");
    }
    let role = match (&args.role_arn, super::job::default_role(client.target())) {
        (Some(role), _) => role.clone(),
        (None, Some(role)) => role.to_string(),
        (None, None) => {
            bail!("--role-arn: Cognito needs the IAM role its import job logs to CloudWatch with")
        }
    };
    let s = super::job::run(client, pool_id, &args.file, &role, args.dry_run, progress).await?;
    let file = args.file.display();
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
        "Succeeded" => bail!(
            "{} rows failed (Cognito logs each to CloudWatch)",
            job.failed
        ),
        "Stopped" => bail!("stopped: the rows not yet imported were not; import them again"),
        other => bail!("the job ended {other}"),
    }
}
