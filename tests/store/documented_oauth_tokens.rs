//! OAuth 2.0 as docs/documented-rules.md states it, the tokens and the browser's
//! session (OAUTH-7 to OAUTH-12): codes, client credentials, claims by scope, userInfo,
//! the session, the login form, revocation and sign-out, on the store's test clock.

use crate::oauth_kit::*;
use crate::rules;

use cognito_console::local::oauth::{self, Reply};
use rules::*;
use serde_json::json;

// RULE OAUTH-7
#[test]
fn a_code_is_good_once_for_five_minutes_from_its_client_and_redirect() {
    let (p, id, web) = setup();
    let c = code_for(&p, &web, &[]);
    let (status, body) = json_of(&redeem(&p, &web, &c));
    assert_eq!(status, 200);
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["refresh_token"].is_string());
    let (status, used) = json_of(&redeem(&p, &web, &c));
    assert_eq!(
        (status, used["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let late = code_for(&p, &web, &[]);
    p.advance(301);
    assert_eq!(
        json_of(&redeem(&p, &web, &late)).1["error"],
        "invalid_grant"
    );
    let moved = code_for(&p, &web, &[]);
    let (_, body) = json_of(&token(
        &p,
        &web,
        &[
            ("grant_type", "authorization_code"),
            ("code", &moved),
            ("redirect_uri", "https://app.example/other"),
        ],
    ));
    assert_eq!(
        body,
        json!({"error": "unauthorized_client", "error_description": "invalid_redirect"})
    );
    // PKCE: RFC 7636's example pair.
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let pkce = [
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    let without = code_for(&p, &web, &pkce);
    assert_eq!(
        json_of(&redeem(&p, &web, &without)).1["error"],
        "invalid_request"
    );
    let wrong = code_for(&p, &web, &pkce);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", wrong.as_str()),
        ("redirect_uri", CB),
        ("code_verifier", "x".repeat(43).leak() as &str),
    ];
    assert_eq!(json_of(&token(&p, &web, &form)).1["error"], "invalid_grant");
    let right = code_for(&p, &web, &pkce);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", right.as_str()),
        ("redirect_uri", CB),
        ("code_verifier", verifier),
    ];
    assert_eq!(json_of(&token(&p, &web, &form)).0, 200);
    // Another client's code, and a client that does not authenticate.
    let other = p.client(
        &id,
        json!({"AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
                                     "AllowedOAuthScopes": ["openid"], "CallbackURLs": [CB]}),
    );
    let theirs = code_for(&p, &web, &[]);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", theirs.as_str()),
        ("redirect_uri", CB),
        ("client_id", other["ClientId"].as_str().unwrap()),
    ];
    let reply = oauth::token::token(&p.store, "app", &request(&[], &form, &[]));
    assert_eq!(json_of(&reply).1["error"], "invalid_grant");
    let form = [
        ("grant_type", "authorization_code"),
        ("code", "x"),
        ("client_id", web["ClientId"].as_str().unwrap()),
        ("client_secret", "wrong"),
    ];
    let reply = oauth::token::token(&p.store, "app", &request(&[], &form, &[]));
    assert_eq!(
        json_of(&reply),
        (
            400,
            json!({"error": "invalid_client", "error_description": "Client authentication failed"})
        )
    );
    // A refresh: new ID and access tokens, no new refresh token.
    let c = code_for(&p, &web, &[]);
    let refresh = json_of(&redeem(&p, &web, &c)).1["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = json_of(&token(
        &p,
        &web,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    ));
    assert_eq!(status, 200);
    assert!(
        body["id_token"].is_string() && body.get("refresh_token").is_none(),
        "{body}"
    );
    assert_eq!(
        json_of(&token(&p, &web, &[("grant_type", "password")])).1["error"],
        "unsupported_grant_type"
    );
}

// RULE OAUTH-8
#[test]
fn client_credentials_give_the_client_an_access_token_of_custom_scopes() {
    let (p, id, web) = setup();
    let service = p.client(
        &id,
        json!({"GenerateSecret": true, "AllowedOAuthFlowsUserPoolClient": true,
                                       "AllowedOAuthFlows": ["client_credentials"],
                                       "AllowedOAuthScopes": ["api/read", "api/write"]}),
    );
    let (status, body) = json_of(&token(
        &p,
        &service,
        &[("grant_type", "client_credentials"), ("scope", "api/read")],
    ));
    assert_eq!(status, 200);
    assert!(body.get("id_token").is_none() && body.get("refresh_token").is_none());
    let access = claims(body["access_token"].as_str().unwrap());
    assert_eq!(access["sub"], service["ClientId"]);
    assert_eq!(access["scope"], "api/read");
    assert!(access.get("username").is_none());
    let all = json_of(&token(
        &p,
        &service,
        &[("grant_type", "client_credentials")],
    ))
    .1;
    assert_eq!(
        claims(all["access_token"].as_str().unwrap())["scope"],
        "api/read api/write"
    );
    let none = json_of(&token(
        &p,
        &service,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "api/delete"),
        ],
    ))
    .1;
    assert_eq!(none["error"], "invalid_scope");
    let not_allowed = json_of(&token(&p, &web, &[("grant_type", "client_credentials")])).1;
    assert_eq!(not_allowed["error"], "unauthorized_client");
}

