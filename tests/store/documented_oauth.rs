//! OAuth 2.0 as docs/documented-rules.md states it, the set-up and the authorization
//! request (OAUTH-1 to OAUTH-6): domains, resource servers and clients through the API;
//! the domain's endpoints called in process as `serve` calls them.

use crate::oauth_kit::*;
use crate::rules;

use cognito_console::local::oauth;
use rules::*;
use serde_json::{Value, json};

// RULE OAUTH-1
#[test]
fn a_prefix_domain_is_cognitos_shape_one_a_pool_and_one_pools() {
    let (p, id, _) = setup();
    let refusal = p.refused(
        "CreateUserPoolDomain",
        json!({"UserPoolId": id, "Domain": "newcognito"}),
    );
    assert_eq!(refusal.1, "Domain cannot contain reserved word: cognito");
    let other = p.pool(json!({}));
    let taken = p.refused(
        "CreateUserPoolDomain",
        json!({"UserPoolId": other, "Domain": "app"}),
    );
    assert_eq!(taken.1, "Domain already associated with another user pool.");
    let second = p.refused(
        "CreateUserPoolDomain",
        json!({"UserPoolId": id, "Domain": "app-two"}),
    );
    assert_eq!(second.1, "User pool already has a domain configured.");
    assert_eq!(
        code(&p.refused(
            "CreateUserPoolDomain",
            json!({"UserPoolId": other, "Domain": "Bad_Name"})
        )),
        "InvalidParameterException"
    );
    let kept = p.refused("DeleteUserPool", json!({"UserPoolId": id}));
    assert!(kept.1.contains("domain configured"), "{kept:?}");
    let updated = p.ok(
        "UpdateUserPoolDomain",
        json!({"UserPoolId": id, "Domain": "app", "ManagedLoginVersion": 2}),
    );
    assert_eq!(updated["ManagedLoginVersion"], 2);
    p.ok(
        "DeleteUserPoolDomain",
        json!({"UserPoolId": id, "Domain": "app"}),
    );
    p.ok(
        "CreateUserPoolDomain",
        json!({"UserPoolId": other, "Domain": "app"}),
    );
    p.ok("DeleteUserPool", json!({"UserPoolId": id}));
}

// RULE OAUTH-2
#[test]
fn domains_are_described_and_the_discovery_document_names_them() {
    let (p, id, _) = setup();
    let none = p.ok("DescribeUserPoolDomain", json!({"Domain": "nobody"}));
    assert_eq!(none, json!({"DomainDescription": {}}));
    let found = p.ok("DescribeUserPoolDomain", json!({"Domain": "app"}));
    assert_eq!(found["DomainDescription"]["UserPoolId"], json!(id));
    assert_eq!(found["DomainDescription"]["Status"], "ACTIVE");
    assert_eq!(p.describe(&id)["Domain"], "app");
    let doc = oauth::discovery::document(&p.store, &id, "http://127.0.0.1:9229").unwrap();
    assert_eq!(
        doc["issuer"],
        format!("https://cognito-idp.local.amazonaws.com/{id}")
    );
    assert_eq!(doc["token_endpoint"], format!("{BASE}/oauth2/token"));
    assert_eq!(doc["userinfo_endpoint"], format!("{BASE}/oauth2/userInfo"));
    assert_eq!(
        doc["jwks_uri"],
        format!("http://127.0.0.1:9229/{id}/.well-known/jwks.json")
    );
    let bare = p.pool(json!({}));
    let doc = oauth::discovery::document(&p.store, &bare, "http://127.0.0.1:9229").unwrap();
    assert!(doc.get("authorization_endpoint").is_none(), "{doc}");
}

