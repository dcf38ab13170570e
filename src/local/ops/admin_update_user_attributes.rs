//! AdminUpdateUserAttributes: an administrator changes a user's attributes. Immutable and
//! undeclared attributes are refused, an empty value removes an attribute (unless the
//! pool requires it), a changed email or phone number is no longer verified unless its
//! flag is set true in the same call, and aliases stay unique. A changed address the
//! pool verifies automatically is sent a code (`verify_attributes`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Context, verify_attributes};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, wire};
use crate::pool::Attribute;
use crate::pool::triggers::Caller;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    username: String,
    user_attributes: Vec<wire::AttributeIn>,
    /// For the CustomMessage function; never stored.
    #[serde(default)]
    client_metadata: BTreeMap<String, String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let given: Vec<Attribute> = input
        .user_attributes
        .into_iter()
        .map(Attribute::from)
        .collect();
    let pool = store.read(|tx| pools::load(tx, &input.user_pool_id))?;
    verify_attributes::update(
        store,
        &pool,
        &input.username,
        &given,
        Caller::NotApplicable,
        &input.client_metadata,
    )?;
    tracing::info!(pool_id = %input.user_pool_id, count = given.len(), "updated a user's attributes");
    Ok(json!({}))
}
