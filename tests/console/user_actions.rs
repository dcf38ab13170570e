//! Acting on a user from the Users list and from their details: set a password
//! (temporary or permanent, locally and on moto through --endpoint-url), sign out
//! everywhere, disable and delete from the details. Keys into the real app, its calls
//! run to quiescence, no sleeps.

use crate::common;

use common::select;

use cognito_console::client::{SignIn, SignInClient, Target};
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::confirm::Confirm;
use cognito_console::console::popups::user_detail::UserDetail;
use cognito_console::console::user_actions::set_password::SetPassword;
use cognito_console::pool::{MessageAction, NewUser, Secret, UserStatus};

fn set_password_form(
    h: &Headless,
) -> &cognito_console::console::user_actions::set_password::SetPassword {
    match h.app.top::<SetPassword>() {
        Some(p) => p,
        other => panic!("the Set password form is not open: {other:?}"),
    }
}

/// P on a user: a weak password is refused beside its field before any call; a good
/// one, permanent, confirms the user, who then signs in with it.
async fn set_a_permanent_password(mut h: Headless, username: &str) {
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    select(&mut h, username).await;
    h.press("P").await;
    h.type_text("weak").await;
    let screen = h.screen(80, 24);
    assert!(screen.contains("Policy"), "{screen}");
    assert!(!screen.contains("weak"), "masked: {screen}");
    h.press("ctrl-s").await;
    assert_eq!(h.pending(), 0, "nothing was sent");
    let form = set_password_form(&h);
    assert!(form.form.field("password").unwrap().error.is_some());
    assert!(form.form.field("repeat").unwrap().error.is_some());

    h.press("ctrl-u").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("tab").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("tab space").await; // permanent
    h.press("ctrl-s").await;
    assert!(h.app.popup().is_none(), "{:?}", h.app.popup());
    let status = h.app.status.clone().unwrap();
    assert!(status.text.contains("now CONFIRMED"), "{}", status.text);
    let user = client.get_user(&pool, username).await.unwrap();
    assert_eq!(user.status, Some(UserStatus::Confirmed));
    assert_eq!(
        h.app.users.selected_user().unwrap().status,
        Some(UserStatus::Confirmed),
        "the table shows it"
    );

    // The user signs in with it, through an app client that allows an admin sign-in.
    let app = client
        .create_app_client(
            &pool,
            "admin",
            Some(vec!["ALLOW_ADMIN_USER_PASSWORD_AUTH".into()]),
            false,
        )
        .await
        .unwrap();
    let signed_in = client
        .admin_sign_in(
            &SignInClient::from_app(&app),
            username,
            &Secret::new("Chosen-Passw0rd"),
        )
        .await
        .unwrap();
    assert!(matches!(signed_in, SignIn::Done(_)), "{signed_in:?}");
}

#[tokio::test]
async fn set_a_permanent_password_locally() {
    let dir = tempfile::tempdir().unwrap();
    let h = common::demo_console(dir.path(), false).await;
    set_a_permanent_password(h, "amara.mensah").await;
}

#[tokio::test]
async fn set_a_permanent_password_on_moto() {
    let (setup, pool) = common::moto_pool("actions").await;
    let user = NewUser {
        username: "moto.user".into(),
        message_action: Some(MessageAction::Suppress),
        ..NewUser::default()
    };
    setup.create_user(&pool, &user).await.unwrap();
    let h = common::moto_console(&pool).await;
    set_a_permanent_password(h, "moto.user").await;
}

