//! Headless flow tests: keys go into the real App, its effects run against a real
//! client until nothing is pending, and the tests read state and screen. No sleeps.

use crate::common;

use common::select;

use aws_sdk_cognitoidentityprovider::types::LambdaConfigType;
use cognito_console::client::{Client, Target};
use cognito_console::console::Options;
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::confirm::Confirm;
use cognito_console::console::popups::create_user::CreateUser;
use cognito_console::console::popups::pool_picker::PoolPicker;
use cognito_console::console::popups::try_sign_in::{Stage, TrySignIn};
use cognito_console::console::popups::type_to_confirm::TypeToConfirm;
use cognito_console::console::popups::user_detail::UserDetail;
use cognito_console::pool::{MessageAction, NewUser};

fn options(target: Target, pool: Option<String>) -> Options {
    common::console_options(target, pool, false)
}

/// The console on a fresh local store: the demo pool (50 users) opens by itself.
async fn local() -> (Headless, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let h = common::local_console(&db, options(Target::Local { db: db.clone() }, None)).await;
    assert!(h.app.pool.is_some(), "the only pool opens at start");
    (h, dir)
}

/// The console on moto, with a pool made for the test and `users` users in it.
async fn moto(users: usize) -> Headless {
    let (setup, pool) = common::moto_pool("flow").await;
    add_users(&setup, &pool, "member", users).await;
    common::moto_console(&pool).await
}

async fn add_users(client: &Client, pool: &str, prefix: &str, n: usize) {
    for i in 0..n {
        let user = NewUser {
            username: format!("{prefix}{i:04}"),
            message_action: Some(MessageAction::Suppress),
            ..NewUser::default()
        };
        client.create_user(pool, &user).await.unwrap();
    }
}

fn client(h: &Headless) -> Client {
    h.app.client.clone().expect("connected")
}

fn pool_id(h: &Headless) -> String {
    h.app.pool.as_ref().expect("pool").id.clone()
}

fn form_error(h: &Headless, field: &str) -> Option<String> {
    match h.app.top::<CreateUser>() {
        Some(c) => c.form.field(field).and_then(|f| f.error.clone()),
        other => panic!("the Create user form is not open: {other:?}"),
    }
}

fn form_value(h: &Headless, field: &str) -> String {
    match h.app.top::<CreateUser>() {
        Some(c) => c.form.value(field).to_string(),
        other => panic!("the Create user form is not open: {other:?}"),
    }
}

fn focused(h: &Headless) -> String {
    match h.app.top::<CreateUser>() {
        Some(c) => c.form.focused_id().to_string(),
        _ => String::new(),
    }
}

/// Moves the form's focus to `field` with tab, as a person would.
async fn go_to(h: &mut Headless, field: &str) {
    for _ in 0..30 {
        if focused(h) == field {
            return;
        }
        h.press("tab").await;
    }
    panic!("no field {field}");
}

async fn fill(h: &mut Headless, field: &str, text: &str) {
    go_to(h, field).await;
    h.type_text(text).await;
}

// ------------------------------------------------------------------ Create user

async fn create_a_valid_user(mut h: Headless) {
    let before = h.app.pool.as_ref().unwrap().estimated_number_of_users;
    h.press("3 c").await;
    fill(&mut h, "username", "zoe").await;
    fill(&mut h, "phone", "+15555550199").await;
    fill(&mut h, "email", "zoe@example.com").await;
    go_to(&mut h, "email_verified").await;
    h.press("space ctrl-s").await;
    let Some(form) = h.app.top::<CreateUser>() else {
        panic!("form closed")
    };
    let created = form.created.as_ref().expect("created");
    assert_eq!(created.username, "zoe");
    assert!(created.sub().is_some());
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("Created zoe: FORCE_CHANGE_PASSWORD, sub "),
        "{screen}"
    );
    assert_eq!(form_value(&h, "password"), "", "the password is not kept");
    h.press("esc").await;
    assert!(
        h.app.users.rows.iter().any(|u| u.username == "zoe"),
        "the table has the new user"
    );
    assert_eq!(
        h.app.pool.as_ref().unwrap().estimated_number_of_users,
        before + 1
    );
    let got = client(&h).get_user(&pool_id(&h), "zoe").await.unwrap();
    assert!(got.is_verified("email_verified"));
}

