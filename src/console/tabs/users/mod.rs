//! The Users tab: browse the pool a window at a time, search on the server, open a user,
//! and act on the one under the cursor (each change confirmed first). This file owns
//! the tab's keys and the answers to its calls; `window` keeps the rows, `view` draws.

mod job;
mod marks;
mod view;
mod window;

use std::time::Duration;

pub use job::Running;
pub use marks::{MAX_MARKS, Marks};
pub use view::{CHROME, thousands};
pub use window::{PAGE, PREFETCH, PageMark, UsersTab, WINDOW};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::super::action::{Action, Command};
use super::super::bulk_work::Work;
use super::super::effect::Effect;
use super::super::keymap::Context;
use super::super::owner::{Changed, Env, Outcome, Owner, Step, Ui};
use super::super::popups::bulk_form::BulkForm;
use super::super::popups::bulk_preview::BulkPreview;
use super::super::popups::create_user::CreateUser;
use super::super::popups::raw_view::RawView;
use super::super::popups::search::Search;
use super::super::popups::user_detail::UserDetail;
use super::super::user_actions;
use super::super::user_actions::many;
use crate::client::raw::RawOf;
use crate::client::{ClientError, ErrorKind, UserPage, UserQuery};
use crate::pool::user_filter::{Sort, SortColumn};

impl UsersTab {
    fn open(&mut self, env: &Env) -> Outcome {
        let Some(user) = self.selected_user().cloned() else {
            return Outcome::done();
        };
        let username = user.username.clone();
        let mut steps = vec![Step::Open(Box::new(UserDetail::new(user)))];
        // The user's groups: one call for this user, never one per row of the list.
        if let Ok(effect) =
            env.call(|client, pool| Effect::UserGroups(client, pool, username.clone()))
        {
            steps.push(Step::Run(effect));
        }
        if let Ok(effect) =
            env.call(|client, pool| Effect::UserMessages(client, pool, username.clone()))
        {
            steps.push(Step::Run(effect));
        }
        if let Ok(effect) = env.call(|client, pool| Effect::GetUser(client, pool, username)) {
            steps.push(Step::Run(effect));
        }
        Outcome::Handled(steps)
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
                for user in &page.users {
                    self.marks.refresh(user);
                }
                self.loaded(page.users, page.next, page.scanned);
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
        self.reset(self.filter.clone(), self.local.clone());
        self.selected = selected;
        self.fetch(env)
    }

    /// Space: marks the user under the cursor (or unmarks them) and moves on.
    fn mark(&mut self) -> Vec<Step> {
        let Some(user) = self.selected_user().cloned() else {
            return Vec::new();
        };
        let was = self.marks.contains(&user.username);
        if !self.marks.toggle(&user) && !was {
            return vec![Step::Error(format!(
                "{} users are marked, the most at once: act on them or clear some first",
                thousands(MAX_MARKS as u64)
            ))];
        }
        self.move_by(1);
        Vec::new()
    }

    /// Marks every user the search matches, paged in as a job (stopped with its key).
    fn mark_all(&mut self, env: &Env) -> Vec<Step> {
        let search = match (&self.filter, self.local.is_empty()) {
            (None, true) => "the pool".to_string(),
            _ => "the search".to_string(),
        };
        let query = UserQuery {
            filter: self.filter.clone(),
            local: self.local.clone(),
            // The store's order is quickest to page; marks are kept by name anyway.
            ..UserQuery::default()
        };
        let Some(pool_id) = env.pool_id.map(str::to_string) else {
            return vec![Step::Error("no pool is open yet: nothing to mark".into())];
        };
        self.start_job(
            Work::Mark {
                query: Box::new(query),
                search,
                pool_id,
            },
            env,
        )
    }

    /// `o`: the next column to sort by (after the last, the pool's own order again).
    fn sort_next(&mut self, env: &Env) {
        let next = match self.sort {
            None => Some(SortColumn::ALL[0]),
            Some(s) => s.column.next(),
        };
        self.sort = next.map(|column| Sort {
            column,
            descending: false,
        });
        self.sorted_again(env);
    }

    /// The sort changed: the store sorts the whole pool; elsewhere what loads is sorted
    /// here. Either way the list starts again from its first row.
    fn sorted_again(&mut self, env: &Env) {
        self.sorted_here = self.sort.is_some() && !env.client.is_some_and(|c| c.is_local());
        self.reset(self.filter.clone(), self.local.clone());
    }

    /// A bulk action on the marked users: its preview first.
    fn act_on_marked(&self, command: Command) -> Outcome {
        let Some(action) = many::find(command) else {
            return Outcome::Ignored;
        };
        let users = self.marks.users();
        let how = many::how_for(&users);
        Outcome::one(Step::Open(Box::new(BulkPreview::new(action, users, how))))
    }
}

impl Owner for UsersTab {
    fn context(&self) -> Context {
        Context::Users
    }

    fn set_rows(&mut self, rows: usize) {
        self.set_viewport(rows);
    }

