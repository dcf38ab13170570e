//! The store in process, for the tests of `docs/documented-rules.md`: a pool, its
//! clients and users, calls that must pass or fail, and a token's claims.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine;
use cognito_console::local::Store;
use cognito_console::local::ops::Context;
use cognito_console::local::wire::api;
use serde_json::{Value, json};

pub struct Pool {
    pub store: Store,
    ctx: Context,
    /// The store's clock, in seconds since the epoch.
    clock: Arc<AtomicU64>,
    /// The runtime the store's Lambda calls wait on, for a pool with triggers.
    _runtime: Option<tokio::runtime::Runtime>,
}

/// Where every rules test's clock starts.
pub const START: u64 = 1_800_000_000;

/// An error as a caller sees it: the exception name and the message.
pub type Refusal = (String, String);

impl Pool {
    pub fn new() -> Self {
        // A clock that moves only when told: lifetimes are compared to the second.
        let clock = Arc::new(AtomicU64::new(START));
        let read = Arc::clone(&clock);
        Self {
            store: Store::open_in_memory()
                .expect("store")
                .with_clock(Arc::new(move || {
                    UNIX_EPOCH + Duration::from_secs(read.load(Ordering::SeqCst))
                })),
            ctx: Context::default(),
            clock,
            _runtime: None,
        }
    }

    /// A store whose pools' Lambda triggers call the test functions (tests/functions)
    /// behind the Invoke API scripts/peers.sh starts.
    pub fn with_triggers() -> Self {
        let (endpoint, _) = crate::common::lambda_endpoint();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let lambda = {
            let _entered = runtime.enter();
            cognito_console::lambda::Lambda::new(Some(&endpoint), None)
        };
        let mut pool = Self::new();
        pool.store = pool.store.with_lambda(Arc::new(lambda));
        pool._runtime = Some(runtime);
        pool
    }

    /// The store's time now, in seconds.
    pub fn now(&self) -> u64 {
        self.clock.load(Ordering::SeqCst)
    }

    /// Moves the store's clock forward.
    pub fn advance(&self, seconds: u64) {
        self.clock.fetch_add(seconds, Ordering::SeqCst);
    }

    pub fn call(&self, op: &str, body: Value) -> Result<Value, Refusal> {
        api::call(&self.store, &self.ctx, op, &body)
            .map_err(|e| (e.code.name().to_string(), e.message))
    }

    pub fn ok(&self, op: &str, body: Value) -> Value {
        self.call(op, body.clone())
            .unwrap_or_else(|e| panic!("{op} {body}: {e:?}"))
    }

    pub fn refused(&self, op: &str, body: Value) -> Refusal {
        match self.call(op, body.clone()) {
            Ok(v) => panic!("{op} {body} was accepted: {v}"),
            Err(e) => e,
        }
    }

    /// A pool made with `extra` members; its id.
    pub fn pool(&self, extra: Value) -> String {
        let mut body = json!({"PoolName": "rules"});
        merge(&mut body, extra);
        let made = self.ok("CreateUserPool", body);
        made["UserPool"]["Id"].as_str().expect("id").to_string()
    }

    pub fn describe(&self, id: &str) -> Value {
        self.ok("DescribeUserPool", json!({"UserPoolId": id}))["UserPool"].clone()
    }

    /// An app client made with `extra` members, allowed ADMIN_USER_PASSWORD_AUTH.
    pub fn client(&self, id: &str, extra: Value) -> Value {
        let mut body = json!({
            "UserPoolId": id,
            "ClientName": "app",
            "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        });
        merge(&mut body, extra);
        self.ok("CreateUserPoolClient", body)["UserPoolClient"].clone()
    }

    pub fn user(&self, id: &str, name: &str, attributes: Value) -> Value {
        self.ok(
            "AdminCreateUser",
            json!({"UserPoolId": id, "Username": name, "MessageAction": "SUPPRESS",
                   "UserAttributes": attributes}),
        )["User"]
            .clone()
    }

    /// `name` (already a user) given the password `Passw0rd!` and signed in by
    /// ADMIN_USER_PASSWORD_AUTH: the AuthenticationResult.
    pub fn signed_in(&self, id: &str, client: &Value, name: &str) -> Value {
        self.ok(
            "AdminSetUserPassword",
            json!({"UserPoolId": id, "Username": name, "Password": "Passw0rd!", "Permanent": true}),
        );
        let signed = self.ok(
            "AdminInitiateAuth",
            json!({"UserPoolId": id, "ClientId": client["ClientId"],
                   "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                   "AuthParameters": {"USERNAME": name, "PASSWORD": "Passw0rd!"}}),
        );
        signed["AuthenticationResult"].clone()
    }

    /// The lifetimes (seconds) of the access, ID and refresh tokens a sign-in gets.
    pub fn lifetimes(&self, id: &str, client: &Value) -> (i64, i64, f64) {
        let name = format!("u{}", client["ClientId"].as_str().expect("id"));
        self.user(id, &name, json!([]));
        let result = &self.signed_in(id, client, &name);
        let id_claims = claims(result["IdToken"].as_str().expect("id token"));
        let id_life =
            id_claims["exp"].as_i64().expect("exp") - id_claims["iat"].as_i64().expect("iat");
        let refresh_life = refresh_lifetime(self, client);
        (
            result["ExpiresIn"].as_i64().expect("expires in"),
            id_life,
            refresh_life,
        )
    }
}

/// The refresh token's lifetime, from the store's own row (it is opaque on the wire).
pub fn refresh_lifetime(pool: &Pool, client: &Value) -> f64 {
    pool.store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT expires - auth_time FROM refresh_tokens WHERE client_id = ?1",
                [client["ClientId"].as_str().expect("id")],
                |r| r.get::<_, f64>(0),
            )?)
        })
        .expect("one refresh token")
}

pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("json")
}

pub fn merge(into: &mut Value, extra: Value) {
    if let (Some(into), Value::Object(extra)) = (into.as_object_mut(), extra) {
        into.extend(extra);
    }
}

pub fn code(refusal: &Refusal) -> &str {
    &refusal.0
}

pub const SMS: &str = "arn:aws:iam::123456789012:role/sms";
