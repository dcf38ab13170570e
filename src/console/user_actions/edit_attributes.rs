//! Edit a user's attributes: a form of the pool's schema with the user's values.
//! Immutable attributes are shown, not editable; the verified flags are checkboxes
//! beside their email and phone number; clearing a value removes the attribute. Every
//! rule Cognito would refuse (formats, lengths, numbers, required attributes, a flag
//! without its address) is checked before the call, removals are asked about first (save
//! again to go on), and a refused call keeps the form as typed.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Call, ChangeToUser, UserAction, UserChange, effect};
use crate::client::{Client, ClientError};
use crate::console::action::{Action, Command, Confirmed};
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::confirm::Confirm;
use crate::console::popups::{centered, frame};
use crate::console::widgets::form::{Field, FieldErrors, FieldKind, Form};
use crate::pool::{Attribute, SchemaAttribute, User, audit, validate};

const LABEL: usize = 24;
const FLAGS: [(&str, &str); 2] = [
    ("email", "email_verified"),
    ("phone_number", "phone_number_verified"),
];

#[derive(Debug)]
pub struct EditAttributes {
    pub username: String,
    pub form: Form,
    /// The values the form started from, by attribute name ("" when unset).
    original: Vec<(String, String)>,
    schema: Vec<SchemaAttribute>,
    /// Removals asked about and not yet answered: saving again with the form unchanged
    /// sends them.
    removing: Option<(Vec<Attribute>, Vec<String>)>,
    pub busy: bool,
}

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::EditAttributes
    }

    fn ask(&self, user: &User, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::error("the pool is not loaded yet");
        };
        let form = EditAttributes::new(user, &pool.schema);
        Outcome::one(Step::Open(Box::new(form)))
    }
}

/// AdminUpdateUserAttributes for `set`, then AdminDeleteUserAttributes for `delete`.
#[derive(Debug)]
pub struct Change {
    pub username: String,
    pub set: Vec<Attribute>,
    pub delete: Vec<String>,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.set.is_empty() {
            let names: Vec<&str> = self.set.iter().map(|a| a.name.as_str()).collect();
            parts.push(format!("set {}", names.join(", ")));
        }
        if !self.delete.is_empty() {
            parts.push(format!("removed {}", self.delete.join(", ")));
        }
        format!("{}: {}", self.username, parts.join("; "))
    }

    fn failed(&self) -> &'static str {
        "attributes not saved"
    }

    fn audit(&self) -> audit::Change {
        audit::Change::new("update attributes")
            .of_user(&self.username)
            .details(
                self.set
                    .iter()
                    .map(|a| format!("set {}: {}", a.name, a.value)),
            )
            .details(self.delete.iter().map(|name| format!("remove {name}")))
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(async move {
            if !self.set.is_empty() {
                client
                    .update_user_attributes(pool_id, &self.username, &self.set)
                    .await?;
            }
            if !self.delete.is_empty() {
                client
                    .delete_user_attributes(pool_id, &self.username, &self.delete)
                    .await?;
            }
            Ok(())
        })
    }
}

fn is_flag(name: &str) -> bool {
    FLAGS.iter().any(|(_, f)| *f == name)
}

impl EditAttributes {
    pub fn new(user: &User, schema: &[SchemaAttribute]) -> Self {
        // A target that describes no schema: edit what the user has.
        let schema: Vec<SchemaAttribute> = if schema.is_empty() {
            user.attributes
                .iter()
                .map(|a| SchemaAttribute {
                    bounds: None,
                    name: a.name.clone(),
                    data_type: if is_flag(&a.name) {
                        "Boolean"
                    } else {
                        "String"
                    }
                    .into(),
                    mutable: a.name != "sub",
                    ..SchemaAttribute::default()
                })
                .collect()
        } else {
            schema.to_vec()
        };
        let mut fields = Vec::new();
        let mut original = Vec::new();
        for a in schema.iter().filter(|a| !is_flag(&a.name)) {
            let value = user.attribute(&a.name).unwrap_or("");
            original.push((a.name.clone(), value.to_string()));
            if !a.mutable {
                fields.push(Field::read_only(&a.name, &a.name, value).with_hint("cannot change"));
                continue;
            }
            let mut hint = Vec::new();
            if a.required {
                hint.push("required".to_string());
            }
            if a.data_type == "Number" {
                hint.push("a number".into());
            }
            if let Some(max) = a
                .max_length
                .filter(|m| *m < crate::pool::model::length("AttributeType", "Value").1)
            {
                hint.push(format!("at most {max}"));
            }
            let mut field = Field::text(&a.name, &a.name).with_value(value);
            if !hint.is_empty() {
                field = field.with_hint(&hint.join(", "));
            }
            fields.push(field);
            if let Some((_, flag)) = FLAGS.iter().find(|(attr, _)| *attr == a.name) {
                let verified = user.is_verified(flag);
                original.push((flag.to_string(), verified.to_string()));
                fields.push(Field::checkbox(flag, "  verified", verified));
            }
        }
        let mut form = Form::new(fields);
        form.focus_on(
            schema
                .iter()
                .find(|a| a.mutable && !is_flag(&a.name))
                .map_or("", |a| a.name.as_str()),
        );
        form.message = Some((true, "A cleared value removes the attribute.".into()));
        Self {
            username: user.username.clone(),
            form,
            original,
            schema,
            removing: None,
            busy: false,
        }
    }

