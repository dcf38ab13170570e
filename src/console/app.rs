//! The one owner of the console's state. Everything changes in [`App::update`], which
//! returns the slow work to do as [`Effect`]s; their results come back as actions. Keys
//! are routed in `router.rs`; what a key or a result means is up to the tab or popup
//! that owns it, which answers with [`Step`]s that are applied here.

use std::time::Duration;

use super::action::Action;
use super::effect::Effect;
use super::keymap::Keymap;
use super::owner::{Changed, Outcome, Owner, Status, Step, downcast};
use super::popups::Popup;
use super::popups::audit_log::AuditLog;
use super::popups::help::Help;
use super::popups::message_log::MessageLog;
use super::popups::pool_picker::PoolPicker;
use super::tabs::Tab;
use super::tabs::app_clients::AppClientsTab;
use super::tabs::domain::DomainTab;
use super::tabs::groups::GroupsTab;
use super::tabs::messages::MessagesTab;
use super::tabs::policies::PoliciesTab;
use super::tabs::sign_up::SignUpTab;
use super::tabs::triggers::TriggersTab;
use super::tabs::users::{CHROME, UsersTab};
use super::theme::Theme;
use crate::client::{Client, Target};
use crate::pool::{PoolDescription, PoolSummary};

#[derive(Debug, Clone)]
pub struct Options {
    pub target: Target,
    /// Where the pools' Lambda functions are called (`--lambda-endpoint-url`); None: AWS.
    pub lambda_endpoint: Option<String>,
    pub pool: Option<String>,
    pub read_only: bool,
    /// Why the session is read-only, when it is not `--read-only` (a read-only SSH key).
    pub read_only_why: Option<String>,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Things to say at start-up (problems in the settings file).
    pub notices: Vec<String>,
    /// The SMTP server test messages go out by (`--smtp`), if any.
    pub mail: Option<crate::mail::Relay>,
    /// Who is at the console, and the audit log their changes are written in.
    pub audit: Option<crate::client::Auditor>,
}

/// Messages kept for the messages popup.
const LOG_LEN: usize = 2_000;
/// Rows of the screen that are not the tab's body: header, tabs, status, key bar.
pub const SCREEN_CHROME: usize = 4;

/// Everything owners may read, built from the app's fields so that a tab or popup can
/// be borrowed mutably beside it.
macro_rules! env {
    ($app:expr) => {
        $crate::console::owner::Env {
            client: $app.client.as_ref(),
            pool: $app.pool.as_ref(),
            pool_id: $app.wanted_pool.as_deref(),
            pools: &$app.pools,
            pools_listed: $app.pools_listed,
            read_only: $app.read_only,
            keymap: &$app.keymap,
            messages: &$app.log,
            mail: $app.mail.as_ref(),
            audit: $app.audit.as_ref().map(|a| a.log()),
        }
    };
}
pub(crate) use env;

#[derive(Debug)]
pub struct App {
    pub theme: Theme,
    pub keymap: Keymap,
    pub read_only: bool,
    /// Why, said when a key that writes is refused.
    pub read_only_why: String,
    pub target: Target,
    pub lambda_endpoint: Option<String>,
    pub client: Option<Client>,
    /// Where test messages go out (`--smtp`).
    pub mail: Option<crate::mail::Relay>,
    /// Writes every change in the audit log before it is made.
    pub audit: Option<crate::client::Auditor>,
    /// Why the last connection failed, until one succeeds.
    pub connect_error: Option<String>,
    pub pools: Vec<PoolSummary>,
    /// The pools have been listed at least once.
    pub pools_listed: bool,
    /// Why the pools could not be listed, until they can.
    pub pools_error: Option<String>,
    /// The pool the user asked for; `pool` is it once described.
    pub wanted_pool: Option<String>,
    pub pool: Option<PoolDescription>,
    /// Why the wanted pool could not be described.
    pub pool_error: Option<String>,
    pub tab: Tab,
    pub policies: PoliciesTab,
    pub messages: MessagesTab,
    pub users: UsersTab,
    pub groups: GroupsTab,
    pub triggers: TriggersTab,
    pub app_clients: AppClientsTab,
    pub sign_up: SignUpTab,
    pub domain: DomainTab,
    /// Open popups, the top one last; it takes the keys.
    pub popups: Vec<Popup>,
    /// The id the next popup opened gets.
    next_popup: u64,
    /// The status line: what the last key or answer said, until the next key.
    pub status: Option<Status>,
    /// Text to put on the admin's terminal clipboard, sent before the next frame.
    pub clipboard: Vec<String>,
    /// Every message this session, oldest first (the messages popup shows them whole).
    pub log: Vec<Status>,
    /// Calls in flight and what the latest one does, for the spinner.
    pub in_flight: usize,
    pub activity: &'static str,
    /// The SDK met throttling in the last few seconds while calls are in flight.
    pub sdk_throttled: bool,
    pub spinner: usize,
    pub quit: bool,
    /// A problem with the settings file is on the status line: start-up's own news
    /// (connected, the pool opened) does not push it off before the first key.
    pub notice_held: bool,
}

