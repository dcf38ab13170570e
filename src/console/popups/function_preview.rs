//! What the pool's CustomMessage function writes for a message: run off the UI task for
//! the Message customizations tab's sample user, then each part it returned, as the
//! user would read it (code and username put in), its length against the Cognito
//! console's limits (2048 characters of email, 140 of SMS), and whether Cognito would
//! send it as written or fall back to the template (`pool::triggers`, TRIG-4). `T` sends
//! the email it wrote as a test, through the console's relay, as the tab's test send does.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::test_send::{self, TestSend};
use super::{Ui, centered, frame};
use crate::client::triggers::Written;
use crate::console::action::{Action, Command};
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::theme::Theme;
use crate::pool::DeliveryMedium;
use crate::pool::template::{CONSOLE_EMAIL_MAX, CONSOLE_SMS_MAX};
use crate::pool::triggers::MessageSource;

/// Where the run stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    Running,
    Wrote(Written),
    Failed(String),
}

#[derive(Debug)]
pub struct FunctionPreview {
    pub function: String,
    pub source: MessageSource,
    /// The sample code or temporary password put in for `{####}`, and the username.
    pub code: String,
    pub username: String,
    pub run: Run,
    /// "Invitation" or "Verification", and the template's subject as rendered: a test
    /// email of what the function wrote (`T`) takes it when the function wrote none.
    pub label: &'static str,
    pub template_subject: String,
    /// Where the last test email went, offered again.
    pub last_test_address: Option<String>,
}

impl FunctionPreview {
    /// The email the function wrote, as it would go out (None: it wrote none that
    /// Cognito would send as written).
    fn email(&self) -> Option<crate::pool::triggers::Rendered> {
        let Run::Wrote(written) = &self.run else {
            return None;
        };
        written
            .message
            .rendered(
                DeliveryMedium::Email,
                self.source,
                &self.username,
                &self.code,
            )
            .ok()
            .flatten()
    }

    /// The lines that say what came back.
    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = vec![
            Line::styled(
                format!("{} for {}", self.source.trigger_source(), self.username),
                theme.muted(),
            ),
            Line::styled(self.function.clone(), theme.muted()),
            Line::default(),
        ];
        let written = match &self.run {
            Run::Running => {
                lines.push(Line::styled("Running the function…", theme.muted()));
                return lines;
            }
            Run::Failed(why) => {
                lines.push(Line::styled(
                    format!("The function failed: {why}"),
                    theme.error(),
                ));
                lines.push(Line::raw(
                    "Cognito would refuse the call that sends this message.",
                ));
                return lines;
            }
            Run::Wrote(written) => written,
        };
        let message = &written.message;
        if message.email_subject.is_none()
            && message.email_message.is_none()
            && message.sms_message.is_none()
        {
            lines.push(Line::raw(
                "It wrote nothing: the pool's templates are sent as they are.",
            ));
            return lines;
        }
        for (medium, label, max) in [
            (DeliveryMedium::Email, "Email", CONSOLE_EMAIL_MAX),
            (DeliveryMedium::Sms, "SMS", CONSOLE_SMS_MAX),
        ] {
            match message.rendered(medium, self.source, &self.username, &self.code) {
                Ok(None) => lines.push(Line::styled(
                    format!("{label}: nothing written; the template goes."),
                    theme.muted(),
                )),
                Err(why) => lines.push(Line::styled(
                    format!("{label}: not sent as written ({why}); the template goes."),
                    theme.error(),
                )),
                Ok(Some(rendered)) => {
                    let count = rendered.body.chars().count();
                    let style = if count > max {
                        theme.error()
                    } else {
                        theme.ok()
                    };
                    lines.push(Line::styled(
                        format!("{label}: {count}/{max} characters with the code in"),
                        style,
                    ));
                    if let Some(subject) = rendered.subject {
                        lines.push(Line::raw(format!("  Subject: {subject}")));
                    }
                    lines.extend(rendered.body.lines().map(|l| Line::raw(format!("  {l}"))));
                }
            }
        }
        lines
    }
}

impl Owner for FunctionPreview {
    fn commands(&self, _env: &Env) -> Vec<Command> {
        let mut c = vec![Command::Back];
        if self.email().is_some() {
            c.push(Command::SendTest);
        }
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::SendTest => {
                let (Some(email), Some(pool)) = (self.email(), env.pool) else {
                    return Outcome::Ignored;
                };
                if env.mail.is_none() {
                    return Outcome::error(test_send::NO_RELAY);
                }
                let mail = crate::mail::Mail {
                    from: pool.config.email.from.clone(),
                    reply_to: pool.config.email.reply_to.clone(),
                    to: String::new(),
                    subject: email
                        .subject
                        .unwrap_or_else(|| self.template_subject.clone()),
                    html: email.body,
                };
                let last = self.last_test_address.as_deref();
                Outcome::one(Step::Open(Box::new(TestSend::new(
                    self.label, mail, last, env,
                ))))
            }
            _ => Outcome::Ignored,
        }
    }

    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        let Action::CustomMessageRan(result) = result else {
            return None;
        };
        self.run = match result {
            Ok(written) => Run::Wrote(written.clone()),
            Err(e) => Run::Failed(e.to_string()),
        };
        Some(Vec::new())
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 78, area.height.saturating_sub(2));
        let mut keys = vec![(Command::Back, "closes")];
        if self.email().is_some() {
            keys.insert(0, (Command::SendTest, "sends a test email"));
        }
        let title = format!(
            "What the CustomMessage function writes ({})",
            ui.hint(Context::Popup, &keys)
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        Paragraph::new(self.lines(&ui.theme))
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
