//! The pool picker (`p`, or at start when there are several pools).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::{SCROLL, Ui, centered, frame, step};
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};

#[derive(Debug, Default)]
pub struct PoolPicker {
    pub selected: usize,
    /// The pool open when the picker opened, marked in the list.
    pub current: Option<String>,
}

impl Owner for PoolPicker {
    fn commands(&self, env: &Env) -> Vec<Command> {
        let mut c = vec![Command::Back];
        if !env.pools.is_empty() {
            c.extend(SCROLL);
            c.push(Command::Open);
        }
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if let Some(by) = step(command, 10) {
            let max = env.pools.len().saturating_sub(1) as isize;
            self.selected = (self.selected as isize + by).clamp(0, max) as usize;
            return Outcome::done();
        }
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Open => match env.pools.get(self.selected) {
                Some(pool) => Outcome::steps([Step::Close, Step::OpenPool(pool.id.clone())]),
                None => Outcome::done(),
            },
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let pools = ui.env.pools;
        let rect = centered(area, 70, (pools.len() as u16 + 4).max(6));
        let title = format!(
            "User pools ({})",
            ui.hint(
                Context::Popup,
                &[(Command::Open, "opens"), (Command::Back, "closes")]
            )
        );
        let inner = frame(rect, buf, theme, &title);
        let mut lines: Vec<Line> = pools
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let here = if Some(&p.id) == self.current.as_ref() {
                    "•"
                } else {
                    " "
                };
                let style = if i == self.selected {
                    theme.selected()
                } else {
                    Default::default()
                };
                Line::styled(format!("{here} {:<30} {}", p.id, p.name), style)
            })
            .collect();
        if pools.is_empty() {
            let text = if ui.env.pools_listed {
                "There is no user pool here."
            } else {
                "Listing the user pools…"
            };
            lines.push(Line::styled(text, theme.muted()));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
