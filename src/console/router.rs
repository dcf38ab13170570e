//! The one router. It decides once which layer has the keys (the top popup, else the
//! tab in its mode), looks the key up in that layer's keymap contexts, and hands the
//! command to the layer's owner, but only a command the owner says it answers there.
//! Results go the same way: to the owner that asked, and to every owner that shows what
//! they are about.
//! The key bar and help are made from the same answer ([`App::hints`]), so a key shown
//! is a key that works, and a key remapped in the settings file is shown remapped.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Command};
use super::app::{App, env};
use super::effect::Effect;
use super::keymap::Context;
use super::owner::{Changed, Env, Outcome, Owner};
use super::popups::command_line::CommandLine;
use super::tabs::Tab;
use super::user_actions;

/// Where keys go now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// The popup at this place in the stack.
    Popup(usize),
    Tab(Tab),
}

/// The commands the app itself answers on a tab (not in a form, editor or popup),
/// besides the key of each tab.
const GLOBAL: [Command; 7] = [
    Command::Quit,
    Command::Help,
    Command::NextTab,
    Command::PrevTab,
    Command::PickPool,
    Command::CommandLine,
    Command::Refresh,
];

impl App {
    /// The layer that has the keys.
    pub fn layer(&self) -> Layer {
        match self.popups.len() {
            0 => Layer::Tab(self.tab),
            n => Layer::Popup(n - 1),
        }
    }

    /// The owner of a layer.
    pub fn owner(&self, layer: Layer) -> &dyn Owner {
        match layer {
            Layer::Popup(i) => &*self.popups[i].owner,
            Layer::Tab(Tab::Policies) => &self.policies,
            Layer::Tab(Tab::Messages) => &self.messages,
            Layer::Tab(Tab::Users) => &self.users,
            Layer::Tab(Tab::Groups) => &self.groups,
            Layer::Tab(Tab::Triggers) => &self.triggers,
            Layer::Tab(Tab::AppClients) => &self.app_clients,
            Layer::Tab(Tab::SignUp) => &self.sign_up,
            Layer::Tab(Tab::Domain) => &self.domain,
        }
    }

    /// A tab as an owner: with [`App::owner`], the one place the tabs are told apart.
    pub(super) fn tab_mut(&mut self, tab: Tab) -> &mut dyn Owner {
        match tab {
            Tab::Policies => &mut self.policies,
            Tab::Messages => &mut self.messages,
            Tab::Users => &mut self.users,
            Tab::Groups => &mut self.groups,
            Tab::Triggers => &mut self.triggers,
            Tab::AppClients => &mut self.app_clients,
            Tab::SignUp => &mut self.sign_up,
            Tab::Domain => &mut self.domain,
        }
    }

    /// The keymap context a layer's keys are looked up in.
    pub fn context_of(&self, layer: Layer) -> Context {
        self.owner(layer).context()
    }

    /// The innermost context, for the key bar and help.
    pub fn context(&self) -> Context {
        self.context_of(self.layer())
    }

    /// A tab itself (not its form or editor): it also takes the keys of every tab.
    fn tab_level(&self, layer: Layer) -> bool {
        matches!(layer, Layer::Tab(tab) if self.context_of(layer) == tab.context())
    }

    /// The contexts a layer looks keys up in, innermost first.
    pub fn chain(&self, layer: Layer) -> Vec<Context> {
        let mut chain = self.owner(layer).chain();
        if self.tab_level(layer) {
            chain.push(Context::Global);
        }
        chain
    }

    /// The commands a layer answers now, the app's own included on a tab.
    fn answers(&self, layer: Layer, env: &Env) -> Vec<Command> {
        let mut commands = self.owner(layer).commands(env);
        // Help opens over any layer that does not type `?` itself.
        if !commands.contains(&Command::Help) {
            commands.push(Command::Help);
        }
        if self.tab_level(layer) {
            commands.extend(GLOBAL.iter().filter(|c| **c != Command::Help));
            commands.extend(Tab::ALL.map(Tab::command));
            commands.extend([Command::ShowMessages, Command::ShowAudit]);
        }
        commands
    }

    /// What `command` does in `layer`, in the words of the owner there.
    pub fn label(&self, layer: Layer, command: Command) -> String {
        self.owner(layer)
            .label(command)
            .unwrap_or_else(|| command.describe().to_string())
    }

