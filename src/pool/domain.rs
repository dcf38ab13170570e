//! A pool's domain and resource servers as the console shows and edits them: the checks
//! made before the call (the service model's lengths and patterns, OAUTH-1 and OAUTH-3),
//! a line per change for the confirmation and the audit log, and the addresses the
//! managed login answers at (on AWS, or on `cognito-console serve`).

use std::collections::BTreeSet;

use super::model;
use super::oauth::{self, Scope};
use super::rule::RuleError;

/// The pool's prefix domain, as DescribeUserPoolDomain tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub prefix: String,
    /// CREATING, ACTIVE, UPDATING, DELETING or FAILED.
    pub status: String,
    /// 1: the classic hosted UI; 2: managed login (branding).
    pub managed_login_version: Option<i32>,
}

/// A resource server: an API whose custom scopes (`identifier/name`) app clients may be
/// allowed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceServer {
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

/// The pool's domain and resource servers, loaded together.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DomainSettings {
    pub domain: Option<Domain>,
    pub servers: Vec<ResourceServer>,
}

impl DomainSettings {
    /// Every custom scope of the pool, as an app client names it.
    pub fn custom_scopes(&self) -> BTreeSet<String> {
        self.servers
            .iter()
            .flat_map(ResourceServer::scope_ids)
            .collect()
    }
}

/// A prefix: the model's pattern and Cognito's reserved words (OAUTH-1).
pub fn check_prefix(prefix: &str) -> Result<(), RuleError> {
    oauth::domain_prefix(prefix)
}

fn check_member(structure: &str, member: &str, value: &str) -> Result<(), RuleError> {
    model::check_str(model::member(structure, member), member, value)
}

impl ResourceServer {
    /// `identifier/name` for each scope.
    pub fn scope_ids(&self) -> impl Iterator<Item = String> + '_ {
        self.scopes
            .iter()
            .map(|s| format!("{}/{}", self.identifier, s.scope_name))
    }

    /// Everything Cognito would refuse, as (member, rule).
    pub fn check(&self) -> Vec<RuleError> {
        let mut errors = Vec::new();
        errors.extend(
            check_member(
                "CreateResourceServerRequest",
                "Identifier",
                &self.identifier,
            )
            .err(),
        );
        errors.extend(check_member("CreateResourceServerRequest", "Name", &self.name).err());
        for scope in &self.scopes {
            for (member, value) in [
                ("ScopeName", &scope.scope_name),
                ("ScopeDescription", &scope.scope_description),
            ] {
                if let Err(e) = check_member("ResourceServerScopeType", member, value) {
                    errors.push(RuleError::new(
                        member,
                        format!("{}: {}", scope.scope_name, e.rule),
                    ));
                }
            }
        }
        errors.extend(oauth::resource_server_scopes(&self.scopes).err());
        errors
    }

    /// A line for each thing that differs from `before` (empty `before`: a new server).
    pub fn changes(&self, before: &ResourceServer) -> Vec<String> {
        let mut lines = Vec::new();
        if self.identifier != before.identifier {
            lines.push(format!("Identifier: {}", self.identifier));
        }
        if self.name != before.name {
            lines.push(if before.name.is_empty() {
                format!("Name: {}", self.name)
            } else {
                format!("Name: {} → {}", before.name, self.name)
            });
        }
        let described = |list: &[Scope], name: &str| {
            list.iter()
                .find(|s| s.scope_name == name)
                .map(|s| s.scope_description.clone())
        };
        for scope in &self.scopes {
            match described(&before.scopes, &scope.scope_name) {
                None => lines.push(format!(
                    "New scope {}/{}: {}",
                    self.identifier, scope.scope_name, scope.scope_description
                )),
                Some(old) if old != scope.scope_description => lines.push(format!(
                    "Scope {}/{}: {old} → {}",
                    self.identifier, scope.scope_name, scope.scope_description
                )),
                Some(_) => {}
            }
        }
        for scope in &before.scopes {
            if described(&self.scopes, &scope.scope_name).is_none() {
                lines.push(format!(
                    "Scope {}/{} removed (clients allowed it keep it listed; new tokens lack it)",
                    self.identifier, scope.scope_name
                ));
            }
        }
        lines
    }

    /// Sets on `self` (the server as it is now) what `after` changed from `before`, and
    /// nothing else: a scope added elsewhere meanwhile stays.
    pub fn apply_changes(&mut self, before: &ResourceServer, after: &ResourceServer) {
        if after.name != before.name {
            self.name.clone_from(&after.name);
        }
        self.scopes.retain(|s| {
            !before.scopes.iter().any(|b| b.scope_name == s.scope_name)
                || after.scopes.iter().any(|a| a.scope_name == s.scope_name)
        });
        for scope in &after.scopes {
            if before.scopes.contains(scope) {
                continue;
            }
            match self
                .scopes
                .iter_mut()
                .find(|s| s.scope_name == scope.scope_name)
            {
                Some(s) => s.scope_description.clone_from(&scope.scope_description),
                None => self.scopes.push(scope.clone()),
            }
        }
    }
}

