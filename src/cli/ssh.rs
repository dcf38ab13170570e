//! `cognito-console ssh`: everything is checked (the key files, the host key, the
//! address, the target) before the port is announced; then consoles are served until
//! SIGINT or SIGTERM, and every one is closed before the process ends.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, Result};
use clap::Args;

use super::{Cli, listen_address};
use crate::client::{self, Target};
use crate::settings;
use crate::ssh::{self, Shared, keys};

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

    /// Seconds a connection has, from the moment it is accepted, to sign in (as sshd's
    /// LoginGraceTime); one that has not is dropped.
    #[arg(long, default_value_t = ssh::server::LOGIN_GRACE.as_secs(), value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    pub login_grace: u64,
}

pub async fn run(
    cli: &Cli,
    target: Target,
    args: &SshArgs,
    shutdown: impl Future<Output = ()>,
) -> Result<()> {
    ssh::check_listen(args.listen, args.allow_remote).map_err(anyhow::Error::msg)?;
    let key_files = keys::KeyFiles {
        authorized: args.authorized_keys.clone(),
        read_only: args.read_only_keys.clone(),
    };
    for warning in key_files.check().map_err(anyhow::Error::msg)? {
        eprintln!("cognito-console: {warning}");
        tracing::warn!(%warning, "authorized keys");
    }
    let host_key_path = match &args.host_key {
        Some(path) => path.clone(),
        None => {
            let path = settings::default_host_key_path();
            if let Some(dir) = path.parent() {
                crate::local::db::store::create_private_dir(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            path
        }
    };
    let host_key = keys::host_key(&host_key_path).map_err(anyhow::Error::msg)?;
    let console = super::console::options(cli, target.clone())?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let client = super::connect(cli, &target).await?;
    let relay = super::console::start_relay(&console).await?;
    // Sessions on the local store write its audit log through the client's own
    // connection; on AWS, the store in the data directory keeps it.
    let audit = match client::audit_log_of(&client) {
        Some(audit) => audit,
        None => super::console::audit_log(&target).await?,
    };
    let shared = Arc::new(Shared {
        keys: key_files,
        console,
        client,
        audit,
        stopping: Default::default(),
        consoles: Default::default(),
    });
    let addr = listener.local_addr()?;
    let fingerprint = keys::fingerprint(host_key.public_key());
    tracing::info!(%addr, host_key = %fingerprint, "serving the console over SSH");
    // Tools and tests read the first line to learn the port.
    println!("listening on ssh://{addr}");
    println!("host key {fingerprint} ({})", host_key_path.display());
    std::io::stdout().flush()?;
    let grace = std::time::Duration::from_secs(args.login_grace);
    let served = ssh::server::run(
        listener,
        ssh::server::config(host_key),
        shared,
        grace,
        shutdown,
    )
    .await;
    if let Some(relay) = relay {
        relay.stop().await;
    }
    served?;
    tracing::info!("stopped");
    println!("stopped");
    Ok(())
}
