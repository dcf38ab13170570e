//! Fixing a user from the console: edit their attributes (a form of the pool's schema,
//! checked before the call, removals asked about first), reset their password, confirm
//! a sign-up; locally and on moto through --endpoint-url. Keys into the real app, its
//! calls run to quiescence, no sleeps.

use crate::common;

use common::{select, status_text};

use cognito_console::client::Target;
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::confirm::Confirm;
use cognito_console::console::user_actions::edit_attributes::EditAttributes;
use cognito_console::local::{Store, mail::outbox};
use cognito_console::pool::{Attribute, MessageAction, NewUser, UserStatus};

fn edit_form(
    h: &Headless,
) -> &cognito_console::console::user_actions::edit_attributes::EditAttributes {
    match h.app.top::<EditAttributes>() {
        Some(e) => e,
        other => panic!("the attribute form is not open: {other:?}"),
    }
}

/// Presses tab until `field` has the focus.
async fn focus(h: &mut Headless, field: &str) {
    for _ in 0..40 {
        if edit_form(h).form.focused_id() == field {
            return;
        }
        h.press("tab").await;
    }
    panic!("no field {field}");
}

/// e on a user: a bad email is refused beside its field before any call; a changed
/// name is saved; a cleared value is removed only after the admin saves a second time.
async fn edit_attributes(mut h: Headless, username: &str) {
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    select(&mut h, username).await;
    h.press("e").await;
    let screen = h.screen(80, 24);
    assert!(
        screen.contains(&format!("Attributes of {username}")),
        "{screen}"
    );
    // Nothing typed: esc closes. Something typed: esc asks first, and esc again keeps it.
    h.press("esc").await;
    assert!(h.app.popup().is_none(), "{:?}", h.app.popup());
    h.press("e").await;
    focus(&mut h, "family_name").await;
    h.type_text("x").await;
    h.press("esc").await;
    let asked = h.app.top::<Confirm>().expect("asked first");
    assert_eq!(asked.title, "Discard these changes?");
    h.press("esc").await;
    assert!(edit_form(&h).form.value("family_name").ends_with('x'));
    h.press("backspace").await;

    focus(&mut h, "email").await;
    h.press("ctrl-u").await;
    h.type_text("not-an-email").await;
    h.press("ctrl-s").await;
    assert_eq!(h.pending(), 0, "nothing was sent");
    assert!(edit_form(&h).form.field("email").unwrap().error.is_some());
    h.press("ctrl-u").await;
    h.type_text("new.address@example.com").await;

    focus(&mut h, "given_name").await;
    h.press("ctrl-u").await; // cleared: removed
    focus(&mut h, "family_name").await;
    h.press("ctrl-u").await;
    h.type_text("Renamed").await;
    h.press("ctrl-s").await;
    assert_eq!(h.pending(), 0, "a removal is asked about first");
    let screen = h.screen(120, 40);
    assert!(screen.contains("Removes given_name for good"), "{screen}");
    h.press("ctrl-s").await;
    assert!(h.app.popup().is_none(), "{:?}", h.app.popup());
    assert!(
        status_text(&h).contains("removed given_name"),
        "{}",
        status_text(&h)
    );

    let user = client.get_user(&pool, username).await.unwrap();
    assert_eq!(user.attribute("family_name"), Some("Renamed"));
    assert_eq!(user.attribute("given_name"), None);
    assert_eq!(user.attribute("email"), Some("new.address@example.com"));
}

#[tokio::test]
async fn edit_attributes_locally() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    // ana.nakamura's email is verified; a new address with the box left ticked stays
    // verified (the flag goes in the same call), and a birthdate must be a real day.
    edit_attributes_then_flag(&mut h).await;
    let user = client.get_user(&pool, "ana.nakamura").await.unwrap();
    assert_eq!(user.attribute("email_verified"), Some("true"));
    assert_eq!(user.attribute("birthdate"), Some("1990-12-25"));
    edit_attributes(h, "amara.mensah").await;
}

