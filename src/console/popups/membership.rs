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
    /// The user's groups, once read (from a user).
    pub user_groups: Option<Vec<String>>,
    /// The pool's groups, once read (adding a user to one).
    pub pool_groups: Option<Vec<String>>,
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
            user_groups: None,
            pool_groups: None,
        }
    }

    /// From a user, the list and their details alike: the picker opens at once, and
    /// offers the pool's groups they are not in (adding) or their own groups (taking
    /// them out) as each is read. Typing a name works all along.
    pub fn open_for_user(username: &str, add: bool, env: &Env) -> Outcome {
        let mut steps = vec![Step::Open(Box::new(Self::for_user(username, add, None)))];
        let name = username.to_string();
        steps.extend(
            env.call(|c, pool| Effect::UserGroups(c, pool, name))
                .ok()
                .map(Step::Run),
        );
        if add {
            steps.extend(
                env.call(|client, pool_id| Effect::ListGroups {
                    client,
                    pool_id,
                    next: None,
                })
                .ok()
                .map(Step::Run),
            );
        }
        Outcome::Handled(steps)
    }

    /// The groups to pick from, now that some are known, unless a name is typed.
    fn offer(&mut self) {
        if !self.form.value("name").is_empty() || self.busy {
            return;
        }
        let Known::User(_) = &self.known else {
            return;
        };
        let mine = self.user_groups.clone().unwrap_or_default();
        let (choices, hint) = if self.add {
            let Some(pool) = &self.pool_groups else {
                return;
            };
            let not_in: Vec<String> = pool.iter().filter(|g| !mine.contains(g)).cloned().collect();
            (
                not_in,
                "the pool's groups they are not in; ← → turns, or type a name",
            )
        } else {
            (mine, "their groups; ← → turns")
        };
        let field = if choices.is_empty() {
            let hint = match (self.add, &self.user_groups) {
                (true, _) => "they are in every group of the pool already".to_string(),
                (false, Some(_)) => "they are in no group".to_string(),
                (false, None) => String::new(),
            };
            Field::text("name", "Group").with_hint(&hint)
        } else {
            let names: Vec<&str> = choices.iter().map(String::as_str).collect();
            Field::choice("name", "Group", &names).with_hint(hint)
        };
        self.form = Form::new(vec![field]);
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
            user_groups: groups.map(<[String]>::to_vec),
            pool_groups: None,
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

    /// The user's groups and the pool's, read for the picker (the Groups tab may be
    /// the one that asked for the pool's).
    fn observe(&mut self, result: &Action, env: &Env) -> Vec<Step> {
        let Known::User(me) = &self.known else {
            return Vec::new();
        };
        match result {
            Action::UserGroupsLoaded {
                username,
                result: Ok(groups),
            } if username == me => {
                self.user_groups = Some(groups.iter().map(|g| g.name.clone()).collect());
                self.offer();
            }
            Action::GroupsLoaded {
                pool_id,
                result: Ok(page),
            } if env.pool_id == Some(pool_id.as_str()) => {
                let names = page.groups.iter().map(|g| g.name.clone());
                self.pool_groups.get_or_insert_with(Vec::new).extend(names);
                self.offer();
            }
            _ => {}
        }
        Vec::new()
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
