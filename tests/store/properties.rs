//! Property tests: random usernames, attributes, filters, templates and request bodies
//! through `pool` and through the store's API. Never a panic; always Cognito's error.

use cognito_console::local::Store;
use cognito_console::local::ops::{self, Context};
use cognito_console::local::wire::api::{self, TARGET_PREFIX};
use cognito_console::pool::filter::{self, Filter, FilterOp, SearchAttribute};
use cognito_console::pool::template;
use cognito_console::pool::{InviteMessageTemplate, PasswordPolicy, password, validate};
use proptest::prelude::*;
use serde_json::{Value, json};

const ERRORS: &[&str] = &[
    "AliasExistsException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "ResourceNotFoundException",
    "SerializationException",
    "UnsupportedUserStateException",
    "UserNotFoundException",
    "UsernameExistsException",
    "NotAuthorizedException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "LimitExceededException",
    "UnsupportedTokenTypeException",
    "UnsupportedOperationException",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        Just(json!("us-east-1_AbC123")),
        Just(json!("{####}")),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("Name".to_string()),
                    Just("Value".to_string()),
                    Just("PasswordPolicy".to_string()),
                    Just("MinimumLength".to_string()),
                    "[A-Za-z]{1,12}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const MEMBERS: &[&str] = &[
    "UserPoolId",
    "Username",
    "UserAttributes",
    "ValidationData",
    "TemporaryPassword",
    "ForceAliasCreation",
    "MessageAction",
    "DesiredDeliveryMediums",
    "ClientMetadata",
    "Filter",
    "Limit",
    "PaginationToken",
    "AttributesToGet",
    "PoolName",
    "Policies",
    "AdminCreateUserConfig",
    "VerificationMessageTemplate",
    "MaxResults",
    "NextToken",
    "Schema",
    "AliasAttributes",
    "ClientId",
    "SecretHash",
    "Password",
    "ConfirmationCode",
    "AccessToken",
    "Token",
    "ClientSecret",
    "UserAttributeNames",
    "Permanent",
];

fn request_body() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(prop::sample::select(MEMBERS), json_value(), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
}

fn store_with_pool() -> (Store, String) {
    let store = Store::open_in_memory().unwrap();
    let out = api::call(
        &store,
        &Context::default(),
        "CreateUserPool",
        &json!({"PoolName": "p"}),
    )
    .unwrap();
    let id = out["UserPool"]["Id"].as_str().unwrap().to_string();
    (store, id)
}

