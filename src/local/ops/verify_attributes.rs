//! Verifying a user's email or phone number: the code Cognito sends when an address the
//! pool verifies automatically changes (AdminUpdateUserAttributes and
//! UpdateUserAttributes, unless the call sets its flag true: USER-5) or when the user
//! asks for one (GetUserAttributeVerificationCode), and VerifyUserAttribute, which takes
//! it. The message is the pool's verification template, or what its CustomMessage
//! function writes (`CustomMessage_UpdateUserAttribute`, `_VerifyUserAttribute`),
//! asked before the change is written (USER-11, TRIG-4).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::pools::{self, PoolRow};
use crate::local::db::users::{self, UserRecord};
use crate::local::mail::delivery::Destination;
use crate::local::sign_in::access;
use crate::local::sign_in::codes::{self, Purpose, Redeemed};
use crate::local::triggers::custom_message::{self, Written};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::attributes, wire};
use crate::pool::triggers::{Caller, MessageSource};
use crate::pool::validate::VERIFIED_FLAGS;
use crate::pool::{Attribute, DeliveryMedium};

fn purpose_medium(attribute: &str) -> DeliveryMedium {
    if attribute == "email" {
        DeliveryMedium::Email
    } else {
        DeliveryMedium::Sms
    }
}

/// Where a code for `attribute` goes: the user's address, if they have one.
fn destination(user: &UserRecord, attribute: &str) -> Option<Destination> {
    let medium = match attribute {
        "email" => DeliveryMedium::Email,
        "phone_number" => DeliveryMedium::Sms,
        _ => return None,
    };
    let address = user.attribute(attribute).filter(|a| !a.is_empty())?;
    Some(Destination {
        medium,
        address: address.to_string(),
    })
}

/// The addresses an attribute change leaves waiting for a code: changed, verified
/// automatically by the pool, and not set verified by the same call.
pub fn pending(
    pool: &PoolRow,
    before: &UserRecord,
    after: &UserRecord,
    given: &[Attribute],
) -> Vec<String> {
    let auto = pool.settings.auto_verified_attributes();
    ["email", "phone_number"]
        .into_iter()
        .filter(|a| auto.iter().any(|v| v == a))
        .filter(|a| after.attribute(a).is_some_and(|v| !v.is_empty()))
        .filter(|a| before.attribute(a) != after.attribute(a))
        .filter(|a| !given.iter().any(|g| g.name == format!("{a}_verified")))
        .map(str::to_string)
        .collect()
}

/// A change of attributes, with a code sent for each address it leaves waiting. The
/// user as changed is computed first, so that the CustomMessage function sees it before
/// anything is written. Where the pool keeps an address until its new value is verified
/// (POOL-15), the user keeps the old one and the code carries the new. The
/// `CodeDeliveryDetails` of each code.
pub fn update(
    store: &Store,
    pool: &PoolRow,
    name: &str,
    given: &[Attribute],
    caller: Caller<'_>,
    metadata: &BTreeMap<String, String>,
) -> Result<Vec<Value>, ApiError> {
    let (before, mut after) = store.read(|tx| {
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, name)?;
        let user = users::get(tx, &pool.id, &key)?;
        Ok((user.clone(), user))
    })?;
    attributes::update(&pool.settings, &mut after, given)?;
    let waiting = pending(pool, &before, &after, given);
    let custom = if waiting.is_empty() {
        None
    } else {
        let source = MessageSource::UpdateUserAttribute;
        custom_message::for_user(store, pool, source, &after, caller, metadata)?
    };
    let kept = pool.settings.kept_until_verified();
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let key = users::resolve_existing(tx, &pool.id, &pool.settings, name)?;
        let current = users::get(tx, &pool.id, &key)?;
        let mut user = current.clone();
        attributes::update(&pool.settings, &mut user, given)?;
        let mut sends = Vec::new();
        for attribute in pending(pool, &current, &user, given) {
            let new = destination(&user, &attribute);
            let old = current.attribute(&attribute).filter(|v| !v.is_empty());
            let held = kept.contains(&attribute) && old.is_some();
            if held {
                keep_as_before(&mut user, &current, &attribute);
            }
            sends.push((attribute, new, held));
        }
        attributes::claim_aliases(tx, pool, &key, &user.attributes, false, now)?;
        user.modified = now;
        users::update_attributes(tx, &pool.id, &key, &user)?;
        let mut details = Vec::new();
        for (attribute, new, held) in sends {
            let destination = new.ok_or_else(|| {
                ApiError::invalid(format!("The user has no {attribute} to verify"))
            })?;
            let address = destination.address.clone();
            details.push(send(tx, pool, &user, destination, custom.as_ref(), now)?);
            if held {
                let purpose = purpose_of(&attribute)?;
                codes::hold_pending(tx, &pool.id, &key, purpose, &address)?;
            }
        }
        Ok(details)
    })
}

/// Puts back the attribute and its verified flag as they were.
fn keep_as_before(user: &mut UserRecord, before: &UserRecord, attribute: &str) {
    let flag = format!("{attribute}_verified");
    user.attributes
        .retain(|a| a.name != attribute && a.name != flag);
    user.attributes.extend(
        before
            .attributes
            .iter()
            .filter(|a| a.name == attribute || a.name == flag)
            .cloned(),
    );
}

