//! AdminGetUser: a user as Cognito describes them, with their MFA factors and preference
//! (left out when they have none, as Cognito leaves them out).

use serde_json::Value;

use super::{Context, UserRef};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::mfa, db::pools, db::users, wire};

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: UserRef = wire::input(body)?;
    store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, &input.username)?;
        let user = users::get(tx, &pool.id, &key)?;
        let mut out = user.to_json("UserAttributes", None);
        wire::mfa_settings(&mut out, &mfa::get(tx, &pool.id, &key)?.mfa);
        Ok(out)
    })
}
