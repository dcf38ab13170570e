//! A change to a pool's settings, as the Policies, Message customizations and Lambda
//! triggers tabs make it: applied to the pool as it is when saved, and told as a line per setting it
//! changes (for the confirmation before saving, and the audit log after).

use crate::pool::mfa::PoolMfa;
use crate::pool::sign_up::{NewCustomAttribute, SignUpSettings};
use crate::pool::triggers::{Configured, Trigger};
use crate::pool::{
    DefaultEmailOption, InviteMessageTemplate, PasswordPolicy, PoolConfig,
    VerificationMessageTemplate,
};

/// A change to a pool's settings, applied to the pool as it is when saved, so that an
/// edit of one thing never carries stale values of another.
#[derive(Debug, Clone, PartialEq)]
pub enum PoolEdit {
    Policies {
        password_policy: PasswordPolicy,
        allow_admin_create_user_only: bool,
    },
    Invitation(InviteMessageTemplate),
    Verification(VerificationMessageTemplate),
    /// The pool's MFA, set whole (SetUserPoolMfaConfig).
    Mfa(PoolMfa),
    /// The function of one Lambda trigger, set or (None) cleared.
    Trigger(Trigger, Option<Configured>),
    /// Verification, recovery and deletion protection.
    SignUp(SignUpSettings),
    /// A custom attribute added to the schema (AddCustomAttributes, not UpdateUserPool).
    CustomAttribute(NewCustomAttribute),
}

impl PoolEdit {
    pub fn apply(&self, config: &mut PoolConfig) {
        match self {
            Self::Policies {
                password_policy,
                allow_admin_create_user_only,
            } => {
                config.password_policy = password_policy.clone();
                config.admin_create_user.allow_admin_create_user_only =
                    *allow_admin_create_user_only;
            }
            Self::Invitation(t) => {
                config.admin_create_user.invite_message_template = Some(t.clone())
            }
            Self::Verification(t) => config.verification = t.clone(),
            Self::Mfa(m) => config.mfa = Some(m.clone()),
            Self::Trigger(trigger, Some(to)) => {
                config.triggers.insert(*trigger, to.clone());
            }
            Self::Trigger(trigger, None) => {
                config.triggers.remove(trigger);
            }
            Self::SignUp(s) => config.sign_up = s.clone(),
            // The schema is not part of the settings UpdateUserPool sets.
            Self::CustomAttribute(_) => {}
        }
    }

