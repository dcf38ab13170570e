//! The audit log (`A`, `:audit`): every sign-in and every change made through any
//! console on this store, newest first, paged in as the cursor nears the end; the entry
//! under the cursor is shown whole below the list. `space` narrows it to the open pool.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{SCROLL, Ui, centered, frame, step};
use crate::client::ClientError;
use crate::console::action::{Action, Command};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::theme::Theme;
use crate::pool::audit::{Entry, Outcome as Ending, Query};
use crate::pool::printable::field;
use crate::pool::when::date_time;

/// Entries asked for at a time.
const PAGE: usize = 100;

#[derive(Debug, Default)]
pub struct AuditLog {
    pub entries: Vec<Entry>,
    /// Only this pool's entries; None: every entry.
    pub pool_id: Option<String>,
    pub selected: usize,
    pub loading: bool,
    /// The oldest entry is in.
    pub complete: bool,
    pub error: Option<String>,
    /// The request whose answer is awaited; older answers are dropped.
    request: u64,
}

impl AuditLog {
    /// Opens on every entry and asks for the first page.
    pub fn open(env: &Env) -> (Self, Option<Effect>) {
        let mut log = Self::default();
        let first = log.fetch(env);
        (log, first)
    }

    fn fetch(&mut self, env: &Env) -> Option<Effect> {
        if self.loading || self.complete {
            return None;
        }
        let log = env.audit?.clone();
        self.loading = true;
        self.request += 1;
        Some(Effect::ReadAudit {
            log,
            request: self.request,
            query: Query {
                pool_id: self.pool_id.clone(),
                before: self.entries.last().map(|e| e.id),
                limit: PAGE,
                ..Query::default()
            },
        })
    }

    pub fn answered(
        &mut self,
        request: u64,
        result: Result<Vec<Entry>, ClientError>,
        env: &Env,
    ) -> Vec<Step> {
        if request != self.request {
            return Vec::new();
        }
        self.loading = false;
        match result {
            Ok(page) => {
                self.complete = page.len() < PAGE;
                self.entries.extend(page);
                self.error = None;
                self.more(env)
            }
            Err(e) => {
                self.error = Some(e.to_string());
                vec![Step::Error(format!("cannot read the audit log: {e}"))]
            }
        }
    }

    fn more(&mut self, env: &Env) -> Vec<Step> {
        if self.selected + 20 >= self.entries.len() {
            self.fetch(env).map(Step::Run).into_iter().collect()
        } else {
            Vec::new()
        }
    }

    /// From the first page again, for the scope now chosen.
    fn reload(&mut self, env: &Env) -> Vec<Step> {
        *self = Self {
            pool_id: self.pool_id.clone(),
            request: self.request,
            ..Self::default()
        };
        self.fetch(env).map(Step::Run).into_iter().collect()
    }

    /// `space` narrows to the open pool, or widens again: only with a log, and a pool
    /// to narrow to.
    fn narrows(&self, env: &Env) -> bool {
        env.audit.is_some() && (env.pool_id.is_some() || self.pool_id.is_some())
    }

    fn summary(&self, env: &Env) -> (String, bool) {
        let scope = match &self.pool_id {
            Some(id) => format!("of {}", field(id)),
            None => "of every pool".to_string(),
        };
        let n = self.entries.len();
        match (&self.error, self.loading, self.complete) {
            _ if env.audit.is_none() => ("This session keeps no audit log.".into(), true),
            (Some(e), _, _) => (format!("Could not read the audit log: {e}"), true),
            (None, true, _) if n == 0 => (format!("Reading the audit log {scope}…"), false),
            (None, true, _) => (format!("{n} entries {scope} so far, reading more…"), false),
            (None, false, true) if n == 0 => (format!("No entries {scope} yet."), false),
            (None, false, true) => (format!("{n} entries {scope}, newest first (UTC)"), false),
            (None, false, false) => (
                format!("{n}+ entries {scope}, newest first (UTC); more below"),
                false,
            ),
        }
    }
}

