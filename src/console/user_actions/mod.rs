//! What can be done to one user, the same from the Users list and from the user's
//! details. Each action is one file: when it applies and why not ([`UserAction`]), what
//! it asks first (every change that cannot be undone asks), the change it makes
//! ([`ChangeToUser`]: the client call, its entry in the audit log, what the status line
//! says after). Adding one is that file, its line in [`ACTIONS`], its command and key
//! (`action::Command`, `keymap`) and its client call.

pub mod confirm_sign_up;
pub mod delete;
pub mod edit_attributes;
pub mod enable;
pub mod groups;
pub mod many;
pub mod resend;
pub mod reset_mfa;
pub mod reset_password;
pub mod set_password;
pub mod sign_out;
pub mod try_sign_in;

use super::action::{Command, Confirmed};
use super::effect::Effect;
use super::owner::{Env, Outcome, Step};
use super::popups::confirm::Confirm;
use crate::pool::User;

/// One action on one user, as the keys offer it.
pub trait UserAction: Sync {
    /// The command that starts it (its keys come from the keymap).
    fn command(&self) -> Command;

    /// Why it does not apply to `user` as they are now.
    fn why_not(&self, _user: &User) -> Option<String> {
        None
    }

    /// What it opens first: a question, a form, or the sign-in walk.
    fn ask(&self, user: &User, env: &Env) -> Outcome;
}

/// Every action on one user, in the order the key bar shows them.
pub static ACTIONS: [&dyn UserAction; 12] = [
    &try_sign_in::Ask,
    &edit_attributes::Ask,
    &set_password::Ask,
    &reset_password::Ask,
    &reset_mfa::Ask,
    &confirm_sign_up::Ask,
    &sign_out::Ask,
    &groups::Join,
    &groups::Leave,
    &enable::Ask,
    &delete::Ask,
    &resend::Ask,
];

pub use super::user_change::{Call, ChangeToUser, UserChange};

fn find(command: Command) -> Option<&'static dyn UserAction> {
    ACTIONS.iter().copied().find(|a| a.command() == command)
}

/// The command starts an action on one user.
pub fn is_action(command: Command) -> bool {
    find(command).is_some()
}

/// The actions that apply to `user` now.
pub fn commands(user: &User) -> Vec<Command> {
    ACTIONS
        .iter()
        .filter(|a| a.why_not(user).is_none())
        .map(|a| a.command())
        .collect()
}

/// Why an action does not apply to `user`.
pub fn why_not(user: &User, command: Command) -> Option<String> {
    find(command)?.why_not(user)
}

/// Opens what the action needs; Ignored for a command that is no action on a user.
pub fn act(user: &User, command: Command, env: &Env) -> Outcome {
    match find(command) {
        Some(action) => action.ask(user, env),
        None => Outcome::Ignored,
    }
}

/// "Do this to the user?", with what will happen; yes makes `change`.
fn confirm(title: String, lines: Vec<String>, change: impl ChangeToUser) -> Outcome {
    Outcome::one(Step::Open(Box::new(Confirm {
        title,
        lines,
        then: Confirmed::User(UserChange::new(change)),
    })))
}

/// The effect that makes `change` on the open pool, or why there is none yet.
pub fn effect(change: impl ChangeToUser, env: &Env) -> Result<Effect, String> {
    let change = UserChange::new(change);
    env.call(|client, pool| Effect::ChangeUser(client, pool, change))
}

/// The user's status, as Cognito names it.
fn status(user: &User) -> &'static str {
    user.status.map_or("-", |s| s.as_str())
}
