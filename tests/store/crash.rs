//! Kill `serve` with SIGKILL while it creates users: the database must open cleanly,
//! hold every user that got a success answer, and no half-written user.

use crate::common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cognito_console::local::Store;
use cognito_console::pool::{Attribute, MessageAction, NewUser, Secret};
use tokio::sync::Mutex;

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_a_thousand_creations_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut serve = common::spawn_serve(&db, &["--no-demo"]);
    let client = common::endpoint_client(&serve.endpoint);
    let pool_id = client.create_pool("crash").await.unwrap().id;

    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    // Eight writers at once, 125 users each: 1,000 creations in flight.
    for writer in 0..8 {
        let client = client.clone();
        let pool_id = pool_id.clone();
        let acknowledged = Arc::clone(&acknowledged);
        let done = Arc::clone(&done);
        tasks.push(tokio::spawn(async move {
            for i in 0..125 {
                let username = format!("w{writer}-u{i:03}");
                let user = NewUser {
                    username: username.clone(),
                    attributes: vec![Attribute::new("email", format!("{username}@example.com"))],
                    message_action: Some(MessageAction::Suppress),
                    // A password someone knows: the user gets a verifier to be whole with.
                    temporary_password: Some(Secret::new("Temp-Passw0rd")),
                    ..NewUser::default()
                };
                match client.create_user(&pool_id, &user).await {
                    Ok(_) => {
                        acknowledged.lock().await.insert(username);
                        done.fetch_add(1, Ordering::SeqCst);
                    }
                    // The server is gone: stop this writer.
                    Err(_) => return,
                }
            }
        }));
    }
    // Kill it mid-stream, once a good number of users are in.
    while done.load(Ordering::SeqCst) < 250 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    serve.child.kill().expect("SIGKILL serve");
    serve.child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acknowledged = acknowledged.lock().await.clone();
    assert!(
        acknowledged.len() >= 250 && acknowledged.len() < 1000,
        "killed mid-stream: {}",
        acknowledged.len()
    );

    let store = Store::open(&db).expect("the database opens after SIGKILL");
    let (integrity, stored, counted, whole): (String, Vec<String>, i64, i64) = store
        .read(|tx| {
            let integrity = tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            let stored = tx
                .prepare("SELECT username FROM users WHERE pool_id = ?1")?
                .query_map([&pool_id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let counted = tx.query_row(
                "SELECT user_count FROM user_pools WHERE id = ?1",
                [&pool_id],
                |r| r.get(0),
            )?;
            // A whole user: a sub, a verifier of full size with its salt, its status,
            // and the email copied to the search column from its attributes.
            let whole = tx.query_row(
                "SELECT count(*) FROM users WHERE pool_id = ?1 AND length(sub) = 36
                   AND length(password_verifier) = 384 AND length(password_salt) = 16
                   AND status = 'FORCE_CHANGE_PASSWORD' AND email = username || '@example.com'
                   AND json_extract(attributes, '$[0][1]') = email",
                [&pool_id],
                |r| r.get(0),
            )?;
            Ok((integrity, stored, counted, whole))
        })
        .unwrap();
    assert_eq!(integrity, "ok");
    let stored: BTreeSet<String> = stored.into_iter().collect();
    let missing: Vec<&String> = acknowledged.difference(&stored).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    assert_eq!(
        counted as usize,
        stored.len(),
        "the pool's count matches its users"
    );
    assert_eq!(whole as usize, stored.len(), "every stored user is whole");
    // At most the requests in flight when it died were stored without an answer.
    assert!(stored.len() - acknowledged.len() <= 8);
}

/// A database with garbage in a data page is refused with a clear message: before it is
/// served when it is small, and (a large one being checked on a thread of its own while
/// it serves) from the moment the check finds the damage, reads and writes alike.
#[test]
fn a_damaged_database_is_refused_not_served() {
    use cognito_console::local::{Store, db::seed};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    {
        let store = Store::open(&db).unwrap();
        seed::ensure_demo_pool(&store).unwrap();
    }
    // The page that holds a user's row, its header overwritten.
    let mut bytes = std::fs::read(&db).unwrap();
    let at = bytes
        .windows(24)
        .position(|w| w == b"ana.nakamura@example.com")
        .expect("the row on disk");
    let page = at - at % 4096;
    bytes[page..page + 12].copy_from_slice(&[0xAB; 12]);
    std::fs::write(&db, &bytes).unwrap();

    let refused = Store::open(&db).unwrap_err().to_string();
    assert!(refused.contains("is damaged"), "{refused}");
    assert!(refused.contains("restore it from a copy"), "{refused}");

    let store = Store::open_checked(&db, 0).expect("a large file opens, checked aside");
    let mut last = String::new();
    for _ in 0..500 {
        match store.read(|tx| {
            Ok(tx.query_row("SELECT count(*) FROM user_pools", [], |r| {
                r.get::<_, i64>(0)
            })?)
        }) {
            Err(e) if e.message.contains("is damaged") => {
                last = e.message;
                break;
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
    assert!(last.contains("is damaged"), "never shut off");
    let write = store.write(|tx| Ok(tx.execute("DELETE FROM outbox", [])?));
    assert!(write.is_err(), "no write to a damaged file");
}
