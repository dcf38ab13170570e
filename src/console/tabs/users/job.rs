//! The export or import the Users tab runs: started from the bulk form, drawn as a gauge
//! in place of the summary line (done, of how many, the rate, time left), stopped with
//! its key, and summed up on the status line when it ends. Browsing goes on meanwhile.

use std::sync::Arc;
use std::time::Instant;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{LineGauge, Widget};

use super::{UsersTab, thousands};
use crate::bulk::progress::Tally;
use crate::console::action::Command;
use crate::console::bulk_work::{Done, UsersDone, Work};
use crate::console::effect::Effect;
use crate::console::keymap::{Context, Keymap};
use crate::console::owner::{Env, Step};
use crate::console::theme::Theme;
use crate::pool::printable;

#[derive(Debug)]
pub struct Running {
    pub work: Work,
    pub tally: Arc<Tally>,
    /// When it started, for the rate; None in tests that draw a job at a fixed point.
    pub started: Option<Instant>,
}

impl Running {
    /// "importing users.csv: 1,234 of 5,000 · 210/s · about 18 s left · x stops".
    pub fn label(&self, keymap: &Keymap) -> String {
        let done = self.tally.done();
        let mut parts = vec![match self.tally.total() {
            Some(total) => format!(
                "{}: {} of {}",
                printable::field(&self.work.describe()),
                thousands(done),
                thousands(total)
            ),
            None => format!(
                "{}: {}",
                printable::field(&self.work.describe()),
                thousands(done)
            ),
        }];
        let elapsed = self.started.map(|s| s.elapsed().as_secs_f64());
        if let Some(secs) = elapsed.filter(|s| *s >= 1.0 && done > 0) {
            let rate = done as f64 / secs;
            parts.push(format!("{}/s", thousands(rate.round() as u64)));
            if let Some(total) = self.tally.total() {
                let left = (total.saturating_sub(done)) as f64 / rate;
                parts.push(format!("about {} left", duration(left)));
            }
        }
        if self.tally.stopping() {
            parts.push("stopping…".into());
        } else if let Some(k) = keymap.key_for(Context::Users, Command::StopJob) {
            parts.push(format!("{k} stops"));
        }
        parts.join(" · ")
    }

    fn ratio(&self) -> f64 {
        match self.tally.total() {
            Some(total) => (self.tally.done() as f64 / total as f64).clamp(0.0, 1.0),
            None => 0.0,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap) {
        LineGauge::default()
            .label(self.label(keymap))
            .ratio(self.ratio())
            .filled_style(theme.key())
            .unfilled_style(theme.muted())
            .render(area, buf);
    }
}

fn duration(secs: f64) -> String {
    let secs = secs.round() as u64;
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs.div_ceil(60)),
        _ => format!("{:.1} h", secs as f64 / 3600.0),
    }
}

impl UsersTab {
    /// Starts `work` unless a job runs already.
    pub fn start_job(&mut self, mut work: Work, env: &Env) -> Vec<Step> {
        if let Some(running) = &self.job {
            return vec![Step::Error(format!(
                "{} is still running; one at a time",
                running.work.describe()
            ))];
        }
        if let Work::Users(job) = &mut work {
            // Only users still marked: one done since the preview is not done twice.
            job.changes.retain(|c| self.marks.contains(c.username()));
            if job.changes.is_empty() {
                return vec![Step::Error(
                    "none of those users is marked any more: nothing to do".into(),
                )];
            }
        }
        let tally = Arc::new(Tally::default());
        let effect = env.call(|client, pool_id| Effect::Bulk {
            client,
            pool_id,
            work: work.clone(),
            tally: tally.clone(),
            auditor: None,
        });
        match effect {
            Ok(effect) => {
                let text = work.describe();
                self.job = Some(Running {
                    work,
                    tally,
                    started: Some(Instant::now()),
                });
                vec![Step::Info(format!("{text}…")), Step::Run(effect)]
            }
            Err(why) => vec![Step::Error(why)],
        }
    }

    /// The stop key: the calls in flight finish, nothing new starts.
    pub fn stop_job(&mut self) -> Vec<Step> {
        match &self.job {
            Some(running) => {
                running.tally.stop();
                vec![Step::Info(format!(
                    "stopping {}: the calls in flight finish first",
                    running.work.describe()
                ))]
            }
            None => Vec::new(),
        }
    }

