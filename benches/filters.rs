//! Filters ListUsers cannot do, as the console runs them, beside the aws CLI doing the
//! same with `--filter` and jq, in one run on this machine:
//!
//! - the local store, one pool of `BENCH_FILTER_USERS` (default 1,000,000): each local
//!   filter run in the store (the first page of matches, and every match to the end),
//!   and the aws CLI paging the same pool through `serve` into jq;
//! - moto server, one pool of `BENCH_FILTER_MOTO_USERS` (default 100,000): the console's
//!   client filtering each page as it comes, and the aws CLI with jq, on the same pool.
//!
//! The local pool's users go straight into the database (`seed::synthetic_users`), then
//! a tenth are disabled, a third confirmed and their dates spread over a year, so each
//! filter has something to find and something to pass over. Run with `scripts/bench
//! filters`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_console::client::{Client, Target, UserQuery, target};
use cognito_console::local::{Store, db::seed, wire::api};
use cognito_console::pool::user_filter::{Days, LocalFilter, Pattern, Sort, SortColumn};
use cognito_console::pool::{Attribute, MessageAction, NewUser, UserStatus};
use serde_json::json;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn secs(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{:.1} ms", d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.2} s", d.as_secs_f64())
    }
}

/// The first page of matches (60), and every match to the end: how long each took and
/// how many matched.
async fn run(client: &Client, pool: &str, query: UserQuery) -> (Duration, Duration, usize) {
    let start = Instant::now();
    let mut query = UserQuery {
        limit: Some(60),
        ..query
    };
    let mut first = None;
    let mut found = 0;
    loop {
        let page = client.list_users(pool, &query).await.expect("a page");
        found += page.users.len();
        if first.is_none() && (found >= 60 || page.next.is_none()) {
            first = Some(start.elapsed());
        }
        match page.next {
            Some(token) => query.pagination_token = Some(token),
            None => break,
        }
    }
    (first.unwrap_or_default(), start.elapsed(), found)
}

