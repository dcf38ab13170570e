//! Messages: invitations rendered from the pool's invitation template, and codes from
//! its verification template, put in the outbox table in the same transaction as the
//! change they tell of (see `outbox`, which also relays email by SMTP). A template
//! without `{####}` is not delivered, as Cognito does, and the outbox records why.
//! Where the pool's CustomMessage function wrote a message (asked before the
//! transaction, `triggers::custom_message`), it goes instead of the template.

use rusqlite::Transaction;
use serde_json::{Value, json};

use crate::local::db::pool_settings::Settings;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::mail::outbox::{self, NewMessage};
use crate::local::triggers::custom_message::Written;
use crate::local::wire::error::ApiError;
use crate::pool::template::{self, Invitation};
use crate::pool::{DeliveryMedium, Secret};

/// Where a code goes: by which medium, to which attribute's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub medium: DeliveryMedium,
    pub address: String,
}

impl Destination {
    pub fn attribute(&self) -> &'static str {
        self.medium.attribute()
    }

    fn of(user: &UserRecord, medium: DeliveryMedium, verified: bool) -> Option<Self> {
        let address = user
            .attribute(medium.attribute())
            .filter(|a| !a.is_empty())?;
        let flag = format!("{}_verified", medium.attribute());
        if verified
            && !user
                .attribute(&flag)
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return None;
        }
        Some(Self {
            medium,
            address: address.to_string(),
        })
    }

    /// Where a password reset code goes: the first of the pool's recovery mechanisms the
    /// user has a verified address for. Nowhere (`admin_only`, or nothing verified) is
    /// Cognito's InvalidParameterException.
    pub fn for_reset(settings: &Settings, user: &UserRecord) -> Result<Self, ApiError> {
        settings
            .recovery_mechanisms()
            .iter()
            .find_map(|m| match m.as_str() {
                "verified_email" => Self::of(user, DeliveryMedium::Email, true),
                "verified_phone_number" => Self::of(user, DeliveryMedium::Sms, true),
                _ => None,
            })
            .ok_or_else(|| {
                ApiError::invalid(
                    "Cannot reset password for the user as there is no registered/verified email or phone_number",
                )
            })
    }

    /// Where a sign-up's confirmation code goes: the phone if the pool verifies phones
    /// automatically and the user gave one, else the email likewise, as Cognito does.
    pub fn for_confirmation(settings: &Settings, user: &UserRecord) -> Option<Self> {
        let auto = settings.auto_verified_attributes();
        let verifies = |a: &str| auto.iter().any(|v| v == a);
        (verifies("phone_number"))
            .then(|| Self::of(user, DeliveryMedium::Sms, false))
            .flatten()
            .or_else(|| {
                verifies("email")
                    .then(|| Self::of(user, DeliveryMedium::Email, false))
                    .flatten()
            })
    }

    /// `CodeDeliveryDetailsType`, the address masked as Cognito masks it
    /// (`j***@e***`, `+*******1212`).
    pub fn details(&self) -> Value {
        json!({
            "Destination": mask(&self.address),
            "DeliveryMedium": self.medium.as_str(),
            "AttributeName": self.attribute(),
        })
    }
}

/// An address with all but a hint hidden.
pub fn mask(address: &str) -> String {
    if let Some((local, domain)) = address.rsplit_once('@') {
        let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
        return format!("{}***@{}***", first(local), first(domain));
    }
    let (plus, digits) = match address.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", address),
    };
    let chars: Vec<char> = digits.chars().collect();
    let keep = chars.len().min(4);
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("{plus}{}{tail}", "*".repeat(chars.len() - keep))
}

/// Puts a code message in the outbox: what the CustomMessage function wrote (`custom`),
/// else the pool's verification template.
pub fn send_code(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    user: &UserRecord,
    destination: &Destination,
    code: &str,
    custom: Option<&Written>,
    now: f64,
) -> Result<(), ApiError> {
    let t = template::effective_verification(&pool.settings.verification_template());
    let (subject, body) = match destination.medium {
        DeliveryMedium::Email => (t.email_subject, t.email_message),
        DeliveryMedium::Sms => (None, t.sms_message),
    };
    let body = body.map(|b| template::render(&b, &user.username, code));
    let (subject, body) = written(custom, pool, destination.medium, user, code)
        .map_or((subject.clone(), body), |w| {
            (w.subject.or(subject), Some(w.body))
        });
    to_outbox(
        tx,
        pool,
        user,
        destination,
        subject.as_deref(),
        body.as_deref(),
        now,
    )?;
    tracing::debug!(pool_id = %pool.id, medium = destination.medium.as_str(), "code sent");
    Ok(())
}

