//! Real-terminal tests: the built binary in a pseudo-terminal, keys typed as bytes, the
//! screen read back through a terminal emulator (vt100).
#![cfg(unix)]

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::termios::LocalFlags;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
}

impl Session {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(common::binary());
        cmd.args([
            "--db",
            db.to_str().unwrap(),
            "--log-file",
            dir.path().join("log").to_str().unwrap(),
        ]);
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        Self {
            child,
            master: pty.master,
            writer,
            output,
            _dir: dir,
            db,
        }
    }

    fn screen(&self) -> String {
        let mut parser = vt100::Parser::new(30, 100, 0);
        parser.process(&self.output.lock().unwrap());
        parser.screen().contents()
    }

    /// Waits (up to 20 s) until the screen shows `text`.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {text:?}:\n{}", self.screen());
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        // Esc is a prefix of every escape sequence: give the terminal a moment so the
        // next key is not read as alt-key.
        std::thread::sleep(Duration::from_millis(60));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the console did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = self.child.process_id().expect("pid") as i32;
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal).unwrap();
    }

    /// After exit: the alternate screen was left, the cursor shown, raw mode undone.
    fn assert_terminal_restored(&self) {
        let out = self.output.lock().unwrap().clone();
        let text = String::from_utf8_lossy(&out);
        let entered = text
            .find("\x1b[?1049h")
            .expect("entered the alternate screen");
        let left = text
            .rfind("\x1b[?1049l")
            .expect("left the alternate screen");
        assert!(left > entered);
        assert!(
            text[left..].contains("\x1b[?25h")
                || text[..left].rfind("\x1b[?25h").is_some_and(|i| i > entered),
            "cursor shown again"
        );
        let termios = self.master.get_termios().expect("termios");
        assert!(
            termios.local_flags.contains(LocalFlags::ICANON),
            "canonical mode back"
        );
        assert!(termios.local_flags.contains(LocalFlags::ECHO), "echo back");
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
