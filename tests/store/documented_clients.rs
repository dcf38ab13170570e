//! The documented rules of app clients (CLIENT-*) and sign-in (AUTH-*), from
//! `docs/documented-rules.md`, one test each, run on the store in process.

use crate::rules;

use std::collections::BTreeSet;

use rules::*;
use serde_json::{Value, json};

// RULE CLIENT-1
#[test]
fn tokens_last_an_hour_and_thirty_days_by_default() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({}));
    let (access, id_token, refresh) = p.lifetimes(&id, &client);
    assert_eq!((access, id_token), (3_600, 3_600));
    assert_eq!(refresh, 30.0 * 86_400.0);
}

// RULE CLIENT-2
#[test]
fn a_validity_without_a_unit_is_in_hours_or_days() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(
        &id,
        json!({"AccessTokenValidity": 2, "IdTokenValidity": 3, "RefreshTokenValidity": 4}),
    );
    assert_eq!(client["TokenValidityUnits"]["AccessToken"], "hours");
    let (access, id_token, refresh) = p.lifetimes(&id, &client);
    assert_eq!((access, id_token), (7_200, 10_800));
    assert_eq!(refresh, 4.0 * 86_400.0);
    // A unit that is sent is used.
    let minutes = p.client(
        &id,
        json!({"AccessTokenValidity": 10, "TokenValidityUnits": {"AccessToken": "minutes"}}),
    );
    assert_eq!(p.lifetimes(&id, &minutes).0, 600);
}

// RULE CLIENT-3
#[test]
fn zero_refresh_validity_is_thirty_days() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({"RefreshTokenValidity": 0}));
    assert_eq!(client["RefreshTokenValidity"], 30);
    assert_eq!(p.lifetimes(&id, &client).2, 30.0 * 86_400.0);
}

// RULE CLIENT-4
#[test]
fn token_lifetimes_have_ranges_after_their_unit() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let minutes =
        json!({"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes"});
    for (extra, accepted) in [
        (
            json!({"AccessTokenValidity": 5, "TokenValidityUnits": minutes}),
            true,
        ),
        (
            json!({"AccessTokenValidity": 4, "TokenValidityUnits": minutes}),
            false,
        ),
        (json!({"IdTokenValidity": 24}), true),
        (json!({"IdTokenValidity": 25}), false),
        (
            json!({"RefreshTokenValidity": 60, "TokenValidityUnits": minutes}),
            true,
        ),
        (
            json!({"RefreshTokenValidity": 59, "TokenValidityUnits": minutes}),
            false,
        ),
        (json!({"RefreshTokenValidity": 3650}), true),
        (json!({"RefreshTokenValidity": 3651}), false),
    ] {
        let mut body = json!({"UserPoolId": id, "ClientName": "c"});
        merge(&mut body, extra.clone());
        match p.call("CreateUserPoolClient", body) {
            Ok(_) => assert!(accepted, "{extra} was accepted"),
            Err(refusal) => {
                assert!(!accepted, "{extra}: {refusal:?}");
                assert_eq!(code(&refusal), "InvalidParameterException");
                assert!(
                    refusal.1.contains("Validity") && refusal.1.contains("between"),
                    "{refusal:?}"
                );
            }
        }
    }
}

// RULE CLIENT-5
#[test]
fn a_secret_is_generated_or_given_not_both() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let refusal = p.refused(
        "CreateUserPoolClient",
        json!({"UserPoolId": id, "ClientName": "c", "GenerateSecret": true,
               "ClientSecret": "asecretofatleast24characters"}),
    );
    assert_eq!(code(&refusal), "InvalidParameterException");
    let given = p.client(&id, json!({"ClientSecret": "asecretofatleast24characters"}));
    assert_eq!(given["ClientSecret"], "asecretofatleast24characters");
    let made = p.client(&id, json!({"GenerateSecret": true}));
    assert!(made["ClientSecret"].is_string());
}

