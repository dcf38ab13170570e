//! Deleting a user cannot be undone: the admin types the username to confirm.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{centered, frame};
use crate::console::theme::Theme;

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    username: &str,
    typed: &str,
    error: Option<&str>,
) {
    let rect = centered(area, 76, 8);
    let inner = frame(rect, buf, theme, "Delete user");
    let mut lines = vec![
        Line::raw(format!("Delete {username}? This cannot be undone.")),
        Line::raw("Type the username to confirm, then enter (esc cancels):"),
        Line::from(vec![
            Span::styled("> ", theme.key()),
            Span::raw(format!("{typed}▏")),
        ]),
    ];
    if let Some(e) = error {
        lines.push(Line::styled(format!("✗ {e}"), theme.error()));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
