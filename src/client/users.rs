//! User calls: create, list (one page at a time), get, delete, enable, disable, and the
//! administrator's fixes: passwords, attributes, confirmation, sign-out.

use aws_sdk_cognitoidentityprovider::types as sdk;

use super::{Client, ClientError, ErrorKind, convert};
use crate::pool::filter::Filter;
use crate::pool::user_filter::{LocalFilter, Sort};
use crate::pool::{Attribute, NewUser, Secret, User, validate};

/// One ListUsers request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserQuery {
    pub filter: Option<Filter>,
    /// 1–60; None for Cognito's default (60). The local store takes up to 1,000.
    pub limit: Option<i32>,
    pub pagination_token: Option<String>,
    pub attributes_to_get: Option<Vec<String>>,
    /// Filters ListUsers cannot do: applied to each page as it comes (in the store
    /// itself on the local store, where a page may come back short).
    pub local: LocalFilter,
    /// An order: the whole pool's, in the local store; elsewhere the caller sorts what
    /// it has (ListUsers has no order).
    pub sort: Option<Sort>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UserPage {
    pub users: Vec<User>,
    /// The token for the next page; None on the last.
    pub next: Option<String>,
    /// Users read to find these, when local filters thinned the page.
    pub scanned: Option<u64>,
}

impl Client {
    /// AdminCreateUser. The caller is expected to have checked the form with
    /// `pool::validate::new_user`; Cognito checks again either way.
    pub async fn create_user(&self, pool_id: &str, user: &NewUser) -> Result<User, ClientError> {
        validate::pool_id(pool_id)?;
        let out = self
            .sdk
            .admin_create_user()
            .user_pool_id(pool_id)
            .username(&user.username)
            .set_user_attributes(convert::to_sdk_attributes(&user.attributes))
            .set_validation_data(convert::to_sdk_attributes(&user.validation_data))
            .set_temporary_password(
                user.temporary_password
                    .as_ref()
                    .map(|p| p.expose().to_string()),
            )
            .force_alias_creation(user.force_alias_creation)
            .set_message_action(
                user.message_action
                    .map(|a| sdk::MessageActionType::from(a.as_str())),
            )
            .set_desired_delivery_mediums(if user.desired_delivery_mediums.is_empty() {
                None
            } else {
                Some(
                    user.desired_delivery_mediums
                        .iter()
                        .map(|m| sdk::DeliveryMediumType::from(m.as_str()))
                        .collect(),
                )
            })
            .set_client_metadata(if user.client_metadata.is_empty() {
                None
            } else {
                Some(user.client_metadata.clone().into_iter().collect())
            })
            .send()
            .await?;
        out.user()
            .map(convert::user)
            .ok_or_else(|| ClientError::new(ErrorKind::Other, "AdminCreateUser returned no user"))
    }

    pub async fn list_users(
        &self,
        pool_id: &str,
        query: &UserQuery,
    ) -> Result<UserPage, ClientError> {
        validate::pool_id(pool_id)?;
        // The store in this process also takes pages larger than ListUsers' 60 (up to
        // 1,000), read straight from its rows: what an export of a large pool asks.
        if let Some(store) = &self.in_process
            && (!query.local.is_empty()
                || query.sort.is_some()
                || query.limit.is_some_and(|l| l > 60))
        {
            return Ok(store.scan_users(pool_id, query).await?.0);
        }
        let filter = query.filter.as_ref().map(Filter::to_request).transpose()?;
        let out = self
            .sdk
            .list_users()
            .user_pool_id(pool_id)
            .set_filter(filter)
            .set_limit(query.limit)
            .set_pagination_token(query.pagination_token.clone())
            .set_attributes_to_get(query.attributes_to_get.clone())
            .send()
            .await?;
        let users: Vec<User> = out.users().iter().map(convert::user).collect();
        let scanned = users.len() as u64;
        let local = !query.local.is_empty();
        Ok(UserPage {
            users: users
                .into_iter()
                .filter(|u| query.local.matches(u))
                .collect(),
            next: out.pagination_token().map(str::to_string),
            scanned: local.then_some(scanned),
        })
    }

