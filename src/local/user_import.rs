//! Cognito's user import jobs. CreateUserImportJob gives a pre-signed URL that `serve`
//! takes the CSV at (PUT, as to S3); StartUserImportJob runs it: every row is checked as
//! AdminCreateUser would check it (username, attributes and the pool's schema, a name or
//! verified address another user has), and good rows become users in RESET_REQUIRED, with
//! no password, who set one with a reset code. Rows go in by thousands, one transaction
//! each, checked on a second thread a batch ahead of the one being written;
//! StopUserImportJob stops between them.

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::local::db::pools::PoolRow;
use crate::local::db::users::{self, UserRecord};
use crate::local::sign_in::srp::Verifier;
use crate::local::wire::error::{ApiError, ErrorCode};
use crate::local::{Store, db::attributes, db::pools, wire};
use crate::pool::csv_header::{self, USERNAME};
use crate::pool::{UserStatus, validate};

/// The address of the store reached in process (no server): its upload URLs start with
/// it, and the client hands their CSV to the store directly.
pub const IN_PROCESS: &str = "http://local.invalid";

pub use crate::pool::csv_header::MAX_CSV;
/// Rows a transaction takes: enough that an index page many of them touch (the sub and
/// email indexes take rows in random order) is written to the WAL once, few enough that
/// other writers wait about a second at most (a million rows: 87 s at 5,000 a
/// transaction, 61 s at 10,000).
const BATCH: usize = 20_000;
/// The job's own connection's page cache, at most (SQLite takes it as pages are read).
const BULK_CACHE_MB: i64 = 1024;

pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::ResourceNotFound, "Import job not found.")
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// `UserImportJobType` for a stored job.
pub fn describe(tx: &Transaction<'_>, job_id: &str, endpoint: &str) -> Result<Value, ApiError> {
    tx.prepare_cached(
        "SELECT job_id, pool_id, name, role_arn, status, created, started, completed, imported,
                skipped, failed, message FROM import_jobs WHERE job_id = ?1",
    )?
    .query_row(params![job_id], |r| {
        let id: String = r.get(0)?;
        Ok(json!({
            "JobId": id,
            "UserPoolId": r.get::<_, String>(1)?,
            "JobName": r.get::<_, String>(2)?,
            "CloudWatchLogsRoleArn": r.get::<_, String>(3)?,
            "Status": r.get::<_, String>(4)?,
            "CreationDate": r.get::<_, f64>(5)?,
            "StartDate": r.get::<_, Option<f64>>(6)?,
            "CompletionDate": r.get::<_, Option<f64>>(7)?,
            "ImportedUsers": r.get::<_, i64>(8)?,
            "SkippedUsers": r.get::<_, i64>(9)?,
            "FailedUsers": r.get::<_, i64>(10)?,
            "CompletionMessage": r.get::<_, Option<String>>(11)?,
            "PreSignedUrl": format!("{endpoint}/import/{id}"),
        }))
    })
    .optional()?
    .ok_or_else(not_found)
}

/// The job of `pool_id` named `job_id`, and its status.
pub fn status(tx: &Transaction<'_>, pool_id: &str, job_id: &str) -> Result<String, ApiError> {
    tx.prepare_cached("SELECT status FROM import_jobs WHERE job_id = ?1 AND pool_id = ?2")?
        .query_row(params![job_id, pool_id], |r| r.get(0))
        .optional()?
        .ok_or_else(not_found)
}

