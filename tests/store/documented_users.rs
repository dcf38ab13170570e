//! The documented rules of users (USER-*) and groups (GROUP-*), from
//! `docs/documented-rules.md`, one test each, run on the store in process.

use crate::rules;

use std::collections::BTreeSet;

use rules::*;
use serde_json::{Value, json};

// RULE USER-1
#[test]
fn invitations_go_by_sms_by_default() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let refusal = p.refused(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [{"Name": "email", "Value": "ana@example.com"}]}),
    );
    assert_eq!(code(&refusal), "InvalidParameterException");
    assert!(refusal.1.contains("phone_number"), "{refusal:?}");
    p.ok(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550100"}]}),
    );
}

// RULE USER-2
#[test]
fn a_taken_alias_is_refused_unless_forced() {
    let p = Pool::new();
    let id = p.pool(json!({"AliasAttributes": ["email"]}));
    let verified = json!([{"Name": "email", "Value": "ana@example.com"}, {"Name": "email_verified", "Value": "true"}]);
    p.user(&id, "ana", verified.clone());
    let refusal = p.refused(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "ana2", "MessageAction": "SUPPRESS", "UserAttributes": verified}),
    );
    assert_eq!(code(&refusal), "AliasExistsException");
    p.ok(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "ana2", "MessageAction": "SUPPRESS",
               "UserAttributes": verified, "ForceAliasCreation": true}),
    );
}

// RULE USER-3
#[test]
fn flags_and_mediums_need_their_address() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    for (body, needs) in [
        (
            json!({"UserAttributes": [{"Name": "email_verified", "Value": "true"}], "MessageAction": "SUPPRESS"}),
            "email",
        ),
        (
            json!({"UserAttributes": [{"Name": "phone_number_verified", "Value": "true"}], "MessageAction": "SUPPRESS"}),
            "phone_number",
        ),
        (json!({"DesiredDeliveryMediums": ["EMAIL"]}), "email"),
        (
            json!({"DesiredDeliveryMediums": ["SMS"], "UserAttributes": [{"Name": "email", "Value": "a@example.com"}]}),
            "phone_number",
        ),
    ] {
        let mut request = json!({"UserPoolId": id, "Username": "ana"});
        merge(&mut request, body.clone());
        let refusal = p.refused("AdminCreateUser", request);
        assert_eq!(code(&refusal), "InvalidParameterException", "{body}");
        assert!(refusal.1.contains(needs), "{body}: {refusal:?}");
    }
}

// RULE USER-4
#[test]
fn a_left_out_temporary_password_is_generated() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let made = p.ok(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550100"}]}),
    );
    assert_eq!(made["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
    let sent =
        cognito_console::local::mail::outbox::list(&p.store, &id, Some("ana")).expect("outbox");
    let body = sent[0].body.clone().expect("body");
    let password = body
        .rsplit(' ')
        .next()
        .expect("word")
        .strip_suffix('.')
        .expect("ends in .");
    assert!(
        cognito_console::pool::password::check_temporary(password, &Default::default()).is_ok(),
        "{body}"
    );
}

// RULE USER-5
#[test]
fn a_changed_address_is_unverified_unless_verified_in_the_same_call() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    p.user(&id, "ana", json!([{"Name": "email", "Value": "a@example.com"}, {"Name": "email_verified", "Value": "true"}]));
    let verified = |p: &Pool| {
        let user = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ana"}));
        user["UserAttributes"]
            .as_array()
            .expect("attributes")
            .iter()
            .find(|a| a["Name"] == "email_verified")
            .map(|a| a["Value"].clone())
    };
    p.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [{"Name": "email", "Value": "b@example.com"}]}),
    );
    assert_eq!(verified(&p), Some(json!("false")));
    p.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [
            {"Name": "email", "Value": "c@example.com"}, {"Name": "email_verified", "Value": "true"}]}),
    );
    assert_eq!(verified(&p), Some(json!("true")));
}

