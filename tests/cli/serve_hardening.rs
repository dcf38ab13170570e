//! `serve` against clients that misbehave: idle and half-sent connections are closed, a
//! flood of them does not lock anyone out, SIGTERM does not wait for idle clients, a
//! body too large gets Cognito's JSON, only loopback names are answered on loopback,
//! many processes can create one database at once, and what it creates is private.
#![cfg(unix)]

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::{Value, json};

fn address(endpoint: &str) -> String {
    endpoint.trim_start_matches("http://").to_string()
}

/// One awsJson1.1 request on a new connection; the status and the body.
fn post(endpoint: &str, host: &str, target: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(address(endpoint)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.{target}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("head");
    // A peer may stop reading a body it refuses; what was written is enough.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
    let body = match answer.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => answer[i + 4..].to_vec(),
        None => Vec::new(),
    };
    (status, body)
}

/// Whether the server closes `stream` within `within` (reads EOF or a reset).
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).expect("timeout");
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                return false;
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn idle_and_half_sent_connections_are_closed() {
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("s.db"), &["--idle-timeout", "1"]);
    let mut idle = TcpStream::connect(address(&serve.endpoint)).expect("connect");
    let mut half = TcpStream::connect(address(&serve.endpoint)).expect("connect");
    half.write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Ta")
        .expect("write");
    assert!(
        closed_within(&mut idle, Duration::from_secs(5)),
        "an idle connection stays open"
    );
    assert!(
        closed_within(&mut half, Duration::from_secs(5)),
        "a half-sent request stays open"
    );
}

#[test]
fn a_flood_of_idle_connections_locks_no_one_out() {
    let dir = tempfile::tempdir().expect("dir");
    // 128 file descriptors: without a connection limit under that, 400 idle
    // connections leave serve unable to accept anyone.
    let serve =
        common::spawn_serve_with_files(128, &dir.path().join("s.db"), &["--idle-timeout", "60"]);
    let held: Vec<TcpStream> = (0..400)
        .map(|_| {
            let mut s = TcpStream::connect(address(&serve.endpoint)).expect("connect");
            let _ = s.write_all(b"POST / HTTP/1.1\r\n");
            s
        })
        .collect();
    // Answered at all: before, serve stopped accepting anyone (post() gives up after 10 s).
    let (status, body) = post(
        &serve.endpoint,
        "127.0.0.1",
        "ListUserPools",
        br#"{"MaxResults": 10}"#,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    drop(held);
}

#[test]
fn sigterm_does_not_wait_for_idle_clients() {
    let dir = tempfile::tempdir().expect("dir");
    let mut serve = common::spawn_serve(&dir.path().join("s.db"), &["--idle-timeout", "600"]);
    let mut kept = Vec::new();
    for _ in 0..5 {
        let mut s = TcpStream::connect(address(&serve.endpoint)).expect("connect");
        s.write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n\
              X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\nContent-Length: 17\r\n\r\n\
              {\"MaxResults\": 1}",
        )
        .expect("request");
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf).expect("answer");
        kept.push(s); // keep-alive: idle from here on
    }
    let mut half = TcpStream::connect(address(&serve.endpoint)).expect("connect");
    half.write_all(b"POST / HTTP/1.1\r\n").expect("write");
    let started = Instant::now();
    kill(Pid::from_raw(serve.child.id() as i32), Signal::SIGTERM).expect("signal");
    let status = loop {
        if let Some(status) = serve.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "serve waits for its idle clients"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    drop(kept);
}

#[test]
fn a_body_too_large_gets_cognitos_json() {
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("s.db"), &[]);
    let big = format!("{{\"PoolName\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let (status, body) = post(
        &serve.endpoint,
        "127.0.0.1",
        "CreateUserPool",
        big.as_bytes(),
    );
    assert_eq!(status, 413);
    let error: Value = serde_json::from_slice(&body).expect("a JSON error");
    assert_eq!(error["__type"], "RequestEntityTooLargeException");
    assert!(
        error["message"]
            .as_str()
            .expect("message")
            .contains("bytes")
    );
}

