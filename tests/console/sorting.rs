//! `o` sorts the Users list by the next column and `O` reverses it, labelled in the
//! header and the summary: the whole pool, in the store, on the local store; what is
//! loaded, said as such, elsewhere (ListUsers has no order). After the last column the
//! pool's own order returns.

use crate::common;

fn rows(h: &cognito_console::console::headless::Headless) -> Vec<String> {
    h.app
        .users
        .rows
        .iter()
        .map(|u| u.username.clone())
        .collect()
}

#[tokio::test]
async fn the_local_store_sorts_the_whole_pool() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let offset = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let target = cognito_console::client::Target::Local { db: db.clone() };
    let mut h =
        common::local_console_on(&db, common::console_options(target, None, false), &offset).await;
    // One user changed a day later: the newest.
    offset.fetch_add(86_400, std::sync::atomic::Ordering::SeqCst);
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    let client = h.app.client.clone().unwrap();
    client
        .set_user_enabled(&pool, "mei.chen", false)
        .await
        .unwrap();

    h.press("3 o").await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("sorted by Username A to Z"), "{screen}");
    assert!(
        screen.contains("Username↑"),
        "the header says which: {screen}"
    );
    // Enabled: Disabled before Enabled; then Updated, newest first.
    h.press("o").await;
    let disabled = [
        "jonas.andersen",
        "mei.chen",
        "nia.costa",
        "priya.silva",
        "ravi.obrien",
        "yara.sharma",
    ];
    assert_eq!(rows(&h)[..6], disabled);
    for _ in 0..5 {
        h.press("o").await;
    }
    assert_eq!(h.app.users.sort.unwrap().column.title(), "Updated");
    h.press("O").await;
    assert_eq!(rows(&h)[0], "mei.chen", "newest first");
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("sorted by Updated newest first") && !screen.contains("not the pool"),
        "the whole pool: {screen}"
    );
    crate::snapshots::check("users_sorted", &mut h);
    // To the last user: the store pages on in this order.
    h.press("G").await;
    assert_eq!(h.app.users.seen(), 50);
    assert_eq!(
        rows(&h).last().unwrap(),
        "aiko.tanaka",
        "ties by name, reversed too"
    );
    // After Created, the pool's own order again.
    h.press("o").await;
    h.press("o").await;
    assert!(h.app.users.sort.is_none());
    assert_eq!(rows(&h)[0], "aiko.tanaka");
}

#[tokio::test]
async fn moto_sorts_what_is_loaded_and_says_so() {
    let (setup, pool) = common::moto_pool("sort").await;
    for (name, email) in [
        ("ana", "z@example.com"),
        ("bob", "a@example.com"),
        ("cy", "m@example.com"),
    ] {
        setup
            .create_user(&pool, &common::kit::suppressed(name, &[("email", email)]))
            .await
            .unwrap();
    }
    let mut h = common::moto_console(&pool).await;
    h.press("3 o o o o").await; // Username, Enabled, Account status, Email
    assert_eq!(rows(&h), ["bob", "cy", "ana"]);
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("sorted by Email A to Z: the 3 loaded, not the pool"),
        "{screen}"
    );
    h.press("O").await;
    assert_eq!(rows(&h), ["ana", "cy", "bob"]);
}