/// The CSV arrives at the pre-signed URL: only with the job's token, only once, only
/// before the job starts.
pub fn upload(store: &Store, job_id: &str, token: &str, csv: &[u8]) -> Result<(), ApiError> {
    store.write(|tx| {
        let row: Option<(Vec<u8>, String)> = tx
            .query_row(
                "SELECT token_hash, status FROM import_jobs WHERE job_id = ?1",
                params![job_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((hash, status)) = row else {
            return Err(not_found());
        };
        if aws_lc_rs::constant_time::verify_slices_are_equal(&hash, &token_hash(token)).is_err() {
            return Err(ApiError::new(
                ErrorCode::AccessDenied,
                "The upload URL's signature does not match.",
            ));
        }
        if status != "Created" {
            return Err(ApiError::invalid(format!(
                "The job is {status}; its CSV can no longer change."
            )));
        }
        tx.prepare_cached("UPDATE import_jobs SET csv = ?2 WHERE job_id = ?1")?
            .execute(params![job_id, csv])?;
        Ok(())
    })
}

/// A row read and checked away from the store: the line it starts on, its username, and
/// the user it makes or why it makes none.
struct Checked {
    line: u64,
    username: String,
    user: Result<(String, UserRecord), String>,
}

/// The checks that need no store (the row's shape, the username, the attributes and
/// the pool's schema), done on the job's second thread while the batch before is
/// written. `created` and `modified` are set when the row is stored.
fn check_row(
    pool: &PoolRow,
    header: &[String],
    row: &csv::StringRecord,
) -> Result<(String, UserRecord), String> {
    let (username, attrs) = csv_header::row(header, row.iter())?;
    validate::username(&username).map_err(|e| e.to_string())?;
    validate::verified_address(&attrs).map_err(|e| e.to_string())?;
    if let Some(e) = attrs
        .iter()
        .find_map(|a| validate::attribute(&a.name, &a.value).err())
    {
        return Err(e.to_string());
    }
    attributes::check_schema(&pool.settings, &attrs).map_err(|e| e.message)?;
    let key = users::username_key(&pool.settings, &username);
    let user = UserRecord {
        username,
        sub: uuid::Uuid::new_v4().to_string(),
        status: UserStatus::ResetRequired,
        enabled: true,
        created: 0.0,
        modified: 0.0,
        attributes: attrs,
        temporary_password_expires: None,
    };
    Ok((key, user))
}

/// Reads the CSV's rows and checks them, a batch at a time, handing each batch to the
/// job's writer; stops when the rows end or the writer stops taking them. Lines are
/// counted from where each record starts (the csv crate's own count is one short in a
/// CRLF file): newlines up to and including its first byte.
fn check_batches(
    mut rows: csv::StringRecordsIntoIter<&[u8]>,
    csv: &[u8],
    header: &[String],
    pool: &PoolRow,
    out: std::sync::mpsc::SyncSender<Vec<Checked>>,
) {
    let username_at = header.iter().position(|h| h == USERNAME);
    let (mut counted_to, mut newlines) = (0usize, 0u64);
    let mut line_at = |byte: u64| {
        let upto = (byte as usize + 1).min(csv.len());
        if upto > counted_to {
            newlines += csv[counted_to..upto]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            counted_to = upto;
        }
        newlines + 1
    };
    loop {
        let batch: Vec<Checked> = rows
            .by_ref()
            .take(BATCH)
            .map(|row| match row {
                Ok(row) => Checked {
                    line: row.position().map_or(0, |p| line_at(p.byte())),
                    username: username_at
                        .and_then(|i| row.get(i))
                        .unwrap_or_default()
                        .to_string(),
                    user: check_row(pool, header, &row),
                },
                Err(e) => Checked {
                    line: e.position().map_or(0, |p| line_at(p.byte())),
                    username: String::new(),
                    user: Err(format!("not a CSV row: {e}")),
                },
            })
            .collect();
        if batch.is_empty() || out.send(batch).is_err() {
            return;
        }
    }
}

/// A checked row into the store: refused when its name or an address it claims is
/// another user's. The row's problem, or None when it became a user.
fn store_row(
    tx: &Transaction<'_>,
    pool: &PoolRow,
    key: &str,
    mut user: UserRecord,
    now: f64,
) -> Result<Option<String>, ApiError> {
    let exists = || {
        format!(
            "UsernameExistsException: {} is already in the pool",
            user.username
        )
    };
    // A pool users sign in to by username alone: the key is the one name to check, and
    // the insert itself looks (ON CONFLICT DO NOTHING), one descent of the key's index
    // where a look first and an insert made two.
    let plain = pool.settings.username_attributes().is_empty()
        && pool.settings.alias_attributes().is_empty();
    if !plain && users::resolve(tx, &pool.id, &pool.settings, &user.username)?.is_some() {
        return Ok(Some(exists()));
    }
    (user.created, user.modified) = (now, now);
    if let Err(e) = attributes::claim_aliases(tx, pool, key, &user.attributes, false, now) {
        return Ok(Some(format!("{}: {}", e.code.name(), e.message)));
    }
    if !users::insert_if_new(tx, &pool.id, key, &user, &Verifier::none())? {
        return Ok(Some(exists()));
    }
    Ok(None)
}

fn finish(store: &Store, job_id: &str, status: &str, message: String) -> Result<(), ApiError> {
    let now = wire::epoch(store.now());
    store.write(|tx| {
        tx.prepare_cached(
            "UPDATE import_jobs SET status = ?2, completed = ?3, message = ?4 WHERE job_id = ?1",
        )?
        .execute(params![job_id, status, now, message])?;
        Ok(())
    })
}

/// Runs a started job to its end.
pub fn run(store: &Store, job_id: &str) -> Result<(), ApiError> {
    let (pool_id, csv): (String, Option<Vec<u8>>) = store.read(|tx| {
        Ok(tx
            .prepare_cached("SELECT pool_id, csv FROM import_jobs WHERE job_id = ?1")?
            .query_row(params![job_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
    })?;
    let Some(csv) = csv else {
        return finish(
            store,
            job_id,
            "Failed",
            "No CSV was uploaded to the job's pre-signed URL.".into(),
        );
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_slice());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            return finish(
                store,
                job_id,
                "Failed",
                format!("The CSV has no header: {e}"),
            );
        }
    };
    if !header.iter().any(|h| h == USERNAME) {
        return finish(
            store,
            job_id,
            "Failed",
            format!("The CSV header has no {USERNAME} column."),
        );
    }
    let rows = reader.into_records();
    // The pool as the job starts: its rows are checked against it on a second thread,
    // a batch ahead of the one being written. What those checks read (the schema,
    // required attributes, case sensitivity) is fixed when a pool is made; only custom
    // attributes can be added later, so a row checked against the pool as the job
    // started stays right. What can change (names and addresses other users take) is
    // looked at as each row is written.
    let snapshot = store.read(|tx| pools::load(tx, &pool_id))?;
    let (batches, checked) = std::sync::mpsc::sync_channel::<Vec<Checked>>(1);
    let stopped = std::thread::scope(|scope| {
        let (snapshot, header, csv) = (&snapshot, &header, &csv);
        scope.spawn(move || check_batches(rows, csv, header, snapshot, batches));
        for batch in checked {
            let stopping = store.read(|tx| Ok(status(tx, &pool_id, job_id)? == "Stopping"))?;
            if stopping {
                // Dropping the receiver stops the checking thread at its next batch.
                return Ok(true);
            }
            let now = wire::epoch(store.now());
            store.write(|tx| {
                let pool = pools::load(tx, &pool_id)?;
                let (mut imported, mut failed) = (0i64, 0i64);
                for Checked { line, username, user } in batch {
                    let problem = match user {
                        Ok((key, user)) => store_row(tx, &pool, &key, user, now)?,
                        Err(why) => Some(why),
                    };
                    match problem {
                        None => imported += 1,
                        Some(why) => {
                            failed += 1;
                            tracing::info!(job_id, problem = %why, "an import row failed");
                            tx.prepare_cached(
                                "INSERT OR REPLACE INTO import_job_failures (job_id, line, username, reason)
                                 VALUES (?1, ?2, ?3, ?4)",
                            )?
                            .execute(params![job_id, line as i64, username, why])?;
                        }
                    }
                }
                users::count_new(tx, &pool.id, imported)?;
                tx.prepare_cached("UPDATE import_jobs SET imported = imported + ?2, failed = failed + ?3 WHERE job_id = ?1")?.execute(params![job_id, imported, failed])?;
                Ok(())
            })?;
        }
        Ok::<_, ApiError>(false)
    });
    if stopped? {
        return finish(
            store,
            job_id,
            "Stopped",
            "Stopped by StopUserImportJob.".into(),
        );
    }
    let message = store.read(|tx| completion_message(tx, job_id))?;
    finish(store, job_id, "Succeeded", message)
}

/// Cognito's words for a finished job, and here (where there is no CloudWatch to look
/// in) the first failed row's reason, within the 128 characters a CompletionMessage has.
fn completion_message(tx: &Transaction<'_>, job_id: &str) -> Result<String, ApiError> {
    const DONE: &str = "Import Job Completed Successfully.";
    let first: Option<(i64, String, String)> = tx
        .prepare_cached(
            "SELECT line, username, reason FROM import_job_failures WHERE job_id = ?1
             ORDER BY line LIMIT 1",
        )?
        .query_row(params![job_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((line, username, reason)) = first else {
        return Ok(DONE.into());
    };
    // CompletionMessageType: 1 to 128 characters (a shape the trimmed model leaves out).
    let max = 128;
    let text = format!("{DONE} Line {line} ({username}) failed: {reason}");
    Ok(if text.chars().count() > max {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    } else {
        text
    })
}

/// Every failed row of a job: its line, username and reason, in line order.
pub fn failures(store: &Store, job_id: &str) -> Result<Vec<(u64, String, String)>, ApiError> {
    store.read(|tx| {
        let mut stmt = tx.prepare_cached(
            "SELECT line, username, reason FROM import_job_failures WHERE job_id = ?1 ORDER BY line",
        )?;
        let rows = stmt
            .query_map(params![job_id], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    })
}

/// Runs a started job on its own thread with its own connection (the store's file), or
/// here and now for an in-memory store.
pub fn spawn(store: &Store, job_id: String) -> Result<(), ApiError> {
    let Some(path) = store.path().map(PathBuf::from) else {
        return run(store, &job_id);
    };
    std::thread::spawn(move || {
        let outcome = Store::open(&path)
            .map_err(|e| ApiError::new(ErrorCode::InternalError, e.to_string()))
            .and_then(|store| store.for_bulk(BULK_CACHE_MB));
        let outcome = outcome.and_then(|store| {
            // A moment for the StartUserImportJob that spawned this to commit and answer.
            std::thread::sleep(Duration::from_millis(10));
            run(&store, &job_id).or_else(|e| finish(&store, &job_id, "Failed", e.message))
        });
        if let Err(e) = outcome {
            tracing::error!(job_id, error = %e, "the import job failed");
        }
    });
    Ok(())
}
