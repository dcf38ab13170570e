//! SignUp: a user registers themselves through an app client, unless the pool lets only
//! administrators create users. The user is UNCONFIRMED; a confirmation code goes to
//! the phone or email the pool verifies automatically (ConfirmSignUp), or, if it
//! verifies neither, an administrator confirms them (AdminConfirmSignUp).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Context, public_client};
use crate::local::db::users::{self, UserRecord};
use crate::local::mail::delivery::Destination;
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::attributes, sign_in::srp, wire};
use crate::pool::validate::{self, VERIFIED_FLAGS};
use crate::pool::{Attribute, RuleError, Secret, UserStatus, password};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    client_id: String,
    username: String,
    password: String,
    #[serde(default)]
    secret_hash: Option<String>,
    #[serde(default)]
    user_attributes: Vec<wire::AttributeIn>,
    /// For the pre sign-up trigger only: accepted, never stored.
    #[serde(default)]
    #[allow(dead_code)]
    validation_data: Vec<wire::AttributeIn>,
    /// For Lambda triggers only: accepted, never stored.
    #[serde(default)]
    #[allow(dead_code)]
    client_metadata: BTreeMap<String, String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let secret = Secret::new(input.password);
    let (_, pool) = store.read(|tx| {
        public_client(
            tx,
            &input.client_id,
            &input.username,
            input.secret_hash.as_ref(),
        )
    })?;
    let settings = &pool.settings;
    if settings.admin_create_only() {
        return Err(ApiError::not_authorized(
            "SignUp is not permitted for this user pool",
        ));
    }
    validate::username(&input.username)?;
    let mut given: Vec<Attribute> = input
        .user_attributes
        .into_iter()
        .map(Attribute::from)
        .collect();
    // A user cannot vouch for their own address: only a code or an administrator can.
    if let Some(a) = given
        .iter()
        .find(|a| VERIFIED_FLAGS.iter().any(|(flag, _)| *flag == a.name))
    {
        return Err(ApiError::not_authorized(format!(
            "A client attempted to write unauthorized attribute {}",
            a.name
        )));
    }
    validate::alias_username(&settings.string_list("AliasAttributes"), &input.username)?;
    let signs_in_with =
        validate::username_attribute(&settings.username_attributes(), &input.username)?;
    if let Some(attribute) = signs_in_with {
        given.retain(|a| a.name != attribute);
        given.push(Attribute::new(attribute, input.username.clone()));
    }
    let mut seen = std::collections::BTreeSet::new();
    for a in &given {
        validate::attribute(&a.name, &a.value)?;
        if !seen.insert(a.name.as_str()) {
            return Err(RuleError::new(&a.name, "is given more than once").into());
        }
    }
    attributes::check_schema(settings, &given)?;
    if let Some(name) = attributes::missing_required(settings, &given) {
        return Err(ApiError::invalid(format!(
            "Attributes did not conform to the schema: {name}: The attribute is required"
        )));
    }
    password::check_new(secret.expose(), &settings.password_policy())?;

    let sub = uuid::Uuid::new_v4().to_string();
    let username = if signs_in_with.is_some() {
        sub.clone()
    } else {
        input.username.clone()
    };
    // The slow part (a 3072-bit modular power) runs before the write lock is taken.
    let verifier = srp::new_verifier(&pool.id, &username, &secret);
    let now = wire::epoch(store.now());
    let record = UserRecord {
        username,
        sub: sub.clone(),
        status: UserStatus::Unconfirmed,
        enabled: true,
        created: now,
        modified: now,
        attributes: given,
        temporary_password_expires: None,
    };
    let details = store.write(|tx| {
        let key = users::username_key(&pool.settings, &record.username);
        if users::find(tx, &pool.id, &key)?.is_some() {
            return Err(ApiError::new(
                ErrorCode::UsernameExists,
                "User already exists",
            ));
        }
        if let Some(attribute) = signs_in_with
            && users::key_by_username_attribute(tx, &pool.id, attribute, &input.username)?.is_some()
        {
            return Err(ApiError::new(
                ErrorCode::UsernameExists,
                format!("An account with the given {attribute} already exists."),
            ));
        }
        users::insert(tx, &pool.id, &key, &record, &verifier)?;
        let Some(destination) = Destination::for_confirmation(&pool.settings, &record) else {
            return Ok(None);
        };
        codes::send(
            tx,
            &pool,
            &key,
            &record,
            &destination,
            Purpose::ConfirmSignUp,
            now,
        )
        .map(Some)
    })?;
    tracing::info!(pool_id = %pool.id, "a user signed up");
    let mut out = json!({ "UserConfirmed": false, "UserSub": sub });
    if let Some(details) = details {
        out["CodeDeliveryDetails"] = details;
    }
    Ok(out)
}
