//! A user's details: status, dates, their groups (loaded for this user only) and every
//! attribute; and the place to act on them. A cursor walks the lines (the page scrolls
//! to keep it in view); `y` copies the value on its line: the username, the sub, any
//! attribute, a group list, a message's destination.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::membership::Membership;
use super::{SCROLL, Ui, centered, frame, step};
use crate::client::ClientError;
use crate::console::action::{Action, Command};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Changed, Env, Outcome, Owner, Step};
use crate::console::theme::Theme;
use crate::console::user_actions;
use crate::pool::User;
use crate::pool::group::Group;
use crate::pool::message::{MessageState, SentMessage};
use crate::pool::when::date_time;

/// The user's groups, as far as they are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserGroups {
    Loading,
    Loaded(Vec<Group>),
    Failed(String),
}

/// The messages the store sent the user, as far as they are known.
#[derive(Debug, Clone, PartialEq)]
pub enum UserMessages {
    Loading,
    Loaded(Vec<SentMessage>),
    /// Cognito sends its own and keeps nothing the console can read.
    NotKept,
    Failed(String),
}

#[derive(Debug)]
pub struct UserDetail {
    pub user: Box<User>,
    pub groups: UserGroups,
    pub messages: UserMessages,
    /// The line the cursor is on.
    pub cursor: usize,
}

/// A line's value, for `y`: what it is (said on the status line) and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub what: String,
    pub text: String,
}

impl UserDetail {
    pub fn new(user: User) -> Self {
        Self {
            user: Box::new(user),
            groups: UserGroups::Loading,
            messages: UserMessages::Loading,
            cursor: 0,
        }
    }

    /// The value on the cursor's line, if it holds one.
    pub fn value_here(&self) -> Option<Value> {
        self.lines(&Theme { color: false })
            .into_iter()
            .nth(self.cursor)
            .and_then(|(_, v)| v)
    }

    pub fn groups_loaded(&mut self, result: Result<Vec<Group>, ClientError>) {
        self.groups = match result {
            Ok(groups) => UserGroups::Loaded(groups),
            Err(e) => UserGroups::Failed(e.to_string()),
        };
    }

    pub fn messages_loaded(&mut self, result: Result<Option<Vec<SentMessage>>, ClientError>) {
        self.messages = match result {
            Ok(Some(messages)) => UserMessages::Loaded(messages),
            Ok(None) => UserMessages::NotKept,
            Err(e) => UserMessages::Failed(e.to_string()),
        };
    }

    /// The user as read again from Cognito.
    pub fn reloaded(&mut self, user: User) {
        if user.username == self.user.username {
            *self.user = user;
        }
    }
}

impl Owner for UserDetail {
    /// Scrolling, back, and every action that applies to the user shown.
    fn commands(&self, _env: &Env) -> Vec<Command> {
        let mut c = SCROLL.to_vec();
        c.extend([Command::Back, Command::Copy, Command::Raw]);
        c.extend(user_actions::commands(&self.user));
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if matches!(command, Command::JoinGroup | Command::LeaveGroup) {
            // The same picker as from the list.
            return Membership::open_for_user(
                &self.user.username,
                command == Command::JoinGroup,
                env,
            );
        }
        if user_actions::is_action(command) {
            return user_actions::act(&self.user, command, env);
        }
        if let Some(by) = step(command, 10) {
            let last = self.lines(&Theme { color: false }).len().saturating_sub(1) as isize;
            self.cursor = (self.cursor as isize + by).clamp(0, last) as usize;
            return Outcome::done();
        }
        match command {
            Command::Raw => super::raw_view::RawView::open(
                crate::client::raw::RawOf::User(self.user.username.clone()),
                env,
            ),
            Command::Copy => match self.value_here() {
                Some(Value { what, text }) => Outcome::one(Step::Copy { text, what }),
                None => Outcome::error("nothing to copy on this line: move to a value (j, k)"),
            },
            Command::Back => Outcome::one(Step::Close),
            _ => Outcome::Ignored,
        }
    }

    fn chain(&self) -> Vec<Context> {
        // The details take the Users list's keys for acting on this user, first: the key
        // bar shows those actions before the popup's own keys (each key the two contexts
        // both bind means the same here, or nothing the details answer).
        vec![Context::Users, Context::Popup]
    }

    fn why_not(&self, command: Command) -> Option<String> {
        user_actions::why_not(&self.user, command)
    }

    /// What is read of this user comes here, and a change to them is read again (it may
    /// have sent a message: a new invitation, a reset code); a deleted user's details
    /// close.
    fn observe(&mut self, result: &Action, env: &Env) -> Vec<Step> {
        let me = self.user.username.as_str();
        match result {
            Action::UserLoaded(Ok(user)) => self.reloaded(user.clone()),
            Action::UserGroupsLoaded { username, result } if username == me => {
                self.groups_loaded(result.clone())
            }
            Action::UserMessagesLoaded { username, result } if username == me => {
                self.messages_loaded(result.clone())
            }
            Action::UserChanged {
                change,
                result: Ok(()),
            } if change.username() == me && change.removes_user() => return vec![Step::Close],
            Action::UserChanged {
                change,
                result: Ok(()),
            } if change.username() == me => {
                let (Some(client), Some(pool)) = (env.client, env.pool_id) else {
                    return Vec::new();
                };
                let (client, pool, me) = (client.clone(), pool.to_string(), me.to_string());
                return vec![
                    Step::Run(Effect::UserMessages(
                        client.clone(),
                        pool.clone(),
                        me.clone(),
                    )),
                    Step::Run(Effect::GetUser(client, pool, me)),
                ];
            }
            _ => {}
        }
        Vec::new()
    }

