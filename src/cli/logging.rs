//! The log: a file of the owner's only, never the terminal (the console owns it).

use std::path::Path;

use anyhow::{Context, Result};

use crate::settings;

/// Logs go to a file, never to the terminal (the console owns it). Passwords are never
/// logged: no code path passes one to `tracing`.
pub fn init(path: Option<&Path>) -> Result<tracing_appender::non_blocking::WorkerGuard> {
    let path = path
        .map(Path::to_path_buf)
        .unwrap_or_else(settings::default_log_path);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::local::db::store::create_private_dir(dir)
        .with_context(|| format!("cannot create log directory {}", dir.display()))?;
    let file = open_private_append(&path)
        .with_context(|| format!("cannot open log file {}", path.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("COGNITO_CONSOLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .init();
    Ok(guard)
}

fn open_private_append(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
