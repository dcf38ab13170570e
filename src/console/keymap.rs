//! Keys to commands, per context. The help popup and the key bar are generated from this
//! table, so they cannot drift from the bindings. A settings file can override it.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use super::action::Command;

/// Where a key is pressed. Lookup goes from the innermost context out to `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Global,
    Users,
    Groups,
    Policies,
    Messages,
    Triggers,
    AppClients,
    SignUp,
    Domain,
    /// A form: Create user, Policies edit, search.
    Form,
    /// The multi-line message editor.
    Editor,
    /// A popup list or page: pool picker, user details, help, confirmations.
    Popup,
}

impl Context {
    pub const ALL: [Context; 12] = [
        Self::Global,
        Self::Users,
        Self::Groups,
        Self::Policies,
        Self::Messages,
        Self::Triggers,
        Self::AppClients,
        Self::SignUp,
        Self::Domain,
        Self::Form,
        Self::Editor,
        Self::Popup,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "On every tab (not in forms or popups)",
            Self::Users => "Users",
            Self::Groups => "Groups",
            Self::Policies => "Policies",
            Self::Messages => "Message customizations",
            Self::Triggers => "Lambda triggers",
            Self::AppClients => "App clients",
            Self::SignUp => "Sign-up",
            Self::Domain => "Domain",
            Self::Form => "Forms",
            Self::Editor => "Message editor",
            Self::Popup => "Lists and popups",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Self {
        // Shift is part of the character for printable keys ('G', '?'); BackTab carries it.
        Self {
            code: e.code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    fn plain(code: KeyCode) -> Self {
        Self {
            code,
            ctrl: false,
            alt: false,
        }
    }
}

impl FromStr for Key {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "shift-tab" | "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            f if f.starts_with('f') && f.len() > 1 && f[1..].parse::<u8>().is_ok() => KeyCode::F(
                f[1..]
                    .parse()
                    .map_err(|_| format!("bad function key {f:?}"))?,
            ),
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap_or(' ')),
            other => {
                return Err(format!(
                    "unknown key {other:?} (try a letter, enter, esc, tab, ctrl-s, pgdn...)"
                ));
            }
        };
        Ok(Self { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Context, Vec<(Key, Command)>>,
}

const DEFAULTS: &[(Context, &str, Command)] = {
    use Command::*;
    use Context::*;
    &[
        (Global, "q", Quit),
        (Global, "?", Help),
        (Global, "1", TabPolicies),
        (Global, "2", TabMessages),
        (Global, "3", TabUsers),
        (Global, "4", TabGroups),
        (Global, "5", TabTriggers),
        (Global, "6", TabAppClients),
        (Global, "7", TabSignUp),
        (Global, "8", TabDomain),
        (Global, "tab", NextTab),
        (Global, "shift-tab", PrevTab),
        (Global, "p", PickPool),
        (Global, ":", CommandLine),
        (Global, "r", Refresh),
        (Global, "m", ShowMessages),
        (Global, "A", ShowAudit),
        (Users, "j", Down),
        (Users, "down", Down),
        (Users, "k", Up),
        (Users, "up", Up),
        (Users, "g", Top),
        (Users, "home", Top),
        (Users, "G", Bottom),
        (Users, "end", Bottom),
        (Users, "pgdn", PageDown),
        (Users, "ctrl-d", PageDown),
        (Users, "pgup", PageUp),
        (Users, "ctrl-u", PageUp),
        (Users, "enter", Open),
        (Users, "/", Search),
        (Users, "c", CreateUser),
        (Users, "R", Resend),
        (Users, "d", ToggleEnabled),
        (Users, "D", DeleteUser),
        (Users, "t", TrySignIn),
        (Users, "P", SetPassword),
        (Users, "S", SignOut),
        (Users, "X", ResetPassword),
        (Users, "C", ConfirmSignUp),
        (Users, "M", ResetMfa),
        (Users, "e", EditAttributes),
        (Users, "+", JoinGroup),
        (Users, "-", LeaveGroup),
        (Users, "E", Export),
        (Users, "I", Import),
        (Users, "x", StopJob),
        (Users, "y", Copy),
        (Users, "J", Raw),
        (Users, "space", Mark),
        (Users, "*", MarkAll),
        (Users, "u", ClearMarks),
        (Users, "o", Sort),
        (Users, "O", ReverseSort),
        (Groups, "j", Down),
        (Groups, "down", Down),
        (Groups, "k", Up),
        (Groups, "up", Up),
        (Groups, "g", Top),
        (Groups, "home", Top),
        (Groups, "G", Bottom),
        (Groups, "end", Bottom),
        (Groups, "pgdn", PageDown),
        (Groups, "pgup", PageUp),
        (Groups, "enter", Open),
        (Groups, "/", Search),
        (Groups, "c", CreateGroup),
        (Groups, "e", EditGroup),
        (Groups, "D", DeleteGroup),
        (Groups, "y", Copy),
        (Groups, "J", Raw),
        (Groups, "esc", Back),
        (Users, "esc", Back),
        (Policies, "e", Edit),
        (Policies, "M", EditMfa),
        (Policies, "J", Raw),
        (Messages, "j", Down),
        (Messages, "down", Down),
        (Messages, "k", Up),
        (Messages, "up", Up),
        (Messages, "e", Edit),
        (Messages, "enter", Edit),
        (Messages, "T", SendTest),
        (Messages, "F", RunFunction),
        (Triggers, "j", Down),
        (Triggers, "down", Down),
        (Triggers, "k", Up),
        (Triggers, "up", Up),
        (Triggers, "g", Top),
        (Triggers, "home", Top),
        (Triggers, "G", Bottom),
        (Triggers, "end", Bottom),
        (Triggers, "e", Edit),
        (Triggers, "enter", Edit),
        (Triggers, "D", ClearTrigger),
        (AppClients, "j", Down),
        (AppClients, "down", Down),
        (AppClients, "k", Up),
        (AppClients, "up", Up),
        (AppClients, "g", Top),
        (AppClients, "home", Top),
        (AppClients, "G", Bottom),
        (AppClients, "end", Bottom),
        (AppClients, "enter", Open),
        (AppClients, "c", CreateClient),
        (AppClients, "e", Edit),
        (AppClients, "D", DeleteClient),
        (AppClients, "y", Copy),
        (AppClients, "J", Raw),
        (SignUp, "j", Down),
        (SignUp, "down", Down),
        (SignUp, "k", Up),
        (SignUp, "up", Up),
        (SignUp, "g", Top),
        (SignUp, "home", Top),
        (SignUp, "G", Bottom),
        (SignUp, "end", Bottom),
        (SignUp, "e", Edit),
        (SignUp, "a", AddAttribute),
        (Domain, "j", Down),
        (Domain, "down", Down),
        (Domain, "k", Up),
        (Domain, "up", Up),
        (Domain, "g", Top),
        (Domain, "home", Top),
        (Domain, "G", Bottom),
        (Domain, "end", Bottom),
        (Domain, "n", CreateDomain),
        (Domain, "X", DeleteDomain),
        (Domain, "c", CreateServer),
        (Domain, "e", Edit),
        (Domain, "D", DeleteServer),
        (Domain, "y", Copy),
        (Triggers, "delete", ClearTrigger),
        (Form, "ctrl-s", Save),
        (Form, "enter", Save),
        (Form, "esc", Back),
        (Form, "tab", NextField),
        (Form, "down", NextField),
        (Form, "shift-tab", PrevField),
        (Form, "up", PrevField),
        (Form, "space", Toggle),
        (Form, "ctrl-r", Reveal),
        (Form, "ctrl-o", SwitchOperator),
        (Form, "ctrl-n", AddRow),
        (Form, "ctrl-x", RemoveRow),
        (Editor, "ctrl-s", Save),
        (Editor, "esc", Back),
        (Editor, "ctrl-t", SendTest),
        (Popup, "j", Down),
        (Popup, "down", Down),
        (Popup, "k", Up),
        (Popup, "up", Up),
        (Popup, "g", Top),
        (Popup, "G", Bottom),
        (Popup, "pgdn", PageDown),
        (Popup, "pgup", PageUp),
        (Popup, "a", AddMember),
        (Popup, "x", RemoveMember),
        (Popup, "enter", Open),
        (Popup, "space", Toggle),
        (Popup, "r", Refresh),
        (Popup, "T", SendTest),
        (Popup, "ctrl-r", Reveal),
        (Popup, "y", Copy),
        (Popup, "J", Raw),
        (Popup, "esc", Back),
        (Popup, "q", Back),
        (Popup, "?", Help),
    ]
};

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings: BTreeMap<Context, Vec<(Key, Command)>> = BTreeMap::new();
        for (context, key, command) in DEFAULTS {
            let key: Key = key.parse().unwrap_or(Key::plain(KeyCode::Null));
            bindings.entry(*context).or_default().push((key, *command));
        }
        Self { bindings }
    }
}

