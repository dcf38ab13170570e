//! What the console edits of an app client, and Cognito's rules for it checked before
//! the call: the name, the auth flows (CLIENT-7), token lifetimes with their units
//! (CLIENT-1 to CLIENT-4), the sign-in session's minutes, callback URLs (CLIENT-6),
//! attribute permissions, the managed login's members (OAuth grants and scopes, checked
//! as OAUTH-4 says); and a line per change for the confirmation and the audit log.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::rule::RuleError;
use super::{app_client, model, oauth, token_validity, validate};

/// A token's lifetime as the console shows it: an amount in a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifetime {
    pub amount: i64,
    /// `seconds`, `minutes`, `hours` or `days`.
    pub unit: String,
}

impl Lifetime {
    pub fn new(amount: i64, unit: &str) -> Self {
        Self {
            amount,
            unit: unit.to_string(),
        }
    }
}

impl std::fmt::Display for Lifetime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.amount, self.unit)
    }
}

/// The units an app client's lifetimes may be given in.
pub const UNITS: [&str; 4] = ["seconds", "minutes", "hours", "days"];

/// Every `ExplicitAuthFlows` value the console offers, as Cognito names them.
pub const FLOWS: [&str; 6] = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

/// `flows` in the order of [`FLOWS`] (others after, as given): a client's flows compare
/// equal whatever order Cognito lists them in.
pub fn ordered(flows: &[String]) -> Vec<String> {
    let mut out = flows.to_vec();
    out.sort_by_key(|f| FLOWS.iter().position(|k| k == f).unwrap_or(FLOWS.len()));
    out
}

/// An app client's settings, as the console edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSettings {
    pub name: String,
    pub explicit_auth_flows: Vec<String>,
    pub access_token: Lifetime,
    pub id_token: Lifetime,
    pub refresh_token: Lifetime,
    /// AuthSessionValidity: how long a sign-in's session lasts, in minutes.
    pub auth_session_minutes: i64,
    /// Empty: every attribute.
    pub read_attributes: Vec<String>,
    pub write_attributes: Vec<String>,
    pub callback_urls: Vec<String>,
    pub logout_urls: Vec<String>,
    /// PreventUserExistenceErrors ENABLED.
    pub prevent_user_existence_errors: bool,
    pub enable_token_revocation: bool,
    /// AllowedOAuthFlowsUserPoolClient: the client may use the managed login and the
    /// OAuth 2.0 endpoints.
    pub oauth: bool,
    /// AllowedOAuthFlows: `code`, `implicit`, `client_credentials`.
    pub oauth_flows: Vec<String>,
    /// AllowedOAuthScopes: standard scopes and resource servers' `identifier/name`.
    pub oauth_scopes: Vec<String>,
    /// SupportedIdentityProviders (`COGNITO`: the pool's own users).
    pub identity_providers: Vec<String>,
}

impl Default for ClientSettings {
    /// What Cognito gives a client whose request sets nothing (CLIENT-1, CLIENT-7,
    /// CLIENT-8).
    fn default() -> Self {
        Self {
            name: String::new(),
            explicit_auth_flows: ordered(
                &app_client::DEFAULT_FLOWS
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>(),
            ),
            access_token: Lifetime::new(60, "minutes"),
            id_token: Lifetime::new(60, "minutes"),
            refresh_token: Lifetime::new(30, "days"),
            auth_session_minutes: 3,
            read_attributes: Vec::new(),
            write_attributes: Vec::new(),
            callback_urls: Vec::new(),
            logout_urls: Vec::new(),
            prevent_user_existence_errors: false,
            enable_token_revocation: true,
            oauth: false,
            oauth_flows: Vec::new(),
            oauth_scopes: Vec::new(),
            identity_providers: Vec::new(),
        }
    }
}

impl ClientSettings {
    /// The token lifetimes as a request carries them, for `token_validity`'s checks.
    fn lifetimes_json(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert(
            "AccessTokenValidity".into(),
            json!(self.access_token.amount),
        );
        m.insert("IdTokenValidity".into(), json!(self.id_token.amount));
        m.insert(
            "RefreshTokenValidity".into(),
            json!(self.refresh_token.amount),
        );
        m.insert(
            "TokenValidityUnits".into(),
            json!({
                "AccessToken": self.access_token.unit,
                "IdToken": self.id_token.unit,
                "RefreshToken": self.refresh_token.unit,
            }),
        );
        m
    }

