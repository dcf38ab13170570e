//! The console says what is true: loading, empty and failed are different states; the
//! cursor reaches the last user; a message leaves when it stops being true and can be
//! read whole later; every key shown works where it is shown, remapped or not. Each
//! test here failed on the console before the keys had one owner.

use crate::common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command as Process, Stdio};

use cognito_console::client::Target;
use cognito_console::console::action::Action;
use cognito_console::console::headless::Headless;
use cognito_console::console::keymap::{Key, KeyOverrides, Keymap};
use cognito_console::console::popups::confirm::Confirm;
use cognito_console::console::popups::create_user::CreateUser;
use cognito_console::console::popups::pool_picker::PoolPicker;
use cognito_console::console::router::Layer;
use cognito_console::local::{db::seed, wire::api};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

const EMPTY_POOL_SAYS: &str = "no users yet";

fn options(db: &std::path::Path, pool: Option<String>) -> cognito_console::console::Options {
    common::console_options(Target::Local { db: db.into() }, pool, false)
}

/// A store holding the demo pool and a pool of `n` synthetic users; returns its id.
fn store_with_big_pool(db: &std::path::Path, n: usize) -> String {
    let store = common::demo_store(db);
    let created = api::call(
        &store,
        &Default::default(),
        "CreateUserPool",
        &json!({"PoolName": "big"}),
    )
    .unwrap();
    let pool = created["UserPool"]["Id"].as_str().unwrap().to_string();
    seed::synthetic_users(&store, &pool, 0, n).unwrap();
    pool
}

#[tokio::test]
async fn connecting_loading_failed_and_empty_each_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");

    // Before any answer: connecting, not an empty pool.
    let mut h = Headless::unsettled(options(&db, None));
    let screen = h.screen(80, 24);
    assert!(screen.contains("Connecting to local"), "{screen}");
    assert!(!screen.contains(EMPTY_POOL_SAYS), "{screen}");

    // A pool that does not exist: every tab says so, with what to do.
    let mut h = common::local_console(&db, options(&db, None)).await;
    h.press(":").await;
    h.type_text("pool local_AAAAAAAAA").await;
    h.press("enter").await;
    for tab in ["3", "1", "2"] {
        h.press(tab).await;
        let screen = h.screen(80, 24);
        assert!(
            screen.contains("Cannot open the pool local_AAAAAAAAA"),
            "{tab}: {screen}"
        );
        assert!(screen.contains("ResourceNotFoundException"), "{screen}");
        assert!(screen.contains("p picks another pool"), "{screen}");
        assert!(!screen.contains(EMPTY_POOL_SAYS), "{screen}");
        assert!(!screen.contains("Loading"), "{screen}");
    }

    // A second pool: the picker opens, and behind it no pool is claimed to be empty.
    let client = h.app.client.clone().unwrap();
    let empty = client.create_pool("empty").await.unwrap().id;
    let mut h = common::local_console(&db, options(&db, None)).await;
    assert!(h.app.top::<PoolPicker>().is_some());
    let screen = h.screen(80, 24);
    assert!(!screen.contains(EMPTY_POOL_SAYS), "{screen}");
    assert!(screen.contains("No pool is open"), "{screen}");

    // A pool with no users is empty, and says how to add one.
    let mut h = common::local_console(&db, options(&db, Some(empty))).await;
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("This pool has no users yet. Press c to create one."),
        "{screen}"
    );
}

/// An endpoint that refuses connections: the screen names the cause and where.
#[tokio::test]
async fn an_endpoint_that_does_not_answer_is_a_failure_not_an_empty_pool() {
    let target = Target::Aws {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some("http://127.0.0.1:1".into()),
    };
    let mut h = Headless::start(common::console_options(target, None, false)).await;
    let screen = h.screen(100, 24);
    assert!(screen.contains("Cannot list the user pools"), "{screen}");
    assert!(screen.contains("Connection refused"), "{screen}");
    assert!(screen.contains("endpoint http://127.0.0.1:1"), "{screen}");
    assert!(!screen.contains(EMPTY_POOL_SAYS), "{screen}");
}

#[tokio::test]
async fn end_reaches_the_last_user_and_esc_stops_on_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let pool = store_with_big_pool(&db, 3_000);

    let mut h = common::local_console(&db, options(&db, Some(pool.clone()))).await;
    h.press("G").await;
    assert_eq!(h.app.users.selected, 2_999);
    assert_eq!(h.app.users.selected_user().unwrap().username, "user0002999");
    let screen = h.screen(80, 24);
    assert!(screen.contains("3,000 of about 3,000"), "{screen}");
    assert!(screen.contains("user0002999"), "{screen}");
    assert!(!screen.contains("more below"), "{screen}");
    h.press("g").await;
    assert!(h.screen(80, 24).contains("more below"));

    // End again, but esc after two pages: the cursor stays where paging stopped.
    let mut h = common::local_console(&db, options(&db, Some(pool))).await;
    h.send(Action::Key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE)));
    assert!(h.app.users.seeking_end);
    assert!(h.screen(80, 24).contains("going to the last user"));
    h.step().await;
    h.step().await;
    h.press("esc").await;
    assert!(!h.app.users.seeking_end);
    assert!(h.app.users.selected < 2_999, "{}", h.app.users.selected);
    assert!(h.app.status.as_ref().unwrap().text.contains("stopped"));
}