impl App {
    pub fn new(options: Options) -> (Self, Vec<Effect>) {
        let mut app = Self {
            theme: options.theme,
            keymap: options.keymap,
            read_only: options.read_only,
            read_only_why: options
                .read_only_why
                .clone()
                .unwrap_or_else(|| "started with --read-only".into()),
            target: options.target.clone(),
            lambda_endpoint: options.lambda_endpoint.clone(),
            client: None,
            mail: options.mail,
            audit: options.audit,
            connect_error: None,
            pools: Vec::new(),
            pools_listed: false,
            pools_error: None,
            wanted_pool: options.pool,
            pool: None,
            pool_error: None,
            tab: Tab::Users,
            policies: PoliciesTab::default(),
            messages: MessagesTab::default(),
            users: UsersTab::default(),
            groups: GroupsTab::default(),
            triggers: TriggersTab::default(),
            app_clients: AppClientsTab::default(),
            sign_up: SignUpTab::default(),
            domain: DomainTab::default(),
            popups: Vec::new(),
            next_popup: 0,
            status: None,
            clipboard: Vec::new(),
            log: Vec::new(),
            in_flight: 0,
            activity: "",
            sdk_throttled: false,
            spinner: 0,
            quit: false,
            notice_held: false,
        };
        app.users.set_viewport(24 - SCREEN_CHROME - CHROME);
        if !options.notices.is_empty() {
            app.error(format!("settings: {}", options.notices.join("; ")));
            // Stays on the status line through start-up's own news, until a key.
            app.notice_held = true;
        }
        let effects = app.start(vec![Effect::Connect(
            options.target,
            options.lambda_endpoint,
        )]);
        (app, effects)
    }

    /// Starts with a client already connected (tests that bring their own credentials).
    pub fn with_client(options: Options, client: Client) -> (Self, Vec<Effect>) {
        let (mut app, _connect) = Self::new(options);
        let effects = app.update(Action::Connected(Ok(client)));
        (app, effects)
    }

    /// The popup that takes the keys, if any.
    pub fn popup(&self) -> Option<&dyn Owner> {
        self.popups.last().map(|p| &*p.owner)
    }

    /// The popup that takes the keys, if it is a `T`.
    pub fn top<T: Owner>(&self) -> Option<&T> {
        downcast(self.popup()?)
    }

    /// Opens a popup over whatever is open; it takes the keys.
    pub(super) fn open(&mut self, owner: Box<dyn Owner>) {
        self.next_popup += 1;
        self.popups.push(Popup {
            id: self.next_popup,
            owner,
        });
    }

    /// Counts the calls that start, for the spinner. An export or import is not one of
    /// them: its gauge says what it does for as long as it runs.
    pub(super) fn start(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let effects: Vec<Effect> = effects.into_iter().map(|e| self.audited(e)).collect();
        let calls: Vec<&Effect> = effects.iter().filter(|e| !e.background()).collect();
        if let Some(last) = calls.last() {
            self.activity = last.describe();
        }
        self.in_flight += calls.len();
        effects
    }