fn purpose_of(attribute: &str) -> Result<Purpose, ApiError> {
    Purpose::verifying(attribute).ok_or_else(|| {
        ApiError::invalid(format!(
            "Invalid attribute name: {attribute} cannot be verified (email or phone_number)"
        ))
    })
}

fn send(
    tx: &rusqlite::Transaction<'_>,
    pool: &PoolRow,
    user: &UserRecord,
    destination: Destination,
    custom: Option<&Written>,
    now: f64,
) -> Result<Value, ApiError> {
    let purpose = purpose_of(destination.attribute())?;
    codes::send(tx, pool, user, &destination, purpose, custom, now)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateInput {
    access_token: String,
    user_attributes: Vec<wire::AttributeIn>,
    #[serde(default)]
    client_metadata: BTreeMap<String, String>,
}

/// UpdateUserAttributes: the signed-in user changes their own attributes. They cannot
/// vouch for their own address: only a code or an administrator can.
pub fn update_own(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: UpdateInput = wire::input(body)?;
    let given: Vec<Attribute> = input
        .user_attributes
        .into_iter()
        .map(Attribute::from)
        .collect();
    if let Some(a) = given
        .iter()
        .find(|a| VERIFIED_FLAGS.iter().any(|(flag, _)| *flag == a.name))
    {
        return Err(ApiError::not_authorized(format!(
            "A client attempted to write unauthorized attribute {}",
            a.name
        )));
    }
    let now = wire::epoch(store.now());
    let (access, user, pool) = store.read(|tx| {
        let (access, _, user) = access::holder(tx, &input.access_token, now)?;
        let pool = pools::load(tx, &access.pool_id)?;
        Ok((access, user, pool))
    })?;
    let caller = Caller::Client(&access.client_id);
    let details = update(
        store,
        &pool,
        &user.username,
        &given,
        caller,
        &input.client_metadata,
    )?;
    Ok(json!({ "CodeDeliveryDetailsList": details }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CodeInput {
    access_token: String,
    attribute_name: String,
    #[serde(default)]
    client_metadata: BTreeMap<String, String>,
}

/// GetUserAttributeVerificationCode: a code for the user's email or phone number.
pub fn ask(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: CodeInput = wire::input(body)?;
    let attribute = input.attribute_name.as_str();
    let now = wire::epoch(store.now());
    let (access, user, pool) = store.read(|tx| {
        let (access, _, user) = access::holder(tx, &input.access_token, now)?;
        let pool = pools::load(tx, &access.pool_id)?;
        Ok((access, user, pool))
    })?;
    purpose_of(attribute)?;
    if destination(&user, attribute).is_none() {
        return Err(ApiError::invalid(format!(
            "The user has no {attribute} to verify"
        )));
    }
    let source = MessageSource::VerifyUserAttribute;
    let caller = Caller::Client(&access.client_id);
    let custom =
        custom_message::for_user(store, &pool, source, &user, caller, &input.client_metadata)?;
    let purpose = purpose_of(attribute)?;
    let details = store.write(|tx| {
        let (_, key, user) = access::holder(tx, &input.access_token, now)?;
        // A new address waiting for its verification gets the new code (POOL-15).
        let waiting = codes::pending_value(tx, &pool.id, &key, purpose)?;
        let destination = match &waiting {
            Some(address) => Destination {
                medium: purpose_medium(attribute),
                address: address.clone(),
            },
            None => destination(&user, attribute).ok_or_else(|| {
                ApiError::invalid(format!("The user has no {attribute} to verify"))
            })?,
        };
        let details = send(tx, &pool, &user, destination, custom.as_ref(), now)?;
        if let Some(address) = waiting {
            codes::hold_pending(tx, &pool.id, &key, purpose, &address)?;
        }
        Ok(details)
    })?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VerifyInput {
    access_token: String,
    attribute_name: String,
    code: String,
}

/// VerifyUserAttribute: the code verifies the address it was sent to, which then
/// becomes the user's alias where the pool has such aliases.
pub fn verify(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: VerifyInput = wire::input(body)?;
    let attribute = input.attribute_name.as_str();
    let purpose = purpose_of(attribute)?;
    let now = wire::epoch(store.now());
    store.write(|tx| {
        let (access, key, mut user) = access::holder(tx, &input.access_token, now)?;
        let pool = pools::load(tx, &access.pool_id)?;
        match codes::redeem(tx, &pool.id, &key, purpose, &input.code, now)? {
            // The wrong try is counted: committed, then refused.
            Redeemed::Refused(e) => return Ok(Err(e)),
            Redeemed::Right {
                attribute: sent_to, ..
            } if sent_to.as_deref() != Some(attribute) => {
                return Ok(Err(ApiError::invalid(
                    "The code was not sent to this attribute",
                )));
            }
            Redeemed::Right { pending, .. } => {
                // The new address that waited for this code becomes the attribute's.
                if let Some(value) = pending {
                    user.attributes.retain(|a| a.name != attribute);
                    user.attributes.push(Attribute::new(attribute, value));
                }
            }
        }
        let flag = format!("{attribute}_verified");
        user.attributes.retain(|a| a.name != flag);
        user.attributes.push(Attribute::new(flag, "true"));
        attributes::claim_aliases(tx, &pool, &key, &user.attributes, false, now)?;
        user.modified = now;
        users::update_attributes(tx, &pool.id, &key, &user)?;
        Ok(Ok(()))
    })??;
    Ok(json!({}))
}
