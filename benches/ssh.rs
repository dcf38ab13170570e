//! The console over SSH: the time from `ssh` connecting to the first frame and to the
//! first page of users, the bytes one cursor move sends and the time from the key to
//! its frame, with 1 and with 20 sessions at once. Beside it in the same run, the way
//! admins reach the console without it: OpenSSH's sshd (Debian's openssh-server) on
//! loopback, running `cognito-console` as each session's command on the same store.
//! Both are reached by the same OpenSSH client in an 80x24 pseudo-terminal, with the
//! same key, and measured at the client's terminal.
//!
//! Run with `scripts/bench ssh` (which installs openssh-server) or `cargo bench --bench
//! ssh`. `BENCH_SSH_SESSIONS` sets the larger count (default 20).

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Cursor moves down the demo pool's 50 users: the first ones within the screen (two
/// rows and the position change), the rest scrolling the list (every row changes).
const IN_VIEW: usize = 12;
const MOVES: usize = 40;
/// The pace of the moves: 20 a second, a key held down (each one waits for the frame of
/// the last), in every session at once.
const PACE: Duration = Duration::from_millis(50);

/// What a session's terminal shows, kept up to date by its reader thread.
#[derive(Default)]
struct Seen {
    screen: String,
    bytes: u64,
    /// When `screen` last changed.
    at: Option<Instant>,
}

struct Session {
    seen: Arc<Mutex<Seen>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn connect(args: &[String]) -> (Self, Instant) {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new("ssh");
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        let start = Instant::now();
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let seen = Arc::new(Mutex::new(Seen::default()));
        let sink = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut parser = vt100::Parser::new(24, 80, 0);
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.process(&buf[..n]);
                let mut s = sink.lock().unwrap();
                s.bytes += n as u64;
                s.screen = parser.screen().contents();
                s.at = Some(Instant::now());
            }
        });
        let writer = pty.master.take_writer().unwrap();
        let session = Self {
            seen,
            writer,
            child,
            _master: pty.master,
        };
        (session, start)
    }

    /// When the screen first showed `text`.
    fn wait_for(&self, text: &str) -> Instant {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            {
                let s = self.seen.lock().unwrap();
                if s.screen.contains(text) {
                    return s.at.unwrap();
                }
            }
            assert!(
                Instant::now() < deadline,
                "never showed {text:?}:\n{}",
                self.seen.lock().unwrap().screen
            );
            std::thread::sleep(Duration::from_micros(300));
        }
    }

    fn bytes(&self) -> u64 {
        self.seen.lock().unwrap().bytes
    }

    fn send(&mut self, bytes: &[u8]) -> Instant {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        Instant::now()
    }
}

/// One session's figures.
struct Figures {
    first_frame: Duration,
    first_page: Duration,
    /// Bytes a move sends while the cursor stays within the screen, and while it
    /// scrolls the list.
    bytes_in_view: f64,
    bytes_scrolling: f64,
    key_to_frame: Vec<Duration>,
}

/// Connects, waits for the first page, moves the cursor down `MOVES` times at `PACE`,
/// and quits.
fn one_session(args: Vec<String>, go: Arc<std::sync::Barrier>) -> Figures {
    go.wait();
    let (mut s, start) = Session::connect(&args);
    let first_frame = s.wait_for("Cognito Console") - start;
    let first_page = s.wait_for("1 of about 50") - start;
    let start_bytes = s.bytes();
    let mut in_view = 0;
    let mut key_to_frame = Vec::new();
    for k in 0..MOVES {
        if k == IN_VIEW {
            in_view = s.bytes() - start_bytes;
        }
        let sent = s.send(b"j");
        let shown = s.wait_for(&format!("{} of about 50", k + 2));
        key_to_frame.push(shown.saturating_duration_since(sent));
        std::thread::sleep(PACE.saturating_sub(sent.elapsed()));
    }
    let scrolling = s.bytes() - start_bytes - in_view;
    s.send(b"q");
    let _ = s.child.wait();
    Figures {
        first_frame,
        first_page,
        bytes_in_view: in_view as f64 / IN_VIEW as f64,
        bytes_scrolling: scrolling as f64 / (MOVES - IN_VIEW) as f64,
        key_to_frame,
    }
}

/// `n` sessions at once; a single one five times over, one after another.
fn measured(args: &[String], n: usize) -> Vec<Figures> {
    let runs = if n == 1 { 5 } else { 1 };
    (0..runs).flat_map(|_| sessions(args, n)).collect()
}

