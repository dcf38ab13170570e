//! pycognito (PyPI), an SRP client nobody here wrote, signs in against `serve`: first
//! sign-in gets NEW_PASSWORD_REQUIRED, sets a password, and receives tokens that verify
//! against the pool's published JWKS; then it walks a password reset (the code read from
//! the outbox) and a global sign-out; and with pyotp as the authenticator app, MFA: set
//! up inside a sign-in, then asked for. The steps are in tests/peers/pycognito_*.py and
//! tests/peers/mfa_totp.py.

use crate::common;

use std::ffi::{OsStr, OsString};
use std::path::Path;

/// Runs `script` against a fresh `serve`, with its endpoint and then what `extra` makes
/// of the store's file; every step of it must pass.
fn walk(script: &str, extra: fn(&Path) -> Vec<OsString>) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let serve = common::spawn_serve(&db, &["--no-demo"]);
    let more = extra(&db);
    let mut args: Vec<&OsStr> = vec![serve.endpoint.as_ref()];
    args.extend(more.iter().map(OsString::as_os_str));
    let out = common::peer_script(script, &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed\n{stdout}\n{stderr}");
    assert!(stdout.contains("all steps passed"), "{stdout}");
}

#[test]
fn pycognito_signs_in_with_srp_and_verifies_the_tokens() {
    walk("pycognito_srp.py", |_| Vec::new());
}

#[test]
fn pycognito_resets_a_password_with_the_code_and_signs_out_everywhere() {
    walk("pycognito_recovery.py", |db| {
        vec![common::binary().into_os_string(), db.as_os_str().to_owned()]
    });
}

#[test]
fn pycognito_and_pyotp_set_up_mfa_and_sign_in_with_it() {
    walk("mfa_totp.py", |_| Vec::new());
}
