//! The console served over SSH (`cognito-console ssh`): an admin types `ssh -p 2222
//! console-host` and gets a console of their own, while the credentials (or the local
//! store) stay on that one host. Their key decides who they are (its comment names them)
//! and whether they may change anything; every sign-in and change goes in the audit log.
//!
//! keys: the authorized_keys files and the host key; server: the accept loop and what a
//! connection may ask; session: one console on one channel; screen and input: the
//! client's terminal, drawn to and read from.

pub mod input;
pub mod keys;
pub mod screen;
pub mod server;
pub mod session;

use std::net::SocketAddr;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::client::{AuditLog, Client};
use crate::console::Options;

/// Why a console closed when the server stopped (its audit sign-out says so).
pub const STOPPING: &str = "the server stopped";

/// What every connection shares.
pub struct Shared {
    pub keys: keys::KeyFiles,
    /// Each console starts from these; its admin's rights and colours are its own.
    pub console: Options,
    /// One client for every console: one store connection, one set of credentials.
    pub client: Client,
    pub audit: AuditLog,
    /// Cancelled as the server stops: every console closes.
    pub stopping: CancellationToken,
    /// The consoles running, waited for as the server stops.
    pub consoles: TaskTracker,
}

/// Loopback only, unless the caller says otherwise (keys are checked either way).
pub fn check_listen(addr: SocketAddr, allow_remote: bool) -> Result<(), String> {
    if addr.ip().is_loopback() || allow_remote {
        Ok(())
    } else {
        Err(format!(
            "refusing to listen on {addr}: it is reachable from other machines; pass --allow-remote if that is what you want"
        ))
    }
}
