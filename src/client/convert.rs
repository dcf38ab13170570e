//! SDK types <-> pool types. Nothing else in the console sees an SDK type.

use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::types as sdk;
use aws_smithy_types::DateTime;

use crate::pool::{
    AdminCreateUserConfig, Attribute, DefaultEmailOption, InviteMessageTemplate, PasswordPolicy,
    PoolConfig, PoolDescription, SchemaAttribute, User, UserStatus, VerificationMessageTemplate,
};

pub fn time(t: Option<&DateTime>) -> Option<SystemTime> {
    t.and_then(|t| SystemTime::try_from(*t).ok())
}

pub fn attributes(list: Option<&[sdk::AttributeType]>) -> Vec<Attribute> {
    list.unwrap_or_default()
        .iter()
        .map(|a| Attribute::new(a.name(), a.value().unwrap_or_default()))
        .collect()
}

pub fn to_sdk_attributes(list: &[Attribute]) -> Option<Vec<sdk::AttributeType>> {
    if list.is_empty() {
        return None;
    }
    Some(
        list.iter()
            .filter_map(|a| {
                sdk::AttributeType::builder()
                    .name(&a.name)
                    .value(&a.value)
                    .build()
                    .ok()
            })
            .collect(),
    )
}

pub fn status(s: Option<&sdk::UserStatusType>) -> Option<UserStatus> {
    s.and_then(|s| s.as_str().parse().ok())
}

pub fn user(u: &sdk::UserType) -> User {
    User {
        username: u.username().unwrap_or_default().to_string(),
        attributes: attributes(u.attributes.as_deref()),
        created: time(u.user_create_date()),
        last_modified: time(u.user_last_modified_date()),
        enabled: u.enabled(),
        status: status(u.user_status()),
        mfa: None,
    }
}

pub fn password_policy(p: &sdk::PasswordPolicyType) -> PasswordPolicy {
    PasswordPolicy {
        minimum_length: p
            .minimum_length()
            .map_or(crate::pool::types::DEFAULT_MINIMUM_LENGTH, i64::from),
        require_uppercase: p.require_uppercase(),
        require_lowercase: p.require_lowercase(),
        require_numbers: p.require_numbers(),
        require_symbols: p.require_symbols(),
        password_history_size: p.password_history_size().map(i64::from),
        temporary_password_validity_days: i64::from(p.temporary_password_validity_days()),
    }
}

pub fn to_sdk_password_policy(p: &PasswordPolicy) -> sdk::PasswordPolicyType {
    sdk::PasswordPolicyType::builder()
        .minimum_length(p.minimum_length as i32)
        .require_uppercase(p.require_uppercase)
        .require_lowercase(p.require_lowercase)
        .require_numbers(p.require_numbers)
        .require_symbols(p.require_symbols)
        .set_password_history_size(p.password_history_size.map(|n| n as i32))
        .temporary_password_validity_days(p.temporary_password_validity_days as i32)
        .build()
}

pub fn admin_create_user_config(c: &sdk::AdminCreateUserConfigType) -> AdminCreateUserConfig {
    AdminCreateUserConfig {
        allow_admin_create_user_only: c.allow_admin_create_user_only(),
        unused_account_validity_days: Some(i64::from(c.unused_account_validity_days()))
            .filter(|d| *d != 0),
        invite_message_template: c.invite_message_template().map(|t| InviteMessageTemplate {
            sms_message: t.sms_message().map(str::to_string),
            email_message: t.email_message().map(str::to_string),
            email_subject: t.email_subject().map(str::to_string),
        }),
    }
}

pub fn to_sdk_admin_create_user_config(
    c: &AdminCreateUserConfig,
) -> sdk::AdminCreateUserConfigType {
    sdk::AdminCreateUserConfigType::builder()
        .allow_admin_create_user_only(c.allow_admin_create_user_only)
        .set_unused_account_validity_days(c.unused_account_validity_days.map(|d| d as i32))
        .set_invite_message_template(c.invite_message_template.as_ref().map(|t| {
            sdk::MessageTemplateType::builder()
                .set_sms_message(t.sms_message.clone())
                .set_email_message(t.email_message.clone())
                .set_email_subject(t.email_subject.clone())
                .build()
        }))
        .build()
}

pub fn verification_template(
    t: &sdk::VerificationMessageTemplateType,
) -> VerificationMessageTemplate {
    VerificationMessageTemplate {
        sms_message: t.sms_message().map(str::to_string),
        email_message: t.email_message().map(str::to_string),
        email_subject: t.email_subject().map(str::to_string),
        email_message_by_link: t.email_message_by_link().map(str::to_string),
        email_subject_by_link: t.email_subject_by_link().map(str::to_string),
        default_email_option: t.default_email_option().and_then(|o| match o {
            sdk::DefaultEmailOptionType::ConfirmWithCode => {
                Some(DefaultEmailOption::ConfirmWithCode)
            }
            sdk::DefaultEmailOptionType::ConfirmWithLink => {
                Some(DefaultEmailOption::ConfirmWithLink)
            }
            _ => None,
        }),
    }
}

