//! The `cognito-console` binary: parse the command line, open the log, run the command
//! (`cli::run`), and turn its outcome into an exit status.

use std::process::ExitCode;

use cognito_console::cli::{self, Cli};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    let _log = match cli::logging::init(cli.log_file.as_deref()) {
        Ok(guard) => guard,
        Err(e) => {
            eprintln!("cognito-console: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cognito-console: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if cli::closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "exiting with an error");
            eprintln!(
                "cognito-console: {}",
                cognito_console::pool::printable::lines(&format!("{e:#}"))
            );
            ExitCode::FAILURE
        }
    }
}
