//! The documented rules of MFA (MFA-*), from `docs/documented-rules.md`, one test each,
//! run on the store in process with a clock that moves only when told.

use crate::rules;

use cognito_console::local::mail::outbox;
use cognito_console::local::sign_in::totp;
use cognito_console::pool::Secret;
use rules::*;
use serde_json::{Value, json};

const PASSWORD: &str = "Passw0rd!";

/// A pool that can have every factor (an SMS role, SES email), with MFA set as `mfa`.
fn mfa_pool(p: &Pool, mfa: Value) -> (String, Value) {
    let id = p.pool(json!({
        "SmsConfiguration": {"SnsCallerArn": SMS},
        "EmailConfiguration": {"EmailSendingAccount": "DEVELOPER",
                               "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/admin@example.com"},
    }));
    let mut body = json!({"UserPoolId": id});
    merge(&mut body, mfa);
    p.ok("SetUserPoolMfaConfig", body);
    let client = p.client(&id, json!({}));
    (id, client)
}

const TOKEN_ONLY: fn() -> Value =
    || json!({"MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": {"Enabled": true}});

/// A user with a permanent password and `attributes`.
fn member(p: &Pool, id: &str, name: &str, attributes: Value) {
    p.user(id, name, attributes);
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": name, "Password": PASSWORD, "Permanent": true}),
    );
}

