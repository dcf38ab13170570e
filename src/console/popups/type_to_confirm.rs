//! Deleting a user or a group cannot be undone: the admin types its name to confirm.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::confirm::step;
use super::{Ui, centered, frame};
use crate::console::action::{Command, Confirmed, GroupChange, UserChange};
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::type_line;

#[derive(Debug)]
pub struct TypeToConfirm {
    /// The user's or the group's name.
    pub username: String,
    /// A group, not a user.
    pub group: bool,
    pub typed: String,
    pub error: Option<String>,
    /// The deletion, made once the name is typed.
    then: Confirmed,
}

impl TypeToConfirm {
    /// Deleting the user `username` by `change`.
    pub fn user(username: String, change: UserChange) -> Self {
        Self {
            username,
            group: false,
            typed: String::new(),
            error: None,
            then: Confirmed::User(change),
        }
    }

    /// Deleting the group `name`.
    pub fn group(name: String) -> Self {
        Self {
            username: name.clone(),
            group: true,
            typed: String::new(),
            error: None,
            then: Confirmed::Group(GroupChange::Delete { name }),
        }
    }

    fn what(&self) -> &'static str {
        if self.group { "group" } else { "user" }
    }
}

impl Owner for TypeToConfirm {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        vec![Command::Save, Command::Back]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        let used = type_line(&mut self.typed, key);
        if used {
            self.error = None;
        }
        used
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Save if self.typed == self.username => match step(self.then.clone(), env) {
                Ok(step) => Outcome::steps([Step::Close, step]),
                Err(why) => Outcome::error(why),
            },
            Command::Save => {
                self.error = Some(format!(
                    "that is not the {}'s name; nothing was deleted",
                    self.what()
                ));
                Outcome::done()
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let rect = centered(area, 76, 8);
        let inner = frame(rect, buf, theme, &format!("Delete {}", self.what()));
        let hint = ui.hint(
            Context::Form,
            &[(Command::Save, "deletes"), (Command::Back, "cancels")],
        );
        let mut lines = vec![
            Line::raw(if self.group {
                format!(
                    "Delete the group {}? Its members stay in the pool. This cannot be undone.",
                    self.username
                )
            } else {
                format!("Delete {}? This cannot be undone.", self.username)
            }),
            Line::raw(format!(
                "Type the {}'s name to confirm ({hint}):",
                self.what()
            )),
            Line::from(vec![
                Span::styled("> ", theme.key()),
                Span::raw(format!("{}▏", self.typed)),
            ]),
        ];
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("✗ {e}"), theme.error()));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
