//! Mail out through an SMTP server (lettre): the relay the local store's messages go
//! out by (`--smtp`), and the console's test sends. It knows SMTP and the headers
//! Cognito sets, nothing of pools or users.
//!
//! Cognito sends its email as HTML (a template's line breaks need `<br>`), so the body
//! goes out as `text/html`, exactly as the template rendered it.

use std::time::Duration;

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::pool::Secret;

/// The sender of Cognito's own email (COGNITO_DEFAULT without a SourceArn).
pub const COGNITO_SENDER: &str = "no-reply@verificationemail.com";

/// A whole SMTP exchange (connect, TLS, AUTH, the message) is cut off after this.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// How to reach the mail server, as given on the command line and in the environment.
#[derive(Debug, Clone, Default)]
pub struct RelaySettings {
    /// `smtp://host[:port]` (STARTTLS if offered; `?tls=required` insists) or
    /// `smtps://host[:port]` (TLS from the start); user and password may be in the URL.
    pub url: String,
    /// The user and password, when not in the URL (the URL is seen by `ps`).
    pub user: Option<String>,
    pub password: Option<Secret>,
    /// The sender when the pool names none.
    pub from: Option<String>,
}

/// A connection to a mail server, ready to send.
#[derive(Clone)]
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    shown: String,
    default_from: Mailbox,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("server", &self.shown)
            .finish()
    }
}

/// One message, its headers as Cognito would set them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The pool's sender; the relay's default when None.
    pub from: Option<String>,
    pub reply_to: Option<String>,
    pub to: String,
    pub subject: String,
    pub html: String,
}

/// Why a message did not go: what the server or the network said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// The server refused it for good (5xx); a retry can still succeed if the server's
    /// mind changes, so the outbox retries these too, but says so.
    pub permanent: bool,
}

impl Relay {
    /// Checks the settings and prepares the transport; nothing is sent or connected yet.
    pub fn new(settings: &RelaySettings) -> Result<Self, String> {
        let url = settings.url.trim();
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            format!(
                "--smtp {}: not a URL (smtp://HOST:PORT or smtps://HOST:PORT)",
                shown(url)
            )
        })?;
        if !matches!(scheme, "smtp" | "smtps") {
            return Err(format!(
                "--smtp: the scheme is {scheme:?}; use smtp:// (STARTTLS when offered) or smtps:// (TLS)"
            ));
        }
        if rest.is_empty() || rest.starts_with(['/', '?', ':']) {
            return Err(format!("--smtp {}: no host", shown(url)));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("--smtp {}: {e}", shown(url)))?
            .timeout(Some(SEND_TIMEOUT));
        match (&settings.user, &settings.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(
                    user.clone(),
                    password.expose().to_string(),
                ));
            }
            (Some(_), None) => return Err("an SMTP user needs a password as well".into()),
            (None, Some(_)) => return Err("an SMTP password needs a user as well".into()),
            (None, None) => {}
        }
        let from = settings.from.as_deref().unwrap_or(COGNITO_SENDER);
        let default_from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("--smtp-from {from:?}: not an email address ({e})"))?;
        Ok(Self {
            transport: builder.build(),
            shown: shown(url),
            default_from,
        })
    }

    /// The server, for screens and logs: never its user or password.
    pub fn server(&self) -> &str {
        &self.shown
    }

    /// The sender used when the pool names none.
    pub fn default_from(&self) -> String {
        self.default_from.to_string()
    }

    /// Sends `mail`; the server's answer ("250 OK ...") when it took it.
    pub async fn send(&self, mail: &Mail) -> Result<String, SendError> {
        let message = self.message(mail)?;
        match self.transport.send(message).await {
            Ok(response) => Ok(format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) => Err(SendError {
                message: describe(&e),
                permanent: e.is_permanent(),
            }),
        }
    }

    fn message(&self, mail: &Mail) -> Result<Message, SendError> {
        let refused = |what: &str, value: &str, e: &dyn std::fmt::Display| SendError {
            message: format!("{what} {value:?} is not an email address ({e})"),
            permanent: true,
        };
        let from = match &mail.from {
            Some(f) => f.parse::<Mailbox>().map_err(|e| refused("From", f, &e))?,
            None => self.default_from.clone(),
        };
        let to = mail
            .to
            .parse::<Mailbox>()
            .map_err(|e| refused("To", &mail.to, &e))?;
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_HTML);
        if let Some(r) = &mail.reply_to {
            builder = builder.reply_to(
                r.parse::<Mailbox>()
                    .map_err(|e| refused("Reply-To", r, &e))?,
            );
        }
        builder.body(mail.html.clone()).map_err(|e| SendError {
            message: format!("cannot build the message: {e}"),
            permanent: true,
        })
    }
}

/// lettre's error with its causes ("Connection error: Connection refused (os error 111)").
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// The URL without its user and password (`smtp://host:1025`).
fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(not a URL)".into();
    };
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let rest = rest.split(['?', '/']).next().unwrap_or_default();
    format!("{scheme}://{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> RelaySettings {
        RelaySettings {
            url: url.into(),
            ..RelaySettings::default()
        }
    }

    #[test]
    fn the_server_is_shown_without_its_secrets() {
        assert_eq!(
            shown("smtps://me:pw@mail.example.com:465"),
            "smtps://mail.example.com:465"
        );
        assert_eq!(
            shown("smtp://127.0.0.1:1025?tls=required"),
            "smtp://127.0.0.1:1025"
        );
        assert_eq!(shown("mail.example.com"), "(not a URL)");
        let relay = Relay::new(&settings("smtp://u:secret@127.0.0.1:1025")).expect("relay");
        assert!(!format!("{relay:?}").contains("secret"));
        assert_eq!(relay.server(), "smtp://127.0.0.1:1025");
        assert_eq!(relay.default_from(), COGNITO_SENDER);
    }

    #[test]
    fn bad_settings_say_what_is_wrong() {
        let err = |s: RelaySettings| Relay::new(&s).expect_err("refused");
        assert!(err(settings("http://x:25")).contains("scheme"));
        assert!(err(settings("mail.example.com:25")).contains("not a URL"));
        assert!(err(settings("smtp://")).contains("no host"));
        let mut s = settings("smtp://127.0.0.1:25");
        s.user = Some("me".into());
        assert!(err(s.clone()).contains("password"));
        s.user = None;
        s.from = Some("not an address".into());
        assert!(err(s).contains("--smtp-from"));
    }

    #[test]
    fn headers_are_cognitos() {
        let relay = Relay::new(&settings("smtp://127.0.0.1:1025")).expect("relay");
        let mail = Mail {
            from: Some("Team <team@example.com>".into()),
            reply_to: Some("help@example.com".into()),
            to: "jane@example.com".into(),
            subject: "Your temporary password".into(),
            html: "Hello jane,<br>your code is 123456".into(),
        };
        let text =
            String::from_utf8(relay.message(&mail).expect("message").formatted()).expect("utf-8");
        for header in [
            "From: Team <team@example.com>",
            "Reply-To: help@example.com",
            "To: jane@example.com",
            "Subject: Your temporary password",
            "Content-Type: text/html; charset=utf-8",
        ] {
            assert!(text.contains(header), "{header} in {text}");
        }
        let bad = Mail {
            to: "nobody".into(),
            ..mail
        };
        let e = relay.message(&bad).expect_err("refused");
        assert!(e.permanent && e.message.contains("To"), "{e:?}");
    }
}
