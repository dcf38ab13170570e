//! AdminCreateUser: every parameter as cognito-rules.md says, RESEND and SUPPRESS
//! included. The password is checked and turned into an SRP verifier; only the verifier
//! is stored. The pool's pre sign-up function sees the user before anything is written
//! and may refuse them (its other answers are ignored, as Cognito ignores them here);
//! its CustomMessage function may write the invitation (TRIG-2, TRIG-4).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::db::pool_settings::Settings;
use crate::local::db::pools::PoolRow;
use crate::local::db::users::{self, UserRecord};
use crate::local::triggers::custom_message::{self, Written};
use crate::local::triggers::{self, sign_up::Origin};
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::attributes, db::pools, mail::delivery, sign_in::srp, wire};
use crate::pool::triggers::{About, Caller, MessageSource};
use crate::pool::validate;
use crate::pool::{
    Attribute, DeliveryMedium, MessageAction, NewUser, RuleError, Secret, UserStatus, password,
};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Input {
    user_pool_id: String,
    username: String,
    #[serde(default)]
    user_attributes: Vec<wire::AttributeIn>,
    /// For the pre sign-up trigger only: accepted, never stored.
    #[serde(default)]
    validation_data: Vec<wire::AttributeIn>,
    #[serde(default)]
    temporary_password: Option<String>,
    #[serde(default)]
    force_alias_creation: bool,
    #[serde(default)]
    message_action: Option<String>,
    #[serde(default)]
    desired_delivery_mediums: Vec<String>,
    /// For Lambda triggers only: accepted, never stored.
    #[serde(default)]
    client_metadata: BTreeMap<String, String>,
}

impl Input {
    fn into_new_user(self) -> Result<(String, NewUser), ApiError> {
        let message_action = self
            .message_action
            .as_deref()
            .map(|a| {
                a.parse::<MessageAction>()
                    .map_err(|e| ApiError::invalid(format!("MessageAction {e}")))
            })
            .transpose()?;
        let desired_delivery_mediums = self
            .desired_delivery_mediums
            .iter()
            .map(|m| {
                m.parse::<DeliveryMedium>()
                    .map_err(|e| ApiError::invalid(format!("DesiredDeliveryMediums {e}")))
            })
            .collect::<Result<_, _>>()?;
        // An empty TemporaryPassword means "generate one", as the reference says.
        let temporary_password = self
            .temporary_password
            .filter(|p| !p.is_empty())
            .map(Secret::new);
        let user = NewUser {
            username: self.username,
            attributes: self
                .user_attributes
                .into_iter()
                .map(Attribute::from)
                .collect(),
            validation_data: self
                .validation_data
                .into_iter()
                .map(Attribute::from)
                .collect(),
            temporary_password,
            force_alias_creation: self.force_alias_creation,
            message_action,
            desired_delivery_mediums,
            client_metadata: self.client_metadata,
        };
        Ok((self.user_pool_id, user))
    }
}

fn to_api_error(e: RuleError) -> ApiError {
    if e.field == "TemporaryPassword" {
        ApiError::new(ErrorCode::InvalidPassword, e.rule)
    } else {
        e.into()
    }
}

pub fn run(store: &Store, _ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: Input = wire::input(body)?;
    let (pool_id, mut user) = input.into_new_user()?;
    validate::pool_id(&pool_id)?;
    let settings = store.read(|tx| Ok(pools::load(tx, &pool_id)?.settings))?;
    let policy = settings.password_policy();

    if user.message_action == Some(MessageAction::Resend) {
        return resend(store, &pool_id, &settings, user);
    }
    validate::alias_username(&settings.string_list("AliasAttributes"), &user.username)?;
    let signs_in_with =
        validate::username_attribute(&settings.username_attributes(), &user.username)?;
    if let Some(attribute) = signs_in_with {
        user.attributes.retain(|a| a.name != attribute);
        user.attributes
            .push(Attribute::new(attribute, user.username.clone()));
    }
    if let Some(e) = validate::new_user(&user, &policy).into_iter().next() {
        return Err(to_api_error(e));
    }
    attributes::check_schema(&settings, &user.attributes)?;
    let sub = uuid::Uuid::new_v4().to_string();
    let username = if signs_in_with.is_some() {
        sub.clone()
    } else {
        user.username.clone()
    };

    // The slow part (a 3072-bit modular power) runs before the write lock is taken. A
    // password generated and sent nowhere (SUPPRESS, no TemporaryPassword) is one nobody
    // will ever type: it needs no verifier, and every password is wrong for the user
    // until the admin sets one (AdminSetUserPassword, RESEND). Bulk imports are these.
    let password = user
        .temporary_password
        .clone()
        .unwrap_or_else(|| password::generate(&policy));
    let known = user.temporary_password.is_some() || !user.invitation_mediums().is_empty();
    let verifier = if known {
        srp::new_verifier(&pool_id, &username, &password)
    } else {
        srp::Verifier::none()
    };
    let now_time = store.now();
    let now = wire::epoch(now_time);
    let expires = wire::epoch(
        now_time + Duration::from_secs(policy.effective_validity_days() as u64 * 86_400),
    );
    let record = UserRecord {
        username,
        sub,
        status: UserStatus::ForceChangePassword,
        enabled: true,
        created: now,
        modified: now,
        attributes: user.attributes.clone(),
        temporary_password_expires: Some(expires),
    };

    let exists = |tx: &rusqlite::Transaction<'_>| -> Result<(), ApiError> {
        let key = users::username_key(&settings, &record.username);
        if users::find(tx, &pool_id, &key)?.is_some() {
            return Err(ApiError::new(
                ErrorCode::UsernameExists,
                "User account already exists",
            ));
        }
        if let Some(attribute) = signs_in_with
            && users::key_by_username_attribute(tx, &pool_id, attribute, &user.username)?.is_some()
        {
            return Err(ApiError::new(
                ErrorCode::UsernameExists,
                format!("An account with the given {attribute} already exists."),
            ));
        }
        Ok(())
    };
    // The pool's functions run before anything is written, for a user who can be made.
    let pool = store.read(|tx| {
        exists(tx)?;
        pools::load(tx, &pool_id)
    })?;
    let custom = run_triggers(store, &pool, &record, &user)?;

    store.write(|tx| {
        let pool = pools::load(tx, &pool_id)?;
        let key = users::username_key(&pool.settings, &record.username);
        exists(tx)?;
        attributes::claim_aliases(
            tx,
            &pool,
            &key,
            &user.attributes,
            user.force_alias_creation,
            now,
        )?;
        users::insert(tx, &pool.id, &key, &record, &verifier)?;
        delivery::send_invitation(
            tx,
            &pool,
            &record,
            &user.invitation_mediums(),
            &password,
            custom.as_ref(),
            now,
        )
    })?;
    tracing::debug!(pool_id = %pool_id, "created a user");
    Ok(json!({ "User": record.to_json("Attributes", None) }))
}

