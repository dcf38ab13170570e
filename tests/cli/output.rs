//! What the listing subcommands print, and the command line's own documents. `--output
//! json` is the aws CLI's output for the same call on the same pool (on `serve` and on
//! moto), `text` a record a line of tab-separated fields, `table` columns under a
//! header; nothing printed drives the terminal. Completions load in bash; the man pages
//! and every subcommand's `--help` list only the options that subcommand takes.

use crate::aws_cli::aws;
use crate::common;

use std::process::Command;

use serde_json::Value;

/// The binary with `args` on `endpoint` (as any Cognito-compatible endpoint is reached):
/// its standard output, which must be a success.
fn ours(endpoint: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(common::binary())
        .args(["--endpoint-url", endpoint, "--region", "us-west-2"])
        .arg("--log-file")
        .arg(dir.path().join("log"))
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Every listing on `endpoint`, in each format, against the aws CLI.
fn listings_match_the_aws_cli(endpoint: &str, pool: &str) {
    let pools = json(&ours(endpoint, &["pools", "--output", "json"]));
    let theirs = aws(endpoint, &["list-user-pools", "--max-results", "60"]);
    assert_eq!(pools["UserPools"], theirs["UserPools"]);

    let users = json(&ours(
        endpoint,
        &["--pool", pool, "users", "--all", "--output", "json"],
    ));
    let theirs = aws(endpoint, &["list-users", "--user-pool-id", pool]);
    assert!(!theirs["Users"].as_array().unwrap().is_empty());
    assert_eq!(users, theirs, "the same document");

    let groups = json(&ours(endpoint, &["--pool", pool, "groups", "-o", "json"]));
    let theirs = aws(endpoint, &["list-groups", "--user-pool-id", pool]);
    assert_eq!(groups, theirs);

    let text = ours(endpoint, &["--pool", pool, "users", "--all", "-o", "text"]);
    let count = theirs_users(endpoint, pool);
    assert_eq!(text.lines().count(), count, "{text}");
    assert!(text.lines().all(|l| l.split('\t').count() == 4), "{text}");
    let table = ours(endpoint, &["--pool", pool, "users", "--all"]);
    assert!(table.starts_with("USERNAME "), "{table}");
    assert_eq!(table.lines().count(), count + 1);
}

fn theirs_users(endpoint: &str, pool: &str) -> usize {
    aws(endpoint, &["list-users", "--user-pool-id", pool])["Users"]
        .as_array()
        .unwrap()
        .len()
}

/// A pool made by the aws CLI with users and a group, one user's name carrying an
/// escape sequence.
fn pool_by_the_aws_cli(endpoint: &str) -> String {
    let name = format!("output-{}", uuid::Uuid::new_v4().simple());
    let pool = aws(endpoint, &["create-user-pool", "--pool-name", &name])["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    for (user, given) in [("ana", "Ana"), ("bo", "Bo\u{1b}]0;owned\u{7}")] {
        aws(
            endpoint,
            &[
                "admin-create-user",
                "--user-pool-id",
                &pool,
                "--username",
                user,
                "--message-action",
                "SUPPRESS",
                "--user-attributes",
                &serde_json::json!([{"Name": "given_name", "Value": given}]).to_string(),
            ],
        );
    }
    aws(
        endpoint,
        &[
            "create-group",
            "--user-pool-id",
            &pool,
            "--group-name",
            "staff",
            "--precedence",
            "3",
        ],
    );
    pool
}

