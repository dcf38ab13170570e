//! Cognito's service model: the length, range, pattern, enum and list-size constraint of
//! every member of every operation's input, as botocore ships it (`model/cognito-idp.json`,
//! made by `scripts/trim-model.py`, compared with botocore by `tests/store/model_boundaries.rs`).
//!
//! The store checks every request against it before anything else, as Cognito does, and
//! the console's forms take their limits from it, so a number is never written twice.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

use super::rule::{RuleError, char_len};

const SOURCE: &str = include_str!("model/cognito-idp.json");

/// Where the service checks more than the published model says: the model's
/// `PasswordType` is `[\S]+`, but Cognito refuses a password with
/// "Member must satisfy regular expression pattern: ^[\S]+.*[\S]+$" (a space inside is
/// taken, not at either end; two characters at least).
const SERVICE_PATTERNS: [(&str, &str); 1] = [("PasswordType", r"^[\S]+.*[\S]+$")];

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let raw: RawModel = serde_json::from_str(SOURCE).expect("the checked-in model parses");
    Model {
        operations: raw.operations,
        shapes: raw
            .shapes
            .into_iter()
            .map(|(name, mut raw)| {
                if let Some((_, service)) = SERVICE_PATTERNS.iter().find(|(n, _)| *n == name) {
                    raw.pattern = Some(service.to_string());
                }
                (name, Shape::from(raw))
            })
            .collect(),
    }
});

#[derive(Deserialize)]
struct RawModel {
    operations: HashMap<String, String>,
    shapes: HashMap<String, RawShape>,
}

#[derive(Deserialize)]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    required: Vec<String>,
    min: Option<i64>,
    max: Option<i64>,
    pattern: Option<String>,
    #[serde(rename = "enum", default)]
    values: Vec<String>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    members: std::collections::BTreeMap<String, String>,
    member: Option<String>,
    key: Option<String>,
    value: Option<String>,
}

struct Model {
    operations: HashMap<String, String>,
    shapes: HashMap<String, Shape>,
}

/// One shape of the model: what a value of it must be.
#[derive(Debug)]
pub struct Shape {
    pub kind: String,
    pub required: Vec<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// The pattern as the model writes it (Java syntax), and compiled.
    pub pattern: Option<(String, Regex)>,
    pub values: Vec<String>,
    pub sensitive: bool,
    pub members: Vec<(String, String)>,
    pub member: Option<String>,
    pub key: Option<String>,
    pub value: Option<String>,
}

impl From<RawShape> for Shape {
    fn from(raw: RawShape) -> Self {
        Self {
            kind: raw.kind,
            required: raw.required,
            min: raw.min,
            max: raw.max,
            pattern: raw.pattern.map(|p| {
                let regex = java_regex(&p).expect("the model's patterns compile");
                (p, regex)
            }),
            values: raw.values,
            sensitive: raw.sensitive,
            members: raw.members.into_iter().collect(),
            member: raw.member,
            key: raw.key,
            value: raw.value,
        }
    }
}

/// A Java pattern of the model as a Rust regex that matches the whole value, as Java's
/// `matches()` does. `\w`, `\s` and `\S` keep their Java meaning (ASCII); `\p{..}` classes
/// are Unicode in both.
pub fn java_regex(pattern: &str) -> Result<Regex, regex::Error> {
    const SPACE: &str = r" \t\n\x0B\x0C\r";
    let mut out = String::new();
    let mut in_class = false;
    // With DOTALL (`(?s)`), `.` is anything in both.
    let dot_all = pattern.contains("(?s)");
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') if in_class => out.push_str("[:word:]"),
                Some('w') => out.push_str("[[:word:]]"),
                Some('s') if in_class => out.push_str(SPACE),
                Some('s') => out.push_str(&format!("[{SPACE}]")),
                Some('S') => out.push_str(&format!("[^{SPACE}]")),
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push_str(r"\\"),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            // Java's `.` stops at every line terminator, Rust's only at `\n`.
            '.' if !in_class && !dot_all => out.push_str("[^\n\r\u{85}\u{2028}\u{2029}]"),
            // Java reads a `-` after a range as a literal; Rust wants it escaped.
            '-' if in_class && out.ends_with(|p: char| p.is_ascii_alphanumeric()) && {
                let before: Vec<char> = out.chars().rev().take(2).collect();
                before.get(1) == Some(&'-')
            } =>
            {
                out.push_str(r"\-")
            }
            _ => out.push(c),
        }
    }
    Regex::new(&format!(r"\A(?:{out})\z"))
}

/// A shape by name. The names are the model's; a missing one is a programming error,
/// caught by the unit tests that name every shape the code uses.
pub fn shape(name: &str) -> &'static Shape {
    MODEL
        .shapes
        .get(name)
        .unwrap_or_else(|| panic!("no shape {name} in the service model"))
}

