//! The audit log as the console writes it: a change is written before it is made and its
//! outcome after, by whom and in which pool, with what changed and never a password; a
//! change whose entry cannot be written is not made; a session signs in and out; the
//! console shows the log. Keys into the real app on the local store, no sleeps.

use crate::common;

use cognito_console::client::{self, Auditor, Target};
use cognito_console::console::action::Action;
use cognito_console::console::headless::{Headless, TestScreen};
use cognito_console::console::popups::audit_log::AuditLog;
use cognito_console::console::popups::create_user::CreateUser;
use cognito_console::console::run;
use cognito_console::local::{Store, db::audit};
use cognito_console::pool::audit::{Admin, Change, Entry, Outcome, Query};
use common::status_text;

const PASSWORD: &str = "Temp#Pass1234";

fn entries(db: &std::path::Path) -> Vec<Entry> {
    let store = Store::open(db).unwrap();
    audit::list(
        &store,
        &Query {
            limit: 100,
            ..Query::default()
        },
    )
    .unwrap()
}

async fn console(dir: &tempfile::TempDir) -> Headless {
    let mut h = common::demo_console(dir.path(), false).await;
    h.press("3").await;
    h
}

fn pool_id(h: &Headless) -> String {
    h.app.pool.as_ref().unwrap().id.clone()
}

async fn create_user(h: &mut Headless, username: &str) {
    h.press("c").await;
    h.type_text(username).await;
    for (field, text) in [
        ("phone", "+15555550199"),
        ("email", "zoe@example.com"),
        ("password", PASSWORD),
    ] {
        for _ in 0..30 {
            let at = match h.app.top::<CreateUser>() {
                Some(c) => c.form.focused_id().to_string(),
                other => panic!("no form: {other:?}"),
            };
            if at == field {
                break;
            }
            h.press("tab").await;
        }
        h.type_text(text).await;
    }
    h.press("ctrl-s").await;
}

#[tokio::test]
async fn a_change_is_written_with_who_what_and_how_it_ended_and_never_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = console(&dir).await;
    create_user(&mut h, "zoe").await;
    let pool = pool_id(&h);
    let all = entries(&dir.path().join("store.db"));
    let [e] = all.as_slice() else {
        panic!("one entry: {all:#?}")
    };
    assert_eq!(e.admin, Admin::local("tester", false));
    assert_eq!(e.change.action, "create user");
    assert_eq!(e.change.pool_id.as_deref(), Some(pool.as_str()));
    assert_eq!(e.change.username.as_deref(), Some("zoe"));
    for line in [
        "email: zoe@example.com",
        "temporary password: chosen by the admin (not recorded)",
        "invitation: by SMS",
    ] {
        assert!(e.change.details.iter().any(|d| d == line), "{line}: {e:#?}");
    }
    assert_eq!(
        e.outcome,
        Outcome::Done("status FORCE_CHANGE_PASSWORD".into())
    );
    assert!(e.finished.is_some());
    assert!(!format!("{all:?}").contains(PASSWORD), "{all:#?}");

    // Cognito's refusal is recorded as such, with its reason.
    h.press("esc").await;
    create_user(&mut h, "zoe").await;
    let newest = entries(&dir.path().join("store.db")).remove(0);
    let Outcome::Refused(why) = &newest.outcome else {
        panic!("{newest:#?}")
    };
    assert!(why.contains("UsernameExistsException"), "{why}");
}

#[tokio::test]
async fn a_settings_change_names_each_setting_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = console(&dir).await;
    h.press("1 e backspace").await;
    h.type_text("12").await;
    h.press("ctrl-s enter").await;
    assert!(status_text(&h).contains("saved"), "{}", status_text(&h));
    let e = entries(&dir.path().join("store.db")).remove(0);
    assert_eq!(e.change.action, "update pool");
    assert_eq!(e.change.details, ["Minimum length: 8 → 12"]);
    assert_eq!(e.outcome, Outcome::Done(String::new()));
}

