//! Progress of a bulk job: a [`Tally`] anyone may read (the console's gauge) and, when
//! stderr is a terminal, a bar drawn by indicatif (users done, about how many left, the
//! rate). A log file or a pipe gets the summary alone. The tally also carries the
//! request to stop (Ctrl-C, or the console's stop key).

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts that a job writes and a watcher reads.
#[derive(Debug, Default)]
pub struct Tally {
    done: AtomicU64,
    total: AtomicU64,
    stop: AtomicBool,
}

impl Tally {
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// About how many there are, once known.
    pub fn total(&self) -> Option<u64> {
        match self.total.load(Ordering::Relaxed) {
            0 => None,
            n => Some(n),
        }
    }

    /// Asks the job to stop: the calls in flight finish, no new row starts.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

pub struct Progress {
    bar: ProgressBar,
    verb: &'static str,
    tally: Arc<Tally>,
}

impl Progress {
    /// A bar for `verb` ("exported", "imported"), shown when stderr is a terminal.
    pub fn new(verb: &'static str) -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self::with_target(verb, target, Arc::default())
    }

    /// No bar: `tally` is watched by someone else (the console).
    pub fn watched(verb: &'static str, tally: Arc<Tally>) -> Self {
        Self::with_target(verb, ProgressDrawTarget::hidden(), tally)
    }

    fn with_target(verb: &'static str, target: ProgressDrawTarget, tally: Arc<Tally>) -> Self {
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(Self::style(verb, false));
        Self { bar, verb, tally }
    }

    pub fn tally(&self) -> &Arc<Tally> {
        &self.tally
    }

    fn style(verb: &str, known: bool) -> ProgressStyle {
        let template = if known {
            format!(
                "{verb} {{human_pos}} of about {{human_len}} users · {{per_sec}} · about {{eta}} left {{wide_bar}}"
            )
        } else {
            format!("{verb} {{human_pos}} users · {{per_sec}}")
        };
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar())
    }

    /// About how many there are (Cognito's estimate, or a file's row count).
    pub fn expect(&self, total: u64) {
        if total > 0 {
            self.tally.total.store(total, Ordering::Relaxed);
            self.bar.set_length(total);
            self.bar.set_style(Self::style(self.verb, true));
        }
    }

    pub fn advance(&self, n: u64) {
        self.set(self.tally.done() + n);
    }

    /// `done` so far (a job that reports its own counts).
    pub fn set(&self, done: u64) {
        self.tally.done.store(done, Ordering::Relaxed);
        self.bar.set_position(done);
        // The estimate may be low: never show more done than expected.
        if self.tally.total().is_some_and(|total| done > total) {
            self.tally.total.store(done, Ordering::Relaxed);
            self.bar.set_length(done);
        }
    }

    /// Clears the bar; the caller prints the summary.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watched_tally_follows_the_job_and_never_shows_more_done_than_expected() {
        let tally = Arc::new(Tally::default());
        let p = Progress::watched("imported", tally.clone());
        assert_eq!((tally.done(), tally.total()), (0, None));
        p.expect(10);
        p.advance(4);
        assert_eq!((tally.done(), tally.total()), (4, Some(10)));
        p.set(12);
        assert_eq!((tally.done(), tally.total()), (12, Some(12)));
        assert!(!tally.stopping());
        tally.stop();
        assert!(p.tally().stopping());
    }
}
