//! The contract of what an administrator changes on a pool once it is made: its app
//! clients (UpdateUserPoolClient), its custom attributes (AddCustomAttributes) and its
//! tags. Run on every target like `contract.rs`; where moto departs, the case is ours
//! only and says how.

use crate::common;

use crate::contract;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, ExplicitAuthFlowsType, SchemaAttributeType,
};
use cognito_console::client::ClientError;
use common::kit::*;
use common::{Flavor, Harness};

async fn new_client(h: &Harness, id: &str) -> String {
    h.sdk()
        .create_user_pool_client()
        .user_pool_id(id)
        .client_name("web")
        .generate_secret(true)
        .callback_urls("https://example.com/cb")
        .access_token_validity(5)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap()
}

/// An update sets what it is given and keeps the client's id and secret.
async fn an_update_sets_what_it_is_given(h: Harness) {
    let id = h.pool().await;
    let client_id = new_client(&h, &id).await;
    let before = h
        .sdk()
        .describe_user_pool_client()
        .user_pool_id(&id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let after = h
        .sdk()
        .update_user_pool_client()
        .user_pool_id(&id)
        .client_id(&client_id)
        .client_name("web-2")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(after.client_name(), Some("web-2"));
    assert_eq!(after.client_secret(), before.client_secret());
    assert_eq!(after.explicit_auth_flows().len(), 2);
    let unknown = h
        .sdk()
        .update_user_pool_client()
        .user_pool_id(&id)
        .client_id("nosuchclientnosuchclient00")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(unknown), "ResourceNotFoundException");
}

