use serde_json::json;

use super::*;

fn matches(pattern: &str, value: &str) -> bool {
    java_regex(pattern).unwrap().is_match(value)
}

#[test]
fn patterns_keep_their_java_meaning() {
    // \w is ASCII in Java: a pool id cannot hold an accented letter.
    assert!(matches(r"[\w-]+_[0-9a-zA-Z]+", "us-east-1_AbC123xyZ"));
    assert!(!matches(r"[\w-]+_[0-9a-zA-Z]+", "é_abc"));
    // The whole value must match, as Java's matches() does.
    assert!(!matches(r"[\w+]+", "abc def"));
    assert!(!matches(r"[\S]+", "trailing\n"));
    assert!(matches(r"[\S]+", "Passw0rd!"));
    // \s inside a class, with the * it sits beside.
    assert!(matches(r"[\p{L}\s*]*", "a b\t*"));
    // A '-' after a range is a literal in Java.
    assert!(matches("[A-Za-z0-9-_=.]+", "a-b_c=d.e"));
    assert!(!matches("[A-Za-z0-9-_=.]+", "a/b"));
    assert!(matches(r".*\{####\}.*", "code {####}"));
    assert!(matches(r"(?s).*", "two\nlines"));
    // Java's . stops at every line terminator.
    assert!(!matches(r".*", "a\rb"));
    // The service's password pattern: a space inside, never at an end.
    assert!(matches(r"^[\S]+.*[\S]+$", "Pass word#123"));
    assert!(!matches(r"^[\S]+.*[\S]+$", " Password#123"));
}

#[test]
fn every_pattern_of_the_model_compiles() {
    // LazyLock: touching the model compiles every pattern, or panics here.
    assert!(
        MODEL
            .shapes
            .values()
            .filter(|s| s.pattern.is_some())
            .count()
            > 20
    );
    assert!(MODEL.operations.contains_key("AdminCreateUser"));
}

#[test]
fn requests_are_checked_member_by_member() {
    let ok = json!({"UserPoolId": "local_abc", "Username": "ana"});
    assert_eq!(check_input("AdminCreateUser", &ok), Ok(()));

    let bad = json!({
        "UserPoolId": "no underscore",
        "Username": "x".repeat(129),
        "TemporaryPassword": "ends in a space ",
        "UserAttributes": [{"Name": "email", "Value": "a".repeat(2049)}],
        "DesiredDeliveryMediums": ["PIGEON"],
    });
    let Err(Invalid::Constraints(found)) = check_input("AdminCreateUser", &bad) else {
        panic!("expected constraint violations");
    };
    let paths: Vec<&str> = found.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "desiredDeliveryMediums.1.member",
            "temporaryPassword",
            "userAttributes.1.member.value",
            "userPoolId",
            "username",
        ]
    );
    let message = Invalid::Constraints(found.clone()).to_string();
    assert!(
        message.starts_with("5 validation errors detected: "),
        "{message}"
    );
    assert!(message.contains(
        "Value 'PIGEON' at 'desiredDeliveryMediums.1.member' failed to satisfy constraint: \
         Member must satisfy enum value set: [SMS, EMAIL]"
    ));
    // A password is sensitive: its value is never quoted.
    assert!(message.contains("Value at 'temporaryPassword' failed to satisfy constraint"));
    assert!(!message.contains("ends in a space"));
}

#[test]
fn missing_members_and_wrong_types() {
    let Err(Invalid::Constraints(found)) = check_input("AdminGetUser", &json!({})) else {
        panic!("expected violations");
    };
    assert_eq!(
        found[0].to_string(),
        "Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
    );
    let typed = check_input("ListUsers", &json!({"UserPoolId": "a_b", "Limit": "ten"}));
    assert_eq!(
        typed,
        Err(Invalid::Type {
            path: "limit".into(),
            expected: "a whole number".into()
        })
    );
    let range = check_input("ListUsers", &json!({"UserPoolId": "a_b", "Limit": 61}));
    assert!(
        range
            .unwrap_err()
            .to_string()
            .contains("less than or equal to 60")
    );
    // Members the model does not know are ignored, as Cognito ignores them.
    assert_eq!(
        check_input("ListUsers", &json!({"UserPoolId": "a_b", "Nope": 1})),
        Ok(())
    );
}

#[test]
fn forms_get_plain_words() {
    let username = member("AdminCreateUserRequest", "Username");
    assert_eq!(username.max, Some(128));
    assert!(check_str(username, "Username", "ana").is_ok());
    let err = check_str(username, "Username", &"x".repeat(129)).unwrap_err();
    assert_eq!(err.field, "Username");
    assert_eq!(err.rule, "must be at most 128 characters long");
    assert_eq!(
        check_str(username, "Username", "").unwrap_err().rule,
        "must not be empty"
    );
}
