//! The pool's OpenID Connect discovery document, at
//! `/POOL_ID/.well-known/openid-configuration` beside its keys. The issuer is Cognito's
//! (the tokens' `iss`); the keys and the domain's endpoints are where `serve` answers
//! them, given as `origin` (`http://127.0.0.1:9229`). A pool without a domain has no
//! OAuth endpoints to list (OAUTH-2).

use serde_json::{Value, json};

use crate::local::Store;
use crate::local::db::{oauth, pools};
use crate::local::sign_in::tokens::issuer;
use crate::local::wire::error::ApiError;

pub fn document(store: &Store, pool_id: &str, origin: &str) -> Result<Value, ApiError> {
    let domain = store.read(|tx| {
        pools::load(tx, pool_id)?;
        oauth::domain_of(tx, pool_id)
    })?;
    let mut doc = json!({
        "issuer": issuer(pool_id),
        "jwks_uri": format!("{origin}/{pool_id}/.well-known/jwks.json"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    });
    if let Some(prefix) = domain {
        let base = format!("{origin}/{prefix}");
        doc["authorization_endpoint"] = json!(format!("{base}/oauth2/authorize"));
        doc["token_endpoint"] = json!(format!("{base}/oauth2/token"));
        doc["userinfo_endpoint"] = json!(format!("{base}/oauth2/userInfo"));
        doc["revocation_endpoint"] = json!(format!("{base}/oauth2/revoke"));
        doc["end_session_endpoint"] = json!(format!("{base}/logout"));
        doc["code_challenge_methods_supported"] = json!(["S256"]);
        doc["grant_types_supported"] = json!([
            "authorization_code",
            "refresh_token",
            "client_credentials",
            "implicit"
        ]);
    }
    Ok(doc)
}
