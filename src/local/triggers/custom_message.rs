//! CustomMessage: before a message with a code or a temporary password goes out, the
//! pool's function may write it. It sees the user, `{####}` for the code and (for an
//! invitation) `{username}`; what it returns replaces the pool's template for that
//! message, if it keeps Cognito's rules (the placeholders, 20,000 characters of email
//! and 140 of SMS with the code in). What breaks them is not sent as written: the
//! template goes instead and the log says why (TRIG-4).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{call, unrecognizable};
use crate::local::Store;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::UserRecord;
use crate::local::wire::error::ApiError;
use crate::pool::DeliveryMedium;
use crate::pool::triggers::{self, About, Caller, CustomMessage, MessageSource, Rendered, Trigger};

/// What the pool's function wrote for a message of `source` to the user `about` names,
/// whose attributes are `attributes`. None: the pool has no CustomMessage function.
pub fn ask(
    store: &Store,
    pool: &PoolRow,
    source: MessageSource,
    about: About<'_>,
    attributes: Value,
    metadata: &BTreeMap<String, String>,
) -> Result<Option<Written>, ApiError> {
    let request = triggers::message_request(attributes, source, metadata);
    let Some(response) = call(
        store,
        pool,
        Trigger::CustomMessage,
        about,
        source.trigger_source(),
        request,
        triggers::message_response(),
    )?
    else {
        return Ok(None);
    };
    let message = CustomMessage::from_response(&response).map_err(|_| unrecognizable())?;
    Ok(Some(Written { source, message }))
}

/// What the pool's function wrote for a message of `source` to `user`, called by
/// `caller`. None: the pool has no CustomMessage function.
pub fn for_user(
    store: &Store,
    pool: &PoolRow,
    source: MessageSource,
    user: &UserRecord,
    caller: Caller<'_>,
    metadata: &BTreeMap<String, String>,
) -> Result<Option<Written>, ApiError> {
    if !super::has(pool, Trigger::CustomMessage) {
        return Ok(None);
    }
    let about = About {
        pool_id: &pool.id,
        username: &user.username,
        caller,
    };
    ask(
        store,
        pool,
        source,
        about,
        super::attributes_of(user),
        metadata,
    )
}

/// A message a function wrote, for one occasion.
#[derive(Debug, Clone)]
pub struct Written {
    pub source: MessageSource,
    pub message: CustomMessage,
}

impl Written {
    /// The message for `medium` with `code` in, if the function wrote one that can go out
    /// as written. None: the template goes (logged when the function's text broke a rule).
    pub fn rendered(
        &self,
        pool_id: &str,
        medium: DeliveryMedium,
        username: &str,
        code: &str,
    ) -> Option<Rendered> {
        match self.message.rendered(medium, self.source, username, code) {
            Ok(rendered) => rendered,
            Err(why) => {
                tracing::warn!(
                    pool_id,
                    medium = medium.as_str(),
                    source = self.source.trigger_source(),
                    %why,
                    "the CustomMessage function's message cannot be sent as written; the template goes instead"
                );
                None
            }
        }
    }
}
