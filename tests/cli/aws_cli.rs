//! The aws CLI, a client nobody here wrote, against `cognito-console serve`: it
//! reproduces the admin-create-user example of the AWS CLI reference (seed 002).

use crate::common;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// The aws CLI the test command installed into `.venv`, or `AWS_CLI`.
pub fn aws_cli() -> PathBuf {
    if let Ok(path) = std::env::var("AWS_CLI") {
        return path.into();
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/aws");
    assert!(
        venv.exists(),
        "the aws CLI is not installed: run the README's test command (scripts/test), which installs it into .venv"
    );
    venv
}

pub fn aws(endpoint: &str, args: &[&str]) -> Value {
    let out = Command::new(aws_cli())
        .args([
            "--endpoint-url",
            endpoint,
            "--region",
            "us-west-2",
            "--output",
            "json",
            "cognito-idp",
        ])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("run the aws CLI");
    assert!(
        out.status.success(),
        "aws {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if out.stdout.iter().all(u8::is_ascii_whitespace) {
        return Value::Null;
    }
    serde_json::from_slice(&out.stdout).expect("aws CLI prints JSON")
}

#[test]
fn admin_create_user_example_from_the_cli_reference() {
    let dir = tempfile::tempdir().unwrap();
    let serve = common::spawn_serve(&dir.path().join("store.db"), &["--no-demo"]);
    let pool = aws(
        &serve.endpoint,
        &["create-user-pool", "--pool-name", "cli-example"],
    );
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_string();
    assert!(
        pool_id.starts_with("us-west-2_"),
        "named after the signed region: {pool_id}"
    );

    let out = aws(
        &serve.endpoint,
        &[
            "admin-create-user",
            "--user-pool-id",
            &pool_id,
            "--username",
            "diego",
            "--user-attributes",
            "Name=email,Value=diego@example.com",
            "Name=phone_number,Value=+15555551212",
            "--message-action",
            "SUPPRESS",
        ],
    );
    let user = &out["User"];
    assert_eq!(user["Username"], "diego");
    assert_eq!(user["Enabled"], true);
    assert_eq!(user["UserStatus"], "FORCE_CHANGE_PASSWORD");
    assert!(
        user["UserCreateDate"].is_number(),
        "epoch seconds: {}",
        user["UserCreateDate"]
    );
    assert!(user["UserLastModifiedDate"].is_number());
    let attrs: Vec<(String, String)> = user["Attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["Name"].as_str().unwrap().into(),
                a["Value"].as_str().unwrap().into(),
            )
        })
        .collect();
    let names: Vec<&str> = attrs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 3);
    for name in ["sub", "email", "phone_number"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let sub = &attrs.iter().find(|(n, _)| n == "sub").unwrap().1;
    assert!(uuid::Uuid::parse_str(sub).is_ok());

    // The CLI's own paginator walks ListUsers to the end.
    let listed = aws(&serve.endpoint, &["list-users", "--user-pool-id", &pool_id]);
    assert_eq!(listed["Users"].as_array().unwrap().len(), 1);
    let got = aws(
        &serve.endpoint,
        &[
            "admin-get-user",
            "--user-pool-id",
            &pool_id,
            "--username",
            "diego",
        ],
    );
    assert_eq!(got["UserAttributes"].as_array().unwrap().len(), 3);

    // Errors reach the CLI as Cognito's named exceptions.
    let out = Command::new(aws_cli())
        .args([
            "--endpoint-url",
            &serve.endpoint,
            "--region",
            "us-west-2",
            "cognito-idp",
            "admin-create-user",
        ])
        .args([
            "--user-pool-id",
            &pool_id,
            "--username",
            "diego",
            "--message-action",
            "SUPPRESS",
        ])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("UsernameExistsException"), "{stderr}");
}
