//! One file per Cognito operation. Each takes the parsed JSON body and returns the JSON
//! response or Cognito's error.

use serde_json::Value;

use crate::local::Store;
use crate::local::wire::error::ApiError;

mod admin_confirm_sign_up;
mod admin_create_user;
mod admin_delete_user;
mod admin_delete_user_attributes;
mod admin_get_user;
mod admin_initiate_auth;
mod admin_reset_user_password;
mod admin_respond_to_auth_challenge;
mod admin_set_user_enabled;
mod admin_set_user_password;
mod admin_update_user_attributes;
mod admin_user_global_sign_out;
mod client_secrets;
mod confirm_forgot_password;
mod confirm_sign_up;
mod create_user_pool;
mod create_user_pool_client;
mod delete_user_pool;
mod delete_user_pool_client;
mod describe_user_pool;
mod describe_user_pool_client;
mod domains;
mod forgot_password;
mod get_csv_header;
mod get_user;
mod group_members;
mod groups;
mod import_jobs;
mod initiate_auth;
mod list_user_pool_clients;
mod list_user_pools;
mod list_users;
mod mfa_preference;
mod own_account;
mod pool_extras;
mod resend_confirmation_code;
mod resource_servers;
mod respond_to_auth_challenge;
mod revoke_token;
pub mod scan_users;
mod sign_up;
mod software_token;
mod update_user_pool;
mod user_pool_mfa_config;
mod verify_attributes;

/// What a request carries besides its body.
#[derive(Debug, Clone)]
pub struct Context {
    /// The region new pool ids start with: the one the caller signed for, else "local".
    pub region: String,
    /// Where the caller reached the store (`http://127.0.0.1:9229`), for the URLs it
    /// hands out (an import job's upload URL); None in process.
    pub endpoint: Option<String>,
}

impl Context {
    /// The endpoint URLs are made for: the caller's, else `serve`'s default address.
    pub fn endpoint(&self) -> String {
        self.endpoint
            .clone()
            .unwrap_or_else(|| format!("http://{}", crate::local::wire::DEFAULT_LISTEN))
    }
}

impl Default for Context {
    fn default() -> Self {
        Self {
            region: "local".into(),
            endpoint: None,
        }
    }
}

pub type Operation = fn(&Store, &Context, &Value) -> Result<Value, ApiError>;

/// An operation that writes its answer's JSON itself: ListUsers, the page an export
/// asks for sixteen thousand times a million users, writes each user straight from its
/// row instead of building a JSON value first.
pub type TextOperation = fn(&Store, &Context, &Value) -> Result<String, ApiError>;

/// The operation behind an `X-Amz-Target` name, as text.
pub fn find_text(name: &str) -> Option<TextOperation> {
    match name {
        "ListUsers" => Some(list_users::run_text),
        _ => None,
    }
}

