//! Where a password is involved: AdminCreateUser with a `TemporaryPassword` (the call the
//! Create user form makes, and the AWS console's), and sign-in under load, each beside
//! moto server (and cognito-local where it does the call) in the same run.
//!
//! 1. The store's own time per AdminCreateUser, in process (no HTTP), with and without a
//!    TemporaryPassword; the verifier's g^x alone, and its time by class of exponent (the
//!    constant-time check: fixed against random exponents, Welch's t).
//! 2. boto3, one AdminCreateUser with a TemporaryPassword after another.
//! 3. 32 AdminCreateUser calls in flight from Rust SDK clients.
//! 4. Sign-in by 32 concurrent clients over HTTP: ADMIN_USER_PASSWORD_AUTH, and the
//!    server's side of USER_SRP_AUTH; a user in no group and one in 25.
//!
//! Run with `scripts/bench passwords`. `BENCH_CREATE_USERS` (2000) sizes 1 and 2,
//! `BENCH_CONCURRENT_USERS` (6000) 3, `BENCH_SIGN_INS` (4000) each row of 4.
//! `BENCH_PARTS=4` (or `1,3`...) runs only those parts, as when profiling one.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "shared/create.rs"]
mod create;
#[path = "passwords/sign_in.rs"]
mod sign_in;

use std::path::Path;
use std::time::{Duration, Instant};

use cognito_console::local::sign_in::group;
use cognito_console::local::{Store, ops::Context, wire::api};
use create::{create_at_once, python};
use serde_json::json;

// As the binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub const TEMPORARY: &str = "Temp-Passw0rd";

pub fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Mean and 95th percentile.
pub fn mean_p95(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    (mean, times[times.len() * 95 / 100])
}

pub fn pool(store: &Store) -> String {
    let made = api::call(
        store,
        &Context::default(),
        "CreateUserPool",
        &json!({"PoolName": "passwords"}),
    )
    .expect("pool");
    made["UserPool"]["Id"].as_str().expect("id").to_string()
}

fn main() {
    let moto = std::env::var("MOTO_ENDPOINT").expect("MOTO_ENDPOINT: run scripts/bench");
    let cognito_local = std::env::var("COGNITO_LOCAL_ENDPOINT").ok();
    let dir = tempfile::tempdir().expect("dir");
    let parts = std::env::var("BENCH_PARTS").unwrap_or_else(|_| "1,2,3,4".into());
    let part = |p: &str| parts.split(',').any(|q| q.trim() == p);
    if part("1") {
        store_time(dir.path());
        verifier_time();
    }
    if part("2") {
        sequential(dir.path(), &moto, cognito_local.as_deref());
    }
    if part("3") {
        concurrent(dir.path(), &moto);
    }
    if part("4") {
        sign_in::run(dir.path(), &moto);
    }
}

/// 1. The store's own time for one AdminCreateUser, called in process.
fn store_time(dir: &Path) {
    let n = size("BENCH_CREATE_USERS", 2000);
    let store = Store::open(&dir.join("store-time.db")).expect("store");
    let pool = pool(&store);
    let ctx = Context::default();
    let time = |prefix: &str, temporary: Option<&str>| {
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            let mut request = json!({"UserPoolId": pool, "Username": format!("{prefix}{i:07}"),
                "MessageAction": "SUPPRESS",
                "UserAttributes": [{"Name": "email", "Value": format!("{prefix}{i}@example.com")}]});
            if let Some(p) = temporary {
                request["TemporaryPassword"] = json!(p);
            }
            let started = Instant::now();
            api::call(&store, &ctx, "AdminCreateUser", &request).expect("AdminCreateUser");
            times.push(started.elapsed());
        }
        mean_p95(times)
    };
    let rows = [
        ("SUPPRESS, no TemporaryPassword", time("quiet", None)),
        (
            "SUPPRESS with a TemporaryPassword (verifier made)",
            time("given", Some(TEMPORARY)),
        ),
    ];
    println!("\n| AdminCreateUser in the store, in process ({n} users each) | mean | p95 |");
    println!("|---|---:|---:|");
    for (what, (mean, p95)) in rows {
        println!("| {what} | {:.3} ms | {:.3} ms |", ms(mean), ms(p95));
    }
}

