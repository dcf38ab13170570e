//! Delete a user (AdminDeleteUser): it cannot be undone, so the admin types the
//! username to confirm (`popups::type_to_confirm`); the user's details close after.

use super::{Call, ChangeToUser, UserAction, UserChange};
use crate::client::Client;
use crate::console::action::Command;
use crate::console::owner::{Env, Outcome, Step};
use crate::console::popups::type_to_confirm::TypeToConfirm;
use crate::pool::{User, audit};

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::DeleteUser
    }

    fn ask(&self, user: &User, _env: &Env) -> Outcome {
        let username = user.username.clone();
        let change = UserChange::new(Change {
            username: username.clone(),
        });
        Outcome::one(Step::Open(Box::new(TypeToConfirm::user(username, change))))
    }
}

/// AdminDeleteUser.
#[derive(Debug)]
pub struct Change {
    pub username: String,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        format!("{} deleted", self.username)
    }

    fn failed(&self) -> &'static str {
        "user not deleted"
    }

    fn audit(&self) -> audit::Change {
        audit::Change::new("delete user").of_user(&self.username)
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(client.delete_user(pool_id, &self.username))
    }

    fn removes_user(&self) -> bool {
        true
    }
}
