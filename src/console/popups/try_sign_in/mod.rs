//! "Try sign-in": signs a user in the way their app would, as an administrator
//! (AdminInitiateAuth, ADMIN_USER_PASSWORD_AUTH), through an app client that allows it.
//! A first sign-in walks NEW_PASSWORD_REQUIRED on screen: the new password is checked
//! live against the pool's policy and the required attributes the user lacks are asked
//! for. Then every MFA challenge (`mfa`): a code, a method to choose, or MFA set up with
//! a QR code to scan. The outcome shows the user's status and the ID token's claims; the
//! tokens themselves are dropped. `draw` draws each stage.

mod draw;
mod mfa;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{SCROLL, Ui, step};
use crate::client::{ClientError, SignIn, SignInClient};
use crate::console::action::{Action, Command};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::mfa::Factor;
use crate::pool::{AppClient, Attribute, PasswordPolicy, Secret, app_client, password, validate};
use crossterm::event::KeyEvent;

pub const LABEL: usize = 22;

#[derive(Debug, Clone)]
pub enum Stage {
    /// Listing the pool's app clients for one that allows an admin sign-in.
    FindingClient,
    /// None of the pool's `count` app clients allows ADMIN_USER_PASSWORD_AUTH.
    NoClient { count: usize },
    /// The user's password (the temporary one, for a first sign-in).
    Password,
    /// NEW_PASSWORD_REQUIRED: a new password and the missing required attributes.
    NewPassword { session: Secret },
    /// An MFA code: from the authenticator app, or sent by SMS or email.
    MfaCode {
        factor: Factor,
        session: Secret,
        /// Where a sent code went, masked.
        destination: Option<String>,
    },
    /// SELECT_MFA_TYPE: the user's factors to choose from.
    SelectMfa {
        session: Secret,
        factors: Vec<Factor>,
    },
    /// MFA_SETUP for a pool that offers no authenticator apps: the user needs the
    /// address of one of these factors first.
    SetupElsewhere { factors: Vec<Factor> },
    /// MFA_SETUP: asking Cognito for a new authenticator's secret.
    Associating,
    /// MFA_SETUP: the secret, to scan or type, and a code of it to verify.
    SetupToken { secret: Secret, session: Secret },
    /// Signed in: the status read back afterwards, and the ID token's claims.
    Done {
        status: Option<String>,
        claims: Vec<(String, String)>,
    },
    /// The walk cannot go on, and why.
    Failed(String),
    /// A challenge the console does not answer (custom auth).
    Other(String),
}

#[derive(Debug, Clone)]
pub struct TrySignIn {
    pub username: String,
    pub app: Option<SignInClient>,
    pub stage: Stage,
    pub form: Form,
    pub busy: bool,
    pub policy: PasswordPolicy,
    pub scroll: u16,
    /// The user still has a temporary password (FORCE_CHANGE_PASSWORD).
    pub first_sign_in: bool,
}

fn password_form(first_sign_in: bool) -> Form {
    let hint = if first_sign_in {
        "from the invitation"
    } else {
        "their own password"
    };
    Form::new(vec![Field::secret("password", "Password").with_hint(hint)])
}

impl TrySignIn {
    pub fn new(username: &str, policy: PasswordPolicy, first_sign_in: bool) -> Self {
        Self {
            first_sign_in,
            username: username.to_string(),
            app: None,
            stage: Stage::FindingClient,
            form: Form::default(),
            busy: true,
            policy,
            scroll: 0,
        }
    }

    /// Whether keys go to a form rather than to a read-only view.
    pub fn takes_input(&self) -> bool {
        matches!(
            self.stage,
            Stage::Password
                | Stage::NewPassword { .. }
                | Stage::MfaCode { .. }
                | Stage::SelectMfa { .. }
                | Stage::SetupToken { .. }
        )
    }

    /// The pool's app clients arrived: take the first that allows an admin sign-in.
    pub fn clients_found(&mut self, clients: &[AppClient]) {
        self.busy = false;
        match clients
            .iter()
            .find(|c| app_client::allows_admin_password_auth(&c.settings.explicit_auth_flows))
        {
            Some(app) => {
                self.app = Some(SignInClient::from_app(app));
                self.stage = Stage::Password;
                self.form = password_form(self.first_sign_in);
            }
            None => {
                self.stage = Stage::NoClient {
                    count: clients.len(),
                }
            }
        }
    }

