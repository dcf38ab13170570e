//! Message customizations: the verification and invitation messages, each edited in a
//! multi-line editor with a live count (after substitution, as the Cognito console
//! counts), placeholder checks and a preview.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use ratatui_textarea::TextArea;

use crossterm::event::KeyEvent;

use crate::client::ClientError;
use crate::console::action::{Action, Command, Confirmed, PoolEdit};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::confirm::Confirm;
use crate::console::popups::test_send::{self, TestSend};
use crate::pool::template::{self, CODE, USERNAME};
use crate::pool::{
    InviteMessageTemplate, PoolConfig, RuleError, VerificationMessageTemplate, password,
};

/// The user name the preview and the length check use.
pub const SAMPLE_USERNAME: &str = "jane.doe";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    VerificationEmailSubject,
    VerificationEmailMessage,
    VerificationSms,
    InviteEmailSubject,
    InviteEmailMessage,
    InviteSms,
}

impl Message {
    pub const ALL: [Message; 6] = [
        Self::VerificationEmailSubject,
        Self::VerificationEmailMessage,
        Self::VerificationSms,
        Self::InviteEmailSubject,
        Self::InviteEmailMessage,
        Self::InviteSms,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::VerificationEmailSubject => "Verification · email subject",
            Self::VerificationEmailMessage => "Verification · email message",
            Self::VerificationSms => "Verification · SMS message",
            Self::InviteEmailSubject => "Invitation · email subject",
            Self::InviteEmailMessage => "Invitation · email message",
            Self::InviteSms => "Invitation · SMS message",
        }
    }

    /// Whether it is part of an email (a test email can be sent of it).
    pub fn is_email(self) -> bool {
        !matches!(self, Self::VerificationSms | Self::InviteSms)
    }

    fn is_invitation(self) -> bool {
        matches!(
            self,
            Self::InviteEmailSubject | Self::InviteEmailMessage | Self::InviteSms
        )
    }

    /// The console's limit, counted after substitution.
    pub fn limit(self) -> usize {
        match self {
            Self::VerificationEmailSubject | Self::InviteEmailSubject => template::subject_max(),
            Self::VerificationEmailMessage | Self::InviteEmailMessage => {
                template::CONSOLE_EMAIL_MAX
            }
            Self::VerificationSms | Self::InviteSms => template::CONSOLE_SMS_MAX,
        }
    }

    /// The text Cognito would use now (its default where the pool sets none).
    pub fn current(self, config: &PoolConfig) -> String {
        let invite =
            template::effective_invite(config.admin_create_user.invite_message_template.as_ref());
        let verification = template::effective_verification(&config.verification);
        let v = match self {
            Self::VerificationEmailSubject => verification.email_subject,
            Self::VerificationEmailMessage => verification.email_message,
            Self::VerificationSms => verification.sms_message,
            Self::InviteEmailSubject => invite.email_subject,
            Self::InviteEmailMessage => invite.email_message,
            Self::InviteSms => invite.sms_message,
        };
        v.unwrap_or_default()
    }

    /// Length of the code substituted for `{####}`.
    fn code_len(self, config: &PoolConfig) -> usize {
        if self.is_invitation() {
            password::temporary_password_length(&config.password_policy)
        } else {
            template::VERIFICATION_CODE_LEN
        }
    }

    /// The message as a user would read it: a sample code, or a sample password of the
    /// length Cognito would generate.
    pub fn rendered(self, text: &str, config: &PoolConfig) -> String {
        const SAMPLE: &str = "Tq7#mP2!vK9xR4zW";
        let n = self.code_len(config);
        let code: String = if self.is_invitation() {
            SAMPLE.chars().cycle().take(n).collect()
        } else {
            "123456".chars().cycle().take(n).collect()
        };
        template::render(text, SAMPLE_USERNAME, &code)
    }

    /// The pool edit that sets this message to `text`, or why the console refuses it.
    pub fn edit(self, text: &str, config: &PoolConfig) -> Result<PoolEdit, Vec<RuleError>> {
        let text = Some(text.to_string());
        if self.is_invitation() {
            let mut t: InviteMessageTemplate = template::effective_invite(
                config.admin_create_user.invite_message_template.as_ref(),
            );
            match self {
                Self::InviteEmailSubject => t.email_subject = text,
                Self::InviteEmailMessage => t.email_message = text,
                _ => t.sms_message = text,
            }
            let len = password::temporary_password_length(&config.password_policy);
            let errors = template::check_invite_console(&t, SAMPLE_USERNAME, len);
            if errors.is_empty() {
                Ok(PoolEdit::Invitation(t))
            } else {
                Err(errors)
            }
        } else {
            let mut t: VerificationMessageTemplate = config.verification.clone();
            let eff = template::effective_verification(&config.verification);
            t.email_subject = t.email_subject.or(eff.email_subject);
            t.email_message = t.email_message.or(eff.email_message);
            t.sms_message = t.sms_message.or(eff.sms_message);
            match self {
                Self::VerificationEmailSubject => t.email_subject = text,
                Self::VerificationEmailMessage => t.email_message = text,
                _ => t.sms_message = text,
            }
            let errors = template::check_verification_console(&t);
            if errors.is_empty() {
                Ok(PoolEdit::Verification(t))
            } else {
                Err(errors)
            }
        }
    }

    /// Placeholder notes for the editor: what is present and what is missing.
    fn placeholder_notes(self, text: &str) -> Vec<(bool, String)> {
        let mut notes = Vec::new();
        let subject = matches!(
            self,
            Self::VerificationEmailSubject | Self::InviteEmailSubject
        );
        if subject {
            return notes;
        }
        let code_what = if self.is_invitation() {
            "temporary password"
        } else {
            "verification code"
        };
        notes.push((text.contains(CODE), format!("{CODE} {code_what}")));
        if self.is_invitation() {
            notes.push((text.contains(USERNAME), format!("{USERNAME} username")));
        }
        notes
    }
}