fn sessions(args: &[String], n: usize) -> Vec<Figures> {
    let go = Arc::new(std::sync::Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let (args, go) = (args.to_vec(), Arc::clone(&go));
            std::thread::spawn(move || one_session(args, go))
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn quantile(mut v: Vec<Duration>, q: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn row(name: &str, n: usize, figures: &[Figures]) {
    let frames: Vec<Duration> = figures.iter().map(|f| f.first_frame).collect();
    let pages: Vec<Duration> = figures.iter().map(|f| f.first_page).collect();
    let keys: Vec<Duration> = figures
        .iter()
        .flat_map(|f| f.key_to_frame.clone())
        .collect();
    let mean = |f: fn(&Figures) -> f64| figures.iter().map(f).sum::<f64>() / figures.len() as f64;
    let (in_view, scrolling) = (mean(|f| f.bytes_in_view), mean(|f| f.bytes_scrolling));
    println!(
        "| {name} | {n} | {} (max {}) | {} (max {}) | {in_view:.0} / {scrolling:.0} | {:.1} ms (p95 {:.1}) |",
        ms(quantile(frames.clone(), 0.5)),
        ms(quantile(frames, 1.0)),
        ms(quantile(pages.clone(), 0.5)),
        ms(quantile(pages, 1.0)),
        quantile(keys.clone(), 0.5).as_secs_f64() * 1000.0,
        quantile(keys, 0.95).as_secs_f64() * 1000.0,
    );
}

fn keygen(path: &Path, comment: &str) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .status()
        .expect("ssh-keygen (openssh-client)");
    assert!(status.success());
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn client_args(dir: &Path, port: u16, user: &str) -> Vec<String> {
    let p = |name: &str| dir.join(name).to_str().unwrap().to_string();
    [
        "-F",
        "/dev/null",
        "-p",
        &port.to_string(),
        "-i",
        &p("admin"),
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        &format!("{user}@127.0.0.1"),
    ]
    .map(String::from)
    .to_vec()
}

/// `cognito-console ssh` on the store; its port.
fn ours(dir: &Path, db: &Path) -> (Child, u16) {
    let mut child = Command::new(common::binary())
        .arg("--db")
        .arg(db)
        .arg("--log-file")
        .arg(dir.join("ssh.log"))
        .args(["ssh", "--listen", "127.0.0.1:0", "--authorized-keys"])
        .arg(dir.join("authorized_keys"))
        .arg("--host-key")
        .arg(dir.join("host_key"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().rsplit(':').next().unwrap().parse().unwrap();
    (child, port)
}

fn sshd_binary() -> Option<PathBuf> {
    ["/usr/sbin/sshd", "/usr/bin/sshd"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// OpenSSH's sshd with `cognito-console` as every session's command; its port.
fn peer(sshd: &Path, dir: &Path, db: &Path) -> (Child, u16) {
    keygen(&dir.join("sshd_host_key"), "sshd");
    let port = free_port();
    let config = dir.join("sshd_config");
    let console = format!(
        "{} --db {} --log-file {}",
        common::binary().display(),
        db.display(),
        dir.join("console.log").display()
    );
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\n\
             PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
             StrictModes no\nPidFile none\nPrintMotd no\nPrintLastLog no\n\
             MaxStartups 100:30:200\nMaxSessions 100\nLogLevel ERROR\nForceCommand {console}\n",
            dir.join("sshd_host_key").display(),
            dir.join("authorized_keys").display(),
        ),
    )
    .unwrap();
    std::fs::create_dir_all("/run/sshd").ok();
    let child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    // Ready once it greets (a connection closed unread would be logged as an error).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let mut banner = String::new();
            let _ = BufReader::new(&stream).read_line(&mut banner);
            if banner.starts_with("SSH-2.0-") {
                let _ = (&stream).write_all(b"SSH-2.0-probe\r\n");
                break;
            }
        }
        assert!(Instant::now() < deadline, "sshd did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, port)
}

fn main() {
    let many: usize = std::env::var("BENCH_SSH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    // The demo pool, made before either server starts.
    drop(common::demo_store(&db));
    keygen(&dir.path().join("admin"), "admin@bench");
    std::fs::copy(
        dir.path().join("admin.pub"),
        dir.path().join("authorized_keys"),
    )
    .unwrap();
    // sshd signs in the account that runs it (ours ignores the name).
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();

    let mut rows = Vec::new();
    eprintln!("cognito-console ssh...");
    let (mut server, port) = ours(dir.path(), &db);
    let args = client_args(dir.path(), port, &user);
    sessions(&args, 1); // warm: the first start-up pages the store in
    for n in [1, many] {
        rows.push(("cognito-console ssh", n, measured(&args, n)));
    }
    let _ = server.kill();
    let _ = server.wait();

    match sshd_binary() {
        Some(sshd) => {
            eprintln!("sshd running cognito-console...");
            let (mut server, port) = peer(&sshd, dir.path(), &db);
            let args = client_args(dir.path(), port, &user);
            sessions(&args, 1);
            for n in [1, many] {
                rows.push(("sshd + cognito-console", n, measured(&args, n)));
            }
            let _ = server.kill();
            let _ = server.wait();
        }
        None => eprintln!("no sshd: install openssh-server (scripts/bench ssh does) for the peer"),
    }

    println!();
    println!(
        "| server | sessions at once | ssh start → first frame (median, max) | → first page of users | bytes per cursor move (in view / scrolling) | key → its frame (median, p95) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, n, figures) in &rows {
        row(name, *n, figures);
    }
}
