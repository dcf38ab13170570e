//! Marks and bulk actions: `space` marks the user under the cursor and moves on, `*`
//! marks every user the search matched (a job, stopped with `x`), `u` clears. With
//! marks, the actions that make sense in bulk apply to every marked user: a preview
//! (how many, who is skipped and why), a confirmation (the count typed for a delete),
//! then a job whose every user's outcome reaches the messages and the audit log. A stop
//! leaves the rest marked, and the same key does only them. On the local store and on
//! moto.

use crate::common;

use cognito_console::console::action::{Action, Command};
use cognito_console::console::effect::execute;
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::bulk_preview::BulkPreview;
use cognito_console::console::popups::confirm::Confirm;
use cognito_console::console::popups::type_to_confirm::TypeToConfirm;
use cognito_console::local::{Store, db::audit};
use cognito_console::pool::UserStatus;
use cognito_console::pool::audit::{Entry, Outcome, Query};
use common::status_text;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn entries(db: &std::path::Path) -> Vec<Entry> {
    let store = Store::open(db).unwrap();
    audit::list(
        &store,
        &Query {
            limit: 500,
            ..Query::default()
        },
    )
    .unwrap()
}

fn marked(h: &Headless) -> Vec<String> {
    h.app
        .users
        .marks
        .users()
        .into_iter()
        .map(|u| u.username)
        .collect()
}

fn messages(h: &Headless) -> Vec<String> {
    h.app.log.iter().map(|s| s.text.clone()).collect()
}

async fn user(h: &Headless, username: &str) -> cognito_console::pool::User {
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    h.app
        .client
        .as_ref()
        .unwrap()
        .get_user(&pool, username)
        .await
        .unwrap()
}

#[tokio::test]
async fn space_marks_and_a_bulk_disable_previews_confirms_and_audits_each_user() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    h.press("3 space space space").await;
    assert_eq!(marked(&h), ["aiko.tanaka", "amara.mensah", "ana.nakamura"]);
    assert_eq!(
        h.app.users.selected_user().unwrap().username,
        "arjun.nunez",
        "space moves on"
    );
    let screen = h.screen(80, 24);
    assert!(screen.contains("3 marked"), "{screen}");
    assert!(screen.contains("● aiko.tanaka"), "{screen}");
    let screen = h.screen(200, 40);
    assert!(
        screen.contains("d disable 3 marked"),
        "the key bar says so: {screen}"
    );

    // Reset password skips the one who never signed in, and says why.
    h.press("X").await;
    let preview = h.app.top::<BulkPreview>().expect("a preview first");
    assert_eq!(preview.plan().title(), "reset the password of 2 users");
    assert_eq!(preview.plan().skipped.len(), 1);
    assert_eq!(preview.plan().skipped[0].0, "amara.mensah");
    assert!(
        preview.plan().skipped[0]
            .1
            .contains("FORCE_CHANGE_PASSWORD"),
        "{:?}",
        preview.plan().skipped
    );
    crate::snapshots::check("bulk_preview", &mut h);
    h.press("esc").await;
    assert!(h.app.popups.is_empty(), "esc cancels; nothing was done");
    assert_eq!(
        user(&h, "aiko.tanaka").await.status,
        Some(UserStatus::Confirmed)
    );

    h.press("d").await;
    assert_eq!(
        h.app.top::<BulkPreview>().unwrap().plan().title(),
        "disable 3 users"
    );
    h.press("enter").await;
    let confirm = h.app.top::<Confirm>().expect("then a confirmation");
    assert_eq!(confirm.title, "Disable 3 users?");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("enter confirms"),
        "not 'enter open': {screen}"
    );
    h.press("enter").await;
    for name in ["aiko.tanaka", "amara.mensah", "ana.nakamura"] {
        assert!(!user(&h, name).await.enabled, "{name}");
    }
    assert!(user(&h, "arjun.nunez").await.enabled, "unmarked: untouched");
    assert!(marked(&h).is_empty(), "done users are unmarked");
    assert_eq!(status_text(&h), "disable 3 users: 3 done");
    let log = messages(&h);
    for line in [
        "aiko.tanaka disabled",
        "amara.mensah disabled",
        "ana.nakamura disabled",
    ] {
        assert!(log.iter().any(|l| l == line), "{line} in {log:?}");
    }
    let disabled: Vec<_> = entries(&dir.path().join("store.db"))
        .into_iter()
        .filter(|e| e.change.action == "disable user")
        .collect();
    assert_eq!(disabled.len(), 3, "one audit entry per user");
    assert!(
        disabled
            .iter()
            .all(|e| matches!(e.outcome, Outcome::Done(_)))
    );

    // Marked again, all disabled now: the same key enables them.
    h.press("g space space space").await;
    assert_eq!(
        h.app.top::<BulkPreview>().map(|p| p.plan().title()),
        None,
        "space only marks"
    );
    h.press("d").await;
    assert_eq!(
        h.app.top::<BulkPreview>().unwrap().plan().title(),
        "enable 3 users"
    );
    h.press("esc u").await;
    assert!(marked(&h).is_empty(), "u clears the marks");
    assert_eq!(status_text(&h), "3 marks cleared");
}