/// Where the console's pools are reached, for the managed login's addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// Amazon Cognito in this region.
    Aws { region: String },
    /// A Cognito-compatible endpoint (`cognito-console serve`): domains by path.
    Endpoint(String),
    /// The embedded store: reached once `cognito-console serve` runs, at its default
    /// address.
    Embedded,
}

/// Where `cognito-console serve` listens unless told otherwise.
pub const SERVE_DEFAULT: &str = "http://127.0.0.1:9229";

impl Host {
    fn local_base(&self) -> Option<String> {
        match self {
            Host::Aws { .. } => None,
            Host::Endpoint(url) => Some(url.trim_end_matches('/').to_string()),
            Host::Embedded => Some(SERVE_DEFAULT.to_string()),
        }
    }

    /// The domain's base address: `https://PREFIX.auth.REGION.amazoncognito.com` on AWS,
    /// `http://HOST:PORT/PREFIX` on `serve`.
    pub fn domain_url(&self, prefix: &str) -> String {
        match (self, self.local_base()) {
            (Host::Aws { region }, _) => {
                format!("https://{prefix}.auth.{region}.amazoncognito.com")
            }
            (_, Some(base)) => format!("{base}/{prefix}"),
            (_, None) => String::new(),
        }
    }

    /// The pool's OpenID Connect discovery document.
    pub fn discovery_url(&self, pool_id: &str) -> String {
        let base = match self.local_base() {
            Some(base) => base,
            None => {
                let region = pool_id.split('_').next().unwrap_or_default();
                format!("https://cognito-idp.{region}.amazonaws.com")
            }
        };
        format!("{base}/{pool_id}/.well-known/openid-configuration")
    }

    /// What the console says beside a local address.
    pub fn note(&self) -> Option<&'static str> {
        match self {
            Host::Embedded => Some("while `cognito-console serve` runs on this database"),
            Host::Endpoint(_) => Some(
                "where the endpoint is `cognito-console serve`; other emulators may have no managed login",
            ),
            Host::Aws { .. } => None,
        }
    }
}