// RULE OAUTH-9
#[test]
fn scopes_decide_the_claims_userinfo_answers_and_what_the_api_takes() {
    let (p, id, web) = setup();
    p.ok("AddCustomAttributes", json!({"UserPoolId": id, "CustomAttributes": [{"Name": "team", "AttributeDataType": "String"}]}));
    p.ok("AdminUpdateUserAttributes", json!({"UserPoolId": id, "Username": "ana", "UserAttributes": [{"Name": "custom:team", "Value": "blue"}]}));
    let c = code_for(&p, &web, &[("scope", "openid email"), ("nonce", "n-1")]);
    let body = json_of(&redeem(&p, &web, &c)).1;
    let id_token = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["email"], "ana@example.com");
    assert_eq!(id_token["nonce"], "n-1");
    assert!(id_token["at_hash"].is_string());
    assert!(
        id_token.get("name").is_none() && id_token.get("custom:team").is_none(),
        "{id_token}"
    );
    let access = body["access_token"].as_str().unwrap();
    assert_eq!(claims(access)["scope"], "openid email");
    let mut req = request(&[], &[], &[]);
    req.authorization = Some(format!("Bearer {access}"));
    let info = json_of(&oauth::userinfo::userinfo(&p.store, "app", &req)).1;
    assert_eq!(info["email_verified"], "true", "a string");
    assert!(info.get("name").is_none());
    let refused = p.refused("GetUser", json!({"AccessToken": access}));
    assert_eq!(refused.1, "Access Token does not have required scopes");
    let profile = code_for(&p, &web, &[("scope", "openid profile")]);
    let body = json_of(&redeem(&p, &web, &profile)).1;
    let id_token = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["custom:team"], "blue");
    assert!(id_token.get("email").is_none());
    // Without openid, userInfo says no, in a header.
    let api = code_for(&p, &web, &[("scope", "api/read")]);
    let body = json_of(&redeem(&p, &web, &api)).1;
    req.authorization = Some(format!("Bearer {}", body["access_token"].as_str().unwrap()));
    match oauth::userinfo::userinfo(&p.store, "app", &req) {
        Reply::Empty {
            status: 401,
            headers,
        } => assert!(headers[0].1.contains("invalid_token")),
        other => panic!("{other:?}"),
    }
    req.authorization = None;
    match oauth::userinfo::userinfo(&p.store, "app", &req) {
        Reply::Empty {
            status: 400,
            headers,
        } => assert!(headers[0].1.contains("Bad OAuth2 request")),
        other => panic!("{other:?}"),
    }
}

