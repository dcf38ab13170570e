//! Invitation and verification messages: placeholders, rendering, and the limits both of
//! the API and of the Cognito console (2048 characters for email, 140 for SMS, counted
//! after the code or temporary password is substituted).

use std::sync::LazyLock;

use regex::Regex;

use super::model;
use super::rule::{RuleError, char_len, check_length};
use super::{DeliveryMedium, InviteMessageTemplate, VerificationMessageTemplate};

pub const CODE: &str = "{####}";
pub const USERNAME: &str = "{username}";
pub const CONSOLE_EMAIL_MAX: usize = 2048;
pub const CONSOLE_SMS_MAX: usize = 140;
/// Length of a verification code once substituted for `{####}`.
pub const VERIFICATION_CODE_LEN: usize = 6;

pub const DEFAULT_INVITE_MESSAGE: &str =
    "Your username is {username} and temporary password is {####}.";
pub const DEFAULT_INVITE_SUBJECT: &str = "Your temporary password";
pub const DEFAULT_VERIFICATION_MESSAGE: &str = "Your verification code is {####}.";
pub const DEFAULT_VERIFICATION_SUBJECT: &str = "Your verification code";
pub const DEFAULT_VERIFICATION_LINK_MESSAGE: &str =
    "Please click the link below to verify your email address. {##Verify Email##}";
pub const DEFAULT_VERIFICATION_LINK_SUBJECT: &str = "Your verification link";

/// `{##Click here##}`: the link placeholder of CONFIRM_WITH_LINK messages.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{##[\p{L}\p{M}\p{S}\p{N}\p{P}\s]*##\}").expect("static pattern")
});
/// Email bodies and subjects: printable characters and whitespace, no control codes.
static EMAIL_TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}\s]*$").expect("static pattern"));

/// Substitutes the placeholders. The code (temporary password) is put in last, so a
/// username that happens to contain `{####}` is not mistaken for a placeholder.
pub fn render(template: &str, username: &str, code: &str) -> String {
    let parts: Vec<String> = template
        .split(CODE)
        .map(|part| part.replace(USERNAME, username))
        .collect();
    parts.join(code)
}

/// The invitation Cognito would send: the pool's template with defaults for what is unset.
pub fn effective_invite(template: Option<&InviteMessageTemplate>) -> InviteMessageTemplate {
    let t = template.cloned().unwrap_or_default();
    InviteMessageTemplate {
        sms_message: t
            .sms_message
            .or_else(|| Some(DEFAULT_INVITE_MESSAGE.into())),
        email_message: t
            .email_message
            .or_else(|| Some(DEFAULT_INVITE_MESSAGE.into())),
        email_subject: t
            .email_subject
            .or_else(|| Some(DEFAULT_INVITE_SUBJECT.into())),
    }
}

/// The verification messages Cognito would send, defaults filled in.
pub fn effective_verification(t: &VerificationMessageTemplate) -> VerificationMessageTemplate {
    let or = |v: &Option<String>, d: &str| Some(v.clone().unwrap_or_else(|| d.to_string()));
    VerificationMessageTemplate {
        sms_message: or(&t.sms_message, DEFAULT_VERIFICATION_MESSAGE),
        email_message: or(&t.email_message, DEFAULT_VERIFICATION_MESSAGE),
        email_subject: or(&t.email_subject, DEFAULT_VERIFICATION_SUBJECT),
        email_message_by_link: or(&t.email_message_by_link, DEFAULT_VERIFICATION_LINK_MESSAGE),
        email_subject_by_link: or(&t.email_subject_by_link, DEFAULT_VERIFICATION_LINK_SUBJECT),
        default_email_option: t.default_email_option,
    }
}

/// A template member's length bounds, from the service model. `field` is the member as
/// the pool names it: `InviteMessageTemplate.SMSMessage`, `VerificationMessageTemplate.
/// EmailSubject`, or one of the pool's own legacy members (`SmsVerificationMessage`).
fn bounds(field: &str) -> (usize, usize) {
    let (structure, member) = match field.split_once('.') {
        Some(("InviteMessageTemplate", m)) => ("MessageTemplateType", m),
        Some((_, m)) => ("VerificationMessageTemplateType", m),
        None => ("CreateUserPoolRequest", field),
    };
    model::length(structure, member)
}

/// The longest email subject Cognito takes (140), which the console holds too.
pub fn subject_max() -> usize {
    bounds("InviteMessageTemplate.EmailSubject").1
}

fn text(field: &str, value: &str) -> Result<(), RuleError> {
    let (min, max) = bounds(field);
    check_length(field, value, min, max)
}

