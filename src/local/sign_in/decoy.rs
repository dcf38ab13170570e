//! For app clients with PreventUserExistenceErrors: a user who does not exist costs what
//! one who does costs, and answers alike. A password sign-in computes a verifier with a
//! salt; SRP answers the first step with a salt and an SRP_B and fails at the second after
//! the same arithmetic. The decoy salt and verifier are derived (HKDF) from the pool's private
//! signing key and the name asked for, so asking twice gives the same salt, as a real
//! user's does, and nobody without the key can tell a decoy from a user.

use aws_lc_rs::hkdf;
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Value, json};

use crate::local::db::pools::PoolRow;
use crate::local::wire::error::ApiError;
use crate::local::{db::users, sign_in::tokens};
use crate::pool::DeliveryMedium;

/// The HKDF pseudorandom key for a pool's decoys, from its signing key (made now if the
/// pool has none). The key's bytes are read as stored, never parsed as a key: parsing
/// would cost a decoy a fraction of a millisecond a real user's sign-in does not pay.
fn key(tx: &Transaction<'_>, pool_id: &str, now: f64) -> Result<hkdf::Prk, ApiError> {
    let stored = || -> Result<Option<Vec<u8>>, ApiError> {
        Ok(tx
            .prepare_cached("SELECT private_key FROM signing_keys WHERE pool_id = ?1")?
            .query_row(params![pool_id], |r| r.get(0))
            .optional()?)
    };
    let der = match stored()? {
        Some(der) => der,
        None => {
            tokens::signing_key(tx, pool_id, now)?;
            stored()?.ok_or_else(|| {
                ApiError::new(
                    crate::local::wire::error::ErrorCode::InternalError,
                    "the pool's signing key was made but cannot be read",
                )
            })?
        }
    };
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

/// Where a code "went" for someone who does not exist (or cannot be sent one): a
/// `CodeDeliveryDetails` shaped as a real one (`j***@e***`, `+*******1212`), by
/// `medium`, the same each time for the same name and different between names.
pub fn delivery(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    name: &str,
    medium: DeliveryMedium,
    now: f64,
) -> Result<Value, ApiError> {
    let key = key(tx, &pool.id, now)?;
    let keyed = users::username_key(&pool.settings, name);
    let bytes = derive(&key, "delivery", &keyed, 6)?;
    let letter = |b: u8| char::from(b'a' + b % 26);
    let (destination, attribute) = match medium {
        DeliveryMedium::Email => {
            let shown = match name.rsplit_once('@') {
                // An email given as the username shows its own first letters, as a real
                // address does.
                Some(_) => crate::local::mail::delivery::mask(name),
                None => format!("{}***@{}***", letter(bytes[0]), letter(bytes[1])),
            };
            (shown, "email")
        }
        DeliveryMedium::Sms => {
            let digits: String = bytes[2..6]
                .iter()
                .map(|b| char::from(b'0' + b % 10))
                .collect();
            (format!("+*******{digits}"), "phone_number")
        }
    };
    Ok(json!({
        "Destination": destination,
        "DeliveryMedium": medium.as_str(),
        "AttributeName": attribute,
    }))
}

/// A wrong password for `name`, who does not exist, written down as a user's failed
/// attempt is (one small row updated), so the write costs what a user's does. The
/// slot is the name's keyed hash, 1,024 a pool.
pub fn note_attempt(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    name: &str,
    now: f64,
) -> Result<(), ApiError> {
    let key = key(tx, &pool.id, now)?;
    let keyed = users::username_key(&pool.settings, name);
    let bytes = derive(&key, "attempt", &keyed, 2)?;
    let slot = i64::from(u16::from_be_bytes([bytes[0], bytes[1]]) % 1024);
    tx.prepare_cached(
        "INSERT INTO decoy_attempts (pool_id, slot, failed, last) VALUES (?1, ?2, 1, ?3)
         ON CONFLICT (pool_id, slot) DO UPDATE SET failed = failed + 1, last = ?3",
    )?
    .execute(params![pool.id, slot, now])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::local::{Store, wire::api};
    use serde_json::json;

    #[test]
    fn a_spray_of_names_never_grows_the_attempts_past_a_pools_slots() {
        let store = Store::open_in_memory().unwrap();
        let id = api::call(
            &store,
            &Default::default(),
            "CreateUserPool",
            &json!({"PoolName": "p"}),
        )
        .unwrap()["UserPool"]["Id"]
            .as_str()
            .unwrap()
            .to_string();
        store
            .write(|tx| {
                let pool = crate::local::db::pools::load(tx, &id)?;
                for i in 0..3_000 {
                    super::note_attempt(tx, &pool, &format!("ghost{i}"), 1.0)?;
                }
                Ok(())
            })
            .unwrap();
        let (rows, total): (i64, i64) = store
            .read(|tx| {
                Ok(tx.query_row(
                    "SELECT count(*), sum(failed) FROM decoy_attempts",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert!(rows <= 1_024, "{rows}");
        assert_eq!(total, 3_000);
    }
}
