//! `cognito-console users`: a pool's users, a line each (username, enabled, status,
//! email), one page or every page; a ListUsers filter as Cognito takes it. `--mfa` adds
//! each user's MFA methods, which ListUsers does not carry: one AdminGetUser per user,
//! a few at a time.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use tokio::task::JoinSet;

use crate::client::{Client, UserQuery};
use crate::pool::mfa::UserMfa;
use crate::pool::{User, filter};

/// AdminGetUser calls in flight at once for `--mfa`.
const MFA_CALLS: usize = 8;

#[derive(Debug, Clone, Args)]
pub struct UsersArgs {
    /// A ListUsers filter, e.g. 'email ^= "diego"'.
    #[arg(long)]
    pub filter: Option<String>,

    /// Every page, not only the first.
    #[arg(long)]
    pub all: bool,

    /// Show each user's MFA methods (`*` marks the preferred one): one AdminGetUser per
    /// user, since ListUsers does not say.
    #[arg(long)]
    pub mfa: bool,
}

/// The MFA column: the methods on, the preferred one marked, or `-`.
fn mfa_column(mfa: &UserMfa) -> String {
    if mfa.enabled.is_empty() {
        return "-".into();
    }
    mfa.enabled
        .iter()
        .map(|f| {
            let star = if mfa.preferred == Some(*f) { "*" } else { "" };
            format!("{}{star}", f.challenge())
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn user_line(u: &User, mfa: Option<&UserMfa>) -> String {
    use crate::pool::printable::field;
    let mut line = format!(
        "{:<28} {:<8} {:<22} ",
        field(&u.username),
        if u.enabled { "enabled" } else { "disabled" },
        u.status.map(|s| s.as_str()).unwrap_or("-"),
    );
    if let Some(mfa) = mfa {
        line.push_str(&format!("{:<32} ", mfa_column(mfa)));
    }
    line.push_str(&field(u.attribute("email").unwrap_or("-")));
    line
}

/// Each user's MFA, in the page's order.
async fn mfa_of(client: &Client, pool_id: &str, users: &[User]) -> Result<Vec<UserMfa>> {
    let slots = Arc::new(tokio::sync::Semaphore::new(MFA_CALLS));
    let mut calls = JoinSet::new();
    for (i, user) in users.iter().enumerate() {
        let (client, pool_id, username) =
            (client.clone(), pool_id.to_string(), user.username.clone());
        let slots = Arc::clone(&slots);
        calls.spawn(async move {
            let _slot = slots.acquire_owned().await;
            (i, client.get_user(&pool_id, &username).await)
        });
    }
    let mut found = vec![UserMfa::default(); users.len()];
    while let Some(done) = calls.join_next().await {
        let (i, user) = done?;
        found[i] = user?.mfa.unwrap_or_default();
    }
    Ok(found)
}

pub async fn run(client: &Client, pool: Option<&str>, args: UsersArgs) -> Result<()> {
    let pool_id = super::choose_pool(client, pool).await?;
    let filter = match args.filter.as_deref() {
        Some(text) => filter::parse(text)?,
        None => None,
    };
    let mut query = UserQuery {
        filter,
        ..UserQuery::default()
    };
    loop {
        let page = client.list_users(&pool_id, &query).await?;
        let mfa = if args.mfa {
            Some(mfa_of(client, &pool_id, &page.users).await?)
        } else {
            None
        };
        for (i, u) in page.users.iter().enumerate() {
            out!("{}", user_line(u, mfa.as_ref().map(|m| &m[i])));
        }
        match page.next {
            Some(token) if args.all => query.pagination_token = Some(token),
            _ => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::mfa::Factor;

    #[test]
    fn the_mfa_column() {
        assert_eq!(mfa_column(&UserMfa::default()), "-");
        let mfa = UserMfa {
            enabled: vec![Factor::Sms, Factor::SoftwareToken],
            preferred: Some(Factor::SoftwareToken),
        };
        assert_eq!(mfa_column(&mfa), "SMS_MFA,SOFTWARE_TOKEN_MFA*");
    }
}