fn email_text(field: &str, value: &str) -> Result<(), RuleError> {
    text(field, value)?;
    if !EMAIL_TEXT.is_match(value) {
        return Err(RuleError::new(field, "must not contain control characters"));
    }
    Ok(())
}

fn must_contain(field: &str, value: &str, placeholder: &str) -> Result<(), RuleError> {
    if value.contains(placeholder) {
        Ok(())
    } else {
        Err(RuleError::new(
            field,
            format!("must contain the {placeholder} placeholder"),
        ))
    }
}

fn collect(errors: &mut Vec<RuleError>, result: Result<(), RuleError>) {
    if let Err(e) = result {
        errors.push(e);
    }
}

/// What UpdateUserPool / CreateUserPool accept for `InviteMessageTemplate`.
pub fn check_invite_api(t: &InviteMessageTemplate) -> Vec<RuleError> {
    let mut errors = Vec::new();
    if let Some(s) = &t.email_subject {
        collect(
            &mut errors,
            email_text("InviteMessageTemplate.EmailSubject", s),
        );
    }
    if let Some(m) = &t.email_message {
        collect(
            &mut errors,
            email_text("InviteMessageTemplate.EmailMessage", m),
        );
    }
    if let Some(m) = &t.sms_message {
        collect(&mut errors, text("InviteMessageTemplate.SMSMessage", m));
    }
    errors
}

/// What UpdateUserPool / CreateUserPool accept for `VerificationMessageTemplate`.
pub fn check_verification_api(t: &VerificationMessageTemplate) -> Vec<RuleError> {
    let mut errors = Vec::new();
    if let Some(s) = &t.email_subject {
        collect(
            &mut errors,
            email_text("VerificationMessageTemplate.EmailSubject", s),
        );
    }
    if let Some(m) = &t.email_message {
        let f = "VerificationMessageTemplate.EmailMessage";
        collect(
            &mut errors,
            email_text(f, m).and_then(|()| must_contain(f, m, CODE)),
        );
    }
    if let Some(m) = &t.sms_message {
        let f = "VerificationMessageTemplate.SmsMessage";
        collect(
            &mut errors,
            text(f, m).and_then(|()| must_contain(f, m, CODE)),
        );
    }
    if let Some(s) = &t.email_subject_by_link {
        collect(
            &mut errors,
            email_text("VerificationMessageTemplate.EmailSubjectByLink", s),
        );
    }
    if let Some(m) = &t.email_message_by_link {
        let f = "VerificationMessageTemplate.EmailMessageByLink";
        collect(
            &mut errors,
            email_text(f, m).and_then(|()| {
                if LINK.is_match(m) {
                    Ok(())
                } else {
                    Err(RuleError::new(
                        f,
                        "must contain a link placeholder such as {##Click here##}",
                    ))
                }
            }),
        );
    }
    errors
}

/// The pool's single-string message members that predate VerificationMessageTemplate
/// (SmsVerificationMessage, SmsAuthenticationMessage, EmailVerificationMessage,
/// EmailVerificationSubject): the same limits and placeholder as their template twins.
pub fn check_legacy_message(member: &str, value: &str) -> Result<(), RuleError> {
    match member {
        "SmsVerificationMessage" | "SmsAuthenticationMessage" => {
            text(member, value).and_then(|()| must_contain(member, value, CODE))
        }
        "EmailVerificationMessage" => {
            email_text(member, value).and_then(|()| must_contain(member, value, CODE))
        }
        "EmailVerificationSubject" => email_text(member, value),
        _ => Ok(()),
    }
}

/// An invitation once rendered for one medium, or the reason Cognito would not send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invitation {
    Deliver {
        subject: Option<String>,
        body: String,
    },
    NotDelivered {
        reason: String,
    },
}

/// The invitation for `medium`, as Cognito builds it: a template without `{####}` is not
/// delivered (seed 002), since the user would never learn the password.
pub fn invitation(
    template: Option<&InviteMessageTemplate>,
    medium: DeliveryMedium,
    username: &str,
    password: &str,
) -> Invitation {
    let t = effective_invite(template);
    let (subject, body) = match medium {
        DeliveryMedium::Sms => (None, t.sms_message.unwrap_or_default()),
        DeliveryMedium::Email => (t.email_subject, t.email_message.unwrap_or_default()),
    };
    if !body.contains(CODE) {
        return Invitation::NotDelivered {
            reason: format!(
                "the {} invitation template has no {CODE} placeholder for the temporary password",
                medium.as_str()
            ),
        };
    }
    Invitation::Deliver {
        subject,
        body: render(&body, username, password),
    }
}

