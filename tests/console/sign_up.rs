//! The Sign-up tab on the local store: the schema and the settings as Cognito describes
//! them; the settings edited with Cognito's refusal found before the call, the diff, and
//! nothing else of the pool changed; a custom attribute added (and one the pool has,
//! refused before the call). Snapshots of each screen.

use crate::common;
use crate::snapshots::check;

use cognito_console::client::Target;
use cognito_console::console::headless::Headless;

async fn console() -> (Headless, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let options = common::console_options(Target::Local { db: db.clone() }, None, false);
    (common::local_console(&db, options).await, dir)
}

fn form_focus(h: &Headless) -> String {
    h.app
        .sign_up
        .form
        .as_ref()
        .expect("a form")
        .1
        .focused_id()
        .to_string()
}

async fn focus(h: &mut Headless, id: &str) {
    for _ in 0..20 {
        if form_focus(h) == id {
            return;
        }
        h.press("tab").await;
    }
    panic!("no field {id}");
}

#[tokio::test]
async fn settings_and_custom_attributes_are_edited_with_cognitos_rules() {
    let (mut h, _dir) = console().await;
    h.press("7").await;
    let screen = h.screen(80, 24);
    assert!(screen.contains("Verified automatically"), "{screen}");
    assert!(screen.contains("email_verified"), "{screen}");
    check("sign_up", &mut h);
    let before = h.app.pool.clone().expect("pool");

    // Keeping the old phone number needs the pool to verify phones: said before the call.
    h.press("e").await;
    focus(&mut h, "keep_phone").await;
    h.press("space").await;
    focus(&mut h, "deletion_protection").await;
    h.press("space ctrl-s").await;
    let form = &h.app.sign_up.form.as_ref().expect("the form stays").1;
    assert!(form.has_errors(), "refused before the call");
    focus(&mut h, "verify_phone").await;
    h.press("space ctrl-s").await;
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("Verify phone number automatically: no → yes"),
        "{screen}"
    );
    assert!(screen.contains("Deletion protection: no → yes"), "{screen}");
    h.press("enter").await;
    let after = h.app.pool.clone().expect("pool");
    assert!(after.config.sign_up.verify_phone && after.config.sign_up.keep_phone_until_verified);
    assert!(after.config.sign_up.deletion_protection);
    assert_eq!(after.config.password_policy, before.config.password_policy);
    assert_eq!(after.config.verification, before.config.verification);
    assert_eq!(
        after.config.admin_create_user,
        before.config.admin_create_user
    );

    // A custom attribute: a name the pool has is refused before the call, a new one added.
    h.press("a").await;
    h.type_text("department").await;
    h.press("ctrl-s").await;
    assert!(h.app.sign_up.form.as_ref().unwrap().1.has_errors());
    for _ in 0.."department".len() {
        h.press("backspace").await;
    }
    h.type_text("level").await;
    h.press("tab space").await;
    focus(&mut h, "max").await;
    h.type_text("10").await;
    check("sign_up_attribute_form", &mut h);
    h.press("ctrl-s").await;
    assert!(
        h.screen(80, 24)
            .contains("New custom attribute: custom:level (Number, at most 10, mutable)")
    );
    h.press("enter").await;
    let pool = h.app.pool.clone().expect("pool");
    let level = pool
        .schema
        .iter()
        .find(|a| a.name == "custom:level")
        .expect("added");
    assert_eq!(level.data_type, "Number");
    assert_eq!(level.bounds.as_deref(), Some("at most 10"));
}
