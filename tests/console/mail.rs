//! The console and mail: a test email of the message being edited, sent through the
//! relay to a real SMTP server (aiosmtpd); a user's details listing what the store sent
//! them and what the relay made of it.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_console::client::Target;
use cognito_console::console::popups::test_send::TestSend;
use cognito_console::local::mail::relay;
use cognito_console::mail::{Relay, RelaySettings};
use cognito_console::pool::{DeliveryMedium, MessageAction, NewUser};
use common::smtp::Sink;

fn relay_to(sink: &Sink) -> Relay {
    Relay::new(&RelaySettings {
        url: sink.url(),
        from: Some("Admins <admins@example.com>".into()),
        ..RelaySettings::default()
    })
    .expect("relay")
}

async fn console(
    dir: &std::path::Path,
    mail: Option<Relay>,
) -> cognito_console::console::headless::Headless {
    let db = dir.join("store.db");
    let mut options = common::console_options(Target::Local { db: db.clone() }, None, false);
    options.mail = mail;
    common::local_console(&db, options).await
}

#[tokio::test]
async fn a_test_email_of_the_message_being_edited() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), false);
    let mut h = console(dir.path(), Some(relay_to(&sink))).await;
    // Message customizations, the invitation's email message, edited and not saved.
    h.press("2 j j j j").await;
    let bar = h.screen(120, 40);
    assert!(bar.contains("T send a test email"), "{bar}");
    h.press("e").await;
    h.type_text(" Thanks!").await;
    h.press("ctrl-t").await;
    assert!(h.app.top::<TestSend>().is_some());
    let form = h.screen(80, 24);
    assert!(form.contains("Send a test invitation email"), "{form}");
    assert!(
        form.contains("From Admins <admins@example.com> by smtp://127.0.0.1:"),
        "{form}"
    );
    // A bad address is refused by name, before anything is sent.
    h.type_text("not-an-address").await;
    h.press("enter").await;
    assert!(h.screen(80, 24).contains("email"), "the field says why");
    assert!(sink.received().is_empty());
    for _ in 0.."not-an-address".len() {
        h.press("backspace").await;
    }
    h.type_text("admin@example.com").await;
    h.press("enter").await;
    let got = sink.wait_for(1);
    assert_eq!(got[0].rcpt_tos, ["admin@example.com"]);
    assert_eq!(got[0].from, "Admins <admins@example.com>");
    assert_eq!(
        got[0].subject, "Welcome to the demo pool",
        "the demo pool's invitation"
    );
    assert!(got[0].body.contains("jane.doe"), "{}", got[0].body);
    assert!(
        got[0].body.trim_end().ends_with("Thanks!"),
        "the edit as typed: {}",
        got[0].body
    );
    assert!(h.app.popup().is_none(), "the form closes once sent");
    let status = common::status_text(&h);
    assert!(
        status.starts_with("test invitation email sent to admin@example.com"),
        "{status}"
    );
    // The edit is still open, unsaved: a test changes nothing in the pool.
    assert!(
        h.app
            .messages
            .editor
            .as_ref()
            .is_some_and(|e| e.is_changed())
    );

    // The next test offers the same address.
    h.press("ctrl-t").await;
    assert!(h.screen(80, 24).contains("admin@example.com"));
}

#[tokio::test]
async fn a_refused_test_keeps_the_form_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start(dir.path(), true);
    let mut h = console(dir.path(), Some(relay_to(&sink))).await;
    h.press("2 T").await;
    h.type_text("admin@example.com").await;
    h.press("enter").await;
    assert!(h.app.top::<TestSend>().is_some(), "still open");
    let status = common::status_text(&h);
    assert!(
        status.contains("not sent") && status.contains("554"),
        "{status}"
    );
    assert!(h.screen(80, 24).contains("admin@example.com"), "as typed");
}

#[tokio::test]
async fn without_a_relay_the_key_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = console(dir.path(), None).await;
    h.press("2 T").await;
    assert!(h.app.popup().is_none());
    assert!(
        common::status_text(&h).contains("--smtp"),
        "{}",
        common::status_text(&h)
    );
    // An SMS message has no test email: the key is not offered there.
    h.press("j j").await;
    assert!(!h.screen(120, 40).contains("send a test email"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_details_list_what_they_were_sent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let sink = Sink::start(dir.path(), false);
    let mut h = console(dir.path(), None).await;
    // The relay runs on the same database, as main starts it beside the console.
    let clock = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let running = relay::start(
        Arc::new(common::store_with_clock(&db, &clock)),
        relay_to(&sink),
    )
    .await
    .unwrap();
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    let invited = NewUser {
        username: "zoe.invited".into(),
        attributes: common::kit::attrs(&[("email", "zoe@example.com")]),
        desired_delivery_mediums: vec![DeliveryMedium::Email],
        ..NewUser::default()
    };
    client.create_user(&pool, &invited).await.unwrap();
    let quiet = NewUser {
        username: "zoe.quiet".into(),
        message_action: Some(MessageAction::Suppress),
        ..invited.clone()
    };
    client.create_user(&pool, &quiet).await.unwrap();
    sink.wait_for(1);
    // The relay records the sending just after the server answers.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        h.press("r").await;
        common::select(&mut h, "zoe.invited").await;
        h.press("enter").await;
        let screen = h.screen(120, 40);
        if screen.contains("sent by SMTP at") {
            assert!(screen.contains("1 message, the newest sent"), "{screen}");
            assert!(screen.contains("EMAIL to zoe@example.com"), "{screen}");
            assert!(
                screen.contains("Subject: Welcome to the demo pool"),
                "{screen}"
            );
            assert!(
                screen.contains("sent by SMTP at 2026-11-22 09:30:00 UTC"),
                "{screen}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "{screen}");
        h.press("esc").await;
    }
    h.press("esc").await;
    common::select(&mut h, "zoe.quiet").await;
    h.press("enter").await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("none sent"), "{screen}");
    running.stop().await;
    assert_eq!(sink.received().len(), 1, "SUPPRESS sent nothing");
}
