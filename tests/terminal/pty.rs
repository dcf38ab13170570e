//! Real-terminal tests: the built binary in a pseudo-terminal, keys typed as bytes, the
//! screen read back through a terminal emulator (vt100).
#![cfg(unix)]

use crate::common;

use std::ops::{Deref, DerefMut};

use common::pty::Pty;
use portable_pty::CommandBuilder;

/// The console in a 100x30 terminal on a fresh store.
struct Session {
    pty: Pty,
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
}

impl Session {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let mut cmd = CommandBuilder::new(common::binary());
        cmd.args([
            "--db",
            db.to_str().unwrap(),
            "--log-file",
            dir.path().join("log").to_str().unwrap(),
        ]);
        Self {
            pty: Pty::spawn(cmd, 100, 30),
            _dir: dir,
            db,
        }
    }
}

impl Deref for Session {
    type Target = Pty;
    fn deref(&self) -> &Pty {
        &self.pty
    }
}

impl DerefMut for Session {
    fn deref_mut(&mut self) -> &mut Pty {
        &mut self.pty
    }
}

#[test]
fn create_a_user_end_to_end() {
    let mut s = Session::start();
    s.wait_for("Demo pool");
    s.wait_for("1 of about 50");
    s.send(b"c");
    s.wait_for("Create user");
    s.send(b"pty.user");
    // Username -> SMS -> email -> temporary password -> phone number.
    for _ in 0..4 {
        s.send(b"\t");
    }
    s.send(b"+15555550142");
    s.send(b"\x13"); // ctrl-s
    s.wait_for("Created pty.user: FORCE_CHANGE_PASSWORD");
    s.send(b"\x1b"); // esc
    s.wait_for("of about 51");
    s.send(b"q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_terminal_restored();

    let store = cognito_console::local::Store::open(&s.db).unwrap();
    let n: i64 = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM users WHERE username = 'pty.user'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn sighup_restores_the_terminal() {
    let mut s = Session::start();
    s.wait_for("1 of about 50");
    s.signal(nix::sys::signal::Signal::SIGHUP);
    s.wait_exit();
    s.assert_terminal_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = Session::start();
    s.wait_for("1 of about 50");
    s.send(b"c"); // in the middle of a form
    s.wait_for("Create user");
    s.signal(nix::sys::signal::Signal::SIGTERM);
    s.wait_exit();
    s.assert_terminal_restored();
}

/// `y` on the Users tab: the username reaches the terminal as OSC 52, which the
/// terminal (here the test's) puts on its clipboard.
#[test]
fn y_copies_through_the_terminal() {
    let mut s = Session::start();
    s.wait_for("1 of about 50");
    s.send(b"y");
    s.wait_for("(OSC 52)");
    // base64("aiko.tanaka"), the first user.
    s.wait_for_output("\u{1b}]52;c;YWlrby50YW5ha2E=\u{7}");
    s.send(b"q");
    assert!(s.wait_exit().success());
    s.assert_terminal_restored();
}

/// `export` to a terminal shows a user's control characters escaped, as `users` does:
/// an OSC title sequence in a name never reaches the terminal raw.
#[test]
fn export_to_a_terminal_escapes_control_characters() {
    use cognito_console::local::{Store, wire::api};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let store = Store::open(&db).unwrap();
    let pool = api::call(
        &store,
        &Default::default(),
        "CreateUserPool",
        &serde_json::json!({"PoolName": "p"}),
    )
    .unwrap()["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    api::call(
        &store,
        &Default::default(),
        "AdminCreateUser",
        &serde_json::json!({"UserPoolId": pool, "Username": "eve", "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": "name", "Value": "x\u{1b}]0;owned\u{7}y"}]}),
    )
    .unwrap();
    drop(store);
    let mut cmd = CommandBuilder::new(common::binary());
    cmd.args(["--db", db.to_str().unwrap(), "--pool", &pool, "export"]);
    let mut pty = Pty::spawn(cmd, 120, 30);
    pty.wait_exit();
    let out = pty.output();
    assert!(
        !out.windows(9).any(|w| w == b"\x1b]0;owned"),
        "the sequence reached the terminal: {:?}",
        String::from_utf8_lossy(&out)
    );
    assert!(
        String::from_utf8_lossy(&out).contains("x\\u{1b}]0;owned\\u{7}y"),
        "{:?}",
        String::from_utf8_lossy(&out)
    );
}
