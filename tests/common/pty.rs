//! A program in a pseudo-terminal: keys typed as bytes, the screen read back through a
//! terminal emulator (vt100). The console itself runs in one (tests/terminal/pty.rs), and so
//! does the OpenSSH client that reaches it over SSH (tests/terminal/ssh.rs).
#![cfg(unix)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::termios::LocalFlags;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Pty {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    size: (u16, u16),
}

impl Pty {
    /// Starts `cmd` in a terminal of `cols` x `rows`, as xterm-256color.
    pub fn spawn(mut cmd: CommandBuilder, cols: u16, rows: u16) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
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
            size: (cols, rows),
        }
    }

    /// Everything the program wrote, as it wrote it.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// The screen as the terminal shows it now.
    pub fn screen(&self) -> String {
        let (cols, rows) = self.size;
        let mut parser = vt100::Parser::new(rows, cols, 0);
        parser.process(&self.output.lock().unwrap());
        parser.screen().contents()
    }

    /// Waits (up to 20 s) until the screen shows `text`.
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {text:?}:\n{}", self.screen());
    }

    /// Waits (up to 20 s) until the screen is as `looks` says, `what` naming it.
    pub fn wait_until(&self, what: &str, looks: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if looks(&self.screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the screen never showed {what}:\n{}", self.screen());
    }

    /// Waits (up to 20 s) until the program has written `text` (the screen may have
    /// moved on since).
    pub fn wait_for_output(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if String::from_utf8_lossy(&self.output()).contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the program never wrote {text:?}:\n{}",
            String::from_utf8_lossy(&self.output())
        );
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        // Esc is a prefix of every escape sequence: give the terminal a moment so the
        // next key is not read as alt-key.
        std::thread::sleep(Duration::from_millis(60));
    }

    /// The terminal is now `cols` x `rows` (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.size = (cols, rows);
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the program did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = self.child.process_id().expect("pid") as i32;
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal).unwrap();
    }

    /// After the console is done: the alternate screen was left and the cursor shown.
    pub fn assert_screen_given_back(&self) {
        let out = self.output();
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
    }

    /// After exit: the screen given back, and the terminal's modes (canonical input,
    /// echo) as they were before the program made them raw.
    pub fn assert_terminal_restored(&self) {
        self.assert_screen_given_back();
        let termios = self.master.get_termios().expect("termios");
        assert!(
            termios.local_flags.contains(LocalFlags::ICANON),
            "canonical mode back"
        );
        assert!(termios.local_flags.contains(LocalFlags::ECHO), "echo back");
    }
}
