//! The contract of MFA, through the console's client: the pool's MFA kept whole by
//! every edit, authenticator apps set up and asked for at sign-in, SMS codes, the
//! choice of a method, MFA set up inside a sign-in, and the administrator's reset. Run
//! on every target like `contract.rs`; moto runs with its TOTP checking on
//! (`MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP`, set by scripts/peers.sh), and where it
//! departs from the documentation the case is ours only and says how.

use crate::common;

use std::time::Duration;

use crate::contract;
use aws_sdk_cognitoidentityprovider::types::{
    EmailConfigurationType, EmailSendingAccountType, SmsConfigurationType,
    SoftwareTokenMfaSettingsType,
};
use cognito_console::client::{ClientError, SignIn, SignInClient};
use cognito_console::local::mail::outbox;
use cognito_console::local::sign_in::totp;
use cognito_console::pool::Secret;
use cognito_console::pool::mfa::{Enforcement, Factor, PoolMfa, UserMfa};
use common::kit::*;
use common::{Flavor, Harness};

const SMS_ROLE: &str = "arn:aws:iam::123456789012:role/sms";

/// A pool that may have every factor: a role to send SMS with, and SES email.
async fn mfa_pool(h: &Harness) -> String {
    h.pool_with(|b| {
        b.sms_configuration(
            SmsConfigurationType::builder()
                .sns_caller_arn(SMS_ROLE)
                .build(),
        )
        .email_configuration(
            EmailConfigurationType::builder()
                .email_sending_account(EmailSendingAccountType::Developer)
                .source_arn("arn:aws:ses:us-east-1:123456789012:identity/admin@example.com")
                .build(),
        )
    })
    .await
}

/// Sets the pool's MFA through the console's own edit.
async fn set_mfa(h: &Harness, id: &str, mfa: PoolMfa) {
    let after = h
        .client
        .update_pool(id, |c| c.mfa = Some(mfa.clone()))
        .await
        .unwrap();
    assert_eq!(after.config.mfa, Some(mfa));
}

fn tokens_only(enforcement: Enforcement) -> PoolMfa {
    PoolMfa {
        enforcement,
        software_token: true,
        ..PoolMfa::default()
    }
}

/// The authenticator's code now. moto takes a code in its own 30-second step only: near
/// the end of one, wait for the next (moto's clock is the machine's).
async fn code_now(h: &Harness, secret: &Secret) -> Secret {
    if h.is_moto() && h.now_secs() % 30 > 26 {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    let secret = Secret::new(secret.expose().to_uppercase());
    Secret::new(totp::code_at(&secret, h.now_secs()).expect("a base32 secret"))
}

/// A user with the password CHOSEN and an authenticator they verified (signed in with
/// their password to get the access token that sets it up): its secret.
async fn with_authenticator(h: &Harness, id: &str, app: &SignInClient, name: &str) -> Secret {
    invited(h, id, name, &[]).await;
    let tokens = first_sign_in(h, app, name).await;
    let access = tokens.access_token.expose().to_string();
    let out = h
        .sdk()
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    let secret = Secret::new(out.secret_code().expect("a secret"));
    let verified = h
        .sdk()
        .verify_software_token()
        .access_token(&access)
        .user_code(code_now(h, &secret).await.expose())
        .friendly_device_name("phone")
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().map(|s| s.as_str()), Some("SUCCESS"));
    h.sdk()
        .admin_set_user_mfa_preference()
        .user_pool_id(id)
        .username(name)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    // The code just taken is good once: the next sign-in uses the next step's.
    h.advance(Duration::from_secs(30));
    secret
}

async fn pool_mfa_is_kept_by_every_edit(h: Harness) {
    let id = mfa_pool(&h).await;
    let fresh = h.client.describe_pool(&id).await.unwrap();
    assert_eq!(
        fresh.config.mfa.map(|m| m.enforcement),
        Some(Enforcement::Off)
    );
    set_mfa(&h, &id, tokens_only(Enforcement::Optional)).await;
    let after = h
        .client
        .update_pool(&id, |c| c.password_policy.minimum_length = 12)
        .await
        .unwrap();
    assert_eq!(after.config.password_policy.minimum_length, 12);
    assert_eq!(
        after.config.mfa,
        Some(tokens_only(Enforcement::Optional)),
        "editing the policies kept the MFA"
    );
    let sms = PoolMfa {
        sms: true,
        sms_message: Some("Your code: {####}".into()),
        ..tokens_only(Enforcement::Optional)
    };
    set_mfa(&h, &id, sms.clone()).await;
    let after = h
        .client
        .update_pool(&id, |c| {
            c.admin_create_user.allow_admin_create_user_only = true
        })
        .await
        .unwrap();
    assert_eq!(
        after.config.mfa,
        Some(sms),
        "both factors and the message kept"
    );
}

