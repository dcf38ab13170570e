//! The Domain tab and the app clients' managed login settings. On the local store: a
//! domain refused before the call then set up, a resource server created with two scopes,
//! edited (the diff; a scope added elsewhere meanwhile kept) and deleted by identifier;
//! an app client given the managed login, refused first where Cognito would refuse (an
//! unknown scope, client credentials beside code, no callback), its sign-in page shown;
//! every change audited; --read-only. On `serve`: the sign-in page the console shows for
//! a client answers with the managed login's form.

use std::io::{Read, Write};

use crate::common;
use crate::snapshots::check;

use cognito_console::client::{Client, Target};
use cognito_console::console::headless::Headless;
use cognito_console::console::popups::app_client_detail::AppClientDetail;
use cognito_console::console::tabs::Load;
use cognito_console::local::{Store, db::audit};
use cognito_console::pool::audit::Query;

async fn console(read_only: bool) -> (Headless, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut options = common::console_options(Target::Local { db: db.clone() }, None, false);
    options.read_only = read_only;
    let h = common::local_console(&db, options).await;
    (h, dir)
}

fn client(h: &Headless) -> Client {
    h.app.client.clone().expect("connected")
}

fn pool_id(h: &Headless) -> String {
    h.app.pool.as_ref().expect("pool").id.clone()
}

/// The error beside `id` in the open form of the Domain tab, or of the App clients tab.
fn error(h: &Headless, id: &str) -> Option<String> {
    let form = match (&h.app.domain.form, &h.app.app_clients.form) {
        (Some((_, f)), _) | (None, Some((_, f))) => f,
        (None, None) => panic!("no form open"),
    };
    form.field(id).and_then(|f| f.error.clone())
}

/// Focuses `id` in whichever form is open by tabbing through it.
async fn focus(h: &mut Headless, id: &str) {
    for _ in 0..60 {
        let at = match (&h.app.domain.form, &h.app.app_clients.form) {
            (Some((_, f)), _) | (None, Some((_, f))) => f.focused_id().to_string(),
            (None, None) => panic!("no form open"),
        };
        if at == id {
            return;
        }
        h.press("tab").await;
    }
    panic!("no field {id}");
}

/// Selects the app client `name` on the App clients tab.
fn select_client(h: &mut Headless, name: &str) -> String {
    let at = h
        .app
        .app_clients
        .clients
        .iter()
        .position(|c| c.settings.name == name)
        .expect("the client");
    h.app.app_clients.selected = at;
    h.app.app_clients.clients[at].id.clone()
}

