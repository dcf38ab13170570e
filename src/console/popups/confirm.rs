//! "Save these changes?" / "Disable this user?": what will change, before it is sent.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{centered, frame};
use crate::console::theme::Theme;

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    title: &str,
    lines: &[String],
    hint: &str,
) {
    let rect = centered(area, 76, lines.len() as u16 + 5);
    let inner = frame(rect, buf, theme, title);
    let mut text: Vec<Line> = lines.iter().map(|l| Line::raw(format!("  {l}"))).collect();
    text.push(Line::default());
    text.push(Line::styled(hint.to_string(), theme.muted()));
    Paragraph::new(text)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
