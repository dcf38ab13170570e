//! The Create user form. Before calling Cognito it checks what Cognito would refuse
//! (required fields, formats, the pool's password policy) and what the Cognito console
//! refuses (the invitation, as this user would get it, over 2048/140 characters or
//! without its password placeholder), and the rows of `ValidationData` and
//! `ClientMetadata` for the pool's Lambda triggers, within the service model's limits.
//! Errors stand beside their fields. A failed call, a trigger's refusal included, keeps
//! every field as typed.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

mod rows;

pub use rows::Rows;

use super::{Ui, centered, confirm::Confirm, frame};
use crate::client::ClientError;
use crate::console::action::{Action, Command, Confirmed};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::{
    Attribute, DeliveryMedium, MessageAction, NewUser, PoolDescription, RuleError, Secret, User,
    model, password, template, validate,
};

#[derive(Debug, Clone)]
pub struct CreateUser {
    pub form: Form,
    pub created: Option<User>,
    pub busy: bool,
    rows: usize,
}

pub const LABEL: usize = 30;

impl Default for CreateUser {
    fn default() -> Self {
        Self::new()
    }
}

impl CreateUser {
    pub fn new() -> Self {
        let mut this = Self {
            form: Form::new(vec![
                Field::text("username", "Username").with_hint(&format!(
                    "required; at most {} characters",
                    model::length("AdminCreateUserRequest", "Username").1
                )),
                Field::heading("Invitation message"),
                Field::checkbox("sms", "Send an invitation by SMS", true),
                Field::checkbox("email_invite", "Send an invitation by email", false),
                Field::secret("password", "Temporary password")
                    .with_hint("blank: Cognito generates one"),
                Field::heading("Contact"),
                Field::text("phone", "Phone number").with_hint("E.164, e.g. +15555551212"),
                Field::checkbox("phone_verified", "Mark phone number as verified", false),
                Field::text("email", "Email"),
                Field::checkbox("email_verified", "Mark email as verified", false),
                Field::checkbox("force_alias", "Force alias creation", false),
                Field::heading(Rows::Attributes.heading()),
                Field::heading(Rows::Validation.heading()),
                Field::heading(Rows::Metadata.heading()),
            ]),
            created: None,
            busy: false,
            rows: 0,
        };
        for kind in Rows::ALL {
            this.add_row(kind);
        }
        this.form.focus_on("username");
        this
    }

    /// Anything typed or ticked that esc would throw away.
    pub fn is_filled(&self) -> bool {
        let fresh = Self::new();
        self.form.fields.len() != fresh.form.fields.len()
            || self
                .form
                .fields
                .iter()
                .zip(&fresh.form.fields)
                .any(|(a, b)| a.value() != b.value() || a.checked != b.checked)
    }