    /// The job ended: its summary on the status line (and in the messages), and the
    /// list again after an import.
    pub fn job_done(&mut self, work: &Work, result: Result<Done, String>, env: &Env) -> Vec<Step> {
        self.job = None;
        // Marks are of the pool open now: a job of another pool's leaves them be.
        let other_pool = match work {
            Work::Mark { pool_id, .. } => env.pool_id != Some(pool_id.as_str()),
            _ => false,
        };
        if other_pool {
            return vec![Step::Info(
                "marking ended in a pool that is no longer open: nothing marked".into(),
            )];
        }
        let file = work
            .path()
            .map(|p| printable::field(&p.display().to_string()).into_owned())
            .unwrap_or_default();
        match result {
            Err(e) => vec![Step::Error(match work {
                Work::Export { .. } => format!("export to {file} failed: {e}"),
                Work::Mark { .. } => format!("marking stopped: {e}"),
                Work::Users(job) => format!("{} failed: {e}", job.title),
                _ => format!("import of {file} failed: {e}"),
            })],
            Ok(Done::Marked { users, whole }) => {
                let found = users.len();
                let added = self.marks.add(users);
                let mut text = format!(
                    "marked {} users ({} found, {} marked in all)",
                    thousands(added as u64),
                    thousands(found as u64),
                    thousands(self.marks.len() as u64)
                );
                if !whole {
                    text.push_str(&format!(
                        "; stopped before the last match (at most {} are marked at once)",
                        thousands(super::MAX_MARKS as u64)
                    ));
                }
                vec![Step::Info(text)]
            }
            Ok(Done::Users(done)) => self.users_done(done),
            Ok(Done::Exported(n)) => {
                let mut text = format!("exported {} users to {file}", thousands(n.users));
                if n.formula_like > 0 {
                    text.push_str(&format!(
                        "; {} values begin as a spreadsheet formula would (=, +, -, @): \
                         written as they are, as Cognito's format needs (open the file as \
                         text in a spreadsheet)",
                        thousands(n.formula_like)
                    ));
                }
                vec![Step::Info(text)]
            }
            Ok(Done::Imported(s)) if !s.invalid.is_empty() => vec![Step::Error(format!(
                "{file} changed since it was checked: {} problems; nothing was imported",
                s.invalid.len()
            ))],
            Ok(Done::Imported(s)) => {
                let mut text = format!(
                    "{file}: created {}, already there {}, failed {}",
                    thousands(s.created),
                    thousands(s.present),
                    thousands(s.failed.len() as u64)
                );
                if let Some(first) = s.failed.first() {
                    text.push_str(&format!(" (line {}: {})", first.line, first.error));
                }
                if let Some(rows) = &s.failed_rows_file {
                    text.push_str(&format!(
                        "; the failed rows are in {}",
                        printable::field(&rows.display().to_string())
                    ));
                }
                if s.interrupted {
                    text.push_str("; stopped: import the same file again to finish");
                }
                let step = if s.failed.is_empty() && !s.interrupted {
                    Step::Info(text)
                } else {
                    Step::Error(text)
                };
                vec![step, Step::Reload]
            }
            Ok(Done::Job(s)) if !s.invalid.is_empty() => vec![Step::Error(format!(
                "{file} changed since it was checked: {} problems; no job was created",
                s.invalid.len()
            ))],
            Ok(Done::Job(s)) => {
                let Some(job) = s.job else {
                    return Vec::new();
                };
                let mut text = format!(
                    "import job {} {}: {} imported, {} skipped, {} failed",
                    job.id,
                    job.status,
                    thousands(job.imported.max(0) as u64),
                    thousands(job.skipped.max(0) as u64),
                    thousands(job.failed.max(0) as u64)
                );
                if let Some(m) = &job.message {
                    text.push_str(&format!(" ({})", printable::field(m)));
                }
                if let Some(f) = &s.failures_file {
                    text.push_str(&format!(
                        "; every failed row's reason is in {}",
                        printable::field(&f.display().to_string())
                    ));
                }
                let step = if job.status == "Succeeded" && job.failed == 0 {
                    Step::Info(text)
                } else {
                    Step::Error(text)
                };
                vec![step, Step::Reload]
            }
        }
    }
}

impl UsersTab {
    /// A bulk action ended: who was done is unmarked, who failed or was never reached
    /// stays marked (the same key again does only that); each user's outcome goes in the
    /// messages, and the sum on the status line.
    fn users_done(&mut self, done: UsersDone) -> Vec<Step> {
        self.marks.remove(&done.done);
        let mut steps: Vec<Step> = done
            .lines
            .iter()
            .map(|text| Step::Log {
                error: false,
                text: text.clone(),
            })
            .collect();
        steps.extend(done.failed.iter().map(|(user, why)| Step::Log {
            error: true,
            text: format!("{}: {}", printable::field(user), printable::field(why)),
        }));
        let mut text = format!("{}: {} done", done.title, thousands(done.done.len() as u64));
        if !done.failed.is_empty() {
            text.push_str(&format!(", {} failed", thousands(done.failed.len() as u64)));
            if let Some((user, why)) = done.failed.first() {
                text.push_str(&format!(
                    " (first: {}: {})",
                    printable::field(user),
                    printable::field(why)
                ));
            }
        }
        if !done.not_started.is_empty() {
            text.push_str(&format!(
                ", {} not started (stopped)",
                thousands(done.not_started.len() as u64)
            ));
        }
        if !self.marks.is_empty() {
            text.push_str(&format!(
                "; the {} left stay marked: the same key again does only them",
                thousands(self.marks.len() as u64)
            ));
        }
        let clean = done.failed.is_empty() && done.not_started.is_empty();
        steps.push(if clean {
            Step::Info(text)
        } else {
            Step::Error(text)
        });
        steps.push(Step::Reload);
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::progress::Progress;

    fn running(total: Option<u64>, done: u64) -> Running {
        let tally = Arc::new(Tally::default());
        let p = Progress::watched("imported", tally.clone());
        if let Some(t) = total {
            p.expect(t);
        }
        p.set(done);
        Running {
            work: Work::Import {
                path: "users.csv".into(),
                format: crate::bulk::Format::Csv,
                send_invitations: false,
            },
            tally,
            started: None,
        }
    }

    #[test]
    fn the_label_says_how_far_and_how_to_stop() {
        let keymap = Keymap::default();
        let r = running(Some(5_000), 1_234);
        assert_eq!(
            r.label(&keymap),
            "importing users.csv: 1,234 of 5,000 · x stops"
        );
        assert!((r.ratio() - 0.2468).abs() < 1e-9);
        r.tally.stop();
        assert_eq!(
            r.label(&keymap),
            "importing users.csv: 1,234 of 5,000 · stopping…"
        );
        let unknown = running(None, 7);
        assert_eq!(unknown.label(&keymap), "importing users.csv: 7 · x stops");
        assert_eq!(unknown.ratio(), 0.0);
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(4.4), "4 s");
        assert_eq!(duration(61.0), "2 min");
        assert_eq!(duration(7_200.0), "2.0 h");
    }
}
