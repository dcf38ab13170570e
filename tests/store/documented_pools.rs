//! The documented rules of user pools (POOL-*) and the ones the store departs from on
//! purpose (NOT-*), from `docs/documented-rules.md`, one test each, run on the store in
//! process; and the check that the page and the tests list the same ids.

use crate::rules;

use std::collections::BTreeSet;

use rules::*;
use serde_json::json;

// RULE POOL-1
#[test]
fn a_pool_without_a_policy_gets_cognitos() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let policy = &p.describe(&id)["Policies"]["PasswordPolicy"];
    assert_eq!(policy["MinimumLength"], 8);
    for member in [
        "RequireUppercase",
        "RequireLowercase",
        "RequireNumbers",
        "RequireSymbols",
    ] {
        assert_eq!(policy[member], true, "{member}");
    }
    assert_eq!(policy["TemporaryPasswordValidityDays"], 7);
}

// RULE POOL-2
#[test]
fn zero_temporary_password_days_is_seven() {
    let p = Pool::new();
    let policy = json!({"Policies": {"PasswordPolicy": {"MinimumLength": 8, "TemporaryPasswordValidityDays": 0}}});
    let id = p.pool(policy.clone());
    let described = p.describe(&id);
    assert_eq!(
        described["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"],
        7
    );
    let mut update = policy;
    merge(&mut update, json!({"UserPoolId": id}));
    p.ok("UpdateUserPool", update);
    let described = p.describe(&id);
    assert_eq!(
        described["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"],
        7
    );
}

// RULE POOL-3
#[test]
fn mfa_is_off_unless_asked_and_needs_sms_on_create() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    assert_eq!(p.describe(&id)["MfaConfiguration"], "OFF");
    for mfa in ["ON", "OPTIONAL"] {
        let refusal = p.refused(
            "CreateUserPool",
            json!({"PoolName": "mfa", "MfaConfiguration": mfa}),
        );
        assert_eq!(code(&refusal), "InvalidParameterException");
        assert!(refusal.1.contains("SmsConfiguration"), "{refusal:?}");
        let id =
            p.pool(json!({"MfaConfiguration": mfa, "SmsConfiguration": {"SnsCallerArn": SMS}}));
        assert_eq!(p.describe(&id)["MfaConfiguration"], mfa);
    }
}

// RULE POOL-4
#[test]
fn aliases_or_username_attributes_not_both() {
    let p = Pool::new();
    let refusal = p.refused(
        "CreateUserPool",
        json!({"PoolName": "x", "AliasAttributes": ["email"], "UsernameAttributes": ["phone_number"]}),
    );
    assert_eq!(code(&refusal), "InvalidParameterException");
    assert!(refusal.1.contains("AliasAttributes"), "{refusal:?}");
}

// RULE POOL-5
#[test]
fn an_alias_pool_refuses_usernames_shaped_like_its_aliases() {
    let p = Pool::new();
    let email_alias = p.pool(json!({"AliasAttributes": ["email"]}));
    let refusal = p.refused(
        "AdminCreateUser",
        json!({"UserPoolId": email_alias, "Username": "ana@example.com", "MessageAction": "SUPPRESS"}),
    );
    assert_eq!(code(&refusal), "InvalidParameterException");
    assert!(
        refusal.1.contains("Username") && refusal.1.contains("email"),
        "{refusal:?}"
    );
    // A phone-shaped username is fine where the phone is not an alias.
    p.user(&email_alias, "+15555550100", json!([]));

    let phone_alias = p.pool(json!({"AliasAttributes": ["phone_number"]}));
    p.user(&phone_alias, "ana@example.com", json!([]));
    let client = p.client(&phone_alias, json!({}));
    let refusal = p.refused(
        "SignUp",
        json!({"ClientId": client["ClientId"], "Username": "+15555550100", "Password": "Passw0rd!"}),
    );
    assert_eq!(code(&refusal), "InvalidParameterException");
    assert!(refusal.1.contains("phone"), "{refusal:?}");
    // Without aliases, any username that fits the model is a username.
    let plain = p.pool(json!({}));
    p.user(&plain, "ana@example.com", json!([]));
}

// RULE POOL-6
#[test]
fn custom_attributes_cannot_be_required() {
    let p = Pool::new();
    let refusal = p.refused(
        "CreateUserPool",
        json!({"PoolName": "x", "Schema": [{"Name": "team", "AttributeDataType": "String", "Required": true}]}),
    );
    assert_eq!(code(&refusal), "InvalidParameterException");
    assert!(
        refusal.1.contains("Schema.team") && refusal.1.contains("required"),
        "{refusal:?}"
    );
    // A standard attribute may be.
    p.pool(json!({"Schema": [{"Name": "email", "Required": true}]}));
}

