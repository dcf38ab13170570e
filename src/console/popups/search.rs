//! The search popup: which attribute, equals or starts with, and the value. The value
//! reaches ListUsers only through `Filter`, which escapes it.

use crate::console::widgets::form::{Field, Form};
use crate::pool::filter::{Filter, FilterOp, SearchAttribute};

pub fn form(current: Option<&Filter>) -> Form {
    let attributes: Vec<&str> = SearchAttribute::ALL.iter().map(|a| a.as_str()).collect();
    let mut form = Form::new(vec![
        Field::choice("attribute", "Attribute", &attributes).with_hint("space: next attribute"),
        Field::choice("op", "Match", &["equals", "starts with"]).with_hint("space: switch"),
        Field::text("value", "Value").with_hint("enter searches · esc cancels"),
    ]);
    // Starts with, on username, is what people mean most of the time.
    if let Some(f) = form.field_mut("op") {
        f.choice = 1;
    }
    if let Some(current) = current {
        if let Some(f) = form.field_mut("attribute") {
            f.choice = SearchAttribute::ALL
                .iter()
                .position(|a| *a == current.attribute)
                .unwrap_or(0);
        }
        if let Some(f) = form.field_mut("op") {
            f.choice = usize::from(current.op == FilterOp::StartsWith);
        }
        if let Some(f) = form.field_mut("value") {
            *f = Field::text("value", "Value").with_value(&current.value);
        }
    }
    form.focus_on("value");
    form
}

/// The filter a search form describes; an empty value clears the search.
pub fn filter_from(form: &Form) -> Result<Option<Filter>, String> {
    let value = form.value("value");
    if value.is_empty() {
        return Ok(None);
    }
    let attribute =
        SearchAttribute::ALL[form.choice("attribute").min(SearchAttribute::ALL.len() - 1)];
    let op = if form.choice("op") == 1 {
        FilterOp::StartsWith
    } else {
        FilterOp::Equals
    };
    let filter = Filter::new(attribute, op, value);
    filter.to_request().map_err(|e| e.rule)?;
    Ok(Some(filter))
}