/// The managed login page of a client: `/login` with the authorization code grant (or
/// implicit, if that is all it allows), its scopes and its first callback URL. None when
/// the client cannot sign users in there.
pub fn sign_in_url(
    domain_url: &str,
    client_id: &str,
    flows: &[String],
    scopes: &[String],
    callbacks: &[String],
) -> Option<String> {
    let response_type = if flows.iter().any(|f| f == "code") {
        "code"
    } else if flows.iter().any(|f| f == "implicit") {
        "token"
    } else {
        return None;
    };
    let redirect = callbacks.first()?;
    // phone, email and profile are granted only with openid (OAUTH-6): without it, the
    // address asks for the rest, so that it is one that signs in.
    let openid = scopes.iter().any(|s| s == "openid");
    let asked: Vec<&str> = scopes
        .iter()
        .map(String::as_str)
        .filter(|s| openid || !["phone", "email", "profile"].contains(s))
        .collect();
    if asked.is_empty() {
        return None;
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", client_id)
        .append_pair("response_type", response_type)
        .append_pair("scope", &asked.join(" "))
        .append_pair("redirect_uri", redirect)
        .finish();
    Some(format!("{domain_url}/login?{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(name: &str, description: &str) -> Scope {
        Scope {
            scope_name: name.into(),
            scope_description: description.into(),
        }
    }

    #[test]
    fn a_server_is_checked_member_by_member() {
        let good = ResourceServer {
            identifier: "https://api.example.com".into(),
            name: "Orders API".into(),
            scopes: vec![scope("read", "Read orders")],
        };
        assert!(good.check().is_empty(), "{:?}", good.check());
        let bad = ResourceServer {
            identifier: "has space".into(),
            name: String::new(),
            scopes: vec![scope("a/b", "x"), scope("r", ""), scope("r", "again")],
        };
        let members: Vec<String> = bad.check().into_iter().map(|e| e.field).collect();
        for m in [
            "Identifier",
            "Name",
            "ScopeName",
            "ScopeDescription",
            "Scopes",
        ] {
            assert!(members.iter().any(|f| f == m), "{m} in {members:?}");
        }
    }

    #[test]
    fn changes_are_told_and_applied_without_touching_the_rest() {
        let before = ResourceServer {
            identifier: "orders".into(),
            name: "Orders".into(),
            scopes: vec![scope("read", "Read"), scope("write", "Write")],
        };
        let after = ResourceServer {
            name: "Orders API".into(),
            scopes: vec![scope("read", "Read orders"), scope("admin", "Everything")],
            ..before.clone()
        };
        assert_eq!(
            after.changes(&before),
            [
                "Name: Orders → Orders API",
                "Scope orders/read: Read → Read orders",
                "New scope orders/admin: Everything",
                "Scope orders/write removed (clients allowed it keep it listed; new tokens lack it)",
            ]
        );
        // Someone added `audit` meanwhile: it stays.
        let mut now = ResourceServer {
            scopes: vec![
                scope("read", "Read"),
                scope("write", "Write"),
                scope("audit", "Audit"),
            ],
            ..before.clone()
        };
        now.apply_changes(&before, &after);
        assert_eq!(now.name, "Orders API");
        assert_eq!(
            now.scopes,
            [
                scope("read", "Read orders"),
                scope("audit", "Audit"),
                scope("admin", "Everything")
            ]
        );
        let all = DomainSettings {
            domain: None,
            servers: vec![after],
        };
        assert_eq!(
            all.custom_scopes().into_iter().collect::<Vec<_>>(),
            ["orders/admin", "orders/read"]
        );
    }

    #[test]
    fn addresses_on_aws_and_on_serve() {
        let aws = Host::Aws {
            region: "eu-west-1".into(),
        };
        assert_eq!(
            aws.domain_url("shop"),
            "https://shop.auth.eu-west-1.amazoncognito.com"
        );
        assert_eq!(
            aws.discovery_url("eu-west-1_abc"),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/openid-configuration"
        );
        let local = Host::Endpoint("http://127.0.0.1:4000/".into());
        assert_eq!(local.domain_url("shop"), "http://127.0.0.1:4000/shop");
        assert_eq!(
            Host::Embedded.domain_url("shop"),
            "http://127.0.0.1:9229/shop"
        );
        let flows = ["code".to_string()];
        let url = sign_in_url(
            "http://127.0.0.1:9229/shop",
            "abc",
            &flows,
            &["openid".into(), "email".into()],
            &["http://localhost:3000/cb".into()],
        );
        assert_eq!(
            url.as_deref(),
            Some(
                "http://127.0.0.1:9229/shop/login?client_id=abc&response_type=code&scope=openid+email&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb"
            )
        );
        assert_eq!(sign_in_url("x", "abc", &flows, &[], &[]), None);
        assert_eq!(
            sign_in_url(
                "x",
                "abc",
                &["client_credentials".into()],
                &[],
                &["a".into()]
            ),
            None
        );
        let without_openid = sign_in_url(
            "x",
            "abc",
            &flows,
            &["email".into(), "orders/read".into()],
            &["https://a/cb".into()],
        )
        .unwrap();
        assert!(
            without_openid.contains("scope=orders%2Fread&"),
            "{without_openid}"
        );
        assert_eq!(
            sign_in_url(
                "x",
                "abc",
                &flows,
                &["email".into()],
                &["https://a/cb".into()]
            ),
            None,
            "email alone is never granted"
        );
        assert!(check_prefix("my-shop").is_ok());
        assert!(check_prefix("my-cognito").is_err());
    }
}
