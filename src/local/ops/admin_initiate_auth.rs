//! AdminInitiateAuth: an administrator signs a user in (ADMIN_USER_PASSWORD_AUTH,
//! USER_SRP_AUTH, REFRESH_TOKEN_AUTH), naming the pool.

use serde_json::Value;

use super::Context;
use crate::local::Store;
use crate::local::sign_in::auth;
use crate::local::sign_in::checks::Caller;
use crate::local::wire::error::ApiError;

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    auth::initiate(store, body, Caller::Admin)
}