/// The operation behind an `X-Amz-Target` name.
pub fn find(name: &str) -> Option<Operation> {
    Some(match name {
        "CreateUserPool" => create_user_pool::run,
        "ListUserPools" => list_user_pools::run,
        "DescribeUserPool" => describe_user_pool::run,
        "GetCSVHeader" => get_csv_header::run,
        "UpdateUserPool" => update_user_pool::run,
        "DeleteUserPool" => delete_user_pool::run,
        "AddCustomAttributes" => pool_extras::add_custom_attributes,
        "TagResource" => pool_extras::tag,
        "UntagResource" => pool_extras::untag,
        "ListTagsForResource" => pool_extras::list_tags,
        "AdminGetUser" => admin_get_user::run,
        "AdminCreateUser" => admin_create_user::run,
        "AdminDeleteUser" => admin_delete_user::run,
        "AdminDisableUser" => admin_set_user_enabled::disable,
        "AdminEnableUser" => admin_set_user_enabled::enable,
        "AdminSetUserPassword" => admin_set_user_password::run,
        "AdminUserGlobalSignOut" => admin_user_global_sign_out::run,
        "AdminUpdateUserAttributes" => admin_update_user_attributes::run,
        "AdminDeleteUserAttributes" => admin_delete_user_attributes::run,
        "AdminResetUserPassword" => admin_reset_user_password::run,
        "ForgotPassword" => forgot_password::run,
        "ConfirmForgotPassword" => confirm_forgot_password::run,
        "SignUp" => sign_up::run,
        "ConfirmSignUp" => confirm_sign_up::run,
        "ResendConfirmationCode" => resend_confirmation_code::run,
        "AdminConfirmSignUp" => admin_confirm_sign_up::run,
        "GetUser" => get_user::run,
        "UpdateUserAttributes" => verify_attributes::update_own,
        "ChangePassword" => own_account::change_password,
        "DeleteUserAttributes" => own_account::delete_attributes,
        "DeleteUser" => own_account::delete_user,
        "GetTokensFromRefreshToken" => own_account::tokens_from_refresh,
        "SetUserSettings" => mfa_preference::settings,
        "AdminSetUserSettings" => mfa_preference::admin_settings,
        "GetUserAttributeVerificationCode" => verify_attributes::ask,
        "VerifyUserAttribute" => verify_attributes::verify,
        "GlobalSignOut" => get_user::global_sign_out,
        "RevokeToken" => revoke_token::run,
        "CreateUserImportJob" => import_jobs::create,
        "StartUserImportJob" => import_jobs::start,
        "StopUserImportJob" => import_jobs::stop,
        "DescribeUserImportJob" => import_jobs::describe,
        "ListUserImportJobs" => import_jobs::list,
        "CreateGroup" => groups::create,
        "GetGroup" => groups::get,
        "UpdateGroup" => groups::update,
        "DeleteGroup" => groups::delete,
        "ListGroups" => groups::list,
        "AdminAddUserToGroup" => group_members::add,
        "AdminRemoveUserFromGroup" => group_members::remove,
        "AdminListGroupsForUser" => group_members::groups_for_user,
        "ListUsersInGroup" => group_members::users_in_group,
        "CreateUserPoolClient" => create_user_pool_client::run,
        "DescribeUserPoolClient" => describe_user_pool_client::run,
        "UpdateUserPoolClient" => create_user_pool_client::update,
        "ListUserPoolClients" => list_user_pool_clients::run,
        "DeleteUserPoolClient" => delete_user_pool_client::run,
        "CreateUserPoolDomain" => domains::create,
        "DescribeUserPoolDomain" => domains::describe,
        "UpdateUserPoolDomain" => domains::update,
        "DeleteUserPoolDomain" => domains::delete,
        "CreateResourceServer" => resource_servers::create,
        "DescribeResourceServer" => resource_servers::describe,
        "UpdateResourceServer" => resource_servers::update,
        "DeleteResourceServer" => resource_servers::delete,
        "ListResourceServers" => resource_servers::list,
        "AddUserPoolClientSecret" => client_secrets::add,
        "ListUserPoolClientSecrets" => client_secrets::list,
        "DeleteUserPoolClientSecret" => client_secrets::delete,
        "InitiateAuth" => initiate_auth::run,
        "RespondToAuthChallenge" => respond_to_auth_challenge::run,
        "AdminInitiateAuth" => admin_initiate_auth::run,
        "AdminRespondToAuthChallenge" => admin_respond_to_auth_challenge::run,
        "SetUserPoolMfaConfig" => user_pool_mfa_config::set,
        "GetUserPoolMfaConfig" => user_pool_mfa_config::get,
        "AssociateSoftwareToken" => software_token::associate,
        "VerifySoftwareToken" => software_token::verify,
        "AdminDeleteSoftwareToken" => software_token::admin_delete,
        "SetUserMFAPreference" => mfa_preference::set,
        "AdminSetUserMFAPreference" => mfa_preference::admin_set,
        _ => return None,
    })
}

