//! PreSignUp and PostConfirmation. Pre sign-up sees a new user before they exist (their
//! attributes, `validationData`, `clientMetadata`) and may refuse them, or, for SignUp,
//! confirm them and verify their email and phone at once; AdminCreateUser's users get
//! no such answer ("ignored by Amazon Cognito when the Pre Sign-up lambda is triggered
//! by the AdminCreateUser API"). Post confirmation runs once a confirmation is stored
//! (ConfirmSignUp, AdminConfirmSignUp, ConfirmForgotPassword, a sign-up confirmed by
//! pre sign-up): its failure is the caller's error, and the confirmation stays (TRIG-2,
//! TRIG-3).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{call, unrecognizable};
use crate::local::Store;
use crate::local::db::pools::PoolRow;
use crate::local::wire::error::ApiError;
use crate::pool::triggers::{self, About, Trigger};

/// What pre sign-up answered for a SignUp.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Auto {
    pub confirm: bool,
    pub verify_email: bool,
    pub verify_phone: bool,
}

/// Where a sign-up comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    SignUp,
    AdminCreateUser,
}

/// Runs the pool's pre sign-up function for a user about to be made. Err: refused.
pub fn pre_sign_up(
    store: &Store,
    pool: &PoolRow,
    origin: Origin,
    about: About<'_>,
    attributes: Value,
    validation: &BTreeMap<String, String>,
    metadata: &BTreeMap<String, String>,
) -> Result<Auto, ApiError> {
    let source = match origin {
        Origin::SignUp => "PreSignUp_SignUp",
        Origin::AdminCreateUser => "PreSignUp_AdminCreateUser",
    };
    let mut request = json!({
        "userAttributes": attributes,
        "validationData": triggers::map(validation),
    });
    if !metadata.is_empty() {
        request["clientMetadata"] = json!(metadata);
    }
    let response =
        json!({ "autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false });
    let Some(answer) = call(
        store,
        pool,
        Trigger::PreSignUp,
        about,
        source,
        request,
        response,
    )?
    else {
        return Ok(Auto::default());
    };
    let flag = |name: &str| -> Result<bool, ApiError> {
        match answer.get(name) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(unrecognizable()),
        }
    };
    let auto = Auto {
        confirm: flag("autoConfirmUser")?,
        verify_email: flag("autoVerifyEmail")?,
        verify_phone: flag("autoVerifyPhone")?,
    };
    Ok(match origin {
        Origin::SignUp => auto,
        Origin::AdminCreateUser => Auto::default(),
    })
}

/// What was confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    SignUp,
    ForgotPassword,
}

/// Runs the pool's post confirmation function for a user just confirmed, whose
/// attributes (as they are now) are `attributes`.
pub fn post_confirmation(
    store: &Store,
    pool: &PoolRow,
    what: Confirmed,
    about: About<'_>,
    attributes: Value,
    metadata: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    let source = match what {
        Confirmed::SignUp => "PostConfirmation_ConfirmSignUp",
        Confirmed::ForgotPassword => "PostConfirmation_ConfirmForgotPassword",
    };
    let mut request = json!({ "userAttributes": attributes });
    if !metadata.is_empty() {
        request["clientMetadata"] = json!(metadata);
    }
    call(
        store,
        pool,
        Trigger::PostConfirmation,
        about,
        source,
        request,
        json!({}),
    )?;
    Ok(())
}
