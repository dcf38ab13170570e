//! The messages the tab edits: which they are, the text Cognito would use now, how long
//! each is once its placeholders are filled in, and the editor that changes one.

use ratatui_textarea::TextArea;

use crate::console::action::PoolEdit;
use crate::pool::template::{self, CODE, USERNAME};
use crate::pool::triggers::MessageSource;
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

    pub fn is_invitation(self) -> bool {
        matches!(
            self,
            Self::InviteEmailSubject | Self::InviteEmailMessage | Self::InviteSms
        )
    }

    /// The occasion of the CustomMessage trigger this message is sent on: an invitation
    /// is AdminCreateUser's, a verification code a sign-up's.
    pub fn source(self) -> MessageSource {
        if self.is_invitation() {
            MessageSource::AdminCreateUser
        } else {
            MessageSource::SignUp
        }
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

    /// Cognito's own limit on the text as written, before anything is substituted (the
    /// service model's): a template over it is refused whatever it would render to.
    pub fn written_limit(self) -> usize {
        let (shape, member) = match self {
            Self::VerificationEmailSubject => ("VerificationMessageTemplateType", "EmailSubject"),
            Self::VerificationEmailMessage => ("VerificationMessageTemplateType", "EmailMessage"),
            Self::VerificationSms => ("VerificationMessageTemplateType", "SmsMessage"),
            Self::InviteEmailSubject => ("MessageTemplateType", "EmailSubject"),
            Self::InviteEmailMessage => ("MessageTemplateType", "EmailMessage"),
            Self::InviteSms => ("MessageTemplateType", "SMSMessage"),
        };
        crate::pool::model::length(shape, member).1
    }

    /// The length the list shows beside a message, and its limit: the text as written
    /// when that is over Cognito's own limit (what the refusal counts), else the text as
    /// sent, with a sample username and code (what the console's limit counts).
    pub fn shown_length(self, text: &str, config: &PoolConfig) -> (usize, usize, &'static str) {
        let written = text.chars().count();
        if written > self.written_limit() {
            (written, self.written_limit(), "as written")
        } else {
            (
                self.rendered(text, config).chars().count(),
                self.limit(),
                "",
            )
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

    /// A sample code, or a sample password of the length Cognito would generate.
    pub fn sample_code(self, config: &PoolConfig) -> String {
        const SAMPLE: &str = "Tq7#mP2!vK9xR4zW";
        let n = self.code_len(config);
        if self.is_invitation() {
            SAMPLE.chars().cycle().take(n).collect()
        } else {
            "123456".chars().cycle().take(n).collect()
        }
    }

    /// The message as a user would read it, with the sample code or password.
    pub fn rendered(self, text: &str, config: &PoolConfig) -> String {
        template::render(text, SAMPLE_USERNAME, &self.sample_code(config))
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
    pub(super) fn placeholder_notes(self, text: &str) -> Vec<(bool, String)> {
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
