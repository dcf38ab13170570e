//! ConfirmForgotPassword: the code from ForgotPassword or AdminResetUserPassword, and a
//! new password held to the pool's policy. A right code is used up and the user is
//! CONFIRMED with the new password; wrong codes are counted, and the fifth throws the
//! code away (LimitExceededException). Then the pool's post confirmation function runs
//! (PostConfirmation_ConfirmForgotPassword): its failure is the caller's error, and the
//! new password stays (TRIG-3).

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Context, public_client};
use crate::local::sign_in::codes::{self, Purpose, Redeemed};
use crate::local::triggers::{self, sign_up::Confirmed};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::users, sign_in::srp, wire};
use crate::pool::triggers::{About, Caller};
use crate::pool::{Secret, UserStatus, password};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    client_id: String,
    username: String,
    confirmation_code: String,
    password: String,
    #[serde(default)]
    secret_hash: Option<String>,
    /// For the post confirmation function; never stored.
    #[serde(default)]
    client_metadata: std::collections::BTreeMap<String, String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let secret = Secret::new(input.password);
    let found = store.read(|tx| {
        let (client, pool) = public_client(
            tx,
            &input.client_id,
            &input.username,
            input.secret_hash.as_ref(),
        )?;
        let key = users::resolve(tx, &pool.id, &pool.settings, &input.username)?;
        let user = key
            .as_ref()
            .map(|k| users::get(tx, &pool.id, k))
            .transpose()?;
        Ok((client, pool, key.zip(user)))
    })?;
    let (client, pool, found) = found;
    let Some((key, user)) = found else {
        return Err(if client.hides_user_existence() {
            ApiError::new(
                crate::local::wire::error::ErrorCode::CodeMismatch,
                "Invalid verification code provided, please try again.",
            )
        } else {
            ApiError::user_not_found()
        });
    };
    password::check_new(secret.expose(), &pool.settings.password_policy())?;
    // The slow part (a 3072-bit modular power) runs before the write lock is taken.
    let verifier = srp::new_verifier(&pool.id, &user.username, &secret);
    let now = wire::epoch(store.now());
    let user = store.write(|tx| {
        let mut user = users::get(tx, &pool.id, &key)?;
        if !user.enabled {
            return Err(ApiError::not_authorized("User is disabled."));
        }
        match codes::redeem(
            tx,
            &pool.id,
            &key,
            Purpose::ResetPassword,
            &input.confirmation_code,
            now,
        )? {
            // The wrong try is counted: committed, then refused.
            Redeemed::Refused(e) => Ok(Err(e)),
            Redeemed::Right { .. } => {
                users::set_password(tx, &pool.id, &key, &verifier, now)?;
                user.status = UserStatus::Confirmed;
                Ok(Ok(user))
            }
        }
    })??;
    tracing::info!(pool_id = %pool.id, "a user reset their password");
    let about = About {
        pool_id: &pool.id,
        username: &user.username,
        caller: Caller::Client(&client.client_id),
    };
    triggers::sign_up::post_confirmation(
        store,
        &pool,
        Confirmed::ForgotPassword,
        about,
        triggers::attributes_of(&user),
        &input.client_metadata,
    )?;
    Ok(json!({}))
}
