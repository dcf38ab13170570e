//! Message customizations: the verification and invitation messages, each edited in a
//! multi-line editor with a live count (after substitution, as the Cognito console
//! counts), placeholder checks and a preview.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crossterm::event::KeyEvent;

use crate::client::ClientError;
use crate::console::action::{Action, Command, Confirmed};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::confirm::Confirm;
use crate::console::popups::function_preview::{FunctionPreview, Run};
use crate::console::popups::test_send::{self, TestSend};
use crate::pool::template;
use crate::pool::triggers::Trigger;
use crate::pool::{Attribute, password};

mod message;

pub use message::{Editor, Message, SAMPLE_USERNAME};

#[derive(Debug, Default)]
pub struct MessagesTab {
    pub selected: usize,
    pub editor: Option<Editor>,
    /// Where the last test email went: the next one offers it again.
    pub last_test_address: Option<String>,
}

impl MessagesTab {
    /// A test email of the message shown, as the editor has it now: the subject and
    /// message of the same kind go together, rendered as a user would receive them.
    fn test_send(&mut self, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::Ignored;
        };
        let shown = self.selected_message();
        if !shown.is_email() {
            return Outcome::Ignored;
        }
        if env.mail.is_none() {
            return Outcome::error(test_send::NO_RELAY);
        }
        let config = &pool.config;
        let text = |m: Message| match &self.editor {
            Some(e) if e.message == m => e.text(),
            _ => m.current(config),
        };
        let (label, subject, body) = if shown.is_invitation() {
            (
                "Invitation",
                Message::InviteEmailSubject,
                Message::InviteEmailMessage,
            )
        } else {
            (
                "Verification",
                Message::VerificationEmailSubject,
                Message::VerificationEmailMessage,
            )
        };
        let mail = crate::mail::Mail {
            from: config.email.from.clone(),
            reply_to: config.email.reply_to.clone(),
            to: String::new(),
            subject: subject.rendered(&text(subject), config),
            html: body.rendered(&text(body), config),
        };
        Outcome::one(Step::Open(Box::new(TestSend::new(
            label,
            mail,
            self.last_test_address.as_deref(),
            env,
        ))))
    }

    /// Runs the pool's CustomMessage function for the sample user and the message shown.
    fn run_function(&self, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::Ignored;
        };
        let Some(function) = pool.config.triggers.get(&Trigger::CustomMessage) else {
            return Outcome::Ignored;
        };
        let message = self.selected_message();
        let (label, subject) = if message.is_invitation() {
            ("Invitation", Message::InviteEmailSubject)
        } else {
            ("Verification", Message::VerificationEmailSubject)
        };
        let preview = FunctionPreview {
            function: function.arn.clone(),
            source: message.source(),
            code: message.sample_code(&pool.config),
            username: SAMPLE_USERNAME.into(),
            run: Run::Running,
            label,
            template_subject: subject.rendered(&subject.current(&pool.config), &pool.config),
            last_test_address: self.last_test_address.clone(),
        };
        let run = env.call(|client, pool_id| Effect::RunCustomMessage {
            client,
            pool_id,
            function: function.arn.clone(),
            source: message.source(),
            username: SAMPLE_USERNAME.into(),
            attributes: sample_attributes(),
        });
        match run {
            Ok(effect) => Outcome::steps([Step::Open(Box::new(preview)), Step::Run(effect)]),
            Err(why) => Outcome::error(why),
        }
    }

    /// Cognito's answer to a save: the editor closes, or shows why not, text kept.
    pub fn saved(&mut self, result: Result<(), &ClientError>) {
        match (result, &mut self.editor) {
            (Ok(()), _) => self.editor = None,
            (Err(e), Some(editor)) => editor.errors = vec![format!("Cognito refused: {e}")],
            (Err(_), None) => {}
        }
    }

    pub fn selected_message(&self) -> Message {
        Message::ALL[self.selected.min(Message::ALL.len() - 1)]
    }

    pub fn move_by(&mut self, delta: isize) {
        self.selected =
            (self.selected as isize + delta).clamp(0, Message::ALL.len() as isize - 1) as usize;
    }
}

