//! The pace of a job that makes one call per user (an import's AdminCreateUser, a bulk
//! action on marked users): it starts at Cognito's default quota for those calls, slows
//! by a fifth each time Cognito throttles, and speeds up by one a second every 5
//! successes (AIMD, as TCP does), so it settles just under what the account allows. A
//! throttled call is tried again, never dropped.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::client::{ClientError, ErrorKind};

/// Calls a second to start at: Cognito's default quota for user changes.
const START: f64 = 50.0;

pub struct Pace {
    rate: f64,
    next: Instant,
    since_throttle: u32,
}

impl Pace {
    /// A pace several tasks share.
    pub fn shared() -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self {
            rate: START,
            next: Instant::now(),
            since_throttle: 0,
        }))
    }

    /// Waits for this call's turn.
    pub async fn wait(pace: &Mutex<Self>) {
        let at = {
            let mut p = pace.lock().await;
            let now = Instant::now();
            let at = p.next.max(now);
            p.next = at + Duration::from_secs_f64(1.0 / p.rate);
            at
        };
        tokio::time::sleep_until(at.into()).await;
    }

    pub async fn throttled(pace: &Mutex<Self>) {
        let mut p = pace.lock().await;
        p.rate = (p.rate * 0.8).max(1.0);
        p.since_throttle = 0;
        p.next = Instant::now() + Duration::from_secs_f64(1.0 / p.rate);
    }

    pub async fn succeeded(pace: &Mutex<Self>) {
        let mut p = pace.lock().await;
        p.since_throttle += 1;
        if p.since_throttle.is_multiple_of(5) {
            p.rate = (p.rate + 1.0).min(5_000.0);
        }
    }
}

/// Cognito said to slow down (after the SDK's own retries).
pub fn throttled(e: &ClientError) -> bool {
    e.kind == ErrorKind::Throttled || e.is("TooManyRequestsException")
}