    /// Everything Cognito would refuse, as (member, rule).
    pub fn check(&self) -> Vec<RuleError> {
        let mut errors = Vec::new();
        errors.extend(app_client::client_name(&self.name).err());
        errors.extend(app_client::explicit_auth_flows(&self.explicit_auth_flows).err());
        errors.extend(token_validity::resolve(&self.lifetimes_json()).err());
        let (min, max) = model::range("UpdateUserPoolClientRequest", "AuthSessionValidity");
        errors.extend(
            validate::in_range("AuthSessionValidity", self.auth_session_minutes, min, max).err(),
        );
        for url in &self.callback_urls {
            errors.extend(app_client::callback_url(url).err());
        }
        for url in &self.logout_urls {
            if let Err(e) = app_client::callback_url(url) {
                errors.push(RuleError::new("LogoutURLs", e.rule));
            }
        }
        for (member, names) in [
            ("ReadAttributes", &self.read_attributes),
            ("WriteAttributes", &self.write_attributes),
        ] {
            for name in names {
                if let Err(e) = validate::attribute_name(name) {
                    errors.push(RuleError::new(member, format!("{name}: {}", e.rule)));
                }
            }
        }
        errors
    }

    /// The managed login's members as Cognito checks them (OAUTH-4) for a client with or
    /// without a secret; `custom` is the pool's custom scopes, when known (None: only
    /// their form is checked, and Cognito says whether they exist).
    pub fn check_oauth(
        &self,
        has_secret: bool,
        custom: Option<&BTreeSet<String>>,
    ) -> Vec<RuleError> {
        let mut errors = Vec::new();
        if self.oauth {
            if self.oauth_flows.is_empty() {
                errors.push(RuleError::new(
                    "AllowedOAuthFlows",
                    "a client that uses the managed login needs at least one grant type",
                ));
            }
            if self.oauth_scopes.is_empty() {
                errors.push(RuleError::new(
                    "AllowedOAuthScopes",
                    "a client that uses the managed login needs at least one scope",
                ));
            }
            let redirects = self
                .oauth_flows
                .iter()
                .any(|f| f == "code" || f == "implicit");
            if redirects && self.callback_urls.is_empty() {
                errors.push(RuleError::new(
                    "CallbackURLs",
                    "the code and implicit grants send users back to a callback URL: give at least one",
                ));
            }
        }
        let known: BTreeSet<String> = match custom {
            Some(set) => set.clone(),
            // Unknown yet: any `identifier/name` passes here.
            None => self
                .oauth_scopes
                .iter()
                .filter(|s| s.contains('/'))
                .cloned()
                .collect(),
        };
        if let Err(refusal) = oauth::client_members(
            &self.oauth_flows,
            &self.oauth_scopes,
            &self.callback_urls,
            None,
            has_secret,
            &known,
        ) {
            errors.push(match refusal {
                oauth::ClientRefusal::Flow(m) => RuleError::new("AllowedOAuthFlows", m),
                oauth::ClientRefusal::Scope(m) => RuleError::new(
                    "AllowedOAuthScopes",
                    format!(
                        "{m} (the scopes are {} and the resource servers' identifier/name)",
                        oauth::STANDARD_SCOPES.join(", ")
                    ),
                ),
                oauth::ClientRefusal::Parameter(e) => e,
            });
        }
        errors
    }

    /// Sets on `self` (the client as it is now) each setting `after` changed from
    /// `before` (the client as the form began), and nothing else: an edit never carries a
    /// stale value of a setting it did not touch.
    pub fn apply_changes(&mut self, before: &ClientSettings, after: &ClientSettings) {
        macro_rules! take {
            ($($field:ident),*) => {
                $(if after.$field != before.$field {
                    self.$field = after.$field.clone();
                })*
            };
        }
        take!(
            name,
            explicit_auth_flows,
            access_token,
            id_token,
            refresh_token,
            auth_session_minutes,
            read_attributes,
            write_attributes,
            callback_urls,
            logout_urls,
            prevent_user_existence_errors,
            enable_token_revocation,
            oauth,
            oauth_flows,
            oauth_scopes,
            identity_providers
        );
    }

    /// A line for each setting that differs from `before`: "Client name: web → app".
    pub fn changes(&self, before: &ClientSettings) -> Vec<String> {
        let list = |v: &[String]| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join(", ")
            }
        };
        let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
        let pairs = [
            ("Client name", before.name.clone(), self.name.clone()),
            (
                "Auth flows",
                list(&before.explicit_auth_flows),
                list(&self.explicit_auth_flows),
            ),
            (
                "Access token lifetime",
                before.access_token.to_string(),
                self.access_token.to_string(),
            ),
            (
                "ID token lifetime",
                before.id_token.to_string(),
                self.id_token.to_string(),
            ),
            (
                "Refresh token lifetime",
                before.refresh_token.to_string(),
                self.refresh_token.to_string(),
            ),
            (
                "Sign-in session (minutes)",
                before.auth_session_minutes.to_string(),
                self.auth_session_minutes.to_string(),
            ),
            (
                "Read attributes",
                list(&before.read_attributes),
                list(&self.read_attributes),
            ),
            (
                "Write attributes",
                list(&before.write_attributes),
                list(&self.write_attributes),
            ),
            (
                "Callback URLs",
                list(&before.callback_urls),
                list(&self.callback_urls),
            ),
            (
                "Sign-out URLs",
                list(&before.logout_urls),
                list(&self.logout_urls),
            ),
            (
                "Prevent user existence errors",
                yes(before.prevent_user_existence_errors),
                yes(self.prevent_user_existence_errors),
            ),
            (
                "Token revocation",
                yes(before.enable_token_revocation),
                yes(self.enable_token_revocation),
            ),
            (
                "Managed login (OAuth 2.0)",
                yes(before.oauth),
                yes(self.oauth),
            ),
            (
                "OAuth grant types",
                list(&before.oauth_flows),
                list(&self.oauth_flows),
            ),
            (
                "OAuth scopes",
                list(&before.oauth_scopes),
                list(&self.oauth_scopes),
            ),
            (
                "Identity providers",
                list(&before.identity_providers),
                list(&self.identity_providers),
            ),
        ];
        pairs
            .into_iter()
            .filter(|(_, a, b)| a != b)
            .map(|(what, a, b)| format!("{what}: {a} → {b}"))
            .collect()
    }
}