#[tokio::test]
async fn a_domain_and_resource_servers_are_set_up_and_clients_sign_in_there() {
    let (mut h, dir) = console(false).await;
    h.press("8").await;
    assert_eq!(h.app.domain.load, Load::Loaded);
    let screen = h.screen(80, 24);
    assert!(screen.contains("This pool has no domain"), "{screen}");
    assert!(screen.contains("n sets one up"), "{screen}");
    assert!(screen.contains("Resource servers (0)"), "{screen}");
    check("domain_empty", &mut h);

    // A reserved word is refused before any call; a good prefix is set up.
    h.press("n").await;
    h.type_text("my-aws-shop").await;
    h.press("ctrl-s").await;
    let why = error(&h, "prefix").expect("the prefix's rule");
    assert!(why.contains("reserved word: aws"), "{why}");
    assert!(h.app.popups.is_empty(), "no confirmation, no call");
    for _ in 0.."my-aws-shop".len() {
        h.press("backspace").await;
    }
    h.type_text("shop-dev").await;
    h.press("ctrl-s").await;
    assert!(h.screen(80, 24).contains("Set up this domain?"));
    h.press("enter").await;
    let domain = h.app.domain.settings.domain.clone().expect("a domain");
    assert_eq!(
        (domain.prefix.as_str(), domain.status.as_str()),
        ("shop-dev", "ACTIVE")
    );
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("http://127.0.0.1:9229/shop-dev"),
        "{screen}"
    );
    assert!(
        screen.contains(&format!(
            "http://127.0.0.1:9229/{}/.well-known/openid-configuration",
            pool_id(&h)
        )),
        "{screen}"
    );

    // A resource server with two scopes; a bad scope name is refused beside its row.
    h.press("c").await;
    h.type_text("orders").await;
    h.press("tab").await;
    h.type_text("Orders API").await;
    h.press("tab").await;
    h.type_text("read").await;
    h.press("tab").await;
    h.type_text("Read orders").await;
    h.press("ctrl-n").await;
    h.type_text("wr/ite").await;
    h.press("tab").await;
    h.type_text("Write orders").await;
    h.press("ctrl-s").await;
    assert!(error(&h, "scope_name:1").is_some(), "{}", h.screen(80, 24));
    assert!(h.app.popups.is_empty());
    focus(&mut h, "scope_name:1").await;
    for _ in 0.."wr/ite".len() {
        h.press("backspace").await;
    }
    h.type_text("write").await;
    h.press("ctrl-s").await;
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("New scope orders/write: Write orders"),
        "{screen}"
    );
    h.press("enter").await;
    assert_eq!(h.app.domain.settings.servers.len(), 1);
    check("domain", &mut h);

    // An edit: a description changed, a scope removed; `audit`, added elsewhere
    // meanwhile, stays.
    h.press("e").await;
    focus(&mut h, "scope_description:0").await;
    h.type_text(" and invoices").await;
    focus(&mut h, "scope_name:1").await;
    h.press("ctrl-x").await;
    h.press("ctrl-s").await;
    let screen = h.screen(120, 40);
    assert!(
        screen.contains("Scope orders/read: Read orders → Read orders and invoices"),
        "{screen}"
    );
    assert!(screen.contains("Scope orders/write removed"), "{screen}");
    check("domain_server_diff", &mut h);
    let sdk = client(&h).sdk().clone();
    let scope = |name: &str, description: &str| {
        aws_sdk_cognitoidentityprovider::types::ResourceServerScopeType::builder()
            .scope_name(name)
            .scope_description(description)
            .build()
            .unwrap()
    };
    sdk.update_resource_server()
        .user_pool_id(pool_id(&h))
        .identifier("orders")
        .name("Orders API")
        .scopes(scope("read", "Read orders"))
        .scopes(scope("write", "Write orders"))
        .scopes(scope("audit", "Audit orders"))
        .send()
        .await
        .unwrap();
    h.press("enter").await;
    let server = sdk
        .describe_resource_server()
        .user_pool_id(pool_id(&h))
        .identifier("orders")
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    let scopes: Vec<(&str, &str)> = server
        .scopes()
        .iter()
        .map(|s| (s.scope_name(), s.scope_description()))
        .collect();
    assert_eq!(
        scopes,
        [
            ("read", "Read orders and invoices"),
            ("audit", "Audit orders")
        ]
    );

    // The demo app client gets the managed login. Refused before any call: a scope
    // the pool does not have, client credentials beside the code grant (and without a
    // secret), the code grant without a callback URL.
    h.press("6").await;
    let client_id = select_client(&mut h, "demo-app");
    h.press("e").await;
    focus(&mut h, "oauth").await;
    h.press("space").await;
    focus(&mut h, "grant:code").await;
    h.press("space").await;
    focus(&mut h, "grant:client_credentials").await;
    h.press("space").await;
    focus(&mut h, "scopes").await;
    h.type_text("openid email orders/nope").await;
    h.press("ctrl-s").await;
    let grants = error(&h, "grant:code").expect("the grants' rule");
    assert!(
        grants.contains("client_credentials flow can not be selected"),
        "{grants}"
    );
    assert!(error(&h, "callback").is_some(), "a callback is needed");
    assert!(h.app.popups.is_empty(), "no confirmation, no call");
    focus(&mut h, "grant:client_credentials").await;
    h.press("space").await;
    h.press("ctrl-s").await;
    let scopes = error(&h, "scopes").expect("the scopes' rule");
    assert!(
        scopes.contains("Invalid scope requested: orders/nope"),
        "{scopes}"
    );
    assert!(h.app.popups.is_empty(), "no confirmation, no call");
    check("app_client_oauth_errors", &mut h);
    focus(&mut h, "scopes").await;
    for _ in 0.."nope".len() {
        h.press("backspace").await;
    }
    h.type_text("read").await;
    focus(&mut h, "providers").await;
    h.type_text("COGNITO").await;
    focus(&mut h, "callback").await;
    h.type_text("http://localhost:3000/callback").await;
    h.press("ctrl-s").await;
    let screen = h.screen(120, 40);
    for line in [
        "Managed login (OAuth 2.0): no → yes",
        "OAuth grant types: - → code",
        "OAuth scopes: - → openid, email, orders/read",
    ] {
        assert!(screen.contains(line), "{line} in {screen}");
    }
    h.press("enter").await;
    let described = sdk
        .describe_user_pool_client()
        .user_pool_id(pool_id(&h))
        .client_id(&client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(
        described.allowed_o_auth_flows_user_pool_client(),
        Some(true)
    );
    assert_eq!(
        described.allowed_o_auth_scopes(),
        ["openid", "email", "orders/read"]
    );
    assert_eq!(described.supported_identity_providers(), ["COGNITO"]);
    assert!(
        described.explicit_auth_flows().len() == 4,
        "the auth flows stay as they were"
    );

    // Its sign-in page, whole, on a line of its own.
    select_client(&mut h, "demo-app");
    h.press("enter").await;
    let detail = h.app.top::<AppClientDetail>().expect("the detail");
    let url = detail.sign_in.clone().expect("a sign-in page").url;
    assert!(
        url.starts_with(&format!(
            "http://127.0.0.1:9229/shop-dev/login?client_id={client_id}&response_type=code&scope=openid+email+orders%2Fread&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback"
        )),
        "{url}"
    );
    check("app_client_sign_in", &mut h);
    // Drawn at 80x24, it scrolls to its foot.
    h.screen(80, 24);
    h.press("j j j j j j j j").await;
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("Sign-in page:"),
        "scrolled to the foot: {screen}"
    );
    h.press("esc").await;

    // Deleting asks for the identifier, and the domain's prefix.
    h.press("8").await;
    h.press("D").await;
    h.type_text("Orders API").await;
    h.press("enter").await;
    assert!(
        h.screen(80, 24)
            .contains("not the resource server's identifier")
    );
    for _ in 0.."Orders API".len() {
        h.press("backspace").await;
    }
    h.type_text("orders").await;
    h.press("enter").await;
    assert!(h.app.domain.settings.servers.is_empty());
    h.press("X").await;
    h.type_text("shop-dev").await;
    h.press("enter").await;
    assert!(h.app.domain.settings.domain.is_none(), "{:?}", h.app.status);

    // The audit log tells each change.
    let store = Store::open(&dir.path().join("store.db")).unwrap();
    let entries = audit::list(
        &store,
        &Query {
            limit: 100,
            ..Query::default()
        },
    )
    .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.change.action.as_str()).collect();
    for action in [
        "create domain",
        "create resource server",
        "update resource server",
        "delete resource server",
        "delete domain",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn read_only_shows_the_domain_and_changes_nothing() {
    let (mut h, _dir) = console(true).await;
    h.press("8").await;
    let commands: Vec<_> = h
        .app
        .hints(h.app.layer())
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert!(commands.iter().all(|c| !c.writes()), "{commands:?}");
    assert!(!h.screen(80, 24).contains("sets one up"));
    h.press("n c e D X").await;
    assert!(h.app.domain.form.is_none());
    assert!(h.app.popup().is_none());
}

/// GET `url` (http, loopback) with a plain HTTP/1.1 request: the status and the body.
fn get(url: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").expect("http");
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = std::net::TcpStream::connect(authority).expect("connect to serve");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let status = reply
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, reply)
}

