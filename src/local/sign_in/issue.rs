//! Where a step of a sign-in leads ([`Step`]) and the tokens a finished sign-in returns.
//! A step is decided in the sign-in's transaction and finished after it, outside every
//! transaction, where the pool's triggers may run: an MFA code's message
//! (CustomMessage), and the tokens, whose claims
//! are minted in the transaction (from the user and their groups; the refresh token
//! stored) and which are signed with the pool's key once PostAuthentication and
//! PreTokenGeneration have run. A sign-in that a trigger refuses gets no tokens.

use std::collections::BTreeMap;

use base64::Engine;
use rusqlite::{Transaction, params};
use serde_json::{Map, Value, json};
use sha2::Digest;

use super::tokens::{SigningKey, issuer, random_token, signing_key, token_hash};
use crate::local::Store;
use crate::local::db::app_clients::ClientRow;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::mail::delivery::{self, Destination};
use crate::local::triggers;
use crate::local::triggers::pre_token::Claims;
use crate::local::wire::error::ApiError;
use crate::pool::triggers::{About, Caller, MessageSource};

/// What a user's groups add to their tokens, and what PreTokenGeneration is told of them.
#[derive(Default)]
struct GroupClaims {
    /// `cognito:groups`, `cognito:roles`, `cognito:preferred_role` for the ID token.
    id: Vec<(String, Value)>,
    /// `cognito:groups` for the access token.
    access: Option<Value>,
    /// The groups by precedence, the roles they carry (each once), the preferred role.
    names: Vec<String>,
    roles: Vec<String>,
    preferred: Option<String>,
}

/// The user's groups in precedence order, the roles they carry, and the preferred one
/// (see [`crate::pool::group::preferred_role`]). A user in no group gets none of these.
fn group_claims(
    tx: &Transaction<'_>,
    pool_id: &str,
    user: &UserRecord,
) -> Result<GroupClaims, ApiError> {
    let Some(key) = crate::local::db::users::key_by_sub(tx, pool_id, &user.sub)? else {
        return Ok(GroupClaims::default());
    };
    let mut groups: Vec<crate::pool::group::Group> =
        crate::local::db::groups::of_user(tx, pool_id, &key)?
            .iter()
            .map(crate::local::db::groups::GroupRow::to_group)
            .collect();
    if groups.is_empty() {
        return Ok(GroupClaims::default());
    }
    crate::pool::group::in_precedence_order(&mut groups);
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let mut roles: Vec<String> = Vec::new();
    for role in groups.iter().filter_map(|g| g.role_arn.as_deref()) {
        if !roles.iter().any(|r| r == role) {
            roles.push(role.to_string());
        }
    }
    let preferred = crate::pool::group::preferred_role(&groups);
    let mut id = vec![("cognito:groups".to_string(), json!(names))];
    if !roles.is_empty() {
        id.push(("cognito:roles".into(), json!(roles)));
    }
    if let Some(preferred) = &preferred {
        id.push(("cognito:preferred_role".into(), json!(preferred)));
    }
    Ok(GroupClaims {
        id,
        access: Some(json!(names)),
        names,
        roles,
        preferred,
    })
}

/// Everything an `AuthenticationResult` holds, with the access token's lifetime.
pub struct Issued {
    pub id_token: String,
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: Option<String>,
}

impl Issued {
    /// The whole answer of a finished sign-in.
    pub fn response(&self) -> Value {
        json!({
            "ChallengeParameters": {},
            "AuthenticationResult": self.to_json(),
        })
    }

    pub fn to_json(&self) -> Value {
        let mut out = json!({
            "AccessToken": self.access_token,
            "ExpiresIn": self.expires_in,
            "TokenType": "Bearer",
            "IdToken": self.id_token,
        });
        if let Some(refresh) = &self.refresh_token {
            out["RefreshToken"] = json!(refresh);
        }
        out
    }
}

/// Why tokens are made: PreTokenGeneration's `triggerSource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    /// A sign-in's last answer (a password, an MFA code, a custom challenge).
    Authentication,
    /// The answer to NEW_PASSWORD_REQUIRED.
    NewPasswordChallenge,
    /// REFRESH_TOKEN_AUTH.
    RefreshTokens,
    /// An authorization code redeemed at the token endpoint, after a managed login.
    HostedAuth,
}

impl Occasion {
    pub fn trigger_source(self) -> &'static str {
        match self {
            Self::Authentication => "TokenGeneration_Authentication",
            Self::NewPasswordChallenge => "TokenGeneration_NewPasswordChallenge",
            Self::RefreshTokens => "TokenGeneration_RefreshTokens",
            Self::HostedAuth => "TokenGeneration_HostedAuth",
        }
    }
}

/// Tokens whose claims are made but not yet signed.
pub struct Minted {
    key: SigningKey,
    pub claims: Claims,
    refresh_token: Option<String>,
    expires_in: i64,
    pub occasion: Occasion,
}

impl std::fmt::Debug for Minted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Minted")
            .field("username", &self.claims.username)
            .field("occasion", &self.occasion)
            .finish()
    }
}

