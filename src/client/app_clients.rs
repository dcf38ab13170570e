//! App client calls: list (to show them, and to find one that allows an admin sign-in),
//! describe, create, update and delete. An update is describe, merge, update:
//! UpdateUserPoolClient resets whatever it is not sent (CLIENT-9), so every member the
//! console does not edit is sent back as Cognito described it.

use aws_sdk_cognitoidentityprovider::operation::update_user_pool_client::builders::UpdateUserPoolClientFluentBuilder;
use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, OAuthFlowType, PreventUserExistenceErrorTypes, TimeUnitsType,
    TokenValidityUnitsType, UserPoolClientType,
};

use super::{Client, ClientError, ErrorKind, convert};
use crate::pool::client_settings::{ClientSettings, Lifetime, ordered};
use crate::pool::{AppClient, Secret, app_client, oauth, token_validity, validate};

fn unit(u: Option<&TimeUnitsType>, default: &str) -> String {
    u.map_or_else(|| default.to_string(), |u| u.as_str().to_string())
}

fn app_client_from(c: &UserPoolClientType) -> AppClient {
    let units = c.token_validity_units();
    let strings = |v: &[String]| v.to_vec();
    let defaults = ClientSettings::default();
    // An amount without its unit is in the API's unit (hours; days for refresh tokens),
    // as Cognito reads it (CLIENT-2), not in the console's default unit.
    let lifetime = |amount: Option<i32>, unit_of: Option<&TimeUnitsType>, d: &Lifetime, member| {
        amount.map_or_else(
            || d.clone(),
            |a| {
                Lifetime::new(
                    i64::from(a),
                    &unit(unit_of, token_validity::api_unit(member)),
                )
            },
        )
    };
    AppClient {
        pool_id: c.user_pool_id().unwrap_or_default().to_string(),
        id: c.client_id().unwrap_or_default().to_string(),
        secret: c.client_secret().map(Secret::new),
        settings: ClientSettings {
            name: c.client_name().unwrap_or_default().to_string(),
            explicit_auth_flows: ordered(
                &c.explicit_auth_flows()
                    .iter()
                    .map(|f| f.as_str().to_string())
                    .collect::<Vec<_>>(),
            ),
            access_token: lifetime(
                c.access_token_validity(),
                units.and_then(|u| u.access_token()),
                &defaults.access_token,
                "AccessTokenValidity",
            ),
            id_token: lifetime(
                c.id_token_validity(),
                units.and_then(|u| u.id_token()),
                &defaults.id_token,
                "IdTokenValidity",
            ),
            refresh_token: lifetime(
                Some(c.refresh_token_validity()).filter(|v| *v > 0),
                units.and_then(|u| u.refresh_token()),
                &defaults.refresh_token,
                "RefreshTokenValidity",
            ),
            auth_session_minutes: c
                .auth_session_validity()
                .map_or(defaults.auth_session_minutes, i64::from),
            read_attributes: strings(c.read_attributes()),
            write_attributes: strings(c.write_attributes()),
            callback_urls: strings(c.callback_urls()),
            logout_urls: strings(c.logout_urls()),
            prevent_user_existence_errors: c.prevent_user_existence_errors()
                == Some(&PreventUserExistenceErrorTypes::Enabled),
            enable_token_revocation: c.enable_token_revocation().unwrap_or(true),
            oauth: c.allowed_o_auth_flows_user_pool_client().unwrap_or(false),
            oauth_flows: {
                let mut flows: Vec<String> = c
                    .allowed_o_auth_flows()
                    .iter()
                    .map(|f| f.as_str().to_string())
                    .collect();
                flows.sort_by_key(|f| oauth::FLOWS.iter().position(|k| k == f));
                flows
            },
            oauth_scopes: strings(c.allowed_o_auth_scopes()),
            identity_providers: strings(c.supported_identity_providers()),
        },
        created: convert::time(c.creation_date()),
        last_modified: convert::time(c.last_modified_date()),
    }
}

