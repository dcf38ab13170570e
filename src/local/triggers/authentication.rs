//! PreAuthentication, PostAuthentication and UserMigration. Pre authentication sees a
//! sign-in before its password is checked (`validationData`: the sign-in's
//! `ClientMetadata`) and may refuse it; post authentication runs once a sign-in has
//! succeeded, before its tokens are made, and a failure there means no tokens. User
//! migration brings in a user the pool lacks, from what the function returns, when they
//! sign in with a password flow that carries the password (USER_PASSWORD_AUTH,
//! ADMIN_USER_PASSWORD_AUTH) or ask for a password reset (TRIG-5, TRIG-7).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{call, unrecognizable};
use crate::local::Store;
use crate::local::db::pools::PoolRow;
use crate::local::wire::error::ApiError;
use crate::pool::triggers::{self, About, Caller, Trigger};
use crate::pool::{Attribute, DeliveryMedium, Secret};

/// Runs the pool's pre authentication function before a password is checked.
pub fn pre_authentication(
    store: &Store,
    pool: &PoolRow,
    about: About<'_>,
    attributes: Value,
    validation: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    let request = json!({
        "userAttributes": attributes,
        "validationData": triggers::map(validation),
        "userNotFound": false,
    });
    let source = "PreAuthentication_Authentication";
    call(
        store,
        pool,
        Trigger::PreAuthentication,
        about,
        source,
        request,
        json!({}),
    )?;
    Ok(())
}

/// Runs the pool's post authentication function for a sign-in that succeeded.
pub fn post_authentication(
    store: &Store,
    pool: &PoolRow,
    username: &str,
    client_id: &str,
    attributes: Value,
    metadata: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    let mut request = json!({ "userAttributes": attributes, "newDeviceUsed": false });
    if !metadata.is_empty() {
        request["clientMetadata"] = json!(metadata);
    }
    let about = About {
        pool_id: &pool.id,
        username,
        caller: Caller::Client(client_id),
    };
    let source = "PostAuthentication_Authentication";
    call(
        store,
        pool,
        Trigger::PostAuthentication,
        about,
        source,
        request,
        json!({}),
    )?;
    Ok(())
}

/// Why a user is being migrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migration<'a> {
    /// A sign-in with this password.
    SignIn(&'a Secret),
    ForgotPassword,
}

/// The user a migration function returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub attributes: Vec<Attribute>,
    /// `finalUserStatus` CONFIRMED: the password they signed in with is theirs; else
    /// RESET_REQUIRED.
    pub confirmed: bool,
    pub force_alias_creation: bool,
}

/// Asks the pool's migration function for `username`. None: the pool has no such
/// function, or it returned no user.
pub fn user_migration(
    store: &Store,
    pool: &PoolRow,
    why: Migration<'_>,
    about: About<'_>,
    validation: &BTreeMap<String, String>,
    metadata: &BTreeMap<String, String>,
) -> Result<Option<Migrated>, ApiError> {
    let (source, mut request) = match why {
        Migration::SignIn(password) => (
            "UserMigration_Authentication",
            json!({ "password": password.expose(), "validationData": triggers::map(validation) }),
        ),
        Migration::ForgotPassword => (
            "UserMigration_ForgotPassword",
            json!({ "validationData": triggers::map(validation) }),
        ),
    };
    if !metadata.is_empty() {
        request["clientMetadata"] = json!(metadata);
    }
    let response = json!({
        "userAttributes": null, "finalUserStatus": null, "messageAction": null,
        "desiredDeliveryMediums": null, "forceAliasCreation": null, "enableSMSMFA": null,
    });
    let Some(answer) = call(
        store,
        pool,
        Trigger::UserMigration,
        about,
        source,
        request,
        response,
    )?
    else {
        return Ok(None);
    };
    let attributes = match answer.get("userAttributes") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "username" | "sub"))
            .filter(|(name, _)| !name.starts_with("cognito:"))
            .map(|(name, value)| match value {
                Value::String(s) => Ok(Attribute::new(name, s)),
                Value::Bool(b) => Ok(Attribute::new(name, b.to_string())),
                _ => Err(unrecognizable()),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(unrecognizable()),
    };
    let text = |name: &str| answer.get(name).and_then(Value::as_str);
    // The welcome message (`messageAction`, `desiredDeliveryMediums`) is not sent: its
    // text is not documented (docs/documented-rules.md, TRIG-7). Its shape is checked.
    match answer.get("desiredDeliveryMediums") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list))
            if list.iter().all(|m| {
                m.as_str()
                    .is_some_and(|m| m.parse::<DeliveryMedium>().is_ok())
            }) => {}
        Some(_) => return Err(unrecognizable()),
    }
    Ok(Some(Migrated {
        attributes,
        confirmed: text("finalUserStatus") == Some("CONFIRMED"),
        force_alias_creation: answer.get("forceAliasCreation").and_then(Value::as_bool)
            == Some(true),
    }))
}
