//! The one router. It decides once which layer has the keys (the top popup, else the
//! tab in its mode), looks the key up in that layer's keymap contexts, and hands the
//! command to the layer's owner, but only a command the owner says it answers there.
//! The key bar and help are made from the same answer ([`App::hints`]), so a key shown
//! is a key that works, and a key remapped in the settings file is shown remapped.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;
use super::app::{App, env};
use super::effect::Effect;
use super::keymap::Context;
use super::outcome::{Env, Outcome};
use super::tabs::Tab;
use super::user_actions;

/// Where keys go now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// The popup at this place in the stack.
    Popup(usize),
    Tab(Tab),
}

/// The commands the app itself answers on a tab (not in a form, editor or popup).
const GLOBAL: [Command; 11] = [
    Command::Quit,
    Command::Help,
    Command::NextTab,
    Command::PrevTab,
    Command::TabPolicies,
    Command::TabMessages,
    Command::TabUsers,
    Command::TabGroups,
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

    /// The keymap context a layer's keys are looked up in.
    pub fn context_of(&self, layer: Layer) -> Context {
        match layer {
            Layer::Popup(i) => self.popups[i].context(),
            Layer::Tab(Tab::Policies) if self.policies.form.is_some() => Context::Form,
            Layer::Tab(Tab::Messages) if self.messages.editor.is_some() => Context::Editor,
            Layer::Tab(tab) => tab.context(),
        }
    }

    /// The innermost context, for the key bar and help.
    pub fn context(&self) -> Context {
        self.context_of(self.layer())
    }

    /// The contexts a layer looks keys up in, innermost first: a tab also takes the
    /// keys that work on every tab.
    pub fn chain(&self, layer: Layer) -> Vec<Context> {
        if let Layer::Popup(i) = layer {
            return self.popups[i].chain();
        }
        match self.context_of(layer) {
            c @ (Context::Users | Context::Groups | Context::Policies | Context::Messages) => {
                vec![c, Context::Global]
            }
            c => vec![c],
        }
    }

    /// The commands a layer answers now, and whether each is the app's own.
    fn answers(&self, layer: Layer, env: &Env) -> Vec<Command> {
        match layer {
            Layer::Popup(i) => self.popups[i].commands(env),
            Layer::Tab(tab) => {
                let mut commands = match tab {
                    Tab::Users => self.users.commands(env),
                    Tab::Policies => self.policies.commands(env),
                    Tab::Messages => self.messages.commands(env),
                    Tab::Groups => self.groups.commands(env),
                };
                if self.context_of(layer) == tab.context() {
                    commands.extend(GLOBAL);
                    commands.extend([Command::ShowMessages, Command::ShowAudit]);
                }
                commands
            }
        }
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
        let layer = self.layer();
        let chain = self.chain(layer);
        let command = self.keymap.lookup(&chain, &key);
        match layer {
            Layer::Popup(_) => {
                if let Some(popup) = self.popups.last_mut()
                    && popup.type_key(&key)
                {
                    return Vec::new();
                }
            }
            Layer::Tab(Tab::Messages) if command.is_none() && self.messages.type_key(key) => {
                return Vec::new();
            }
            Layer::Tab(Tab::Policies) if typing(&key) => {
                if let Some(form) = &mut self.policies.form
                    && form.type_key(&key)
                {
                    return Vec::new();
                }
            }
            Layer::Tab(_) => {}
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
                || user_actions::ACTIONS.contains(&command)
                || matches!(command, Command::AddMember | Command::RemoveMember))
    }

    /// Hands a command to the layer that has the keys.
    pub fn command(&mut self, command: Command) -> Vec<Effect> {
        let layer = self.layer();
        let tab_level =
            self.context_of(layer) == self.tab.context() && layer == Layer::Tab(self.tab);
        if self.read_only_refuses(command, tab_level) {
            self.error(format!(
                "read-only: {} is disabled (started with --read-only)",
                command.describe()
            ));
            return Vec::new();
        }
        let env = env!(self);
        if !self.answers(layer, &env).contains(&command) {
            let why = match layer {
                Layer::Popup(i) => self.popups[i].why_not(command),
                Layer::Tab(Tab::Users) if tab_level => self.users.why_not(command),
                Layer::Tab(Tab::Groups) if tab_level => self.groups.why_not(command),
                Layer::Tab(_) => None,
            };
            if let Some(why) = why {
                self.error(why);
            }
            return Vec::new();
        }
        let outcome = match layer {
            Layer::Popup(_) => {
                let Some(mut popup) = self.popups.pop() else {
                    return Vec::new();
                };
                let outcome = popup.handle(command, &env!(self));
                self.popups.push(popup);
                outcome
            }
            Layer::Tab(tab) => {
                let env = env!(self);
                match tab {
                    Tab::Users => self.users.handle(command, &env),
                    Tab::Policies => self.policies.handle(command, &env),
                    Tab::Messages => self.messages.handle(command, &env),
                    Tab::Groups => self.groups.handle(command, &env),
                }
            }
        };
        match outcome {
            Outcome::Ignored => {
                let effects = self.global(command);
                self.start(effects)
            }
            handled => self.apply(handled),
        }
    }

    /// The commands of every tab.
    fn global(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::Quit => self.quit = true,
            Command::Help => self.show_help(),
            Command::ShowMessages => self.show_messages(),
            Command::ShowAudit => return self.show_audit(),
            Command::NextTab => self.tab = self.tab.next(),
            Command::PrevTab => self.tab = self.tab.prev(),
            Command::TabPolicies => self.tab = Tab::Policies,
            Command::TabMessages => self.tab = Tab::Messages,
            Command::TabUsers => self.tab = Tab::Users,
            Command::TabGroups => self.tab = Tab::Groups,
            Command::PickPool => return self.pick_pool(),
            Command::CommandLine => self
                .popups
                .push(super::popups::Popup::CommandLine(Default::default())),
            Command::Refresh => return self.refresh(),
            _ => {}
        }
        Vec::new()
    }
}

/// Keys that type into a text field rather than command the form.
fn typing(key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace) && !ctrl && !alt
        || matches!(key.code, KeyCode::Char('w' | 'u')) && ctrl
}
