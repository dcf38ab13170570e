//! `cognito-console groups`: a pool's groups, a line each (name, precedence, IAM role,
//! description), every page; or as the aws CLI prints `list-groups` (`--output json`).

use std::io::Write;

use anyhow::Result;
use clap::Args;

use super::output::{JsonList, Output, OutputArgs, text_line};
use crate::client::Client;
use crate::pool::group::Group;
use crate::pool::printable::field;

#[derive(Debug, Clone, Args)]
pub struct GroupsArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

fn line(g: &Group, output: Output) -> String {
    let precedence = g.precedence.map_or("-".to_string(), |p| p.to_string());
    let role = g.role_arn.as_deref().unwrap_or("-");
    let description = g.description.as_deref().unwrap_or("-");
    match output {
        Output::Text => text_line(&[&g.name, &precedence, role, description]),
        _ => format!(
            "{:<28} {:<10} {:<48} {}",
            field(&g.name),
            precedence,
            field(role),
            field(description)
        ),
    }
}

pub async fn run(client: &Client, pool: Option<&str>, args: &GroupsArgs) -> Result<()> {
    let pool_id = super::choose_pool(client, pool).await?;
    let output = args.output.output;
    let mut next = None;
    if output == Output::Json {
        let mut list = JsonList::start("Groups");
        loop {
            let page = client.groups_page(&pool_id, next).await?;
            for record in &page.records {
                list.push(record)?;
            }
            next = page.next;
            if next.is_none() {
                return list.finish();
            }
        }
    }
    if output == Output::Table {
        out!(
            "{:<28} {:<10} {:<48} {}",
            "GROUP",
            "PRECEDENCE",
            "IAM ROLE",
            "DESCRIPTION"
        );
    }
    loop {
        let page = client.list_groups(&pool_id, next).await?;
        for g in &page.groups {
            out!("{}", line(g, output));
        }
        next = page.next;
        if next.is_none() {
            return Ok(());
        }
    }
}
