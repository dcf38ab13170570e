//! `cognito-console serve` as a process: loopback by default, a remote address refused
//! unless allowed, and a clean exit on SIGTERM and SIGINT.
#![cfg(unix)]

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

fn wait(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn stops_cleanly_on_sigterm_and_sigint() {
    for signal in [Signal::SIGTERM, Signal::SIGINT] {
        let dir = tempfile::tempdir().unwrap();
        let mut serve = common::spawn_serve(&dir.path().join("s.db"), &[]);
        assert!(serve.endpoint.starts_with("http://127.0.0.1:"));
        kill(Pid::from_raw(serve.child.id() as i32), signal).unwrap();
        let status = wait(&mut serve.child);
        assert!(status.success(), "{signal}: {status:?}");
        // The database is whole and holds the demo pool.
        let store = cognito_console::local::Store::open(&dir.path().join("s.db")).unwrap();
        let pools: i64 = store
            .read(|tx| Ok(tx.query_row("SELECT count(*) FROM user_pools", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(pools, 1);
    }
}

#[test]
fn refuses_a_remote_address_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(common::binary())
        .args(["--db", dir.path().join("s.db").to_str().unwrap()])
        .args(["--log-file", dir.path().join("log").to_str().unwrap()])
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--allow-remote"), "{stderr}");
}
