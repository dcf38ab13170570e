//! `cognito-console users`: a line per user, and with `--mfa` each user's MFA methods
//! (read with one AdminGetUser each, since ListUsers does not carry them).

use crate::common;

use std::process::Command;

use cognito_console::local::ops::Context;
use cognito_console::local::wire::api;
use serde_json::json;

fn users(db: &std::path::Path, extra: &[&str]) -> String {
    let out = Command::new(common::binary())
        .arg("--db")
        .arg(db)
        .arg("--log-file")
        .arg(db.with_extension("log"))
        .arg("users")
        .args(extra)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn users_with_their_mfa() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let store = common::demo_store(&db);
    let pool = store
        .read(|tx| Ok(tx.query_row("SELECT id FROM user_pools", [], |r| r.get::<_, String>(0))?))
        .unwrap();
    let call = |op: &str, body: serde_json::Value| {
        api::call(&store, &Context::default(), op, &body).unwrap_or_else(|e| panic!("{op}: {e}"))
    };
    call(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": pool, "MfaConfiguration": "OPTIONAL",
               "SmsMfaConfiguration": {"SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}}}),
    );
    call(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": pool, "Username": "bjorn.chen",
               "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    drop(store);

    let plain = users(&db, &[]);
    assert!(!plain.contains("SMS_MFA"), "no MFA unless asked: {plain}");
    let with_mfa = users(&db, &["--mfa"]);
    let line = |name: &str| {
        with_mfa
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {with_mfa}"))
            .to_string()
    };
    assert!(line("bjorn.chen").contains(" SMS_MFA* "), "{with_mfa}");
    let other = line("aiko.tanaka");
    let column: Vec<&str> = other.split_whitespace().collect();
    assert_eq!(column[3], "-", "no MFA: {other}");
    assert_eq!(
        with_mfa.lines().count(),
        plain.lines().count(),
        "one line a user, in order"
    );
}
