//! The search popup, in two parts said as such. On the server: which attribute, equals
//! or starts with, and the value (all ListUsers can do; the value reaches it only
//! through `Filter`, which escapes it). Here: text anywhere, a regular expression,
//! status, enabled, verified flags and dates, which the console applies to the pages
//! as they come (the local store runs them in its database).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{Ui, centered, frame};
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::widgets::form::{Field, Form};
use crate::pool::UserStatus;
use crate::pool::filter::{Filter, FilterOp, SearchAttribute};
use crate::pool::user_filter::{Days, LocalFilter, Pattern};
use crate::pool::when;
use crossterm::event::KeyEvent;

const ANY: &str = "any";
const YES_NO: [&str; 3] = [ANY, "yes", "no"];
const ENABLED: [&str; 3] = [ANY, "enabled", "disabled"];
/// The date fields: id, label, and which bound of which date each sets.
const DATES: [(&str, &str); 4] = [
    ("created_from", "Created on or after"),
    ("created_before", "Created before"),
    ("updated_from", "Updated on or after"),
    ("updated_before", "Updated before"),
];

fn statuses() -> Vec<&'static str> {
    std::iter::once(ANY)
        .chain(UserStatus::ALL.iter().map(|s| s.as_str()))
        .collect()
}

/// A yes / no / any choice's index for a flag.
fn flag_choice(flag: Option<bool>) -> usize {
    match flag {
        None => 0,
        Some(true) => 1,
        Some(false) => 2,
    }
}

pub fn form(current: Option<&Filter>, local: &LocalFilter) -> Form {
    let attributes: Vec<&str> = SearchAttribute::ALL.iter().map(|a| a.as_str()).collect();
    let day = |d: Option<i64>| {
        d.map(|d| {
            when::date(
                std::time::UNIX_EPOCH
                    + std::time::Duration::from_secs_f64(when::day_start(d).max(0.0)),
            )
        })
        .unwrap_or_default()
    };
    let status = local
        .status
        .and_then(|s| UserStatus::ALL.iter().position(|x| *x == s))
        .map_or(0, |i| i + 1);
    let mut fields = vec![
        Field::heading("On the server (ListUsers: one attribute, = or ^=)"),
        Field::choice("attribute", "Attribute", &attributes),
        // Starts with, on username, is what people mean most of the time.
        Field::choice("op", "Match", &["equals", "starts with"]).with_choice(1),
        Field::text("value", "Value").with_hint("empty: every user"),
        Field::heading("Here, beyond ListUsers (in the store itself on the local store)"),
        Field::text("contains", "Contains")
            .with_value(local.contains.as_deref().unwrap_or_default())
            .with_hint("in the username or any value, ignoring case"),
        Field::text("regex", "Regex")
            .with_value(local.regex.as_ref().map_or("", |r| r.as_str()))
            .with_hint("matches the username or any value"),
        Field::choice("status", "Status", &statuses()).with_choice(status),
        Field::choice("enabled", "Enabled", &ENABLED).with_choice(flag_choice(local.enabled)),
        Field::choice("email_verified", "Email verified", &YES_NO)
            .with_choice(flag_choice(local.email_verified)),
        Field::choice("phone_verified", "Phone verified", &YES_NO)
            .with_choice(flag_choice(local.phone_verified)),
    ];
    let bounds = [
        local.created.from,
        local.created.before,
        local.modified.from,
        local.modified.before,
    ];
    for ((id, label), bound) in DATES.into_iter().zip(bounds) {
        fields.push(
            Field::text(id, label)
                .with_value(&day(bound))
                .with_hint("YYYY-MM-DD, UTC"),
        );
    }
    let mut form = Form::new(fields);
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
            *f = Field::text("value", "Value")
                .with_value(&current.value)
                .with_hint("empty: every user");
        }
    }
    form.focus_on("value");
    form
}

/// The filter a search form describes; an empty value searches every user.
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

/// The local filters the form describes, or each field's error.
pub fn local_from(form: &Form) -> Result<LocalFilter, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let text = |id: &str| Some(form.value(id).to_string()).filter(|s| !s.is_empty());
    let flag = |id: &str| match form.choice(id) {
        1 => Some(true),
        2 => Some(false),
        _ => None,
    };
    let regex = match text("regex").map(|r| Pattern::new(&r)) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            errors.push(("regex".to_string(), e));
            None
        }
        None => None,
    };
    let mut days = [None; 4];
    for (slot, (id, _)) in days.iter_mut().zip(DATES) {
        match text(id).map(|d| when::parse_date(&d)) {
            Some(Ok(d)) => *slot = Some(d),
            Some(Err(e)) => errors.push((id.to_string(), e)),
            None => {}
        }
    }
    for (from, before, id) in [
        (days[0], days[1], "created_before"),
        (days[2], days[3], "updated_before"),
    ] {
        if let (Some(f), Some(b)) = (from, before)
            && b <= f
        {
            errors.push((id.to_string(), "must be after the day on or after".into()));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(LocalFilter {
        contains: text("contains"),
        regex,
        status: form
            .choice("status")
            .checked_sub(1)
            .and_then(|i| UserStatus::ALL.get(i).copied()),
        enabled: flag("enabled"),
        email_verified: flag("email_verified"),
        phone_verified: flag("phone_verified"),
        created: Days {
            from: days[0],
            before: days[1],
        },
        modified: Days {
            from: days[2],
            before: days[3],
        },
    })
}

#[derive(Debug)]
pub struct Search {
    pub form: Form,
}

impl Search {
    pub fn new(current: Option<&Filter>, local: &LocalFilter) -> Self {
        Self {
            form: form(current, local),
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

    fn label(&self, command: Command) -> Option<String> {
        match command {
            Command::Save => Some("search".into()),
            Command::Back => Some("cancel".into()),
            _ => None,
        }
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
            Command::Save => {
                let server = filter_from(form);
                let local = local_from(form);
                match (server, local) {
                    (Ok(filter), Ok(local)) => {
                        return Outcome::steps([Step::Close, Step::Search(filter, local)]);
                    }
                    (server, local) => {
                        let mut errors = Vec::new();
                        if let Err(e) = server {
                            errors.push(("value".to_string(), e));
                        }
                        errors.extend(local.err().unwrap_or_default());
                        form.set_errors(&errors);
                    }
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 76, 19);
        let title = format!(
            "Search users ({})",
            ui.hint(
                Context::Form,
                &[(Command::Save, "searches"), (Command::Back, "cancels")]
            )
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        self.form.render_with(inner, buf, &ui.theme, 20);
    }
}
