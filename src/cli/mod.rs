//! The command line: where the pools are (the target), and what to do.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::client::Target;
use crate::local::serve::DEFAULT_LISTEN;
use crate::settings;

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

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the console that mean nothing to a subcommand: hidden from its `--help`,
/// refused when given. `serve` serves the local store to other tools; `audit` reads the
/// log of the store `--db` names (AWS sessions write theirs in the default one).
const NOT_FOR: [(&str, &[&str], &str); 2] = [
    (
        "serve",
        &[
            "aws",
            "profile",
            "region",
            "endpoint_url",
            "pool",
            "read_only",
            "config",
        ],
        "does not apply to serve, which serves the local store",
    ),
    (
        "audit",
        &[
            "aws",
            "profile",
            "region",
            "endpoint_url",
            "read_only",
            "config",
        ],
        "does not apply to audit, which reads the audit log of the local store (--db)",
    ),
];

impl Cli {
    /// The command line as parsed by the binary: `serve --help` and `audit --help` list
    /// only what applies.
    pub fn command_line() -> clap::Command {
        let mut command = Self::command();
        // Global options reach every subcommand; these get their own hidden copies first,
        // which clap then leaves in place.
        for (name, ids, _) in NOT_FOR {
            let hidden: Vec<clap::Arg> = command
                .get_arguments()
                .filter(|a| ids.contains(&a.get_id().as_str()))
                .map(|a| a.clone().global(false).hide(true))
                .collect();
            command = command.mut_subcommand(name, |sub| sub.args(hidden));
        }
        command
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
        if let Some((name, sub)) = matches.subcommand()
            && let Some((_, ids, why)) = NOT_FOR.iter().find(|(n, ..)| *n == name)
        {
            refuse_given(sub, ids, why);
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
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The local store's database file.
    #[arg(long, global = true, value_name = "PATH", env = "COGNITO_CONSOLE_DB",
          conflicts_with_all = ["aws", "profile", "region", "endpoint_url"])]
    pub db: Option<PathBuf>,

    /// Use AWS with the configuration from the environment and ~/.aws.
    #[arg(long, global = true)]
    pub aws: bool,

    /// AWS profile (implies --aws).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// AWS region (implies --aws).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Cognito-compatible endpoint, e.g. http://127.0.0.1:9229 (implies --aws).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
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
    Pools,
    /// List a pool's users, one page of up to 60, or all with --all.
    Users(UsersArgs),
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
}

#[derive(Debug, Clone, Args)]
pub struct SshArgs {
    /// Address to listen on: an IP or a host name and a port. Port 0 picks a free port
    /// (printed on start).
    #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT", value_parser = listen_address)]
    pub listen: SocketAddr,

    /// The public keys that may sign in, in OpenSSH's authorized_keys format; each key's
    /// comment names its admin. Read again at every sign-in.
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: PathBuf,

    /// Keys that get a read-only console (also when they are in --authorized-keys).
    #[arg(long, value_name = "FILE")]
    pub read_only_keys: Option<PathBuf>,

    /// The server's private key (OpenSSH format), made on first start if missing.
    /// Default: ssh_host_ed25519_key in the data directory.
    #[arg(long, value_name = "PATH")]
    pub host_key: Option<PathBuf>,

    /// Allow an address other machines can reach.
    #[arg(long)]
    pub allow_remote: bool,
}

/// `--pool ID` keeps only what was done in that pool.
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Only what this admin did (the key comment, or the local account).
    #[arg(long, value_name = "NAME")]
    pub admin: Option<String>,

    /// Only what was done to this user (the username as stored).
    #[arg(long, value_name = "USERNAME")]
    pub user: Option<String>,

    /// The newest N entries.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,

    /// Every entry (paged from the store, newest first).
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,

    /// One JSON object a line, every field, for other tools.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// csv (Cognito's import format, importable into any pool) or jsonl (everything).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: crate::bulk::Format,

    /// Write here instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file to import.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,

    /// csv or jsonl; by default from the file's extension (.jsonl is JSONL).
    #[arg(long, value_enum)]
    pub format: Option<crate::bulk::Format>,

    /// Check every row against the pool and stop: nothing is written.
    #[arg(long)]
    pub dry_run: bool,

    /// Send each user Cognito's invitation (by default none is sent).
    #[arg(long)]
    pub send_invitations: bool,

    /// AdminCreateUser calls in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub concurrency: u32,

    /// Where rows that fail are written (default: beside FILE, NAME.failed.csv).
    #[arg(long, value_name = "FILE")]
    pub failed_rows: Option<std::path::PathBuf>,

    /// Use Cognito's own import job (CreateUserImportJob) instead of AdminCreateUser:
    /// users arrive RESET_REQUIRED, with no password and no invitation. CSV only, at
    /// most 100 MB.
    #[arg(long, conflicts_with_all = ["send_invitations", "failed_rows"])]
    pub job: bool,

    /// The IAM role Cognito writes the job's CloudWatch log with (required on AWS; the
    /// embedded store takes any role ARN and has a default).
    #[arg(long, value_name = "ARN", requires = "job")]
    pub role_arn: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on: an IP or a host name (localhost) and a port. Port 0 picks
    /// a free port (printed on start).
    #[arg(long, default_value = DEFAULT_LISTEN, value_name = "ADDR:PORT", value_parser = listen_address)]
    pub listen: SocketAddr,

    /// Allow an address other machines can reach. Needs --credentials: from another
    /// machine only a caller that signs with a listed key gets in.
    #[arg(long, requires = "credentials")]
    pub allow_remote: bool,

    /// Verify the AWS Signature Version 4 of every request against the key pairs of
    /// this file (the aws shared-credentials format: each profile's aws_access_key_id
    /// and aws_secret_access_key may call). Unsigned requests are refused.
    #[arg(long, value_name = "FILE")]
    pub credentials: Option<std::path::PathBuf>,

    /// Connections open at once; at the limit the one idle longest is closed. Default:
    /// 512, or half the open-file limit if that is lower.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,

    /// Seconds a connection may take to send a request, or stay idle between requests.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub idle_timeout: u32,

    /// Do not create the demo pool in a new database.
    #[arg(long)]
    pub no_demo: bool,

    /// Answer TooManyRequestsException above this many requests a second, as a throttled
    /// AWS account would (to rehearse a client's retries).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rps: Option<u32>,

    #[command(flatten)]
    pub mail: MailArgs,
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

#[derive(Debug, Clone, Args)]
pub struct UsersArgs {
    /// A ListUsers filter, e.g. 'email ^= "diego"'.
    #[arg(long)]
    pub filter: Option<String>,

    /// Every page, not only the first.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Args)]
pub struct OutboxArgs {
    /// Only messages to this user (a username or an alias).
    #[arg(long)]
    pub user: Option<String>,

    /// Keep watching: print messages as they are made, oldest first, and what the mail
    /// relay does with them, until Ctrl-C.
    #[arg(long, conflicts_with = "retry")]
    pub follow: bool,

    /// Try every failed email again now (given up or not): a running mail relay sends it.
    #[arg(long)]
    pub retry: bool,
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
        for hidden in [
            "--aws",
            "--profile",
            "--region",
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
