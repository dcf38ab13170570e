//! A change to one user, as a value: what it calls, how it is audited and told. The
//! actions that make one are in `user_actions`; the app, the effects and the bulk jobs
//! carry it without knowing which it is.

use std::any::Any;
use std::fmt::Debug;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;

use crate::client::{Client, ClientError};
use crate::pool::audit;

/// The call a change makes, boxed so that every change has the same signature.
pub type Call<'a> = Pin<Box<dyn Future<Output = Result<(), ClientError>> + Send + 'a>>;

/// A change to one user, made once the admin has confirmed it.
pub trait ChangeToUser: Any + Debug + Send + Sync {
    /// The user it changes.
    fn username(&self) -> &str;

    /// What happened, once Cognito said yes.
    fn describe(&self) -> String;

    /// What did not happen, when Cognito refused.
    fn failed(&self) -> &'static str;

    /// Its entry in the audit log, without the pool (never a password: only that one
    /// was set).
    fn audit(&self) -> audit::Change;

    /// The call that makes it.
    fn call<'a>(&'a self, client: &'a Client, pool_id: &'a str) -> Call<'a>;

    /// The user is gone once it is made (their details close).
    fn removes_user(&self) -> bool {
        false
    }
}

/// A change to one user, as it travels from the question to the call and back with
/// its result. Cheap to clone; a password in it lives only as long as the change.
#[derive(Debug, Clone)]
pub struct UserChange(Arc<dyn ChangeToUser>);

impl UserChange {
    pub fn new(change: impl ChangeToUser) -> Self {
        Self(Arc::new(change))
    }

    /// The change, if it is a `T` (a form answers only the change it made).
    pub fn get<T: ChangeToUser>(&self) -> Option<&T> {
        (&*self.0 as &dyn Any).downcast_ref::<T>()
    }

    pub fn is<T: ChangeToUser>(&self) -> bool {
        self.get::<T>().is_some()
    }
}

impl Deref for UserChange {
    type Target = dyn ChangeToUser;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}
