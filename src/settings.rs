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

/// The store whose audit log sessions on `target` write (and `audit` reads): the local
/// store itself, or on AWS the store in the data directory.
pub fn audit_db_path(target: &crate::client::Target) -> PathBuf {
    match target {
        crate::client::Target::Local { db } => db.clone(),
        crate::client::Target::Aws { .. } => default_db_path(),
    }
}

/// The default host key of `cognito-console ssh`.
pub fn default_host_key_path() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().join("ssh_host_ed25519_key"))
        .unwrap_or_else(|| PathBuf::from("ssh_host_ed25519_key"))
}

/// The default log file.
pub fn default_log_path() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().join("cognito-console.log"))
        .unwrap_or_else(|| PathBuf::from("cognito-console.log"))
}

/// The settings file: `~/.config/cognito-console/config.toml` on Linux.
pub fn default_config_path() -> PathBuf {
    project_dirs()
        .map(|d| d.config_dir().join("config.toml"))
        .unwrap_or_else(|| PathBuf::from("cognito-console.toml"))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    #[serde(default)]
    keys: crate::console::keymap::KeyOverrides,
}

/// The keymap with the settings file's overrides, and every problem found on the way
/// (reported on screen, never a panic). A missing default file is no problem.
pub fn load_keymap(
    path: Option<&std::path::Path>,
) -> (crate::console::keymap::Keymap, Vec<String>) {
    let keymap = crate::console::keymap::Keymap::default();
    let (path, explicit) = match path {
        Some(p) => (p.to_path_buf(), true),
        None => (default_config_path(), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return (keymap, Vec::new());
        }
        Err(e) => return (keymap, vec![format!("cannot read {}: {e}", path.display())]),
    };
    match toml::from_str::<SettingsFile>(&text) {
        Ok(file) => keymap.with_overrides(&file.keys),
        Err(e) => (keymap, vec![format!("{}: {}", path.display(), e.message())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[keys.users]\ncreate_user = [\"n\"]\n").unwrap();
        let (_, problems) = load_keymap(Some(&path));
        assert!(problems.is_empty(), "{problems:?}");
        std::fs::write(&path, "[keys.users\n").unwrap();
        let (_, problems) = load_keymap(Some(&path));
        assert_eq!(problems.len(), 1);
        std::fs::write(&path, "colour = 3\n").unwrap();
        let (_, problems) = load_keymap(Some(&path));
        assert!(problems[0].contains("colour"), "{problems:?}");
        let (_, problems) = load_keymap(Some(&dir.path().join("missing.toml")));
        assert!(problems[0].contains("cannot read"));
    }
}