/// The shape of `member` in structure `structure` (`member("AdminCreateUserRequest",
/// "Username")`).
pub fn member(structure: &str, member: &str) -> &'static Shape {
    let name = shape(structure)
        .members
        .iter()
        .find(|(m, _)| m == member)
        .map(|(_, s)| s.as_str())
        .unwrap_or_else(|| panic!("no member {member} in {structure}"));
    shape(name)
}

/// A member's length bounds (a string's characters, a list's entries): what a form holds
/// a field to. No minimum is 0; no maximum is `usize::MAX`.
pub fn length(structure: &str, name: &str) -> (usize, usize) {
    let shape = member(structure, name);
    let to_usize = |n: i64| usize::try_from(n).unwrap_or(0);
    (
        shape.min.map_or(0, to_usize),
        shape.max.map_or(usize::MAX, to_usize),
    )
}

/// A number member's range; an `integer` is 32 bits wide where the model sets no bound.
pub fn range(structure: &str, name: &str) -> (i64, i64) {
    let shape = member(structure, name);
    let (low, high) = width(shape);
    (shape.min.unwrap_or(low), shape.max.unwrap_or(high))
}

fn width(shape: &Shape) -> (i64, i64) {
    if shape.kind == "integer" {
        (i64::from(i32::MIN), i64::from(i32::MAX))
    } else {
        (i64::MIN, i64::MAX)
    }
}

/// The input shape of an operation, if the model has the operation.
pub fn input_shape(operation: &str) -> Option<&'static str> {
    MODEL.operations.get(operation).map(String::as_str)
}

/// What is wrong with a request before its meaning is looked at.
#[derive(Debug, Clone, PartialEq)]
pub enum Invalid {
    /// A value of the wrong JSON type: Cognito cannot even read the request.
    Type { path: String, expected: String },
    /// Member constraints broken, each with where and what.
    Constraints(Vec<Violation>),
}

/// One broken member constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where, as Cognito names it: `userAttributes.1.member.value`.
    pub path: String,
    /// The value as Cognito quotes it; None for sensitive and composite values.
    pub value: Option<String>,
    pub constraint: Constraint,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    Required,
    MinLength(i64),
    MaxLength(i64),
    Min(i64),
    Max(i64),
    Pattern(String),
    Enum(Vec<String>),
}

impl Constraint {
    /// The rule in Cognito's words ("Member must have length less than or equal to 128").
    pub fn cognito(&self) -> String {
        match self {
            Self::Required => "Member must not be null".into(),
            Self::MinLength(n) => format!("Member must have length greater than or equal to {n}"),
            Self::MaxLength(n) => format!("Member must have length less than or equal to {n}"),
            Self::Min(n) => format!("Member must have value greater than or equal to {n}"),
            Self::Max(n) => format!("Member must have value less than or equal to {n}"),
            Self::Pattern(p) => format!("Member must satisfy regular expression pattern: {p}"),
            Self::Enum(v) => format!("Member must satisfy enum value set: [{}]", v.join(", ")),
        }
    }

    /// The rule as a form says it ("must be at most 128 characters long").
    pub fn plain(&self) -> String {
        match self {
            Self::Required | Self::MinLength(1) => "must not be empty".into(),
            Self::MinLength(n) => format!("must be at least {n} characters long"),
            Self::MaxLength(n) => format!("must be at most {n} characters long"),
            Self::Min(n) => format!("must be at least {n}"),
            Self::Max(n) => format!("must be at most {n}"),
            Self::Pattern(p) => format!("must match the pattern {p}"),
            Self::Enum(v) => format!("must be one of {}", v.join(", ")),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.constraint, &self.value) {
            (Constraint::Required, _) => write!(f, "Value null at '{}'", self.path)?,
            (_, Some(v)) => write!(f, "Value '{v}' at '{}'", self.path)?,
            (_, None) => write!(f, "Value at '{}'", self.path)?,
        }
        write!(
            f,
            " failed to satisfy constraint: {}",
            self.constraint.cognito()
        )
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Type { path, expected } => write!(f, "Expected {expected} at '{path}'."),
            Self::Constraints(v) => {
                let s = if v.len() == 1 { "" } else { "s" };
                let all: Vec<String> = v.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "{} validation error{s} detected: {}",
                    v.len(),
                    all.join("; ")
                )
            }
        }
    }
}

/// Checks an operation's input against the model, as Cognito does before anything else.
/// Members the model does not know are ignored, as in Cognito.
pub fn check_input(operation: &str, body: &Value) -> Result<(), Invalid> {
    let Some(name) = input_shape(operation) else {
        return Ok(());
    };
    let mut found = Vec::new();
    walk(shape(name), body, "", false, &mut found)?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(Invalid::Constraints(found))
    }
}

