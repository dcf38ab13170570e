//! The Users tab: browse the pool a window at a time, search on the server, open a user,
//! and act on the one under the cursor (each change confirmed first). This file owns
//! the tab's keys and the answers to its calls; `window` keeps the rows, `view` draws.

mod view;
mod window;

use std::time::Duration;

pub use view::{CHROME, Shown, date, date_time, thousands};
pub use window::{PAGE, PREFETCH, PageMark, UsersTab, WINDOW};

use super::super::action::{Command, Confirmed, UserChange};
use super::super::effect::Effect;
use super::super::outcome::{Env, Outcome, Step};
use super::super::popups::Popup;
use super::super::popups::confirm::Confirm;
use super::super::popups::search::Search;
use super::super::popups::set_password::SetPassword;
use super::super::popups::try_sign_in::TrySignIn;
use super::super::popups::type_to_confirm::TypeToConfirm;
use super::super::popups::user_detail::UserDetail;
use crate::client::{ClientError, ErrorKind, UserPage};
use crate::pool::{DeliveryMedium, MessageAction, NewUser, UserStatus};

impl UsersTab {
    /// The commands the tab answers now, given the user under the cursor.
    pub fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        if env.pool.is_none() {
            return Vec::new();
        }
        let mut c = vec![Down, Up, PageDown, PageUp, Top, Bottom, Search, CreateUser];
        if let Some(user) = self.selected_user() {
            c.extend([
                Open,
                TrySignIn,
                SetPassword,
                SignOut,
                ToggleEnabled,
                DeleteUser,
            ]);
            // Cognito sends the invitation again only to users who have not signed in.
            if user.status == Some(UserStatus::ForceChangePassword) {
                c.push(Resend);
            }
        }
        if self.filter.is_some() || self.seeking_end {
            c.push(Back);
        }
        c
    }

    /// Why a command of the tab does nothing for the user under the cursor.
    pub fn why_not(&self, command: Command) -> Option<String> {
        let user = self.selected_user()?;
        match command {
            Command::Resend if user.status != Some(UserStatus::ForceChangePassword) => {
                Some(format!(
                    "{} is {}: Cognito sends the invitation again only to users who have not \
                     signed in yet (FORCE_CHANGE_PASSWORD)",
                    user.username,
                    user.status.map_or("-", |s| s.as_str())
                ))
            }
            _ => None,
        }
    }

    pub fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if !self.commands(env).contains(&command) {
            return Outcome::Ignored;
        }
        let mut steps = Vec::new();
        match command {
            Command::Down => self.move_by(1),
            Command::Up => self.move_by(-1),
            Command::PageDown => self.move_by(self.viewport.max(1) as isize),
            Command::PageUp => self.move_by(-(self.viewport.max(1) as isize)),
            Command::Top => self.to_top(),
            Command::Bottom => {
                self.to_last_loaded();
                self.seeking_end = !self.complete;
            }
            Command::Back if self.seeking_end => {
                self.seeking_end = false;
                steps.push(Step::Info("stopped before the last user".into()));
            }
            Command::Back => steps.push(Step::Search(None)),
            Command::Search => steps.push(Step::Open(Popup::Search(Box::new(Search::new(
                self.filter.as_ref(),
            ))))),
            Command::CreateUser => steps.push(Step::Open(Popup::CreateUser(Box::default()))),
            Command::Open => return self.open(env),
            Command::TrySignIn => return self.try_sign_in(env),
            Command::SetPassword => {
                if let (Some(user), Some(pool)) = (self.selected_user(), env.pool) {
                    steps.push(Step::Open(Popup::SetPassword(Box::new(SetPassword::new(
                        &user.username,
                        pool.config.password_policy.clone(),
                    )))));
                }
            }
            Command::Resend | Command::ToggleEnabled | Command::DeleteUser | Command::SignOut => {
                return self.ask(command);
            }
            _ => return Outcome::Ignored,
        }
        steps.extend(self.fetch(env).map(Step::Run));
        Outcome::Handled(steps)
    }

    fn open(&mut self, env: &Env) -> Outcome {
        let Some(user) = self.selected_user().cloned() else {
            return Outcome::done();
        };
        let username = user.username.clone();
        let mut steps = vec![Step::Open(Popup::UserDetail(UserDetail::new(user)))];
        if let Ok(effect) = env.call(|client, pool| Effect::GetUser(client, pool, username)) {
            steps.push(Step::Run(effect));
        }
        Outcome::Handled(steps)
    }

    fn try_sign_in(&mut self, env: &Env) -> Outcome {
        let (Some(user), Some(pool)) = (self.selected_user(), env.pool) else {
            return Outcome::done();
        };
        let popup = TrySignIn::new(
            &user.username,
            pool.config.password_policy.clone(),
            user.status == Some(UserStatus::ForceChangePassword),
        );
        match env.call(Effect::SignInClients) {
            Ok(effect) => Outcome::steps([
                Step::Open(Popup::TrySignIn(Box::new(popup))),
                Step::Run(effect),
            ]),
            Err(why) => Outcome::error(why),
        }
    }

    /// Resend, enable/disable and delete ask first; delete wants the username typed.
    fn ask(&self, command: Command) -> Outcome {
        let Some(user) = self.selected_user().cloned() else {
            return Outcome::done();
        };
        let username = user.username.clone();
        let popup = match command {
            Command::Resend => {
                let mut mediums = Vec::new();
                if user.attribute("phone_number").is_some() {
                    mediums.push(DeliveryMedium::Sms);
                }
                if user.attribute("email").is_some() {
                    mediums.push(DeliveryMedium::Email);
                }
                if mediums.is_empty() {
                    return Outcome::error(format!(
                        "{username} has no email or phone number to send the invitation to"
                    ));
                }
                let to: Vec<&str> = mediums.iter().map(|m| m.as_str()).collect();
                let lines = vec![
                    format!("A new temporary password goes out by {}.", to.join(" and ")),
                    "The old one stops working and the expiry starts again.".into(),
                ];
                let request = NewUser {
                    username: username.clone(),
                    message_action: Some(MessageAction::Resend),
                    desired_delivery_mediums: mediums,
                    ..Default::default()
                };
                Popup::Confirm(Confirm {
                    title: format!("Resend the invitation to {username}?"),
                    lines,
                    then: Confirmed::User(UserChange::Resend(Box::new(request))),
                })
            }
            Command::ToggleEnabled => {
                let enabled = !user.enabled;
                let verb = if enabled { "Enable" } else { "Disable" };
                let line = if enabled {
                    "The user can sign in again."
                } else {
                    "The user can no longer sign in; nothing else changes."
                };
                Popup::Confirm(Confirm {
                    title: format!("{verb} {username}?"),
                    lines: vec![line.into()],
                    then: Confirmed::User(UserChange::SetEnabled { username, enabled }),
                })
            }
            Command::SignOut => Popup::Confirm(Confirm {
                title: format!("Sign {username} out everywhere?"),
                lines: vec![
                    "Every refresh token the user holds stops working: each app asks them to"
                        .into(),
                    "sign in again once its current tokens run out (an hour at most, by default)."
                        .into(),
                ],
                then: Confirmed::User(UserChange::SignOut { username }),
            }),
            _ => Popup::TypeToConfirm(TypeToConfirm::new(username)),
        };
        Outcome::one(Step::Open(popup))
    }

    /// The next page the window wants, if any, as a call to start.
    pub fn fetch(&mut self, env: &Env) -> Option<Effect> {
        if !self.wants_more() {
            return None;
        }
        let (client, pool) = (env.client?.clone(), env.pool_id?.to_string());
        let query = self.next_query()?;
        self.requests += 1;
        self.pending = Some(self.requests);
        self.in_flight = Some(query.clone());
        Some(Effect::ListUsers {
            client,
            request: self.requests,
            pool_id: pool,
            query,
        })
    }

    /// A page came back (or did not).
    pub fn answered(
        &mut self,
        request: u64,
        result: Result<UserPage, ClientError>,
        env: &Env,
    ) -> Vec<Step> {
        if self.pending != Some(request) {
            return Vec::new(); // an answer to a question no longer asked
        }
        match result {
            Ok(page) => {
                let mut steps = Vec::new();
                if self.throttled > 0 {
                    steps.push(Step::Info("throttling eased; paging goes on".into()));
                }
                self.loaded(page.users, page.next);
                steps.extend(self.fetch(env).map(Step::Run));
                steps
            }
            Err(e) if e.kind == ErrorKind::Throttled => self.retry(request, env),
            Err(e) => {
                self.pending = None;
                self.in_flight = None;
                self.throttled = 0;
                self.seeking_end = false;
                self.error = Some(e.to_string());
                vec![Step::Error(format!("cannot list users: {e}"))]
            }
        }
    }

    /// Cognito throttled the page after the SDK's own retries: ask again after a pause
    /// that doubles each time (0.5 s up to 8 s), saying so, so no page is ever skipped.
    fn retry(&mut self, request: u64, env: &Env) -> Vec<Step> {
        let Some(query) = self.in_flight.clone() else {
            return Vec::new();
        };
        self.throttled += 1;
        self.throttled_total += 1;
        let pause = Duration::from_millis(500 << (self.throttled - 1).min(4));
        let (Some(client), Some(pool_id)) = (env.client.cloned(), env.pool_id) else {
            return Vec::new();
        };
        let again = Effect::ListUsers {
            client,
            request,
            pool_id: pool_id.to_string(),
            query,
        };
        vec![
            Step::Info(format!(
                "throttled, retrying in {:.1} s (Cognito's TooManyRequestsException)",
                pause.as_secs_f64()
            )),
            Step::Run(Effect::Later(pause, Box::new(again))),
        ]
    }

    /// Loads the window again where the cursor is (after a change, on refresh).
    pub fn reload(&mut self, env: &Env) -> Option<Effect> {
        let selected = self.selected;
        self.reset(self.filter.clone());
        self.selected = selected;
        self.fetch(env)
    }
}