#[tokio::test]
async fn local_create_a_valid_user() {
    let (h, _dir) = local().await;
    create_a_valid_user(h).await;
}

#[tokio::test]
async fn moto_create_a_valid_user() {
    create_a_valid_user(moto(3).await).await;
}

#[tokio::test]
async fn every_validation_case_stands_beside_its_field() {
    let (mut h, _dir) = local().await;
    let pool = pool_id(&h);
    let c = client(&h);
    // Make the email invitation long, so that once rendered it passes 2048 characters.
    let long = format!(
        "Hello {{username}}, your password is {{####}}. {}",
        "x".repeat(2030)
    );
    c.update_pool(&pool, |cfg| {
        let mut t = cfg
            .admin_create_user
            .invite_message_template
            .clone()
            .unwrap_or_default();
        t.email_message = Some(long);
        cfg.admin_create_user.invite_message_template = Some(t);
    })
    .await
    .unwrap();
    h.press("r").await;
    let users_before = h.app.pool.as_ref().unwrap().estimated_number_of_users;

    // (setup keys, field that must carry the error, what it must say)
    type Case = (
        &'static str,
        Vec<(&'static str, &'static str)>,
        Vec<&'static str>,
        &'static str,
        &'static str,
    );
    let long_name: &'static str = Box::leak("n".repeat(110).into_boxed_str());
    let cases: Vec<Case> = vec![
        (
            "no username",
            vec![],
            vec![],
            "username",
            "must not be empty",
        ),
        (
            "Email without email",
            vec![("username", "a1")],
            vec!["email_invite"],
            "email",
            "by EMAIL",
        ),
        (
            "SMS without phone",
            vec![("username", "a2")],
            vec![],
            "phone",
            "by SMS",
        ),
        (
            "verified without value",
            vec![("username", "a3"), ("phone", "+15555550100")],
            vec!["email_verified"],
            "email",
            "email_verified is true",
        ),
        (
            "bad E.164",
            vec![("username", "a4"), ("phone", "555-0100")],
            vec![],
            "phone",
            "E.164",
        ),
        (
            "temporary password failing the policy",
            vec![
                ("username", "a5"),
                ("phone", "+15555550100"),
                ("password", "short"),
            ],
            vec![],
            "password",
            "not long enough",
        ),
        (
            "SMS invitation over 140 once rendered",
            vec![("username", long_name), ("phone", "+15555550100")],
            vec![],
            "sms",
            "limit is 140",
        ),
        (
            "email invitation over 2048 once rendered",
            vec![("username", "a6"), ("email", "a6@example.com")],
            vec!["sms", "email_invite"],
            "email_invite",
            "limit is 2048",
        ),
    ];
    for (what, texts, toggles, field, says) in cases {
        h.press("c").await;
        for (f, text) in &texts {
            fill(&mut h, f, text).await;
        }
        for t in &toggles {
            go_to(&mut h, t).await;
            h.press("space").await;
        }
        h.press("ctrl-s").await;
        assert_eq!(h.pending(), 0, "{what}: nothing was sent");
        let error =
            form_error(&h, field).unwrap_or_else(|| panic!("{what}: no error beside {field}"));
        assert!(error.contains(says), "{what}: {field} says {error:?}");
        assert_eq!(
            focused(&h),
            h_first_error(&h),
            "{what}: the cursor is on the first error"
        );
        for (f, text) in &texts {
            assert_eq!(form_value(&h, f), *text, "{what}: {f} kept as typed");
        }
        discard(&mut h).await;
    }
    h.press("r").await;
    assert_eq!(
        h.app.pool.as_ref().unwrap().estimated_number_of_users,
        users_before,
        "no user was created"
    );
}

/// esc on a filled form asks first: say yes.
async fn discard(h: &mut Headless) {
    h.press("esc").await;
    if let Some(c) = h.app.top::<Confirm>() {
        assert!(c.title.starts_with("Discard"), "{}", c.title);
        h.press("enter").await;
    }
    assert!(h.app.popup().is_none(), "{:?}", h.app.popup());
}

