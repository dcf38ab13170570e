//! The store benchmark: AdminCreateUser throughput and ListUsers latency on a large
//! pool, our `serve` side by side with moto server and cognito-local, same client, same
//! data, same run; then a full user scan by three clients (ours, a boto3 paginator, the
//! aws CLI) against the same moto server.
//!
//! Run with `scripts/bench` (it starts moto and cognito-local). `BENCH_USERS` sets the
//! pool size, `BENCH_SCAN_USERS` the scanned pool's, `BENCH_PEER_MINUTES` how long a
//! peer may take to fill its pool before it is measured at the size it reached.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_console::client::{Client, UserQuery};
use cognito_console::pool::filter::{Filter, FilterOp, SearchAttribute};
use cognito_console::pool::{Attribute, MessageAction, NewUser};

const CONCURRENCY: usize = 8;
const SAMPLES: usize = 200;

struct Stats {
    median: Duration,
    p95: Duration,
}

impl Stats {
    fn show(&self) -> String {
        format!("{:.2} ms (p95 {:.2})", ms(self.median), ms(self.p95))
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// At most SAMPLES calls after ten warm-ups, and no more than 30 s of them (a peer whose
/// ListUsers returns the whole pool gets fewer samples, at least five).
async fn sample<F, Fut>(mut call: F) -> Stats
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let budget = Instant::now();
    for _ in 0..10 {
        call().await;
        if budget.elapsed() > Duration::from_secs(10) {
            break;
        }
    }
    let started = Instant::now();
    let mut times = Vec::with_capacity(SAMPLES);
    while times.len() < SAMPLES && (times.len() < 5 || started.elapsed() < Duration::from_secs(30))
    {
        let start = Instant::now();
        call().await;
        times.push(start.elapsed());
    }
    times.sort();
    Stats {
        median: times[times.len() / 2],
        p95: times[times.len() * 95 / 100],
    }
}

/// Creates up to `n` users (SUPPRESS, generated temporary passwords) with `CONCURRENCY`
/// requests in flight, stopping at `budget`; returns how many and users per second.
async fn populate(client: &Client, pool_id: &str, n: usize, budget: Duration) -> (usize, f64) {
    let start = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let client = client.clone();
        let pool_id = pool_id.to_string();
        let next = Arc::clone(&next);
        let done = Arc::clone(&done);
        tasks.push(tokio::spawn(async move {
            loop {
                if start.elapsed() > budget {
                    return;
                }
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    return;
                }
                let username = format!("user{i:07}");
                let user = NewUser {
                    username: username.clone(),
                    attributes: vec![
                        Attribute::new("email", format!("{username}@example.com")),
                        Attribute::new("given_name", format!("Given{}", i % 997)),
                    ],
                    message_action: Some(MessageAction::Suppress),
                    ..NewUser::default()
                };
                client
                    .create_user(&pool_id, &user)
                    .await
                    .expect("create user");
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    let created = done.load(std::sync::atomic::Ordering::Relaxed);
    (created, created as f64 / start.elapsed().as_secs_f64())
}

/// Every page, 60 at a time; how long and how many users.
async fn full_scan(client: &Client, pool_id: &str) -> (Duration, usize) {
    let start = Instant::now();
    let mut query = UserQuery {
        limit: Some(60),
        ..UserQuery::default()
    };
    let mut seen = 0;
    loop {
        let page = client.list_users(pool_id, &query).await.expect("list");
        seen += page.users.len();
        match page.next {
            Some(t) => query.pagination_token = Some(t),
            None => break,
        }
    }
    (start.elapsed(), seen)
}

struct Row {
    target: &'static str,
    users: usize,
    create_per_sec: f64,
    /// Whether ListUsers honours Limit (cognito-local returns every user at once).
    pages: bool,
    first_page: Stats,
    tenth_page: Option<Stats>,
    prefix: Option<Stats>,
    scan: (Duration, usize),
}

async fn measure(target: &'static str, client: Client, n: usize, budget: Duration) -> Row {
    let pool_id = client.create_pool("bench").await.expect("create pool").id;
    eprintln!("{target}: creating {n} users...");
    let (users, create_per_sec) = populate(&client, &pool_id, n, budget).await;
    eprintln!("{target}: {users} users at {create_per_sec:.0} users/s; measuring ListUsers...");
    let first = UserQuery {
        limit: Some(60),
        ..UserQuery::default()
    };
    let pages = client
        .list_users(&pool_id, &first)
        .await
        .expect("list")
        .users
        .len()
        <= 60;
    let first_page = sample(|| async {
        client.list_users(&pool_id, &first).await.expect("list");
    })
    .await;
    let mut tenth = first.clone();
    let tenth_page = if pages {
        for _ in 0..9 {
            tenth.pagination_token = client
                .list_users(&pool_id, &tenth)
                .await
                .expect("list")
                .next;
        }
        Some(
            sample(|| async {
                client.list_users(&pool_id, &tenth).await.expect("list");
            })
            .await,
        )
    } else {
        None
    };
    let search = UserQuery {
        limit: Some(60),
        filter: Some(Filter::new(
            SearchAttribute::Email,
            FilterOp::StartsWith,
            "user00012",
        )),
        ..UserQuery::default()
    };
    // A peer that does not know the filter is reported as such, not measured.
    let prefix = match client.list_users(&pool_id, &search).await {
        Ok(page)
            if page
                .users
                .iter()
                .all(|u| u.username.starts_with("user00012")) =>
        {
            Some(
                sample(|| async {
                    client.list_users(&pool_id, &search).await.expect("search");
                })
                .await,
            )
        }
        _ => None,
    };
    let scan = full_scan(&client, &pool_id).await;
    assert_eq!(scan.1, users, "{target}: the scan saw every user once");
    Row {
        target,
        users,
        create_per_sec,
        pages,
        first_page,
        tenth_page,
        prefix,
        scan,
    }
}

/// Wall time of a whole process (start-up included, as a user waits for it), median of 3.
fn process_time(mut command: impl FnMut() -> std::process::Command) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            let out = command()
                .stdout(std::process::Stdio::null())
                .output()
                .expect("run");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            start.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

const BOTO3_SCAN: &str = r#"
import sys, boto3
idp = boto3.client("cognito-idp", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
n = 0
for page in idp.get_paginator("list_users").paginate(UserPoolId=sys.argv[2]):
    n += len(page["Users"])
assert n == int(sys.argv[3]), n
"#;

fn main() {
    let n: usize = std::env::var("BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let scan_n: usize = std::env::var("BENCH_SCAN_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let peer_minutes: u64 = std::env::var("BENCH_PEER_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let budget = Duration::from_secs(peer_minutes * 60);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let serve = common::spawn_serve(&dir.path().join("bench.db"), &["--no-demo"]);
    let ours = common::endpoint_client(&serve.endpoint);
    let moto_endpoint = common::moto_endpoint();
    let moto = common::endpoint_client(&moto_endpoint);
    let cognito_local = std::env::var("COGNITO_LOCAL_ENDPOINT")
        .expect("COGNITO_LOCAL_ENDPOINT is not set: run scripts/bench, which starts cognito-local");
    let rows = runtime.block_on(async {
        vec![
            measure("cognito-console serve", ours, n, Duration::MAX).await,
            measure("moto server", moto.clone(), n, Duration::MAX).await,
            measure(
                "cognito-local",
                common::endpoint_client(&cognito_local),
                n,
                budget,
            )
            .await,
        ]
    });
    let db_size = std::fs::metadata(dir.path().join("bench.db"))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(dir.path().join("bench.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);

    // ---------------------------------------------------------------- three clients, one moto
    eprintln!("moto: a pool of {scan_n} users for the client scan...");
    let scan_pool = runtime.block_on(async {
        let id = moto.create_pool("scan").await.expect("pool").id;
        populate(&moto, &id, scan_n, Duration::MAX).await;
        id
    });
    let binary = common::binary();
    let ours_scan = process_time(|| {
        let mut c = std::process::Command::new(&binary);
        c.args([
            "--endpoint-url",
            &moto_endpoint,
            "--region",
            "us-east-1",
            "--pool",
            &scan_pool,
            "users",
            "--all",
        ]);
        c
    });
    let venv = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin");
    let boto3_scan = process_time(|| {
        let mut c = std::process::Command::new(venv.join("python"));
        c.args([
            "-c",
            BOTO3_SCAN,
            &moto_endpoint,
            &scan_pool,
            &scan_n.to_string(),
        ]);
        c
    });
    let cli_scan = process_time(|| {
        let mut c = std::process::Command::new(venv.join("aws"));
        c.args([
            "--endpoint-url",
            &moto_endpoint,
            "--region",
            "us-east-1",
            "--output",
            "json",
            "cognito-idp",
            "list-users",
            "--user-pool-id",
            &scan_pool,
        ]);
        c
    });

    println!();
    println!(
        "Pool of {n} users (a peer stops filling after {peer_minutes} minutes and is measured at the size it reached); \
         same SDK client over HTTP on 127.0.0.1, {CONCURRENCY} requests in flight while creating."
    );
    println!(
        "Latency: median of up to {SAMPLES} calls (at most 30 s of them; 95th percentile in brackets), client-side, round trip included."
    );
    println!();
    println!(
        "| target | users | AdminCreateUser (users/s) | ListUsers first page | ListUsers 10th page | email ^= search | full scan (60 a page) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let reached = if r.users < n {
            format!("{} (all it made in {peer_minutes} min)", r.users)
        } else {
            r.users.to_string()
        };
        println!(
            "| {} | {} | {:.0} | {} | {} | {} | {:.2} s |",
            r.target,
            reached,
            r.create_per_sec,
            if r.pages {
                r.first_page.show()
            } else {
                format!("{} (no paging: all {} users)", r.first_page.show(), r.users)
            },
            r.tenth_page
                .as_ref()
                .map_or("no paging".to_string(), Stats::show),
            r.prefix
                .as_ref()
                .map_or("not supported".to_string(), Stats::show),
            r.scan.0.as_secs_f64(),
        );
    }
    println!();
    println!(
        "Local store database: {:.1} MB for {n} users.",
        db_size as f64 / 1e6
    );
    println!();
    println!(
        "A full scan of {scan_n} users on the same moto server, each client as a process (start-up included), median of 3:"
    );
    println!();
    println!("| client | full scan | note |");
    println!("|---|---:|---|");
    println!(
        "| cognito-console users --all | {:.2} s | moto's own paging bounds all three |",
        ours_scan.as_secs_f64()
    );
    println!("| boto3 paginator | {:.2} s | |", boto3_scan.as_secs_f64());
    println!(
        "| aws cognito-idp list-users | {:.2} s | |",
        cli_scan.as_secs_f64()
    );
}
