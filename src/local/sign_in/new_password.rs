//! The answer to NEW_PASSWORD_REQUIRED: the user's own password, held to the policy, and
//! the required attributes they lack, for a user an administrator created. A required
//! attribute that already has a value cannot be changed here (docs/documented-rules.md,
//! AUTH-1).

use std::collections::HashMap;

use crate::local::db::app_clients::ClientRow;
use crate::local::db::pools::PoolRow;
use crate::local::sign_in::checks::{check_secret_hash, find_user, required};
use crate::local::sign_in::issue::{Occasion, Step};
use crate::local::sign_in::next_step::missing_required;
use crate::local::sign_in::sessions::take_session;
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::users, sign_in::srp};
use crate::pool::{Attribute, Secret, UserStatus, password, validate};

pub(super) fn respond(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    responses: &HashMap<String, String>,
    session_token: &str,
    now: f64,
) -> Result<Step, ApiError> {
    let username = required(responses, "USERNAME")?;
    check_secret_hash(client, &[username], responses.get("SECRET_HASH"))?;
    let new_password = Secret::new(required(responses, "NEW_PASSWORD")?);
    password::check_new(new_password.expose(), &pool.settings.password_policy())?;
    let mut given = Vec::new();
    for (name, value) in responses {
        let Some(attribute) = name.strip_prefix("userAttributes.") else {
            continue;
        };
        if attribute == "sub" {
            return Err(ApiError::invalid(
                "Cannot modify the non-mutable attribute sub",
            ));
        }
        validate::attribute(attribute, value)?;
        given.push(Attribute::new(attribute, value.clone()));
    }
    given.sort_by(|a, b| a.name.cmp(&b.name));
    store.write(|tx| {
        let session = take_session(tx, client, session_token, "NEW_PASSWORD_REQUIRED", now)?;
        let (key, mut user) = find_user(tx, pool, client, username)?;
        if key != session.username_key {
            return Err(ApiError::not_authorized("Invalid session for the user."));
        }
        if !user.enabled {
            return Err(ApiError::not_authorized("User is disabled."));
        }
        let required = pool.settings.required_attributes();
        for attribute in &given {
            match user
                .attributes
                .iter_mut()
                .find(|a| a.name == attribute.name)
            {
                // docs/documented-rules.md, AUTH-1.
                Some(existing)
                    if required.contains(&existing.name)
                        && !existing.value.is_empty()
                        && existing.value != attribute.value =>
                {
                    return Err(ApiError::invalid(format!(
                        "Cannot modify an already provided {}",
                        existing.name
                    )));
                }
                Some(existing) => existing.value = attribute.value.clone(),
                None => user.attributes.push(attribute.clone()),
            }
        }
        if let Some(name) = missing_required(pool, &user.attributes).first() {
            return Err(ApiError::invalid(format!(
                "Invalid attributes given, {name} is missing"
            )));
        }
        user.modified = now;
        if !given.is_empty() {
            users::update_attributes(tx, &pool.id, &key, &user)?;
        }
        let verifier = srp::new_verifier(&pool.id, &user.username, &new_password);
        users::set_password(tx, &pool.id, &key, &verifier, now)?;
        user.status = UserStatus::Confirmed;
        user.temporary_password_expires = None;
        // "Amazon Cognito immediately challenges the user to set up MFA" (MFA-6).
        crate::local::sign_in::mfa::next(
            tx,
            client,
            pool,
            &key,
            &user,
            Occasion::NewPasswordChallenge,
            now,
        )
    })
}