// RULE OAUTH-10
#[test]
fn a_session_signs_in_again_within_the_hour_until_sign_out() {
    let (p, pool_id, web) = setup();
    let done = sign_in(&p, &code_query(&web, &[]), "ana", "Passw0rd!");
    let Reply::Redirect { cookies, .. } = &done else {
        panic!("{done:?}")
    };
    let session = cookies
        .iter()
        .find_map(|c| c.strip_prefix("cognito="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    assert!(
        cookies
            .iter()
            .any(|c| c.contains("HttpOnly") && c.contains("Max-Age=3600"))
    );
    let first = param(&location(&done), "code").unwrap();
    let auth_time = claims(
        json_of(&redeem(&p, &web, &first)).1["id_token"]
            .as_str()
            .unwrap(),
    )["auth_time"]
        .clone();
    p.advance(600);
    let again = oauth::authorize::authorize(
        &p.store,
        "app",
        &request(&code_query(&web, &[]), &[], &[("cognito", &session)]),
    );
    let second = param(&location(&again), "code").expect("no password asked");
    let body = json_of(&redeem(&p, &web, &second)).1;
    assert_eq!(
        claims(body["id_token"].as_str().unwrap())["auth_time"],
        auth_time
    );
    let out = oauth::userinfo::logout(
        &p.store,
        "app",
        &request(
            &[
                ("client_id", web["ClientId"].as_str().unwrap()),
                ("logout_uri", "https://app.example/bye"),
            ],
            &[],
            &[("cognito", &session)],
        ),
    );
    assert_eq!(location(&out), "https://app.example/bye");
    let after = oauth::authorize::authorize(
        &p.store,
        "app",
        &request(&code_query(&web, &[]), &[], &[("cognito", &session)]),
    );
    assert!(location(&after).contains("/login?"));

    // A session of a user disabled since gives nothing: not a code, not tokens.
    let done = sign_in(&p, &code_query(&web, &[]), "ana", "Passw0rd!");
    let Reply::Redirect { cookies, .. } = &done else {
        panic!("{done:?}")
    };
    let session = cookies
        .iter()
        .find_map(|c| c.strip_prefix("cognito="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    p.call(
        "AdminDisableUser",
        json!({"UserPoolId": pool_id, "Username": "ana"}),
    )
    .unwrap();
    for response_type in ["code", "token"] {
        let query: Vec<(&str, &str)> = code_query(&web, &[])
            .into_iter()
            .map(|(k, v)| {
                if k == "response_type" {
                    (k, response_type)
                } else {
                    (k, v)
                }
            })
            .collect();
        let refused = oauth::authorize::authorize(
            &p.store,
            "app",
            &request(&query, &[], &[("cognito", &session)]),
        );
        let to = location(&refused);
        assert!(to.contains("/login?"), "{response_type}: {to}");
        assert!(
            !to.contains("access_token") && !to.contains("code="),
            "{to}"
        );
    }
    p.advance(3600);
}

// RULE OAUTH-11
#[test]
fn the_login_form_needs_its_csrf_token_escapes_what_comes_back_and_walks_challenges() {
    let (p, id, web) = setup();
    let query = code_query(&web, &[]);
    let forged = oauth::login::submit(
        &p.store,
        "app",
        &request(
            &query,
            &[("username", "ana"), ("password", "Passw0rd!")],
            &[],
        ),
    );
    assert_eq!(page_status(&forged).0, 403);
    let shown = oauth::login::show(&p.store, "app", &request(&query, &[], &[]));
    let Reply::Page { html, cookies, .. } = &shown else {
        panic!()
    };
    assert!(cookies[0].starts_with("XSRF-TOKEN="));
    assert!(html.contains("name=\"_csrf\"") && !html.contains("<script"));
    let (status, html) = page_status(&sign_in(&p, &query, "<img src=x onerror=alert(1)>", "nope"));
    assert_eq!(status, 400);
    assert!(
        !html.contains("<img src=x") && html.contains("&lt;img src=x"),
        "{html}"
    );
    // A user an administrator made: a new password first, on the page.
    p.ok("AdminCreateUser", json!({"UserPoolId": id, "Username": "ben", "TemporaryPassword": "Temp-Pass-1!", "MessageAction": "SUPPRESS"}));
    let (_, html) = page_status(&sign_in(&p, &query, "ben", "Temp-Pass-1!"));
    assert!(html.contains("Change your password"), "{html}");
    let session = html
        .split("name=\"session\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let form = [
        ("_csrf", CSRF),
        ("challenge", "NEW_PASSWORD_REQUIRED"),
        ("session", session),
        ("username", "ben"),
        ("new_password", "Brand-New-1!"),
        ("confirm_password", "Brand-New-1!"),
    ];
    let done = oauth::login::submit(
        &p.store,
        "app",
        &request(&query, &form, &[("XSRF-TOKEN", CSRF)]),
    );
    assert!(param(&location(&done), "code").is_some());
    let user = p.ok("AdminGetUser", json!({"UserPoolId": id, "Username": "ben"}));
    assert_eq!(user["UserStatus"], "CONFIRMED");
}

// RULE OAUTH-12
#[test]
fn revoke_answers_as_cognito_and_logout_goes_only_where_registered() {
    let (p, _, web) = setup();
    let c = code_for(&p, &web, &[]);
    let body = json_of(&redeem(&p, &web, &c)).1;
    let refresh = body["refresh_token"].as_str().unwrap();
    let revoke =
        |form: &[(&str, &str)]| oauth::token::revoke(&p.store, "app", &request(&[], form, &[]));
    let id = web["ClientId"].as_str().unwrap();
    let secret = web["ClientSecret"].as_str().unwrap();
    assert!(matches!(
        revoke(&[
            ("token", refresh),
            ("client_id", id),
            ("client_secret", secret)
        ]),
        Reply::Empty { status: 200, .. }
    ));
    assert!(matches!(
        revoke(&[
            ("token", "unknown"),
            ("client_id", id),
            ("client_secret", secret)
        ]),
        Reply::Empty { status: 200, .. }
    ));
    let jwt = body["access_token"].as_str().unwrap();
    assert_eq!(
        json_of(&revoke(&[
            ("token", jwt),
            ("client_id", id),
            ("client_secret", secret)
        ]))
        .1["error"],
        "unsupported_token_type"
    );
    assert_eq!(
        json_of(&revoke(&[
            ("token", refresh),
            ("client_id", id),
            ("client_secret", "no")
        ]))
        .0,
        401
    );
    assert_eq!(
        json_of(&revoke(&[("client_id", id)])).1["error"],
        "invalid_request"
    );
    assert_eq!(
        json_of(&token(
            &p,
            &web,
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)]
        ))
        .1["error"],
        "invalid_grant"
    );
    let out = |query: &[(&str, &str)]| {
        oauth::userinfo::logout(&p.store, "app", &request(query, &[], &[]))
    };
    assert_eq!(
        page_status(&out(&[
            ("client_id", id),
            ("logout_uri", "https://app.example/bye/")
        ]))
        .0,
        400
    );
    let again = location(&out(&[
        ("client_id", id),
        ("redirect_uri", CB),
        ("response_type", "code"),
        ("state", "s"),
    ]));
    assert!(
        again.starts_with(&format!("{BASE}/oauth2/authorize?")),
        "{again}"
    );
    assert_eq!(param(&again, "state").as_deref(), Some("s"));
}
