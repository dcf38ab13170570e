//! `export` and `import` as an admin runs them: users exported from moto server import
//! into the local store whole; a file with bad rows is refused by line before anything
//! is written; an import killed against a throttled `serve` and run again ends with every
//! user exactly once.
#![cfg(unix)]

use crate::common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, AttributeType, MessageActionType, SchemaAttributeType,
    StringAttributeConstraintsType,
};
use cognito_console::client::{Client, UserQuery};
use cognito_console::local::{Store, ops::Context, wire::api};
use serde_json::json;

fn run(args: &[&str]) -> Output {
    Command::new(common::binary())
        .args(args)
        .output()
        .expect("run")
}

fn text(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A local database with one pool declaring custom:team; its id.
fn local_pool(db: &Path) -> String {
    let store = Store::open(db).expect("store");
    let made = api::call(
        &store,
        &Context::default(),
        "CreateUserPool",
        &json!({"PoolName": "target", "Schema": [{"Name": "team", "AttributeDataType": "String",
                 "StringAttributeConstraints": {"MaxLength": "32"}}]}),
    )
    .expect("pool");
    made["UserPool"]["Id"].as_str().expect("id").to_string()
}

async fn all_users(client: &Client, pool: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut query = UserQuery::default();
    loop {
        let page = client.list_users(pool, &query).await.expect("list");
        for u in page.users {
            let mut attrs: Vec<(String, String)> = u
                .attributes
                .into_iter()
                .filter(|a| a.name != "sub")
                .map(|a| (a.name, a.value))
                .collect();
            attrs.sort();
            out.push((u.username, attrs));
        }
        match page.next {
            Some(t) => query.pagination_token = Some(t),
            None => break,
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn users_exported_from_moto_import_into_the_store_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let moto = common::moto_endpoint();
    let source = common::endpoint_client(&moto);
    let made = source
        .sdk()
        .create_user_pool()
        .pool_name("source")
        .schema(
            SchemaAttributeType::builder()
                .name("team")
                .attribute_data_type(AttributeDataType::String)
                .string_attribute_constraints(
                    StringAttributeConstraintsType::builder()
                        .max_length("32")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .expect("moto pool");
    let source_pool = made
        .user_pool()
        .and_then(|p| p.id())
        .expect("id")
        .to_string();
    for i in 0..75 {
        let mut attrs = vec![
            ("email", format!("user{i}@example.com")),
            ("email_verified", "true".to_string()),
            ("name", format!("User, \"{i}\"")),
        ];
        if i % 3 == 0 {
            attrs.push(("custom:team", format!("team{}", i % 5)));
            attrs.push(("phone_number", format!("+1555000{i:04}")));
        }
        source
            .sdk()
            .admin_create_user()
            .user_pool_id(&source_pool)
            .username(format!("user{i:03}"))
            .message_action(MessageActionType::Suppress)
            .set_user_attributes(Some(
                attrs
                    .iter()
                    .map(|(n, v)| {
                        AttributeType::builder()
                            .name(*n)
                            .value(v)
                            .build()
                            .expect("attr")
                    })
                    .collect(),
            ))
            .send()
            .await
            .expect("moto user");
    }
    let csv = dir.path().join("users.csv");
    let out = run(&[
        "--endpoint-url",
        &moto,
        "--region",
        "us-east-1",
        "--pool",
        &source_pool,
        "--log-file",
        dir.path().join("log").to_str().expect("utf-8"),
        "export",
        "--output",
        csv.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", text(&out));

    let db = dir.path().join("target.db");
    let target_pool = local_pool(&db);
    let out = run(&[
        "--db",
        db.to_str().expect("utf-8"),
        "--pool",
        &target_pool,
        "--log-file",
        dir.path().join("log").to_str().expect("utf-8"),
        "import",
        csv.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("created 75"), "{}", text(&out));

    let target =
        cognito_console::client::connect(cognito_console::client::Target::Local { db: db.clone() })
            .await
            .expect("local client");
    assert_eq!(
        all_users(&source, &source_pool).await,
        all_users(&target, &target_pool).await
    );
}

#[test]
fn bad_rows_are_listed_by_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let pool = local_pool(&db);
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "cognito:username,email,custom:team,custom:color\n\
         ana,ana@example.com,blue,\n\
         bo,not-an-email,red,\n\
         cy,cy@example.com,green,\n\
         di,di@example.com,,purple\n\
         ana,ana2@example.com,,\n\
         has space,e@example.com,,\n",
    )
    .expect("write");
    let log = dir.path().join("log");
    let out = run(&[
        "--db",
        db.to_str().expect("utf-8"),
        "--pool",
        &pool,
        "--log-file",
        log.to_str().expect("utf-8"),
        "import",
        csv.to_str().expect("utf-8"),
    ]);
    assert!(!out.status.success());
    let said = text(&out);
    for (line, about) in [
        ("line 3", "email"),
        ("line 5", "custom:color"),
        ("line 6", "line 2"),
        ("line 7", "Username"),
    ] {
        assert!(
            said.lines().any(|l| l.contains(line) && l.contains(about)),
            "{line} {about}:\n{said}"
        );
    }
    assert!(said.contains("nothing was imported"), "{said}");
    let store = Store::open(&db).expect("store");
    let users: i64 = store
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
        .expect("count");
    assert_eq!(users, 0);
    // --dry-run says the same and writes nothing either.
    let out = run(&[
        "--db",
        db.to_str().expect("utf-8"),
        "--pool",
        &pool,
        "--log-file",
        log.to_str().expect("utf-8"),
        "import",
        "--dry-run",
        csv.to_str().expect("utf-8"),
    ]);
    assert!(!out.status.success());
    assert!(text(&out).contains("line 3"));
}

#[test]
fn an_import_killed_against_a_throttled_serve_finishes_when_run_again() {
    const ROWS: usize = 240;
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let pool = local_pool(&db);
    let serve = common::spawn_serve(&db, &["--no-demo", "--max-rps", "40"]);
    let csv = dir.path().join("users.csv");
    let mut rows = String::from("cognito:username,email,custom:team\n");
    for i in 0..ROWS {
        rows.push_str(&format!("user{i:04},user{i}@example.com,team{}\n", i % 7));
    }
    std::fs::write(&csv, rows).expect("write");
    let args = |log: &str| -> Vec<String> {
        [
            "--endpoint-url",
            &serve.endpoint,
            "--region",
            "us-east-1",
            "--pool",
            &pool,
            "--log-file",
            dir.path().join(log).to_str().expect("utf-8"),
            "import",
            "--concurrency",
            "8",
            csv.to_str().expect("utf-8"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let count = || -> i64 {
        let store = Store::open(&db).expect("store");
        store
            .read(|tx| Ok(tx.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
            .expect("count")
    };
    // The first run is killed part of the way through.
    let mut first = Command::new(common::binary())
        .args(args("first.log"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while count() < 60 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the import made no progress"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill().expect("kill");
    first.wait().expect("wait");
    let after_kill = count();
    assert!(
        after_kill < ROWS as i64,
        "killed too late to prove anything"
    );

    let out = Command::new(common::binary())
        .args(args("second.log"))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .expect("run again");
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert_eq!(count(), ROWS as i64, "every user exactly once");
    // serve may still have committed a request the killed client had sent: the rerun
    // finds at least the users counted after the kill, and creates the rest.
    let figure = |label: &str| -> i64 {
        said.split(label)
            .nth(1)
            .and_then(|rest| rest.trim_start().split([',', ' ']).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {label:?} in: {said}"))
    };
    let (created, present) = (figure("created"), figure("already there"));
    assert!(said.contains("(skipped), failed 0"), "{said}");
    assert_eq!(created + present, ROWS as i64, "{said}");
    assert!(present >= after_kill, "{said}");
}

#[test]
fn an_import_job_runs_as_boto3_drives_it() {
    let dir = tempfile::tempdir().expect("dir");
    let serve = common::spawn_serve(&dir.path().join("s.db"), &["--no-demo"]);
    let out = common::peer_script("import_job.py", &[serve.endpoint.as_ref()]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("all steps passed"), "{said}");
}

/// `import --job` against `serve`: the CSV goes over HTTP to the job's pre-signed URL,
/// and the job is watched to its end; a row the job refuses is counted, not hidden.
#[test]
fn import_with_a_job_uploads_to_the_pre_signed_url_and_reports_the_counts() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let pool = local_pool(&db);
    let serve = common::spawn_serve(&db, &["--no-demo"]);
    let csv = dir.path().join("job.csv");
    let mut rows = String::from("cognito:username,email,email_verified,custom:team\n");
    for i in 0..40 {
        rows.push_str(&format!("job{i:03},job{i}@example.com,true,t{}\n", i % 3));
    }
    std::fs::write(&csv, rows).expect("write");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "--endpoint-url",
            serve.endpoint.as_ref(),
            "--region",
            "us-east-1",
            "--pool",
            &pool,
            "--log-file",
            dir.path().join("log").to_str().expect("utf-8"),
            "import",
            "--job",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a.push(csv.to_str().expect("utf-8").to_string());
        a
    };
    let out = Command::new(common::binary())
        .args(args(&[]))
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .expect("run");
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("Succeeded: 40 imported, 0 skipped, 0 failed"),
        "{said}"
    );
    let store = Store::open(&db).expect("store");
    let reset: i64 = store
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM users WHERE status = 'RESET_REQUIRED'",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("count");
    assert_eq!(reset, 40);
    // JSONL cannot go to a job, and is refused before any call.
    let jsonl = dir.path().join("job.jsonl");
    std::fs::write(&jsonl, "{}\n").expect("write");
    let out = run(&[
        "--db",
        db.to_str().expect("utf-8"),
        "--pool",
        &pool,
        "--log-file",
        dir.path().join("log").to_str().expect("utf-8"),
        "import",
        "--job",
        jsonl.to_str().expect("utf-8"),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("an import job takes Cognito's CSV"),
        "{}",
        text(&out)
    );
}

/// `export -o FILE` never overwrites a file (as the console's export does not), and
/// `--replace` replaces one and makes it private, whatever its mode was.
#[test]
fn export_never_overwrites_unless_told_and_keeps_the_file_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let pool = local_pool(&db);
    let file = dir.path().join("users.csv");
    std::fs::write(&file, "precious\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log = dir.path().join("log");
    let export = |extra: &[&str]| {
        let mut args = vec![
            "--db",
            db.to_str().unwrap(),
            "--pool",
            &pool,
            "--log-file",
            log.to_str().unwrap(),
            "export",
            "-o",
            file.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let refused = export(&[]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("never overwrites a file"),
        "{}",
        text(&refused)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious\n");
    let replaced = export(&["--replace"]);
    assert!(replaced.status.success(), "{}", text(&replaced));
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("name,"));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// The rows an import could not create go to FILE.failed.jsonl, private to its owner as
/// exports are (they hold the users' addresses).
#[test]
fn failed_rows_are_kept_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let pool = local_pool(&db);
    {
        let store = Store::open(&db).unwrap();
        api::call(
            &store,
            &Context::default(),
            "AdminCreateUser",
            &json!({"UserPoolId": pool, "Username": "ana", "MessageAction": "SUPPRESS",
                    "UserAttributes": [{"Name": "email", "Value": "ana@example.com"}]}),
        )
        .unwrap();
    }
    let file = dir.path().join("users.jsonl");
    std::fs::write(
        &file,
        "{\"Username\":\"ana\",\"Attributes\":{\"email\":\"other@example.com\"}}\n\
         {\"Username\":\"bo\",\"Attributes\":{\"email\":\"bo@example.com\"}}\n",
    )
    .unwrap();
    let out = run(&[
        "--db",
        db.to_str().unwrap(),
        "--pool",
        &pool,
        "--log-file",
        dir.path().join("log").to_str().unwrap(),
        "import",
        file.to_str().unwrap(),
    ]);
    assert!(!out.status.success(), "ana is there with another email");
    let failed = dir.path().join("users.failed.jsonl");
    let kept = std::fs::read_to_string(&failed).expect("the failed rows");
    assert!(
        kept.contains("other@example.com") && !kept.contains("bo@"),
        "{kept}"
    );
    let mode = std::fs::metadata(&failed).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// Values a spreadsheet would run are exported as Cognito's format needs them, and the
/// report says so (`--report json` on stdout beside a file); `--neutralise-formulas`
/// puts a ' before them. A phone number is no formula.
#[test]
fn export_reports_formula_like_values_and_can_neutralise_them() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let pool = local_pool(&db);
    let store = Store::open(&db).expect("store");
    api::call(
        &store,
        &Context::default(),
        "AdminCreateUser",
        &json!({"UserPoolId": pool, "Username": "mallory", "MessageAction": "SUPPRESS",
                "UserAttributes": [
                    {"Name": "name", "Value": "=HYPERLINK(\"http://x\",\"open\")"},
                    {"Name": "phone_number", "Value": "+15551234567"}]}),
    )
    .expect("user");
    drop(store);
    let db_arg = db.to_str().expect("utf-8");
    let file = dir.path().join("users.csv");
    let out = run(&[
        "--db",
        db_arg,
        "--pool",
        &pool,
        "export",
        "-o",
        file.to_str().expect("utf-8"),
        "--report",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["Exported"], 1);
    assert_eq!(report["FormulaLikeValues"], 1, "not the phone number");
    let csv = std::fs::read_to_string(&file).expect("csv");
    assert!(csv.contains("\"=HYPERLINK("), "as it is: {csv}");

    let safe = dir.path().join("safe.csv");
    let out = run(&[
        "--db",
        db_arg,
        "--pool",
        &pool,
        "export",
        "-o",
        safe.to_str().expect("utf-8"),
        "--neutralise-formulas",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("1 values a spreadsheet would run as formulas"),
        "{}",
        text(&out)
    );
    let csv = std::fs::read_to_string(&safe).expect("csv");
    assert!(csv.contains("'=HYPERLINK("), "{csv}");
    assert!(csv.contains(",+15551234567,"), "a number stays: {csv}");

    // Without a file, data has stdout and the report stderr.
    let out = run(&[
        "--db", db_arg, "--pool", &pool, "export", "--report", "text",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("mallory"));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .unwrap_or_default(),
        format!("1\t1\t{pool}\t-")
    );
}

/// The check before an import catches what would stop it part-way: an email two rows
/// share in a pool whose users sign in with it (an alias, once verified). A CRLF file
/// names the same lines as an LF one. `--dry-run` counts the rows already in the pool.
#[test]
fn the_check_catches_a_shared_alias_names_lines_in_crlf_files_and_dry_runs_count_what_is_there() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let store = Store::open(&db).expect("store");
    let made = api::call(
        &store,
        &Context::default(),
        "CreateUserPool",
        &json!({"PoolName": "aliases", "AliasAttributes": ["email"]}),
    )
    .expect("pool");
    let pool = made["UserPool"]["Id"].as_str().expect("id").to_string();
    api::call(
        &store,
        &Context::default(),
        "AdminCreateUser",
        &json!({"UserPoolId": pool, "Username": "ana", "MessageAction": "SUPPRESS"}),
    )
    .expect("ana");
    drop(store);
    let db_arg = db.to_str().expect("utf-8");
    let import = |file: &Path, extra: &[&str]| {
        let mut args = vec!["--db", db_arg, "--pool", &pool, "import"];
        args.extend_from_slice(extra);
        args.push(file.to_str().expect("utf-8"));
        run(&args)
    };
    let shared = dir.path().join("shared.csv");
    std::fs::write(
        &shared,
        "cognito:username,email,email_verified\r\n\
         bo,bo@example.com,true\r\n\
         cy,BO@example.com,true\r\n\
         di,not-an-email,false\r\n",
    )
    .expect("write");
    let out = import(&shared, &[]);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(
        said.lines()
            .any(|l| l.contains("line 3") && l.contains("is also on line 2")),
        "{said}"
    );
    assert!(
        said.lines()
            .any(|l| l.contains("line 4") && l.contains("email")),
        "CRLF lines counted as LF ones: {said}"
    );
    let fine = dir.path().join("fine.csv");
    std::fs::write(
        &fine,
        "cognito:username,email,email_verified\n\
         ana,ana@example.com,false\n\
         bo,bo@example.com,true\n",
    )
    .expect("write");
    let out = import(&fine, &["--dry-run"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(
            "1 already in the pool (done if their attributes match the row's), 1 to create"
        ),
        "{}",
        text(&out)
    );
}

/// `export` and `import` from the command line are written in the store's audit log, as
/// the console's are: who, from where, what, and how it ended.
#[test]
fn the_command_lines_export_and_import_are_audited() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let pool = local_pool(&db);
    let db_arg = db.to_str().expect("utf-8");
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, "cognito:username,email\nana,ana@example.com\n").expect("write");
    let out = run(&[
        "--db",
        db_arg,
        "--pool",
        &pool,
        "import",
        csv.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let file = dir.path().join("out.csv");
    let out = run(&[
        "--db",
        db_arg,
        "--pool",
        &pool,
        "export",
        "-o",
        file.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    // A refused export is written down as refused.
    let out = run(&[
        "--db",
        db_arg,
        "--pool",
        &pool,
        "export",
        "-o",
        file.to_str().expect("utf-8"),
    ]);
    assert!(!out.status.success());
    let out = run(&["--db", db_arg, "audit", "--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let entries: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let of = |action: &str| -> Vec<&serde_json::Value> {
        entries
            .iter()
            .filter(|e| e.to_string().contains(action))
            .collect()
    };
    assert_eq!(of("import users").len(), 1, "{entries:?}");
    assert_eq!(of("export users").len(), 2, "{entries:?}");
    let all = serde_json::Value::Array(entries.clone()).to_string();
    assert!(all.contains("command line"), "the origin: {all}");
    assert!(
        all.contains("never overwrites"),
        "the refusal's reason: {all}"
    );
}

/// A local import job's failed rows say why (there is no CloudWatch here): the first in
/// the job's CompletionMessage, every one in `FILE.failures.csv` (line, username,
/// reason), private to its owner.
#[test]
fn a_local_import_jobs_failed_rows_say_why() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("s.db");
    let pool = local_pool(&db);
    let csv = dir.path().join("again.csv");
    std::fs::write(
        &csv,
        // CRLF line ends: the lines named are still the file's own.
        "cognito:username,email,email_verified\r\n\
         ana,ana@example.com,true\r\n\
         bo,bo@example.com,true\r\n",
    )
    .expect("write");
    let db_arg = db.to_str().expect("utf-8");
    let job = || {
        run(&[
            "--db",
            db_arg,
            "--pool",
            &pool,
            "import",
            "--job",
            csv.to_str().expect("utf-8"),
        ])
    };
    let first = job();
    assert!(first.status.success(), "{}", text(&first));
    // The same rows again: each user is there already.
    let again = job();
    let said = text(&again);
    assert!(!again.status.success());
    assert!(said.contains("2 failed"), "{said}");
    assert!(
        said.contains("Line 2 (ana) failed:"),
        "the first reason: {said}"
    );
    let failures = dir.path().join("again.failures.csv");
    assert!(said.contains("again.failures.csv"), "{said}");
    let kept = std::fs::read_to_string(&failures).expect("the failures file");
    let lines: Vec<&str> = kept.lines().collect();
    assert_eq!(lines[0], "line,username,reason");
    assert!(
        lines[1].starts_with("2,ana,") && lines[2].starts_with("3,bo,"),
        "{kept}"
    );
    let mode = std::fs::metadata(&failures)
        .expect("file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

/// A local export reads 1,000 users a page, straight from the store's rows: a pool of
/// 2,345 (two full pages and a part) comes out with every user exactly once, in
/// username order, each with its attributes.
#[test]
fn a_local_export_past_a_thousand_users_has_each_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let pool = local_pool(&db);
    {
        let store = Store::open(&db).expect("store");
        cognito_console::local::db::seed::synthetic_users(&store, &pool, 0, 2_345).expect("users");
    }
    let file = dir.path().join("users.csv");
    let out = run(&[
        "--db",
        db.to_str().unwrap(),
        "--pool",
        &pool,
        "export",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let mut reader = csv::Reader::from_path(&file).expect("the export");
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (username, email) = (column("cognito:username"), column("email"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let names: Vec<&str> = rows.iter().map(|r| &r[username]).collect();
    let expected: Vec<String> = (0..2_345).map(|j| format!("user{j:07}")).collect();
    assert_eq!(names, expected, "every user once, in order");
    for row in &rows {
        assert_eq!(&row[email], format!("{}@example.com", &row[username]));
    }
}