#[tokio::test]
async fn the_sign_in_page_the_console_shows_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    drop(common::demo_store(&db));
    let serve = common::spawn_serve(&db, &[]);
    let target = Target::Aws {
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_url: Some(serve.endpoint.clone()),
    };
    let options = common::console_options(target, None, false);
    let mut h = Headless::start(options).await;
    assert!(h.app.pool.is_some(), "{:?}", h.app.status);
    h.press("8 n").await;
    h.type_text("team-login").await;
    h.press("ctrl-s enter").await;
    assert!(h.app.domain.settings.domain.is_some(), "{:?}", h.app.status);
    h.press("6").await;
    select_client(&mut h, "demo-app");
    h.press("e").await;
    focus(&mut h, "oauth").await;
    h.press("space").await;
    focus(&mut h, "grant:code").await;
    h.press("space").await;
    focus(&mut h, "scopes").await;
    h.type_text("openid").await;
    focus(&mut h, "providers").await;
    h.type_text("COGNITO").await;
    focus(&mut h, "callback").await;
    h.type_text("http://localhost:3000/callback").await;
    h.press("ctrl-s enter").await;
    select_client(&mut h, "demo-app");
    h.press("enter").await;
    let url = h
        .app
        .top::<AppClientDetail>()
        .expect("the detail")
        .sign_in
        .clone()
        .expect("a sign-in page")
        .url;
    assert!(
        url.starts_with(&format!("{}/team-login/login?", serve.endpoint)),
        "{url}"
    );
    let (status, page) = get(&url);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("name=\"username\""), "{page}");
    assert!(page.contains("name=\"password\""), "{page}");
}

