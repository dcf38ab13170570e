//! `cognito-console pools`: the user pools, an id and a name a line.

use std::io::Write;

use anyhow::Result;

use crate::client::Client;

pub async fn run(client: &Client) -> Result<()> {
    for p in client.list_pools().await? {
        out!("{:<28} {}", p.id, p.name);
    }
    Ok(())
}