// RULE USER-11
#[test]
fn a_changed_address_is_sent_a_code_that_verifies_it() {
    let p = Pool::new();
    let id = p.pool(json!({"AutoVerifiedAttributes": ["email"]}));
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([{"Name": "email", "Value": "a@example.com"}, {"Name": "email_verified", "Value": "true"}]));
    let sent = |p: &Pool| {
        cognito_console::local::mail::outbox::list(&p.store, &id, Some("ana")).expect("outbox")
    };
    // Set verified in the same call: no code.
    p.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [
        {"Name": "email", "Value": "b@example.com"}, {"Name": "email_verified", "Value": "true"}]}),
    );
    assert!(sent(&p).is_empty());
    // Changed by the administrator: a code to the new address.
    p.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [
        {"Name": "email", "Value": "c@example.com"}]}),
    );
    let messages = sent(&p);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].destination.as_deref(), Some("c@example.com"));
    // The user, with their access token: their own change answers where the code went.
    let tokens = p.signed_in(&id, &client, "ana");
    let access = tokens["AccessToken"].clone();
    let refused = p.refused(
        "UpdateUserAttributes",
        json!({"AccessToken": access,
        "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
    );
    assert_eq!(refused.0, "NotAuthorizedException");
    let changed = p.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access,
        "UserAttributes": [{"Name": "email", "Value": "d@example.com"}]}),
    );
    assert_eq!(
        changed["CodeDeliveryDetailsList"][0]["AttributeName"],
        "email"
    );
    assert_eq!(
        changed["CodeDeliveryDetailsList"][0]["Destination"],
        "d***@e***"
    );
    // A code asked for, a wrong one refused, the right one verifies.
    let asked = p.ok(
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": access, "AttributeName": "email"}),
    );
    assert_eq!(asked["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let body = sent(&p)[0].body.clone().expect("a body");
    let code: String = body.chars().filter(char::is_ascii_digit).collect();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = p.refused(
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "email", "Code": wrong}),
    );
    assert_eq!(refused.0, "CodeMismatchException");
    p.ok(
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "email", "Code": code}),
    );
    let user = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ana"}));
    assert!(
        user["UserAttributes"]
            .as_array()
            .expect("list")
            .contains(&json!({"Name": "email_verified", "Value": "true"}))
    );
    assert!(
        user["UserAttributes"]
            .as_array()
            .expect("list")
            .contains(&json!({"Name": "email", "Value": "d@example.com"}))
    );
    let again = p.refused(
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "email", "Code": code}),
    );
    assert_eq!(again.0, "CodeMismatchException", "used once");
    let bad = p.refused(
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": access, "AttributeName": "name"}),
    );
    assert_eq!(bad.0, "InvalidParameterException");
}

// RULE USER-12
#[test]
fn a_users_own_calls_take_their_tokens() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([{"Name": "name", "Value": "Ana"}]));
    let tokens = p.signed_in(&id, &client, "ana");
    let access = tokens["AccessToken"].clone();
    // The previous password is required of a user who has one.
    let refused = p.refused(
        "ChangePassword",
        json!({"AccessToken": access, "ProposedPassword": "N3w!Passw0rd"}),
    );
    assert_eq!(refused.0, "InvalidParameterException");
    p.ok("ChangePassword", json!({"AccessToken": access, "PreviousPassword": "Passw0rd!", "ProposedPassword": "N3w!Passw0rd"}));
    // An ID token is not an access token.
    let refused = p.refused(
        "DeleteUserAttributes",
        json!({"AccessToken": tokens["IdToken"], "UserAttributeNames": ["name"]}),
    );
    assert_eq!(refused.0, "NotAuthorizedException");
    p.ok(
        "DeleteUserAttributes",
        json!({"AccessToken": access, "UserAttributeNames": ["name"]}),
    );
    // SetUserSettings sets SMS only.
    let refused = p.refused(
        "SetUserSettings",
        json!({"AccessToken": access,
        "MFAOptions": [{"DeliveryMedium": "EMAIL", "AttributeName": "email"}]}),
    );
    assert_eq!(refused.0, "InvalidParameterException");
    // DeleteUser: the refresh token dies with the user.
    p.ok("DeleteUser", json!({"AccessToken": access}));
    let refreshed = p.refused(
        "GetTokensFromRefreshToken",
        json!({"ClientId": client["ClientId"],
        "RefreshToken": tokens["RefreshToken"]}),
    );
    assert_eq!(refreshed.0, "NotAuthorizedException");
    let gone = p.refused("AdminGetUser", json!({"UserPoolId": id, "Username": "ana"}));
    assert_eq!(gone.0, "UserNotFoundException");
}

// RULE USER-6
#[test]
fn list_users_returns_every_attribute_unless_told() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    p.user(
        &id,
        "ana",
        json!([{"Name": "email", "Value": "a@example.com"}, {"Name": "name", "Value": "Ana"}]),
    );
    let all = p.ok("ListUsers", json!({"UserPoolId": id}));
    let names = |v: &Value| -> BTreeSet<String> {
        v["Users"][0]["Attributes"]
            .as_array()
            .expect("attributes")
            .iter()
            .filter_map(|a| a["Name"].as_str().map(String::from))
            .collect()
    };
    assert!(names(&all).is_superset(&BTreeSet::from([
        "email".into(),
        "name".into(),
        "sub".into()
    ])));
    let some = p.ok(
        "ListUsers",
        json!({"UserPoolId": id, "AttributesToGet": ["name"]}),
    );
    assert_eq!(names(&some), BTreeSet::from(["name".to_string()]));
}