#[tokio::test]
async fn messages_leave_the_status_line_and_stay_readable_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut h = common::local_console(&db, options(&db, None)).await;
    h.press(":").await;
    h.type_text("pool local_AAAAAAAAA").await;
    h.press("enter").await;
    let error = h.app.status.clone().expect("the error is shown");
    assert!(error.error);
    // Another pool: what was said of the last one is gone.
    h.press("p").await;
    h.press("enter").await;
    assert!(h.app.status.is_none(), "{:?}", h.app.status);
    assert!(h.app.pool.is_some());
    // The whole message, wrapped, in the messages popup, even at 60 columns.
    h.press("m").await;
    let screen = h.screen(60, 20).replace(['│', '\n'], "");
    let squeezed: String = screen.split_whitespace().collect();
    let wanted: String = error.text.split_whitespace().collect();
    assert!(squeezed.contains(&wanted), "{screen}");

    // A form's problem count follows the fields as they are fixed.
    h.press("esc 3 c ctrl-s").await;
    assert!(h.screen(80, 24).contains("2 problems to fix"));
    h.type_text("someone").await;
    assert!(h.screen(80, 24).contains("1 problem to fix"));
    h.press("tab tab tab tab").await; // to the phone number
    h.type_text("+15555550100").await;
    let screen = h.screen(80, 24);
    assert!(!screen.contains("problem"), "{screen}");
}

#[tokio::test]
async fn the_create_user_form_keeps_the_focused_field_in_view() {
    let (mut h, _dir) = demo().await;
    h.press("3 c ctrl-s").await; // errors beside fields, some wrapping at 60 columns
    for _ in 0..14 {
        h.press("tab").await;
        let Some(c) = h.app.top::<CreateUser>() else {
            panic!("form closed")
        };
        let label = c.form.focused().unwrap().label.trim().to_string();
        let screen = h.screen(60, 15);
        let line = screen
            .lines()
            .find(|l| l.contains('›'))
            .unwrap_or_else(|| panic!("no focused field on screen:\n{screen}"));
        assert!(
            line.contains(&label[..label.len().min(10)]),
            "{label}: {screen}"
        );
    }
    // ctrl-n adds a row of the kind the cursor is on, and the cursor goes into it.
    let before = h
        .app
        .top::<CreateUser>()
        .unwrap()
        .form
        .focused_id()
        .to_string();
    let kind = &before[..before.find('_').expect("on a row") + 1];
    h.press("ctrl-n").await;
    let Some(c) = h.app.top::<CreateUser>() else {
        panic!("form closed")
    };
    let now = c.form.focused_id();
    assert!(
        now.starts_with(kind) && now.contains("name:") && now != before,
        "the cursor is in the new row: {before} -> {now}"
    );
}

async fn demo() -> (Headless, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (common::demo_console(dir.path(), false).await, dir)
}

/// Every key the key bar and help show for the layer that has the keys is a key that
/// the router hands to that command there.
fn check_hints(h: &Headless, what: &str) {
    let layer = h.app.layer();
    let chain = h.app.chain(layer);
    let hints = h.app.hints(layer);
    assert!(!hints.is_empty(), "{what}: no hint at all");
    for (keys, command) in hints {
        for k in keys {
            let key: Key = k
                .replace('↑', "up")
                .replace('↓', "down")
                .replace('←', "left")
                .replace('→', "right")
                .parse()
                .unwrap();
            let mut modifiers = KeyModifiers::NONE;
            if key.ctrl {
                modifiers |= KeyModifiers::CONTROL;
            }
            let event = KeyEvent::new(key.code, modifiers);
            assert_eq!(
                h.app.keymap.lookup(&chain, &event),
                Some(command),
                "{what}: {k} is shown for {command:?}"
            );
        }
    }
}

async fn hints_hold_everywhere(mut h: Headless) {
    let steps = [
        ("users", "3"),
        ("user detail", "enter"),
        ("help", "esc ?"),
        ("create user", "esc c"),
        ("discard?", "a esc"),
        ("search", "enter /"),
        ("set password", "esc P"),
        ("policies", "esc 1"),
        ("policies form", "e"),
        ("messages", "esc 2"),
        ("editor", "e"),
        ("pool picker", "esc p"),
        ("messages popup", "esc m"),
        ("app clients", "esc 6"),
        ("app client detail", "enter"),
        ("app client form", "esc e"),
        ("sign-up", "esc 7"),
        ("sign-up form", "e"),
        ("custom attribute form", "esc a"),
        ("domain", "esc 8"),
        ("domain form", "n"),
        ("resource server form", "esc c"),
        ("resource server row added", "ctrl-n"),
    ];
    for (what, keys) in steps {
        h.press(keys).await;
        check_hints(&h, what);
        assert_eq!(
            h.app.layer() == Layer::Tab(h.app.tab),
            h.app.popups.is_empty()
        );
    }
}