#[tokio::test]
async fn mark_every_match_then_confirm_them_all_join_a_group_and_delete_by_typing_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    // A local filter: the UNCONFIRMED ones (two in the demo pool).
    h.press("3 / tab tab tab").await; // past the value, contains and regex: status
    h.press("l l").await; // any, UNCONFIRMED, CONFIRMED: turned with l
    let search = h
        .app
        .top::<cognito_console::console::popups::search::Search>()
        .unwrap();
    let form = &search.form;
    assert_eq!(form.choice("status"), 2, "h and l turn a choice");
    crate::snapshots::check("search", &mut h);
    h.press("h").await;
    h.press("enter").await;
    assert_eq!(
        h.app.users.local.status,
        Some(UserStatus::Unconfirmed),
        "{:?}",
        h.app.users.local
    );
    let rows: Vec<_> = h
        .app
        .users
        .rows
        .iter()
        .map(|u| u.username.clone())
        .collect();
    assert_eq!(rows, ["camila.yilmaz", "mateo.kim"]);
    let screen = h.screen(120, 40);
    assert!(screen.contains("here: UNCONFIRMED"), "{screen}");
    assert!(screen.contains("filtered in the store"), "{screen}");

    h.press("*").await;
    assert_eq!(marked(&h), ["camila.yilmaz", "mateo.kim"]);
    assert!(
        status_text(&h).starts_with("marked 2 users"),
        "{}",
        status_text(&h)
    );
    h.press("C enter enter").await;
    assert_eq!(
        user(&h, "mateo.kim").await.status,
        Some(UserStatus::Confirmed)
    );
    assert_eq!(
        user(&h, "camila.yilmaz").await.status,
        Some(UserStatus::Confirmed)
    );

    // Two users into a group: the group is typed in the preview.
    h.press("esc esc").await;
    assert!(h.app.users.local.is_empty(), "esc clears the search");
    h.press("g space space +").await;
    assert!(h.app.top::<BulkPreview>().is_some());
    h.press("enter").await;
    let preview = h.app.top::<BulkPreview>().unwrap();
    assert!(
        format!("{preview:?}").contains("group"),
        "an empty group is refused"
    );
    assert!(h.screen(80, 24).contains("Group:"), "said beside the field");
    h.type_text("admins").await;
    h.press("enter").await;
    assert_eq!(
        h.app.top::<Confirm>().unwrap().title,
        "Add to admins: 2 users?"
    );
    h.press("enter").await;
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    let client = h.app.client.clone().unwrap();
    for name in ["aiko.tanaka", "amara.mensah"] {
        let groups = client.groups_for_user(&pool, name, None).await.unwrap();
        assert!(
            groups.groups.iter().any(|g| g.name == "admins"),
            "{name}: {groups:?}"
        );
    }

    // Delete asks for the count.
    h.press("g space space D enter").await;
    assert!(h.app.top::<TypeToConfirm>().is_some(), "the count typed");
    h.type_text("3").await;
    h.press("enter").await;
    assert!(
        h.screen(80, 24).contains("that is not the number of users"),
        "a wrong count deletes nothing"
    );
    h.press("backspace").await;
    h.type_text("2").await;
    h.press("enter").await;
    for name in ["aiko.tanaka", "amara.mensah"] {
        assert!(
            client.get_user(&pool, name).await.is_err(),
            "{name} deleted"
        );
    }
    assert!(client.get_user(&pool, "ana.nakamura").await.is_ok());
}

