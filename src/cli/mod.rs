//! The command line: where the pools are (the target), and what to do. This file holds
//! the options every subcommand shares and sends each subcommand to its own file.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::pool::audit::{Admin, Change, Outcome};
use anyhow::{Result, bail};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::client::{self, Target};
use crate::settings;

/// A line to standard output; a closed pipe is an error, for `main` to end quietly on.
/// One line (or a message's lines) on stdout, never a character that drives the
/// terminal: stored values may hold them (`pool::printable`).
macro_rules! out {
    ($($arg:tt)*) => {
        writeln!(
            std::io::stdout().lock(),
            "{}",
            $crate::pool::printable::lines(&format!($($arg)*))
        )?
    };
}

pub mod audit;
pub mod completions;
pub mod console;
pub mod export;
pub mod groups;
pub mod import;
pub mod logging;
mod options;
pub mod outbox;
pub mod output;
pub mod pools;
pub mod serve;
pub mod ssh;
pub mod users;

pub use audit::AuditArgs;
pub use completions::{CompletionsArgs, ManArgs};
pub use export::ExportArgs;
pub use groups::GroupsArgs;
pub use import::ImportArgs;
pub use outbox::OutboxArgs;
pub use pools::PoolsArgs;
pub use serve::ServeArgs;
pub use ssh::SshArgs;
pub use users::UsersArgs;

#[derive(Debug, Parser)]
#[command(
    name = "cognito-console",
    version,
    about = "A terminal console for Amazon Cognito user pools"
)]
pub struct Cli {
    #[command(flatten)]
    pub target: TargetArgs,

    /// Open this user pool directly.
    #[arg(long, global = true, value_name = "ID")]
    pub pool: Option<String>,

    /// Refuse every change: browse only.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// The settings file (keymap overrides).
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "COGNITO_CONSOLE_CONFIG"
    )]
    pub config: Option<PathBuf>,

    /// Write the log here instead of the data directory.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    #[command(flatten)]
    pub mail: MailArgs,

    /// Call the pools' Lambda triggers at this Lambda endpoint (`cargo lambda watch`, SAM
    /// local, LocalStack...), by the function name their ARN ends with, rather than on
    /// AWS. The console's previews call it too.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "AWS_ENDPOINT_URL_LAMBDA"
    )]
    pub lambda_endpoint_url: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command line as parsed by the binary: each subcommand's `--help` (and its
    /// completions) lists only the options it takes.
    pub fn command_line() -> clap::Command {
        options::hide_what_does_not_apply(Self::command())
    }

    pub fn parse_args() -> Self {
        let matches = Self::command_line().get_matches();
        let cli = Self::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        // `--smtp` before another subcommand would be ignored: say so instead.
        if !matches!(
            cli.command,
            None | Some(Command::Serve(_)) | Some(Command::Ssh(_))
        ) {
            refuse_given(
                &matches,
                &["smtp", "smtp_from"],
                "applies to the console, serve and ssh, not to this command",
            );
        }
        if let Some(why) = options::misplaced(&matches) {
            Cli::command_line()
                .error(clap::error::ErrorKind::ArgumentConflict, why)
                .exit();
        }
        cli
    }
}

/// Exits with clap's usage error if any of `ids` was typed on the command line (a value
/// from the environment is no mistake): "--ID WHY".
fn refuse_given(matches: &clap::ArgMatches, ids: &[&str], why: &str) {
    for id in ids {
        if matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine) {
            Cli::command_line()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!("--{} {why}", id.replace('_', "-")),
                )
                .exit();
        }
    }
}

/// The local store is the default; any AWS option switches to AWS, as the aws CLI
/// reads them (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL... fill what is not given).
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// The local store's database file.
    #[arg(long, global = true, value_name = "PATH", env = "COGNITO_CONSOLE_DB",
          conflicts_with_all = ["aws", "profile", "endpoint_url"])]
    pub db: Option<PathBuf>,

    /// Use AWS with the configuration from the environment and ~/.aws.
    #[arg(long, global = true)]
    pub aws: bool,

    /// AWS profile (implies --aws).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// AWS region (given alone, it means AWS rather than the local store). For serve:
    /// the region it answers as (new pools' ids, and with --credentials the region a
    /// signature must be scoped to; us-east-1 unless given).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Cognito-compatible endpoint, e.g. http://127.0.0.1:9229 (implies --aws).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

