//! The documented rules of Lambda triggers (TRIG-*), from `docs/documented-rules.md`, one
//! test each, run on the store in process calling the test functions (tests/functions)
//! behind cargo-lambda's Invoke API. Each event is read back as the function recorded it.

use crate::{common, rules};

use cognito_console::local::mail::outbox;
use rules::*;
use serde_json::{Value, json};

const FN: &str = "arn:aws:lambda:us-east-1:123456789012:function:";

fn arn(name: &str) -> String {
    format!("{FN}{name}")
}

/// A pool whose `LambdaConfig` is `config` (function names), and a client of it allowed
/// every flow the triggers take part in.
fn pool_with(p: &Pool, config: Value, extra: Value) -> (String, Value) {
    let config: serde_json::Map<String, Value> = config
        .as_object()
        .expect("a map")
        .iter()
        .map(|(k, v)| match v {
            Value::String(name) => (k.clone(), json!(arn(name))),
            other => (k.clone(), other.clone()),
        })
        .collect();
    let mut body = json!({"LambdaConfig": config, "AutoVerifiedAttributes": ["email"]});
    merge(&mut body, extra);
    let id = p.pool(body);
    let client = p.client(
        &id,
        json!({"ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                                     "ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH",
                                     "ALLOW_REFRESH_TOKEN_AUTH"]}),
    );
    (id, client)
}

/// The events the functions got for pool `id` with `source`, oldest first.
fn events(id: &str, source: &str) -> Vec<Value> {
    let dir = common::lambda_endpoint().1.join(id);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(u128, String, Value)> = entries
        .map(|e| e.expect("entry").path())
        .map(|path| {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let stamp = name
                .split('-')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let event = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
            (stamp, name, event)
        })
        .collect();
    files.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    files
        .into_iter()
        .map(|(_, _, e)| e)
        .filter(|e| e["triggerSource"] == source)
        .collect()
}

fn last(id: &str, source: &str) -> Value {
    events(id, source)
        .pop()
        .unwrap_or_else(|| panic!("no {source} event"))
}

fn sign_up(p: &Pool, client: &Value, name: &str, extra: Value) -> Result<Value, Refusal> {
    let mut body = json!({"ClientId": client["ClientId"], "Username": name, "Password": "Passw0rd!",
                          "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]});
    merge(&mut body, extra);
    p.call("SignUp", body)
}

fn password_sign_in(
    p: &Pool,
    client: &Value,
    name: &str,
    password: &str,
) -> Result<Value, Refusal> {
    p.call(
        "InitiateAuth",
        json!({"ClientId": client["ClientId"], "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": name, "PASSWORD": password},
               "ClientMetadata": {"where": "kiosk"}}),
    )
}

fn status(p: &Pool, id: &str, name: &str) -> Value {
    p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": name}))["UserStatus"].clone()
}

fn absent(p: &Pool, id: &str, name: &str) {
    let refusal = p.refused("AdminGetUser", json!({"UserPoolId": id, "Username": name}));
    assert_eq!(code(&refusal), "UserNotFoundException", "{name} was made");
}

// RULE TRIG-1
#[test]
fn events_are_cognitos_envelope_field_for_field() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(
        &p,
        json!({"PreSignUp": "record", "PostConfirmation": "record"}),
        json!({}),
    );
    sign_up(&p, &client, "ana", json!({})).expect("signed up");
    let event = last(&id, "PreSignUp_SignUp");
    assert_eq!(event["version"], "1");
    assert_eq!(event["region"], id.split('_').next().expect("region"));
    assert_eq!(event["userPoolId"], id);
    assert_eq!(event["userName"], "ana");
    assert_eq!(
        event["callerContext"],
        json!({"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": client["ClientId"]})
    );
    let attributes = &event["request"]["userAttributes"];
    assert_eq!(attributes["email"], "ana@example.com");
    assert!(attributes["sub"].is_string(), "{attributes}");
    assert_eq!(attributes["cognito:user_status"], "UNCONFIRMED");
    assert!(event["request"]["validationData"].is_null());
    assert!(event["request"].get("clientMetadata").is_none(), "{event}");

    p.user(&id, "bo", json!([]));
    assert_eq!(
        last(&id, "PreSignUp_AdminCreateUser")["callerContext"]["clientId"],
        "CLIENT_ID_NOT_APPLICABLE"
    );
    sign_up(&p, &client, "cy", json!({})).expect("signed up");
    p.ok(
        "AdminConfirmSignUp",
        json!({"UserPoolId": id, "Username": "cy"}),
    );
    assert!(last(&id, "PostConfirmation_ConfirmSignUp")["callerContext"]["clientId"].is_null());
}

