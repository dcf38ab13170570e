//! What the console writes in the audit log: each effect that changes a pool, told as a
//! [`Change`] (which pool and user, what changes: never a password, only that one is
//! set), and its [`Outcome`] read from the result that comes back. `App::start` wraps
//! every such effect in [`Effect::Audited`]; `effect::execute` writes the entry before
//! the call and the outcome after, and refuses the call when the entry cannot be written.

use super::action::{Action, GroupChange};
use super::bulk_work::{Done, Work};
use super::effect::{Effect, MfaStep};
use crate::client::{ClientError, ErrorKind, SignIn};
use crate::pool::audit::{Change, Outcome};
use crate::pool::{Attribute, NewUser, PoolDescription};

/// The entry `effect` is written as, if it changes anything. `pool` is the pool as the
/// console shows it, what a settings change is told against.
pub fn change(effect: &Effect, pool: Option<&PoolDescription>) -> Option<Change> {
    Some(match effect {
        Effect::CreateUser(_, pool_id, user) => Change::new("create user")
            .in_pool(pool_id)
            .of_user(&user.username)
            .details(new_user(user)),
        Effect::ChangeUser(_, pool_id, change) => change.audit().in_pool(pool_id),
        Effect::UpdatePool(_, pool_id, edit) => {
            Change::new("update pool").in_pool(pool_id).details(
                pool.filter(|p| &p.id == pool_id)
                    .map(|p| edit.changes(&p.config))
                    .unwrap_or_default(),
            )
        }
        Effect::ChangeGroup(_, pool_id, change) => group_change(change).in_pool(pool_id),
        Effect::ChangeClient(_, pool_id, change) => change.audit().in_pool(pool_id),
        Effect::ChangeDomain(_, pool_id, change) => change.audit().in_pool(pool_id),
        Effect::Bulk { pool_id, work, .. } => {
            let file = format!(
                "file: {}",
                work.path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            );
            match work {
                // Nothing changes; or each user's change is written down as it is made.
                Work::Mark { .. } | Work::Users(_) => return None,
                Work::Export { format, .. } => Change::new("export users")
                    .detail(file)
                    .detail(format!("format: {format:?}")),
                Work::Import {
                    send_invitations, ..
                } => Change::new("import users")
                    .detail(file)
                    .detail(if *send_invitations {
                        "by AdminCreateUser, invitations sent"
                    } else {
                        "by AdminCreateUser, no invitations"
                    }),
                Work::ImportJob { role_arn, .. } => Change::new("import users")
                    .detail(file)
                    .detail(format!("by an import job, logging with {role_arn}")),
            }
            .in_pool(pool_id)
        }
        // A sign-in counts wrong passwords towards a lockout, and a first one sets the
        // user's password.
        Effect::SignIn { app, username, .. } => Change::new("try sign-in")
            .in_pool(&app.pool_id)
            .of_user(username)
            .detail(format!("app client: {} ({})", app.name, app.client_id))
            .detail("password: typed by the admin (not recorded)"),
        Effect::NewPassword {
            app,
            username,
            attributes,
            ..
        } => Change::new("set the new password of a first sign-in")
            .in_pool(&app.pool_id)
            .of_user(username)
            .detail(format!("app client: {} ({})", app.name, app.client_id))
            .detail("new password: chosen by the admin (not recorded)")
            .details(attributes.iter().map(attribute)),
        // Each step of a sign-in's MFA may count toward a lockout (a wrong code), send a
        // message (a chosen method's code), or change the user's factors (set-up). A
        // secret or a code is never written down.
        Effect::SignInMfa {
            app,
            username,
            step,
            ..
        } => {
            let change = match step {
                MfaStep::Answer { factor, .. } => Change::new("answer an MFA challenge")
                    .detail(format!("method: {}", factor.label()))
                    .detail("code: typed by the admin (not recorded)"),
                MfaStep::Select { factor, .. } => Change::new("choose an MFA method")
                    .detail(format!("method: {}", factor.label())),
                MfaStep::Associate { .. } => return None,
                MfaStep::Verify { device, .. } => Change::new("set up an authenticator app")
                    .detail(format!("device: {device}"))
                    .detail("code: typed by the admin (not recorded)"),
                MfaStep::Finish { .. } => {
                    Change::new("turn on the authenticator app (MFA set-up finished)")
                }
            };
            change
                .in_pool(&app.pool_id)
                .of_user(username)
                .detail(format!("app client: {} ({})", app.name, app.client_id))
        }
        Effect::Later(_, inner) => return change(inner, pool),
        _ => return None,
    })
}

fn attribute(a: &Attribute) -> String {
    format!("{}: {}", a.name, a.value)
}

/// The lines that tell a new user (or an invitation sent again): never the password.
pub(super) fn new_user(user: &NewUser) -> Vec<String> {
    let mut lines: Vec<String> = user.attributes.iter().map(attribute).collect();
    lines.push(match &user.temporary_password {
        Some(_) => "temporary password: chosen by the admin (not recorded)".into(),
        None => "temporary password: generated by Cognito".into(),
    });
    let mediums: Vec<&str> = user
        .invitation_mediums()
        .iter()
        .map(|m| m.as_str())
        .collect();
    lines.push(if mediums.is_empty() {
        "invitation: suppressed".into()
    } else {
        format!("invitation: by {}", mediums.join(" and "))
    });
    if user.force_alias_creation {
        lines.push("force alias creation: yes".into());
    }
    lines
}

