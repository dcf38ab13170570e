//! For app clients with PreventUserExistenceErrors: a user who does not exist costs what
//! one who does costs, and answers alike. A password sign-in computes a verifier with a
//! salt; SRP answers the first step with a salt and an SRP_B and fails at the second after
//! the same arithmetic. The decoy salt and verifier are derived (HKDF) from the pool's private
//! signing key and the name asked for, so asking twice gives the same salt, as a real
//! user's does, and nobody without the key can tell a decoy from a user.

use aws_lc_rs::hkdf;
use rusqlite::{Transaction, params};

use crate::local::db::pools::PoolRow;
use crate::local::wire::error::ApiError;
use crate::local::{db::users, sign_in::tokens};

/// The HKDF pseudorandom key for a pool's decoys, from its signing key (made now if the
/// pool has none).
fn key(tx: &Transaction<'_>, pool_id: &str, now: f64) -> Result<hkdf::Prk, ApiError> {
    tokens::signing_key(tx, pool_id, now)?;
    let der: Vec<u8> = tx.query_row(
        "SELECT private_key FROM signing_keys WHERE pool_id = ?1",
        params![pool_id],
        |r| r.get(0),
    )?;
    Ok(hkdf::Salt::new(hkdf::HKDF_SHA256, b"cognito-console decoy").extract(&der))
}

/// An output length for HKDF-Expand.
struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn derive(key: &hkdf::Prk, purpose: &str, name: &str, len: usize) -> Result<Vec<u8>, ApiError> {
    let mut out = vec![0u8; len];
    let info = [purpose.as_bytes(), &[0], name.as_bytes()];
    key.expand(&info, Len(len))
        .and_then(|okm| okm.fill(&mut out))
        .map_err(|_| {
            ApiError::new(
                crate::local::wire::error::ErrorCode::InternalError,
                "HKDF failed",
            )
        })?;
    Ok(out)
}

/// A decoy user's salt and verifier. `name` is keyed as the pool keys usernames (lower
/// case in a case-insensitive pool).
pub fn salt_and_verifier(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    name: &str,
    now: f64,
) -> Result<(Vec<u8>, Vec<u8>), ApiError> {
    let key = key(tx, &pool.id, now)?;
    let name = users::username_key(&pool.settings, name);
    let salt = derive(&key, "salt", &name, 16)?;
    let mut verifier = derive(&key, "verifier", &name, 384)?;
    // Below N (whose top byte is 0xff), as a real verifier is.
    verifier[0] = 0;
    Ok((salt, verifier))
}