fn h_first_error(h: &Headless) -> String {
    match h.app.top::<CreateUser>() {
        Some(c) => c
            .form
            .fields
            .iter()
            .find(|f| f.error.is_some())
            .map(|f| f.id.clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

async fn cognito_error_keeps_every_field(mut h: Headless, existing: &str) {
    h.press("3 c").await;
    fill(&mut h, "username", existing).await;
    fill(&mut h, "password", "Str0ng!Passw0rd").await;
    fill(&mut h, "phone", "+15555550123").await;
    fill(&mut h, "email", "again@example.com").await;
    fill(&mut h, "attr_name:0", "locale").await;
    fill(&mut h, "attr_value:0", "en-GB").await;
    h.press("ctrl-s").await;
    let error = form_error(&h, "username").expect("error beside the username");
    assert!(!error.is_empty());
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("Cognito refused: UsernameExistsException"),
        "{screen}"
    );
    for (field, value) in [
        ("username", existing),
        ("password", "Str0ng!Passw0rd"),
        ("phone", "+15555550123"),
        ("email", "again@example.com"),
        ("attr_name:0", "locale"),
        ("attr_value:0", "en-GB"),
    ] {
        assert_eq!(form_value(&h, field), value, "{field} kept");
    }
    assert!(
        !screen.contains("Str0ng!Passw0rd"),
        "the password stays masked"
    );
}

#[tokio::test]
async fn local_cognito_error_keeps_every_field() {
    let (h, _dir) = local().await;
    cognito_error_keeps_every_field(h, "amara.mensah").await;
}

#[tokio::test]
async fn moto_cognito_error_keeps_every_field() {
    cognito_error_keeps_every_field(moto(2).await, "member0001").await;
}

// ------------------------------------------------------------------ templates and policies

async fn editing_a_template_changes_nothing_else(mut h: Headless) {
    let pool = pool_id(&h);
    let c = client(&h);
    c.sdk()
        .update_user_pool()
        .user_pool_id(&pool)
        .lambda_config(
            LambdaConfigType::builder()
                .pre_sign_up("arn:aws:lambda:us-east-1:123456789012:function:f")
                .build(),
        )
        .auto_verified_attributes(
            aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType::Email,
        )
        .send()
        .await
        .unwrap();
    let before = c
        .sdk()
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    h.press("r 2").await;
    // The invitation's SMS message is the last of the six.
    h.press("j j j j j e").await;
    h.press("ctrl-u").await; // nothing bound: typed into the editor, harmless
    for _ in 0..200 {
        h.press("backspace").await;
    }
    h.type_text("Hi {username}! Your password: {####}").await;
    h.press("ctrl-s").await;
    assert!(h.app.messages.editor.is_none(), "saved: {:?}", h.app.status);
    let after = c
        .sdk()
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(
        after
            .admin_create_user_config()
            .and_then(|a| a.invite_message_template())
            .and_then(|t| t.sms_message()),
        Some("Hi {username}! Your password: {####}")
    );
    assert_eq!(after.lambda_config(), before.lambda_config());
    assert_eq!(
        after.auto_verified_attributes(),
        before.auto_verified_attributes()
    );
    assert_eq!(after.policies(), before.policies());
    assert_eq!(after.mfa_configuration(), before.mfa_configuration());
    assert_eq!(
        after.verification_message_template(),
        before.verification_message_template()
    );
}

#[tokio::test]
async fn local_editing_a_template_changes_nothing_else() {
    let (h, _dir) = local().await;
    editing_a_template_changes_nothing_else(h).await;
}

#[tokio::test]
async fn moto_editing_a_template_changes_nothing_else() {
    editing_a_template_changes_nothing_else(moto(1).await).await;
}

#[tokio::test]
async fn a_template_cognito_would_not_deliver_is_refused() {
    let (mut h, _dir) = local().await;
    h.press("2 j j j j j e").await;
    for _ in 0..200 {
        h.press("backspace").await;
    }
    h.type_text("Hello {username}, welcome").await;
    h.press("ctrl-s").await;
    let editor = h.app.messages.editor.as_ref().expect("still editing");
    assert!(
        editor
            .errors
            .iter()
            .any(|e| e.contains("{####}") && e.contains("does not deliver")),
        "{:?}",
        editor.errors
    );
    let screen = h.screen(120, 40);
    assert!(screen.contains("✗ {####} temporary password"), "{screen}");
}

#[tokio::test]
async fn policies_edit_shows_the_change_and_saves_only_it() {
    let (mut h, _dir) = local().await;
    let pool = pool_id(&h);
    h.press("1 e").await;
    // Minimum length: replace 8 with 12.
    h.press("backspace").await;
    h.type_text("12").await;
    h.press("ctrl-s").await;
    let Some(Confirm { lines, .. }) = h.app.top::<Confirm>() else {
        panic!("no confirmation: {:?}", h.app.popup())
    };
    assert_eq!(lines, &["Minimum length: 8 → 12".to_string()]);
    h.press("enter").await;
    let d = client(&h).describe_pool(&pool).await.unwrap();
    assert_eq!(d.config.password_policy.minimum_length, 12);
    assert!(
        d.config.password_policy.require_symbols,
        "the rest of the policy is as it was"
    );
    assert!(
        d.config.admin_create_user.invite_message_template.is_some(),
        "the invitation is as it was"
    );

    // Out of the console's range: named beside the field, nothing sent.
    h.press("e").await;
    for _ in 0..6 {
        h.press("tab").await;
    }
    h.press("backspace").await;
    h.type_text("99").await;
    h.press("ctrl-s").await;
    let form = h.app.policies.form.as_ref().expect("still editing");
    assert!(
        form.field("validity_days")
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("between 1 and 90")
    );
    // esc on edits asks before it throws them away; esc there goes back to the form.
    h.press("esc").await;
    assert!(h.app.top::<Confirm>().is_some());
    h.press("esc").await;
    assert!(h.app.popup().is_none());
    assert!(h.app.policies.form.is_some(), "the edits are still there");
    h.press("esc enter").await;
    assert!(h.app.policies.form.is_none());
}

// ------------------------------------------------------------------ Users

async fn search(mut h: Headless, prefix: &str) {
    h.press("3 /").await;
    h.type_text(prefix).await;
    h.press("enter").await;
    assert!(!h.app.users.rows.is_empty());
    assert!(
        h.app
            .users
            .rows
            .iter()
            .all(|u| u.username.starts_with(prefix)),
        "{:?}",
        h.app.users.rows
    );
    let screen = h.screen(80, 24);
    assert!(
        screen.contains(&format!("search: username ^= \"{prefix}\"")),
        "{screen}"
    );
    h.press("esc").await;
    assert!(h.app.users.filter.is_none());
    assert!(h.app.users.rows.len() > 1);
}

#[tokio::test]
async fn local_search() {
    let (h, _dir) = local().await;
    search(h, "a").await;
}

#[tokio::test]
async fn moto_search() {
    search(moto(5).await, "member000").await;
}

#[tokio::test]
async fn paging_through_500_users_loads_a_window_at_a_time() {
    let (mut h, _dir) = local().await;
    let pool = pool_id(&h);
    add_users(&client(&h), &pool, "bulk", 450).await;
    h.press("r").await;
    assert_eq!(
        h.app.users.rows.len(),
        60,
        "one page at first, not the pool"
    );
    let mut most = 0;
    for _ in 0..600 {
        h.press("j").await;
        let loaded = h.app.users.rows.len();
        assert!(
            loaded <= h.app.users.selected + 21 + 60,
            "never far ahead of the cursor"
        );
        most = most.max(loaded);
    }
    assert_eq!(most, 500);
    let mut names: Vec<&str> = h
        .app
        .users
        .rows
        .iter()
        .map(|u| u.username.as_str())
        .collect();
    names.dedup();
    assert_eq!(names.len(), 500, "every user once");
    assert_eq!(h.app.users.selected, 499);
}

#[tokio::test]
async fn details_open_on_enter() {
    let (mut h, _dir) = local().await;
    h.press("3 enter").await;
    let Some(UserDetail { user, .. }) = h.app.top::<UserDetail>() else {
        panic!()
    };
    assert!(user.sub().is_some(), "AdminGetUser's full record");
    let screen = h.screen(120, 40);
    assert!(screen.contains("custom:department"), "{screen}");
    h.press("esc").await;
    assert!(h.app.popup().is_none());
}

#[tokio::test]
async fn read_only_refuses_writes_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut opts = options(Target::Local { db: db.clone() }, None);
    opts.read_only = true;
    let mut h = common::local_console(&db, opts).await;
    h.press("3 c").await;
    assert!(h.app.popup().is_none());
    assert!(h.app.status.as_ref().unwrap().text.contains("read-only"));
    h.press("1 e").await;
    assert!(h.app.policies.form.is_none());
    let screen = h.screen(80, 24);
    assert!(screen.contains("READ-ONLY"), "{screen}");
}

#[tokio::test]
async fn stale_answers_are_dropped() {
    let (mut h, _dir) = local().await;
    h.press("3").await;
    // Start a search, then a second one before the first answers.
    h.press("/").await;
    h.type_text("zz-none").await;
    h.send(cognito_console::console::action::Action::Key(
        crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter),
    ));
    let first = h.pending();
    assert_eq!(first, 1);
    h.press("esc").await; // clears the search: a new request replaces the first
    assert!(h.app.users.filter.is_none());
    assert!(
        !h.app.users.rows.is_empty(),
        "the unfiltered list, not the stale empty search"
    );
}