    pub fn password(&self) -> Secret {
        Secret::new(self.form.value("password"))
    }

    /// The answer to a sign-in call, and what it starts at once.
    pub fn stepped(&mut self, result: Result<SignIn, ClientError>, env: &Env) -> Vec<Step> {
        self.busy = false;
        let answer = match result {
            Ok(answer) => answer,
            Err(e) => {
                let field = match (&self.stage, e.code.as_deref()) {
                    (Stage::Password, Some("NotAuthorizedException")) => Some("password"),
                    (Stage::NewPassword { .. }, Some("InvalidPasswordException")) => Some("new"),
                    (
                        Stage::MfaCode { .. },
                        Some("CodeMismatchException" | "ExpiredCodeException"),
                    ) => Some("code"),
                    _ => None,
                };
                self.form.refused(field, &e);
                return Vec::new();
            }
        };
        if let Some(steps) = self.mfa_stage(&answer, env) {
            return steps;
        }
        match answer {
            SignIn::Done(tokens) => {
                self.stage = Stage::Done {
                    status: None,
                    claims: tokens.id_claims(),
                };
                self.form = Form::default();
            }
            SignIn::NewPasswordRequired {
                session, required, ..
            } => {
                let mut fields = vec![
                    Field::secret("new", "New password"),
                    Field::secret("repeat", "Repeat new password"),
                ];
                if !required.is_empty() {
                    fields.push(Field::heading("Required attributes the user lacks"));
                }
                for name in &required {
                    fields.push(Field::text(&format!("attr:{name}"), name).with_hint("required"));
                }
                self.form = Form::new(fields);
                self.form.message = Some((
                    true,
                    "Cognito asks for a new password (NEW_PASSWORD_REQUIRED).".into(),
                ));
                self.stage = Stage::NewPassword { session };
            }
            SignIn::Other(challenge) => {
                self.stage = Stage::Other(challenge);
                self.form = Form::default();
            }
            SignIn::Mfa { .. } | SignIn::SelectMfa { .. } | SignIn::MfaSetup { .. } => {}
        }
        Vec::new()
    }

    /// The password, or the new one with the attributes, once nothing is left that
    /// Cognito would refuse.
    fn submit(&mut self, env: &Env) -> Outcome {
        let (Some(client), Some(app)) = (env.client.cloned(), self.app.clone()) else {
            return Outcome::error("not connected yet");
        };
        let effect = match &self.stage {
            Stage::Password => {
                if self.form.value("password").is_empty() {
                    self.form
                        .set_errors(&[("password".into(), "type the password".into())]);
                    return Outcome::done();
                }
                Effect::SignIn {
                    client,
                    app,
                    username: self.username.clone(),
                    password: self.password(),
                }
            }
            Stage::NewPassword { session } => {
                let errors = self.check_new_password();
                if !errors.is_empty() {
                    self.form.message = None;
                    self.form.set_errors(&errors);
                    return Outcome::done();
                }
                Effect::NewPassword {
                    client,
                    app,
                    username: self.username.clone(),
                    session: session.clone(),
                    password: Secret::new(self.form.value("new")),
                    attributes: self.attributes(),
                }
            }
            Stage::MfaCode { .. } | Stage::SelectMfa { .. } | Stage::SetupToken { .. } => {
                let Some(step) = self.mfa_submit() else {
                    return Outcome::done();
                };
                self.form.message = None;
                self.busy = true;
                self.form.sending("asking Cognito…");
                return Outcome::steps(self.mfa_effect(step, env));
            }
            _ => return Outcome::Ignored,
        };
        self.busy = true;
        self.form.sending("asking Cognito…");
        Outcome::one(Step::Run(effect))
    }

    /// The answer to a sign-in call; once signed in, the status is read back (and the
    /// table shows it too).
    pub fn answered(&mut self, result: Result<SignIn, ClientError>, env: &Env) -> Vec<Step> {
        let error = result
            .as_ref()
            .err()
            .map(|e| format!("sign-in refused: {e}"));
        let started = self.stepped(result, env);
        if let Some(e) = error {
            return vec![Step::Error(e)];
        }
        if !matches!(self.stage, Stage::Done { .. }) {
            return started;
        }
        let mut steps = vec![
            Step::Info(format!("{} signed in", self.username)),
            Step::Reload,
        ];
        let username = self.username.clone();
        if let Ok(effect) = env.call(|client, pool| Effect::GetUser(client, pool, username)) {
            steps.push(Step::Run(effect));
        }
        steps
    }