#[tokio::test]
async fn every_hint_names_a_key_that_works_there() {
    let (h, _dir) = demo().await;
    hints_hold_everywhere(h).await;

    // Remapped: the key bar shows the new key, which works; the old one does nothing.
    let overrides: KeyOverrides = toml::from_str(
        r#"
        [users]
        create_user = ["n"]
        search = ["f"]
        [global]
        help = ["f1"]
        "#,
    )
    .unwrap();
    let (keymap, problems) = Keymap::default().with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut opts = options(&db, None);
    opts.keymap = keymap;
    let mut h = common::local_console(&db, opts.clone()).await;
    h.press("3").await;
    let bar = h.screen(120, 40).lines().last().unwrap().to_string();
    assert!(bar.contains("n create user"), "{bar}");
    assert!(bar.contains("f search"), "{bar}");
    assert!(bar.contains("f1 help"), "{bar}");
    h.press("c").await;
    assert!(h.app.popup().is_none());
    h.press("n").await;
    assert!(h.app.top::<CreateUser>().is_some());
    let title = h.screen(120, 40);
    assert!(title.contains("Create user (ctrl-s creates"), "{title}");
    h.press("esc").await;
    hints_hold_everywhere(common::local_console(&db, opts).await).await;
}

#[tokio::test]
async fn read_only_shows_no_key_that_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut opts = options(&db, None);
    opts.read_only = true;
    let mut h = common::local_console(&db, opts).await;
    for tab in ["3", "1", "2", "4", "5", "6", "7", "8"] {
        h.press(tab).await;
        for (_, command) in h.app.hints(h.app.layer()) {
            assert!(
                !command.writes(),
                "{tab}: {command:?} shown under --read-only"
            );
        }
    }
    let bar = h.screen(120, 40);
    assert!(
        !bar.contains("create user") && !bar.contains(" edit "),
        "{bar}"
    );
}

/// `users --all | head -1`: the reader stops early; the command ends quietly, no panic.
#[test]
fn a_closed_pipe_ends_the_listing_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let pool = store_with_big_pool(&db, 3_000); // far more than a pipe holds
    let mut child = Process::new(common::binary())
        .arg("--db")
        .arg(&db)
        .arg("--log-file")
        .arg(dir.path().join("log"))
        .args(["users", "--all", "--output", "text", "--pool", &pool])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("user0000000"), "{first}");
    // The reader is gone (its end of the pipe dropped with the BufReader).
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let out = Process::new(common::binary())
        .arg("--db")
        .arg(&db)
        .arg("--log-file")
        .arg(dir.path().join("log"))
        .args(["outbox", "--pool", &pool, "--user", "nosuch"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no user \"nosuch\""), "{said}");
}

#[tokio::test]
async fn esc_asks_before_it_throws_an_edit_away() {
    let (mut h, _dir) = demo().await;
    // An untouched editor closes at once.
    h.press("2 e esc").await;
    assert!(h.app.messages.editor.is_none());
    assert!(h.app.popup().is_none());
    // An edited one asks; esc there goes back to the text as typed.
    h.press("e").await;
    h.type_text(" edited").await;
    h.press("esc").await;
    assert!(h.app.top::<Confirm>().is_some());
    h.press("esc").await;
    let editor = h.app.messages.editor.as_ref().expect("still editing");
    assert!(editor.text().ends_with(" edited"));
    h.press("esc enter").await;
    assert!(h.app.messages.editor.is_none());
    assert!(h.app.status.as_ref().unwrap().text.contains("discarded"));
    // The pool was never asked to change.
    h.press("r").await;
    let config = &h.app.pool.as_ref().unwrap().config;
    let current = cognito_console::console::tabs::messages::Message::ALL[0].current(config);
    assert!(!current.ends_with(" edited"));
}

#[tokio::test]
async fn narrow_terminals_keep_the_username() {
    let (mut h, _dir) = demo().await;
    h.press("3").await;
    for width in [30, 40, 60] {
        let screen = h.screen(width, 15);
        assert!(screen.contains("Username"), "{width}: {screen}");
        assert!(screen.contains("aiko.tanaka"), "{width}: {screen}");
    }
}

/// A bad entry in the settings file's keymap is on the status line when the console
/// starts, not pushed off by start-up's own news (connected, the pool opened); the first
/// key moves on from it, and the messages keep it.
#[tokio::test]
async fn a_bad_keymap_entry_reaches_the_status_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let target = cognito_console::client::Target::Local { db: db.clone() };
    let mut options = common::console_options(target, None, false);
    options.notices = vec!["[keys.users] nonsense: no such command".into()];
    let mut h = common::local_console(&db, options).await;
    assert!(h.app.pool.is_some(), "started and opened the pool");
    let status = h.app.status.clone().expect("said");
    assert!(
        status.error && status.text.contains("nonsense"),
        "{status:?}"
    );
    assert!(h.screen(80, 24).contains("settings: [keys.users] nonsense"));
    h.press("j").await;
    assert!(h.app.log.iter().any(|m| m.text.contains("nonsense")));
}
