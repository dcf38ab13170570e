//! pycognito (PyPI), an SRP client nobody here wrote, signs in against `serve`: first
//! sign-in gets NEW_PASSWORD_REQUIRED, sets a password, and receives tokens that verify
//! against the pool's published JWKS; then it walks a password reset (the code read from
//! the outbox) and a global sign-out; and with pyotp as the authenticator app, MFA: set
//! up inside a sign-in, then asked for. The steps are in tests/peers/pycognito_*.py and
//! tests/peers/mfa_totp.py.

use crate::common;

use std::path::PathBuf;
use std::process::Command;

/// The Python the test command set up in `.venv` (with pycognito and boto3).
fn python() -> PathBuf {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        venv.exists(),
        "pycognito is not installed: run the README's test command (scripts/test), which installs it into .venv"
    );
    venv
}

#[test]
fn pycognito_signs_in_with_srp_and_verifies_the_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let serve = common::spawn_serve(&dir.path().join("store.db"), &["--no-demo"]);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peers/pycognito_srp.py");
    let out = Command::new(python())
        .arg(script)
        .arg(&serve.endpoint)
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run Python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pycognito failed\n{stdout}\n{stderr}");
    assert!(stdout.contains("all steps passed"), "{stdout}");
}

#[test]
fn pycognito_resets_a_password_with_the_code_and_signs_out_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let serve = common::spawn_serve(&db, &["--no-demo"]);
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peers/pycognito_recovery.py");
    let out = Command::new(python())
        .arg(script)
        .arg(&serve.endpoint)
        .arg(env!("CARGO_BIN_EXE_cognito-console"))
        .arg(&db)
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run Python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pycognito failed\n{stdout}\n{stderr}");
    assert!(stdout.contains("all steps passed"), "{stdout}");
}

#[test]
fn pycognito_and_pyotp_set_up_mfa_and_sign_in_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let serve = common::spawn_serve(&dir.path().join("store.db"), &["--no-demo"]);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/peers/mfa_totp.py");
    let out = Command::new(python())
        .arg(script)
        .arg(&serve.endpoint)
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run Python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the MFA walk failed\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all steps passed"), "{stdout}");
}
