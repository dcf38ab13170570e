//! The arithmetic a password or the server's SRP secret goes through is constant-time in
//! it, checked the way ctgrind does: under Valgrind's memcheck, the secret's bytes are
//! marked *undefined*, and memcheck then reports every branch (and every memory address)
//! whose value depends on them, as it would for a read of uninitialised memory. Moves
//! and arithmetic on the secret are silent; a `match`, an early exit or a table index on
//! it is not.
//!
//! The test runs this same binary again under `valgrind` twice: once on a function that
//! branches on a marked byte, which must be reported (the method works here), and once
//! on the real paths, which must not be. Valgrind has no AVX-512, so under it the
//! dispatch takes the portable path of `g^x` and aws-lc's constant-time exponentiation:
//! the paths every machine without AVX-512 IFMA runs. The IFMA path has the same shape
//! (all windows in order, every table entry read and masked) and is measured for timing
//! leaks by `scripts/bench passwords` (a dudect test).

use std::process::Command;

use cognito_console::local::sign_in::srp;
use cognito_console::pool::Secret;
use crabgrind::memcheck::{MemState, mark_memory};

const CHILD: &str = "CONSTANT_TIME_CHILD";

fn undefined(bytes: &[u8]) {
    let _ = mark_memory(bytes.as_ptr().cast(), bytes.len(), MemState::Undefined);
}

fn defined(bytes: &[u8]) {
    let _ = mark_memory(bytes.as_ptr().cast(), bytes.len(), MemState::Defined);
}

/// What runs under valgrind: `leaky` branches on a secret on purpose.
fn child(which: &str) {
    match which {
        "leaky" => {
            let secret = [0x5au8; 8];
            undefined(&secret);
            // A branch no compiler can turn into arithmetic (it prints), on a secret.
            if std::hint::black_box(&secret)[0] == 0x5a {
                println!("the secret's first byte is 0x5a");
            }
        }
        "srp" => {
            let pool = "us-east-1_Example";
            // A password someone sets: the verifier (g^x, x hashed from the password).
            let password = Secret::new("Correct-Horse-9-Battery");
            undefined(password.expose().as_bytes());
            let salt = [0x42u8; srp::SALT_LEN];
            let verifier = srp::verifier_for(pool, "alice", &password, &salt);
            // The server's answer to PASSWORD_VERIFIER: b is its secret.
            defined(&verifier);
            let b = [0x9cu8; 32];
            undefined(&b);
            let server = srp::ServerSecret::from_secret(b);
            let public = server.public(&verifier).expect("B");
            defined(&public);
            // The answer: S = (A·v^u)^b, then the key from S.
            let a = srp::parse_client_public("0abcdef123456789").expect("A");
            let key = srp::session_key(&a, &server.secret, &public, &verifier).expect("key");
            defined(&key);
            std::hint::black_box((public, key));
        }
        other => panic!("no such child: {other}"),
    }
}

/// Runs `which` in this binary under memcheck; its exit status and report.
fn under_valgrind(which: &str) -> (Option<i32>, String) {
    let exe = std::env::current_exe().expect("this test's binary");
    let out = Command::new("valgrind")
        .args(["--tool=memcheck", "--error-exitcode=3", "--quiet"])
        .arg(format!(
            "--suppressions={}/tests/store/constant_time.supp",
            env!("CARGO_MANIFEST_DIR")
        ))
        .arg(exe)
        .args([
            "--exact",
            "constant_time::secrets_steer_no_branch_and_no_address",
        ])
        .args(["--test-threads=1", "--nocapture"])
        .env(CHILD, which)
        .output()
        .expect("valgrind runs (the test command installs it)");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn secrets_steer_no_branch_and_no_address() {
    if let Ok(which) = std::env::var(CHILD) {
        return child(&which);
    }
    let (code, report) = under_valgrind("leaky");
    assert_eq!(
        code,
        Some(3),
        "memcheck must report a branch on a marked secret:\n{report}"
    );
    assert!(report.contains("uninitialised"), "{report}");
    let (code, report) = under_valgrind("srp");
    assert_eq!(
        code,
        Some(0),
        "a secret steered a branch or an address:\n{report}"
    );
}