#[test]
fn loopback_answers_only_loopback_names() {
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("s.db"), &[]);
    let port = serve.endpoint.rsplit(':').next().expect("port").to_string();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "[::1]".to_string(),
    ] {
        let (status, _) = post(
            &serve.endpoint,
            &host,
            "ListUserPools",
            br#"{"MaxResults": 1}"#,
        );
        assert_eq!(status, 200, "{host}");
    }
    let (status, body) = post(
        &serve.endpoint,
        &format!("rebound.example.com:{port}"),
        "ListUserPools",
        br#"{"MaxResults": 1}"#,
    );
    assert_eq!(status, 403);
    let error: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(error["__type"], "AccessDeniedException");
}

#[test]
fn the_schema_has_cognitos_caps() {
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("s.db"), &[]);
    let many: Vec<Value> = (0..10_000)
        .map(|i| json!({"Name": format!("a{i}")}))
        .collect();
    let (status, body) = post(
        &serve.endpoint,
        "127.0.0.1",
        "CreateUserPool",
        json!({"PoolName": "p", "Schema": many})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 400);
    let error: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(error["__type"], "InvalidParameterException");
    assert!(
        error["message"]
            .as_str()
            .expect("message")
            .contains("'schema'"),
        "{error}"
    );
    let twice = json!({"PoolName": "p", "Schema": [{"Name": "team"}, {"Name": "team"}]});
    let (status, body) = post(
        &serve.endpoint,
        "127.0.0.1",
        "CreateUserPool",
        twice.to_string().as_bytes(),
    );
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
}

#[test]
fn many_processes_create_one_database_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    let db2 = dir.path().join("together.db");
    let spawned: Vec<_> = (0..6)
        .map(|i| {
            Command::new(common::binary())
                .arg("--db")
                .arg(&db2)
                .arg("--log-file")
                .arg(dir.path().join(format!("t{i}.log")))
                .arg("pools")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in spawned {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.len() < 1000, "{stderr}");
    }
    let store = cognito_console::local::Store::open(&db2).expect("open");
    let pools: i64 = store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM user_pools", [], |r| r.get(0))?))
        .expect("count");
    assert_eq!(pools, 1, "one demo pool between them");
}

