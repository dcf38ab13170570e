//! One-time codes, as Cognito sends them: six digits, one live code per user and
//! purpose (a new one replaces the old), valid for a time, used once, and dead after
//! too many wrong tries. Kept by SHA-256 only; the message that carries a code is
//! in the outbox.

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::mail::delivery::{self, Destination};
use crate::local::sign_in::tokens::token_hash;
use crate::local::triggers::custom_message::Written;
use crate::local::wire::error::{ApiError, ErrorCode};

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// ForgotPassword and AdminResetUserPassword: valid for an hour.
    ResetPassword,
    /// SignUp and ResendConfirmationCode: valid for 24 hours.
    ConfirmSignUp,
    /// An SMS or email MFA code at sign-in: good while the sign-in's session lasts (at
    /// most 15 minutes, the longest an app client's AuthSessionValidity can be).
    SignIn,
    /// A new or unverified email (VerifyUserAttribute): valid for 24 hours.
    VerifyEmail,
    /// A new or unverified phone number, likewise.
    VerifyPhone,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::ResetPassword => "reset_password",
            Self::ConfirmSignUp => "confirm_sign_up",
            Self::SignIn => "sign_in",
            Self::VerifyEmail => "verify_email",
            Self::VerifyPhone => "verify_phone_number",
        }
    }

    /// The code that verifies `attribute` (email or phone_number).
    pub fn verifying(attribute: &str) -> Option<Self> {
        match attribute {
            "email" => Some(Self::VerifyEmail),
            "phone_number" => Some(Self::VerifyPhone),
            _ => None,
        }
    }

    /// How long a code stays good, in seconds (developer guide: password reset codes
    /// last one hour, sign-up confirmation codes 24 hours).
    pub fn validity_seconds(self) -> f64 {
        match self {
            Self::ResetPassword => 3_600.0,
            Self::ConfirmSignUp | Self::VerifyEmail | Self::VerifyPhone => 86_400.0,
            Self::SignIn => 900.0,
        }
    }
}

/// Wrong codes allowed before the code is thrown away.
pub const MAX_WRONG: i64 = 5;

