//! The console served over SSH, reached with the real OpenSSH client (`ssh`, from
//! Debian's openssh-client, which the test command installs) in a pseudo-terminal, as an
//! admin reaches it: keys made by `ssh-keygen`, the host key checked against the one the
//! server printed, the screen read back through a terminal emulator.
#![cfg(unix)]

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::pty::Pty;
use nix::sys::signal::Signal;
use portable_pty::CommandBuilder;

fn tool(name: &str) -> PathBuf {
    for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
        let path = Path::new(dir).join(name);
        if path.exists() {
            return path;
        }
    }
    panic!(
        "{name} is not installed: run the README's test command (scripts/test), which installs Debian's openssh-client"
    );
}

/// `ssh-keygen -t ed25519` for `name`, its comment `name@team`; the private key's path.
fn make_key(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new(tool("ssh-keygen"))
        .args(["-q", "-t", "ed25519", "-N", "", "-C"])
        .arg(format!("{name}@team"))
        .arg("-f")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    path
}

fn public(key: &Path) -> String {
    std::fs::read_to_string(key.with_extension("pub")).unwrap()
}

fn write_private(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// `cognito-console ssh` on a fresh store: ana's key may change pools, bob's reads only,
/// eve's is in no file.
struct Server {
    child: Child,
    port: u16,
    stdout: Arc<Mutex<Vec<String>>>,
    dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for who in ["ana", "bob", "eve"] {
            make_key(dir.path(), who);
        }
        write_private(
            &dir.path().join("authorized_keys"),
            &format!("# the team\n{}", public(&dir.path().join("ana"))),
        );
        write_private(
            &dir.path().join("read_only_keys"),
            &public(&dir.path().join("bob")),
        );
        Self::start_in(dir)
    }

    fn start_in(dir: tempfile::TempDir) -> Self {
        Self::start_with(dir, &[])
    }

    /// As `start_in`, with `extra` options of `ssh` (`--login-grace 2`).
    fn start_with(dir: tempfile::TempDir, extra: &[&str]) -> Self {
        let p = |name: &str| dir.path().join(name);
        let mut child = Command::new(common::binary())
            .arg("--db")
            .arg(p("store.db"))
            .arg("--log-file")
            .arg(p("server.log"))
            .args(["ssh", "--listen", "127.0.0.1:0", "--authorized-keys"])
            .arg(p("authorized_keys"))
            .arg("--read-only-keys")
            .arg(p("read_only_keys"))
            .arg("--host-key")
            .arg(p("host_key"))
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start cognito-console ssh");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("a first line").unwrap();
        let port = first
            .strip_prefix("listening on ssh://127.0.0.1:")
            .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
            .parse()
            .unwrap();
        let host_key = lines.next().expect("the host key's line").unwrap();
        assert!(host_key.starts_with("host key SHA256:"), "{host_key}");
        let stdout = Arc::new(Mutex::new(vec![first, host_key]));
        let sink = Arc::clone(&stdout);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        // The client trusts exactly the host key the server made.
        let host = public(&p("host_key"));
        std::fs::write(p("known_hosts"), format!("[127.0.0.1]:{port} {host}")).unwrap();
        Self {
            child,
            port,
            stdout,
            dir,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn ssh_args(&self, who: &str) -> Vec<String> {
        let s = |p: PathBuf| p.to_str().unwrap().to_string();
        vec![
            "-F".into(),
            "/dev/null".into(),
            "-p".into(),
            self.port.to_string(),
            "-i".into(),
            s(self.path(who)),
            "-o".into(),
            "IdentitiesOnly=yes".into(),
            "-o".into(),
            "BatchMode=yes".into(),
            "-o".into(),
            format!("UserKnownHostsFile={}", s(self.path("known_hosts"))),
            "-o".into(),
            "StrictHostKeyChecking=yes".into(),
            format!("{who}@127.0.0.1"),
        ]
    }

    /// `who` signs in from a 100x30 terminal.
    fn console(&self, who: &str) -> Pty {
        let mut cmd = CommandBuilder::new(tool("ssh"));
        cmd.args(self.ssh_args(who));
        Pty::spawn(cmd, 100, 30)
    }

    /// `ssh` without a terminal, with `extra` after the destination (a command).
    fn run(&self, who: &str, before: &[&str], extra: &[&str]) -> std::process::Output {
        Command::new(tool("ssh"))
            .args(before)
            .args(self.ssh_args(who))
            .args(extra)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// `cognito-console audit` on the server's store.
    fn audit(&self, extra: &[&str]) -> String {
        let out = Command::new(common::binary())
            .arg("--db")
            .arg(self.path("store.db"))
            .arg("--log-file")
            .arg(self.path("audit.log"))
            .arg("audit")
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// Waits until the audit log holds `text`.
    fn wait_audit(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let audit = self.audit(&[]);
            if audit.contains(text) {
                return audit;
            }
            assert!(
                Instant::now() < deadline,
                "the audit log never said {text:?}:\n{audit}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn fingerprint(&self, who: &str) -> String {
        let out = Command::new(tool("ssh-keygen"))
            .arg("-lf")
            .arg(self.path(who).with_extension("pub"))
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        text.split_whitespace().nth(1).unwrap().to_string()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.path("server.log")).unwrap_or_default()
    }

    /// SIGTERM, and the exit status.
    fn stop(&mut self) -> std::process::ExitStatus {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        nix::sys::signal::kill(pid, Signal::SIGTERM).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_authorized_key_gets_the_console_and_creates_a_user() {
    let server = Server::start();
    let mut ana = server.console("ana");
    ana.wait_for("Demo pool");
    ana.wait_for("1 of about 50");
    ana.send(b"c");
    ana.wait_for("Create user");
    ana.send(b"ssh.user");
    // Username -> SMS -> email -> temporary password -> phone number.
    for _ in 0..3 {
        ana.send(b"\t");
    }
    ana.send(b"Secret#Pass123");
    ana.send(b"\t");
    ana.send(b"+15555550142");
    ana.send(b"\x13"); // ctrl-s
    ana.wait_for("Created ssh.user: FORCE_CHANGE_PASSWORD");
    assert!(
        !ana.screen().contains("Secret#Pass123"),
        "the password is masked"
    );
    ana.send(b"\x1b");
    ana.wait_for("of about 51");
    // The console shows its own audit log.
    ana.send(b"A");
    ana.wait_for("Audit log");
    ana.wait_for("ana@team  create user ssh.user  local_");
    ana.send(b"\x1b");
    ana.send(b"q");
    assert!(ana.wait_exit().success());
    ana.assert_terminal_restored();

    let audit = server.wait_audit("sign out  [done]");
    let fingerprint = server.fingerprint("ana");
    assert!(
        audit.contains("ana@team  create user ssh.user in local_"),
        "{audit}"
    );
    assert!(
        audit.contains(&format!("by ana@team ({fingerprint}) from ssh 127.0.0.1:")),
        "{audit}"
    );
    for line in [
        "phone_number: +15555550142",
        "temporary password: chosen by the admin (not recorded)",
        "done: status FORCE_CHANGE_PASSWORD",
        "console that may change pools",
        "    quit",
    ] {
        assert!(audit.contains(line), "{line}: {audit}");
    }
    for secret_place in [audit, server.log()] {
        assert!(!secret_place.contains("Secret#Pass123"), "{secret_place}");
    }
}

/// `y` over SSH: the OSC 52 sequence goes to the admin's own terminal, at the other end
/// of the connection, not to any clipboard of the server's.
#[test]
fn y_copies_to_the_admins_own_terminal() {
    let server = Server::start();
    let mut ana = server.console("ana");
    ana.wait_for("1 of about 50");
    ana.send(b"4");
    ana.wait_for("admins");
    ana.send(b"y");
    ana.wait_for("(OSC 52)");
    // base64("arn:aws:iam::123456789012:role/demo-admins")
    ana.wait_for_output(
        "\u{1b}]52;c;YXJuOmF3czppYW06OjEyMzQ1Njc4OTAxMjpyb2xlL2RlbW8tYWRtaW5z\u{7}",
    );
    ana.send(b"q");
    assert!(ana.wait_exit().success());
}

#[test]
fn an_unknown_key_is_refused() {
    let server = Server::start();
    let out = server.run("eve", &[], &[]);
    assert_eq!(out.status.code(), Some(255), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Permission denied (publickey)"), "{said}");
    let eve = server.fingerprint("eve");
    let log = server.log();
    assert!(log.contains(&eve) && log.contains("refused a key"), "{log}");
    assert_eq!(server.audit(&[]), "no entries yet\n");
    // A key taken out of the file is refused from the next connection on.
    let mut ana = server.console("ana");
    ana.wait_for("1 of about 50");
    ana.send(b"q");
    assert!(ana.wait_exit().success());
    write_private(&server.path("authorized_keys"), "");
    let out = server.run("ana", &[], &[]);
    assert_eq!(out.status.code(), Some(255), "{out:?}");
}

#[test]
fn a_read_only_key_cannot_write() {
    let server = Server::start();
    let mut bob = server.console("bob");
    bob.wait_for("READ-ONLY");
    bob.wait_for("1 of about 50");
    let bar = bob.screen();
    assert!(
        !bar.contains("create user"),
        "no key that writes is shown:\n{bar}"
    );
    bob.send(b"c");
    bob.wait_for("read-only: create user is disabled");
    // The reason is bob's key, not a --read-only this server was not started with.
    bob.wait_for("your SSH key is a read-only one");
    assert!(!bob.screen().contains("--read-only"), "{}", bob.screen());
    bob.send(b"d");
    bob.wait_for("read-only: enable / disable is disabled");
    bob.send(b"q");
    assert!(bob.wait_exit().success());
    let audit = server.wait_audit("sign out");
    assert!(audit.contains("bob@team  sign in"), "{audit}");
    assert!(audit.contains("read-only console"), "{audit}");
    assert!(!audit.contains("create user"), "{audit}");
}

#[test]
fn each_connection_is_a_console_of_its_own() {
    let server = Server::start();
    let mut first = server.console("ana");
    let mut second = server.console("ana");
    first.wait_for("1 of about 50");
    second.wait_for("1 of about 50");
    first.send(b"1");
    first.wait_for("Minimum length");
    assert!(
        second.screen().contains("Account status"),
        "{}",
        second.screen()
    );
    // A resize redraws that console alone, at its new size.
    let wide = |screen: &str| screen.lines().any(|l| l.trim_end().chars().count() > 100);
    second.resize(140, 40);
    second.wait_until("a line wider than 100 columns", wide);
    assert!(!wide(&first.screen()));
    for s in [&mut first, &mut second] {
        s.send(b"q");
        assert!(s.wait_exit().success());
    }
    let audit = server.wait_audit("sign out");
    assert_eq!(audit.matches("sign in  [done]").count(), 2, "{audit}");
}

#[test]
fn a_dropped_connection_leaves_nothing_behind() {
    let server = Server::start();
    let mut ana = server.console("ana");
    ana.wait_for("1 of about 50");
    ana.send(b"c");
    ana.wait_for("Create user");
    ana.signal(Signal::SIGKILL);
    ana.wait_exit();
    let audit = server.wait_audit("the connection closed");
    assert!(audit.contains("ana@team  sign out  [done]"), "{audit}");
    // The server goes on serving.
    let mut again = server.console("ana");
    again.wait_for("1 of about 50");
    again.send(b"q");
    assert!(again.wait_exit().success());
}

#[test]
fn commands_and_connections_without_a_terminal_are_told_what_this_serves() {
    let server = Server::start();
    for (before, after) in [(&[][..], &["ls", "/"][..]), (&["-T"][..], &[][..])] {
        let out = server.run("ana", before, after);
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("connect with ssh -t"), "{said}");
    }
}

#[test]
fn the_server_stops_cleanly_and_keeps_its_host_key() {
    let mut server = Server::start();
    let mut ana = server.console("ana");
    ana.wait_for("1 of about 50");
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    ana.wait_exit();
    ana.assert_screen_given_back();
    ana.wait_for_output("the server is stopping");
    let said = server.stdout.lock().unwrap().clone();
    assert_eq!(said.last().map(String::as_str), Some("stopped"), "{said:?}");
    let audit = server.audit(&[]);
    assert!(audit.contains("the server stopped"), "{audit}");
    // Started again on the same files: the same host key (the client still trusts it).
    let host_key = said[1].clone();
    let dir = std::mem::replace(&mut server.dir, tempfile::tempdir().unwrap());
    drop(server);
    let again = Server::start_in(dir);
    assert_eq!(again.stdout.lock().unwrap()[1], host_key);
    let mut ana = again.console("ana");
    ana.wait_for("1 of about 50");
    ana.send(b"q");
    assert!(ana.wait_exit().success());
}

#[test]
fn it_listens_on_loopback_unless_told_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("authorized_keys");
    write_private(&keys, "");
    let out = Command::new(common::binary())
        .arg("--db")
        .arg(dir.path().join("store.db"))
        .arg("--log-file")
        .arg(dir.path().join("log"))
        .args(["ssh", "--listen", "0.0.0.0:0", "--authorized-keys"])
        .arg(&keys)
        .arg("--host-key")
        .arg(dir.path().join("host_key"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("pass --allow-remote"), "{said}");
    assert!(
        !dir.path().join("host_key").exists(),
        "checked before anything is made"
    );
}

/// 128 connections that send nothing, from one address, lock nobody out: those past that
/// address's budget of connections not signed in are closed as they come, an admin
/// from another address signs in at once, and the rest are dropped when the grace
/// (counted from the accept, before any byte) runs out.
#[test]
fn silent_connections_cannot_lock_the_admins_out() {
    let dir = tempfile::tempdir().unwrap();
    make_key(dir.path(), "ana");
    write_private(
        &dir.path().join("authorized_keys"),
        &public(&dir.path().join("ana")),
    );
    write_private(&dir.path().join("read_only_keys"), "");
    let server = Server::start_with(dir, &["--login-grace", "3"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let port = server.port;
    let flood: Vec<tokio::net::TcpStream> = runtime.block_on(async {
        let mut held = Vec::new();
        for _ in 0..128 {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            held.push(
                socket
                    .connect(format!("127.0.0.1:{port}").parse().unwrap())
                    .await
                    .unwrap(),
            );
        }
        held
    });
    // The admin, from 127.0.0.1, gets the console while the flood is held.
    let started = Instant::now();
    let mut ana = server.console("ana");
    ana.wait_for("1 of about 50");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // How many of the flood are closed: at once, all but the address's budget; after
    // the grace, all of them.
    let closed = |flood: &mut Vec<tokio::net::TcpStream>, within: Duration| {
        runtime.block_on(async {
            let mut n = 0;
            for s in flood.iter_mut() {
                use tokio::io::AsyncReadExt;
                let mut buf = [0u8; 256];
                let ended = tokio::time::timeout(within, async {
                    loop {
                        match s.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(_) => continue, // the server's version line
                        }
                    }
                })
                .await;
                n += usize::from(ended.is_ok());
            }
            n
        })
    };
    let mut flood = flood;
    let early = closed(&mut flood, Duration::from_millis(20));
    assert!(early >= 128 - 8, "{early} closed at once");
    let all = closed(&mut flood, Duration::from_secs(5));
    assert_eq!(all, 128, "the grace closed the rest");
    let log = server.log();
    assert!(
        log.contains("connections from 127.0.0.2 are not signed in yet"),
        "{log}"
    );
    ana.send(b"q");
    assert!(ana.wait_exit().success());
}
