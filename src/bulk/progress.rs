//! Progress on stderr while a bulk job runs (users done, about how many left, the rate),
//! drawn by indicatif only when stderr is a terminal: a log file or a pipe gets the
//! summary alone.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    verb: &'static str,
}

impl Progress {
    /// A bar for `verb` ("exported", "imported"), shown when stderr is a terminal.
    pub fn new(verb: &'static str) -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(Self::style(verb, false));
        Self { bar, verb }
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
            self.bar.set_length(total);
            self.bar.set_style(Self::style(self.verb, true));
        }
    }

    pub fn advance(&self, n: u64) {
        self.bar.inc(n);
        // The estimate may be low: never show more done than expected.
        if self
            .bar
            .length()
            .is_some_and(|len| self.bar.position() > len)
        {
            self.bar.set_length(self.bar.position());
        }
    }

    /// Clears the bar; the caller prints the summary.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
