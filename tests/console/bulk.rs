//! Export and import from the console's Users tab, on the embedded store: an export is a
//! private new file in Cognito's CSV; an import is checked row by row first, problems
//! listed by line and nothing written; a clean file goes in by an import job (the
//! store's default) or AdminCreateUser; the gauge runs while the keys answer, and the
//! stop key stops. Keys into the real app, its calls run to quiescence, no sleeps.
#![cfg(unix)]

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use cognito_console::client::{Client, Target, UserQuery};
use cognito_console::console::action::Action;
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::bulk_form::BulkForm;
use cognito_console::console::popups::help::Help;
use cognito_console::local::{Store, ops::Context, wire::api};
use common::status_text;
use crossterm::event::{KeyCode, KeyEvent};
use serde_json::json;

/// A pool shaped like the demo pool (its custom attribute and aliases), empty; its id.
fn empty_pool_like_the_demo(db: &Path) -> String {
    let store = Store::open(db).expect("store");
    let made = api::call(
        &store,
        &Context::default(),
        "CreateUserPool",
        &json!({"PoolName": "target", "AliasAttributes": ["email", "phone_number"],
                "Schema": [{"Name": "department", "AttributeDataType": "String",
                            "StringAttributeConstraints": {"MaxLength": "64"}}]}),
    )
    .expect("pool");
    made["UserPool"]["Id"].as_str().expect("id").to_string()
}

async fn console(db: &Path, pool: Option<String>, read_only: bool) -> Headless {
    let mut options = common::console_options(Target::Local { db: db.into() }, pool, false);
    options.read_only = read_only;
    let mut h = common::local_console(db, options).await;
    h.press("3").await;
    h
}

/// Every user of `pool`: name, status and attributes (without `sub`), sorted.
async fn users(client: &Client, pool: &str) -> Vec<(String, String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut query = UserQuery::default();
    loop {
        let page = client.list_users(pool, &query).await.expect("list");
        for u in page.users {
            let mut attrs: Vec<(String, String)> = u
                .attributes
                .into_iter()
                .filter(|a| a.name != "sub")
                .map(|a| (a.name, a.value))
                .collect();
            attrs.sort();
            let status = u.status.map(|s| s.as_str().to_string()).unwrap_or_default();
            out.push((u.username, status, attrs));
        }
        match page.next {
            Some(t) => query.pagination_token = Some(t),
            None => break,
        }
    }
    out.sort();
    out
}

fn form_message(h: &Headless) -> String {
    match h.app.top::<BulkForm>() {
        Some(b) => b.form.message.clone().map(|m| m.1).unwrap_or_default(),
        other => panic!("the bulk form is not open: {other:?}"),
    }
}

/// Types `path` into the form's file field, replacing what is there.
async fn file(h: &mut Headless, path: &Path) {
    h.press("ctrl-u").await;
    h.type_text(path.to_str().expect("utf-8")).await;
}

