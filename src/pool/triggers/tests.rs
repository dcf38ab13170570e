use serde_json::json;

use super::*;

#[test]
fn pre_token_generation_takes_its_version_from_the_versioned_member() {
    let config = json!({
        "PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre",
        "PreTokenGeneration": "arn:aws:lambda:us-east-1:123456789012:function:tok",
        "PreTokenGenerationConfig": {
            "LambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:tok",
            "LambdaVersion": "V2_0"
        }
    });
    let token = configured(&config, Trigger::PreTokenGeneration).expect("set");
    assert_eq!(token.version, 2);
    assert_eq!(token.lambda_version(), "V2_0");
    assert_eq!(
        configured(&config, Trigger::PreSignUp).map(|c| c.version),
        Some(1)
    );
    assert_eq!(configured(&config, Trigger::CustomMessage), None);
    // The legacy member alone is version 1.
    let legacy = json!({ "PreTokenGeneration": "arn:aws:lambda:us-east-1:1:function:t" });
    assert_eq!(
        configured(&legacy, Trigger::PreTokenGeneration).map(|c| c.version),
        Some(1)
    );
}

#[test]
fn setting_one_trigger_keeps_every_other() {
    let config = json!({ "PreSignUp": "arn:a", "KMSKeyID": "arn:k" });
    let tok = Configured {
        arn: "arn:t".into(),
        version: 2,
    };
    let set = with(&config, Trigger::PreTokenGeneration, Some(&tok));
    assert_eq!(set["PreSignUp"], "arn:a");
    assert_eq!(set["KMSKeyID"], "arn:k");
    assert_eq!(set["PreTokenGeneration"], "arn:t");
    assert_eq!(set["PreTokenGenerationConfig"]["LambdaVersion"], "V2_0");
    assert_eq!(check(&set), Ok(()));
    let cleared = with(&set, Trigger::PreTokenGeneration, None);
    assert_eq!(cleared, config);
    let cleared = with(&cleared, Trigger::PreSignUp, None);
    assert_eq!(cleared, json!({ "KMSKeyID": "arn:k" }));
}

#[test]
fn the_two_pre_token_members_must_agree() {
    let config = json!({
        "PreTokenGeneration": "arn:one",
        "PreTokenGenerationConfig": { "LambdaArn": "arn:two", "LambdaVersion": "V1_0" }
    });
    assert!(check(&config).is_err());
}

#[test]
fn events_carry_the_envelope_cognito_sends() {
    let about = About {
        pool_id: "eu-west-1_abc",
        username: "ana",
        caller: Caller::NotApplicable,
    };
    let e = event(about, 1, "PreSignUp_AdminCreateUser", json!({}), json!({}));
    assert_eq!(e["version"], "1");
    assert_eq!(e["region"], "eu-west-1");
    assert_eq!(e["callerContext"]["clientId"], "CLIENT_ID_NOT_APPLICABLE");
    assert_eq!(
        e["callerContext"]["awsSdkVersion"],
        "aws-sdk-unknown-unknown"
    );
    let nobody = About {
        caller: Caller::Nobody,
        ..about
    };
    assert!(event(nobody, 1, "x", json!({}), json!({}))["callerContext"]["clientId"].is_null());
}

#[test]
fn message_requests_name_the_username_only_for_invitations() {
    let attrs = user_attributes(
        &[Attribute::new("email", "a@example.com")],
        Some("CONFIRMED"),
    );
    let invite = message_request(
        attrs.clone(),
        MessageSource::AdminCreateUser,
        &BTreeMap::new(),
    );
    assert_eq!(invite["usernameParameter"], "{username}");
    assert_eq!(invite["codeParameter"], "{####}");
    assert!(invite.get("clientMetadata").is_none());
    let metadata = BTreeMap::from([("k".to_string(), "v".to_string())]);
    let code = message_request(attrs, MessageSource::ForgotPassword, &metadata);
    assert!(code["usernameParameter"].is_null());
    assert_eq!(code["clientMetadata"]["k"], "v");
    assert_eq!(code["userAttributes"]["cognito:user_status"], "CONFIRMED");
}

#[test]
fn a_custom_message_is_sent_only_within_cognitos_rules() {
    let custom = CustomMessage {
        email_subject: Some("Welcome".into()),
        email_message: Some("Hi {username}, your password is {####}".into()),
        sms_message: Some("Code: {####}".into()),
    };
    let email = custom
        .rendered(
            DeliveryMedium::Email,
            MessageSource::AdminCreateUser,
            "ana",
            "P4ss!",
        )
        .expect("fits")
        .expect("written");
    assert_eq!(email.body, "Hi ana, your password is P4ss!");
    assert_eq!(email.subject.as_deref(), Some("Welcome"));
    // An invitation without the username placeholder is not the function's to send.
    let sms = custom.rendered(
        DeliveryMedium::Sms,
        MessageSource::AdminCreateUser,
        "ana",
        "x",
    );
    assert!(sms.expect_err("no username").contains("{username}"));
    let sms = custom
        .rendered(DeliveryMedium::Sms, MessageSource::SignUp, "ana", "123456")
        .expect("fits")
        .expect("written");
    assert_eq!(sms.body, "Code: 123456");
    assert_eq!(sms.subject, None);
    // Nothing written: the template.
    let none = CustomMessage::default();
    assert_eq!(
        none.rendered(DeliveryMedium::Email, MessageSource::SignUp, "a", "1"),
        Ok(None)
    );
    // No code, or too long once the code is in: not sent.
    let no_code = CustomMessage {
        sms_message: Some("hello".into()),
        ..CustomMessage::default()
    };
    assert!(
        no_code
            .rendered(DeliveryMedium::Sms, MessageSource::SignUp, "a", "1")
            .is_err()
    );
    let long = CustomMessage {
        sms_message: Some(format!("{}{{####}}", "x".repeat(134))),
        ..CustomMessage::default()
    };
    assert!(
        long.rendered(DeliveryMedium::Sms, MessageSource::SignUp, "a", "123456")
            .is_ok()
    );
    assert!(
        long.rendered(DeliveryMedium::Sms, MessageSource::SignUp, "a", "1234567")
            .is_err()
    );
}

#[test]
fn a_custom_message_answer_holds_strings_or_nulls() {
    let ok =
        CustomMessage::from_response(&json!({ "smsMessage": "a {####}", "emailMessage": null }));
    assert_eq!(ok.expect("reads").sms_message.as_deref(), Some("a {####}"));
    assert!(CustomMessage::from_response(&json!({ "emailMessage": 5 })).is_err());
}