/// Pre sign-up (refusal only), then what CustomMessage writes for the invitation, if it
/// is sent.
fn run_triggers(
    store: &Store,
    pool: &PoolRow,
    record: &UserRecord,
    user: &NewUser,
) -> Result<Option<Written>, ApiError> {
    let about = About {
        pool_id: &pool.id,
        username: &record.username,
        caller: Caller::NotApplicable,
    };
    let validation = triggers_map(&user.validation_data);
    triggers::sign_up::pre_sign_up(
        store,
        pool,
        Origin::AdminCreateUser,
        about,
        triggers::attributes_of(record),
        &validation,
        &user.client_metadata,
    )?;
    if user.invitation_mediums().is_empty() {
        return Ok(None);
    }
    custom_message::for_user(
        store,
        pool,
        MessageSource::AdminCreateUser,
        record,
        Caller::NotApplicable,
        &user.client_metadata,
    )
}

fn triggers_map(values: &[Attribute]) -> BTreeMap<String, String> {
    values
        .iter()
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect()
}

/// RESEND: the user must exist and still be waiting for the first sign-in; they get a
/// new temporary password, a fresh expiry and the invitation again.
fn resend(
    store: &Store,
    pool_id: &str,
    settings: &Settings,
    request: NewUser,
) -> Result<Value, ApiError> {
    let policy = settings.password_policy();
    validate::username(&request.username)?;
    if let Some(p) = &request.temporary_password {
        password::check_temporary(p.expose(), &policy)?;
    }
    let (key, existing) = store.read(|tx| {
        let key = users::resolve_existing(tx, pool_id, settings, &request.username)?;
        let user = users::get(tx, pool_id, &key)?;
        Ok((key, user))
    })?;
    if existing.status != UserStatus::ForceChangePassword {
        return Err(ApiError::new(
            ErrorCode::UnsupportedUserState,
            format!(
                "Resend not possible. {} status is not FORCE_CHANGE_PASSWORD",
                existing.username
            ),
        ));
    }
    let mediums = request.invitation_mediums();
    for medium in &mediums {
        if existing
            .attribute(medium.attribute())
            .is_none_or(str::is_empty)
        {
            return Err(ApiError::invalid(format!(
                "{} is required to send the invitation by {}",
                medium.attribute(),
                medium.as_str()
            )));
        }
    }
    let password = request
        .temporary_password
        .clone()
        .unwrap_or_else(|| password::generate(&policy));
    let verifier = srp::new_verifier(pool_id, &existing.username, &password);
    let pool = store.read(|tx| pools::load(tx, pool_id))?;
    let custom = if mediums.is_empty() {
        None
    } else {
        custom_message::for_user(
            store,
            &pool,
            MessageSource::AdminCreateUser,
            &existing,
            Caller::NotApplicable,
            &request.client_metadata,
        )?
    };
    let now_time = store.now();
    let now = wire::epoch(now_time);
    let expires = wire::epoch(
        now_time + Duration::from_secs(policy.effective_validity_days() as u64 * 86_400),
    );
    let user = store.write(|tx| {
        let pool = pools::load(tx, pool_id)?;
        let mut user = users::get(tx, pool_id, &key)?;
        users::set_temporary_password(tx, pool_id, &key, &verifier, expires, now)?;
        user.modified = now;
        user.temporary_password_expires = Some(expires);
        delivery::send_invitation(tx, &pool, &user, &mediums, &password, custom.as_ref(), now)?;
        Ok(user)
    })?;
    tracing::info!(pool_id = %pool_id, "resent an invitation");
    Ok(json!({ "User": user.to_json("Attributes", None) }))
}
