//! What a tab or popup answers when it is handed a command or a result: nothing for it
//! ([`Outcome::Ignored`]), or the steps the app takes next. Owners never reach into the
//! app; they read what they need from an [`Env`] and say what should happen.

use super::app::Status;
use super::effect::Effect;
use super::keymap::Keymap;
use super::owner::Owner;
use crate::client::Client;
use crate::pool::filter::Filter;
use crate::pool::{PoolDescription, PoolSummary};

/// One thing for the app to do after an owner handled a command or a result.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "a step lives only until `App::apply` takes it; most are effects to run"
)]
pub enum Step {
    /// Open this popup, over whatever is open.
    Open(Box<dyn Owner>),
    /// Close the popup that handled the command or result.
    Close,
    /// Start slow work off the UI task.
    Run(Effect),
    Info(String),
    Error(String),
    /// Open another pool.
    OpenPool(String),
    /// Show the users matching this filter (none: every user).
    Search(Option<Filter>),
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
