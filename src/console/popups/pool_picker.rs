//! The pool picker (`p`, or at start when there are several pools).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::{centered, frame};
use crate::console::theme::Theme;
use crate::pool::PoolSummary;

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    pools: &[PoolSummary],
    selected: usize,
    current: Option<&str>,
) {
    let rect = centered(area, 70, (pools.len() as u16 + 4).max(6));
    let inner = frame(rect, buf, theme, "User pools (enter opens)");
    let mut lines: Vec<Line> = pools
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let here = if Some(p.id.as_str()) == current {
                "•"
            } else {
                " "
            };
            let style = if i == selected {
                theme.selected()
            } else {
                Default::default()
            };
            Line::styled(format!("{here} {:<30} {}", p.id, p.name), style)
        })
        .collect();
    if pools.is_empty() {
        lines.push(Line::styled("No pools here (yet).", theme.muted()));
    }
    Paragraph::new(lines).render(inner, buf);
}
