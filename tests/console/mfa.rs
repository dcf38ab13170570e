//! MFA in the console, on the local store: the Policies section and its form (Cognito's
//! refusals before the call, the diff, the save), the reset of a user's MFA from their
//! details, and try sign-in through every MFA challenge: an authenticator's code, an SMS
//! code from the outbox, a choice of method, and MFA set up with a QR code. Snapshots of
//! each new screen. Keys into the real app, its calls run to quiescence, no sleeps.

use crate::common;

use common::select;

use crate::snapshots::check;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_cognitoidentityprovider::types::{SmsConfigurationType, SoftwareTokenMfaSettingsType};
use cognito_console::client::{Client, Target, merge_update};
use cognito_console::console::action::Action;
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::confirm::Confirm;
use cognito_console::console::popups::try_sign_in::{Stage, TrySignIn};
use cognito_console::local::mail::outbox;
use cognito_console::local::sign_in::totp;
use cognito_console::pool::mfa::{Enforcement, Factor, PoolMfa};
use cognito_console::pool::{Secret, UserStatus};

const PASSWORD: &str = "Chosen-Passw0rd";

/// The console on a fresh local store whose clock the test moves.
struct Local {
    h: Headless,
    dir: tempfile::TempDir,
    clock: Arc<AtomicU64>,
}

impl Local {
    /// The store's time: the test clock, which moves only when told.
    fn now(&self) -> u64 {
        common::START.as_secs() + self.clock.load(Ordering::SeqCst)
    }

    fn code(&self, secret: &Secret) -> String {
        totp::code_at(secret, self.now()).unwrap()
    }
}

async fn local() -> Local {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let options = common::console_options(Target::Local { db: db.clone() }, None, false);
    let clock = Arc::new(AtomicU64::new(0));
    let h = common::local_console_on(&db, options, &clock).await;
    Local { h, dir, clock }
}

fn client(h: &Headless) -> Client {
    h.app.client.clone().expect("connected")
}

fn pool_id(h: &Headless) -> String {
    h.app.pool.as_ref().expect("pool").id.clone()
}

fn screen(h: &mut Headless) -> String {
    h.screen(80, 24)
}

fn sign_in(h: &Headless) -> &TrySignIn {
    h.app.top::<TrySignIn>().expect("try sign-in is open")
}

/// Sets the pool's MFA underneath the console (then `r` shows it).
async fn set_mfa(h: &mut Headless, mfa: PoolMfa) {
    client(h)
        .update_pool(&pool_id(h), |c| c.mfa = Some(mfa))
        .await
        .unwrap();
    h.press("r").await;
}

fn tokens_only(enforcement: Enforcement) -> PoolMfa {
    PoolMfa {
        enforcement,
        software_token: true,
        ..PoolMfa::default()
    }
}

/// Gives the demo pool a role to send SMS with, every other setting sent back.
async fn with_sms_role(h: &mut Headless) {
    let c = client(h);
    let id = pool_id(h);
    let current = c
        .sdk()
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    // The same config before and after: every setting is sent back as it is.
    let config = cognito_console::pool::PoolConfig::default();
    merge_update(c.sdk().update_user_pool(), &current, &config, &config)
        .sms_configuration(
            SmsConfigurationType::builder()
                .sns_caller_arn("arn:aws:iam::123456789012:role/sms")
                .build(),
        )
        .send()
        .await
        .unwrap();
    h.press("r").await;
}

/// `username` with the password PASSWORD.
async fn with_password(h: &Headless, username: &str) {
    client(h)
        .set_user_password(&pool_id(h), username, &Secret::new(PASSWORD), true)
        .await
        .unwrap();
}

