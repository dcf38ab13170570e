//! `serve --credentials FILE`: every request must carry an AWS Signature Version 4 made
//! with one of the file's key pairs, as AWS requires. The signature is computed again
//! with `aws-sigv4` over the headers the caller says it signed, and compared in constant
//! time. The answers are AWS's: a missing signature is MissingAuthenticationToken, an
//! unknown key UnrecognizedClient, a wrong signature InvalidSignature.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http::HeaderMap;

use crate::local::wire::error::{ApiError, ErrorCode};

/// How far a request's X-Amz-Date may be from now, as AWS allows.
const SKEW: Duration = Duration::from_secs(15 * 60);

/// The key pairs that may call: access key id to secret.
#[derive(Clone)]
pub struct KeyPairs(HashMap<String, String>);

impl std::fmt::Debug for KeyPairs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secrets.
        f.debug_tuple("KeyPairs").field(&self.0.len()).finish()
    }
}

impl KeyPairs {
    /// Reads an aws shared-credentials file: each profile with both an
    /// `aws_access_key_id` and an `aws_secret_access_key` adds its pair.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let pairs = Self::parse(&text);
        if pairs.0.is_empty() {
            return Err(format!(
                "{} holds no profile with both aws_access_key_id and aws_secret_access_key",
                path.display()
            ));
        }
        Ok(pairs)
    }

    pub fn parse(text: &str) -> Self {
        let mut pairs = HashMap::new();
        let mut id: Option<String> = None;
        let mut secret: Option<String> = None;
        let mut finish = |id: &mut Option<String>, secret: &mut Option<String>| {
            if let (Some(i), Some(s)) = (id.take(), secret.take()) {
                pairs.insert(i, s);
            }
        };
        for line in text.lines().map(str::trim) {
            if line.starts_with('[') {
                finish(&mut id, &mut secret);
            } else if let Some((key, value)) = line.split_once('=') {
                let value = value.trim().to_string();
                match key.trim() {
                    "aws_access_key_id" => id = Some(value),
                    "aws_secret_access_key" => secret = Some(value),
                    _ => {}
                }
            }
        }
        finish(&mut id, &mut secret);
        Self(pairs)
    }

    /// Checks the request's signature, scoped to `cognito-idp` in `region`; on success,
    /// the access key id that signed it.
    pub fn verify(
        &self,
        method: &str,
        uri: &str,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
        served_region: &str,
    ) -> Result<String, ApiError> {
        let Some(authorization) = headers.get(http::header::AUTHORIZATION) else {
            return Err(ApiError::new(
                ErrorCode::MissingAuthenticationToken,
                "Missing Authentication Token",
            ));
        };
        let incomplete = |what: &str| {
            ApiError::new(
                ErrorCode::IncompleteSignature,
                format!("Authorization header requires {what}."),
            )
        };
        let authorization = authorization.to_str().map_err(|_| incomplete("text"))?;
        let fields = authorization
            .strip_prefix("AWS4-HMAC-SHA256 ")
            .ok_or_else(|| incomplete("the AWS4-HMAC-SHA256 algorithm"))?;
        let field = |name: &str| {
            fields
                .split(',')
                .map(str::trim)
                .find_map(|f| f.strip_prefix(name))
                .ok_or_else(|| incomplete(&format!("'{}' parameter", name.trim_end_matches('='))))
        };
        let credential = field("Credential=")?;
        let signed_headers = field("SignedHeaders=")?;
        let given = field("Signature=")?;
        let scope: Vec<&str> = credential.split('/').collect();
        let [key_id, _date, region, service, "aws4_request"] = scope.as_slice() else {
            return Err(incomplete(
                "a Credential of KEY/DATE/REGION/SERVICE/aws4_request",
            ));
        };
        // A signature for another service or region is no signature for this one.
        if *service != "cognito-idp" {
            return Err(ApiError::new(
                ErrorCode::InvalidSignature,
                "Credential should be scoped to correct service: 'cognito-idp'.",
            ));
        }
        if *region != served_region {
            return Err(ApiError::new(
                ErrorCode::InvalidSignature,
                format!("Credential should be scoped to a valid region, not '{region}'."),
            ));
        }
        let Some(secret) = self.0.get(*key_id) else {
            return Err(ApiError::new(
                ErrorCode::UnrecognizedClient,
                "The security token included in the request is invalid.",
            ));
        };
        let date = headers
            .get("x-amz-date")
            .and_then(|d| d.to_str().ok())
            .and_then(parse_amz_date)
            .ok_or_else(|| incomplete("a valid X-Amz-Date header"))?;
        let skew = now.duration_since(date).unwrap_or_else(|e| e.duration());
        if skew > SKEW {
            return Err(ApiError::new(
                ErrorCode::InvalidSignature,
                "Signature expired: the request's X-Amz-Date is more than 15 minutes from the server's time.",
            ));
        }
        // Sign again, over exactly the headers the caller says it signed.
        let names: Vec<&str> = signed_headers.split(';').collect();
        let mut signed: Vec<(&str, &str)> = Vec::new();
        for name in &names {
            for value in headers.get_all(*name) {
                let value = value.to_str().map_err(|_| incomplete("text headers"))?;
                signed.push((name, value));
            }
        }
        let identity: Identity = Credentials::new(*key_id, secret, None, None, "serve").into();
        let mut settings = SigningSettings::default();
        settings.excluded_headers = Some(vec![http::header::AUTHORIZATION.as_str().into()]);
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(service)
            .time(date)
            .settings(settings)
            .build()
            .map_err(|e| ApiError::new(ErrorCode::InternalError, e.to_string()))?
            .into();
        let request =
            SignableRequest::new(method, uri, signed.into_iter(), SignableBody::Bytes(body))
                .map_err(|_| incomplete("a valid request"))?;
        let expected = sign(request, &params)
            .map_err(|_| incomplete("a valid request"))?
            .signature()
            .to_string();
        if aws_lc_rs::constant_time::verify_slices_are_equal(expected.as_bytes(), given.as_bytes())
            .is_err()
        {
            return Err(ApiError::new(
                ErrorCode::InvalidSignature,
                "The request signature we calculated does not match the signature you provided. \
                 Check your AWS Secret Access Key and signing method.",
            ));
        }
        Ok((*key_id).to_string())
    }
}

