//! The pool's domain over `serve`, with clients nobody here wrote: Authlib (an OAuth 2.0
//! and OpenID Connect relying party) doing the authorization code grant with PKCE, the
//! refresh, client credentials with a custom scope, userInfo, revocation and sign-out,
//! with every bad request refused as Cognito refuses it (tests/peers/oauth_authlib.py);
//! and the managed login page in Debian's Chromium driven by selenium: a first sign-in
//! that must set a new password and set up an authenticator, then one that asks for its
//! code (tests/peers/oauth_browser.py).

use crate::common;

fn walk(script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let serve = common::spawn_serve(&db, &["--no-demo"]);
    let out = common::peer_script(script, &[serve.endpoint.as_ref()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed\n{stdout}\n{stderr}");
    assert!(stdout.contains("all steps passed"), "{stdout}");
}

#[test]
fn authlib_signs_in_with_pkce_refreshes_and_is_refused_where_cognito_refuses() {
    walk("oauth_authlib.py");
}

#[test]
fn chromium_walks_the_managed_login_through_a_new_password_and_mfa() {
    walk("oauth_browser.py");
}
