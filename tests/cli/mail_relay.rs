//! The mail relay (`--smtp`) against a real SMTP server (aiosmtpd, started here from
//! the .venv the test command fills): what arrives, what does not, what a refusing
//! server leaves behind, and how a retry sends it once; `outbox` and its `--follow`.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, AttributeType, DeliveryMediumType, EmailConfigurationType,
    MessageActionType, MessageTemplateType,
};
use cognito_console::local::{Store, mail::outbox, mail::relay, wire::api};
use cognito_console::mail::{Relay, RelaySettings};
use cognito_console::pool::message::MessageState;
use common::smtp::Sink;
use serde_json::json;

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("attribute")
}

/// `cognito-console --db DB ARGS...`: its standard output, and whether it succeeded.
fn cli(db: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(common::binary())
        .arg("--db")
        .arg(db)
        .arg("--log-file")
        .arg(db.with_extension("cli.log"))
        .args(args)
        .output()
        .expect("run cognito-console");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn relay(url: &str) -> Relay {
    Relay::new(&RelaySettings {
        url: url.into(),
        ..RelaySettings::default()
    })
    .expect("relay")
}

/// Waits (up to 20 s) until `check` holds for the messages of `pool` in the store.
fn wait_for_state(
    db: &std::path::Path,
    pool: &str,
    check: impl Fn(&[cognito_console::pool::message::SentMessage]) -> bool,
) -> Vec<cognito_console::pool::message::SentMessage> {
    let store = Store::open(db).expect("store");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let messages = outbox::list(&store, pool, None).expect("outbox");
        if check(&messages) {
            return messages;
        }
        assert!(
            Instant::now() < deadline,
            "never came to pass: {messages:#?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A pool with its own sender, Reply-To and invitation, on `serve`.
async fn mail_pool(client: &cognito_console::client::Client) -> String {
    let pool = client
        .sdk()
        .create_user_pool()
        .pool_name("mail")
        .email_configuration(
            EmailConfigurationType::builder()
                .from("Team <team@example.com>")
                .reply_to_email_address("help@example.com")
                .build(),
        )
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .invite_message_template(
                    MessageTemplateType::builder()
                        .email_subject("Your new account")
                        .email_message(
                            "Hello {username}, your temporary password is {####}<br>Sign in soon.",
                        )
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("create pool");
    pool.user_pool()
        .and_then(|p| p.id())
        .expect("id")
        .to_string()
}

/// AdminCreateUser on `serve`: the invitation by `medium`, or none (SUPPRESS).
async fn create(
    client: &cognito_console::client::Client,
    pool: &str,
    username: &str,
    attributes: &[(&str, &str)],
    medium: Option<DeliveryMediumType>,
    password: Option<&str>,
) {
    let mut call = client
        .sdk()
        .admin_create_user()
        .user_pool_id(pool)
        .username(username)
        .set_temporary_password(password.map(str::to_string))
        .set_user_attributes(Some(attributes.iter().map(|(n, v)| attr(n, v)).collect()));
    call = match medium {
        Some(m) => call.desired_delivery_mediums(m),
        None => call.message_action(MessageActionType::Suppress),
    };
    call.send()
        .await
        .unwrap_or_else(|e| panic!("{username}: {e:?}"));
}

/// jane@example.com, invited by email with a generated password.
async fn invite_jane(client: &cognito_console::client::Client, pool: &str) {
    let email = Some(DeliveryMediumType::Email);
    create(
        client,
        pool,
        "jane",
        &[("email", "jane@example.com")],
        email,
        None,
    )
    .await;
}

#[tokio::test]
async fn serve_sends_what_the_pool_says_and_nothing_suppressed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let sink = Sink::start(dir.path(), false);
    let serve = common::spawn_serve(&db, &["--no-demo", "--smtp", &sink.url()]);
    let client = common::endpoint_client(&serve.endpoint);
    let sdk = client.sdk();
    let pool = mail_pool(&client).await;

    let email = Some(DeliveryMediumType::Email);
    create(
        &client,
        &pool,
        "jane",
        &[("email", "jane@example.com")],
        email,
        Some("Temp0rary!Pass"),
    )
    .await;
    create(
        &client,
        &pool,
        "quiet",
        &[("email", "quiet@example.com")],
        None,
        None,
    )
    .await;
    let sms = Some(DeliveryMediumType::Sms);
    create(
        &client,
        &pool,
        "phone",
        &[("phone_number", "+15555550100")],
        sms,
        None,
    )
    .await;
    // A code: a confirmed user with a verified address whose password the admin resets.
    let verified = [("email", "sam@example.com"), ("email_verified", "true")];
    create(&client, &pool, "sam", &verified, None, None).await;
    sdk.admin_set_user_password()
        .user_pool_id(&pool)
        .username("sam")
        .password("Permanent!Pass1")
        .permanent(true)
        .send()
        .await
        .expect("password");
    sdk.admin_reset_user_password()
        .user_pool_id(&pool)
        .username("sam")
        .send()
        .await
        .expect("reset");

    let got = sink.wait_for(2);
    let invitation = &got[0];
    assert_eq!(invitation.rcpt_tos, ["jane@example.com"]);
    assert_eq!(invitation.to, "jane@example.com");
    assert_eq!(invitation.from, "Team <team@example.com>");
    assert_eq!(invitation.mail_from, "team@example.com");
    assert_eq!(invitation.reply_to, "help@example.com");
    assert_eq!(invitation.subject, "Your new account");
    assert_eq!(invitation.content_type, "text/html");
    assert_eq!(
        invitation.body.trim_end(),
        "Hello jane, your temporary password is Temp0rary!Pass<br>Sign in soon."
    );
    let code = &got[1];
    assert_eq!(code.rcpt_tos, ["sam@example.com"]);
    assert_eq!(code.subject, "Your verification code");
    assert!(
        code.body
            .split(|c: char| !c.is_ascii_digit())
            .any(|w| w.len() == 6),
        "a six-digit code in {:?}",
        code.body
    );
    // Nothing else: SUPPRESS sent nothing, and SMS is not mailed.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(sink.received().len(), 2, "{:#?}", sink.received());

    // `outbox` needs no --pool for the only pool, and says what became of each.
    let (ok, text) = cli(&db, &["outbox"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("UTC  EMAIL to jane@example.com  (user jane)"),
        "{text}"
    );
    assert!(text.contains("State: sent by SMTP at "), "{text}");
    assert!(text.contains("SMS to +15555550100"), "{text}");
    assert!(
        text.contains("State: kept in the outbox (SMS is not relayed)"),
        "{text}"
    );
    assert!(
        text.find("to sam@example.com") < text.find("to jane@example.com"),
        "newest first: {text}"
    );
    let (ok, text) = cli(&db, &["outbox", "--user", "quiet"]);
    assert!(ok, "{text}");
    assert!(text.contains("no messages to quiet in "), "{text}");
    let (ok, text) = cli(&db, &["outbox", "--user", "nobody"]);
    assert!(!ok && text.contains("no user \"nobody\""), "{text}");
}

#[tokio::test]
async fn a_refused_message_is_kept_and_a_retry_sends_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let sink = Sink::start(dir.path(), true);
    let serve = common::spawn_serve(&db, &["--no-demo", "--smtp", &sink.url()]);
    let client = common::endpoint_client(&serve.endpoint);
    let pool = mail_pool(&client).await;
    // The call answers at once, whatever the mail server does.
    invite_jane(&client, &pool).await;

    let kept = wait_for_state(&db, &pool, |m| {
        matches!(
            m.first().map(|m| &m.state),
            Some(MessageState::Failed { .. })
        )
    });
    let MessageState::Failed { tries, error, next } = &kept[0].state else {
        unreachable!()
    };
    assert_eq!(*tries, 1);
    assert!(error.contains("554"), "{error}");
    assert!(next.is_some(), "it will be tried again");
    let (_, text) = cli(&db, &["outbox"]);
    assert!(text.contains("State: failed once, next try at "), "{text}");
    assert!(text.contains("554"), "{text}");
    assert!(sink.received().is_empty());

    sink.accept();
    let (ok, text) = cli(&db, &["outbox", "--retry"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("1 failed email(s) in ")
            && text.contains(&format!(
                "tried again (relay to smtp://127.0.0.1:{})",
                sink.port
            )),
        "{text}"
    );
    let got = sink.wait_for(1);
    assert_eq!(got[0].rcpt_tos, ["jane@example.com"]);
    wait_for_state(&db, &pool, |m| {
        matches!(m[0].state, MessageState::Sent { .. })
    });
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(sink.received().len(), 1, "sent once");
}

/// The relay's own retries, on the store's clock (moved by the test, not waited for).
#[tokio::test]
async fn the_relay_tries_again_after_its_delay() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let clock = Arc::new(AtomicU64::new(0));
    let store = Arc::new(common::store_with_clock(&db, &clock));
    let call = |op: &str, body: serde_json::Value| {
        api::call(&store, &Default::default(), op, &body).expect(op)
    };
    let pool = call("CreateUserPool", json!({"PoolName": "p"}))["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let user = |name: &str| {
        call(
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": name, "DesiredDeliveryMediums": ["EMAIL"],
                   "UserAttributes": [{"Name": "email", "Value": format!("{name}@example.com")}]}),
        );
    };
    // With no relay running, an email is kept, not queued.
    user("early");
    assert_eq!(
        outbox::list(&store, &pool, None).unwrap()[0].state,
        MessageState::KeptNoRelay
    );

    // A relay is running; its server is down.
    outbox::relay_alive(&store, "test", "smtp://test", 30.0).unwrap();
    user("jane");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let down = relay(&format!(
        "smtp://127.0.0.1:{}",
        closed.local_addr().unwrap().port()
    ));
    drop(closed);
    assert_eq!(relay::deliver_due(&store, &down).await, 1);
    let MessageState::Failed {
        tries: 1,
        next: Some(next),
        ..
    } = outbox::list(&store, &pool, Some("jane")).unwrap()[0]
        .state
        .clone()
    else {
        panic!("failed once, with a next try")
    };
    assert_eq!(next, store.now() + Duration::from_secs(5));
    assert_eq!(relay::deliver_due(&store, &down).await, 0, "not due yet");

    let sink = Sink::start(dir.path(), false);
    let up = relay(&sink.url());
    clock.fetch_add(4, Ordering::SeqCst);
    assert_eq!(relay::deliver_due(&store, &up).await, 0, "not due yet");
    clock.fetch_add(1, Ordering::SeqCst);
    assert_eq!(relay::deliver_due(&store, &up).await, 1);
    assert_eq!(relay::deliver_due(&store, &up).await, 0, "sent once");
    let got = sink.wait_for(1);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rcpt_tos, ["jane@example.com"]);
    assert_eq!(got[0].from, "no-reply@verificationemail.com");
    assert!(matches!(
        outbox::list(&store, &pool, Some("jane")).unwrap()[0].state,
        MessageState::Sent { at } if at == store.now()
    ));

    // Given up after the last try, until retried by hand.
    outbox::relay_alive(&store, "test", "smtp://test", 1e9).unwrap();
    user("gone");
    for _ in 0..outbox::MAX_TRIES {
        clock.fetch_add(600, Ordering::SeqCst);
        assert_eq!(relay::deliver_due(&store, &down).await, 1);
    }
    let state = outbox::list(&store, &pool, Some("gone")).unwrap()[0]
        .state
        .clone();
    assert!(
        matches!(state, MessageState::Failed { next: None, tries, .. } if tries as i64 == outbox::MAX_TRIES),
        "{state:?}"
    );
    clock.fetch_add(3600, Ordering::SeqCst);
    assert_eq!(relay::deliver_due(&store, &up).await, 0, "given up");
    assert_eq!(outbox::retry(&store, Some(&pool)).unwrap(), 1);
    assert_eq!(relay::deliver_due(&store, &up).await, 1);
    assert_eq!(sink.wait_for(2)[1].rcpt_tos, ["gone@example.com"]);
}