fn group_change(change: &GroupChange) -> Change {
    match change {
        GroupChange::Save { group, create } => {
            let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            Change::new(if *create {
                "create group"
            } else {
                "update group"
            })
            .detail(format!("group: {}", group.name))
            .detail(format!("description: {}", shown(&group.description)))
            .detail(format!(
                "precedence: {}",
                group.precedence.map_or("-".into(), |p| p.to_string())
            ))
            .detail(format!("IAM role: {}", shown(&group.role_arn)))
        }
        GroupChange::Delete { name } => {
            Change::new("delete group").detail(format!("group: {name}"))
        }
        GroupChange::Membership {
            username,
            group,
            add,
        } => Change::new(if *add {
            "add user to group"
        } else {
            "remove user from group"
        })
        .of_user(username)
        .detail(format!("group: {group}")),
    }
}

/// A call's outcome. A call that got no answer (timed out, or cut off on the way) may
/// still have been made: it is told so, not as refused.
fn answered<T>(result: &Result<T, ClientError>, done: impl FnOnce(&T) -> String) -> Outcome {
    match result {
        Ok(v) => Outcome::Done(done(v)),
        Err(e) if matches!(e.kind, ErrorKind::Timeout | ErrorKind::Network) => {
            Outcome::Abandoned(format!("no answer ({e}); it may or may not have been made"))
        }
        Err(e) => Outcome::Refused(e.to_string()),
    }
}

/// What became of a change, from the result that came back for it.
pub fn outcome(action: &Action) -> Outcome {
    match action {
        Action::UserCreated(r) => answered(r, |u| {
            u.status
                .map(|s| format!("status {}", s.as_str()))
                .unwrap_or_default()
        }),
        Action::UserChanged { result, .. }
        | Action::GroupChanged { result, .. }
        | Action::DomainChanged { result, .. } => answered(result, |()| String::new()),
        Action::PoolUpdated(r) => answered(r, |_| String::new()),
        Action::ClientChanged { result, .. } => answered(result, |c| {
            c.as_ref()
                .map_or(String::new(), |c| format!("client id {}", c.id))
        }),
        Action::TokenVerified(r) => answered(r, |_| "verified".into()),
        Action::SignInStep(r) => answered(r, |step| match step {
            SignIn::Done(_) => "signed in".into(),
            SignIn::NewPasswordRequired { .. } => "a new password is required".into(),
            SignIn::Mfa { factor, .. } => format!("challenge {}", factor.challenge()),
            SignIn::SelectMfa { .. } => "challenge SELECT_MFA_TYPE".into(),
            SignIn::MfaSetup { .. } => "challenge MFA_SETUP".into(),
            SignIn::Other(name) => format!("challenge {name}"),
        }),
        Action::BulkDone { result, .. } => match result {
            Ok(Done::Imported(s)) if !s.invalid.is_empty() => Outcome::Refused(format!(
                "the file changed since it was checked: {} problems; nothing was imported",
                s.invalid.len()
            )),
            Ok(Done::Job(j)) if j.job.is_none() => {
                Outcome::Refused(format!("{} problems; no job was created", j.invalid.len()))
            }
            Err(e) => Outcome::Refused(e.clone()),
            Ok(done) => Outcome::Done(match done {
                Done::Exported(n) => format!("{} users exported", n.users),
                Done::Imported(s) => format!(
                    "{} created, {} already there, {} failed{}",
                    s.created,
                    s.present,
                    s.failed.len(),
                    if s.interrupted { ", stopped" } else { "" }
                ),
                Done::Job(j) => j.job.as_ref().map_or(String::new(), |job| {
                    format!(
                        "job {} {}: {} imported, {} skipped, {} failed",
                        job.id, job.status, job.imported, job.skipped, job.failed
                    )
                }),
                Done::Marked { users, .. } => format!("{} users found", users.len()),
                Done::Users(u) => format!("{} done, {} failed", u.done.len(), u.failed.len()),
            }),
        },
        _ => Outcome::Pending,
    }
}

/// The result of an effect that was not run because its entry could not be written.
pub fn refused(effect: Effect, e: ClientError) -> Action {
    match effect {
        Effect::CreateUser(..) => Action::UserCreated(Err(e)),
        Effect::ChangeUser(_, _, change) => Action::UserChanged {
            change,
            result: Err(e),
        },
        Effect::UpdatePool(..) => Action::PoolUpdated(Err(e)),
        Effect::ChangeGroup(_, _, change) => Action::GroupChanged {
            change,
            result: Err(e),
        },
        Effect::ChangeClient(_, _, change) => Action::ClientChanged {
            change,
            result: Err(e),
        },
        Effect::ChangeDomain(_, _, change) => Action::DomainChanged {
            change,
            result: Err(e),
        },
        Effect::Bulk { work, .. } => Action::BulkDone {
            work,
            result: Err(e.to_string()),
        },
        Effect::SignIn { .. } | Effect::NewPassword { .. } => Action::SignInStep(Err(e)),
        Effect::SignInMfa { step, .. } => match step {
            MfaStep::Associate { .. } => Action::TokenAssociated(Err(e)),
            MfaStep::Verify { .. } => Action::TokenVerified(Err(e)),
            _ => Action::SignInStep(Err(e)),
        },
        Effect::Later(_, inner) => refused(*inner, e),
        // Not a change, so never written down: nothing to refuse.
        _ => Action::Failed {
            error: e.to_string(),
            then: None,
        },
    }
}
