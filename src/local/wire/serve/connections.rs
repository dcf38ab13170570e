//! `serve`'s accept loop, made for clients that misbehave: a request head must arrive
//! within the idle timeout (so idle and half-sent connections are closed), at most
//! `max_connections` are open (at the limit the one idle longest is closed to make room,
//! so a client that holds many idle connections cannot lock others out), and a shutdown
//! finishes the requests in flight, closes idle connections at once, and gives up on
//! the rest after a grace period.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;

/// How long and how many.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once.
    pub max_connections: usize,
    /// How long a connection may take to send a request head, and may stay idle
    /// between requests.
    pub idle_timeout: Duration,
    /// How long a shutdown waits for requests in flight.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 512,
            idle_timeout: Duration::from_secs(10),
            grace: Duration::from_secs(5),
        }
    }
}

/// One open connection: whether a request is being answered, since when it has been
/// idle, and how to close it.
struct Open {
    busy: Arc<AtomicUsize>,
    idle_since: Arc<Mutex<Instant>>,
    close: Arc<Notify>,
}

#[derive(Default)]
struct Registry {
    open: Mutex<HashMap<u64, Open>>,
    next: AtomicU64,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Open>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes the connection that has been idle the longest, if any is idle. Returns
    /// whether one was.
    fn close_longest_idle(&self) -> bool {
        let open = self.lock();
        let idle = open
            .values()
            .filter(|c| c.busy.load(Ordering::SeqCst) == 0)
            .min_by_key(|c| *c.idle_since.lock().unwrap_or_else(|p| p.into_inner()));
        match idle {
            Some(c) => {
                c.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let registry = Arc::new(Registry::default());
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stopping, stop) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while tasks.try_join_next().is_some() {}
        let permit = match slots.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if registry.close_longest_idle() {
                    tracing::debug!("at the connection limit: closed the longest idle");
                }
                match slots.clone().acquire_owned().await {
                    Ok(p) => p,
                    Err(_) => break,
                }
            }
        };
        let id = registry.next.fetch_add(1, Ordering::SeqCst);
        let open = Open {
            busy: Arc::new(AtomicUsize::new(0)),
            idle_since: Arc::new(Mutex::new(Instant::now())),
            close: Arc::new(Notify::new()),
        };
        let (busy, idle_since, close) = (
            open.busy.clone(),
            open.idle_since.clone(),
            open.close.clone(),
        );
        registry.lock().insert(id, open);
        let registry = registry.clone();
        let router = router.clone();
        let mut stop = stop.clone();
        tasks.spawn(async move {
            let service = Tracked {
                inner: TowerToHyperService::new(router),
                busy,
                idle_since,
            };
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.idle_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            let mut graceful = false;
            loop {
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(e) = result {
                            tracing::debug!(%peer, error = %e, "connection ended");
                        }
                        break;
                    }
                    () = close.notified() => break,
                    changed = stop.changed(), if !graceful => {
                        graceful = true;
                        if changed.is_ok() {
                            conn.as_mut().graceful_shutdown();
                        }
                    }
                }
            }
            registry.lock().remove(&id);
            drop(permit);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    let drained = tokio::time::timeout(limits.grace, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            left = tasks.len(),
            "shutdown: gave up on requests still in flight"
        );
        tasks.abort_all();
    }
    Ok(())
}

/// The router, counting the requests it is answering on one connection.
#[derive(Clone)]
struct Tracked<S> {
    inner: S,
    busy: Arc<AtomicUsize>,
    idle_since: Arc<Mutex<Instant>>,
}

impl<S> hyper::service::Service<http::Request<Incoming>> for Tracked<S>
where
    S: hyper::service::Service<http::Request<Incoming>> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = std::pin::Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn call(&self, req: http::Request<Incoming>) -> Self::Future {
        self.busy.fetch_add(1, Ordering::SeqCst);
        let answer = self.inner.call(req);
        let busy = self.busy.clone();
        let idle_since = self.idle_since.clone();
        Box::pin(async move {
            let result = answer.await;
            *idle_since.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
            busy.fetch_sub(1, Ordering::SeqCst);
            result
        })
    }
}