/// One string against a shape, for a form field: the first rule broken, in plain words.
pub fn check_str(shape: &Shape, field: &str, value: &str) -> Result<(), RuleError> {
    let mut found = Vec::new();
    let _ = walk(shape, &Value::String(value.into()), field, true, &mut found);
    match found.into_iter().next() {
        Some(v) => Err(RuleError::new(field, v.constraint.plain())),
        None => Ok(()),
    }
}

fn lower_first(member: &str) -> String {
    let mut c = member.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.into()
    } else {
        format!("{path}.{part}")
    }
}

fn kind_mismatch(path: &str, expected: &str) -> Invalid {
    Invalid::Type {
        path: path.into(),
        expected: expected.into(),
    }
}

/// `hidden`: inside a sensitive shape, whose values are never quoted.
fn walk(
    shape: &Shape,
    value: &Value,
    path: &str,
    hidden: bool,
    found: &mut Vec<Violation>,
) -> Result<(), Invalid> {
    if value.is_null() {
        return Ok(());
    }
    let hidden = hidden || shape.sensitive;
    let shown = |v: String| (!hidden).then_some(v);
    let mut broken = |constraint, value| {
        found.push(Violation {
            path: path.into(),
            value,
            constraint,
        })
    };
    match shape.kind.as_str() {
        "string" => {
            let s = value
                .as_str()
                .ok_or_else(|| kind_mismatch(path, "a string"))?;
            let len = char_len(s) as i64;
            if let Some(min) = shape.min.filter(|&m| len < m) {
                broken(Constraint::MinLength(min), shown(s.into()));
            }
            if let Some(max) = shape.max.filter(|&m| len > m) {
                broken(Constraint::MaxLength(max), shown(s.into()));
            }
            if let Some((source, regex)) = &shape.pattern
                && !regex.is_match(s)
            {
                broken(Constraint::Pattern(source.clone()), shown(s.into()));
            }
            if !shape.values.is_empty() && !shape.values.iter().any(|v| v == s) {
                broken(Constraint::Enum(shape.values.clone()), shown(s.into()));
            }
        }
        "integer" | "long" => {
            let (low, high) = width(shape);
            let n = value
                .as_i64()
                .filter(|n| (low..=high).contains(n))
                .ok_or_else(|| kind_mismatch(path, "a whole number"))?;
            if let Some(min) = shape.min.filter(|&m| n < m) {
                broken(Constraint::Min(min), shown(n.to_string()));
            }
            if let Some(max) = shape.max.filter(|&m| n > m) {
                broken(Constraint::Max(max), shown(n.to_string()));
            }
        }
        "boolean" => {
            value
                .as_bool()
                .ok_or_else(|| kind_mismatch(path, "true or false"))?;
        }
        "list" => {
            let items = value
                .as_array()
                .ok_or_else(|| kind_mismatch(path, "a list"))?;
            sizes(shape, items.len(), &mut broken);
            let element = shape.member.as_deref().map(self::shape);
            for (i, item) in items.iter().enumerate() {
                if let Some(element) = element {
                    walk(
                        element,
                        item,
                        &join(path, &format!("{}.member", i + 1)),
                        hidden,
                        found,
                    )?;
                }
            }
        }
        "map" => {
            let entries = value
                .as_object()
                .ok_or_else(|| kind_mismatch(path, "a map"))?;
            sizes(shape, entries.len(), &mut broken);
            let key = shape.key.as_deref().map(self::shape);
            let val = shape.value.as_deref().map(self::shape);
            for (k, v) in entries {
                if let Some(key) = key {
                    walk(
                        key,
                        &Value::String(k.clone()),
                        &join(path, "key"),
                        hidden,
                        found,
                    )?;
                }
                if let Some(val) = val {
                    walk(val, v, &join(path, &format!("{k}.value")), hidden, found)?;
                }
            }
        }
        "structure" => {
            let object = value
                .as_object()
                .ok_or_else(|| kind_mismatch(path, "a structure"))?;
            for (member, shape_name) in &shape.members {
                let at = join(path, &lower_first(member));
                match object.get(member).filter(|v| !v.is_null()) {
                    Some(v) => walk(self::shape(shape_name), v, &at, hidden, found)?,
                    None if shape.required.contains(member) => found.push(Violation {
                        path: at,
                        value: None,
                        constraint: Constraint::Required,
                    }),
                    None => {}
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn sizes(shape: &Shape, len: usize, broken: &mut impl FnMut(Constraint, Option<String>)) {
    let len = len as i64;
    if let Some(min) = shape.min.filter(|&m| len < m) {
        broken(Constraint::MinLength(min), None);
    }
    if let Some(max) = shape.max.filter(|&m| len > m) {
        broken(Constraint::MaxLength(max), None);
    }
}

#[cfg(test)]
mod tests;
