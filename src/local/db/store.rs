//! The SQLite file that holds pools, users and the invitation outbox.
//!
//! One connection behind a mutex: every operation is one transaction (`BEGIN
//! IMMEDIATE`, so writers never deadlock on an upgrade), WAL so that a killed process
//! leaves only whole transactions behind, and a file readable by its owner only.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use rusqlite_migration::Migrations;

use crate::lambda::Lambda;
use crate::local::db::migrations::MIGRATIONS;

use crate::local::wire::error::ApiError;

pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot prepare {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot migrate database {path}: {source}")]
    Migration {
        path: PathBuf,
        source: rusqlite_migration::Error,
    },
    #[error(
        "the database {path} is damaged ({problem}); it is not served or written to: \
         restore it from a copy, or move it aside to start afresh"
    )]
    Damaged { path: PathBuf, problem: String },
}

/// A file up to this size is checked before it is opened; a larger one (a pool of a
/// million users is a few hundred MB) is checked on a thread of its own while it
/// serves, so the check never slows a start, and is shut off if the check fails.
const CHECK_FIRST_BYTES: u64 = 64 << 20;

/// SQLite's `quick_check` (every page's structure, without the slower cross-checks of
/// the indexes' contents against the tables): its first problem, or None when sound.
fn quick_check(conn: &Connection) -> Result<Option<String>, rusqlite::Error> {
    let mut stmt = conn.prepare("PRAGMA quick_check(1)")?;
    let first: String = stmt.query_row([], |r| r.get(0))?;
    Ok((first != "ok").then_some(first))
}

