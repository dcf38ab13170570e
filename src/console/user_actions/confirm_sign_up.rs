//! Confirm a sign-up (AdminConfirmSignUp): an UNCONFIRMED user can sign in without the
//! code they were sent.

use super::{Call, ChangeToUser, UserAction, confirm, status};
use crate::client::Client;
use crate::console::action::Command;
use crate::console::owner::{Env, Outcome};
use crate::pool::{User, UserStatus, audit};

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::ConfirmSignUp
    }

    fn why_not(&self, user: &User) -> Option<String> {
        (user.status != Some(UserStatus::Unconfirmed)).then(|| {
            format!(
                "{} is {}: only users who signed up and are UNCONFIRMED need confirming",
                user.username,
                status(user)
            )
        })
    }

    fn ask(&self, user: &User, _env: &Env) -> Outcome {
        let username = user.username.clone();
        confirm(
            format!("Confirm {username}'s sign-up?"),
            vec![
                "The user can sign in without the code they were sent.".into(),
                "No email or phone number is verified by this.".into(),
            ],
            Change { username },
        )
    }
}

/// AdminConfirmSignUp.
#[derive(Debug)]
pub struct Change {
    pub username: String,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        format!("{} confirmed", self.username)
    }

    fn failed(&self) -> &'static str {
        "not confirmed"
    }

    fn audit(&self) -> audit::Change {
        audit::Change::new("confirm sign-up").of_user(&self.username)
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(client.confirm_sign_up(pool_id, &self.username))
    }
}
