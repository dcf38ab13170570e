//! The Users tab: a window onto the pool. It keeps the pages it has fetched and asks for
//! the next one as the cursor nears the end; it never loads the whole pool.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

use crate::client::UserQuery;
use crate::console::theme::Theme;
use crate::pool::User;
use crate::pool::filter::Filter;

/// Ask for the next page when the cursor is this close to the last loaded row.
pub const PREFETCH: usize = 20;
pub const PAGE: i32 = 60;

#[derive(Debug, Default)]
pub struct UsersTab {
    pub rows: Vec<User>,
    pub selected: usize,
    pub offset: usize,
    pub filter: Option<Filter>,
    /// The token for the page after the last loaded one.
    pub next_token: Option<String>,
    /// The request in flight; answers to any other are stale and dropped.
    pub pending: Option<u64>,
    pub complete: bool,
    pub error: Option<String>,
    /// The query in flight, to ask again when the answer was "throttled".
    pub in_flight: Option<UserQuery>,
    /// Throttled answers to the query in flight so far (0 when not throttled).
    pub throttled: u32,
    /// Throttled answers since the tab was reset, for the summary line and tests.
    pub throttled_total: u64,
}

impl UsersTab {
    /// Forget what is loaded (new pool, new search, refresh).
    pub fn reset(&mut self, filter: Option<Filter>) {
        *self = Self {
            filter,
            ..Self::default()
        };
    }

    /// The query for the next page, if one is wanted and none is in flight.
    pub fn next_query(&self) -> Option<UserQuery> {
        if self.pending.is_some() || self.complete {
            return None;
        }
        Some(UserQuery {
            filter: self.filter.clone(),
            limit: Some(PAGE),
            pagination_token: self.next_token.clone(),
            attributes_to_get: None,
        })
    }

    pub fn wants_more(&self) -> bool {
        !self.complete && self.pending.is_none() && self.selected + PREFETCH >= self.rows.len()
    }

    pub fn loaded(&mut self, users: Vec<User>, next: Option<String>) {
        self.pending = None;
        self.in_flight = None;
        self.throttled = 0;
        self.error = None;
        self.rows.extend(users);
        self.complete = next.is_none();
        self.next_token = next;
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            self.selected = 0;
            return;
        }
        let max = self.rows.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, max) as usize;
    }

    pub fn selected_user(&self) -> Option<&User> {
        self.rows.get(self.selected)
    }

    pub fn render(
        &mut self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        estimated: Option<i64>,
        busy: bool,
    ) {
        let [summary, table_area] =
            ratatui::layout::Layout::vertical([Constraint::Length(1), Constraint::Min(1)])
                .areas(area);
        let mut parts = vec![format!("{} loaded", self.rows.len())];
        if let Some(total) = estimated {
            parts.push(format!("about {total} in the pool"));
        }
        if let Some(f) = &self.filter {
            parts.push(format!("search: {f}"));
        }
        if !self.complete && !self.rows.is_empty() {
            parts.push("more below".into());
        }
        if self.throttled > 0 {
            parts.push("throttled, retrying…".into());
        } else if busy && self.pending.is_some() {
            parts.push("loading…".into());
        }
        let mut summary_line = vec![ratatui::text::Span::styled(
            parts.join(" · "),
            theme.muted(),
        )];
        if let Some(e) = &self.error {
            summary_line.push(ratatui::text::Span::styled(
                format!("  ✗ {e}"),
                theme.error(),
            ));
        }
        Paragraph::new(Line::from(summary_line)).render(summary, buf);

        // Narrow terminals (80 columns over SSH) drop the date rather than squeeze names.
        let wide = table_area.width >= 100;
        let mut titles = vec![
            "Username",
            "Enabled",
            "Account status",
            "Email",
            "Email ✓",
            "Phone ✓",
        ];
        if wide {
            titles.push("Updated");
        }
        let header = Row::new(titles).style(theme.title());
        let rows = self.rows.iter().map(|u| {
            Row::new(vec![
                Cell::from(u.username.clone()),
                Cell::from(if u.enabled { "Enabled" } else { "Disabled" }),
                Cell::from(u.status.map_or("-", |s| s.as_str())),
                Cell::from(u.attribute("email").unwrap_or("-").to_string()),
                Cell::from(yes_no(u.attribute("email_verified"))),
                Cell::from(yes_no(u.attribute("phone_number_verified"))),
                Cell::from(if wide {
                    u.last_modified.map(date).unwrap_or_default()
                } else {
                    String::new()
                }),
            ])
        });
        let mut widths = vec![
            Constraint::Fill(3),
            Constraint::Length(8),
            Constraint::Length(21),
            Constraint::Fill(4),
            Constraint::Length(7),
            Constraint::Length(7),
        ];
        if wide {
            widths.push(Constraint::Length(10));
        }
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .row_highlight_style(theme.selected());
        if self.rows.is_empty() {
            let text = if self.pending.is_some() {
                "Loading users…"
            } else if self.filter.is_some() {
                "No user matches this search. Esc clears it."
            } else {
                "This pool has no users yet. Press c to create one."
            };
            Widget::render(table, table_area, buf);
            let msg_area = Rect {
                y: table_area.y + 1,
                height: 1,
                ..table_area
            };
            Paragraph::new(Line::styled(text, theme.muted())).render(msg_area, buf);
            return;
        }
        let mut state = TableState::default()
            .with_offset(self.offset)
            .with_selected(Some(self.selected));
        StatefulWidget::render(table, table_area, buf, &mut state);
        self.offset = state.offset();
    }
}

fn yes_no(v: Option<&str>) -> &'static str {
    match v {
        Some(v) if v.eq_ignore_ascii_case("true") => "Yes",
        Some(_) => "No",
        None => "-",
    }
}

/// A date as YYYY-MM-DD (UTC), computed without a calendar crate.
pub fn date(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let days = secs.div_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Date and time as YYYY-MM-DD HH:MM:SS UTC.
pub fn date_time(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let s = secs % 86_400;
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        date(t),
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_548_099_495);
        assert_eq!(date(t), "2019-01-21");
        assert_eq!(date_time(t), "2019-01-21 19:38:15 UTC");
        assert_eq!(
            date(SystemTime::UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29"
        );
    }

    #[test]
    fn paging_window() {
        let mut tab = UsersTab::default();
        assert!(tab.wants_more());
        tab.pending = Some(1);
        assert!(!tab.wants_more(), "one request at a time");
        let users: Vec<User> = (0..60)
            .map(|i| User {
                username: format!("u{i}"),
                attributes: vec![],
                created: None,
                last_modified: None,
                enabled: true,
                status: None,
            })
            .collect();
        tab.loaded(users, Some("t".into()));
        assert!(!tab.wants_more(), "cursor far from the end");
        tab.move_by(45);
        assert!(tab.wants_more());
        assert_eq!(
            tab.next_query().unwrap().pagination_token.as_deref(),
            Some("t")
        );
        tab.move_by(1000);
        assert_eq!(tab.selected, 59);
    }
}