pub fn to_sdk_verification_template(
    t: &VerificationMessageTemplate,
) -> sdk::VerificationMessageTemplateType {
    sdk::VerificationMessageTemplateType::builder()
        .set_sms_message(t.sms_message.clone())
        .set_email_message(t.email_message.clone())
        .set_email_subject(t.email_subject.clone())
        .set_email_message_by_link(t.email_message_by_link.clone())
        .set_email_subject_by_link(t.email_subject_by_link.clone())
        .set_default_email_option(t.default_email_option.map(|o| match o {
            DefaultEmailOption::ConfirmWithCode => sdk::DefaultEmailOptionType::ConfirmWithCode,
            DefaultEmailOption::ConfirmWithLink => sdk::DefaultEmailOptionType::ConfirmWithLink,
        }))
        .build()
}

pub fn pool_config(p: &sdk::UserPoolType) -> PoolConfig {
    PoolConfig {
        password_policy: p
            .policies()
            .and_then(|p| p.password_policy())
            .map(password_policy)
            .unwrap_or_default(),
        admin_create_user: p
            .admin_create_user_config()
            .map(admin_create_user_config)
            .unwrap_or_default(),
        verification: p
            .verification_message_template()
            .map(verification_template)
            .unwrap_or_default(),
        email: p
            .email_configuration()
            .map(|e| {
                crate::pool::message::EmailHeaders::of(
                    e.from(),
                    e.source_arn(),
                    e.reply_to_email_address(),
                )
            })
            .unwrap_or_default(),
        mfa: None,
        triggers: p
            .lambda_config()
            .map(super::triggers::functions)
            .unwrap_or_default(),
        sign_up: sign_up(p),
    }
}

/// The pool's sign-up settings.
fn sign_up(p: &sdk::UserPoolType) -> crate::pool::sign_up::SignUpSettings {
    let verified = |a: &sdk::VerifiedAttributeType| p.auto_verified_attributes().contains(a);
    let waiting = |a: &sdk::VerifiedAttributeType| {
        p.user_attribute_update_settings().is_some_and(|s| {
            s.attributes_require_verification_before_update()
                .contains(a)
        })
    };
    let recovery = p.account_recovery_setting().and_then(|r| {
        let mut options: Vec<&sdk::RecoveryOptionType> = r.recovery_mechanisms().iter().collect();
        options.sort_by_key(|o| o.priority());
        let names: Vec<&str> = options.iter().map(|o| o.name().as_str()).collect();
        crate::pool::sign_up::Recovery::from_mechanisms(&names)
    });
    crate::pool::sign_up::SignUpSettings {
        verify_email: verified(&sdk::VerifiedAttributeType::Email),
        verify_phone: verified(&sdk::VerifiedAttributeType::PhoneNumber),
        keep_email_until_verified: waiting(&sdk::VerifiedAttributeType::Email),
        keep_phone_until_verified: waiting(&sdk::VerifiedAttributeType::PhoneNumber),
        recovery,
        deletion_protection: p.deletion_protection() == Some(&sdk::DeletionProtectionType::Active),
    }
}

pub fn pool_description(p: &sdk::UserPoolType) -> PoolDescription {
    PoolDescription {
        id: p.id().unwrap_or_default().to_string(),
        name: p.name().unwrap_or_default().to_string(),
        arn: p.arn().map(str::to_string),
        config: pool_config(p),
        schema: p.schema_attributes().iter().map(schema_attribute).collect(),
        alias_attributes: p
            .alias_attributes()
            .iter()
            .map(|a| a.as_str().to_string())
            .collect(),
        username_attributes: p
            .username_attributes()
            .iter()
            .map(|a| a.as_str().to_string())
            .collect(),
        estimated_number_of_users: i64::from(p.estimated_number_of_users()),
        created: time(p.creation_date()),
        last_modified: time(p.last_modified_date()),
        mfa_facts: super::mfa::facts(p),
        mfa_error: None,
    }
}

pub fn schema_attribute(a: &sdk::SchemaAttributeType) -> SchemaAttribute {
    SchemaAttribute {
        name: a.name().unwrap_or_default().to_string(),
        data_type: a
            .attribute_data_type()
            .map_or("String", |t| t.as_str())
            .to_string(),
        // Cognito leaves Mutable out of a custom attribute that is mutable.
        mutable: a.mutable().unwrap_or(true),
        required: a.required().unwrap_or(false),
        max_length: a
            .string_attribute_constraints()
            .and_then(|c| c.max_length())
            .and_then(|m| m.parse().ok()),
        bounds: bounds(a),
    }
}

/// A schema attribute's constraints in words.
fn bounds(a: &sdk::SchemaAttributeType) -> Option<String> {
    let words = |min: Option<&str>, max: Option<&str>, unit: &str| match (min, max) {
        (None, None) => None,
        (Some(min), Some(max)) => Some(format!("{min} to {max}{unit}")),
        (Some(min), None) => Some(format!("at least {min}{unit}")),
        (None, Some(max)) => Some(format!("at most {max}{unit}")),
    };
    if let Some(c) = a.string_attribute_constraints() {
        return words(c.min_length(), c.max_length(), " characters");
    }
    a.number_attribute_constraints()
        .and_then(|c| words(c.min_value(), c.max_value(), ""))
}