/// The aws CLI listing every user of `pool` at `endpoint` (with `filter` if given),
/// piped into jq counting what `select` keeps: wall time and the count.
fn aws_cli_jq(endpoint: &str, pool: &str, filter: Option<&str>, select: &str) -> (Duration, usize) {
    let aws = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/aws");
    let mut args = vec![
        "--endpoint-url".to_string(),
        endpoint.to_string(),
        "--region".into(),
        "us-east-1".into(),
        "--output".into(),
        "json".into(),
        "cognito-idp".into(),
        "list-users".into(),
        "--user-pool-id".into(),
        pool.to_string(),
    ];
    if let Some(f) = filter {
        args.extend(["--filter".to_string(), f.to_string()]);
    }
    let start = Instant::now();
    let mut cli = Command::new(aws)
        .args(&args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("aws");
    let jq = Command::new("jq")
        .args([&format!("[.Users[] | select({select})] | length")])
        .stdin(cli.stdout.take().expect("pipe"))
        .output()
        .expect("jq");
    assert!(cli.wait().expect("aws").success(), "the aws CLI failed");
    let took = start.elapsed();
    let count = String::from_utf8_lossy(&jq.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    (took, count)
}

/// jq's test of a user's values for `needle`, ignoring case, as `contains` does.
fn jq_contains(needle: &str) -> String {
    format!(
        "([.Username] + [.Attributes[].Value]) | any(ascii_downcase | contains(\"{}\"))",
        needle.to_lowercase()
    )
}

fn filters(today: i64) -> Vec<(&'static str, LocalFilter, Option<Sort>)> {
    vec![
        (
            "contains \"given42\" (1.1%)",
            LocalFilter {
                contains: Some("given42".into()),
                ..LocalFilter::default()
            },
            None,
        ),
        (
            "regex ^user\\d{5}77$ (1%)",
            LocalFilter {
                regex: Some(Pattern::new(r"^user\d{5}77$").expect("pattern")),
                ..LocalFilter::default()
            },
            None,
        ),
        (
            "disabled and CONFIRMED (3.3%)",
            LocalFilter {
                status: Some(UserStatus::Confirmed),
                enabled: Some(false),
                ..LocalFilter::default()
            },
            None,
        ),
        (
            "created in the last 7 days (1.9%)",
            LocalFilter {
                created: Days {
                    from: Some(today - 6),
                    before: None,
                },
                ..LocalFilter::default()
            },
            None,
        ),
        (
            "email verified (none: a whole scan)",
            LocalFilter {
                email_verified: Some(true),
                ..LocalFilter::default()
            },
            None,
        ),
        (
            "every user, newest first",
            LocalFilter::default(),
            Some(Sort {
                column: SortColumn::Created,
                descending: true,
            }),
        ),
    ]
}

fn main() {
    let n = env("BENCH_FILTER_USERS", 1_000_000);
    let moto_n = env("BENCH_FILTER_MOTO_USERS", 100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("filters.db");

    // ---------------------------------------------------------------- a million, local
    let store = Store::open(&db).expect("store");
    let pool = api::call(
        &store,
        &Default::default(),
        "CreateUserPool",
        &json!({"PoolName": "filters"}),
    )
    .expect("pool")["UserPool"]["Id"]
        .as_str()
        .expect("id")
        .to_string();
    eprintln!("inserting {n} users...");
    seed::synthetic_users(&store, &pool, 0, n).expect("users");
    let now = store
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("now")
        .as_secs_f64();
    store
        .write(|tx| {
            tx.execute(
                // Each user's number is in their name (user0000042).
                "UPDATE users SET enabled = (CAST(substr(username, 5) AS INTEGER) % 10 != 0),
                    status = CASE WHEN CAST(substr(username, 5) AS INTEGER) % 3 = 0
                        THEN 'CONFIRMED' ELSE status END,
                    created = ?1 - (CAST(substr(username, 5) AS INTEGER) % 365) * 86400.0,
                    modified = ?1 - (CAST(substr(username, 5) AS INTEGER) % 365) * 86400.0
                 WHERE pool_id = ?2",
                rusqlite::params![now, pool],
            )?;
            Ok(())
        })
        .expect("variety");
    let today = (now / 86_400.0).floor() as i64;
    let store = Arc::new(store);
    let local = target::local_client(store.clone(), Target::Local { db: db.clone() });
    let mut rows = Vec::new();
    for (what, filter, sort) in filters(today) {
        eprintln!("local: {what}...");
        let query = UserQuery {
            local: filter,
            sort,
            ..UserQuery::default()
        };
        let (first, all, found) = runtime.block_on(run(&local, &pool, query));
        rows.push((what, first, all, found));
    }
    drop(local);
    drop(store);

    // The aws CLI through serve on the same file: a server-side prefix (--filter), and a
    // contains that only jq can do, over every page.
    let serve = common::spawn_serve(&db, &["--no-demo"]);
    eprintln!("aws CLI: --filter on serve...");
    let (prefix_cli, prefix_found) = aws_cli_jq(
        &serve.endpoint,
        &pool,
        Some("given_name ^= \"Given42\""),
        "true",
    );
    let prefix_ours = runtime.block_on(async {
        let client = common::endpoint_client(&serve.endpoint);
        let query = UserQuery {
            filter: Some(cognito_console::pool::filter::Filter::new(
                cognito_console::pool::filter::SearchAttribute::GivenName,
                cognito_console::pool::filter::FilterOp::StartsWith,
                "Given42",
            )),
            ..UserQuery::default()
        };
        run(&client, &pool, query).await
    });
    eprintln!("aws CLI: every page into jq on serve (minutes)...");
    let (contains_cli, contains_cli_found) =
        aws_cli_jq(&serve.endpoint, &pool, None, &jq_contains("given42"));
    drop(serve);

    // ---------------------------------------------------------------- moto
    let moto_endpoint = common::moto_endpoint();
    let moto = common::endpoint_client(&moto_endpoint);
    eprintln!("moto: {moto_n} users (AdminCreateUser, 8 in flight)...");
    let moto_pool = runtime.block_on(async {
        let id = moto.create_pool("filters").await.expect("pool").id;
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (moto, id, next) = (moto.clone(), id.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= moto_n {
                        return;
                    }
                    let username = format!("user{i:07}");
                    let domain = if i % 50 == 0 {
                        "corp.test"
                    } else {
                        "example.com"
                    };
                    let user = NewUser {
                        attributes: vec![Attribute::new("email", format!("{username}@{domain}"))],
                        username,
                        message_action: Some(MessageAction::Suppress),
                        ..NewUser::default()
                    };
                    moto.create_user(&id, &user).await.expect("create");
                }
            }));
        }
        for t in tasks {
            t.await.expect("writer");
        }
        id
    });
    eprintln!("moto: the console's client, filtering each page...");
    let moto_ours = runtime.block_on(run(
        &moto,
        &moto_pool,
        UserQuery {
            local: LocalFilter {
                contains: Some("CORP.test".into()),
                ..LocalFilter::default()
            },
            ..UserQuery::default()
        },
    ));
    eprintln!("moto: the aws CLI into jq...");
    let (moto_cli, moto_cli_found) =
        aws_cli_jq(&moto_endpoint, &moto_pool, None, &jq_contains("corp.test"));

    println!("\n### Local filters on {n} users, in the local store\n");
    println!("| filter | first page (60) | every match | matches |");
    println!("|---|---|---|---|");
    for (what, first, all, found) in &rows {
        println!("| {what} | {} | {} | {found} |", secs(*first), secs(*all));
    }
    println!("\n### The same pool through `serve`, beside the aws CLI (one run)\n");
    println!("| search | cognito-console | aws CLI (+ jq) | matches |");
    println!("|---|---|---|---|");
    println!(
        "| `given_name ^= \"Given42\"` (ListUsers' own) | {} (first page {}) | {} | {} / {} |",
        secs(prefix_ours.1),
        secs(prefix_ours.0),
        secs(prefix_cli),
        prefix_ours.2,
        prefix_found
    );
    println!(
        "| contains \"given42\" (jq over every page; the console in the store) | {} | {} | {} / {} |",
        secs(rows[0].2),
        secs(contains_cli),
        rows[0].3,
        contains_cli_found
    );
    println!("\n### {moto_n} users on moto server, filtered as each page comes\n");
    println!("| search | cognito-console's client | aws CLI + jq | matches |");
    println!("|---|---|---|---|");
    println!(
        "| contains \"corp.test\" | {} (first page {}) | {} | {} / {} |",
        secs(moto_ours.1),
        secs(moto_ours.0),
        secs(moto_cli),
        moto_ours.2,
        moto_cli_found
    );
}
