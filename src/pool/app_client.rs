//! App clients: names, explicit auth flows, what a client lets one sign in with, and the
//! SECRET_HASH a client with a secret must send.

use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::rule::{RuleError, check_length};

/// Every `ExplicitAuthFlowsType` value.
pub const FLOWS: [&str; 11] = [
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
    "ALLOW_TOKEN_EXCHANGE_DELEGATION",
    "ALLOW_TOKEN_EXCHANGE_IMPERSONATION",
];

/// The legacy values, which cannot be mixed with the `ALLOW_` ones.
pub const LEGACY_FLOWS: [&str; 3] = [
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
];

/// What Cognito gives a client created without ExplicitAuthFlows.
pub const DEFAULT_FLOWS: [&str; 3] = [
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_SRP_AUTH",
];

pub fn client_name(name: &str) -> Result<(), RuleError> {
    let (min, max) = super::model::length("CreateUserPoolClientRequest", "ClientName");
    check_length("ClientName", name, min, max)?;
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c))
    {
        return Err(RuleError::new(
            "ClientName",
            "may hold letters, numbers, spaces and + = , . @ - _ only",
        ));
    }
    Ok(())
}

pub fn explicit_auth_flows(flows: &[String]) -> Result<(), RuleError> {
    for flow in flows {
        if !FLOWS.contains(&flow.as_str()) {
            return Err(RuleError::new(
                "ExplicitAuthFlows",
                format!(
                    "{flow} is not an auth flow; use one of {}",
                    FLOWS.join(", ")
                ),
            ));
        }
    }
    let legacy = flows.iter().any(|f| LEGACY_FLOWS.contains(&f.as_str()));
    let modern = flows.iter().any(|f| f.starts_with("ALLOW_"));
    if legacy && modern {
        return Err(RuleError::new(
            "ExplicitAuthFlows",
            "the legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) cannot be combined with ALLOW_ values",
        ));
    }
    Ok(())
}

/// A callback URL: HTTPS, except `http://` to localhost, 127.0.0.1 and `[::1]`; an app's
/// own scheme (`myapp://`) is allowed; never a fragment (docs/documented-rules.md, CLIENT-6).
pub fn callback_url(url: &str) -> Result<(), RuleError> {
    if url.contains('#') {
        return Err(RuleError::new(
            "CallbackURLs",
            format!("{url} has a fragment (#), which a redirect URI cannot have"),
        ));
    }
    // The scheme is what comes before the first colon, whatever follows it: a browser
    // reads `http:/host/cb` or `HTTP:host` as http too.
    let scheme = url.split_once(':').map(|(scheme, _)| scheme);
    if scheme.is_some_and(|s| s.trim().eq_ignore_ascii_case("http")) {
        let https_only = || {
            RuleError::new(
                "CallbackURLs",
                format!(
                    "{url} must use HTTPS (plain http:// is allowed only to localhost, 127.0.0.1 and [::1])"
                ),
            )
        };
        let after = url.split_once(':').map_or("", |(_, rest)| rest);
        let Some(rest) = after.strip_prefix("//") else {
            return Err(https_only());
        };
        let authority = rest.split(['/', '?', '\\']).next().unwrap_or_default();
        let host = if authority.starts_with("[::1]") {
            "[::1]"
        } else {
            authority.split(':').next().unwrap_or_default()
        };
        if !["localhost", "127.0.0.1", "[::1]"].contains(&host.to_ascii_lowercase().as_str()) {
            return Err(https_only());
        }
    }
    Ok(())
}

/// Whether a client with these `ExplicitAuthFlows` accepts `auth_flow` (an `AuthFlowType`).
/// With `ALLOW_` values each flow must be listed; a client with only the legacy values (or
/// none) always allows SRP and refresh, and the password flows its legacy value names.
pub fn allows(flows: &[String], auth_flow: &str) -> bool {
    let has = |f: &str| flows.iter().any(|x| x == f);
    let modern = flows.iter().any(|f| f.starts_with("ALLOW_"));
    match auth_flow {
        "USER_SRP_AUTH" => !modern || has("ALLOW_USER_SRP_AUTH"),
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => !modern || has("ALLOW_REFRESH_TOKEN_AUTH"),
        "USER_PASSWORD_AUTH" => has("ALLOW_USER_PASSWORD_AUTH") || has("USER_PASSWORD_AUTH"),
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || has("ADMIN_NO_SRP_AUTH")
        }
        "CUSTOM_AUTH" => has("ALLOW_CUSTOM_AUTH") || has("CUSTOM_AUTH_FLOW_ONLY"),
        "USER_AUTH" => has("ALLOW_USER_AUTH"),
        _ => false,
    }
}