/// Six random digits, each equally likely.
pub fn new_code() -> String {
    loop {
        let mut raw = [0u8; 4];
        aws_lc_rs::rand::fill(&mut raw).expect("the operating system's random source failed");
        let n = u32::from_be_bytes(raw);
        // Reject the top sliver so that n % 1,000,000 is uniform.
        if n < u32::MAX - (u32::MAX % 1_000_000) {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// Makes a new code for `purpose`, keeps it as the user's live code (the old one stops
/// working), and puts the message that carries it in the outbox (as the CustomMessage
/// function wrote it, `custom`, if it did). Returns the `CodeDeliveryDetails` an answer
/// carries.
pub fn send(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    user: &UserRecord,
    destination: &Destination,
    purpose: Purpose,
    custom: Option<&Written>,
    now: f64,
) -> Result<Value, ApiError> {
    let code = new_code();
    let key = crate::local::db::users::username_key(&pool.settings, &user.username);
    store(
        tx,
        &pool.id,
        &key,
        purpose,
        &code,
        Some(destination.attribute()),
        now,
    )?;
    delivery::send_code(tx, pool, user, destination, &code, custom, now)?;
    Ok(destination.details())
}

/// Stores `code` as the user's live code for `purpose`, replacing any earlier one.
pub fn store(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    purpose: Purpose,
    code: &str,
    attribute: Option<&str>,
    now: f64,
) -> Result<(), ApiError> {
    tx.prepare_cached("INSERT OR REPLACE INTO codes (pool_id, username_key, purpose, code_hash, attribute, expires, failed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)")?.execute(params![
            pool_id,
            key,
            purpose.as_str(),
            token_hash(code),
            attribute,
            now + purpose.validity_seconds()
        ])?;
    Ok(())
}

/// Marks the user's live code for `purpose` as carrying `value`, the new address that
/// becomes the attribute's when the code is presented (POOL-15).
pub fn hold_pending(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    purpose: Purpose,
    value: &str,
) -> Result<(), ApiError> {
    tx.prepare_cached(
        "UPDATE codes SET pending_value = ?4
         WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
    )?
    .execute(params![pool_id, key, purpose.as_str(), value])?;
    Ok(())
}

/// The new address waiting for the user's live code for `purpose`, if one is.
pub fn pending_value(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    purpose: Purpose,
) -> Result<Option<String>, ApiError> {
    Ok(tx
        .query_row(
            "SELECT pending_value FROM codes
             WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
            params![pool_id, key, purpose.as_str()],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// The answer to a code presented.
#[derive(Debug, PartialEq, Eq)]
pub enum Redeemed {
    /// Right: the code is used up. Carries the attribute it was sent to, and the new
    /// value that waited for it (POOL-15).
    Right {
        attribute: Option<String>,
        pending: Option<String>,
    },
    /// Refused with this error. A wrong try has been counted (the caller commits it).
    Refused(ApiError),
}

/// Checks `code` against the user's live code for `purpose`.
pub fn redeem(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    purpose: Purpose,
    code: &str,
    now: f64,
) -> Result<Redeemed, ApiError> {
    type Row = (Vec<u8>, Option<String>, f64, i64, Option<String>);
    let row: Option<Row> = tx
        .query_row(
            "SELECT code_hash, attribute, expires, failed, pending_value FROM codes
             WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
            params![pool_id, key, purpose.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let forget = || {
        tx.prepare_cached(
            "DELETE FROM codes WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
        )?
        .execute(params![pool_id, key, purpose.as_str()])
    };
    let Some((hash, attribute, expires, failed, pending)) = row else {
        return Ok(Redeemed::Refused(mismatch()));
    };
    if expires <= now {
        forget()?;
        return Ok(Redeemed::Refused(ApiError::new(
            ErrorCode::ExpiredCode,
            "Invalid code provided, please request a code again.",
        )));
    }
    // Once the limit is reached the code is dead, right or wrong, until a new one is
    // asked for. (It is kept, not deleted, so that a retried request gets the same
    // answer: the SDKs retry LimitExceededException as a throttle.)
    let limit = || {
        Redeemed::Refused(ApiError::new(
            ErrorCode::LimitExceeded,
            "Attempt limit exceeded, please try after some time.",
        ))
    };
    if failed >= MAX_WRONG {
        return Ok(limit());
    }
    let right = aws_lc_rs::constant_time::verify_slices_are_equal(&hash, &token_hash(code)).is_ok();
    if right {
        forget()?;
        return Ok(Redeemed::Right { attribute, pending });
    }
    tx.prepare_cached(
        "UPDATE codes SET failed = failed + 1
         WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
    )?
    .execute(params![pool_id, key, purpose.as_str()])?;
    Ok(if failed + 1 >= MAX_WRONG {
        limit()
    } else {
        Redeemed::Refused(mismatch())
    })
}

/// Drops the user's live code for `purpose` (AdminConfirmSignUp makes it pointless).
pub fn forget(
    tx: &Transaction<'_>,
    pool_id: &str,
    key: &str,
    purpose: Purpose,
) -> Result<(), ApiError> {
    tx.prepare_cached(
        "DELETE FROM codes WHERE pool_id = ?1 AND username_key = ?2 AND purpose = ?3",
    )?
    .execute(params![pool_id, key, purpose.as_str()])?;
    Ok(())
}

pub fn mismatch() -> ApiError {
    ApiError::new(
        ErrorCode::CodeMismatch,
        "Invalid verification code provided, please try again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..200 {
            let c = new_code();
            assert_eq!(c.len(), 6, "{c}");
            assert!(c.chars().all(|d| d.is_ascii_digit()), "{c}");
        }
    }
}
