//! A real SMTP server for the mail relay's tests: aiosmtpd (installed into .venv by the
//! test command), running `tests/peers/smtp_sink.py`. Every message it takes is read
//! back as Python's email parser sees it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// One message as the server took it.
#[derive(Debug, Clone, Deserialize)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub from: String,
    pub reply_to: String,
    pub to: String,
    pub subject: String,
    pub content_type: String,
    pub body: String,
}

/// aiosmtpd on a free loopback port, stopped when dropped.
pub struct Sink {
    child: Child,
    pub port: u16,
    out: PathBuf,
    refuse: PathBuf,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sink {
    /// Starts the server, its files in `dir`; `refusing` makes it refuse every message
    /// (554) until [`Sink::accept`].
    pub fn start(dir: &Path, refusing: bool) -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let python = root.join(".venv/bin/python");
        assert!(
            python.exists(),
            "aiosmtpd is not installed: run the README's test command (scripts/test), which installs it into .venv"
        );
        let out = dir.join("received.jsonl");
        let refuse = dir.join("refuse");
        if refusing {
            std::fs::write(&refuse, b"").expect("refuse flag");
        }
        let mut child = Command::new(python)
            .arg(root.join("tests/peers/smtp_sink.py"))
            .arg("--out")
            .arg(&out)
            .arg("--refuse")
            .arg(&refuse)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the sink's first line");
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line from the sink: {line:?}"));
        Self {
            child,
            port,
            out,
            refuse,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// From now on the server takes messages.
    pub fn accept(&self) {
        std::fs::remove_file(&self.refuse).expect("remove the refuse flag");
    }

    /// Every message taken so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let Ok(text) = std::fs::read_to_string(&self.out) else {
            return Vec::new();
        };
        text.lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line from the sink"))
            .collect()
    }

    /// Waits (up to 20 s) until `n` messages have been taken; all of them.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "the SMTP server took {} of {n} messages: {got:#?}",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
