//! Pool calls. `update_pool` is describe -> merge -> update: UpdateUserPool resets
//! whatever it is not sent, so the client sends back every setting it did not change
//! exactly as Cognito described it.

use aws_sdk_cognitoidentityprovider::operation::update_user_pool::builders::UpdateUserPoolFluentBuilder;
use aws_sdk_cognitoidentityprovider::types as sdk;

use super::{Client, ClientError, ErrorKind, convert};
use crate::pool::{PoolConfig, PoolDescription, PoolSummary, validate};

impl Client {
    /// Every pool (ListUserPools, paged to the end: accounts hold few pools).
    pub async fn list_pools(&self) -> Result<Vec<PoolSummary>, ClientError> {
        let mut pools = Vec::new();
        let mut token = None;
        loop {
            let out = self
                .sdk
                .list_user_pools()
                .max_results(60)
                .set_next_token(token)
                .send()
                .await?;
            pools.extend(out.user_pools().iter().map(|p| PoolSummary {
                id: p.id().unwrap_or_default().to_string(),
                name: p.name().unwrap_or_default().to_string(),
                created: convert::time(p.creation_date()),
                last_modified: convert::time(p.last_modified_date()),
            }));
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(pools);
            }
        }
    }

    async fn describe_raw(&self, pool_id: &str) -> Result<sdk::UserPoolType, ClientError> {
        validate::pool_id(pool_id)?;
        let out = self
            .sdk
            .describe_user_pool()
            .user_pool_id(pool_id)
            .send()
            .await?;
        out.user_pool
            .ok_or_else(|| ClientError::new(ErrorKind::Other, "DescribeUserPool returned no pool"))
    }

    /// The pool, with its MFA (a second call, GetUserPoolMfaConfig: a pool whose MFA
    /// cannot be read is still described, and says why in `mfa_error`).
    pub async fn describe_pool(&self, pool_id: &str) -> Result<PoolDescription, ClientError> {
        let raw = self.describe_raw(pool_id).await?;
        Ok(self.with_mfa(convert::pool_description(&raw)).await)
    }

    async fn with_mfa(&self, mut pool: PoolDescription) -> PoolDescription {
        match self.pool_mfa(&pool.id).await {
            Ok(mfa) => pool.config.mfa = Some(mfa),
            Err(e) => pool.mfa_error = Some(e.to_string()),
        }
        pool
    }

    pub async fn create_pool(&self, name: &str) -> Result<PoolDescription, ClientError> {
        validate::pool_name(name)?;
        let out = self.sdk.create_user_pool().pool_name(name).send().await?;
        let pool = out
            .user_pool
            .ok_or_else(|| ClientError::new(ErrorKind::Other, "CreateUserPool returned no pool"))?;
        Ok(convert::pool_description(&pool))
    }

    /// Changes the console's settings of a pool and nothing else. `edit` sees the pool's
    /// current settings; only the parts it changes are sent changed. Returns the pool as
    /// described after the update (or as it was, if `edit` changed nothing).
    ///
    /// The pool's MFA is read fresh (GetUserPoolMfaConfig) and, if `edit` changes it,
    /// set whole with SetUserPoolMfaConfig after the rules Cognito would refuse it by are
    /// checked; the rest goes by UpdateUserPool.
    pub async fn update_pool(
        &self,
        pool_id: &str,
        edit: impl FnOnce(&mut PoolConfig),
    ) -> Result<PoolDescription, ClientError> {
        let current = self.describe_raw(pool_id).await?;
        let mut before = convert::pool_config(&current);
        before.mfa = self.pool_mfa(pool_id).await.ok();
        let mut after = before.clone();
        edit(&mut after);
        if after == before {
            return Ok(self.with_mfa(convert::pool_description(&current)).await);
        }
        let mfa_changed = after.mfa != before.mfa;
        let mut rest = after.clone();
        rest.mfa = before.mfa.clone();
        if rest != before {
            validate::password_policy(&after.password_policy)?;
            let request = merge_update(self.sdk.update_user_pool(), &current, &before, &rest);
            request.send().await?;
        }
        if let (true, Some(mfa)) = (mfa_changed, &after.mfa) {
            let facts = super::mfa::facts(&current);
            if let Some(e) = crate::pool::mfa::tier_refuses(mfa, &facts) {
                return Err(e.into());
            }
            crate::pool::mfa::check_pool(mfa, &facts)?;
            self.set_pool_mfa(pool_id, mfa, current.sms_configuration.clone())
                .await?;
        }
        self.describe_pool(pool_id).await
    }
}

/// An UpdateUserPool request that sends back every updatable setting of `current`,
/// with the console's parts replaced where `after` differs from `before`.
pub fn merge_update(
    request: UpdateUserPoolFluentBuilder,
    current: &sdk::UserPoolType,
    before: &PoolConfig,
    after: &PoolConfig,
) -> UpdateUserPoolFluentBuilder {
    let policies = if after.password_policy == before.password_policy {
        current.policies.clone()
    } else {
        let base = current
            .policies
            .clone()
            .unwrap_or_else(|| sdk::UserPoolPolicyType::builder().build());
        Some(
            sdk::UserPoolPolicyType::builder()
                .password_policy(convert::to_sdk_password_policy(&after.password_policy))
                .set_sign_in_policy(base.sign_in_policy)
                .build(),
        )
    };
    let admin_create_user_config = if after.admin_create_user == before.admin_create_user {
        current.admin_create_user_config.clone()
    } else {
        Some(convert::to_sdk_admin_create_user_config(
            &after.admin_create_user,
        ))
    };
    let verification = if after.verification == before.verification {
        current.verification_message_template.clone()
    } else {
        Some(convert::to_sdk_verification_template(&after.verification))
    };
    request
        .user_pool_id(current.id().unwrap_or_default())
        .set_policies(policies)
        .set_admin_create_user_config(admin_create_user_config)
        .set_verification_message_template(verification)
        .set_deletion_protection(current.deletion_protection.clone())
        .set_lambda_config(if after.triggers == before.triggers {
            current.lambda_config.clone()
        } else {
            Some(super::triggers::merged(
                current.lambda_config.as_ref(),
                &before.triggers,
                &after.triggers,
            ))
        })
        .set_auto_verified_attributes(current.auto_verified_attributes.clone())
        .set_sms_verification_message(current.sms_verification_message.clone())
        .set_email_verification_message(current.email_verification_message.clone())
        .set_email_verification_subject(current.email_verification_subject.clone())
        .set_sms_authentication_message(current.sms_authentication_message.clone())
        .set_user_attribute_update_settings(current.user_attribute_update_settings.clone())
        .set_mfa_configuration(current.mfa_configuration.clone())
        .set_device_configuration(current.device_configuration.clone())
        .set_email_configuration(current.email_configuration.clone())
        .set_sms_configuration(current.sms_configuration.clone())
        .set_user_pool_tags(current.user_pool_tags.clone())
        .set_user_pool_add_ons(current.user_pool_add_ons.clone())
        .set_account_recovery_setting(current.account_recovery_setting.clone())
        .set_pool_name(current.name.clone())
        .set_user_pool_tier(current.user_pool_tier.clone())
        .set_key_configuration(current.key_configuration.clone())
        .set_issuer_configuration(current.issuer_configuration.clone())
        .set_acr_configuration(current.acr_configuration.clone())
}