#[tokio::test]
async fn command_line_and_pool_picker() {
    let (mut h, _dir) = local().await;
    let second = client(&h).create_pool("Second pool").await.unwrap().id;
    h.press(":").await;
    h.type_text(&format!("pool {second}")).await;
    h.press("enter").await;
    assert_eq!(h.app.pool.as_ref().unwrap().name, "Second pool");
    h.press("p").await;
    assert!(h.app.top::<PoolPicker>().is_some());
    let demo_index = h
        .app
        .pools
        .iter()
        .position(|p| p.name == "Demo pool")
        .unwrap();
    for _ in 0..demo_index {
        h.press("j").await;
    }
    h.press("enter").await;
    assert_eq!(h.app.pool.as_ref().unwrap().name, "Demo pool");
    h.press(":").await;
    h.type_text("bogus").await;
    h.press("enter").await;
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("unknown command")
    );
    h.press(": q enter").await;
    assert!(h.app.quit);
}

// ------------------------------------------------------------------ changing a user

/// Moves the cursor to `username` in the Users table.

#[tokio::test]
async fn resend_disable_and_delete_ask_first() {
    let (mut h, dir) = local().await;
    let pool = pool_id(&h);
    // amara.mensah waits for her first sign-in and has an email and a phone number.
    select(&mut h, "amara.mensah").await;
    h.press("R").await;
    let Some(Confirm { title, .. }) = h.app.top::<Confirm>() else {
        panic!("no question: {:?}", h.app.popup())
    };
    assert!(title.contains("Resend"), "{title}");
    h.press("esc").await;
    let store = cognito_console::local::Store::open(&dir.path().join("store.db")).unwrap();
    let sent = |store: &cognito_console::local::Store| {
        cognito_console::local::mail::outbox::list(store, &pool, Some("amara.mensah"))
            .unwrap()
            .len()
    };
    assert_eq!(sent(&store), 0, "esc sends nothing");
    h.press("R enter").await;
    assert_eq!(sent(&store), 2, "by SMS and email");
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("invitation sent again")
    );

    h.press("d").await;
    assert!(h.app.top::<Confirm>().is_some());
    h.press("enter").await;
    assert!(
        !client(&h)
            .get_user(&pool, "amara.mensah")
            .await
            .unwrap()
            .enabled
    );
    select(&mut h, "amara.mensah").await;
    assert!(
        !h.app.users.selected_user().unwrap().enabled,
        "the table shows it"
    );

    h.press("D").await;
    h.type_text("amara").await;
    h.press("enter").await;
    let Some(t) = h.app.top::<TypeToConfirm>() else {
        panic!("closed")
    };
    assert!(t.error.as_deref().unwrap().contains("nothing was deleted"));
    h.type_text(".mensah").await;
    h.press("enter").await;
    assert!(
        client(&h)
            .get_user(&pool, "amara.mensah")
            .await
            .unwrap_err()
            .is("UserNotFoundException")
    );
    assert_eq!(h.app.pool.as_ref().unwrap().estimated_number_of_users, 49);
}