    /// Checks everything Cognito would refuse; calls Cognito only when nothing is.
    fn submit(&mut self, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::error("the pool is not loaded yet");
        };
        let errors = self.check(pool);
        if !errors.is_empty() {
            self.form.message = None;
            self.form.set_errors(&errors);
            return Outcome::done();
        }
        let user = Box::new(self.new_user());
        match env.call(|client, pool| Effect::CreateUser(client, pool, user)) {
            Ok(effect) => {
                self.busy = true;
                self.form.sending("creating…");
                Outcome::one(Step::Run(effect))
            }
            Err(why) => Outcome::error(why),
        }
    }

    /// Cognito's answer to the create call.
    pub fn answered(&mut self, result: Result<User, ClientError>) -> Vec<Step> {
        match result {
            Ok(user) => {
                let name = user.username.clone();
                self.succeeded(user);
                vec![Step::Info(format!("created {name}")), Step::Reload]
            }
            Err(e) => {
                self.failed(&e);
                vec![Step::Error(format!("user not created: {e}"))]
            }
        }
    }

    /// The request the form describes.
    pub fn new_user(&self) -> NewUser {
        let f = &self.form;
        let mut attributes = Vec::new();
        let phone = f.value("phone").trim();
        if !phone.is_empty() {
            attributes.push(Attribute::new("phone_number", phone));
        }
        if f.checked("phone_verified") {
            attributes.push(Attribute::new("phone_number_verified", "true"));
        }
        let email = f.value("email").trim();
        if !email.is_empty() {
            attributes.push(Attribute::new("email", email));
        }
        if f.checked("email_verified") {
            attributes.push(Attribute::new("email_verified", "true"));
        }
        for (name, value, _) in self.pairs(Rows::Attributes) {
            attributes.push(Attribute::new(name, value));
        }
        let mut mediums = Vec::new();
        if f.checked("sms") {
            mediums.push(DeliveryMedium::Sms);
        }
        if f.checked("email_invite") {
            mediums.push(DeliveryMedium::Email);
        }
        let password = f.value("password");
        NewUser {
            username: f.value("username").trim().to_string(),
            attributes,
            temporary_password: (!password.is_empty()).then(|| Secret::new(password)),
            force_alias_creation: f.checked("force_alias"),
            message_action: mediums.is_empty().then_some(MessageAction::Suppress),
            desired_delivery_mediums: mediums,
            validation_data: self
                .pairs(Rows::Validation)
                .into_iter()
                .map(|(name, value, _)| Attribute::new(name, value))
                .collect(),
            client_metadata: self
                .pairs(Rows::Metadata)
                .into_iter()
                .map(|(name, value, _)| (name, value))
                .collect(),
        }
    }

    /// The form field a rule's field belongs to.
    fn field_for(&self, rule_field: &str) -> String {
        let id = match rule_field {
            "Username" => "username",
            "TemporaryPassword" => "password",
            "phone_number" => "phone",
            "phone_number_verified" => "phone_verified",
            "email" => "email",
            "email_verified" => "email_verified",
            "InviteMessageTemplate.SMSMessage" => "sms",
            "InviteMessageTemplate.EmailMessage" => "email_invite",
            other => {
                let (kind, name) = match other.split_once(':') {
                    Some(("ValidationData", name)) => (Rows::Validation, name),
                    Some(("ClientMetadata", name)) => (Rows::Metadata, name),
                    _ => (Rows::Attributes, other),
                };
                return self
                    .pairs(kind)
                    .into_iter()
                    .find(|(n, ..)| n == name)
                    .map(|(.., id)| id)
                    .unwrap_or_else(|| format!("{}name:0", kind.prefix()));
            }
        };
        id.into()
    }

    /// Every check the console makes before calling Cognito, as (field, message).
    pub fn check(&self, pool: &PoolDescription) -> FieldErrors {
        let user = self.new_user();
        let policy = &pool.config.password_policy;
        let mut errors: Vec<RuleError> = validate::new_user(&user, policy);
        // What the username may look like in this pool (docs/documented-rules.md, POOL-5).
        if !errors.iter().any(|e| e.field == "Username") {
            errors.extend(
                validate::username_fits_pool(
                    &pool.alias_attributes,
                    &pool.username_attributes,
                    &user.username,
                )
                .err(),
            );
        }
        let password_len = user.temporary_password.as_ref().map_or_else(
            || password::temporary_password_length(policy),
            Secret::char_len,
        );
        errors.extend(template::check_invitation_for(
            pool.config
                .admin_create_user
                .invite_message_template
                .as_ref(),
            &user.invitation_mediums(),
            &user.username,
            password_len,
        ));
        let mut errors: FieldErrors = errors
            .into_iter()
            .map(|e| (self.field_for(&e.field), e.rule))
            .collect();
        // Each extra attribute against the pool's schema, before Cognito is asked: a
        // custom attribute the pool does not declare, a value too long or not a number,
        // a birthdate that is no day.
        for (name, value, id) in self.pairs(Rows::Attributes) {
            let value_id = id.replace("name:", "value:");
            let declared = pool.schema.iter().find(|s| s.name == name);
            if name.starts_with("custom:") && declared.is_none() {
                errors.push((
                    id,
                    "is not in this pool's schema: add it on the Sign-up tab first".into(),
                ));
                continue;
            }
            let checked =
                validate::documented_format(&name, &value).and_then(|()| match declared {
                    Some(d) => validate::schema_value(&name, &value, &d.data_type, d.max_length),
                    None => Ok(()),
                });
            if let Err(e) = checked {
                errors.push((value_id, e.rule));
            }
        }
        // ClientMetadata is a map: a key twice would lose one of its values.
        let mut seen = std::collections::BTreeSet::new();
        for (key, _, id) in self.pairs(Rows::Metadata) {
            if !seen.insert(key) {
                errors.push((id, "is given twice".into()));
            }
        }
        errors
    }

    /// Cognito said no: the message goes to the top, and beside the field it concerns.
    pub fn failed(&mut self, err: &ClientError) {
        self.busy = false;
        let field = match err.code.as_deref() {
            Some("UsernameExistsException") => Some("username"),
            Some("InvalidPasswordException") => Some("password"),
            Some("AliasExistsException") if err.message.contains("phone") => Some("phone"),
            Some("AliasExistsException") => Some("email"),
            Some("InvalidParameterException") if err.message.contains("phone") => Some("phone"),
            Some("InvalidParameterException") if err.message.contains("email") => Some("email"),
            Some("InvalidParameterException") if err.message.contains("Username") => {
                Some("username")
            }
            _ => None,
        };
        match field {
            Some(field) => self
                .form
                .set_errors(&[(field.to_string(), err.message.clone())]),
            // Nothing to stand beside (a trigger's refusal): the top of the form, where
            // the message is, comes into view.
            None => self.form.focus_on("username"),
        }
        let hint = match err.code.as_deref() {
            Some("AliasExistsException") => " (tick Force alias creation to move it to this user)",
            Some(
                "UserLambdaValidationException"
                | "UnexpectedLambdaException"
                | "InvalidLambdaResponseException",
            ) => " (the pool's Lambda trigger; see the Lambda triggers tab)",
            _ if err.kind == crate::client::ErrorKind::Throttled => {
                " (throttled: try again in a moment)"
            }
            _ => "",
        };
        self.form.message = Some((false, format!("Cognito refused: {err}{hint}")));
    }

    pub fn succeeded(&mut self, user: User) {
        self.busy = false;
        let status = user.status.map_or("-", |s| s.as_str());
        let sub = user.sub().unwrap_or("-");
        self.form.message = Some((
            true,
            format!("Created {}: {status}, sub {sub}.", user.username),
        ));
        // The password is not kept once it has done its job.
        if let Some(f) = self.form.field_mut("password") {
            *f = Field::secret("password", "Temporary password");
        }
        self.created = Some(user);
    }
}