// RULE GROUP-1
#[test]
fn precedence_is_null_unless_given_and_zero_is_first() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let made = p.ok(
        "CreateGroup",
        json!({"UserPoolId": id, "GroupName": "plain"}),
    );
    assert!(
        made["Group"].get("Precedence").is_none_or(Value::is_null),
        "{made}"
    );
    p.ok(
        "CreateGroup",
        json!({"UserPoolId": id, "GroupName": "first", "Precedence": 0}),
    );
    p.ok(
        "CreateGroup",
        json!({"UserPoolId": id, "GroupName": "second", "Precedence": 5}),
    );
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([]));
    for group in ["plain", "second", "first"] {
        p.ok(
            "AdminAddUserToGroup",
            json!({"UserPoolId": id, "Username": "ana", "GroupName": group}),
        );
    }
    let signed = p.signed_in(&id, &client, "ana");
    let token = claims(signed["IdToken"].as_str().expect("token"));
    assert_eq!(token["cognito:groups"], json!(["first", "second", "plain"]));
}

// RULE USER-7
#[test]
fn a_disabled_user_is_listed_but_cannot_sign_in() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([]));
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}),
    );
    p.ok(
        "AdminDisableUser",
        json!({"UserPoolId": id, "Username": "ana"}),
    );
    let refusal = p.refused(
        "AdminInitiateAuth",
        json!({"UserPoolId": id, "ClientId": client["ClientId"], "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ana", "PASSWORD": "Passw0rd!"}}),
    );
    assert_eq!(code(&refusal), "NotAuthorizedException");
    let listed = p.ok("ListUsers", json!({"UserPoolId": id}));
    assert_eq!(listed["Users"][0]["Username"], "ana");
    assert_eq!(listed["Users"][0]["Enabled"], false);
}

// RULE USER-8
#[test]
fn a_permanent_password_confirms_and_a_temporary_one_does_not() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    p.user(&id, "ana", json!([]));
    let status = |p: &Pool| {
        p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ana"}))["UserStatus"].clone()
    };
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}),
    );
    assert_eq!(status(&p), "CONFIRMED");
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": false}),
    );
    assert_eq!(status(&p), "FORCE_CHANGE_PASSWORD");
}

// RULE USER-9
#[test]
fn an_invitation_is_sent_unless_its_template_lacks_the_password() {
    let p = Pool::new();
    let sms = json!([{"Name": "phone_number", "Value": "+15555550100"}]);
    let id = p.pool(json!({}));
    p.ok(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": sms}),
    );
    let sent =
        cognito_console::local::mail::outbox::list(&p.store, &id, Some("ana")).expect("outbox");
    assert_eq!(sent.len(), 1);
    let silent = p.pool(json!({"AdminCreateUserConfig": {"InviteMessageTemplate": {"SMSMessage": "Welcome {username}"}}}));
    p.ok(
        "AdminCreateUser",
        json!({"UserPoolId": silent, "Username": "ana", "UserAttributes": sms}),
    );
    let sent =
        cognito_console::local::mail::outbox::list(&p.store, &silent, Some("ana")).expect("outbox");
    assert!(sent.iter().all(|m| m.body.is_none()), "{sent:?}");
}

// RULE USER-10
#[test]
fn a_verified_alias_names_its_user() {
    let p = Pool::new();
    let id = p.pool(json!({"AliasAttributes": ["email"]}));
    p.user(&id, "ana", json!([{"Name": "email", "Value": "ana@example.com"}, {"Name": "email_verified", "Value": "true"}]));
    p.user(
        &id,
        "bo",
        json!([{"Name": "email", "Value": "bo@example.com"}]),
    );
    let got = p.ok(
        "AdminGetUser",
        json!({"UserPoolId": id, "Username": "ana@example.com"}),
    );
    assert_eq!(got["Username"], "ana");
    let refusal = p.refused(
        "AdminGetUser",
        json!({"UserPoolId": id, "Username": "bo@example.com"}),
    );
    assert_eq!(code(&refusal), "UserNotFoundException");
}