    /// `effect`, written in the audit log before it is made if it changes anything.
    fn audited(&self, mut effect: Effect) -> Effect {
        let Some(auditor) = &self.audit else {
            return effect;
        };
        if let Effect::Bulk {
            work: super::bulk_work::Work::Users(_),
            auditor: slot @ None,
            ..
        } = &mut effect
        {
            // A bulk action writes each user's change down as it makes it.
            *slot = Some(auditor.clone());
            return effect;
        }
        match super::audited::change(&effect, self.pool.as_ref()) {
            Some(change) => Effect::Audited {
                auditor: auditor.clone(),
                change,
                effect: Box::new(effect),
            },
            None => effect,
        }
    }

    /// Something on screen moves on its own: the spinner, or a job's gauge.
    pub fn ticking(&self) -> bool {
        self.in_flight > 0 || self.users.job.is_some()
    }

    fn say(&mut self, error: bool, text: String) {
        let status = Status {
            error,
            text: text.clone(),
        };
        self.note(error, text);
        if self.notice_held && !error {
            return;
        }
        self.status = Some(status);
    }

    /// Keeps `text` in the session's messages (and the log file), not on the status line.
    fn note(&mut self, error: bool, text: String) {
        if error {
            tracing::warn!(message = %text, "shown to the user");
        } else {
            tracing::info!(message = %text, "shown to the user");
        }
        self.log.push(Status { error, text });
        if self.log.len() > LOG_LEN {
            self.log.remove(0);
        }
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.say(true, text.into());
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.say(false, text.into());
    }

