//! App client calls: the console lists them to find one that allows an admin sign-in.

use aws_sdk_cognitoidentityprovider::types::{ExplicitAuthFlowsType, UserPoolClientType};

use super::{Client, ClientError, ErrorKind, convert};
use crate::pool::{AppClient, Secret, app_client, validate};

fn app_client_from(c: &UserPoolClientType) -> AppClient {
    AppClient {
        pool_id: c.user_pool_id().unwrap_or_default().to_string(),
        id: c.client_id().unwrap_or_default().to_string(),
        name: c.client_name().unwrap_or_default().to_string(),
        secret: c.client_secret().map(Secret::new),
        explicit_auth_flows: c
            .explicit_auth_flows()
            .iter()
            .map(|f| f.as_str().to_string())
            .collect(),
        created: convert::time(c.creation_date()),
        last_modified: convert::time(c.last_modified_date()),
    }
}

impl Client {
    /// Every app client of a pool, described (ListUserPoolClients gives only names).
    pub async fn list_app_clients(&self, pool_id: &str) -> Result<Vec<AppClient>, ClientError> {
        validate::pool_id(pool_id)?;
        let mut ids = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .sdk
                .list_user_pool_clients()
                .user_pool_id(pool_id)
                .max_results(60)
                .set_next_token(token)
                .send()
                .await?;
            ids.extend(
                out.user_pool_clients()
                    .iter()
                    .filter_map(|c| c.client_id().map(str::to_string)),
            );
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        let mut clients = Vec::with_capacity(ids.len());
        for id in ids {
            clients.push(self.describe_app_client(pool_id, &id).await?);
        }
        Ok(clients)
    }

    pub async fn describe_app_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<AppClient, ClientError> {
        let out = self
            .sdk
            .describe_user_pool_client()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .send()
            .await?;
        out.user_pool_client().map(app_client_from).ok_or_else(|| {
            ClientError::new(
                ErrorKind::Other,
                "DescribeUserPoolClient returned no client",
            )
        })
    }

    /// CreateUserPoolClient. `flows` None gives Cognito's default flows.
    pub async fn create_app_client(
        &self,
        pool_id: &str,
        name: &str,
        flows: Option<Vec<String>>,
        generate_secret: bool,
    ) -> Result<AppClient, ClientError> {
        app_client::client_name(name)?;
        if let Some(f) = &flows {
            app_client::explicit_auth_flows(f)?;
        }
        let out = self
            .sdk
            .create_user_pool_client()
            .user_pool_id(pool_id)
            .client_name(name)
            .generate_secret(generate_secret)
            .set_explicit_auth_flows(flows.map(|f| {
                f.iter()
                    .map(|s| ExplicitAuthFlowsType::from(s.as_str()))
                    .collect()
            }))
            .send()
            .await?;
        out.user_pool_client().map(app_client_from).ok_or_else(|| {
            ClientError::new(ErrorKind::Other, "CreateUserPoolClient returned no client")
        })
    }

    pub async fn delete_app_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<(), ClientError> {
        self.sdk
            .delete_user_pool_client()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .send()
            .await?;
        Ok(())
    }
}
