//! AdminRespondToAuthChallenge: the same challenges, naming the pool.

use serde_json::Value;

use super::Context;
use crate::local::Store;
use crate::local::sign_in::auth;
use crate::local::sign_in::checks::Caller;
use crate::local::wire::error::ApiError;

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    auth::respond(store, body, Caller::Admin)
}