/// `username` with an authenticator, verified and on (set up through their own access
/// token, as an app would): its secret. The store's clock then moves to the next step,
/// whose code has not been used.
async fn with_authenticator(l: &Local, username: &str) -> Secret {
    let h = &l.h;
    let c = client(h);
    let pool = pool_id(h);
    with_password(h, username).await;
    let app = c
        .list_app_clients(&pool)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.settings.name == "demo-app")
        .unwrap();
    let app = cognito_console::client::SignInClient::from_app(&app);
    let cognito_console::client::SignIn::Done(tokens) = c
        .admin_sign_in(&app, username, &Secret::new(PASSWORD))
        .await
        .unwrap()
    else {
        panic!("no MFA yet: tokens");
    };
    let access = tokens.access_token.expose().to_string();
    let secret = Secret::new(
        c.sdk()
            .associate_software_token()
            .access_token(&access)
            .send()
            .await
            .unwrap()
            .secret_code()
            .unwrap(),
    );
    c.sdk()
        .verify_software_token()
        .access_token(&access)
        .user_code(l.code(&secret))
        .friendly_device_name("work phone")
        .send()
        .await
        .unwrap();
    c.sdk()
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool)
        .username(username)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    l.clock.fetch_add(30, Ordering::SeqCst);
    secret
}

// ------------------------------------------------------------------ Policies

#[tokio::test]
async fn policies_mfa_is_refused_before_the_call_then_saved_with_its_diff() {
    let mut l = local().await;
    l.h.press("1").await;
    let shown = screen(&mut l.h);
    assert!(
        shown.contains("MFA enforcement") && shown.contains("No MFA"),
        "{shown}"
    );
    l.h.press("M").await;
    l.h.press("space space").await; // No MFA → Optional → Require
    l.h.press("enter").await;
    assert_eq!(l.h.pending(), 0, "refused before any call");
    let s = screen(&mut l.h);
    assert!(s.contains("must be enabled"), "no method on: {s}");
    l.h.press("tab space tab space enter").await; // Authenticator apps, then SMS
    assert_eq!(l.h.pending(), 0);
    assert!(
        screen(&mut l.h).contains("SmsConfiguration"),
        "no role to send SMS with"
    );
    l.h.press("space").await; // SMS off again
    l.h.press("enter").await;
    let confirm = l.h.app.top::<Confirm>().expect("asked first");
    assert_eq!(
        confirm.lines,
        [
            "MFA enforcement: No MFA → Require MFA",
            "Authenticator apps: no → yes"
        ]
    );
    check("policies_mfa_confirm", &mut l.h);
    l.h.press("enter").await;
    assert!(l.h.app.popup().is_none() && l.h.app.policies.form.is_none());
    let saved = client(&l.h).pool_mfa(&pool_id(&l.h)).await.unwrap();
    assert_eq!(saved, tokens_only(Enforcement::Required));
    assert!(screen(&mut l.h).contains("Require MFA"));
    l.h.press("A").await;
    assert!(screen(&mut l.h).contains("update pool"), "audited");
}

// ------------------------------------------------------------------ reset

#[tokio::test]
async fn an_admin_resets_a_users_lost_authenticator() {
    let mut l = local().await;
    set_mfa(&mut l.h, tokens_only(Enforcement::Optional)).await;
    with_authenticator(&l, "ana.nakamura").await;
    set_mfa(&mut l.h, tokens_only(Enforcement::Required)).await;
    select(&mut l.h, "ana.nakamura").await;
    l.h.press("M").await;
    assert!(l.h.app.popup().is_none());
    assert!(
        common::status_text(&l.h).contains("open ana.nakamura (enter) first"),
        "{}",
        common::status_text(&l.h)
    );
    l.h.press("enter").await;
    assert!(screen(&mut l.h).contains("authenticator app (preferred)"));
    l.h.press("M").await;
    let confirm = l.h.app.top::<Confirm>().expect("asked first");
    assert_eq!(confirm.title, "Reset ana.nakamura's MFA?");
    assert!(confirm.lines[0].contains("authenticator app (preferred)"));
    assert!(confirm.lines[2].contains("sets it up again"));
    check("reset_mfa_confirm", &mut l.h);
    l.h.press("enter").await;
    assert!(
        common::status_text(&l.h).contains("ana.nakamura's MFA reset"),
        "{}",
        common::status_text(&l.h)
    );
    let user = client(&l.h)
        .get_user(&pool_id(&l.h), "ana.nakamura")
        .await
        .unwrap();
    assert_eq!(user.mfa, Some(Default::default()));
    assert!(
        screen(&mut l.h).contains("MFA                      none"),
        "the details read again"
    );
    l.h.press("M").await;
    assert!(common::status_text(&l.h).contains("nothing to reset"));
    // Their next sign-in sets MFA up again.
    l.h.press("t").await;
    l.h.type_text(PASSWORD).await;
    l.h.press("enter").await;
    assert!(
        matches!(sign_in(&l.h).stage, Stage::SetupToken { .. }),
        "{:?}",
        sign_in(&l.h).stage
    );
}