impl Minted {
    /// The tokens, once the pool's PostAuthentication and PreTokenGeneration functions
    /// have had their say: the whole `AuthenticationResult` answer. `metadata` is the
    /// `ClientMetadata` of the call that finishes the sign-in.
    pub fn finish(
        self,
        store: &Store,
        pool: &PoolRow,
        metadata: &BTreeMap<String, String>,
    ) -> Result<Value, ApiError> {
        if self.occasion == Occasion::Authentication
            || self.occasion == Occasion::NewPasswordChallenge
        {
            self.post_authentication(store, pool, metadata)?;
        }
        Ok(self.issue(store, pool, metadata)?.response())
    }

    fn post_authentication(
        &self,
        store: &Store,
        pool: &PoolRow,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        triggers::authentication::post_authentication(
            store,
            pool,
            &self.claims.username,
            &self.claims.client_id,
            self.claims.user_attributes.clone(),
            metadata,
        )
    }

    /// The tokens signed after PreTokenGeneration. Tokens for an authorization code
    /// carry `at_hash`, the left half of the access token's SHA-256 (OIDC Core 3.1.3.6).
    pub fn issue(
        mut self,
        store: &Store,
        pool: &PoolRow,
        metadata: &BTreeMap<String, String>,
    ) -> Result<Issued, ApiError> {
        triggers::pre_token::apply(store, pool, &mut self.claims, metadata)?;
        let access_token = self.key.sign(&Value::Object(self.claims.access))?;
        if self.occasion == Occasion::HostedAuth {
            let digest = sha2::Sha256::digest(access_token.as_bytes());
            let half = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
            self.claims.id.insert("at_hash".into(), json!(half));
        }
        Ok(Issued {
            id_token: self.key.sign(&Value::Object(self.claims.id))?,
            access_token,
            expires_in: self.expires_in,
            refresh_token: self.refresh_token,
        })
    }

    /// A sign-in finished on the managed login page: PostAuthentication runs now, and
    /// the tokens are made when the app redeems its code, so the refresh token minted
    /// here is let go. Who signed in, and when.
    pub fn signed_in(
        self,
        store: &Store,
        pool: &PoolRow,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(String, i64), ApiError> {
        self.post_authentication(store, pool, metadata)?;
        if let Some(token) = &self.refresh_token {
            store.write(|tx| {
                tx.execute(
                    "DELETE FROM refresh_tokens WHERE token_hash = ?1",
                    params![token_hash(token)],
                )?;
                Ok(())
            })?;
        }
        let sub = self
            .claims
            .id
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let auth_time = self
            .claims
            .id
            .get("auth_time")
            .and_then(Value::as_i64)
            .unwrap_or_default();
        Ok((sub.to_string(), auth_time))
    }

    /// OAuth's narrowing: the access token's `scope` is what was granted, the ID token
    /// carries the attributes those scopes open (OAUTH-9) and the request's `nonce`.
    pub fn with_scopes(&mut self, scopes: &[String], nonce: Option<&str>) {
        self.claims
            .access
            .insert("scope".into(), json!(scopes.join(" ")));
        let hidden: Vec<String> = self
            .claims
            .user_attributes
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys())
            .filter(|name| !crate::pool::oauth::scope_shows(scopes, name))
            .cloned()
            .collect();
        for name in hidden {
            self.claims.id.remove(&name);
        }
        if let Some(nonce) = nonce {
            self.claims.id.insert("nonce".into(), json!(nonce));
        }
    }