/// AdminInitiateAuth with the password: the answer (tokens or a challenge).
fn sign_in(p: &Pool, id: &str, client: &Value, name: &str) -> Value {
    p.ok(
        "AdminInitiateAuth",
        json!({"UserPoolId": id, "ClientId": client["ClientId"], "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}}),
    )
}

fn respond(
    p: &Pool,
    id: &str,
    client: &Value,
    challenge: &str,
    session: &Value,
    responses: Value,
) -> Result<Value, Refusal> {
    p.call(
        "AdminRespondToAuthChallenge",
        json!({"UserPoolId": id, "ClientId": client["ClientId"], "ChallengeName": challenge,
               "Session": session, "ChallengeResponses": responses}),
    )
}

/// Signs `name` in (no MFA yet) and gives them an authenticator: its secret.
fn with_token(p: &Pool, id: &str, client: &Value, name: &str, device: &str) -> Secret {
    let signed = sign_in(p, id, client, name);
    let access = signed["AuthenticationResult"]["AccessToken"].clone();
    assert!(access.is_string(), "{signed}");
    let secret = p.ok("AssociateSoftwareToken", json!({"AccessToken": access}))["SecretCode"]
        .as_str()
        .expect("secret")
        .to_string();
    let secret = Secret::new(secret);
    p.ok(
        "VerifySoftwareToken",
        json!({"AccessToken": access, "UserCode": totp_code(p, &secret, 0), "FriendlyDeviceName": device}),
    );
    secret
}

/// The authenticator's code `offset` seconds from the store's now.
fn totp_code(p: &Pool, secret: &Secret, offset: i64) -> String {
    let at = (p.now() as i64 + offset) as u64;
    totp::code_at(secret, at).expect("a code")
}

fn turn_on_token(p: &Pool, id: &str, name: &str) {
    p.ok(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": id, "Username": name,
               "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
}

/// The code in the last message the store sent `name`.
fn sent_code(p: &Pool, id: &str, name: &str) -> String {
    let messages = outbox::list(&p.store, id, Some(name)).expect("outbox");
    let body = messages[0].body.clone().expect("a body");
    body.chars().filter(char::is_ascii_digit).collect()
}

fn user_mfa(p: &Pool, id: &str, name: &str) -> (Value, Value) {
    let user = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": name}));
    (
        user["UserMFASettingList"].clone(),
        user["PreferredMfaSetting"].clone(),
    )
}

// RULE MFA-1
#[test]
fn mfa_on_needs_a_factor_and_off_allows_none() {
    let p = Pool::new();
    let (id, _) = mfa_pool(&p, json!({"MfaConfiguration": "OFF"}));
    let none = p.refused(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": id, "MfaConfiguration": "ON"}),
    );
    assert_eq!(none, ("InvalidParameterException".into(), "MfaConfiguration: Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled.".into()));
    let off = p.refused(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": id, "MfaConfiguration": "OFF", "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    );
    assert!(
        off.1
            .contains("can't turn off MFA and configure an MFA together"),
        "{off:?}"
    );
    assert_eq!(
        p.ok("GetUserPoolMfaConfig", json!({"UserPoolId": id})),
        json!({"MfaConfiguration": "OFF"}),
        "nothing changed"
    );
}

// RULE MFA-2
#[test]
fn set_replaces_the_whole_configuration() {
    let p = Pool::new();
    let (id, _) = mfa_pool(&p, TOKEN_ONLY());
    let get = || p.ok("GetUserPoolMfaConfig", json!({"UserPoolId": id}));
    assert_eq!(
        get(),
        json!({"MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": {"Enabled": true}})
    );
    assert_eq!(p.describe(&id)["MfaConfiguration"], "OPTIONAL");
    let kept = p.refused(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": id, "MfaConfiguration": "OPTIONAL"}),
    );
    assert_eq!(
        code(&kept),
        "InvalidParameterException",
        "a block left out is a factor off"
    );
    let answer = p.ok("SetUserPoolMfaConfig", json!({"UserPoolId": id}));
    assert_eq!(answer, json!({"MfaConfiguration": "OFF"}));
    assert_eq!(get(), answer);
    assert_eq!(p.describe(&id)["MfaConfiguration"], "OFF");
}

// RULE MFA-3
#[test]
fn sms_needs_a_role_and_email_needs_ses_and_a_tier() {
    let p = Pool::new();
    let bare = p.pool(json!({}));
    let sms = p.refused(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": bare, "MfaConfiguration": "OPTIONAL", "SmsMfaConfiguration": {}}),
    );
    assert!(sms.1.contains("SmsConfiguration"), "{sms:?}");
    let set = p.ok(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": bare, "MfaConfiguration": "OPTIONAL",
               "SmsMfaConfiguration": {"SmsAuthenticationMessage": "Code: {####}", "SmsConfiguration": {"SnsCallerArn": SMS}}}),
    );
    assert_eq!(
        set["SmsMfaConfiguration"]["SmsConfiguration"]["SnsCallerArn"],
        SMS
    );
    assert_eq!(
        p.describe(&bare)["SmsConfiguration"]["SnsCallerArn"],
        SMS,
        "the pool's own role"
    );
    assert_eq!(
        p.describe(&bare)["SmsAuthenticationMessage"],
        "Code: {####}"
    );
    let email =
        json!({"UserPoolId": bare, "MfaConfiguration": "OPTIONAL", "EmailMfaConfiguration": {}});
    let default_email = p.refused("SetUserPoolMfaConfig", email.clone());
    assert!(default_email.1.contains("Amazon SES"), "{default_email:?}");
    let lite = p.pool(json!({"UserPoolTier": "LITE",
        "EmailConfiguration": {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/a@example.com"}}));
    let mut on_lite = email;
    on_lite["UserPoolId"] = json!(lite);
    assert_eq!(
        code(&p.refused("SetUserPoolMfaConfig", on_lite)),
        "FeatureUnavailableInTierException"
    );
}

// RULE MFA-4
#[test]
fn off_asks_nothing_and_optional_asks_who_has_a_factor() {
    let p = Pool::new();
    let (id, client) = mfa_pool(&p, TOKEN_ONLY());
    member(&p, &id, "ana", json!([]));
    member(&p, &id, "bo", json!([]));
    with_token(&p, &id, &client, "ana", "phone");
    turn_on_token(&p, &id, "ana");
    assert_eq!(
        sign_in(&p, &id, &client, "ana")["ChallengeName"],
        "SOFTWARE_TOKEN_MFA"
    );
    assert!(sign_in(&p, &id, &client, "bo")["AuthenticationResult"].is_object());
    p.ok(
        "SetUserPoolMfaConfig",
        json!({"UserPoolId": id, "MfaConfiguration": "OFF"}),
    );
    assert!(
        sign_in(&p, &id, &client, "ana")["AuthenticationResult"].is_object(),
        "OFF asks for nothing"
    );
}

// RULE MFA-5
#[test]
fn several_factors_and_none_preferred_the_user_chooses() {
    let p = Pool::new();
    let (id, client) = mfa_pool(
        &p,
        json!({"MfaConfiguration": "OPTIONAL", "SmsMfaConfiguration": {},
                                          "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    );
    member(
        &p,
        &id,
        "ana",
        json!([{"Name": "phone_number", "Value": "+15555550123"}]),
    );
    with_token(&p, &id, &client, "ana", "phone");
    p.ok(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": id, "Username": "ana", "SMSMfaSettings": {"Enabled": true},
               "SoftwareTokenMfaSettings": {"Enabled": true}}),
    );
    let select = sign_in(&p, &id, &client, "ana");
    assert_eq!(select["ChallengeName"], "SELECT_MFA_TYPE");
    assert_eq!(
        select["ChallengeParameters"]["MFAS_CAN_CHOOSE"],
        r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#
    );
    let sms = respond(
        &p,
        &id,
        &client,
        "SELECT_MFA_TYPE",
        &select["Session"],
        json!({"USERNAME": "ana", "ANSWER": "SMS_MFA"}),
    )
    .unwrap();
    assert_eq!(sms["ChallengeName"], "SMS_MFA");
    let done = respond(
        &p,
        &id,
        &client,
        "SMS_MFA",
        &sms["Session"],
        json!({"USERNAME": "ana", "SMS_MFA_CODE": sent_code(&p, &id, "ana")}),
    )
    .unwrap();
    assert!(
        done["AuthenticationResult"]["IdToken"].is_string(),
        "{done}"
    );
    p.ok(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": id, "Username": "ana", "SoftwareTokenMfaSettings": {"PreferredMfa": true}}),
    );
    assert_eq!(
        sign_in(&p, &id, &client, "ana")["ChallengeName"],
        "SOFTWARE_TOKEN_MFA",
        "the preferred one"
    );
}

// RULE MFA-6
#[test]
fn required_mfa_sends_sms_or_asks_to_set_up() {
    let p = Pool::new();
    let (id, client) = mfa_pool(
        &p,
        json!({"MfaConfiguration": "ON", "SmsMfaConfiguration": {},
                                          "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    );
    member(
        &p,
        &id,
        "phoned",
        json!([{"Name": "phone_number", "Value": "+15555550123"}]),
    );
    assert_eq!(
        sign_in(&p, &id, &client, "phoned")["ChallengeName"],
        "SMS_MFA"
    );
    member(&p, &id, "bare", json!([]));
    let setup = sign_in(&p, &id, &client, "bare");
    assert_eq!(setup["ChallengeName"], "MFA_SETUP");
    assert_eq!(
        setup["ChallengeParameters"]["MFAS_CAN_SETUP"],
        r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#
    );
    // After a first sign-in's new password, straight on to MFA.
    p.ok(
        "AdminCreateUser",
        json!({"UserPoolId": id, "Username": "new", "TemporaryPassword": "Temp0rary!", "MessageAction": "SUPPRESS"}),
    );
    let first = p.ok(
        "AdminInitiateAuth",
        json!({"UserPoolId": id, "ClientId": client["ClientId"], "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "new", "PASSWORD": "Temp0rary!"}}),
    );
    let next = respond(
        &p,
        &id,
        &client,
        "NEW_PASSWORD_REQUIRED",
        &first["Session"],
        json!({"USERNAME": "new", "NEW_PASSWORD": PASSWORD}),
    )
    .unwrap();
    assert_eq!(next["ChallengeName"], "MFA_SETUP");
}

// RULE MFA-7
#[test]
fn a_code_is_good_a_step_either_way_and_once() {
    let p = Pool::new();
    let (id, client) = mfa_pool(&p, TOKEN_ONLY());
    member(&p, &id, "ana", json!([]));
    let secret = with_token(&p, &id, &client, "ana", "phone");
    turn_on_token(&p, &id, "ana");
    p.advance(90);
    let answer = |c: String| {
        let asked = sign_in(&p, &id, &client, "ana");
        respond(
            &p,
            &id,
            &client,
            "SOFTWARE_TOKEN_MFA",
            &asked["Session"],
            json!({"USERNAME": "ana", "SOFTWARE_TOKEN_MFA_CODE": c}),
        )
    };
    let stale = answer(totp_code(&p, &secret, -60)).unwrap_err();
    assert_eq!(
        stale,
        (
            "CodeMismatchException".into(),
            "Invalid code received for user".into()
        )
    );
    let late = totp_code(&p, &secret, -30);
    answer(late.clone()).expect("the step before is still good");
    let again = answer(late).unwrap_err();
    assert_eq!(again.0, "ExpiredCodeException", "{again:?}");
    answer(totp_code(&p, &secret, 30)).expect("the step after is good, once");
}

// RULE MFA-8
#[test]
fn a_factor_needs_its_means() {
    let p = Pool::new();
    let (id, _) = mfa_pool(
        &p,
        json!({"MfaConfiguration": "OPTIONAL", "SmsMfaConfiguration": {},
                                     "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    );
    member(&p, &id, "ana", json!([]));
    for (block, says) in [
        (
            json!({"SoftwareTokenMfaSettings": {"Enabled": true}}),
            "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA",
        ),
        (
            json!({"SMSMfaSettings": {"Enabled": true}}),
            "turn on SMS_MFA",
        ),
        (
            json!({"EmailMfaSettings": {"Enabled": true}}),
            "turn on EMAIL_OTP",
        ),
    ] {
        let mut body = json!({"UserPoolId": id, "Username": "ana"});
        merge(&mut body, block.clone());
        let refusal = p.refused("AdminSetUserMFAPreference", body);
        assert_eq!(code(&refusal), "InvalidParameterException");
        assert!(refusal.1.contains(says), "{block}: {refusal:?}");
    }
    assert_eq!(
        user_mfa(&p, &id, "ana"),
        (Value::Null, Value::Null),
        "nothing changed"
    );
}

// RULE MFA-9
#[test]
fn one_preferred_factor_and_only_one_that_is_on() {
    let p = Pool::new();
    let (id, _) = mfa_pool(
        &p,
        json!({"MfaConfiguration": "OPTIONAL", "SmsMfaConfiguration": {},
                                     "EmailMfaConfiguration": {}}),
    );
    member(
        &p,
        &id,
        "ana",
        json!([{"Name": "phone_number", "Value": "+15555550123"}, {"Name": "email", "Value": "ana@example.com"}]),
    );
    let both = p.refused(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": id, "Username": "ana", "SMSMfaSettings": {"Enabled": true, "PreferredMfa": true},
               "EmailMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    assert!(both.1.contains("only one"), "{both:?}");
    let off = p.refused(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": id, "Username": "ana", "EmailMfaSettings": {"Enabled": false, "PreferredMfa": true}}),
    );
    assert!(off.1.contains("not enabled"), "{off:?}");
    p.ok(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": id, "Username": "ana", "SMSMfaSettings": {"Enabled": true},
               "EmailMfaSettings": {"Enabled": true, "PreferredMfa": true}}),
    );
    assert_eq!(
        user_mfa(&p, &id, "ana"),
        (json!(["SMS_MFA", "EMAIL_OTP"]), json!("EMAIL_OTP"))
    );
}

// RULE MFA-10
#[test]
fn a_required_pool_keeps_a_users_factors_on() {
    let p = Pool::new();
    let (id, client) = mfa_pool(&p, TOKEN_ONLY());
    member(&p, &id, "ana", json!([]));
    with_token(&p, &id, &client, "ana", "phone");
    turn_on_token(&p, &id, "ana");
    p.ok("SetUserPoolMfaConfig", json!({"UserPoolId": id, "MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": {"Enabled": true}}));
    p.ok(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": id, "Username": "ana", "SoftwareTokenMfaSettings": {"Enabled": false, "PreferredMfa": false}}),
    );
    assert_eq!(
        user_mfa(&p, &id, "ana"),
        (json!(["SOFTWARE_TOKEN_MFA"]), Value::Null),
        "on, no longer preferred"
    );
}

// RULE MFA-11
#[test]
fn mfa_settings_are_left_out_when_empty() {
    let p = Pool::new();
    let (id, client) = mfa_pool(&p, TOKEN_ONLY());
    member(&p, &id, "ana", json!([]));
    let fresh = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ana"}));
    for member in ["UserMFASettingList", "PreferredMfaSetting", "MFAOptions"] {
        assert!(fresh.get(member).is_none(), "{member} in {fresh}");
    }
    let access = sign_in(&p, &id, &client, "ana")["AuthenticationResult"]["AccessToken"].clone();
    with_token(&p, &id, &client, "ana", "phone");
    turn_on_token(&p, &id, "ana");
    let own = p.ok("GetUser", json!({"AccessToken": access}));
    assert_eq!(own["UserMFASettingList"], json!(["SOFTWARE_TOKEN_MFA"]));
    assert_eq!(own["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
}

// RULE MFA-12
#[test]
fn setting_mfa_up_at_sign_in() {
    let p = Pool::new();
    let (id, client) = mfa_pool(
        &p,
        json!({"MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    );
    member(&p, &id, "ana", json!([]));
    let setup = sign_in(&p, &id, &client, "ana");
    assert_eq!(setup["ChallengeName"], "MFA_SETUP");
    let early = respond(
        &p,
        &id,
        &client,
        "MFA_SETUP",
        &setup["Session"],
        json!({"USERNAME": "ana"}),
    )
    .unwrap_err();
    assert_eq!(
        code(&early),
        "NotAuthorizedException",
        "nothing verified yet"
    );
    let setup = sign_in(&p, &id, &client, "ana");
    let associated = p.ok(
        "AssociateSoftwareToken",
        json!({"Session": setup["Session"]}),
    );
    let secret = Secret::new(associated["SecretCode"].as_str().expect("secret"));
    assert_ne!(associated["Session"], setup["Session"]);
    let verified = p.ok(
        "VerifySoftwareToken",
        json!({"Session": associated["Session"], "UserCode": totp_code(&p, &secret, 0), "FriendlyDeviceName": "Ana's phone"}),
    );
    assert_eq!(verified["Status"], "SUCCESS");
    member(&p, &id, "eve", json!([]));
    let stolen = respond(
        &p,
        &id,
        &client,
        "MFA_SETUP",
        &verified["Session"],
        json!({"USERNAME": "eve"}),
    )
    .unwrap_err();
    assert_eq!(
        stolen,
        (
            "NotAuthorizedException".into(),
            "Invalid session for the user.".into()
        ),
        "another user's session is refused, and stays ana's"
    );
    let done = respond(
        &p,
        &id,
        &client,
        "MFA_SETUP",
        &verified["Session"],
        json!({"USERNAME": "ana"}),
    )
    .unwrap();
    assert!(
        done["AuthenticationResult"]["AccessToken"].is_string(),
        "{done}"
    );
    assert_eq!(
        user_mfa(&p, &id, "ana"),
        (json!(["SOFTWARE_TOKEN_MFA"]), json!("SOFTWARE_TOKEN_MFA"))
    );
    let next = sign_in(&p, &id, &client, "ana");
    assert_eq!(next["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    // A token verified with an access token is registered, not turned on.
    let (optional, app) = mfa_pool(&p, TOKEN_ONLY());
    member(&p, &optional, "bo", json!([]));
    with_token(&p, &optional, &app, "bo", "tablet");
    assert_eq!(user_mfa(&p, &optional, "bo"), (Value::Null, Value::Null));
}

// RULE MFA-13
#[test]
fn the_admin_deletes_a_lost_authenticator() {
    let p = Pool::new();
    let (id, client) = mfa_pool(&p, TOKEN_ONLY());
    member(&p, &id, "ana", json!([]));
    with_token(&p, &id, &client, "ana", "phone");
    turn_on_token(&p, &id, "ana");
    p.ok("SetUserPoolMfaConfig", json!({"UserPoolId": id, "MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": {"Enabled": true}}));
    p.ok(
        "AdminDeleteSoftwareToken",
        json!({"UserPoolId": id, "Username": "ana"}),
    );
    assert_eq!(user_mfa(&p, &id, "ana"), (Value::Null, Value::Null));
    assert_eq!(
        sign_in(&p, &id, &client, "ana")["ChallengeName"],
        "MFA_SETUP"
    );
    p.ok(
        "AdminDeleteSoftwareToken",
        json!({"UserPoolId": id, "Username": "ana"}),
    );
    let missing = p.refused(
        "AdminDeleteSoftwareToken",
        json!({"UserPoolId": id, "Username": "nobody"}),
    );
    assert_eq!(code(&missing), "UserNotFoundException");
}

// RULE MFA-14
#[test]
fn update_user_pool_cannot_turn_mfa_on_and_off_clears_factors() {
    let p = Pool::new();
    let (id, _) = mfa_pool(&p, TOKEN_ONLY());
    let on = p.refused(
        "UpdateUserPool",
        json!({"UserPoolId": id, "MfaConfiguration": "ON", "SmsConfiguration": {"SnsCallerArn": SMS}}),
    );
    assert!(on.1.contains("Cannot turn MFA functionality ON"), "{on:?}");
    p.ok("UpdateUserPool", json!({"UserPoolId": id, "MfaConfiguration": "OPTIONAL", "SmsConfiguration": {"SnsCallerArn": SMS}}));
    assert_eq!(
        p.ok("GetUserPoolMfaConfig", json!({"UserPoolId": id}))["SoftwareTokenMfaConfiguration"],
        json!({"Enabled": true}),
        "a pool that keeps MFA keeps its factors"
    );
    p.ok("UpdateUserPool", json!({"UserPoolId": id}));
    assert_eq!(
        p.ok("GetUserPoolMfaConfig", json!({"UserPoolId": id})),
        json!({"MfaConfiguration": "OFF"})
    );
    let no_role = p.refused(
        "UpdateUserPool",
        json!({"UserPoolId": id, "MfaConfiguration": "OPTIONAL"}),
    );
    assert!(no_role.1.contains("SMS configuration"), "{no_role:?}");
    p.ok("UpdateUserPool", json!({"UserPoolId": id, "MfaConfiguration": "OPTIONAL", "SmsConfiguration": {"SnsCallerArn": SMS}}));
    assert!(
        p.ok("GetUserPoolMfaConfig", json!({"UserPoolId": id}))["SmsMfaConfiguration"].is_object()
    );
}

// RULE MFA-15
#[test]
fn an_sms_code_verifies_the_phone_and_lasts_the_session() {
    let p = Pool::new();
    let (id, client) = mfa_pool(
        &p,
        json!({"MfaConfiguration": "ON", "SmsMfaConfiguration": {"SmsAuthenticationMessage": "Sign in with {####}"}}),
    );
    member(
        &p,
        &id,
        "ana",
        json!([{"Name": "phone_number", "Value": "+15555550123"}]),
    );
    let asked = sign_in(&p, &id, &client, "ana");
    let sent = &outbox::list(&p.store, &id, Some("ana")).expect("outbox")[0];
    assert_eq!(sent.medium, "SMS");
    assert!(
        sent.body
            .as_deref()
            .unwrap_or_default()
            .starts_with("Sign in with "),
        "{sent:?}"
    );
    p.advance(181);
    let late = respond(
        &p,
        &id,
        &client,
        "SMS_MFA",
        &asked["Session"],
        json!({"USERNAME": "ana", "SMS_MFA_CODE": sent_code(&p, &id, "ana")}),
    )
    .unwrap_err();
    assert_eq!(
        late,
        (
            "NotAuthorizedException".into(),
            "Invalid session for the user, session is expired.".into()
        )
    );
    let asked = sign_in(&p, &id, &client, "ana");
    respond(
        &p,
        &id,
        &client,
        "SMS_MFA",
        &asked["Session"],
        json!({"USERNAME": "ana", "SMS_MFA_CODE": sent_code(&p, &id, "ana")}),
    )
    .unwrap();
    let user = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ana"}));
    let verified = user["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["Name"] == "phone_number_verified" && a["Value"] == "true");
    assert!(verified, "{user}");
}

// RULE MFA-16
#[test]
fn associating_needs_a_pool_that_offers_tokens_and_one_caller() {
    let p = Pool::new();
    let (id, client) = mfa_pool(&p, json!({"MfaConfiguration": "OFF"}));
    member(&p, &id, "ana", json!([]));
    let access = sign_in(&p, &id, &client, "ana")["AuthenticationResult"]["AccessToken"].clone();
    let refusal = p.refused("AssociateSoftwareToken", json!({"AccessToken": access}));
    assert_eq!(
        refusal,
        (
            "SoftwareTokenMFANotFoundException".into(),
            "Software Token MFA has not been enabled by the userPool".into()
        )
    );
    let both = p.refused(
        "AssociateSoftwareToken",
        json!({"AccessToken": access, "Session": "x".repeat(20)}),
    );
    assert_eq!(code(&both), "InvalidParameterException");
    let neither = p.refused("AssociateSoftwareToken", json!({}));
    assert_eq!(code(&neither), "InvalidParameterException");
}

// RULE MFA-17
#[test]
fn wrong_codes_are_refused_retried_and_counted() {
    let p = Pool::new();
    let (id, client) = mfa_pool(&p, TOKEN_ONLY());
    member(&p, &id, "ana", json!([]));
    let access = sign_in(&p, &id, &client, "ana")["AuthenticationResult"]["AccessToken"].clone();
    p.ok("AssociateSoftwareToken", json!({"AccessToken": access}));
    let wrong = p.refused(
        "VerifySoftwareToken",
        json!({"AccessToken": access, "UserCode": "000000"}),
    );
    assert_eq!(
        wrong,
        (
            "EnableSoftwareTokenMFAException".into(),
            "Code mismatch and fail enable Software Token MFA".into()
        )
    );
    let secret = with_token(&p, &id, &client, "ana", "phone");
    turn_on_token(&p, &id, "ana");
    p.advance(30);
    let asked = sign_in(&p, &id, &client, "ana");
    let right = totp_code(&p, &secret, 0);
    let wrong_code = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let answer = |c: &str| {
        respond(
            &p,
            &id,
            &client,
            "SOFTWARE_TOKEN_MFA",
            &asked["Session"],
            json!({"USERNAME": "ana", "SOFTWARE_TOKEN_MFA_CODE": c}),
        )
    };
    for _ in 0..4 {
        assert_eq!(
            code(&answer(wrong_code).unwrap_err()),
            "CodeMismatchException"
        );
    }
    answer(&right).expect("the same session, a right code");
    let asked = sign_in(&p, &id, &client, "ana");
    for _ in 0..5 {
        respond(
            &p,
            &id,
            &client,
            "SOFTWARE_TOKEN_MFA",
            &asked["Session"],
            json!({"USERNAME": "ana", "SOFTWARE_TOKEN_MFA_CODE": wrong_code}),
        )
        .unwrap_err();
    }
    let locked = respond(
        &p,
        &id,
        &client,
        "SOFTWARE_TOKEN_MFA",
        &asked["Session"],
        json!({"USERNAME": "ana", "SOFTWARE_TOKEN_MFA_CODE": totp_code(&p, &secret, 0)}),
    )
    .unwrap_err();
    assert_eq!(
        locked,
        (
            "NotAuthorizedException".into(),
            "Password attempts exceeded".into()
        )
    );
}

// RULE MFA-18
#[test]
fn challenges_say_where_the_code_went() {
    let p = Pool::new();
    let (id, client) = mfa_pool(
        &p,
        json!({"MfaConfiguration": "OPTIONAL", "SmsMfaConfiguration": {},
                                          "SoftwareTokenMfaConfiguration": {"Enabled": true}}),
    );
    member(
        &p,
        &id,
        "ana",
        json!([{"Name": "phone_number", "Value": "+15555550123"}]),
    );
    p.ok(
        "AdminSetUserMFAPreference",
        json!({"UserPoolId": id, "Username": "ana", "SMSMfaSettings": {"Enabled": true}}),
    );
    assert_eq!(
        sign_in(&p, &id, &client, "ana")["ChallengeParameters"],
        json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0123", "USER_ID_FOR_SRP": "ana"})
    );
    member(&p, &id, "bo", json!([]));
    with_token(&p, &id, &client, "bo", "Bo's phone");
    turn_on_token(&p, &id, "bo");
    assert_eq!(
        sign_in(&p, &id, &client, "bo")["ChallengeParameters"],
        json!({"FRIENDLY_DEVICE_NAME": "Bo's phone", "USER_ID_FOR_SRP": "bo"})
    );
}

// RULE MFA-19
#[test]
fn tokens_carry_no_amr() {
    let p = Pool::new();
    let (id, client) = mfa_pool(&p, TOKEN_ONLY());
    member(&p, &id, "ana", json!([]));
    let secret = with_token(&p, &id, &client, "ana", "phone");
    turn_on_token(&p, &id, "ana");
    p.advance(30);
    let asked = sign_in(&p, &id, &client, "ana");
    let done = respond(
        &p,
        &id,
        &client,
        "SOFTWARE_TOKEN_MFA",
        &asked["Session"],
        json!({"USERNAME": "ana", "SOFTWARE_TOKEN_MFA_CODE": totp_code(&p, &secret, 0)}),
    )
    .unwrap();
    for token in ["IdToken", "AccessToken"] {
        let c = claims(
            done["AuthenticationResult"][token]
                .as_str()
                .expect("a token"),
        );
        assert!(c.get("amr").is_none(), "{token}: {c}");
    }
}
