//! `cognito-console completions SHELL` and `cognito-console man`: shell completions
//! (clap_complete) and man pages (clap_mangen), both made from the command line's own
//! definition, so they list exactly the subcommands and options `--help` does.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use clap_complete::Shell;

use super::Cli;

const NAME: &str = "cognito-console";

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish. Load it with, e.g.,
    /// `source <(cognito-console completions bash)`.
    pub shell: Shell,
}

#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Write cognito-console.1 and a page per subcommand (cognito-console-users.1...)
    /// into this directory, rather than the main page to standard output.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn completions(args: &CompletionsArgs) -> Result<()> {
    let mut command = Cli::command_line();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, NAME, &mut out);
    out.flush()?;
    Ok(())
}

pub fn man(args: &ManArgs) -> Result<()> {
    let command = Cli::command_line();
    match &args.dir {
        None => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(command).render(&mut out)?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot make {}", dir.display()))?;
            clap_mangen::generate_to(command, dir)
                .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "man pages written in {}", dir.display())?;
        }
    }
    Ok(())
}
