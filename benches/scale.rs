//! Scale: one pool of a million users (`BENCH_SCALE_USERS`), measured at the store
//! (ListUsers first page, deep pages, `^=` on username, email, phone_number and sub,
//! DescribeUserPool) and in the console on the same file (first page on screen, the work
//! of each frame while j is held through 10,000 rows, a search, resident memory).
//!
//! The users go straight into the database (`seed::synthetic_users`): a million
//! AdminCreateUser calls would measure the 3072-bit verifier, which `benches/store.rs`
//! does. Run with `scripts/bench` or `cargo bench --bench scale`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use cognito_console::client::Target;
use cognito_console::console::action::Action;
use cognito_console::console::headless::Headless;
use cognito_console::local::{Store, db::seed, wire::api};
use crossterm::event::{KeyCode, KeyEvent};
use serde_json::{Value, json};

struct Stats {
    median: Duration,
    p95: Duration,
    max: Duration,
}

fn stats(mut times: Vec<Duration>) -> Stats {
    times.sort();
    Stats {
        median: times[times.len() / 2],
        p95: times[times.len() * 95 / 100],
        max: times[times.len() - 1],
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

impl Stats {
    fn row(&self, what: &str, target: &str) -> String {
        let ok = if self.max <= Duration::from_millis(20) {
            "yes"
        } else {
            "**no**"
        };
        format!(
            "| {what} | {} | {} | {} | {target} | {ok} |",
            ms(self.median),
            ms(self.p95),
            ms(self.max)
        )
    }
}

fn list(store: &Store, body: Value) -> (Duration, Value) {
    let start = Instant::now();
    let out = api::call(store, &Default::default(), "ListUsers", &body).expect("ListUsers");
    (start.elapsed(), out)
}

/// This process's resident memory now (VmRSS) or at its peak so far (VmHWM), in MB.
fn memory_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Set in the console's process: what it opens (see [`console_child`]).
const CONSOLE_CHILD: &str = "BENCH_SCALE_CONSOLE";

fn main() {
    if let Ok(spec) = std::env::var(CONSOLE_CHILD) {
        return console_child(&spec);
    }
    let n: usize = std::env::var("BENCH_SCALE_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("scale.db");
    let store = Store::open(&db).expect("store");
    let pool = api::call(
        &store,
        &Default::default(),
        "CreateUserPool",
        &json!({"PoolName": "scale"}),
    )
    .expect("pool")["UserPool"]["Id"]
        .as_str()
        .expect("id")
        .to_string();
    eprintln!("inserting {n} users...");
    let start = Instant::now();
    seed::synthetic_users(&store, &pool, 0, n).expect("users");
    let insert = start.elapsed();
    // Closing the last connection checkpoints the WAL into the file.
    drop(store);
    let db_mb = std::fs::metadata(&db).map_or(0, |m| m.len()) as f64 / 1e6;
    let store = Store::open(&db).expect("store");

    // ---------------------------------------------------------------- the store
    const SAMPLES: usize = 200;
    let first = stats(
        (0..SAMPLES)
            .map(|_| list(&store, json!({"UserPoolId": pool, "Limit": 60})).0)
            .collect(),
    );
    eprintln!("walking every page...");
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    let scan_start = Instant::now();
    let mut seen = 0usize;
    loop {
        let mut body = json!({"UserPoolId": pool, "Limit": 60});
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let (took, out) = list(&store, body);
        pages.push(took);
        seen += out["Users"].as_array().map_or(0, Vec::len);
        match out["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    let scan = scan_start.elapsed();
    assert_eq!(seen, n, "the scan saw every user once");
    let page_count = pages.len();
    let later = stats(pages);

    let sub_sample: Vec<String> = api::call(
        &store,
        &Default::default(),
        "ListUsers",
        &json!({"UserPoolId": pool, "Limit": 60}),
    )
    .expect("list")["Users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| {
            u["Attributes"]
                .as_array()?
                .iter()
                .find(|a| a["Name"] == "sub")?["Value"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    let prefix = |attribute: &str, values: &dyn Fn(usize) -> String| {
        stats(
            (0..SAMPLES)
                .map(|i| {
                    let filter = format!("{attribute} ^= \"{}\"", values(i));
                    list(
                        &store,
                        json!({"UserPoolId": pool, "Limit": 60, "Filter": filter}),
                    )
                    .0
                })
                .collect(),
        )
    };
    let digits = |i: usize| format!("{:04}", (i * 4_999) % n.max(1) / 1000);
    let by_username = prefix("username", &|i| format!("user{}", digits(i)));
    let by_email = prefix("email", &|i| format!("user{}", digits(i)));
    let by_phone = prefix("phone_number", &|i| format!("+1555{}", digits(i)));
    let by_sub = prefix("sub", &|i| {
        sub_sample[i % sub_sample.len()][..2].to_string()
    });
    let describe = stats(
        (0..SAMPLES)
            .map(|_| {
                let start = Instant::now();
                let out = api::call(
                    &store,
                    &Default::default(),
                    "DescribeUserPool",
                    &json!({"UserPoolId": pool}),
                )
                .expect("describe");
                assert_eq!(out["UserPool"]["EstimatedNumberOfUsers"], json!(n));
                start.elapsed()
            })
            .collect(),
    );
    drop(store);

    // ---------------------------------------------------------------- the console
    // In a process of its own, as an admin runs it: its memory is the console's alone,
    // not this process's after a million inserts.
    let search_prefix = format!("user{:04}", n / 2 / 1000);
    let out = std::process::Command::new(std::env::current_exe().expect("this bench"))
        .env(
            CONSOLE_CHILD,
            format!("{}\t{pool}\t{search_prefix}", db.display()),
        )
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("the console's process");
    assert!(out.status.success(), "the console's process failed");
    let figures: Value = serde_json::from_slice(&out.stdout).expect("its figures");
    let secs = |key: &str| Duration::from_secs_f64(figures[key].as_f64().expect(key));
    let first_page = secs("first_page");
    let warm_first_page = secs("warm_first_page");
    let frames = Stats {
        median: secs("frame_median"),
        p95: secs("frame_p95"),
        max: secs("frame_max"),
    };
    let search = secs("search");
    let at_row = figures["at_row"].as_u64().expect("row");
    let far_row = figures["far_row"].as_u64().expect("row");
    let rss_start = figures["rss_start"].as_f64().expect("rss");
    let rss_peak = figures["rss_peak"].as_f64().expect("rss");

    println!();
    println!(
        "One pool of {n} users in the local store ({db_mb:.0} MB on disk, WAL checkpointed; inserted in {:.1} s).",
        insert.as_secs_f64()
    );
    println!("At the store (in process, no HTTP), {SAMPLES} calls each; target 20 ms:");
    println!();
    println!("| call | median | p95 | max | target | met |");
    println!("|---|---:|---:|---:|---:|:---:|");
    println!("{}", first.row("ListUsers, first page", "20 ms"));
    println!(
        "{}",
        later.row(
            &format!("ListUsers, every later page ({page_count} pages)"),
            "20 ms"
        )
    );
    println!("{}", by_username.row("`username ^=`", "20 ms"));
    println!("{}", by_email.row("`email ^=`", "20 ms"));
    println!("{}", by_phone.row("`phone_number ^=`", "20 ms"));
    println!("{}", by_sub.row("`sub ^=` (two hex digits)", "20 ms"));
    println!(
        "{}",
        describe.row("DescribeUserPool (EstimatedNumberOfUsers)", "20 ms")
    );
    println!();
    println!(
        "Full scan, 60 a page: {:.1} s ({:.0} users/s).",
        scan.as_secs_f64(),
        n as f64 / scan.as_secs_f64()
    );
    println!();
    println!(
        "The console on that pool (80x24, the same effects the terminal runs, in a process of its own: {rss_start:.0} MB resident before it starts):"
    );
    println!();
    println!("| measure | figure | target | met |");
    println!("|---|---:|---:|:---:|");
    let met = |ok: bool| if ok { "yes" } else { "**no**" };
    println!(
        "| start to first page on screen | {} | 100 ms | {} |",
        ms(first_page),
        met(first_page <= Duration::from_millis(100))
    );
    println!(
        "| the same, a second console in that process (its code already in memory) | {} | 100 ms | {} |",
        ms(warm_first_page),
        met(warm_first_page <= Duration::from_millis(100))
    );
    println!(
        "| frame work holding j through 10,000 rows (median / p95 / max) | {} / {} / {} | 16 ms | {} |",
        ms(frames.median),
        ms(frames.p95),
        ms(frames.max),
        met(frames.max <= Duration::from_millis(16))
    );
    println!(
        "| search `username ^= \"{search_prefix}\"`, enter to results | {} | 100 ms | {} |",
        ms(search),
        met(search <= Duration::from_millis(100))
    );
    println!(
        "| resident memory, peak, scrolling to row {at_row} then {far_row} | {rss_peak:.0} MB | 100 MB | {} |",
        met(rss_peak <= 100.0)
    );
}

/// The console's half, in its own process: `spec` is the database, the pool and the
/// search prefix, tab-separated; the figures go to stdout as JSON.
fn console_child(spec: &str) {
    let mut parts = spec.split('\t');
    let (Some(db), Some(pool), Some(search_prefix)) = (parts.next(), parts.next(), parts.next())
    else {
        panic!("{CONSOLE_CHILD}: database, pool and prefix");
    };
    let db = std::path::PathBuf::from(db);
    let pool = pool.to_string();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let rss_start = memory_mb("VmRSS:");
    let console = runtime.block_on(async {
        let (mut h, first_page) = start_console(&db, &pool).await;

        // Holding j: each frame is the key's update plus a render; the pages it asks
        // for run as effects (off the UI task in the terminal), untimed here.
        let mut frames = Vec::with_capacity(10_000);
        let mut rss_peak: f64 = 0.0;
        for i in 0..10_000 {
            let start = Instant::now();
            h.send(Action::Key(KeyEvent::from(KeyCode::Char('j'))));
            h.buffer(80, 24);
            frames.push(start.elapsed());
            h.settle().await;
            if i % 1000 == 0 {
                rss_peak = rss_peak.max(memory_mb("VmRSS:"));
            }
        }
        let at_row = h.app.users.selected;
        // Further: a hundred thousand rows down with page-down, memory checked on the way.
        for i in 0..5_000 {
            h.press("pgdn").await;
            if i % 500 == 0 {
                rss_peak = rss_peak.max(memory_mb("VmRSS:"));
            }
        }
        let far_row = h.app.users.selected;
        rss_peak = rss_peak.max(memory_mb("VmRSS:"));

        let start = Instant::now();
        h.press("/").await;
        h.type_text(search_prefix).await;
        let typed = start.elapsed();
        let start = Instant::now();
        h.press("enter").await;
        let search = start.elapsed();
        assert!(
            h.app
                .users
                .rows
                .first()
                .is_some_and(|u| u.username.starts_with(search_prefix)),
            "search found the users"
        );
        (
            first_page,
            stats(frames),
            at_row,
            far_row,
            rss_peak,
            search,
            typed,
        )
    });
    let (first_page, frames, at_row, far_row, rss_peak, search, _typed) = console;
    // The peak the kernel saw, which a sample every few hundred keys could miss.
    let rss_peak = rss_peak.max(memory_mb("VmHWM:"));
    // A second console in the same process: its code already paged in, as the console
    // was when this bench measured it in the process that made the pool.
    let warm_first_page = runtime.block_on(async { start_console(&db, &pool).await.1 });
    println!(
        "{}",
        json!({
            "first_page": first_page.as_secs_f64(),
            "warm_first_page": warm_first_page.as_secs_f64(),
            "frame_median": frames.median.as_secs_f64(),
            "frame_p95": frames.p95.as_secs_f64(),
            "frame_max": frames.max.as_secs_f64(),
            "search": search.as_secs_f64(),
            "at_row": at_row,
            "far_row": far_row,
            "rss_start": rss_start,
            "rss_peak": rss_peak,
        })
    );
}

/// A console on `pool` at 80x24, and the time from its start to its first page drawn.
async fn start_console(db: &std::path::Path, pool: &str) -> (Headless, Duration) {
    let options = common::console_options(
        Target::Local {
            db: db.to_path_buf(),
        },
        Some(pool.to_string()),
        false,
    );
    let start = Instant::now();
    let mut h = Headless::start(options).await;
    h.buffer(80, 24);
    let took = start.elapsed();
    assert!(h.app.users.rows.len() >= 60, "first page loaded");
    (h, took)
}