// ------------------------------------------------------------------ try sign-in

#[tokio::test]
async fn try_sign_in_asks_for_the_authenticators_code() {
    let mut l = local().await;
    set_mfa(&mut l.h, tokens_only(Enforcement::Optional)).await;
    let secret = with_authenticator(&l, "ana.nakamura").await;
    select(&mut l.h, "ana.nakamura").await;
    l.h.press("t").await;
    l.h.type_text(PASSWORD).await;
    l.h.press("enter").await;
    assert!(
        matches!(
            sign_in(&l.h).stage,
            Stage::MfaCode {
                factor: Factor::SoftwareToken,
                ..
            }
        ),
        "{:?}",
        sign_in(&l.h).stage
    );
    let s = l.h.screen(120, 40);
    assert!(
        s.contains("\"work phone\"") && s.contains("(SOFTWARE_TOKEN_MFA)"),
        "{s}"
    );
    check("try_sign_in_mfa_code", &mut l.h);
    l.h.type_text("12a45").await;
    l.h.press("enter").await;
    assert_eq!(l.h.pending(), 0, "refused before the call");
    let error = sign_in(&l.h)
        .form
        .field("code")
        .unwrap()
        .error
        .clone()
        .unwrap();
    assert!(error.contains("digits"), "{error}");
    let right = l.code(&secret);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    l.h.press("ctrl-u").await;
    l.h.type_text(wrong).await;
    l.h.press("enter").await;
    let error = sign_in(&l.h)
        .form
        .field("code")
        .unwrap()
        .error
        .clone()
        .unwrap();
    assert!(error.contains("Invalid code received for user"), "{error}");
    l.h.press("ctrl-u").await;
    l.h.type_text(&right).await;
    l.h.press("enter").await;
    let Stage::Done { status, .. } = &sign_in(&l.h).stage else {
        panic!("not signed in: {:?}", sign_in(&l.h).form.message);
    };
    assert_eq!(status.as_deref(), Some(UserStatus::Confirmed.as_str()));
}

#[tokio::test]
async fn try_sign_in_chooses_a_method_and_reads_the_sms_code_from_the_outbox() {
    let mut l = local().await;
    with_sms_role(&mut l.h).await;
    set_mfa(
        &mut l.h,
        PoolMfa {
            sms: true,
            ..tokens_only(Enforcement::Optional)
        },
    )
    .await;
    with_authenticator(&l, "ana.nakamura").await;
    let c = client(&l.h);
    let pool = pool_id(&l.h);
    c.update_user_attributes(
        &pool,
        "ana.nakamura",
        &[cognito_console::pool::Attribute::new(
            "phone_number",
            "+15555550123",
        )],
    )
    .await
    .unwrap();
    c.sdk()
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool)
        .username("ana.nakamura")
        .sms_mfa_settings(
            aws_sdk_cognitoidentityprovider::types::SmsMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(false)
                .build(),
        )
        .send()
        .await
        .unwrap();
    select(&mut l.h, "ana.nakamura").await;
    l.h.press("t").await;
    l.h.type_text(PASSWORD).await;
    l.h.press("enter").await;
    assert!(matches!(sign_in(&l.h).stage, Stage::SelectMfa { .. }));
    assert!(screen(&mut l.h).contains("< SMS message >"));
    check("try_sign_in_select_mfa", &mut l.h);
    l.h.press("enter").await;
    assert!(
        matches!(
            sign_in(&l.h).stage,
            Stage::MfaCode {
                factor: Factor::Sms,
                ..
            }
        ),
        "{:?}",
        sign_in(&l.h).stage
    );
    let s = screen(&mut l.h);
    assert!(s.contains("+*******0123") && s.contains("outbox"), "{s}");
    let store = cognito_console::local::Store::open(&l.dir.path().join("store.db")).unwrap();
    let sent = outbox::list(&store, &pool, Some("ana.nakamura")).unwrap();
    let code: String = sent[0]
        .body
        .as_deref()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    l.h.type_text(&code).await;
    l.h.press("enter").await;
    assert!(
        matches!(sign_in(&l.h).stage, Stage::Done { .. }),
        "{:?}",
        sign_in(&l.h).form.message
    );
}