// RULE TRIG-2
#[test]
fn pre_sign_up_confirms_verifies_or_refuses_and_admin_creation_ignores_its_answer() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(
        &p,
        json!({"PreSignUp": "pre-sign-up"}),
        json!({"AliasAttributes": ["email"]}),
    );
    // Someone already holds the address as a verified alias.
    p.user(
        &id,
        "old",
        json!([{"Name": "email", "Value": "dee@example.com"},
                             {"Name": "email_verified", "Value": "true"}]),
    );
    let invited = json!({"ValidationData": [{"Name": "invite", "Value": "yes"}],
                         "ClientMetadata": {"k": "v"}});
    let signed = sign_up(&p, &client, "dee", invited.clone()).expect("signed up");
    assert_eq!(signed["UserConfirmed"], true);
    assert!(signed.get("CodeDeliveryDetails").is_none(), "{signed}");
    let dee = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "dee"}));
    assert_eq!(dee["UserStatus"], "CONFIRMED");
    assert!(
        dee["UserAttributes"]
            .as_array()
            .expect("list")
            .contains(&json!({"Name": "email_verified", "Value": "true"}))
    );
    // The alias moved to the new user.
    let old = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "old"}));
    assert!(
        old["UserAttributes"]
            .as_array()
            .expect("list")
            .contains(&json!({"Name": "email_verified", "Value": "false"})),
        "{old}"
    );
    let event = last(&id, "PreSignUp_SignUp");
    assert_eq!(event["request"]["validationData"], json!({"invite": "yes"}));
    assert_eq!(event["request"]["clientMetadata"], json!({"k": "v"}));
    assert_eq!(
        event["response"],
        json!({"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false})
    );

    let plain = sign_up(&p, &client, "eve", json!({})).expect("signed up");
    assert_eq!(plain["UserConfirmed"], false);
    assert!(plain["CodeDeliveryDetails"].is_object(), "{plain}");

    let refused = sign_up(
        &p,
        &client,
        "mal",
        json!({"UserAttributes": [{"Name": "email", "Value": "m@blocked.example"}]}),
    )
    .expect_err("refused");
    assert_eq!(refused.0, "UserLambdaValidationException");
    absent(&p, &id, "mal");

    // AdminCreateUser: the same answer would confirm, and is ignored.
    p.ok("AdminCreateUser", json!({"UserPoolId": id, "Username": "fay", "MessageAction": "SUPPRESS",
                                   "UserAttributes": [{"Name": "email", "Value": "fay@example.com"}],
                                   "ValidationData": [{"Name": "invite", "Value": "yes"}]}));
    assert_eq!(status(&p, &id, "fay"), "FORCE_CHANGE_PASSWORD");
}

// RULE TRIG-3
#[test]
fn post_confirmation_follows_every_confirmation_and_its_failure_keeps_it() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(&p, json!({"PostConfirmation": "record"}), json!({}));
    sign_up(&p, &client, "ana", json!({})).expect("signed up");
    let code = outbox::list(&p.store, &id, Some("ana")).expect("outbox")[0]
        .body
        .clone()
        .expect("body");
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    p.ok(
        "ConfirmSignUp",
        json!({"ClientId": client["ClientId"], "Username": "ana", "ConfirmationCode": code,
                                 "ClientMetadata": {"k": "v"}}),
    );
    let event = last(&id, "PostConfirmation_ConfirmSignUp");
    assert_eq!(
        event["request"]["userAttributes"]["cognito:user_status"],
        "CONFIRMED"
    );
    assert_eq!(event["request"]["clientMetadata"], json!({"k": "v"}));
    assert_eq!(event["response"], json!({}));

    p.ok(
        "ForgotPassword",
        json!({"ClientId": client["ClientId"], "Username": "ana"}),
    );
    let code = outbox::list(&p.store, &id, Some("ana")).expect("outbox")[0]
        .body
        .clone()
        .expect("body");
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    p.ok(
        "ConfirmForgotPassword",
        json!({"ClientId": client["ClientId"], "Username": "ana",
                                         "ConfirmationCode": code, "Password": "New-Passw0rd!"}),
    );
    assert_eq!(
        last(&id, "PostConfirmation_ConfirmForgotPassword")["userName"],
        "ana"
    );

    // An administrator's user setting their first password is no confirmation.
    let before = events(&id, "PostConfirmation_ConfirmSignUp").len();
    p.user(&id, "bo", json!([]));
    p.signed_in(&id, &client, "bo");
    assert_eq!(events(&id, "PostConfirmation_ConfirmSignUp").len(), before);

    // A failing function: the caller's error, and the user stays confirmed.
    p.ok(
        "UpdateUserPool",
        json!({"UserPoolId": id, "AutoVerifiedAttributes": ["email"],
                                  "LambdaConfig": {"PostConfirmation": arn("wrong-shape")}}),
    );
    sign_up(&p, &client, "cy", json!({})).expect("signed up");
    let refused = p.refused(
        "AdminConfirmSignUp",
        json!({"UserPoolId": id, "Username": "cy"}),
    );
    assert_eq!(
        refused,
        (
            "InvalidLambdaResponseException".into(),
            "Unrecognizable lambda output".into()
        )
    );
    assert_eq!(status(&p, &id, "cy"), "CONFIRMED");
}

