//! The `:` command line, drawn over the key bar.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::console::theme::Theme;

pub fn render(area: Rect, buf: &mut Buffer, theme: &Theme, text: &str) {
    let rect = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    Clear.render(rect, buf);
    Paragraph::new(Line::from(vec![
        Span::styled(":", theme.key()),
        Span::raw(format!("{text}▏")),
    ]))
    .render(rect, buf);
}