#[tokio::test]
async fn a_change_that_cannot_be_written_down_is_not_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut options = common::console_options(Target::Local { db: db.clone() }, None, false);
    // An audit log that refuses every write: its table is gone.
    let broken = dir.path().join("broken.db");
    Store::open(&broken)
        .unwrap()
        .write(|tx| Ok(tx.execute_batch("DROP TABLE audit")?))
        .unwrap();
    options.audit = Some(Auditor::new(
        client::open_audit_log(&broken).unwrap(),
        Admin::local("tester", false),
    ));
    let mut h = common::local_console(&db, options).await;
    h.press("3").await;
    create_user(&mut h, "zoe").await;
    let Some(form) = h.app.top::<CreateUser>() else {
        panic!("the form is kept: {:?}", h.app.popup())
    };
    let said = form.form.message.clone().map(|m| m.1).unwrap_or_default();
    assert!(said.contains("the audit log cannot be written"), "{said}");
    assert_eq!(form.form.value("username"), "zoe", "kept as typed");
    let c = h.app.client.clone().unwrap();
    assert!(
        c.get_user(&pool_id(&h), "zoe").await.is_err(),
        "not created"
    );
}

#[tokio::test]
async fn the_console_shows_the_log_and_narrows_it_to_the_pool() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut h = console(&dir).await;
    // Something done elsewhere, in another pool.
    audit::record(
        &Store::open(&db).unwrap(),
        "other",
        &Admin::local("ana", false),
        &Change::new("delete user")
            .in_pool("local_other")
            .of_user("x"),
        &Outcome::Done(String::new()),
    )
    .unwrap();
    h.press("d enter").await; // disable the first user, confirmed
    let pool = pool_id(&h);
    h.press("A").await;
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("2 entries of every pool, newest first"),
        "{screen}"
    );
    assert!(
        screen.contains("tester  disable user aiko.tanaka  local_"),
        "{screen}"
    );
    assert!(screen.contains("By tester from local"), "{screen}");
    h.press("space").await;
    let screen = h.screen(120, 40);
    assert!(screen.contains(&format!("1 entries of {pool}")), "{screen}");
    assert!(!screen.contains("delete user"), "{screen}");
    // It reads, so it works read-only too; esc closes it.
    h.press("esc").await;
    assert!(h.app.popup().is_none());
    let mut ro = common::console_options(Target::Local { db: db.clone() }, None, false);
    ro.read_only = true;
    let mut h = common::local_console(&db, ro).await;
    h.press(": a u d i t enter").await;
    assert!(h.app.top::<AuditLog>().is_some());
    assert!(h.screen(120, 40).contains("2 entries of every pool"));

    // With two pools and none open yet, there is nothing to narrow to: space is not
    // offered, and does nothing.
    cognito_console::local::wire::api::call(
        &Store::open(&db).unwrap(),
        &Default::default(),
        "CreateUserPool",
        &serde_json::json!({"PoolName": "second"}),
    )
    .unwrap();
    let options = common::console_options(Target::Local { db: db.clone() }, None, false);
    let mut h = common::local_console(&db, options).await;
    assert!(h.app.pool.is_none(), "the picker waits for a choice");
    h.press("esc A").await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("Audit log (esc closes)"), "{screen}");
    h.press("space").await;
    assert!(h.screen(120, 40).contains("entries of every pool"));
}

#[tokio::test]
async fn a_session_signs_in_and_out_and_will_not_open_unrecorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let store = std::sync::Arc::new(common::demo_store(&db));
    let target = Target::Local { db: db.clone() };
    let client = client::target::local_client(store, target.clone());
    let mut options = common::console_options(target.clone(), None, false);
    options.audit = Some(Auditor::new(
        client::audit_log_of(&client).unwrap(),
        Admin::local("tester", true),
    ));
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tx.send(Action::Terminate("SIGHUP".into())).unwrap();
    let mut screen = TestScreen::new(80, 24);
    let why = run::session(&mut screen, options.clone(), Some(client), rx)
        .await
        .unwrap();
    assert_eq!(why, "SIGHUP");
    assert!(screen.text().contains("Cognito Console"));
    let log = entries(&db);
    let actions: Vec<(&str, &[String])> = log
        .iter()
        .map(|e| (e.change.action.as_str(), e.change.details.as_slice()))
        .collect();
    assert_eq!(
        actions,
        [
            ("sign out", &["SIGHUP".to_string()][..]),
            ("sign in", &["read-only console".to_string()][..]),
        ]
    );
    assert_eq!(log[0].session, log[1].session);

    // A log that cannot be written keeps the console closed.
    Store::open(&db)
        .unwrap()
        .write(|tx| Ok(tx.execute_batch("DROP TABLE audit")?))
        .unwrap();
    let (_tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let e = run::session(&mut TestScreen::new(80, 24), options, None, rx)
        .await
        .unwrap_err();
    assert!(
        format!("{e:#}").contains("the audit log cannot be written"),
        "{e:#}"
    );
}
