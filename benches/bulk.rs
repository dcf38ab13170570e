//! Bulk work, side by side with moto server where it has the operation: boto3 creating
//! users one after another; `import` against `serve --max-rps 50` (the account's
//! AdminCreateUser quota); `export` of a large pool to CSV; and an import job of a large
//! CSV in the store. Run with `scripts/bench bulk`; `BENCH_BULK_USERS` (default
//! 1000000) sizes the export and the import job, `BENCH_CREATE_USERS` (2000) the
//! sequential creation, `BENCH_IMPORT_USERS` (1500) the throttled import,
//! `BENCH_CONCURRENT_USERS` (6000) the creation by many clients at once (Rust SDK clients
//! in one process, 32 calls in flight: boto3 itself cannot send 2,000 calls a second from
//! 2 cores). The store's own time per AdminCreateUser, with and without a
//! TemporaryPassword, is the passwords bench's (`scripts/bench passwords`).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "shared/create.rs"]
mod create;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use cognito_console::local::{Store, db::seed, ops::Context, wire::api};
use create::{create_at_once, python};

// The import job runs in this process: with the allocator the binary has (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use serde_json::json;

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn pool(store: &Store) -> String {
    let made = api::call(
        store,
        &Context::default(),
        "CreateUserPool",
        &json!({"PoolName": "bulk"}),
    )
    .expect("pool");
    made["UserPool"]["Id"].as_str().expect("id").to_string()
}

fn count(db: &Path) -> i64 {
    let store = Store::open(db).expect("store");
    store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
        .expect("count")
}

/// A line of /proc/self/status, in kB.
fn rss_kb(field: &str) -> u64 {
    status_kb("/proc/self/status", field)
}

fn status_kb(path: &str, field: &str) -> u64 {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
        .unwrap_or(0)
}