// RULE TRIG-4
#[test]
fn custom_message_writes_codes_and_invitations_within_cognitos_rules() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(&p, json!({"CustomMessage": "custom-message"}), json!({}));
    p.ok("AdminCreateUser", json!({"UserPoolId": id, "Username": "ana", "TemporaryPassword": "Temp-Passw0rd1",
                                   "UserAttributes": [{"Name": "email", "Value": "ana@example.com"},
                                                      {"Name": "email_verified", "Value": "true"}],
                                   "DesiredDeliveryMediums": ["EMAIL"], "ClientMetadata": {"k": "v"}}));
    let sent = &outbox::list(&p.store, &id, Some("ana")).expect("outbox")[0];
    assert_eq!(
        sent.subject.as_deref(),
        Some("Custom: CustomMessage_AdminCreateUser")
    );
    assert_eq!(
        sent.body.as_deref(),
        Some("Hello ana, your code is Temp-Passw0rd1. (CustomMessage_AdminCreateUser)")
    );
    let event = last(&id, "CustomMessage_AdminCreateUser");
    assert_eq!(event["request"]["codeParameter"], "{####}");
    assert_eq!(event["request"]["usernameParameter"], "{username}");
    assert_eq!(event["request"]["clientMetadata"], json!({"k": "v"}));
    assert_eq!(
        event["response"],
        json!({"smsMessage": null, "emailMessage": null, "emailSubject": null})
    );

    // RESEND is an invitation too.
    p.ok(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "ana", "MessageAction": "RESEND",
                                   "DesiredDeliveryMediums": ["EMAIL"]}),
    );
    assert_eq!(events(&id, "CustomMessage_AdminCreateUser").len(), 2);

    // A code: no username placeholder.
    sign_up(&p, &client, "bo", json!({})).expect("signed up");
    assert!(last(&id, "CustomMessage_SignUp")["request"]["usernameParameter"].is_null());
    let body = outbox::list(&p.store, &id, Some("bo")).expect("outbox")[0]
        .body
        .clone()
        .expect("body");
    assert!(
        body.starts_with("Hello , your code is ") && body.ends_with("(CustomMessage_SignUp)"),
        "{body}"
    );
    p.ok(
        "ResendConfirmationCode",
        json!({"ClientId": client["ClientId"], "Username": "bo"}),
    );
    assert_eq!(events(&id, "CustomMessage_ResendCode").len(), 1);
    p.user(
        &id,
        "dan",
        json!([{"Name": "email", "Value": "dan@example.com"},
                              {"Name": "email_verified", "Value": "true"}]),
    );
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "dan", "Password": "Passw0rd!", "Permanent": true}),
    );
    p.ok(
        "AdminResetUserPassword",
        json!({"UserPoolId": id, "Username": "dan"}),
    );
    assert_eq!(
        last(&id, "CustomMessage_ForgotPassword")["callerContext"]["clientId"],
        "CLIENT_ID_NOT_APPLICABLE"
    );

    // A changed address, and a code the user asks for.
    p.ok("AdminUpdateUserAttributes", json!({"UserPoolId": id, "Username": "dan",
        "UserAttributes": [{"Name": "email", "Value": "dan2@example.com"}], "ClientMetadata": {"why": "moved"}}));
    let event = last(&id, "CustomMessage_UpdateUserAttribute");
    assert_eq!(
        event["request"]["userAttributes"]["email"],
        "dan2@example.com"
    );
    assert_eq!(event["request"]["clientMetadata"], json!({"why": "moved"}));
    let body = outbox::list(&p.store, &id, Some("dan")).expect("outbox")[0]
        .body
        .clone()
        .expect("body");
    assert!(
        body.ends_with("(CustomMessage_UpdateUserAttribute)"),
        "{body}"
    );
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "dan", "Password": "Passw0rd!", "Permanent": true}),
    );
    let tokens = p.ok("AdminInitiateAuth", json!({"UserPoolId": id, "ClientId": client["ClientId"],
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "dan", "PASSWORD": "Passw0rd!"}}));
    p.ok(
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": tokens["AuthenticationResult"]["AccessToken"],
        "AttributeName": "email"}),
    );
    assert_eq!(
        last(&id, "CustomMessage_VerifyUserAttribute")["callerContext"]["clientId"],
        client["ClientId"]
    );

    // Too long for SMS with the code in: the template goes instead.
    p.ok("AdminCreateUser", json!({"UserPoolId": id, "Username": "cy", "TemporaryPassword": "Temp-Passw0rd2",
                                   "UserAttributes": [{"Name": "phone_number", "Value": "+15555550100"}],
                                   "ClientMetadata": {"length": "long"}}));
    let sms = outbox::list(&p.store, &id, Some("cy")).expect("outbox")[0]
        .body
        .clone()
        .expect("body");
    assert_eq!(
        sms,
        "Your username is cy and temporary password is Temp-Passw0rd2."
    );

    // A failing function leaves no user behind.
    p.ok(
        "UpdateUserPool",
        json!({"UserPoolId": id, "LambdaConfig": {"CustomMessage": arn("wrong-shape")}}),
    );
    let refused = p.refused("AdminCreateUser", json!({"UserPoolId": id, "Username": "dee",
                                                      "UserAttributes": [{"Name": "email", "Value": "d@example.com"}],
                                                      "DesiredDeliveryMediums": ["EMAIL"]}));
    assert_eq!(code(&refused), "InvalidLambdaResponseException");
    absent(&p, &id, "dee");
}

