//! PreTokenGeneration: the function sees the user's attributes, groups and (version 2 and
//! 3) the access token's scopes, and may add, override or suppress claims of the ID
//! token (version 1) or of both tokens and their scopes (versions 2 and 3), and replace
//! the groups (TRIG-6). Claims Cognito keeps for itself cannot be changed and are left
//! as they are; a claim both added and suppressed is suppressed.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{call, configured, unrecognizable};
use crate::local::Store;
use crate::local::db::pools::PoolRow;
use crate::local::wire::error::ApiError;
use crate::pool::triggers::{About, Caller, Trigger};

/// Claims no function may change ("Claims you can't modify").
const KEPT: [&str; 17] = [
    "acr",
    "amr",
    "aud",
    "at_hash",
    "auth_time",
    "azp",
    "cognito:username",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "sub",
    "token_use",
];
/// And of the access token besides (version 2): its own identity, and its scope, which
/// changes by `scopesToAdd` and `scopesToSuppress` only.
const KEPT_IN_ACCESS: [&str; 5] = ["client_id", "username", "scope", "event_id", "version"];

fn changeable(claim: &str, access: bool) -> bool {
    let kept = KEPT.contains(&claim)
        || claim.starts_with("cognito:")
        || (access && KEPT_IN_ACCESS.contains(&claim));
    !kept
}

/// The claims of a sign-in's tokens before they are signed, and what the function is
/// told of the user.
#[derive(Debug, Clone)]
pub struct Claims {
    pub username: String,
    pub client_id: String,
    /// The user's attributes as events carry them.
    pub user_attributes: Value,
    /// The user's groups by precedence, the roles they carry, the preferred role.
    pub groups: (Vec<String>, Vec<String>, Option<String>),
    pub id: Map<String, Value>,
    pub access: Map<String, Value>,
    /// Why the tokens are made: `TokenGeneration_Authentication`, ...
    pub source: &'static str,
}

/// Runs the pool's PreTokenGeneration function, if it has one, on the claims.
pub fn apply(
    store: &Store,
    pool: &PoolRow,
    tokens: &mut Claims,
    metadata: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    let Some(version) = configured(pool, Trigger::PreTokenGeneration).map(|c| c.version) else {
        return Ok(());
    };
    let (names, roles, preferred) = &tokens.groups;
    let mut request = json!({
        "userAttributes": tokens.user_attributes,
        "groupConfiguration": {
            "groupsToOverride": names,
            "iamRolesToOverride": roles,
            "preferredRole": preferred,
        },
    });
    if !metadata.is_empty() {
        request["clientMetadata"] = json!(metadata);
    }
    let scopes: Vec<String> = tokens
        .access
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let empty = if version >= 2 {
        request["scopes"] = json!(scopes);
        json!({ "claimsAndScopeOverrideDetails": null })
    } else {
        json!({ "claimsOverrideDetails": null })
    };
    let about = About {
        pool_id: &pool.id,
        username: &tokens.username,
        caller: Caller::Client(&tokens.client_id),
    };
    let source = tokens.source;
    let Some(response) = call(
        store,
        pool,
        Trigger::PreTokenGeneration,
        about,
        source,
        request,
        empty,
    )?
    else {
        return Ok(());
    };
    let details = if version >= 2 {
        response.get("claimsAndScopeOverrideDetails")
    } else {
        response.get("claimsOverrideDetails")
    };
    let Some(details) = details.filter(|d| !d.is_null()) else {
        return Ok(());
    };
    let details = details.as_object().ok_or_else(unrecognizable)?;
    if version >= 2 {
        if let Some(id) = details.get("idTokenGeneration").filter(|d| !d.is_null()) {
            claims(&mut tokens.id, id, false, false)?;
        }
        if let Some(access) = details
            .get("accessTokenGeneration")
            .filter(|d| !d.is_null())
        {
            claims(&mut tokens.access, access, true, false)?;
            scope(&mut tokens.access, access)?;
        }
    } else {
        claims(&mut tokens.id, &Value::Object(details.clone()), false, true)?;
    }
    groups(tokens, details.get("groupOverrideDetails"))
}

/// `claimsToAddOrOverride` and `claimsToSuppress` of one token. Version 1 takes string
/// values only.
fn claims(
    token: &mut Map<String, Value>,
    part: &Value,
    access: bool,
    v1: bool,
) -> Result<(), ApiError> {
    let part = part.as_object().ok_or_else(unrecognizable)?;
    let suppress: Vec<&str> = match part.get("claimsToSuppress") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|c| c.as_str().ok_or_else(unrecognizable))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(unrecognizable()),
    };
    match part.get("claimsToAddOrOverride") {
        None | Some(Value::Null) => {}
        Some(Value::Object(add)) => {
            for (claim, value) in add {
                if v1 && !value.is_string() {
                    return Err(unrecognizable());
                }
                if changeable(claim, access) && !suppress.contains(&claim.as_str()) {
                    token.insert(claim.clone(), value.clone());
                }
            }
        }
        Some(_) => return Err(unrecognizable()),
    }
    for claim in suppress {
        if changeable(claim, access) {
            token.remove(claim);
        }
    }
    Ok(())
}

/// `scopesToAdd` and `scopesToSuppress`: the access token's `scope`.
fn scope(access: &mut Map<String, Value>, part: &Value) -> Result<(), ApiError> {
    let list = |name: &str| -> Result<Vec<String>, ApiError> {
        match part.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|s| s.as_str().map(str::to_string).ok_or_else(unrecognizable))
                .collect(),
            Some(_) => Err(unrecognizable()),
        }
    };
    let (add, suppress) = (list("scopesToAdd")?, list("scopesToSuppress")?);
    let mut scopes: Vec<String> = access
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    for s in add {
        if !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    scopes.retain(|s| !suppress.contains(s));
    access.insert("scope".into(), json!(scopes.join(" ")));
    Ok(())
}

/// `groupOverrideDetails` replaces the groups: `cognito:groups` in both tokens, the roles
/// and the preferred role in the ID token. Null or empty, the groups are suppressed, as
/// the developer guide says ("If you provide an empty or null object in the response,
/// then Amazon Cognito suppresses the groups"); left out, they stay as they are.
fn groups(tokens: &mut Claims, details: Option<&Value>) -> Result<(), ApiError> {
    let Some(details) = details else {
        return Ok(());
    };
    for claim in ["cognito:groups", "cognito:roles", "cognito:preferred_role"] {
        tokens.id.remove(claim);
    }
    tokens.access.remove("cognito:groups");
    if details.is_null() {
        return Ok(());
    }
    if !details.is_object() {
        return Err(unrecognizable());
    }
    let strings = |name: &str| -> Result<Vec<String>, ApiError> {
        match details.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|s| s.as_str().map(str::to_string).ok_or_else(unrecognizable))
                .collect(),
            Some(_) => Err(unrecognizable()),
        }
    };
    let names = strings("groupsToOverride")?;
    let roles = strings("iamRolesToOverride")?;
    if !names.is_empty() {
        tokens.id.insert("cognito:groups".into(), json!(names));
        tokens.access.insert("cognito:groups".into(), json!(names));
    }
    if !roles.is_empty() {
        tokens.id.insert("cognito:roles".into(), json!(roles));
    }
    if let Some(preferred) = details.get("preferredRole").and_then(Value::as_str) {
        tokens
            .id
            .insert("cognito:preferred_role".into(), json!(preferred));
    }
    Ok(())
}
