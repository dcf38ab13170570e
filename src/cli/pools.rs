//! `cognito-console pools`: the user pools: an id and a name a line, or as the aws CLI
//! prints `list-user-pools` (`--output json`).

use std::io::Write;

use anyhow::Result;
use clap::Args;

use super::output::{JsonList, Output, OutputArgs, text_line};
use crate::client::Client;

#[derive(Debug, Clone, Args)]
pub struct PoolsArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn run(client: &Client, args: &PoolsArgs) -> Result<()> {
    if args.output.output == Output::Json {
        let mut list = JsonList::start("UserPools");
        let mut next = None;
        loop {
            let page = client.pools_page(next).await?;
            for record in &page.records {
                list.push(record)?;
            }
            next = page.next;
            if next.is_none() {
                return list.finish();
            }
        }
    }
    let pools = client.list_pools().await?;
    if args.output.output == Output::Table {
        out!("{:<28} {}", "ID", "NAME");
    }
    for p in pools {
        match args.output.output {
            Output::Text => out!("{}", text_line(&[&p.id, &p.name])),
            _ => out!("{:<28} {}", p.id, crate::pool::printable::field(&p.name)),
        }
    }
    Ok(())
}