/// `20261123T151500Z` (SigV4's basic ISO 8601) as a time, read by the SDK's own RFC 3339
/// parser once the separators are put back.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !text.is_ascii() {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    let parsed = aws_smithy_types::DateTime::from_str(
        &rfc3339,
        aws_smithy_types::date_time::Format::DateTime,
    )
    .ok()?;
    SystemTime::try_from(parsed).ok()
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;

    #[test]
    fn credentials_files_give_their_pairs() {
        let pairs = KeyPairs::parse(
            "[default]\naws_access_key_id = AKIDONE\naws_secret_access_key = s1\n\n\
             # a comment\n[other]\naws_secret_access_key=s2\naws_access_key_id=AKIDTWO\n\
             [half]\naws_access_key_id = AKIDHALF\n",
        );
        assert_eq!(pairs.0.len(), 2);
        assert_eq!(pairs.0["AKIDONE"], "s1");
        assert_eq!(pairs.0["AKIDTWO"], "s2");
        assert!(!format!("{pairs:?}").contains("s1"));
    }

    #[test]
    fn amz_dates() {
        let t = parse_amz_date("20261123T151500Z").unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_795_446_900
        );
        assert_eq!(parse_amz_date("19700101T000000Z"), Some(UNIX_EPOCH));
        for bad in [
            "",
            "20261123 151500Z",
            "20261323T151500Z",
            "2026112T151500Z1",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }
}
