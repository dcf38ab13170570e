//! What a Lambda trigger adds to AdminCreateUser and to a sign-in: boto3's latency on a
//! pool without triggers and on one whose pre sign-up, pre and post authentication and
//! pre token generation name real functions (tests/functions behind cargo-lambda's
//! Invoke API), on our `serve` and on moto server in the same run; and a bare Invoke of
//! the same function, for the cost of Lambda itself. moto keeps a pool's LambdaConfig
//! and calls nothing, so its two rows are the same work. Run with `scripts/bench triggers`.

#[path = "../tests/common/mod.rs"]
mod common;

use serde_json::Value;

const CALLS: u32 = 200;

fn run(endpoint: &str, lambda: &str) -> Value {
    let calls = CALLS.to_string();
    common::python_json("benches/peers/triggers.py", &[endpoint, lambda, &calls])
}

fn ms(v: &Value) -> String {
    format!(
        "{:.2} ms (p95 {:.2})",
        v[0].as_f64().unwrap_or_default(),
        v[1].as_f64().unwrap_or_default()
    )
}

fn main() {
    let (lambda, _) = common::lambda_endpoint();
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(
        &dir.path().join("triggers.db"),
        &["--no-demo", "--lambda-endpoint-url", &lambda],
    );
    let moto = std::env::var("MOTO_ENDPOINT").expect("MOTO_ENDPOINT: run scripts/bench");
    println!("\n{CALLS} calls each, one at a time, boto3 on 127.0.0.1; median (95th percentile)\n");
    println!(
        "| target | pool | AdminCreateUser (pre sign-up) | sign-in (pre and post authentication, pre token generation) |"
    );
    println!("|---|---|---:|---:|");
    let mut invoke = Value::Null;
    for (name, endpoint) in [
        ("cognito-console serve", serve.endpoint.as_str()),
        ("moto server", &moto),
    ] {
        let r = run(endpoint, &lambda);
        for (pool, key) in [("no triggers", "without"), ("triggers", "with")] {
            println!(
                "| {name} | {pool} | {} | {} |",
                ms(&r[key]["create"]),
                ms(&r[key]["sign_in"])
            );
        }
        invoke = r["invoke"].clone();
    }
    println!(
        "\nA bare Lambda Invoke of the same function (boto3, cargo lambda watch): {}",
        ms(&invoke)
    );
}