    /// The commands the tab answers now, given the user under the cursor.
    fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        if env.pool.is_none() {
            return Vec::new();
        }
        let mut c = vec![Down, Up, PageDown, PageUp, Top, Bottom, Search, CreateUser];
        match &self.job {
            None => c.extend([Export, Import]),
            Some(running) if !running.tally.stopping() => c.push(StopJob),
            Some(_) => {}
        }
        if self.job.is_none() {
            c.push(MarkAll);
        }
        c.push(Sort);
        if self.sort.is_some() {
            c.push(ReverseSort);
        }
        if !self.marks.is_empty() {
            c.push(ClearMarks);
            // The actions that make sense in bulk act on the marked users (one job at
            // a time: the marks change as a job ends).
            if self.job.is_none() {
                c.extend(many::commands());
            }
        }
        if let Some(user) = self.selected_user() {
            c.extend([Mark, Open, Copy, Raw]);
            for command in user_actions::commands(user) {
                if !c.contains(&command) {
                    c.push(command);
                }
            }
        }
        if self.searching() || self.seeking_end {
            c.push(Back);
        }
        c
    }

    /// With marks, a bulk action's key says so.
    fn label(&self, command: Command) -> Option<String> {
        if self.marks.is_empty() || many::find(command).is_none() {
            return None;
        }
        let users = self.marks.users();
        let action = many::find(command)?;
        let how = many::how_for(&users);
        let verb = match command {
            Command::JoinGroup => "add to a group:".to_string(),
            Command::LeaveGroup => "remove from a group:".to_string(),
            _ => action.verb(&how),
        };
        Some(format!(
            "{verb} {} marked",
            thousands(self.marks.len() as u64)
        ))
    }

    /// Why a command of the tab does nothing for the user under the cursor.
    fn why_not(&self, command: Command) -> Option<String> {
        if !self.marks.is_empty() && many::find(command).is_some() {
            return self.job.as_ref().map(|running| {
                format!(
                    "{} is still running; act on the marked users when it ends",
                    running.work.describe()
                )
            });
        }
        if let (Command::Export | Command::Import | Command::MarkAll, Some(running)) =
            (command, &self.job)
        {
            return Some(format!(
                "{} is still running; one at a time",
                running.work.describe()
            ));
        }
        user_actions::why_not(self.selected_user()?, command)
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if !self.commands(env).contains(&command) {
            return Outcome::Ignored;
        }
        let mut steps = Vec::new();
        match command {
            Command::Down => {
                self.paused = false;
                self.move_by(1)
            }
            Command::Up => self.move_by(-1),
            Command::PageDown => {
                self.paused = false;
                self.move_by(self.viewport.max(1) as isize)
            }
            Command::PageUp => self.move_by(-(self.viewport.max(1) as isize)),
            Command::Top => self.to_top(),
            Command::Bottom => {
                self.paused = false;
                self.to_last_loaded();
                self.seeking_end = !self.complete;
            }
            Command::Back if self.scanning() && !self.paused => {
                self.paused = true;
                self.seeking_end = false;
                steps.push(Step::Info(format!(
                    "stopped filtering after {} users; moving down goes on",
                    thousands(self.scanned)
                )));
            }
            Command::Back if self.seeking_end => {
                self.seeking_end = false;
                steps.push(Step::Info("stopped before the last user".into()));
            }
            Command::Back => steps.push(Step::Search(None, Default::default())),
            Command::Search => steps.push(Step::Open(Box::new(Search::new(
                self.filter.as_ref(),
                &self.local,
            )))),
            Command::Mark => steps.extend(self.mark()),
            Command::MarkAll => return Outcome::Handled(self.mark_all(env)),
            Command::ClearMarks => {
                let n = self.marks.len();
                self.marks.clear();
                steps.push(Step::Info(format!("{} marks cleared", thousands(n as u64))));
            }
            Command::Sort => self.sort_next(env),
            Command::ReverseSort => {
                if let Some(sort) = &mut self.sort {
                    sort.descending = !sort.descending;
                }
                self.sorted_again(env);
            }
            c if !self.marks.is_empty() && many::find(c).is_some() => {
                if let Some(why) = self.why_not(c) {
                    return Outcome::error(why);
                }
                return self.act_on_marked(c);
            }
            Command::CreateUser => steps.push(Step::Open(Box::new(CreateUser::new()))),
            Command::Export => steps.push(Step::Open(Box::new(BulkForm::export(env)))),
            Command::Import => steps.push(Step::Open(Box::new(BulkForm::import(env)))),
            Command::StopJob => return Outcome::Handled(self.stop_job()),
            Command::Open => return self.open(env),
            Command::Raw => {
                if let Some(user) = self.selected_user() {
                    return RawView::open(RawOf::User(user.username.clone()), env);
                }
            }
            Command::Copy => {
                if let Some(user) = self.selected_user() {
                    steps.push(Step::Copy {
                        text: user.username.clone(),
                        what: format!("the username {}", user.username),
                    });
                }
            }
            c if user_actions::is_action(c) => match self.selected_user() {
                Some(user) => return user_actions::act(user, c, env),
                None => return Outcome::done(),
            },
            _ => return Outcome::Ignored,
        }
        steps.extend(self.fetch(env).map(Step::Run));
        Outcome::Handled(steps)
    }

    /// Pages of users and the job's end; and what became of a user created or changed
    /// from a form that has closed since.
    fn answer(&mut self, result: &Action, env: &Env) -> Option<Vec<Step>> {
        Some(match result {
            Action::UsersLoaded { request, result } => self.answered(*request, result.clone(), env),
            Action::BulkDone { work, result } => self.job_done(work, result.clone(), env),
            Action::UserCreated(Ok(u)) => {
                vec![Step::Info(format!("created {}", u.username)), Step::Reload]
            }
            Action::UserCreated(Err(e)) => vec![Step::Error(format!("user not created: {e}"))],
            Action::UserChanged { change, result } => match result {
                Ok(()) => vec![Step::Info(change.describe()), Step::Reload],
                Err(e) => vec![Step::Error(format!("{}: {e}", change.failed()))],
            },
            Action::UserLoaded(Err(e)) => vec![Step::Error(format!("cannot load the user: {e}"))],
            _ => return None,
        })
    }

    fn refresh(&mut self, changed: Changed, env: &Env) -> Vec<Effect> {
        match changed {
            Changed::Users => self.reload(env).into_iter().collect(),
            Changed::Groups => Vec::new(),
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        self.render(area, buf, ui)
    }
}
