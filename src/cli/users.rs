//! `cognito-console users`: a pool's users, a line each (username, enabled, status,
//! email), one page or every page; a ListUsers filter as Cognito takes it. `--mfa` adds
//! each user's MFA methods, which ListUsers does not carry: one AdminGetUser per user,
//! a few at a time. `--output json` prints them as the aws CLI prints `list-users`.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use tokio::task::JoinSet;

use super::output::{JsonList, Output, OutputArgs, text_line};
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

    #[command(flatten)]
    pub output: OutputArgs,
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

fn user_line(u: &User, mfa: Option<&UserMfa>, output: Output) -> String {
    use crate::pool::printable::field;
    let enabled = if u.enabled { "enabled" } else { "disabled" };
    let status = u.status.map(|s| s.as_str()).unwrap_or("-");
    let email = u.attribute("email").unwrap_or("-");
    if output == Output::Text {
        let mfa = mfa.map(mfa_column);
        let mut fields = vec![u.username.as_str(), enabled, status];
        fields.extend(mfa.as_deref());
        fields.push(email);
        return text_line(&fields);
    }
    let mut line = format!("{:<28} {:<8} {:<22} ", field(&u.username), enabled, status,);
    if let Some(mfa) = mfa {
        line.push_str(&format!("{:<32} ", mfa_column(mfa)));
    }
    line.push_str(&field(email));
    line
}

/// The header of the table: the columns `user_line` writes.
fn header(mfa: bool) -> String {
    let mut line = format!("{:<28} {:<8} {:<22} ", "USERNAME", "ENABLED", "STATUS");
    if mfa {
        line.push_str(&format!("{:<32} ", "MFA"));
    }
    line.push_str("EMAIL");
    line
}

/// Every user the query selects (every page with `all`), as the aws CLI prints
/// `list-users`: one document, Cognito's members as it wrote them.
async fn json(client: &Client, pool_id: &str, mut query: UserQuery, all: bool) -> Result<()> {
    let mut list = JsonList::start("Users");
    loop {
        let page = client.users_page(pool_id, &query).await?;
        for record in &page.records {
            list.push(record)?;
        }
        match page.next {
            Some(token) if all => query.pagination_token = Some(token),
            Some(token) => return list.finish_with(Some(("PaginationToken", &token))),
            None => return list.finish(),
        }
    }
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
    let output = args.output.output;
    if output == Output::Json {
        if args.mfa {
            anyhow::bail!(
                "--mfa is not part of list-users' JSON: use --output table or text with it"
            );
        }
        return json(client, &pool_id, query, args.all).await;
    }
    if output == Output::Table {
        out!("{}", header(args.mfa));
    }
    loop {
        let page = client.list_users(&pool_id, &query).await?;
        let mfa = if args.mfa {
            Some(mfa_of(client, &pool_id, &page.users).await?)
        } else {
            None
        };
        for (i, u) in page.users.iter().enumerate() {
            out!("{}", user_line(u, mfa.as_ref().map(|m| &m[i]), output));
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