// RULE GROUP-2
#[test]
fn a_deleted_group_leaves_the_tokens() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([]));
    for group in ["keep", "gone"] {
        p.ok("CreateGroup", json!({"UserPoolId": id, "GroupName": group}));
        p.ok(
            "AdminAddUserToGroup",
            json!({"UserPoolId": id, "Username": "ana", "GroupName": group}),
        );
    }
    p.ok(
        "DeleteGroup",
        json!({"UserPoolId": id, "GroupName": "gone"}),
    );
    let signed = p.signed_in(&id, &client, "ana");
    let token = claims(signed["AccessToken"].as_str().expect("token"));
    assert_eq!(token["cognito:groups"], json!(["keep"]));
}

// RULE POOL-15
#[test]
fn a_kept_address_changes_only_when_its_new_value_is_verified() {
    let p = Pool::new();
    let refused = p.refused(
        "CreateUserPool",
        json!({"PoolName": "p", "UserAttributeUpdateSettings":
            {"AttributesRequireVerificationBeforeUpdate": ["email"]}}),
    );
    assert_eq!(refused.0, "InvalidParameterException", "{refused:?}");
    let id = p.pool(
        json!({"AutoVerifiedAttributes": ["email"], "UserAttributeUpdateSettings":
        {"AttributesRequireVerificationBeforeUpdate": ["email"]}}),
    );
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([{"Name": "email", "Value": "a@example.com"}, {"Name": "email_verified", "Value": "true"}]));
    let email = |p: &Pool| {
        let user = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ana"}));
        let attributes = user["UserAttributes"].as_array().expect("list").clone();
        let of = |name: &str| {
            attributes
                .iter()
                .find(|a| a["Name"] == name)
                .map(|a| a["Value"].as_str().unwrap_or_default().to_string())
        };
        (of("email"), of("email_verified"))
    };
    let tokens = p.signed_in(&id, &client, "ana");
    let access = tokens["AccessToken"].clone();
    let changed = p.ok(
        "UpdateUserAttributes",
        json!({"AccessToken": access, "UserAttributes": [{"Name": "email", "Value": "b@example.com"}]}),
    );
    assert_eq!(
        changed["CodeDeliveryDetailsList"][0]["Destination"],
        "b***@e***"
    );
    assert_eq!(
        email(&p),
        (Some("a@example.com".into()), Some("true".into())),
        "the old address stays, still verified"
    );
    // Asked again, the code goes to the new address too.
    let asked = p.ok(
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": access, "AttributeName": "email"}),
    );
    assert_eq!(asked["CodeDeliveryDetails"]["Destination"], "b***@e***");
    let messages =
        cognito_console::local::mail::outbox::list(&p.store, &id, Some("ana")).expect("outbox");
    assert_eq!(messages[0].destination.as_deref(), Some("b@example.com"));
    let code: String = messages[0]
        .body
        .clone()
        .expect("a body")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    p.ok(
        "VerifyUserAttribute",
        json!({"AccessToken": access, "AttributeName": "email", "Code": code}),
    );
    assert_eq!(
        email(&p),
        (Some("b@example.com".into()), Some("true".into()))
    );
    // An administrator who vouches for the new address changes it at once.
    p.ok(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [
            {"Name": "email", "Value": "c@example.com"}, {"Name": "email_verified", "Value": "true"}]}),
    );
    assert_eq!(
        email(&p),
        (Some("c@example.com".into()), Some("true".into()))
    );
}

// RULE USER-13
#[test]
fn a_space_inside_a_password_is_taken_and_counts_as_a_symbol() {
    let p = Pool::new();
    let id = p.pool(json!({"Policies": {"PasswordPolicy": {"MinimumLength": 8,
        "RequireUppercase": true, "RequireLowercase": true, "RequireNumbers": true,
        "RequireSymbols": true}}}));
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([]));
    // No symbol but the space: taken.
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "ana", "Password": "Pass word1", "Permanent": true}),
    );
    p.ok(
        "AdminInitiateAuth",
        json!({"UserPoolId": id, "ClientId": client["ClientId"],
               "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ana", "PASSWORD": "Pass word1"}}),
    );
    for bad in [" Password1!", "Password1! ", "Pass\nword1!"] {
        let refused = p.refused(
            "AdminSetUserPassword",
            json!({"UserPoolId": id, "Username": "ana", "Password": bad, "Permanent": true}),
        );
        assert_eq!(code(&refused), "InvalidParameterException", "{bad:?}");
        assert!(
            refused.1.contains("^[\\S]+.*[\\S]+$") || refused.1.contains("space"),
            "{refused:?}"
        );
    }
}