// RULE OAUTH-3
#[test]
fn resource_servers_name_custom_scopes_and_a_removed_scope_leaves_the_tokens() {
    let (p, id, web) = setup();
    let again = p.refused(
        "CreateResourceServer",
        json!({"UserPoolId": id, "Identifier": "api", "Name": "again"}),
    );
    assert_eq!(code(&again), "InvalidParameterException");
    let twice = p.refused(
        "CreateResourceServer",
        json!({"UserPoolId": id, "Identifier": "x", "Name": "x", "Scopes": [
            {"ScopeName": "a", "ScopeDescription": "a"}, {"ScopeName": "a", "ScopeDescription": "b"}]}),
    );
    assert_eq!(code(&twice), "InvalidParameterException");
    let listed = p.ok(
        "ListResourceServers",
        json!({"UserPoolId": id, "MaxResults": 10}),
    );
    assert_eq!(listed["ResourceServers"][0]["Identifier"], "api");
    let before = code_for(&p, &web, &[("scope", "api/read api/write")]);
    let (_, first) = json_of(&redeem(&p, &web, &before));
    let refresh = first["refresh_token"].as_str().unwrap().to_string();
    // The update replaces the scopes: write is gone, and from the next tokens too.
    p.ok(
        "UpdateResourceServer",
        json!({"UserPoolId": id, "Identifier": "api", "Name": "API",
               "Scopes": [{"ScopeName": "read", "ScopeDescription": "read"}]}),
    );
    let server = p.ok(
        "DescribeResourceServer",
        json!({"UserPoolId": id, "Identifier": "api"}),
    );
    assert_eq!(
        server["ResourceServer"]["Scopes"].as_array().unwrap().len(),
        1
    );
    let c = code_for(&p, &web, &[("scope", "api/read api/write")]);
    let (_, body) = json_of(&redeem(&p, &web, &c));
    assert_eq!(
        claims(body["access_token"].as_str().unwrap())["scope"],
        "api/read"
    );
    assert!(body.get("id_token").is_none(), "no openid, no ID token");
    // Refreshed tokens lose it as well.
    let (_, refreshed) = json_of(&token(
        &p,
        &web,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    ));
    assert_eq!(
        claims(refreshed["access_token"].as_str().unwrap())["scope"],
        "api/read",
        "{refreshed}"
    );
}

// RULE OAUTH-4
#[test]
fn a_clients_oauth_members_are_held_to_cognitos_rules() {
    let (p, id, _) = setup();
    let make = |extra: Value| {
        let mut body =
            json!({"UserPoolId": id, "ClientName": "c", "AllowedOAuthFlowsUserPoolClient": true});
        merge(&mut body, extra);
        p.call("CreateUserPoolClient", body)
    };
    let both = make(
        json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials", "code"],
                           "AllowedOAuthScopes": ["api/read"], "CallbackURLs": [CB]}),
    )
    .unwrap_err();
    assert_eq!(both.0, "InvalidOAuthFlowException");
    assert_eq!(
        both.1,
        "client_credentials flow can not be selected along with code flow or implicit flow."
    );
    let public = make(
        json!({"AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["api/read"]}),
    )
    .unwrap_err();
    assert_eq!(public.0, "InvalidOAuthFlowException");
    let openid = make(
        json!({"GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials"],
                             "AllowedOAuthScopes": ["openid"]}),
    )
    .unwrap_err();
    assert_eq!(
        openid.1,
        "openid is not supported with client_credentials flow"
    );
    let unknown = make(
        json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["api/delete"],
                              "CallbackURLs": [CB]}),
    )
    .unwrap_err();
    assert_eq!(
        unknown,
        (
            "ScopeDoesNotExistException".into(),
            "Invalid scope requested: api/delete".into()
        )
    );
    let default = make(json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"],
                              "CallbackURLs": [CB], "DefaultRedirectURI": "https://elsewhere.example/"}))
    .unwrap_err();
    assert_eq!(default.0, "InvalidParameterException");
    let logout = make(
        json!({"AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"],
                             "CallbackURLs": [CB], "LogoutURLs": ["http://app.example/bye"]}),
    )
    .unwrap_err();
    assert_eq!(logout.0, "InvalidParameterException");
    // Without AllowedOAuthFlowsUserPoolClient the client is kept, and has no OAuth.
    let off = p.ok(
        "CreateUserPoolClient",
        json!({"UserPoolId": id, "ClientName": "off", "AllowedOAuthFlows": ["code"],
               "AllowedOAuthScopes": ["openid"], "CallbackURLs": [CB]}),
    )["UserPoolClient"]
        .clone();
    let reply =
        oauth::authorize::authorize(&p.store, "app", &request(&code_query(&off, &[]), &[], &[]));
    assert_eq!(page_status(&reply).0, 400);
}