#[tokio::test]
async fn an_export_then_an_import_job_carries_every_user_across() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let mut h = console(&db, None, false).await;
    let client = h.app.client.clone().expect("client");
    let source = h.app.pool.as_ref().expect("pool").id.clone();

    h.press("E").await;
    let screen = h.screen(100, 30);
    assert!(screen.contains("Export the users of"), "{screen}");
    assert!(screen.contains(&format!("{source}-users.csv")), "{screen}");
    let csv = dir.path().join("export.csv");
    file(&mut h, &csv).await;
    h.press("enter").await;
    assert!(h.app.popup().is_none());
    let source_users = users(&client, &source).await;
    assert_eq!(
        status_text(&h),
        format!("exported {} users to {}", source_users.len(), csv.display())
    );
    assert!(h.app.users.job.is_none(), "the gauge is gone once done");
    let mode = std::fs::metadata(&csv).expect("file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "the export is its owner's alone");
    let header = client
        .sdk()
        .get_csv_header()
        .user_pool_id(&source)
        .send()
        .await
        .expect("header");
    let written = std::fs::read_to_string(&csv).expect("read");
    assert_eq!(
        written.lines().next().expect("header line"),
        header.csv_header().join(",")
    );

    // The same name again is refused beside the field; the file is untouched.
    h.press("E").await;
    file(&mut h, &csv).await;
    h.press("enter").await;
    let screen = h.screen(100, 30);
    assert!(screen.contains("exists already"), "{screen}");
    h.press("esc").await;

    // Into an empty pool. An import job (the store's default) needs a verified address
    // on every row, which 17 demo users lack: the check says so by line, before any job.
    let target = empty_pool_like_the_demo(&db);
    let mut h = console(&db, Some(target.clone()), false).await;
    h.press("I").await;
    let screen = h.screen(80, 24);
    assert!(screen.contains("< import job >"), "{screen}");
    file(&mut h, &csv).await;
    h.press("enter").await;
    let message = form_message(&h);
    assert!(
        message.starts_with(&format!("17 problems in {} rows", source_users.len())),
        "{message}"
    );
    let screen = h.screen(80, 24);
    assert!(screen.contains("email_verified"), "{screen}");
    assert!(
        screen.contains("… and "),
        "what does not fit is counted:\n{screen}"
    );
    assert!(users(&client, &target).await.is_empty(), "nothing yet");

    // AdminCreateUser takes them all: checked, then created with every attribute.
    h.press("tab space enter").await;
    let message = form_message(&h);
    assert!(
        message.starts_with(&format!(
            "{} rows, every one can be imported into {target}.",
            source_users.len()
        )),
        "{message}"
    );
    assert!(users(&client, &target).await.is_empty(), "still nothing");
    h.press("enter").await;
    assert!(h.app.popup().is_none());
    assert_eq!(
        status_text(&h),
        format!(
            "{}: created {}, already there 0, failed 0",
            csv.display(),
            source_users.len()
        )
    );
    let imported = users(&client, &target).await;
    assert_eq!(imported.len(), source_users.len());
    for ((name, _, attrs), (their_name, status, their_attrs)) in source_users.iter().zip(&imported)
    {
        assert_eq!((name, attrs), (their_name, their_attrs));
        assert_eq!(status, "FORCE_CHANGE_PASSWORD");
    }
    let screen = h.screen(100, 30);
    assert!(
        screen.contains(&source_users[0].0),
        "the list shows the imported users:\n{screen}"
    );
}

#[tokio::test]
async fn an_import_job_is_the_stores_default_and_its_users_are_reset_required() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let target = empty_pool_like_the_demo(&db);
    let mut h = console(&db, Some(target.clone()), false).await;
    let client = h.app.client.clone().expect("client");
    let csv = dir.path().join("verified.csv");
    let mut rows = String::from("cognito:username,email,email_verified,custom:department\n");
    for i in 0..30 {
        rows.push_str(&format!("v{i:02},v{i}@example.com,true,d{}\n", i % 4));
    }
    std::fs::write(&csv, rows).expect("write");
    h.press("I").await;
    file(&mut h, &csv).await;
    h.press("enter enter").await;
    let said = status_text(&h);
    assert!(said.starts_with("import job import-"), "{said}");
    assert!(
        said.contains(" Succeeded: 30 imported, 0 skipped, 0 failed"),
        "{said}"
    );
    let made = users(&client, &target).await;
    assert_eq!(made.len(), 30);
    assert!(made.iter().all(|(_, status, _)| status == "RESET_REQUIRED"));
}

#[tokio::test]
async fn a_file_with_bad_rows_is_listed_by_line_and_never_imported() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let target = empty_pool_like_the_demo(&db);
    let mut h = console(&db, Some(target.clone()), false).await;
    let client = h.app.client.clone().expect("client");
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "cognito:username,email,custom:department\n\
         ana,ana@example.com,Sales\n\
         bo,not-an-email,Sales\n\
         cy,cy@example.com,\n\
         ana,ana2@example.com,\n",
    )
    .expect("write");
    h.press("I").await;
    file(&mut h, &csv).await;
    h.press("tab space").await; // AdminCreateUser: the check is the same
    h.press("enter").await;
    assert_eq!(
        form_message(&h),
        "2 problems in 4 rows: nothing will be imported until they are fixed."
    );
    let screen = h.screen(100, 30);
    assert!(screen.contains("line 3: bo: email"), "{screen}");
    assert!(
        screen.contains("line 5: ana: the username is also on line 2"),
        "{screen}"
    );
    // Saving again checks again; it never imports a file with problems.
    h.press("enter").await;
    assert!(h.app.top::<BulkForm>().is_some());
    assert!(users(&client, &target).await.is_empty());
    // A file that is not there is refused beside the field, before any call.
    h.press("shift-tab").await;
    file(&mut h, &dir.path().join("missing.csv")).await;
    h.press("enter").await;
    let screen = h.screen(100, 30);
    assert!(screen.contains("no such file"), "{screen}");
}

