//! Bulk work, side by side with moto server where it has the operation: boto3 creating
//! users one after another; `import` against `serve --max-rps 50` (the account's
//! AdminCreateUser quota); `export` of a large pool to CSV; and an import job of a large
//! CSV in the store. Run with `scripts/bench bulk`; `BENCH_BULK_USERS` (default
//! 1000000) sizes the export and the import job, `BENCH_CREATE_USERS` (2000) the
//! sequential creation, `BENCH_IMPORT_USERS` (1500) the throttled import,
//! `BENCH_CONCURRENT_USERS` (6000) the creation by many clients at once (Rust SDK clients
//! in one process, 32 calls in flight: boto3 itself cannot send 2,000 calls a second from
//! 2 cores), and the store's own time for one AdminCreateUser, without HTTP.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cognito_console::local::{Store, db::seed, ops::Context, wire::api};

// The import job runs in this process: with the allocator the binary has (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use serde_json::{Value, json};

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn python(script: &str, args: &[&str]) -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join(".venv/bin/python"))
        .arg(root.join("benches/peers").join(script))
        .args(args)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
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

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let moto = std::env::var("MOTO_ENDPOINT").expect("MOTO_ENDPOINT: run scripts/bench");
    let binary = common::binary();

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
    store_time(dir.path());

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

    // 3. and 4. A large pool: export it, and import it again with a job.
    let n = size("BENCH_BULK_USERS", 1_000_000);
    let db = dir.path().join("large.db");
    let store = Store::open(&db).expect("store");
    let source = pool(&store);
    let started = Instant::now();
    seed::synthetic_users(&store, &source, 0, n).expect("users");
    let seeded = started.elapsed();
    drop(store);
    let exported = dir.path().join("large.csv");
    let started = Instant::now();
    let out = Command::new(&binary)
        .arg("--db")
        .arg(&db)
        .args(["--pool", &source])
        .arg("--log-file")
        .arg(dir.path().join("export.log"))
        .args(["export", "--output"])
        .arg(&exported)
        .output()
        .expect("export");
    let export_took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The job takes the CSV with a verified address on each row, as Cognito's do.
    let job_csv = dir.path().join("job.csv");
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
    println!("\n| a pool of {n} users in the local store | time |");
    println!("|---|---:|");
    println!(
        "| made (`seed::synthetic_users`) | {:.1} s |",
        seeded.as_secs_f64()
    );
    println!("| `export` to CSV | {:.1} s |", export_took.as_secs_f64());
    println!(
        "| an import job of {} rows ({}, {} imported) | {:.1} s |",
        n,
        finished["UserImportJob"]["Status"],
        finished["UserImportJob"]["ImportedUsers"],
        job_took.as_secs_f64()
    );
}

/// Users a second that `clients` SDK calls in flight at once create through `endpoint`.
async fn create_at_once(endpoint: &str, n: usize, clients: usize) -> f64 {
    use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
    let client = common::endpoint_client(endpoint);
    let sdk = client.sdk().clone();
    let pool = sdk
        .create_user_pool()
        .pool_name("concurrent")
        .send()
        .await
        .expect("pool")
        .user_pool()
        .and_then(|p| p.id())
        .expect("id")
        .to_string();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (sdk, pool, next) = (sdk.clone(), pool.clone(), next.clone());
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    return;
                }
                sdk.admin_create_user()
                    .user_pool_id(&pool)
                    .username(format!("user{i:07}"))
                    .message_action(MessageActionType::Suppress)
                    .user_attributes(
                        AttributeType::builder()
                            .name("email")
                            .value(format!("user{i}@example.com"))
                            .build()
                            .expect("attribute"),
                    )
                    .send()
                    .await
                    .expect("AdminCreateUser");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("client task");
    }
    n as f64 / started.elapsed().as_secs_f64()
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
    let ours = runtime.block_on(create_at_once(&serve.endpoint, n, clients));
    drop(serve);
    // moto is far slower: a tenth of the users says the same.
    let theirs = runtime.block_on(create_at_once(moto, (n / 10).max(100), clients));
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

/// Sixth: the store's own time for one AdminCreateUser, called in process (the checks,
/// the commit and, for a password someone will type, the verifier), all that serve adds
/// to HTTP and JSON.
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
        times.sort();
        let mean = times.iter().sum::<Duration>() / n as u32;
        (mean, times[n * 95 / 100])
    };
    let rows = [
        (
            "SUPPRESS, no TemporaryPassword (an import's call)",
            time("quiet", None),
        ),
        (
            "SUPPRESS with a TemporaryPassword (verifier made)",
            time("given", Some("Temp-Passw0rd")),
        ),
    ];
    println!("\n| AdminCreateUser in the store, in process ({n} users each) | mean | p95 |");
    println!("|---|---:|---:|");
    for (what, (mean, p95)) in rows {
        println!(
            "| {what} | {:.3} ms | {:.3} ms |",
            mean.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3
        );
    }
}
