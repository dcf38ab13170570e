//! The contract of the operations an administrator fixes a user with, and those a user
//! calls to fix themselves: password resets with codes, attribute edits, sign-up and its
//! confirmation, and the operations that take an access token. Run on every target like
//! `contract.rs`; where moto departs, the case is ours only and says how.

use crate::common;

use std::time::Duration;

use crate::contract;
use aws_sdk_cognitoidentityprovider::types::{
    AccountRecoverySettingType, AdminCreateUserConfigType, AliasAttributeType, AttributeDataType,
    RecoveryOptionNameType, RecoveryOptionType, SchemaAttributeType, VerifiedAttributeType,
};
use cognito_console::client::{ClientError, SignIn};
use cognito_console::local::mail::outbox;
use cognito_console::pool::UserStatus;
use common::kit::*;
use common::{Flavor, Harness};

const RESET: &str = "N3w!Password";

/// An app client users call themselves with (no secret), that also lets an
/// administrator sign users in.
async fn user_client(h: &Harness, id: &str) -> cognito_console::pool::AppClient {
    h.client
        .create_app_client(
            id,
            "app",
            Some(vec![
                "ALLOW_USER_PASSWORD_AUTH".into(),
                "ALLOW_ADMIN_USER_PASSWORD_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]),
            false,
        )
        .await
        .unwrap()
}

async fn status(h: &Harness, id: &str, username: &str) -> Option<UserStatus> {
    h.client.get_user(id, username).await.unwrap().status
}

/// The code in the newest message sent to `username` (our store's outbox).
fn last_code(h: &Harness, id: &str, username: &str) -> String {
    let store = h.store().expect("our store");
    let messages = outbox::list(&store, id, Some(username)).unwrap();
    let body = messages
        .first()
        .and_then(|m| m.body.clone())
        .expect("a message");
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {body:?}"))
        .to_string()
}

async fn sign_up(
    h: &Harness,
    client_id: &str,
    username: &str,
    pairs: &[(&str, &str)],
) -> Result<(), ClientError> {
    let mut b = h
        .sdk()
        .sign_up()
        .client_id(client_id)
        .username(username)
        .password(CHOSEN);
    for (n, v) in pairs {
        b = b.user_attributes(
            aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                .name(*n)
                .value(*v)
                .build()
                .unwrap(),
        );
    }
    b.send().await.map(|_| ()).map_err(ClientError::from)
}

async fn confirm_forgot(
    h: &Harness,
    client_id: &str,
    username: &str,
    code: &str,
    password: &str,
) -> Result<(), ClientError> {
    h.sdk()
        .confirm_forgot_password()
        .client_id(client_id)
        .username(username)
        .confirmation_code(code)
        .password(password)
        .send()
        .await
        .map(|_| ())
        .map_err(ClientError::from)
}

async fn get_user(h: &Harness, access: &str) -> Result<String, ClientError> {
    h.sdk()
        .get_user()
        .access_token(access)
        .send()
        .await
        .map(|o| o.username().to_string())
        .map_err(ClientError::from)
}

/// A pool that verifies email by code and recovers accounts by verified email.
async fn email_pool(h: &Harness) -> String {
    h.pool_with(|b| {
        b.auto_verified_attributes(VerifiedAttributeType::Email)
            .account_recovery_setting(
                AccountRecoverySettingType::builder()
                    .recovery_mechanisms(
                        RecoveryOptionType::builder()
                            .name(RecoveryOptionNameType::VerifiedEmail)
                            .priority(1)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
    })
    .await
}

// ---------------------------------------------------------------- everywhere

/// AdminUpdateUserAttributes sets values, AdminDeleteUserAttributes removes them.
async fn admin_edits_attributes(h: Harness) {
    let id = h.pool().await;
    invited(
        &h,
        &id,
        "ada",
        &[("given_name", "Ada"), ("family_name", "L")],
    )
    .await;
    h.client
        .update_user_attributes(
            &id,
            "ada",
            &attrs(&[("given_name", "Augusta"), ("locale", "en")]),
        )
        .await
        .unwrap();
    let user = h.client.get_user(&id, "ada").await.unwrap();
    assert_eq!(user.attribute("given_name"), Some("Augusta"));
    assert_eq!(user.attribute("locale"), Some("en"));
    h.client
        .delete_user_attributes(&id, "ada", &["family_name".into()])
        .await
        .unwrap();
    let user = h.client.get_user(&id, "ada").await.unwrap();
    assert_eq!(user.attribute("family_name"), None);
    assert_eq!(user.attribute("given_name"), Some("Augusta"));
    assert_eq!(
        code(
            h.client
                .update_user_attributes(&id, "nobody", &attrs(&[("locale", "en")]))
                .await
        ),
        "UserNotFoundException"
    );
    assert_eq!(
        code(
            h.client
                .delete_user_attributes(&id, "nobody", &["locale".into()])
                .await
        ),
        "UserNotFoundException"
    );
}

/// A user who signed up is UNCONFIRMED until an administrator confirms them.
async fn admin_confirms_a_sign_up(h: Harness) {
    let id = h.pool().await;
    let app = user_client(&h, &id).await;
    sign_up(&h, &app.id, "sue", &[("email", "sue@example.com")])
        .await
        .unwrap();
    assert_eq!(status(&h, &id, "sue").await, Some(UserStatus::Unconfirmed));
    h.client.confirm_sign_up(&id, "sue").await.unwrap();
    assert_eq!(status(&h, &id, "sue").await, Some(UserStatus::Confirmed));
    let admin = cognito_console::client::SignInClient::from_app(&app);
    assert!(matches!(
        sign_in(&h, &admin, "sue", CHOSEN).await.unwrap(),
        SignIn::Done(_)
    ));
    assert_eq!(
        code(sign_up(&h, &app.id, "sue", &[]).await),
        "UsernameExistsException"
    );
}

/// After AdminResetUserPassword the user is RESET_REQUIRED and cannot sign in.
async fn admin_reset_requires_a_new_password(h: Harness) {
    let id = h.pool().await;
    let app = admin_client(&h, &id, false).await;
    invited(
        &h,
        &id,
        "rex",
        &[("email", "rex@example.com"), ("email_verified", "true")],
    )
    .await;
    first_sign_in(&h, &app, "rex").await;
    h.client.reset_user_password(&id, "rex").await.unwrap();
    assert_eq!(
        status(&h, &id, "rex").await,
        Some(UserStatus::ResetRequired)
    );
    if !h.is_moto() {
        // moto still signs the user in, and asks for a new password.
        assert_eq!(
            code(sign_in(&h, &app, "rex", CHOSEN).await),
            "PasswordResetRequiredException"
        );
    }
    assert_eq!(
        code(h.client.reset_user_password(&id, "nobody").await),
        "UserNotFoundException"
    );
}

/// GetUser answers for the holder of an access token; GlobalSignOut ends it.
async fn access_token_operations(h: Harness) {
    let id = h.pool().await;
    let app = admin_client(&h, &id, false).await;
    invited(&h, &id, "tia", &[("email", "tia@example.com")]).await;
    let tokens = first_sign_in(&h, &app, "tia").await;
    let access = tokens.access_token.expose().to_string();
    assert_eq!(get_user(&h, &access).await.unwrap(), "tia");
    h.sdk()
        .global_sign_out()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(code(get_user(&h, &access).await), "NotAuthorizedException");
    assert_eq!(
        code(get_user(&h, "not.a.token").await),
        "NotAuthorizedException"
    );
}

// ---------------------------------------------------------------- ours only

/// ForgotPassword sends a code to the verified email; ConfirmForgotPassword with it sets
/// the new password. Codes are used once, wrong ones are counted, and they expire.
async fn forgot_password_with_the_code(h: Harness) {
    let id = email_pool(&h).await;
    let app = user_client(&h, &id).await;
    let admin = cognito_console::client::SignInClient::from_app(&app);
    invited(
        &h,
        &id,
        "fay",
        &[("email", "fay@example.com"), ("email_verified", "true")],
    )
    .await;
    first_sign_in(&h, &admin, "fay").await;
    let forgot = || async {
        h.sdk()
            .forgot_password()
            .client_id(&app.id)
            .username("fay")
            .send()
            .await
            .map_err(ClientError::from)
    };
    let out = forgot().await.unwrap();
    let details = out.code_delivery_details().expect("delivery details");
    assert_eq!(details.destination(), Some("f***@e***"));
    assert_eq!(details.attribute_name(), Some("email"));
    let code1 = last_code(&h, &id, "fay");
    // The old password works until the code is used.
    assert!(matches!(
        sign_in(&h, &admin, "fay", CHOSEN).await.unwrap(),
        SignIn::Done(_)
    ));
    let wrong = if code1 == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert_eq!(
        code(confirm_forgot(&h, &app.id, "fay", wrong, RESET).await),
        "CodeMismatchException"
    );
    assert_eq!(
        code(confirm_forgot(&h, &app.id, "fay", &code1, "weak").await),
        "InvalidPasswordException"
    );
    confirm_forgot(&h, &app.id, "fay", &code1, RESET)
        .await
        .unwrap();
    assert!(matches!(
        sign_in(&h, &admin, "fay", RESET).await.unwrap(),
        SignIn::Done(_)
    ));
    assert_eq!(
        code(sign_in(&h, &admin, "fay", CHOSEN).await),
        "NotAuthorizedException"
    );
    assert_eq!(
        code(confirm_forgot(&h, &app.id, "fay", &code1, CHOSEN).await),
        "CodeMismatchException",
        "a code is used once"
    );

    // The fifth wrong code kills the code: even the right one is refused after it.
    forgot().await.unwrap();
    let code2 = last_code(&h, &id, "fay");
    let wrong = if code2 == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..4 {
        assert_eq!(
            code(confirm_forgot(&h, &app.id, "fay", wrong, CHOSEN).await),
            "CodeMismatchException"
        );
    }
    assert_eq!(
        code(confirm_forgot(&h, &app.id, "fay", wrong, CHOSEN).await),
        "LimitExceededException"
    );
    assert_eq!(
        code(confirm_forgot(&h, &app.id, "fay", &code2, CHOSEN).await),
        "LimitExceededException"
    );

    // A code lasts an hour.
    forgot().await.unwrap();
    let code3 = last_code(&h, &id, "fay");
    assert!(h.advance(Duration::from_secs(3_601)));
    assert_eq!(
        code(confirm_forgot(&h, &app.id, "fay", &code3, CHOSEN).await),
        "ExpiredCodeException"
    );

    // Nowhere to send a code.
    invited(&h, &id, "nev", &[("email", "nev@example.com")]).await;
    first_sign_in(&h, &admin, "nev").await;
    let err = h
        .sdk()
        .forgot_password()
        .client_id(&app.id)
        .username("nev")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(err), "InvalidParameterException");
}

/// AdminResetUserPassword sends the reset code; ConfirmForgotPassword finishes the reset.
async fn admin_reset_is_finished_with_the_code(h: Harness) {
    let id = email_pool(&h).await;
    let app = user_client(&h, &id).await;
    let admin = cognito_console::client::SignInClient::from_app(&app);
    invited(
        &h,
        &id,
        "ray",
        &[("email", "ray@example.com"), ("email_verified", "true")],
    )
    .await;
    assert_eq!(
        code(h.client.reset_user_password(&id, "ray").await),
        "NotAuthorizedException",
        "a user who never signed in has no password to reset"
    );
    first_sign_in(&h, &admin, "ray").await;
    h.client.reset_user_password(&id, "ray").await.unwrap();
    let reset_code = last_code(&h, &id, "ray");
    assert_eq!(
        code(sign_in(&h, &admin, "ray", CHOSEN).await),
        "PasswordResetRequiredException"
    );
    confirm_forgot(&h, &app.id, "ray", &reset_code, RESET)
        .await
        .unwrap();
    assert_eq!(status(&h, &id, "ray").await, Some(UserStatus::Confirmed));
    assert!(matches!(
        sign_in(&h, &admin, "ray", RESET).await.unwrap(),
        SignIn::Done(_)
    ));

    h.client.set_user_enabled(&id, "ray", false).await.unwrap();
    assert_eq!(
        code(h.client.reset_user_password(&id, "ray").await),
        "NotAuthorizedException"
    );
}

/// SignUp sends a code to the email the pool verifies; ConfirmSignUp with it confirms
/// the user and verifies the email.
async fn sign_up_is_confirmed_with_the_code(h: Harness) {
    let id = email_pool(&h).await;
    let app = user_client(&h, &id).await;
    let admin = cognito_console::client::SignInClient::from_app(&app);
    let out = h
        .sdk()
        .sign_up()
        .client_id(&app.id)
        .username("uma")
        .password(CHOSEN)
        .user_attributes(
            aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                .name("email")
                .value("uma@example.com")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert!(!out.user_confirmed());
    assert_eq!(
        out.code_delivery_details().and_then(|d| d.destination()),
        Some("u***@e***")
    );
    assert_eq!(
        code(sign_in(&h, &admin, "uma", CHOSEN).await),
        "UserNotConfirmedException"
    );
    assert_eq!(
        code(sign_in(&h, &admin, "uma", "Wr0ng!password").await),
        "NotAuthorizedException"
    );
    let confirm = |c: String| {
        let sdk = h.sdk().clone();
        let client_id = app.id.clone();
        async move {
            sdk.confirm_sign_up()
                .client_id(client_id)
                .username("uma")
                .confirmation_code(c)
                .send()
                .await
                .map(|_| ())
                .map_err(ClientError::from)
        }
    };
    let first = last_code(&h, &id, "uma");
    h.sdk()
        .resend_confirmation_code()
        .client_id(&app.id)
        .username("uma")
        .send()
        .await
        .unwrap();
    let second = last_code(&h, &id, "uma");
    if first != second {
        assert_eq!(
            code(confirm(first).await),
            "CodeMismatchException",
            "a resent code replaces the old"
        );
    }
    confirm(second.clone()).await.unwrap();
    let user = h.client.get_user(&id, "uma").await.unwrap();
    assert_eq!(user.status, Some(UserStatus::Confirmed));
    assert_eq!(user.attribute("email_verified"), Some("true"));
    assert!(matches!(
        sign_in(&h, &admin, "uma", CHOSEN).await.unwrap(),
        SignIn::Done(_)
    ));
    assert_eq!(code(confirm(second).await), "NotAuthorizedException");
    let again = h
        .sdk()
        .resend_confirmation_code()
        .client_id(&app.id)
        .username("uma")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(again), "InvalidParameterException");
    assert_eq!(
        code(h.client.confirm_sign_up(&id, "uma").await),
        "NotAuthorizedException"
    );
}

/// Self sign-up: refused where only administrators create users; a user cannot vouch
/// for their own email; the pool's required attributes and policy apply.
async fn sign_up_follows_the_pool(h: Harness) {
    let closed = h
        .pool_with(|b| {
            b.admin_create_user_config(
                AdminCreateUserConfigType::builder()
                    .allow_admin_create_user_only(true)
                    .build(),
            )
        })
        .await;
    let app = user_client(&h, &closed).await;
    assert_eq!(
        code(sign_up(&h, &app.id, "x", &[]).await),
        "NotAuthorizedException"
    );

    let id = h
        .pool_with(|b| {
            b.schema(
                SchemaAttributeType::builder()
                    .name("email")
                    .attribute_data_type(AttributeDataType::String)
                    .required(true)
                    .mutable(true)
                    .build(),
            )
        })
        .await;
    let app = user_client(&h, &id).await;
    assert_eq!(
        code(sign_up(&h, &app.id, "y", &[]).await),
        "InvalidParameterException"
    );
    assert_eq!(
        code(
            sign_up(
                &h,
                &app.id,
                "y",
                &[("email", "y@example.com"), ("email_verified", "true")]
            )
            .await
        ),
        "NotAuthorizedException"
    );
    let weak = h
        .sdk()
        .sign_up()
        .client_id(&app.id)
        .username("y")
        .password("weak")
        .user_attributes(
            aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                .name("email")
                .value("y@example.com")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(weak), "InvalidPasswordException");
    sign_up(&h, &app.id, "y", &[("email", "y@example.com")])
        .await
        .unwrap();
    // This pool verifies nothing automatically: no code, and none can be resent.
    let resend = h
        .sdk()
        .resend_confirmation_code()
        .client_id(&app.id)
        .username("y")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(resend), "InvalidParameterException");
}

/// The rules of attribute edits: immutable and undeclared attributes refused, an empty
/// value removes, a changed email is unverified unless the flag comes with it, required
/// attributes stay, aliases stay unique.
async fn attribute_edit_rules(h: Harness) {
    let id = h
        .pool_with(|b| {
            b.alias_attributes(AliasAttributeType::Email)
                .schema(
                    SchemaAttributeType::builder()
                        .name("badge")
                        .attribute_data_type(AttributeDataType::String)
                        .mutable(false)
                        .build(),
                )
                .schema(
                    SchemaAttributeType::builder()
                        .name("name")
                        .attribute_data_type(AttributeDataType::String)
                        .required(true)
                        .mutable(true)
                        .build(),
                )
        })
        .await;
    invited(
        &h,
        &id,
        "ann",
        &[
            ("name", "Ann"),
            ("email", "ann@example.com"),
            ("email_verified", "true"),
            ("custom:badge", "7"),
        ],
    )
    .await;
    invited(
        &h,
        &id,
        "bob",
        &[
            ("name", "Bob"),
            ("email", "bob@example.com"),
            ("email_verified", "true"),
        ],
    )
    .await;
    let update = |pairs: &[(&str, &str)]| {
        let client = h.client.clone();
        let id = id.clone();
        let given = attrs(pairs);
        async move { client.update_user_attributes(&id, "ann", &given).await }
    };
    for (pairs, expected) in [
        (&[("custom:badge", "8")][..], "InvalidParameterException"),
        (&[("custom:nope", "1")][..], "InvalidParameterException"),
        (&[("sub", "x")][..], "InvalidParameterException"),
        (&[("name", "")][..], "InvalidParameterException"),
        (
            &[("email", "not-an-email")][..],
            "InvalidParameterException",
        ),
        (
            &[("email", "bob@example.com"), ("email_verified", "true")][..],
            "AliasExistsException",
        ),
    ] {
        assert_eq!(code(update(pairs).await), expected, "{pairs:?}");
    }
    let ann = |h: &Harness| {
        let client = h.client.clone();
        let id = id.clone();
        async move { client.get_user(&id, "ann").await.unwrap() }
    };
    update(&[("email", "ann2@example.com")]).await.unwrap();
    let user = ann(&h).await;
    assert_eq!(user.attribute("email"), Some("ann2@example.com"));
    assert_eq!(
        user.attribute("email_verified"),
        Some("false"),
        "a changed email is unverified"
    );
    update(&[("email", "ann3@example.com"), ("email_verified", "true")])
        .await
        .unwrap();
    assert_eq!(ann(&h).await.attribute("email_verified"), Some("true"));
    // The verified email names the user in admin calls, as an alias does.
    assert_eq!(
        h.client
            .get_user(&id, "ann3@example.com")
            .await
            .unwrap()
            .username,
        "ann"
    );
    update(&[("locale", "fr"), ("given_name", "")])
        .await
        .unwrap();
    update(&[("locale", "")]).await.unwrap();
    assert_eq!(
        ann(&h).await.attribute("locale"),
        None,
        "an empty value removes"
    );
    assert_eq!(
        code(
            h.client
                .delete_user_attributes(&id, "ann", &["name".into()])
                .await
        ),
        "InvalidParameterException"
    );
    h.client
        .delete_user_attributes(&id, "ann", &["email".into()])
        .await
        .unwrap();
    let user = ann(&h).await;
    assert_eq!(
        (user.attribute("email"), user.attribute("email_verified")),
        (None, None)
    );
}

/// Access tokens are checked where an operation takes one: a forged, an ID, an expired
/// or a revoked token is refused; RevokeToken takes refresh tokens only.
async fn access_tokens_are_checked(h: Harness) {
    let id = h.pool().await;
    let app = admin_client(&h, &id, false).await;
    invited(&h, &id, "val", &[]).await;
    let tokens = first_sign_in(&h, &app, "val").await;
    let access = tokens.access_token.expose().to_string();
    let (head, rest) = access.split_once('.').unwrap();
    let forged = format!("{head}.e30{}", &rest[rest.find('.').unwrap()..]);
    for token in [forged.as_str(), tokens.id_token.expose()] {
        assert_eq!(code(get_user(&h, token).await), "NotAuthorizedException");
    }
    let refresh = tokens.refresh_token.unwrap().expose().to_string();
    let revoke = |token: String| {
        let sdk = h.sdk().clone();
        let client_id = app.client_id.clone();
        async move {
            sdk.revoke_token()
                .client_id(client_id)
                .token(token)
                .send()
                .await
                .map(|_| ())
                .map_err(ClientError::from)
        }
    };
    assert_eq!(
        code(revoke(access.clone()).await),
        "UnsupportedTokenTypeException"
    );
    revoke("unknown".into()).await.unwrap();
    get_user(&h, &access).await.unwrap();
    revoke(refresh).await.unwrap();
    let err = get_user(&h, &access).await.unwrap_err();
    assert!(err.message.contains("revoked"), "{err}");

    let SignIn::Done(again) = sign_in(&h, &app, "val", CHOSEN).await.unwrap() else {
        panic!("a CONFIRMED user signs in at once");
    };
    let access = again.access_token.expose().to_string();
    get_user(&h, &access).await.unwrap();
    h.client.sign_out_everywhere(&id, "val").await.unwrap();
    assert!(
        get_user(&h, &access)
            .await
            .unwrap_err()
            .message
            .contains("revoked")
    );

    let SignIn::Done(third) = sign_in(&h, &app, "val", CHOSEN).await.unwrap() else {
        panic!("signs in again");
    };
    assert!(h.advance(Duration::from_secs(3_601)));
    let err = get_user(&h, third.access_token.expose()).await.unwrap_err();
    assert!(err.message.contains("expired"), "{err}");
}

contract!(
    everywhere: [
        admin_edits_attributes,
        admin_confirms_a_sign_up,
        admin_reset_requires_a_new_password,
        access_token_operations,
    ],
    not_on_moto: [
        forgot_password_with_the_code =>
            "moto sends no code: ConfirmForgotPassword takes any code and leaves the status alone",
        admin_reset_is_finished_with_the_code =>
            "moto sends no reset code",
        sign_up_is_confirmed_with_the_code =>
            "moto sends no confirmation code and takes any",
        sign_up_follows_the_pool =>
            "moto lets users sign up in admin-only pools and vouch for their own email",
        attribute_edit_rules =>
            "moto checks no attribute rule: immutable, undeclared and required attributes all change",
        access_tokens_are_checked =>
            "moto keeps access tokens in a table, with no expiry and no RevokeToken",
    ],
);
