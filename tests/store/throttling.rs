//! A throttled account: `serve --max-rps 5` answers TooManyRequestsException above five
//! requests a second, as Cognito does when an account's quota is spent. Paging through
//! the pool still yields every user exactly once, through the client's adaptive retries
//! and, when those run out, the console's own visible ones ("throttled, retrying").

use crate::common;

use std::collections::BTreeSet;

use aws_sdk_cognitoidentityprovider as cognito;
use cognito::config::{BehaviorVersion, Credentials, Region};
use cognito_console::client::{self, Client, Target, UserQuery};
use cognito_console::console::action::Action;
use cognito_console::console::headless::Headless;
use cognito_console::local::{Store, db::seed, wire::api};
use crossterm::event::{KeyCode, KeyEvent};
use serde_json::json;

/// 1,200 keeps the suite quick; `THROTTLE_USERS=10000` runs the full size.
fn users() -> usize {
    std::env::var("THROTTLE_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_200)
}
const RPS: &str = "5";

/// The console's client on `endpoint` with the SDK's retries off: every throttled
/// answer reaches the console.
fn without_retries(endpoint: &str) -> Client {
    let config = cognito::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .endpoint_url(endpoint)
        .retry_config(cognito::config::retry::RetryConfig::disabled())
        .build();
    Client::new(cognito::Client::from_conf(config), aws_target(endpoint))
}

/// A store at `db` with one pool of `n` users; the pool's id.
fn pool_of(db: &std::path::Path, n: usize) -> String {
    let store = Store::open(db).unwrap();
    let pool = api::call(
        &store,
        &Default::default(),
        "CreateUserPool",
        &json!({"PoolName": "throttled"}),
    )
    .unwrap()["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    seed::synthetic_users(&store, &pool, 0, n).unwrap();
    pool
}

/// A store with one pool of `users()` users, served at most RPS requests a second.
fn throttled_serve(dir: &std::path::Path) -> (common::ServeProcess, String) {
    let db = dir.join("store.db");
    let pool = pool_of(&db, users());
    let serve = common::spawn_serve(&db, &["--no-demo", "--max-rps", RPS]);
    (serve, pool)
}

fn aws_target(endpoint: &str) -> Target {
    assert!(
        std::env::var_os("AWS_ACCESS_KEY_ID").is_some()
            && std::env::var_os("AWS_EC2_METADATA_DISABLED").is_some(),
        "run the README's test command (scripts/test): it sets throwaway AWS credentials"
    );
    Target::Aws {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.into()),
    }
}

/// The client as the console connects it (adaptive retry) pages the whole pool with no
/// error, no duplicate and no gap, though the cap turned attempts away.
#[tokio::test]
async fn the_client_pages_a_throttled_pool_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let (serve, pool) = throttled_serve(dir.path());
    let client = client::connect(aws_target(&serve.endpoint)).await.unwrap();
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let query = UserQuery {
            limit: Some(60),
            pagination_token: token.take(),
            ..UserQuery::default()
        };
        let page = client
            .list_users(&pool, &query)
            .await
            .expect("the SDK's adaptive retries carry every page through");
        seen.extend(page.users.into_iter().map(|u| u.username));
        match page.next {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert!(
        client.throttling().count() > 0,
        "the SDK met throttling (and the console's status would say so)"
    );
    assert_eq!(seen.len(), users(), "no page lost or repeated");
    assert_eq!(unique.len(), users(), "no user twice");
}

/// With no SDK retries at all, every throttled page reaches the console, which says
/// "throttled, retrying" (never an error) and asks again until the page comes.
#[tokio::test]
async fn the_console_retries_throttled_pages_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (serve, pool) = throttled_serve(dir.path());
    let client = without_retries(&serve.endpoint);
    let options = common::console_options(aws_target(&serve.endpoint), Some(pool), false);
    let mut h = Headless::start_with_client(options, client).await;
    h.press("3").await;
    let mut saw_the_status = false;
    for _ in 0..500 {
        if h.app.users.complete {
            break;
        }
        // G to the bottom, then one call at a time, looking at the screen in between.
        h.send(Action::Key(KeyEvent::from(KeyCode::Char('G'))));
        while h.step().await {
            let screen = h.screen(80, 24);
            saw_the_status |= screen.contains("throttled, retrying");
            if let Some(status) = &h.app.status {
                assert!(!status.error, "an error on screen: {}", status.text);
            }
        }
    }
    assert!(h.app.users.complete, "paging finished");
    let names: Vec<&str> = h
        .app
        .users
        .rows
        .iter()
        .map(|u| u.username.as_str())
        .collect();
    let unique: BTreeSet<&&str> = names.iter().collect();
    assert_eq!(names.len(), users());
    assert_eq!(unique.len(), users());
    assert!(h.app.users.throttled_total > 0, "the cap never bit");
    assert!(saw_the_status, "throttling was never shown");
}

/// A bulk action on marked users against a throttled account, with no SDK retries: each
/// refused change waits its turn and is made again (the pace slows), none is dropped or
/// reported failed, and every user is changed once.
#[tokio::test]
async fn a_bulk_action_slows_to_the_accounts_pace_and_drops_no_one() {
    const MARKED: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let pool = pool_of(&db, MARKED);
    let serve = common::spawn_serve(&db, &["--no-demo", "--max-rps", "10"]);
    let client = without_retries(&serve.endpoint);
    let options = common::console_options(aws_target(&serve.endpoint), Some(pool.clone()), false);
    let mut h = Headless::start_with_client(options, client).await;
    h.press("3 *").await;
    // Marking pages at the same pace; a throttled page is asked for again.
    for _ in 0..50 {
        if h.app.users.marks.len() == MARKED {
            break;
        }
        h.press("*").await;
    }
    assert_eq!(h.app.users.marks.len(), MARKED);
    h.press("d enter enter").await;
    let said = common::status_text(&h);
    assert_eq!(said, format!("disable {MARKED} users: {MARKED} done"));
    let store = Store::open(&db).unwrap();
    let enabled: i64 = store
        .read(|tx| {
            Ok(
                tx.query_row("SELECT count(*) FROM users WHERE enabled = 1", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert_eq!(enabled, 0, "every marked user disabled");
    assert!(
        h.app.log.iter().all(|m| !m.error),
        "no failure: {:?}",
        h.app.log
    );
}
