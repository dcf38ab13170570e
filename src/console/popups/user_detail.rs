//! A user's details: status, dates and every attribute.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{centered, frame};
use crate::console::tabs::users::date_time;
use crate::console::theme::Theme;
use crate::pool::User;

pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme, user: &User, scroll: u16) {
    let rect = centered(area, 90, area.height.saturating_sub(2));
    let inner = frame(rect, buf, theme, &format!("User {}", user.username));
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<24} "), theme.muted()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        row("Username", user.username.clone()),
        row(
            "Enabled",
            if user.enabled { "Enabled" } else { "Disabled" }.into(),
        ),
        row(
            "Account status",
            user.status.map_or("-", |s| s.as_str()).into(),
        ),
        row("Created", user.created.map(date_time).unwrap_or_default()),
        row(
            "Last modified",
            user.last_modified.map(date_time).unwrap_or_default(),
        ),
        Line::default(),
        Line::styled("Attributes", theme.title()),
    ];
    for a in &user.attributes {
        lines.push(row(&a.name, a.value.clone()));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(inner, buf);
}