/// Cognito sends the invitation again only to users who have not signed in yet: for a
/// CONFIRMED user the key bar offers no resend, and the key says why instead of asking.
#[tokio::test]
async fn resend_is_offered_only_before_the_first_sign_in() {
    let (mut h, _dir) = local().await;
    select(&mut h, "aiko.tanaka").await; // CONFIRMED in the demo pool
    assert!(!h.screen(120, 40).contains("resend invitation"));
    h.press("R").await;
    assert!(h.app.popup().is_none(), "nothing to confirm");
    let status = h.app.status.as_ref().unwrap();
    assert!(
        status.text.contains("CONFIRMED") && status.text.contains("FORCE_CHANGE_PASSWORD"),
        "{}",
        status.text
    );
    select(&mut h, "amara.mensah").await; // waiting for her first sign-in
    assert!(h.screen(120, 40).contains("resend invitation"));
}

#[tokio::test]
async fn read_only_refuses_user_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut opts = options(Target::Local { db: db.clone() }, None);
    opts.read_only = true;
    let mut h = common::local_console(&db, opts).await;
    for key in ["R", "d", "D", "t"] {
        h.press(&format!("3 {key}")).await;
        assert!(h.app.popup().is_none(), "{key}");
        assert!(
            h.app.status.as_ref().unwrap().text.contains("read-only"),
            "{key}"
        );
    }
}