    /// Sends `text` to the terminal's clipboard, and says so; too long a text is refused
    /// (terminals cut the sequence short).
    fn copy(&mut self, text: String, what: &str) {
        if text.len() > super::clipboard::MAX_BYTES {
            self.error(format!(
                "{what} is {} bytes, more than a terminal takes in one copy ({} at most); nothing was copied",
                text.len(),
                super::clipboard::MAX_BYTES
            ));
            return;
        }
        self.info(format!("asked your terminal to copy {what} (OSC 52)"));
        self.clipboard.push(text);
    }

    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(key) => self.on_key(key),
            Action::Command(c) => self.command(c),
            Action::Resize { height, .. } => {
                let rows = usize::from(height).saturating_sub(SCREEN_CHROME + CHROME);
                for tab in Tab::ALL {
                    self.tab_mut(tab).set_rows(rows);
                }
                Vec::new()
            }
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
            Action::Terminate(_) => {
                self.quit = true;
                Vec::new()
            }
            Action::Failed { error, then } => {
                self.error(error);
                match then {
                    Some(action) => self.update(*action),
                    None => {
                        self.in_flight = self.in_flight.saturating_sub(1);
                        Vec::new()
                    }
                }
            }
            result => {
                if !matches!(result, Action::BulkDone { .. }) {
                    self.in_flight = self.in_flight.saturating_sub(1);
                }
                self.deliver(result)
            }
        }
    }

    /// Carries out what an owner asked for: `from` is the popup that asked (its own
    /// Close closes it), or None for a tab or the app.
    pub(super) fn apply(&mut self, outcome: Outcome, from: Option<u64>) -> Vec<Effect> {
        let Outcome::Handled(steps) = outcome else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        let mut steps = std::collections::VecDeque::from(steps);
        while let Some(step) = steps.pop_front() {
            match step {
                Step::Open(popup) => self.open(popup),
                Step::Close => match from {
                    Some(id) => self.popups.retain(|p| p.id != id),
                    None => drop(self.popups.pop()),
                },
                Step::Run(effect) => effects.push(effect),
                Step::Info(text) => self.info(text),
                Step::Error(text) => self.error(text),
                Step::Log { error, text } => self.note(error, text),
                Step::OpenPool(id) => effects.extend(self.open_pool(id)),
                Step::Search(filter, local) => {
                    self.users.reset(filter, local);
                    effects.extend(self.users.fetch(&env!(self)));
                }
                Step::Reload => effects.extend(self.reload()),
                Step::ReloadGroups => effects.extend(self.refresh_all(Changed::Groups)),
                Step::Discard => self.discard(),
                Step::CommandLine(line) => effects.extend(self.run_command_line(&line)),
                Step::FilterGroups(filter) => self.groups.set_filter(filter),
                Step::Bulk(work) => steps.extend(self.users.start_job(work, &env!(self))),
                Step::Copy { text, what } => self.copy(text, &what),
            }
        }
        self.start(effects)
    }

    /// Throws away the edit under a "discard?" confirmation.
    fn discard(&mut self) {
        if self.popups.pop().is_none() {
            self.tab_mut(self.tab).discard();
        }
        self.info("changes discarded");
    }

    // ------------------------------------------------------------ results

    /// The results that are the app's own (the connection, the pools, the open pool's
    /// description), before the owners are offered them.
    pub(super) fn own_result(&mut self, action: &Action) -> Vec<Step> {
        match action {
            Action::Connected(Ok(client)) => {
                self.client = Some(client.clone());
                self.connect_error = None;
                let mut steps = vec![Step::Run(Effect::ListPools(client.clone()))];
                if let Some(id) = self.wanted_pool.clone() {
                    steps.push(Step::OpenPool(id));
                }
                steps
            }
            Action::Connected(Err(e)) => {
                self.connect_error = Some(e.to_string());
                vec![Step::Error(format!("cannot connect: {e}"))]
            }
            Action::PoolsLoaded(Ok(pools)) => {
                self.pools = pools.clone();
                self.pools_listed = true;
                self.pools_error = None;
                if self.wanted_pool.is_some() {
                    return Vec::new();
                }
                match self.pools.as_slice() {
                    [only] => vec![Step::OpenPool(only.id.clone())],
                    [_, _, ..] if self.popups.is_empty() => {
                        vec![Step::Open(Box::new(PoolPicker::default()))]
                    }
                    _ => Vec::new(),
                }
            }
            Action::PoolsLoaded(Err(e)) => {
                self.pools_error = Some(e.to_string());
                vec![Step::Error(format!("cannot list pools: {e}"))]
            }
            Action::PoolLoaded { id, result } => self.pool_loaded(id, result),
            Action::PoolUpdated(Ok(d)) => {
                self.pool = Some(d.clone());
                vec![Step::Info("saved; nothing else in the pool changed".into())]
            }
            Action::PoolUpdated(Err(e)) => vec![Step::Error(format!("not saved: {e}"))],
            _ => Vec::new(),
        }
    }

    pub(super) fn show_help(&mut self) {
        self.open(Box::new(Help::default()));
    }

    pub(super) fn show_messages(&mut self) {
        self.open(Box::new(MessageLog::default()));
    }

    pub(super) fn show_audit(&mut self) -> Vec<Effect> {
        let (log, first) = AuditLog::open(&env!(self));
        self.open(Box::new(log));
        first.into_iter().collect()
    }

    pub(super) fn pick_pool(&mut self) -> Vec<Effect> {
        self.open(Box::new(PoolPicker {
            selected: self
                .pools
                .iter()
                .position(|p| Some(&p.id) == self.wanted_pool.as_ref())
                .unwrap_or(0),
            current: self.wanted_pool.clone(),
        }));
        self.client
            .clone()
            .map(Effect::ListPools)
            .into_iter()
            .collect()
    }

    fn run_command_line(&mut self, line: &str) -> Vec<Effect> {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("q" | "quit"), None) => self.quit = true,
            (Some("help"), None) => self.show_help(),
            (Some("messages" | "messages!"), None) => self.show_messages(),
            (Some("audit"), None) => return self.show_audit(),
            (Some("pool"), Some(id)) => match crate::pool::validate::pool_id(id) {
                Ok(()) => return self.open_pool(id.to_string()),
                Err(e) => self.error(e.to_string()),
            },
            (Some("pool"), None) => return self.pick_pool(),
            (None, _) => {}
            _ => self.error(format!(
                "unknown command :{line} (try :pool ID, :messages, :audit, :help, :q)"
            )),
        }
        Vec::new()
    }
}
