//! `cognito-console export`: every user of a pool to a file or stdout (CSV in Cognito's
//! import format, or JSONL), progress on stderr, and a report (`--report`) of what was
//! written. A terminal is never sent a user's control characters raw.
//!
//! Values a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, and not a
//! number) are exported as they are: Cognito's format wants the value itself, and the
//! file must import back unchanged. The report says how many there are, and
//! `--neutralise-formulas` puts a `'` before each such attribute value for a file meant
//! for a spreadsheet rather than for an import.

use std::io::{IsTerminal, Write};

use anyhow::Result;

use clap::Args;

use super::output::{Output, text_line};
use crate::bulk::export::{Exported, TerminalSafe};
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

    /// Put a ' before each value a spreadsheet would run as a formula (=, +, -, @
    /// first, not a number), usernames included, for a file opened in a spreadsheet;
    /// the file then no longer imports those values as they were.
    #[arg(long, alias = "neutralize-formulas")]
    pub neutralise_formulas: bool,

    /// How the report is printed: table (a sentence), text (tab-separated: users,
    /// formula-like values, pool, file), json. On stdout with --output, else on stderr.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub report: Output,
}

/// `export`: every user of `pool_id` to `--output` or stdout.
pub async fn run(client: &Client, pool_id: &str, args: &ExportArgs) -> Result<()> {
    let progress = Progress::new("exported");
    let neutralise = args.neutralise_formulas;
    let exported = match &args.output {
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
            bulk::export::export_with(client, pool_id, args.format, neutralise, out, &progress)
                .await?
        }
        None if std::io::stdout().is_terminal() => {
            let out = TerminalSafe::new(std::io::BufWriter::new(std::io::stdout().lock()));
            bulk::export::export_with(client, pool_id, args.format, neutralise, out, &progress)
                .await?
        }
        None => {
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            bulk::export::export_with(client, pool_id, args.format, neutralise, out, &progress)
                .await?
        }
    };
    let text = report(&exported, pool_id, args);
    // The data has stdout when no file was given.
    if args.output.is_some() {
        writeln!(std::io::stdout().lock(), "{text}")?;
    } else {
        eprintln!("{text}");
    }
    Ok(())
}

/// What was written, in the `--report` format.
fn report(exported: &Exported, pool_id: &str, args: &ExportArgs) -> String {
    let file = args
        .output
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "-".into());
    match args.report {
        Output::Json => serde_json::json!({
            "Exported": exported.users,
            "FormulaLikeValues": exported.formula_like,
            "FormulasNeutralised": args.neutralise_formulas,
            "UserPoolId": pool_id,
            "File": file,
            "Format": format!("{:?}", args.format).to_lowercase(),
        })
        .to_string(),
        Output::Text => text_line(&[
            &exported.users.to_string(),
            &exported.formula_like.to_string(),
            pool_id,
            &file,
        ]),
        Output::Table => {
            let mut text = format!("exported {} users from {pool_id}", exported.users);
            if exported.formula_like > 0 {
                let n = exported.formula_like;
                if args.neutralise_formulas {
                    text.push_str(&format!(
                        "; {n} values a spreadsheet would run as formulas, written with a ' \
                         before them"
                    ));
                } else {
                    text.push_str(&format!(
                        "; {n} values begin as a spreadsheet formula would (=, +, -, @): \
                         written as they are, as Cognito's format needs; open the file as \
                         text in a spreadsheet, or export with --neutralise-formulas"
                    ));
                }
            }
            crate::pool::printable::field(&text).into_owned()
        }
    }
}
