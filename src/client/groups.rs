//! Group calls: list (a page at a time), create, update, delete, membership, and the
//! groups of one user (one call for that user, never one per row of a list).

use aws_sdk_cognitoidentityprovider::types as sdk;

use super::{Client, ClientError, convert};
use crate::pool::group::{self, Group, GroupPage};
use crate::pool::validate;

fn group_of(g: &sdk::GroupType) -> Group {
    Group {
        name: g.group_name().unwrap_or_default().to_string(),
        description: g.description().map(str::to_string),
        role_arn: g.role_arn().map(str::to_string),
        precedence: g.precedence().map(i64::from),
        created: convert::time(g.creation_date()),
        last_modified: convert::time(g.last_modified_date()),
    }
}

fn checked(g: &Group) -> Result<(), ClientError> {
    match group::check(g).into_iter().next() {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Precedence as the API takes it (an i32; `group::check` has held it in range).
fn precedence(g: &Group) -> Option<i32> {
    g.precedence.and_then(|p| i32::try_from(p).ok())
}

impl Client {
    /// ListGroups: one page (up to 60) from `next`.
    pub async fn list_groups(
        &self,
        pool_id: &str,
        next: Option<String>,
    ) -> Result<GroupPage, ClientError> {
        validate::pool_id(pool_id)?;
        let out = self
            .sdk
            .list_groups()
            .user_pool_id(pool_id)
            .limit(60)
            .set_next_token(next)
            .send()
            .await?;
        Ok(GroupPage {
            groups: out.groups().iter().map(group_of).collect(),
            next: out.next_token().map(str::to_string),
        })
    }

    pub async fn create_group(&self, pool_id: &str, g: &Group) -> Result<Group, ClientError> {
        checked(g)?;
        let out = self
            .sdk
            .create_group()
            .user_pool_id(pool_id)
            .group_name(&g.name)
            .set_description(g.description.clone())
            .set_role_arn(g.role_arn.clone())
            .set_precedence(precedence(g))
            .send()
            .await?;
        Ok(out.group().map_or_else(|| g.clone(), group_of))
    }

    /// UpdateGroup: description, role and precedence as given (None leaves one as is).
    pub async fn update_group(&self, pool_id: &str, g: &Group) -> Result<Group, ClientError> {
        checked(g)?;
        let out = self
            .sdk
            .update_group()
            .user_pool_id(pool_id)
            .group_name(&g.name)
            .set_description(g.description.clone())
            .set_role_arn(g.role_arn.clone())
            .set_precedence(precedence(g))
            .send()
            .await?;
        Ok(out.group().map_or_else(|| g.clone(), group_of))
    }

    pub async fn delete_group(&self, pool_id: &str, name: &str) -> Result<(), ClientError> {
        self.sdk
            .delete_group()
            .user_pool_id(pool_id)
            .group_name(name)
            .send()
            .await?;
        Ok(())
    }

    /// AdminAddUserToGroup (`add`) or AdminRemoveUserFromGroup.
    pub async fn set_membership(
        &self,
        pool_id: &str,
        username: &str,
        group_name: &str,
        add: bool,
    ) -> Result<(), ClientError> {
        if add {
            self.sdk
                .admin_add_user_to_group()
                .user_pool_id(pool_id)
                .username(username)
                .group_name(group_name)
                .send()
                .await?;
        } else {
            self.sdk
                .admin_remove_user_from_group()
                .user_pool_id(pool_id)
                .username(username)
                .group_name(group_name)
                .send()
                .await?;
        }
        Ok(())
    }

    /// AdminListGroupsForUser: one page of one user's groups.
    pub async fn groups_for_user(
        &self,
        pool_id: &str,
        username: &str,
        next: Option<String>,
    ) -> Result<GroupPage, ClientError> {
        let out = self
            .sdk
            .admin_list_groups_for_user()
            .user_pool_id(pool_id)
            .username(username)
            .limit(60)
            .set_next_token(next)
            .send()
            .await?;
        Ok(GroupPage {
            groups: out.groups().iter().map(group_of).collect(),
            next: out.next_token().map(str::to_string),
        })
    }

    /// ListUsersInGroup: one page of a group's members.
    pub async fn users_in_group(
        &self,
        pool_id: &str,
        group_name: &str,
        next: Option<String>,
    ) -> Result<super::UserPage, ClientError> {
        let out = self
            .sdk
            .list_users_in_group()
            .user_pool_id(pool_id)
            .group_name(group_name)
            .limit(60)
            .set_next_token(next)
            .send()
            .await?;
        Ok(super::UserPage {
            scanned: None,
            users: out.users().iter().map(convert::user).collect(),
            next: out.next_token().map(str::to_string),
        })
    }
}
