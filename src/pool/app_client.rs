//! App clients: names, explicit auth flows, and what a client lets one sign in with.

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
    check_length("ClientName", name, 1, 128)?;
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

/// Whether a client lets an administrator sign a user in with a password
/// (AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH).
pub fn allows_admin_password_auth(flows: &[String]) -> bool {
    flows
        .iter()
        .any(|f| f == "ALLOW_ADMIN_USER_PASSWORD_AUTH" || f == "ADMIN_NO_SRP_AUTH")
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
    fn names() {
        assert!(client_name("web app, v2").is_ok());
        assert!(client_name("").is_err());
        assert!(client_name("no/slash").is_err());
    }
}
