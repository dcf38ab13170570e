//! Test targets: the same client against the in-process store, `serve` over TCP, and
//! moto server. Every harness gets its own database (or, for moto, its own pools).
#![allow(dead_code)]

pub mod kit;
pub mod pty;
pub mod smtp;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::config::{BehaviorVersion, Credentials, Region};
use cognito_console::client::{self, Client, Target};
use cognito_console::local::{Store, db::seed, wire::serve};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    InProcess,
    Serve,
    Moto,
}

/// A running `cognito-console serve`, killed when dropped.
pub struct ServeProcess {
    pub child: Child,
    pub endpoint: String,
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_cognito-console"))
}

/// Starts `serve` on a free loopback port with `db`, and waits until it listens.
pub fn spawn_serve(db: &Path, extra: &[&str]) -> ServeProcess {
    spawn_serve_in(Command::new(binary()), db, extra)
}

/// `serve` allowed only `files` open file descriptors (`ulimit -n`).
#[allow(dead_code)]
pub fn spawn_serve_with_files(files: u32, db: &Path, extra: &[&str]) -> ServeProcess {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
        .arg(binary());
    spawn_serve_in(command, db, extra)
}

fn spawn_serve_in(mut command: Command, db: &Path, extra: &[&str]) -> ServeProcess {
    let log = db.with_extension("log");
    let mut child = command
        .arg("--db")
        .arg(db)
        .arg("--log-file")
        .arg(&log)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start cognito-console serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read serve's first line");
    let endpoint = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line from serve: {line:?}"))
        .to_string();
    ServeProcess { child, endpoint }
}

/// An SDK client for an HTTP endpoint, with throwaway credentials.
pub fn endpoint_client(endpoint: &str) -> Client {
    let config = cognito::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .endpoint_url(endpoint)
        .build();
    Client::new(
        cognito::Client::from_conf(config),
        Target::Aws {
            profile: None,
            region: Some("us-east-1".into()),
            endpoint_url: Some(endpoint.into()),
        },
    )
}

/// moto server's endpoint: the test command starts one and exports MOTO_ENDPOINT.
pub fn moto_endpoint() -> String {
    std::env::var("MOTO_ENDPOINT").unwrap_or_else(|_| {
        panic!(
            "MOTO_ENDPOINT is not set: run the README's test command (scripts/test), \
             which installs and starts moto server, or start `moto_server -p PORT` and \
             export MOTO_ENDPOINT=http://127.0.0.1:PORT"
        )
    })
}

/// A pool on moto made for one test (its name starts with `prefix`), and the client that
/// made it, to set the pool up and to check what the console did to it.
pub async fn moto_pool(prefix: &str) -> (Client, String) {
    let setup = endpoint_client(&moto_endpoint());
    let name = format!("{prefix}-{}", uuid::Uuid::new_v4().simple());
    let pool = setup.create_pool(&name).await.expect("a pool on moto").id;
    (setup, pool)
}

/// The console on moto through `--endpoint-url`, the way a user points it at any
/// Cognito-compatible endpoint (credentials and region from the environment, which the
/// test command sets to throwaway values), opened on `pool`.
pub async fn moto_console(pool: &str) -> cognito_console::console::headless::Headless {
    // Without credentials in the environment the SDK would go on to ask an instance
    // metadata service; tests talk to loopback only.
    assert!(
        std::env::var_os("AWS_ACCESS_KEY_ID").is_some()
            && std::env::var_os("AWS_EC2_METADATA_DISABLED").is_some(),
        "run the README's test command (scripts/test): it sets throwaway AWS credentials"
    );
    let target = Target::Aws {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(moto_endpoint()),
    };
    let options = console_options(target, Some(pool.to_string()), false);
    let h = cognito_console::console::headless::Headless::start(options).await;
    assert!(
        h.app.pool.is_some(),
        "connected through --endpoint-url: {:?}",
        h.app.status
    );
    h
}

