//! The user actions that make sense for many users at once, done to the marked ones:
//! disable or enable, sign out everywhere, reset the password, reset MFA, confirm a
//! sign-up, resend the invitation, join or leave a group, delete. Each is the same
//! change as for one user ([`ChangeToUser`], audited per user); what is added here is
//! the [`Plan`]: what happens to each, who is skipped and why, said before anything is
//! done (`popups::bulk_preview`), and run as a job (`bulk_work::Work::Users`).

use super::{
    Call, ChangeToUser, UserAction, UserChange, confirm_sign_up, delete, enable, resend, reset_mfa,
    reset_password, sign_out,
};
use crate::client::Client;
use crate::console::action::Command;
use crate::pool::{User, audit};

/// What is chosen once for all the marked users.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct How {
    /// Enable (true) or disable: disable when any marked user is enabled.
    pub enable: bool,
    /// The group joined or left.
    pub group: Option<String>,
}

/// An action on every marked user.
pub trait ForMany: Sync {
    fn command(&self) -> Command;

    /// "disable", as in "disable 12 users".
    fn verb(&self, how: &How) -> String;

    /// What happens to each, for the preview.
    fn consequence(&self, how: &How) -> String;

    /// Why `user` is left out, if they are.
    fn skip(&self, user: &User, how: &How) -> Option<String>;

    /// The change made to one of them.
    fn change(&self, user: &User, how: &How) -> UserChange;

    /// A group must be chosen first.
    fn needs_group(&self) -> bool {
        false
    }
}

/// The actions done in bulk, in the key bar's order.
pub static MANY: [&dyn ForMany; 9] = [
    &reset_password::Ask,
    &reset_mfa::Ask,
    &confirm_sign_up::Ask,
    &sign_out::Ask,
    &Membership { add: true },
    &Membership { add: false },
    &enable::Ask,
    &delete::Ask,
    &resend::Ask,
];

pub fn find(command: Command) -> Option<&'static dyn ForMany> {
    MANY.iter().copied().find(|a| a.command() == command)
}

/// The commands that act on the marked users.
pub fn commands() -> Vec<Command> {
    MANY.iter().map(|a| a.command()).collect()
}

/// Enable or disable, for these users: disable while any of them is enabled.
pub fn how_for(users: &[User]) -> How {
    How {
        enable: users.iter().all(|u| !u.enabled),
        group: None,
    }
}

/// Everything an action on the marked users will do, before it is done.
#[derive(Debug, Clone)]
pub struct Plan {
    pub command: Command,
    pub verb: String,
    pub consequence: String,
    pub changes: Vec<UserChange>,
    /// Who is left out, and why.
    pub skipped: Vec<(String, String)>,
}

impl Plan {
    pub fn new(action: &dyn ForMany, users: &[User], how: &How) -> Self {
        let mut changes = Vec::new();
        let mut skipped = Vec::new();
        for user in users {
            match action.skip(user, how) {
                Some(why) => skipped.push((user.username.clone(), why)),
                None => changes.push(action.change(user, how)),
            }
        }
        Self {
            command: action.command(),
            verb: action.verb(how),
            consequence: action.consequence(how),
            changes,
            skipped,
        }
    }

    /// "disable 12 users".
    pub fn title(&self) -> String {
        let n = self.changes.len();
        format!("{} {n} user{}", self.verb, if n == 1 { "" } else { "s" })
    }
}

/// Users marked for a group change, added to or taken out of the group chosen.
pub struct Membership {
    add: bool,
}

impl ForMany for Membership {
    fn command(&self) -> Command {
        if self.add {
            Command::JoinGroup
        } else {
            Command::LeaveGroup
        }
    }

    fn verb(&self, how: &How) -> String {
        let group = how.group.as_deref().unwrap_or("?");
        if self.add {
            format!("add to {group}:")
        } else {
            format!("remove from {group}:")
        }
    }

    fn consequence(&self, how: &How) -> String {
        let group = how.group.as_deref().unwrap_or("?");
        if self.add {
            format!("Each joins {group} (one already in it stays, unchanged).")
        } else {
            format!("Each leaves {group} (one not in it is left as they are).")
        }
    }

    fn skip(&self, _user: &User, _how: &How) -> Option<String> {
        None
    }

