//! Notices throttling while the SDK retries it: an interceptor sees every attempt, so the
//! console can say "throttled, retrying" during the SDK's own backoff instead of a bare
//! spinner.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Throttled attempts seen, and when the last one was (on the monotonic clock, so a
/// change of the machine's date cannot make "recently" wrong).
#[derive(Debug, Default)]
pub struct ThrottleWatch {
    count: AtomicU64,
    last: Mutex<Option<Instant>>,
}

impl ThrottleWatch {
    pub fn record(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut last) = self.last.lock() {
            *last = Some(Instant::now());
        }
    }

    /// Throttled attempts so far, retried or not.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Whether an attempt was throttled within `window`.
    pub fn within(&self, window: Duration) -> bool {
        self.last
            .lock()
            .ok()
            .and_then(|last| *last)
            .is_some_and(|last| last.elapsed() <= window)
    }
}

/// The interceptor that feeds a [`ThrottleWatch`].
#[derive(Debug, Clone)]
pub struct Watcher(pub Arc<ThrottleWatch>);

impl Intercept for Watcher {
    fn name(&self) -> &'static str {
        "ThrottleWatch"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(response) = context.response() {
            let throttled = response.status().as_u16() == 429
                || response.headers().get("x-amzn-errortype").is_some_and(|t| {
                    t.starts_with("TooManyRequests") || t.starts_with("Throttling")
                });
            if throttled {
                self.0.record();
            }
        }
        Ok(())
    }
}