/// Waits for `child`, reading its high-water mark of resident memory as it runs (kB).
fn peak_rss_until_exit(child: &mut std::process::Child) -> u64 {
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        peak = peak.max(status_kb(&status, "VmHWM"));
        if let Some(done) = child.try_wait().expect("wait") {
            assert!(done.success(), "the child failed: {done}");
            return peak;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let moto = std::env::var("MOTO_ENDPOINT").expect("MOTO_ENDPOINT: run scripts/bench");
    let binary = common::binary();
    // BENCH_PARTS=large runs only the export and the import job of the large pool.
    if std::env::var("BENCH_PARTS").as_deref() == Ok("large") {
        large(dir.path(), &binary);
        return;
    }

    // 1. boto3, one user after another.
    let n = size("BENCH_CREATE_USERS", 2000);
    let serve = common::spawn_serve(&dir.path().join("create.db"), &["--no-demo"]);
    let ours = python("create_rate.py", &[&serve.endpoint, &n.to_string()])["users_per_second"]
        .as_f64()
        .unwrap_or_default();
    let theirs = python("create_rate.py", &[&moto, &n.to_string()])["users_per_second"]
        .as_f64()
        .unwrap_or_default();
    drop(serve);
    println!("\n| boto3, AdminCreateUser one after another ({n} users) | users/s |");
    println!("|---|---:|");
    println!(
        "| cognito-console serve | {ours:.0} ({:.1}x moto) |",
        ours / theirs.max(0.001)
    );
    println!("| moto server | {theirs:.0} |");

    concurrent_creation(&moto);

    // 2. `import` against a throttled serve: 50 requests a second.
    let n = size("BENCH_IMPORT_USERS", 1500);
    let db = dir.path().join("throttled.db");
    let target = pool(&Store::open(&db).expect("store"));
    let csv = dir.path().join("import.csv");
    let mut rows = String::from("cognito:username,email\n");
    for i in 0..n {
        rows.push_str(&format!("user{i:06},user{i}@example.com\n"));
    }
    std::fs::write(&csv, rows).expect("csv");
    let serve = common::spawn_serve(&db, &["--no-demo", "--max-rps", "50"]);
    let started = Instant::now();
    let out = Command::new(&binary)
        .args([
            "--endpoint-url",
            &serve.endpoint,
            "--region",
            "us-east-1",
            "--pool",
            &target,
        ])
        .arg("--log-file")
        .arg(dir.path().join("import.log"))
        .arg("import")
        .arg(&csv)
        .args(["--concurrency", "8"])
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .expect("import");
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(serve);
    let made = count(&db);
    println!(
        "\n| `import` of {n} users into `serve --max-rps 50` | time | users/s | users in the pool |"
    );
    println!("|---|---:|---:|---:|");
    println!(
        "| 8 calls in flight, paced by throttling | {:.1} s | {:.1} | {made} |",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );

    large(dir.path(), &binary);
}

/// 3. and 4. A large pool: export it, and import it again with a job.
fn large(dir: &Path, binary: &Path) {
    let n = size("BENCH_BULK_USERS", 1_000_000);
    let db = dir.join("large.db");
    let store = Store::open(&db).expect("store");
    let source = pool(&store);
    let started = Instant::now();
    seed::synthetic_users(&store, &source, 0, n).expect("users");
    let seeded = started.elapsed();
    drop(store);
    let exported = dir.join("large.csv");
    let started = Instant::now();
    let mut export = Command::new(binary)
        .arg("--db")
        .arg(&db)
        .args(["--pool", &source])
        .arg("--log-file")
        .arg(dir.join("export.log"))
        .args(["export", "--output"])
        .arg(&exported)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("export");
    let export_peak = peak_rss_until_exit(&mut export);
    let export_took = started.elapsed();

    // The job takes the CSV with a verified address on each row, as Cognito's do.
    let job_csv = dir.join("job.csv");
    let mut rows = String::from("cognito:username,email,email_verified,cognito:mfa_enabled\n");
    for i in 0..n {
        rows.push_str(&format!("job{i:07},job{i}@example.com,true,false\n"));
    }
    std::fs::write(&job_csv, rows).expect("csv");
    let store = Store::open(&db).expect("store");
    let target = pool(&store);
    let ctx = Context::default();
    let job = api::call(
        &store,
        &ctx,
        "CreateUserImportJob",
        &json!({"UserPoolId": target, "JobName": "bench", "CloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/import"}),
    )
    .expect("job");
    let job_id = job["UserImportJob"]["JobId"]
        .as_str()
        .expect("id")
        .to_string();
    let url = job["UserImportJob"]["PreSignedUrl"]
        .as_str()
        .expect("url")
        .to_string();
    let token = url.split("token=").nth(1).expect("token").to_string();
    cognito_console::local::user_import::upload(
        &store,
        &job_id,
        &token,
        &std::fs::read(&job_csv).expect("read"),
    )
    .expect("upload");
    let rss_before_job = rss_kb("VmRSS");
    let started = Instant::now();
    api::call(
        &store,
        &ctx,
        "StartUserImportJob",
        &json!({"UserPoolId": target, "JobId": job_id}),
    )
    .expect("start");
    let finished = loop {
        let d = api::call(
            &store,
            &ctx,
            "DescribeUserImportJob",
            &json!({"UserPoolId": target, "JobId": job_id}),
        )
        .expect("describe");
        if !matches!(
            d["UserImportJob"]["Status"].as_str(),
            Some("InProgress" | "Pending")
        ) {
            break d;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let job_took = started.elapsed();
    let rss_after_job = rss_kb("VmRSS");
    println!("\n| a pool of {n} users in the local store | time |");
    println!("|---|---:|");
    println!(
        "| made (`seed::synthetic_users`) | {:.1} s |",
        seeded.as_secs_f64()
    );
    println!(
        "| `export` to CSV (the export process's peak memory: {} MB) | {:.1} s |",
        export_peak / 1024,
        export_took.as_secs_f64()
    );
    println!(
        "| an import job of {} rows ({}, {} imported; the process's memory {} MB before, {} MB after) | {:.1} s |",
        n,
        finished["UserImportJob"]["Status"],
        finished["UserImportJob"]["ImportedUsers"],
        rss_before_job / 1024,
        rss_after_job / 1024,
        job_took.as_secs_f64()
    );
}

/// Fifth: many clients at once, serve beside moto.
fn concurrent_creation(moto: &str) {
    let n = size("BENCH_CONCURRENT_USERS", 6000);
    let clients = 32;
    let dir = tempfile::tempdir().expect("dir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let serve = common::spawn_serve(&dir.path().join("concurrent.db"), &["--no-demo"]);
    let ours = runtime.block_on(create_at_once(&serve.endpoint, n, clients, None));
    drop(serve);
    // moto is far slower: a tenth of the users says the same.
    let theirs = runtime.block_on(create_at_once(moto, (n / 10).max(100), clients, None));
    println!(
        "\n| AdminCreateUser, {clients} calls in flight (Rust SDK clients, {n} users) | users/s |"
    );
    println!("|---|---:|");
    println!(
        "| cognito-console serve | {ours:.0} ({:.1}x moto) |",
        ours / theirs.max(0.001)
    );
    println!("| moto server | {theirs:.0} |");
}
