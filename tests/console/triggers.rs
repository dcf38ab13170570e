//! Lambda triggers in the console, on the local store calling the real test functions
//! (tests/functions) behind cargo-lambda's Invoke API: the Lambda triggers tab (each
//! function and whether it answers; set and clear one, with nothing else of the pool
//! touched), the Create user form with validation data and client metadata and a pre
//! sign-up refusal kept in the form, and the Message customizations tab running the
//! CustomMessage function for its sample user. Snapshots of each new screen.

use crate::common;
use crate::snapshots::check;

use aws_sdk_cognitoidentityprovider::types::{
    CustomEmailLambdaVersionConfigType, CustomEmailSenderLambdaVersionType, LambdaConfigType,
};
use cognito_console::client::{Client, Target, merge_update};
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::create_user::CreateUser;
use cognito_console::console::popups::function_preview::{FunctionPreview, Run};
use cognito_console::console::tabs::triggers::Check;
use cognito_console::local::{Store, db::audit};
use cognito_console::pool::audit::Query;
use cognito_console::pool::triggers::{Configured, Trigger};

const FN: &str = "arn:aws:lambda:us-east-1:123456789012:function:";

async fn console() -> (Headless, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let options = common::console_options(Target::Local { db: db.clone() }, None, false);
    let h = common::local_console_with_triggers(&db, options).await;
    (h, dir)
}

fn client(h: &Headless) -> Client {
    h.app.client.clone().expect("connected")
}

fn pool_id(h: &Headless) -> String {
    h.app.pool.as_ref().expect("pool").id.clone()
}

/// Sets `trigger` underneath the console, then `r` shows it.
async fn set(h: &mut Headless, trigger: Trigger, function: &str) {
    let to = Configured {
        arn: format!("{FN}{function}"),
        version: 1,
    };
    client(h)
        .update_pool(&pool_id(h), |c| {
            c.triggers.insert(trigger, to);
        })
        .await
        .unwrap();
    h.press("r").await;
}

