//! The contract of what a user's own app calls with their tokens: ChangePassword,
//! UpdateUserAttributes and the verification of an address, DeleteUserAttributes,
//! DeleteUser, SetUserSettings (and AdminSetUserSettings), GetTokensFromRefreshToken.
//! Run on every target like `contract.rs`; where moto departs, the case is ours only and
//! says how.

use crate::common;

use crate::contract;
use aws_sdk_cognitoidentityprovider::types::{
    AttributeType, DeliveryMediumType, MfaOptionType, VerifiedAttributeType,
};
use cognito_console::client::{ClientError, SignIn};
use cognito_console::local::mail::outbox;
use common::kit::*;
use common::{Flavor, Harness};

/// A CONFIRMED user `name` with the password CHOSEN, signed in: their access and
/// refresh tokens, and the client.
async fn signed_in(
    h: &Harness,
    id: &str,
    name: &str,
    pairs: &[(&str, &str)],
) -> (String, String, String) {
    let app = admin_client(h, id, false).await;
    invited(h, id, name, pairs).await;
    let tokens = first_sign_in(h, &app, name).await;
    (
        tokens.access_token.expose().to_string(),
        tokens
            .refresh_token
            .expect("a refresh token")
            .expose()
            .to_string(),
        app.client_id.clone(),
    )
}

async fn change(
    h: &Harness,
    access: &str,
    previous: &str,
    proposed: &str,
) -> Result<(), ClientError> {
    h.sdk()
        .change_password()
        .access_token(access)
        .previous_password(previous)
        .proposed_password(proposed)
        .send()
        .await
        .map(|_| ())
        .map_err(ClientError::from)
}

fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// ChangePassword: the previous password must be right; then the new one signs in and
/// the old one does not.
async fn a_user_changes_their_password(h: Harness) {
    let id = h.pool().await;
    let (access, _, _) = signed_in(&h, &id, "cleo", &[]).await;
    let app = admin_client(&h, &id, false).await;
    assert_eq!(
        code(change(&h, &access, "Wr0ng!Password", "N3w!Passw0rd").await),
        "NotAuthorizedException"
    );
    change(&h, &access, CHOSEN, "N3w!Passw0rd").await.unwrap();
    assert!(matches!(
        sign_in(&h, &app, "cleo", "N3w!Passw0rd").await,
        Ok(SignIn::Done(_))
    ));
    assert_eq!(
        code(sign_in(&h, &app, "cleo", CHOSEN).await),
        "NotAuthorizedException"
    );
}

// ---------------------------------------------------------------- ours only

/// DeleteUser removes the user, and their tokens stop working.
async fn a_user_deletes_themselves(h: Harness) {
    let id = h.pool().await;
    let (access, _, _) = signed_in(&h, &id, "dora", &[]).await;
    h.sdk()
        .delete_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code(h.client.get_user(&id, "dora").await),
        "UserNotFoundException"
    );
    let again = h.sdk().get_user().access_token(&access).send().await;
    assert!(again.is_err(), "a deleted user's token is refused");
}

/// DeleteUserAttributes removes what the user names and nothing else.
async fn a_user_deletes_an_attribute(h: Harness) {
    let id = h.pool().await;
    let (access, _, _) = signed_in(
        &h,
        &id,
        "dana",
        &[("name", "Dana"), ("email", "d@example.com")],
    )
    .await;
    h.sdk()
        .delete_user_attributes()
        .access_token(&access)
        .user_attribute_names("name")
        .send()
        .await
        .unwrap();
    let user = h.client.get_user(&id, "dana").await.unwrap();
    assert_eq!(user.attribute("name"), None);
    assert_eq!(user.attribute("email"), Some("d@example.com"));
}

/// The policy holds for the new password, and wrong previous passwords count toward the
/// lockout as wrong passwords at sign-in do.
async fn a_changed_password_meets_the_policy_and_wrong_ones_lock_out(h: Harness) {
    let id = h.pool().await;
    let (access, _, _) = signed_in(&h, &id, "eli", &[]).await;
    assert_eq!(
        code(change(&h, &access, CHOSEN, "short").await),
        "InvalidPasswordException"
    );
    for _ in 0..5 {
        assert_eq!(
            code(change(&h, &access, "Wr0ng!Password", "N3w!Passw0rd").await),
            "NotAuthorizedException"
        );
    }
    let locked = change(&h, &access, CHOSEN, "N3w!Passw0rd")
        .await
        .unwrap_err();
    assert!(
        locked.message.contains("Password attempts exceeded"),
        "{locked}"
    );
}

