//! Lambda triggers as Cognito has them, pure: the triggers of `LambdaConfig` and how a
//! pool names a function for each, the envelope of every event (`version` as a string,
//! `triggerSource`, `region`, `userPoolId`, `userName`, `callerContext`, `request`,
//! `response`), and the CustomMessage trigger's request and answer, which both the
//! store (to send) and the console (to preview) use. docs/documented-rules.md, TRIG-*.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::rule::char_len;
use super::template::{CODE, USERNAME, render};
use super::{Attribute, DeliveryMedium};

/// A trigger of `LambdaConfig`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trigger {
    PreSignUp,
    CustomMessage,
    PostConfirmation,
    PreAuthentication,
    PostAuthentication,
    PreTokenGeneration,
    UserMigration,
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse,
}

impl Trigger {
    /// In the order Cognito's console lists them, by what they extend.
    pub const ALL: [Trigger; 10] = [
        Self::PreSignUp,
        Self::PostConfirmation,
        Self::PreAuthentication,
        Self::PostAuthentication,
        Self::PreTokenGeneration,
        Self::UserMigration,
        Self::DefineAuthChallenge,
        Self::CreateAuthChallenge,
        Self::VerifyAuthChallengeResponse,
        Self::CustomMessage,
    ];

    /// Its member of `LambdaConfig`, which is also its name in Cognito's errors
    /// ("PreSignUp failed with error ...").
    pub fn name(self) -> &'static str {
        match self {
            Self::PreSignUp => "PreSignUp",
            Self::CustomMessage => "CustomMessage",
            Self::PostConfirmation => "PostConfirmation",
            Self::PreAuthentication => "PreAuthentication",
            Self::PostAuthentication => "PostAuthentication",
            Self::PreTokenGeneration => "PreTokenGeneration",
            Self::UserMigration => "UserMigration",
            Self::DefineAuthChallenge => "DefineAuthChallenge",
            Self::CreateAuthChallenge => "CreateAuthChallenge",
            Self::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
        }
    }

    /// As Cognito's console titles it.
    pub fn title(self) -> &'static str {
        match self {
            Self::PreSignUp => "Pre sign-up",
            Self::CustomMessage => "Custom message",
            Self::PostConfirmation => "Post confirmation",
            Self::PreAuthentication => "Pre authentication",
            Self::PostAuthentication => "Post authentication",
            Self::PreTokenGeneration => "Pre token generation",
            Self::UserMigration => "Migrate user",
            Self::DefineAuthChallenge => "Define auth challenge",
            Self::CreateAuthChallenge => "Create auth challenge",
            Self::VerifyAuthChallengeResponse => "Verify auth challenge response",
        }
    }

    /// What it is for, in a line.
    pub fn purpose(self) -> &'static str {
        match self {
            Self::PreSignUp => "accept or refuse a sign-up; confirm and verify automatically",
            Self::CustomMessage => "write invitations, codes and MFA messages",
            Self::PostConfirmation => "after a user confirms their sign-up or new password",
            Self::PreAuthentication => "accept or refuse a sign-in before the password",
            Self::PostAuthentication => "after a sign-in, before its tokens",
            Self::PreTokenGeneration => "add, change or drop claims, scopes and groups",
            Self::UserMigration => "bring in a user the pool lacks, at sign-in or reset",
            Self::DefineAuthChallenge => "CUSTOM_AUTH: decide the next challenge",
            Self::CreateAuthChallenge => "CUSTOM_AUTH: make a challenge",
            Self::VerifyAuthChallengeResponse => "CUSTOM_AUTH: check an answer",
        }
    }

    /// Pre token generation has event versions (`LambdaVersion`); the others one.
    pub fn versioned(self) -> bool {
        self == Self::PreTokenGeneration
    }
}

/// Pre token generation's event versions: V1_0 (ID token), V2_0 (and the access token),
/// V3_0 (and machine-to-machine tokens).
pub const VERSIONS: [&str; 3] = ["V1_0", "V2_0", "V3_0"];

/// The function a pool names for a trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configured {
    pub arn: String,
    /// The event's `version`: 1 but for pre token generation's V2_0 and V3_0.
    pub version: u8,
}

impl Configured {
    /// `LambdaVersion` as Cognito writes it.
    pub fn lambda_version(&self) -> &'static str {
        match self.version {
            2 => "V2_0",
            3 => "V3_0",
            _ => "V1_0",
        }
    }
}

/// The functions a pool names, trigger by trigger.
pub type Functions = BTreeMap<Trigger, Configured>;

/// The function `lambda_config` (a pool's `LambdaConfig`) names for `trigger`. Pre
/// token generation is `PreTokenGenerationConfig` with its version, else the legacy
/// `PreTokenGeneration` (version 1).
pub fn configured(lambda_config: &Value, trigger: Trigger) -> Option<Configured> {
    if trigger == Trigger::PreTokenGeneration
        && let Some(versioned) = lambda_config.get("PreTokenGenerationConfig")
        && let Some(arn) = versioned.get("LambdaArn").and_then(Value::as_str)
    {
        let version = match versioned.get("LambdaVersion").and_then(Value::as_str) {
            Some("V2_0") => 2,
            Some("V3_0") => 3,
            _ => 1,
        };
        return Some(Configured {
            arn: arn.to_string(),
            version,
        });
    }
    let arn = lambda_config.get(trigger.name())?.as_str()?;
    (!arn.is_empty()).then(|| Configured {
        arn: arn.to_string(),
        version: 1,
    })
}