#[test]
fn json_is_the_aws_clis_on_serve_and_on_moto() {
    let dir = tempfile::tempdir().unwrap();
    let serve = common::spawn_serve(&dir.path().join("store.db"), &["--no-demo"]);
    let pool = pool_by_the_aws_cli(&serve.endpoint);
    listings_match_the_aws_cli(&serve.endpoint, &pool);

    let moto = common::moto_endpoint();
    let pool = pool_by_the_aws_cli(&moto);
    listings_match_the_aws_cli(&moto, &pool);

    // Nothing printed drives the terminal, and the JSON still says what Cognito said.
    let out = ours(&serve_endpoint(&serve), &["pools", "-o", "json"]);
    assert!(!out.contains('\u{1b}'));
    for format in ["json", "text", "table"] {
        let out = ours(&moto, &["--pool", &pool, "users", "-o", format]);
        assert!(!out.contains(['\u{1b}', '\u{7}']), "{format}: {out:?}");
        if format == "json" {
            let users = json(&out);
            let bo = users["Users"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["Username"] == "bo")
                .unwrap();
            let given = bo["Attributes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["Name"] == "given_name")
                .unwrap();
            assert_eq!(given["Value"], "Bo\u{1b}]0;owned\u{7}");
        }
    }
}

fn serve_endpoint(serve: &common::ServeProcess) -> String {
    serve.endpoint.clone()
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(common::binary())
        .args(args)
        .output()
        .expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn completions_load_in_bash_and_every_shell_gets_one() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, script, err) = run(&["completions", "bash"]);
    assert!(ok, "{err}");
    let file = dir.path().join("cognito-console.bash");
    std::fs::write(&file, &script).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    let loaded = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && complete -p cognito-console",
            file.display()
        ))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&loaded.stdout);
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert!(said.trim_end().ends_with(" cognito-console"), "{said}");
    let function = said
        .split_whitespace()
        .skip_while(|w| *w != "-F")
        .nth(1)
        .unwrap_or_else(|| panic!("a function: {said}"));
    // Completing `cognito-console us` offers `users`, as bash itself computes it.
    let offered = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}'; COMP_WORDS=(cognito-console us); COMP_CWORD=1; COMP_LINE='cognito-console us'; COMP_POINT=18; \
             {function} cognito-console us cognito-console; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            file.display()
        ))
        .output()
        .unwrap();
    let offered = String::from_utf8_lossy(&offered.stdout);
    assert!(offered.lines().any(|l| l == "users"), "{offered}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let (ok, script, err) = run(&["completions", shell]);
        assert!(ok, "{shell}: {err}");
        assert!(
            script.contains("users") && script.contains("groups"),
            "{shell}"
        );
    }
    let (ok, _, err) = run(&["completions", "tcsh"]);
    assert!(!ok && err.contains("invalid value 'tcsh'"), "{err}");
}

