//! The search popup: which attribute, equals or starts with, and the value. The value
//! reaches ListUsers only through `Filter`, which escapes it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Ui, centered, frame};
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, Form};
use crate::pool::filter::{Filter, FilterOp, SearchAttribute};
use crossterm::event::KeyEvent;

pub fn form(current: Option<&Filter>) -> Form {
    let attributes: Vec<&str> = SearchAttribute::ALL.iter().map(|a| a.as_str()).collect();
    let mut form = Form::new(vec![
        Field::choice("attribute", "Attribute", &attributes),
        Field::choice("op", "Match", &["equals", "starts with"]),
        Field::text("value", "Value").with_hint("empty: every user"),
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

#[derive(Debug)]
pub struct Search {
    pub form: Form,
}

impl Search {
    pub fn new(current: Option<&Filter>) -> Self {
        Self {
            form: form(current),
        }
    }
}

impl Owner for Search {
    fn context(&self) -> Context {
        Context::Form
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        vec![
            Command::Save,
            Command::Back,
            Command::NextField,
            Command::PrevField,
            Command::Toggle,
            Command::SwitchOperator,
        ]
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        self.form.type_key(key)
    }

    fn handle(&mut self, command: Command, _env: &Env) -> Outcome {
        let form = &mut self.form;
        match command {
            Command::Back => return Outcome::one(Step::Close),
            Command::NextField => form.next(),
            Command::PrevField => form.prev(),
            Command::Toggle => {
                form.toggle();
            }
            Command::SwitchOperator => {
                form.focus_on("op");
                form.toggle();
            }
            Command::Save => match filter_from(form) {
                Ok(filter) => return Outcome::steps([Step::Close, Step::Search(filter)]),
                Err(e) => form.set_errors(&[("value".into(), e)]),
            },
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 72, 8);
        let title = format!(
            "Search users on the server ({})",
            ui.hint(
                Context::Form,
                &[(Command::Save, "searches"), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        self.form.render_with(inner, buf, &ui.theme, 10);
    }
}
