//! The rules of a user pool's settings that span members, and of the attributes its
//! schema declares, as CreateUserPool, UpdateUserPool and the developer guide document
//! them (docs/documented-rules.md, POOL-*). The lengths, ranges and enums of each member
//! alone are the service model's (`model`).

use serde_json::{Map, Value};

use super::rule::RuleError;
use super::standard_attributes;

/// The longest value a custom String attribute may be declared to hold: an attribute
/// value is at most 2048 characters (`AttributeValueType`).
pub const CUSTOM_STRING_MAX: i64 = 2048;

/// Rules between members of a pool's settings (a create request, or a pool after an
/// update), in the order the documentation gives them.
pub fn consistency(settings: &Map<String, Value>) -> Result<(), RuleError> {
    if settings.contains_key("AliasAttributes") && settings.contains_key("UsernameAttributes") {
        return Err(RuleError::new(
            "UsernameAttributes",
            "cannot be set with AliasAttributes: a pool has one or the other",
        ));
    }
    // POOL-15: an address can wait for its verification only where Cognito sends the code.
    let auto: Vec<&str> = settings
        .get("AutoVerifiedAttributes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let waiting = settings
        .get("UserAttributeUpdateSettings")
        .and_then(|u| u.get("AttributesRequireVerificationBeforeUpdate"))
        .and_then(Value::as_array);
    for attribute in waiting.into_iter().flatten().filter_map(Value::as_str) {
        if !auto.contains(&attribute) {
            return Err(RuleError::new(
                "UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate",
                format!(
                    "{attribute} must also be in AutoVerifiedAttributes: an update can wait for a verification only where Cognito verifies it automatically"
                ),
            ));
        }
    }
    if let Some(config) = settings.get("LambdaConfig") {
        super::triggers::check(config).map_err(|why| RuleError::new("LambdaConfig", why))?;
    }
    Ok(())
}

/// CreateUserPool: "If you set MfaConfiguration to either of these values [ON,
/// OPTIONAL], include an SmsConfiguration in the same request."
pub fn create_mfa(settings: &Map<String, Value>) -> Result<(), RuleError> {
    let mfa = settings.get("MfaConfiguration").and_then(Value::as_str);
    if matches!(mfa, Some("ON" | "OPTIONAL")) && !settings.contains_key("SmsConfiguration") {
        return Err(RuleError::new(
            "MfaConfiguration",
            format!(
                "{} needs an SmsConfiguration in the same request",
                mfa.unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// The attributes a CreateUserPool `Schema` declares: each name once; custom attributes
/// never required; a String's length bounds numbers with MinLength ≤ MaxLength ≤ 2048; a
/// Number's MinValue ≤ MaxValue.
pub fn schema(items: &[Value]) -> Result<(), RuleError> {
    let mut seen = std::collections::BTreeSet::new();
    for item in items {
        let name = item.get("Name").and_then(Value::as_str).unwrap_or_default();
        let field = format!("Schema.{name}");
        if !seen.insert(name) {
            return Err(RuleError::new(field, "is declared more than once"));
        }
        let custom = !standard_attributes::is_standard_attribute(name);
        if custom && item.get("Required").and_then(Value::as_bool) == Some(true) {
            return Err(RuleError::new(
                field,
                "is a custom attribute, and custom attributes cannot be required",
            ));
        }
        let data_type = item
            .get("AttributeDataType")
            .and_then(Value::as_str)
            .unwrap_or("String");
        if data_type == "String" {
            let min = bound(item, &field, "StringAttributeConstraints", "MinLength")?;
            let max = bound(item, &field, "StringAttributeConstraints", "MaxLength")?;
            if custom && max.is_some_and(|m| m > CUSTOM_STRING_MAX) {
                return Err(RuleError::new(
                    format!("{field}.MaxLength"),
                    format!("must be at most {CUSTOM_STRING_MAX}"),
                ));
            }
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                return Err(RuleError::new(
                    format!("{field}.MinLength"),
                    format!("must not be more than MaxLength ({min} > {max})"),
                ));
            }
        }
        if data_type == "Number" {
            let min = bound(item, &field, "NumberAttributeConstraints", "MinValue")?;
            let max = bound(item, &field, "NumberAttributeConstraints", "MaxValue")?;
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                return Err(RuleError::new(
                    format!("{field}.MinValue"),
                    format!("must not be more than MaxValue ({min} > {max})"),
                ));
            }
        }
    }
    Ok(())
}

/// A bound of a schema attribute, which the model sends as a string of digits.
fn bound(item: &Value, field: &str, group: &str, member: &str) -> Result<Option<i64>, RuleError> {
    let Some(raw) = item
        .get(group)
        .and_then(|g| g.get(member))
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    raw.parse::<i64>().map(Some).map_err(|_| {
        RuleError::new(
            format!("{field}.{member}"),
            format!("must be a whole number (it is {raw:?})"),
        )
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn settings(v: Value) -> Map<String, Value> {
        v.as_object().cloned().expect("object")
    }

    #[test]
    fn members_that_go_together() {
        assert!(consistency(&settings(json!({"AliasAttributes": ["email"]}))).is_ok());
        let both = json!({"AliasAttributes": ["email"], "UsernameAttributes": ["email"]});
        assert_eq!(
            consistency(&settings(both)).unwrap_err().field,
            "UsernameAttributes"
        );
        let mfa = json!({"MfaConfiguration": "OPTIONAL"});
        assert_eq!(
            create_mfa(&settings(mfa)).unwrap_err().field,
            "MfaConfiguration"
        );
        let with_sms = json!({"MfaConfiguration": "ON", "SmsConfiguration": {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}});
        assert!(create_mfa(&settings(with_sms)).is_ok());
        assert!(create_mfa(&settings(json!({"MfaConfiguration": "OFF"}))).is_ok());
    }

    #[test]
    fn schema_declarations() {
        let ok = json!([
            {"Name": "email", "Required": true},
            {"Name": "team", "AttributeDataType": "String",
             "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"}},
            {"Name": "age", "AttributeDataType": "Number",
             "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"}},
        ]);
        assert!(schema(ok.as_array().unwrap()).is_ok());
        for (bad, field) in [
            (json!([{"Name": "team", "Required": true}]), "Schema.team"),
            (json!([{"Name": "team"}, {"Name": "team"}]), "Schema.team"),
            (
                json!([{"Name": "team", "StringAttributeConstraints": {"MaxLength": "2049"}}]),
                "Schema.team.MaxLength",
            ),
            (
                json!([{"Name": "team", "StringAttributeConstraints": {"MinLength": "5", "MaxLength": "4"}}]),
                "Schema.team.MinLength",
            ),
            (
                json!([{"Name": "team", "StringAttributeConstraints": {"MaxLength": "ten"}}]),
                "Schema.team.MaxLength",
            ),
            (
                json!([{"Name": "age", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "9", "MaxValue": "1"}}]),
                "Schema.age.MinValue",
            ),
        ] {
            assert_eq!(
                schema(bad.as_array().unwrap()).unwrap_err().field,
                field,
                "{bad}"
            );
        }
    }
}