// RULE CLIENT-6
#[test]
fn callbacks_are_https_but_for_loopback() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    for url in [
        "https://app.example.com/cb",
        "http://localhost:3000/cb",
        "http://127.0.0.1/cb",
        "http://[::1]:8080/cb",
        "myapp://signed-in",
    ] {
        p.client(&id, json!({"CallbackURLs": [url]}));
    }
    for url in [
        "http://app.example.com/cb",
        "http://localhost.evil.com/",
        "https://app.example.com/#x",
    ] {
        let refusal = p.refused(
            "CreateUserPoolClient",
            json!({"UserPoolId": id, "ClientName": "c", "CallbackURLs": [url]}),
        );
        assert_eq!(code(&refusal), "InvalidParameterException", "{url}");
        assert!(refusal.1.contains("CallbackURLs"), "{refusal:?}");
    }
}

// RULE CLIENT-7
#[test]
fn default_and_legacy_auth_flows() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let made = p.ok(
        "CreateUserPoolClient",
        json!({"UserPoolId": id, "ClientName": "c"}),
    );
    let flows: BTreeSet<&str> = made["UserPoolClient"]["ExplicitAuthFlows"]
        .as_array()
        .expect("flows")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        flows,
        BTreeSet::from([
            "ALLOW_CUSTOM_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH"
        ])
    );
    let refusal = p.refused(
        "CreateUserPoolClient",
        json!({"UserPoolId": id, "ClientName": "c",
               "ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]}),
    );
    assert_eq!(code(&refusal), "InvalidParameterException");
}

// RULE CLIENT-8
#[test]
fn client_member_defaults() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let made = p.ok(
        "CreateUserPoolClient",
        json!({"UserPoolId": id, "ClientName": "c"}),
    );
    let client = &made["UserPoolClient"];
    assert_eq!(client["PreventUserExistenceErrors"], "LEGACY");
    assert_eq!(client["AllowedOAuthFlowsUserPoolClient"], false);
    assert_eq!(client["EnableTokenRevocation"], true);
}

// RULE AUTH-1
#[test]
fn a_new_password_cannot_change_a_required_attribute_already_given() {
    let p = Pool::new();
    let id = p.pool(json!({"Schema": [{"Name": "email", "Required": true}, {"Name": "name", "Required": true}]}));
    let client = p.client(&id, json!({}));
    p.ok(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "ana", "TemporaryPassword": "Temp0rary!", "MessageAction": "SUPPRESS",
               "UserAttributes": [{"Name": "email", "Value": "ana@example.com"}]}),
    );
    let challenge = |p: &Pool| {
        p.ok(
            "AdminInitiateAuth",
            json!({"UserPoolId": id, "ClientId": client["ClientId"], "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                   "AuthParameters": {"USERNAME": "ana", "PASSWORD": "Temp0rary!"}}),
        )["Session"]
            .clone()
    };
    let respond = |p: &Pool, session: Value, attributes: Value| {
        let mut responses = json!({"USERNAME": "ana", "NEW_PASSWORD": "Passw0rd!"});
        merge(&mut responses, attributes);
        p.call(
            "AdminRespondToAuthChallenge",
            json!({"UserPoolId": id, "ClientId": client["ClientId"], "ChallengeName": "NEW_PASSWORD_REQUIRED",
                   "Session": session, "ChallengeResponses": responses}),
        )
    };
    let refusal = respond(
        &p,
        challenge(&p),
        json!({"userAttributes.email": "other@example.com", "userAttributes.name": "Ana"}),
    )
    .expect_err("a given required attribute cannot change");
    assert_eq!(
        refusal,
        (
            "InvalidParameterException".into(),
            "Cannot modify an already provided email".into()
        )
    );
    // The same value, and the missing one, are fine.
    respond(
        &p,
        challenge(&p),
        json!({"userAttributes.email": "ana@example.com", "userAttributes.name": "Ana"}),
    )
    .expect("signed in");
}

// RULE AUTH-2
#[test]
fn the_flow_must_be_one_the_client_allows() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let made = p.ok(
        "CreateUserPoolClient",
        json!({"UserPoolId": id, "ClientName": "srp-only"}),
    );
    p.user(&id, "ana", json!([]));
    let refusal = p.refused(
        "AdminInitiateAuth",
        json!({"UserPoolId": id, "ClientId": made["UserPoolClient"]["ClientId"], "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ana", "PASSWORD": "Passw0rd!"}}),
    );
    assert_eq!(code(&refusal), "InvalidParameterException");
}

