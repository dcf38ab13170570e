//! The contract of a pool's OAuth set-up on every target: its prefix domain (described,
//! and an unknown one described as nothing) and its resource servers with their custom
//! scopes, which an app client may then allow. What moto does not check is ours only,
//! and says so.

use crate::common;

use crate::contract;

use aws_sdk_cognitoidentityprovider::types::{OAuthFlowType, ResourceServerScopeType};
use cognito_console::client::ClientError;
use common::kit::*;
use common::{Flavor, Harness};

/// A prefix no other test (or run, on a shared moto) has.
fn prefix() -> String {
    format!("t-{}", uuid::Uuid::new_v4().simple())
}

fn scope(name: &str) -> ResourceServerScopeType {
    ResourceServerScopeType::builder()
        .scope_name(name)
        .scope_description(name)
        .build()
        .unwrap()
}

/// A domain is described by its prefix, and names its pool.
async fn a_domain_is_described(h: Harness) {
    let id = h.pool().await;
    let domain = prefix();
    h.sdk()
        .create_user_pool_domain()
        .user_pool_id(&id)
        .domain(&domain)
        .send()
        .await
        .unwrap();
    let described = h
        .sdk()
        .describe_user_pool_domain()
        .domain(&domain)
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(described.user_pool_id(), Some(id.as_str()));
    let unknown = h
        .sdk()
        .describe_user_pool_domain()
        .domain(prefix())
        .send()
        .await
        .unwrap();
    assert!(
        unknown
            .domain_description
            .is_none_or(|d| d.domain().is_none()),
        "an unknown domain is described as nothing"
    );
}

/// A resource server's scopes become `identifier/scope`, which a client may allow.
async fn custom_scopes_are_allowed_to_clients(h: Harness) {
    let id = h.pool().await;
    let made = h
        .sdk()
        .create_resource_server()
        .user_pool_id(&id)
        .identifier("https://api.example.com")
        .name("api")
        .scopes(scope("read"))
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(made.scopes().len(), 1);
    let listed = h
        .sdk()
        .list_resource_servers()
        .user_pool_id(&id)
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.resource_servers().len(), 1);
    let client = h
        .sdk()
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("service")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("https://api.example.com/read")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(
        client.allowed_o_auth_scopes(),
        ["https://api.example.com/read"]
    );
}

/// A prefix with a reserved word, a second domain, a scope no server has, client
/// credentials beside the code grant: each refused (OAUTH-1, OAUTH-4).
async fn oauth_settings_are_held_to_the_rules(h: Harness) {
    let id = h.pool().await;
    let domain = |name: String| {
        let sdk = h.sdk().clone();
        let id = id.clone();
        async move {
            sdk.create_user_pool_domain()
                .user_pool_id(id)
                .domain(name)
                .send()
                .await
                .map(|_| ())
                .map_err(ClientError::from)
        }
    };
    let reserved = domain(format!("my-cognito-{}", &prefix()[2..10])).await;
    assert_eq!(code(reserved), "InvalidParameterException");
    domain(prefix()).await.unwrap();
    assert_eq!(code(domain(prefix()).await), "InvalidParameterException");
    let unknown = h
        .sdk()
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("https://api.example.com/none")
        .callback_urls("https://app.example/cb")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(unknown), "ScopeDoesNotExistException");
    let mixed = h
        .sdk()
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("mixed")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("openid")
        .callback_urls("https://app.example/cb")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(mixed), "InvalidOAuthFlowException");
}

/// UpdateResourceServer replaces the scopes; DeleteResourceServer removes the server.
async fn resource_servers_are_replaced_and_deleted(h: Harness) {
    let id = h.pool().await;
    h.sdk()
        .create_resource_server()
        .user_pool_id(&id)
        .identifier("api")
        .name("api")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .unwrap();
    let updated = h
        .sdk()
        .update_resource_server()
        .user_pool_id(&id)
        .identifier("api")
        .name("api v2")
        .scopes(scope("read"))
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(updated.scopes().len(), 1);
    assert_eq!(updated.name(), Some("api v2"));
    h.sdk()
        .delete_resource_server()
        .user_pool_id(&id)
        .identifier("api")
        .send()
        .await
        .unwrap();
    let gone = h
        .sdk()
        .describe_resource_server()
        .user_pool_id(&id)
        .identifier("api")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(gone), "ResourceNotFoundException");
}

contract!(
    everywhere: [
        a_domain_is_described,
        custom_scopes_are_allowed_to_clients,
    ],
    not_on_moto: [
        oauth_settings_are_held_to_the_rules =>
            "moto checks no domain prefix, gives a pool any number of domains and stores any OAuth scope and flow",
        resource_servers_are_replaced_and_deleted =>
            "moto implements neither UpdateResourceServer nor DeleteResourceServer",
    ],
);