async fn authenticator_at_sign_in(h: Harness) {
    let id = mfa_pool(&h).await;
    set_mfa(&h, &id, tokens_only(Enforcement::Optional)).await;
    let app = admin_client(&h, &id, false).await;
    let secret = with_authenticator(&h, &id, &app, "tina").await;
    let user = h.client.get_user(&id, "tina").await.unwrap();
    assert_eq!(
        user.mfa,
        Some(UserMfa {
            enabled: vec![Factor::SoftwareToken],
            preferred: Some(Factor::SoftwareToken),
        })
    );
    let SignIn::Mfa {
        factor, session, ..
    } = sign_in(&h, &app, "tina", CHOSEN).await.unwrap()
    else {
        panic!("an authenticator's code must be asked for");
    };
    assert_eq!(factor, Factor::SoftwareToken);
    let wrong = h
        .client
        .admin_answer_mfa(&app, "tina", &session, factor, &Secret::new("000000"))
        .await;
    if code_now(&h, &secret).await.expose() != "000000" {
        assert_eq!(code(wrong), "CodeMismatchException");
    }
    let SignIn::Mfa { session, .. } = sign_in(&h, &app, "tina", CHOSEN).await.unwrap() else {
        panic!("asked again");
    };
    let done = h
        .client
        .admin_answer_mfa(&app, "tina", &session, factor, &code_now(&h, &secret).await)
        .await
        .unwrap();
    assert!(matches!(done, SignIn::Done(_)), "{done:?}");
}

/// The same code twice is refused; moto takes it again.
async fn an_authenticator_code_is_good_once(h: Harness) {
    let id = mfa_pool(&h).await;
    set_mfa(&h, &id, tokens_only(Enforcement::Optional)).await;
    let app = admin_client(&h, &id, false).await;
    let secret = with_authenticator(&h, &id, &app, "tina").await;
    let code = code_now(&h, &secret).await;
    let answer = async || {
        let SignIn::Mfa { session, .. } = sign_in(&h, &app, "tina", CHOSEN).await.unwrap() else {
            panic!("a code must be asked for");
        };
        h.client
            .admin_answer_mfa(&app, "tina", &session, Factor::SoftwareToken, &code)
            .await
    };
    assert!(matches!(answer().await.unwrap(), SignIn::Done(_)));
    let again: Result<SignIn, ClientError> = answer().await;
    assert_eq!(crate::common::kit::code(again), "ExpiredCodeException");
}

async fn mfa_set_up_inside_a_sign_in(h: Harness) {
    let id = mfa_pool(&h).await;
    set_mfa(&h, &id, tokens_only(Enforcement::Required)).await;
    let app = admin_client(&h, &id, false).await;
    invited(&h, &id, "sam", &[]).await;
    let SignIn::NewPasswordRequired { session, .. } =
        sign_in(&h, &app, "sam", TEMPORARY).await.unwrap()
    else {
        panic!("a first sign-in asks for a new password");
    };
    let setup = h
        .client
        .admin_set_new_password(&app, "sam", &session, &Secret::new(CHOSEN), &[])
        .await
        .unwrap();
    let SignIn::MfaSetup { session, factors } = setup else {
        panic!("MFA is required: it must be set up, got {setup:?}");
    };
    assert_eq!(factors, [Factor::SoftwareToken]);
    let (secret, session) = h.client.associate_software_token(&session).await.unwrap();
    assert_eq!(secret.expose().len(), 32);
    let session = h
        .client
        .verify_software_token(&session, &code_now(&h, &secret).await, "sam's phone")
        .await
        .unwrap();
    let done = h
        .client
        .admin_finish_mfa_setup(&app, "sam", &session)
        .await
        .unwrap();
    assert!(matches!(done, SignIn::Done(_)), "{done:?}");
    let user = h.client.get_user(&id, "sam").await.unwrap();
    assert_eq!(
        user.mfa.map(|m| m.enabled),
        Some(vec![Factor::SoftwareToken])
    );
}

