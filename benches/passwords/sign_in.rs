//! Sign-in under load: 32 concurrent clients over HTTP, `serve` beside moto server, for
//! ADMIN_USER_PASSWORD_AUTH and USER_SRP_AUTH, users in no group and in 25; and the
//! store's own time per sign-in, in process.
//!
//! The SRP client is made as cheap as a real one can be: each client's a and A = g^a,
//! each user's x and k·v are worked out before the clock starts, so a sign-in costs the
//! client one exponentiation (aws-lc) and two hashes. moto does not check the proof; it
//! gets the same client, which does the same work.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_lc_rs::hmac;
use aws_sdk_cognitoidentityprovider::Client as Sdk;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cognito_console::local::sign_in::group::{self, Element};
use cognito_console::local::sign_in::{srp, srp_kdf};
use cognito_console::local::{Store, ops::Context, wire::api};
use cognito_console::pool::Secret;
use crypto_bigint::{U256, U512};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{common, mean_p95, ms, size};

const PASSWORD: &str = "Sign-in-Passw0rd";
const CLIENTS: usize = 32;
const GROUPS: usize = 25;

/// One pool with a client, 25 groups and 32 users in no group and 32 in all 25.
struct Target {
    sdk: Sdk,
    pool: String,
    client: String,
}

async fn set_up(endpoint: &str) -> Target {
    let sdk = common::endpoint_client(endpoint).sdk().clone();
    let pool = crate::create::new_pool(&sdk, "sign-in").await;
    let client = sdk
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("bench")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("client")
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("client id")
        .to_string();
    for g in 0..GROUPS {
        sdk.create_group()
            .user_pool_id(&pool)
            .group_name(format!("group-{g:02}"))
            .send()
            .await
            .expect("group");
    }
    for (prefix, groups) in [("plain", 0), ("grouped", GROUPS)] {
        for i in 0..CLIENTS {
            let name = format!("{prefix}{i:02}");
            sdk.admin_create_user()
                .user_pool_id(&pool)
                .username(&name)
                .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
                .send()
                .await
                .expect("user");
            sdk.admin_set_user_password()
                .user_pool_id(&pool)
                .username(&name)
                .password(PASSWORD)
                .permanent(true)
                .send()
                .await
                .expect("password");
            for g in 0..groups {
                sdk.admin_add_user_to_group()
                    .user_pool_id(&pool)
                    .username(&name)
                    .group_name(format!("group-{g:02}"))
                    .send()
                    .await
                    .expect("member");
            }
        }
    }
    Target { sdk, pool, client }
}

/// The client's half of SRP, with everything that does not depend on B worked out once.
struct SrpClient {
    a: [u8; 32],
    a_hex: String,
    big_a: Element,
    /// Each user's x and k·v, from the salt their first challenge gave.
    users: HashMap<String, (U256, Element)>,
}

impl SrpClient {
    fn new(seed: u8) -> Self {
        let a: [u8; 32] = Sha256::digest([seed, 0xa5]).into();
        let big_a = group::g_pow(&a);
        Self {
            a,
            a_hex: srp::to_hex(&big_a),
            big_a,
            users: HashMap::new(),
        }
    }

    fn learn(&mut self, pool: &str, user: &str, salt_hex: &str) {
        let salt = hex::decode(even(salt_hex)).expect("salt");
        let x = srp::private_key(pool, user, &Secret::new(PASSWORD), &salt);
        let v = group::g_pow(&x);
        let k: [u8; 32] = Sha256::new()
            .chain_update([0u8])
            .chain_update(hex::decode(srp::N_HEX).expect("N"))
            .chain_update([srp::G])
            .finalize()
            .into();
        let mut k_element = [0u8; group::BYTES];
        k_element[group::BYTES - 32..].copy_from_slice(&k);
        let kv = group::mul(&k_element, &v);
        self.users
            .insert(user.to_string(), (U256::from_be_slice(&x), kv));
    }

    /// PASSWORD_CLAIM_SIGNATURE for this challenge: S = (B − k·v)^(a + u·x).
    fn signature(
        &self,
        pool: &str,
        user: &str,
        b_hex: &str,
        block: &str,
        timestamp: &str,
    ) -> String {
        let (x, kv) = &self.users[user];
        let b = group::reduce(&hex::decode(even(b_hex)).expect("B")).expect("B fits");
        let u: [u8; 32] = Sha256::new()
            .chain_update(srp::padded(&self.big_a))
            .chain_update(srp::padded(&b))
            .finalize()
            .into();
        let ux: U512 = U256::from_be_slice(&u).concatenating_mul(x);
        let exponent = ux.wrapping_add(&U256::from_be_slice(&self.a).resize::<{ U512::LIMBS }>());
        let s = group::pow_public(&group::sub(&b, kv), exponent.to_be_bytes().as_ref());
        let key = srp_kdf::session_key(&s, &u);
        let mut message = srp::pool_name_part(pool).as_bytes().to_vec();
        message.extend_from_slice(user.as_bytes());
        // moto's secret block is not base64; it checks no proof, so any bytes do.
        message.extend_from_slice(
            &STANDARD
                .decode(block)
                .unwrap_or_else(|_| block.as_bytes().to_vec()),
        );
        message.extend_from_slice(timestamp.as_bytes());
        STANDARD.encode(hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, &key),
            &message,
        ))
    }
}

