//! ConfirmSignUp: the code a sign-up sent. A right code confirms the user and verifies
//! the address it went to; that address then becomes the user's alias if the pool has
//! such aliases (another user holding it: AliasExistsException, unless
//! ForceAliasCreation moves it). Wrong codes are counted like reset codes. Then the
//! pool's post confirmation function runs: its failure is the caller's error, and the
//! user stays confirmed (TRIG-3).

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Context, public_client};
use crate::local::sign_in::codes::{self, Purpose, Redeemed};
use crate::local::triggers::{self, sign_up::Confirmed};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::attributes, db::users, wire};
use crate::pool::UserStatus;
use crate::pool::triggers::{About, Caller};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    client_id: String,
    username: String,
    confirmation_code: String,
    #[serde(default)]
    secret_hash: Option<String>,
    #[serde(default)]
    force_alias_creation: bool,
    /// For the post confirmation function; never stored.
    #[serde(default)]
    client_metadata: std::collections::BTreeMap<String, String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let now = wire::epoch(store.now());
    let (client_id, pool, user) = store.write(|tx| {
        let (client, pool) = public_client(
            tx,
            &input.client_id,
            &input.username,
            input.secret_hash.as_ref(),
        )?;
        let Some(key) = users::resolve(tx, &pool.id, &pool.settings, &input.username)? else {
            // No code can match a user who does not exist: said as a wrong code where
            // the client hides whether users exist.
            return Err(if client.hides_user_existence() {
                codes::mismatch()
            } else {
                ApiError::user_not_found()
            });
        };
        let mut user = users::get(tx, &pool.id, &key)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(cannot_confirm(user.status));
        }
        let attribute = match codes::redeem(
            tx,
            &pool.id,
            &key,
            Purpose::ConfirmSignUp,
            &input.confirmation_code,
            now,
        )? {
            Redeemed::Refused(e) => return Ok(Err(e)),
            Redeemed::Right { attribute, .. } => attribute,
        };
        if let Some(attribute) = attribute {
            let flag = format!("{attribute}_verified");
            user.attributes.retain(|a| a.name != flag);
            user.attributes
                .push(crate::pool::Attribute::new(flag, "true"));
            attributes::claim_aliases(
                tx,
                &pool,
                &key,
                &user.attributes,
                input.force_alias_creation,
                now,
            )?;
            user.modified = now;
            users::update_attributes(tx, &pool.id, &key, &user)?;
        }
        users::confirm(tx, &pool.id, &key, now)?;
        user.status = UserStatus::Confirmed;
        Ok(Ok((client.client_id, pool, user)))
    })??;
    let about = About {
        pool_id: &pool.id,
        username: &user.username,
        caller: Caller::Client(&client_id),
    };
    triggers::sign_up::post_confirmation(
        store,
        &pool,
        Confirmed::SignUp,
        about,
        triggers::attributes_of(&user),
        &input.client_metadata,
    )?;
    Ok(json!({}))
}

/// A user who is not UNCONFIRMED cannot be confirmed again.
pub fn cannot_confirm(status: UserStatus) -> ApiError {
    ApiError::not_authorized(format!(
        "User cannot be confirmed. Current status is {}",
        status.as_str()
    ))
}
