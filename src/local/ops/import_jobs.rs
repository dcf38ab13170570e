//! CreateUserImportJob, StartUserImportJob, StopUserImportJob, DescribeUserImportJob and
//! ListUserImportJobs (`local::user_import` runs them).

use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::Context;
use crate::local::user_import::{self, describe as job_json, status, token_hash};
use crate::local::wire::error::ApiError;
use crate::local::{Store, db::pools, sign_in::tokens, wire};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateInput {
    user_pool_id: String,
    job_name: String,
    cloud_watch_logs_role_arn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JobRef {
    user_pool_id: String,
    job_id: String,
}

pub fn create(store: &Store, ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: CreateInput = wire::input(body)?;
    let now = wire::epoch(store.now());
    let token = tokens::random_token(32);
    let job_id = format!(
        "import-{}",
        &tokens::random_token(9).replace(['-', '_'], "x")[..10]
    );
    let job = store.write(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        tx.execute(
            "INSERT INTO import_jobs (job_id, pool_id, name, role_arn, status, token_hash, created)
             VALUES (?1, ?2, ?3, ?4, 'Created', ?5, ?6)",
            params![
                job_id,
                pool.id,
                input.job_name,
                input.cloud_watch_logs_role_arn,
                token_hash(&token),
                now
            ],
        )?;
        job_json(tx, &job_id, &ctx.endpoint())
    })?;
    let mut job = job;
    // The URL carries the token once, here; describing the job later shows it without.
    job["PreSignedUrl"] = json!(format!(
        "{}?token={token}",
        job["PreSignedUrl"].as_str().unwrap_or_default()
    ));
    Ok(json!({ "UserImportJob": job }))
}

pub fn start(store: &Store, ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: JobRef = wire::input(body)?;
    let now = wire::epoch(store.now());
    let job = store.write(|tx| {
        let status = status(tx, &input.user_pool_id, &input.job_id)?;
        if status != "Created" {
            return Err(ApiError::new(
                crate::local::wire::error::ErrorCode::PreconditionNotMet,
                format!("Import job is {status}; only a Created job can start."),
            ));
        }
        tx.execute(
            "UPDATE import_jobs SET status = 'InProgress', started = ?2 WHERE job_id = ?1",
            params![input.job_id, now],
        )?;
        job_json(tx, &input.job_id, &ctx.endpoint())
    })?;
    user_import::spawn(store, input.job_id.clone())?;
    let job = match store.path() {
        // In memory the job ran in `spawn`: describe it as it ended.
        None => store.read(|tx| job_json(tx, &input.job_id, &ctx.endpoint()))?,
        Some(_) => job,
    };
    Ok(json!({ "UserImportJob": job }))
}

pub fn stop(store: &Store, ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: JobRef = wire::input(body)?;
    let job = store.write(|tx| {
        let status = status(tx, &input.user_pool_id, &input.job_id)?;
        let next = match status.as_str() {
            "InProgress" | "Pending" => "Stopping",
            "Created" => "Stopped",
            other => {
                return Err(ApiError::new(
                    crate::local::wire::error::ErrorCode::PreconditionNotMet,
                    format!("Import job is {other}; it cannot be stopped."),
                ));
            }
        };
        tx.execute(
            "UPDATE import_jobs SET status = ?2 WHERE job_id = ?1",
            params![input.job_id, next],
        )?;
        job_json(tx, &input.job_id, &ctx.endpoint())
    })?;
    Ok(json!({ "UserImportJob": job }))
}

pub fn describe(store: &Store, ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: JobRef = wire::input(body)?;
    let job = store.read(|tx| {
        status(tx, &input.user_pool_id, &input.job_id)?;
        job_json(tx, &input.job_id, &ctx.endpoint())
    })?;
    Ok(json!({ "UserImportJob": job }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListInput {
    user_pool_id: String,
    max_results: i64,
    #[serde(default)]
    pagination_token: Option<String>,
}

pub fn list(store: &Store, ctx: &Context, body: &Value) -> Result<Value, ApiError> {
    let input: ListInput = wire::input(body)?;
    let after = match &input.pagination_token {
        Some(t) => wire::decode_token(t)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ApiError::invalid("Invalid PaginationToken."))?,
        None => String::new(),
    };
    store.read(|tx| {
        let pool = pools::load(tx, &input.user_pool_id)?;
        let mut stmt = tx.prepare(
            "SELECT job_id FROM import_jobs WHERE pool_id = ?1 AND job_id > ?2 ORDER BY job_id LIMIT ?3",
        )?;
        let ids: Vec<String> = stmt
            .query_map(params![pool.id, after, input.max_results + 1], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let more = ids.len() as i64 > input.max_results;
        let page = &ids[..ids.len().min(input.max_results as usize)];
        let jobs = page
            .iter()
            .map(|id| job_json(tx, id, &ctx.endpoint()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = json!({ "UserImportJobs": jobs });
        if more && let Some(last) = page.last() {
            out["PaginationToken"] = json!(wire::encode_token(&json!(last)));
        }
        Ok(out)
    })
}