    /// A line for each setting this edit changes in `before`: "Minimum length: 8 → 12".
    pub fn changes(&self, before: &PoolConfig) -> Vec<String> {
        let mut lines = Lines::default();
        match self {
            Self::Policies {
                password_policy: new,
                allow_admin_create_user_only,
            } => {
                let old = &before.password_policy;
                let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
                lines.change(
                    "Minimum length",
                    old.minimum_length.to_string(),
                    new.minimum_length.to_string(),
                );
                lines.change(
                    "Require numbers",
                    yes(old.require_numbers),
                    yes(new.require_numbers),
                );
                lines.change(
                    "Require special character",
                    yes(old.require_symbols),
                    yes(new.require_symbols),
                );
                lines.change(
                    "Require uppercase letters",
                    yes(old.require_uppercase),
                    yes(new.require_uppercase),
                );
                lines.change(
                    "Require lowercase letters",
                    yes(old.require_lowercase),
                    yes(new.require_lowercase),
                );
                lines.change(
                    "Allow users to sign themselves up",
                    yes(!before.admin_create_user.allow_admin_create_user_only),
                    yes(!allow_admin_create_user_only),
                );
                lines.change(
                    "Days until the temporary password expires",
                    old.effective_validity_days().to_string(),
                    new.effective_validity_days().to_string(),
                );
            }
            Self::Invitation(new) => {
                let old = before
                    .admin_create_user
                    .invite_message_template
                    .clone()
                    .unwrap_or_default();
                lines.text(
                    "Invitation email subject",
                    &old.email_subject,
                    &new.email_subject,
                );
                lines.text(
                    "Invitation email message",
                    &old.email_message,
                    &new.email_message,
                );
                lines.text("Invitation SMS message", &old.sms_message, &new.sms_message);
            }
            Self::Verification(new) => {
                let old = &before.verification;
                // As Cognito names it: CONFIRM_WITH_CODE.
                let option = |o: Option<DefaultEmailOption>| {
                    o.and_then(|o| serde_json::to_value(o).ok())
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_else(|| "-".into())
                };
                lines.change(
                    "Verification type",
                    option(old.default_email_option),
                    option(new.default_email_option),
                );
                lines.text(
                    "Verification email subject",
                    &old.email_subject,
                    &new.email_subject,
                );
                lines.text(
                    "Verification email message",
                    &old.email_message,
                    &new.email_message,
                );
                lines.text(
                    "Verification email subject (link)",
                    &old.email_subject_by_link,
                    &new.email_subject_by_link,
                );
                lines.text(
                    "Verification email message (link)",
                    &old.email_message_by_link,
                    &new.email_message_by_link,
                );
                lines.text(
                    "Verification SMS message",
                    &old.sms_message,
                    &new.sms_message,
                );
            }
            Self::Mfa(new) => {
                let old = before.mfa.clone().unwrap_or_default();
                let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
                lines.change(
                    "MFA enforcement",
                    old.enforcement.label().into(),
                    new.enforcement.label().into(),
                );
                lines.change(
                    "Authenticator apps",
                    yes(old.software_token),
                    yes(new.software_token),
                );
                lines.change("SMS message", yes(old.sms), yes(new.sms));
                lines.text("SMS MFA message", &old.sms_message, &new.sms_message);
                lines.change(
                    "Email message",
                    yes(old.email.is_some()),
                    yes(new.email.is_some()),
                );
            }
            Self::Trigger(trigger, to) => {
                let shown = |c: Option<&Configured>| match c {
                    None => "-".to_string(),
                    Some(c) if trigger.versioned() => format!("{} ({})", c.arn, c.lambda_version()),
                    Some(c) => c.arn.clone(),
                };
                lines.change(
                    &format!("{} trigger", trigger.title()),
                    shown(before.triggers.get(trigger)),
                    shown(to.as_ref()),
                );
            }
            Self::SignUp(new) => lines.0.extend(new.changes(&before.sign_up)),
            Self::CustomAttribute(a) => {
                let bounds = match (a.min, a.max) {
                    (None, None) => String::new(),
                    (Some(min), Some(max)) => format!(", {min} to {max}"),
                    (Some(min), None) => format!(", at least {min}"),
                    (None, Some(max)) => format!(", at most {max}"),
                };
                lines.0.push(format!(
                    "New custom attribute: custom:{} ({}{}, {})",
                    a.name,
                    a.data_type,
                    bounds,
                    if a.mutable { "mutable" } else { "immutable" }
                ));
            }
        }
        lines.0
    }
}

#[derive(Default)]
struct Lines(Vec<String>);

impl Lines {
    fn change(&mut self, what: &str, before: String, after: String) {
        if before != after {
            self.0.push(format!("{what}: {before} → {after}"));
        }
    }

    /// A template's text, quoted so that its line breaks stay on one line.
    fn text(&mut self, what: &str, before: &Option<String>, after: &Option<String>) {
        let quoted = |t: &Option<String>| t.as_ref().map_or("-".into(), |t| format!("{t:?}"));
        self.change(what, quoted(before), quoted(after));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_changes_is_told() {
        let before = PoolConfig::default();
        let mut policy = before.password_policy.clone();
        policy.minimum_length = 12;
        let edit = PoolEdit::Policies {
            password_policy: policy,
            allow_admin_create_user_only: before.admin_create_user.allow_admin_create_user_only,
        };
        assert_eq!(edit.changes(&before), ["Minimum length: 8 → 12"]);
        let edit = PoolEdit::Invitation(InviteMessageTemplate {
            email_subject: Some("Welcome".into()),
            email_message: Some("Hi {username},\nyour code is {####}".into()),
            sms_message: None,
        });
        assert_eq!(
            edit.changes(&before),
            [
                "Invitation email subject: - → \"Welcome\"",
                "Invitation email message: - → \"Hi {username},\\nyour code is {####}\"",
            ]
        );
        assert!(
            PoolEdit::Verification(before.verification.clone())
                .changes(&before)
                .is_empty()
        );
    }
}
