//! The attribute schema every pool has, plus the custom attributes a pool declares.

use serde_json::{Value, json};

use crate::local::db::pool_settings::Settings;

fn string_attr(name: &str, required: bool, mutable: bool, min: &str, max: &str) -> Value {
    json!({
        "Name": name,
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": false,
        "Mutable": mutable,
        "Required": required,
        "StringAttributeConstraints": { "MinLength": min, "MaxLength": max }
    })
}

fn boolean_attr(name: &str) -> Value {
    json!({
        "Name": name,
        "AttributeDataType": "Boolean",
        "DeveloperOnlyAttribute": false,
        "Mutable": true,
        "Required": false
    })
}

/// `SchemaAttributes` of DescribeUserPool: the standard attributes (with `Required`
/// taken from the pool's Schema where it overrides them) and the custom ones.
pub fn schema_attributes(settings: &Settings) -> Value {
    let declared: Vec<Value> = settings
        .0
        .get("Schema")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let required = |name: &str| {
        declared.iter().any(|a| {
            a.get("Name").and_then(Value::as_str) == Some(name)
                && a.get("Required").and_then(Value::as_bool) == Some(true)
        })
    };
    let mut out = vec![string_attr("sub", true, false, "1", "2048")];
    for name in [
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "profile",
        "picture",
        "website",
        "email",
    ] {
        out.push(string_attr(name, required(name), true, "0", "2048"));
    }
    out.push(boolean_attr("email_verified"));
    out.push(string_attr("gender", required("gender"), true, "0", "2048"));
    out.push(string_attr(
        "birthdate",
        required("birthdate"),
        true,
        "10",
        "10",
    ));
    for name in ["zoneinfo", "locale", "phone_number"] {
        out.push(string_attr(name, required(name), true, "0", "2048"));
    }
    out.push(boolean_attr("phone_number_verified"));
    out.push(string_attr(
        "address",
        required("address"),
        true,
        "0",
        "2048",
    ));
    out.push(json!({
        "Name": "updated_at",
        "AttributeDataType": "Number",
        "DeveloperOnlyAttribute": false,
        "Mutable": true,
        "Required": required("updated_at"),
        "NumberAttributeConstraints": { "MinValue": "0" }
    }));
    for custom in settings.custom_attributes() {
        let mut entry = declared
            .iter()
            .find(|a| {
                a.get("Name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n == custom.name || format!("custom:{n}") == custom.name)
            })
            .cloned()
            .unwrap_or_else(|| json!({}));
        entry["Name"] = json!(custom.name);
        entry["AttributeDataType"] = json!(custom.data_type);
        out.push(entry);
    }
    Value::Array(out)
}