/// A temporary password puts a CONFIRMED user back to FORCE_CHANGE_PASSWORD; a refused
/// call keeps the form as typed.
#[tokio::test]
async fn a_temporary_password_and_a_refused_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    select(&mut h, "aiko.tanaka").await; // CONFIRMED
    h.press("P").await;
    h.type_text("Temp-Passw0rd").await;
    h.press("tab").await;
    h.type_text("Temp-Passw0rd").await;
    // The user goes away before the call: Cognito's answer shows, the form stays.
    client.delete_user(&pool, "aiko.tanaka").await.unwrap();
    h.press("ctrl-s").await;
    let form = set_password_form(&h);
    assert_eq!(
        form.form.value("password"),
        "Temp-Passw0rd",
        "kept as typed"
    );
    let screen = h.screen(100, 30);
    assert!(screen.contains("UserNotFoundException"), "{screen}");
    h.press("esc").await;

    select(&mut h, "ana.nakamura").await; // CONFIRMED
    h.press("P").await;
    h.type_text("Temp-Passw0rd").await;
    h.press("tab").await;
    h.type_text("Temp-Passw0rd").await;
    h.press("ctrl-s").await;
    assert!(h.app.popup().is_none());
    let user = client.get_user(&pool, "ana.nakamura").await.unwrap();
    assert_eq!(user.status, Some(UserStatus::ForceChangePassword));
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("must choose a new one")
    );
}

/// S on a user asks first, then signs them out everywhere: their refresh token no
/// longer renews their session.
#[tokio::test]
async fn sign_out_everywhere_asks_then_revokes() {
    use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    client
        .set_user_password(&pool, "ana.nakamura", &Secret::new("Chosen-Passw0rd"), true)
        .await
        .unwrap();
    let app = client
        .create_app_client(
            &pool,
            "admin",
            Some(vec![
                "ALLOW_ADMIN_USER_PASSWORD_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]),
            false,
        )
        .await
        .unwrap();
    let SignIn::Done(tokens) = client
        .admin_sign_in(
            &SignInClient::from_app(&app),
            "ana.nakamura",
            &Secret::new("Chosen-Passw0rd"),
        )
        .await
        .unwrap()
    else {
        panic!("signed in")
    };
    let refresh = tokens.refresh_token.unwrap().expose().to_string();
    let renew = || {
        client
            .sdk()
            .initiate_auth()
            .client_id(&app.id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", &refresh)
            .send()
    };
    renew().await.unwrap();

    select(&mut h, "ana.nakamura").await;
    h.press("S").await;
    let Some(c) = h.app.top::<Confirm>() else {
        panic!("no question: {:?}", h.app.popup())
    };
    assert!(
        c.title.contains("Sign ana.nakamura out everywhere"),
        "{}",
        c.title
    );
    h.press("esc").await;
    renew().await.expect("esc signs nobody out");
    h.press("S enter").await;
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("signed out everywhere")
    );
    assert!(renew().await.is_err(), "the refresh token is revoked");
}

/// The user's details are a place to act: the same keys as on the list, the details
/// read again after a change, closed when the user is deleted. Read-only shows none.
#[tokio::test]
async fn the_details_act_on_the_user_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    select(&mut h, "amara.mensah").await;
    h.press("enter").await;
    let bar = h.screen(120, 40).lines().last().unwrap().to_string();
    for shown in ["set password", "enable / disable", "resend invitation"] {
        assert!(bar.contains(shown), "{shown}: {bar}");
    }
    h.press("d").await;
    let Some(c) = h.app.top::<Confirm>() else {
        panic!("no question: {:?}", h.app.popup())
    };
    assert!(c.title.contains("Disable amara.mensah"), "{}", c.title);
    h.press("enter").await;
    let Some(d) = h.app.top::<UserDetail>() else {
        panic!("back to the details: {:?}", h.app.popup())
    };
    assert!(!d.user.enabled, "the details were read again");
    assert!(h.screen(100, 30).contains("Disabled"));

    h.press("D").await;
    h.type_text("amara.mensah").await;
    h.press("enter").await;
    assert!(h.app.popup().is_none(), "{:?}", h.app.popup());
    assert!(h.app.status.as_ref().unwrap().text.contains("deleted"));

    // Read-only: the details offer no change, and a change key says why.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut opts = common::console_options(Target::Local { db: db.clone() }, None, false);
    opts.read_only = true;
    let mut h = common::local_console(&db, opts).await;
    select(&mut h, "amara.mensah").await;
    h.press("enter").await;
    let bar = h.screen(120, 40).lines().last().unwrap().to_string();
    assert!(
        !bar.contains("set password") && !bar.contains("disable"),
        "{bar}"
    );
    h.press("d").await;
    assert!(h.app.top::<UserDetail>().is_some());
    assert!(h.app.status.as_ref().unwrap().text.contains("read-only"));
}
