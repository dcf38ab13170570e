//! Writing a user's attributes, as AdminCreateUser, SignUp, AdminUpdateUserAttributes and
//! AdminDeleteUserAttributes share it: the pool's schema (declared custom attributes,
//! their types and lengths, which may change, which are required), the verified flags
//! that follow an email or phone number, and aliases that belong to one user only.

use rusqlite::Transaction;

use crate::local::db::pool_settings::Settings;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::{self, UserRecord};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::pool::standard_attributes;
use crate::pool::validate::{self, VERIFIED_FLAGS};
use crate::pool::{Attribute, RuleError};

fn schema_error(name: &str, rule: &str) -> ApiError {
    ApiError::invalid(format!(
        "Attributes did not conform to the schema: {name}: {rule}"
    ))
}

/// Custom attributes must be declared by the pool's schema and fit it.
pub fn check_schema(settings: &Settings, attributes: &[Attribute]) -> Result<(), ApiError> {
    let custom = settings.custom_attributes();
    for attr in attributes
        .iter()
        .filter(|a| !standard_attributes::is_standard_attribute(&a.name))
    {
        let Some(decl) = custom.iter().find(|c| c.name == attr.name) else {
            return Err(ApiError::invalid(format!(
                "Attributes did not conform to the schema: Type for attribute {{{}}} could not be determined",
                attr.name
            )));
        };
        validate::schema_value(&attr.name, &attr.value, &decl.data_type, decl.max_length)
            .map_err(|e| schema_error(&e.field, &e.rule))?;
    }
    Ok(())
}

/// The first of the pool's required attributes that `attributes` lacks (or has empty).
pub fn missing_required(settings: &Settings, attributes: &[Attribute]) -> Option<String> {
    settings
        .required_attributes()
        .into_iter()
        .filter(|name| name != "sub")
        .find(|name| {
            !attributes
                .iter()
                .any(|a| &a.name == name && !a.value.is_empty())
        })
}

/// Attributes that can be set only when the user is made: `sub`, and custom attributes
/// the schema declares not Mutable.
fn immutable(settings: &Settings, name: &str) -> bool {
    name == "sub"
        || settings
            .custom_attributes()
            .iter()
            .any(|c| c.name == name && !c.mutable)
}

fn refuse_immutable(settings: &Settings, name: &str) -> Result<(), ApiError> {
    if immutable(settings, name) {
        return Err(ApiError::invalid(format!(
            "{name}: Attribute cannot be updated. (changing an immutable attribute)"
        )));
    }
    Ok(())
}

fn flag_of(attribute: &str) -> Option<&'static str> {
    VERIFIED_FLAGS
        .iter()
        .find(|(_, a)| *a == attribute)
        .map(|(flag, _)| *flag)
}

fn remove(user: &mut UserRecord, name: &str) {
    user.attributes.retain(|a| a.name != name);
}

fn put(user: &mut UserRecord, name: &str, value: &str) {
    match user.attributes.iter_mut().find(|a| a.name == name) {
        Some(a) => a.value = value.to_string(),
        None => user.attributes.push(Attribute::new(name, value)),
    }
}

/// AdminUpdateUserAttributes on a user, before it is written: each attribute checked as
/// at creation; an empty value removes the attribute; a changed email or phone number
/// is no longer verified unless its flag is set true in the same call.
pub fn update(
    settings: &Settings,
    user: &mut UserRecord,
    given: &[Attribute],
) -> Result<(), ApiError> {
    let mut seen = std::collections::BTreeSet::new();
    for a in given {
        if !seen.insert(a.name.as_str()) {
            return Err(RuleError::new(&a.name, "is given more than once").into());
        }
        validate::attribute_name(&a.name)?;
        refuse_immutable(settings, &a.name)?;
    }
    let removals: Vec<&Attribute> = given.iter().filter(|a| a.value.is_empty()).collect();
    let values: Vec<Attribute> = given
        .iter()
        .filter(|a| !a.value.is_empty())
        .cloned()
        .collect();
    for a in &values {
        validate::attribute(&a.name, &a.value)?;
    }
    check_schema(settings, &values)?;
    let required = settings.required_attributes();
    if let Some(a) = removals.iter().find(|a| required.contains(&a.name)) {
        return Err(schema_error(&a.name, "The attribute is required"));
    }
    for a in removals {
        remove(user, &a.name);
        if let Some(flag) = flag_of(&a.name) {
            remove(user, flag);
        }
    }
    for a in &values {
        if let Some(flag) = flag_of(&a.name)
            && user.attribute(&a.name) != Some(a.value.as_str())
            && !given.iter().any(|g| g.name == flag)
            && user.attribute(flag).is_some()
        {
            put(user, flag, "false");
        }
        put(user, &a.name, &a.value);
    }
    check_flags(user)
}

