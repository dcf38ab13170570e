//! The command line: where the pools are (the target), and what to do.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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

    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// Show the invitations the local store has "sent" (its stand-in for email and SMS).
    Outbox(OutboxArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on. Port 0 picks a free port (printed on start).
    #[arg(long, default_value = DEFAULT_LISTEN, value_name = "ADDR:PORT")]
    pub listen: SocketAddr,

    /// Allow an address other machines can reach (the store has no authentication).
    #[arg(long)]
    pub allow_remote: bool,

    /// Do not create the demo pool in a new database.
    #[arg(long)]
    pub no_demo: bool,

    /// Answer TooManyRequestsException above this many requests a second, as a throttled
    /// AWS account would (to rehearse a client's retries).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rps: Option<u32>,
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
    /// Only messages to this user.
    #[arg(long)]
    pub user: Option<String>,
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
    }
}