pub struct Harness {
    pub client: Client,
    pub flavor: Flavor,
    /// The local store's file, to look inside (outbox, verifiers) where the API cannot.
    pub db: Option<PathBuf>,
    /// Seconds the local store's clock runs ahead of the real one (see `advance`).
    clock_offset: Arc<AtomicU64>,
    _server: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// The moment every test's store starts at, 2026-11-22 09:30:00 UTC: no test, snapshot
/// or screenshot reads the machine's clock, so the suite passes on any day.
pub const START: Duration = Duration::from_secs(1_795_339_800);

/// A store whose clock stands at [`START`] plus `offset` seconds, moving only when a
/// test moves it.
pub fn store_with_clock(db: &Path, offset: &Arc<AtomicU64>) -> Store {
    let offset = offset.clone();
    Store::open(db)
        .expect("open store")
        .with_clock(Arc::new(move || {
            UNIX_EPOCH + START + Duration::from_secs(offset.load(Ordering::SeqCst))
        }))
}

/// A local store at `db` on the test clock, holding the demo pool as a fresh store does.
pub fn demo_store(db: &Path) -> Store {
    let store = store_with_clock(db, &Arc::new(AtomicU64::new(0)));
    seed::ensure_demo_pool(&store).expect("demo pool");
    store
}

/// The console on the local store at `db` (a fresh one gets the demo pool), whose clock
/// is the test clock. `options.target` names the same file.
/// Unless `options` bring their own, the session writes the audit log of that store
/// as `tester`.
pub async fn local_console(
    db: &Path,
    options: cognito_console::console::Options,
) -> cognito_console::console::headless::Headless {
    local_console_on(db, options, &Arc::new(AtomicU64::new(0))).await
}

/// As [`local_console`], on a test clock the caller moves with `offset` (seconds).
pub async fn local_console_on(
    db: &Path,
    mut options: cognito_console::console::Options,
    offset: &Arc<AtomicU64>,
) -> cognito_console::console::headless::Headless {
    let store = store_with_clock(db, offset);
    seed::ensure_demo_pool(&store).expect("demo pool");
    let client = client::target::local_client(Arc::new(store), Target::Local { db: db.into() });
    if options.audit.is_none() {
        let log = client::audit_log_of(&client).expect("an in-process client");
        let admin = cognito_console::pool::audit::Admin::local("tester", options.read_only);
        options.audit = Some(client::Auditor::new(log, admin));
    }
    cognito_console::console::headless::Headless::start_with_client(options, client).await
}

/// As [`local_console`], with the store and the console calling the pool's Lambda
/// functions at the test functions' Invoke API (scripts/peers.sh starts it). Call it
/// on a multi-threaded runtime: the store's calls wait on it from blocking threads.
#[allow(dead_code)]
pub async fn local_console_with_triggers(
    db: &Path,
    mut options: cognito_console::console::Options,
) -> cognito_console::console::headless::Headless {
    let (endpoint, _) = lambda_endpoint();
    let lambda = Arc::new(cognito_console::lambda::Lambda::new(Some(&endpoint), None));
    let store = store_with_clock(db, &Arc::new(AtomicU64::new(0))).with_lambda(lambda.clone());
    seed::ensure_demo_pool(&store).expect("demo pool");
    let client = client::target::local_client(Arc::new(store), Target::Local { db: db.into() })
        .with_lambda(lambda);
    let log = client::audit_log_of(&client).expect("an in-process client");
    let admin = cognito_console::pool::audit::Admin::local("tester", options.read_only);
    options.audit = Some(client::Auditor::new(log, admin));
    cognito_console::console::headless::Headless::start_with_client(options, client).await
}

impl Harness {
    /// A fresh target. `Serve` runs the store's HTTP router on a loopback port inside the
    /// test process (so the test controls its clock); the `serve` process itself is
    /// tested in tests/cli/serve.rs, tests/cli/aws_cli.rs and tests/store/srp_pycognito.rs.
    pub async fn new(flavor: Flavor) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("store.db");
        let clock_offset = Arc::new(AtomicU64::new(0));
        match flavor {
            Flavor::InProcess => {
                let store = Arc::new(store_with_clock(&db, &clock_offset));
                Self {
                    client: client::target::local_client(store, Target::Local { db: db.clone() }),
                    flavor,
                    db: Some(db),
                    clock_offset,
                    _server: None,
                    _dir: dir,
                }
            }
            Flavor::Serve => {
                let store = Arc::new(store_with_clock(&db, &clock_offset));
                let listener = serve::bind("127.0.0.1:0".parse().expect("address"), false)
                    .await
                    .expect("bind");
                let endpoint = format!("http://{}", listener.local_addr().expect("address"));
                let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
                tokio::spawn(serve::run(store, listener, async move {
                    let _ = stopped.await;
                }));
                Self {
                    client: endpoint_client(&endpoint),
                    flavor,
                    db: Some(db),
                    clock_offset,
                    _server: Some(stop),
                    _dir: dir,
                }
            }
            Flavor::Moto => Self {
                client: endpoint_client(&moto_endpoint()),
                flavor,
                db: None,
                clock_offset,
                _server: None,
                _dir: dir,
            },
        }
    }

    /// The target's time now, in seconds: the local store's test clock, or moto's (the
    /// machine's: moto's clock is its own).
    pub fn now_secs(&self) -> u64 {
        if self.is_moto() {
            return std::time::SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .expect("after the epoch")
                .as_secs();
        }
        START.as_secs() + self.clock_offset.load(Ordering::SeqCst)
    }

