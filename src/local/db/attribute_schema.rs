//! The attribute schema every pool has, plus the custom attributes a pool declares.

use serde_json::{Value, json};

use crate::local::db::pool_settings::Settings;
use crate::pool::standard_attributes::{Kind, STANDARD_ATTRIBUTES, StandardAttribute};

/// A standard attribute as `SchemaAttributeType` describes it, `required` or not.
fn standard(a: &StandardAttribute, required: bool) -> Value {
    let mut out = json!({
        "Name": a.name,
        "DeveloperOnlyAttribute": false,
        "Mutable": a.mutable,
        "Required": required,
    });
    match a.kind {
        Kind::String { min, max } => {
            out["AttributeDataType"] = json!("String");
            out["StringAttributeConstraints"] =
                json!({ "MinLength": min.to_string(), "MaxLength": max.to_string() });
        }
        Kind::Boolean => out["AttributeDataType"] = json!("Boolean"),
        Kind::Number { min } => {
            out["AttributeDataType"] = json!("Number");
            out["NumberAttributeConstraints"] = json!({ "MinValue": min.to_string() });
        }
    }
    out
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
    let mut out: Vec<Value> = STANDARD_ATTRIBUTES
        .iter()
        .map(|a| {
            // A verified flag is never required: the pool's schema cannot make it so.
            let required = a.always_required || (a.kind != Kind::Boolean && required(a.name));
            standard(a, required)
        })
        .collect();
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

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::*;

    fn described(schema: Value) -> Vec<Value> {
        let request: Map<String, Value> = [("Schema".to_string(), schema)].into_iter().collect();
        let settings = Settings::for_create(&request).expect("a valid schema");
        schema_attributes(&settings)
            .as_array()
            .expect("an array")
            .clone()
    }

    fn named<'a>(schema: &'a [Value], name: &str) -> &'a Value {
        schema
            .iter()
            .find(|a| a["Name"] == name)
            .unwrap_or_else(|| panic!("{name} in {schema:?}"))
    }

    #[test]
    fn standard_attributes_as_cognito_describes_them() {
        let schema = described(json!([{"Name": "email", "Required": true}]));
        let names: Vec<&str> = schema.iter().filter_map(|a| a["Name"].as_str()).collect();
        let standard: Vec<&str> = crate::pool::standard_attributes::names().collect();
        assert_eq!(
            names, standard,
            "every standard attribute, in Cognito's order"
        );
        assert_eq!(
            named(&schema, "sub"),
            &json!({"Name": "sub", "AttributeDataType": "String", "DeveloperOnlyAttribute": false,
                    "Mutable": false, "Required": true,
                    "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"}})
        );
        assert_eq!(named(&schema, "email")["Required"], true);
        assert_eq!(named(&schema, "name")["Required"], false);
        assert_eq!(
            named(&schema, "birthdate")["StringAttributeConstraints"],
            json!({"MinLength": "10", "MaxLength": "10"})
        );
        assert_eq!(
            named(&schema, "email_verified"),
            &json!({"Name": "email_verified", "AttributeDataType": "Boolean",
                    "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false})
        );
        assert_eq!(
            named(&schema, "updated_at"),
            &json!({"Name": "updated_at", "AttributeDataType": "Number",
                    "DeveloperOnlyAttribute": false, "Mutable": true, "Required": false,
                    "NumberAttributeConstraints": {"MinValue": "0"}})
        );
    }

    #[test]
    fn custom_attributes_follow_the_standard_ones() {
        let schema = described(json!([{"Name": "team", "AttributeDataType": "String"}]));
        assert_eq!(schema.len(), 21);
        assert_eq!(schema[20]["Name"], "custom:team");
    }
}
