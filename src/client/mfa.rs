//! MFA through the client: the pool's (GetUserPoolMfaConfig, SetUserPoolMfaConfig), a
//! user's factors as AdminGetUser lists them, and the administrator's reset.

use aws_sdk_cognitoidentityprovider::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput;
use aws_sdk_cognitoidentityprovider::types as sdk;

use super::{Client, ClientError};
use crate::pool::mfa::{EmailMfa, Enforcement, Factor, PoolFacts, PoolMfa, UserMfa};
use crate::pool::validate;

/// What a pool's description says about the MFA it may have.
pub fn facts(p: &sdk::UserPoolType) -> PoolFacts {
    PoolFacts {
        sms_configuration: p.sms_configuration().is_some(),
        email_by_ses: p
            .email_configuration()
            .and_then(|e| e.email_sending_account())
            == Some(&sdk::EmailSendingAccountType::Developer),
        lite_tier: p.user_pool_tier() == Some(&sdk::UserPoolTierType::Lite),
    }
}

fn pool_mfa(out: &GetUserPoolMfaConfigOutput) -> PoolMfa {
    PoolMfa {
        enforcement: out
            .mfa_configuration()
            .and_then(|m| Enforcement::from_wire(m.as_str()))
            .unwrap_or_default(),
        sms: out.sms_mfa_configuration().is_some(),
        sms_message: out
            .sms_mfa_configuration()
            .and_then(|s| s.sms_authentication_message())
            .map(str::to_string),
        software_token: out
            .software_token_mfa_configuration()
            .is_some_and(|t| t.enabled()),
        email: out.email_mfa_configuration().map(|e| EmailMfa {
            subject: e.subject().map(str::to_string),
            message: e.message().map(str::to_string),
        }),
    }
}

/// `UserMFASettingList` and `PreferredMfaSetting` as a user's MFA.
pub fn user_mfa(list: &[String], preferred: Option<&str>) -> UserMfa {
    let mut enabled: Vec<Factor> = list
        .iter()
        .filter_map(|name| Factor::from_challenge(name))
        .collect();
    enabled.sort();
    enabled.dedup();
    UserMfa {
        enabled,
        preferred: preferred.and_then(Factor::from_challenge),
    }
}

impl Client {
    /// The pool's MFA.
    pub async fn pool_mfa(&self, pool_id: &str) -> Result<PoolMfa, ClientError> {
        validate::pool_id(pool_id)?;
        let out = self
            .sdk
            .get_user_pool_mfa_config()
            .user_pool_id(pool_id)
            .send()
            .await?;
        Ok(pool_mfa(&out))
    }

    /// Sets the pool's MFA to `mfa`, every block at once: SetUserPoolMfaConfig turns off
    /// a factor whose block it is not sent, so each factor `mfa` keeps is sent as it is.
    /// The SMS block carries the pool's own `sms_role` (SetUserPoolMfaConfig may set it
    /// too; sent back as it is, it changes nothing).
    pub(super) async fn set_pool_mfa(
        &self,
        pool_id: &str,
        mfa: &PoolMfa,
        sms_role: Option<sdk::SmsConfigurationType>,
    ) -> Result<(), ClientError> {
        let sms = mfa.sms.then(|| {
            sdk::SmsMfaConfigType::builder()
                .set_sms_authentication_message(mfa.sms_message.clone())
                .set_sms_configuration(sms_role)
                .build()
        });
        let email = mfa.email.as_ref().map(|e| {
            sdk::EmailMfaConfigType::builder()
                .set_subject(e.subject.clone())
                .set_message(e.message.clone())
                .build()
        });
        let software_token = mfa.software_token.then(|| {
            sdk::SoftwareTokenMfaConfigType::builder()
                .enabled(true)
                .build()
        });
        self.sdk
            .set_user_pool_mfa_config()
            .user_pool_id(pool_id)
            .mfa_configuration(sdk::UserPoolMfaType::from(mfa.enforcement.as_wire()))
            .set_sms_mfa_configuration(sms)
            .set_software_token_mfa_configuration(software_token)
            .set_email_mfa_configuration(email)
            .send()
            .await?;
        Ok(())
    }

    /// The administrator's reset of a user who lost their second factor: their
    /// authenticator is removed (AdminDeleteSoftwareToken), then the factors they had on
    /// are turned off (AdminSetUserMFAPreference), so that they set MFA up again at their
    /// next sign-in on a pool that requires it.
    pub async fn reset_mfa(
        &self,
        pool_id: &str,
        username: &str,
        had: &UserMfa,
    ) -> Result<(), ClientError> {
        validate::pool_id(pool_id)?;
        self.sdk
            .admin_delete_software_token()
            .user_pool_id(pool_id)
            .username(username)
            .send()
            .await?;
        let off = |factor: Factor| had.has(factor) || had.preferred == Some(factor);
        let mut request = self
            .sdk
            .admin_set_user_mfa_preference()
            .user_pool_id(pool_id)
            .username(username);
        if off(Factor::Sms) {
            request = request.sms_mfa_settings(
                sdk::SmsMfaSettingsType::builder()
                    .enabled(false)
                    .preferred_mfa(false)
                    .build(),
            );
        }
        if off(Factor::Email) {
            request = request.email_mfa_settings(
                sdk::EmailMfaSettingsType::builder()
                    .enabled(false)
                    .preferred_mfa(false)
                    .build(),
            );
        }
        if off(Factor::Sms) || off(Factor::Email) {
            request.send().await.map_err(|e| {
                let e = ClientError::from(e);
                ClientError {
                    message: format!(
                        "the authenticator was removed, but SMS and email MFA were not turned off: {}",
                        e.message
                    ),
                    ..e
                }
            })?;
        }
        Ok(())
    }
}
