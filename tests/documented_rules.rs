//! One test per rule in `docs/documented-rules.md`, each marked `// RULE <id>`, run on the
//! store in process. The last test checks that the page and this file list the same ids.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use cognito_console::local::Store;
use cognito_console::local::api;
use cognito_console::local::ops::Context;
use serde_json::{Value, json};

struct Pool {
    store: Store,
    ctx: Context,
}

/// An error as a caller sees it: the exception name and the message.
type Refusal = (String, String);

impl Pool {
    fn new() -> Self {
        Self {
            // A fixed clock: lifetimes are compared to the second.
            store: Store::open_in_memory()
                .expect("store")
                .with_clock(Arc::new(|| UNIX_EPOCH + Duration::from_secs(1_800_000_000))),
            ctx: Context::default(),
        }
    }

    fn call(&self, op: &str, body: Value) -> Result<Value, Refusal> {
        api::call(&self.store, &self.ctx, op, &body)
            .map_err(|e| (e.code.name().to_string(), e.message))
    }

    fn ok(&self, op: &str, body: Value) -> Value {
        self.call(op, body.clone())
            .unwrap_or_else(|e| panic!("{op} {body}: {e:?}"))
    }

    fn refused(&self, op: &str, body: Value) -> Refusal {
        match self.call(op, body.clone()) {
            Ok(v) => panic!("{op} {body} was accepted: {v}"),
            Err(e) => e,
        }
    }

    /// A pool made with `extra` members; its id.
    fn pool(&self, extra: Value) -> String {
        let mut body = json!({"PoolName": "rules"});
        merge(&mut body, extra);
        let made = self.ok("CreateUserPool", body);
        made["UserPool"]["Id"].as_str().expect("id").to_string()
    }

    fn describe(&self, id: &str) -> Value {
        self.ok("DescribeUserPool", json!({"UserPoolId": id}))["UserPool"].clone()
    }

    /// An app client made with `extra` members, allowed ADMIN_USER_PASSWORD_AUTH.
    fn client(&self, id: &str, extra: Value) -> Value {
        let mut body = json!({
            "UserPoolId": id,
            "ClientName": "app",
            "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        });
        merge(&mut body, extra);
        self.ok("CreateUserPoolClient", body)["UserPoolClient"].clone()
    }

    fn user(&self, id: &str, name: &str, attributes: Value) -> Value {
        self.ok(
            "AdminCreateUser",
            json!({"UserPoolId": id, "Username": name, "MessageAction": "SUPPRESS",
                   "UserAttributes": attributes}),
        )["User"]
            .clone()
    }

    /// The lifetimes (seconds) of the access, ID and refresh tokens a sign-in gets.
    fn lifetimes(&self, id: &str, client: &Value) -> (i64, i64, f64) {
        let name = format!("u{}", client["ClientId"].as_str().expect("id"));
        self.user(id, &name, json!([]));
        self.ok(
            "AdminSetUserPassword",
            json!({"UserPoolId": id, "Username": name, "Password": "Passw0rd!", "Permanent": true}),
        );
        let signed = self.ok(
            "AdminInitiateAuth",
            json!({"UserPoolId": id, "ClientId": client["ClientId"],
                   "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                   "AuthParameters": {"USERNAME": name, "PASSWORD": "Passw0rd!"}}),
        );
        let result = &signed["AuthenticationResult"];
        let id_claims = claims(result["IdToken"].as_str().expect("id token"));
        let id_life =
            id_claims["exp"].as_i64().expect("exp") - id_claims["iat"].as_i64().expect("iat");
        let refresh_life = refresh_lifetime(self, client);
        (
            result["ExpiresIn"].as_i64().expect("expires in"),
            id_life,
            refresh_life,
        )
    }
}

/// The refresh token's lifetime, from the store's own row (it is opaque on the wire).
fn refresh_lifetime(pool: &Pool, client: &Value) -> f64 {
    pool.store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT expires - auth_time FROM refresh_tokens WHERE client_id = ?1",
                [client["ClientId"].as_str().expect("id")],
                |r| r.get::<_, f64>(0),
            )?)
        })
        .expect("one refresh token")
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("json")
}

fn merge(into: &mut Value, extra: Value) {
    if let (Some(into), Value::Object(extra)) = (into.as_object_mut(), extra) {
        into.extend(extra);
    }
}

fn code(refusal: &Refusal) -> &str {
    &refusal.0
}

