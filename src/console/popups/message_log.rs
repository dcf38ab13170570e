//! The last messages in full (`m`): the status line shows one line, cut to the width of
//! the terminal; here every message wraps, newest first, errors marked.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{SCROLL, Ui, centered, frame, step};
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};

#[derive(Debug, Default)]
pub struct MessageLog {
    pub scroll: u16,
}

impl Owner for MessageLog {
    fn commands(&self, _env: &Env) -> Vec<Command> {
        let mut c = SCROLL.to_vec();
        c.push(Command::Back);
        c
    }

    fn handle(&mut self, command: Command, _env: &Env) -> Outcome {
        if let Some(by) = step(command, 10) {
            self.scroll = (self.scroll as isize + by).clamp(0, 1000) as u16;
            return Outcome::done();
        }
        match command {
            Command::Back => Outcome::one(Step::Close),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let rect = centered(area, 100, area.height.saturating_sub(2));
        let title = format!(
            "Messages, newest first ({})",
            ui.hint(
                Context::Popup,
                &[(Command::Down, "scrolls"), (Command::Back, "closes")]
            )
        );
        let inner = frame(rect, buf, theme, &title);
        let mut lines = Vec::new();
        for m in ui.env.messages.iter().rev() {
            let (mark, style) = if m.error {
                ("✗ ", theme.error())
            } else {
                ("· ", theme.ok())
            };
            lines.push(Line::from(vec![
                Span::styled(mark, style),
                Span::raw(m.text.clone()),
            ]));
        }
        if lines.is_empty() {
            lines.push(Line::styled("No messages yet.", theme.muted()));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }
}