/// The sample user's attributes, as the function is told of them.
fn sample_attributes() -> Vec<Attribute> {
    vec![
        Attribute::new("sub", "00000000-0000-4000-8000-000000000000"),
        Attribute::new("email", format!("{SAMPLE_USERNAME}@example.com")),
        Attribute::new("email_verified", "true"),
        Attribute::new("phone_number", "+15555550100"),
    ]
}

impl Owner for MessagesTab {
    fn discard(&mut self) {
        self.editor = None;
    }

    fn context(&self) -> Context {
        match self.editor {
            Some(_) => Context::Editor,
            None => Context::Messages,
        }
    }

    fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        let email = self.selected_message().is_email();
        let mut c = match (&self.editor, env.pool) {
            (Some(_), _) => vec![Save, Back],
            (None, Some(_)) => vec![Down, Up, Edit],
            (None, None) => return Vec::new(),
        };
        if email {
            c.push(SendTest);
        }
        let function = env
            .pool
            .is_some_and(|p| p.config.triggers.contains_key(&Trigger::CustomMessage));
        if function && self.editor.is_none() {
            c.push(RunFunction);
        }
        c
    }

    fn why_not(&self, command: Command) -> Option<String> {
        (command == Command::RunFunction).then(|| {
            "the pool has no CustomMessage function (set one on the Lambda triggers tab)".into()
        })
    }

    /// Typing in the editor: every key not bound in the editor goes to the text.
    fn type_key(&mut self, key: &KeyEvent, bound: Option<Command>) -> bool {
        let (Some(editor), None) = (&mut self.editor, bound) else {
            return false;
        };
        editor.textarea.input(*key);
        editor.errors.clear();
        true
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::Ignored;
        };
        if command == Command::SendTest {
            return self.test_send(env);
        }
        if command == Command::RunFunction && self.editor.is_none() {
            return self.run_function(env);
        }
        let Some(editor) = &mut self.editor else {
            match command {
                Command::Down => self.move_by(1),
                Command::Up => self.move_by(-1),
                Command::Edit => {
                    self.editor = Some(Editor::new(self.selected_message(), &pool.config))
                }
                _ => return Outcome::Ignored,
            }
            return Outcome::done();
        };
        match command {
            Command::Back if editor.is_changed() => Outcome::one(Step::Open(Box::new(Confirm {
                title: format!("Discard your edit of the {}?", editor.message.label()),
                lines: vec!["The pool keeps the message as it is.".into()],
                then: Confirmed::Discard,
            }))),
            Command::Back => {
                self.editor = None;
                Outcome::done()
            }
            Command::Save => match editor.message.edit(&editor.text(), &pool.config) {
                Err(errors) => {
                    editor.errors = errors.iter().map(|e| e.rule.clone()).collect();
                    Outcome::done()
                }
                Ok(edit) => {
                    editor.errors.clear();
                    match env.call(|client, pool| Effect::UpdatePool(client, pool, edit)) {
                        Ok(effect) => Outcome::one(Step::Run(effect)),
                        Err(why) => Outcome::error(why),
                    }
                }
            },
            _ => Outcome::Ignored,
        }
    }

    /// How a test email went, when the form that sent it has closed.
    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        let Action::TestSent { to, result } = result else {
            return None;
        };
        Some(match result {
            Ok(answer) => vec![Step::Info(format!(
                "test email sent to {to} (the server said {answer})"
            ))],
            Err(e) => vec![Step::Error(format!("test email to {to} not sent: {e}"))],
        })
    }

    /// A save's answer, and the address the last test email went to (offered again).
    fn observe(&mut self, result: &Action, _env: &Env) -> Vec<Step> {
        match result {
            Action::PoolUpdated(result) => self.saved(result.as_ref().map(drop)),
            Action::TestSent { to, .. } => self.last_test_address = Some(to.clone()),
            _ => {}
        }
        Vec::new()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let Some(pool) = ui.env.pool else {
            return;
        };
        let (theme, keymap, config) = (&ui.theme, ui.keymap, &pool.config);
        let function = config.triggers.get(&Trigger::CustomMessage);
        let list_height = Message::ALL.len() as u16 + 1 + u16::from(function.is_some());
        let [list, detail] =
            Layout::vertical([Constraint::Length(list_height), Constraint::Min(3)]).areas(area);
        let editing = self.editor.as_ref().map(|e| e.message);
        let mut lines = vec![Line::styled(
            format!(
                "Counted for {SAMPLE_USERNAME}, a password of {} characters or a code of {} digits (/limit)",
                password::temporary_password_length(&config.password_policy),
                template::VERIFICATION_CODE_LEN
            ),
            theme.muted(),
        )];
        if let Some(function) = function {
            let name = function.arn.rsplit(':').next().unwrap_or(&function.arn);
            let run = keymap
                .key_for(Context::Messages, Command::RunFunction)
                .map(|k| format!(" ({k} runs it)"))
                .unwrap_or_default();
            lines.push(Line::styled(
                format!("The CustomMessage function {name} writes these messages{run}"),
                theme.title(),
            ));
        }
        for (i, m) in Message::ALL.iter().enumerate() {
            let text = match (&self.editor, editing) {
                (Some(e), Some(em)) if em == *m => e.text(),
                _ => m.current(config),
            };
            let (count, limit, how) = m.shown_length(&text, config);
            let over = count > limit;
            let marker = if i == self.selected { "› " } else { "  " };
            let style = if i == self.selected {
                theme.focus()
            } else {
                Default::default()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{marker}{:<32}", m.label()), style),
                Span::styled(
                    format!("{count:>5}/{limit} {how}"),
                    if over { theme.error() } else { theme.muted() },
                ),
            ]));
        }
        Paragraph::new(lines).render(list, buf);

        let m = self.selected_message();
        let text = match &self.editor {
            Some(e) => e.text(),
            None => m.current(config),
        };
        let [body, preview] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(detail);
        if let Some(editor) = &self.editor {
            let mut title = vec![Span::styled(
                format!(" Editing {} ", m.label()),
                theme.title(),
            )];
            for (present, note) in m.placeholder_notes(&text) {
                let (mark, style) = if present {
                    ("✓", theme.ok())
                } else {
                    ("✗", theme.error())
                };
                title.push(Span::styled(format!("{mark} {note} "), style));
            }
            let mut textarea = editor.textarea.clone();
            textarea.set_block(
                Block::default()
                    .borders(Borders::TOP)
                    .title(Line::from(title)),
            );
            Widget::render(&textarea, body, buf);
        } else {
            let edit = keymap
                .key_for(crate::console::keymap::Context::Messages, Command::Edit)
                .map(|k| format!("({k} to edit) "))
                .unwrap_or_default();
            let block = Block::default().borders(Borders::TOP).title(Span::styled(
                format!(" {} {edit}", m.label()),
                theme.title(),
            ));
            Paragraph::new(text.clone())
                .block(block)
                .wrap(Wrap { trim: false })
                .render(body, buf);
        }
        let mut preview_lines: Vec<Line> = Vec::new();
        if let Some(editor) = &self.editor {
            for e in &editor.errors {
                preview_lines.push(Line::styled(format!("✗ {e}"), theme.error()));
            }
        }
        preview_lines.extend(
            m.rendered(&text, config)
                .lines()
                .map(|l| Line::raw(l.to_string())),
        );
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Span::styled(" Preview ", theme.title()));
        Paragraph::new(preview_lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .render(preview, buf);
    }
}