    /// What the form would change: attributes to set, attributes to remove.
    pub fn changes(&self) -> (Vec<Attribute>, Vec<String>) {
        let mut set = Vec::new();
        let mut delete = Vec::new();
        for (name, old) in &self.original {
            let Some(field) = self.form.field(name) else {
                continue;
            };
            let new = match field.kind {
                FieldKind::ReadOnly => continue,
                FieldKind::Checkbox => field.checked.to_string(),
                _ => field.value().to_string(),
            };
            if &new == old {
                continue;
            }
            if new.is_empty() {
                delete.push(name.clone());
            } else {
                set.push(Attribute::new(name, new));
            }
        }
        // A changed address loses its verification unless the same call says it is
        // verified: a box left ticked beside a new address goes with it.
        for (address, flag) in FLAGS {
            let changed = set.iter().any(|a| a.name == address);
            let ticked = self.form.field(flag).is_some_and(|f| f.checked);
            if changed && ticked && !set.iter().any(|a| a.name == flag) {
                set.push(Attribute::new(flag, "true"));
            }
        }
        (set, delete)
    }

    /// What Cognito would refuse, before it is asked.
    pub fn check(&self) -> FieldErrors {
        let (set, delete) = self.changes();
        let mut errors = Vec::new();
        for a in &set {
            if let Err(e) = validate::attribute(&a.name, &a.value)
                .and_then(|()| validate::documented_format(&a.name, &a.value))
            {
                errors.push((a.name.clone(), e.rule));
                continue;
            }
            let Some(decl) = self.schema.iter().find(|s| s.name == a.name) else {
                continue;
            };
            if let Err(e) =
                validate::schema_value(&a.name, &a.value, &decl.data_type, decl.max_length)
            {
                errors.push((a.name.clone(), e.rule));
            }
        }
        for name in &delete {
            if self.schema.iter().any(|s| &s.name == name && s.required) {
                errors.push((
                    name.clone(),
                    "is required by the pool: it cannot be removed".into(),
                ));
            }
        }
        for (attribute, flag) in FLAGS {
            if self.form.checked(flag) && self.form.value(attribute).is_empty() {
                errors.push((
                    flag.to_string(),
                    format!("needs an {attribute} to vouch for"),
                ));
            }
        }
        errors
    }

    fn save(&mut self, env: &Env) -> Outcome {
        let errors = self.check();
        if !errors.is_empty() {
            self.form.set_errors(&errors);
            return Outcome::done();
        }
        let (set, delete) = self.changes();
        if set.is_empty() && delete.is_empty() {
            self.form.message = Some((true, "Nothing has changed yet.".into()));
            return Outcome::done();
        }
        let asked = self.removing.take();
        if !delete.is_empty() && asked.as_ref() != Some(&(set.clone(), delete.clone())) {
            // A removed value cannot be had back: ask first, in the form itself.
            self.form.message = Some((
                false,
                format!(
                    "Removes {} for good. Save again to go on, esc to keep them.",
                    delete.join(", ")
                ),
            ));
            self.removing = Some((set, delete));
            return Outcome::done();
        }
        let change = Change {
            username: self.username.clone(),
            set,
            delete,
        };
        match effect(change, env) {
            Ok(effect) => {
                self.busy = true;
                self.form.sending("asking Cognito…");
                Outcome::one(Step::Run(effect))
            }
            Err(why) => Outcome::error(why),
        }
    }

    /// Cognito's answer: saved (the form closes), or refused (the form stays as typed).
    pub fn answered(&mut self, change: &UserChange, result: Result<(), ClientError>) -> Vec<Step> {
        self.busy = false;
        match result {
            Ok(()) => vec![Step::Close, Step::Info(change.describe()), Step::Reload],
            Err(e) => {
                let field = self
                    .original
                    .iter()
                    .map(|(n, _)| n.clone())
                    .find(|n| e.message.contains(n.as_str()));
                self.form.refused(field.as_deref(), &e);
                vec![Step::Error(format!("{}: {e}", change.failed()))]
            }
        }
    }
}

impl Owner for EditAttributes {
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
            Command::Toggle,
        ]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        !self.busy && self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back if self.removing.take().is_some() => {
                self.form.message = Some((true, "Not saved: nothing is removed.".into()));
            }
            Command::Back if self.busy || self.changes() == (Vec::new(), Vec::new()) => {
                return Outcome::one(Step::Close);
            }
            Command::Back => {
                return Outcome::one(Step::Open(Box::new(Confirm {
                    title: "Discard these changes?".into(),
                    lines: vec![format!("{}'s attributes stay as they were.", self.username)],
                    then: Confirmed::Discard,
                })));
            }
            _ if self.busy => return Outcome::Ignored,
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Toggle => {
                self.form.toggle();
            }
            Command::Save => return self.save(env),
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::UserChanged { change, result } if change.is::<Change>() => {
                Some(self.answered(change, result.clone()))
            }
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let height = (self.form.fields.len() as u16 + 6).min(area.height);
        let rect = centered(area, 84, height);
        let title = format!(
            "Attributes of {} ({})",
            self.username,
            ui.hint(
                Context::Form,
                &[(Command::Save, "saves"), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        self.form.render_with(inner, buf, &ui.theme, LABEL);
    }
}