/// A child process killed if the test ends early.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn outbox_follow_shows_messages_as_they_are_made_and_sent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let sink = Sink::start(dir.path(), false);
    let serve = common::spawn_serve(&db, &["--no-demo", "--smtp", &sink.url()]);
    let client = common::endpoint_client(&serve.endpoint);
    let pool = mail_pool(&client).await;
    let mut follow = Killed(
        Command::new(common::binary())
            .arg("--db")
            .arg(&db)
            .arg("--log-file")
            .arg(db.with_extension("follow.log"))
            .args(["outbox", "--follow"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("outbox --follow"),
    );
    let follow = &mut follow.0;
    let (lines, seen) = std::sync::mpsc::channel();
    let stdout = follow.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let next = |want: &str| -> String {
        loop {
            let line = seen
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("no line with {want:?}"));
            if line.contains(want) {
                return line;
            }
        }
    };
    next(&format!("no messages in {pool} yet; waiting"));
    invite_jane(&client, &pool).await;
    next("EMAIL to jane@example.com  (user jane)");
    // Printed pending and then sent, or sent already: either way it says so.
    next("sent by SMTP at ");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(follow.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = follow.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "--follow did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(sink.received().len(), 1);
}

#[test]
fn a_bad_smtp_url_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let (ok, text) = cli(
        &db,
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--smtp",
            "http://127.0.0.1:25",
        ],
    );
    assert!(
        !ok && text.contains("--smtp: the scheme is \"http\""),
        "{text}"
    );
    let (ok, text) = cli(
        &db,
        &[
            "serve",
            "--smtp",
            "smtp://127.0.0.1:25",
            "--smtp-from",
            "nobody",
        ],
    );
    assert!(
        !ok && text.contains("--smtp-from \"nobody\": not an email address"),
        "{text}"
    );
    let (ok, text) = cli(&db, &["--smtp", "smtp://127.0.0.1:25", "pools"]);
    assert!(
        !ok && text.contains("--smtp applies to the console, serve and ssh"),
        "{text}"
    );
    // A password given without a user is refused before anything starts.
    let out = Command::new(common::binary())
        .arg("--db")
        .arg(&db)
        .arg("--log-file")
        .arg(db.with_extension("cli.log"))
        .args(["serve", "--smtp", "smtp://127.0.0.1:25"])
        .env("COGNITO_CONSOLE_SMTP_PASSWORD", "secret")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && text.contains("needs a user"),
        "{text}"
    );
    assert!(!text.contains("secret"));
}