/// What the CustomMessage function wrote for `medium`, if it can go as written.
fn written(
    custom: Option<&Written>,
    pool: &PoolRow,
    medium: DeliveryMedium,
    user: &UserRecord,
    code: &str,
) -> Option<crate::pool::triggers::Rendered> {
    custom?.rendered(&pool.id, medium, &user.username, code)
}

/// A message to `destination`, from the pool's sender, put in the outbox.
fn to_outbox(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    user: &UserRecord,
    destination: &Destination,
    subject: Option<&str>,
    body: Option<&str>,
    now: f64,
) -> Result<(), ApiError> {
    let headers = pool.settings.email_headers();
    outbox::record(
        tx,
        &NewMessage {
            pool_id: &pool.id,
            username: &user.username,
            medium: destination.medium.as_str(),
            destination: Some(&destination.address),
            subject,
            body,
            not_delivered: None,
            sender: headers.from.as_deref(),
            reply_to: headers.reply_to.as_deref(),
        },
        now,
    )?;
    Ok(())
}

/// Puts an MFA code in the outbox: by SMS in the pool's `SmsAuthenticationMessage`, by
/// email in its email MFA message (each Cognito's default when the pool sets none).
pub fn send_mfa_code(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    user: &UserRecord,
    destination: &Destination,
    code: &str,
    custom: Option<&Written>,
    now: f64,
) -> Result<(), ApiError> {
    let mfa = pool.settings.pool_mfa();
    let (subject, body) = match destination.medium {
        DeliveryMedium::Sms => (
            None,
            mfa.sms_message
                .unwrap_or_else(|| crate::pool::mfa::DEFAULT_SMS_MESSAGE.into()),
        ),
        DeliveryMedium::Email => {
            let email = mfa.email.unwrap_or_default();
            (
                Some(
                    email
                        .subject
                        .unwrap_or_else(|| crate::pool::mfa::DEFAULT_EMAIL_SUBJECT.into()),
                ),
                email
                    .message
                    .unwrap_or_else(|| crate::pool::mfa::DEFAULT_EMAIL_MESSAGE.into()),
            )
        }
    };
    let body = template::render(&body, &user.username, code);
    let (subject, body) = match written(custom, pool, destination.medium, user, code) {
        Some(w) => (w.subject.or(subject), w.body),
        None => (subject, body),
    };
    to_outbox(
        tx,
        pool,
        user,
        destination,
        subject.as_deref(),
        Some(&body),
        now,
    )?;
    tracing::debug!(pool_id = %pool.id, medium = destination.medium.as_str(), "MFA code sent");
    Ok(())
}

/// Puts the pool's invitation in the outbox once for each of `mediums`.
pub fn send_invitation(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    user: &UserRecord,
    mediums: &[DeliveryMedium],
    password: &Secret,
    custom: Option<&Written>,
    now: f64,
) -> Result<(), ApiError> {
    let invite = pool
        .settings
        .admin_create_user_config()
        .invite_message_template;
    let headers = pool.settings.email_headers();
    for &medium in mediums {
        let rendered = match written(custom, pool, medium, user, password.expose()) {
            Some(w) => {
                let t = template::effective_invite(invite.as_ref());
                Invitation::Deliver {
                    subject: match medium {
                        DeliveryMedium::Email => w.subject.or(t.email_subject),
                        DeliveryMedium::Sms => None,
                    },
                    body: w.body,
                }
            }
            None => {
                template::invitation(invite.as_ref(), medium, &user.username, password.expose())
            }
        };
        let (subject, body, reason) = match &rendered {
            Invitation::Deliver { subject, body } => {
                (subject.as_deref(), Some(body.as_str()), None)
            }
            Invitation::NotDelivered { reason } => (None, None, Some(reason.as_str())),
        };
        outbox::record(
            tx,
            &NewMessage {
                pool_id: &pool.id,
                username: &user.username,
                medium: medium.as_str(),
                destination: user.attribute(medium.attribute()),
                subject,
                body,
                not_delivered: reason,
                sender: headers.from.as_deref(),
                reply_to: headers.reply_to.as_deref(),
            },
            now,
        )?;
        // The log says that a message went out, never what it said.
        tracing::debug!(pool_id = %pool.id, medium = medium.as_str(), delivered = reason.is_none(), "invitation");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn addresses_are_masked() {
        assert_eq!(mask("jane@example.com"), "j***@e***");
        assert_eq!(mask("+15555551212"), "+*******1212");
        assert_eq!(mask("+12"), "+12");
        assert_eq!(mask(""), "");
    }
}
