//! Cognito's answers as it wrote them: the JSON body of a response, kept by an
//! interceptor on that one call, for `--output json` (shaped as the aws CLI prints the
//! same call) and the console's raw view. Nothing is rebuilt from the SDK's types, so a
//! member the console does not know still shows.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde_json::Value;

use super::{Client, ClientError, ErrorKind, UserQuery};
use crate::pool::filter::Filter;
use crate::pool::validate;

/// Keeps the body of the response to the call it is given to.
#[derive(Debug, Clone, Default)]
pub struct Capture(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for Capture {
    fn name(&self) -> &'static str {
        "Capture"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(bytes) = context.response().body().bytes()
            && let Ok(mut kept) = self.0.lock()
        {
            *kept = Some(bytes.to_vec());
        }
        Ok(())
    }
}

impl Capture {
    /// The body kept, as JSON.
    pub fn json(&self) -> Result<Value, ClientError> {
        let kept = self
            .0
            .lock()
            .map_err(|_| ClientError::new(ErrorKind::Other, "the kept answer was poisoned"))?
            .take();
        let bytes = kept
            .ok_or_else(|| ClientError::new(ErrorKind::Other, "the answer's body was not kept"))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| ClientError::new(ErrorKind::Other, format!("the answer is not JSON: {e}")))
    }
}

/// One page of a list, as Cognito wrote it: the records and the token for the next.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPage {
    pub records: Vec<Value>,
    pub next: Option<String>,
}

fn page(body: &Value, records: &str, token: &str) -> RawPage {
    RawPage {
        records: body
            .get(records)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        next: body.get(token).and_then(Value::as_str).map(str::to_string),
    }
}

impl Client {
    /// ListUserPools, one page of 60.
    pub async fn pools_page(&self, next: Option<String>) -> Result<RawPage, ClientError> {
        let capture = Capture::default();
        self.sdk
            .list_user_pools()
            .max_results(60)
            .set_next_token(next)
            .customize()
            .interceptor(capture.clone())
            .send()
            .await?;
        Ok(page(&capture.json()?, "UserPools", "NextToken"))
    }

    /// ListUsers, one page.
    pub async fn users_page(
        &self,
        pool_id: &str,
        query: &UserQuery,
    ) -> Result<RawPage, ClientError> {
        validate::pool_id(pool_id)?;
        let filter = query.filter.as_ref().map(Filter::to_request).transpose()?;
        let capture = Capture::default();
        self.sdk
            .list_users()
            .user_pool_id(pool_id)
            .set_filter(filter)
            .set_limit(query.limit)
            .set_pagination_token(query.pagination_token.clone())
            .set_attributes_to_get(query.attributes_to_get.clone())
            .customize()
            .interceptor(capture.clone())
            .send()
            .await?;
        Ok(page(&capture.json()?, "Users", "PaginationToken"))
    }

    /// ListGroups, one page of 60.
    pub async fn groups_page(
        &self,
        pool_id: &str,
        next: Option<String>,
    ) -> Result<RawPage, ClientError> {
        validate::pool_id(pool_id)?;
        let capture = Capture::default();
        self.sdk
            .list_groups()
            .user_pool_id(pool_id)
            .limit(60)
            .set_next_token(next)
            .customize()
            .interceptor(capture.clone())
            .send()
            .await?;
        Ok(page(&capture.json()?, "Groups", "NextToken"))
    }
}

/// What the raw view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawOf {
    User(String),
    Group(String),
    Pool,
    AppClient(String),
}

impl RawOf {
    /// What it is, for a title: "user ana".
    pub fn describe(&self) -> String {
        match self {
            RawOf::User(name) => format!("user {name}"),
            RawOf::Group(name) => format!("group {name}"),
            RawOf::Pool => "the pool".into(),
            RawOf::AppClient(id) => format!("app client {id}"),
        }
    }

    /// The call that answers it.
    pub fn operation(&self) -> &'static str {
        match self {
            RawOf::User(_) => "AdminGetUser",
            RawOf::Group(_) => "GetGroup",
            RawOf::Pool => "DescribeUserPool",
            RawOf::AppClient(_) => "DescribeUserPoolClient",
        }
    }
}

impl Client {
    /// The answer Cognito gave to the call that describes `of`, as it wrote it.
    pub async fn raw(&self, pool_id: &str, of: &RawOf) -> Result<Value, ClientError> {
        validate::pool_id(pool_id)?;
        let capture = Capture::default();
        match of {
            RawOf::User(username) => {
                self.sdk
                    .admin_get_user()
                    .user_pool_id(pool_id)
                    .username(username)
                    .customize()
                    .interceptor(capture.clone())
                    .send()
                    .await?;
            }
            RawOf::Group(name) => {
                self.sdk
                    .get_group()
                    .user_pool_id(pool_id)
                    .group_name(name)
                    .customize()
                    .interceptor(capture.clone())
                    .send()
                    .await?;
            }
            RawOf::Pool => {
                self.sdk
                    .describe_user_pool()
                    .user_pool_id(pool_id)
                    .customize()
                    .interceptor(capture.clone())
                    .send()
                    .await?;
            }
            RawOf::AppClient(client_id) => {
                self.sdk
                    .describe_user_pool_client()
                    .user_pool_id(pool_id)
                    .client_id(client_id)
                    .customize()
                    .interceptor(capture.clone())
                    .send()
                    .await?;
            }
        }
        capture.json()
    }
}
