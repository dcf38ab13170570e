//! `cognito-console import`: users from a CSV (Cognito's import format) or our JSONL into
//! a pool with AdminCreateUser.
//!
//! 1. Every row is read and checked against the target pool (the username as the pool
//!    signs in, each attribute's name, format and schema, a username given twice), and
//!    every problem is listed by line before anything is written (`--dry-run` stops here).
//! 2. Users are created a few at a time at the rate the account allows: throttling slows
//!    the pace (and the row is tried again, never dropped); success speeds it up again.
//!    Invitations are suppressed unless asked for.
//! 3. Running the same import again finishes the job: a user already there with the
//!    row's attributes counts as done (and is disabled if the row says so), one with other
//!    attributes is a failure. Ctrl-C lets the calls in flight finish and stops.
//!
//! Rows that fail are written to a file in the input's own format, to import again.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use tokio::sync::Mutex;
use tokio::task::JoinSet;

use super::format::{self, Format, Record, Writer};
use super::pace::{Pace, throttled};
use super::progress::Progress;
use crate::client::Client;
use crate::pool::{
    DeliveryMedium, MessageAction, NewUser, PoolDescription, RuleError, csv_header,
    standard_attributes, validate,
};

/// How an import runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub format: Format,
    /// Check every row and stop.
    pub dry_run: bool,
    /// Send Cognito's invitation (by email and/or SMS, where the row has them).
    pub send_invitations: bool,
    /// AdminCreateUser calls in flight at once.
    pub concurrency: usize,
    /// Where failed rows go; None: beside the input, `NAME.failed.csv|jsonl`.
    pub failed_rows: Option<PathBuf>,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: u64,
    pub username: String,
    pub error: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub rows: u64,
    pub created: u64,
    /// Already in the pool with the row's attributes.
    pub present: u64,
    pub failed: Vec<Problem>,
    pub interrupted: bool,
    /// Problems found before anything was written (the import did not start).
    pub invalid: Vec<Problem>,
    pub failed_rows_file: Option<PathBuf>,
}

fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead + Send>> {
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    Ok(Box::new(std::io::BufReader::new(file)))
}

/// Every problem of one record in the target pool, in plain words.
pub fn check(record: &Record, pool: &PoolDescription) -> Vec<RuleError> {
    let mut problems = Vec::new();
    if let Err(e) = validate::username(&record.username).and_then(|()| {
        validate::username_fits_pool(
            &pool.alias_attributes,
            &pool.username_attributes,
            &record.username,
        )
    }) {
        problems.push(e);
    }
    let mut seen = std::collections::BTreeSet::new();
    for a in &record.attributes {
        if let Err(e) = validate::attribute(&a.name, &a.value) {
            problems.push(e);
            continue;
        }
        if !seen.insert(a.name.as_str()) {
            problems.push(RuleError::new(&a.name, "is given more than once"));
            continue;
        }
        let declared = pool.schema.iter().find(|s| s.name == a.name);
        match declared {
            Some(s) => {
                if let Err(e) =
                    validate::schema_value(&a.name, &a.value, &s.data_type, s.max_length)
                {
                    problems.push(e);
                }
            }
            None if !standard_attributes::is_standard_attribute(&a.name) => {
                problems.push(RuleError::new(
                    &a.name,
                    "is not an attribute of this pool (its schema does not declare it)",
                ))
            }
            None => {}
        }
    }
    problems.extend(validate::verified_flags_have_addresses(&record.attributes));
    problems
}

/// The addresses a row's user would sign in with in `pool`: an email or phone number
/// that is a username attribute, or an alias once verified, and a preferred_username
/// that is an alias.
fn sign_in_addresses(record: &Record, pool: &PoolDescription) -> Vec<(&'static str, String)> {
    let is = |list: &[String], name: &str| list.iter().any(|a| a == name);
    let verified = |flag: &str| {
        record
            .attribute(flag)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    };
    let mut out = Vec::new();
    for (name, flag) in [
        ("email", Some("email_verified")),
        ("phone_number", Some("phone_number_verified")),
        ("preferred_username", None),
    ] {
        let Some(value) = record.attribute(name) else {
            continue;
        };
        let signs_in = is(&pool.username_attributes, name)
            || (is(&pool.alias_attributes, name) && flag.is_none_or(verified));
        if signs_in {
            out.push((name, value.to_string()));
        }
    }
    out
}