    /// Moves the local store's clock forward; false for moto, whose clock is its own.
    pub fn advance(&self, by: Duration) -> bool {
        if self.is_moto() {
            return false;
        }
        self.clock_offset.fetch_add(by.as_secs(), Ordering::SeqCst);
        true
    }

    pub fn sdk(&self) -> &cognito::Client {
        self.client.sdk()
    }

    pub fn is_moto(&self) -> bool {
        self.flavor == Flavor::Moto
    }

    /// A second handle on the local store's file (WAL lets both read and write).
    pub fn store(&self) -> Option<Store> {
        self.db
            .as_ref()
            .map(|db| Store::open(db).expect("open store"))
    }

    /// A new pool with a unique name, created through the SDK with extra settings.
    pub async fn pool_with(
        &self,
        configure: impl FnOnce(
            cognito::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
        ) -> cognito::operation::create_user_pool::builders::CreateUserPoolFluentBuilder,
    ) -> String {
        let name = format!("test-{}", uuid::Uuid::new_v4().simple());
        let out = configure(self.sdk().create_user_pool().pool_name(name))
            .send()
            .await
            .expect("create pool");
        out.user_pool()
            .and_then(|p| p.id())
            .expect("pool id")
            .to_string()
    }

    pub async fn pool(&self) -> String {
        self.pool_with(|b| b).await
    }
}

/// Console options as the command line would give them, with the default keymap.
pub fn console_options(
    target: Target,
    pool: Option<String>,
    color: bool,
) -> cognito_console::console::Options {
    cognito_console::console::Options {
        target,
        lambda_endpoint: std::env::var("LAMBDA_ENDPOINT").ok(),
        pool,
        read_only: false,
        read_only_why: None,
        keymap: cognito_console::console::keymap::Keymap::default(),
        theme: cognito_console::console::theme::Theme { color },
        notices: Vec::new(),
        mail: None,
        audit: None,
    }
}

/// The console on a fresh local store in `dir` (which gets the demo pool), on the test
/// clock.
pub async fn demo_console(dir: &Path, color: bool) -> cognito_console::console::headless::Headless {
    let db = dir.join("store.db");
    let target = Target::Local { db: db.clone() };
    local_console(&db, console_options(target, None, color)).await
}

/// Puts the Users list's cursor on `username`, as a person would: `3 g`, then `j`.
pub async fn select(h: &mut cognito_console::console::headless::Headless, username: &str) {
    h.press("3 g").await;
    for _ in 0..100 {
        if h.app.users.selected_user().map(|u| u.username.as_str()) == Some(username) {
            return;
        }
        h.press("j").await;
    }
    panic!("{username} is not in the table");
}

/// What the status line says now ("" when it says nothing).
pub fn status_text(h: &cognito_console::console::headless::Headless) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// Runs `tests/peers/SCRIPT` with the Python the test command set up in `.venv` (boto3,
/// pycognito), with no AWS profile or credentials file of the machine's; its output.
#[allow(dead_code)]
pub fn peer_script(script: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "boto3 and pycognito are not installed: run the README's test command (scripts/test), which installs them into .venv"
    );
    Command::new(python)
        .arg(root.join("tests/peers").join(script))
        .args(args)
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run Python")
}

/// Runs tests/peers/`script` with `input` on its stdin: what it printed. Fails the test
/// when the script fails, with what it said.
pub fn peer_script_with_input(script: &str, input: &str) -> String {
    use std::io::Write;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    assert!(
        python.exists(),
        "the test peers are not installed: run the README's test command (scripts/test), which installs them into .venv"
    );
    let mut child = Command::new(python)
        .arg(root.join("tests/peers").join(script))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run Python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to the script");
    let out = child.wait_with_output().expect("the script ends");
    assert!(
        out.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The Invoke API the test Lambda functions (tests/functions) answer on, and where they
/// record the events they get: both started by scripts/peers.sh.
#[allow(dead_code)]
pub fn lambda_endpoint() -> (String, PathBuf) {
    let endpoint = std::env::var("LAMBDA_ENDPOINT").expect(
        "LAMBDA_ENDPOINT is not set: run the README's test command (scripts/test), which starts the test functions",
    );
    let events =
        std::env::var("TRIGGER_EVENTS").expect("TRIGGER_EVENTS is not set: run scripts/test");
    (endpoint, PathBuf::from(events))
}

/// Runs the Python script at `path` (relative to the repository) in .venv with `args` and
/// reads the one JSON line it prints: the benchmarks' peer scripts. Fails with what the
/// script said if it fails.
#[allow(dead_code)]
pub fn python_json(path: &str, args: &[&str]) -> serde_json::Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join(".venv/bin/python"))
        .arg(root.join(path))
        .args(args)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap_or_else(|e| panic!("run {path}: {e}"));
    assert!(
        out.status.success(),
        "{path} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON line")
}
