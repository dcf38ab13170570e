//! The Domain tab's forms: a prefix for the pool's domain, and a resource server with a
//! row per scope (`ctrl-n` adds one under the cursor's, `ctrl-x` removes the one under
//! it). Each is checked by `pool::domain` before the call, errors beside their fields.

use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::domain::{ResourceServer, check_prefix};
use crate::pool::oauth::Scope;

/// The forms' label column.
pub const LABEL: usize = 24;

const NAME: &str = "scope_name:";
const DESCRIPTION: &str = "scope_description:";

/// The form that sets up the domain.
pub fn domain_form() -> Form {
    let mut f = Form::new(vec![Field::text("prefix", "Domain prefix").with_hint(
        "lowercase letters, digits and hyphens; not aws, amazon or cognito",
    )]);
    f.focus_on("prefix");
    f
}

/// The prefix typed, or why Cognito would refuse it.
pub fn prefix_from(form: &Form) -> Result<String, FieldErrors> {
    let prefix = form.value("prefix").trim().to_string();
    check_prefix(&prefix)
        .map(|()| prefix)
        .map_err(|e| vec![("prefix".to_string(), e.rule)])
}

/// The form for `server`; its identifier is fixed once made (`create` false).
pub fn server_form(server: &ResourceServer, create: bool) -> Form {
    let identifier = if create {
        Field::text("identifier", "Identifier")
            .with_value(&server.identifier)
            .with_hint("e.g. https://api.example.com or orders; scopes are identifier/name")
    } else {
        Field::read_only("identifier", "Identifier", &server.identifier)
    };
    let mut fields = vec![
        identifier,
        Field::text("name", "Name").with_value(&server.name),
        Field::heading("Scopes"),
    ];
    let mut scopes = server.scopes.clone();
    if scopes.is_empty() {
        scopes.push(Scope {
            scope_name: String::new(),
            scope_description: String::new(),
        });
    }
    for (i, scope) in scopes.iter().enumerate() {
        fields.extend(row(i, scope));
    }
    let mut f = Form::new(fields);
    f.focus_on(if create { "identifier" } else { "name" });
    f
}

fn row(i: usize, scope: &Scope) -> [Field; 2] {
    [
        Field::text(&format!("{NAME}{i}"), "Scope name")
            .with_value(&scope.scope_name)
            .with_hint("no / or \" or \\"),
        Field::text(&format!("{DESCRIPTION}{i}"), "  description")
            .with_value(&scope.scope_description),
    ]
}

/// Whether the cursor is on a scope's row.
pub fn on_row(form: &Form) -> bool {
    let id = form.focused_id();
    id.starts_with(NAME) || id.starts_with(DESCRIPTION)
}

/// A new empty scope row under the cursor's (or the last), the cursor in its name.
pub fn add_row(form: &mut Form) {
    let next = form
        .fields
        .iter()
        .filter_map(|f| f.id.strip_prefix(NAME)?.parse::<usize>().ok())
        .max()
        .map_or(0, |n| n + 1);
    let here = form
        .focused_id()
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let at = form
        .fields
        .iter()
        .position(|f| f.id == format!("{DESCRIPTION}{here}"))
        .or_else(|| {
            form.fields
                .iter()
                .rposition(|f| f.id.starts_with(DESCRIPTION))
        })
        .map_or(form.fields.len(), |p| p + 1);
    let empty = Scope {
        scope_name: String::new(),
        scope_description: String::new(),
    };
    for (k, field) in row(next, &empty).into_iter().enumerate() {
        form.fields.insert(at + k, field);
    }
    form.focus_on(&format!("{NAME}{next}"));
}

/// Removes the scope row under the cursor.
pub fn remove_row(form: &mut Form) {
    if !on_row(form) {
        return;
    }
    let index = form
        .focused_id()
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let (name, description) = (format!("{NAME}{index}"), format!("{DESCRIPTION}{index}"));
    form.fields.retain(|f| f.id != name && f.id != description);
    form.focus = form.focus.min(form.fields.len().saturating_sub(1));
    form.prev();
    form.next();
}

/// The field a rule's member belongs to: a scope's errors go beside its row.
fn field_of(form: &Form, member: &str, rule: &str) -> String {
    let row_of = |prefix: &str| {
        form.fields
            .iter()
            .filter(|f| f.id.starts_with(NAME))
            .find(|f| {
                !f.value().trim().is_empty() && rule.starts_with(&format!("{}:", f.value().trim()))
            })
            .map(|f| f.id.replace(NAME, prefix))
    };
    match member {
        "Identifier" => "identifier".into(),
        "Name" => "name".into(),
        "ScopeName" | "Scopes" => row_of(NAME).unwrap_or_else(|| format!("{NAME}0")),
        "ScopeDescription" => row_of(DESCRIPTION).unwrap_or_else(|| format!("{DESCRIPTION}0")),
        _ => "name".into(),
    }
}

/// The server the form describes (rows with neither name nor description left out), or
/// the errors per field.
pub fn server_from(form: &Form) -> Result<ResourceServer, FieldErrors> {
    let scopes: Vec<Scope> = form
        .fields
        .iter()
        .filter_map(|f| f.id.strip_prefix(NAME).map(|i| (i, f)))
        // Names and descriptions as typed: a server's own trailing space is no change.
        .map(|(i, f)| Scope {
            scope_name: f.value().trim().to_string(),
            scope_description: form.value(&format!("{DESCRIPTION}{i}")).to_string(),
        })
        .filter(|s| !s.scope_name.is_empty() || !s.scope_description.trim().is_empty())
        .collect();
    let server = ResourceServer {
        identifier: form.value("identifier").trim().to_string(),
        name: form.value("name").to_string(),
        scopes,
    };
    let errors: FieldErrors = server
        .check()
        .into_iter()
        .map(|e| (field_of(form, &e.field, &e.rule), e.rule))
        .collect();
    if errors.is_empty() {
        Ok(server)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_and_go_and_errors_land_beside_their_row() {
        let server = ResourceServer {
            identifier: "orders".into(),
            name: "Orders".into(),
            scopes: vec![Scope {
                scope_name: "read".into(),
                scope_description: "Read orders".into(),
            }],
        };
        let mut f = server_form(&server, false);
        assert_eq!(server_from(&f).unwrap(), server);
        add_row(&mut f);
        assert_eq!(f.focused_id(), "scope_name:1");
        assert_eq!(server_from(&f).unwrap(), server, "an empty row is left out");
        f.field_mut("scope_name:1")
            .unwrap()
            .clone_from(&Field::text("scope_name:1", "Scope name").with_value("a/b"));
        let errors = server_from(&f).unwrap_err();
        assert!(
            errors.iter().any(|(id, _)| id == "scope_name:1"),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|(id, _)| id == "scope_description:1"),
            "{errors:?}"
        );
        remove_row(&mut f);
        assert_eq!(server_from(&f).unwrap(), server);
        let mut d = domain_form();
        d.field_mut("prefix")
            .unwrap()
            .clone_from(&Field::text("prefix", "").with_value("my-aws-shop"));
        assert!(
            prefix_from(&d).unwrap_err()[0]
                .1
                .contains("reserved word: aws")
        );
    }
}
