//! What every tab and popup is to the app: an [`Owner`]. It owns its keys (the commands
//! it answers now and what it does with them), the results of the calls it started, and
//! its drawing. The router finds the owner once (the top popup, else the current tab)
//! and hands it the key; a result is offered to the owners in the same order, so no
//! list of result kinds is kept anywhere but in the owners that asked for them.

use std::any::Any;
use std::fmt::Debug;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::{Action, Command};
use super::effect::Effect;
use super::keymap::{Context, Keymap};
use super::outcome::{Env, Outcome, Step};
use super::theme::Theme;

/// A tab or a popup. Every method but `commands`, `handle` and `draw` has a default
/// that suits a popup that does nothing more.
pub trait Owner: Any + Debug + Send {
    /// The keymap context its keys are looked up in now.
    fn context(&self) -> Context {
        Context::Popup
    }

    /// The contexts its keys are looked up in, innermost first.
    fn chain(&self) -> Vec<Context> {
        vec![self.context()]
    }

    /// The commands it answers now: exactly what the key bar and help show.
    fn commands(&self, env: &Env) -> Vec<Command>;

    /// Carries out one of its commands.
    fn handle(&mut self, command: Command, env: &Env) -> Outcome;

    /// Typing into its text. `bound` is the command the key means here, if any (an
    /// editor types only keys that mean nothing else; a form types first). True when
    /// the key was used.
    fn type_key(&mut self, _key: &KeyEvent, _bound: Option<Command>) -> bool {
        false
    }

    /// Why a command it has does nothing now, if it can say.
    fn why_not(&self, _command: Command) -> Option<String> {
        None
    }

    /// The result of a call it started, answered: None when the result is not its own
    /// (a closed popup's result is offered on, to the tab that stands behind it).
    fn answer(&mut self, _result: &Action, _env: &Env) -> Option<Vec<Step>> {
        None
    }

    /// Any result, seen by every owner that shows what it is about (the details of a
    /// user who was just changed), whoever answered it.
    fn observe(&mut self, _result: &Action, _env: &Env) -> Vec<Step> {
        Vec::new()
    }

    /// Something in the pool changed: the calls that load again what it shows of it.
    fn refresh(&mut self, _changed: Changed, _env: &Env) -> Vec<Effect> {
        Vec::new()
    }

    /// Draws it; nothing changes while drawing.
    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui);
}

/// What changed in the pool, for the owners that show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// The users (or their number).
    Users,
    /// The groups or their memberships.
    Groups,
}

/// An owner, looked at as what it is (for tests and the app's few questions).
pub fn downcast<T: Owner>(owner: &dyn Owner) -> Option<&T> {
    (owner as &dyn Any).downcast_ref::<T>()
}

/// What every drawing may read besides its own state: the theme, the live keymap (for
/// the hints it writes) and the app's read-only view for what help and pickers show.
pub struct Ui<'a> {
    pub theme: Theme,
    pub keymap: &'a Keymap,
    pub env: Env<'a>,
    /// The whole screen (a command line sits at its foot, not in the body).
    pub screen: Rect,
    /// Help's first section: the keys of the layer under it.
    pub here: Vec<(Vec<String>, Command)>,
    pub here_title: String,
}

impl Ui<'_> {
    /// "enter saves · esc cancels", from the live keymap of `context`.
    pub fn hint(&self, context: Context, pairs: &[(Command, &str)]) -> String {
        hint(self.keymap, context, pairs)
    }
}

/// Key hints made from the keymap, so a remapped key is shown as it is.
pub fn hint(keymap: &Keymap, context: Context, pairs: &[(Command, &str)]) -> String {
    pairs
        .iter()
        .filter_map(|(command, what)| {
            keymap
                .key_for(context, *command)
                .map(|k| format!("{k} {what}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
