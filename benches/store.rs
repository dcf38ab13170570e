//! The store benchmark: AdminCreateUser throughput and ListUsers latency on a large
//! pool, our `serve` side by side with moto server, same client, same data, same run.
//!
//! Run with `scripts/bench` (it starts moto). `BENCH_USERS` sets the pool size.

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

async fn sample<F, Fut>(mut call: F) -> Stats
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..10 {
        call().await;
    }
    let mut times = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = Instant::now();
        call().await;
        times.push(start.elapsed());
    }
    times.sort();
    Stats {
        median: times[SAMPLES / 2],
        p95: times[SAMPLES * 95 / 100],
    }
}

/// Creates `n` users (SUPPRESS, generated temporary passwords) with `CONCURRENCY`
/// requests in flight; returns users per second.
async fn populate(client: &Client, pool_id: &str, n: usize) -> f64 {
    let start = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let client = client.clone();
        let pool_id = pool_id.to_string();
        let next = Arc::clone(&next);
        tasks.push(tokio::spawn(async move {
            loop {
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
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    n as f64 / start.elapsed().as_secs_f64()
}

struct Row {
    target: &'static str,
    create_per_sec: f64,
    first_page: Stats,
    tenth_page: Stats,
    prefix: Stats,
}

async fn measure(target: &'static str, client: Client, n: usize) -> Row {
    let pool_id = client.create_pool("bench").await.expect("create pool").id;
    eprintln!("{target}: creating {n} users...");
    let create_per_sec = populate(&client, &pool_id, n).await;
    eprintln!("{target}: {create_per_sec:.0} users/s; measuring ListUsers...");
    let first = UserQuery {
        limit: Some(60),
        ..UserQuery::default()
    };
    let first_page = sample(|| async {
        let page = client.list_users(&pool_id, &first).await.expect("list");
        assert_eq!(page.users.len(), 60);
    })
    .await;
    let mut tenth = first.clone();
    for _ in 0..9 {
        tenth.pagination_token = client
            .list_users(&pool_id, &tenth)
            .await
            .expect("list")
            .next;
    }
    let tenth_page = sample(|| async {
        client.list_users(&pool_id, &tenth).await.expect("list");
    })
    .await;
    let search = UserQuery {
        limit: Some(60),
        filter: Some(Filter::new(
            SearchAttribute::Email,
            FilterOp::StartsWith,
            "user00012",
        )),
        ..UserQuery::default()
    };
    let prefix = sample(|| async {
        client.list_users(&pool_id, &search).await.expect("search");
    })
    .await;
    Row {
        target,
        create_per_sec,
        first_page,
        tenth_page,
        prefix,
    }
}

fn main() {
    let n: usize = std::env::var("BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let serve = common::spawn_serve(&dir.path().join("bench.db"), &["--no-demo"]);
    let ours = common::endpoint_client(&serve.endpoint);
    let moto = common::endpoint_client(&common::moto_endpoint());
    let rows = runtime.block_on(async {
        vec![
            measure("cognito-console serve", ours, n).await,
            measure("moto server", moto, n).await,
        ]
    });
    let db_size = std::fs::metadata(dir.path().join("bench.db"))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(dir.path().join("bench.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);

    println!();
    println!(
        "Pool of {n} users; same SDK client over HTTP on 127.0.0.1, {CONCURRENCY} requests in flight while creating."
    );
    println!(
        "Latency: median of {SAMPLES} calls (95th percentile in brackets), client-side, round trip included."
    );
    println!();
    println!(
        "| target | AdminCreateUser (users/s) | ListUsers first page | ListUsers 10th page | email ^= search |"
    );
    println!("|---|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {:.0} | {} | {} | {} |",
            r.target,
            r.create_per_sec,
            r.first_page.show(),
            r.tenth_page.show(),
            r.prefix.show()
        );
    }
    println!();
    println!(
        "Local store database: {:.1} MB for {n} users.",
        db_size as f64 / 1e6
    );
}
