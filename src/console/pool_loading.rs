//! Opening a pool and loading it again: its description, the first users and its
//! groups, each started off the UI task; answers for a pool no longer wanted are dropped.

use super::app::{App, env};
use super::effect::Effect;
use super::owner::{Changed, Step};
use super::tabs::groups::{GroupsTab, Load};
use super::tabs::messages::MessagesTab;
use super::tabs::policies::PoliciesTab;
use crate::client::ClientError;
use crate::pool::PoolDescription;

impl App {
    pub(super) fn pool_loaded(
        &mut self,
        id: &str,
        result: &Result<PoolDescription, ClientError>,
    ) -> Vec<Step> {
        if self.wanted_pool.as_deref() != Some(id) {
            return Vec::new(); // a pool no longer wanted
        }
        match result {
            Ok(d) => {
                self.pool = Some(d.clone());
                self.pool_error = None;
                let env = env!(self);
                let mut steps: Vec<Step> =
                    self.users.fetch(&env).map(Step::Run).into_iter().collect();
                if self.groups.load == Load::Idle {
                    steps.extend(self.groups.fetch(&env).map(Step::Run));
                }
                steps
            }
            Err(e) => {
                self.pool_error = Some(e.to_string());
                vec![Step::Error(format!("cannot open the pool {id}: {e}"))]
            }
        }
    }

    pub(super) fn open_pool(&mut self, id: String) -> Vec<Effect> {
        let Some(client) = self.client.clone() else {
            self.wanted_pool = Some(id);
            return Vec::new();
        };
        self.wanted_pool = Some(id.clone());
        self.pool = None;
        self.pool_error = None;
        self.policies = PoliciesTab::default();
        self.messages = MessagesTab::default();
        self.users.reset(None, Default::default());
        // Marks are of this pool's users.
        self.users.marks.clear();
        self.groups = GroupsTab::default();
        // What was said about the last pool is not true of this one.
        if !self.notice_held {
            self.status = None;
        }
        let mut effects = vec![Effect::DescribePool(client, id)];
        effects.extend(self.users.fetch(&env!(self)));
        effects
    }

    /// The users and the pool's estimate, loaded again (after a change, on refresh).
    pub(super) fn reload(&mut self) -> Vec<Effect> {
        let mut effects = self.refresh_all(Changed::Users);
        if let (Some(c), Some(id)) = (&self.client, &self.wanted_pool) {
            effects.push(Effect::DescribePool(c.clone(), id.clone()));
        }
        effects
    }

    pub(super) fn refresh(&mut self) -> Vec<Effect> {
        let Some(client) = self.client.clone() else {
            self.connect_error = None;
            return vec![Effect::Connect(
                self.target.clone(),
                self.lambda_endpoint.clone(),
            )];
        };
        let mut effects = vec![Effect::ListPools(client.clone())];
        if let Some(id) = self.wanted_pool.clone() {
            if self.pool.is_none() {
                effects.extend(self.open_pool(id));
            } else {
                effects.extend(self.reload());
                effects.extend(self.refresh_all(Changed::Groups));
            }
        }
        effects
    }
}