#[tokio::test]
async fn a_stopped_bulk_action_leaves_the_rest_marked_and_the_same_key_does_only_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    h.press("3 *").await;
    assert_eq!(marked(&h).len(), 50, "the whole pool, without a search");
    h.press("S enter").await;
    // The job runs on its own task, as in the console; x stops it part-way.
    h.send(Action::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    let effect = h.take_effect().expect("the bulk job");
    let job = tokio::spawn(execute(effect));
    let tally = h.app.users.job.as_ref().unwrap().tally.clone();
    while tally.done() < 3 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    // While it runs, no second bulk action starts on marks about to change.
    h.press("d").await;
    assert!(
        status_text(&h).contains("still running; act on the marked users when it ends"),
        "{}",
        status_text(&h)
    );
    h.press("x").await;
    let action: Action = job.await.unwrap();
    h.send(action);
    h.settle().await;
    let left = marked(&h);
    let done = 50 - left.len();
    assert!(
        (3..50).contains(&done),
        "stopped part-way: {done} done, {left:?} left"
    );
    let said = status_text(&h);
    assert!(said.contains("not started (stopped)"), "{said}");
    assert!(said.contains("the same key again does only them"), "{said}");

    h.press("S").await;
    let preview = h.app.top::<BulkPreview>().unwrap();
    assert_eq!(
        preview.plan().changes.len(),
        left.len(),
        "only what is left"
    );
    h.press("enter enter").await;
    assert!(marked(&h).is_empty());
    let signed_out = entries(&dir.path().join("store.db"))
        .into_iter()
        .filter(|e| e.change.action == "sign out everywhere")
        .count();
    assert_eq!(signed_out, 50, "each user once, none twice");
}

#[tokio::test]
async fn bulk_actions_and_local_filters_on_moto() {
    let (setup, pool) = common::moto_pool("marks").await;
    for (name, email) in [
        ("ana", "ana@corp.test"),
        ("bob", "bob@example.com"),
        ("cy", "cy@corp.test"),
    ] {
        setup
            .create_user(&pool, &common::kit::suppressed(name, &[("email", email)]))
            .await
            .unwrap();
    }
    let mut h = common::moto_console(&pool).await;
    h.press("3 /").await;
    h.press("tab").await; // from the value to contains
    h.type_text("corp.test").await;
    h.press("enter").await;
    let rows: Vec<_> = h
        .app
        .users
        .rows
        .iter()
        .map(|u| u.username.clone())
        .collect();
    assert_eq!(rows, ["ana", "cy"]);
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("filtering locally: scanned 3"),
        "said as such: {screen}"
    );
    h.press("* d enter enter").await;
    for name in ["ana", "cy"] {
        assert!(
            !setup.get_user(&pool, name).await.unwrap().enabled,
            "{name}"
        );
    }
    assert!(setup.get_user(&pool, "bob").await.unwrap().enabled);
    assert_eq!(status_text(&h), "disable 2 users: 2 done");
    // Help lists the marks' keys where they work.
    let here: Vec<Command> = h
        .app
        .hints(h.app.layer())
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    for c in [Command::Mark, Command::MarkAll, Command::Sort] {
        assert!(here.contains(&c), "{c:?}");
    }
}

#[tokio::test]
async fn bulk_resend_and_leaving_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    let client = h.app.client.clone().unwrap();
    // aiko (CONFIRMED) and amara (FORCE_CHANGE_PASSWORD): only amara is invited again.
    h.press("3 space space R").await;
    let preview = h.app.top::<BulkPreview>().unwrap();
    assert_eq!(preview.plan().title(), "resend the invitation to 1 user");
    assert!(preview.plan().skipped[0].1.contains("CONFIRMED"));
    let before = client
        .sent_messages(&pool, "amara.mensah")
        .await
        .unwrap()
        .unwrap_or_default()
        .len();
    h.press("enter enter").await;
    let after = client
        .sent_messages(&pool, "amara.mensah")
        .await
        .unwrap()
        .unwrap_or_default()
        .len();
    assert!(after > before, "a new invitation went out");
    assert_eq!(marked(&h), ["aiko.tanaka"], "the skipped one stays marked");

    // Out of a group: aiko is in support.
    h.press("-").await;
    h.type_text("support").await;
    h.press("enter enter").await;
    let groups = client
        .groups_for_user(&pool, "aiko.tanaka", None)
        .await
        .unwrap();
    assert!(
        groups.groups.iter().all(|g| g.name != "support"),
        "{groups:?}"
    );
    assert_eq!(status_text(&h), "remove from support: 1 user: 1 done");
}
