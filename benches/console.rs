//! Console benchmarks: time to the first frame and to the first page of users on a
//! 100,000-user local pool (the built binary in a pseudo-terminal), render time of a
//! full 200x60 frame, and the bytes one cursor move writes to the terminal (what an SSH
//! link carries). The aws CLI lists the same first page in the same run.
//!
//! Run with `scripts/bench` or `cargo bench --bench console`. `BENCH_USERS` sets the
//! pool size (default 100000).

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cognito_console::client::Target;
use cognito_console::console::Options;
use cognito_console::console::headless::Headless;
use cognito_console::console::keymap::Keymap;
use cognito_console::console::theme::Theme;
use cognito_console::local::db::users::{self, UserRecord};
use cognito_console::local::ops::Context;
use cognito_console::local::sign_in::srp;
use cognito_console::local::wire::api::call;
use cognito_console::local::{Store, db::pools};
use cognito_console::pool::{Attribute, Secret, UserStatus};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::widgets::Widget;
use serde_json::json;

/// A pool of `n` users, written straight into the store (one verifier shared by all:
/// listing does not read it, and this keeps set-up to seconds).
fn big_pool(db: &Path, n: usize) -> String {
    let store = Store::open(db).unwrap();
    let out = call(
        &store,
        &Context::default(),
        "CreateUserPool",
        &json!({"PoolName": "Big pool"}),
    )
    .unwrap();
    let pool_id = out["UserPool"]["Id"].as_str().unwrap().to_string();
    let verifier = srp::new_verifier(&pool_id, "x", &Secret::new("Passw0rd!"));
    store
        .write(|tx| {
            let pool = pools::load(tx, &pool_id)?;
            for i in 0..n {
                let username = format!("user{i:07}");
                let record = UserRecord {
                    username: username.clone(),
                    sub: uuid::Uuid::new_v4().to_string(),
                    status: if i % 3 == 0 {
                        UserStatus::Confirmed
                    } else {
                        UserStatus::ForceChangePassword
                    },
                    enabled: i % 17 != 0,
                    created: 1.7e9,
                    modified: 1.7e9,
                    attributes: vec![
                        Attribute::new("email", format!("{username}@example.com")),
                        Attribute::new("email_verified", "true"),
                    ],
                    temporary_password_expires: None,
                };
                let key = users::username_key(&pool.settings, &username);
                users::insert(tx, &pool.id, &key, &record, &verifier)?;
            }
            Ok(())
        })
        .unwrap();
    pool_id
}

/// Starts the console in a pty; returns (first byte drawn, first page of users shown).
fn console_start(db: &Path, pool_id: &str) -> (Duration, Duration) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(common::binary());
    let log = db.with_extension("log");
    cmd.args([
        "--db",
        db.to_str().unwrap(),
        "--log-file",
        log.to_str().unwrap(),
        "--pool",
        pool_id,
    ]);
    cmd.env("TERM", "xterm-256color");
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let output = Arc::new(Mutex::new((Vec::new(), None::<Duration>)));
    let sink = Arc::clone(&output);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut o = sink.lock().unwrap();
            o.1.get_or_insert(start.elapsed());
            o.0.extend_from_slice(&buf[..n]);
        }
    });
    let first_page = loop {
        {
            let o = output.lock().unwrap();
            let mut parser = vt100::Parser::new(24, 80, 0);
            parser.process(&o.0);
            if parser.screen().contents().contains("user0000001") {
                break start.elapsed();
            }
        }
        assert!(start.elapsed() < Duration::from_secs(30), "no first page");
        std::thread::sleep(Duration::from_micros(500));
    };
    let first_byte = output.lock().unwrap().1.unwrap_or(first_page);
    let _ = child.kill();
    let _ = child.wait();
    (first_byte, first_page)
}

