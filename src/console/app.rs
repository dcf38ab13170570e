//! The one owner of the console's state. Everything changes in [`App::update`], which
//! returns the slow work to do as [`Effect`]s; their results come back as actions.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Command, Confirmed, UserChange};
use super::effect::Effect;
use super::keymap::{Context, Keymap};
use super::popups::{self, Popup};
use super::tabs::Tab;
use super::tabs::messages::{Editor, MessagesTab};
use super::tabs::policies::{self, PoliciesTab};
use super::tabs::users::UsersTab;
use super::theme::Theme;
use super::widgets::form::Form;
use crate::client::{Client, ClientError, ErrorKind, Target};
use crate::pool::{PoolDescription, PoolSummary, Secret};

#[derive(Debug, Clone)]
pub struct Options {
    pub target: Target,
    pub pool: Option<String>,
    pub read_only: bool,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Things to say at start-up (problems in the settings file).
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub error: bool,
    pub text: String,
}

#[derive(Debug)]
pub struct App {
    pub theme: Theme,
    pub keymap: Keymap,
    pub read_only: bool,
    pub target: Target,
    pub client: Option<Client>,
    pub pools: Vec<PoolSummary>,
    /// The pool the user asked for; `pool` is it once described.
    pub wanted_pool: Option<String>,
    pub pool: Option<PoolDescription>,
    pub tab: Tab,
    pub policies: PoliciesTab,
    pub messages: MessagesTab,
    pub users: UsersTab,
    pub popup: Option<Popup>,
    pub status: Option<Status>,
    /// Calls in flight and what the latest one does, for the spinner.
    pub in_flight: usize,
    pub activity: &'static str,
    /// The SDK met throttling in the last few seconds while calls are in flight.
    pub sdk_throttled: bool,
    pub spinner: usize,
    pub quit: bool,
    next_request: u64,
}

impl App {
    pub fn new(options: Options) -> (Self, Vec<Effect>) {
        let mut app = Self {
            theme: options.theme,
            keymap: options.keymap,
            read_only: options.read_only,
            target: options.target.clone(),
            client: None,
            pools: Vec::new(),
            wanted_pool: options.pool,
            pool: None,
            tab: Tab::Users,
            policies: PoliciesTab::default(),
            messages: MessagesTab::default(),
            users: UsersTab::default(),
            popup: None,
            status: None,
            in_flight: 0,
            activity: "",
            sdk_throttled: false,
            spinner: 0,
            quit: false,
            next_request: 0,
        };
        if !options.notices.is_empty() {
            app.error(format!("settings: {}", options.notices.join("; ")));
        }
        let effects = app.start(vec![Effect::Connect(options.target)]);
        (app, effects)
    }

    /// Starts with a client already connected (tests that bring their own credentials).
    pub fn with_client(options: Options, client: Client) -> (Self, Vec<Effect>) {
        let (mut app, _connect) = Self::new(options);
        app.in_flight = 1;
        let effects = app.update(Action::Connected(Ok(client)));
        (app, effects)
    }

    fn start(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        if let Some(last) = effects.last() {
            self.activity = last.describe();
        }
        self.in_flight += effects.len();
        effects
    }