/// A comma- or space-separated list as a form field holds it.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_pass_and_each_rule_names_its_member() {
        let ok = ClientSettings {
            name: "web".into(),
            ..ClientSettings::default()
        };
        assert!(ok.check().is_empty(), "{:?}", ok.check());
        let bad = ClientSettings {
            name: String::new(),
            explicit_auth_flows: vec!["ALLOW_USER_SRP_AUTH".into(), "USER_PASSWORD_AUTH".into()],
            access_token: Lifetime::new(2, "days"),
            auth_session_minutes: 30,
            callback_urls: vec!["http://example.com/cb".into()],
            ..ClientSettings::default()
        };
        let fields: Vec<String> = bad.check().into_iter().map(|e| e.field).collect();
        assert!(fields.iter().any(|f| f == "ClientName"), "{fields:?}");
        assert!(
            fields.iter().any(|f| f == "ExplicitAuthFlows"),
            "{fields:?}"
        );
        assert!(
            fields.iter().any(|f| f == "AccessTokenValidity"),
            "{fields:?}"
        );
        assert!(
            fields.iter().any(|f| f == "AuthSessionValidity"),
            "{fields:?}"
        );
        assert!(fields.iter().any(|f| f == "CallbackURLs"), "{fields:?}");
    }

    #[test]
    fn changes_name_only_what_differs() {
        let before = ClientSettings {
            name: "web".into(),
            ..ClientSettings::default()
        };
        let after = ClientSettings {
            name: "app".into(),
            access_token: Lifetime::new(2, "hours"),
            ..before.clone()
        };
        assert_eq!(
            after.changes(&before),
            [
                "Client name: web → app",
                "Access token lifetime: 60 minutes → 2 hours"
            ]
        );
        assert!(before.changes(&before).is_empty());
        // Only what the form changed lands on the client as it is now.
        let mut now = ClientSettings {
            name: "web".into(),
            callback_urls: vec!["https://example.com/cb".into()],
            ..ClientSettings::default()
        };
        now.apply_changes(&before, &after);
        assert_eq!(now.name, "app");
        assert_eq!(
            now.callback_urls,
            ["https://example.com/cb"],
            "changed elsewhere, kept"
        );
        assert_eq!(split_list("a, b  c,"), ["a", "b", "c"]);
    }

    #[test]
    fn the_managed_login_members_are_checked_as_cognito_checks_them() {
        let on = ClientSettings {
            name: "web".into(),
            oauth: true,
            ..ClientSettings::default()
        };
        let members = |s: &ClientSettings, secret: bool, custom: Option<&BTreeSet<String>>| {
            s.check_oauth(secret, custom)
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            members(&on, false, None),
            ["AllowedOAuthFlows", "AllowedOAuthScopes"]
        );
        let code = ClientSettings {
            oauth_flows: vec!["code".into()],
            oauth_scopes: vec!["openid".into(), "orders/read".into()],
            ..on.clone()
        };
        assert_eq!(members(&code, false, None), ["CallbackURLs"]);
        let code = ClientSettings {
            callback_urls: vec!["https://example.com/cb".into()],
            ..code
        };
        assert!(members(&code, false, None).is_empty());
        let known = BTreeSet::from(["orders/write".to_string()]);
        let refused = code.check_oauth(false, Some(&known));
        assert_eq!(refused[0].field, "AllowedOAuthScopes");
        assert!(
            refused[0]
                .rule
                .contains("Invalid scope requested: orders/read")
        );
        let machine = ClientSettings {
            oauth_flows: vec!["client_credentials".into()],
            oauth_scopes: vec!["orders/write".into()],
            ..on
        };
        assert_eq!(
            members(&machine, false, Some(&known)),
            ["AllowedOAuthFlows"]
        );
        assert!(members(&machine, true, Some(&known)).is_empty());
        // Off, nothing is asked of the members (Cognito stores them as given).
        assert!(
            ClientSettings::default()
                .check_oauth(false, None)
                .is_empty()
        );
    }
}