/// `lambda_config` with `trigger` set to `to` (None: cleared), every other member as it
/// was. Pre token generation is set in both its members, as Cognito keeps them.
pub fn with(lambda_config: &Value, trigger: Trigger, to: Option<&Configured>) -> Value {
    let mut config = lambda_config.as_object().cloned().unwrap_or_default();
    config.remove(trigger.name());
    if trigger == Trigger::PreTokenGeneration {
        config.remove("PreTokenGenerationConfig");
    }
    if let Some(to) = to {
        config.insert(trigger.name().into(), json!(to.arn));
        if trigger == Trigger::PreTokenGeneration {
            config.insert(
                "PreTokenGenerationConfig".into(),
                json!({ "LambdaArn": to.arn, "LambdaVersion": to.lambda_version() }),
            );
        }
    }
    Value::Object(config)
}

/// Cognito's refusal of a `LambdaConfig` whose two pre token generation members name
/// different functions.
pub fn check(lambda_config: &Value) -> Result<(), String> {
    let legacy = lambda_config
        .get("PreTokenGeneration")
        .and_then(Value::as_str);
    let versioned = lambda_config
        .get("PreTokenGenerationConfig")
        .and_then(|c| c.get("LambdaArn"))
        .and_then(Value::as_str);
    match (legacy, versioned) {
        (Some(a), Some(b)) if a != b => Err(
            "The Lambda ARN of PreTokenGeneration and PreTokenGenerationConfig must be the same"
                .into(),
        ),
        _ => Ok(()),
    }
}

/// Who called, as `callerContext.clientId` says it.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    /// An app client.
    Client(&'a str),
    /// An administrator's call that names no client (AdminCreateUser, AdminResetUserPassword).
    NotApplicable,
    /// AdminConfirmSignUp: null.
    Nobody,
}

impl Caller<'_> {
    fn json(self) -> Value {
        match self {
            Caller::Client(id) => json!(id),
            Caller::NotApplicable => json!("CLIENT_ID_NOT_APPLICABLE"),
            Caller::Nobody => Value::Null,
        }
    }
}

/// Who and where an event is about.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    pub pool_id: &'a str,
    pub username: &'a str,
    pub caller: Caller<'a>,
}

/// A whole event.
pub fn event(
    about: About<'_>,
    version: u8,
    source: &str,
    request: Value,
    response: Value,
) -> Value {
    let region = about
        .pool_id
        .split_once('_')
        .map_or("local", |(region, _)| region);
    json!({
        "version": version.to_string(),
        "triggerSource": source,
        "region": region,
        "userPoolId": about.pool_id,
        "userName": about.username,
        "callerContext": {
            "awsSdkVersion": "aws-sdk-unknown-unknown",
            "clientId": about.caller.json(),
        },
        "request": request,
        "response": response,
    })
}

/// A user's attributes as events carry them: `sub` and every attribute, as strings,
/// then `cognito:user_status` (`status`: None for a user not yet made).
pub fn user_attributes(attributes: &[Attribute], status: Option<&str>) -> Value {
    let mut map = Map::new();
    for a in attributes {
        map.insert(a.name.clone(), json!(a.value));
    }
    if let Some(status) = status {
        map.insert("cognito:user_status".into(), json!(status));
    }
    Value::Object(map)
}

/// A string map a request carries (`ClientMetadata`, `ValidationData`): null when empty.
pub fn map(values: &BTreeMap<String, String>) -> Value {
    if values.is_empty() {
        Value::Null
    } else {
        json!(values)
    }
}

/// What a caller may pass the triggers, held to the service model: `ValidationData`
/// names of 1 to 32 characters and values up to 2048 (`AttributeType`), `ClientMetadata`
/// keys and values up to 131072 (`StringType`). Errors name the field
/// `ValidationData:<name>` or `ClientMetadata:<key>`.
pub fn check_inputs(
    validation: &[Attribute],
    metadata: &BTreeMap<String, String>,
) -> Vec<super::RuleError> {
    use super::model::{check_str, shape};
    let mut errors = Vec::new();
    for a in validation {
        let field = format!("ValidationData:{}", a.name);
        errors.extend(check_str(shape("AttributeNameType"), &field, &a.name).err());
        errors.extend(check_str(shape("AttributeValueType"), &field, &a.value).err());
    }
    for (key, value) in metadata {
        let field = format!("ClientMetadata:{key}");
        errors.extend(check_str(shape("StringType"), &field, key).err());
        errors.extend(check_str(shape("StringType"), &field, value).err());
    }
    errors
}

