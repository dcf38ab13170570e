//! `/login`, the managed login page: the username and password, then every challenge
//! the pool can ask in a browser (a new password with the required attributes the user
//! lacks, an MFA code from an app, SMS or email, a choice of factor, an authenticator
//! set up), each through the same sign-in code as the API. When the user is in, the
//! browser gets an hour's session and goes back to the app (`authorize::complete`).
//! Every POST must carry the CSRF token of the `XSRF-TOKEN` cookie (OAUTH-11).

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use super::authorize::{AuthRequest, check, complete};
use super::page::{self, Challenge, Form};
use super::{CSRF_COOKIE, Reply, Request, SESSION_COOKIE, base_path, internal, set_cookie};
use crate::local::Store;
use crate::local::db::oauth::{self, Session};
use crate::local::ops::{self, Context};
use crate::local::sign_in::auth::{challenge_step, hosted_password};
use crate::local::sign_in::issue::Step;
use crate::local::sign_in::tokens::random_token;
use crate::local::wire::{self, error::ApiError};
use crate::pool::Secret;
use crate::pool::oauth::SESSION_SECONDS;

/// The page's form context, and the CSRF cookie to set when the browser has none.
fn form(req: &Request, auth: &AuthRequest) -> (Form, Vec<String>) {
    let (csrf, cookies) = match req.cookie(CSRF_COOKIE).filter(|c| c.len() >= 32) {
        Some(csrf) => (csrf.to_string(), Vec::new()),
        None => {
            let csrf = random_token(32);
            let cookie = set_cookie(&base_path(&req.base), CSRF_COOKIE, &csrf, 3600);
            (csrf, vec![cookie])
        }
    };
    let form = Form {
        action: format!("{}/login?{}", base_path(&req.base), auth.raw_query),
        csrf,
        client_name: auth.client.name.clone(),
    };
    (form, cookies)
}

fn page(status: u16, html: String, cookies: Vec<String>) -> Reply {
    Reply::Page {
        status,
        html,
        cookies,
    }
}

/// GET `/login`: the sign-in form.
pub fn show(store: &Store, prefix: &str, req: &Request) -> Reply {
    let auth = match check(store, prefix, req) {
        Ok(a) => a,
        Err(reply) => return reply,
    };
    let (form, cookies) = form(req, &auth);
    page(200, page::sign_in(&form, "", None), cookies)
}

