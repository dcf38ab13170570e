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

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exported {
    pub users: u64,
    /// Values a spreadsheet would run as a formula (see [`formula_like`]), written as
    /// they are, or with a `'` before them when neutralised.
    pub formula_like: u64,
}

/// A value a spreadsheet opening the CSV would take for a formula: it begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, and is not simply a number (a phone number
/// such as `+15551234567` is one and stays as it is).
pub fn formula_like(value: &str) -> bool {
    let mut chars = value.chars();
    match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => {
            let rest = chars.as_str();
            rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        }
        _ => false,
    }
}

/// Writes every user of `pool_id` to `out`; returns how many.
pub async fn export(
    client: &Client,
    pool_id: &str,
    format: Format,
    out: impl Write,
    progress: &Progress,
) -> anyhow::Result<u64> {
    Ok(export_with(client, pool_id, format, false, out, progress)
        .await?
        .users)
}

/// As [`export`]; with `neutralise`, a formula-like value gets a `'` before it (a
/// spreadsheet then shows it as text, and the file no longer imports it as it was).
pub async fn export_with(
    client: &Client,
    pool_id: &str,
    format: Format,
    neutralise: bool,
    out: impl Write,
    progress: &Progress,
) -> anyhow::Result<Exported> {
    let pool = client.describe_pool(pool_id).await?;
    progress.expect(u64::try_from(pool.estimated_number_of_users).unwrap_or(0));
    let mut writer = match format {
        Format::Csv => Writer::csv(out, csv_header::header(&pool.schema))?,
        Format::Jsonl => Writer::jsonl(out),
    };
    // ListUsers' largest page; the store in this process reads 1,000 at a time.
    let mut query = UserQuery {
        limit: Some(if client.is_local() { 1000 } else { 60 }),
        ..UserQuery::default()
    };
    // The next page is asked for as soon as its token is known, so the pool's side
    // (Cognito, or the store on another thread) works while this page is written.
    let mut written = 0;
    let mut formulas = 0;
    let mut page = client.list_users(pool_id, &query).await?;
    loop {
        let next = page.next.take().map(|token| {
            query.pagination_token = Some(token);
            let (client, pool_id, query) = (client.clone(), pool_id.to_string(), query.clone());
            tokio::spawn(async move { client.list_users(&pool_id, &query).await })
        });
        for user in &page.users {
            let mut record = Record::of_user(user);
            for a in &mut record.attributes {
                if formula_like(&a.value) {
                    formulas += 1;
                    if neutralise {
                        a.value.insert(0, '\'');
                    }
                }
            }
            if formula_like(&record.username) {
                formulas += 1;
                if neutralise {
                    record.username.insert(0, '\'');
                }
            }
            writer.write(&record)?;
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
    Ok(Exported {
        users: written,
        formula_like: formulas,
    })
}

/// A writer for a terminal: each line's control characters (an escape sequence in a
/// user's name that would retitle the window or move the cursor) are shown escaped, as
/// the `users` output shows them; newlines and tabs are kept.
pub struct TerminalSafe<W: Write> {
    inner: W,
    line: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            line: Vec::new(),
        }
    }

    fn write_line(&mut self) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(&self.line);
        let safe = crate::pool::printable::lines(&text);
        self.inner.write_all(safe.as_bytes())?;
        self.line.clear();
        Ok(())
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            self.line.push(b);
            if b == b'\n' {
                self.write_line()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            self.write_line()?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_told_from_numbers() {
        for f in [
            "=HYPERLINK(\"x\")",
            "@SUM(A1)",
            "+cmd|' /C calc'!A0",
            "-1+2",
            "\tx",
            "+",
        ] {
            assert!(formula_like(f), "{f}");
        }
        for n in [
            "+15551234567",
            "-12",
            "-1.5",
            "ana@example.com",
            "",
            "plain",
        ] {
            assert!(!formula_like(n), "{n}");
        }
    }

    #[test]
    fn a_terminal_sees_control_characters_escaped() {
        let mut out = TerminalSafe::new(Vec::new());
        out.write_all(b"ana,\x1b]0;owned\x07,x\n").unwrap();
        out.write_all("b\u{9b}31m,\ttab".as_bytes()).unwrap();
        out.flush().unwrap();
        let text = String::from_utf8(out.inner).unwrap();
        assert_eq!(text, "ana,\\u{1b}]0;owned\\u{7},x\nb\\u{9b}31m,\ttab");
    }
}