pub struct Editor {
    pub message: Message,
    pub textarea: TextArea<'static>,
    pub errors: Vec<String>,
    /// The text as it was when editing began, to know whether esc loses anything.
    original: String,
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor")
            .field("message", &self.message)
            .finish()
    }
}

impl Editor {
    pub fn new(message: Message, config: &PoolConfig) -> Self {
        let text = message.current(config);
        let mut textarea = TextArea::new(text.lines().map(str::to_string).collect());
        textarea.move_cursor(ratatui_textarea::CursorMove::Bottom);
        textarea.move_cursor(ratatui_textarea::CursorMove::End);
        Self {
            message,
            textarea,
            errors: Vec::new(),
            original: text,
        }
    }

    pub fn is_changed(&self) -> bool {
        self.text() != self.original
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }
}

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
        c
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
        let list_height = Message::ALL.len() as u16 + 1;
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
        for (i, m) in Message::ALL.iter().enumerate() {
            let text = match (&self.editor, editing) {
                (Some(e), Some(em)) if em == *m => e.text(),
                _ => m.current(config),
            };
            let count = m.rendered(&text, config).chars().count();
            let over = count > m.limit();
            let marker = if i == self.selected { "› " } else { "  " };
            let style = if i == self.selected {
                theme.focus()
            } else {
                Default::default()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{marker}{:<32}", m.label()), style),
                Span::styled(
                    format!("{count:>5}/{}", m.limit()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_edits_are_checked_after_substitution() {
        // A 12-character password makes the 138-character template 142 once rendered.
        let mut config = PoolConfig::default();
        config.password_policy.minimum_length = 12;
        let long = format!("{{username}} {{####}} {}", "x".repeat(120));
        let errors = Message::InviteSms.edit(&long, &config).unwrap_err();
        assert!(errors[0].rule.contains("limit is 140"), "{}", errors[0]);
        let errors = Message::InviteSms
            .edit("Hello {username}", &config)
            .unwrap_err();
        assert!(errors[0].rule.contains("{####}"));
        let PoolEdit::Invitation(t) = Message::InviteSms
            .edit("Hi {username}: {####}", &config)
            .unwrap()
        else {
            panic!()
        };
        assert_eq!(t.sms_message.as_deref(), Some("Hi {username}: {####}"));
        assert!(
            t.email_message.is_some(),
            "the other messages are sent as Cognito shows them"
        );
    }

    #[test]
    fn verification_edits_need_the_code() {
        let config = PoolConfig::default();
        assert!(Message::VerificationSms.edit("no code", &config).is_err());
        assert!(
            Message::VerificationSms
                .edit("Code: {####}", &config)
                .is_ok()
        );
    }
}