// ------------------------------------------------------------------ try sign-in

fn sign_in(h: &Headless) -> &TrySignIn {
    match h.app.top::<TrySignIn>() {
        Some(t) => t,
        other => panic!("try sign-in is not open: {other:?}"),
    }
}

fn claim(t: &TrySignIn, name: &str) -> Option<String> {
    let Stage::Done { claims, .. } = &t.stage else {
        panic!("not signed in: {:?}", t.stage)
    };
    claims
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// Resend, then sign in with the new temporary password from the invitation: the wrong
/// password is refused beside its field, the new password is checked before any call,
/// and the user ends CONFIRMED with the ID token's claims on screen.
#[tokio::test]
async fn resend_then_try_sign_in_walks_the_first_sign_in() {
    let (mut h, dir) = local().await;
    let pool = pool_id(&h);
    select(&mut h, "amara.mensah").await;
    h.press("R enter").await;
    let store = cognito_console::local::Store::open(&dir.path().join("store.db")).unwrap();
    let sms = cognito_console::local::mail::outbox::list(&store, &pool, Some("amara.mensah"))
        .unwrap()
        .into_iter()
        .find(|m| m.medium == "SMS")
        .expect("the invitation by SMS");
    let body = sms.body.expect("a message");
    let temporary = body
        .rsplit("temporary password is ")
        .next()
        .unwrap()
        .trim()
        .to_string();

    select(&mut h, "amara.mensah").await;
    h.press("t").await;
    assert!(matches!(sign_in(&h).stage, Stage::Password));
    assert_eq!(sign_in(&h).app.as_ref().unwrap().name, "demo-app");
    assert!(h.screen(80, 24).contains("Try sign-in: amara.mensah"));

    h.type_text("Wrong-Passw0rd").await;
    h.press("enter").await;
    let t = sign_in(&h);
    assert!(matches!(t.stage, Stage::Password), "{:?}", t.stage);
    let error = t.form.field("password").unwrap().error.clone().unwrap();
    assert!(error.contains("Incorrect username or password"), "{error}");
    assert!(
        !h.screen(80, 24).contains("Wrong-Passw0rd"),
        "the password is masked"
    );

    h.press("ctrl-u").await;
    h.type_text(&temporary).await;
    h.press("enter").await;
    assert!(
        matches!(sign_in(&h).stage, Stage::NewPassword { .. }),
        "{:?}",
        sign_in(&h).form.message
    );
    assert!(h.screen(80, 24).contains("NEW_PASSWORD_REQUIRED"));

    // Checked live and before any call.
    h.type_text("short").await;
    assert!(
        h.screen(80, 24).contains("✗ 8+ characters"),
        "{}",
        h.screen(80, 24)
    );
    assert!(h.screen(80, 24).contains("✓ lowercase"));
    h.press("enter").await;
    let t = sign_in(&h);
    assert!(matches!(t.stage, Stage::NewPassword { .. }));
    assert!(t.form.field("new").unwrap().error.is_some());
    assert!(t.form.field("repeat").unwrap().error.is_some());

    h.press("ctrl-u").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("tab").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("enter").await;
    let t = sign_in(&h);
    let Stage::Done { status, .. } = &t.stage else {
        panic!("not signed in: {:?} {:?}", t.stage, t.form.message)
    };
    assert_eq!(status.as_deref(), Some("CONFIRMED"));
    assert_eq!(
        claim(t, "cognito:username").as_deref(),
        Some("amara.mensah")
    );
    assert_eq!(claim(t, "token_use").as_deref(), Some("id"));
    let screen = h.screen(80, 24);
    assert!(screen.contains("Status now CONFIRMED"), "{screen}");
    assert!(screen.contains("cognito:username"), "{screen}");
    assert_eq!(
        client(&h)
            .get_user(&pool, "amara.mensah")
            .await
            .unwrap()
            .status,
        Some(cognito_console::pool::UserStatus::Confirmed)
    );
    h.press("esc").await;
    assert!(h.app.popup().is_none());
}

/// A pool whose clients do not allow an admin sign-in says so; a pool that requires an
/// attribute the user lacks gets a field for it.
#[tokio::test]
async fn try_sign_in_needs_an_admin_client_and_asks_for_required_attributes() {
    use aws_sdk_cognitoidentityprovider::types::{AttributeDataType, SchemaAttributeType};
    let (mut h, _dir) = local().await;
    let c = client(&h);
    let pool = c
        .sdk()
        .create_user_pool()
        .pool_name("strict")
        .schema(
            SchemaAttributeType::builder()
                .name("name")
                .attribute_data_type(AttributeDataType::String)
                .required(true)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let user = NewUser {
        username: "zoe".into(),
        temporary_password: Some(cognito_console::pool::Secret::new("Temp-Passw0rd")),
        message_action: Some(MessageAction::Suppress),
        ..NewUser::default()
    };
    c.create_user(&pool, &user).await.unwrap();
    h.press(":").await;
    h.type_text(&format!("pool {pool}")).await;
    h.press("enter").await;
    select(&mut h, "zoe").await;
    h.press("t").await;
    assert!(matches!(sign_in(&h).stage, Stage::NoClient { count: 0 }));
    assert!(h.screen(80, 24).contains("allows ADMIN_USER_PASSWORD_AUTH"));
    h.press("esc").await;

    c.create_app_client(
        &pool,
        "admin",
        Some(vec!["ALLOW_ADMIN_USER_PASSWORD_AUTH".into()]),
        true,
    )
    .await
    .unwrap();
    h.press("t").await;
    assert!(sign_in(&h).app.as_ref().unwrap().secret.is_some());
    h.type_text("Temp-Passw0rd").await;
    h.press("enter").await;
    assert!(sign_in(&h).form.field("attr:name").is_some());
    h.type_text("Chosen-Passw0rd").await;
    h.press("tab").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("enter").await;
    let t = sign_in(&h);
    assert_eq!(
        t.form.field("attr:name").unwrap().error.as_deref(),
        Some("is required by the pool")
    );
    assert_eq!(t.form.focused_id(), "attr:name");
    h.type_text("Zoe Park").await;
    h.press("enter").await;
    assert_eq!(claim(sign_in(&h), "name").as_deref(), Some("Zoe Park"));
}

/// The same walk against moto through --endpoint-url: nothing in it is local-only.
#[tokio::test]
async fn moto_try_sign_in() {
    let mut h = moto(0).await;
    let c = client(&h);
    let pool = pool_id(&h);
    c.create_app_client(
        &pool,
        "admin",
        Some(vec!["ALLOW_ADMIN_USER_PASSWORD_AUTH".into()]),
        false,
    )
    .await
    .unwrap();
    let user = NewUser {
        username: "mo".into(),
        temporary_password: Some(cognito_console::pool::Secret::new("Temp-Passw0rd")),
        message_action: Some(MessageAction::Suppress),
        ..NewUser::default()
    };
    c.create_user(&pool, &user).await.unwrap();
    h.press("r").await;
    select(&mut h, "mo").await;
    h.press("t").await;
    h.type_text("Temp-Passw0rd").await;
    h.press("enter").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("tab").await;
    h.type_text("Chosen-Passw0rd").await;
    h.press("enter").await;
    let t = sign_in(&h);
    assert!(
        matches!(&t.stage, Stage::Done { status: Some(s), .. } if s == "CONFIRMED"),
        "{:?} {:?}",
        t.stage,
        t.form.message
    );
    assert_eq!(claim(t, "cognito:username").as_deref(), Some("mo"));
}

/// Create user takes any number of extra attributes (`ctrl-n` adds a row), each checked
/// against the pool's schema before the call: a `custom:` attribute the pool does not
/// declare and a birthdate that is no day are refused beside their rows, nothing sent.
#[tokio::test]
async fn create_user_takes_several_attributes_checked_against_the_schema() {
    use cognito_console::console::popups::create_user::CreateUser;
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), false).await;
    let client = h.app.client.clone().unwrap();
    let pool = h.app.pool.as_ref().unwrap().id.clone();
    h.press("3 c").await;
    h.type_text("many.attrs").await;
    // To the first extra attribute's name.
    for _ in 0..30 {
        let id = h
            .app
            .top::<CreateUser>()
            .unwrap()
            .form
            .focused_id()
            .to_string();
        if id.starts_with("attr_name:") {
            break;
        }
        h.press("tab").await;
    }
    let rows = [
        ("custom:department", "research"),
        ("custom:nosuch", "x"),
        ("birthdate", "1990-13-45"),
        ("given_name", "Many"),
    ];
    for (i, (name, value)) in rows.iter().enumerate() {
        if i > 0 {
            h.press("ctrl-n").await;
        }
        h.type_text(name).await;
        h.press("tab").await;
        h.type_text(value).await;
    }
    h.press("ctrl-s").await;
    assert_eq!(h.pending(), 0, "nothing sent");
    let form = &h.app.top::<CreateUser>().expect("still open").form;
    let errors: Vec<String> = form.fields.iter().filter_map(|f| f.error.clone()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("not in this pool's schema")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("no month 13")),
        "{errors:?}"
    );
    // Fix both: the undeclared row removed, the day made real.
    let c = h.app.top::<CreateUser>().unwrap();
    let nosuch = c
        .form
        .fields
        .iter()
        .find(|f| f.value() == "custom:nosuch")
        .map(|f| f.id.clone())
        .unwrap();
    for _ in 0..40 {
        if h.app.top::<CreateUser>().unwrap().form.focused_id() == nosuch {
            break;
        }
        h.press("shift-tab").await;
    }
    h.press("ctrl-x").await;
    for _ in 0..40 {
        let f = &h.app.top::<CreateUser>().unwrap().form;
        if f.field(f.focused_id())
            .is_some_and(|x| x.value() == "1990-13-45")
        {
            break;
        }
        h.press("tab").await;
    }
    h.press("ctrl-u").await;
    h.type_text("1990-12-25").await;
    // No phone for the SMS invitation: send none.
    for _ in 0..40 {
        let f = &h.app.top::<CreateUser>().unwrap().form;
        if f.focused_id() == "sms" {
            break;
        }
        h.press("shift-tab").await;
    }
    h.press("space ctrl-s").await;
    let user = client.get_user(&pool, "many.attrs").await.unwrap();
    assert_eq!(user.attribute("custom:department"), Some("research"));
    assert_eq!(user.attribute("birthdate"), Some("1990-12-25"));
    assert_eq!(user.attribute("given_name"), Some("Many"));
}

/// An SMS over Cognito's own limit as written shows, in the list, the same length as
/// the refusal counts (not the length as sent).
#[tokio::test]
async fn an_sms_over_its_limit_shows_one_length_in_the_list_and_the_error() {
    let (mut h, _dir) = local().await;
    h.press("2 j j j j j e").await;
    for _ in 0..200 {
        h.press("backspace").await;
    }
    let text = format!("Hi {{username}}, your code {{####}} {}", "x".repeat(144));
    let written = text.chars().count();
    h.type_text(&text).await;
    h.press("ctrl-s").await;
    let editor = h.app.messages.editor.as_ref().expect("still editing");
    let said = editor.errors.join(" ");
    assert!(said.contains(&format!("(it has {written})")), "{said}");
    let screen = h.screen(120, 40);
    assert!(
        screen.contains(&format!("{written}/140 as written")),
        "the list counts the same: {screen}"
    );
}
