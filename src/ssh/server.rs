//! The SSH server: its own accept loop over russh, so that it can hold connections to a
//! limit, drop one that does not sign in within its grace (from the moment it is
//! accepted, so a connection that sends nothing at all goes too), keep connections not
//! yet signed in to a budget of their own and per source address (a flood of silent
//! connections cannot lock the admins out), and stop cleanly (every console told to
//! close and given back its client's screen, then the rest disconnected). Public-key
//! authentication only; the key decides who is signed in.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::keys::ssh_key::PublicKey;
use russh::server::{Auth, Handler, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use super::Shared;
use super::keys::{Known, fingerprint};
use crate::pool::audit::Admin;

/// Time to sign in, from the connection's accept, before it is dropped (sshd's
/// LoginGraceTime is 120 s); `ssh --login-grace` changes it.
pub const LOGIN_GRACE: Duration = Duration::from_secs(30);
/// Connections held at once; one more is closed as it comes.
pub const MAX_CONNECTIONS: usize = 128;
/// Connections not signed in yet, at once (sshd's MaxStartups is 10:30:100).
pub const MAX_UNAUTHENTICATED: usize = 32;
/// Of those, from one source address.
pub const MAX_UNAUTHENTICATED_PER_SOURCE: usize = 8;

/// The connections not signed in yet, by source address.
#[derive(Debug, Default)]
struct Unauthenticated {
    by_source: HashMap<IpAddr, usize>,
    total: usize,
}

/// One connection's place among those not signed in; given back when it signs in or
/// goes.
struct PreAuth {
    ip: IpAddr,
    counts: Arc<Mutex<Unauthenticated>>,
}

impl PreAuth {
    /// A place for a connection from `ip`, or why there is none.
    fn take(counts: &Arc<Mutex<Unauthenticated>>, ip: IpAddr) -> Result<Self, String> {
        let mut c = counts.lock().unwrap_or_else(|p| p.into_inner());
        let from = c.by_source.get(&ip).copied().unwrap_or(0);
        if c.total >= MAX_UNAUTHENTICATED {
            return Err(format!(
                "{MAX_UNAUTHENTICATED} connections are not signed in yet"
            ));
        }
        if from >= MAX_UNAUTHENTICATED_PER_SOURCE {
            return Err(format!(
                "{MAX_UNAUTHENTICATED_PER_SOURCE} connections from {ip} are not signed in yet"
            ));
        }
        c.total += 1;
        *c.by_source.entry(ip).or_insert(0) += 1;
        Ok(Self {
            ip,
            counts: Arc::clone(counts),
        })
    }
}

impl Drop for PreAuth {
    fn drop(&mut self) {
        let mut c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.by_source.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                c.by_source.remove(&self.ip);
            }
        }
    }
}
/// How long consoles are given to close when the server stops.
const CLOSING: Duration = Duration::from_secs(5);

/// The server's SSH settings: its key, public keys only, keepalives that find a dead
/// peer in about a minute (an idle console is never timed out).
pub fn config(host_key: russh::keys::PrivateKey) -> russh::server::Config {
    russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        keys: vec![host_key],
        // OpenSSH offers "none" first, and each key it holds in turn: a refusal costs a
        // little time, the probe none.
        auth_rejection_time: Duration::from_millis(250),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(15)),
        keepalive_max: 4,
        ..Default::default()
    }
}

/// Serves until `stop` completes, then closes every console and connection. A
/// connection has `grace` from its accept to sign in.
pub async fn run(
    listener: TcpListener,
    config: russh::server::Config,
    shared: Arc<Shared>,
    grace: Duration,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let config = Arc::new(config);
    let mut connections = JoinSet::new();
    let unauthenticated = Arc::new(Mutex::new(Unauthenticated::default()));
    tokio::pin!(stop);
    loop {
        let (socket, peer) = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of files, a connection reset before it was taken: keep serving.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            Some(_) = connections.join_next() => continue,
        };
        if connections.len() >= MAX_CONNECTIONS {
            tracing::warn!(%peer, "refused: {MAX_CONNECTIONS} connections are open");
            continue; // dropping the socket closes it
        }
        let pre_auth = match PreAuth::take(&unauthenticated, peer.ip()) {
            Ok(place) => place,
            Err(why) => {
                tracing::warn!(%peer, "refused: {why}");
                continue;
            }
        };
        let deadline = tokio::time::Instant::now() + grace;
        // Keys and frames are small writes: Nagle would hold each behind the last one's
        // ACK, which a client delays by 40 ms (the key exchange alone met it).
        if let Err(e) = socket.set_nodelay(true) {
            tracing::debug!(%peer, error = %e, "cannot set TCP_NODELAY");
        }
        let handler = Connection {
            shared: Arc::clone(&shared),
            peer,
            admin: None,
            signed_in: Arc::new(AtomicBool::new(false)),
            pre_auth: Some(pre_auth),
        };
        connections.spawn(connection(Arc::clone(&config), socket, handler, deadline));
    }
    tracing::info!(consoles = shared.consoles.len(), "stopping");
    // Every console closes itself (the client gets its screen back and a word why);
    // then the connections that remain are told the server is going.
    shared.stopping.cancel();
    shared.consoles.close();
    let _ = tokio::time::timeout(2 * CLOSING, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    connections.shutdown().await;
    Ok(())
}

