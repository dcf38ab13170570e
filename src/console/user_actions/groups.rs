//! Add a user to a group or remove them from one (`popups::membership` asks which);
//! the change is a group change (`action::GroupChange::Membership`), as from a group's
//! members.

use super::UserAction;
use crate::console::action::Command;
use crate::console::owner::{Env, Outcome, Step};
use crate::console::popups::membership::Membership;
use crate::pool::User;

pub struct Join;

pub struct Leave;

fn ask(user: &User, add: bool) -> Outcome {
    Outcome::one(Step::Open(Box::new(Membership::for_user(
        &user.username,
        add,
        None,
    ))))
}

impl UserAction for Join {
    fn command(&self) -> Command {
        Command::JoinGroup
    }

    fn ask(&self, user: &User, _env: &Env) -> Outcome {
        ask(user, true)
    }
}

impl UserAction for Leave {
    fn command(&self) -> Command {
        Command::LeaveGroup
    }

    fn ask(&self, user: &User, _env: &Env) -> Outcome {
        ask(user, false)
    }
}
