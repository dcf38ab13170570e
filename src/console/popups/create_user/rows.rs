//! The Create user form's rows of name and value: other attributes, and what the pool's
//! Lambda triggers are given (`ValidationData`, `ClientMetadata`; never stored). Each
//! kind starts with one empty row under its heading; `ctrl-n` adds a row of the kind the
//! cursor is on, `ctrl-x` removes the row under it.

use super::CreateUser;
use crate::console::widgets::form::Field;

/// A kind of row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    Attributes,
    Validation,
    Metadata,
}

impl Rows {
    pub const ALL: [Rows; 3] = [Self::Attributes, Self::Validation, Self::Metadata];

    pub(super) fn prefix(self) -> &'static str {
        match self {
            Self::Attributes => "attr_",
            Self::Validation => "valid_",
            Self::Metadata => "meta_",
        }
    }

    pub(super) fn heading(self) -> &'static str {
        match self {
            Self::Attributes => "Other attributes",
            Self::Validation => "Validation data (for the pre sign-up trigger, not stored)",
            Self::Metadata => "Client metadata (for the pool's triggers, not stored)",
        }
    }

    fn name_field(self) -> (&'static str, &'static str) {
        match self {
            Self::Attributes => ("Attribute name", "custom:department"),
            Self::Validation => ("Name", "1 to 32 characters"),
            Self::Metadata => ("Key", "any text; each key once"),
        }
    }
}

impl CreateUser {
    /// The kind of row the cursor is on; attributes when it is on none.
    pub(super) fn focused_rows(&self) -> Rows {
        let id = self.form.focused_id();
        Rows::ALL
            .into_iter()
            .find(|k| id.starts_with(k.prefix()))
            .unwrap_or(Rows::Attributes)
    }

    /// Whether the cursor is on a row (which can be removed).
    pub(super) fn on_row(&self) -> bool {
        let id = self.form.focused_id();
        Rows::ALL.iter().any(|k| id.starts_with(k.prefix()))
    }

    /// A new row of `kind`, under the last of its kind, with the cursor in its name.
    pub fn add_row(&mut self, kind: Rows) {
        let i = self.rows;
        self.rows += 1;
        let fields = &self.form.fields;
        let at = fields
            .iter()
            .rposition(|f| f.id.starts_with(kind.prefix()))
            .or_else(|| fields.iter().position(|f| f.label == kind.heading()))
            .map_or(fields.len(), |p| p + 1);
        let (name, hint) = kind.name_field();
        let name_id = format!("{}name:{i}", kind.prefix());
        let value_id = format!("{}value:{i}", kind.prefix());
        self.form
            .fields
            .insert(at, Field::text(&value_id, "  value"));
        self.form
            .fields
            .insert(at, Field::text(&name_id, name).with_hint(hint));
        self.form.focus_on(&name_id);
    }

    /// Removes the row under the cursor.
    pub fn remove_row(&mut self) {
        let id = self.form.focused_id().to_string();
        let Some(index) = id.split(':').nth(1) else {
            return;
        };
        let prefix = self.focused_rows().prefix();
        let (name, value) = (
            format!("{prefix}name:{index}"),
            format!("{prefix}value:{index}"),
        );
        self.form.fields.retain(|f| f.id != name && f.id != value);
        self.form.focus = self
            .form
            .focus
            .min(self.form.fields.len().saturating_sub(1));
        self.form.prev();
        self.form.next();
    }

    /// The (name, value, name field's id) of every row of `kind` with a name.
    pub(super) fn pairs(&self, kind: Rows) -> Vec<(String, String, String)> {
        let f = &self.form;
        f.fields
            .iter()
            .filter(|x| x.id.starts_with(&format!("{}name:", kind.prefix())))
            .filter(|x| !x.value().trim().is_empty())
            .map(|x| {
                let value_id = x.id.replace("name:", "value:");
                let value = f.value(&value_id).to_string();
                (x.value().trim().to_string(), value, x.id.clone())
            })
            .collect()
    }
}
