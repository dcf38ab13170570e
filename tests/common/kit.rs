//! What the contract suites share: the `contract!` macro that runs each case on every
//! target, and the steps many cases take (make an app client, invite a user, sign in).
#![allow(dead_code)]

use cognito_console::client::{ClientError, SignIn, SignInClient};
use cognito_console::pool::{Attribute, MessageAction, NewUser, Secret};

use super::Harness;

pub fn attrs(pairs: &[(&str, &str)]) -> Vec<Attribute> {
    pairs.iter().map(|(n, v)| Attribute::new(*n, *v)).collect()
}

pub fn suppressed(username: &str, pairs: &[(&str, &str)]) -> NewUser {
    NewUser {
        username: username.into(),
        attributes: attrs(pairs),
        message_action: Some(MessageAction::Suppress),
        ..NewUser::default()
    }
}

pub fn code(result: Result<impl std::fmt::Debug, ClientError>) -> String {
    result
        .expect_err("the call should fail")
        .code
        .unwrap_or_else(|| "no code".into())
}

/// Generates each case once per target. Cases under `not_on_moto` check documented
/// behaviour that moto departs from; they are not generated for moto at all, so a green
/// `moto::` test always checked something. The reason beside each says how moto departs.
#[macro_export]
macro_rules! contract {
    (
        everywhere: [$($case:ident),* $(,)?],
        not_on_moto: [$($ours:ident => $why:literal),* $(,)?] $(,)?
    ) => {
        mod in_process {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() { super::$case(super::Harness::new(super::Flavor::InProcess).await).await }
            )*
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[doc = $why]
            async fn $ours() { super::$ours(super::Harness::new(super::Flavor::InProcess).await).await }
            )*
        }
        mod serve {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() { super::$case(super::Harness::new(super::Flavor::Serve).await).await }
            )*
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[doc = $why]
            async fn $ours() { super::$ours(super::Harness::new(super::Flavor::Serve).await).await }
            )*
        }
        mod moto {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() { super::$case(super::Harness::new(super::Flavor::Moto).await).await }
            )*
        }
    };
}

pub const TEMPORARY: &str = "Temp0rary!pw";
pub const CHOSEN: &str = "Ch0sen!Password";

/// An app client that lets an administrator sign users in with their password.
pub async fn admin_client(h: &Harness, id: &str, secret: bool) -> SignInClient {
    let app = h
        .client
        .create_app_client(
            id,
            "admin",
            Some(vec![
                "ALLOW_ADMIN_USER_PASSWORD_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]),
            secret,
        )
        .await
        .unwrap();
    SignInClient::from_app(&app)
}

pub async fn invited(h: &Harness, id: &str, username: &str, pairs: &[(&str, &str)]) {
    let user = NewUser {
        temporary_password: Some(Secret::new(TEMPORARY)),
        ..suppressed(username, pairs)
    };
    h.client.create_user(id, &user).await.unwrap();
}

pub async fn sign_in(
    h: &Harness,
    app: &SignInClient,
    username: &str,
    password: &str,
) -> Result<SignIn, ClientError> {
    h.client
        .admin_sign_in(app, username, &Secret::new(password))
        .await
}

/// Signs in with the temporary password and chooses CHOSEN: the user is then CONFIRMED.
pub async fn first_sign_in(
    h: &Harness,
    app: &SignInClient,
    username: &str,
) -> cognito_console::client::Tokens {
    let SignIn::NewPasswordRequired { session, .. } =
        sign_in(h, app, username, TEMPORARY).await.unwrap()
    else {
        panic!("a first sign-in must ask for a new password");
    };
    match h
        .client
        .admin_set_new_password(app, username, &session, &Secret::new(CHOSEN), &[])
        .await
        .unwrap()
    {
        SignIn::Done(tokens) => tokens,
        other => panic!("expected tokens, got {other:?}"),
    }
}

pub fn claim<'a>(claims: &'a [(String, String)], name: &str) -> Option<&'a str> {
    claims
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
