//! `cognito-console pools`: the user pools, an id and a name a line.

use std::io::Write;

use anyhow::Result;

use crate::client::{self, Target};

pub async fn run(target: &Target) -> Result<()> {
    let client = client::connect(target.clone()).await?;
    for p in client.list_pools().await? {
        out!("{:<28} {}", p.id, p.name);
    }
    Ok(())
}