// RULE POOL-7
#[test]
fn custom_attribute_declarations() {
    let p = Pool::new();
    let id = p.pool(json!({"Schema": [
        {"Name": "team", "AttributeDataType": "String", "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"}},
    ]}));
    let schema = p.describe(&id)["SchemaAttributes"].clone();
    assert!(
        schema
            .as_array()
            .expect("schema")
            .iter()
            .any(|a| a["Name"] == "custom:team"),
        "{schema}"
    );
    for (schema, field) in [
        (json!([{"Name": "team"}, {"Name": "team"}]), "Schema.team"),
        (
            json!([{"Name": "team", "StringAttributeConstraints": {"MaxLength": "2049"}}]),
            "MaxLength",
        ),
        (
            json!([{"Name": "team", "StringAttributeConstraints": {"MinLength": "9", "MaxLength": "3"}}]),
            "MinLength",
        ),
        (
            json!([{"Name": "age", "AttributeDataType": "Number",
                 "NumberAttributeConstraints": {"MinValue": "10", "MaxValue": "1"}}]),
            "MinValue",
        ),
    ] {
        let refusal = p.refused("CreateUserPool", json!({"PoolName": "x", "Schema": schema}));
        assert_eq!(code(&refusal), "InvalidParameterException");
        assert!(refusal.1.contains(field), "{refusal:?}");
    }
}

// RULE POOL-8
#[test]
fn deletion_protection() {
    let p = Pool::new();
    let open = p.pool(json!({}));
    assert_eq!(p.describe(&open)["DeletionProtection"], "INACTIVE");
    let kept = p.pool(json!({"DeletionProtection": "ACTIVE"}));
    let refusal = p.refused("DeleteUserPool", json!({"UserPoolId": kept}));
    assert_eq!(code(&refusal), "InvalidParameterException");
    p.describe(&kept);
    p.ok("DeleteUserPool", json!({"UserPoolId": open}));
}

// RULE POOL-9
#[test]
fn usernames_are_case_sensitive_by_default() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    p.user(&id, "Ana", json!([]));
    p.user(&id, "ana", json!([]));
    let refusal = p.refused("AdminGetUser", json!({"UserPoolId": id, "Username": "ANA"}));
    assert_eq!(code(&refusal), "UserNotFoundException");
}

// RULE POOL-10
#[test]
fn the_tier_is_essentials() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    assert_eq!(p.describe(&id)["UserPoolTier"], "ESSENTIALS");
}

// RULE POOL-11
#[test]
fn unused_accounts_last_seven_days() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    assert_eq!(
        p.describe(&id)["AdminCreateUserConfig"]["UnusedAccountValidityDays"],
        7
    );
}

// RULE POOL-12
#[test]
fn update_resets_what_it_leaves_out() {
    let p = Pool::new();
    let id = p.pool(json!({
        "AliasAttributes": ["email"],
        "DeletionProtection": "ACTIVE",
        "Policies": {"PasswordPolicy": {"MinimumLength": 12}},
    }));
    p.ok("UpdateUserPool", json!({"UserPoolId": id}));
    let after = p.describe(&id);
    assert_eq!(after["Policies"]["PasswordPolicy"]["MinimumLength"], 8);
    assert_eq!(after["DeletionProtection"], "INACTIVE");
    assert_eq!(
        after["AliasAttributes"],
        json!(["email"]),
        "create-only members stay"
    );
}

// RULE NOT-1
#[test]
fn email_templates_are_kept_whatever_the_sending_account() {
    let p = Pool::new();
    let id = p.pool(json!({
        "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
        "VerificationMessageTemplate": {"EmailMessage": "Code: {####}", "EmailSubject": "Your code"},
    }));
    let d = p.describe(&id);
    assert_eq!(
        d["VerificationMessageTemplate"]["EmailMessage"],
        "Code: {####}"
    );
}

// RULE NOT-2
#[test]
fn both_verification_messages_survive_a_describe_update_round_trip() {
    let p = Pool::new();
    let id = p.pool(json!({"VerificationMessageTemplate": {
        "DefaultEmailOption": "CONFIRM_WITH_CODE",
        "EmailMessage": "Code: {####}",
        "EmailMessageByLink": "Click {##here##}",
    }}));
    let template = p.describe(&id)["VerificationMessageTemplate"].clone();
    p.ok(
        "UpdateUserPool",
        json!({"UserPoolId": id, "VerificationMessageTemplate": template}),
    );
    let after = p.describe(&id)["VerificationMessageTemplate"].clone();
    assert_eq!(after["EmailMessage"], "Code: {####}");
    assert_eq!(after["EmailMessageByLink"], "Click {##here##}");
}

// RULE NOT-3
#[test]
fn both_validity_days_survive_a_round_trip() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let d = p.describe(&id);
    p.ok(
        "UpdateUserPool",
        json!({"UserPoolId": id, "Policies": d["Policies"], "AdminCreateUserConfig": d["AdminCreateUserConfig"]}),
    );
    let after = p.describe(&id);
    assert_eq!(
        after["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"],
        7
    );
    assert_eq!(
        after["AdminCreateUserConfig"]["UnusedAccountValidityDays"],
        7
    );
}