    /// Each command that works in `layer`, with every key bound to it there, in the
    /// keymap's order. Commands that write are left out under `--read-only`.
    pub fn hints(&self, layer: Layer) -> Vec<(Vec<String>, Command)> {
        let env = env!(self);
        let answers = self.answers(layer, &env);
        let tab_level = matches!(layer, Layer::Tab(_));
        let mut out: Vec<(Vec<String>, Command)> = Vec::new();
        for context in self.chain(layer) {
            for (keys, command) in self.keymap.entries(context) {
                if !answers.contains(&command)
                    || self.read_only_refuses(command, tab_level)
                    || out.iter().any(|(_, c)| *c == command)
                {
                    continue;
                }
                out.push((keys, command));
            }
        }
        out
    }

    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return Vec::new();
        }
        // A message is true of the moment it was said; the next key moves on from it
        // (the messages popup keeps them all).
        self.status = None;
        self.notice_held = false;
        let layer = self.layer();
        let command = self.keymap.lookup(&self.chain(layer), &key);
        if self.with_owner(layer, |owner, _| owner.type_key(&key, command)) {
            return Vec::new();
        }
        match command {
            Some(c) => self.command(c),
            None => Vec::new(),
        }
    }

    /// Under `--read-only`, a command that writes is refused where it would start a
    /// change: on a tab, as an action on a user, or on a group's members. (Inside a form
    /// that is already open, Save belongs to that form; no writing form opens.)
    fn read_only_refuses(&self, command: Command, tab_level: bool) -> bool {
        self.read_only
            && command.writes()
            && (tab_level
                || user_actions::is_action(command)
                || matches!(command, Command::AddMember | Command::RemoveMember))
    }

    /// Hands a command to the layer that has the keys.
    pub fn command(&mut self, command: Command) -> Vec<Effect> {
        let layer = self.layer();
        let tab_level = self.tab_level(layer);
        if self.read_only_refuses(command, tab_level) {
            self.error(format!(
                "read-only: {} is disabled ({})",
                command.describe(),
                self.read_only_why
            ));
            return Vec::new();
        }
        if !self.answers(layer, &env!(self)).contains(&command) {
            // A form's or editor's keys say nothing of why a tab's command does not work.
            let why = match layer {
                Layer::Tab(_) if !tab_level => None,
                _ => self.owner(layer).why_not(command),
            };
            if let Some(why) = why {
                self.error(why);
            }
            return Vec::new();
        }
        let outcome = self.with_owner(layer, |owner, env| owner.handle(command, env));
        match outcome {
            Outcome::Ignored => {
                let effects = self.global(command);
                self.start(effects)
            }
            handled => self.apply(handled, self.popup_id(layer)),
        }
    }

    /// Runs `f` on a layer's owner, beside a view of the rest of the app.
    fn with_owner<R>(&mut self, layer: Layer, f: impl FnOnce(&mut dyn Owner, &Env) -> R) -> R {
        let env = env!(self);
        match layer {
            Layer::Popup(i) => f(&mut *self.popups[i].owner, &env),
            Layer::Tab(Tab::Policies) => f(&mut self.policies, &env),
            Layer::Tab(Tab::Messages) => f(&mut self.messages, &env),
            Layer::Tab(Tab::Users) => f(&mut self.users, &env),
            Layer::Tab(Tab::Groups) => f(&mut self.groups, &env),
            Layer::Tab(Tab::Triggers) => f(&mut self.triggers, &env),
            Layer::Tab(Tab::AppClients) => f(&mut self.app_clients, &env),
            Layer::Tab(Tab::SignUp) => f(&mut self.sign_up, &env),
            Layer::Tab(Tab::Domain) => f(&mut self.domain, &env),
        }
    }

    fn popup_id(&self, layer: Layer) -> Option<u64> {
        match layer {
            Layer::Popup(i) => Some(self.popups[i].id),
            Layer::Tab(_) => None,
        }
    }

    /// Every layer, the top popup first and the tabs last.
    fn layers(&self) -> Vec<Layer> {
        let popups = (0..self.popups.len()).rev().map(Layer::Popup);
        popups.chain(Tab::ALL.map(Layer::Tab)).collect()
    }

    /// A call's result: the app takes what is its own, the owner that asked answers it
    /// (the top popup that takes it, else the tab behind), and every owner that shows
    /// what it is about sees it. A popup closed while its call was out takes nothing.
    pub(super) fn deliver(&mut self, result: Action) -> Vec<Effect> {
        let mut effects = {
            let steps = self.own_result(&result);
            self.apply(Outcome::Handled(steps), None)
        };
        let layers = self.layers();
        let mut replies = Vec::new();
        let mut answered = false;
        for &layer in &layers {
            if let Some(steps) = self.with_owner(layer, |owner, env| owner.answer(&result, env)) {
                replies.push((self.popup_id(layer), steps));
                answered = true;
                break;
            }
        }
        if !answered {
            tracing::debug!(?result, "a result nobody asked for any more");
        }
        for &layer in &layers {
            let steps = self.with_owner(layer, |owner, env| owner.observe(&result, env));
            if !steps.is_empty() {
                replies.push((self.popup_id(layer), steps));
            }
        }
        for (from, steps) in replies {
            effects.extend(self.apply(Outcome::Handled(steps), from));
        }
        effects
    }

    /// Something in the pool changed: every owner that shows it loads it again.
    pub(super) fn refresh_all(&mut self, changed: Changed) -> Vec<Effect> {
        let mut effects = Vec::new();
        for layer in self.layers() {
            effects.extend(self.with_owner(layer, |owner, env| owner.refresh(changed, env)));
        }
        effects
    }

    /// The commands of every tab.
    fn global(&mut self, command: Command) -> Vec<Effect> {
        if let Some(tab) = Tab::switched_to_by(command) {
            self.tab = tab;
            return Vec::new();
        }
        match command {
            Command::Quit => self.quit = true,
            Command::Help => self.show_help(),
            Command::ShowMessages => self.show_messages(),
            Command::ShowAudit => return self.show_audit(),
            Command::NextTab => self.tab = self.tab.next(),
            Command::PrevTab => self.tab = self.tab.prev(),
            Command::PickPool => return self.pick_pool(),
            Command::CommandLine => self.open(Box::new(CommandLine::default())),
            Command::Refresh => return self.refresh(),
            _ => {}
        }
        Vec::new()
    }
}