/// The administrator's reset of a lost authenticator: on a pool that requires MFA the
/// user sets it up again. moto has no AdminDeleteSoftwareToken.
async fn the_admin_resets_a_lost_authenticator(h: Harness) {
    let id = mfa_pool(&h).await;
    set_mfa(&h, &id, tokens_only(Enforcement::Optional)).await;
    let app = admin_client(&h, &id, false).await;
    with_authenticator(&h, &id, &app, "tina").await;
    set_mfa(&h, &id, tokens_only(Enforcement::Required)).await;
    let had = h.client.get_user(&id, "tina").await.unwrap().mfa.unwrap();
    h.client.reset_mfa(&id, "tina", &had).await.unwrap();
    let user = h.client.get_user(&id, "tina").await.unwrap();
    assert_eq!(user.mfa, Some(UserMfa::default()));
    let next = sign_in(&h, &app, "tina", CHOSEN).await.unwrap();
    assert!(matches!(next, SignIn::MfaSetup { .. }), "{next:?}");
}

/// An SMS code, read from the store's outbox. moto sends no code and takes any.
async fn sms_code_at_sign_in(h: Harness) {
    let id = mfa_pool(&h).await;
    let sms = PoolMfa {
        enforcement: Enforcement::Required,
        sms: true,
        ..PoolMfa::default()
    };
    set_mfa(&h, &id, sms).await;
    let app = admin_client(&h, &id, false).await;
    invited(&h, &id, "pia", &[("phone_number", "+15555550199")]).await;
    let SignIn::NewPasswordRequired { session, .. } =
        sign_in(&h, &app, "pia", TEMPORARY).await.unwrap()
    else {
        panic!("a new password first");
    };
    let asked = h
        .client
        .admin_set_new_password(&app, "pia", &session, &Secret::new(CHOSEN), &[])
        .await
        .unwrap();
    let SignIn::Mfa {
        factor,
        session,
        destination,
        ..
    } = asked
    else {
        panic!("a phone number on a pool that requires SMS MFA: a code, got {asked:?}");
    };
    assert_eq!(
        (factor, destination.as_deref()),
        (Factor::Sms, Some("+*******0199"))
    );
    let store = h.store().expect("a local store");
    let sent = outbox::list(&store, &id, Some("pia")).unwrap();
    let code: String = sent[0]
        .body
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let done = h
        .client
        .admin_answer_mfa(&app, "pia", &session, factor, &Secret::new(code))
        .await
        .unwrap();
    assert!(matches!(done, SignIn::Done(_)), "{done:?}");
}

/// Two methods on and none preferred: the user chooses. moto never asks.
async fn the_user_chooses_between_methods(h: Harness) {
    let id = mfa_pool(&h).await;
    let both = PoolMfa {
        sms: true,
        ..tokens_only(Enforcement::Optional)
    };
    set_mfa(&h, &id, both).await;
    let app = admin_client(&h, &id, false).await;
    with_authenticator(&h, &id, &app, "tina").await;
    h.client
        .update_user_attributes(
            &id,
            "tina",
            &[cognito_console::pool::Attribute::new(
                "phone_number",
                "+15555550123",
            )],
        )
        .await
        .unwrap();
    h.sdk()
        .admin_set_user_mfa_preference()
        .user_pool_id(&id)
        .username("tina")
        .sms_mfa_settings(
            aws_sdk_cognitoidentityprovider::types::SmsMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(false)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let asked = sign_in(&h, &app, "tina", CHOSEN).await.unwrap();
    let SignIn::SelectMfa { session, factors } = asked else {
        panic!("two methods, none preferred: a choice, got {asked:?}");
    };
    assert_eq!(factors, [Factor::Sms, Factor::SoftwareToken]);
    let next = h
        .client
        .admin_select_mfa(&app, "tina", &session, Factor::SoftwareToken)
        .await
        .unwrap();
    assert!(
        matches!(
            next,
            SignIn::Mfa {
                factor: Factor::SoftwareToken,
                ..
            }
        ),
        "{next:?}"
    );
}

contract!(
    everywhere: [
        pool_mfa_is_kept_by_every_edit,
        authenticator_at_sign_in,
    ],
    not_on_moto: [
        an_authenticator_code_is_good_once =>
            "moto takes the same software token code again",
        mfa_set_up_inside_a_sign_in =>
            "moto never asks for MFA_SETUP after ADMIN_USER_PASSWORD_AUTH, and its secret is the same 12 characters for everyone",
        the_admin_resets_a_lost_authenticator =>
            "moto has no AdminDeleteSoftwareToken",
        sms_code_at_sign_in =>
            "moto sends no SMS code and takes any",
        the_user_chooses_between_methods =>
            "moto has no SELECT_MFA_TYPE: it asks only for a preferred method",
    ],
);
