//! Drawing the Users tab: a summary line (where the cursor is among about how many,
//! what is loading, the search) or the running job's gauge, then only the rows on
//! screen. Reads state, changes nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

use super::UsersTab;
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::Ui;
use crate::pool::user_filter::SortColumn;
use crate::pool::when::date;
use crate::pool::{User, printable};

/// Rows above the table rows: the summary line and the table's header.
pub const CHROME: usize = 2;

/// A column and the width it needs; columns are dropped from the end of this list
/// (least useful first) when the terminal is narrow, never the username.
const COLUMNS: [(SortColumn, u16); 8] = [
    (SortColumn::Username, 12),
    (SortColumn::Enabled, 8),
    (SortColumn::Status, 21),
    (SortColumn::Email, 16),
    (SortColumn::EmailVerified, 7),
    (SortColumn::PhoneVerified, 7),
    (SortColumn::Updated, 10),
    (SortColumn::Created, 10),
];

/// The mark beside a marked user's row.
const MARK: &str = "●";

/// How many columns fit in `width`, username first.
fn columns_for(width: u16) -> usize {
    // The marks' gutter comes first.
    let mut used = 2;
    let mut n = 0;
    for (_, w) in COLUMNS {
        if used + w + 1 > width && n > 0 {
            break;
        }
        used += w + 1;
        n += 1;
    }
    n
}

fn cell(u: &User, column: usize) -> String {
    match column {
        0 => printable::field(&u.username).into_owned(),
        1 => if u.enabled { "Enabled" } else { "Disabled" }.to_string(),
        2 => u.status.map_or("-", |s| s.as_str()).to_string(),
        3 => printable::field(u.attribute("email").unwrap_or("-")).into_owned(),
        4 => yes_no(u.attribute("email_verified")).to_string(),
        5 => yes_no(u.attribute("phone_number_verified")).to_string(),
        6 => u.last_modified.map(date).unwrap_or_default(),
        _ => u.created.map(date).unwrap_or_default(),
    }
}

impl UsersTab {
    /// "1,234 of about 3,000 · more below · search: …" and what is going on.
    fn summary(&self, estimated: Option<i64>, local_store: bool) -> String {
        let mut parts = Vec::new();
        let about = |n: i64| thousands(n.max(0) as u64);
        if self.rows.is_empty() {
            parts.push(format!("{} loaded", thousands(self.seen() as u64)));
        } else {
            let of = match (self.complete && self.searching(), estimated) {
                (true, _) => format!("of {}", thousands(self.seen() as u64)),
                (false, Some(total)) if !self.searching() => format!("of about {}", about(total)),
                _ => format!("of {}+ loaded", thousands(self.seen() as u64)),
            };
            parts.push(format!("{} {of}", thousands(self.selected as u64 + 1)));
        }
        if !self.marks.is_empty() {
            parts.push(format!("{} marked", thousands(self.marks.len() as u64)));
        }
        if let Some(f) = &self.filter {
            parts.push(format!("search: {f}"));
        }
        if !self.local.is_empty() {
            parts.push(format!("here: {}", self.local.describe()));
            if local_store {
                parts.push("filtered in the store".into());
            } else {
                let of = match estimated {
                    Some(n) if self.filter.is_none() && !self.complete => {
                        format!(" of about {}", about(n))
                    }
                    _ => String::new(),
                };
                parts.push(format!(
                    "filtering locally: scanned {}{of}",
                    thousands(self.scanned)
                ));
            }
            if self.paused {
                parts.push("stopped".into());
            }
        }
        if let Some(sort) = &self.sort {
            if self.sorted_here {
                let limit = if self.rows.len() >= super::WINDOW {
                    " (the most kept)"
                } else {
                    ""
                };
                parts.push(format!(
                    "sorted by {}: the {} loaded{limit}, not the pool",
                    sort.describe(),
                    thousands(self.rows.len() as u64)
                ));
            } else {
                parts.push(format!("sorted by {}", sort.describe()));
            }
        }
        if !self.rows.is_empty() && (self.end() < self.seen() || !self.complete) {
            parts.push("more below".into());
        }
        if self.throttled > 0 {
            parts.push("throttled, retrying…".into());
        } else if self.seeking_end {
            parts.push(format!(
                "going to the last user… {} loaded",
                thousands(self.seen() as u64)
            ));
        } else if self.pending.is_some() {
            parts.push("loading…".into());
        }
        parts.join(" · ")
    }