/// Pass 1: every row read and checked; the problems by line, and the number of rows.
/// For Cognito's import job (`job`), each row also needs a verified email or phone: its
/// user has no password and sets one with a code sent there.
pub fn check_file(
    path: &Path,
    pool: &PoolDescription,
    format: Format,
    job: bool,
) -> anyhow::Result<(u64, Vec<Problem>)> {
    let mut problems = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut first_address: HashMap<(&'static str, String), u64> = HashMap::new();
    let mut rows = 0;
    for (line, read) in format::read(open(path)?, format) {
        rows += 1;
        let record = match read {
            Ok(r) => r,
            Err(error) => {
                problems.push(Problem {
                    line,
                    username: String::new(),
                    error,
                });
                continue;
            }
        };
        let for_job = job
            .then(|| validate::verified_address(&record.attributes).err())
            .flatten();
        for e in check(&record, pool).into_iter().chain(for_job) {
            problems.push(Problem {
                line,
                username: record.username.clone(),
                error: e.to_string(),
            });
        }
        // An address that signs in (an alias, or a username attribute) belongs to one
        // user: the second row with it would be refused (AliasExistsException) part-way
        // through the import.
        for (attribute, value) in sign_in_addresses(&record, pool) {
            let key = (attribute, value.to_lowercase());
            match first_address.get(&key) {
                Some(first) => problems.push(Problem {
                    line,
                    username: record.username.clone(),
                    error: format!(
                        "{attribute} {value} is also on line {first}: users of this pool sign \
                         in with it, so two cannot share it"
                    ),
                }),
                None => {
                    first_address.insert(key, line);
                }
            }
        }
        if let Some(first) = first_line.get(&record.username) {
            problems.push(Problem {
                line,
                username: record.username.clone(),
                error: format!("the username is also on line {first}"),
            });
        } else {
            first_line.insert(record.username.clone(), line);
        }
    }
    Ok((rows, problems))
}

/// How many of the file's users the pool has already (AdminGetUser each, a few at a
/// time, at the account's pace).
async fn already_there(
    client: &Client,
    pool_id: &str,
    path: &Path,
    format: Format,
    progress: &Progress,
) -> anyhow::Result<u64> {
    let pace = Pace::shared();
    let mut present = 0;
    let mut names =
        format::read(open(path)?, format).filter_map(|(_, r)| r.ok().map(|r| r.username));
    let mut in_flight: JoinSet<anyhow::Result<bool>> = JoinSet::new();
    loop {
        while in_flight.len() < 8 && !progress.tally().stopping() {
            let Some(name) = names.next() else { break };
            let (client, pool_id, pace) = (client.clone(), pool_id.to_string(), pace.clone());
            in_flight.spawn(async move {
                loop {
                    Pace::wait(&pace).await;
                    match client.get_user(&pool_id, &name).await {
                        Ok(_) => return Ok(true),
                        Err(e) if e.is("UserNotFoundException") => return Ok(false),
                        Err(e) if throttled(&e) => Pace::throttled(&pace).await,
                        Err(e) => return Err(anyhow::anyhow!("cannot look {name} up: {e}")),
                    }
                }
            });
        }
        let Some(done) = in_flight.join_next().await else {
            break;
        };
        present += u64::from(done??);
        progress.advance(1);
    }
    Ok(present)
}

/// What became of one row.
enum Outcome {
    Created,
    Present,
    Failed(String),
}

async fn import_one(
    client: &Client,
    pool_id: &str,
    record: &Record,
    invite: bool,
    pace: &Mutex<Pace>,
) -> Outcome {
    let mut user = NewUser {
        username: record.username.clone(),
        attributes: record.attributes.clone(),
        message_action: (!invite).then_some(MessageAction::Suppress),
        ..NewUser::default()
    };
    if invite {
        if record.attribute("email").is_some() {
            user.desired_delivery_mediums.push(DeliveryMedium::Email);
        }
        if record.attribute("phone_number").is_some() {
            user.desired_delivery_mediums.push(DeliveryMedium::Sms);
        }
    }
    let created = loop {
        Pace::wait(pace).await;
        match client.create_user(pool_id, &user).await {
            Ok(_) => {
                Pace::succeeded(pace).await;
                break true;
            }
            Err(e) if throttled(&e) => Pace::throttled(pace).await,
            Err(e) if e.is("UsernameExistsException") => break false,
            Err(e) => return Outcome::Failed(e.to_string()),
        }
    };
    if !created {
        // Already there: the same user (an earlier run of this import) or another.
        let existing = loop {
            match client.get_user(pool_id, &record.username).await {
                Ok(u) => break u,
                Err(e) if throttled(&e) => Pace::throttled(pace).await,
                Err(e) => return Outcome::Failed(e.to_string()),
            }
        };
        if let Some(a) = record
            .attributes
            .iter()
            .find(|a| existing.attribute(&a.name) != Some(a.value.as_str()))
        {
            return Outcome::Failed(format!(
                "UsernameExistsException: the pool has {} with another {}",
                record.username, a.name
            ));
        }
        if existing.enabled == record.enabled {
            return Outcome::Present;
        }
    }
    if !record.enabled {
        loop {
            match client
                .set_user_enabled(pool_id, &record.username, false)
                .await
            {
                Ok(()) => break,
                Err(e) if throttled(&e) => Pace::throttled(pace).await,
                Err(e) => return Outcome::Failed(e.to_string()),
            }
        }
    }
    if created {
        Outcome::Created
    } else {
        Outcome::Present
    }
}

/// Checks the file, then imports it (unless `dry_run`); stops early when the progress's
/// tally is asked to (Ctrl-C, the console's stop key).
pub async fn import(
    client: &Client,
    pool_id: &str,
    path: &Path,
    options: &Options,
    progress: &Progress,
) -> anyhow::Result<Summary> {
    let tally = progress.tally();
    let pool = client.describe_pool(pool_id).await?;
    let (rows, invalid) = check_file(path, &pool, options.format, false)?;
    let mut summary = Summary {
        rows,
        ..Summary::default()
    };
    if !invalid.is_empty() {
        summary.invalid = invalid;
        return Ok(summary);
    }
    if options.dry_run {
        // What a run would find already there (counted as done, not created again).
        summary.present = already_there(client, pool_id, path, options.format, progress).await?;
        return Ok(summary);
    }
    progress.expect(rows);
    let failed_path = options.failed_rows.clone().unwrap_or_else(|| {
        let ext = match options.format {
            Format::Csv => "failed.csv",
            Format::Jsonl => "failed.jsonl",
        };
        path.with_extension(ext)
    });
    let mut failed_writer: Option<Writer<std::fs::File>> = None;
    let pace = Pace::shared();
    let mut in_flight: JoinSet<(u64, Record, Outcome)> = JoinSet::new();
    let mut rows_left = format::read(open(path)?, options.format);
    let concurrency = options.concurrency.max(1);
    loop {
        while in_flight.len() < concurrency && !tally.stopping() {
            let Some((line, read)) = rows_left.next() else {
                break;
            };
            let record = match read {
                Ok(record) => record,
                // The file changed since it was checked: the row is a failure, not lost.
                Err(error) => {
                    summary.failed.push(Problem {
                        line,
                        username: String::new(),
                        error,
                    });
                    continue;
                }
            };
            let (client, pool_id, pace) = (client.clone(), pool_id.to_string(), pace.clone());
            let invite = options.send_invitations;
            in_flight.spawn(async move {
                let outcome = import_one(&client, &pool_id, &record, invite, &pace).await;
                (line, record, outcome)
            });
        }
        let Some(done) = in_flight.join_next().await else {
            break;
        };
        let (line, record, outcome) = done?;
        progress.advance(1);
        match outcome {
            Outcome::Created => summary.created += 1,
            Outcome::Present => summary.present += 1,
            Outcome::Failed(error) => {
                if failed_writer.is_none() {
                    // It holds the rows as given, emails and all: private, as exports are.
                    let file = super::export::create_private(&failed_path, true)?;
                    failed_writer = Some(match options.format {
                        Format::Csv => Writer::csv(file, csv_header::header(&pool.schema))?,
                        Format::Jsonl => Writer::jsonl(file),
                    });
                }
                if let Some(w) = failed_writer.as_mut() {
                    w.write(&record)?;
                }
                summary.failed.push(Problem {
                    line,
                    username: record.username,
                    error,
                });
            }
        }
    }
    if let Some(mut w) = failed_writer {
        w.flush()?;
        summary.failed_rows_file = Some(failed_path);
    }
    summary.interrupted = tally.stopping()
        && summary.created + summary.present + (summary.failed.len() as u64) < rows;
    summary.failed.sort_by_key(|p| p.line);
    Ok(summary)
}
