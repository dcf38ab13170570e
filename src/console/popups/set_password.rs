//! Set a user's password (AdminSetUserPassword): temporary (the user must choose their
//! own at the next sign-in) or permanent (the user is CONFIRMED and signs in with it).
//! The password is masked, typed twice and checked live against the pool's policy; the
//! call is made only when nothing is left that Cognito would refuse. A refused call
//! keeps the form as typed; the password is dropped once set.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Ui, centered, frame};
use crate::client::ClientError;
use crate::console::action::{Action, Command, UserChange};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::outcome::{Env, Outcome, Step};
use crate::console::owner::Owner;
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::console::widgets::policy_checklist;
use crate::pool::{PasswordPolicy, Secret, password};
use crossterm::event::KeyEvent;

const LABEL: usize = 22;

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
                let change = UserChange::SetPassword {
                    username: self.username.clone(),
                    password: Secret::new(self.form.value("password")),
                    permanent: self.form.checked("permanent"),
                };
                return match env.call(|client, pool| Effect::ChangeUser(client, pool, change)) {
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
            Action::UserChanged {
                change: change @ UserChange::SetPassword { .. },
                result,
            } => Some(self.answered(change, result.clone())),
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
