//! SignUp: a user registers themselves through an app client, unless the pool lets only
//! administrators create users. The user is UNCONFIRMED; a confirmation code goes to
//! the phone or email the pool verifies automatically (ConfirmSignUp), or, if it
//! verifies neither, an administrator confirms them (AdminConfirmSignUp).
//!
//! The pool's functions run around it (TRIG-2, TRIG-4): pre sign-up before anything is
//! written (it may refuse, or confirm the user and verify their email and phone at
//! once); CustomMessage writes the code's message; post confirmation runs after a
//! sign-up pre sign-up confirmed.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Context, public_client};
use crate::local::db::users::{self, UserRecord};
use crate::local::mail::delivery::Destination;
use crate::local::sign_in::codes::{self, Purpose};
use crate::local::triggers::sign_up::{Auto, Confirmed, Origin};
use crate::local::triggers::{self, custom_message};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::attributes, sign_in::srp, wire};
use crate::pool::triggers::{About, Caller, MessageSource};
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
    /// For the pre sign-up function only: never stored.
    #[serde(default)]
    validation_data: Vec<wire::AttributeIn>,
    /// For the functions sign-up runs: never stored.
    #[serde(default)]
    client_metadata: BTreeMap<String, String>,
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let secret = Secret::new(input.password);
    let (client, pool) = store.read(|tx| {
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
    let mut record = UserRecord {
        username,
        sub: sub.clone(),
        status: UserStatus::Unconfirmed,
        enabled: true,
        created: now,
        modified: now,
        attributes: given,
        temporary_password_expires: None,
    };
    let metadata = &input.client_metadata;
    let about = About {
        pool_id: &pool.id,
        username: &record.username,
        caller: Caller::Client(&client.client_id),
    };
    let validation: BTreeMap<String, String> = input
        .validation_data
        .into_iter()
        .map(|a| (a.name, a.value.unwrap_or_default()))
        .collect();
    let auto = triggers::sign_up::pre_sign_up(
        store,
        &pool,
        Origin::SignUp,
        about,
        triggers::attributes_of(&record),
        &validation,
        metadata,
    )?;
    let verified = auto_verify(&mut record, auto)?;
    if auto.confirm {
        record.status = UserStatus::Confirmed;
    }
    let destination = (!auto.confirm)
        .then(|| Destination::for_confirmation(settings, &record))
        .flatten();
    let custom = match &destination {
        Some(_) => custom_message::for_user(
            store,
            &pool,
            MessageSource::SignUp,
            &record,
            Caller::Client(&client.client_id),
            metadata,
        )?,
        None => None,
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
        if verified {
            // A verified address is an alias at once, taken from whoever held it.
            attributes::claim_aliases(tx, &pool, &key, &record.attributes, true, now)?;
        }
        users::insert(tx, &pool.id, &key, &record, &verifier)?;
        let Some(destination) = &destination else {
            return Ok(None);
        };
        codes::send(
            tx,
            &pool,
            &record,
            destination,
            Purpose::ConfirmSignUp,
            custom.as_ref(),
            now,
        )
        .map(Some)
    })?;
    tracing::info!(pool_id = %pool.id, confirmed = auto.confirm, "a user signed up");
    if auto.confirm {
        let about = About {
            pool_id: &pool.id,
            username: &record.username,
            caller: Caller::Client(&client.client_id),
        };
        triggers::sign_up::post_confirmation(
            store,
            &pool,
            Confirmed::SignUp,
            about,
            triggers::attributes_of(&record),
            metadata,
        )?;
    }
    let mut out = json!({ "UserConfirmed": auto.confirm, "UserSub": sub });
    if let Some(details) = details {
        out["CodeDeliveryDetails"] = details;
    }
    Ok(out)
}

/// Pre sign-up's `autoVerifyEmail` and `autoVerifyPhone`: the user must have the address
/// (Cognito: "Otherwise an error will occur"). Whether anything was verified.
fn auto_verify(record: &mut UserRecord, auto: Auto) -> Result<bool, ApiError> {
    let mut verified = false;
    for (wanted, attribute) in [
        (auto.verify_email, "email"),
        (auto.verify_phone, "phone_number"),
    ] {
        if !wanted {
            continue;
        }
        if record.attribute(attribute).is_none_or(str::is_empty) {
            return Err(ApiError::invalid(format!(
                "The pre sign-up function verified {attribute}, which the user does not have"
            )));
        }
        let flag = format!("{attribute}_verified");
        record.attributes.retain(|a| a.name != flag);
        record.attributes.push(Attribute::new(flag, "true"));
        verified = true;
    }
    Ok(verified)
}