// RULE NOT-4
#[test]
fn password_history_is_kept_but_not_enforced() {
    let p = Pool::new();
    let id = p.pool(
        json!({"Policies": {"PasswordPolicy": {"MinimumLength": 8, "PasswordHistorySize": 3}}}),
    );
    assert_eq!(
        p.describe(&id)["Policies"]["PasswordPolicy"]["PasswordHistorySize"],
        3
    );
    p.user(&id, "ana", json!([]));
    for _ in 0..2 {
        p.ok(
            "AdminSetUserPassword",
            json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}),
        );
    }
}

#[test]
fn every_documented_rule_has_a_test_and_every_test_a_rule() {
    let page = include_str!("../../docs/documented-rules.md");
    let documented: BTreeSet<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(str::trim)
        .collect();
    let tests = [
        include_str!("documented_pools.rs"),
        include_str!("documented_clients.rs"),
        include_str!("documented_users.rs"),
        include_str!("documented_mfa.rs"),
        include_str!("documented_triggers.rs"),
        include_str!("documented_oauth.rs"),
        include_str!("documented_oauth_tokens.rs"),
    ];
    let tested: BTreeSet<&str> = tests
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|l| l.strip_prefix("// RULE "))
        .map(str::trim)
        .collect();
    assert!(documented.len() >= 30, "{documented:?}");
    assert_eq!(documented, tested);
}

// RULE POOL-13
#[test]
fn custom_attributes_are_added_with_their_prefix() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    p.ok(
        "AddCustomAttributes",
        json!({"UserPoolId": id, "CustomAttributes": [
            {"Name": "team", "AttributeDataType": "String",
             "StringAttributeConstraints": {"MaxLength": "20"}}]}),
    );
    let schema = p.describe(&id)["SchemaAttributes"].clone();
    let team = schema
        .as_array()
        .expect("schema")
        .iter()
        .find(|a| a["Name"] == "custom:team")
        .cloned()
        .expect("custom:team");
    assert_eq!(team["Mutable"], true);
    let again = p.refused(
        "AddCustomAttributes",
        json!({"UserPoolId": id, "CustomAttributes": [{"Name": "team", "AttributeDataType": "String"}]}),
    );
    assert_eq!(again.1, "Existing attribute already has name custom:team.");
    let required = p.refused(
        "AddCustomAttributes",
        json!({"UserPoolId": id, "CustomAttributes": [{"Name": "x", "Required": true}]}),
    );
    assert_eq!(code(&required), "InvalidParameterException");
    // Fifty in all.
    for batch in 0..2 {
        let items: Vec<serde_json::Value> = (0..25)
            .filter(|i| batch * 25 + i < 49)
            .map(|i| json!({"Name": format!("a{batch}x{i}"), "AttributeDataType": "String"}))
            .collect();
        p.ok(
            "AddCustomAttributes",
            json!({"UserPoolId": id, "CustomAttributes": items}),
        );
    }
    let over = p.refused(
        "AddCustomAttributes",
        json!({"UserPoolId": id, "CustomAttributes": [{"Name": "fifty_one", "AttributeDataType": "String"}]}),
    );
    assert_eq!(code(&over), "LimitExceededException");
    // A user may hold the new attribute.
    p.user(
        &id,
        "ana",
        json!([{"Name": "custom:team", "Value": "blue"}]),
    );
}

// RULE POOL-14
#[test]
fn tags_are_the_pools_by_its_arn() {
    let p = Pool::new();
    let id = p.pool(json!({"UserPoolTags": {"team": "identity"}}));
    let arn = p.describe(&id)["Arn"].clone();
    p.ok(
        "TagResource",
        json!({"ResourceArn": arn, "Tags": {"cost": "42", "team": "auth"}}),
    );
    let tags = p.ok("ListTagsForResource", json!({"ResourceArn": arn}))["Tags"].clone();
    assert_eq!(tags, json!({"cost": "42", "team": "auth"}));
    assert_eq!(p.describe(&id)["UserPoolTags"], tags);
    p.ok(
        "UntagResource",
        json!({"ResourceArn": arn, "TagKeys": ["cost"]}),
    );
    let tags = p.ok("ListTagsForResource", json!({"ResourceArn": arn}))["Tags"].clone();
    assert_eq!(tags, json!({"team": "auth"}));
    let many: serde_json::Map<String, serde_json::Value> =
        (0..50).map(|i| (format!("k{i}"), json!("v"))).collect();
    let over = p.refused("TagResource", json!({"ResourceArn": arn, "Tags": many}));
    assert_eq!(code(&over), "LimitExceededException");
    let nowhere = p.refused(
        "ListTagsForResource",
        json!({"ResourceArn": "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nothere"}),
    );
    assert_eq!(code(&nowhere), "ResourceNotFoundException");
}
