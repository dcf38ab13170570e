//! Lambda triggers over `serve`, with boto3 as the caller and the test functions
//! (tests/functions) behind cargo-lambda's Invoke API: every trigger's event and effect,
//! and every way a function fails (tests/peers/triggers.py). Then what the store kept of
//! it: each call in the audit log, and never a password in the log.

use crate::common;

use std::ffi::OsStr;

#[test]
fn every_trigger_is_called_as_cognito_calls_it_and_its_answer_applied() {
    let (lambda, events) = common::lambda_endpoint();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let serve = common::spawn_serve(&db, &["--no-demo", "--lambda-endpoint-url", &lambda]);
    let binary = common::binary();
    let args: Vec<&OsStr> = vec![
        serve.endpoint.as_ref(),
        events.as_os_str(),
        binary.as_os_str(),
        db.as_os_str(),
    ];
    let out = common::peer_script("triggers.py", &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "triggers.py failed\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all steps passed"), "{stdout}");

    let log = std::fs::read_to_string(db.with_extension("log")).unwrap();
    assert!(log.contains("trigger answered"), "{log}");
    for secret in ["Legacy-Passw0rd", "Ines-Passw0rd!", "Temp-Passw0rd1"] {
        assert!(!log.contains(secret), "the log holds a password");
    }
    let audit = std::process::Command::new(&binary)
        .arg("--db")
        .arg(&db)
        .arg("audit")
        .output()
        .unwrap();
    let audit = String::from_utf8_lossy(&audit.stdout);
    for line in [
        "Lambda trigger PreSignUp",
        "Lambda trigger CustomMessage",
        "Lambda trigger UserMigration",
        "Lambda trigger DefineAuthChallenge",
    ] {
        assert!(
            audit.contains(line),
            "{line} is not in the audit log:\n{audit}"
        );
    }
    assert!(
        !audit.contains("Legacy-Passw0rd"),
        "the audit log holds a password"
    );
}