/// The occasions of the CustomMessage trigger: its `triggerSource`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageSource {
    SignUp,
    AdminCreateUser,
    ResendCode,
    ForgotPassword,
    UpdateUserAttribute,
    VerifyUserAttribute,
    Authentication,
}

impl MessageSource {
    pub const ALL: [MessageSource; 7] = [
        Self::AdminCreateUser,
        Self::SignUp,
        Self::ResendCode,
        Self::ForgotPassword,
        Self::UpdateUserAttribute,
        Self::VerifyUserAttribute,
        Self::Authentication,
    ];

    pub fn trigger_source(self) -> &'static str {
        match self {
            Self::SignUp => "CustomMessage_SignUp",
            Self::AdminCreateUser => "CustomMessage_AdminCreateUser",
            Self::ResendCode => "CustomMessage_ResendCode",
            Self::ForgotPassword => "CustomMessage_ForgotPassword",
            Self::UpdateUserAttribute => "CustomMessage_UpdateUserAttribute",
            Self::VerifyUserAttribute => "CustomMessage_VerifyUserAttribute",
            Self::Authentication => "CustomMessage_Authentication",
        }
    }

    /// An invitation carries the username as well as the code (the temporary password).
    pub fn is_invitation(self) -> bool {
        self == Self::AdminCreateUser
    }
}

/// The CustomMessage event's request: the user, `codeParameter` (`{####}`),
/// `linkParameter`, `usernameParameter` (`{username}` for an invitation, else null),
/// and the caller's `ClientMetadata`.
pub fn message_request(
    user_attributes: Value,
    source: MessageSource,
    metadata: &BTreeMap<String, String>,
) -> Value {
    let mut request = json!({
        "userAttributes": user_attributes,
        "codeParameter": CODE,
        "linkParameter": "{##Click Here##}",
        "usernameParameter": if source.is_invitation() { json!(USERNAME) } else { Value::Null },
    });
    if !metadata.is_empty() {
        request["clientMetadata"] = json!(metadata);
    }
    request
}

/// The CustomMessage event's response before the function writes it.
pub fn message_response() -> Value {
    json!({ "smsMessage": null, "emailMessage": null, "emailSubject": null })
}

/// Cognito's limits on what a CustomMessage function returns, with the code in:
/// "up to 20,000 UTF-8 characters" of email and 140 of SMS; a subject as a template's.
pub const EMAIL_MAX: usize = 20_000;
pub const SMS_MAX: usize = 140;
pub const SUBJECT_MAX: usize = 140;

/// What a CustomMessage function returned: each part it wrote, or None where the
/// pool's template stays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomMessage {
    pub email_subject: Option<String>,
    pub email_message: Option<String>,
    pub sms_message: Option<String>,
}

/// A message as it will go out (or would, in a preview): its subject and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: Option<String>,
    pub body: String,
}

impl CustomMessage {
    /// Reads a function's `response`: strings or null, nothing else. Err: the answer does
    /// not say what the trigger must say.
    pub fn from_response(response: &Value) -> Result<Self, String> {
        let part = |name: &str| -> Result<Option<String>, String> {
            match response.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("{name} must be a string or null")),
            }
        };
        Ok(Self {
            email_subject: part("emailSubject")?,
            email_message: part("emailMessage")?,
            sms_message: part("smsMessage")?,
        })
    }

    /// The message for `medium` with the code (and, for an invitation, the username)
    /// put in. Ok(None): the function wrote nothing for it, so the template is used.
    /// Err: why what it wrote cannot be sent (no code placeholder, too long): Cognito
    /// then sends the template instead, and the store logs why.
    pub fn rendered(
        &self,
        medium: DeliveryMedium,
        source: MessageSource,
        username: &str,
        code: &str,
    ) -> Result<Option<Rendered>, String> {
        let (body, max, field) = match medium {
            DeliveryMedium::Email => (&self.email_message, EMAIL_MAX, "emailMessage"),
            DeliveryMedium::Sms => (&self.sms_message, SMS_MAX, "smsMessage"),
        };
        let Some(body) = body else {
            return Ok(None);
        };
        if !body.contains(CODE) {
            return Err(format!("{field} has no {CODE} for the code"));
        }
        if source.is_invitation() && !body.contains(USERNAME) {
            return Err(format!("{field} has no {USERNAME} for the username"));
        }
        let body = render(body, username, code);
        let len = char_len(&body);
        if len > max {
            return Err(format!(
                "{field} is {len} characters with the code in; the limit is {max}"
            ));
        }
        let subject = match (medium, &self.email_subject) {
            (DeliveryMedium::Email, Some(s)) if char_len(s) > SUBJECT_MAX => {
                return Err(format!(
                    "emailSubject is {} characters; the limit is {SUBJECT_MAX}",
                    char_len(s)
                ));
            }
            (DeliveryMedium::Email, Some(s)) => Some(s.clone()),
            _ => None,
        };
        Ok(Some(Rendered { subject, body }))
    }
}

#[cfg(test)]
mod tests;
