//! Notices throttling while the SDK retries it: an interceptor sees every attempt, so the
//! console can say "throttled, retrying" during the SDK's own backoff instead of a bare
//! spinner.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Throttled attempts seen, and when the last one was.
#[derive(Debug, Default)]
pub struct ThrottleWatch {
    count: AtomicU64,
    last_ms: AtomicU64,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl ThrottleWatch {
    pub fn record(&self) {
        self.count.fetch_add(1, Ordering::Relaxed);
        self.last_ms.store(now_ms(), Ordering::Relaxed);
    }

    /// Throttled attempts so far, retried or not.
    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Whether an attempt was throttled within `window`.
    pub fn within(&self, window: Duration) -> bool {
        let last = self.last_ms.load(Ordering::Relaxed);
        last != 0 && now_ms().saturating_sub(last) <= window.as_millis() as u64
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
