//! Reset a user's password (AdminResetUserPassword): the password stops working now
//! (RESET_REQUIRED) and Cognito sends a code to set a new one. Only for users who have
//! signed in, are enabled, and have a verified address to send the code to.

use super::{Call, ChangeToUser, UserAction, confirm, status};
use crate::client::Client;
use crate::console::action::Command;
use crate::console::owner::{Env, Outcome};
use crate::pool::{User, UserStatus, audit};

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::ResetPassword
    }

    fn why_not(&self, user: &User) -> Option<String> {
        let name = &user.username;
        if !user.enabled {
            return Some(format!(
                "{name} is disabled: enable them (d) before resetting their password"
            ));
        }
        if !matches!(
            user.status,
            Some(UserStatus::Confirmed | UserStatus::ResetRequired)
        ) {
            return Some(format!(
                "{name} is {}: Cognito resets only the passwords of users who have \
                 signed in (CONFIRMED); set a password (P) instead",
                status(user)
            ));
        }
        if !user.is_verified("email_verified") && !user.is_verified("phone_number_verified") {
            return Some(format!(
                "{name} has no verified email or phone number to send the reset code to; \
                 set a password (P) instead"
            ));
        }
        None
    }

    fn ask(&self, user: &User, _env: &Env) -> Outcome {
        let username = user.username.clone();
        let to: Vec<&str> = [
            ("phone_number_verified", "phone_number"),
            ("email_verified", "email"),
        ]
        .iter()
        .filter(|(flag, _)| user.is_verified(flag))
        .filter_map(|(_, a)| user.attribute(a))
        .collect();
        confirm(
            format!("Reset {username}'s password?"),
            vec![
                "The current password stops working now (RESET_REQUIRED): signing in".into(),
                "asks for a new one, set with the code Cognito sends".into(),
                format!(
                    "(to {}, as the pool's account recovery says).",
                    to.join(" or ")
                ),
            ],
            Change { username },
        )
    }
}

/// AdminResetUserPassword.
#[derive(Debug)]
pub struct Change {
    pub username: String,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        format!(
            "{}'s password reset: a code is on its way, and signing in asks for a new password",
            self.username
        )
    }

    fn failed(&self) -> &'static str {
        "password not reset"
    }

    fn audit(&self) -> audit::Change {
        audit::Change::new("reset password").of_user(&self.username)
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(client.reset_user_password(pool_id, &self.username))
    }
}
