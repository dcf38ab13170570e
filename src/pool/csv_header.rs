//! The columns of Cognito's user import CSV, as GetCSVHeader gives them for a pool: the
//! standard attributes in Cognito's order, the pool's custom attributes, then
//! `cognito:mfa_enabled` and `cognito:username`. The store answers GetCSVHeader with it
//! and `export` writes it, so an export can be imported into any pool with the same
//! custom attributes.

use super::SchemaAttribute;
use super::validate::{CUSTOM_PREFIX, STANDARD_ATTRIBUTES};

pub const MFA_ENABLED: &str = "cognito:mfa_enabled";
pub const USERNAME: &str = "cognito:username";

/// The header for a pool with this schema.
pub fn header(schema: &[SchemaAttribute]) -> Vec<String> {
    // The standard attributes in Cognito's order, which is the header's, but `sub`.
    let mut columns: Vec<String> = STANDARD_ATTRIBUTES
        .iter()
        .filter(|a| **a != "sub")
        .map(|a| (*a).to_string())
        .collect();
    columns.extend(
        schema
            .iter()
            .filter(|a| a.name.starts_with(CUSTOM_PREFIX))
            .map(|a| a.name.clone()),
    );
    columns.push(MFA_ENABLED.into());
    columns.push(USERNAME.into());
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_then_custom_then_cognitos_own() {
        let schema = vec![
            SchemaAttribute {
                name: "email".into(),
                ..SchemaAttribute::default()
            },
            SchemaAttribute {
                name: "custom:team".into(),
                ..SchemaAttribute::default()
            },
        ];
        let h = header(&schema);
        assert_eq!(h.len(), 22);
        assert_eq!(h[0], "name");
        assert_eq!(h[19], "custom:team");
        assert_eq!(&h[20..], [MFA_ENABLED, USERNAME]);
    }
}