    /// The access token's `scope` claim.
    pub fn scope(&self) -> &str {
        self.claims
            .access
            .get("scope")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The `origin_jti` of the sign-in these tokens belong to.
    pub fn origin(&self) -> &str {
        self.claims
            .access
            .get("origin_jti")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// Where a step of a sign-in leads, decided in its transaction and finished after it:
/// a challenge's answer (with, for an SMS or email MFA code, the message still to
/// send), or tokens still to sign.
#[derive(Debug)]
pub enum Step {
    Answer(Value),
    Code { answer: Value, message: PendingCode },
    Tokens(Box<Minted>),
}

/// An MFA code to send once the sign-in's transaction is done, so that the pool's
/// CustomMessage function (CustomMessage_Authentication) may write it.
#[derive(Debug)]
pub struct PendingCode {
    pub user: UserRecord,
    pub client_id: String,
    pub destination: Destination,
    pub code: String,
}

impl PendingCode {
    /// Sends the code: as the pool's CustomMessage function writes it, if it has one.
    fn send(
        &self,
        store: &Store,
        pool: &PoolRow,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        let about = About {
            pool_id: &pool.id,
            username: &self.user.username,
            caller: Caller::Client(&self.client_id),
        };
        let custom = triggers::custom_message::ask(
            store,
            pool,
            MessageSource::Authentication,
            about,
            triggers::attributes_of(&self.user),
            metadata,
        )?;
        let now = crate::local::wire::epoch(store.now());
        store.write(|tx| {
            delivery::send_mfa_code(
                tx,
                pool,
                &self.user,
                &self.destination,
                &self.code,
                custom.as_ref(),
                now,
            )
        })
    }
}

impl Step {
    /// The answer to the call: challenges as they are, codes sent, tokens signed after
    /// the pool's triggers (`metadata`: the call's `ClientMetadata`).
    pub fn finish(
        self,
        store: &Store,
        pool: &PoolRow,
        metadata: &BTreeMap<String, String>,
    ) -> Result<Value, ApiError> {
        match self {
            Step::Answer(answer) => Ok(answer),
            Step::Code { answer, message } => {
                message.send(store, pool, metadata)?;
                Ok(answer)
            }
            Step::Tokens(minted) => minted.finish(store, pool, metadata),
        }
    }
}

/// Makes the ID and access tokens' claims for `user`. A new sign-in (`origin` None) also
/// gets a new refresh token; a refresh passes the `origin_jti` of the sign-in it
/// continues, so that revoking that sign-in refuses every access token made from it.
pub fn mint(
    tx: &Transaction<'_>,
    client: &ClientRow,
    user: &UserRecord,
    auth_time: i64,
    now: f64,
    origin: Option<&str>,
    occasion: Occasion,
) -> Result<Minted, ApiError> {
    let key = signing_key(tx, &client.pool_id, now)?;
    let iat = now as i64;
    let iss = issuer(&client.pool_id);
    let with_refresh = origin.is_none();
    let origin_jti = origin.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    let event_id = uuid::Uuid::new_v4().to_string();

    let id_validity = crate::pool::token_validity::seconds(&client.settings, "IdTokenValidity");
    let mut id = Map::new();
    id.insert("sub".into(), json!(user.sub));
    for attribute in &user.attributes {
        let value = match attribute.name.as_str() {
            "email_verified" | "phone_number_verified" => {
                json!(attribute.value.eq_ignore_ascii_case("true"))
            }
            _ => json!(attribute.value),
        };
        id.insert(attribute.name.clone(), value);
    }
    let groups = group_claims(tx, &client.pool_id, user)?;
    for (claim, value) in &groups.id {
        id.insert(claim.clone(), value.clone());
    }
    id.insert("iss".into(), json!(iss));
    id.insert("cognito:username".into(), json!(user.username));
    id.insert("origin_jti".into(), json!(origin_jti));
    id.insert("aud".into(), json!(client.client_id));
    id.insert("event_id".into(), json!(event_id));
    id.insert("token_use".into(), json!("id"));
    id.insert("auth_time".into(), json!(auth_time));
    id.insert("exp".into(), json!(iat.saturating_add(id_validity)));
    id.insert("iat".into(), json!(iat));
    id.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));

    let access_validity =
        crate::pool::token_validity::seconds(&client.settings, "AccessTokenValidity");
    let mut access = Map::new();
    let access_json = json!({
        "sub": user.sub,
        "iss": iss,
        "client_id": client.client_id,
        "origin_jti": origin_jti,
        "event_id": event_id,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": auth_time,
        "exp": iat.saturating_add(access_validity),
        "iat": iat,
        "jti": uuid::Uuid::new_v4().to_string(),
        "username": user.username,
    });
    if let Value::Object(claims) = access_json {
        access = claims;
    }
    if let Some(names) = groups.access.clone() {
        access.insert("cognito:groups".into(), names);
    }

    let refresh_token = if with_refresh {
        let token = random_token(96);
        let refresh_validity =
            crate::pool::token_validity::seconds(&client.settings, "RefreshTokenValidity");
        tx.prepare_cached("INSERT INTO refresh_tokens (token_hash, pool_id, client_id, sub, auth_time, expires, origin_jti)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(params![
                token_hash(&token),
                client.pool_id,
                client.client_id,
                user.sub,
                auth_time,
                now + refresh_validity as f64,
                origin_jti
            ])?;
        Some(token)
    } else {
        None
    };
    Ok(Minted {
        key,
        claims: Claims {
            username: user.username.clone(),
            client_id: client.client_id.clone(),
            user_attributes: triggers::attributes_of(user),
            groups: (groups.names, groups.roles, groups.preferred),
            id,
            access,
            source: occasion.trigger_source(),
        },
        refresh_token,
        expires_in: access_validity,
        occasion,
    })
}

/// `client_credentials`: an access token for the client itself, no user in it (`sub` is
/// the client's id) and its granted custom scopes; no ID token, no refresh token
/// (OAUTH-8). The signed token and its lifetime in seconds.
pub fn mint_for_client(
    tx: &Transaction<'_>,
    client: &ClientRow,
    scopes: &[String],
    now: f64,
) -> Result<(String, i64), ApiError> {
    let key = signing_key(tx, &client.pool_id, now)?;
    let iat = now as i64;
    let validity = crate::pool::token_validity::seconds(&client.settings, "AccessTokenValidity");
    let claims = json!({
        "sub": client.client_id,
        "token_use": "access",
        "scope": scopes.join(" "),
        "auth_time": iat,
        "iss": issuer(&client.pool_id),
        "exp": iat.saturating_add(validity),
        "iat": iat,
        "version": 2,
        "jti": uuid::Uuid::new_v4().to_string(),
        "client_id": client.client_id,
    });
    Ok((key.sign(&claims)?, validity))
}
