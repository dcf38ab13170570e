//! Send a test email: the message being viewed or edited on the Message
//! customizations tab, rendered with the sample username and code, to an address the
//! admin types, through the console's mail relay (`--smtp`). Nothing in the pool
//! changes; a refusal keeps the form open with the server's reason.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::{Ui, centered, frame};
use crate::console::action::{Action, Command};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, Form};
use crate::mail::Mail;
use crossterm::event::KeyEvent;

#[derive(Debug)]
pub struct TestSend {
    pub form: Form,
    /// Which message: "Invitation" or "Verification".
    pub label: &'static str,
    /// The message to send, `to` aside.
    pub mail: Mail,
    pub busy: bool,
    /// The server the relay reaches and the sender it uses, for the form's header.
    server: String,
    sender: String,
}

impl TestSend {
    /// `mail` with no recipient yet; `last` is the address the previous test went to.
    pub fn new(label: &'static str, mail: Mail, last: Option<&str>, env: &Env) -> Self {
        let (server, default_from) = env
            .mail
            .map(|r| (r.server().to_string(), r.default_from()))
            .unwrap_or_default();
        let sender = mail.from.clone().unwrap_or(default_from);
        Self {
            form: Form::new(vec![
                Field::text("to", "Send to")
                    .with_value(last.unwrap_or(""))
                    .with_hint("an email address"),
            ]),
            label,
            mail,
            busy: false,
            server,
            sender,
        }
    }

    /// The relay's answer: closed with the server's word, or open with its reason.
    pub fn answered(&mut self, to: &str, result: Result<String, String>) -> Vec<Step> {
        self.busy = false;
        match result {
            Ok(answer) => vec![
                Step::Close,
                Step::Info(format!(
                    "test {} email sent to {to} (the server said {answer})",
                    self.label.to_lowercase()
                )),
            ],
            Err(e) => {
                self.form
                    .set_errors(&[("to".into(), format!("not sent: {e}"))]);
                vec![Step::Error(format!("test email to {to} not sent: {e}"))]
            }
        }
    }
}

impl Owner for TestSend {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        vec![Command::Save, Command::Back]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        !self.busy && self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Save if self.busy => {
                Outcome::one(Step::Info("the test email is on its way".into()))
            }
            Command::Save => {
                let to = self.form.value("to").trim().to_string();
                if let Err(e) = crate::pool::validate::email(&to) {
                    self.form.set_errors(&[("to".into(), e.rule)]);
                    return Outcome::done();
                }
                let Some(relay) = env.mail else {
                    return Outcome::error(NO_RELAY);
                };
                let mail = Mail {
                    to: to.clone(),
                    ..self.mail.clone()
                };
                self.busy = true;
                self.form
                    .sending(&format!("sending to {to} by {}…", relay.server()));
                Outcome::one(Step::Run(Effect::SendTest(relay.clone(), Box::new(mail))))
            }
            _ => Outcome::Ignored,
        }
    }

    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::TestSent { to, result } if self.busy => Some(self.answered(to, result.clone())),
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 76, 8);
        let title = format!(
            "Send a test {} email ({})",
            self.label.to_lowercase(),
            ui.hint(
                Context::Form,
                &[(Command::Save, "sends"), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        let about = vec![
            Line::styled(format!("Subject: {}", self.mail.subject), ui.theme.muted()),
            Line::styled(
                format!("From {} by {}", self.sender, self.server),
                ui.theme.muted(),
            ),
        ];
        let [head, form] = Layout::vertical([
            Constraint::Length(about.len() as u16 + 1),
            Constraint::Min(1),
        ])
        .areas(inner);
        Paragraph::new(about).render(head, buf);
        self.form.render_with(form, buf, &ui.theme, 10);
    }
}

/// What a test send says when the console has no relay.
pub const NO_RELAY: &str =
    "no mail relay: start the console with --smtp smtp://HOST:PORT to send test emails";
