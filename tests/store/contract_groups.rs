//! The contract of groups: create, describe, update, delete and list them, membership
//! both ways, and the groups in every token. Run on every target like `contract.rs`;
//! where moto departs, the case is ours only and says how.

use crate::common;

use crate::contract;
use cognito_console::client::ClientError;
use cognito_console::client::auth::claims;
use cognito_console::pool::group::Group;
use common::kit::*;
use common::{Flavor, Harness};

const ADMIN_ROLE: &str = "arn:aws:iam::123456789012:role/admins";
const STAFF_ROLE: &str = "arn:aws:iam::123456789012:role/staff";

fn group(name: &str, precedence: Option<i64>, role: Option<&str>) -> Group {
    Group {
        name: name.into(),
        description: Some(format!("the {name}")),
        role_arn: role.map(str::to_string),
        precedence,
        ..Group::default()
    }
}

fn claim<'a>(claims: &'a [(String, String)], name: &str) -> Option<&'a str> {
    claims
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Create, get, update (only what is sent changes), list in pages, delete.
async fn groups_round_trip(h: Harness) {
    let id = h.pool().await;
    let created = h
        .client
        .create_group(&id, &group("admins", Some(1), Some(ADMIN_ROLE)))
        .await
        .unwrap();
    assert_eq!(created.name, "admins");
    assert_eq!(created.precedence, Some(1));
    assert_eq!(created.role_arn.as_deref(), Some(ADMIN_ROLE));
    assert_eq!(created.description.as_deref(), Some("the admins"));
    assert!(created.created.is_some());
    assert_eq!(
        code(
            h.client
                .create_group(&id, &group("admins", None, None))
                .await
        ),
        "GroupExistsException"
    );

    let updated = h
        .client
        .update_group(
            &id,
            &Group {
                name: "admins".into(),
                precedence: Some(3),
                ..Group::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.precedence, Some(3));
    let got = h
        .sdk()
        .get_group()
        .user_pool_id(&id)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    let got = got.group().unwrap();
    assert_eq!(got.precedence(), Some(3));
    assert_eq!(got.description(), Some("the admins"), "kept: not sent");
    assert_eq!(got.role_arn(), Some(ADMIN_ROLE), "kept: not sent");

    for name in ["b", "c", "d", "e"] {
        h.client
            .create_group(&id, &group(name, None, None))
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = h
            .sdk()
            .list_groups()
            .user_pool_id(&id)
            .limit(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        assert!(page.groups().len() <= 2);
        seen.extend(
            page.groups()
                .iter()
                .map(|g| g.group_name().unwrap().to_string()),
        );
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    seen.sort();
    assert_eq!(seen, ["admins", "b", "c", "d", "e"], "every group once");
    assert_eq!(
        h.client.list_groups(&id, None).await.unwrap().groups.len(),
        5
    );

    h.client.delete_group(&id, "b").await.unwrap();
    let err = h
        .sdk()
        .get_group()
        .user_pool_id(&id)
        .group_name("b")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(err), "ResourceNotFoundException");
    assert_eq!(
        code(h.client.delete_group(&id, "b").await),
        "ResourceNotFoundException"
    );
}

/// Members both ways; deleting a group or a user ends the membership.
async fn membership(h: Harness) {
    let id = h.pool().await;
    for name in ["admins", "staff"] {
        h.client
            .create_group(&id, &group(name, None, None))
            .await
            .unwrap();
    }
    for user in ["ann", "bob"] {
        invited(&h, &id, user, &[]).await;
    }
    h.client
        .set_membership(&id, "ann", "admins", true)
        .await
        .unwrap();
    h.client
        .set_membership(&id, "ann", "admins", true)
        .await
        .unwrap(); // again: no change
    h.client
        .set_membership(&id, "ann", "staff", true)
        .await
        .unwrap();
    h.client
        .set_membership(&id, "bob", "staff", true)
        .await
        .unwrap();
    let names = |page: cognito_console::pool::group::GroupPage| {
        let mut n: Vec<String> = page.groups.into_iter().map(|g| g.name).collect();
        n.sort();
        n
    };
    assert_eq!(
        names(h.client.groups_for_user(&id, "ann", None).await.unwrap()),
        ["admins", "staff"]
    );
    let mut members: Vec<String> = h
        .client
        .users_in_group(&id, "staff", None)
        .await
        .unwrap()
        .users
        .into_iter()
        .map(|u| u.username)
        .collect();
    members.sort();
    assert_eq!(members, ["ann", "bob"]);

    h.client
        .set_membership(&id, "ann", "staff", false)
        .await
        .unwrap();
    assert_eq!(
        names(h.client.groups_for_user(&id, "ann", None).await.unwrap()),
        ["admins"]
    );
    h.client.delete_group(&id, "admins").await.unwrap();
    assert!(
        h.client
            .groups_for_user(&id, "ann", None)
            .await
            .unwrap()
            .groups
            .is_empty()
    );
    h.client.delete_user(&id, "bob").await.unwrap();
    assert!(
        h.client
            .users_in_group(&id, "staff", None)
            .await
            .unwrap()
            .users
            .is_empty()
    );

    assert_eq!(
        code(h.client.set_membership(&id, "nobody", "staff", true).await),
        "UserNotFoundException"
    );
    assert_eq!(
        code(h.client.set_membership(&id, "ann", "nogroup", true).await),
        "ResourceNotFoundException"
    );
    assert_eq!(
        code(h.client.users_in_group(&id, "nogroup", None).await),
        "ResourceNotFoundException"
    );
}

/// The ID and access tokens name the user's groups, in precedence order, with the roles
/// and the preferred one as documented.
async fn groups_in_tokens(h: Harness) {
    let id = h.pool().await;
    let app = admin_client(&h, &id, false).await;
    h.client
        .create_group(&id, &group("staff", Some(5), Some(STAFF_ROLE)))
        .await
        .unwrap();
    h.client
        .create_group(&id, &group("admins", Some(1), Some(ADMIN_ROLE)))
        .await
        .unwrap();
    invited(&h, &id, "gia", &[]).await;
    h.client
        .set_membership(&id, "gia", "staff", true)
        .await
        .unwrap();
    h.client
        .set_membership(&id, "gia", "admins", true)
        .await
        .unwrap();
    let tokens = first_sign_in(&h, &app, "gia").await;
    let id_claims = claims(tokens.id_token.expose());
    let groups: Vec<String> =
        serde_json::from_str(claim(&id_claims, "cognito:groups").expect("cognito:groups")).unwrap();
    let mut sorted = groups.clone();
    sorted.sort();
    assert_eq!(sorted, ["admins", "staff"]);
    let access = claims(tokens.access_token.expose());
    assert!(claim(&access, "cognito:groups").is_some(), "{access:?}");
    if !h.is_moto() {
        // moto lists the groups but neither orders them nor names roles.
        assert_eq!(groups, ["admins", "staff"], "precedence order");
        let roles: Vec<String> =
            serde_json::from_str(claim(&id_claims, "cognito:roles").unwrap()).unwrap();
        assert_eq!(roles, [ADMIN_ROLE, STAFF_ROLE]);
        assert_eq!(
            claim(&id_claims, "cognito:preferred_role"),
            Some(ADMIN_ROLE)
        );
    }
}

/// Documented limits of the service model, refused before anything is stored. moto
/// accepts them all.
async fn group_fields_follow_the_model(h: Harness) {
    let id = h.pool().await;
    let create =
        |name: &str, description: Option<String>, precedence: Option<i32>, role: Option<&str>| {
            let sdk = h.sdk().clone();
            let id = id.clone();
            let name = name.to_string();
            let role = role.map(str::to_string);
            async move {
                sdk.create_group()
                    .user_pool_id(id)
                    .group_name(name)
                    .set_description(description)
                    .set_precedence(precedence)
                    .set_role_arn(role)
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(ClientError::from)
            }
        };
    for (result, what) in [
        (
            create("two words", None, None, None).await,
            "a space in the name",
        ),
        (
            create(&"g".repeat(129), None, None, None).await,
            "a name over 128",
        ),
        (
            create("d", Some("x".repeat(2049)), None, None).await,
            "a description over 2048",
        ),
        (
            create("p", None, Some(-1), None).await,
            "a negative precedence",
        ),
        (
            create("r", None, None, Some("arn:aws:iam::role")).await,
            "a malformed role ARN",
        ),
    ] {
        assert_eq!(code(result), "InvalidParameterException", "{what}");
    }
    assert!(
        h.client
            .list_groups(&id, None)
            .await
            .unwrap()
            .groups
            .is_empty()
    );
    create(
        &"g".repeat(128),
        Some("x".repeat(2048)),
        Some(0),
        Some(ADMIN_ROLE),
    )
    .await
    .expect("at the limits");
}

contract!(
    everywhere: [
        groups_round_trip,
        membership,
        groups_in_tokens,
    ],
    not_on_moto: [
        group_fields_follow_the_model =>
            "moto checks no group field: names with spaces, long descriptions, negative precedence and any role ARN are accepted",
    ],
);
