//! What a signed-in user does to their own account with their access token (checked as
//! every token operation checks it: signature, expiry, token use, revocation):
//! ChangePassword, DeleteUserAttributes and DeleteUser; and GetTokensFromRefreshToken,
//! which takes a refresh token and the client's secret instead (USER-12).

use std::collections::BTreeMap;

use aws_lc_rs::constant_time::verify_slices_are_equal;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::sign_in::{access, auth, checks, srp};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::attributes, db::pools, db::users, wire};
use crate::pool::{Secret, password};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ChangeInput {
    access_token: String,
    #[serde(default)]
    previous_password: Option<String>,
    proposed_password: String,
}

/// ChangePassword: the previous password must be right (a wrong one counts toward the
/// lockout, as at sign-in), the new one must meet the policy. Both verifiers (a 3072-bit
/// power each) are computed before the write lock is taken.
pub fn change_password(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ChangeInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    let previous = Secret::new(input.previous_password.unwrap_or_default());
    let proposed = Secret::new(input.proposed_password);
    let (pool, key, user, stored) = store.read(|tx| {
        let (access, key, user) = access::holder(tx, &input.access_token, now)?;
        let pool = pools::load(tx, &access.pool_id)?;
        checks::may_try(tx, &pool.id, &key, &user, now)?;
        let stored = users::verifier(tx, &pool.id, &key)?;
        Ok((pool, key, user, stored))
    })?;
    if previous.expose().is_empty() {
        return Err(ApiError::invalid(
            "PreviousPassword is required: the user has a password",
        ));
    }
    password::check_new(proposed.expose(), &pool.settings.password_policy())?;
    let computed = srp::verifier_for(&pool.id, &user.username, &previous, &stored.salt);
    let new = srp::new_verifier(&pool.id, &user.username, &proposed);
    store.write(|tx| {
        let (_, _, user) = access::holder(tx, &input.access_token, now)?;
        checks::may_try(tx, &pool.id, &key, &user, now)?;
        let current = users::verifier(tx, &pool.id, &key)?;
        let right = current.salt == stored.salt
            && verify_slices_are_equal(&current.verifier, &computed).is_ok();
        if !right {
            users::record_failed_sign_in(tx, &pool.id, &key, now)?;
            return Ok(Err(checks::wrong_password()));
        }
        users::record_sign_in(tx, &pool.id, &key)?;
        users::set_password(tx, &pool.id, &key, &new, now)?;
        Ok(Ok(()))
    })??;
    tracing::info!(pool_id = %pool.id, "a user changed their password");
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteAttributesInput {
    access_token: String,
    user_attribute_names: Vec<String>,
}

/// DeleteUserAttributes: as AdminDeleteUserAttributes, by the user.
pub fn delete_attributes(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: DeleteAttributesInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let (access, key, mut user) = access::holder(tx, &input.access_token, now)?;
        let pool = pools::load(tx, &access.pool_id)?;
        attributes::delete(&pool.settings, &mut user, &input.user_attribute_names)?;
        user.modified = now;
        users::update_attributes(tx, &pool.id, &key, &user)
    })?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TokenInput {
    access_token: String,
}

/// DeleteUser: the user deletes themselves; their refresh tokens, codes, sessions and
/// memberships go with them.
pub fn delete_user(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: TokenInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let (access, key, user) = access::holder(tx, &input.access_token, now)?;
        crate::local::sign_in::tokens::revoke_all(tx, &access.pool_id, &user.sub)?;
        users::delete(tx, &access.pool_id, &key)
    })?;
    tracing::info!("a user deleted themselves");
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RefreshInput {
    refresh_token: String,
    client_id: String,
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    client_metadata: BTreeMap<String, String>,
}

/// GetTokensFromRefreshToken: REFRESH_TOKEN_AUTH by another door, where a client with a
/// secret sends the secret itself rather than a SECRET_HASH.
pub fn tokens_from_refresh(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: RefreshInput = wire::input(body)?;
    let (client, pool) = store
        .read(|tx| checks::client_and_pool(tx, checks::Caller::User, None, &input.client_id))?;
    if !client.secrets.is_empty() {
        let given = input.client_secret.as_deref().unwrap_or_default();
        if !client.secret_is(given) {
            return Err(ApiError::not_authorized(format!(
                "Unable to verify secret for client {}",
                client.client_id
            )));
        }
    }
    let now = wire::epoch(store.now());
    auth::refresh_step(store, &client, &pool, &input.refresh_token, None, now)?.finish(
        store,
        &pool,
        &input.client_metadata,
    )
}
