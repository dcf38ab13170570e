//! Create or edit a group: name (fixed once made), description, precedence and IAM role,
//! each checked against the service model before the call. A refused call keeps the
//! form as typed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::confirm::Confirm;
use super::{Ui, centered, frame};
use crate::client::ClientError;
use crate::console::action::{Action, Command, Confirmed, GroupChange};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::group::{self, Group};
use crate::pool::model;
use crossterm::event::KeyEvent;

const LABEL: usize = 14;

#[derive(Debug)]
pub struct GroupForm {
    /// The group being edited; None when creating one.
    pub editing: Option<String>,
    pub form: Form,
    pub busy: bool,
    /// The form as it opened: `esc` asks before it throws away anything typed since.
    opened: Vec<(String, bool, usize)>,
}

fn fields(g: &Group, editing: bool) -> Vec<Field> {
    let name = if editing {
        Field::read_only("name", "Name", &g.name).with_hint("cannot change")
    } else {
        let max = model::length("CreateGroupRequest", "GroupName").1;
        Field::text("name", "Name").with_hint(&format!("no spaces; at most {max} characters"))
    };
    vec![
        name,
        Field::text("description", "Description")
            .with_value(g.description.as_deref().unwrap_or(""))
            .with_hint(&format!(
                "at most {} characters",
                model::length("CreateGroupRequest", "Description").1
            )),
        Field::text("precedence", "Precedence")
            .with_value(&g.precedence.map(|p| p.to_string()).unwrap_or_default())
            .with_hint(if editing {
                "0 comes first; emptied, it stays as it is"
            } else {
                "0 comes first; empty: after every group that has one"
            }),
        Field::text("role", "IAM role ARN")
            .with_value(g.role_arn.as_deref().unwrap_or(""))
            .with_hint(if editing {
                "emptied, it stays as it is (UpdateGroup cannot remove a role)"
            } else {
                "arn:aws:iam::123456789012:role/name, or empty"
            }),
    ]
}

impl GroupForm {
    pub fn create() -> Self {
        let form = Form::new(fields(&Group::default(), false));
        Self {
            editing: None,
            opened: form.typed(),
            form,
            busy: false,
        }
    }

    pub fn edit(g: &Group) -> Self {
        let mut form = Form::new(fields(g, true));
        form.focus_on("description");
        Self {
            editing: Some(g.name.clone()),
            opened: form.typed(),
            form,
            busy: false,
        }
    }

    /// The group the form describes, or what is wrong with it, field by field.
    pub fn group(&self) -> Result<Group, FieldErrors> {
        let text = |id: &str| {
            let v = self.form.value(id).trim();
            (!v.is_empty()).then(|| v.to_string())
        };
        let mut errors = Vec::new();
        let precedence = match text("precedence") {
            None => None,
            Some(p) => match p.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push((
                        "precedence".to_string(),
                        "must be a whole number".to_string(),
                    ));
                    None
                }
            },
        };
        let g = Group {
            name: self
                .editing
                .clone()
                .unwrap_or_else(|| self.form.value("name").to_string()),
            // Editing, an emptied description is sent empty, so it is cleared.
            description: text("description")
                .or_else(|| self.editing.as_ref().map(|_| String::new())),
            role_arn: text("role"),
            precedence,
            ..Group::default()
        };
        for e in group::check(&g) {
            let field = match e.field.as_str() {
                "GroupName" => "name",
                "Description" => "description",
                "Precedence" => "precedence",
                _ => "role",
            };
            errors.push((field.to_string(), e.rule));
        }
        if errors.is_empty() {
            Ok(g)
        } else {
            Err(errors)
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
                let field = e.is("GroupExistsException").then_some("name");
                self.form.refused(field, &e);
                vec![Step::Error(format!("{}: {e}", change.failed()))]
            }
        }
    }
}

impl Owner for GroupForm {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        if self.busy {
            return vec![Command::Back];
        }
        vec![
            Command::Save,
            Command::Back,
            Command::NextField,
            Command::PrevField,
        ]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        !self.busy && self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back if self.busy || self.form.typed() == self.opened => {
                return Outcome::one(Step::Close);
            }
            Command::Back => {
                return Outcome::one(Step::Open(Box::new(Confirm {
                    title: "Discard what you typed?".into(),
                    lines: vec![match &self.editing {
                        Some(name) => format!("The group {name} stays as it was."),
                        None => "No group is created.".into(),
                    }],
                    then: Confirmed::Discard,
                })));
            }
            _ if self.busy => return Outcome::Ignored,
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Save => {
                let g = match self.group() {
                    Ok(g) => g,
                    Err(errors) => {
                        self.form.set_errors(&errors);
                        return Outcome::done();
                    }
                };
                let change = GroupChange::Save {
                    group: g,
                    create: self.editing.is_none(),
                };
                return match env.call(|client, pool| Effect::ChangeGroup(client, pool, change)) {
                    Ok(effect) => {
                        self.busy = true;
                        self.form.sending("asking Cognito…");
                        Outcome::one(Step::Run(effect))
                    }
                    Err(why) => Outcome::error(why),
                };
            }
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::GroupChanged {
                change: change @ GroupChange::Save { .. },
                result,
            } => Some(self.answered(change, result.clone())),
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 84, 12);
        let what = match &self.editing {
            Some(name) => format!("Edit group {name}"),
            None => "Create group".to_string(),
        };
        let title = format!(
            "{what} ({})",
            ui.hint(
                Context::Form,
                &[(Command::Save, "saves"), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        self.form.render_with(inner, buf, &ui.theme, LABEL);
    }
}