/// A `--db` in a directory that does not exist is a mistake (a typo, an unmounted
/// volume), not a place to make: only the default data directory is created.
fn check_db_dir(db: Option<&std::path::Path>) -> Result<()> {
    let Some(db) = db else {
        return Ok(());
    };
    let dir = db.parent().filter(|d| !d.as_os_str().is_empty());
    match dir {
        Some(dir) if !dir.is_dir() => anyhow::bail!(
            "--db {}: the directory {} does not exist; create it first (only the default \
             data directory, {}, is made for you)",
            db.display(),
            dir.display(),
            settings::default_db_path()
                .parent()
                .map_or_else(String::new, |d| d.display().to_string())
        ),
        _ => Ok(()),
    }
}

impl TargetArgs {
    pub fn target(&self) -> Target {
        if self.aws
            || self.profile.is_some()
            || self.region.is_some()
            || self.endpoint_url.is_some()
        {
            Target::Aws {
                profile: self.profile.clone(),
                region: self.region.clone(),
                endpoint_url: self.endpoint_url.clone(),
            }
        } else {
            Target::Local {
                db: self.db.clone().unwrap_or_else(settings::default_db_path),
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the local store's Cognito API on TCP for other tools (aws CLI, boto3, SDKs).
    Serve(ServeArgs),
    /// List the user pools.
    Pools(PoolsArgs),
    /// List a pool's users, one page of up to 60, or all with --all.
    Users(UsersArgs),
    /// List a pool's groups.
    Groups(GroupsArgs),
    /// Show the messages the local store has sent (invitations, codes), newest first,
    /// and what the mail relay made of each.
    Outbox(OutboxArgs),
    /// Write every user of a pool to a file: CSV in Cognito's import format, or JSONL
    /// with everything (status, enabled, dates).
    Export(ExportArgs),
    /// Create users from a CSV (Cognito's import format) or JSONL file. Every row is
    /// checked first; running it again after a failure or Ctrl-C finishes the job.
    Import(ImportArgs),
    /// Serve the console itself over SSH: each admin whose key is authorized gets a
    /// console of their own, on this host's target (the local store, or AWS with this
    /// host's credentials).
    Ssh(SshArgs),
    /// The audit log: every sign-in to the console and every change made through it,
    /// locally or over SSH, newest first.
    Audit(AuditArgs),
    /// Print the completion script for a shell, made from this command line.
    Completions(CompletionsArgs),
    /// Print the man page (or write a page per subcommand with --dir).
    Man(ManArgs),
}

/// The mail relay: where the local store's email goes out by SMTP, and the console's
/// test messages.
#[derive(Debug, Clone, Default, Args)]
pub struct MailArgs {
    /// Send every email the local store sends (invitations, codes) through this SMTP
    /// server too: smtp://HOST:PORT (STARTTLS when offered; add ?tls=required to insist)
    /// or smtps://HOST:PORT (TLS). User and password in the URL, or (kept out of `ps`)
    /// in COGNITO_CONSOLE_SMTP_USER and COGNITO_CONSOLE_SMTP_PASSWORD. SMS stays in the
    /// outbox. The console sends its test messages through it as well.
    #[arg(long, value_name = "URL", env = "COGNITO_CONSOLE_SMTP")]
    pub smtp: Option<String>,

    /// The sender of email whose pool names none in its EmailConfiguration (default:
    /// Cognito's own, no-reply@verificationemail.com).
    #[arg(long, value_name = "ADDRESS", env = "COGNITO_CONSOLE_SMTP_FROM")]
    pub smtp_from: Option<String>,
}

impl MailArgs {
    /// The relay these options describe, if any; the user and password from the URL or
    /// the environment.
    pub fn relay(&self) -> Result<Option<crate::mail::Relay>, String> {
        let Some(url) = &self.smtp else {
            return Ok(None);
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        crate::mail::Relay::new(&crate::mail::RelaySettings {
            url: url.clone(),
            user: env("COGNITO_CONSOLE_SMTP_USER"),
            password: env("COGNITO_CONSOLE_SMTP_PASSWORD").map(crate::pool::Secret::new),
            from: self.smtp_from.clone(),
        })
        .map(Some)
    }
}

/// `127.0.0.1:9229`, `[::1]:9229` or `localhost:9229`; a name is resolved, its IPv4
/// address first.
fn listen_address(text: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = text.parse() {
        return Ok(addr);
    }
    let addrs: Vec<SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(text)
        .map_err(|e| format!("{text:?} is not ADDR:PORT or HOST:PORT ({e})"))?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| format!("{text:?} names no address"))
}

/// The client for `target`, calling the pools' functions where the command line says.
pub async fn connect(cli: &Cli, target: &Target) -> Result<client::Client> {
    Ok(client::connect_with(target.clone(), cli.lambda_endpoint_url.clone()).await?)
}

pub async fn run(cli: Cli) -> Result<()> {
    check_db_dir(cli.target.db.as_deref())?;
    // --region means AWS, except to serve, where it is the region served: checked here
    // rather than by clap, which cannot tell the two apart.
    if cli.target.db.is_some()
        && cli.target.region.is_some()
        && !matches!(cli.command, Some(Command::Serve(_)))
    {
        bail!(
            "the argument '--db <PATH>' cannot be used with '--region <REGION>' (a region means AWS; only serve takes both)"
        );
    }
    let target = cli.target.target();
    match &cli.command {
        Some(Command::Serve(args)) => {
            let mut args = args.clone();
            if args.mail.smtp.is_none() {
                // `cognito-console --smtp URL serve` means the same.
                args.mail = cli.mail.clone();
            }
            // serve's --region is the region it answers as, not a way to AWS.
            let mut local = cli.target.clone();
            let region = local.region.take();
            serve::run(
                &local.target(),
                args,
                region,
                cli.lambda_endpoint_url.clone(),
            )
            .await
        }
        Some(Command::Pools(args)) => pools::run(&connect(&cli, &target).await?, args).await,
        Some(Command::Groups(args)) => {
            groups::run(&connect(&cli, &target).await?, cli.pool.as_deref(), args).await
        }
        Some(Command::Completions(args)) => completions::completions(args),
        Some(Command::Man(args)) => completions::man(args),
        Some(Command::Users(args)) => {
            users::run(
                &connect(&cli, &target).await?,
                cli.pool.as_deref(),
                args.clone(),
            )
            .await
        }
        Some(Command::Outbox(args)) => {
            outbox::run(&target, cli.pool.as_deref(), args.clone()).await
        }
        Some(Command::Export(args)) => {
            let client = connect(&cli, &target).await?;
            let pool_id = choose_pool(&client, cli.pool.as_deref()).await?;
            // Users' details leave the pool: written down, as the console's export is.
            let file = args
                .output
                .as_ref()
                .map_or("standard output".into(), |p| p.display().to_string());
            let change = Change::new("export users")
                .in_pool(&pool_id)
                .detail(format!("file: {file}"))
                .detail(format!("format: {:?}", args.format));
            audited(&cli, &target, change, export::run(&client, &pool_id, args)).await
        }
        Some(Command::Import(args)) => {
            if cli.read_only && !args.dry_run {
                bail!("--read-only: import writes users; use --dry-run to check the file");
            }
            let client = connect(&cli, &target).await?;
            let pool_id = choose_pool(&client, cli.pool.as_deref()).await?;
            if args.dry_run {
                return import::run(&client, &pool_id, args).await;
            }
            let how = if args.job {
                "by an import job"
            } else if args.send_invitations {
                "by AdminCreateUser, invitations sent"
            } else {
                "by AdminCreateUser, no invitations"
            };
            let change = Change::new("import users")
                .in_pool(&pool_id)
                .detail(format!("file: {}", args.file.display()))
                .detail(how);
            audited(&cli, &target, change, import::run(&client, &pool_id, args)).await
        }
        Some(Command::Ssh(args)) => ssh::run(&cli, target, args, shutdown_signal()?).await,
        Some(Command::Audit(args)) => {
            let db = settings::audit_db_path(&target);
            audit::run(&db, cli.pool.as_deref(), args).await
        }
        None => console::run(&cli, target).await,
    }
}

/// Runs `work` written in the audit log of `target`'s store as the console's changes
/// are: before it starts (it does not start if that cannot be written) and how it ended.
async fn audited(
    cli: &Cli,
    target: &Target,
    change: Change,
    work: impl Future<Output = Result<()>>,
) -> Result<()> {
    let log = console::audit_log(target).await?;
    let admin = Admin::command_line(console::account_name(), cli.read_only);
    let auditor = client::Auditor::new(log, admin);
    let pending = auditor
        .begin(&change)
        .await
        .map_err(|e| anyhow::anyhow!("{e}: nothing was done"))?;
    let result = work.await;
    let outcome = match &result {
        Ok(()) => Outcome::Done(String::new()),
        Err(e) => Outcome::Refused(format!("{e:#}")),
    };
    auditor.finish(pending, outcome).await?;
    result
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

/// The reader of our output closed it (`users --all | head -1`): it has all it wanted.
pub fn closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_is_the_default_and_aws_options_switch() {
        let cli = Cli::parse_from(["cognito-console", "--db", "x.db", "pools"]);
        assert_eq!(cli.target.target(), Target::Local { db: "x.db".into() });
        let cli = Cli::parse_from([
            "cognito-console",
            "--endpoint-url",
            "http://127.0.0.1:5000",
            "pools",
        ]);
        assert!(matches!(
            cli.target.target(),
            Target::Aws {
                endpoint_url: Some(_),
                ..
            }
        ));
        assert!(Cli::try_parse_from(["cognito-console", "--db", "x", "--aws"]).is_err());
        let cli = Cli::parse_from(["cognito-console", "serve"]);
        let Some(Command::Serve(s)) = cli.command else {
            panic!("serve")
        };
        assert_eq!(s.listen.to_string(), "127.0.0.1:9229");
        let cli = Cli::parse_from(["cognito-console", "serve", "--listen", "localhost:9230"]);
        let Some(Command::Serve(s)) = cli.command else {
            panic!("serve")
        };
        assert!(s.listen.ip().is_loopback());
        assert_eq!(s.listen.port(), 9230);
        assert!(Cli::try_parse_from(["cognito-console", "serve", "--listen", "nowhere"]).is_err());
    }

    #[test]
    fn serve_help_lists_only_what_applies() {
        let mut command = Cli::command_line();
        command.build(); // global options reach the subcommands here
        let serve = command.find_subcommand_mut("serve").unwrap();
        let help = serve.render_long_help().to_string();
        for shown in [
            "--listen",
            "--allow-remote",
            "--max-rps",
            "--db",
            "--log-file",
        ] {
            assert!(help.contains(shown), "{shown}: {help}");
        }
        assert!(help.contains("--region"), "the region served: {help}");
        for hidden in [
            "--aws",
            "--profile",
            "--endpoint-url",
            "--pool",
            "--read-only",
            "--config",
        ] {
            assert!(!help.contains(hidden), "{hidden}: {help}");
        }
        let audit = command
            .find_subcommand_mut("audit")
            .unwrap()
            .render_long_help()
            .to_string();
        for shown in ["--admin", "--user", "--pool", "--db", "--json"] {
            assert!(audit.contains(shown), "{shown}: {audit}");
        }
        for hidden in ["--aws", "--endpoint-url", "--read-only", "--config"] {
            assert!(!audit.contains(hidden), "{hidden}: {audit}");
        }
        let users = command.find_subcommand_mut("users").unwrap();
        assert!(
            users
                .render_long_help()
                .to_string()
                .contains("--endpoint-url")
        );
    }
}
