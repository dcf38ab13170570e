//! `cognito-console users`: a pool's users, a line each (username, enabled, status,
//! email), one page or every page; a ListUsers filter as Cognito takes it.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use crate::client::{self, Target, UserQuery};
use crate::pool::{User, filter};

#[derive(Debug, Clone, Args)]
pub struct UsersArgs {
    /// A ListUsers filter, e.g. 'email ^= "diego"'.
    #[arg(long)]
    pub filter: Option<String>,

    /// Every page, not only the first.
    #[arg(long)]
    pub all: bool,
}

fn user_line(u: &User) -> String {
    use crate::pool::printable::field;
    format!(
        "{:<28} {:<8} {:<22} {}",
        field(&u.username),
        if u.enabled { "enabled" } else { "disabled" },
        u.status.map(|s| s.as_str()).unwrap_or("-"),
        field(u.attribute("email").unwrap_or("-")),
    )
}

pub async fn run(target: &Target, pool: Option<&str>, args: UsersArgs) -> Result<()> {
    let client = client::connect(target.clone()).await?;
    let pool_id = super::choose_pool(&client, pool).await?;
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
        for u in &page.users {
            out!("{}", user_line(u));
        }
        match page.next {
            Some(token) if args.all => query.pagination_token = Some(token),
            _ => return Ok(()),
        }
    }
}