/// Counts the bytes the terminal backend writes.
struct Counter(Arc<std::sync::atomic::AtomicUsize>);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .fetch_add(buf.len(), std::sync::atomic::Ordering::SeqCst);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn aws_cli() -> Option<std::path::PathBuf> {
    std::env::var_os("AWS_CLI")
        .map(Into::into)
        .or_else(|| {
            Some(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/aws"))
        })
        .filter(|p: &std::path::PathBuf| p.exists())
}

fn main() {
    let n: usize = std::env::var("BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    eprintln!("building a pool of {n} users...");
    let pool_id = big_pool(&db, n);

    eprintln!("console start-up in a pty...");
    let runs: Vec<(Duration, Duration)> = (0..7).map(|_| console_start(&db, &pool_id)).collect();
    let first_frame = median(runs.iter().map(|r| r.0).collect());
    let first_page = median(runs.iter().map(|r| r.1).collect());

    eprintln!("our CLI and the aws CLI listing the first page...");
    let ours_cli = median(
        (0..7)
            .map(|_| {
                let t = Instant::now();
                let out = Command::new(common::binary())
                    .args([
                        "--db",
                        db.to_str().unwrap(),
                        "--log-file",
                        db.with_extension("cli.log").to_str().unwrap(),
                    ])
                    .args(["--pool", &pool_id, "users"])
                    .output()
                    .unwrap();
                assert!(out.status.success());
                t.elapsed()
            })
            .collect(),
    );
    let aws = aws_cli().map(|aws| {
        let serve = common::spawn_serve(&db, &["--no-demo"]);
        median(
            (0..7)
                .map(|_| {
                    let t = Instant::now();
                    let out = Command::new(&aws)
                        .args([
                            "--endpoint-url",
                            &serve.endpoint,
                            "--region",
                            "us-east-1",
                            "cognito-idp",
                            "list-users",
                        ])
                        .args([
                            "--user-pool-id",
                            &pool_id,
                            "--max-items",
                            "60",
                            "--output",
                            "json",
                        ])
                        .env("AWS_ACCESS_KEY_ID", "test")
                        .env("AWS_SECRET_ACCESS_KEY", "test")
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    t.elapsed()
                })
                .collect(),
        )
    });

    eprintln!("render and bytes per keystroke...");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let options = Options {
        lambda_endpoint: None,
        target: Target::Local { db: db.clone() },
        pool: Some(pool_id.clone()),
        read_only: false,
        read_only_why: None,
        keymap: Keymap::default(),
        theme: Theme::from_env(),
        notices: Vec::new(),
        mail: None,
        audit: None,
    };
    let mut h = runtime.block_on(Headless::start(options));
    runtime.block_on(h.press("3"));
    let frames = 500;
    let mut buffer = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 200, 60));
    let t = Instant::now();
    for _ in 0..frames {
        buffer.reset();
        (&h.app).render(buffer.area, &mut buffer);
    }
    let render = t.elapsed() / frames;

    let written = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(Counter(Arc::clone(&written))),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 80, 24)),
        },
    )
    .unwrap();
    let draw = |h: &mut Headless, terminal: &mut Terminal<CrosstermBackend<Counter>>| {
        written.store(0, std::sync::atomic::Ordering::SeqCst);
        terminal
            .draw(|f| f.render_widget(&h.app, f.area()))
            .unwrap();
        written.load(std::sync::atomic::Ordering::SeqCst)
    };
    let full = draw(&mut h, &mut terminal);
    let mut moves = Vec::new();
    for _ in 0..20 {
        runtime.block_on(h.press("j"));
        moves.push(draw(&mut h, &mut terminal));
    }
    moves.sort();
    let per_move = moves[moves.len() / 2];

    println!();
    println!("Console on a local pool of {n} users (80x24 pseudo-terminal; medians of 7 runs).");
    println!();
    println!("| measure | cognito-console | peer |");
    println!("|---|---:|---:|");
    println!("| start to first frame | {} | |", ms(first_frame));
    let aws_text = aws.map_or("aws CLI not installed".to_string(), |d| {
        format!("{} (aws CLI list-users, first 60, against serve)", ms(d))
    });
    println!(
        "| start to first page of users on screen | {} | {aws_text} |",
        ms(first_page)
    );
    println!(
        "| `cognito-console users` (first 60, plain CLI) | {} | |",
        ms(ours_cli)
    );
    println!(
        "| render a full 200x60 Users frame | {:.0} µs | |",
        render.as_secs_f64() * 1e6
    );
    println!("| bytes written, full 80x24 frame | {full} | |");
    println!("| bytes written when the cursor moves one row | {per_move} | |");
}
