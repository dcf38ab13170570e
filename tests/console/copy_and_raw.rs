//! `y` copies the value under the cursor to the admin's terminal (OSC 52; the bytes are
//! checked in the real-terminal and SSH tests) and says what it copied; `J` shows a
//! user, group, pool or app client as the JSON Cognito returned, on the local store and
//! on moto, with an app client's secret masked until `ctrl-r`.

use crate::common;
use crate::snapshots::check;

use cognito_console::console::popups::raw_view::RawView;
use serde_json::Value;

fn status(h: &cognito_console::console::headless::Headless) -> String {
    h.app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn y_copies_what_is_under_the_cursor_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    h.press("3 y").await;
    assert_eq!(h.app.clipboard, ["aiko.tanaka"]);
    assert_eq!(
        status(&h),
        "asked your terminal to copy the username aiko.tanaka (OSC 52)"
    );
    h.press("enter y esc").await;
    assert_eq!(h.app.clipboard.last().unwrap(), "aiko.tanaka");
    h.press("4 y").await;
    assert_eq!(
        h.app.clipboard.last().unwrap(),
        "arn:aws:iam::123456789012:role/demo-admins"
    );
    assert!(
        status(&h).starts_with("asked your terminal to copy the IAM role ARN of admins"),
        "{}",
        status(&h)
    );
    h.press("6 y").await;
    let id = h.app.app_clients.clients[0].id.clone();
    assert_eq!(h.app.clipboard.last().unwrap(), &id);
    // Help lists it where it works, from the keymap.
    h.press("3").await;
    let here: Vec<_> = h
        .app
        .hints(h.app.layer())
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert!(here.contains(&cognito_console::console::action::Command::Copy));
    assert!(here.contains(&cognito_console::console::action::Command::Raw));
}

#[tokio::test]
async fn j_shows_what_cognito_returned() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    h.press("3 J").await;
    let view = h.app.top::<RawView>().expect("the raw view");
    let text = view.text().expect("loaded");
    let user: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(user["Username"], "aiko.tanaka");
    assert!(
        user["UserAttributes"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert!(
        user["UserCreateDate"].is_number(),
        "as Cognito wrote it: {text}"
    );
    check("raw_user", &mut h);
    h.press("G y").await;
    let copied: Value = serde_json::from_str(h.app.clipboard.last().unwrap()).unwrap();
    assert_eq!(copied, user, "the whole document");
    h.press("esc").await;

    // The pool, from the Policies tab.
    h.press("1 J").await;
    let pool: Value =
        serde_json::from_str(&h.app.top::<RawView>().unwrap().text().unwrap()).unwrap();
    assert_eq!(pool["UserPool"]["Name"], "Demo pool");
    h.press("esc").await;

    // A client with a secret: masked until ctrl-r, in the view and in a copy.
    let client = h.app.client.clone().unwrap();
    let pool_id = h.app.pool.as_ref().unwrap().id.clone();
    let made = client
        .create_app_client(&pool_id, "aaa-backend", None, true)
        .await
        .unwrap();
    let secret = made.secret.clone().unwrap();
    h.press("6 r").await;
    let at = h
        .app
        .app_clients
        .clients
        .iter()
        .position(|c| c.id == made.id)
        .unwrap();
    h.app.app_clients.selected = at;
    h.press("J").await;
    let shown = h.app.top::<RawView>().unwrap().text().unwrap();
    assert!(!shown.contains(secret.expose()), "{shown}");
    assert!(!h.screen(120, 40).contains(secret.expose()));
    h.press("y").await;
    assert!(!h.app.clipboard.last().unwrap().contains(secret.expose()));
    assert!(status(&h).contains("the secret masked"), "{}", status(&h));
    h.press("ctrl-r").await;
    let revealed: Value =
        serde_json::from_str(&h.app.top::<RawView>().unwrap().text().unwrap()).unwrap();
    assert_eq!(revealed["UserPoolClient"]["ClientSecret"], secret.expose());
    h.press("esc").await;

    // A group that went away meanwhile: the failure is said, not an empty document.
    client.delete_group(&pool_id, "admins").await.unwrap();
    h.press("4 J").await;
    let screen = h.screen(80, 24);
    assert!(screen.contains("Cognito did not answer it"), "{screen}");
    assert!(screen.contains("ResourceNotFoundException"), "{screen}");
}

#[tokio::test]
async fn j_shows_what_moto_returned() {
    let (setup, pool) = common::moto_pool("raw").await;
    setup
        .create_user(
            &pool,
            &common::kit::suppressed("ana", &[("email", "ana@example.com")]),
        )
        .await
        .unwrap();
    let mut h = common::moto_console(&pool).await;
    h.press("3 J").await;
    let text = h
        .app
        .top::<RawView>()
        .expect("the raw view")
        .text()
        .expect("loaded");
    let user: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(user["Username"], "ana");
    assert_eq!(
        user["UserPoolId"].as_str(),
        None,
        "AdminGetUser has no pool id"
    );
}

#[tokio::test]
async fn a_users_details_copy_the_value_on_the_cursors_line_and_help_opens_there() {
    use cognito_console::console::popups::help::Help;
    use cognito_console::console::popups::user_detail::UserDetail;
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    h.press("3 enter y").await;
    assert_eq!(h.app.clipboard.last().unwrap(), "aiko.tanaka");
    // Down the lines to the email: each line's value, the status line says which.
    for _ in 0..40 {
        let here = h.app.top::<UserDetail>().unwrap().value_here();
        if here.is_some_and(|v| v.what.starts_with("email of")) {
            break;
        }
        h.press("j").await;
    }
    h.press("y").await;
    assert_eq!(h.app.clipboard.last().unwrap(), "aiko.tanaka@example.com");
    assert_eq!(
        status(&h),
        "asked your terminal to copy email of aiko.tanaka (OSC 52)"
    );
    check("user_detail_cursor", &mut h);
    h.press("k").await;
    let above = h.app.top::<UserDetail>().unwrap().value_here();
    assert!(above.is_some(), "the sub, above the email");
    // A line without a value says so.
    h.press("g j y").await;
    assert!(
        status(&h).starts_with("nothing to copy on this line"),
        "{}",
        status(&h)
    );
    // ? opens help here, listing the user's actions with their keys.
    h.press("?").await;
    assert!(h.app.top::<Help>().is_some(), "? works in the details");
    let screen = h.screen(120, 60);
    for action in ["reset password", "sign out everywhere", "edit attributes"] {
        assert!(screen.contains(action), "{action}: {screen}");
    }
}