    /// What the table says when it has no row to show.
    fn empty_text(&self, ui: &Ui) -> String {
        let key = |command| {
            ui.keymap
                .key_for(Context::Global, command)
                .or_else(|| ui.keymap.key_for(Context::Users, command))
                .unwrap_or_else(|| "?".into())
        };
        if self.pending.is_some() {
            "Loading users…".into()
        } else if let Some(e) = &self.error {
            format!(
                "Could not list the users: {e}. {} tries again.",
                key(Command::Refresh)
            )
        } else if self.searching() && !self.complete {
            format!(
                "No user matches yet ({} scanned). {} goes on, {} clears the search.",
                thousands(self.scanned),
                key(Command::Down),
                key(Command::Back)
            )
        } else if self.searching() {
            format!(
                "No user matches this search. {} clears it.",
                key(Command::Back)
            )
        } else if ui.env.read_only {
            "This pool has no users yet.".into()
        } else {
            format!(
                "This pool has no users yet. Press {} to create one.",
                key(Command::CreateUser)
            )
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let [summary, table_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        if let Some(job) = &self.job {
            job.render(summary, buf, theme, ui.keymap);
        } else {
            let local_store = ui.env.client.is_some_and(|c| c.is_local());
            let mut line = vec![Span::styled(
                self.summary(
                    ui.env.pool.map(|p| p.estimated_number_of_users),
                    local_store,
                ),
                theme.muted(),
            )];
            if let (Some(e), false) = (&self.error, self.rows.is_empty()) {
                line.push(Span::styled(format!("  ✗ {e}"), theme.error()));
            }
            Paragraph::new(Line::from(line)).render(summary, buf);
        }

        let n = columns_for(table_area.width);
        let title = |column: SortColumn| match self.sort {
            Some(s) if s.column == column => {
                format!("{}{}", column.title(), if s.descending { "↓" } else { "↑" })
            }
            _ => column.title().to_string(),
        };
        let header = Row::new(
            std::iter::once(String::new()).chain(COLUMNS[..n].iter().map(|(c, _)| title(*c))),
        )
        .style(theme.title());
        let widths: Vec<Constraint> = std::iter::once(Constraint::Length(1))
            .chain(COLUMNS[..n].iter().enumerate().map(|(i, (_, w))| match i {
                0 => Constraint::Min(*w),
                3 => Constraint::Fill(1),
                _ => Constraint::Length(*w),
            }))
            .collect();
        let rows = self.visible().iter().map(|u| {
            let mark = if self.marks.contains(&u.username) {
                MARK
            } else {
                ""
            };
            let cells = std::iter::once(Cell::from(Span::styled(mark, theme.key())))
                .chain((0..n).map(|c| Cell::from(cell(u, c))));
            Row::new(cells)
        });
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .row_highlight_style(theme.selected());
        if self.rows.is_empty() {
            Widget::render(table, table_area, buf);
            let msg_area = Rect {
                y: table_area.y + 1,
                height: table_area.height.saturating_sub(1).min(1),
                ..table_area
            };
            let style = if self.error.is_some() {
                theme.error()
            } else {
                theme.muted()
            };
            Paragraph::new(Line::styled(self.empty_text(ui), style)).render(msg_area, buf);
            return;
        }
        let (first, _) = self.on_screen();
        let mut state = TableState::default()
            .with_offset(0)
            .with_selected(self.selected.checked_sub(first));
        StatefulWidget::render(table, table_area, buf, &mut state);
    }
}

/// 1234567 as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn yes_no(v: Option<&str>) -> &'static str {
    match v {
        Some(v) if v.eq_ignore_ascii_case("true") => "Yes",
        Some(_) => "No",
        None => "-",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn narrow_terminals_keep_the_username() {
        assert_eq!(columns_for(10), 1);
        assert_eq!(COLUMNS[0].0, SortColumn::Username);
        assert!(columns_for(80) >= 4, "{}", columns_for(80));
        assert_eq!(columns_for(200), COLUMNS.len());
    }
}