/// An UpdateUserPoolClient request that sends back every member of `current`, with the
/// console's settings where `after` differs from `before`.
fn merged(
    request: UpdateUserPoolClientFluentBuilder,
    current: &UserPoolClientType,
    before: &ClientSettings,
    after: &ClientSettings,
) -> UpdateUserPoolClientFluentBuilder {
    let c = current;
    let mut r = request
        .user_pool_id(c.user_pool_id().unwrap_or_default())
        .client_id(c.client_id().unwrap_or_default())
        .set_client_name(c.client_name.clone())
        .set_explicit_auth_flows(c.explicit_auth_flows.clone())
        .refresh_token_validity(c.refresh_token_validity())
        .set_access_token_validity(c.access_token_validity)
        .set_id_token_validity(c.id_token_validity)
        .set_token_validity_units(c.token_validity_units.clone())
        .set_read_attributes(c.read_attributes.clone())
        .set_write_attributes(c.write_attributes.clone())
        .set_supported_identity_providers(c.supported_identity_providers.clone())
        .set_callback_urls(c.callback_urls.clone())
        .set_logout_urls(c.logout_urls.clone())
        .set_default_redirect_uri(c.default_redirect_uri.clone())
        .set_allowed_o_auth_flows(c.allowed_o_auth_flows.clone())
        .set_allowed_o_auth_scopes(c.allowed_o_auth_scopes.clone())
        .set_allowed_o_auth_flows_user_pool_client(c.allowed_o_auth_flows_user_pool_client)
        .set_analytics_configuration(c.analytics_configuration.clone())
        .set_prevent_user_existence_errors(c.prevent_user_existence_errors.clone())
        .set_enable_token_revocation(c.enable_token_revocation)
        .set_enable_propagate_additional_user_context_data(
            c.enable_propagate_additional_user_context_data,
        )
        .set_auth_session_validity(c.auth_session_validity)
        .set_refresh_token_rotation(c.refresh_token_rotation.clone());
    let list = |v: &[String]| Some(v.to_vec()).filter(|v| !v.is_empty());
    if after.name != before.name {
        r = r.client_name(&after.name);
    }
    if after.explicit_auth_flows != before.explicit_auth_flows {
        r = r.set_explicit_auth_flows(Some(
            after
                .explicit_auth_flows
                .iter()
                .map(|f| ExplicitAuthFlowsType::from(f.as_str()))
                .collect(),
        ));
    }
    let lifetimes = [
        (&before.access_token, &after.access_token),
        (&before.id_token, &after.id_token),
        (&before.refresh_token, &after.refresh_token),
    ];
    if lifetimes.iter().any(|(b, a)| b != a) {
        let to_i32 = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        r = r
            .access_token_validity(to_i32(after.access_token.amount))
            .id_token_validity(to_i32(after.id_token.amount))
            .refresh_token_validity(to_i32(after.refresh_token.amount))
            .token_validity_units(
                TokenValidityUnitsType::builder()
                    .access_token(TimeUnitsType::from(after.access_token.unit.as_str()))
                    .id_token(TimeUnitsType::from(after.id_token.unit.as_str()))
                    .refresh_token(TimeUnitsType::from(after.refresh_token.unit.as_str()))
                    .build(),
            );
    }
    if after.auth_session_minutes != before.auth_session_minutes {
        r = r.auth_session_validity(i32::try_from(after.auth_session_minutes).unwrap_or(3));
    }
    if after.read_attributes != before.read_attributes {
        r = r.set_read_attributes(list(&after.read_attributes));
    }
    if after.write_attributes != before.write_attributes {
        r = r.set_write_attributes(list(&after.write_attributes));
    }
    if after.callback_urls != before.callback_urls {
        r = r.set_callback_urls(list(&after.callback_urls));
        // A default redirect must be one of the callbacks: removing it removes the default.
        if let Some(default) = c.default_redirect_uri()
            && !after.callback_urls.iter().any(|u| u == default)
        {
            r = r.set_default_redirect_uri(None);
        }
    }
    if after.logout_urls != before.logout_urls {
        r = r.set_logout_urls(list(&after.logout_urls));
    }
    if after.prevent_user_existence_errors != before.prevent_user_existence_errors {
        r = r.prevent_user_existence_errors(if after.prevent_user_existence_errors {
            PreventUserExistenceErrorTypes::Enabled
        } else {
            PreventUserExistenceErrorTypes::Legacy
        });
    }
    if after.enable_token_revocation != before.enable_token_revocation {
        r = r.enable_token_revocation(after.enable_token_revocation);
    }
    if after.oauth != before.oauth {
        r = r.allowed_o_auth_flows_user_pool_client(after.oauth);
    }
    if after.oauth_flows != before.oauth_flows {
        r = r.set_allowed_o_auth_flows(
            Some(
                after
                    .oauth_flows
                    .iter()
                    .map(|f| OAuthFlowType::from(f.as_str()))
                    .collect::<Vec<_>>(),
            )
            .filter(|v| !v.is_empty()),
        );
    }
    if after.oauth_scopes != before.oauth_scopes {
        r = r.set_allowed_o_auth_scopes(list(&after.oauth_scopes));
    }
    if after.identity_providers != before.identity_providers {
        r = r.set_supported_identity_providers(list(&after.identity_providers));
    }
    r
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

    /// Changes the settings `edit` makes and nothing else of the client: it is
    /// described, `edit` sees its settings, the rules are checked, and the request sends
    /// every other member back as it was. The client as described after.
    pub async fn update_app_client(
        &self,
        pool_id: &str,
        client_id: &str,
        edit: impl FnOnce(&mut ClientSettings),
    ) -> Result<AppClient, ClientError> {
        let current = self
            .sdk
            .describe_user_pool_client()
            .user_pool_id(pool_id)
            .client_id(client_id)
            .send()
            .await?
            .user_pool_client
            .ok_or_else(|| {
                ClientError::new(
                    ErrorKind::Other,
                    "DescribeUserPoolClient returned no client",
                )
            })?;
        let before = app_client_from(&current).settings;
        let mut after = before.clone();
        edit(&mut after);
        if after == before {
            return Ok(app_client_from(&current));
        }
        let has_secret = current.client_secret().is_some();
        if let Some(e) = after
            .check()
            .into_iter()
            .chain(after.check_oauth(has_secret, None))
            .next()
        {
            return Err(e.into());
        }
        let out = merged(
            self.sdk.update_user_pool_client(),
            &current,
            &before,
            &after,
        )
        .send()
        .await?;
        out.user_pool_client().map(app_client_from).ok_or_else(|| {
            ClientError::new(ErrorKind::Other, "UpdateUserPoolClient returned no client")
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
