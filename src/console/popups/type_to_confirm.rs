//! Deleting a user, a group or an app client cannot be undone: the admin types its name
//! to confirm.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::confirm::step;
use super::{Ui, centered, frame};
use crate::console::action::{Command, Confirmed, GroupChange, UserChange};
use crate::console::client_change::ClientChange;
use crate::console::domain_change::DomainChange;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::type_line;
use crate::pool::domain::ResourceServer;

/// What is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    Group,
    AppClient,
    Domain,
    ResourceServer,
    /// Several users at once: their count is typed.
    Users,
}

#[derive(Debug)]
pub struct TypeToConfirm {
    /// The user's, the group's or the client's name.
    pub username: String,
    pub kind: Kind,
    pub typed: String,
    pub error: Option<String>,
    /// The deletion, made once the name is typed.
    then: Confirmed,
}

impl TypeToConfirm {
    /// Deleting the user `username` by `change`.
    pub fn user(username: String, change: UserChange) -> Self {
        Self {
            username,
            kind: Kind::User,
            typed: String::new(),
            error: None,
            then: Confirmed::User(change),
        }
    }

    /// Deleting the group `name`.
    pub fn group(name: String) -> Self {
        Self {
            username: name.clone(),
            kind: Kind::Group,
            typed: String::new(),
            error: None,
            then: Confirmed::Group(GroupChange::Delete { name }),
        }
    }

    /// Deleting the app client `name`.
    pub fn app_client(name: String, client_id: String) -> Self {
        Self {
            username: name.clone(),
            kind: Kind::AppClient,
            typed: String::new(),
            error: None,
            then: Confirmed::Client(Box::new(ClientChange::Delete { client_id, name })),
        }
    }

    /// Deleting the pool's domain: its prefix typed.
    pub fn domain(prefix: String) -> Self {
        Self {
            username: prefix.clone(),
            kind: Kind::Domain,
            typed: String::new(),
            error: None,
            then: Confirmed::Domain(Box::new(DomainChange::DeleteDomain { prefix })),
        }
    }

    /// Deleting the `n` marked users by `work`: the number typed.
    pub fn users(n: usize, work: crate::console::bulk_work::Work) -> Self {
        Self {
            username: n.to_string(),
            kind: Kind::Users,
            typed: String::new(),
            error: None,
            then: Confirmed::Bulk(work),
        }
    }

    /// Deleting a resource server: its identifier typed.
    pub fn resource_server(server: ResourceServer) -> Self {
        Self {
            username: server.identifier.clone(),
            kind: Kind::ResourceServer,
            typed: String::new(),
            error: None,
            then: Confirmed::Domain(Box::new(DomainChange::DeleteServer(server))),
        }
    }

    fn what(&self) -> &'static str {
        match self.kind {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::AppClient => "app client",
            Kind::Domain => "domain",
            Kind::ResourceServer => "resource server",
            Kind::Users => "users",
        }
    }

    /// What is typed: a name, or a domain's prefix, or a server's identifier.
    fn typed_what(&self) -> &'static str {
        match self.kind {
            Kind::User => "user's name",
            Kind::Group => "group's name",
            Kind::AppClient => "app client's name",
            Kind::Domain => "domain's prefix",
            Kind::ResourceServer => "resource server's identifier",
            Kind::Users => "number of users",
        }
    }
}

impl Owner for TypeToConfirm {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        vec![Command::Save, Command::Back]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        let used = type_line(&mut self.typed, key);
        if used {
            self.error = None;
        }
        used
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Save if self.typed == self.username => match step(self.then.clone(), env) {
                Ok(step) => Outcome::steps([Step::Close, step]),
                Err(why) => Outcome::error(why),
            },
            Command::Save => {
                self.error = Some(format!(
                    "that is not the {}; nothing was deleted",
                    self.typed_what()
                ));
                Outcome::done()
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let rect = centered(area, 76, 8);
        let inner = frame(rect, buf, theme, &format!("Delete {}", self.what()));
        let hint = ui.hint(
            Context::Form,
            &[(Command::Save, "deletes"), (Command::Back, "cancels")],
        );
        let mut lines = vec![
            Line::raw(match self.kind {
                Kind::Group => format!(
                    "Delete the group {}? Its members stay in the pool. This cannot be undone.",
                    self.username
                ),
                Kind::AppClient => format!(
                    "Delete the app client {}? Apps using it can no longer sign in, and its \
                     refresh tokens stop working. This cannot be undone.",
                    self.username
                ),
                Kind::Domain => format!(
                    "Delete the domain {}? Its managed login and OAuth 2.0 endpoints stop \
                     answering, and apps signing users in there fail.",
                    self.username
                ),
                Kind::ResourceServer => format!(
                    "Delete the resource server {}? Its scopes go with it: new tokens no \
                     longer carry them. This cannot be undone.",
                    self.username
                ),
                Kind::User => format!("Delete {}? This cannot be undone.", self.username),
                Kind::Users => format!(
                    "Delete {} users, each with their attributes, groups and sign-ins? This \
                     cannot be undone.",
                    self.username
                ),
            }),
            Line::raw(format!(
                "Type the {} to confirm ({hint}):",
                self.typed_what()
            )),
            Line::from(vec![
                Span::styled("> ", theme.key()),
                Span::raw(format!("{}▏", self.typed)),
            ]),
        ];
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("✗ {e}"), theme.error()));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
