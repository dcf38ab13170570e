//! InitiateAuth: a user starts signing in (USER_SRP_AUTH, USER_PASSWORD_AUTH,
//! REFRESH_TOKEN_AUTH). The work is in [`crate::local::sign_in::auth`], shared with the admin form.

use serde_json::Value;

use super::Context;
use crate::local::Store;
use crate::local::sign_in::auth;
use crate::local::sign_in::checks::Caller;
use crate::local::wire::error::ApiError;

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    auth::initiate(store, body, Caller::User)
}
