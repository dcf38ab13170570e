//! "Try sign-in": signs a user in the way their app would, as an administrator
//! (AdminInitiateAuth, ADMIN_USER_PASSWORD_AUTH), through an app client that allows it.
//! A first sign-in walks NEW_PASSWORD_REQUIRED on screen: the new password is checked
//! live against the pool's policy and the required attributes the user lacks are asked
//! for. The outcome shows the user's status and the ID token's claims; the tokens
//! themselves are dropped.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{SCROLL, Ui, centered, frame, step};
use crate::client::{ClientError, SignIn, SignInClient};
use crate::console::action::{Action, Command};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::console::widgets::policy_checklist;
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
    /// Signed in: the status read back afterwards, and the ID token's claims.
    Done {
        status: Option<String>,
        claims: Vec<(String, String)>,
    },
    /// A challenge the console does not answer (MFA, custom auth).
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

    /// Whether keys go to a form (password stages) rather than to a read-only view.
    pub fn takes_input(&self) -> bool {
        matches!(self.stage, Stage::Password | Stage::NewPassword { .. })
    }

    /// The pool's app clients arrived: take the first that allows an admin sign-in.
    pub fn clients_found(&mut self, clients: &[AppClient]) {
        self.busy = false;
        match clients
            .iter()
            .find(|c| app_client::allows_admin_password_auth(&c.explicit_auth_flows))
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

    /// The answer to a sign-in call.
    pub fn stepped(&mut self, result: Result<SignIn, ClientError>) {
        self.busy = false;
        match result {
            Ok(SignIn::Done(tokens)) => {
                self.stage = Stage::Done {
                    status: None,
                    claims: tokens.id_claims(),
                };
                self.form = Form::default();
            }
            Ok(SignIn::NewPasswordRequired {
                session, required, ..
            }) => {
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
            Ok(SignIn::Other(challenge)) => {
                self.stage = Stage::Other(challenge);
                self.form = Form::default();
            }
            Err(e) => {
                let field = match (&self.stage, e.code.as_deref()) {
                    (Stage::Password, Some("NotAuthorizedException")) => Some("password"),
                    (Stage::NewPassword { .. }, Some("InvalidPasswordException")) => Some("new"),
                    _ => None,
                };
                self.form.refused(field, &e);
            }
        }
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
        self.stepped(result);
        if let Some(e) = error {
            return vec![Step::Error(e)];
        }
        if !matches!(self.stage, Stage::Done { .. }) {
            return Vec::new();
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
        render(area, buf, ui, self)
    }
}

/// Seconds since the epoch, for the time claims.
fn claim_value(name: &str, value: &str) -> String {
    match (name, value.parse::<u64>()) {
        ("exp" | "iat" | "auth_time", Ok(secs)) => {
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
            format!("{} ({secs})", crate::pool::when::date_time(t))
        }
        _ => value.to_string(),
    }
}

pub fn render(area: Rect, buf: &mut Buffer, ui: &Ui, t: &TrySignIn) {
    let theme = &ui.theme;
    let closes = ui.hint(Context::Popup, &[(Command::Back, "closes")]);
    let rect = centered(area, 84, area.height.min(22));
    let inner = frame(rect, buf, theme, &format!("Try sign-in: {}", t.username));
    let client_line = match &t.app {
        Some(app) => Line::from(vec![
            Span::styled("App client  ", theme.muted()),
            Span::raw(format!("{} ({})", app.name, app.client_id)),
            Span::styled(
                if app.secret.is_some() {
                    "  with secret"
                } else {
                    ""
                },
                theme.muted(),
            ),
        ]),
        None => Line::default(),
    };
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
    Paragraph::new(vec![client_line]).render(head, buf);

    match &t.stage {
        Stage::FindingClient => {
            Paragraph::new(Line::styled(
                "Looking for an app client that allows ADMIN_USER_PASSWORD_AUTH…",
                theme.muted(),
            ))
            .render(body, buf);
        }
        Stage::NoClient { count } => {
            let lines = vec![
                Line::styled(
                    format!(
                        "None of this pool's {count} app client{} allows ADMIN_USER_PASSWORD_AUTH.",
                        if *count == 1 { "" } else { "s" }
                    ),
                    theme.error(),
                ),
                Line::default(),
                Line::raw("An administrator's sign-in needs a client with that flow, e.g.:"),
                Line::styled(
                    "  aws cognito-idp create-user-pool-client --user-pool-id POOL \\",
                    theme.muted(),
                ),
                Line::styled(
                    "    --client-name admin --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH \\",
                    theme.muted(),
                ),
                Line::styled("    ALLOW_REFRESH_TOKEN_AUTH", theme.muted()),
                Line::default(),
                Line::styled(closes, theme.muted()),
            ];
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(body, buf);
        }
        Stage::Password => t.form.render_with(body, buf, theme, LABEL),
        Stage::NewPassword { .. } => {
            let [form, policy] =
                Layout::vertical([Constraint::Min(0), Constraint::Length(2)]).areas(body);
            t.form.render_with(form, buf, theme, LABEL);
            Paragraph::new(policy_checklist(t.form.value("new"), &t.policy, theme))
                .wrap(Wrap { trim: false })
                .render(policy, buf);
        }
        Stage::Done { status, claims } => {
            let mut lines = vec![
                Line::styled(
                    format!(
                        "✓ Signed in. Status now {}.",
                        status.as_deref().unwrap_or("…")
                    ),
                    theme.ok(),
                ),
                Line::styled(
                    "ID token claims (the tokens themselves are not kept):",
                    theme.muted(),
                ),
            ];
            if claims.is_empty() {
                lines.push(Line::styled(
                    "  (the ID token returned could not be read as a JWT)",
                    theme.error(),
                ));
            }
            let width = claims.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (name, value) in claims.iter().skip(t.scroll as usize) {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {name:width$}  "), theme.muted()),
                    Span::raw(claim_value(name, value)),
                ]));
            }
            Paragraph::new(lines).render(body, buf);
        }
        Stage::Other(challenge) => {
            Paragraph::new(vec![
                Line::raw(format!(
                    "The password is right; Cognito now asks for {challenge}, which this console does not answer."
                )),
                Line::styled(closes, theme.muted()),
            ])
            .wrap(Wrap { trim: false })
            .render(body, buf);
        }
    }
}
