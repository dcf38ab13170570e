//! AssociateSoftwareToken and VerifySoftwareToken (the work is in
//! `sign_in::mfa_setup`), and AdminDeleteSoftwareToken: the administrator's reset for a
//! user who lost their authenticator. It is removed and stops being one of their
//! factors; on a pool that requires MFA their next sign-in sets one up again (MFA-13).

use serde_json::{Value, json};

use super::{Context, UserRef};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::mfa, db::pools, db::users, sign_in::mfa_setup, wire};
use crate::pool::mfa::Factor;

pub fn associate(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    mfa_setup::associate(store, body)
}

pub fn verify(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    mfa_setup::verify(store, body)
}

pub fn admin_delete(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: UserRef = wire::input(body)?;
    store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let row = mfa::get(tx, &pool.id, &key)?;
        mfa::delete_token(tx, &pool.id, &key)?;
        mfa::set_factors(tx, &pool.id, &key, &row.mfa.without(Factor::SoftwareToken))
    })?;
    tracing::info!(pool_id = %input.user_pool_id, "deleted a user's software token");
    Ok(json!({}))
}