/// POST `/login`: a password, or the answer to a challenge.
pub fn submit(store: &Store, prefix: &str, req: &Request) -> Reply {
    let auth = match check(store, prefix, req) {
        Ok(a) => a,
        Err(reply) => return reply,
    };
    let (form, cookies) = form(req, &auth);
    let sent = req.form("_csrf").unwrap_or_default();
    let expected = req.cookie(CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty()
        || aws_lc_rs::constant_time::verify_slices_are_equal(sent.as_bytes(), expected.as_bytes())
            .is_err()
    {
        tracing::info!("refused a sign-in form without its CSRF token");
        let html = page::sign_in(
            &form,
            "",
            Some("This form has expired or did not come from this page. Please sign in again."),
        );
        return page(403, html, cookies);
    }
    let now = wire::epoch(store.now());
    let username = req.form("username").unwrap_or_default().trim().to_string();
    let challenge = Challenge {
        name: req.form("challenge").unwrap_or_default().to_string(),
        session: req.form("session").unwrap_or_default().to_string(),
        username: username.clone(),
    };
    let step = if challenge.name.is_empty() {
        let password = Secret::new(req.form("password").unwrap_or_default());
        hosted_password(store, &auth.client, &auth.pool, &username, &password, now)
    } else {
        answer(store, &auth, &challenge, req, now)
    };
    let step = match step {
        Ok(step) => step,
        Err(e) => return again(&auth, &form, cookies, &challenge, req, &e),
    };
    let answer = match step {
        Step::Tokens(minted) => {
            return signed_in(store, &auth, *minted, cookies, req);
        }
        other => other.finish(store, &auth.pool, &BTreeMap::new()),
    };
    match answer {
        Ok(answer) => challenge_page(store, &auth, &form, cookies, &username, &answer, None),
        Err(e) => again(&auth, &form, cookies, &challenge, req, &e),
    }
}

/// The answer to the challenge the form was for.
fn answer(
    store: &Store,
    auth: &AuthRequest,
    challenge: &Challenge,
    req: &Request,
    now: f64,
) -> Result<Step, ApiError> {
    let code = req.form("code").unwrap_or_default().trim().to_string();
    let mut responses = HashMap::from([("USERNAME".to_string(), challenge.username.clone())]);
    // The page is the client's own: it vouches with the client's secret, as an app does.
    if let Some(secret) = auth.client.secrets.first() {
        let hash = crate::pool::app_client::secret_hash(
            secret.value.expose(),
            &challenge.username,
            &auth.client.client_id,
        );
        responses.insert("SECRET_HASH".into(), hash);
    }
    let mut session = challenge.session.clone();
    match challenge.name.as_str() {
        "NEW_PASSWORD_REQUIRED" => {
            let new = req.form("new_password").unwrap_or_default();
            if new != req.form("confirm_password").unwrap_or_default() {
                return Err(ApiError::invalid("The two passwords differ."));
            }
            responses.insert("NEW_PASSWORD".into(), new.to_string());
            for (name, value) in &req.form {
                if let Some(attribute) = name.strip_prefix("attr:") {
                    responses.insert(format!("userAttributes.{attribute}"), value.clone());
                }
            }
        }
        "SMS_MFA" => {
            responses.insert("SMS_MFA_CODE".into(), code);
        }
        "EMAIL_OTP" => {
            responses.insert("EMAIL_OTP_CODE".into(), code);
        }
        "SOFTWARE_TOKEN_MFA" => {
            responses.insert("SOFTWARE_TOKEN_MFA_CODE".into(), code);
        }
        "SELECT_MFA_TYPE" => {
            let choice = req.form("answer").unwrap_or_default();
            responses.insert("ANSWER".into(), choice.to_string());
        }
        "MFA_SETUP" => {
            let verified = call(
                "VerifySoftwareToken",
                store,
                json!({"Session": session, "UserCode": code}),
            )?;
            session = verified["Session"].as_str().unwrap_or_default().to_string();
        }
        other => {
            return Err(ApiError::invalid(format!(
                "{other} is not a challenge this page answers"
            )));
        }
    }
    challenge_step(
        store,
        &auth.client,
        &auth.pool,
        &challenge.name,
        &responses,
        &session,
        now,
    )
}

/// An operation of the API, called as the page's own client.
fn call(name: &str, store: &Store, body: Value) -> Result<Value, ApiError> {
    let op = ops::find(name).ok_or_else(|| ApiError::invalid(format!("no operation {name}")))?;
    op(store, &Context::default(), &body)
}

/// In: the browser gets its session and goes back to the app.
fn signed_in(
    store: &Store,
    auth: &AuthRequest,
    minted: crate::local::sign_in::issue::Minted,
    mut cookies: Vec<String>,
    req: &Request,
) -> Reply {
    let done = (|| {
        let (sub, auth_time) = minted.signed_in(store, &auth.pool, &BTreeMap::new())?;
        let now = wire::epoch(store.now());
        let session = Session {
            sub: sub.clone(),
            auth_time,
        };
        let token = store.write(|tx| oauth::new_session(tx, &auth.pool.id, &session, now))?;
        let location = complete(store, auth, &sub, auth_time)?;
        Ok::<_, ApiError>((token, location))
    })();
    match done {
        Ok((token, location)) => {
            cookies.push(set_cookie(
                &base_path(&req.base),
                SESSION_COOKIE,
                &token,
                SESSION_SECONDS as i64,
            ));
            Reply::Redirect { location, cookies }
        }
        Err(e) => internal(&e),
    }
}

/// The page for the challenge an answer names.
fn challenge_page(
    store: &Store,
    auth: &AuthRequest,
    form: &Form,
    cookies: Vec<String>,
    username: &str,
    answer: &Value,
    text: Option<&str>,
) -> Reply {
    let name = answer["ChallengeName"].as_str().unwrap_or_default();
    let parameters = &answer["ChallengeParameters"];
    let challenge = Challenge {
        name: name.to_string(),
        session: answer["Session"].as_str().unwrap_or_default().to_string(),
        username: parameters["USER_ID_FOR_SRP"]
            .as_str()
            .unwrap_or(username)
            .to_string(),
    };
    let list = |key: &str| -> Vec<String> {
        parameters[key]
            .as_str()
            .and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
            .unwrap_or_default()
    };
    let html = match name {
        "NEW_PASSWORD_REQUIRED" => {
            let required: Vec<String> = list("requiredAttributes")
                .into_iter()
                .map(|a| a.trim_start_matches("userAttributes.").to_string())
                .collect();
            page::new_password(form, &challenge, &required, text)
        }
        "SMS_MFA" | "EMAIL_OTP" => {
            let to = parameters["CODE_DELIVERY_DESTINATION"]
                .as_str()
                .unwrap_or("you");
            let prompt = format!("We sent a code to {to}.");
            page::code(form, &challenge, &prompt, text)
        }
        "SOFTWARE_TOKEN_MFA" => page::code(
            form,
            &challenge,
            "Enter the code your authenticator app shows.",
            text,
        ),
        "SELECT_MFA_TYPE" => page::select_mfa(form, &challenge, &list("MFAS_CAN_CHOOSE"), text),
        "MFA_SETUP" => return setup_page(store, auth, form, cookies, challenge, text),
        other => page::error(&format!(
            "This pool asks for {other}, which the managed login does not answer (as Cognito's does not)."
        )),
    };
    page(200, html, cookies)
}

/// MFA_SETUP: a new secret for the user's authenticator, shown three ways.
fn setup_page(
    store: &Store,
    auth: &AuthRequest,
    form: &Form,
    cookies: Vec<String>,
    mut challenge: Challenge,
    text: Option<&str>,
) -> Reply {
    let associated = match call(
        "AssociateSoftwareToken",
        store,
        json!({"Session": challenge.session}),
    ) {
        Ok(v) => v,
        Err(e) => return internal(&e),
    };
    let secret = associated["SecretCode"].as_str().unwrap_or_default();
    challenge.session = associated["Session"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    setup_html(auth, form, cookies, &challenge, secret, text)
}

fn setup_html(
    auth: &AuthRequest,
    form: &Form,
    cookies: Vec<String>,
    challenge: &Challenge,
    secret: &str,
    text: Option<&str>,
) -> Reply {
    let uri = crate::pool::mfa::otpauth_uri(secret, &challenge.username, Some(&auth.pool.name))
        .unwrap_or_default();
    let svg = qrcode::QrCode::new(uri.as_bytes())
        .map(|q| {
            q.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .build()
        })
        .unwrap_or_default();
    let html = page::mfa_setup(form, challenge, secret, &uri, &svg, text);
    page(200, html, cookies)
}

/// The same page again, saying why: the sign-in form (the username kept), or the
/// challenge it was for (with its session, which a wrong code does not end).
fn again(
    auth: &AuthRequest,
    form: &Form,
    cookies: Vec<String>,
    challenge: &Challenge,
    req: &Request,
    e: &ApiError,
) -> Reply {
    if e.code == crate::local::wire::error::ErrorCode::InternalError {
        return internal(e);
    }
    let text = e.message.as_str();
    let expired = e.message.contains("session is expired") || e.message.contains("Invalid session");
    if challenge.name.is_empty() || expired {
        let html = page::sign_in(form, &challenge.username, Some(text));
        return page(400, html, cookies);
    }
    let html = match challenge.name.as_str() {
        "NEW_PASSWORD_REQUIRED" => {
            let required: Vec<String> = req
                .form
                .iter()
                .filter_map(|(k, _)| k.strip_prefix("attr:").map(str::to_string))
                .collect();
            page::new_password(form, challenge, &required, Some(text))
        }
        "SELECT_MFA_TYPE" => {
            let options = vec![req.form("answer").unwrap_or_default().to_string()];
            page::select_mfa(form, challenge, &options, Some(text))
        }
        "MFA_SETUP" => {
            let secret = req.form("secret").unwrap_or_default();
            return setup_html(auth, form, cookies, challenge, secret, Some(text));
        }
        _ => page::code(form, challenge, "Enter the code again.", Some(text)),
    };
    page(400, html, cookies)
}