/// The `[keys]` table of the settings file: context -> command -> keys.
pub type KeyOverrides = BTreeMap<String, BTreeMap<String, Vec<String>>>;

impl Keymap {
    /// The first command bound to `key`, looking in `contexts` in order.
    pub fn lookup(&self, contexts: &[Context], key: &KeyEvent) -> Option<Command> {
        let key = Key::from_event(key);
        contexts.iter().find_map(|c| {
            self.bindings
                .get(c)?
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, command)| *command)
        })
    }

    /// Each command of `context` with all its keys, in binding order.
    pub fn entries(&self, context: Context) -> Vec<(Vec<String>, Command)> {
        let mut out: Vec<(Vec<String>, Command)> = Vec::new();
        for (key, command) in self.bindings.get(&context).into_iter().flatten() {
            match out.iter_mut().find(|(_, c)| c == command) {
                Some((keys, _)) => keys.push(key.to_string()),
                None => out.push((vec![key.to_string()], *command)),
            }
        }
        out
    }

    /// The first key of `command` in `context`, for hints.
    pub fn key_for(&self, context: Context, command: Command) -> Option<String> {
        self.bindings
            .get(&context)?
            .iter()
            .find(|(_, c)| *c == command)
            .map(|(k, _)| k.to_string())
    }

    /// Applies the settings file's overrides. Each bad entry is reported and skipped.
    pub fn with_overrides(mut self, overrides: &KeyOverrides) -> (Self, Vec<String>) {
        let mut problems = Vec::new();
        for (context_name, commands) in overrides {
            let context: Context = match serde_json::from_value(serde_json::Value::String(
                context_name.clone(),
            )) {
                Ok(c) => c,
                Err(_) => {
                    problems.push(format!(
                        "keys.{context_name}: unknown context (use global, users, groups, policies, messages, form, editor, popup)"
                    ));
                    continue;
                }
            };
            for (command_name, keys) in commands {
                let command: Command =
                    match serde_json::from_value(serde_json::Value::String(command_name.clone())) {
                        Ok(c) => c,
                        Err(_) => {
                            problems.push(format!(
                                "keys.{context_name}.{command_name}: unknown command"
                            ));
                            continue;
                        }
                    };
                let parsed: Result<Vec<Key>, String> = keys.iter().map(|k| k.parse()).collect();
                match parsed {
                    Ok(parsed) => {
                        // The new keys take the old ones' place, so the command keeps its
                        // place in help and the key bar.
                        let list = self.bindings.entry(context).or_default();
                        let mut at = list
                            .iter()
                            .position(|(_, c)| *c == command)
                            .unwrap_or(list.len());
                        list.retain(|(_, c)| *c != command);
                        for key in parsed {
                            if let Some(i) = list.iter().position(|(k, _)| *k == key) {
                                list.remove(i);
                                if i < at {
                                    at -= 1;
                                }
                            }
                            at = at.min(list.len());
                            list.insert(at, (key, command));
                            at += 1;
                        }
                    }
                    Err(e) => problems.push(format!("keys.{context_name}.{command_name}: {e}")),
                }
            }
        }
        (self, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn inner_context_wins() {
        let k = Keymap::default();
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            k.lookup(&[Context::Popup, Context::Global], &q),
            Some(Command::Back)
        );
        assert_eq!(
            k.lookup(&[Context::Users, Context::Global], &q),
            Some(Command::Quit)
        );
        let save = ev(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(k.lookup(&[Context::Form], &save), Some(Command::Save));
        let g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(k.lookup(&[Context::Users], &g), Some(Command::Bottom));
    }

    #[test]
    fn keys_parse_and_print() {
        for s in [
            "q",
            "ctrl-s",
            "shift-tab",
            "enter",
            "pgdn",
            "f2",
            "?",
            "alt-x",
        ] {
            assert_eq!(s.parse::<Key>().unwrap().to_string(), s);
        }
        assert!("ctrl-nonsense".parse::<Key>().is_err());
    }

    #[test]
    fn overrides_replace_and_report_problems() {
        let toml_text = r#"
            [users]
            create_user = ["n"]
            nonsense = ["x"]
            [nowhere]
            quit = ["x"]
            [global]
            quit = ["ctrl-bogus"]
        "#;
        let overrides: KeyOverrides = toml::from_str(toml_text).unwrap();
        let (k, problems) = Keymap::default().with_overrides(&overrides);
        assert_eq!(problems.len(), 3, "{problems:?}");
        let n = ev(KeyCode::Char('n'), KeyModifiers::NONE);
        let c = ev(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(k.lookup(&[Context::Users], &n), Some(Command::CreateUser));
        assert_eq!(k.lookup(&[Context::Users], &c), None);
        let order: Vec<Command> = k.entries(Context::Users).iter().map(|(_, c)| *c).collect();
        let default: Vec<Command> = Keymap::default()
            .entries(Context::Users)
            .iter()
            .map(|(_, c)| *c)
            .collect();
        assert_eq!(order, default, "a remapped command keeps its place");
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            k.lookup(&[Context::Global], &q),
            Some(Command::Quit),
            "a bad entry leaves the default"
        );
    }
}
