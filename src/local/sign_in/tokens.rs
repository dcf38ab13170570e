//! The tokens a sign-in returns: ID and access tokens are JWTs signed RS256 with the
//! pool's own key, carrying Cognito's claims; the refresh token is an opaque random
//! string kept (hashed) in the store. `jwks` publishes the public key as Cognito does at
//! `https://cognito-idp.{region}.amazonaws.com/{poolId}/.well-known/jwks.json`.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::local::db::app_clients::ClientRow;
use crate::local::db::pools;
use crate::local::wire::error::ApiError;

/// A pool's signing key and the id JWT headers name it by.
pub struct SigningKey {
    pub kid: String,
    key: Arc<KeyPair>,
}

/// Keys already parsed, by the SHA-256 of their stored DER. Parsing checks the key and
/// sets up its Montgomery constants and blinding, which cost more than the signature
/// itself; a parsed key keeps them. Bounded: emptied past 256 keys.
static PARSED: LazyLock<Mutex<HashMap<[u8; 32], Arc<KeyPair>>>> = LazyLock::new(Default::default);

fn parsed(der: &[u8]) -> Result<Arc<KeyPair>, ApiError> {
    let digest: [u8; 32] = Sha256::digest(der).into();
    let mut parsed = PARSED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(key) = parsed.get(&digest) {
        return Ok(key.clone());
    }
    let key = Arc::new(
        KeyPair::from_pkcs8(der).map_err(|_| internal("stored signing key is unreadable"))?,
    );
    if parsed.len() >= 256 {
        parsed.clear();
    }
    parsed.insert(digest, key.clone());
    Ok(key)
}

fn internal(what: &str) -> ApiError {
    ApiError::new(
        crate::local::wire::error::ErrorCode::InternalError,
        what.to_string(),
    )
}

/// The pool's key, if it has made one.
pub(super) fn stored_key(
    tx: &Transaction<'_>,
    pool_id: &str,
) -> Result<Option<SigningKey>, ApiError> {
    let stored: Option<(String, Vec<u8>)> = tx
        .query_row(
            "SELECT kid, private_key FROM signing_keys WHERE pool_id = ?1",
            params![pool_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    stored
        .map(|(kid, der)| {
            Ok(SigningKey {
                kid,
                key: parsed(&der)?,
            })
        })
        .transpose()
}

/// The pool's key, made and stored the first time it is needed.
pub fn signing_key(tx: &Transaction<'_>, pool_id: &str, now: f64) -> Result<SigningKey, ApiError> {
    if let Some(key) = stored_key(tx, pool_id)? {
        return Ok(key);
    }
    let key =
        KeyPair::generate(KeySize::Rsa2048).map_err(|_| internal("cannot make a signing key"))?;
    let der = key
        .as_der()
        .map_err(|_| internal("cannot encode the signing key"))?;
    let kid = STANDARD.encode(Sha256::digest(key.public_key().as_ref()));
    tx.prepare_cached(
        "INSERT INTO signing_keys (pool_id, kid, private_key, created) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![pool_id, kid, der.as_ref(), now])?;
    Ok(SigningKey {
        kid,
        key: Arc::new(key),
    })
}

impl SigningKey {
    /// The JSON Web Key of the public half.
    pub fn jwk(&self) -> Value {
        let public = self.key.public_key();
        json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
            "use": "sig",
        })
    }

    /// The public key, DER (RSAPublicKey), to verify what this key signed.
    pub fn public_der(&self) -> &[u8] {
        self.key.public_key().as_ref()
    }

    pub fn sign(&self, claims: &Value) -> Result<String, ApiError> {
        let header = json!({"kid": self.kid, "alg": "RS256"});
        let mut token = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                token.as_bytes(),
                &mut signature,
            )
            .map_err(|_| internal("cannot sign a token"))?;
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        Ok(token)
    }
}

/// `{"keys": [...]}` for a pool.
pub fn jwks(tx: &Transaction<'_>, pool_id: &str, now: f64) -> Result<Value, ApiError> {
    pools::load(tx, pool_id)?;
    let key = signing_key(tx, pool_id, now)?;
    Ok(json!({ "keys": [key.jwk()] }))
}

/// `https://cognito-idp.{region}.amazonaws.com/{poolId}`: the `iss` claim.
pub fn issuer(pool_id: &str) -> String {
    format!(
        "https://cognito-idp.{}.amazonaws.com/{pool_id}",
        pools::region_of(pool_id)
    )
}