pub struct Store {
    conn: Mutex<Connection>,
    clock: Clock,
    path: Option<PathBuf>,
    /// How the pools' Lambda triggers are called; None: they cannot be, and a pool that
    /// names a function gets UnexpectedLambdaException when it would run.
    lambda: Option<Arc<Lambda>>,
    /// Set when the integrity check run after opening found damage: every read and
    /// write is refused with it from then on.
    damaged: Arc<std::sync::OnceLock<String>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path`. A new file and its directory
    /// are private to their owner.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_checked(path, CHECK_FIRST_BYTES)
    }

    /// As [`Store::open`], checking the file before serving it only up to
    /// `check_first` bytes (and on a thread of its own beyond).
    pub fn open_checked(path: &Path, check_first: u64) -> Result<Self, StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io)?;
        }
        create_private_file(path).map_err(io)?;
        // Several processes may open a new database at once (two `serve`s, a console and
        // a `serve`): one sets it up and migrates it while the others wait. The lock is
        // an advisory flock on the file, apart from SQLite's own locks; it is released
        // when `guard` drops, once the schema is current.
        let guard = std::fs::File::open(path).map_err(io)?;
        guard.lock().map_err(io)?;
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        })?;
        // A small file is checked before anything (a migration) writes to it.
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if size <= check_first {
            let damaged = |problem: String| StoreError::Damaged {
                path: path.to_path_buf(),
                problem,
            };
            if let Some(problem) = quick_check(&conn).map_err(|e| damaged(e.to_string()))? {
                return Err(damaged(problem));
            }
        }
        let store = Self::from_connection(conn, Some(path.to_path_buf()))?;
        drop(guard);
        if size > check_first {
            store.check_aside(path);
        }
        Ok(store)
    }

    /// Checks a large file's integrity on a thread of its own while it serves; damage
    /// found shuts the store off.
    fn check_aside(&self, path: &Path) {
        let (path, slot) = (path.to_path_buf(), Arc::clone(&self.damaged));
        std::thread::spawn(move || {
            // The check reads the whole file; the work the store is opened for goes first
            // (on Linux the nice value is the thread's own).
            #[cfg(target_os = "linux")]
            let _ = rustix::process::nice(19);
            let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
            let found = Connection::open_with_flags(&path, flags)
                .and_then(|conn| quick_check(&conn))
                .unwrap_or_else(|e| Some(e.to_string()));
            if let Some(problem) = found {
                let text = StoreError::Damaged { path, problem }.to_string();
                tracing::error!(message = %text, "integrity check");
                let _ = slot.set(text);
            }
        });
    }

    /// The damage the integrity check found, as the answer to every call.
    fn refuse_if_damaged(&self) -> Result<(), ApiError> {
        match self.damaged.get() {
            Some(text) => Err(ApiError::new(
                crate::local::wire::error::ErrorCode::InternalError,
                text.clone(),
            )),
            None => Ok(()),
        }
    }

    /// Runs `f` while holding the database file's advisory lock, so that set-up work
    /// another process might do at the same moment (migrating, seeding the demo pool) is
    /// done once. An in-memory store has no other process to wait for.
    pub fn exclusive<T>(&self, f: impl FnOnce() -> T) -> Result<T, StoreError> {
        let Some(path) = &self.path else {
            return Ok(f());
        };
        let io = |source| StoreError::Io {
            path: path.clone(),
            source,
        };
        let guard = std::fs::File::open(path).map_err(io)?;
        guard.lock().map_err(io)?;
        Ok(f())
    }

    /// A throwaway store, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: PathBuf::from(":memory:"),
            source,
        })?;
        Self::from_connection(conn, None)
    }

    fn from_connection(mut conn: Connection, path: Option<PathBuf>) -> Result<Self, StoreError> {
        let shown = path.clone().unwrap_or_else(|| PathBuf::from(":memory:"));
        let sqlite = |source| StoreError::Sqlite {
            path: shown.clone(),
            source,
        };
        // WAL + NORMAL: a committed transaction survives the process being killed (it is
        // in the WAL before COMMIT returns); only a power cut can lose the last few.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite)?;
        // Every statement the store runs stays prepared (`prepare_cached`).
        conn.set_prepared_statement_cache_capacity(256);
        // 64 MB of pages (SQLite's default is 2 MB): a pool of a million users has
        // indexes far larger than that, and imports and scans touch them all.
        conn.pragma_update(None, "cache_size", -65_536)
            .map_err(sqlite)?;
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .map_err(|source| StoreError::Migration {
                path: shown.clone(),
                source,
            })?;
        Ok(Self {
            conn: Mutex::new(conn),
            clock: Arc::new(SystemTime::now),
            path,
            lambda: None,
            damaged: Arc::default(),
        })
    }

    /// Replaces the clock, so tests can move time (temporary-password expiry).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Calls the pools' Lambda triggers through `lambda`.
    pub fn with_lambda(mut self, lambda: Arc<Lambda>) -> Self {
        self.lambda = Some(lambda);
        self
    }

    pub fn lambda(&self) -> Option<&Lambda> {
        self.lambda.as_deref()
    }

    pub fn now(&self) -> SystemTime {
        (self.clock)()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// `mb` megabytes of SQLite page cache instead of the 64 `serve` keeps. A console
    /// reads one page of users at a time; a cache it filled while scrolling through a
    /// large pool would be memory held for pages it has left behind.
    pub fn with_page_cache(self, mb: i64) -> Result<Self, ApiError> {
        self.lock().pragma_update(None, "cache_size", -mb * 1024)?;
        Ok(self)
    }

    /// A connection for bulk work (an import job's own): `mb` megabytes of page cache,
    /// so a million users' indexes stay in memory while they grow, and a checkpoint
    /// every 200 MB of WAL instead of every 4 MB (an index page written by many batches
    /// goes to the database file once per checkpoint, not once per batch). The WAL is
    /// reset after each checkpoint.
    pub fn for_bulk(self, mb: i64) -> Result<Self, ApiError> {
        {
            let conn = self.lock();
            conn.pragma_update(None, "cache_size", -mb * 1024)?;
            conn.pragma_update(None, "wal_autocheckpoint", 50_000)?;
        }
        Ok(self)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock dropped its transaction, which rolled back: the
        // connection is still sound.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in a read transaction.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.refuse_if_damaged()?;
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        f(&tx)
    }

    /// Runs `f` in one write transaction: all of it is stored, or none of it.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.refuse_if_damaged()?;
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// Creates `dir` and any missing parents private to their owner (0700): the program's
/// data, logs and keys live in them. A directory that exists is left as it is.
#[cfg(unix)]
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.exists() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Creates the file 0600 before SQLite opens it (SQLite gives its -wal and -shm files
/// the same mode as the database).
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn create_private_file(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn new_database_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/store.db");
        let store = Store::open(&path).unwrap();
        store
            .write(|tx| Ok(tx.execute("CREATE TABLE probe (x)", [])?))
            .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let wal = path.with_extension("db-wal");
        if wal.exists() {
            assert_eq!(mode(&wal), 0o600);
        }
    }

    #[test]
    fn reopening_keeps_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(Store::open(&path).unwrap());
        let store = Store::open(&path).unwrap();
        let n: i64 = store
            .read(|tx| Ok(tx.query_row("SELECT count(*) FROM user_pools", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(n, 0);
    }
}