    fn finished(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    fn error(&mut self, text: impl Into<String>) {
        let text = text.into();
        tracing::warn!(message = %text, "shown to the user");
        self.status = Some(Status { error: true, text });
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            error: false,
            text: text.into(),
        });
    }

    fn call_failed(&mut self, what: &str, e: &ClientError) {
        self.error(format!("{what}: {e}"));
    }

    /// The innermost context, for the key bar and help.
    pub fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::CreateUser(_) | Popup::Search(_)) => Context::Form,
            Some(Popup::TrySignIn(t)) if t.takes_input() => Context::Form,
            Some(_) => Context::Popup,
            None => match self.tab {
                Tab::Policies if self.policies.form.is_some() => Context::Form,
                Tab::Policies => Context::Policies,
                Tab::Messages if self.messages.editor.is_some() => Context::Editor,
                Tab::Messages => Context::Messages,
                Tab::Users => Context::Users,
            },
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(key) => self.on_key(key),
            Action::Command(c) => self.command(c),
            Action::Resize => Vec::new(),
            Action::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                // The SDK is backing off a throttled call: say so, not just "loading".
                self.sdk_throttled = self.in_flight > 0
                    && self
                        .client
                        .as_ref()
                        .is_some_and(|c| c.throttling().within(Duration::from_secs(3)));
                Vec::new()
            }
            Action::Terminate => {
                self.quit = true;
                Vec::new()
            }
            result => {
                self.finished();
                self.on_result(result)
            }
        }
    }

    // ------------------------------------------------------------ results

    fn on_result(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Connected(Ok(client)) => {
                self.client = Some(client.clone());
                let mut effects = vec![Effect::ListPools(client.clone())];
                if let Some(id) = self.wanted_pool.clone() {
                    effects.extend(self.open_pool(id));
                }
                self.start(effects)
            }
            Action::Connected(Err(e)) => {
                self.call_failed("cannot connect (r retries)", &e);
                Vec::new()
            }
            Action::PoolsLoaded(Ok(pools)) => {
                self.pools = pools;
                if self.wanted_pool.is_none() {
                    match self.pools.as_slice() {
                        [only] => {
                            let id = only.id.clone();
                            let effects = self.open_pool(id);
                            return self.start(effects);
                        }
                        [] => self.error("there is no user pool here"),
                        _ => self.popup = Some(Popup::PoolPicker { selected: 0 }),
                    }
                }
                Vec::new()
            }
            Action::PoolsLoaded(Err(e)) => {
                self.call_failed("cannot list pools", &e);
                Vec::new()
            }
            Action::PoolLoaded(Ok(d)) => {
                if self.wanted_pool.as_deref() == Some(d.id.as_str()) {
                    self.pool = Some(d);
                }
                Vec::new()
            }
            Action::PoolLoaded(Err(e)) => {
                self.call_failed("cannot open the pool", &e);
                Vec::new()
            }
            Action::UsersLoaded { request, result } => {
                if self.users.pending != Some(request) {
                    return Vec::new(); // an answer to a question no longer asked
                }
                match result {
                    Ok(page) => {
                        if self.users.throttled > 0 {
                            self.info("throttling eased; paging goes on");
                        }
                        self.users.loaded(page.users, page.next);
                        self.more_users()
                    }
                    Err(e) if e.kind == ErrorKind::Throttled => self.retry_users(request),
                    Err(e) => {
                        self.users.pending = None;
                        self.users.in_flight = None;
                        self.users.throttled = 0;
                        self.users.error = Some(e.to_string());
                        self.call_failed("cannot list users", &e);
                        Vec::new()
                    }
                }
            }
            Action::UserLoaded(result) => {
                match (result, &mut self.popup) {
                    (Ok(user), Some(Popup::UserDetail { user: shown, .. }))
                        if shown.username == user.username =>
                    {
                        **shown = user;
                    }
                    (Ok(user), Some(Popup::TrySignIn(t))) if t.username == user.username => {
                        if let popups::try_sign_in::Stage::Done { status, .. } = &mut t.stage {
                            *status = user.status.map(|s| s.as_str().to_string());
                        }
                    }
                    (Ok(_), _) => {}
                    (Err(e), _) => self.call_failed("cannot load the user", &e),
                }
                Vec::new()
            }
            Action::UserCreated(result) => self.user_created(result),
            Action::UserChanged { change, result } => match result {
                Ok(()) => {
                    self.info(change.describe());
                    let mut effects = self.reload_users();
                    if let (Some(c), Some(id)) = (&self.client, &self.wanted_pool) {
                        effects.push(Effect::DescribePool(c.clone(), id.clone()));
                    }
                    self.start(effects)
                }
                Err(e) => {
                    let what = match change {
                        UserChange::Resend(_) => "invitation not sent",
                        UserChange::SetEnabled { .. } => "user not changed",
                        UserChange::Delete { .. } => "user not deleted",
                    };
                    self.call_failed(what, &e);
                    Vec::new()
                }
            },
            Action::SignInClients(result) => {
                match (result, &mut self.popup) {
                    (Ok(clients), Some(Popup::TrySignIn(t))) => t.clients_found(&clients),
                    (Ok(_), _) => {}
                    (Err(e), popup) => {
                        if let Some(Popup::TrySignIn(t)) = popup {
                            t.busy = false;
                            t.stage = popups::try_sign_in::Stage::NoClient { count: 0 };
                        }
                        self.call_failed("cannot list the app clients", &e);
                    }
                }
                Vec::new()
            }
            Action::SignInStep(result) => self.sign_in_stepped(result),
            Action::PoolUpdated(Ok(d)) => {
                self.pool = Some(d);
                self.policies.form = None;
                self.messages.editor = None;
                self.info("saved; nothing else in the pool changed");
                Vec::new()
            }
            Action::PoolUpdated(Err(e)) => {
                if let Some(editor) = &mut self.messages.editor {
                    editor.errors = vec![format!("Cognito refused: {e}")];
                }
                if let Some(form) = &mut self.policies.form {
                    form.message = Some((false, format!("Cognito refused: {e}")));
                }
                self.call_failed("not saved", &e);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn sign_in_stepped(
        &mut self,
        result: Result<crate::client::SignIn, ClientError>,
    ) -> Vec<Effect> {
        let Some(Popup::TrySignIn(t)) = &mut self.popup else {
            return Vec::new(); // closed while the call was out
        };
        if let Err(e) = &result {
            let e = e.clone();
            t.stepped(result);
            self.call_failed("sign-in refused", &e);
            return Vec::new();
        }
        t.stepped(result);
        if !matches!(t.stage, popups::try_sign_in::Stage::Done { .. }) {
            return Vec::new();
        }
        let username = t.username.clone();
        self.info(format!("{username} signed in"));
        // Read the status back, and show it in the table too.
        let mut effects = self.reload_users();
        if let (Some(client), Some(pool)) = (self.client.clone(), self.wanted_pool.clone()) {
            effects.push(Effect::GetUser(client, pool, username));
        }
        self.start(effects)
    }

    fn user_created(&mut self, result: Result<crate::pool::User, ClientError>) -> Vec<Effect> {
        match result {
            Ok(user) => {
                self.info(format!("created {}", user.username));
                if let Some(Popup::CreateUser(form)) = &mut self.popup {
                    form.succeeded(user);
                }
                // Show the new user in the table, and the new estimate.
                let mut effects = self.reload_users();
                if let (Some(c), Some(id)) = (&self.client, &self.wanted_pool) {
                    effects.push(Effect::DescribePool(c.clone(), id.clone()));
                }
                self.start(effects)
            }
            Err(e) => {
                if let Some(Popup::CreateUser(form)) = &mut self.popup {
                    form.failed(&e);
                }
                self.call_failed("user not created", &e);
                Vec::new()
            }
        }
    }

    // ------------------------------------------------------------ pools and users

    fn open_pool(&mut self, id: String) -> Vec<Effect> {
        let Some(client) = self.client.clone() else {
            return Vec::new();
        };
        self.wanted_pool = Some(id.clone());
        self.pool = None;
        self.policies = PoliciesTab::default();
        self.messages = MessagesTab::default();
        self.users.reset(None);
        let mut effects = vec![Effect::DescribePool(client, id)];
        effects.extend(self.more_users_unstarted());
        effects
    }

    /// The next page of users, if the window wants one.
    fn more_users_unstarted(&mut self) -> Vec<Effect> {
        let (Some(client), Some(pool_id)) = (self.client.clone(), self.wanted_pool.clone()) else {
            return Vec::new();
        };
        if !self.users.wants_more() {
            return Vec::new();
        }
        let Some(query) = self.users.next_query() else {
            return Vec::new();
        };
        self.next_request += 1;
        self.users.pending = Some(self.next_request);
        self.users.in_flight = Some(query.clone());
        vec![Effect::ListUsers {
            client,
            request: self.next_request,
            pool_id,
            query,
        }]
    }

    /// Cognito throttled the page after the SDK's own retries: ask again after a pause
    /// that doubles each time (0.5 s up to 8 s), saying so, so no page is ever skipped.
    fn retry_users(&mut self, request: u64) -> Vec<Effect> {
        let (Some(client), Some(pool_id), Some(query)) = (
            self.client.clone(),
            self.wanted_pool.clone(),
            self.users.in_flight.clone(),
        ) else {
            return Vec::new();
        };
        self.users.throttled += 1;
        self.users.throttled_total += 1;
        let pause = Duration::from_millis(500 << (self.users.throttled - 1).min(4));
        self.info(format!(
            "throttled, retrying in {:.1} s (Cognito's TooManyRequestsException)",
            pause.as_secs_f64()
        ));
        let effect = Effect::ListUsers {
            client,
            request,
            pool_id,
            query,
        };
        self.start(vec![Effect::Later(pause, Box::new(effect))])
    }

    fn more_users(&mut self) -> Vec<Effect> {
        let effects = self.more_users_unstarted();
        self.start(effects)
    }

    fn reload_users(&mut self) -> Vec<Effect> {
        let filter = self.users.filter.clone();
        let selected = self.users.selected;
        self.users.reset(filter);
        self.users.selected = selected;
        self.more_users_unstarted()
    }

    // ------------------------------------------------------------ keys

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return Vec::new();
        }
        if self.popup.is_some() {
            return self.popup_key(key);
        }
        match self.tab {
            Tab::Messages if self.messages.editor.is_some() => return self.editor_key(key),
            Tab::Policies if self.policies.form.is_some() => {
                let Some(form) = &mut self.policies.form else {
                    return Vec::new();
                };
                return match form_input(form, &self.keymap, &key) {
                    Some(c) => self.policies_form_command(c),
                    None => Vec::new(),
                };
            }
            _ => {}
        }
        let tab_context = match self.tab {
            Tab::Policies => Context::Policies,
            Tab::Messages => Context::Messages,
            Tab::Users => Context::Users,
        };
        match self.keymap.lookup(&[tab_context, Context::Global], &key) {
            Some(c) => self.command(c),
            None => Vec::new(),
        }
    }

    fn refuse_write(&mut self, c: Command) -> bool {
        if self.read_only && c.writes() {
            self.error(format!(
                "read-only: {} is disabled (started with --read-only)",
                c.describe()
            ));
            return true;
        }
        false
    }

    pub fn command(&mut self, c: Command) -> Vec<Effect> {
        if self.refuse_write(c) {
            return Vec::new();
        }
        match c {
            Command::Quit => self.quit = true,
            Command::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Command::NextTab => self.tab = self.tab.next(),
            Command::PrevTab => self.tab = self.tab.prev(),
            Command::TabPolicies => self.tab = Tab::Policies,
            Command::TabMessages => self.tab = Tab::Messages,
            Command::TabUsers => self.tab = Tab::Users,
            Command::PickPool => {
                let selected = self
                    .pools
                    .iter()
                    .position(|p| Some(&p.id) == self.wanted_pool.as_ref())
                    .unwrap_or(0);
                self.popup = Some(Popup::PoolPicker { selected });
                if let Some(c) = self.client.clone() {
                    return self.start(vec![Effect::ListPools(c)]);
                }
            }
            Command::CommandLine => self.popup = Some(Popup::CommandLine(String::new())),
            Command::Refresh => return self.refresh(),
            _ => return self.tab_command(c),
        }
        Vec::new()
    }

    fn refresh(&mut self) -> Vec<Effect> {
        let Some(client) = self.client.clone() else {
            return self.start(vec![Effect::Connect(self.target.clone())]);
        };
        let mut effects = vec![Effect::ListPools(client.clone())];
        if let Some(id) = self.wanted_pool.clone() {
            effects.push(Effect::DescribePool(client, id));
            effects.extend(self.reload_users());
        }
        self.status = None;
        self.start(effects)
    }

    fn tab_command(&mut self, c: Command) -> Vec<Effect> {
        match (self.tab, c) {
            (Tab::Users, Command::Down) => self.users.move_by(1),
            (Tab::Users, Command::Up) => self.users.move_by(-1),
            (Tab::Users, Command::PageDown) => self.users.move_by(20),
            (Tab::Users, Command::PageUp) => self.users.move_by(-20),
            (Tab::Users, Command::Top) => self.users.to_top(),
            (Tab::Users, Command::Bottom) => self.users.move_by(isize::MAX / 2),
            (Tab::Users, Command::Open) => {
                let Some(user) = self.users.selected_user().cloned() else {
                    return Vec::new();
                };
                let username = user.username.clone();
                self.popup = Some(Popup::UserDetail {
                    user: Box::new(user),
                    scroll: 0,
                });
                if let (Some(client), Some(pool)) = (self.client.clone(), self.wanted_pool.clone())
                {
                    return self.start(vec![Effect::GetUser(client, pool, username)]);
                }
            }
            (Tab::Users, Command::Search) => {
                self.popup = Some(Popup::Search(Box::new(popups::search::form(
                    self.users.filter.as_ref(),
                ))));
            }
            (Tab::Users, Command::Back) if self.users.filter.is_some() => {
                self.users.reset(None);
                return self.more_users();
            }
            (Tab::Users, Command::Resend | Command::ToggleEnabled | Command::DeleteUser) => {
                self.ask_about_user(c);
            }
            (Tab::Users, Command::TrySignIn) => return self.try_sign_in(),
            (Tab::Users, Command::CreateUser) => {
                if self.pool.is_none() {
                    self.error("the pool is still loading");
                } else {
                    self.popup = Some(Popup::CreateUser(Box::default()));
                }
            }
            (Tab::Policies, Command::Edit) => match &self.pool {
                Some(pool) => self.policies.form = Some(policies::edit_form(&pool.config)),
                None => self.error("the pool is still loading"),
            },
            (Tab::Messages, Command::Down) => self.messages.move_by(1),
            (Tab::Messages, Command::Up) => self.messages.move_by(-1),
            (Tab::Messages, Command::Edit) => match &self.pool {
                Some(pool) => {
                    self.messages.editor =
                        Some(Editor::new(self.messages.selected_message(), &pool.config))
                }
                None => self.error("the pool is still loading"),
            },
            _ => {}
        }
        if self.tab == Tab::Users {
            return self.more_users();
        }
        Vec::new()
    }

    fn try_sign_in(&mut self) -> Vec<Effect> {
        let Some(user) = self.users.selected_user() else {
            self.error("no user selected");
            return Vec::new();
        };
        let (Some(pool), Some(client)) = (&self.pool, self.client.clone()) else {
            self.error("the pool is still loading");
            return Vec::new();
        };
        let popup = popups::try_sign_in::TrySignIn::new(
            &user.username,
            pool.config.password_policy.clone(),
            user.status == Some(crate::pool::UserStatus::ForceChangePassword),
        );
        let effect = Effect::SignInClients(client, pool.id.clone());
        self.popup = Some(Popup::TrySignIn(Box::new(popup)));
        self.start(vec![effect])
    }

    fn try_sign_in_command(&mut self, c: Command) -> Vec<Effect> {
        let Some(Popup::TrySignIn(t)) = &mut self.popup else {
            return Vec::new();
        };
        match c {
            Command::Back => self.popup = None,
            Command::NextField => t.form.next(),
            Command::PrevField => t.form.prev(),
            Command::Reveal => t.form.reveal(),
            Command::Save if t.busy => {}
            Command::Save => {
                let (Some(client), Some(app)) = (self.client.clone(), t.app.clone()) else {
                    return Vec::new();
                };
                let effect = match &t.stage {
                    popups::try_sign_in::Stage::Password => {
                        if t.form.value("password").is_empty() {
                            t.form
                                .set_errors(&[("password".into(), "type the password".into())]);
                            return Vec::new();
                        }
                        Effect::SignIn {
                            client,
                            app,
                            username: t.username.clone(),
                            password: t.password(),
                        }
                    }
                    popups::try_sign_in::Stage::NewPassword { session } => {
                        let errors = t.check_new_password();
                        if !errors.is_empty() {
                            t.form.set_errors(&errors);
                            t.form.message = Some((
                                false,
                                "fix the fields marked ✗ before calling Cognito".into(),
                            ));
                            return Vec::new();
                        }
                        Effect::NewPassword {
                            client,
                            app,
                            username: t.username.clone(),
                            session: session.clone(),
                            password: Secret::new(t.form.value("new")),
                            attributes: t.attributes(),
                        }
                    }
                    _ => return Vec::new(),
                };
                t.busy = true;
                t.form.set_errors(&[]);
                t.form.message = Some((true, "asking Cognito…".into()));
                return self.start(vec![effect]);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Resend, enable/disable and delete ask first; delete wants the username typed.
    fn ask_about_user(&mut self, c: Command) {
        let Some(user) = self.users.selected_user().cloned() else {
            self.error("no user selected");
            return;
        };
        let username = user.username.clone();
        match c {
            Command::Resend => {
                let mut mediums = Vec::new();
                if user.attribute("phone_number").is_some() {
                    mediums.push(crate::pool::DeliveryMedium::Sms);
                }
                if user.attribute("email").is_some() {
                    mediums.push(crate::pool::DeliveryMedium::Email);
                }
                if mediums.is_empty() {
                    self.error(format!(
                        "{username} has no email or phone number to send to"
                    ));
                    return;
                }
                let to: Vec<&str> = mediums.iter().map(|m| m.as_str()).collect();
                let request = crate::pool::NewUser {
                    username: username.clone(),
                    message_action: Some(crate::pool::MessageAction::Resend),
                    desired_delivery_mediums: mediums.clone(),
                    ..Default::default()
                };
                self.popup = Some(Popup::Confirm {
                    title: format!("Resend the invitation to {username}?"),
                    lines: vec![
                        format!("A new temporary password goes out by {}.", to.join(" and ")),
                        "The old one stops working and the expiry starts again.".into(),
                    ],
                    then: Confirmed::User(UserChange::Resend(Box::new(request))),
                });
            }
            Command::ToggleEnabled => {
                let enabled = !user.enabled;
                let verb = if enabled { "Enable" } else { "Disable" };
                let line = if enabled {
                    "The user can sign in again.".to_string()
                } else {
                    "The user can no longer sign in; nothing else changes.".to_string()
                };
                self.popup = Some(Popup::Confirm {
                    title: format!("{verb} {username}?"),
                    lines: vec![line],
                    then: Confirmed::User(UserChange::SetEnabled { username, enabled }),
                });
            }
            Command::DeleteUser => {
                self.popup = Some(Popup::TypeToConfirm {
                    username,
                    typed: String::new(),
                    error: None,
                });
            }
            _ => {}
        }
    }

    fn policies_form_command(&mut self, c: Command) -> Vec<Effect> {
        let Some(form) = &mut self.policies.form else {
            return Vec::new();
        };
        match c {
            Command::NextField => form.next(),
            Command::PrevField => form.prev(),
            Command::Toggle => {
                form.toggle();
            }
            Command::Back => {
                self.policies.form = None;
                self.info("changes discarded");
            }
            Command::Save => {
                let Some(pool) = &self.pool else {
                    return Vec::new();
                };
                match policies::edit_from_form(form, &pool.config) {
                    Err(errors) => {
                        form.set_errors(&errors);
                        form.message = Some((false, "fix the fields marked ✗".into()));
                    }
                    Ok((_, changes)) if changes.is_empty() => {
                        self.policies.form = None;
                        self.info("nothing changed");
                    }
                    Ok((edit, lines)) => {
                        self.popup = Some(Popup::Confirm {
                            title: "Save these changes to the pool?".into(),
                            lines,
                            then: Confirmed::SavePool(edit),
                        });
                    }
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn editor_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(editor) = &mut self.messages.editor else {
            return Vec::new();
        };
        match self.keymap.lookup(&[Context::Editor], &key) {
            Some(Command::Back) => {
                self.messages.editor = None;
                self.info("changes discarded");
            }
            Some(Command::Save) => {
                let (Some(pool), Some(client)) = (&self.pool, &self.client) else {
                    return Vec::new();
                };
                if self.read_only {
                    self.refuse_write(Command::Save);
                    return Vec::new();
                }
                match editor.message.edit(&editor.text(), &pool.config) {
                    Err(errors) => editor.errors = errors.iter().map(|e| e.rule.clone()).collect(),
                    Ok(edit) => {
                        editor.errors.clear();
                        let effect = Effect::UpdatePool(client.clone(), pool.id.clone(), edit);
                        return self.start(vec![effect]);
                    }
                }
            }
            _ => {
                editor.textarea.input(key);
                editor.errors.clear();
            }
        }
        Vec::new()
    }

    fn popup_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(popup) = &mut self.popup else {
            return Vec::new();
        };
        match popup {
            Popup::CreateUser(form) => {
                let Some(c) = form_input(&mut form.form, &self.keymap, &key) else {
                    return Vec::new();
                };
                self.create_user_command(c)
            }
            Popup::TrySignIn(t) if t.takes_input() => {
                let Some(c) = form_input(&mut t.form, &self.keymap, &key) else {
                    return Vec::new();
                };
                self.try_sign_in_command(c)
            }
            Popup::Search(form) => {
                let Some(c) = form_input(form, &self.keymap, &key) else {
                    return Vec::new();
                };
                match c {
                    Command::Back => self.popup = None,
                    Command::NextField => form.next(),
                    Command::PrevField => form.prev(),
                    Command::Toggle | Command::SwitchOperator => {
                        if c == Command::SwitchOperator {
                            form.focus_on("op");
                        }
                        form.toggle();
                    }
                    Command::Save | Command::Open => match popups::search::filter_from(form) {
                        Ok(filter) => {
                            self.popup = None;
                            self.users.reset(filter);
                            return self.more_users();
                        }
                        Err(e) => form.set_errors(&[("value".into(), e)]),
                    },
                    _ => {}
                }
                Vec::new()
            }
            Popup::TypeToConfirm {
                username,
                typed,
                error,
            } => {
                match key.code {
                    KeyCode::Esc => self.popup = None,
                    KeyCode::Backspace => {
                        typed.pop();
                    }
                    KeyCode::Enter if typed == username => {
                        let change = UserChange::Delete {
                            username: username.clone(),
                        };
                        self.popup = None;
                        let (Some(client), Some(pool)) =
                            (self.client.clone(), self.wanted_pool.clone())
                        else {
                            return Vec::new();
                        };
                        return self.start(vec![Effect::ChangeUser(client, pool, change)]);
                    }
                    KeyCode::Enter => {
                        *error = Some("that is not the username; nothing was deleted".into());
                    }
                    KeyCode::Char(ch) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                        typed.push(ch);
                        *error = None;
                    }
                    _ => {}
                }
                Vec::new()
            }
            Popup::CommandLine(text) => {
                match key.code {
                    KeyCode::Esc => self.popup = None,
                    KeyCode::Backspace => {
                        text.pop();
                    }
                    KeyCode::Enter => {
                        let line = text.trim().to_string();
                        self.popup = None;
                        return self.run_command_line(&line);
                    }
                    KeyCode::Char(ch) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                        text.push(ch)
                    }
                    _ => {}
                }
                Vec::new()
            }
            _ => {
                let Some(c) = self.keymap.lookup(&[Context::Popup, Context::Global], &key) else {
                    return Vec::new();
                };
                self.list_popup_command(c)
            }
        }
    }

    fn list_popup_command(&mut self, c: Command) -> Vec<Effect> {
        let Some(popup) = &mut self.popup else {
            return Vec::new();
        };
        let step: isize = match c {
            Command::Down => 1,
            Command::Up => -1,
            Command::PageDown => 10,
            Command::PageUp => -10,
            Command::Top => -100_000,
            Command::Bottom => 100_000,
            _ => 0,
        };
        match (popup, c) {
            (_, Command::Back | Command::Quit) => self.popup = None,
            (Popup::Help { .. }, Command::Help) => self.popup = None,
            (Popup::Help { scroll } | Popup::UserDetail { scroll, .. }, _) if step != 0 => {
                *scroll = (*scroll as isize + step).clamp(0, 500) as u16;
            }
            (Popup::TrySignIn(_), Command::Open) => self.popup = None,
            (Popup::TrySignIn(t), _) if step != 0 => {
                t.scroll = (t.scroll as isize + step).clamp(0, 100) as u16;
            }
            (Popup::PoolPicker { selected }, _) if step != 0 => {
                let max = self.pools.len().saturating_sub(1) as isize;
                *selected = (*selected as isize + step).clamp(0, max.max(0)) as usize;
            }
            (Popup::PoolPicker { selected }, Command::Open) => {
                let Some(pool) = self.pools.get(*selected) else {
                    return Vec::new();
                };
                let id = pool.id.clone();
                self.popup = None;
                let effects = self.open_pool(id);
                return self.start(effects);
            }
            (Popup::Confirm { then, .. }, Command::Open | Command::Save) => {
                let then = then.clone();
                self.popup = None;
                let (Some(client), Some(pool)) = (self.client.clone(), self.wanted_pool.clone())
                else {
                    return Vec::new();
                };
                let effect = match then {
                    Confirmed::SavePool(edit) => Effect::UpdatePool(client, pool, edit),
                    Confirmed::User(change) => Effect::ChangeUser(client, pool, change),
                };
                return self.start(vec![effect]);
            }
            _ => {}
        }
        Vec::new()
    }

    fn create_user_command(&mut self, c: Command) -> Vec<Effect> {
        let Some(Popup::CreateUser(form)) = &mut self.popup else {
            return Vec::new();
        };
        match c {
            Command::Back => self.popup = None,
            Command::NextField => form.form.next(),
            Command::PrevField => form.form.prev(),
            Command::Toggle => {
                form.form.toggle();
            }
            Command::Reveal => form.form.reveal(),
            Command::AddRow => form.add_row(),
            Command::RemoveRow => form.remove_row(),
            Command::Save if form.busy => {}
            Command::Save if form.created.is_some() => self.popup = None,
            Command::Save => {
                let (Some(pool), Some(client)) = (&self.pool, &self.client) else {
                    return Vec::new();
                };
                let errors = form.check(pool);
                if errors.is_empty() {
                    form.busy = true;
                    form.form.set_errors(&[]);
                    form.form.message = Some((true, "creating…".into()));
                    let effect = Effect::CreateUser(
                        client.clone(),
                        pool.id.clone(),
                        Box::new(form.new_user()),
                    );
                    return self.start(vec![effect]);
                }
                let n = errors.len();
                form.form.set_errors(&errors);
                form.form.message = Some((
                    false,
                    format!(
                        "{n} problem{} to fix before calling Cognito",
                        if n == 1 { "" } else { "s" }
                    ),
                ));
            }
            _ => {}
        }
        Vec::new()
    }

    fn run_command_line(&mut self, line: &str) -> Vec<Effect> {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("q" | "quit"), None) => self.quit = true,
            (Some("help"), None) => self.popup = Some(Popup::Help { scroll: 0 }),
            (Some("pool"), Some(id)) => match crate::pool::validate::pool_id(id) {
                Ok(()) => {
                    let effects = self.open_pool(id.to_string());
                    return self.start(effects);
                }
                Err(e) => self.error(e.to_string()),
            },
            (Some("pool"), None) => self.popup = Some(Popup::PoolPicker { selected: 0 }),
            (None, _) => {}
            _ => self.error(format!("unknown command :{line} (try :pool ID, :help, :q)")),
        }
        Vec::new()
    }
}

/// A key in a form: typed into a text field, or the command it is bound to.
fn form_input(form: &mut Form, keymap: &Keymap, key: &KeyEvent) -> Option<Command> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let typing = matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace) && plain
        || matches!(key.code, KeyCode::Char('w' | 'u'))
            && key.modifiers.contains(KeyModifiers::CONTROL);
    if typing && form.type_key(key) {
        return None;
    }
    keymap.lookup(&[Context::Form], key)
}
