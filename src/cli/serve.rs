//! `cognito-console serve`: the local store's Cognito API on TCP for other tools. Every
//! option is checked before the port is taken; the port is announced on stdout once
//! requests can be answered.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Result, bail};
use clap::Args;

use super::{MailArgs, listen_address};
use crate::client::Target;
use crate::lambda::Lambda;
use crate::local::wire::DEFAULT_LISTEN;
use crate::local::{Store, db::seed, mail::relay, wire::serve};

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

/// Serves the local store; its pools' Lambda functions are called at `lambda_endpoint`,
/// else on AWS.
pub async fn run(
    target: &Target,
    args: ServeArgs,
    region: Option<String>,
    lambda_endpoint: Option<String>,
) -> Result<()> {
    let Target::Local { db } = target else {
        bail!(
            "serve works on the local store; drop the AWS options (--aws, --profile, --endpoint-url)"
        );
    };
    if let Some(r) = &region
        && !crate::pool::validate::region(r)
    {
        bail!("--region {r:?} is not a region's name (such as us-east-1)");
    }
    // With --credentials a signature must name a region: the one given, else AWS's
    // default (the aws CLI's and the SDKs' usual).
    let region = region.or_else(|| args.credentials.as_ref().map(|_| "us-east-1".into()));
    // Every option is checked before the port is taken.
    let mail = args.mail.relay().map_err(anyhow::Error::msg)?;
    let credentials = match &args.credentials {
        Some(path) => Some(serve::KeyPairs::load(path).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let listener = serve::bind(args.listen, args.allow_remote).await?;
    let db = db.clone();
    let lambda = Arc::new(Lambda::new(lambda_endpoint.as_deref(), None));
    let store = tokio::task::spawn_blocking(move || -> Result<Store> {
        let store = Store::open(&db)?.with_lambda(lambda);
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
    let shutdown = super::shutdown_signal()?;
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
        region,
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
