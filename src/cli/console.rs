//! `cognito-console` without a subcommand: the console on this terminal, signed in as
//! this machine's account; and what it shares with `ssh`, which serves the same console
//! to others: its options from the command line, the audit log sessions on a target
//! write in, and (on the local store, with `--smtp`) the relay that sends its email.

use std::sync::Arc;

use anyhow::Result;

use super::Cli;
use crate::client::{self, Target};
use crate::console::Options;
use crate::console::theme::Theme;
use crate::local::{Store, mail::relay};
use crate::pool::audit::Admin;
use crate::settings;

/// The console's options as the command line gives them, for every session on
/// `target`; its problems with the settings file logged (and shown in each session).
/// No session's audit yet: that is whoever signs in.
pub fn options(cli: &Cli, target: Target) -> Result<Options> {
    let mail = cli.mail.relay().map_err(anyhow::Error::msg)?;
    let (keymap, notices) = settings::load_keymap(cli.config.as_deref());
    for n in &notices {
        tracing::warn!(problem = %n, "settings");
    }
    Ok(Options {
        target,
        lambda_endpoint: cli.lambda_endpoint_url.clone(),
        pool: cli.pool.clone(),
        read_only: cli.read_only,
        read_only_why: None,
        keymap,
        theme: Theme::from_env(),
        notices,
        mail,
        audit: None,
    })
}

/// On the local store, the relay that sends its email by SMTP as `serve --smtp` does;
/// on AWS Cognito sends its own, and the relay carries only test messages.
pub async fn start_relay(options: &Options) -> Result<Option<relay::Running>> {
    let (Target::Local { db }, Some(mail)) = (&options.target, &options.mail) else {
        return Ok(None);
    };
    let db = db.clone();
    let store = tokio::task::spawn_blocking(move || Store::open(&db)).await??;
    Ok(Some(relay::start(Arc::new(store), mail.clone()).await?))
}

/// The audit log every console session on `target` writes in.
pub async fn audit_log(target: &Target) -> Result<client::AuditLog> {
    let db = settings::audit_db_path(target);
    Ok(tokio::task::spawn_blocking(move || client::open_audit_log(&db)).await??)
}

/// The console on this terminal.
pub async fn run(cli: &Cli, target: Target) -> Result<()> {
    let mut options = options(cli, target)?;
    let running = start_relay(&options).await?;
    let audit = audit_log(&options.target).await?;
    options.audit = Some(client::Auditor::new(
        audit,
        Admin::local(account_name(), cli.read_only),
    ));
    let result = crate::console::run::run(options).await;
    if let Some(running) = running {
        running.stop().await;
    }
    result
}

/// The name of the account this process runs as, for the audit log.
pub(super) fn account_name() -> String {
    #[cfg(unix)]
    {
        let uid = nix::unistd::getuid();
        match nix::unistd::User::from_uid(uid) {
            Ok(Some(user)) => user.name,
            _ => format!("uid {uid}"),
        }
    }
    #[cfg(not(unix))]
    {
        std::env::var("USERNAME").unwrap_or_else(|_| "unknown".into())
    }
}