/// Every operation the store answers, for `--help` texts and tests.
pub const NAMES: &[&str] = &[
    "CreateUserPool",
    "ListUserPools",
    "DescribeUserPool",
    "GetCSVHeader",
    "UpdateUserPool",
    "DeleteUserPool",
    "AddCustomAttributes",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
    "ListUsers",
    "AdminGetUser",
    "AdminCreateUser",
    "AdminDeleteUser",
    "AdminDisableUser",
    "AdminEnableUser",
    "AdminSetUserPassword",
    "AdminUserGlobalSignOut",
    "AdminUpdateUserAttributes",
    "AdminDeleteUserAttributes",
    "AdminResetUserPassword",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "AdminConfirmSignUp",
    "GetUser",
    "UpdateUserAttributes",
    "ChangePassword",
    "DeleteUserAttributes",
    "DeleteUser",
    "GetTokensFromRefreshToken",
    "SetUserSettings",
    "AdminSetUserSettings",
    "GetUserAttributeVerificationCode",
    "VerifyUserAttribute",
    "GlobalSignOut",
    "RevokeToken",
    "CreateUserImportJob",
    "StartUserImportJob",
    "StopUserImportJob",
    "DescribeUserImportJob",
    "ListUserImportJobs",
    "CreateGroup",
    "GetGroup",
    "UpdateGroup",
    "DeleteGroup",
    "ListGroups",
    "AdminAddUserToGroup",
    "AdminRemoveUserFromGroup",
    "AdminListGroupsForUser",
    "ListUsersInGroup",
    "CreateUserPoolClient",
    "DescribeUserPoolClient",
    "UpdateUserPoolClient",
    "ListUserPoolClients",
    "DeleteUserPoolClient",
    "CreateUserPoolDomain",
    "DescribeUserPoolDomain",
    "UpdateUserPoolDomain",
    "DeleteUserPoolDomain",
    "CreateResourceServer",
    "DescribeResourceServer",
    "UpdateResourceServer",
    "DeleteResourceServer",
    "ListResourceServers",
    "AddUserPoolClientSecret",
    "ListUserPoolClientSecrets",
    "DeleteUserPoolClientSecret",
    "InitiateAuth",
    "RespondToAuthChallenge",
    "AdminInitiateAuth",
    "AdminRespondToAuthChallenge",
    "SetUserPoolMfaConfig",
    "GetUserPoolMfaConfig",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "AdminDeleteSoftwareToken",
    "SetUserMFAPreference",
    "AdminSetUserMFAPreference",
];

/// `{UserPoolId, Username}`: the input of the user operations that take nothing else.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct UserRef {
    pub user_pool_id: String,
    pub username: String,
    /// For Lambda triggers (AdminConfirmSignUp, AdminResetUserPassword); never stored.
    #[serde(default)]
    pub client_metadata: std::collections::BTreeMap<String, String>,
}

/// The app client and pool named by an operation a user calls without credentials
/// (ClientId, and SecretHash when the client has a secret).
pub(crate) fn public_client(
    tx: &rusqlite::Transaction<'_>,
    client_id: &str,
    username: &str,
    secret_hash: Option<&String>,
) -> Result<
    (
        crate::local::db::app_clients::ClientRow,
        crate::local::db::pools::PoolRow,
    ),
    ApiError,
> {
    let (client, pool) = crate::local::sign_in::checks::client_and_pool(
        tx,
        crate::local::sign_in::checks::Caller::User,
        None,
        client_id,
    )?;
    crate::local::sign_in::checks::check_secret_hash(&client, &[username], secret_hash)?;
    Ok((client, pool))
}

/// `{ClientId, Username, SecretHash}`: the input of the user operations that take
/// nothing else (ForgotPassword, ResendConfirmationCode).
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct ClientUserRef {
    pub client_id: String,
    pub username: String,
    #[serde(default)]
    pub secret_hash: Option<String>,
    /// For Lambda triggers; never stored.
    #[serde(default)]
    pub client_metadata: std::collections::BTreeMap<String, String>,
}
