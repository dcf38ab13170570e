//! Help, generated from the live keymap: what each key does where.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{centered, frame};
use crate::console::keymap::{Context, Keymap};
use crate::console::theme::Theme;

/// The contexts shown, the current one first.
pub fn lines(keymap: &Keymap, current: Context, theme: &Theme) -> Vec<Line<'static>> {
    let mut order = vec![current];
    for c in [
        Context::Global,
        Context::Users,
        Context::Policies,
        Context::Messages,
        Context::Form,
        Context::Editor,
        Context::Popup,
    ] {
        if !order.contains(&c) {
            order.push(c);
        }
    }
    let mut out = Vec::new();
    for context in order {
        out.push(Line::styled(context.title().to_string(), theme.title()));
        for (keys, command) in keymap.entries(context) {
            out.push(Line::from(vec![
                Span::styled(format!("  {:<18}", keys.join(" ")), theme.key()),
                Span::raw(command.describe().to_string()),
            ]));
        }
        out.push(Line::default());
    }
    out.push(Line::styled(
        "ctrl-c quits from anywhere. Keys can be changed in the settings file ([keys.CONTEXT] command = [\"key\"]).",
        theme.muted(),
    ));
    out
}

pub fn render(
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    keymap: &Keymap,
    current: Context,
    scroll: u16,
) {
    let rect = centered(area, 76, area.height.saturating_sub(2));
    let inner = frame(rect, buf, theme, "Help (j/k scroll, esc closes)");
    Paragraph::new(lines(keymap, current, theme))
        .scroll((scroll, 0))
        .render(inner, buf);
}