// RULE AUTH-3
#[test]
fn a_secret_client_must_send_the_secret_hash() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({"GenerateSecret": true}));
    p.user(&id, "ana", json!([{"Name": "email", "Value": "ana@example.com"}, {"Name": "email_verified", "Value": "true"}]));
    let refusal = p.refused(
        "ForgotPassword",
        json!({"ClientId": client["ClientId"], "Username": "ana"}),
    );
    assert_eq!(code(&refusal), "NotAuthorizedException");
}

// RULE CLIENT-9
#[test]
fn an_update_resets_what_it_leaves_out() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let made = p.client(
        &id,
        json!({"GenerateSecret": true, "CallbackURLs": ["https://example.com/cb"],
               "AccessTokenValidity": 5, "TokenValidityUnits": {"AccessToken": "hours"},
               "PreventUserExistenceErrors": "ENABLED"}),
    );
    let client_id = made["ClientId"].clone();
    let updated = p.ok(
        "UpdateUserPoolClient",
        json!({"UserPoolId": id, "ClientId": client_id, "IdTokenValidity": 2,
               "TokenValidityUnits": {"IdToken": "hours"}}),
    )["UserPoolClient"]
        .clone();
    assert_eq!(updated["ClientName"], made["ClientName"], "the name stays");
    assert_eq!(
        updated["ClientSecret"], made["ClientSecret"],
        "the secret stays"
    );
    assert_eq!(updated["CreationDate"], made["CreationDate"]);
    assert_eq!(updated["IdTokenValidity"], 2);
    assert_eq!(updated["AccessTokenValidity"], 60, "back to the default");
    assert!(updated.get("CallbackURLs").is_none(), "{updated}");
    assert_eq!(updated["PreventUserExistenceErrors"], "LEGACY");
    assert_eq!(
        updated["ExplicitAuthFlows"],
        json!(cognito_console::pool::app_client::DEFAULT_FLOWS)
    );
    let renamed = p.ok(
        "UpdateUserPoolClient",
        json!({"UserPoolId": id, "ClientId": client_id, "ClientName": "renamed"}),
    );
    assert_eq!(renamed["UserPoolClient"]["ClientName"], "renamed");
    let refused = p.refused(
        "UpdateUserPoolClient",
        json!({"UserPoolId": id, "ClientId": "nosuchclientnosuchclient00"}),
    );
    assert_eq!(code(&refused), "ResourceNotFoundException");
    let refused = p.refused(
        "UpdateUserPoolClient",
        json!({"UserPoolId": id, "ClientId": client_id, "CallbackURLs": ["http://example.com/cb"]}),
    );
    assert_eq!(code(&refused), "InvalidParameterException");
}

// RULE CLIENT-10
#[test]
fn a_confidential_client_has_at_most_two_secrets() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({"GenerateSecret": true}));
    let client_id = client["ClientId"].clone();
    let at = |n: usize| {
        p.ok(
            "ListUserPoolClientSecrets",
            json!({"UserPoolId": id, "ClientId": client_id}),
        )["ClientSecrets"][n]
            .clone()
    };
    let first = at(0);
    assert!(first.get("ClientSecretValue").is_none());
    let added = p.ok(
        "AddUserPoolClientSecret",
        json!({"UserPoolId": id, "ClientId": client_id}),
    )["ClientSecretDescriptor"]
        .clone();
    assert_eq!(added["ClientSecretValue"].as_str().map(str::len), Some(51));
    assert!(at(1).get("ClientSecretValue").is_none(), "never listed");
    let described = p.ok(
        "DescribeUserPoolClient",
        json!({"UserPoolId": id, "ClientId": client_id}),
    )["UserPoolClient"]
        .clone();
    assert_eq!(
        described["ClientSecret"], client["ClientSecret"],
        "the oldest"
    );
    let third = p.refused(
        "AddUserPoolClientSecret",
        json!({"UserPoolId": id, "ClientId": client_id}),
    );
    assert_eq!(code(&third), "LimitExceededException");
    let short = p.refused(
        "AddUserPoolClientSecret",
        json!({"UserPoolId": id, "ClientId": client_id, "ClientSecret": "tooshort"}),
    );
    assert_eq!(code(&short), "InvalidParameterException");
    let unknown = p.refused(
        "DeleteUserPoolClientSecret",
        json!({"UserPoolId": id, "ClientId": client_id, "ClientSecretId": "nope"}),
    );
    assert_eq!(code(&unknown), "ResourceNotFoundException");
}