#[test]
fn man_pages_and_help_list_what_each_subcommand_takes() {
    let (ok, page, err) = run(&["man"]);
    assert!(ok, "{err}");
    assert!(page.contains(".TH cognito-console 1"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(&["man", "--dir", &dir.path().display().to_string()]);
    assert!(ok, "{err}");
    let users = std::fs::read_to_string(dir.path().join("cognito-console-users.1")).unwrap();
    assert!(users.contains("\\-\\-output"), "{users}");
    assert!(!users.contains("read\\-only"), "{users}");
    for sub in ["pools", "groups", "serve", "ssh", "audit", "completions"] {
        assert!(
            dir.path().join(format!("cognito-console-{sub}.1")).exists(),
            "{sub}"
        );
    }

    let help = |sub: &str| {
        let (ok, out, err) = run(&[sub, "--help"]);
        assert!(ok, "{err}");
        out
    };
    let pools = help("pools");
    assert!(
        !pools.contains("--pool ") && !pools.contains("--read-only"),
        "{pools}"
    );
    assert!(pools.contains("--output"), "{pools}");
    let users = help("users");
    assert!(
        users.contains("--pool") && !users.contains("--config"),
        "{users}"
    );
    let ssh = help("ssh");
    for option in ["--read-only", "--config", "--pool", "--lambda-endpoint-url"] {
        assert!(ssh.contains(option), "{option} in {ssh}");
    }
    assert!(!help("completions").contains("--db"));
    let (ok, _, err) = run(&["--read-only", "groups"]);
    assert!(
        !ok && err.contains("--read-only does not apply to groups"),
        "{err}"
    );
    let (ok, _, err) = run(&["completions", "bash", "--pool", "x"]);
    assert!(
        !ok && err.contains("--pool does not apply to completions"),
        "{err}"
    );
}

/// The binary on the local store at `db`: its standard output, which must be a success.
fn local(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(common::binary())
        .arg("--db")
        .arg(db)
        .arg("--log-file")
        .arg(db.with_extension("log"))
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn outbox_and_audit_print_a_record_a_line_for_pipes() {
    use cognito_console::local::db::audit;
    use cognito_console::local::ops::Context;
    use cognito_console::local::wire::api;
    use cognito_console::pool::audit::{Admin, Change, Outcome};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let store = common::demo_store(&db);
    let pool = store
        .read(|tx| Ok(tx.query_row("SELECT id FROM user_pools", [], |r| r.get::<_, String>(0))?))
        .unwrap();
    api::call(
        &store,
        &Context::default(),
        "AdminCreateUser",
        &serde_json::json!({"UserPoolId": pool, "Username": "zoe",
            "DesiredDeliveryMediums": ["EMAIL"],
            "UserAttributes": [{"Name": "email", "Value": "zoe@example.com"}]}),
    )
    .unwrap();
    audit::record(
        &store,
        "s1",
        &Admin::local("eve\u{1b}]0;owned\u{7}", false),
        &Change::new("delete user").in_pool(&pool).of_user("zoe"),
        &Outcome::Done(String::new()),
    )
    .unwrap();
    drop(store);

    let lines = local(&db, &["outbox", "--user", "zoe", "-o", "json"]);
    assert_eq!(lines.lines().count(), 1, "{lines}");
    let message = json(lines.lines().next().unwrap());
    assert_eq!(message["destination"], "zoe@example.com");
    assert!(message["body"].as_str().unwrap().contains("zoe"));
    let text = local(&db, &["outbox", "--user", "zoe", "-o", "text"]);
    assert_eq!(text.lines().count(), 1);
    assert_eq!(
        text.lines().next().unwrap().split('\t').count(),
        7,
        "{text}"
    );

    for args in [
        vec!["audit", "-o", "json"],
        vec!["audit", "--json"],
        vec!["audit", "-o", "text"],
        vec!["audit"],
    ] {
        let out = local(&db, &args);
        assert!(!out.contains(['\u{1b}', '\u{7}']), "{args:?}: {out:?}");
        assert!(out.contains("delete user"), "{args:?}: {out}");
    }
    let entry = json(local(&db, &["audit", "-o", "json"]).lines().next().unwrap());
    assert_eq!(
        entry["admin"], "eve\u{1b}]0;owned\u{7}",
        "the same value, escaped"
    );
    let text = local(&db, &["audit", "-o", "text"]);
    let fields: Vec<&str> = text.lines().next().unwrap().split('\t').collect();
    assert_eq!(
        fields[1..5],
        ["eve\\u{1b}]0;owned\\u{7}", "delete user", "zoe", &pool]
    );
}

#[test]
fn import_reports_as_json_and_as_lines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    drop(common::demo_store(&db));
    let file = dir.path().join("new.jsonl");
    std::fs::write(
        &file,
        "{\"Username\":\"nia\",\"Attributes\":{\"email\":\"nia@example.com\"}}\n\
         {\"Username\":\"bad user\",\"Attributes\":{\"email\":\"not an email\"}}\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let run = |args: &[&str]| {
        Command::new(common::binary())
            .arg("--db")
            .arg(&db)
            .arg("--log-file")
            .arg(dir.path().join("log"))
            .args(args)
            .output()
            .expect("run")
    };
    let out = run(&["import", &path, "--dry-run", "-o", "json"]);
    assert!(!out.status.success(), "a bad row fails the check");
    let report = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(report["rows"], 2);
    let problems = report["problems"].as_array().unwrap();
    assert!(problems.iter().all(|p| p["line"] == 2), "{report}");
    let out = run(&["import", &path, "--dry-run", "-o", "text"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().count() >= 1);
    assert!(text.lines().all(|l| l.starts_with("2\t")), "{text}");
    std::fs::write(
        &file,
        "{\"Username\":\"nia\",\"Attributes\":{\"email\":\"nia@example.com\"}}\n",
    )
    .unwrap();
    let out = run(&["import", &path, "-o", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        (report["rows"].as_u64(), report["created"].as_u64()),
        (Some(1), Some(1))
    );
}