fn rendered_within(
    field: &str,
    body: &str,
    username: &str,
    code_len: usize,
    max: usize,
) -> Result<(), RuleError> {
    let rendered = render(body, username, &"x".repeat(code_len));
    let len = char_len(&rendered);
    if len > max {
        Err(RuleError::new(
            field,
            format!(
                "is {len} characters with {USERNAME} as {username:?} ({} characters) and a \
                 {code_len}-character {CODE}; the limit is {max}",
                char_len(username)
            ),
        ))
    } else {
        Ok(())
    }
}

/// The console's check of an invitation template before it is saved: the API's rules,
/// both placeholders, and the console limits with `username` and a password of
/// `password_len` characters filled in.
pub fn check_invite_console(
    t: &InviteMessageTemplate,
    username: &str,
    password_len: usize,
) -> Vec<RuleError> {
    let mut errors = check_invite_api(t);
    let eff = effective_invite(Some(t));
    let bodies = [
        (
            "InviteMessageTemplate.EmailMessage",
            eff.email_message.unwrap_or_default(),
            CONSOLE_EMAIL_MAX,
        ),
        (
            "InviteMessageTemplate.SMSMessage",
            eff.sms_message.unwrap_or_default(),
            CONSOLE_SMS_MAX,
        ),
    ];
    for (field, body, max) in bodies {
        if errors.iter().any(|e| e.field == field) {
            continue;
        }
        collect(
            &mut errors,
            must_contain(field, &body, CODE)
                .map_err(|e| {
                    RuleError::new(
                        e.field,
                        format!(
                            "{}: without it Cognito does not deliver invitations",
                            e.rule
                        ),
                    )
                })
                .and_then(|()| must_contain(field, &body, USERNAME))
                .and_then(|()| rendered_within(field, &body, username, password_len, max)),
        );
    }
    errors
}

/// The console's check of a verification template: the API's rules and the console
/// limits with a verification code filled in.
pub fn check_verification_console(t: &VerificationMessageTemplate) -> Vec<RuleError> {
    let mut errors = check_verification_api(t);
    let eff = effective_verification(t);
    let bodies = [
        (
            "VerificationMessageTemplate.EmailMessage",
            eff.email_message.unwrap_or_default(),
            CONSOLE_EMAIL_MAX,
        ),
        (
            "VerificationMessageTemplate.SmsMessage",
            eff.sms_message.unwrap_or_default(),
            CONSOLE_SMS_MAX,
        ),
        (
            "VerificationMessageTemplate.EmailMessageByLink",
            eff.email_message_by_link.unwrap_or_default(),
            CONSOLE_EMAIL_MAX,
        ),
    ];
    for (field, body, max) in bodies {
        if !errors.iter().any(|e| e.field == field) {
            collect(
                &mut errors,
                rendered_within(field, &body, "", VERIFICATION_CODE_LEN, max),
            );
        }
    }
    errors
}