// RULE TRIG-5
#[test]
fn pre_and_post_authentication_run_around_a_sign_in() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(
        &p,
        json!({"PreAuthentication": "pre-authentication", "PostAuthentication": "record"}),
        json!({}),
    );
    p.user(&id, "ana", json!([]));
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}),
    );
    // A wrong password still met pre authentication first.
    let wrong = password_sign_in(&p, &client, "ana", "Wrong-Passw0rd!").expect_err("wrong");
    assert_eq!(code(&wrong), "NotAuthorizedException");
    assert_eq!(events(&id, "PreAuthentication_Authentication").len(), 1);
    assert!(events(&id, "PostAuthentication_Authentication").is_empty());

    let tokens = password_sign_in(&p, &client, "ana", "Passw0rd!").expect("signed in");
    let pre = last(&id, "PreAuthentication_Authentication");
    assert_eq!(pre["request"]["validationData"], json!({"where": "kiosk"}));
    assert_eq!(pre["request"]["userNotFound"], false);
    assert!(pre["request"].get("clientMetadata").is_none(), "{pre}");
    let post = last(&id, "PostAuthentication_Authentication");
    assert_eq!(post["request"]["newDeviceUsed"], false);
    assert!(
        post["request"].get("clientMetadata").is_none(),
        "InitiateAuth's metadata is pre authentication's"
    );

    p.ok("InitiateAuth", json!({"ClientId": client["ClientId"], "AuthFlow": "REFRESH_TOKEN_AUTH",
                                "AuthParameters": {"REFRESH_TOKEN": tokens["AuthenticationResult"]["RefreshToken"]}}));
    assert_eq!(
        events(&id, "PreAuthentication_Authentication").len(),
        2,
        "not on refresh"
    );
    assert_eq!(
        events(&id, "PostAuthentication_Authentication").len(),
        1,
        "not on refresh"
    );

    p.user(&id, "blocked", json!([]));
    p.ok("AdminSetUserPassword", json!({"UserPoolId": id, "Username": "blocked", "Password": "Passw0rd!", "Permanent": true}));
    let refused = password_sign_in(&p, &client, "blocked", "Passw0rd!").expect_err("refused");
    assert_eq!(
        refused,
        (
            "UserLambdaValidationException".into(),
            "PreAuthentication failed with error blocked by policy.".into()
        )
    );

    // Post authentication's failure: no tokens.
    p.ok(
        "UpdateUserPool",
        json!({"UserPoolId": id, "LambdaConfig": {"PostAuthentication": arn("wrong-shape")}}),
    );
    let refused = password_sign_in(&p, &client, "ana", "Passw0rd!").expect_err("no tokens");
    assert_eq!(code(&refused), "InvalidLambdaResponseException");
}

