//! Where the console keeps its files: XDG data directory (or the platform's).

use std::path::PathBuf;

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "cognito-console")
}

/// The local store's default database.
pub fn default_db_path() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().join("store.db"))
        .unwrap_or_else(|| PathBuf::from("cognito-console.db"))
}

/// The default log file.
pub fn default_log_path() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().join("cognito-console.log"))
        .unwrap_or_else(|| PathBuf::from("cognito-console.log"))
}
