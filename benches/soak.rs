//! The soak: boto3's AdminGetUser latency with nothing else connected, and while other
//! clients hold 1,000 idle, half-sent connections (reopening any the server closes), on
//! our `serve` and on moto server in the same run. Run with `scripts/bench soak`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const HOLDING: u32 = 1_000;

fn run(endpoint: &str) -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("benches/peers/soak.py"))
        .arg(endpoint)
        .arg(HOLDING.to_string())
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("run the soak script");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON line")
}

fn ms(v: &Value) -> String {
    format!(
        "{:.2} ms (p95 {:.2})",
        v[0].as_f64().unwrap_or_default(),
        v[1].as_f64().unwrap_or_default()
    )
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("soak.db"), &["--no-demo"]);
    let moto = std::env::var("MOTO_ENDPOINT").expect("MOTO_ENDPOINT: run scripts/bench");
    println!(
        "\n| target | AdminGetUser, nothing else connected | with {HOLDING} idle connections held | failed calls | connections opened |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (name, endpoint) in [
        ("cognito-console serve", serve.endpoint.as_str()),
        ("moto server", &moto),
    ] {
        let r = run(endpoint);
        println!(
            "| {name} | {} | {} | {} | {} |",
            ms(&r["unloaded_ms"]),
            ms(&r["loaded_ms"]),
            r["failed"],
            r["opened"]
        );
    }
}
