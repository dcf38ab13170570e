//! Enable or disable a user (AdminEnableUser / AdminDisableUser): a disabled user can
//! no longer sign in; nothing else changes.

use super::{Call, ChangeToUser, UserAction, confirm};
use crate::client::Client;
use crate::console::action::Command;
use crate::console::owner::{Env, Outcome};
use crate::pool::{User, audit};

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::ToggleEnabled
    }

    fn ask(&self, user: &User, _env: &Env) -> Outcome {
        let enabled = !user.enabled;
        let verb = if enabled { "Enable" } else { "Disable" };
        let line = if enabled {
            "The user can sign in again."
        } else {
            "The user can no longer sign in; nothing else changes."
        };
        confirm(
            format!("{verb} {}?", user.username),
            vec![line.into()],
            Change {
                username: user.username.clone(),
                enabled,
            },
        )
    }
}

/// AdminEnableUser (`enabled`) or AdminDisableUser.
#[derive(Debug)]
pub struct Change {
    pub username: String,
    pub enabled: bool,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        let done = if self.enabled { "enabled" } else { "disabled" };
        format!("{} {done}", self.username)
    }

    fn failed(&self) -> &'static str {
        "user not changed"
    }

    fn audit(&self) -> audit::Change {
        let what = if self.enabled {
            "enable user"
        } else {
            "disable user"
        };
        audit::Change::new(what).of_user(&self.username)
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(client.set_user_enabled(pool_id, &self.username, self.enabled))
    }
}