/// The pool's LambdaConfig as Cognito describes it.
async fn lambda_config(h: &Headless) -> LambdaConfigType {
    client(h)
        .sdk()
        .describe_user_pool()
        .user_pool_id(pool_id(h))
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .lambda_config
        .unwrap_or_else(|| LambdaConfigType::builder().build())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_triggers_tab_sets_checks_and_clears_a_function_and_touches_nothing_else() {
    let (mut h, _dir) = console().await;
    // Members of LambdaConfig the console does not show: they must survive its edits.
    let kept = LambdaConfigType::builder()
        .pre_sign_up(format!("{FN}pre-sign-up"))
        .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/kept")
        .custom_email_sender(
            CustomEmailLambdaVersionConfigType::builder()
                .lambda_version(CustomEmailSenderLambdaVersionType::V10)
                .lambda_arn(format!("{FN}email-sender"))
                .build()
                .unwrap(),
        )
        .build();
    let sdk_client = client(&h);
    let current = sdk_client
        .sdk()
        .describe_user_pool()
        .user_pool_id(pool_id(&h))
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    // The same config before and after: every setting is sent back as it is.
    let config = cognito_console::pool::PoolConfig::default();
    merge_update(
        sdk_client.sdk().update_user_pool(),
        &current,
        &config,
        &config,
    )
    .lambda_config(kept)
    .send()
    .await
    .unwrap();
    let policy_before = current.policies.clone();
    h.press("r 5").await;
    let tab = &h.app.triggers;
    assert_eq!(
        tab.checks.get(&format!("{FN}pre-sign-up")),
        Some(&Check::Answers)
    );
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("pre-sign-up") && screen.contains("answers"),
        "{screen}"
    );
    check("triggers", &mut h);

    // Set pre token generation to a function that is not there, version 2.
    h.press("j j j j e").await;
    h.type_text(&format!("{FN}no-such-function")).await;
    h.press("tab space").await;
    check("trigger_form", &mut h);
    h.press("enter").await;
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("Pre token generation trigger: - →"),
        "{screen}"
    );
    h.press("enter").await;
    let config = lambda_config(&h).await;
    let versioned = config.pre_token_generation_config().expect("set");
    assert_eq!(versioned.lambda_arn(), format!("{FN}no-such-function"));
    assert_eq!(versioned.lambda_version().as_str(), "V2_0");
    assert_eq!(
        config.pre_sign_up(),
        Some(format!("{FN}pre-sign-up").as_str())
    );
    assert_eq!(
        config.kms_key_id(),
        Some("arn:aws:kms:us-east-1:123456789012:key/kept")
    );
    assert!(config.custom_email_sender().is_some(), "kept: {config:?}");
    let after = client(&h)
        .sdk()
        .describe_user_pool()
        .user_pool_id(pool_id(&h))
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(after.policies, policy_before, "nothing else changed");
    let screen = h.screen(80, 24);
    assert!(screen.contains("no-such-function (V2_0)"), "{screen}");
    assert!(screen.contains("cannot be called"), "{screen}");
    check("triggers_unreachable", &mut h);

    // Clear it: asked first.
    h.press("D").await;
    assert!(
        h.screen(80, 24)
            .contains("Clear the Pre token generation trigger?")
    );
    h.press("enter").await;
    let config = lambda_config(&h).await;
    assert!(
        config.pre_token_generation_config().is_none() && config.pre_token_generation().is_none()
    );
    assert!(config.kms_key_id().is_some() && config.pre_sign_up().is_some());
    let store = Store::open(&_dir.path().join("store.db")).unwrap();
    let entries = audit::list(
        &store,
        &Query {
            limit: 100,
            ..Query::default()
        },
    )
    .unwrap();
    assert!(
        entries
            .iter()
            .filter(|e| e.change.action == "update pool")
            .any(|e| e
                .change
                .details
                .iter()
                .any(|d| d.starts_with("Pre token generation trigger"))),
        "{entries:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_user_sends_the_triggers_their_data_and_keeps_a_refusal_in_the_form() {
    let (mut h, _dir) = console().await;
    set(&mut h, Trigger::PreSignUp, "pre-sign-up").await;
    let (_, events) = common::lambda_endpoint();
    h.press("3 c").await;
    h.type_text("mallory").await;
    // Off with the SMS invitation; the email at a domain the function refuses.
    h.press("tab space tab tab tab tab tab").await;
    assert_eq!(
        h.app.top::<CreateUser>().unwrap().form.focused_id(),
        "email"
    );
    h.type_text("m@blocked.example").await;
    h.press("tab tab tab tab tab").await;
    assert_eq!(
        h.app.top::<CreateUser>().unwrap().form.focused_id(),
        "valid_name:1"
    );
    h.type_text("ticket").await;
    h.press("tab").await;
    h.type_text("T-9").await;
    h.press("tab").await;
    h.type_text("source").await;
    h.press("tab").await;
    h.type_text("console").await;
    h.press("ctrl-s").await;
    let form = &h.app.top::<CreateUser>().expect("the form stays").form;
    let said = form.message.clone().expect("a message").1;
    assert!(
        said.contains("PreSignUp failed with error sign-ups from blocked.example are closed."),
        "{said}"
    );
    assert_eq!(form.value("username"), "mallory");
    assert_eq!(form.value("email"), "m@blocked.example");
    assert_eq!(form.value("valid_value:1"), "T-9");
    assert_eq!(form.value("meta_value:2"), "console");
    check("create_user_trigger_refused", &mut h);
    // The function saw what the form sent.
    let dir = events.join(pool_id(&h));
    let seen: Vec<serde_json::Value> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap())
        .filter(|e: &serde_json::Value| e["triggerSource"] == "PreSignUp_AdminCreateUser")
        .collect();
    let event = seen
        .iter()
        .find(|e| e["userName"] == "mallory")
        .expect("the event");
    assert_eq!(
        event["request"]["validationData"],
        serde_json::json!({"ticket": "T-9"})
    );
    assert_eq!(
        event["request"]["clientMetadata"],
        serde_json::json!({"source": "console"})
    );
    // Nothing was made.
    assert!(client(&h).get_user(&pool_id(&h), "mallory").await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_messages_tab_runs_the_custom_message_function_for_its_sample_user() {
    let dir = tempfile::tempdir().unwrap();
    let sink = common::smtp::Sink::start(dir.path(), false);
    let db = dir.path().join("store.db");
    let mut options = common::console_options(Target::Local { db: db.clone() }, None, false);
    options.mail = Some(
        cognito_console::mail::Relay::new(&cognito_console::mail::RelaySettings {
            url: sink.url(),
            ..Default::default()
        })
        .unwrap(),
    );
    let mut h = common::local_console_with_triggers(&db, options).await;
    set(&mut h, Trigger::CustomMessage, "custom-message").await;
    h.press("2").await;
    let screen = h.screen(80, 24);
    assert!(
        screen.contains(
            "The CustomMessage function custom-message writes these messages (F runs it)"
        ),
        "{screen}"
    );
    // The invitation's email message.
    h.press("j j j j F").await;
    let preview = h.app.top::<FunctionPreview>().expect("the preview");
    let Run::Wrote(written) = &preview.run else {
        panic!("{:?}", preview.run);
    };
    assert_eq!(
        written.message.email_subject.as_deref(),
        Some("Custom: CustomMessage_AdminCreateUser")
    );
    let screen = h.screen(80, 24);
    assert!(screen.contains("Hello jane.doe, your code is"), "{screen}");
    assert!(
        screen.contains("/2048 characters with the code in"),
        "{screen}"
    );
    check("custom_message_preview", &mut h);
    // What the function wrote goes out as a test email.
    h.press("T").await;
    h.type_text("admin@example.com").await;
    h.press("enter").await;
    let got = sink.wait_for(1);
    assert_eq!(got[0].subject, "Custom: CustomMessage_AdminCreateUser");
    assert!(
        got[0].body.contains("Hello jane.doe, your code is"),
        "{}",
        got[0].body
    );
    assert!(
        h.app.top::<FunctionPreview>().is_some(),
        "back to the preview"
    );
    h.press("esc").await;
    assert!(h.app.top::<FunctionPreview>().is_none());
}
