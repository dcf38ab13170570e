//! `cognito-console export`: every user of a pool to a file or stdout (CSV in Cognito's
//! import format, or JSONL), progress on stderr.

use anyhow::Result;

use clap::Args;

use crate::bulk::progress::Progress;
use crate::bulk::{self, Format};
use crate::client::Client;

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// csv (Cognito's import format, importable into any pool) or jsonl (everything).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,

    /// Write here instead of stdout (readable by you alone). An existing file is never
    /// overwritten unless --replace is given.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,

    /// Replace FILE if it exists (it is made readable by you alone).
    #[arg(long, requires = "output")]
    pub replace: bool,
}

/// `export`: every user of `pool_id` to `--output` or stdout.
pub async fn run(client: &Client, pool_id: &str, args: &ExportArgs) -> Result<()> {
    let progress = Progress::new("exported");
    let written = match &args.output {
        Some(path) => {
            let file = bulk::export::create_private(path, args.replace).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    anyhow::anyhow!(
                        "{} exists, and an export never overwrites a file: remove it, choose another name, or give --replace",
                        path.display()
                    )
                } else {
                    anyhow::anyhow!("cannot create {}: {e}", path.display())
                }
            })?;
            let out = std::io::BufWriter::new(file);
            bulk::export::export(client, pool_id, args.format, out, &progress).await?
        }
        None => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            bulk::export::export(client, pool_id, args.format, out, &progress).await?
        }
    };
    eprintln!("exported {written} users from {pool_id}");
    Ok(())
}
