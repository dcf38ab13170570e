//! Resend the invitation (AdminCreateUser with RESEND): a new temporary password goes
//! out by the user's email and phone; only to users who have not signed in yet.

use super::{Call, ChangeToUser, UserAction, confirm, status};
use crate::client::Client;
use crate::console::action::Command;
use crate::console::audited;
use crate::console::owner::{Env, Outcome};
use crate::pool::{DeliveryMedium, MessageAction, NewUser, User, UserStatus, audit};

pub struct Ask;

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::Resend
    }

    // Cognito sends the invitation again only to users who have not signed in.
    fn why_not(&self, user: &User) -> Option<String> {
        (user.status != Some(UserStatus::ForceChangePassword)).then(|| {
            format!(
                "{} is {}: Cognito sends the invitation again only to users who have not \
                 signed in yet (FORCE_CHANGE_PASSWORD)",
                user.username,
                status(user)
            )
        })
    }

    fn ask(&self, user: &User, _env: &Env) -> Outcome {
        let username = user.username.clone();
        let change = match change_for(user) {
            Ok(change) => change,
            Err(why) => return Outcome::error(why),
        };
        let to: Vec<&str> = change
            .user
            .desired_delivery_mediums
            .iter()
            .map(|m| m.as_str())
            .collect();
        let lines = vec![
            format!("A new temporary password goes out by {}.", to.join(" and ")),
            "The old one stops working and the expiry starts again.".into(),
        ];
        confirm(
            format!("Resend the invitation to {username}?"),
            lines,
            change,
        )
    }
}

/// The invitation again, by SMS and email where `user` has a number and an address; or
/// why there is nowhere to send it.
pub fn change_for(user: &User) -> Result<Change, String> {
    let mut mediums = Vec::new();
    if user.attribute("phone_number").is_some() {
        mediums.push(DeliveryMedium::Sms);
    }
    if user.attribute("email").is_some() {
        mediums.push(DeliveryMedium::Email);
    }
    if mediums.is_empty() {
        return Err(format!(
            "{} has no email or phone number to send the invitation to",
            user.username
        ));
    }
    Ok(Change {
        user: NewUser {
            username: user.username.clone(),
            message_action: Some(MessageAction::Resend),
            desired_delivery_mediums: mediums,
            ..Default::default()
        },
    })
}

/// AdminCreateUser with RESEND: a new temporary password, the invitation again.
#[derive(Debug)]
pub struct Change {
    pub user: NewUser,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.user.username
    }

    fn describe(&self) -> String {
        format!("invitation sent again to {}", self.user.username)
    }

    fn failed(&self) -> &'static str {
        "invitation not sent"
    }

    fn audit(&self) -> audit::Change {
        audit::Change::new("resend invitation")
            .of_user(&self.user.username)
            .details(
                audited::new_user(&self.user)
                    .into_iter()
                    .filter(|l| l.starts_with("invitation") || l.starts_with("temporary")),
            )
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(async move { client.create_user(pool_id, &self.user).await.map(drop) })
    }
}
