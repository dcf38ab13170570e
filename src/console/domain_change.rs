//! A change to the pool's domain or resource servers, as the Domain tab makes it: told as
//! lines for the confirmation and the audit log, and carried out through the client (a
//! resource server's edit is describe, merge, update).

use crate::client::{Client, ClientError};
use crate::pool::audit::Change;
use crate::pool::domain::ResourceServer;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainChange {
    CreateDomain {
        prefix: String,
    },
    DeleteDomain {
        prefix: String,
    },
    CreateServer(ResourceServer),
    /// `before` is the server as the tab showed it: the lines say what changes.
    UpdateServer {
        before: ResourceServer,
        after: ResourceServer,
    },
    DeleteServer(ResourceServer),
}

impl DomainChange {
    /// The status line once it is done.
    pub fn describe(&self) -> String {
        match self {
            Self::CreateDomain { prefix } => format!("domain {prefix} created"),
            Self::DeleteDomain { prefix } => format!("domain {prefix} deleted"),
            Self::CreateServer(s) => format!("resource server {} created", s.identifier),
            Self::UpdateServer { after, .. } => {
                format!("resource server {} saved", after.identifier)
            }
            Self::DeleteServer(s) => format!("resource server {} deleted", s.identifier),
        }
    }

    /// What did not happen, when Cognito refused.
    pub fn failed(&self) -> &'static str {
        match self {
            Self::CreateDomain { .. } => "domain not created",
            Self::DeleteDomain { .. } => "domain not deleted",
            Self::CreateServer(_) => "resource server not created",
            Self::UpdateServer { .. } => "resource server not saved",
            Self::DeleteServer(_) => "resource server not deleted",
        }
    }

    /// What it does, a line each.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Self::CreateDomain { prefix } => vec![
                format!("Domain prefix: {prefix}"),
                "The managed login and the OAuth 2.0 endpoints answer there.".into(),
            ],
            Self::DeleteDomain { prefix } => vec![
                format!("Domain {prefix}"),
                "Its managed login and OAuth 2.0 endpoints stop answering.".into(),
            ],
            Self::CreateServer(s) => s.changes(&ResourceServer::default()),
            Self::UpdateServer { before, after } => after.changes(before),
            Self::DeleteServer(s) => {
                let mut lines = vec![format!("Resource server {} ({})", s.name, s.identifier)];
                if !s.scopes.is_empty() {
                    lines.push(format!(
                        "and its scopes: {}",
                        s.scope_ids().collect::<Vec<_>>().join(", ")
                    ));
                }
                lines
            }
        }
    }

    /// The audit log's entry (the pool is added by the caller).
    pub fn audit(&self) -> Change {
        let change = match self {
            Self::CreateDomain { prefix } => {
                Change::new("create domain").detail(format!("prefix: {prefix}"))
            }
            Self::DeleteDomain { prefix } => {
                Change::new("delete domain").detail(format!("prefix: {prefix}"))
            }
            Self::CreateServer(s) => Change::new("create resource server")
                .detail(format!("identifier: {}", s.identifier)),
            Self::UpdateServer { before, .. } => Change::new("update resource server")
                .detail(format!("identifier: {}", before.identifier)),
            Self::DeleteServer(s) => Change::new("delete resource server")
                .detail(format!("identifier: {}", s.identifier)),
        };
        change.details(self.lines())
    }

    /// Makes it.
    pub async fn run(&self, client: &Client, pool_id: &str) -> Result<(), ClientError> {
        match self {
            Self::CreateDomain { prefix } => client.create_domain(pool_id, prefix).await,
            Self::DeleteDomain { prefix } => client.delete_domain(pool_id, prefix).await,
            Self::CreateServer(s) => client.create_resource_server(pool_id, s).await,
            Self::UpdateServer { before, after } => {
                client.update_resource_server(pool_id, before, after).await
            }
            Self::DeleteServer(s) => client.delete_resource_server(pool_id, &s.identifier).await,
        }
    }
}
