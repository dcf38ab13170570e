//! Add a user to a group, or take them out: from a group's members (type the user) or
//! from a user (type the group). The name is checked before the call; a refused call
//! keeps what was typed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Ui, centered, frame};
use crate::client::ClientError;
use crate::console::action::{Action, Command, GroupChange};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, FieldKind, Form};
use crate::pool::{group, validate};
use crossterm::event::KeyEvent;

/// Which side is known: the form asks for the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known {
    Group(String),
    User(String),
}

#[derive(Debug)]
pub struct Membership {
    pub known: Known,
    pub add: bool,
    pub form: Form,
    pub busy: bool,
}

impl Membership {
    /// From a group's members: add the user typed.
    pub fn user_to(group: &str) -> Self {
        Self {
            known: Known::Group(group.to_string()),
            add: true,
            form: Form::new(vec![
                Field::text("name", "Username").with_hint("or an email or phone alias"),
            ]),
            busy: false,
        }
    }

    /// From a user: add them to (or take them out of) a group. `groups` are the user's
    /// groups when known: taking them out, the admin picks one of those (space turns
    /// through them); adding, they are a hint beside the name typed.
    pub fn for_user(username: &str, add: bool, groups: Option<&[String]>) -> Self {
        let known = groups.filter(|g| !g.is_empty());
        let field = match known {
            Some(groups) if !add => {
                let names: Vec<&str> = groups.iter().map(String::as_str).collect();
                Field::choice("name", "Group", &names).with_hint("space: the next of their groups")
            }
            Some(groups) => {
                Field::text("name", "Group").with_hint(&format!("now in: {}", groups.join(", ")))
            }
            None => Field::text("name", "Group"),
        };
        Self {
            known: Known::User(username.to_string()),
            add,
            form: Form::new(vec![field]),
            busy: false,
        }
    }

    /// The group is picked from a list, not typed.
    fn picks(&self) -> bool {
        matches!(
            self.form.field("name").map(|f| &f.kind),
            Some(FieldKind::Choice(_))
        )
    }

    /// The name picked or typed.
    fn chosen(&self) -> String {
        match self.form.field("name").map(|f| (&f.kind, f.choice)) {
            Some((FieldKind::Choice(options), i)) => options.get(i).cloned().unwrap_or_default(),
            _ => self.form.value("name").trim().to_string(),
        }
    }

    pub fn answered(&mut self, change: &GroupChange, result: Result<(), ClientError>) -> Vec<Step> {
        self.busy = false;
        match result {
            Ok(()) => vec![
                Step::Close,
                Step::Info(change.describe()),
                Step::ReloadGroups,
            ],
            Err(e) => {
                self.form.refused(Some("name"), &e);
                vec![Step::Error(format!("{}: {e}", change.failed()))]
            }
        }
    }
}

impl Owner for Membership {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        match (self.busy, self.picks()) {
            (true, _) => vec![Command::Back],
            (false, true) => vec![Command::Save, Command::Back, Command::Toggle],
            (false, false) => vec![Command::Save, Command::Back],
        }
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        !self.busy && self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            _ if self.busy => Outcome::Ignored,
            Command::Toggle => {
                self.form.toggle();
                Outcome::done()
            }
            Command::Save => {
                let typed = self.chosen();
                let checked = match self.known {
                    Known::Group(_) => validate::username(&typed),
                    Known::User(_) => group::name(&typed),
                };
                if let Err(e) = checked {
                    self.form.set_errors(&[("name".into(), e.rule)]);
                    return Outcome::done();
                }
                let (username, group) = match &self.known {
                    Known::Group(g) => (typed, g.clone()),
                    Known::User(u) => (u.clone(), typed),
                };
                let change = GroupChange::Membership {
                    username,
                    group,
                    add: self.add,
                };
                match env.call(|client, pool| Effect::ChangeGroup(client, pool, change)) {
                    Ok(effect) => {
                        self.busy = true;
                        self.form.sending("asking Cognito…");
                        Outcome::one(Step::Run(effect))
                    }
                    Err(why) => Outcome::error(why),
                }
            }
            _ => Outcome::Ignored,
        }
    }

    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::GroupChanged {
                change: change @ GroupChange::Membership { .. },
                result,
            } if self.busy => Some(self.answered(change, result.clone())),
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 80, 7);
        let what = match (&self.known, self.add) {
            (Known::Group(g), _) => format!("Add a user to {g}"),
            (Known::User(u), true) => format!("Add {u} to a group"),
            (Known::User(u), false) => format!("Remove {u} from a group"),
        };
        let title = format!(
            "{what} ({})",
            ui.hint(
                Context::Form,
                &[(Command::Save, "saves"), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        self.form.render_with(inner, buf, &ui.theme, 10);
    }
}