    fn refresh(&mut self, changed: Changed, env: &Env) -> Vec<Effect> {
        let username = self.user.username.clone();
        match changed {
            Changed::Groups => env
                .call(|c, pool| Effect::UserGroups(c, pool, username))
                .into_iter()
                .collect(),
            Changed::Users => Vec::new(),
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let rect = centered(area, 90, area.height.saturating_sub(2));
        let inner = frame(rect, buf, theme, &format!("User {}", self.user.username));
        let mut lines: Vec<Line> = self.lines(theme).into_iter().map(|(l, _)| l).collect();
        if let Some(line) = lines.get_mut(self.cursor) {
            *line = line.clone().patch_style(theme.selected());
        }
        // Scrolled just enough to keep the cursor's line (as wrapped) in view.
        let width = inner.width.max(1);
        let rows = |line: &Line| {
            Paragraph::new(line.clone())
                .wrap(Wrap { trim: false })
                .line_count(width)
                .max(1)
        };
        let before: usize = lines.iter().take(self.cursor).map(rows).sum();
        let end = before + lines.get(self.cursor).map_or(1, rows);
        let scroll = end.saturating_sub(usize::from(inner.height)).min(before);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0))
            .render(inner, buf);
    }
}

impl UserDetail {
    /// Every line of the page, each with the value `y` copies from it.
    fn lines(&self, theme: &Theme) -> Vec<(Line<'static>, Option<Value>)> {
        let user = &self.user;
        let row = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("{label:<24} "), theme.muted()),
                Span::raw(crate::pool::printable::field(&value).into_owned()),
            ])
        };
        let copy = |what: String, text: &str| {
            Some(Value {
                what,
                text: text.to_string(),
            })
        };
        let mut lines = vec![
            (
                row("Username", user.username.clone()),
                copy(format!("the username {}", user.username), &user.username),
            ),
            (
                row(
                    "Enabled",
                    if user.enabled { "Enabled" } else { "Disabled" }.into(),
                ),
                None,
            ),
            (
                row(
                    "Account status",
                    user.status.map_or("-", |s| s.as_str()).into(),
                ),
                None,
            ),
            (
                row(
                    "MFA",
                    match &user.mfa {
                        None => "reading…".into(),
                        Some(mfa) if mfa.enabled.is_empty() => "none".into(),
                        Some(mfa) => user_actions::reset_mfa::factors(mfa),
                    },
                ),
                None,
            ),
            (
                row("Created", user.created.map(date_time).unwrap_or_default()),
                None,
            ),
            (
                row(
                    "Last modified",
                    user.last_modified.map(date_time).unwrap_or_default(),
                ),
                None,
            ),
            match &self.groups {
                UserGroups::Loading => (row("Groups", "loading…".into()), None),
                UserGroups::Loaded(g) if g.is_empty() => (row("Groups", "none".into()), None),
                UserGroups::Loaded(g) => {
                    let names = g
                        .iter()
                        .map(|g| g.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    (
                        row("Groups", names.clone()),
                        copy(format!("{}'s groups", user.username), &names),
                    )
                }
                UserGroups::Failed(e) => (
                    Line::from(vec![
                        Span::styled(format!("{:<24} ", "Groups"), theme.muted()),
                        Span::styled(format!("could not be listed: {e}"), theme.error()),
                    ]),
                    None,
                ),
            },
            (
                match &self.messages {
                    UserMessages::Loading => row("Messages", "reading…".into()),
                    UserMessages::Loaded(m) if m.is_empty() => row("Messages", "none sent".into()),
                    UserMessages::Loaded(m) => row(
                        "Messages",
                        format!(
                            "{} message{}, the newest {} (below)",
                            m.len(),
                            if m.len() == 1 { "" } else { "s" },
                            m[0].state.word()
                        ),
                    ),
                    UserMessages::NotKept => {
                        row("Messages", "sent by Cognito; not kept here".into())
                    }
                    UserMessages::Failed(e) => Line::from(vec![
                        Span::styled(format!("{:<24} ", "Messages"), theme.muted()),
                        Span::styled(format!("could not be read: {e}"), theme.error()),
                    ]),
                },
                None,
            ),
            (Line::default(), None),
            (Line::styled("Attributes", theme.title()), None),
        ];
        for a in &user.attributes {
            lines.push((
                row(&a.name, a.value.clone()),
                copy(format!("{} of {}", a.name, user.username), &a.value),
            ));
        }
        if let UserMessages::Loaded(messages) = &self.messages
            && !messages.is_empty()
        {
            lines.push((Line::default(), None));
            lines.push((
                Line::styled("Messages sent, newest first", theme.title()),
                None,
            ));
            for m in messages {
                let to = m
                    .destination
                    .as_deref()
                    .and_then(|d| copy(format!("the address {d}"), d));
                for (i, line) in message_lines(m, theme).into_iter().enumerate() {
                    lines.push((line, if i == 0 { to.clone() } else { None }));
                }
            }
        }
        lines
    }
}

/// A message in three lines: when, how and to where; what became of it; its subject.
fn message_lines(m: &SentMessage, theme: &Theme) -> Vec<Line<'static>> {
    use crate::pool::printable::field;
    let state_style = match m.state {
        MessageState::Failed { .. } | MessageState::NotDelivered { .. } => theme.error(),
        MessageState::Sent { .. } => theme.ok(),
        _ => theme.muted(),
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} ", date_time(m.created)), theme.muted()),
            Span::raw(format!(
                "{} to {}",
                m.medium,
                field(m.destination.as_deref().unwrap_or("-"))
            )),
        ]),
        Line::styled(format!("  {}", field(&m.state.describe())), state_style),
    ];
    if let Some(subject) = &m.subject {
        lines.push(Line::raw(format!("  Subject: {}", field(subject))));
    }
    lines
}