#[tokio::test]
async fn on_moto_the_domain_is_set_up_and_a_refused_edit_keeps_the_form() {
    let (_setup, pool) = common::moto_pool("domain").await;
    let mut h = common::moto_console(&pool).await;
    h.press("8").await;
    assert_eq!(h.app.domain.load, Load::Loaded, "{:?}", h.app.status);
    // Prefixes are global on moto as on AWS: one of this run's own.
    let prefix = format!("shop-{}", &pool.to_ascii_lowercase()[10..18]);
    h.press("n").await;
    h.type_text(&prefix).await;
    h.press("ctrl-s enter").await;
    let domain = h.app.domain.settings.domain.clone().expect("a domain");
    assert_eq!(domain.prefix, prefix);
    let screen = h.screen(120, 40);
    assert!(
        screen.contains(&format!("{}/{prefix}", common::moto_endpoint())),
        "{screen}"
    );
    assert!(
        screen.contains("other emulators may have no managed login"),
        "{screen}"
    );
    h.press("c").await;
    h.type_text("orders").await;
    h.press("tab").await;
    h.type_text("Orders").await;
    h.press("tab").await;
    h.type_text("read").await;
    h.press("tab").await;
    h.type_text("Read orders").await;
    h.press("ctrl-s enter").await;
    assert_eq!(h.app.domain.settings.servers.len(), 1, "{:?}", h.app.status);
    // moto has no UpdateResourceServer: the refusal is said and the form kept.
    h.press("e").await;
    h.type_text(" API").await;
    h.press("ctrl-s enter").await;
    let (_, form) = h.app.domain.form.as_ref().expect("the form stays");
    assert_eq!(form.value("name"), "Orders API");
    assert!(form.message.is_some(), "why is said in the form");
    assert!(
        h.app
            .status
            .as_ref()
            .is_some_and(|s| s.text.contains("resource server not saved")),
        "{:?}",
        h.app.status
    );
}