fn even(hex: &str) -> String {
    if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_string()
    }
}

/// As Cognito's clients write it (the proof signs it; neither server checks the clock).
fn timestamp() -> String {
    "Mon Dec 7 12:00:00 UTC 2026".to_string()
}

/// One SRP sign-in, to tokens.
async fn srp_sign_in(t: &Target, client: &SrpClient, user: &str) {
    let started = t
        .sdk
        .initiate_auth()
        .client_id(&t.client)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", user)
        .auth_parameters("SRP_A", &client.a_hex)
        .send()
        .await
        .expect("InitiateAuth");
    let p = started.challenge_parameters().expect("challenge");
    let now = timestamp();
    let signature = client.signature(
        &t.pool,
        &p["USER_ID_FOR_SRP"],
        &p["SRP_B"],
        &p["SECRET_BLOCK"],
        &now,
    );
    let done = t
        .sdk
        .respond_to_auth_challenge()
        .client_id(&t.client)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .set_session(started.session().map(str::to_string))
        .challenge_responses("USERNAME", user)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &p["SECRET_BLOCK"])
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", signature)
        .challenge_responses("TIMESTAMP", now)
        .send()
        .await
        .expect("RespondToAuthChallenge");
    assert!(done.authentication_result().is_some(), "tokens");
}

async fn admin_sign_in(t: &Target, user: &str) {
    let done = t
        .sdk
        .admin_initiate_auth()
        .user_pool_id(&t.pool)
        .client_id(&t.client)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", user)
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("AdminInitiateAuth");
    assert!(done.authentication_result().is_some(), "tokens");
}

#[derive(Clone, Copy)]
enum Flow {
    Admin,
    Srp,
}

