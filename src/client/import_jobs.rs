//! Cognito's user import jobs: create one, put its CSV at the pre-signed URL, start it,
//! watch it, stop it. On the embedded store the CSV is handed to the store directly (its
//! URL names no server); elsewhere it is PUT over HTTP(S), as to S3.

use std::time::SystemTime;

use aws_sdk_cognitoidentityprovider::types as sdk;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::rt::TokioExecutor;

use super::target::InProcess;
use super::{Client, ClientError, ErrorKind, convert};
use crate::pool::validate;

/// One import job as Cognito describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportJob {
    pub id: String,
    pub name: String,
    /// Created, Pending, InProgress, Stopping, Stopped, Succeeded, Failed, Expired.
    pub status: String,
    pub imported: i64,
    pub skipped: i64,
    pub failed: i64,
    pub message: Option<String>,
    /// Where the CSV goes (with its token on creation only).
    pub upload_url: Option<String>,
    pub created: Option<SystemTime>,
}

impl ImportJob {
    /// The job has stopped moving: it will not change again.
    pub fn finished(&self) -> bool {
        matches!(
            self.status.as_str(),
            "Stopped" | "Succeeded" | "Failed" | "Expired"
        )
    }

    fn of(j: &sdk::UserImportJobType) -> Self {
        Self {
            id: j.job_id().unwrap_or_default().to_string(),
            name: j.job_name().unwrap_or_default().to_string(),
            status: j
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            imported: j.imported_users(),
            skipped: j.skipped_users(),
            failed: j.failed_users(),
            message: j.completion_message().map(str::to_string),
            upload_url: j.pre_signed_url().map(str::to_string),
            created: convert::time(j.creation_date()),
        }
    }
}

fn job(j: Option<&sdk::UserImportJobType>) -> Result<ImportJob, ClientError> {
    j.map(ImportJob::of)
        .ok_or_else(|| ClientError::new(ErrorKind::Other, "Cognito returned no import job"))
}

impl Client {
    /// CreateUserImportJob. `role_arn` is the CloudWatch Logs role Cognito logs each
    /// row's failure with (required by Cognito; the embedded store takes any ARN).
    pub async fn create_import_job(
        &self,
        pool_id: &str,
        name: &str,
        role_arn: &str,
    ) -> Result<ImportJob, ClientError> {
        validate::pool_id(pool_id)?;
        let out = self
            .sdk
            .create_user_import_job()
            .user_pool_id(pool_id)
            .job_name(name)
            .cloud_watch_logs_role_arn(role_arn)
            .send()
            .await?;
        job(out.user_import_job())
    }

    pub async fn start_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
    ) -> Result<ImportJob, ClientError> {
        let out = self
            .sdk
            .start_user_import_job()
            .user_pool_id(pool_id)
            .job_id(job_id)
            .send()
            .await?;
        job(out.user_import_job())
    }

    pub async fn describe_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
    ) -> Result<ImportJob, ClientError> {
        let out = self
            .sdk
            .describe_user_import_job()
            .user_pool_id(pool_id)
            .job_id(job_id)
            .send()
            .await?;
        job(out.user_import_job())
    }

    pub async fn stop_import_job(
        &self,
        pool_id: &str,
        job_id: &str,
    ) -> Result<ImportJob, ClientError> {
        let out = self
            .sdk
            .stop_user_import_job()
            .user_pool_id(pool_id)
            .job_id(job_id)
            .send()
            .await?;
        job(out.user_import_job())
    }

    /// Puts a job's CSV at its pre-signed URL: over HTTP(S), or to the embedded store
    /// through its connector when the URL is the store's own.
    pub async fn upload_import_csv(&self, url: &str, csv: Vec<u8>) -> Result<(), ClientError> {
        let (status, body) = match &self.in_process {
            Some(connector) if InProcess::takes(url) => connector.put(url, csv).await,
            _ => put(url, csv).await?,
        };
        refused(status, &body)
    }
}

/// PUT, as AWS's guide does with curl (`-H x-amz-server-side-encryption:aws:kms`).
async fn put(url: &str, csv: Vec<u8>) -> Result<(u16, Vec<u8>), ClientError> {
    let network = |e: &dyn std::fmt::Display| {
        ClientError::new(ErrorKind::Network, format!("cannot upload the CSV: {e}"))
    };
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)
        .map_err(|e| network(&e))?
        .https_or_http()
        .enable_http1()
        .build();
    let client: HttpClient<_, Full<bytes::Bytes>> =
        HttpClient::builder(TokioExecutor::new()).build(https);
    let request = http::Request::put(url)
        .header("x-amz-server-side-encryption", "aws:kms")
        .header("content-type", "text/csv")
        .body(Full::new(bytes::Bytes::from(csv)))
        .map_err(|e| ClientError::new(ErrorKind::Invalid, format!("bad upload URL: {e}")))?;
    let response = client.request(request).await.map_err(|e| network(&e))?;
    let status = response.status().as_u16();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .map_err(|e| network(&e))?;
    Ok((status, body))
}

/// The upload's answer: fine, or refused with the store's JSON error (Cognito's shape)
/// or S3's XML, said as it came.
fn refused(status: u16, body: &[u8]) -> Result<(), ClientError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = String::from_utf8_lossy(body);
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let message = parsed.as_ref().and_then(|v| v["message"].as_str());
    let mut error = ClientError::new(
        ErrorKind::Service,
        message
            .map(str::to_string)
            .unwrap_or_else(|| format!("the upload was refused ({status}): {text}")),
    );
    error.code = parsed
        .as_ref()
        .and_then(|v| v["__type"].as_str())
        .map(str::to_string);
    Err(error)
}

impl Client {
    /// Why each failed row of import job `job_id` failed, where the store keeps it (the
    /// local store; Cognito writes it to CloudWatch Logs instead): None elsewhere.
    pub async fn import_job_failures(
        &self,
        job_id: &str,
    ) -> Result<Option<Vec<(u64, String, String)>>, ClientError> {
        match &self.in_process {
            Some(store) => store.import_failures(job_id).await.map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_what_the_store_or_s3_said() {
        assert!(refused(200, b"").is_ok());
        let e = refused(
            400,
            br#"{"__type":"InvalidParameterException","message":"no"}"#,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "InvalidParameterException: no");
        let e = refused(403, b"<Error><Code>AccessDenied</Code></Error>").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the upload was refused (403): <Error><Code>AccessDenied</Code></Error>"
        );
    }
}
