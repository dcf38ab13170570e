//! The audit log's vocabulary: who used the console, and what they changed through it.
//! Pure: the store keeps the entries (`local::db::audit`), the console writes them before and
//! after each change (`client::audit`), `cognito-console audit` and the console read them.
//!
//! A change is written down *before* it is made (pending) and its outcome after, so a
//! console killed in between leaves an entry that says it may have happened, never a
//! change with no entry. No password, code or token is ever part of an entry: what
//! goes in is built from the change's description, in which a password is only "set".

use std::time::SystemTime;

use super::printable::field;
use super::when::date_time;

/// Who is at the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    /// The comment of the SSH key they signed in with, or the local account's name.
    pub name: String,
    /// The SHA-256 fingerprint of that key (`SHA256:...`, as `ssh-keygen -l` prints it).
    pub key_fingerprint: Option<String>,
    /// Where they came from: `ssh 192.0.2.7:50412`, or `local`.
    pub origin: String,
    pub read_only: bool,
}

impl Admin {
    /// Someone at this machine's own terminal, known by their account.
    pub fn local(name: impl Into<String>, read_only: bool) -> Self {
        Self {
            name: name.into(),
            key_fingerprint: None,
            origin: "local".into(),
            read_only,
        }
    }

    /// The account running a subcommand (`export`, `import`) on this machine.
    pub fn command_line(name: impl Into<String>, read_only: bool) -> Self {
        Self {
            origin: "command line".into(),
            ..Self::local(name, read_only)
        }
    }

    /// "ana (SHA256:q8f…) from ssh 127.0.0.1:50412", for a line.
    pub fn describe(&self) -> String {
        match &self.key_fingerprint {
            Some(key) => format!("{} ({key}) from {}", field(&self.name), self.origin),
            None => format!("{} from {}", field(&self.name), self.origin),
        }
    }
}

/// What an entry is about: a change to a pool, or a session beginning or ending.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    pub pool_id: Option<String>,
    /// The user it changes, if it changes one.
    pub username: Option<String>,
    /// What was done, in a few words: "create user", "update pool", "sign in".
    pub action: String,
    /// What changed, a line each: "email: ana@example.com", "minimum length: 8 → 12".
    pub details: Vec<String>,
}

impl Change {
    pub fn new(action: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            ..Self::default()
        }
    }

    pub fn in_pool(mut self, pool_id: impl Into<String>) -> Self {
        self.pool_id = Some(pool_id.into());
        self
    }

    pub fn of_user(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    pub fn detail(mut self, line: impl Into<String>) -> Self {
        self.details.push(line.into());
        self
    }

    pub fn details(mut self, lines: impl IntoIterator<Item = String>) -> Self {
        self.details.extend(lines);
        self
    }
}

/// The action of a session's first entry.
pub const SIGN_IN: &str = "sign in";
/// The action of a session's last entry.
pub const SIGN_OUT: &str = "sign out";

/// What became of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written down, not answered yet (or the console stopped before it could say).
    Pending,
    /// Made; what the service answered, when it said something worth keeping.
    Done(String),
    /// Refused: why.
    Refused(String),
    /// The session ended while it ran: it may or may not have been made.
    Abandoned(String),
}

impl Outcome {
    /// One word, as the store keeps it: pending, done, refused, abandoned.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done(_) => "done",
            Self::Refused(_) => "refused",
            Self::Abandoned(_) => "abandoned",
        }
    }

    /// What was said with it.
    pub fn text(&self) -> &str {
        match self {
            Self::Pending => "",
            Self::Done(t) | Self::Refused(t) | Self::Abandoned(t) => t,
        }
    }

    /// The outcome the store kept as `word` and `text`; an unknown word reads as pending.
    pub fn from_parts(word: &str, text: String) -> Self {
        match word {
            "done" => Self::Done(text),
            "refused" => Self::Refused(text),
            "abandoned" => Self::Abandoned(text),
            _ => Self::Pending,
        }
    }

    /// "done", "refused: UsernameExistsException: ...", for a line.
    pub fn describe(&self) -> String {
        match self {
            Self::Pending => "pending: no outcome was recorded".into(),
            Self::Done(t) if t.is_empty() => "done".into(),
            Self::Done(t) => format!("done: {t}"),
            Self::Refused(t) => format!("refused: {t}"),
            Self::Abandoned(t) => format!("abandoned: {t}"),
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: SystemTime,
    /// The console session it belongs to (one per sign-in).
    pub session: String,
    pub admin: Admin,
    pub change: Change,
    pub outcome: Outcome,
    /// When the outcome was recorded.
    pub finished: Option<SystemTime>,
}

impl Entry {
    /// One line: time, who, what, where, and how it ended. Stored text is escaped, so a
    /// username holding control characters cannot drive the terminal it is printed on.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{}  {}  {}",
            date_time(self.at),
            field(&self.admin.name),
            self.change.action
        );
        if let Some(user) = &self.change.username {
            line.push(' ');
            line.push_str(&field(user));
        }
        if let Some(pool) = &self.change.pool_id {
            line.push_str(&format!(" in {}", field(pool)));
        }
        line.push_str(&format!("  [{}]", self.outcome.word()));
        line
    }
}

/// Which entries to read, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// Only this admin's (the key comment or account name, exactly).
    pub admin: Option<String>,
    pub pool_id: Option<String>,
    pub username: Option<String>,
    /// Only entries older than this one (the next page).
    pub before: Option<i64>,
    pub limit: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_round_trip_through_their_words() {
        for o in [
            Outcome::Pending,
            Outcome::Done("FORCE_CHANGE_PASSWORD".into()),
            Outcome::Refused("UsernameExistsException: taken".into()),
            Outcome::Abandoned("the connection closed".into()),
        ] {
            assert_eq!(Outcome::from_parts(o.word(), o.text().to_string()), o);
        }
        assert_eq!(Outcome::from_parts("???", String::new()), Outcome::Pending);
        assert_eq!(Outcome::Done(String::new()).describe(), "done");
    }

    #[test]
    fn a_line_escapes_what_was_stored() {
        let entry = Entry {
            id: 1,
            at: SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_426_200),
            session: "s".into(),
            admin: Admin {
                name: "ana\u{1b}[2J".into(),
                key_fingerprint: Some("SHA256:abc".into()),
                origin: "ssh 127.0.0.1:5000".into(),
                read_only: false,
            },
            change: Change::new("delete user")
                .in_pool("local_demo")
                .of_user("bob\r"),
            outcome: Outcome::Done(String::new()),
            finished: None,
        };
        let line = entry.line();
        assert!(!line.contains('\u{1b}') && !line.contains('\r'), "{line}");
        assert!(
            line.contains("delete user bob\\u{d} in local_demo  [done]"),
            "{line}"
        );
        assert_eq!(
            entry.admin.describe(),
            "ana\\u{1b}[2J (SHA256:abc) from ssh 127.0.0.1:5000"
        );
    }
}