/// Whether a client lets an administrator sign a user in with a password
/// (AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH).
pub fn allows_admin_password_auth(flows: &[String]) -> bool {
    allows(flows, "ADMIN_USER_PASSWORD_AUTH")
}

/// SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)).
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, client_secret.as_bytes());
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(username.as_bytes());
    ctx.update(client_id.as_bytes());
    STANDARD.encode(ctx.sign().as_ref())
}

/// Whether `given` is the SECRET_HASH for this client and username, compared in constant
/// time.
pub fn secret_hash_matches(
    client_secret: &str,
    username: &str,
    client_id: &str,
    given: &str,
) -> bool {
    let Ok(given) = STANDARD.decode(given.trim()) else {
        return false;
    };
    let key = hmac::Key::new(hmac::HMAC_SHA256, client_secret.as_bytes());
    let mut message = Vec::with_capacity(username.len() + client_id.len());
    message.extend_from_slice(username.as_bytes());
    message.extend_from_slice(client_id.as_bytes());
    hmac::verify(&key, &message, &given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flows() {
        assert!(explicit_auth_flows(&v(&DEFAULT_FLOWS)).is_ok());
        assert!(explicit_auth_flows(&v(&["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"])).is_ok());
        assert!(
            explicit_auth_flows(&v(&["ALLOW_NOTHING"]))
                .unwrap_err()
                .rule
                .contains("not an auth flow")
        );
        assert!(
            explicit_auth_flows(&v(&["ADMIN_NO_SRP_AUTH", "ALLOW_USER_SRP_AUTH"]))
                .unwrap_err()
                .rule
                .contains("cannot be combined")
        );
        assert!(allows_admin_password_auth(&v(&[
            "ALLOW_ADMIN_USER_PASSWORD_AUTH"
        ])));
        assert!(!allows_admin_password_auth(&v(&DEFAULT_FLOWS)));
    }

    #[test]
    fn flow_allowance() {
        let modern = v(&["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
        assert!(allows(&modern, "USER_PASSWORD_AUTH"));
        assert!(allows(&modern, "REFRESH_TOKEN"));
        assert!(!allows(&modern, "USER_SRP_AUTH"));
        assert!(!allows(&modern, "ADMIN_USER_PASSWORD_AUTH"));
        let legacy = v(&["ADMIN_NO_SRP_AUTH"]);
        assert!(allows(&legacy, "USER_SRP_AUTH"));
        assert!(allows(&legacy, "ADMIN_USER_PASSWORD_AUTH"));
        assert!(!allows(&legacy, "USER_PASSWORD_AUTH"));
        assert!(allows(&[], "USER_SRP_AUTH"));
        assert!(!allows(&v(&DEFAULT_FLOWS), "USER_PASSWORD_AUTH"));
        assert!(!allows(&v(&DEFAULT_FLOWS), "NO_SUCH_FLOW"));
    }

    #[test]
    fn secret_hash_as_cognito_documents() {
        // Python: base64.b64encode(hmac.new(b"secret", b"diego" + b"client", sha256).digest())
        let hash = secret_hash("secret", "diego", "client");
        assert_eq!(hash, "15cIPIk/uI3FZ3QbueZyf9mGcaNnM4ao++ZXb4X+woQ=");
        assert!(secret_hash_matches("secret", "diego", "client", &hash));
        assert!(!secret_hash_matches("secret", "diego", "other", &hash));
        assert!(!secret_hash_matches(
            "secret",
            "diego",
            "client",
            "not base64!"
        ));
    }

    #[test]
    fn http_is_only_for_loopback_however_it_is_spelled() {
        for ok in [
            "https://example.com/cb",
            "http://localhost:3000/cb",
            "HTTP://127.0.0.1/cb",
            "http://[::1]:8080/cb",
            "myapp://callback",
        ] {
            assert!(callback_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/cb",
            "http:/evil.example/cb",
            "http:evil.example",
            "Http://localhost.evil.example/cb",
            "http://localhost@evil.example/cb",
            "http://evil.example\\@localhost/cb",
            "https://example.com/cb#frag",
        ] {
            assert!(callback_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names() {
        assert!(client_name("web app, v2").is_ok());
        assert!(client_name("").is_err());
        assert!(client_name("no/slash").is_err());
    }
}
