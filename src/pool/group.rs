//! User pool groups: the rules of their fields (botocore's service model gives each
//! limit and pattern) and the claims a user's groups put in their tokens.

use std::sync::LazyLock;
use std::time::SystemTime;

use regex::Regex;

use super::model;
use super::rule::{RuleError, check_length};

static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$").expect("static pattern"));
static ROLE_ARN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$",
    )
    .expect("static pattern")
});

/// The bounds of a CreateGroup member, from the service model.
fn length(member: &str) -> (usize, usize) {
    model::length("CreateGroupRequest", member)
}

/// A group as listed and described (`GroupType`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub description: Option<String>,
    pub role_arn: Option<String>,
    /// None: after every group that has one.
    pub precedence: Option<i64>,
    pub created: Option<SystemTime>,
    pub last_modified: Option<SystemTime>,
}

/// One page of groups and the token for the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupPage {
    pub groups: Vec<Group>,
    pub next: Option<String>,
}

pub fn name(value: &str) -> Result<(), RuleError> {
    let (min, max) = length("GroupName");
    check_length("GroupName", value, min, max)?;
    if !NAME.is_match(value) {
        return Err(RuleError::new(
            "GroupName",
            "may hold letters, numbers, symbols and punctuation, no spaces",
        ));
    }
    Ok(())
}

pub fn description(value: &str) -> Result<(), RuleError> {
    let (min, max) = length("Description");
    check_length("Description", value, min, max)
}

pub fn role_arn(value: &str) -> Result<(), RuleError> {
    let (min, max) = length("RoleArn");
    check_length("RoleArn", value, min, max)?;
    if !ROLE_ARN.is_match(value) {
        return Err(RuleError::new(
            "RoleArn",
            "must be an IAM role ARN (arn:aws:iam::123456789012:role/name)",
        ));
    }
    Ok(())
}

pub fn precedence(value: i64) -> Result<(), RuleError> {
    // 0 (first) to 2^31 - 1.
    let (min, max) = model::range("CreateGroupRequest", "Precedence");
    if !(min..=max).contains(&value) {
        return Err(RuleError::new(
            "Precedence",
            format!("must be a whole number from {min} to {max}"),
        ));
    }
    Ok(())
}

/// Every rule of a group's fields, in the order a form shows them.
pub fn check(group: &Group) -> Vec<RuleError> {
    let mut errors = Vec::new();
    let mut push = |r: Result<(), RuleError>| {
        if let Err(e) = r {
            errors.push(e);
        }
    };
    push(name(&group.name));
    if let Some(d) = &group.description {
        push(description(d));
    }
    if let Some(p) = group.precedence {
        push(precedence(p));
    }
    if let Some(r) = &group.role_arn {
        push(role_arn(r));
    }
    errors
}

/// A user's groups in token order: by precedence (lowest first, none last), then name.
pub fn in_precedence_order(groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        (a.precedence.is_none(), a.precedence, &a.name).cmp(&(
            b.precedence.is_none(),
            b.precedence,
            &b.name,
        ))
    });
}

/// `cognito:preferred_role`: the role of the group with the lowest precedence among
/// those with a role. Groups tied at that precedence with different roles cancel each
/// other out (no preferred role); tied with the same role, that role.
pub fn preferred_role(groups: &[Group]) -> Option<String> {
    let with_role: Vec<&Group> = groups.iter().filter(|g| g.role_arn.is_some()).collect();
    let best = with_role.iter().filter_map(|g| g.precedence).min();
    let first: Vec<&&Group> = match best {
        Some(p) => with_role
            .iter()
            .filter(|g| g.precedence == Some(p))
            .collect(),
        // No group with a role has a precedence: all are tied at "none".
        None => with_role.iter().collect(),
    };
    let role = first.first()?.role_arn.clone();
    first
        .iter()
        .all(|g| g.role_arn == role)
        .then_some(role)
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(name: &str, precedence: Option<i64>, role: Option<&str>) -> Group {
        Group {
            name: name.into(),
            precedence,
            role_arn: role.map(str::to_string),
            ..Group::default()
        }
    }

    #[test]
    fn field_rules() {
        assert!(name("admins").is_ok());
        assert!(name("").is_err());
        assert!(name("two words").is_err());
        assert!(name(&"a".repeat(129)).is_err());
        assert!(description(&"d".repeat(2048)).is_ok());
        assert!(description(&"d".repeat(2049)).is_err());
        assert!(role_arn("arn:aws:iam::123456789012:role/admins").is_ok());
        assert!(role_arn("arn:aws:iam::role").is_err());
        assert!(role_arn("not an arn at all, no").is_err());
        let max = i64::from(i32::MAX);
        assert!(precedence(0).is_ok() && precedence(max).is_ok());
        assert!(precedence(-1).is_err() && precedence(max + 1).is_err());
        let bad = Group {
            name: "x y".into(),
            precedence: Some(-1),
            role_arn: Some("nope".into()),
            ..Group::default()
        };
        let fields: Vec<String> = check(&bad).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["GroupName", "Precedence", "RoleArn"]);
    }

    #[test]
    fn preferred_role_follows_the_documented_precedence() {
        let a = "arn:aws:iam::123456789012:role/a";
        let b = "arn:aws:iam::123456789012:role/b";
        assert_eq!(
            preferred_role(&[g("x", Some(2), Some(b)), g("y", Some(1), Some(a))]).as_deref(),
            Some(a)
        );
        assert_eq!(
            preferred_role(&[g("x", Some(1), Some(b)), g("y", Some(1), Some(a))]),
            None,
            "a tie with different roles"
        );
        assert_eq!(
            preferred_role(&[g("x", Some(1), Some(a)), g("y", Some(1), Some(a))]).as_deref(),
            Some(a)
        );
        assert_eq!(
            preferred_role(&[g("x", Some(0), None), g("y", None, Some(b))]).as_deref(),
            Some(b),
            "only groups with a role count"
        );
        assert_eq!(preferred_role(&[g("x", Some(0), None)]), None);
        let mut order = vec![
            g("c", None, None),
            g("b", Some(5), None),
            g("a", Some(5), None),
            g("z", Some(0), None),
        ];
        in_precedence_order(&mut order);
        let names: Vec<&str> = order.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["z", "a", "b", "c"]);
    }
}