/// AddCustomAttributes: the pool describes the new attribute, and users may hold it.
async fn custom_attributes_are_added(h: Harness) {
    let id = h.pool().await;
    h.sdk()
        .add_custom_attributes()
        .user_pool_id(&id)
        .custom_attributes(
            SchemaAttributeType::builder()
                .name("team")
                .attribute_data_type(AttributeDataType::String)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let pool = h
        .sdk()
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert!(
        pool.schema_attributes()
            .iter()
            .any(|a| a.name() == Some("custom:team")),
        "{pool:?}"
    );
    h.client
        .create_user(&id, &suppressed("ana", &[("custom:team", "blue")]))
        .await
        .unwrap();
}

// ---------------------------------------------------------------- ours only

/// Tags by the pool's ARN: added, listed, removed.
async fn tags_by_arn(h: Harness) {
    let id = h.pool().await;
    let arn = h
        .sdk()
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .arn
        .unwrap();
    h.sdk()
        .tag_resource()
        .resource_arn(&arn)
        .tags("team", "identity")
        .tags("cost", "42")
        .send()
        .await
        .unwrap();
    h.sdk()
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("cost")
        .send()
        .await
        .unwrap();
    let tags = h
        .sdk()
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let tags = tags.tags().cloned().unwrap_or_default();
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert_eq!(tags.get("team").map(String::as_str), Some("identity"));
}

/// What an update leaves out goes back to its default (CLIENT-9).
async fn an_update_resets_what_it_leaves_out(h: Harness) {
    let id = h.pool().await;
    let client_id = new_client(&h, &id).await;
    let after = h
        .sdk()
        .update_user_pool_client()
        .user_pool_id(&id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert!(after.callback_urls().is_empty(), "{after:?}");
    assert_eq!(after.access_token_validity(), Some(60));
    assert_eq!(after.client_name(), Some("web"), "the name stays");
}

/// A custom attribute the pool has is refused again, and custom attributes are never
/// required (POOL-13).
async fn custom_attributes_are_held_to_the_rules(h: Harness) {
    let id = h.pool().await;
    let add = |name: &str, required: bool| {
        let sdk = h.sdk().clone();
        let id = id.clone();
        let item = SchemaAttributeType::builder()
            .name(name)
            .attribute_data_type(AttributeDataType::String)
            .required(required)
            .build();
        async move {
            sdk.add_custom_attributes()
                .user_pool_id(id)
                .custom_attributes(item)
                .send()
                .await
                .map(|_| ())
                .map_err(ClientError::from)
        }
    };
    add("team", false).await.unwrap();
    let again = add("team", false).await.unwrap_err();
    assert_eq!(
        again.message,
        "Existing attribute already has name custom:team."
    );
    assert_eq!(code(add("level", true).await), "InvalidParameterException");
}

/// A confidential client's secrets rotate: a second is added (its value answered only when
/// generated), a SECRET_HASH made with either is accepted, a third is refused, the old
/// one deleted stops working, and the last one stays (CLIENT-10).
async fn client_secrets_rotate(h: Harness) {
    use cognito_console::pool::app_client::secret_hash;
    let id = h.pool().await;
    let client_id = new_client(&h, &id).await;
    let sdk = h.sdk();
    let listed = sdk
        .list_user_pool_client_secrets()
        .user_pool_id(&id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap();
    let first = listed.client_secrets()[0].clone();
    assert_eq!(listed.client_secrets().len(), 1);
    assert!(first.client_secret_value().is_none(), "never listed");
    let first_id = first.client_secret_id().unwrap().to_string();
    assert!(
        first_id.starts_with(&format!("{client_id}--")),
        "{first_id}"
    );
    let old = sdk
        .describe_user_pool_client()
        .user_pool_id(&id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_secret
        .unwrap();
    let added = sdk
        .add_user_pool_client_secret()
        .user_pool_id(&id)
        .client_id(&client_id)
        .send()
        .await
        .unwrap()
        .client_secret_descriptor
        .unwrap();
    let new = added
        .client_secret_value()
        .expect("a generated value is answered")
        .to_string();
    let sign_up = |user: &str, secret: &str| {
        let hash = secret_hash(secret, user, &client_id);
        sdk.sign_up()
            .client_id(&client_id)
            .username(user)
            .password("Correct-horse-9")
            .secret_hash(hash)
            .send()
    };
    sign_up("ana", &new).await.expect("the new secret");
    sign_up("ben", &old)
        .await
        .expect("the old secret, until deleted");
    let third = sdk
        .add_user_pool_client_secret()
        .user_pool_id(&id)
        .client_id(&client_id)
        .client_secret("a".repeat(30))
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(third), "LimitExceededException");
    sdk.delete_user_pool_client_secret()
        .user_pool_id(&id)
        .client_id(&client_id)
        .client_secret_id(&first_id)
        .send()
        .await
        .unwrap();
    let stale = sign_up("cy", &old).await.map_err(ClientError::from);
    assert_eq!(code(stale), "NotAuthorizedException");
    let last = sdk
        .delete_user_pool_client_secret()
        .user_pool_id(&id)
        .client_id(&client_id)
        .client_secret_id(added.client_secret_id().unwrap())
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(last), "InvalidParameterException");
    let given = sdk
        .add_user_pool_client_secret()
        .user_pool_id(&id)
        .client_id(&client_id)
        .client_secret("b".repeat(30))
        .send()
        .await
        .unwrap()
        .client_secret_descriptor
        .unwrap();
    assert!(
        given.client_secret_value().is_none(),
        "a given value is not echoed"
    );
    let public = sdk
        .create_user_pool_client()
        .user_pool_id(&id)
        .client_name("spa")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let refused = sdk
        .add_user_pool_client_secret()
        .user_pool_id(&id)
        .client_id(&public)
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(refused), "InvalidParameterException");
}

contract!(
    everywhere: [
        an_update_sets_what_it_is_given,
        custom_attributes_are_added,
    ],
    not_on_moto: [
        tags_by_arn =>
            "moto does not implement TagResource (NotImplementedError, HTTP 500)",
        an_update_resets_what_it_leaves_out =>
            "moto keeps what an UpdateUserPoolClient leaves out instead of resetting it",
        custom_attributes_are_held_to_the_rules =>
            "moto takes a custom attribute twice and a required one",
        client_secrets_rotate =>
            "moto does not implement AddUserPoolClientSecret, ListUserPoolClientSecrets or DeleteUserPoolClientSecret",
    ],
);
