//! What every tab and popup is to the app: an [`Owner`]. It owns its keys (the commands
//! it answers now and what it does with them), the results of the calls it started, and
//! its drawing. The router finds the owner once (the top popup, else the current tab)
//! and hands it the key; a result is offered to the owners in the same order, so no
//! list of result kinds is kept anywhere but in the owners that asked for them.
//!
//! What an owner answers is an [`Outcome`]: nothing for it ([`Outcome::Ignored`]), or
//! the [`Step`]s the app takes next. Owners never reach into the app; they read what
//! they need from an [`Env`] and say what should happen.

use std::any::Any;
use std::fmt::Debug;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::{Action, Command};
use super::effect::Effect;
use super::keymap::{Context, Keymap};
use super::theme::Theme;
use crate::client::Client;
use crate::pool::filter::Filter;
use crate::pool::{PoolDescription, PoolSummary};

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

    /// What a command does here, when it says more than its usual words (the key bar
    /// and help show it): "disable 12 marked" for the enable key with marks.
    fn label(&self, _command: Command) -> Option<String> {
        None
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

    /// A tab's body has `rows` rows now (the terminal was resized), for paging.
    fn set_rows(&mut self, _rows: usize) {}

    /// Throws away its unsaved edits: "discard?" was answered yes.
    fn discard(&mut self) {}

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
    /// Help's first section: the keys of the layer under it, with what each does there.
    pub here: Vec<(Vec<String>, Command, String)>,
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

/// One thing for the app to do after an owner handled a command or a result.
#[derive(Debug)]
pub enum Step {
    /// Open this popup, over whatever is open.
    Open(Box<dyn Owner>),
    /// Close the popup that handled the command or result.
    Close,
    /// Start slow work off the UI task.
    Run(Effect),
    Info(String),
    Error(String),
    /// A line for the messages (`m`) alone, leaving the status line as it is: each
    /// user's outcome in a bulk action.
    Log {
        error: bool,
        text: String,
    },
    /// Open another pool.
    OpenPool(String),
    /// Show the users matching ListUsers' filter (none: every user) and the local ones.
    Search(Option<Filter>, crate::pool::user_filter::LocalFilter),
    /// The pool's users or its estimate changed: load both again.
    Reload,
    /// Throw away the edits under the confirmation (a form, the message editor).
    Discard,
    /// Run a `:` command.
    CommandLine(String),
    /// Show the groups whose name holds this (none or empty: every group).
    FilterGroups(Option<String>),
    /// Groups or memberships changed: load the groups again, and the members or the
    /// user's groups shown in a popup.
    ReloadGroups,
    /// Start an export or import (the Users tab runs it and shows its progress).
    Bulk(super::bulk_work::Work),
    /// Put `text` on the clipboard of the admin's terminal; `what` says what it is.
    Copy {
        text: String,
        what: String,
    },
}

#[derive(Debug)]
pub enum Outcome {
    /// Not this owner's command here; nothing changed.
    Ignored,
    Handled(Vec<Step>),
}

impl Outcome {
    /// Handled, with nothing more to do.
    pub fn done() -> Self {
        Self::Handled(Vec::new())
    }

    pub fn steps(steps: impl IntoIterator<Item = Step>) -> Self {
        Self::Handled(steps.into_iter().collect())
    }

    pub fn one(step: Step) -> Self {
        Self::Handled(vec![step])
    }

    pub fn error(text: impl Into<String>) -> Self {
        Self::one(Step::Error(text.into()))
    }
}

/// A message on the status line, kept in the session's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub error: bool,
    pub text: String,
}

/// What owners may read of the app while they handle something.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub client: Option<&'a Client>,
    /// The open pool, once described.
    pub pool: Option<&'a PoolDescription>,
    /// The pool being opened or open: known before its description arrives, so its
    /// first page of users is asked for at the same time as the description.
    pub pool_id: Option<&'a str>,
    pub pools: &'a [PoolSummary],
    /// The pools have been listed at least once (an empty `pools` then means none).
    pub pools_listed: bool,
    pub read_only: bool,
    pub keymap: &'a Keymap,
    /// Every message shown this session, oldest first.
    pub messages: &'a [Status],
    /// Where test messages go out (`--smtp`), if anywhere.
    pub mail: Option<&'a crate::mail::Relay>,
    /// The audit log this session writes in, if any.
    pub audit: Option<&'a crate::client::AuditLog>,
}

impl Env<'_> {
    /// An effect on the open pool, or an explanation of why there is none yet.
    pub fn call(&self, effect: impl FnOnce(Client, String) -> Effect) -> Result<Effect, String> {
        match (self.client, self.pool) {
            (Some(client), Some(pool)) => Ok(effect(client.clone(), pool.id.clone())),
            (None, _) => Err("not connected yet".into()),
            (Some(_), None) => Err("the pool is not loaded yet".into()),
        }
    }
}