/// UpdateUserAttributes: a changed email the pool verifies automatically is unverified
/// and sent a code (CodeDeliveryDetailsList); VerifyUserAttribute takes it.
async fn a_changed_email_is_verified_with_a_code(h: Harness) {
    let id = h
        .pool_with(|b| b.auto_verified_attributes(VerifiedAttributeType::Email))
        .await;
    let (access, _, _) = signed_in(
        &h,
        &id,
        "finn",
        &[("email", "f@example.com"), ("email_verified", "true")],
    )
    .await;
    let out = h
        .sdk()
        .update_user_attributes()
        .access_token(&access)
        .user_attributes(attribute("email", "finn@example.com"))
        .send()
        .await
        .unwrap();
    let details = out.code_delivery_details_list();
    assert_eq!(details.len(), 1);
    assert_eq!(details[0].attribute_name(), Some("email"));
    let user = h.client.get_user(&id, "finn").await.unwrap();
    assert_eq!(user.attribute("email_verified"), Some("false"));
    let store = h.store().expect("our store");
    let body = outbox::list(&store, &id, Some("finn")).unwrap()[0]
        .body
        .clone()
        .unwrap();
    let code_sent: String = body.chars().filter(char::is_ascii_digit).collect();
    h.sdk()
        .verify_user_attribute()
        .access_token(&access)
        .attribute_name("email")
        .code(code_sent)
        .send()
        .await
        .unwrap();
    let user = h.client.get_user(&id, "finn").await.unwrap();
    assert_eq!(user.attribute("email_verified"), Some("true"));
}

/// GetTokensFromRefreshToken: new tokens for a refresh token of this client; a client
/// with a secret must send it.
async fn tokens_come_from_a_refresh_token(h: Harness) {
    let id = h.pool().await;
    let (_, refresh, client_id) = signed_in(&h, &id, "gia", &[]).await;
    let out = h
        .sdk()
        .get_tokens_from_refresh_token()
        .client_id(&client_id)
        .refresh_token(&refresh)
        .send()
        .await
        .unwrap();
    let result = out.authentication_result().expect("tokens");
    assert!(result.access_token().is_some() && result.id_token().is_some());
    let wrong = h
        .sdk()
        .get_tokens_from_refresh_token()
        .client_id(&client_id)
        .refresh_token("not-a-refresh-token")
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(wrong), "NotAuthorizedException");

    let secret_app = admin_client(&h, &id, true).await;
    invited(&h, &id, "hal", &[]).await;
    let tokens = first_sign_in(&h, &secret_app, "hal").await;
    let refresh = tokens.refresh_token.unwrap().expose().to_string();
    let missing = h
        .sdk()
        .get_tokens_from_refresh_token()
        .client_id(&secret_app.client_id)
        .refresh_token(&refresh)
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(missing), "NotAuthorizedException");
    let secret = secret_app
        .secret
        .as_ref()
        .expect("a secret")
        .expose()
        .to_string();
    h.sdk()
        .get_tokens_from_refresh_token()
        .client_id(&secret_app.client_id)
        .client_secret(secret)
        .refresh_token(&refresh)
        .send()
        .await
        .unwrap();
}

/// SetUserSettings and AdminSetUserSettings turn SMS MFA on and off (MFAOptions), and
/// nothing else.
async fn mfa_options_set_sms_mfa_only(h: Harness) {
    let id = h
        .pool_with(|b| {
            b.mfa_configuration(aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::Optional)
                .sms_configuration(
                    aws_sdk_cognitoidentityprovider::types::SmsConfigurationType::builder()
                        .sns_caller_arn("arn:aws:iam::123456789012:role/sms")
                        .build(),
                )
        })
        .await;
    let (access, _, _) = signed_in(&h, &id, "ivy", &[("phone_number", "+15555550123")]).await;
    let sms = MfaOptionType::builder()
        .delivery_medium(DeliveryMediumType::Sms)
        .attribute_name("phone_number")
        .build();
    h.sdk()
        .set_user_settings()
        .access_token(&access)
        .mfa_options(sms)
        .send()
        .await
        .unwrap();
    let user = h
        .sdk()
        .admin_get_user()
        .user_pool_id(&id)
        .username("ivy")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_mfa_setting_list(), ["SMS_MFA"]);
    let email = MfaOptionType::builder()
        .delivery_medium(DeliveryMediumType::Email)
        .attribute_name("email")
        .build();
    let refused = h
        .sdk()
        .admin_set_user_settings()
        .user_pool_id(&id)
        .username("ivy")
        .mfa_options(email)
        .send()
        .await
        .map_err(ClientError::from);
    assert_eq!(code(refused), "InvalidParameterException");
    h.sdk()
        .admin_set_user_settings()
        .user_pool_id(&id)
        .username("ivy")
        .set_mfa_options(Some(Vec::new()))
        .send()
        .await
        .unwrap();
    let user = h
        .sdk()
        .admin_get_user()
        .user_pool_id(&id)
        .username("ivy")
        .send()
        .await
        .unwrap();
    assert!(user.user_mfa_setting_list().is_empty(), "{user:?}");
}

contract!(
    everywhere: [
        a_user_changes_their_password,
    ],
    not_on_moto: [
        a_user_deletes_themselves =>
            "moto does not implement DeleteUser (NotImplementedError, HTTP 500)",
        a_user_deletes_an_attribute =>
            "moto does not implement DeleteUserAttributes (HTTP 500)",
        a_changed_password_meets_the_policy_and_wrong_ones_lock_out =>
            "moto holds a changed password to no policy and counts no lockout",
        a_changed_email_is_verified_with_a_code =>
            "moto sends no code and verifies nothing",
        tokens_come_from_a_refresh_token =>
            "moto does not serve GetTokensFromRefreshToken",
        mfa_options_set_sms_mfa_only =>
            "moto keeps MFAOptions without turning SMS MFA on",
    ],
);