fn assert_cognito_answer(r: &api::Response) {
    if r.status == 200 {
        assert!(
            serde_json::from_slice::<Value>(&r.body)
                .unwrap()
                .is_object()
        );
        return;
    }
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    let name = v["__type"].as_str().unwrap();
    assert!(ERRORS.contains(&name), "unexpected error {name}");
    assert_eq!(r.error_type, Some(name));
    assert!(!v["message"].as_str().unwrap().is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn pool_rules_never_panic(s in ".{0,300}", t in "\\PC{0,50}") {
        let _ = validate::username(&s);
        let _ = validate::attribute(&s, &t);
        let _ = validate::attribute(&t, &s);
        let _ = validate::email(&s);
        let _ = validate::phone_number(&s);
        let _ = validate::pool_id(&s);
        let _ = validate::pool_name(&s);
        let _ = filter::parse(&s);
        let _ = password::check_temporary(&s, &PasswordPolicy::default());
        let _ = template::render(&s, &t, &t);
        let invite = InviteMessageTemplate { sms_message: Some(s.clone()), email_message: Some(s.clone()), email_subject: Some(t.clone()) };
        let _ = template::check_invite_console(&invite, &t, 8);
    }

    #[test]
    fn errors_always_name_a_field(s in ".{0,200}") {
        for result in [validate::username(&s), validate::email(&s), validate::phone_number(&s), validate::attribute_name(&s)] {
            if let Err(e) = result {
                prop_assert!(!e.field.is_empty());
                prop_assert!(!e.rule.is_empty());
            }
        }
        if let Err(e) = filter::parse(&s) {
            prop_assert_eq!(e.field, "Filter");
        }
    }

    #[test]
    fn filters_round_trip_any_value(value in ".{0,80}", attr in prop::sample::select(SearchAttribute::ALL.to_vec()), starts in any::<bool>()) {
        let op = if starts { FilterOp::StartsWith } else { FilterOp::Equals };
        let f = Filter::new(attr, op, value);
        prop_assert_eq!(filter::parse(&f.to_string()).unwrap(), Some(f));
    }

    #[test]
    fn valid_usernames_pass_and_rendering_counts_exactly(name in "[a-zA-Z0-9._@+-]{1,128}", len in 6usize..40) {
        prop_assert!(validate::username(&name).is_ok());
        let rendered = template::render("{username}:{####}", &name, &"x".repeat(len));
        prop_assert_eq!(rendered.chars().count(), name.chars().count() + 1 + len);
    }

    #[test]
    fn generated_passwords_satisfy_random_policies(min in 6i64..=99, u in any::<bool>(), l in any::<bool>(), n in any::<bool>(), s in any::<bool>()) {
        let policy = PasswordPolicy { minimum_length: min, require_uppercase: u, require_lowercase: l, require_numbers: n, require_symbols: s, ..PasswordPolicy::default() };
        prop_assert!(password::check_temporary(password::generate(&policy).expose(), &policy).is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn random_bodies_get_cognito_errors(op in prop::sample::select(ops::NAMES.to_vec()), body in request_body(), real_pool in any::<bool>()) {
        let (store, id) = store_with_pool();
        let mut body = body;
        if real_pool && let Value::Object(m) = &mut body {
            m.insert("UserPoolId".into(), json!(id));
        }
        let target = format!("{TARGET_PREFIX}{op}");
        let r = api::handle(&store, &Context::default(), Some(&target), body.to_string().as_bytes());
        assert_cognito_answer(&r);
    }

    #[test]
    fn random_users_get_created_or_refused(
        username in ".{0,20}",
        attrs in prop::collection::vec((prop_oneof![Just("email".to_string()), Just("phone_number".to_string()), Just("email_verified".to_string()), Just("custom:x".to_string()), ".{0,10}"], ".{0,30}"), 0..4),
        password in proptest::option::of(".{0,20}"),
        action in proptest::option::of(prop_oneof![Just("SUPPRESS"), Just("RESEND"), Just("NOPE")]),
        mediums in prop::collection::vec(prop_oneof![Just("SMS"), Just("EMAIL"), Just("FAX")], 0..3),
    ) {
        let (store, id) = store_with_pool();
        let body = json!({
            "UserPoolId": id,
            "Username": username,
            "UserAttributes": attrs.iter().map(|(n, v)| json!({"Name": n, "Value": v})).collect::<Vec<_>>(),
            "TemporaryPassword": password,
            "MessageAction": action,
            "DesiredDeliveryMediums": mediums,
        });
        let target = format!("{TARGET_PREFIX}AdminCreateUser");
        let r = api::handle(&store, &Context::default(), Some(&target), body.to_string().as_bytes());
        assert_cognito_answer(&r);
        // Bytes that are not JSON at all are a SerializationException, never a panic.
        let garbage = api::handle(&store, &Context::default(), Some(&target), &body.to_string().as_bytes()[1..]);
        assert_cognito_answer(&garbage);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    /// Any AdminUpdateUserAttributes is applied whole or refused whole, and what it
    /// leaves keeps Cognito's invariants: the sub never changes, a verified flag that is
    /// true always has its address, and a changed email is verified only if the same
    /// call said so.
    #[test]
    fn attribute_updates_keep_the_invariants(
        attrs in prop::collection::vec((prop_oneof![
            Just("email".to_string()), Just("email_verified".to_string()),
            Just("phone_number".to_string()), Just("phone_number_verified".to_string()),
            Just("given_name".to_string()), Just("sub".to_string()), Just("custom:x".to_string()),
            ".{0,8}"
        ], prop_oneof![Just(String::new()), Just("true".to_string()), Just("false".to_string()),
            Just("a@example.com".to_string()), Just("+15555550100".to_string()), ".{0,12}"]), 0..5),
    ) {
        let (store, id) = store_with_pool();
        let ctx = Context::default();
        api::call(&store, &ctx, "AdminCreateUser", &json!({
            "UserPoolId": id, "Username": "u", "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": "email", "Value": "u@example.com"}, {"Name": "email_verified", "Value": "true"}],
        })).unwrap();
        let get = || api::call(&store, &ctx, "AdminGetUser", &json!({"UserPoolId": id, "Username": "u"})).unwrap();
        let attribute = |user: &Value, name: &str| user["UserAttributes"].as_array().unwrap().iter()
            .find(|a| a["Name"] == name).map(|a| a["Value"].as_str().unwrap().to_string());
        let before = get();
        let body = json!({
            "UserPoolId": id, "Username": "u",
            "UserAttributes": attrs.iter().map(|(n, v)| json!({"Name": n, "Value": v})).collect::<Vec<_>>(),
        });
        let target = format!("{TARGET_PREFIX}AdminUpdateUserAttributes");
        let r = api::handle(&store, &ctx, Some(&target), body.to_string().as_bytes());
        assert_cognito_answer(&r);
        let after = get();
        prop_assert_eq!(attribute(&before, "sub"), attribute(&after, "sub"));
        if r.status != 200 {
            prop_assert_eq!(before, after, "a refused update changes nothing");
            return Ok(());
        }
        for (flag, address) in [("email_verified", "email"), ("phone_number_verified", "phone_number")] {
            if attribute(&after, flag).as_deref() == Some("true") {
                prop_assert!(attribute(&after, address).is_some(), "{flag} without {address}");
            }
        }
        let email_changed = attribute(&before, "email") != attribute(&after, "email");
        let flag_given = attrs.iter().any(|(n, v)| n == "email_verified" && v.eq_ignore_ascii_case("true"));
        if email_changed && attribute(&after, "email").is_some() && !flag_given {
            let verified = attribute(&after, "email_verified");
            prop_assert_ne!(verified.as_deref(), Some("true"));
        }
    }
}
