//! Sign a user out everywhere (AdminUserGlobalSignOut): every refresh token they hold
//! stops working.

use super::{Call, ChangeToUser, UserAction, confirm};
use crate::client::Client;
use crate::console::action::Command;
use crate::console::owner::{Env, Outcome};
use crate::pool::{User, audit};

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::SignOut
    }

    fn ask(&self, user: &User, _env: &Env) -> Outcome {
        let username = user.username.clone();
        confirm(
            format!("Sign {username} out everywhere?"),
            vec![
                "Every refresh token the user holds stops working: each app asks them to".into(),
                "sign in again once its current tokens run out (an hour at most, by default)."
                    .into(),
            ],
            Change { username },
        )
    }
}

/// AdminUserGlobalSignOut.
#[derive(Debug)]
pub struct Change {
    pub username: String,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        format!("{} signed out everywhere", self.username)
    }

    fn failed(&self) -> &'static str {
        "not signed out"
    }

    fn audit(&self) -> audit::Change {
        audit::Change::new("sign out everywhere").of_user(&self.username)
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(client.sign_out_everywhere(pool_id, &self.username))
    }
}