// RULE TRIG-6
#[test]
fn pre_token_generation_changes_the_tokens_as_its_version_allows() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(&p, json!({"PreTokenGeneration": "pre-token-v1"}), json!({}));
    p.ok(
        "CreateGroup",
        json!({"UserPoolId": id, "GroupName": "staff"}),
    );
    p.user(
        &id,
        "ana",
        json!([{"Name": "email", "Value": "ana@example.com"}]),
    );
    p.ok(
        "AdminAddUserToGroup",
        json!({"UserPoolId": id, "Username": "ana", "GroupName": "staff"}),
    );
    let result = p.signed_in(&id, &client, "ana");
    let id_token = claims(result["IdToken"].as_str().expect("id"));
    let access = claims(result["AccessToken"].as_str().expect("access"));
    assert_eq!(id_token["department"], "from-the-trigger");
    assert!(id_token.get("email").is_none(), "suppressed");
    assert_eq!(id_token["cognito:groups"], json!(["trigger-group"]));
    assert_eq!(access["cognito:groups"], json!(["trigger-group"]));
    assert!(
        access.get("department").is_none(),
        "version 1 changes the ID token only"
    );
    let event = last(&id, "TokenGeneration_Authentication");
    assert_eq!(event["version"], "1");
    assert_eq!(
        event["request"]["groupConfiguration"],
        json!({"groupsToOverride": ["staff"], "iamRolesToOverride": [], "preferredRole": null})
    );
    assert!(event["request"].get("scopes").is_none(), "{event}");
    assert_eq!(event["response"], json!({"claimsOverrideDetails": null}));

    // A new password's tokens, and a refresh's.
    p.user(&id, "bo", json!([]));
    p.ok("AdminSetUserPassword", json!({"UserPoolId": id, "Username": "bo", "Password": "Temp-Passw0rd1", "Permanent": false}));
    let challenge = p.ok("AdminInitiateAuth", json!({"UserPoolId": id, "ClientId": client["ClientId"],
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "bo", "PASSWORD": "Temp-Passw0rd1"}}));
    p.ok(
        "AdminRespondToAuthChallenge",
        json!({"UserPoolId": id, "ClientId": client["ClientId"],
        "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": challenge["Session"],
        "ChallengeResponses": {"USERNAME": "bo", "NEW_PASSWORD": "Passw0rd!"}}),
    );
    assert_eq!(
        last(&id, "TokenGeneration_NewPasswordChallenge")["userName"],
        "bo"
    );
    p.ok(
        "InitiateAuth",
        json!({"ClientId": client["ClientId"], "AuthFlow": "REFRESH_TOKEN_AUTH",
                                "AuthParameters": {"REFRESH_TOKEN": result["RefreshToken"]}}),
    );
    assert_eq!(
        last(&id, "TokenGeneration_RefreshTokens")["userName"],
        "ana"
    );

    // Version 2: both tokens and the scopes; Cognito's own claims stay.
    let (v2, client2) = pool_with(
        &p,
        json!({"PreTokenGenerationConfig": {"LambdaArn": arn("pre-token-v2"), "LambdaVersion": "V2_0"}}),
        json!({}),
    );
    p.user(&v2, "cy", json!([]));
    let result = p.signed_in(&v2, &client2, "cy");
    let id_token = claims(result["IdToken"].as_str().expect("id"));
    let access = claims(result["AccessToken"].as_str().expect("access"));
    assert_eq!(
        (&id_token["tier"], &access["tier"]),
        (&json!("gold"), &json!("gold"))
    );
    assert_eq!(access["scope"], "demo/read");
    assert_eq!(access["username"], "cy");
    let event = last(&v2, "TokenGeneration_Authentication");
    assert_eq!(event["version"], "2");
    assert_eq!(
        event["request"]["scopes"],
        json!(["aws.cognito.signin.user.admin"])
    );
}