#[tokio::test]
async fn the_gauge_runs_while_keys_answer_and_the_stop_key_stops() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let target = empty_pool_like_the_demo(&db);
    let mut h = console(&db, Some(target.clone()), false).await;
    let client = h.app.client.clone().expect("client");
    let csv = dir.path().join("many.csv");
    let mut rows = String::from("cognito:username,email\n");
    for i in 0..50 {
        rows.push_str(&format!("u{i:03},u{i}@example.com\n"));
    }
    std::fs::write(&csv, rows).expect("write");
    h.press("I").await;
    file(&mut h, &csv).await;
    h.press("tab space").await; // AdminCreateUser
    h.press("enter").await;
    assert!(
        form_message(&h).starts_with("50 rows"),
        "{}",
        form_message(&h)
    );
    // Start it, but run nothing yet: the gauge is up and the tab still takes keys.
    let key = |c: char| Action::Key(KeyEvent::from(KeyCode::Char(c)));
    h.send(Action::Key(KeyEvent::from(KeyCode::Enter)));
    assert!(h.app.popup().is_none());
    let screen = h.screen(100, 30);
    assert!(
        screen.contains(&format!("importing {}: 0 · x stops", csv.display())),
        "{screen}"
    );
    assert_eq!(h.app.in_flight, 0, "the spinner is for calls, not the job");
    assert!(h.app.ticking(), "the gauge is redrawn while the job runs");
    h.send(key('?'));
    assert!(h.app.top::<Help>().is_some());
    let help = h.screen(100, 60);
    assert!(help.contains("stop the job"), "{help}");
    h.send(Action::Key(KeyEvent::from(KeyCode::Esc)));
    // A second job cannot start over the first.
    h.send(key('E'));
    assert!(h.app.popup().is_none());
    assert!(
        status_text(&h).contains("is still running; one at a time"),
        "{}",
        status_text(&h)
    );
    h.send(key('x'));
    let screen = h.screen(100, 30);
    assert!(screen.contains("stopping…"), "{screen}");
    h.settle().await;
    assert!(h.app.users.job.is_none());
    assert!(!h.app.ticking());
    let said = status_text(&h);
    assert!(
        said.contains(
            "created 0, already there 0, failed 0; stopped: import the same file again to finish"
        ),
        "{said}"
    );
    assert!(users(&client, &target).await.is_empty());

    // Again, to the end: every row once, no invitation.
    h.press("I").await;
    file(&mut h, &csv).await;
    h.press("tab space enter enter").await;
    let said = status_text(&h);
    assert_eq!(
        said,
        format!("{}: created 50, already there 0, failed 0", csv.display())
    );
    let made = users(&client, &target).await;
    assert_eq!(made.len(), 50);
    assert!(
        made.iter()
            .all(|(_, status, _)| status == "FORCE_CHANGE_PASSWORD")
    );
    let store = Store::open(&db).expect("store");
    let sent: i64 = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM outbox WHERE pool_id = ?1",
                [&target],
                |r| r.get(0),
            )?)
        })
        .expect("outbox");
    assert_eq!(sent, 0, "invitations are suppressed unless asked for");
}

#[tokio::test]
async fn read_only_exports_but_does_not_import() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let mut h = console(&db, None, true).await;
    h.press("I").await;
    assert!(h.app.popup().is_none());
    assert!(status_text(&h).contains("read-only"), "{}", status_text(&h));
    h.press("E").await;
    assert!(h.app.top::<BulkForm>().is_some());
    let csv = dir.path().join("ro.csv");
    file(&mut h, &csv).await;
    h.press("enter").await;
    assert!(
        status_text(&h).starts_with("exported "),
        "{}",
        status_text(&h)
    );
    assert!(csv.exists());
}