    pub async fn get_user(&self, pool_id: &str, username: &str) -> Result<User, ClientError> {
        validate::pool_id(pool_id)?;
        let out = self
            .sdk
            .admin_get_user()
            .user_pool_id(pool_id)
            .username(username)
            .send()
            .await?;
        Ok(User {
            username: out.username().to_string(),
            attributes: convert::attributes(out.user_attributes.as_deref()),
            created: convert::time(out.user_create_date()),
            last_modified: convert::time(out.user_last_modified_date()),
            enabled: out.enabled(),
            status: convert::status(out.user_status()),
            mfa: Some(super::mfa::user_mfa(
                out.user_mfa_setting_list(),
                out.preferred_mfa_setting(),
            )),
        })
    }

    pub async fn delete_user(&self, pool_id: &str, username: &str) -> Result<(), ClientError> {
        self.sdk
            .admin_delete_user()
            .user_pool_id(pool_id)
            .username(username)
            .send()
            .await?;
        Ok(())
    }

    /// AdminSetUserPassword: permanent (the user is CONFIRMED and signs in with it) or
    /// temporary (FORCE_CHANGE_PASSWORD, to be changed at the next sign-in).
    pub async fn set_user_password(
        &self,
        pool_id: &str,
        username: &str,
        password: &Secret,
        permanent: bool,
    ) -> Result<(), ClientError> {
        self.sdk
            .admin_set_user_password()
            .user_pool_id(pool_id)
            .username(username)
            .password(password.expose())
            .permanent(permanent)
            .send()
            .await?;
        Ok(())
    }

    /// AdminUserGlobalSignOut: the user's refresh tokens stop working everywhere.
    pub async fn sign_out_everywhere(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<(), ClientError> {
        self.sdk
            .admin_user_global_sign_out()
            .user_pool_id(pool_id)
            .username(username)
            .send()
            .await?;
        Ok(())
    }

    pub async fn set_user_enabled(
        &self,
        pool_id: &str,
        username: &str,
        enabled: bool,
    ) -> Result<(), ClientError> {
        if enabled {
            self.sdk
                .admin_enable_user()
                .user_pool_id(pool_id)
                .username(username)
                .send()
                .await?;
        } else {
            self.sdk
                .admin_disable_user()
                .user_pool_id(pool_id)
                .username(username)
                .send()
                .await?;
        }
        Ok(())
    }

    /// AdminResetUserPassword: the password stops working; the user is RESET_REQUIRED and
    /// is sent a code (where the pool's account recovery allows) to choose a new one.
    pub async fn reset_user_password(
        &self,
        pool_id: &str,
        username: &str,
    ) -> Result<(), ClientError> {
        self.sdk
            .admin_reset_user_password()
            .user_pool_id(pool_id)
            .username(username)
            .send()
            .await?;
        Ok(())
    }

    /// AdminConfirmSignUp: an UNCONFIRMED user (one who signed up) is CONFIRMED.
    pub async fn confirm_sign_up(&self, pool_id: &str, username: &str) -> Result<(), ClientError> {
        self.sdk
            .admin_confirm_sign_up()
            .user_pool_id(pool_id)
            .username(username)
            .send()
            .await?;
        Ok(())
    }

    /// AdminUpdateUserAttributes: sets each attribute given; an empty value removes one.
    pub async fn update_user_attributes(
        &self,
        pool_id: &str,
        username: &str,
        attributes: &[Attribute],
    ) -> Result<(), ClientError> {
        self.sdk
            .admin_update_user_attributes()
            .user_pool_id(pool_id)
            .username(username)
            .set_user_attributes(Some(
                convert::to_sdk_attributes(attributes).unwrap_or_default(),
            ))
            .send()
            .await?;
        Ok(())
    }

    /// AdminDeleteUserAttributes.
    pub async fn delete_user_attributes(
        &self,
        pool_id: &str,
        username: &str,
        names: &[String],
    ) -> Result<(), ClientError> {
        self.sdk
            .admin_delete_user_attributes()
            .user_pool_id(pool_id)
            .username(username)
            .set_user_attribute_names(Some(names.to_vec()))
            .send()
            .await?;
        Ok(())
    }
}
