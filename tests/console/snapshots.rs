//! Snapshots of every screen at 80x24 (an SSH session's default) and 120x40, on the
//! demo pool. The store runs on the test clock, so dates are what they are; only random
//! ids and the database's path are masked.

use crate::common;

use cognito_console::console::headless::Headless;

async fn demo() -> (Headless, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (common::demo_console(dir.path(), false).await, dir)
}

/// Snapshots of the screen at 80x24 and 120x40, random ids and paths masked (shared by
/// the other screens' tests).
pub fn check(name: &str, h: &mut Headless) {
    for (w, height) in [(80, 24), (120, 40)] {
        let screen = h.screen(w, height);
        insta::with_settings!({
            filters => vec![
                (r"local_[A-Za-z0-9]{9}", "local_POOLID"),
                (r"local /[^ ]*store\.db", "local DB"),
                (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "SUB"),
                (r"\b[a-z0-9]{26}\b", "CLIENTID"),
                (r"session [0-9a-f]{8}", "session SESSION"),
                (r"http://127\.0\.0\.1:[0-9]+", "http://127.0.0.1:PORT"),
            ],
        }, {
            insta::assert_snapshot!(format!("{name}_{w}x{height}"), screen);
        });
    }
}

#[tokio::test]
async fn screens() {
    let (mut h, _dir) = demo().await;
    h.press("3").await;
    check("users", &mut h);
    h.press("j j enter").await;
    check("user_detail", &mut h);
    h.press("esc c ctrl-s").await;
    check("create_user_errors", &mut h);
    h.press("esc 1").await;
    check("policies", &mut h);
    h.press("e").await;
    check("policies_edit", &mut h);
    h.press("esc 2").await;
    check("messages", &mut h);
    h.press("j j j j e").await;
    check("messages_editor", &mut h);
    h.press("esc 3 ?").await;
    check("help", &mut h);
}

/// The audit log, after a change: the list and the entry under the cursor, whole.
#[tokio::test]
async fn audit_log_screen() {
    let (mut h, _dir) = demo().await;
    h.press("3 d enter j e").await;
    h.type_text("x").await;
    h.press("ctrl-s A").await;
    check("audit_log", &mut h);
}

/// Try sign-in at each stage: the password (masked), the new password with the live
/// policy check, and the outcome with the ID token's claims.
#[tokio::test]
async fn try_sign_in_screens() {
    let (mut h, _dir) = demo().await;
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    let user = cognito_console::pool::NewUser {
        username: "aaa.snapshot".into(),
        temporary_password: Some(cognito_console::pool::Secret::new("Temp-Passw0rd")),
        message_action: Some(cognito_console::pool::MessageAction::Suppress),
        ..Default::default()
    };
    client.create_user(&pool, &user).await.unwrap();
    h.press("3 r g t").await;
    h.type_text("Temp-Passw0rd").await;
    check("try_sign_in_password", &mut h);
    h.press("enter").await;
    h.type_text("short").await;
    check("try_sign_in_new_password", &mut h);
    h.press("ctrl-u").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("tab").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("enter").await;
    check("try_sign_in_done", &mut h);
}

/// Set password: masked, typed twice, the policy checked live, errors beside fields.
#[tokio::test]
async fn set_password_screens() {
    let (mut h, _dir) = demo().await;
    h.press("3 j P").await;
    h.type_text("weak").await;
    h.press("ctrl-s").await;
    check("set_password_errors", &mut h);
}

#[tokio::test]
async fn user_fix_screens() {
    let (mut h, _dir) = demo().await;
    h.press("3 j e").await;
    check("edit_attributes", &mut h);
    // From name to email; the email is the field after website.
    h.press("tab tab tab tab tab tab tab tab tab ctrl-u").await;
    h.type_text("not-an-email").await;
    h.press("ctrl-s").await;
    check("edit_attributes_errors", &mut h);
    // What was typed is thrown away only once confirmed.
    h.press("esc enter").await;
    common::select(&mut h, "ana.nakamura").await;
    h.press("X").await;
    check("reset_password_question", &mut h);
}

#[tokio::test]
async fn group_screens() {
    let (mut h, _dir) = demo().await;
    h.press("4").await;
    check("groups", &mut h);
    h.press("enter").await;
    check("group_members", &mut h);
    h.press("esc c").await;
    h.type_text("two words").await;
    h.press("tab tab").await;
    h.type_text("-1").await;
    h.press("ctrl-s").await;
    check("group_form_errors", &mut h);
}

/// Any terminal size, however small, draws without a panic.
/// Export and import forms on the Users tab, as they open.
#[tokio::test]
async fn bulk_screens() {
    let (mut h, _dir) = demo().await;
    h.press("3 E").await;
    check("export_form", &mut h);
    h.press("esc I").await;
    check("import_form", &mut h);
}

/// The test email form of the Message customizations tab, as it opens.
#[tokio::test]
async fn test_send_screen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut options = common::console_options(
        cognito_console::client::Target::Local { db: db.clone() },
        None,
        false,
    );
    options.mail = Some(
        cognito_console::mail::Relay::new(&cognito_console::mail::RelaySettings {
            url: "smtp://127.0.0.1:2525".into(),
            ..Default::default()
        })
        .unwrap(),
    );
    let mut h = common::local_console(&db, options).await;
    h.press("2 j j j T").await;
    check("test_send_form", &mut h);
}

#[tokio::test]
async fn tiny_terminals_never_panic() {
    let (mut h, _dir) = demo().await;
    let steps = [
        "3",
        "enter",
        "esc c ctrl-s",
        "esc 1 e",
        "esc 2 e",
        "esc 3 ?",
        "esc /",
        "esc :",
        "esc 3 t",
        "a b c enter",
        "esc esc 3 P",
        "x ctrl-s",
        "esc esc 2 T",
    ];
    for keys in steps {
        h.press(keys).await;
        for (w, height) in [
            (1, 1),
            (5, 2),
            (10, 3),
            (20, 5),
            (40, 10),
            (79, 23),
            (300, 100),
        ] {
            h.screen(w, height);
        }
    }
}