    /// The app clients could not be listed.
    pub fn no_clients(&mut self) {
        self.busy = false;
        self.stage = Stage::NoClient { count: 0 };
    }

    /// The user's status, read back after the sign-in.
    pub fn reloaded(&mut self, user: &crate::pool::User) {
        if user.username != self.username {
            return;
        }
        if let Stage::Done { status, .. } = &mut self.stage {
            *status = user.status.map(|s| s.as_str().to_string());
        }
    }

    /// The attributes typed for NEW_PASSWORD_REQUIRED.
    pub fn attributes(&self) -> Vec<Attribute> {
        self.form
            .fields
            .iter()
            .filter_map(|f| {
                let name = f.id.strip_prefix("attr:")?;
                Some(Attribute::new(name, f.value().trim()))
            })
            .collect()
    }

    /// What Cognito would refuse in the NEW_PASSWORD_REQUIRED answer, before it is sent.
    pub fn check_new_password(&self) -> FieldErrors {
        let mut errors = Vec::new();
        let new = self.form.value("new");
        if let Err(e) = password::check_new(new, &self.policy) {
            errors.push(("new".to_string(), e.to_string()));
        }
        if self.form.value("repeat") != new {
            errors.push((
                "repeat".to_string(),
                "does not match the new password".into(),
            ));
        }
        for a in self.attributes() {
            let id = format!("attr:{}", a.name);
            if a.value.is_empty() {
                errors.push((id, "is required by the pool".into()));
            } else if let Err(e) = validate::attribute(&a.name, &a.value) {
                errors.push((id, e.rule));
            }
        }
        errors
    }
}

impl Owner for TrySignIn {
    fn context(&self) -> Context {
        if self.takes_input() {
            Context::Form
        } else {
            Context::Popup
        }
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        match &self.stage {
            _ if self.busy => vec![Command::Back],
            Stage::Password | Stage::NewPassword { .. } => vec![
                Command::Save,
                Command::Back,
                Command::NextField,
                Command::PrevField,
                Command::Reveal,
            ],
            Stage::MfaCode { .. } => vec![Command::Save, Command::Back],
            Stage::SelectMfa { .. } => vec![Command::Save, Command::Back, Command::Toggle],
            Stage::SetupToken { .. } => vec![
                Command::Save,
                Command::Back,
                Command::NextField,
                Command::PrevField,
            ],
            Stage::Done { .. } => {
                let mut c = SCROLL.to_vec();
                c.extend([Command::Open, Command::Back]);
                c
            }
            _ => vec![Command::Back],
        }
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        self.takes_input() && !self.busy && self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if command == Command::Back {
            return Outcome::one(Step::Close);
        }
        if !self.commands(env).contains(&command) {
            return Outcome::Ignored;
        }
        if let Some(by) = step(command, 10) {
            self.scroll = (self.scroll as isize + by).clamp(0, 100) as u16;
            return Outcome::done();
        }
        match command {
            Command::Open => return Outcome::one(Step::Close),
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Reveal => self.form.reveal(),
            Command::Toggle => {
                self.form.toggle();
            }
            Command::Save => return self.submit(env),
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn answer(&mut self, result: &Action, env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::SignInClients(Ok(clients)) => {
                self.clients_found(clients);
                Some(Vec::new())
            }
            Action::SignInClients(Err(e)) => {
                self.no_clients();
                Some(vec![Step::Error(format!(
                    "cannot list the app clients: {e}"
                ))])
            }
            Action::SignInStep(result) => Some(self.answered(result.clone(), env)),
            Action::TokenAssociated(result) => Some(self.associated(result.clone())),
            Action::TokenVerified(result) => Some(self.verified(result.clone(), env)),
            _ => None,
        }
    }

    /// The user read again (their status after a sign-in).
    fn observe(&mut self, result: &Action, _env: &Env) -> Vec<Step> {
        if let Action::UserLoaded(Ok(user)) = result {
            self.reloaded(user);
        }
        Vec::new()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        draw::render(area, buf, ui, self)
    }
}