/// The Create user form's check of the invitation this user would get: for each medium
/// chosen, the rendered message (this username, a password of `password_len`) within
/// the console's limit and with the password placeholder present.
pub fn check_invitation_for(
    template: Option<&InviteMessageTemplate>,
    mediums: &[DeliveryMedium],
    username: &str,
    password_len: usize,
) -> Vec<RuleError> {
    let t = effective_invite(template);
    let mut errors = Vec::new();
    for &medium in mediums {
        let (field, body, max) = match medium {
            DeliveryMedium::Sms => (
                "InviteMessageTemplate.SMSMessage",
                t.sms_message.clone(),
                CONSOLE_SMS_MAX,
            ),
            DeliveryMedium::Email => (
                "InviteMessageTemplate.EmailMessage",
                t.email_message.clone(),
                CONSOLE_EMAIL_MAX,
            ),
        };
        let body = body.unwrap_or_default();
        let result = must_contain(field, &body, CODE)
            .map_err(|e| {
                RuleError::new(
                    e.field,
                    format!("{}: Cognito would not deliver this invitation", e.rule),
                )
            })
            .and_then(|()| rendered_within(field, &body, username, password_len, max))
            .map_err(|e| {
                RuleError::new(
                    e.field,
                    format!(
                        "the {} invitation for this user {}",
                        medium.as_str(),
                        e.rule.trim_start_matches("is ")
                    ),
                )
            });
        collect(&mut errors, result);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite(sms: &str, email: &str) -> InviteMessageTemplate {
        InviteMessageTemplate {
            sms_message: Some(sms.into()),
            email_message: Some(email.into()),
            email_subject: Some("Welcome".into()),
        }
    }

    #[test]
    fn render_fills_both_placeholders_once() {
        assert_eq!(
            render("Hi {username}, use {####}. {username}!", "ana", "P4ss!"),
            "Hi ana, use P4ss!. ana!"
        );
        // A password that looks like a placeholder is not expanded again.
        assert_eq!(render("{####}", "ana", "{username}"), "{username}");
        assert_eq!(render("{username}", "{####}", "secret"), "{####}");
    }

    #[test]
    fn invitations_without_code_are_not_delivered() {
        let t = invite("Hello {username}", "Hello {username}, {####}");
        assert!(matches!(
            invitation(Some(&t), DeliveryMedium::Sms, "ana", "pw"),
            Invitation::NotDelivered { reason } if reason.contains("SMS")
        ));
        assert_eq!(
            invitation(Some(&t), DeliveryMedium::Email, "ana", "pw"),
            Invitation::Deliver {
                subject: Some("Welcome".into()),
                body: "Hello ana, pw".into()
            }
        );
        assert_eq!(
            invitation(None, DeliveryMedium::Sms, "ana", "pw"),
            Invitation::Deliver {
                subject: None,
                body: "Your username is ana and temporary password is pw.".into()
            }
        );
    }

    #[test]
    fn api_rules() {
        let fields = |e: Vec<RuleError>| e.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert!(check_invite_api(&invite("Hi {username} {####}", "Hi {####}")).is_empty());
        assert_eq!(
            fields(check_invite_api(&invite("short", &"x".repeat(20_001)))),
            [
                "InviteMessageTemplate.EmailMessage",
                "InviteMessageTemplate.SMSMessage"
            ]
        );
        let v = VerificationMessageTemplate {
            sms_message: Some("no code here".into()),
            email_message: Some("Code: {####}".into()),
            email_subject: Some(String::new()),
            email_message_by_link: Some("no link placeholder here".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(check_verification_api(&v)),
            [
                "VerificationMessageTemplate.EmailSubject",
                "VerificationMessageTemplate.SmsMessage",
                "VerificationMessageTemplate.EmailMessageByLink"
            ]
        );
    }

    #[test]
    fn legacy_messages() {
        assert!(check_legacy_message("SmsVerificationMessage", "Code {####}").is_ok());
        let e = check_legacy_message("SmsAuthenticationMessage", "no code here").unwrap_err();
        assert!(e.rule.contains(CODE));
        assert!(check_legacy_message("EmailVerificationMessage", "{####}").is_ok());
        assert!(check_legacy_message("EmailVerificationSubject", "").is_err());
    }

    #[test]
    fn console_limits_count_after_substitution() {
        // 130 characters of template become 141 with a 12-character username and password.
        let sms = format!(
            "{}{USERNAME}{CODE}",
            "x".repeat(130 - USERNAME.len() - CODE.len() + 6)
        );
        let errors = check_invite_console(&invite(&sms, "{username} {####}"), "abcdefghijkl", 12);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].rule.contains("limit is 140"), "{}", errors[0]);
        // It says what it counted, so a count for another username is not a mystery.
        assert!(
            errors[0]
                .rule
                .contains("\"abcdefghijkl\" (12 characters) and a 12-character {####}"),
            "{}",
            errors[0]
        );

        let email = format!("{{username}} {{####}} {}", "y".repeat(2040));
        let errors = check_invite_console(&invite("{username} {####}", &email), "ana", 8);
        assert_eq!(errors[0].field, "InviteMessageTemplate.EmailMessage");

        let errors = check_invite_console(&invite("Hi {username}", "Hi {####}"), "ana", 8);
        assert_eq!(errors.len(), 2);
        assert!(errors[0].rule.contains("{username}"));
        assert!(errors[1].rule.contains("does not deliver"));
    }

    #[test]
    fn invitation_for_one_user() {
        let t = invite(
            &format!("{{username}} {{####}}{}", "z".repeat(100)),
            "{username} {####}",
        );
        assert!(check_invitation_for(Some(&t), &[DeliveryMedium::Sms], "short", 8).is_empty());
        let long_name = "n".repeat(40);
        let errors = check_invitation_for(
            Some(&t),
            &[DeliveryMedium::Sms, DeliveryMedium::Email],
            &long_name,
            8,
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0].rule.contains("SMS invitation"), "{}", errors[0]);
    }

    #[test]
    fn verification_console_limits() {
        let v = VerificationMessageTemplate {
            email_message: Some(format!("{}{CODE}", "x".repeat(2043))),
            ..Default::default()
        };
        let errors = check_verification_console(&v);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "VerificationMessageTemplate.EmailMessage");
        assert!(errors[0].rule.contains("limit is 2048"));
    }
}
