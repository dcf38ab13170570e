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
            if let Some(e) = after.sign_up.check().into_iter().next() {
                return Err(e.into());
            }
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

impl Client {
    /// AddCustomAttributes: `attribute` added to the pool's schema, its rules checked
    /// first. The pool as described after.
    pub async fn add_custom_attribute(
        &self,
        pool_id: &str,
        attribute: &crate::pool::sign_up::NewCustomAttribute,
    ) -> Result<PoolDescription, ClientError> {
        let pool = self.describe_pool(pool_id).await?;
        let existing: Vec<String> = pool
            .schema
            .iter()
            .filter(|a| a.name.starts_with("custom:"))
            .map(|a| a.name.clone())
            .collect();
        if let Some(e) = attribute.check(&existing).into_iter().next() {
            return Err(e.into());
        }
        let bound = |n: Option<i64>| n.map(|n| n.to_string());
        let mut item = sdk::SchemaAttributeType::builder()
            .name(&attribute.name)
            .attribute_data_type(sdk::AttributeDataType::from(attribute.data_type.as_str()))
            .mutable(attribute.mutable);
        match attribute.data_type.as_str() {
            "String" => {
                item = item.string_attribute_constraints(
                    sdk::StringAttributeConstraintsType::builder()
                        .set_min_length(bound(attribute.min))
                        .set_max_length(bound(attribute.max))
                        .build(),
                )
            }
            "Number" => {
                item = item.number_attribute_constraints(
                    sdk::NumberAttributeConstraintsType::builder()
                        .set_min_value(bound(attribute.min))
                        .set_max_value(bound(attribute.max))
                        .build(),
                )
            }
            _ => {}
        }
        self.sdk
            .add_custom_attributes()
            .user_pool_id(pool_id)
            .custom_attributes(item.build())
            .send()
            .await?;
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
    let (was, now) = (&before.sign_up, &after.sign_up);
    let verified = |email: bool, phone: bool| {
        let mut v = Vec::new();
        if email {
            v.push(sdk::VerifiedAttributeType::Email);
        }
        if phone {
            v.push(sdk::VerifiedAttributeType::PhoneNumber);
        }
        v
    };
    let auto_verified =
        if (was.verify_email, was.verify_phone) == (now.verify_email, now.verify_phone) {
            current.auto_verified_attributes.clone()
        } else {
            Some(verified(now.verify_email, now.verify_phone))
        };
    let update_settings = if (was.keep_email_until_verified, was.keep_phone_until_verified)
        == (now.keep_email_until_verified, now.keep_phone_until_verified)
    {
        current.user_attribute_update_settings.clone()
    } else {
        Some(
            sdk::UserAttributeUpdateSettingsType::builder()
                .set_attributes_require_verification_before_update(Some(verified(
                    now.keep_email_until_verified,
                    now.keep_phone_until_verified,
                )))
                .build(),
        )
    };
    let recovery = match (was.recovery == now.recovery, now.recovery) {
        (true, _) | (false, None) => current.account_recovery_setting.clone(),
        (false, Some(r)) => Some(
            sdk::AccountRecoverySettingType::builder()
                .set_recovery_mechanisms(Some(
                    r.mechanisms()
                        .iter()
                        .enumerate()
                        .filter_map(|(i, name)| {
                            sdk::RecoveryOptionType::builder()
                                .name(sdk::RecoveryOptionNameType::from(*name))
                                .priority(i as i32 + 1)
                                .build()
                                .ok()
                        })
                        .collect(),
                ))
                .build(),
        ),
    };
    let deletion = if was.deletion_protection == now.deletion_protection {
        current.deletion_protection.clone()
    } else if now.deletion_protection {
        Some(sdk::DeletionProtectionType::Active)
    } else {
        Some(sdk::DeletionProtectionType::Inactive)
    };
    request
        .user_pool_id(current.id().unwrap_or_default())
        .set_policies(policies)
        .set_admin_create_user_config(admin_create_user_config)
        .set_verification_message_template(verification)
        .set_deletion_protection(deletion)
        .set_lambda_config(if after.triggers == before.triggers {
            current.lambda_config.clone()
        } else {
            Some(super::triggers::merged(
                current.lambda_config.as_ref(),
                &before.triggers,
                &after.triggers,
            ))
        })
        .set_auto_verified_attributes(auto_verified)
        .set_sms_verification_message(current.sms_verification_message.clone())
        .set_email_verification_message(current.email_verification_message.clone())
        .set_email_verification_subject(current.email_verification_subject.clone())
        .set_sms_authentication_message(current.sms_authentication_message.clone())
        .set_user_attribute_update_settings(update_settings)
        .set_mfa_configuration(current.mfa_configuration.clone())
        .set_device_configuration(current.device_configuration.clone())
        .set_email_configuration(current.email_configuration.clone())
        .set_sms_configuration(current.sms_configuration.clone())
        .set_user_pool_tags(current.user_pool_tags.clone())
        .set_user_pool_add_ons(current.user_pool_add_ons.clone())
        .set_account_recovery_setting(recovery)
        .set_pool_name(current.name.clone())
        .set_user_pool_tier(current.user_pool_tier.clone())
        .set_key_configuration(current.key_configuration.clone())
        .set_issuer_configuration(current.issuer_configuration.clone())
        .set_acr_configuration(current.acr_configuration.clone())
}