// RULE OAUTH-5
#[test]
fn authorize_shows_an_error_page_or_sends_the_error_back_as_cognito_does() {
    let (p, pool_id, web) = setup();
    let id = web["ClientId"].as_str().unwrap();
    let ask = |query: &[(&str, &str)]| {
        oauth::authorize::authorize(&p.store, "app", &request(query, &[], &[]))
    };
    let unknown = ask(&[
        ("response_type", "code"),
        ("client_id", "nosuchclient"),
        ("redirect_uri", CB),
    ]);
    assert_eq!(page_status(&unknown).0, 400);
    // A client that lists no COGNITO provider: an error page, no sign-in form.
    let other = p.client(
        &pool_id,
        json!({"AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
               "AllowedOAuthScopes": ["openid"], "CallbackURLs": [CB]}),
    );
    let no_provider = ask(&[
        ("response_type", "code"),
        ("client_id", other["ClientId"].as_str().unwrap()),
        ("redirect_uri", CB),
    ]);
    let (status, page) = page_status(&no_provider);
    assert_eq!(status, 400);
    assert!(page.contains("COGNITO"), "{page}");
    let elsewhere = ask(&[
        ("response_type", "code"),
        ("client_id", id),
        ("redirect_uri", "https://app.example/cb/"),
    ]);
    assert!(page_status(&elsewhere).1.contains("redirect_mismatch"));
    let missing = location(&ask(&[
        ("client_id", id),
        ("redirect_uri", CB),
        ("state", "s1"),
    ]));
    assert!(missing.starts_with(CB), "{missing}");
    assert_eq!(param(&missing, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(&missing, "state").as_deref(), Some("s1"));
    let plain = location(&ask(&code_query(
        &web,
        &[
            ("code_challenge", "abc"),
            ("code_challenge_method", "plain"),
        ],
    )));
    assert_eq!(param(&plain, "error").as_deref(), Some("invalid_request"));
    let lone = location(&ask(&code_query(&web, &[("code_challenge", "abc")])));
    assert_eq!(param(&lone, "error").as_deref(), Some("invalid_request"));
    // Fine, and signed out: to the login page with the same parameters; the only
    // callback stands in for a missing redirect_uri.
    let fine = location(&ask(&[
        ("response_type", "code"),
        ("client_id", id),
        ("state", "s2"),
    ]));
    assert!(fine.starts_with(&format!("{BASE}/login?")), "{fine}");
    assert_eq!(param(&fine, "state").as_deref(), Some("s2"));
}

// RULE OAUTH-6
#[test]
fn the_scopes_granted_are_those_asked_and_allowed_with_openid_for_claims() {
    let (p, _, web) = setup();
    let ask = |scope: &str| {
        let reply = oauth::authorize::authorize(
            &p.store,
            "app",
            &request(&code_query(&web, &[("scope", scope)]), &[], &[]),
        );
        location(&reply)
    };
    assert_eq!(
        param(&ask("email"), "error").as_deref(),
        Some("invalid_scope")
    );
    assert_eq!(
        param(&ask("openid phone"), "error").as_deref(),
        Some("invalid_scope")
    );
    assert!(ask("openid email").contains("/login?"));
    let all = code_for(&p, &web, &[]);
    let (_, body) = json_of(&redeem(&p, &web, &all));
    let scope = claims(body["access_token"].as_str().unwrap())["scope"].clone();
    assert_eq!(
        scope, "openid email profile api/read api/write",
        "every allowed scope"
    );
    assert!(body["id_token"].is_string());
}
