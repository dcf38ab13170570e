//! The soak: boto3's AdminGetUser latency with nothing else connected, and while other
//! clients hold 1,000 idle, half-sent connections (reopening any the server closes), on
//! our `serve` and on moto server in the same run. Then what a sign-in costs for a user
//! who exists (wrong password) and one who does not, with PreventUserExistenceErrors:
//! the two should not tell apart. Run with `scripts/bench soak`.

#[path = "../tests/common/mod.rs"]
mod common;

use serde_json::Value;

const HOLDING: u32 = 1_000;

fn run(endpoint: &str) -> Value {
    common::python_json("benches/peers/soak.py", &[endpoint, &HOLDING.to_string()])
}

fn ms(v: &Value) -> String {
    format!(
        "{:.2} ms (p95 {:.2})",
        v[0].as_f64().unwrap_or_default(),
        v[1].as_f64().unwrap_or_default()
    )
}

/// Median ms of a wrong password and of a missing user, by USER_PASSWORD_AUTH and SRP.
fn existence(endpoint: &str) -> Value {
    common::python_json("tests/peers/user_existence.py", &[endpoint, "--time"])
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
    println!(
        "\n| target | USER_PASSWORD_AUTH: wrong password | missing user | missing slower in | SRP: wrong password | missing user | missing slower in |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, endpoint) in [
        ("cognito-console serve", serve.endpoint.as_str()),
        ("moto server", &moto),
    ] {
        let t = existence(endpoint);
        let f = |flow: &str, kind: &str| {
            format!("{:.2} ms", t[flow][kind].as_f64().unwrap_or_default())
        };
        let share = |flow: &str| {
            format!(
                "{:.0}% of pairs",
                t[flow]["missing_slower"].as_f64().unwrap_or_default() * 100.0
            )
        };
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            f("password_attempt", "user"),
            f("password_attempt", "missing"),
            share("password_attempt"),
            f("srp_attempt", "user"),
            f("srp_attempt", "missing"),
            share("srp_attempt")
        );
    }
}
