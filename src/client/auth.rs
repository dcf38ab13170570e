//! Signing a user in as an administrator (AdminInitiateAuth with
//! ADMIN_USER_PASSWORD_AUTH) and answering NEW_PASSWORD_REQUIRED: what the console's
//! "try sign-in" walks through. Passwords and tokens stay in [`Secret`]s.

use aws_sdk_cognitoidentityprovider::operation::admin_initiate_auth::AdminInitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::{Client, ClientError, ErrorKind};
use crate::pool::mfa::Factor;
use crate::pool::{AppClient, Attribute, Secret, app_client, validate};

/// The tokens of a finished sign-in.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub id_token: Secret,
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub expires_in: i32,
}

impl Tokens {
    /// The ID token's claims, for display: the payload decoded, not verified (the token
    /// came straight from the service over the connection that asked for it).
    pub fn id_claims(&self) -> Vec<(String, String)> {
        claims(self.id_token.expose())
    }
}

/// A JWT's payload as (claim, value) pairs sorted by claim; empty if it is not a JWT.
pub fn claims(jwt: &str) -> Vec<(String, String)> {
    let Some(payload) = jwt.split('.').nth(1) else {
        return Vec::new();
    };
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')) else {
        return Vec::new();
    };
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&bytes) else {
        return Vec::new();
    };
    // By name, whatever order the issuer wrote them in.
    let mut pairs = text_pairs(map);
    pairs.sort();
    pairs
}

/// A JSON object's members as text: strings as they are, anything else as JSON.
fn text_pairs(map: serde_json::Map<String, Value>) -> Vec<(String, String)> {
    map.into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect()
}

/// Where a sign-in stands after a call.
#[derive(Debug, Clone)]
pub enum SignIn {
    Done(Tokens),
    /// First sign-in with a temporary password: a new password (and any missing required
    /// attributes) must be given with `session`.
    NewPasswordRequired {
        session: Secret,
        /// Required attributes the user lacks, without the `userAttributes.` prefix.
        required: Vec<String>,
        /// The user's current attributes as the challenge lists them.
        attributes: Vec<Attribute>,
    },
    /// A code by `factor` (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA).
    Mfa {
        factor: Factor,
        session: Secret,
        /// Where an SMS or email code went, masked as Cognito masks it.
        destination: Option<String>,
        /// The authenticator's name, for a software token.
        device: Option<String>,
    },
    /// SELECT_MFA_TYPE: the user picks one of `factors`.
    SelectMfa {
        session: Secret,
        factors: Vec<Factor>,
    },
    /// MFA_SETUP: the pool requires MFA and the user has none it can use; `factors` are
    /// the ones the pool offers.
    MfaSetup {
        session: Secret,
        factors: Vec<Factor>,
    },
    /// A challenge the console does not answer (custom auth...), by name.
    Other(String),
}

/// A list of factors as a challenge parameter carries it (a JSON string).
fn factors(json: Option<&String>) -> Vec<Factor> {
    json.and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
        .unwrap_or_default()
        .iter()
        .filter_map(|name| Factor::from_challenge(name))
        .collect()
}

/// The app client a sign-in goes through: its id, and its secret if it has one.
#[derive(Debug, Clone)]
pub struct SignInClient {
    pub pool_id: String,
    pub client_id: String,
    pub name: String,
    pub secret: Option<Secret>,
}

impl SignInClient {
    pub fn from_app(app: &AppClient) -> Self {
        Self {
            pool_id: app.pool_id.clone(),
            client_id: app.id.clone(),
            name: app.settings.name.clone(),
            secret: app.secret.clone(),
        }
    }

    fn secret_hash(&self, username: &str) -> Option<String> {
        self.secret
            .as_ref()
            .map(|s| app_client::secret_hash(s.expose(), username, &self.client_id))
    }
}

fn parse_list(json: Option<&String>) -> Vec<String> {
    json.and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.trim_start_matches("userAttributes.").to_string())
        .collect()
}

fn parse_attributes(json: Option<&String>) -> Vec<Attribute> {
    let Some(Ok(Value::Object(map))) = json.map(|s| serde_json::from_str::<Value>(s)) else {
        return Vec::new();
    };
    text_pairs(map)
        .into_iter()
        .map(|(k, v)| Attribute::new(k, v))
        .collect()
}

