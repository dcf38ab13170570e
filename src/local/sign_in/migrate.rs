//! User migration: a user the pool lacks, who signs in with a password flow that
//! carries the password or asks for a password reset, is brought in from what the
//! pool's UserMigration function returns (TRIG-7). The new user has a new `sub`; they
//! are CONFIRMED with the password they typed if the function says so, else
//! RESET_REQUIRED. Nothing is written if the function refuses or returns no user.

use std::collections::BTreeMap;

use crate::local::Store;
use crate::local::db::app_clients::ClientRow;
use crate::local::db::attributes;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::{self, UserRecord};
use crate::local::sign_in::srp;
use crate::local::triggers::authentication::{Migration, user_migration};
use crate::local::triggers::{self, unrecognizable};
use crate::local::wire::{self, error::ApiError};
use crate::pool::triggers::{About, Caller, Trigger};
use crate::pool::{Attribute, UserStatus, validate};

/// Brings in `username` through the pool's migration function if the pool lacks them.
pub fn if_missing(
    store: &Store,
    client: &ClientRow,
    pool: &PoolRow,
    username: &str,
    why: Migration<'_>,
    validation: &BTreeMap<String, String>,
    metadata: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    if !triggers::has(pool, Trigger::UserMigration) {
        return Ok(());
    }
    if store
        .read(|tx| users::resolve(tx, &pool.id, &pool.settings, username))?
        .is_some()
    {
        return Ok(());
    }
    let about = About {
        pool_id: &pool.id,
        username,
        caller: Caller::Client(&client.client_id),
    };
    let Some(migrated) = user_migration(store, pool, why, about, validation, metadata)? else {
        return Ok(());
    };
    let settings = &pool.settings;
    let mut given = migrated.attributes;
    for a in &given {
        validate::attribute(&a.name, &a.value).map_err(|_| unrecognizable())?;
    }
    let signs_in_with = validate::username_attribute(&settings.username_attributes(), username)
        .map_err(|_| unrecognizable())?;
    if let Some(attribute) = signs_in_with {
        given.retain(|a| a.name != attribute);
        given.push(Attribute::new(attribute, username));
    }
    attributes::check_schema(settings, &given)?;
    let sub = uuid::Uuid::new_v4().to_string();
    let name = if signs_in_with.is_some() {
        sub.clone()
    } else {
        username.to_string()
    };
    let (status, verifier) = match why {
        Migration::SignIn(password) if migrated.confirmed => (
            UserStatus::Confirmed,
            srp::new_verifier(&pool.id, &name, password),
        ),
        _ => (UserStatus::ResetRequired, srp::Verifier::none()),
    };
    let now = wire::epoch(store.now());
    let record = UserRecord {
        username: name,
        sub,
        status,
        enabled: true,
        created: now,
        modified: now,
        attributes: given,
        temporary_password_expires: None,
    };
    store.write(|tx| {
        let key = users::username_key(settings, &record.username);
        if users::resolve(tx, &pool.id, settings, username)?.is_some() {
            // Brought in by another call meanwhile.
            return Ok(());
        }
        attributes::claim_aliases(
            tx,
            pool,
            &key,
            &record.attributes,
            migrated.force_alias_creation,
            now,
        )?;
        users::insert(tx, &pool.id, &key, &record, &verifier)
    })?;
    tracing::info!(pool_id = %pool.id, confirmed = status == UserStatus::Confirmed, "a user was migrated");
    Ok(())
}
