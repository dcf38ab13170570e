//! OAuth 2.0 as a user pool has it: its prefix domain, its resource servers and their
//! custom scopes, an app client's OAuth members, the scopes a request is granted, PKCE,
//! and the attributes each scope lets the ID token and userInfo carry. Pure rules;
//! docs/documented-rules.md OAUTH-1 to OAUTH-12.

use std::collections::BTreeSet;

use aws_lc_rs::digest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::rule::RuleError;

/// The scopes every pool knows; custom scopes are `<identifier>/<scope name>`.
pub const STANDARD_SCOPES: [&str; 5] = [
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// The grants a client may allow (`OAuthFlowType`).
pub const FLOWS: [&str; 3] = ["code", "implicit", "client_credentials"];

/// Words a prefix domain may not contain anywhere (OAUTH-1).
const RESERVED: [&str; 3] = ["aws", "amazon", "cognito"];

/// An authorization code lives five minutes and is good once (OAUTH-7).
pub const CODE_SECONDS: f64 = 300.0;

/// The managed login's session lasts an hour (OAUTH-10).
pub const SESSION_SECONDS: f64 = 3600.0;

/// A prefix domain: 1 to 63 lowercase letters, digits and hyphens, not starting or
/// ending with a hyphen, and none of Cognito's reserved words.
pub fn domain_prefix(domain: &str) -> Result<(), RuleError> {
    let bytes = domain.as_bytes();
    let valid = (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-');
    if !valid {
        return Err(RuleError::new(
            "Domain",
            "The domain name contains an invalid character. Domain names can only contain \
             lower-case letters, numbers, and hyphens. Please enter a different name that \
             follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$",
        ));
    }
    if let Some(word) = RESERVED.iter().find(|w| domain.contains(*w)) {
        return Err(RuleError::new(
            "Domain",
            format!("Domain cannot contain reserved word: {word}"),
        ));
    }
    Ok(())
}

/// A resource server's scope, as the pool keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Scope {
    pub scope_name: String,
    pub scope_description: String,
}

/// A resource server's scopes: each name once, at most 100 (OAUTH-3). Lengths and
/// patterns are the service model's, checked at the door.
pub fn resource_server_scopes(scopes: &[Scope]) -> Result<(), RuleError> {
    if scopes.len() > 100 {
        return Err(RuleError::new(
            "Scopes",
            "a resource server has at most 100 scopes",
        ));
    }
    let mut seen = BTreeSet::new();
    for s in scopes {
        if !seen.insert(s.scope_name.as_str()) {
            return Err(RuleError::new(
                "Scopes",
                format!("the scope {} is given twice", s.scope_name),
            ));
        }
    }
    Ok(())
}

/// Why a client's OAuth members are refused, as the exception Cognito raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientRefusal {
    /// InvalidOAuthFlowException.
    Flow(String),
    /// ScopeDoesNotExistException.
    Scope(String),
    /// InvalidParameterException.
    Parameter(RuleError),
}