fn outcome(
    challenge: Option<&ChallengeNameType>,
    session: Option<&str>,
    parameters: Option<&std::collections::HashMap<String, String>>,
    result: Option<&aws_sdk_cognitoidentityprovider::types::AuthenticationResultType>,
) -> Result<SignIn, ClientError> {
    if let Some(r) = result {
        let token = |t: Option<&str>, what: &str| {
            t.map(Secret::new).ok_or_else(|| {
                ClientError::new(
                    ErrorKind::Service,
                    format!("the sign-in returned no {what}"),
                )
            })
        };
        return Ok(SignIn::Done(Tokens {
            id_token: token(r.id_token(), "ID token")?,
            access_token: token(r.access_token(), "access token")?,
            refresh_token: r.refresh_token().map(Secret::new),
            expires_in: r.expires_in(),
        }));
    }
    match challenge {
        Some(ChallengeNameType::NewPasswordRequired) => Ok(SignIn::NewPasswordRequired {
            session: Secret::new(session.unwrap_or_default()),
            required: parse_list(parameters.and_then(|p| p.get("requiredAttributes"))),
            attributes: parse_attributes(parameters.and_then(|p| p.get("userAttributes"))),
        }),
        Some(ChallengeNameType::SelectMfaType) => Ok(SignIn::SelectMfa {
            session: Secret::new(session.unwrap_or_default()),
            factors: factors(parameters.and_then(|p| p.get("MFAS_CAN_CHOOSE"))),
        }),
        Some(ChallengeNameType::MfaSetup) => Ok(SignIn::MfaSetup {
            session: Secret::new(session.unwrap_or_default()),
            factors: factors(parameters.and_then(|p| p.get("MFAS_CAN_SETUP"))),
        }),
        Some(other) => match Factor::from_challenge(other.as_str()) {
            Some(factor) => Ok(SignIn::Mfa {
                factor,
                session: Secret::new(session.unwrap_or_default()),
                destination: parameters
                    .and_then(|p| p.get("CODE_DELIVERY_DESTINATION"))
                    .cloned(),
                device: parameters
                    .and_then(|p| p.get("FRIENDLY_DEVICE_NAME"))
                    .cloned(),
            }),
            None => Ok(SignIn::Other(other.as_str().to_string())),
        },
        None => Err(ClientError::new(
            ErrorKind::Service,
            "the sign-in returned neither tokens nor a challenge",
        )),
    }
}

impl Client {
    /// AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH.
    pub async fn admin_sign_in(
        &self,
        app: &SignInClient,
        username: &str,
        password: &Secret,
    ) -> Result<SignIn, ClientError> {
        validate::pool_id(&app.pool_id)?;
        validate::username(username)?;
        let mut request = self
            .sdk
            .admin_initiate_auth()
            .user_pool_id(&app.pool_id)
            .client_id(&app.client_id)
            .auth_flow(AuthFlowType::AdminUserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password.expose());
        if let Some(hash) = app.secret_hash(username) {
            request = request.auth_parameters("SECRET_HASH", hash);
        }
        let out: AdminInitiateAuthOutput = request.send().await?;
        outcome(
            out.challenge_name(),
            out.session(),
            out.challenge_parameters(),
            out.authentication_result(),
        )
    }

    /// AdminRespondToAuthChallenge answering NEW_PASSWORD_REQUIRED.
    pub async fn admin_set_new_password(
        &self,
        app: &SignInClient,
        username: &str,
        session: &Secret,
        new_password: &Secret,
        attributes: &[Attribute],
    ) -> Result<SignIn, ClientError> {
        let keys: Vec<String> = attributes
            .iter()
            .map(|a| format!("userAttributes.{}", a.name))
            .collect();
        let mut responses = vec![("NEW_PASSWORD", new_password.expose())];
        responses.extend(
            keys.iter()
                .map(String::as_str)
                .zip(attributes.iter().map(|a| a.value.as_str())),
        );
        self.admin_respond(
            app,
            username,
            ChallengeNameType::NewPasswordRequired,
            session,
            &responses,
        )
        .await
    }
}

