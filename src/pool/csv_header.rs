//! The columns of Cognito's user import CSV, as GetCSVHeader gives them for a pool: the
//! standard attributes in Cognito's order, the pool's custom attributes, then
//! `cognito:mfa_enabled` and `cognito:username`. The store answers GetCSVHeader with it
//! and `export` writes it, so an export can be imported into any pool with the same
//! custom attributes.

use super::standard_attributes;
use super::validate::CUSTOM_PREFIX;
use super::{Attribute, SchemaAttribute};

/// The largest CSV an import job takes: Cognito's limit (100 MB).
pub const MAX_CSV: usize = 100 * 1024 * 1024;

pub const MFA_ENABLED: &str = "cognito:mfa_enabled";
pub const USERNAME: &str = "cognito:username";

/// One CSV row read with its header: the username and the attributes it gives (empty
/// cells give none). `cognito:mfa_enabled` true is refused: a user cannot be created with
/// MFA on, neither by AdminCreateUser nor by an import job in a pool without MFA.
pub fn row<'a>(
    header: &[String],
    cells: impl Iterator<Item = &'a str>,
) -> Result<(String, Vec<Attribute>), String> {
    let mut username = String::new();
    let mut attributes = Vec::new();
    for (column, value) in header.iter().zip(cells) {
        match column.as_str() {
            USERNAME => username = value.to_string(),
            MFA_ENABLED if value.eq_ignore_ascii_case("true") => {
                return Err(format!(
                    "{MFA_ENABLED} is true: a user cannot be created with MFA on; import it false and set MFA after"
                ));
            }
            MFA_ENABLED => {}
            _ if value.is_empty() => {}
            name => attributes.push(Attribute::new(name, value)),
        }
    }
    Ok((username, attributes))
}

/// The header for a pool with this schema.
pub fn header(schema: &[SchemaAttribute]) -> Vec<String> {
    // The standard attributes in Cognito's order, which is the header's, but `sub`.
    let mut columns: Vec<String> = standard_attributes::names()
        .filter(|a| *a != "sub")
        .map(str::to_string)
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
                bounds: None,
                name: "email".into(),
                ..SchemaAttribute::default()
            },
            SchemaAttribute {
                bounds: None,
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
