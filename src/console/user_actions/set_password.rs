//! Set a user's password (AdminSetUserPassword): temporary (the user must choose their
//! own at the next sign-in) or permanent (the user is CONFIRMED and signs in with it).
//! The password is masked, typed twice and checked live against the pool's policy; the
//! call is made only when nothing is left that Cognito would refuse. A refused call
//! keeps the form as typed; the password is dropped once set.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crossterm::event::KeyEvent;

use super::{Call, ChangeToUser, UserAction, UserChange, effect};
use crate::client::{Client, ClientError};
use crate::console::action::{Action, Command};
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::{centered, frame};
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::console::widgets::policy_checklist;
use crate::pool::{PasswordPolicy, Secret, User, audit, password};

const LABEL: usize = 22;

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::SetPassword
    }

    fn ask(&self, user: &User, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::error("the pool is not loaded yet");
        };
        let form = SetPassword::new(&user.username, pool.config.password_policy.clone());
        Outcome::one(Step::Open(Box::new(form)))
    }
}

/// AdminSetUserPassword. The password lives only until the call is made.
#[derive(Debug)]
pub struct Change {
    pub username: String,
    pub password: Secret,
    pub permanent: bool,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        if self.permanent {
            format!("password set for {}, who is now CONFIRMED", self.username)
        } else {
            format!(
                "temporary password set for {}, who must choose a new one at the next sign-in",
                self.username
            )
        }
    }

    fn failed(&self) -> &'static str {
        "password not set"
    }

    fn audit(&self) -> audit::Change {
        audit::Change::new("set password")
            .of_user(&self.username)
            .detail(if self.permanent {
                "permanent password (not recorded): the user is CONFIRMED"
            } else {
                "temporary password (not recorded): a new one is chosen at the next sign-in"
            })
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(client.set_user_password(pool_id, &self.username, &self.password, self.permanent))
    }
}

/// The form: the password typed twice, masked, checked live against the policy.

#[derive(Debug)]
pub struct SetPassword {
    pub username: String,
    pub form: Form,
    pub policy: PasswordPolicy,
    pub busy: bool,
}

impl SetPassword {
    pub fn new(username: &str, policy: PasswordPolicy) -> Self {
        let mut form = Form::new(vec![
            Field::secret("password", "New password"),
            Field::secret("repeat", "Repeat it"),
            Field::checkbox("permanent", "Permanent", false)
                .with_hint("unticked: temporary, to be changed at the next sign-in"),
        ]);
        form.message = Some((
            true,
            format!("{username}'s current password stops working once this one is set."),
        ));
        Self {
            username: username.to_string(),
            form,
            policy,
            busy: false,
        }
    }

    /// What Cognito would refuse, before it is asked.
    pub fn check(&self) -> FieldErrors {
        let mut errors = Vec::new();
        let new = self.form.value("password");
        if let Err(e) = password::check_admin_set(new, &self.policy) {
            errors.push(("password".to_string(), e.to_string()));
        }
        if self.form.value("repeat") != new {
            errors.push(("repeat".to_string(), "does not match the password".into()));
        }
        errors
    }

    /// Cognito's answer: set (the form closes, the password with it), or refused (the
    /// form stays as typed, the reason beside the password).
    pub fn answered(&mut self, change: &UserChange, result: Result<(), ClientError>) -> Vec<Step> {
        self.busy = false;
        match result {
            Ok(()) => vec![Step::Close, Step::Info(change.describe()), Step::Reload],
            Err(e) => {
                let field = e.is("InvalidPasswordException").then_some("password");
                self.form.refused(field, &e);
                vec![Step::Error(format!("{}: {e}", change.failed()))]
            }
        }
    }
}

impl Owner for SetPassword {
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
            Command::Reveal,
        ]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        !self.busy && self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back => return Outcome::one(Step::Close),
            _ if self.busy => return Outcome::Ignored,
            Command::NextField => self.form.next(),
            Command::PrevField => self.form.prev(),
            Command::Toggle => {
                self.form.toggle();
            }
            Command::Reveal => self.form.reveal(),
            Command::Save => {
                let errors = self.check();
                if !errors.is_empty() {
                    self.form.set_errors(&errors);
                    return Outcome::done();
                }
                let change = Change {
                    username: self.username.clone(),
                    password: Secret::new(self.form.value("password")),
                    permanent: self.form.checked("permanent"),
                };
                return match effect(change, env) {
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
            Action::UserChanged { change, result } if change.is::<Change>() => {
                Some(self.answered(change, result.clone()))
            }
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let rect = centered(area, 84, 14);
        let title = format!(
            "Set the password of {} ({})",
            self.username,
            ui.hint(
                Context::Form,
                &[(Command::Save, "sets it"), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, theme, &title);
        let [form, policy] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(2)]).areas(inner);
        self.form.render_with(form, buf, theme, LABEL);
        Paragraph::new(policy_checklist(
            self.form.value("password"),
            &self.policy,
            theme,
        ))
        .wrap(Wrap { trim: false })
        .render(policy, buf);
    }
}