// RULE TRIG-7
#[test]
fn user_migration_brings_in_users_the_pool_lacks() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(
        &p,
        json!({"UserMigration": "user-migration", "PreAuthentication": "record"}),
        json!({}),
    );
    let tokens = password_sign_in(&p, &client, "legacy-ana", "Legacy-Passw0rd").expect("migrated");
    assert!(tokens["AuthenticationResult"]["IdToken"].is_string());
    let ana = p.ok(
        "AdminGetUser",
        json!({"UserPoolId": id, "Username": "legacy-ana"}),
    );
    assert_eq!(ana["UserStatus"], "CONFIRMED");
    let event = last(&id, "UserMigration_Authentication");
    assert_eq!(event["request"]["password"], "Legacy-Passw0rd");
    assert_eq!(
        event["request"]["validationData"],
        json!({"where": "kiosk"})
    );
    assert!(event["response"]["userAttributes"].is_null());
    assert_eq!(
        last(&id, "PreAuthentication_Authentication")["userName"],
        "legacy-ana",
        "then signed in as anyone"
    );

    // SRP carries no password: no migration.
    let srp = p.call("InitiateAuth", json!({"ClientId": client["ClientId"], "AuthFlow": "USER_SRP_AUTH",
                                            "AuthParameters": {"USERNAME": "legacy-bo", "SRP_A": "0a"}}));
    assert!(srp.is_err());
    assert!(
        events(&id, "UserMigration_Authentication")
            .iter()
            .all(|e| e["userName"] != "legacy-bo")
    );

    let refused = password_sign_in(&p, &client, "legacy-cy", "wrong").expect_err("refused");
    assert_eq!(
        refused,
        (
            "UserLambdaValidationException".into(),
            "UserMigration failed with error Bad password.".into()
        )
    );
    absent(&p, &id, "legacy-cy");

    p.ok(
        "ForgotPassword",
        json!({"ClientId": client["ClientId"], "Username": "legacy-dee"}),
    );
    assert_eq!(status(&p, &id, "legacy-dee"), "RESET_REQUIRED");
    assert!(
        last(&id, "UserMigration_ForgotPassword")["request"]
            .get("password")
            .is_none()
    );
}