/// An app client's OAuth members checked as Cognito checks them (OAUTH-4): client
/// credentials alone, with a secret and custom scopes only; every scope standard or a
/// resource server's (`custom`: the pool's `identifier/name` scopes); the default
/// redirect among the callback URLs.
pub fn client_members(
    flows: &[String],
    scopes: &[String],
    callbacks: &[String],
    default_redirect: Option<&str>,
    has_secret: bool,
    custom: &BTreeSet<String>,
) -> Result<(), ClientRefusal> {
    if let Some(bad) = flows.iter().find(|f| !FLOWS.contains(&f.as_str())) {
        return Err(ClientRefusal::Parameter(RuleError::new(
            "AllowedOAuthFlows",
            format!(
                "1 validation error detected: Value '[{bad}]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]"
            ),
        )));
    }
    let credentials = flows.iter().any(|f| f == "client_credentials");
    if credentials && flows.iter().any(|f| f != "client_credentials") {
        return Err(ClientRefusal::Flow(
            "client_credentials flow can not be selected along with code flow or implicit flow."
                .into(),
        ));
    }
    if credentials && !has_secret {
        return Err(ClientRefusal::Flow(
            "client_credentials flow can not be selected if client does not have a client secret."
                .into(),
        ));
    }
    for scope in scopes {
        let standard = STANDARD_SCOPES.contains(&scope.as_str());
        if !standard && !custom.contains(scope) {
            return Err(ClientRefusal::Scope(format!(
                "Invalid scope requested: {scope}"
            )));
        }
        if credentials && standard {
            return Err(ClientRefusal::Flow(format!(
                "{scope} is not supported with client_credentials flow"
            )));
        }
    }
    if let Some(uri) = default_redirect
        && !callbacks.iter().any(|c| c == uri)
    {
        return Err(ClientRefusal::Parameter(RuleError::new(
            "DefaultRedirectURI",
            format!("{uri} must be one of the client's CallbackURLs"),
        )));
    }
    Ok(())
}

/// The scopes an authorization request is granted: those it asks for (all the client's
/// when it asks for none), each allowed to the client; `phone`, `email` and `profile`
/// only with `openid` (OAUTH-6). None is `invalid_scope`.
pub fn granted(requested: Option<&str>, allowed: &[String]) -> Option<Vec<String>> {
    let asked: Vec<String> = match requested.map(str::trim).filter(|s| !s.is_empty()) {
        None => allowed.to_vec(),
        Some(text) => text.split_whitespace().map(str::to_string).collect(),
    };
    let mut out: Vec<String> = Vec::new();
    for scope in asked {
        if !allowed.contains(&scope) {
            return None;
        }
        if !out.contains(&scope) {
            out.push(scope);
        }
    }
    let openid = out.iter().any(|s| s == "openid");
    if out.is_empty()
        || (!openid
            && out
                .iter()
                .any(|s| ["phone", "email", "profile"].contains(&s.as_str())))
    {
        return None;
    }
    Some(out)
}

/// `client_credentials`: the custom scopes asked for that the client allows (all it
/// allows when none are asked); None is `invalid_scope` when none remain (OAUTH-8).
pub fn granted_to_client(requested: Option<&str>, allowed: &[String]) -> Option<Vec<String>> {
    let out: Vec<String> = match requested.map(str::trim).filter(|s| !s.is_empty()) {
        None => allowed.to_vec(),
        Some(text) => text
            .split_whitespace()
            .filter(|s| allowed.iter().any(|a| a == s))
            .map(str::to_string)
            .collect(),
    };
    (!out.is_empty()).then_some(out)
}

/// PKCE: `BASE64URL(SHA256(verifier)) == challenge`; Cognito supports only S256.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let valid_verifier = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if !valid_verifier {
        return false;
    }
    let digest = digest::digest(&digest::SHA256, verifier.as_bytes());
    let computed = URL_SAFE_NO_PAD.encode(digest.as_ref());
    aws_lc_rs::constant_time::verify_slices_are_equal(computed.as_bytes(), challenge.as_bytes())
        .is_ok()
}

/// The standard attributes the `profile` scope opens (OIDC's profile claims).
const PROFILE: [&str; 14] = [
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
];

/// Whether the granted scopes let the ID token and userInfo carry `attribute`: all of
/// them with `openid` alone; otherwise those the `email`, `phone` and `profile` scopes
/// name (custom attributes with `profile`) (OAUTH-9). `sub` always.
pub fn scope_shows(scopes: &[String], attribute: &str) -> bool {
    let has = |s: &str| scopes.iter().any(|x| x == s);
    let narrowed = has("email") || has("phone") || has("profile");
    if attribute == "sub" || !narrowed {
        return true;
    }
    match attribute {
        "email" | "email_verified" => has("email"),
        "phone_number" | "phone_number_verified" => has("phone"),
        a if a.starts_with("custom:") || PROFILE.contains(&a) => has("profile"),
        _ => false,
    }
}

