use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use cognito_console::bulk;
use cognito_console::cli::{Cli, Command, OutboxArgs, ServeArgs, UsersArgs};
use cognito_console::client::{self, Target, UserQuery};
use cognito_console::local::{Store, relay, seed, serve};
use cognito_console::outbox_command;
use cognito_console::pool::{User, filter};
use cognito_console::settings;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    let _log = match init_logging(cli.log_file.as_deref()) {
        Ok(guard) => guard,
        Err(e) => {
            eprintln!("cognito-console: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cognito-console: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // `users --all | head -1`: the reader has all it wanted.
        Err(e) if closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "exiting with an error");
            eprintln!(
                "cognito-console: {}",
                cognito_console::pool::printable::lines(&format!("{e:#}"))
            );
            ExitCode::FAILURE
        }
    }
}

fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A line to standard output; a closed pipe is an error, for `main` to end quietly on.
/// One line (or a message's lines) on stdout, never a character that drives the
/// terminal: stored values may hold them (`pool::printable`).
macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(
            std::io::stdout().lock(),
            "{}",
            cognito_console::pool::printable::lines(&format!($($arg)*))
        )?
    };
}

/// Logs go to a file, never to the terminal (the console owns it). Passwords are never
/// logged: no code path passes one to `tracing`.
fn init_logging(path: Option<&Path>) -> Result<tracing_appender::non_blocking::WorkerGuard> {
    let path = path
        .map(Path::to_path_buf)
        .unwrap_or_else(settings::default_log_path);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    cognito_console::local::store::create_private_dir(dir)
        .with_context(|| format!("cannot create log directory {}", dir.display()))?;
    let file = open_private_append(&path)
        .with_context(|| format!("cannot open log file {}", path.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("COGNITO_CONSOLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .init();
    Ok(guard)
}

fn open_private_append(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

async fn run(cli: Cli) -> Result<()> {
    let target = cli.target.target();
    match &cli.command {
        Some(Command::Serve(args)) => {
            let mut args = args.clone();
            if args.mail.smtp.is_none() {
                // `cognito-console --smtp URL serve` means the same.
                args.mail = cli.mail.clone();
            }
            serve_store(&target, args).await
        }
        Some(Command::Pools) => list_pools(&target).await,
        Some(Command::Users(args)) => list_users(&target, cli.pool.as_deref(), args.clone()).await,
        Some(Command::Outbox(args)) => {
            show_outbox(&target, cli.pool.as_deref(), args.clone()).await
        }
        Some(Command::Export(args)) => {
            let client = client::connect(target.clone()).await?;
            let pool_id = choose_pool(&client, cli.pool.as_deref()).await?;
            bulk::command::export(&client, &pool_id, args).await
        }
        Some(Command::Import(args)) => {
            if cli.read_only && !args.dry_run {
                bail!("--read-only: import writes users; use --dry-run to check the file");
            }
            let client = client::connect(target.clone()).await?;
            let pool_id = choose_pool(&client, cli.pool.as_deref()).await?;
            bulk::command::import(&client, &pool_id, args).await
        }
        Some(Command::Ssh(args)) => {
            cognito_console::ssh_command::run(&cli, target, args, shutdown_signal()?).await
        }
        Some(Command::Audit(args)) => {
            let db = settings::audit_db_path(&target);
            cognito_console::audit_command::run(&db, cli.pool.as_deref(), args).await
        }
        None => cognito_console::console_command::run(&cli, target).await,
    }
}

async fn serve_store(target: &Target, args: ServeArgs) -> Result<()> {
    let Target::Local { db } = target else {
        bail!(
            "serve works on the local store; drop the AWS options (--aws, --profile, --region, --endpoint-url)"
        );
    };
    // Every option is checked before the port is taken.
    let mail = args.mail.relay().map_err(anyhow::Error::msg)?;
    let credentials = match &args.credentials {
        Some(path) => Some(serve::KeyPairs::load(path).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let listener = serve::bind(args.listen, args.allow_remote).await?;
    let db = db.clone();
    let store = tokio::task::spawn_blocking(move || -> Result<Store> {
        let store = Store::open(&db)?;
        if !args.no_demo {
            seed::ensure_demo_pool(&store)?;
        }
        Ok(store)
    })
    .await??;
    let store = Arc::new(store);
    // Before the port is announced: email from the first request on is relayed.
    let relay = match mail {
        Some(mail) => Some(relay::start(Arc::clone(&store), mail).await?),
        None => None,
    };
    let addr = listener.local_addr()?;
    let shutdown = shutdown_signal()?;
    tracing::info!(%addr, "serving the local store");
    // Tools and tests read this line to learn the port.
    println!("listening on http://{addr}");
    std::io::stdout().flush()?;
    let options = serve::Options {
        max_rps: args.max_rps,
        limits: serve::Limits {
            max_connections: args
                .max_connections
                .map_or_else(default_max_connections, |n| n as usize),
            idle_timeout: std::time::Duration::from_secs(u64::from(args.idle_timeout)),
            ..serve::Limits::default()
        },
        loopback_only: !args.allow_remote,
        credentials,
    };
    let served = serve::run_with(store, listener, options, shutdown).await;
    if let Some(relay) = relay {
        relay.stop().await;
    }
    served?;
    tracing::info!("stopped");
    Ok(())
}

/// 512 connections, or half of the files this process may open if that is fewer: the
/// rest are for the database, the log and the listener.
fn default_max_connections() -> usize {
    #[cfg(unix)]
    if let Ok((soft, _)) =
        nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
    {
        return (soft / 2).clamp(1, 512) as usize;
    }
    512
}

/// SIGINT or SIGTERM, registered now (before the caller announces it is ready) so a
/// signal that comes at once is not missed.
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => tracing::info!("SIGINT"),
                _ = term.recv() => tracing::info!("SIGTERM"),
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

async fn choose_pool(client: &client::Client, pool: Option<&str>) -> Result<String> {
    if let Some(id) = pool {
        return Ok(id.to_string());
    }
    let pools = client.list_pools().await?;
    match pools.as_slice() {
        [only] => Ok(only.id.clone()),
        [] => bail!("there is no user pool at {}", client.target().describe()),
        many => {
            let ids: Vec<&str> = many.iter().map(|p| p.id.as_str()).collect();
            bail!(
                "there are {} pools; choose one with --pool ({})",
                many.len(),
                ids.join(", ")
            )
        }
    }
}

async fn list_pools(target: &Target) -> Result<()> {
    let client = client::connect(target.clone()).await?;
    for p in client.list_pools().await? {
        out!("{:<28} {}", p.id, p.name);
    }
    Ok(())
}

fn user_line(u: &User) -> String {
    use cognito_console::pool::printable::field;
    format!(
        "{:<28} {:<8} {:<22} {}",
        field(&u.username),
        if u.enabled { "enabled" } else { "disabled" },
        u.status.map(|s| s.as_str()).unwrap_or("-"),
        field(u.attribute("email").unwrap_or("-")),
    )
}

async fn list_users(target: &Target, pool: Option<&str>, args: UsersArgs) -> Result<()> {
    let client = client::connect(target.clone()).await?;
    let pool_id = choose_pool(&client, pool).await?;
    let filter = match args.filter.as_deref() {
        Some(text) => filter::parse(text)?,
        None => None,
    };
    let mut query = UserQuery {
        filter,
        ..UserQuery::default()
    };
    loop {
        let page = client.list_users(&pool_id, &query).await?;
        for u in &page.users {
            out!("{}", user_line(u));
        }
        match page.next {
            Some(token) if args.all => query.pagination_token = Some(token),
            _ => return Ok(()),
        }
    }
}

async fn show_outbox(target: &Target, pool: Option<&str>, args: OutboxArgs) -> Result<()> {
    let Target::Local { db } = target else {
        bail!("the outbox belongs to the local store; AWS delivers its own messages");
    };
    let client = client::connect(target.clone()).await?;
    let pool_id = choose_pool(&client, pool).await?;
    // A user named by an alias is found by it; the outbox keeps the username.
    let username = match args.user.as_deref() {
        Some(user) => Some(
            client
                .get_user(&pool_id, user)
                .await
                .with_context(|| format!("no user {user:?} in the pool {pool_id}"))?
                .username,
        ),
        None => None,
    };
    let db = db.clone();
    let store = Arc::new(tokio::task::spawn_blocking(move || Store::open(&db)).await??);
    let selection = outbox_command::Selection { pool_id, username };
    if args.retry {
        outbox_command::retry(store, &selection.pool_id).await
    } else if args.follow {
        outbox_command::follow(store, &selection, shutdown_signal()?).await
    } else {
        outbox_command::show(store, &selection).await
    }
}