/// AdminDeleteUserAttributes on a user, before it is written. Deleting an email or phone
/// number deletes its verified flag too.
pub fn delete(
    settings: &Settings,
    user: &mut UserRecord,
    names: &[String],
) -> Result<(), ApiError> {
    for name in names {
        validate::attribute_name(name)?;
        refuse_immutable(settings, name)?;
        if !standard_attributes::is_standard_attribute(name)
            && !settings.custom_attributes().iter().any(|c| &c.name == name)
        {
            return Err(ApiError::invalid(format!(
                "Attributes did not conform to the schema: Type for attribute {{{name}}} could not be determined"
            )));
        }
        if settings.required_attributes().iter().any(|r| r == name) {
            return Err(schema_error(name, "The attribute is required"));
        }
    }
    for name in names {
        remove(user, name);
        if let Some(flag) = flag_of(name) {
            remove(user, flag);
        }
    }
    Ok(())
}

/// A verified flag set true needs the address it vouches for.
fn check_flags(user: &UserRecord) -> Result<(), ApiError> {
    for (flag, attribute) in VERIFIED_FLAGS {
        let set = user
            .attribute(flag)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if set && user.attribute(attribute).is_none_or(str::is_empty) {
            return Err(RuleError::new(flag, format!("requires {attribute} to be set")).into());
        }
    }
    Ok(())
}

fn alias_exists(attribute: &str) -> ApiError {
    ApiError::new(
        ErrorCode::AliasExists,
        format!("An account with the given {attribute} already exists."),
    )
}

/// Aliases belong to one user. A verified email or phone number that is an alias (or a
/// username attribute) of another user is AliasExistsException, unless `force` moves it:
/// the other user's flag is cleared and they can no longer sign in with it. In a pool
/// whose users sign in with their email or phone number, no two users share one,
/// verified or not; a preferred_username alias is never shared.
pub fn claim_aliases(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    key: &str,
    attributes: &[Attribute],
    force: bool,
    now: f64,
) -> Result<(), ApiError> {
    let value = |name: &str| {
        attributes
            .iter()
            .find(|a| a.name == name && !a.value.is_empty())
            .map(|a| a.value.as_str())
    };
    for attribute in pool.settings.username_attributes() {
        if let Some(v) = value(&attribute)
            && let Some(owner) = users::key_by_username_attribute(tx, &pool.id, &attribute, v)?
            && owner != key
        {
            return Err(alias_exists(&attribute));
        }
    }
    let aliases = pool.settings.alias_attributes();
    if aliases.iter().any(|a| a == "preferred_username")
        && let Some(v) = value("preferred_username")
        && users::alias_owner(tx, &pool.id, "preferred_username", v, key)?.is_some()
    {
        return Err(alias_exists("preferred_username"));
    }
    for (flag, attribute) in VERIFIED_FLAGS {
        let verified = value(flag).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let Some(v) = value(attribute) else {
            continue;
        };
        if !verified || !aliases.iter().any(|a| a == attribute) {
            continue;
        }
        let Some(owner_key) = users::alias_owner(tx, &pool.id, attribute, v, key)? else {
            continue;
        };
        if !force {
            return Err(alias_exists(attribute));
        }
        let mut owner = users::get(tx, &pool.id, &owner_key)?;
        put(&mut owner, flag, "false");
        owner.modified = now;
        users::update_attributes(tx, &pool.id, &owner_key, &owner)?;
    }
    Ok(())
}