#[tokio::test]
async fn try_sign_in_sets_mfa_up_with_a_qr_code() {
    let mut l = local().await;
    set_mfa(&mut l.h, tokens_only(Enforcement::Required)).await;
    with_password(&l.h, "ana.nakamura").await;
    select(&mut l.h, "ana.nakamura").await;
    l.h.press("t").await;
    l.h.type_text(PASSWORD).await;
    l.h.press("enter").await;
    let Stage::SetupToken { secret, .. } = &sign_in(&l.h).stage else {
        panic!("MFA must be set up: {:?}", sign_in(&l.h).stage);
    };
    let secret = secret.clone();
    let s = screen(&mut l.h);
    assert!(s.contains("Scan with an authenticator app"), "{s}");
    assert!(s.contains(&secret.expose()[..4]), "the secret as text: {s}");
    assert!(s.contains('▀') || s.contains('▄'), "a QR code: {s}");
    l.h.type_text(&l.code(&secret)).await;
    l.h.press("enter").await;
    assert!(
        matches!(sign_in(&l.h).stage, Stage::Done { .. }),
        "{:?}",
        sign_in(&l.h).form.message
    );
    let user = client(&l.h)
        .get_user(&pool_id(&l.h), "ana.nakamura")
        .await
        .unwrap();
    assert_eq!(user.mfa.unwrap().enabled, [Factor::SoftwareToken]);
    l.h.press("esc A").await;
    let s = l.h.screen(120, 40);
    assert!(s.contains("set up an authenticator app"), "audited: {s}");
    assert!(!s.contains(secret.expose()), "never the secret: {s}");
}

/// The set-up screen, with a secret fixed for the picture: the QR code drawn at 80x24,
/// scannable (the whole screen but the key bar, a quiet zone around it).
#[tokio::test]
async fn the_qr_code_screen() {
    let mut l = local().await;
    set_mfa(&mut l.h, tokens_only(Enforcement::Required)).await;
    with_password(&l.h, "ana.nakamura").await;
    select(&mut l.h, "ana.nakamura").await;
    l.h.press("t").await;
    l.h.type_text(PASSWORD).await;
    l.h.press("enter").await;
    let fixed = (
        Secret::new("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        Secret::new("session"),
    );
    l.h.app.update(Action::TokenAssociated(Ok(fixed)));
    check("try_sign_in_mfa_setup", &mut l.h);
    // A QR reader nobody here wrote reads the code off the 80x24 screen.
    let screen = l.h.screen(80, 24);
    let read = common::peer_script_with_input("qr_decode.py", &screen);
    assert_eq!(
        read.trim(),
        "otpauth://totp/Demo%20pool:ana.nakamura?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Demo%20pool"
    );
}

/// Marked users' MFA reset in bulk: each one's factors are read when their turn comes,
/// so one with an authenticator loses it and one with none is left as they are.
#[tokio::test]
async fn a_bulk_mfa_reset_reads_each_users_factors_first() {
    let mut l = local().await;
    set_mfa(&mut l.h, tokens_only(Enforcement::Optional)).await;
    with_authenticator(&l, "ana.nakamura").await;
    select(&mut l.h, "aiko.tanaka").await;
    l.h.press("space").await;
    select(&mut l.h, "ana.nakamura").await;
    l.h.press("space M").await;
    let preview =
        l.h.app
            .top::<cognito_console::console::popups::bulk_preview::BulkPreview>()
            .expect("a preview");
    assert_eq!(preview.plan().title(), "reset the MFA of 2 users");
    l.h.press("enter enter").await;
    assert_eq!(
        common::status_text(&l.h),
        "reset the MFA of 2 users: 2 done"
    );
    let user = client(&l.h)
        .get_user(&pool_id(&l.h), "ana.nakamura")
        .await
        .unwrap();
    assert_eq!(
        user.mfa,
        Some(Default::default()),
        "the authenticator is gone"
    );
}
