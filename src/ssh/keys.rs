//! Who may sign in, and the server's own key.
//!
//! The authorized_keys files are OpenSSH's format, and are read again at every sign-in,
//! as sshd reads them: a key taken out of a file is refused from the next connection on,
//! without a restart. A key's comment names its admin. A line this server cannot honour
//! is not accepted: options (`from=`, `command=`, ...) would restrict a key in ways it
//! does not enforce, and a key without a comment would leave its admin unnamed. A file
//! that others than its owner may write is refused altogether, as sshd's StrictModes does.

use std::path::{Path, PathBuf};

use russh::keys::ssh_key::authorized_keys::Entry;
use russh::keys::ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey};

/// An admin a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// The key's comment.
    pub name: String,
    /// `SHA256:...`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    pub read_only: bool,
}

/// The keys one authorized_keys file allows, and the lines it skipped.
#[derive(Debug, Default)]
pub struct Parsed {
    pub keys: Vec<PublicKey>,
    pub skipped: Vec<String>,
}

/// Reads the text of an authorized_keys file: one key a line, `#` comments and blank
/// lines ignored.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let skip = |why: String| format!("line {}: {why}; the key is not accepted", n + 1);
        match line.parse::<Entry>() {
            Err(e) => parsed.skipped.push(skip(format!("not a public key ({e})"))),
            Ok(entry) if !entry.config_opts().is_empty() => parsed.skipped.push(skip(format!(
                "options ({}) are not supported",
                entry.config_opts().as_str()
            ))),
            Ok(entry) if entry.public_key().comment().is_empty() => parsed
                .skipped
                .push(skip("no comment names the admin".into())),
            Ok(entry) => parsed.keys.push(entry.public_key().clone()),
        }
    }
    parsed
}

/// The files keys are read from.
#[derive(Debug, Clone)]
pub struct KeyFiles {
    pub authorized: PathBuf,
    /// Keys here get a read-only console, even if they are in `authorized` too.
    pub read_only: Option<PathBuf>,
}

impl KeyFiles {
    /// Reads the files now: what each skipped, or why one cannot be used.
    pub fn check(&self) -> Result<Vec<String>, String> {
        let mut warnings = Vec::new();
        let mut keys = 0;
        for path in self.paths() {
            let parsed = read(path)?;
            keys += parsed.keys.len();
            warnings.extend(
                parsed
                    .skipped
                    .into_iter()
                    .map(|w| format!("{}: {w}", path.display())),
            );
        }
        if keys == 0 {
            warnings.push("no key in these files is accepted: nobody can sign in yet".into());
        }
        Ok(warnings)
    }

    fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        std::iter::once(&self.authorized).chain(&self.read_only)
    }

    /// The admin `key` belongs to, read from the files as they are now; None for a key
    /// in neither. A file that cannot be read, or may be written by others, lets nobody in.
    pub fn find(&self, key: &PublicKey) -> Result<Option<Known>, String> {
        // Both files are read whatever the key: either one unsafe lets nobody in.
        let read_only = self.read_only.as_deref().map(read).transpose()?;
        let authorized = read(&self.authorized)?;
        let matching = |file: &Parsed| {
            file.keys
                .iter()
                .find(|k| k.key_data() == key.key_data())
                .cloned()
        };
        let (found, read_only) = match read_only.as_ref().and_then(matching) {
            Some(k) => (Some(k), true),
            None => (matching(&authorized), false),
        };
        Ok(found.map(|k| Known {
            name: k.comment().as_str_lossy().to_string(),
            fingerprint: fingerprint(&k),
            read_only,
        }))
    }
}

pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

