//! The `:` command line, drawn over the key bar: `:pool ID`, `:help`, `:messages`, `:q`.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::Ui;
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::type_line;

#[derive(Debug, Default)]
pub struct CommandLine {
    pub text: String,
}

impl Owner for CommandLine {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        vec![Command::Save, Command::Back]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        type_line(&mut self.text, key)
    }

    fn handle(&mut self, command: Command, _env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Save => {
                let line = self.text.trim().to_string();
                Outcome::steps([Step::Close, Step::CommandLine(line)])
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, _area: Rect, buf: &mut Buffer, ui: &Ui) {
        let screen = ui.screen;
        let rect = Rect {
            y: screen.bottom().saturating_sub(1),
            height: 1,
            ..screen
        };
        Clear.render(rect, buf);
        Paragraph::new(Line::from(vec![
            Span::styled(":", ui.theme.key()),
            Span::raw(format!("{}▏", self.text)),
        ]))
        .render(rect, buf);
    }
}
