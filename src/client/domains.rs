//! The pool's domain and resource servers: loaded together (DescribeUserPool names the
//! domain, DescribeUserPoolDomain tells its state, ListResourceServers every page),
//! created and deleted; a resource server's edit is describe, merge, update, so a scope
//! added elsewhere meanwhile is never dropped.

use aws_sdk_cognitoidentityprovider::types as sdk;

use super::{Client, ClientError, ErrorKind, Target};
use crate::pool::domain::{Domain, DomainSettings, Host, ResourceServer, check_prefix};
use crate::pool::oauth::Scope;
use crate::pool::validate;

fn server_of(s: &sdk::ResourceServerType) -> ResourceServer {
    ResourceServer {
        identifier: s.identifier().unwrap_or_default().to_string(),
        name: s.name().unwrap_or_default().to_string(),
        scopes: s
            .scopes()
            .iter()
            .map(|s| Scope {
                scope_name: s.scope_name().to_string(),
                scope_description: s.scope_description().to_string(),
            })
            .collect(),
    }
}

fn scopes_of(server: &ResourceServer) -> Result<Vec<sdk::ResourceServerScopeType>, ClientError> {
    server
        .scopes
        .iter()
        .map(|s| {
            sdk::ResourceServerScopeType::builder()
                .scope_name(&s.scope_name)
                .scope_description(&s.scope_description)
                .build()
                .map_err(|e| ClientError::new(ErrorKind::Other, e.to_string()))
        })
        .collect()
}

fn checked(server: &ResourceServer) -> Result<(), ClientError> {
    match server.check().into_iter().next() {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

impl Client {
    /// Where this client's pools answer the managed login: AWS's domains in the pool's
    /// region, the endpoint's path prefixes, or `serve`'s default address.
    pub fn host(&self, pool_id: &str) -> Host {
        match self.target() {
            Target::Local { .. } => Host::Embedded,
            Target::Aws {
                endpoint_url: Some(url),
                ..
            } => Host::Endpoint(url.clone()),
            Target::Aws { .. } => Host::Aws {
                region: pool_id.split('_').next().unwrap_or_default().to_string(),
            },
        }
    }

    /// The pool's domain (if it has one) and every resource server.
    pub async fn domain_settings(&self, pool_id: &str) -> Result<DomainSettings, ClientError> {
        validate::pool_id(pool_id)?;
        let pool = self
            .sdk
            .describe_user_pool()
            .user_pool_id(pool_id)
            .send()
            .await?;
        let prefix = pool
            .user_pool()
            .and_then(|p| p.domain())
            .map(str::to_string);
        let domain = match prefix {
            None => None,
            Some(prefix) => {
                let out = self
                    .sdk
                    .describe_user_pool_domain()
                    .domain(&prefix)
                    .send()
                    .await?;
                let d = out.domain_description();
                Some(Domain {
                    status: d
                        .and_then(|d| d.status())
                        .map_or("ACTIVE", |s| s.as_str())
                        .to_string(),
                    managed_login_version: d.and_then(|d| d.managed_login_version()),
                    prefix,
                })
            }
        };
        let mut servers = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .sdk
                .list_resource_servers()
                .user_pool_id(pool_id)
                .max_results(50)
                .set_next_token(token)
                .send()
                .await?;
            servers.extend(out.resource_servers().iter().map(server_of));
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        servers.sort_by(|a, b| a.identifier.cmp(&b.identifier));
        Ok(DomainSettings { domain, servers })
    }

    /// CreateUserPoolDomain with a prefix (the prefix checked first).
    pub async fn create_domain(&self, pool_id: &str, prefix: &str) -> Result<(), ClientError> {
        check_prefix(prefix)?;
        self.sdk
            .create_user_pool_domain()
            .user_pool_id(pool_id)
            .domain(prefix)
            .send()
            .await?;
        Ok(())
    }

    pub async fn delete_domain(&self, pool_id: &str, prefix: &str) -> Result<(), ClientError> {
        self.sdk
            .delete_user_pool_domain()
            .user_pool_id(pool_id)
            .domain(prefix)
            .send()
            .await?;
        Ok(())
    }

    pub async fn create_resource_server(
        &self,
        pool_id: &str,
        server: &ResourceServer,
    ) -> Result<(), ClientError> {
        checked(server)?;
        self.sdk
            .create_resource_server()
            .user_pool_id(pool_id)
            .identifier(&server.identifier)
            .name(&server.name)
            .set_scopes(Some(scopes_of(server)?))
            .send()
            .await?;
        Ok(())
    }

    /// Changes what `after` changed from `before` on the server as it is now.
    pub async fn update_resource_server(
        &self,
        pool_id: &str,
        before: &ResourceServer,
        after: &ResourceServer,
    ) -> Result<(), ClientError> {
        let out = self
            .sdk
            .describe_resource_server()
            .user_pool_id(pool_id)
            .identifier(&before.identifier)
            .send()
            .await?;
        let mut now = out
            .resource_server()
            .map(server_of)
            .ok_or_else(|| ClientError::new(ErrorKind::Other, "no resource server described"))?;
        now.apply_changes(before, after);
        checked(&now)?;
        self.sdk
            .update_resource_server()
            .user_pool_id(pool_id)
            .identifier(&now.identifier)
            .name(&now.name)
            .set_scopes(Some(scopes_of(&now)?))
            .send()
            .await?;
        Ok(())
    }

    pub async fn delete_resource_server(
        &self,
        pool_id: &str,
        identifier: &str,
    ) -> Result<(), ClientError> {
        self.sdk
            .delete_resource_server()
            .user_pool_id(pool_id)
            .identifier(identifier)
            .send()
            .await?;
        Ok(())
    }
}
