//! Reset a user's MFA, for "I lost my phone": their authenticator app is removed
//! (AdminDeleteSoftwareToken) and the SMS and email MFA they had on are turned off
//! (AdminSetUserMFAPreference). On a pool that requires MFA they set it up again at their
//! next sign-in. Asked first, naming what goes; offered where their factors are shown
//! (the user's details), so that it never resets what it has not seen.

use super::{Call, ChangeToUser, UserAction, confirm};
use crate::client::Client;
use crate::console::action::Command;
use crate::console::owner::{Env, Outcome};
use crate::pool::mfa::{Enforcement, UserMfa};
use crate::pool::{User, audit};

pub struct Ask;

/// The factors in words: "authenticator app (preferred), SMS message".
pub fn factors(mfa: &UserMfa) -> String {
    mfa.enabled
        .iter()
        .map(|f| {
            if mfa.preferred == Some(*f) {
                format!("{} (preferred)", f.label())
            } else {
                f.label().to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl UserAction for Ask {
    fn command(&self) -> Command {
        Command::ResetMfa
    }

    fn why_not(&self, user: &User) -> Option<String> {
        match &user.mfa {
            None => Some(format!(
                "open {} (enter) first: their MFA is read and shown there",
                user.username
            )),
            Some(mfa) if mfa.enabled.is_empty() => Some(format!(
                "{} has no MFA method on: there is nothing to reset",
                user.username
            )),
            Some(_) => None,
        }
    }

    fn ask(&self, user: &User, env: &Env) -> Outcome {
        let had = user.mfa.clone().unwrap_or_default();
        let username = user.username.clone();
        let next = match env
            .pool
            .and_then(|p| p.config.mfa.as_ref())
            .map(|m| m.enforcement)
        {
            Some(Enforcement::Required) => {
                "The pool requires MFA: their next sign-in sets it up again (MFA_SETUP)."
            }
            Some(Enforcement::Optional) => {
                "The pool's MFA is optional: they sign in with their password alone until they turn MFA on again."
            }
            _ => "The pool's MFA is off, so none of this is asked at sign-in now.",
        };
        confirm(
            format!("Reset {username}'s MFA?"),
            vec![
                format!("On now: {}.", factors(&had)),
                "Their authenticator app is removed and SMS and email MFA are turned off.".into(),
                next.into(),
            ],
            Change {
                username,
                had: Some(had),
            },
        )
    }
}

/// AdminDeleteSoftwareToken, then AdminSetUserMFAPreference turning the rest off.
/// `had` is what the console showed; None (a bulk reset, from a list that does not
/// carry factors) reads them first with AdminGetUser, and one with none on is left as
/// they are.
#[derive(Debug)]
pub struct Change {
    pub username: String,
    pub had: Option<UserMfa>,
}

impl ChangeToUser for Change {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        format!("{}'s MFA reset", self.username)
    }

    fn failed(&self) -> &'static str {
        "MFA not reset"
    }

    fn audit(&self) -> audit::Change {
        let off = match &self.had {
            Some(had) => factors(had),
            None => "every factor on when read".into(),
        };
        audit::Change::new("reset MFA")
            .of_user(&self.username)
            .detail(format!("turned off: {off}"))
            .detail("authenticator app: removed")
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(async move {
            let had = match &self.had {
                Some(had) => had.clone(),
                None => match client.get_user(pool_id, &self.username).await?.mfa {
                    Some(had) if !had.enabled.is_empty() => had,
                    _ => return Ok(()),
                },
            };
            client.reset_mfa(pool_id, &self.username, &had).await
        })
    }
}
