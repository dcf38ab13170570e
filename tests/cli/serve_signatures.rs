//! `serve --credentials`: boto3, the aws CLI and the AWS SDK for Rust, clients nobody
//! here wrote, sign with a listed key and get in; an unknown key, a wrong secret and an
//! unsigned request get AWS's answers. `--allow-remote` demands `--credentials`.
#![cfg(unix)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

const CREDENTIALS: &str = "\
[admin]
aws_access_key_id = AKIDADMINEXAMPLE
aws_secret_access_key = admin-secret-example

[tests]
aws_access_key_id = test
aws_secret_access_key = test
";

fn venv(tool: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(".venv/bin")
        .join(tool);
    assert!(
        path.exists(),
        "{tool} is not installed: run the README's test command (scripts/test), which installs it into .venv"
    );
    path
}

/// boto3 calls ListUserPools with a key pair (None: unsigned); the error code, or "ok".
fn boto3(endpoint: &str, keys: Option<(&str, &str)>) -> String {
    let script = r#"
import sys, boto3, botocore
from botocore.config import Config
endpoint, key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
config = Config(retries={"max_attempts": 1})
if key == "-":
    config = config.merge(Config(signature_version=botocore.UNSIGNED))
    key, secret = "unused", "unused"
client = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id=key, aws_secret_access_key=secret, config=config)
try:
    client.list_user_pools(MaxResults=5)
    print("ok")
except botocore.exceptions.ClientError as e:
    print(e.response["Error"]["Code"])
"#;
    let (key, secret) = keys.unwrap_or(("-", "-"));
    let out = Command::new(venv("python"))
        .args(["-c", script, endpoint, key, secret])
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The aws CLI with a key pair: exit status and stderr.
fn aws_cli(endpoint: &str, key: &str, secret: &str) -> (bool, String) {
    let out = Command::new(venv("aws"))
        .args([
            "--endpoint-url",
            endpoint,
            "--region",
            "us-east-1",
            "cognito-idp",
            "list-user-pools",
        ])
        .args(["--max-results", "5"])
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("aws");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn credentials_file(dir: &Path) -> PathBuf {
    let path = dir.join("credentials");
    std::fs::write(&path, CREDENTIALS).expect("write");
    path
}

#[test]
fn only_listed_keys_get_in() {
    let dir = tempfile::tempdir().expect("dir");
    let file = credentials_file(dir.path());
    let serve = common::spawn_serve(
        &dir.path().join("s.db"),
        &["--credentials", file.to_str().expect("utf-8")],
    );
    let e = &serve.endpoint;
    assert_eq!(
        boto3(e, Some(("AKIDADMINEXAMPLE", "admin-secret-example"))),
        "ok"
    );
    assert_eq!(
        boto3(e, Some(("AKIDNOBODY", "whatever"))),
        "UnrecognizedClientException"
    );
    assert_eq!(
        boto3(e, Some(("AKIDADMINEXAMPLE", "wrong-secret"))),
        "InvalidSignatureException"
    );
    assert_eq!(boto3(e, None), "MissingAuthenticationTokenException");

    let (ok, stderr) = aws_cli(e, "AKIDADMINEXAMPLE", "admin-secret-example");
    assert!(ok, "{stderr}");
    let (ok, stderr) = aws_cli(e, "AKIDADMINEXAMPLE", "wrong-secret");
    assert!(
        !ok && stderr.contains("InvalidSignatureException"),
        "{stderr}"
    );
    let (ok, stderr) = aws_cli(e, "AKIDNOBODY", "x");
    assert!(
        !ok && stderr.contains("UnrecognizedClientException"),
        "{stderr}"
    );

    // The SDK the console itself uses, with the `tests` pair.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let client = common::endpoint_client(e);
        let pools = client.list_pools().await.expect("signed with a listed key");
        assert_eq!(pools.len(), 1, "the demo pool");
    });
}

#[test]
fn a_remote_listener_needs_credentials() {
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(common::binary())
        .args(["--db", dir.path().join("s.db").to_str().expect("utf-8")])
        .args([
            "--log-file",
            dir.path().join("log").to_str().expect("utf-8"),
        ])
        .args(["serve", "--listen", "0.0.0.0:0", "--allow-remote"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--credentials"), "{stderr}");

    let empty = dir.path().join("empty");
    std::fs::write(&empty, "[default]\nregion = us-east-1\n").expect("write");
    let out = Command::new(common::binary())
        .args(["--db", dir.path().join("s.db").to_str().expect("utf-8")])
        .args([
            "--log-file",
            dir.path().join("log").to_str().expect("utf-8"),
        ])
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--credentials",
            empty.to_str().expect("utf-8"),
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no profile with both"), "{stderr}");
}

/// A signature is good for one service in one region: one scoped to another service
/// (s3) or another region is refused, however right its arithmetic, and a pool is made
/// in the region served (`--region`), not the one a caller signs for.
#[test]
fn a_signature_must_be_scoped_to_cognito_idp_in_the_region_served() {
    let script = r##"
import sys, boto3, botocore, botocore.auth, botocore.awsrequest, botocore.credentials, urllib.request, json
endpoint, service, region = sys.argv[1], sys.argv[2], sys.argv[3]
body = json.dumps({"PoolName": "scoped"})
request = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": "AWSCognitoIdentityProviderService.CreateUserPool"})
creds = botocore.credentials.Credentials("AKIDADMINEXAMPLE", "admin-secret-example")
botocore.auth.SigV4Auth(creds, service, region).add_auth(request)
prepared = request.prepare()
req = urllib.request.Request(prepared.url, data=body.encode(), headers=dict(prepared.headers), method="POST")
try:
    with urllib.request.urlopen(req) as r:
        print("ok " + json.loads(r.read())["UserPool"]["Id"])
except urllib.error.HTTPError as e:
    doc = json.loads(e.read())
    print(doc.get("__type", "?").split("#")[-1] + " " + doc.get("message", doc.get("Message", "")))
"##;
    let dir = tempfile::tempdir().expect("dir");
    let file = credentials_file(dir.path());
    let serve = common::spawn_serve(
        &dir.path().join("s.db"),
        &[
            "--region",
            "eu-west-1",
            "--credentials",
            file.to_str().expect("utf-8"),
        ],
    );
    let call = |service: &str, region: &str| {
        let out = Command::new(venv("python"))
            .args(["-c", script, &serve.endpoint, service, region])
            .output()
            .expect("python");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    let s3 = call("s3", "eu-west-1");
    assert!(
        s3.starts_with("InvalidSignatureException") && s3.contains("'cognito-idp'"),
        "{s3}"
    );
    let elsewhere = call("cognito-idp", "us-east-1");
    assert!(
        elsewhere.starts_with("InvalidSignatureException") && elsewhere.contains("valid region"),
        "{elsewhere}"
    );
    let made = call("cognito-idp", "eu-west-1");
    assert!(made.starts_with("ok eu-west-1_"), "{made}");
    // The CLI refuses a region that is not one (--db after serve taken beside it).
    let out = Command::new(common::binary())
        .args(["serve", "--db"])
        .arg(dir.path().join("t.db"))
        .args(["--region", "moon-base"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a region's name"));
}