#[test]
fn what_it_creates_is_private() {
    let dir = tempfile::tempdir().expect("dir");
    // The default data directory is made (under XDG_DATA_HOME), private.
    let data = dir.path().join("data/nested");
    let logs = dir.path().join("logs/nested");
    let out = Command::new(common::binary())
        .env("XDG_DATA_HOME", &data)
        .arg("--log-file")
        .arg(logs.join("c.log"))
        .arg("pools")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store_dir = data.join("cognito-console");
    for path in [
        dir.path().join("data"),
        data.clone(),
        store_dir.clone(),
        dir.path().join("logs"),
        logs.clone(),
    ] {
        let mode = std::fs::metadata(&path).expect("dir").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", path.display());
    }
    // A --db in a directory that does not exist is refused, and nothing is made.
    let typo = dir.path().join("no/such/dir/s.db");
    let out = Command::new(common::binary())
        .arg("--db")
        .arg(&typo)
        .arg("pools")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("does not exist; create it first"), "{said}");
    assert!(!dir.path().join("no").exists(), "nothing made");
    for file in [store_dir.join("store.db"), logs.join("c.log")] {
        let mode = std::fs::metadata(&file).expect("file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}

#[test]
fn control_characters_are_refused_or_escaped() {
    use cognito_console::local::{Store, ops::Context, wire::api};
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let store = Store::open(&db).expect("store");
    cognito_console::local::db::seed::ensure_demo_pool(&store).expect("demo");
    let pool: String = store
        .read(|tx| Ok(tx.query_row("SELECT id FROM user_pools", [], |r| r.get(0))?))
        .expect("pool");
    // Cognito refuses an email with control characters, as it refuses spaces.
    for bad in [
        "a\u{1b}[31m@example.com",
        "nul\u{0}@example.com",
        "bell\u{7}@example.com",
    ] {
        let refused = api::call(
            &store,
            &Context::default(),
            "AdminCreateUser",
            &json!({"UserPoolId": pool, "Username": "mallory", "MessageAction": "SUPPRESS",
                    "UserAttributes": [{"Name": "email", "Value": bad}]}),
        )
        .expect_err("refused");
        assert_eq!(refused.code.name(), "InvalidParameterException", "{bad:?}");
    }
    // What is stored anyway (written by an older version, or another tool) is printed
    // escaped by `users` and `outbox`.
    store
        .write(|tx| {
            let evil = "x\u{1b}]0;owned\u{7}@example.com";
            let attributes: String = tx.query_row(
                "SELECT attributes FROM users WHERE pool_id = ?1 AND username = 'aiko.tanaka'",
                [&pool],
                |r| r.get(0),
            )?;
            let mut attributes: Vec<(String, String)> =
                serde_json::from_str(&attributes).expect("attributes");
            for (name, value) in &mut attributes {
                if name == "email" {
                    *value = evil.into();
                }
            }
            tx.execute(
                "UPDATE users SET email = ?1, attributes = ?2 WHERE pool_id = ?3 AND username = 'aiko.tanaka'",
                rusqlite::params![evil, serde_json::to_string(&attributes).expect("json"), pool],
            )?;
            tx.execute(
                "INSERT INTO outbox (pool_id, username, medium, destination, subject, body, delivered, created)
                 VALUES (?1, 'ana', 'EMAIL', 'a@example.com', 'Hi\u{1b}[2J', 'Line one\nline\u{1b}[31m two\r', 1, 0)",
                rusqlite::params![pool],
            )?;
            Ok(())
        })
        .expect("write");
    drop(store);
    for args in [vec!["users", "--all"], vec!["outbox"]] {
        let out = Command::new(common::binary())
            .arg("--db")
            .arg(&db)
            .arg("--log-file")
            .arg(dir.path().join("log"))
            .args(&args)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !stdout.contains(['\u{1b}', '\u{7}', '\r']),
            "{args:?}: {stdout:?}"
        );
        assert!(stdout.contains("\\u{1b}"), "{args:?}: {stdout}");
    }
}

#[test]
fn a_missing_user_looks_like_a_wrong_password() {
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("s.db"), &["--no-demo"]);
    let out = common::peer_script("user_existence.py", &[serve.endpoint.as_ref()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("all steps passed"), "{stdout}");
}

/// A user created with SUPPRESS and no temporary password has no verifier (their
/// password was never known to anyone): every password is wrong for them, by both flows,
/// until the admin sets one; and a verifier of zero never lets a proof through.
#[test]
fn a_password_nobody_knows_signs_nobody_in() {
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("s.db"), &["--no-demo"]);
    let out = common::peer_script("unknown_password.py", &[serve.endpoint.as_ref()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("all steps passed"), "{stdout}");
}

/// `--max-rps` holds the domain's endpoints (the managed login, token, discovery) to the
/// same rate as the API: a burst past it is answered 429, not served.
#[test]
fn the_domains_endpoints_are_held_to_max_rps_too() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("s.db"), &["--max-rps", "3"]);
    let addr = serve.endpoint.trim_start_matches("http://").to_string();
    let status = |path: &str| -> u16 {
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            s,
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .expect("write");
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    };
    let codes: Vec<u16> = (0..12).map(|_| status("/shop/oauth2/token")).collect();
    assert!(codes.contains(&429), "a burst past 3 a second: {codes:?}");
    assert!(
        codes.iter().any(|c| *c != 429),
        "the first ones were served: {codes:?}"
    );
}
