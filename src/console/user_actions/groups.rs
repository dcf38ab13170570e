//! Add a user to a group or remove them from one (`popups::membership` asks which);
//! the change is a group change (`action::GroupChange::Membership`), as from a group's
//! members.

use super::UserAction;
use crate::console::action::Command;
use crate::console::owner::{Env, Outcome};
use crate::console::popups::membership::Membership;
use crate::pool::User;

pub struct Join;

pub struct Leave;

fn ask(user: &User, add: bool, env: &Env) -> Outcome {
    Membership::open_for_user(&user.username, add, env)
}

impl UserAction for Join {
    fn command(&self) -> Command {
        Command::JoinGroup
    }

    fn ask(&self, user: &User, env: &Env) -> Outcome {
        ask(user, true, env)
    }
}

impl UserAction for Leave {
    fn command(&self) -> Command {
        Command::LeaveGroup
    }

    fn ask(&self, user: &User, env: &Env) -> Outcome {
        ask(user, false, env)
    }
}