/// The verified box and the department, whose length the pool's schema limits.
async fn edit_attributes_then_flag(h: &mut Headless) {
    select(h, "ana.nakamura").await;
    h.press("e").await;
    focus(h, "custom:department").await;
    h.type_text(&"x".repeat(70)).await;
    h.press("ctrl-s").await;
    assert_eq!(h.pending(), 0);
    let error = edit_form(h)
        .form
        .field("custom:department")
        .unwrap()
        .error
        .clone();
    assert!(error.unwrap().contains("at most 64"));
    h.press("ctrl-u").await;
    h.type_text("research").await;
    focus(h, "email").await;
    h.press("ctrl-u").await;
    h.type_text("ana@example.org").await;
    focus(h, "birthdate").await;
    h.type_text("1990-13-45").await;
    h.press("ctrl-s").await;
    assert_eq!(h.pending(), 0, "refused before the call");
    let error = edit_form(h).form.field("birthdate").unwrap().error.clone();
    assert!(error.unwrap().contains("no month 13"));
    h.press("ctrl-u").await;
    h.type_text("1990-12-25").await;
    h.press("ctrl-s").await;
    assert!(h.app.popup().is_none(), "{:?}", h.app.popup());
}

#[tokio::test]
async fn edit_attributes_on_moto() {
    let (setup, pool) = common::moto_pool("fixes").await;
    let user = NewUser {
        username: "moto.user".into(),
        attributes: vec![
            Attribute::new("email", "moto.user@example.com"),
            Attribute::new("given_name", "Moto"),
            Attribute::new("family_name", "User"),
        ],
        message_action: Some(MessageAction::Suppress),
        ..NewUser::default()
    };
    setup.create_user(&pool, &user).await.unwrap();
    let h = common::moto_console(&pool).await;
    edit_attributes(h, "moto.user").await;
}

/// X asks, then resets: the user is RESET_REQUIRED and the code is in the outbox. A user
/// who never signed in is told why not, and C confirms an UNCONFIRMED sign-up.
#[tokio::test]
async fn reset_password_and_confirm_sign_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();

    select(&mut h, "ana.nakamura").await;
    h.press("X").await;
    let Some(c) = h.app.top::<Confirm>() else {
        panic!("no question: {:?}", h.app.popup())
    };
    assert!(
        c.title.contains("Reset ana.nakamura's password"),
        "{}",
        c.title
    );
    assert!(
        c.lines.join(" ").contains("ana.nakamura@example.com"),
        "{:?}",
        c.lines
    );
    h.press("esc").await;
    assert_eq!(
        client.get_user(&pool, "ana.nakamura").await.unwrap().status,
        Some(UserStatus::Confirmed),
        "esc resets nothing"
    );
    h.press("X enter").await;
    assert!(
        status_text(&h).contains("password reset"),
        "{}",
        status_text(&h)
    );
    assert_eq!(
        client.get_user(&pool, "ana.nakamura").await.unwrap().status,
        Some(UserStatus::ResetRequired)
    );
    let store = Store::open(&dir.path().join("store.db")).unwrap();
    let sent = outbox::list(&store, &pool, Some("ana.nakamura")).unwrap();
    assert!(
        sent[0]
            .body
            .as_deref()
            .unwrap_or("")
            .contains("verification code"),
        "{sent:?}"
    );

    // Confirming is for UNCONFIRMED users only; the key bar shows it only for them.
    select(&mut h, "amara.mensah").await;
    h.press("C").await;
    assert!(h.app.popup().is_none());
    assert!(
        status_text(&h).contains("UNCONFIRMED"),
        "{}",
        status_text(&h)
    );
    h.press("X").await;
    assert!(
        status_text(&h).contains("set a password (P) instead"),
        "{}",
        status_text(&h)
    );

    select(&mut h, "camila.yilmaz").await;
    let bar = h.screen(200, 30).lines().last().unwrap().to_string();
    assert!(bar.contains("confirm sign-up"), "{bar}");
    h.press("C enter").await;
    assert!(
        status_text(&h).contains("camila.yilmaz confirmed"),
        "{}",
        status_text(&h)
    );
    assert_eq!(
        client
            .get_user(&pool, "camila.yilmaz")
            .await
            .unwrap()
            .status,
        Some(UserStatus::Confirmed)
    );
}

/// Under --read-only the new actions are refused with the reason, and nothing opens.
#[tokio::test]
async fn read_only_refuses_every_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut opts = common::console_options(Target::Local { db: db.clone() }, None, false);
    opts.read_only = true;
    let mut h = common::local_console(&db, opts).await;
    select(&mut h, "ana.nakamura").await;
    for key in ["e", "X", "C"] {
        h.press(key).await;
        assert!(h.app.popup().is_none(), "{key}: {:?}", h.app.popup());
        assert!(
            status_text(&h).contains("read-only"),
            "{key}: {}",
            status_text(&h)
        );
    }
}