pub fn random_token(bytes: usize) -> String {
    let mut raw = vec![0u8; bytes];
    aws_lc_rs::rand::fill(&mut raw).expect("the operating system's random source failed");
    URL_SAFE_NO_PAD.encode(raw)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// What a refresh token presented to the store is.
#[derive(Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Live: the user (by sub), the original sign-in time and its `origin_jti`.
    Live {
        sub: String,
        auth_time: i64,
        origin_jti: String,
        /// The OAuth scopes of a managed login's sign-in.
        scopes: Option<Vec<String>>,
    },
    /// Revoked by a global sign-out.
    Revoked,
    /// Unknown, expired, or another client's.
    Invalid,
}

/// What a refresh token stands for now.
pub fn redeem_refresh(
    tx: &Transaction<'_>,
    client: &ClientRow,
    token: &str,
    now: f64,
) -> Result<Refresh, ApiError> {
    type Row = (String, i64, bool, Option<String>, Option<String>);
    let row: Option<Row> = tx
        .query_row(
            "SELECT sub, auth_time, revoked, origin_jti, scopes FROM refresh_tokens
             WHERE token_hash = ?1 AND pool_id = ?2 AND client_id = ?3 AND expires > ?4",
            params![token_hash(token), client.pool_id, client.client_id, now],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    Ok(match row {
        Some((_, _, true, _, _)) => Refresh::Revoked,
        Some((sub, auth_time, false, origin_jti, scopes)) => {
            // A token kept before origins were stored becomes a sign-in of its own.
            let origin_jti = match origin_jti {
                Some(o) => o,
                None => {
                    let o = uuid::Uuid::new_v4().to_string();
                    tx.prepare_cached(
                        "UPDATE refresh_tokens SET origin_jti = ?2 WHERE token_hash = ?1",
                    )?
                    .execute(params![token_hash(token), o])?;
                    o
                }
            };
            Refresh::Live {
                sub,
                auth_time,
                origin_jti,
                scopes: scopes.map(|s| s.split_whitespace().map(str::to_string).collect()),
            }
        }
        None => Refresh::Invalid,
    })
}

/// Marks the sign-in `origin_jti` as a managed login's, granted `scopes`.
pub fn remember_scopes(
    tx: &Transaction<'_>,
    origin_jti: &str,
    scopes: &[String],
) -> Result<(), ApiError> {
    tx.prepare_cached("UPDATE refresh_tokens SET scopes = ?2 WHERE origin_jti = ?1")?
        .execute(params![origin_jti, scopes.join(" ")])?;
    Ok(())
}

/// AdminUserGlobalSignOut: every refresh token the user holds stops working.
pub fn revoke_all(tx: &Transaction<'_>, pool_id: &str, sub: &str) -> Result<usize, ApiError> {
    Ok(tx
        .prepare_cached(
            "UPDATE refresh_tokens SET revoked = 1 WHERE pool_id = ?1 AND sub = ?2 AND revoked = 0",
        )?
        .execute(params![pool_id, sub])?)
}

/// RevokeToken: the refresh token `token` of `client` stops working, and so does every
/// access token made from its sign-in. Returns whether there was such a token.
pub fn revoke(tx: &Transaction<'_>, client: &ClientRow, token: &str) -> Result<bool, ApiError> {
    Ok(tx
        .prepare_cached(
            "UPDATE refresh_tokens SET revoked = 1
         WHERE token_hash = ?1 AND pool_id = ?2 AND client_id = ?3",
        )?
        .execute(params![token_hash(token), client.pool_id, client.client_id])?
        > 0)
}

/// A refresh token presented to RevokeToken, whoever it was issued to.
pub fn refresh_token_client(tx: &Transaction<'_>, token: &str) -> Result<Option<String>, ApiError> {
    Ok(tx
        .query_row(
            "SELECT client_id FROM refresh_tokens WHERE token_hash = ?1",
            params![token_hash(token)],
            |r| r.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};

    #[test]
    fn tokens_verify_with_the_published_key() {
        let store = crate::local::Store::open_in_memory().unwrap();
        store
            .write(|tx| {
                tx.prepare_cached("INSERT INTO user_pools (id, name, created, modified, settings) VALUES ('local_P', 'p', 0, 0, '{}')")?.execute([])?;
                let key = signing_key(tx, "local_P", 0.0)?;
                let again = signing_key(tx, "local_P", 0.0)?;
                assert_eq!(key.kid, again.kid, "one key per pool, kept");
                let token = key.sign(&json!({"sub": "x"}))?;
                let jwk = jwks(tx, "local_P", 0.0)?["keys"][0].clone();
                let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
                let e = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap();
                let (signed, signature) = token.rsplit_once('.').unwrap();
                let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
                let public = RsaPublicKeyComponents { n: &n, e: &e };
                assert!(public.verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature).is_ok());
                let tampered = signed.replace('.', ".e");
                assert!(public.verify(&RSA_PKCS1_2048_8192_SHA256, tampered.as_bytes(), &signature).is_err());
                Ok(())
            })
            .unwrap();
    }
}