impl Owner for CreateUser {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        if self.busy {
            return vec![Command::Back];
        }
        if self.created.is_some() {
            return vec![Command::Save, Command::Back];
        }
        let mut c = vec![
            Command::Save,
            Command::Back,
            Command::NextField,
            Command::PrevField,
            Command::Toggle,
            Command::Reveal,
            Command::AddRow,
        ];
        if self.on_row() {
            c.push(Command::RemoveRow);
        }
        c
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        !self.busy && self.created.is_none() && self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back if self.busy || self.created.is_some() || !self.is_filled() => {
                return Outcome::one(Step::Close);
            }
            Command::Back => {
                return Outcome::one(Step::Open(Box::new(Confirm {
                    title: "Discard this user?".into(),
                    lines: vec!["What you typed in the Create user form is lost.".into()],
                    then: Confirmed::Discard,
                })));
            }
            _ if self.busy => return Outcome::Ignored,
            Command::Save if self.created.is_some() => return Outcome::one(Step::Close),
            _ if self.created.is_some() => return Outcome::Ignored,
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Toggle => {
                self.form.toggle();
            }
            Command::Reveal => self.form.reveal(),
            Command::AddRow => self.add_row(self.focused_rows()),
            Command::RemoveRow if self.on_row() => self.remove_row(),
            Command::Save => return self.submit(env),
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::UserCreated(result) => Some(self.answered(result.clone())),
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 100, area.height);
        let title = format!(
            "Create user ({})",
            ui.hint(
                Context::Form,
                &[(Command::Save, "creates"), (Command::Back, "closes")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        self.form.render_with(inner, buf, &ui.theme, LABEL);
    }
}

#[cfg(test)]
mod tests;
