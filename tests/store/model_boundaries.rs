//! Walks Cognito's service model as botocore ships it (not our trimmed copy) and, for
//! every operation the store serves, sends the boundary values of every constrained
//! member: at each limit (accepted), just past it (refused with InvalidParameterException
//! naming the member), every enum value and one outside the set, a value breaking the
//! pattern, and each required member left out. Also checks that the copy of the model the
//! binary carries is exactly botocore's, trimmed.

use std::path::PathBuf;
use std::process::Command;

use cognito_console::local::Store;
use cognito_console::local::ops::{self, Context};
use cognito_console::local::wire::api;
use cognito_console::pool::model::java_regex;
use serde_json::{Map, Value, json};

fn python() -> PathBuf {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        venv.exists(),
        "botocore is not installed: run the README's test command (scripts/test), which installs it into .venv"
    );
    venv
}

fn run_python(args: &[&str]) -> String {
    let out = Command::new(python())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

const LOAD_BOTOCORE: &str = "import gzip, os, sys, botocore
d = os.path.join(os.path.dirname(botocore.__file__), 'data', 'cognito-idp')
v = sorted(os.listdir(d))[-1]
sys.stdout.write(gzip.open(os.path.join(d, v, 'service-2.json.gz')).read().decode())";

#[test]
fn the_model_in_the_binary_is_botocores() {
    let trimmed: Value =
        serde_json::from_str(&run_python(&["scripts/trim-model.py"])).expect("json");
    let ours: Value =
        serde_json::from_str(include_str!("../../src/pool/model/cognito-idp.json")).expect("json");
    assert!(
        trimmed == ours,
        "src/pool/model/cognito-idp.json differs from the installed botocore: regenerate it with \
         .venv/bin/python scripts/trim-model.py > src/pool/model/cognito-idp.json"
    );
}

/// One step from a shape to a part of it.
#[derive(Clone, Debug)]
enum Step {
    Member(String),
    Element,
    MapValue,
}

struct Model(Value);

impl Model {
    fn shape(&self, name: &str) -> &Value {
        &self.0["shapes"][name]
    }

    fn input(&self, operation: &str) -> &str {
        self.0["operations"][operation]["input"]["shape"]
            .as_str()
            .unwrap_or_else(|| panic!("botocore has no input for {operation}"))
    }

    fn target(&self, shape: &Value, part: &str) -> String {
        shape[part]["shape"]
            .as_str()
            .expect("shape name")
            .to_string()
    }

    /// A value every constraint of the shape accepts, as small as the shape allows.
    fn valid(&self, name: &str) -> Value {
        let shape = self.shape(name);
        match shape["type"].as_str().expect("type") {
            "structure" => {
                let mut object = Map::new();
                for member in required(shape) {
                    let target = shape["members"][&member]["shape"].as_str().expect("shape");
                    object.insert(member, self.valid(target));
                }
                Value::Object(object)
            }
            "list" => {
                let n = limit(shape, "min").unwrap_or(0);
                let element = self.valid(&self.target(shape, "member"));
                Value::Array(vec![element; n as usize])
            }
            "map" => {
                let n = limit(shape, "min").unwrap_or(0);
                let key = self.target(shape, "key");
                let value = self.valid(&self.target(shape, "value"));
                (0..n)
                    .map(|i| {
                        (
                            format!("{}{i}", self.string(&key, 1).unwrap_or_default()),
                            value.clone(),
                        )
                    })
                    .collect::<Map<_, _>>()
                    .into()
            }
            "string" => match shape["enum"].as_array() {
                Some(values) => values[0].clone(),
                None => {
                    let min = limit(shape, "min").unwrap_or(0);
                    let max = limit(shape, "max").unwrap_or(min + 64);
                    (min..=max)
                        .find_map(|n| self.string(name, n))
                        .map(Value::from)
                        .unwrap_or_else(|| panic!("no valid value for {name}"))
                }
            },
            "integer" | "long" => json!(limit(shape, "min").unwrap_or(0)),
            "boolean" => json!(false),
            other => panic!("{name}: a {other} in an input"),
        }
    }

    /// A string of exactly `n` characters that matches the shape's pattern, if we can
    /// make one: a few seeds (a pool id, an email, an ARN, a template with its
    /// placeholder...) padded with one repeated character.
    fn string(&self, name: &str, n: i64) -> Option<String> {
        let shape = self.shape(name);
        let pattern = shape["pattern"]
            .as_str()
            .map(|p| java_regex(p).expect("compiles"));
        const SEEDS: &[&str] = &[
            "",
            "a_b",
            "a@b",
            "{####}",
            "{##a##}",
            "arn:a:b::1:c",
            "import-a",
            "Level1",
        ];
        for seed in SEEDS {
            for fill in ['a', '1'] {
                let pad = n - seed.chars().count() as i64;
                if pad < 0 {
                    continue;
                }
                let s = format!("{seed}{}", fill.to_string().repeat(pad as usize));
                if pattern.as_ref().is_none_or(|p| p.is_match(&s)) {
                    return Some(s);
                }
            }
        }
        None
    }

    /// A string of an allowed length that breaks the pattern: a valid one with its last
    /// character swapped for one the pattern refuses.
    fn breaking(&self, name: &str) -> Option<String> {
        let shape = self.shape(name);
        let pattern = java_regex(shape["pattern"].as_str()?).expect("compiles");
        let min = limit(shape, "min").unwrap_or(0).max(1);
        let max = limit(shape, "max").unwrap_or(min + 64);
        let valid = (min..=max).find_map(|n| self.string(name, n))?;
        let mut chars: Vec<char> = valid.chars().collect();
        for bad in [' ', '\n', '\u{0}', '\u{1b}', '/', '!', 'é', 'a'] {
            if let Some(last) = chars.last_mut() {
                *last = bad;
            }
            let s: String = chars.iter().collect();
            if !pattern.is_match(&s) {
                return Some(s);
            }
        }
        None
    }
}

fn limit(shape: &Value, which: &str) -> Option<i64> {
    shape[which].as_i64()
}

fn required(shape: &Value) -> Vec<String> {
    shape["required"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|m| m.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The member's path as Cognito's messages name it: `userAttributes.1.member.value`.
fn aws_path(steps: &[Step]) -> String {
    let parts: Vec<String> = steps
        .iter()
        .map(|s| match s {
            Step::Member(m) => {
                let mut c = m.chars();
                c.next()
                    .map(|f| f.to_lowercase().chain(c).collect())
                    .unwrap_or_default()
            }
            Step::Element => "1.member".into(),
            Step::MapValue => "k.value".into(),
        })
        .collect();
    parts.join(".")
}

/// The body with the member at `steps` set to `value` (or removed, for None), its
/// parents made valid where the minimal body lacks them.
fn place(model: &Model, body: &mut Value, shape: &str, steps: &[Step], value: Option<Value>) {
    let Some((step, rest)) = steps.split_first() else {
        return;
    };
    let s = model.shape(shape);
    let (slot, next): (&mut Value, String) = match step {
        Step::Member(m) => {
            let next = s["members"][m]["shape"]
                .as_str()
                .expect("shape")
                .to_string();
            let object = body.as_object_mut().expect("structure");
            if rest.is_empty() {
                match value {
                    Some(v) => object.insert(m.clone(), v),
                    None => object.remove(m),
                };
                return;
            }
            let slot = object
                .entry(m.clone())
                .or_insert_with(|| model.valid(&next));
            (slot, next)
        }
        Step::Element => {
            let next = model.target(s, "member");
            let items = body.as_array_mut().expect("list");
            if items.is_empty() {
                items.push(model.valid(&next));
            }
            if rest.is_empty() {
                items[0] = value.expect("elements are never left out");
                return;
            }
            (&mut items[0], next)
        }
        Step::MapValue => {
            let next = model.target(s, "value");
            let object = body.as_object_mut().expect("map");
            if rest.is_empty() {
                object.insert("k".into(), value.expect("values are never left out"));
                return;
            }
            let slot = object.entry("k").or_insert_with(|| model.valid(&next));
            (slot, next)
        }
    };
    place(model, slot, &next, rest, value);
}

/// One request to send: where, what, and whether Cognito's model accepts it.
struct Case {
    steps: Vec<Step>,
    shape: String,
    value: Option<Value>,
    accepted: bool,
    what: String,
}

/// Every boundary case of the shape at `steps`, and of everything inside it.
fn cases(
    model: &Model,
    name: &str,
    steps: &[Step],
    out: &mut Vec<Case>,
    unviolable: &mut Vec<String>,
) {
    if steps.len() > 8 {
        return;
    }
    let shape = model.shape(name);
    let mut case = |value: Option<Value>, accepted: bool, what: String| {
        out.push(Case {
            steps: steps.to_vec(),
            shape: name.to_string(),
            value,
            accepted,
            what,
        })
    };
    let (min, max) = (limit(shape, "min"), limit(shape, "max"));
    match shape["type"].as_str().expect("type") {
        "string" => {
            if let Some(values) = shape["enum"].as_array() {
                for v in values {
                    case(Some(v.clone()), true, format!("enum value {v}"));
                }
                case(
                    Some(json!("NOT_IN_THE_SET")),
                    false,
                    "outside the enum".into(),
                );
                return;
            }
            for (n, accepted) in [
                (min.filter(|&m| m > 0).map(|m| m - 1), false),
                (min, true),
                (max, true),
                (max.map(|m| m + 1), false),
            ] {
                let Some(n) = n else { continue };
                let value = model.string(name, n).or_else(|| {
                    // A length no matching string has: past a limit, any text of that
                    // length still breaks it.
                    (!accepted).then(|| "a".repeat(n as usize))
                });
                match value {
                    Some(v) => case(Some(json!(v)), accepted, format!("length {n}")),
                    None => unviolable.push(format!("{name}: no matching value of length {n}")),
                }
            }
            if shape["pattern"].is_string() {
                match model.breaking(name) {
                    Some(v) => case(Some(json!(v)), false, "breaks the pattern".into()),
                    None => unviolable.push(format!("{name}: the pattern admits any text")),
                }
            }
        }
        "integer" | "long" => {
            for (n, accepted) in [
                (min.map(|m| m - 1), false),
                (min, true),
                (max, true),
                (max.map(|m| m + 1), false),
            ] {
                if let Some(n) = n {
                    case(Some(json!(n)), accepted, format!("value {n}"));
                }
            }
        }
        "list" | "map" => {
            let is_list = shape["type"] == "list";
            let element =
                model.valid(&model.target(shape, if is_list { "member" } else { "value" }));
            for (n, accepted) in [
                (min.filter(|&m| m > 0).map(|m| m - 1), false),
                (min, true),
                (max, true),
                (max.map(|m| m + 1), false),
            ] {
                let Some(n) = n else { continue };
                let value = if is_list {
                    Value::Array(vec![element.clone(); n as usize])
                } else {
                    let key = model.target(shape, "key");
                    let base = model.string(&key, 1).unwrap_or_default();
                    (0..n)
                        .map(|i| (format!("{base}{i}"), element.clone()))
                        .collect::<Map<_, _>>()
                        .into()
                };
                case(Some(value), accepted, format!("{n} entries"));
            }
            let (step, inner) = if is_list {
                (Step::Element, model.target(shape, "member"))
            } else {
                (Step::MapValue, model.target(shape, "value"))
            };
            let mut deeper = steps.to_vec();
            deeper.push(step);
            cases(model, &inner, &deeper, out, unviolable);
        }
        "structure" => {
            let required = required(shape);
            let members = shape["members"].as_object().expect("members");
            for (member, target) in members {
                let mut deeper = steps.to_vec();
                deeper.push(Step::Member(member.clone()));
                let target = target["shape"].as_str().expect("shape");
                if required.contains(member) {
                    out.push(Case {
                        steps: deeper.clone(),
                        shape: target.to_string(),
                        value: None,
                        accepted: false,
                        what: "left out (required)".into(),
                    });
                }
                cases(model, target, &deeper, out, unviolable);
            }
        }
        _ => {}
    }
}

#[test]
fn every_constraint_of_every_served_operation_holds_at_its_boundaries() {
    let model = Model(serde_json::from_str(&run_python(&["-c", LOAD_BOTOCORE])).expect("json"));
    let store = Store::open_in_memory().expect("store");
    let ctx = Context::default();
    let mut failures = Vec::new();
    let mut unviolable = Vec::new();
    let (mut sent, mut refused) = (0, 0);
    for operation in ops::NAMES {
        let input = model.input(operation);
        let mut all = Vec::new();
        cases(&model, input, &[], &mut all, &mut unviolable);
        for case in all {
            let mut body = model.valid(input);
            place(&model, &mut body, input, &case.steps, case.value.clone());
            let path = aws_path(&case.steps);
            let answer = api::call(&store, &ctx, operation, &body);
            sent += 1;
            let named = answer.as_ref().err().is_some_and(|e| {
                e.code.name() == "InvalidParameterException"
                    && e.message
                        .contains(&format!("at '{path}' failed to satisfy constraint"))
            });
            let unreadable = answer
                .as_ref()
                .err()
                .is_some_and(|e| e.code.name() == "SerializationException");
            if case.accepted && (named || unreadable) {
                failures.push(format!(
                    "{operation} {path} ({}, {}): refused: {}",
                    case.shape,
                    case.what,
                    answer.err().map(|e| e.message).unwrap_or_default()
                ));
            } else if !case.accepted && !named {
                let got = match &answer {
                    Ok(_) => "accepted".to_string(),
                    Err(e) => format!("{}: {}", e.code.name(), e.message),
                };
                failures.push(format!(
                    "{operation} {path} ({}, {}): {got}",
                    case.shape, case.what
                ));
            }
            refused += usize::from(!case.accepted);
        }
    }
    unviolable.sort();
    unviolable.dedup();
    println!(
        "{} operations, {sent} requests ({refused} past a limit); not generated: {unviolable:#?}",
        ops::NAMES.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        sent > 1000,
        "only {sent} boundary requests: the walk lost its way"
    );
}