// RULE TRIG-8
#[test]
fn custom_authentication_runs_define_create_and_verify() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(
        &p,
        json!({"DefineAuthChallenge": "define-auth-challenge", "CreateAuthChallenge": "create-auth-challenge",
               "VerifyAuthChallengeResponse": "verify-auth-challenge"}),
        json!({}),
    );
    p.user(&id, "ana", json!([]));
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}),
    );
    let start = p.ok(
        "InitiateAuth",
        json!({"ClientId": client["ClientId"], "AuthFlow": "CUSTOM_AUTH",
                                            "AuthParameters": {"USERNAME": "ana"}}),
    );
    assert_eq!(start["ChallengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(
        start["ChallengeParameters"],
        json!({"question": "What is 6 times 7?", "USERNAME": "ana"})
    );
    assert_eq!(
        last(&id, "DefineAuthChallenge_Authentication")["request"]["session"],
        json!([])
    );
    let create = last(&id, "CreateAuthChallenge_Authentication");
    assert_eq!(create["request"]["challengeName"], "CUSTOM_CHALLENGE");
    let done = p.ok(
        "RespondToAuthChallenge",
        json!({"ClientId": client["ClientId"], "ChallengeName": "CUSTOM_CHALLENGE",
        "Session": start["Session"], "ChallengeResponses": {"USERNAME": "ana", "ANSWER": "42"}}),
    );
    assert!(
        done["AuthenticationResult"]["AccessToken"].is_string(),
        "{done}"
    );
    assert_eq!(
        last(&id, "DefineAuthChallenge_Authentication")["request"]["session"],
        json!([{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "QUESTION-1"}])
    );
    // The session answered once.
    let again = p.refused(
        "RespondToAuthChallenge",
        json!({"ClientId": client["ClientId"], "ChallengeName": "CUSTOM_CHALLENGE",
        "Session": start["Session"], "ChallengeResponses": {"USERNAME": "ana", "ANSWER": "42"}}),
    );
    assert_eq!(code(&again), "NotAuthorizedException");

    // Three wrong answers: the function fails the sign-in.
    let mut session = p.ok(
        "InitiateAuth",
        json!({"ClientId": client["ClientId"], "AuthFlow": "CUSTOM_AUTH",
                                                  "AuthParameters": {"USERNAME": "ana"}}),
    )["Session"]
        .clone();
    for _ in 0..2 {
        session = p.ok(
            "RespondToAuthChallenge",
            json!({"ClientId": client["ClientId"], "ChallengeName": "CUSTOM_CHALLENGE",
            "Session": session, "ChallengeResponses": {"USERNAME": "ana", "ANSWER": "1"}}),
        )["Session"]
            .clone();
    }
    let failed = p.refused(
        "RespondToAuthChallenge",
        json!({"ClientId": client["ClientId"], "ChallengeName": "CUSTOM_CHALLENGE",
        "Session": session, "ChallengeResponses": {"USERNAME": "ana", "ANSWER": "1"}}),
    );
    assert_eq!(
        failed,
        (
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );

    // Without all three functions there is no custom authentication.
    let (plain, plain_client) = pool_with(
        &p,
        json!({"DefineAuthChallenge": "define-auth-challenge"}),
        json!({}),
    );
    p.user(&plain, "bo", json!([]));
    let refused = p.refused(
        "InitiateAuth",
        json!({"ClientId": plain_client["ClientId"], "AuthFlow": "CUSTOM_AUTH",
                                                   "AuthParameters": {"USERNAME": "bo"}}),
    );
    assert_eq!(code(&refused), "InvalidParameterException");
}

// RULE TRIG-9
#[test]
fn a_failing_function_is_one_of_cognitos_three_errors() {
    let p = Pool::with_triggers();
    let (id, client) = pool_with(&p, json!({"PreSignUp": "pre-sign-up"}), json!({}));
    let thrown = sign_up(
        &p,
        &client,
        "mal",
        json!({"UserAttributes": [{"Name": "email", "Value": "m@blocked.example"}]}),
    )
    .expect_err("refused");
    assert_eq!(
        thrown,
        (
            "UserLambdaValidationException".into(),
            "PreSignUp failed with error sign-ups from blocked.example are closed.".into()
        )
    );
    p.ok(
        "UpdateUserPool",
        json!({"UserPoolId": id, "LambdaConfig": {"PreSignUp": arn("no-such-function")}}),
    );
    let missing = sign_up(&p, &client, "bo", json!({})).expect_err("refused");
    assert_eq!(code(&missing), "UnexpectedLambdaException");
    assert!(
        missing
            .1
            .starts_with("PreSignUp invocation failed due to error "),
        "{missing:?}"
    );
    p.ok(
        "UpdateUserPool",
        json!({"UserPoolId": id, "LambdaConfig": {"PreSignUp": arn("wrong-shape")}}),
    );
    let shape = sign_up(&p, &client, "cy", json!({})).expect_err("refused");
    assert_eq!(
        shape,
        (
            "InvalidLambdaResponseException".into(),
            "Unrecognizable lambda output".into()
        )
    );
    for name in ["mal", "bo", "cy"] {
        absent(&p, &id, name);
    }
    // The function that takes six seconds is waited for three times five (the contract
    // over serve times it: tests/peers/triggers.py).
}

// RULE TRIG-10
#[test]
fn the_two_pre_token_members_name_one_function() {
    let p = Pool::new();
    let refused = p.refused(
        "CreateUserPool",
        json!({"PoolName": "x", "LambdaConfig": {"PreTokenGeneration": arn("a"),
               "PreTokenGenerationConfig": {"LambdaArn": arn("b"), "LambdaVersion": "V2_0"}}}),
    );
    assert_eq!(code(&refused), "InvalidParameterException");
    let id = p.pool(json!({"LambdaConfig": {"PreTokenGeneration": arn("a"),
                           "PreTokenGenerationConfig": {"LambdaArn": arn("a"), "LambdaVersion": "V2_0"}}}));
    assert_eq!(
        p.describe(&id)["LambdaConfig"]["PreTokenGenerationConfig"]["LambdaVersion"],
        "V2_0"
    );
}