async fn connection(
    config: Arc<russh::server::Config>,
    socket: tokio::net::TcpStream,
    handler: Connection,
    deadline: tokio::time::Instant,
) {
    let peer = handler.peer;
    let signed_in = Arc::clone(&handler.signed_in);
    let shared = Arc::clone(&handler.shared);
    // The handshake itself is inside the grace: a peer that sends nothing, or stalls
    // the key exchange, is dropped when it runs out.
    let started =
        tokio::time::timeout_at(deadline, russh::server::run_stream(config, socket, handler));
    let session = match started.await {
        Ok(Ok(session)) => session,
        Ok(Err(e)) => {
            tracing::debug!(%peer, error = %e, "no SSH session");
            return;
        }
        Err(_) => {
            tracing::info!(%peer, "no SSH handshake within the grace: disconnected");
            return;
        }
    };
    let handle = session.handle();
    let mut session = session;
    let grace = async {
        tokio::time::sleep_until(deadline).await;
        if signed_in.load(Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
    };
    let goodbye = |why: &'static str| async {
        let _ = handle
            .disconnect(russh::Disconnect::ByApplication, why.into(), String::new())
            .await;
    };
    tokio::select! {
        ended = &mut session => match ended {
            Ok(()) => tracing::debug!(%peer, "connection closed"),
            Err(e) => tracing::debug!(%peer, error = %e, "connection ended"),
        },
        () = grace => {
            tracing::info!(%peer, "no sign-in within the grace: disconnected");
            goodbye("no sign-in in time").await;
        }
        () = shared.stopping.cancelled() => {
            // Its consoles close themselves first and give the screen back; a client
            // whose channels are closed then goes by itself. The rest are told.
            let _ = tokio::time::timeout(CLOSING, shared.consoles.wait()).await;
            if tokio::time::timeout(Duration::from_secs(1), &mut session).await.is_err() {
                goodbye("the server is stopping").await;
            }
        }
    }
}

/// One client connection: who signed in on it, and its channels.
struct Connection {
    shared: Arc<Shared>,
    peer: SocketAddr,
    admin: Option<Admin>,
    signed_in: Arc<AtomicBool>,
    /// Its place among the connections not signed in yet, until it signs in.
    pre_auth: Option<PreAuth>,
}

impl Connection {
    /// The admin `key` names, read from the key files as they are now.
    fn known(&self, key: &PublicKey) -> Option<Known> {
        match self.shared.keys.find(key) {
            Ok(found) => found,
            Err(e) => {
                tracing::error!(error = %e, "the authorized keys cannot be read: nobody gets in");
                None
            }
        }
    }
}

impl Handler for Connection {
    type Error = russh::Error;

    /// A key offered before it is used: one in no file is refused here, unsigned (a
    /// client holding several keys offers each in turn).
    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        if self.known(offer.public_key).is_some() {
            return Ok(Auth::Accept);
        }
        tracing::info!(
            peer = %self.peer,
            user,
            key = %fingerprint(offer.public_key),
            "refused a key that is in no authorized keys file"
        );
        Ok(Auth::reject())
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let Some(known) = self.known(key.public_key) else {
            tracing::warn!(
                peer = %self.peer,
                user,
                key = %fingerprint(key.public_key),
                "refused a key that is in no authorized keys file"
            );
            return Ok(Auth::reject());
        };
        tracing::info!(peer = %self.peer, admin = %known.name, key = %known.fingerprint, "key accepted");
        self.admin = Some(Admin {
            name: known.name,
            key_fingerprint: Some(known.fingerprint),
            origin: format!("ssh {}", self.peer),
            read_only: known.read_only || self.shared.console.read_only,
        });
        Ok(Auth::Accept)
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.signed_in.store(true, Ordering::SeqCst);
        self.pre_auth = None;
        Ok(())
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(admin) = self.admin.clone() else {
            return Ok(()); // dropping `reply` refuses the channel
        };
        reply.accept().await;
        self.shared.consoles.spawn(super::session::serve(
            channel,
            admin,
            Arc::clone(&self.shared),
        ));
        Ok(())
    }

    // The channel's own task reads the size and the shell request from the channel; the
    // client only waits here for the yes.
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _col_width: u32,
        _row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    /// Commands are answered, on the channel, with what this server does instead.
    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        variable_name: &str,
        _variable_value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if variable_name == "NO_COLOR" {
            session.channel_success(channel)
        } else {
            session.channel_failure(channel)
        }
    }
}
