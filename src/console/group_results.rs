//! The answers to group calls, applied to whoever shows them: the Groups tab, a group's
//! members, a form that is waiting, or the details of a user whose groups changed.

use super::action::{Action, GroupChange};
use super::app::{App, env};
use super::effect::Effect;
use super::outcome::Step;
use super::popups::Popup;

impl App {
    pub(super) fn on_group_result(&mut self, action: Action) -> Vec<Step> {
        match action {
            Action::GroupsLoaded { pool_id, result } => {
                if self.wanted_pool.as_deref() != Some(pool_id.as_str()) {
                    return Vec::new(); // a pool no longer shown
                }
                let env = env!(self);
                self.groups.loaded(result, &env)
            }
            Action::GroupChanged { change, result } => {
                let form = self
                    .popups
                    .iter_mut()
                    .rev()
                    .find_map(|p| match (p, &change) {
                        (Popup::GroupForm(f), GroupChange::Save { .. }) => {
                            Some(f.answered(&change, result.clone()))
                        }
                        (Popup::Membership(m), GroupChange::Membership { .. }) if m.busy => {
                            Some(m.answered(&change, result.clone()))
                        }
                        _ => None,
                    });
                match (form, result) {
                    (Some(steps), _) => steps,
                    (None, Ok(())) => vec![Step::Info(change.describe()), Step::ReloadGroups],
                    (None, Err(e)) => vec![Step::Error(format!("{}: {e}", change.failed()))],
                }
            }
            Action::GroupMembersLoaded { group, result } => {
                let env = env!(self);
                match self.popups.iter_mut().rev().find_map(|p| match p {
                    Popup::GroupMembers(m) if m.group == group => Some(m),
                    _ => None,
                }) {
                    Some(members) => members.answered(result, &env),
                    None => Vec::new(), // closed while the call was out
                }
            }
            Action::UserGroupsLoaded { username, result } => {
                for p in &mut self.popups {
                    if let Popup::UserDetail(d) = p
                        && d.user.username == username
                    {
                        d.groups_loaded(result.clone());
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Groups or memberships changed: the tab, an open member list and the groups of a
    /// user whose details are open are loaded again.
    pub(super) fn reload_groups(&mut self) -> Vec<Effect> {
        let env = env!(self);
        let mut effects: Vec<Effect> = self.groups.fetch(&env).into_iter().collect();
        for p in &mut self.popups {
            match p {
                Popup::GroupMembers(m) => effects.extend(m.reload(&env)),
                Popup::UserDetail(d) => {
                    if let Ok(e) =
                        env.call(|c, pool| Effect::UserGroups(c, pool, d.user.username.clone()))
                    {
                        effects.push(e);
                    }
                }
                _ => {}
            }
        }
        effects
    }
}