impl Owner for AuditLog {
    fn commands(&self, env: &Env) -> Vec<Command> {
        let mut c = SCROLL.to_vec();
        c.push(Command::Back);
        if env.audit.is_some() {
            c.push(Command::Refresh);
        }
        if self.narrows(env) {
            c.push(Command::Toggle);
        }
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if let Some(by) = step(command, 10) {
            let last = self.entries.len().saturating_sub(1) as isize;
            self.selected = (self.selected as isize + by).clamp(0, last) as usize;
            return Outcome::Handled(self.more(env));
        }
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Refresh => Outcome::Handled(self.reload(env)),
            Command::Toggle => {
                self.pool_id = match self.pool_id {
                    Some(_) => None,
                    None => env.pool_id.map(str::to_string),
                };
                Outcome::Handled(self.reload(env))
            }
            _ => Outcome::Ignored,
        }
    }

    fn answer(&mut self, result: &Action, env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::AuditLoaded { request, result } => {
                Some(self.answered(*request, result.clone(), env))
            }
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let rect = centered(area, 120, area.height.saturating_sub(2));
        let mut keys = Vec::new();
        if self.narrows(&ui.env) {
            let scope = if self.pool_id.is_some() {
                "every pool"
            } else {
                "this pool"
            };
            keys.push((Command::Toggle, scope));
        }
        keys.push((Command::Back, "closes"));
        let title = format!("Audit log ({})", ui.hint(Context::Popup, &keys));
        let inner = frame(rect, buf, theme, &title);
        let detail_rows = (inner.height / 2).clamp(3, 9);
        let [top, list, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(detail_rows),
        ])
        .areas(inner);
        let (text, failed) = self.summary(&ui.env);
        let style = if failed { theme.error() } else { theme.muted() };
        Paragraph::new(Line::styled(text, style)).render(top, buf);
        let rows = usize::from(list.height).max(1);
        let first = self.selected.saturating_sub(rows - 1);
        let lines: Vec<Line> = self
            .entries
            .iter()
            .enumerate()
            .skip(first)
            .take(rows)
            .map(|(i, e)| {
                let style = if i == self.selected {
                    theme.selected()
                } else {
                    Style::default()
                };
                Line::from(vec![
                    Span::styled(ending_mark(&e.outcome), ending_style(theme, &e.outcome)),
                    Span::styled(row(e), style),
                ])
            })
            .collect();
        Paragraph::new(lines).render(list, buf);
        if let Some(e) = self.entries.get(self.selected) {
            Paragraph::new(entry_lines(e, theme))
                .wrap(Wrap { trim: false })
                .render(detail, buf);
        }
    }
}

/// "2026-11-22 09:30:00  ana  disable user bob  local_abc" (times in UTC, said above).
fn row(e: &Entry) -> String {
    let at = date_time(e.at);
    let mut row = format!(
        "{}  {}  {}",
        at.trim_end_matches(" UTC"),
        field(&e.admin.name),
        what(e)
    );
    if let Some(pool) = &e.change.pool_id {
        row.push_str(&format!("  {}", field(pool)));
    }
    row
}

/// "disable user bob": the action, and the user it was done to.
fn what(e: &Entry) -> String {
    match &e.change.username {
        Some(user) => format!("{} {}", e.change.action, field(user)),
        None => e.change.action.clone(),
    }
}

fn ending_mark(o: &Ending) -> &'static str {
    match o {
        Ending::Done(_) => "✓ ",
        Ending::Refused(_) => "✗ ",
        Ending::Pending | Ending::Abandoned(_) => "? ",
    }
}

fn ending_style(theme: &Theme, o: &Ending) -> Style {
    match o {
        Ending::Done(_) => theme.ok(),
        Ending::Refused(_) => theme.error(),
        Ending::Pending | Ending::Abandoned(_) => theme.key(),
    }
}

/// The entry under the cursor, whole.
fn entry_lines(e: &Entry, theme: &Theme) -> Vec<Line<'static>> {
    let mut head = vec![Span::styled(what(e), theme.title())];
    if let Some(pool) = &e.change.pool_id {
        head.push(Span::raw(format!(" in {}", field(pool))));
    }
    head.push(Span::styled(
        format!(", {}", date_time(e.at)),
        theme.muted(),
    ));
    let mut lines = vec![
        Line::from(head),
        Line::from(vec![
            Span::styled("By ", theme.muted()),
            Span::raw(e.admin.describe()),
            Span::styled(
                format!(
                    ", session {}{}",
                    e.session.get(..8).unwrap_or(&e.session),
                    if e.admin.read_only { ", read-only" } else { "" }
                ),
                theme.muted(),
            ),
        ]),
    ];
    for d in &e.change.details {
        lines.push(Line::raw(format!("  {}", field(d))));
    }
    let mut ending = vec![Span::styled(
        field(&e.outcome.describe()).into_owned(),
        ending_style(theme, &e.outcome),
    )];
    if let Some(at) = e.finished {
        ending.push(Span::styled(format!(" ({})", date_time(at)), theme.muted()));
    }
    lines.push(Line::from(ending));
    lines
}