fn read(path: &Path) -> Result<Parsed, String> {
    let shown = path.display();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        if meta.mode() & 0o022 != 0 {
            return Err(format!(
                "{shown} may be written by others than its owner, so its keys are not trusted (chmod go-w {shown})"
            ));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    Ok(parse(&text))
}

/// The host key at `path`, made (Ed25519, 0600, with `PATH.pub` beside it) if there is
/// none yet, in a directory that must exist. A key others may read is refused, as sshd
/// refuses one.
pub fn host_key(path: &Path) -> Result<PrivateKey, String> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(meta) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                if meta.mode() & 0o077 != 0 {
                    return Err(format!(
                        "the host key {shown} may be read by others than its owner (chmod 600 {shown})"
                    ));
                }
            }
            #[cfg(not(unix))]
            let _ = meta;
            let key = PrivateKey::read_openssh_file(path)
                .map_err(|e| format!("cannot read the host key {shown}: {e}"))?;
            if key.is_encrypted() {
                return Err(format!(
                    "the host key {shown} is encrypted; give one without a passphrase"
                ));
            }
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => make_host_key(path),
        Err(e) => Err(format!("cannot read the host key {shown}: {e}")),
    }
}

fn make_host_key(path: &Path) -> Result<PrivateKey, String> {
    let shown = path.display();
    let failed = |e: &dyn std::fmt::Display| format!("cannot make the host key {shown}: {e}");
    let mut key = PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519)
        .map_err(|e| failed(&e))?;
    key.set_comment("cognito-console host key");
    let text = key.to_openssh(LineEnding::LF).map_err(|e| failed(&e))?;
    write_new(path, text.as_bytes(), 0o600).map_err(|e| failed(&e))?;
    let public = key.public_key().to_openssh().map_err(|e| failed(&e))?;
    write_new(
        &path.with_extension("pub"),
        format!("{public}\n").as_bytes(),
        0o644,
    )
    .map_err(|e| failed(&e))?;
    tracing::info!(path = %shown, fingerprint = %fingerprint(key.public_key()), "made a host key");
    Ok(key)
}

/// Writes a file that must not exist yet, created with `mode`.
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANA: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ15RbqeYHQqLJEGB0m54hjFYFXwpLXFV0rZ3mj95LQM ana@laptop";

    #[test]
    fn lines_it_cannot_honour_are_skipped_and_named() {
        let text = format!(
            "# the team\n\n{ANA}\nfrom=\"10.0.0.0/8\" {ANA}\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ15RbqeYHQqLJEGB0m54hjFYFXwpLXFV0rZ3mj95LQM\nnot a key\n"
        );
        let parsed = parse(&text);
        assert_eq!(parsed.keys.len(), 1);
        assert_eq!(parsed.keys[0].comment().as_str_lossy(), "ana@laptop");
        assert_eq!(parsed.skipped.len(), 3, "{:?}", parsed.skipped);
        assert!(parsed.skipped[0].starts_with("line 4: options (from=\"10.0.0.0/8\")"));
        assert!(parsed.skipped[1].starts_with("line 5: no comment names the admin"));
        assert!(parsed.skipped[2].starts_with("line 6: not a public key"));
    }

    #[cfg(unix)]
    #[test]
    fn read_only_wins_and_files_others_may_write_let_nobody_in() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let rw = dir.path().join("authorized_keys");
        let ro = dir.path().join("read_only_keys");
        std::fs::write(&rw, format!("{ANA}\n")).unwrap();
        std::fs::write(&ro, "").unwrap();
        for p in [&rw, &ro] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let files = KeyFiles {
            authorized: rw.clone(),
            read_only: Some(ro.clone()),
        };
        let key: PublicKey = ANA.parse().unwrap();
        let found = files.find(&key).unwrap().unwrap();
        assert_eq!(
            (found.name.as_str(), found.read_only),
            ("ana@laptop", false)
        );
        assert_eq!(found.fingerprint, fingerprint(&key));
        assert!(found.fingerprint.starts_with("SHA256:"));
        std::fs::write(&ro, format!("{ANA}\n")).unwrap();
        assert!(files.find(&key).unwrap().unwrap().read_only);
        std::fs::set_permissions(&rw, std::fs::Permissions::from_mode(0o666)).unwrap();
        let e = files.find(&key).unwrap_err();
        assert!(e.contains("chmod go-w"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn the_host_key_is_made_once_private_and_then_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ssh_host_ed25519_key");
        let made = host_key(&path).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        let again = host_key(&path).unwrap();
        assert_eq!(made.public_key(), again.public_key());
        let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
        assert!(public.starts_with("ssh-ed25519 "), "{public}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(host_key(&path).unwrap_err().contains("chmod 600"));
    }
}
