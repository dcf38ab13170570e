//! What can be done to one user, the same from the Users list and from the user's
//! details: the actions that apply to the user as they are, why one does not, and what
//! each opens (every one that cannot be undone asks first).

use super::action::{Command, Confirmed, UserChange};
use super::effect::Effect;
use super::outcome::{Env, Outcome, Step};
use super::owner::Owner;
use super::popups::confirm::Confirm;
use super::popups::edit_attributes::EditAttributes;
use super::popups::membership::Membership;
use super::popups::set_password::SetPassword;
use super::popups::try_sign_in::TrySignIn;
use super::popups::type_to_confirm::TypeToConfirm;
use crate::pool::{DeliveryMedium, MessageAction, NewUser, User, UserStatus};

/// Every action on one user, in the order the key bar shows them.
pub const ACTIONS: [Command; 11] = [
    Command::TrySignIn,
    Command::EditAttributes,
    Command::SetPassword,
    Command::ResetPassword,
    Command::ConfirmSignUp,
    Command::SignOut,
    Command::JoinGroup,
    Command::LeaveGroup,
    Command::ToggleEnabled,
    Command::DeleteUser,
    Command::Resend,
];

/// The actions that apply to `user` now.
pub fn commands(user: &User) -> Vec<Command> {
    ACTIONS
        .into_iter()
        .filter(|c| why_not(user, *c).is_none())
        .collect()
}

/// Why an action does not apply to `user`.
pub fn why_not(user: &User, command: Command) -> Option<String> {
    let status = user.status.map_or("-", |s| s.as_str());
    let name = &user.username;
    match command {
        Command::ResetPassword if !user.enabled => Some(format!(
            "{name} is disabled: enable them (d) before resetting their password"
        )),
        Command::ResetPassword
            if !matches!(
                user.status,
                Some(UserStatus::Confirmed | UserStatus::ResetRequired)
            ) =>
        {
            Some(format!(
                "{name} is {status}: Cognito resets only the passwords of users who have \
                 signed in (CONFIRMED); set a password (P) instead"
            ))
        }
        Command::ResetPassword
            if !user.is_verified("email_verified")
                && !user.is_verified("phone_number_verified") =>
        {
            Some(format!(
                "{name} has no verified email or phone number to send the reset code to; \
                 set a password (P) instead"
            ))
        }
        Command::ConfirmSignUp if user.status != Some(UserStatus::Unconfirmed) => Some(format!(
            "{name} is {status}: only users who signed up and are UNCONFIRMED need confirming"
        )),
        // Cognito sends the invitation again only to users who have not signed in.
        Command::Resend if user.status != Some(UserStatus::ForceChangePassword) => Some(format!(
            "{} is {}: Cognito sends the invitation again only to users who have not signed \
             in yet (FORCE_CHANGE_PASSWORD)",
            user.username,
            user.status.map_or("-", |s| s.as_str())
        )),
        _ => None,
    }
}

/// Opens what the action needs: a form, a question, or the sign-in walk.
pub fn act(user: &User, command: Command, env: &Env) -> Outcome {
    let username = user.username.clone();
    let popup: Box<dyn Owner> = match command {
        Command::TrySignIn => return try_sign_in(user, env),
        Command::SetPassword => {
            let Some(pool) = env.pool else {
                return Outcome::error("the pool is not loaded yet");
            };
            Box::new(SetPassword::new(
                &username,
                pool.config.password_policy.clone(),
            ))
        }
        Command::Resend => {
            let mut mediums = Vec::new();
            if user.attribute("phone_number").is_some() {
                mediums.push(DeliveryMedium::Sms);
            }
            if user.attribute("email").is_some() {
                mediums.push(DeliveryMedium::Email);
            }
            if mediums.is_empty() {
                return Outcome::error(format!(
                    "{username} has no email or phone number to send the invitation to"
                ));
            }
            let to: Vec<&str> = mediums.iter().map(|m| m.as_str()).collect();
            let lines = vec![
                format!("A new temporary password goes out by {}.", to.join(" and ")),
                "The old one stops working and the expiry starts again.".into(),
            ];
            let request = NewUser {
                username: username.clone(),
                message_action: Some(MessageAction::Resend),
                desired_delivery_mediums: mediums,
                ..Default::default()
            };
            Box::new(Confirm {
                title: format!("Resend the invitation to {username}?"),
                lines,
                then: Confirmed::User(UserChange::Resend(Box::new(request))),
            })
        }
        Command::ToggleEnabled => {
            let enabled = !user.enabled;
            let verb = if enabled { "Enable" } else { "Disable" };
            let line = if enabled {
                "The user can sign in again."
            } else {
                "The user can no longer sign in; nothing else changes."
            };
            Box::new(Confirm {
                title: format!("{verb} {username}?"),
                lines: vec![line.into()],
                then: Confirmed::User(UserChange::SetEnabled { username, enabled }),
            })
        }
        Command::SignOut => Box::new(Confirm {
            title: format!("Sign {username} out everywhere?"),
            lines: vec![
                "Every refresh token the user holds stops working: each app asks them to".into(),
                "sign in again once its current tokens run out (an hour at most, by default)."
                    .into(),
            ],
            then: Confirmed::User(UserChange::SignOut { username }),
        }),
        Command::DeleteUser => Box::new(TypeToConfirm::new(username)),
        Command::ResetPassword => {
            let to: Vec<&str> = [
                ("phone_number_verified", "phone_number"),
                ("email_verified", "email"),
            ]
            .iter()
            .filter(|(flag, _)| user.is_verified(flag))
            .filter_map(|(_, a)| user.attribute(a))
            .collect();
            Box::new(Confirm {
                title: format!("Reset {username}'s password?"),
                lines: vec![
                    "The current password stops working now (RESET_REQUIRED): signing in".into(),
                    "asks for a new one, set with the code Cognito sends".into(),
                    format!(
                        "(to {}, as the pool's account recovery says).",
                        to.join(" or ")
                    ),
                ],
                then: Confirmed::User(UserChange::ResetPassword { username }),
            })
        }
        Command::ConfirmSignUp => Box::new(Confirm {
            title: format!("Confirm {username}'s sign-up?"),
            lines: vec![
                "The user can sign in without the code they were sent.".into(),
                "No email or phone number is verified by this.".into(),
            ],
            then: Confirmed::User(UserChange::ConfirmSignUp { username }),
        }),
        Command::JoinGroup | Command::LeaveGroup => Box::new(Membership::for_user(
            &username,
            command == Command::JoinGroup,
            None,
        )),
        Command::EditAttributes => {
            let Some(pool) = env.pool else {
                return Outcome::error("the pool is not loaded yet");
            };
            Box::new(EditAttributes::new(user, &pool.schema))
        }
        _ => return Outcome::Ignored,
    };
    Outcome::one(Step::Open(popup))
}

fn try_sign_in(user: &User, env: &Env) -> Outcome {
    let Some(pool) = env.pool else {
        return Outcome::error("the pool is not loaded yet");
    };
    let popup = TrySignIn::new(
        &user.username,
        pool.config.password_policy.clone(),
        user.status == Some(UserStatus::ForceChangePassword),
    );
    match env.call(Effect::SignInClients) {
        Ok(effect) => Outcome::steps([Step::Open(Box::new(popup)), Step::Run(effect)]),
        Err(why) => Outcome::error(why),
    }
}