/// The verifier's exponentiation alone, and the constant-time check: g^x timed for a
/// fixed exponent (all zero: every window's digit is the first entry) against fresh
/// random ones, interleaved at random; Welch's t over the two classes. |t| under 4.5 is
/// dudect's bar for "no leak found" at this many samples.
fn verifier_time() {
    use rand::RngExt;
    let n = 20_000;
    let mut rng = rand::rng();
    let _ = group::g_pow(&[0u8; 32]); // the table, made once
    let mut classes: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..n {
        let class = rng.random_range(0..2usize);
        let x: [u8; 32] = if class == 0 { [0u8; 32] } else { rng.random() };
        let started = Instant::now();
        std::hint::black_box(group::g_pow(std::hint::black_box(&x)));
        classes[class].push(started.elapsed().as_secs_f64() * 1e6);
    }
    // The slowest tenth is the machine (interrupts, the other core), cut from both.
    for c in &mut classes {
        c.sort_by(f64::total_cmp);
        c.truncate(c.len() * 9 / 10);
    }
    let stats = |c: &[f64]| {
        let mean = c.iter().sum::<f64>() / c.len() as f64;
        let var = c.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (c.len() - 1) as f64;
        (mean, var, c.len() as f64)
    };
    let (m0, v0, n0) = stats(&classes[0]);
    let (m1, v1, n1) = stats(&classes[1]);
    let t = (m0 - m1) / (v0 / n0 + v1 / n1).sqrt();
    println!("\n| the verifier's g^x ({n} calls, the fastest 90% of each class) | mean |");
    println!("|---|---:|");
    println!("| x = 0 (every digit the table's first entry) | {m0:.1} µs |");
    println!("| x random | {m1:.1} µs |");
    println!("| Welch's t between the two | {t:.2} |");
}

/// 2. boto3, one AdminCreateUser with a TemporaryPassword after another.
fn sequential(dir: &Path, moto: &str, cognito_local: Option<&str>) {
    let n = size("BENCH_CREATE_USERS", 2000).to_string();
    let serve = common::spawn_serve(&dir.join("sequential.db"), &["--no-demo"]);
    let rate = |endpoint: &str, n: &str| {
        python("create_rate.py", &[endpoint, n, "--temporary-password"])["users_per_second"]
            .as_f64()
            .unwrap_or_default()
    };
    let ours = rate(&serve.endpoint, &n);
    drop(serve);
    let theirs = rate(moto, &n);
    // cognito-local rewrites its whole file per user: a few hundred say its rate.
    let local = cognito_local.map(|e| rate(e, "300"));
    println!(
        "\n| boto3, AdminCreateUser with a TemporaryPassword, one after another ({n} users) | users/s |"
    );
    println!("|---|---:|");
    println!(
        "| cognito-console serve | {ours:.0} ({:.1}x moto) |",
        ours / theirs.max(0.001)
    );
    println!("| moto server | {theirs:.0} |");
    if let Some(local) = local {
        println!("| cognito-local (300 users) | {local:.0} |");
    }
}

/// 3. 32 calls in flight from Rust SDK clients, serve beside moto.
fn concurrent(dir: &Path, moto: &str) {
    let n = size("BENCH_CONCURRENT_USERS", 6000);
    let clients = 32;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let serve = common::spawn_serve(&dir.join("concurrent.db"), &["--no-demo"]);
    let ours = runtime.block_on(create_at_once(&serve.endpoint, n, clients, Some(TEMPORARY)));
    drop(serve);
    // moto is far slower: a tenth of the users says the same.
    let theirs = runtime.block_on(create_at_once(
        moto,
        (n / 10).max(100),
        clients,
        Some(TEMPORARY),
    ));
    println!(
        "\n| AdminCreateUser with a TemporaryPassword, {clients} calls in flight (Rust SDK clients, {n} users) | users/s |"
    );
    println!("|---|---:|");
    println!(
        "| cognito-console serve | {ours:.0} ({:.1}x moto) |",
        ours / theirs.max(0.001)
    );
    println!("| moto server | {theirs:.0} |");
}