impl Client {
    /// AdminRespondToAuthChallenge with the given challenge responses (and SECRET_HASH).
    async fn admin_respond(
        &self,
        app: &SignInClient,
        username: &str,
        challenge: ChallengeNameType,
        session: &Secret,
        responses: &[(&str, &str)],
    ) -> Result<SignIn, ClientError> {
        validate::pool_id(&app.pool_id)?;
        let mut request = self
            .sdk
            .admin_respond_to_auth_challenge()
            .user_pool_id(&app.pool_id)
            .client_id(&app.client_id)
            .challenge_name(challenge)
            .session(session.expose())
            .challenge_responses("USERNAME", username);
        for (key, value) in responses {
            request = request.challenge_responses(*key, *value);
        }
        if let Some(hash) = app.secret_hash(username) {
            request = request.challenge_responses("SECRET_HASH", hash);
        }
        let out = request.send().await?;
        outcome(
            out.challenge_name(),
            out.session(),
            out.challenge_parameters(),
            out.authentication_result(),
        )
    }

    /// The code of an MFA challenge.
    pub async fn admin_answer_mfa(
        &self,
        app: &SignInClient,
        username: &str,
        session: &Secret,
        factor: Factor,
        code: &Secret,
    ) -> Result<SignIn, ClientError> {
        crate::pool::mfa::check_code(factor, code.expose())?;
        let challenge = ChallengeNameType::from(factor.challenge());
        self.admin_respond(
            app,
            username,
            challenge,
            session,
            &[(factor.code_key(), code.expose())],
        )
        .await
    }

    /// SELECT_MFA_TYPE's answer.
    pub async fn admin_select_mfa(
        &self,
        app: &SignInClient,
        username: &str,
        session: &Secret,
        factor: Factor,
    ) -> Result<SignIn, ClientError> {
        let answer = [("ANSWER", factor.challenge())];
        self.admin_respond(
            app,
            username,
            ChallengeNameType::SelectMfaType,
            session,
            &answer,
        )
        .await
    }

    /// AssociateSoftwareToken inside an MFA_SETUP: the new secret, and the session for
    /// VerifySoftwareToken.
    pub async fn associate_software_token(
        &self,
        session: &Secret,
    ) -> Result<(Secret, Secret), ClientError> {
        let out = self
            .sdk
            .associate_software_token()
            .session(session.expose())
            .send()
            .await?;
        let secret = out.secret_code().map(Secret::new).ok_or_else(|| {
            ClientError::new(
                ErrorKind::Service,
                "AssociateSoftwareToken returned no secret",
            )
        })?;
        Ok((secret, Secret::new(out.session().unwrap_or_default())))
    }

    /// VerifySoftwareToken inside an MFA_SETUP: the session MFA_SETUP is answered with.
    pub async fn verify_software_token(
        &self,
        session: &Secret,
        code: &Secret,
        device: &str,
    ) -> Result<Secret, ClientError> {
        crate::pool::mfa::check_code(Factor::SoftwareToken, code.expose())?;
        let out = self
            .sdk
            .verify_software_token()
            .session(session.expose())
            .user_code(code.expose())
            .set_friendly_device_name((!device.is_empty()).then(|| device.to_string()))
            .send()
            .await?;
        Ok(Secret::new(out.session().unwrap_or_default()))
    }

    /// MFA_SETUP answered, once the authenticator is verified: the sign-in goes on.
    pub async fn admin_finish_mfa_setup(
        &self,
        app: &SignInClient,
        username: &str,
        session: &Secret,
    ) -> Result<SignIn, ClientError> {
        self.admin_respond(app, username, ChallengeNameType::MfaSetup, session, &[])
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_of_a_jwt() {
        let payload = URL_SAFE_NO_PAD.encode(r#"{"sub":"abc","exp":5,"email_verified":true}"#);
        let c = claims(&format!("e30.{payload}.sig"));
        assert_eq!(
            c,
            vec![
                ("email_verified".to_string(), "true".to_string()),
                ("exp".to_string(), "5".to_string()),
                ("sub".to_string(), "abc".to_string()),
            ]
        );
        assert!(claims("not a token").is_empty());
        assert!(claims("a.!!!.c").is_empty());
    }

    #[test]
    fn challenge_parameters() {
        assert_eq!(
            parse_list(Some(
                &r#"["userAttributes.name","userAttributes.email"]"#.to_string()
            )),
            vec!["name", "email"]
        );
        assert!(parse_list(Some(&"garbage".to_string())).is_empty());
        let attrs = parse_attributes(Some(
            &r#"{"email":"a@b.c","email_verified":"true"}"#.to_string(),
        ));
        assert_eq!(attrs.len(), 2);
    }
}
