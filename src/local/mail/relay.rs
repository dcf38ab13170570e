//! The mail relay: a task that takes the outbox's pending email and sends it through an
//! SMTP server (`--smtp`), off every API call's path. A message that fails is kept with
//! its error and tried again later (`outbox::retry_delay`); see `outbox` for the claims
//! that keep two relays on one database from sending a message twice.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::local::Store;
use crate::local::mail::outbox::{self, Claimed};
use crate::mail::{Mail, Relay};

/// How often an idle relay looks for new email (other processes write it too).
const POLL: Duration = Duration::from_millis(250);
/// A relay says it is alive this often, for this long.
const HEARTBEAT: Duration = Duration::from_secs(10);
const ALIVE_FOR: f64 = 30.0;
/// Emails claimed at once.
const BATCH: usize = 16;

/// A relay at work; [`Running::stop`] ends it.
pub struct Running {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    store: Arc<Store>,
    id: String,
}

/// How long a stopping relay may finish the message it is sending.
const STOP_WAIT: Duration = Duration::from_secs(5);

impl Running {
    /// Lets the message being sent finish (for a few seconds at most), then stops and
    /// tells the store this relay is gone. A message cut off is sent again by the next
    /// relay once its claim lapses.
    pub async fn stop(self) {
        let Self {
            stop,
            mut task,
            store,
            id,
        } = self;
        let _ = stop.send(true);
        match tokio::time::timeout(STOP_WAIT, &mut task).await {
            Ok(Ok(())) => return,
            Ok(Err(e)) => tracing::error!(error = %e, "the mail relay ended badly"),
            Err(_) => {
                tracing::warn!("the mail relay was still sending; stopped");
                task.abort();
            }
        }
        sign_off(&store, &id).await;
    }
}

/// Says the relay runs, for [`ALIVE_FOR`] seconds more.
async fn renew(
    store: &Arc<Store>,
    id: &str,
    server: &str,
) -> Result<(), crate::local::wire::error::ApiError> {
    let (store, id, server) = (Arc::clone(store), id.to_string(), server.to_string());
    blocking(move || outbox::relay_alive(&store, &id, &server, ALIVE_FOR)).await
}

/// Says the relay is gone; a failure is logged (the heartbeat lapses on its own).
async fn sign_off(store: &Arc<Store>, id: &str) {
    let (store, id) = (Arc::clone(store), id.to_string());
    if let Err(e) = blocking(move || outbox::relay_gone(&store, &id)).await {
        tracing::warn!(error = %e, "the mail relay could not sign off");
    }
}

/// Registers a relay on `store` (from now on its email is pending, not kept) and starts
/// sending it.
pub async fn start(
    store: Arc<Store>,
    relay: Relay,
) -> Result<Running, crate::local::wire::error::ApiError> {
    let id = uuid::Uuid::new_v4().to_string();
    let server = relay.server().to_string();
    renew(&store, &id, &server).await?;
    tracing::info!(%server, "mail relay started");
    let (stop, mut stopped) = watch::channel(false);
    // The heartbeat has a task of its own: a slow server must not make the relay look
    // gone (email made meanwhile would be kept instead of sent).
    let heart = {
        let (store, id, server) = (Arc::clone(&store), id.clone(), server.clone());
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let mut beat = tokio::time::interval(HEARTBEAT);
            beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            beat.tick().await;
            loop {
                tokio::select! {
                    _ = beat.tick() => {}
                    _ = stopped.changed() => return,
                }
                if let Err(e) = renew(&store, &id, &server).await {
                    tracing::warn!(error = %e, "the mail relay could not renew its place");
                }
            }
        })
    };
    let (kept_store, kept_id) = (Arc::clone(&store), id.clone());
    let task = tokio::spawn(async move {
        // A send is never cut off half-way (the server may have taken the message
        // already): the stop is looked at between messages' batches.
        while !*stopped.borrow() {
            if deliver_due(&store, &relay).await == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(POLL) => {}
                    _ = stopped.changed() => {}
                }
            }
        }
        let _ = heart.await;
        sign_off(&store, &id).await;
        tracing::info!(%server, "mail relay stopped");
    });
    Ok(Running {
        stop,
        task,
        store: kept_store,
        id: kept_id,
    })
}

/// Sends what is due now, one message at a time; how many were tried. A store that
/// cannot be read is logged and tried again at the next poll.
pub async fn deliver_due(store: &Arc<Store>, relay: &Relay) -> usize {
    let claimed = {
        let store = Arc::clone(store);
        match blocking(move || outbox::claim(&store, BATCH)).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::error!(error = %e, "the mail relay cannot read the outbox");
                return 0;
            }
        }
    };
    for message in &claimed {
        let outcome = relay.send(&mail(message)).await;
        let store = Arc::clone(store);
        let id = message.id;
        let recorded = match outcome {
            Ok(answer) => {
                tracing::info!(id, server = relay.server(), %answer, "relayed a message");
                blocking(move || outbox::sent(&store, id)).await
            }
            Err(e) => {
                tracing::warn!(id, server = relay.server(), error = %e, permanent = e.permanent, "a message was not relayed");
                let why = if e.permanent {
                    format!("refused: {e}")
                } else {
                    e.to_string()
                };
                blocking(move || outbox::failed(&store, id, &why)).await
            }
        };
        if let Err(e) = recorded {
            // The claim lapses and the message is tried again: at least once, not lost.
            tracing::error!(id, error = %e, "the mail relay cannot record a message's fate");
        }
    }
    claimed.len()
}

fn mail(m: &Claimed) -> Mail {
    Mail {
        from: m.sender.clone(),
        reply_to: m.reply_to.clone(),
        to: m.to.clone(),
        subject: m.subject.clone(),
        html: m.body.clone(),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::local::wire::error::ApiError> + Send + 'static,
) -> Result<T, crate::local::wire::error::ApiError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(crate::local::wire::error::ApiError::new(
            crate::local::wire::error::ErrorCode::InternalError,
            e.to_string(),
        ))
    })
}