const SMS: &str = "arn:aws:iam::123456789012:role/sms";

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
        cognito_console::local::delivery::outbox(&p.store, &id, Some("ana")).expect("outbox");
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
    p.ok(
        "AdminSetUserPassword",
        json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}),
    );
    let signed = p.ok(
        "AdminInitiateAuth",
        json!({"UserPoolId": id, "ClientId": client["ClientId"], "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ana", "PASSWORD": "Passw0rd!"}}),
    );
    let token = claims(
        signed["AuthenticationResult"]["IdToken"]
            .as_str()
            .expect("token"),
    );
    assert_eq!(token["cognito:groups"], json!(["first", "second", "plain"]));
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

// RULE USER-7
#[test]
fn a_disabled_user_is_listed_but_cannot_sign_in() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([]));
    p.ok("AdminSetUserPassword", json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}));
    p.ok("AdminDisableUser", json!({"UserPoolId": id, "Username": "ana"}));
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
    let status = |p: &Pool| p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ana"}))["UserStatus"].clone();
    p.ok("AdminSetUserPassword", json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}));
    assert_eq!(status(&p), "CONFIRMED");
    p.ok("AdminSetUserPassword", json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": false}));
    assert_eq!(status(&p), "FORCE_CHANGE_PASSWORD");
}

// RULE USER-9
#[test]
fn an_invitation_is_sent_unless_its_template_lacks_the_password() {
    let p = Pool::new();
    let sms = json!([{"Name": "phone_number", "Value": "+15555550100"}]);
    let id = p.pool(json!({}));
    p.ok("AdminCreateUser", json!({"UserPoolId": id, "Username": "ana", "UserAttributes": sms}));
    let sent = cognito_console::local::delivery::outbox(&p.store, &id, Some("ana")).expect("outbox");
    assert_eq!(sent.len(), 1);
    let silent = p.pool(json!({"AdminCreateUserConfig": {"InviteMessageTemplate": {"SMSMessage": "Welcome {username}"}}}));
    p.ok("AdminCreateUser", json!({"UserPoolId": silent, "Username": "ana", "UserAttributes": sms}));
    let sent = cognito_console::local::delivery::outbox(&p.store, &silent, Some("ana")).expect("outbox");
    assert!(sent.iter().all(|m| m.body.is_none()), "{sent:?}");
}

// RULE USER-10
#[test]
fn a_verified_alias_names_its_user() {
    let p = Pool::new();
    let id = p.pool(json!({"AliasAttributes": ["email"]}));
    p.user(&id, "ana", json!([{"Name": "email", "Value": "ana@example.com"}, {"Name": "email_verified", "Value": "true"}]));
    p.user(&id, "bo", json!([{"Name": "email", "Value": "bo@example.com"}]));
    let got = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ana@example.com"}));
    assert_eq!(got["Username"], "ana");
    let refusal = p.refused("AdminGetUser", json!({"UserPoolId": id, "Username": "bo@example.com"}));
    assert_eq!(code(&refusal), "UserNotFoundException");
}

// RULE GROUP-2
#[test]
fn a_deleted_group_leaves_the_tokens() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let client = p.client(&id, json!({}));
    p.user(&id, "ana", json!([]));
    p.ok("AdminSetUserPassword", json!({"UserPoolId": id, "Username": "ana", "Password": "Passw0rd!", "Permanent": true}));
    for group in ["keep", "gone"] {
        p.ok("CreateGroup", json!({"UserPoolId": id, "GroupName": group}));
        p.ok("AdminAddUserToGroup", json!({"UserPoolId": id, "Username": "ana", "GroupName": group}));
    }
    p.ok("DeleteGroup", json!({"UserPoolId": id, "GroupName": "gone"}));
    let signed = p.ok(
        "AdminInitiateAuth",
        json!({"UserPoolId": id, "ClientId": client["ClientId"], "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": "ana", "PASSWORD": "Passw0rd!"}}),
    );
    let token = claims(signed["AuthenticationResult"]["AccessToken"].as_str().expect("token"));
    assert_eq!(token["cognito:groups"], json!(["keep"]));
}

// RULE AUTH-2
#[test]
fn the_flow_must_be_one_the_client_allows() {
    let p = Pool::new();
    let id = p.pool(json!({}));
    let made = p.ok("CreateUserPoolClient", json!({"UserPoolId": id, "ClientName": "srp-only"}));
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
    let refusal = p.refused("ForgotPassword", json!({"ClientId": client["ClientId"], "Username": "ana"}));
    assert_eq!(code(&refusal), "NotAuthorizedException");
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
    let page = include_str!("../docs/documented-rules.md");
    let documented: BTreeSet<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(str::trim)
        .collect();
    let tested: BTreeSet<&str> = include_str!("documented_rules.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("// RULE "))
        .map(str::trim)
        .collect();
    assert!(documented.len() >= 30, "{documented:?}");
    assert_eq!(documented, tested);
}