    fn change(&self, user: &User, how: &How) -> UserChange {
        UserChange::new(GroupMember {
            username: user.username.clone(),
            group: how.group.clone().unwrap_or_default(),
            add: self.add,
        })
    }

    fn needs_group(&self) -> bool {
        true
    }
}

/// AdminAddUserToGroup or AdminRemoveUserFromGroup, for one of the marked users.
#[derive(Debug)]
pub struct GroupMember {
    pub username: String,
    pub group: String,
    pub add: bool,
}

impl ChangeToUser for GroupMember {
    fn username(&self) -> &str {
        &self.username
    }

    fn describe(&self) -> String {
        if self.add {
            format!("{} added to {}", self.username, self.group)
        } else {
            format!("{} removed from {}", self.username, self.group)
        }
    }

    fn failed(&self) -> &'static str {
        "membership not changed"
    }

    fn audit(&self) -> audit::Change {
        let what = if self.add {
            "add user to group"
        } else {
            "remove user from group"
        };
        audit::Change::new(what)
            .of_user(&self.username)
            .detail(format!("group: {}", self.group))
    }

    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a> {
        Box::pin(client.set_membership(pool_id, &self.username, &self.group, self.add))
    }
}

/// The same action's words for one user, so each bulk action reads as its single one.
fn why_not(action: &dyn UserAction, user: &User) -> Option<String> {
    action.why_not(user)
}

impl ForMany for enable::Ask {
    fn command(&self) -> Command {
        Command::ToggleEnabled
    }
    fn verb(&self, how: &How) -> String {
        if how.enable { "enable" } else { "disable" }.into()
    }
    fn consequence(&self, how: &How) -> String {
        if how.enable {
            "Each can sign in again.".into()
        } else {
            "Each can no longer sign in; nothing else changes.".into()
        }
    }
    fn skip(&self, user: &User, how: &How) -> Option<String> {
        (user.enabled == how.enable).then(|| {
            if how.enable {
                "already enabled".into()
            } else {
                "already disabled".into()
            }
        })
    }
    fn change(&self, user: &User, how: &How) -> UserChange {
        UserChange::new(enable::Change {
            username: user.username.clone(),
            enabled: how.enable,
        })
    }
}

impl ForMany for delete::Ask {
    fn command(&self) -> Command {
        Command::DeleteUser
    }
    fn verb(&self, _how: &How) -> String {
        "delete".into()
    }
    fn consequence(&self, _how: &How) -> String {
        "Each is deleted for good, with their attributes, groups and sign-ins: this cannot \
         be undone."
            .into()
    }
    fn skip(&self, _user: &User, _how: &How) -> Option<String> {
        None
    }
    fn change(&self, user: &User, _how: &How) -> UserChange {
        UserChange::new(delete::Change {
            username: user.username.clone(),
        })
    }
}

impl ForMany for sign_out::Ask {
    fn command(&self) -> Command {
        Command::SignOut
    }
    fn verb(&self, _how: &How) -> String {
        "sign out".into()
    }
    fn consequence(&self, _how: &How) -> String {
        "Every refresh token each holds stops working: each app asks them to sign in again \
         once its current tokens run out (an hour at most, by default)."
            .into()
    }
    fn skip(&self, _user: &User, _how: &How) -> Option<String> {
        None
    }
    fn change(&self, user: &User, _how: &How) -> UserChange {
        UserChange::new(sign_out::Change {
            username: user.username.clone(),
        })
    }
}

impl ForMany for reset_password::Ask {
    fn command(&self) -> Command {
        Command::ResetPassword
    }
    fn verb(&self, _how: &How) -> String {
        "reset the password of".into()
    }
    fn consequence(&self, _how: &How) -> String {
        "Each one's password stops working now (RESET_REQUIRED); Cognito sends each a code \
         to set a new one."
            .into()
    }
    fn skip(&self, user: &User, _how: &How) -> Option<String> {
        why_not(self, user).map(|why| why.split(';').next().unwrap_or_default().to_string())
    }
    fn change(&self, user: &User, _how: &How) -> UserChange {
        UserChange::new(reset_password::Change {
            username: user.username.clone(),
        })
    }
}