/// Sign-ins a second by CLIENTS clients, each its own user, `n` in all.
async fn rate(t: Arc<Target>, flow: Flow, prefix: &str, n: usize) -> f64 {
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        let user = format!("{prefix}{i:02}");
        let mut client = SrpClient::new(i as u8);
        if let Flow::Srp = flow {
            // The salt, once, before the clock.
            let p = t
                .sdk
                .initiate_auth()
                .client_id(&t.client)
                .auth_flow(AuthFlowType::UserSrpAuth)
                .auth_parameters("USERNAME", &user)
                .auth_parameters("SRP_A", &client.a_hex)
                .send()
                .await
                .expect("InitiateAuth");
            let p = p.challenge_parameters().expect("challenge");
            client.learn(&t.pool, &p["USER_ID_FOR_SRP"], &p["SALT"]);
            srp_sign_in(&t, &client, &user).await; // and one sign-in to warm up
        } else {
            admin_sign_in(&t, &user).await;
        }
        clients.push((user, client));
    }
    let per_client = n / CLIENTS;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (user, client) in clients {
        let t = t.clone();
        tasks.spawn(async move {
            for _ in 0..per_client {
                match flow {
                    Flow::Admin => admin_sign_in(&t, &user).await,
                    Flow::Srp => srp_sign_in(&t, &client, &user).await,
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("client task");
    }
    (per_client * CLIENTS) as f64 / started.elapsed().as_secs_f64()
}

pub fn run(dir: &Path, moto: &str) {
    let n = size("BENCH_SIGN_INS", 4000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let serve = common::spawn_serve(&dir.join("sign-in.db"), &["--no-demo"]);
    let ours = Arc::new(runtime.block_on(set_up(&serve.endpoint)));
    let theirs = Arc::new(runtime.block_on(set_up(moto)));
    let client_cost = client_time(&ours);
    println!(
        "\n| sign-in, {CLIENTS} clients at once over HTTP ({n} each) | cognito-console serve | moto server | ratio |"
    );
    println!("|---|---:|---:|---:|");
    for (flow, name) in [
        (Flow::Admin, "ADMIN_USER_PASSWORD_AUTH"),
        (Flow::Srp, "USER_SRP_AUTH"),
    ] {
        for (prefix, groups) in [("plain", "no group"), ("grouped", "25 groups")] {
            let a = runtime.block_on(rate(ours.clone(), flow, prefix, n));
            // moto is slower: a quarter of the sign-ins says the same.
            let b = runtime.block_on(rate(theirs.clone(), flow, prefix, (n / 4).max(CLIENTS * 4)));
            println!(
                "| {name}, a user in {groups} | {a:.0}/s | {b:.0}/s | {:.1}x |",
                a / b.max(0.001)
            );
        }
    }
    println!(
        "\nThe SRP client's own work per sign-in (one exponentiation, two hashes): {:.3} ms, in each SRP row's time, for both servers.",
        ms(client_cost)
    );
    drop(serve);
    store_time(dir);
}

/// What one SRP proof costs the bench's client.
fn client_time(t: &Target) -> Duration {
    let mut client = SrpClient::new(1);
    client.learn(&t.pool, "plain00", "0123456789abcdef");
    let b = srp::to_hex(&group::g_pow(&[7u8; 32]));
    let started = Instant::now();
    for _ in 0..100 {
        std::hint::black_box(client.signature(
            &t.pool,
            "plain00",
            &b,
            "AAAA",
            "Mon Dec 7 12:00:00 UTC 2026",
        ));
    }
    started.elapsed() / 100
}

/// The store's own time per sign-in, in process (no HTTP): AdminInitiateAuth, and
/// InitiateAuth plus RespondToAuthChallenge for SRP (the client's proof made outside the
/// timed calls).
fn store_time(dir: &Path) {
    let samples = 1000;
    let store = Store::open(&dir.join("sign-in-store.db")).expect("store");
    let ctx = Context::default();
    let call = |op: &str, body: serde_json::Value| api::call(&store, &ctx, op, &body).expect(op);
    let pool = super::pool(&store);
    let client = call(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool, "ClientName": "bench",
            "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )["UserPoolClient"]["ClientId"]
        .as_str()
        .expect("client id")
        .to_string();
    for g in 0..GROUPS {
        call(
            "CreateGroup",
            json!({"UserPoolId": pool, "GroupName": format!("group-{g:02}")}),
        );
    }
    for (user, groups) in [("plain", 0), ("grouped", GROUPS)] {
        call(
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": user, "MessageAction": "SUPPRESS"}),
        );
        call(
            "AdminSetUserPassword",
            json!({"UserPoolId": pool, "Username": user, "Password": PASSWORD, "Permanent": true}),
        );
        for g in 0..groups {
            call(
                "AdminAddUserToGroup",
                json!({"UserPoolId": pool, "Username": user, "GroupName": format!("group-{g:02}")}),
            );
        }
    }
    println!("\n| the store's time per sign-in, in process ({samples} each) | mean | p95 |");
    println!("|---|---:|---:|");
    for (user, groups) in [("plain", "no group"), ("grouped", "25 groups")] {
        let mut times = Vec::with_capacity(samples);
        for _ in 0..samples {
            let started = Instant::now();
            call(
                "AdminInitiateAuth",
                json!({"UserPoolId": pool, "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": user, "PASSWORD": PASSWORD}}),
            );
            times.push(started.elapsed());
        }
        let (mean, p95) = mean_p95(times);
        println!(
            "| ADMIN_USER_PASSWORD_AUTH, a user in {groups} | {:.3} ms | {:.3} ms |",
            ms(mean),
            ms(p95)
        );
    }
    for (user, groups) in [("plain", "no group"), ("grouped", "25 groups")] {
        let mut srp_client = SrpClient::new(3);
        let mut times = Vec::with_capacity(samples);
        for i in 0..=samples {
            let started = Instant::now();
            let challenge = call(
                "InitiateAuth",
                json!({"ClientId": client, "AuthFlow": "USER_SRP_AUTH",
                "AuthParameters": {"USERNAME": user, "SRP_A": srp_client.a_hex}}),
            );
            let first = started.elapsed();
            let p = &challenge["ChallengeParameters"];
            let field = |k: &str| p[k].as_str().expect("challenge parameter").to_string();
            if i == 0 {
                srp_client.learn(&pool, &field("USER_ID_FOR_SRP"), &field("SALT"));
            }
            let now = timestamp();
            let signature = srp_client.signature(
                &pool,
                &field("USER_ID_FOR_SRP"),
                &field("SRP_B"),
                &field("SECRET_BLOCK"),
                &now,
            );
            let started = Instant::now();
            let mut answer = json!({"ClientId": client, "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeResponses": {"USERNAME": field("USER_ID_FOR_SRP"),
                "PASSWORD_CLAIM_SECRET_BLOCK": field("SECRET_BLOCK"), "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": now}});
            if let Some(session) = challenge.get("Session") {
                answer["Session"] = session.clone();
            }
            let done = call("RespondToAuthChallenge", answer);
            assert!(
                done["AuthenticationResult"]["IdToken"].is_string(),
                "tokens"
            );
            if i > 0 {
                times.push(first + started.elapsed());
            }
        }
        let (mean, p95) = mean_p95(times);
        println!(
            "| USER_SRP_AUTH (both calls, the server's side), a user in {groups} | {:.3} ms | {:.3} ms |",
            ms(mean),
            ms(p95)
        );
    }
}
