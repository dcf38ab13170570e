//! `cognito-console export`: every user of a pool, page by page (60 at a time, the
//! most ListUsers gives), written as they arrive, so memory stays flat on a pool of a
//! million; the next page is on its way while one is written. The client's adaptive
//! retries absorb throttling.

use std::io::Write;
use std::path::Path;

use super::format::{Format, Record, Writer};
use super::progress::Progress;
use crate::client::{Client, UserQuery};
use crate::pool::csv_header;

/// Creates `path` for an export, readable by its owner only (it holds the users'
/// details); with `replace` false an existing file is refused, never overwritten. A file
/// replaced is made private too, whatever its mode was.
pub fn create_private(path: &Path, replace: bool) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if replace {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    if replace {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Writes every user of `pool_id` to `out`; returns how many.
pub async fn export(
    client: &Client,
    pool_id: &str,
    format: Format,
    out: impl Write,
    progress: &Progress,
) -> anyhow::Result<u64> {
    let pool = client.describe_pool(pool_id).await?;
    progress.expect(u64::try_from(pool.estimated_number_of_users).unwrap_or(0));
    let mut writer = match format {
        Format::Csv => Writer::csv(out, csv_header::header(&pool.schema))?,
        Format::Jsonl => Writer::jsonl(out),
    };
    let mut query = UserQuery {
        limit: Some(60),
        ..UserQuery::default()
    };
    // The next page is asked for as soon as its token is known, so the pool's side
    // (Cognito, or the store on another thread) works while this page is written.
    let mut written = 0;
    let mut page = client.list_users(pool_id, &query).await?;
    loop {
        let next = page.next.take().map(|token| {
            query.pagination_token = Some(token);
            let (client, pool_id, query) = (client.clone(), pool_id.to_string(), query.clone());
            tokio::spawn(async move { client.list_users(&pool_id, &query).await })
        });
        for user in &page.users {
            writer.write(&Record::of_user(user))?;
        }
        written += page.users.len() as u64;
        progress.advance(page.users.len() as u64);
        match next {
            Some(task) => page = task.await??,
            None => break,
        }
    }
    writer.flush()?;
    progress.finish();
    Ok(written)
}
