//! A group's members, paged in from ListUsersInGroup as the cursor nears the end, with
//! a member to add (by username or alias) and the one under the cursor to remove (asked
//! first).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::confirm::Confirm;
use super::membership::Membership;
use super::{SCROLL, Ui, centered, frame};
use crate::client::{ClientError, UserPage};
use crate::console::action::{Action, Command, Confirmed, GroupChange};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Changed, Env, Outcome, Owner, Step};
use crate::pool::User;

#[derive(Debug)]
pub struct GroupMembers {
    pub group: String,
    pub users: Vec<User>,
    /// The token of the next page; None once the last page is in.
    next: Option<String>,
    pub loading: bool,
    pub complete: bool,
    pub error: Option<String>,
    pub selected: usize,
}

impl GroupMembers {
    pub fn new(group: &str) -> Self {
        Self {
            group: group.to_string(),
            users: Vec::new(),
            next: None,
            loading: false,
            complete: false,
            error: None,
            selected: 0,
        }
    }

    /// Asks for the next page (the first, when nothing is loaded).
    pub fn fetch(&mut self, env: &Env) -> Option<Effect> {
        if self.loading || self.complete {
            return None;
        }
        let (client, pool_id) = (env.client?.clone(), env.pool_id?.to_string());
        self.loading = true;
        Some(Effect::GroupMembers {
            client,
            pool_id,
            group: self.group.clone(),
            next: self.next.clone(),
        })
    }

    /// Loads the members again from the first page (after a change).
    pub fn reload(&mut self, env: &Env) -> Option<Effect> {
        *self = Self {
            selected: self.selected,
            ..Self::new(&self.group)
        };
        self.fetch(env)
    }

    pub fn answered(&mut self, result: Result<UserPage, ClientError>, env: &Env) -> Vec<Step> {
        self.loading = false;
        match result {
            Ok(page) => {
                self.users.extend(page.users);
                self.complete = page.next.is_none();
                self.next = page.next;
                self.error = None;
                self.selected = self.selected.min(self.users.len().saturating_sub(1));
                self.more(env)
            }
            Err(e) => {
                self.error = Some(e.to_string());
                vec![Step::Error(format!(
                    "cannot list the members of {}: {e}",
                    self.group
                ))]
            }
        }
    }

    /// The next page, when the cursor is within a screen of the end.
    fn more(&mut self, env: &Env) -> Vec<Step> {
        if self.selected + 20 >= self.users.len() {
            self.fetch(env).map(Step::Run).into_iter().collect()
        } else {
            Vec::new()
        }
    }

    pub fn selected_user(&self) -> Option<&User> {
        self.users.get(self.selected)
    }
}

impl Owner for GroupMembers {
    fn commands(&self, _env: &Env) -> Vec<Command> {
        let mut c = SCROLL.to_vec();
        c.extend([Command::AddMember, Command::Back]);
        if self.selected_user().is_some() {
            c.push(Command::RemoveMember);
        }
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        let last = self.users.len().saturating_sub(1);
        match command {
            Command::Back => return Outcome::one(Step::Close),
            Command::Down => self.selected = (self.selected + 1).min(last),
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::PageDown => self.selected = (self.selected + 10).min(last),
            Command::PageUp => self.selected = self.selected.saturating_sub(10),
            Command::Top => self.selected = 0,
            Command::Bottom => self.selected = last,
            Command::AddMember => {
                return Outcome::one(Step::Open(Box::new(Membership::user_to(&self.group))));
            }
            Command::RemoveMember => {
                let Some(user) = self.selected_user() else {
                    return Outcome::done();
                };
                return Outcome::one(Step::Open(Box::new(Confirm {
                    title: format!("Remove {} from {}?", user.username, self.group),
                    lines: vec![
                        "The user stays in the pool; their next tokens no longer name this group."
                            .into(),
                    ],
                    then: Confirmed::Group(GroupChange::Membership {
                        username: user.username.clone(),
                        group: self.group.clone(),
                        add: false,
                    }),
                })));
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Handled(self.more(env))
    }

    fn answer(&mut self, result: &Action, env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::GroupMembersLoaded { group, result } if *group == self.group => {
                Some(self.answered(result.clone(), env))
            }
            _ => None,
        }
    }

    fn refresh(&mut self, changed: Changed, env: &Env) -> Vec<Effect> {
        match changed {
            Changed::Groups => self.reload(env).into_iter().collect(),
            Changed::Users => Vec::new(),
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let rect = centered(area, 90, area.height.saturating_sub(2));
        let title = format!(
            "Members of {} ({})",
            self.group,
            ui.hint(
                Context::Popup,
                &[
                    (Command::AddMember, "adds"),
                    (Command::RemoveMember, "removes"),
                    (Command::Back, "closes")
                ]
            )
        );
        let inner = frame(rect, buf, theme, &title);
        let mut lines = vec![Line::styled(
            match (&self.error, self.loading, self.complete) {
                (Some(e), _, _) => format!("Could not list the members: {e}"),
                (None, true, _) => format!("{} members so far, loading…", self.users.len()),
                (None, false, true) if self.users.is_empty() => "No members yet.".to_string(),
                (None, false, true) => format!("{} members", self.users.len()),
                (None, false, false) => format!("{}+ members, more below", self.users.len()),
            },
            if self.error.is_some() {
                theme.error()
            } else {
                theme.muted()
            },
        )];
        let rows = usize::from(inner.height.saturating_sub(1)).max(1);
        let first = self.selected.saturating_sub(rows - 1);
        for (i, u) in self.users.iter().enumerate().skip(first).take(rows) {
            let style = if i == self.selected {
                theme.selected()
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{:<32} ", u.username), style),
                Span::styled(
                    format!(
                        "{:<22} {}",
                        u.status.map_or("-", |s| s.as_str()),
                        u.attribute("email").unwrap_or("-")
                    ),
                    style,
                ),
            ]));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