impl ForMany for reset_mfa::Ask {
    fn command(&self) -> Command {
        Command::ResetMfa
    }
    fn verb(&self, _how: &How) -> String {
        "reset the MFA of".into()
    }
    fn consequence(&self, _how: &How) -> String {
        "Each one's MFA is read, then their authenticator app is removed and SMS and email \
         MFA are turned off (one with none on is left as they are)."
            .into()
    }
    fn skip(&self, _user: &User, _how: &How) -> Option<String> {
        // ListUsers does not say who has MFA on: each is read when their turn comes.
        None
    }
    fn change(&self, user: &User, _how: &How) -> UserChange {
        UserChange::new(reset_mfa::Change {
            username: user.username.clone(),
            had: None,
        })
    }
}

impl ForMany for confirm_sign_up::Ask {
    fn command(&self) -> Command {
        Command::ConfirmSignUp
    }
    fn verb(&self, _how: &How) -> String {
        "confirm the sign-up of".into()
    }
    fn consequence(&self, _how: &How) -> String {
        "Each is CONFIRMED without a code and can sign in.".into()
    }
    fn skip(&self, user: &User, _how: &How) -> Option<String> {
        why_not(self, user).map(|_| {
            format!(
                "{}: only UNCONFIRMED users need confirming",
                user.status.map_or("-", |s| s.as_str())
            )
        })
    }
    fn change(&self, user: &User, _how: &How) -> UserChange {
        UserChange::new(confirm_sign_up::Change {
            username: user.username.clone(),
        })
    }
}

impl ForMany for resend::Ask {
    fn command(&self) -> Command {
        Command::Resend
    }
    fn verb(&self, _how: &How) -> String {
        "resend the invitation to".into()
    }
    fn consequence(&self, _how: &How) -> String {
        "Each gets a new temporary password by email and SMS where they have them; the old \
         one stops working."
            .into()
    }
    fn skip(&self, user: &User, _how: &How) -> Option<String> {
        if why_not(self, user).is_some() {
            return Some(format!(
                "{}: only users who have not signed in yet (FORCE_CHANGE_PASSWORD) get one",
                user.status.map_or("-", |s| s.as_str())
            ));
        }
        resend::change_for(user)
            .err()
            .map(|_| "no email or phone number to send it to".into())
    }
    fn change(&self, user: &User, _how: &How) -> UserChange {
        match resend::change_for(user) {
            Ok(change) => UserChange::new(change),
            // `skip` left them out; never reached.
            Err(_) => UserChange::new(resend::Change {
                user: Default::default(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::{Attribute, UserStatus};

    fn user(name: &str, enabled: bool, status: UserStatus, verified: bool) -> User {
        User {
            username: name.into(),
            attributes: vec![
                Attribute::new("email", format!("{name}@example.com")),
                Attribute::new("email_verified", verified.to_string()),
            ],
            created: None,
            last_modified: None,
            enabled,
            status: Some(status),
            mfa: None,
        }
    }

    #[test]
    fn the_plan_says_who_is_skipped_and_why() {
        let users = [
            user("ann", true, UserStatus::Confirmed, true),
            user("bob", true, UserStatus::Confirmed, false),
            user("cy", false, UserStatus::Confirmed, true),
            user("di", true, UserStatus::ForceChangePassword, true),
        ];
        let how = how_for(&users);
        assert!(!how.enable, "any enabled: disable");
        let plan = Plan::new(&enable::Ask, &users, &how);
        assert_eq!(plan.title(), "disable 3 users");
        assert_eq!(
            plan.skipped,
            [("cy".to_string(), "already disabled".to_string())]
        );

        let plan = Plan::new(&reset_password::Ask, &users, &how);
        let skipped: Vec<&str> = plan.skipped.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(skipped, ["bob", "cy", "di"]);
        assert!(
            plan.skipped[0].1.contains("no verified email"),
            "{:?}",
            plan.skipped
        );
        assert_eq!(plan.changes[0].username(), "ann");

        let plan = Plan::new(&resend::Ask, &users, &how);
        assert_eq!(plan.changes.len(), 1);
        assert_eq!(plan.changes[0].username(), "di");

        let all_disabled = [user("cy", false, UserStatus::Confirmed, true)];
        assert!(how_for(&all_disabled).enable);
        assert!(find(Command::JoinGroup).is_some_and(|a| a.needs_group()));
        assert!(find(Command::TrySignIn).is_none(), "one user at a time");
    }
}
