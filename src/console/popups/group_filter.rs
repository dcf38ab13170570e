//! Search the Groups tab by name: the groups whose name holds the text, in any case.
//! ListGroups has no filter, and the tab holds every group, so the search is local.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Ui, centered, frame};
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, Form};
use crossterm::event::KeyEvent;

#[derive(Debug)]
pub struct GroupFilter {
    pub form: Form,
}

impl GroupFilter {
    pub fn new(current: Option<&str>) -> Self {
        Self {
            form: Form::new(vec![
                Field::text("name", "Name contains")
                    .with_value(current.unwrap_or(""))
                    .with_hint("empty: every group"),
            ]),
        }
    }
}

impl Owner for GroupFilter {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        vec![Command::Save, Command::Back]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, _env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Save => {
                let text = self.form.value("name").trim().to_string();
                Outcome::steps([Step::Close, Step::FilterGroups(Some(text))])
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 72, 5);
        let title = format!(
            "Search groups by name ({})",
            ui.hint(
                Context::Form,
                &[(Command::Save, "searches"), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        self.form.render_with(inner, buf, &ui.theme, 16);
    }
}
