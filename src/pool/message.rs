//! A message the local store sent a user (an invitation or a code), and what became of
//! it: kept in the outbox, relayed by SMTP, or failed and waiting to be tried again.

use std::time::SystemTime;

use super::when::date_time;

/// Who a pool's email comes from and where replies go (`EmailConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailHeaders {
    /// None: the sender of the mail relay (Cognito's own, by default).
    pub from: Option<String>,
    pub reply_to: Option<String>,
}

impl EmailHeaders {
    /// The sender is `From`, else the address of `SourceArn` (Cognito's custom FROM
    /// address, `arn:aws:ses:REGION:ACCOUNT:identity/ADDRESS`), else Cognito's own. The
    /// local store has no SES identity to check a `From` against, so it honours one
    /// whatever `EmailSendingAccount` says.
    pub fn of(from: Option<&str>, source_arn: Option<&str>, reply_to: Option<&str>) -> Self {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let from = given(from).map(str::to_string).or_else(|| {
            given(source_arn)
                .and_then(|arn| arn.split_once(":identity/"))
                .map(|(_, who)| who.to_string())
                .filter(|who| who.contains('@'))
        });
        Self {
            from,
            reply_to: given(reply_to).map(str::to_string),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    pub id: i64,
    pub username: String,
    /// EMAIL or SMS.
    pub medium: String,
    pub destination: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub created: SystemTime,
    pub state: MessageState,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MessageState {
    /// Cognito would not have sent it (an SMS invitation without `{####}`...).
    NotDelivered {
        reason: String,
    },
    /// An SMS: there is no SMS provider, the outbox is where it stays.
    KeptSms,
    /// An email made while no mail relay ran on the store.
    KeptNoRelay,
    /// Waiting for the relay.
    Pending,
    Sent {
        at: SystemTime,
    },
    /// The last try failed; tried again at `next`, or given up when None.
    Failed {
        tries: u32,
        error: String,
        next: Option<SystemTime>,
    },
}

impl MessageState {
    /// One word, for a column: kept, pending, sent, failed, not sent.
    pub fn word(&self) -> &'static str {
        match self {
            Self::NotDelivered { .. } => "not sent",
            Self::KeptSms | Self::KeptNoRelay => "kept",
            Self::Pending => "pending",
            Self::Sent { .. } => "sent",
            Self::Failed { .. } => "failed",
        }
    }

    /// A sentence: what happened to the message, and why.
    pub fn describe(&self) -> String {
        match self {
            Self::NotDelivered { reason } => format!("not delivered: {reason}"),
            Self::KeptSms => "kept in the outbox (SMS is not relayed)".into(),
            Self::KeptNoRelay => "kept in the outbox (no mail relay was running)".into(),
            Self::Pending => "waiting for the mail relay".into(),
            Self::Sent { at } => format!("sent by SMTP at {}", date_time(*at)),
            Self::Failed { tries, error, next } => {
                let times = if *tries == 1 {
                    "once".to_string()
                } else {
                    format!("{tries} times")
                };
                match next {
                    Some(at) => format!("failed {times}, next try at {}: {error}", date_time(*at)),
                    None => format!("failed {times}, given up (outbox --retry): {error}"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_sender_is_from_then_the_source_arn() {
        let arn = Some("arn:aws:ses:us-east-1:123456789012:identity/team@example.com");
        let h = EmailHeaders::of(Some("Team <a@example.com>"), arn, Some("help@example.com"));
        assert_eq!(h.from.as_deref(), Some("Team <a@example.com>"));
        assert_eq!(h.reply_to.as_deref(), Some("help@example.com"));
        assert_eq!(
            EmailHeaders::of(None, arn, None).from.as_deref(),
            Some("team@example.com")
        );
        // A domain identity names no address: Cognito's own sender.
        let domain = Some("arn:aws:ses:us-east-1:123456789012:identity/example.com");
        assert_eq!(
            EmailHeaders::of(Some(" "), domain, Some("")),
            EmailHeaders::default()
        );
    }

    #[test]
    fn states_say_what_happened() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_548_099_495);
        assert_eq!(
            MessageState::Sent { at: t }.describe(),
            "sent by SMTP at 2019-01-21 19:38:15 UTC"
        );
        let failed = MessageState::Failed {
            tries: 1,
            error: "connection refused".into(),
            next: Some(t),
        };
        assert_eq!(
            failed.describe(),
            "failed once, next try at 2019-01-21 19:38:15 UTC: connection refused"
        );
        let given_up = MessageState::Failed {
            tries: 12,
            error: "550 no".into(),
            next: None,
        };
        assert!(given_up.describe().starts_with("failed 12 times, given up"));
        assert_eq!(given_up.word(), "failed");
        assert_eq!(MessageState::KeptSms.word(), "kept");
    }
}