/// Whether `uri` is exactly one of `registered` (no normalising: a trailing slash, a
/// port or a scheme's case all count).
pub fn registered(uri: &str, registered: &[String]) -> bool {
    registered.iter().any(|r| r == uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn prefixes_are_lowercase_words_without_cognitos_names() {
        for ok in ["my-app", "a", "x1-2y", &"a".repeat(63)] {
            assert!(domain_prefix(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-a", "a-", "My", "a.b", "a_b", &"a".repeat(64)] {
            assert!(domain_prefix(bad).is_err(), "{bad}");
        }
        assert_eq!(
            domain_prefix("newcognito").unwrap_err().rule,
            "Domain cannot contain reserved word: cognito"
        );
        assert!(domain_prefix("my-aws-app").is_err());
    }

    #[test]
    fn client_credentials_stand_alone_with_a_secret_and_custom_scopes() {
        let custom: BTreeSet<String> = ["api/read".to_string()].into();
        let cc = strings(&["client_credentials"]);
        let read = strings(&["api/read"]);
        assert!(client_members(&cc, &read, &[], None, true, &custom).is_ok());
        assert!(matches!(
            client_members(
                &strings(&["client_credentials", "code"]),
                &read,
                &[],
                None,
                true,
                &custom
            ),
            Err(ClientRefusal::Flow(_))
        ));
        assert!(matches!(
            client_members(&cc, &read, &[], None, false, &custom),
            Err(ClientRefusal::Flow(_))
        ));
        assert_eq!(
            client_members(&cc, &strings(&["openid"]), &[], None, true, &custom),
            Err(ClientRefusal::Flow(
                "openid is not supported with client_credentials flow".into()
            ))
        );
        assert_eq!(
            client_members(
                &strings(&["code"]),
                &strings(&["api/write"]),
                &[],
                None,
                false,
                &custom
            ),
            Err(ClientRefusal::Scope(
                "Invalid scope requested: api/write".into()
            ))
        );
        let cb = strings(&["https://a.example/cb"]);
        assert!(matches!(
            client_members(
                &strings(&["code"]),
                &[],
                &cb,
                Some("https://b.example"),
                false,
                &custom
            ),
            Err(ClientRefusal::Parameter(_))
        ));
    }

    #[test]
    fn granted_scopes_are_asked_and_allowed_with_openid_for_claims() {
        let allowed = strings(&["openid", "email", "profile", "api/read"]);
        assert_eq!(granted(None, &allowed).unwrap(), allowed);
        assert_eq!(
            granted(Some("openid email"), &allowed).unwrap(),
            strings(&["openid", "email"])
        );
        assert!(
            granted(Some("email"), &allowed).is_none(),
            "email needs openid"
        );
        assert!(
            granted(Some("openid phone"), &allowed).is_none(),
            "not allowed"
        );
        assert_eq!(
            granted(Some("api/read"), &allowed).unwrap(),
            strings(&["api/read"])
        );
        assert!(granted_to_client(Some("api/none"), &strings(&["api/read"])).is_none());
    }

    #[test]
    fn pkce_is_s256_of_the_verifier() {
        // RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_matches(verifier, challenge));
        assert!(!pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
            challenge
        ));
        assert!(!pkce_matches("short", challenge));
    }

    #[test]
    fn scopes_narrow_the_claims() {
        let openid = strings(&["openid"]);
        assert!(scope_shows(&openid, "phone_number"));
        let email = strings(&["openid", "email"]);
        assert!(scope_shows(&email, "email_verified"));
        assert!(!scope_shows(&email, "phone_number"));
        assert!(!scope_shows(&email, "custom:team"));
        assert!(scope_shows(&strings(&["openid", "profile"]), "custom:team"));
        assert!(scope_shows(&email, "sub"));
    }
}
