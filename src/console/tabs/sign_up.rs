//! The Sign-up tab: how the pool verifies addresses, whether a changed address waits
//! for its verification, how users recover their account, deletion protection; and the
//! schema, standard and custom attributes with their type, whether required and mutable,
//! and their constraints. `e` edits the settings (the diff before saving; describe,
//! merge, update), `a` adds a custom attribute (AddCustomAttributes), each checked by
//! `pool::sign_up` before the call.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

use crate::console::action::{Action, Command, Confirmed, PoolEdit};
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::confirm::Confirm;
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::PoolDescription;
use crate::pool::sign_up::{DATA_TYPES, NewCustomAttribute, Recovery, SignUpSettings};

/// What the form edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editing {
    Settings,
    NewAttribute,
}

#[derive(Debug, Default)]
pub struct SignUpTab {
    /// Index into the pool's schema.
    pub selected: usize,
    pub form: Option<(Editing, Form)>,
}

const LABEL: usize = 50;

fn settings_form(s: &SignUpSettings) -> Form {
    let mut choices: Vec<&str> = Recovery::ALL.iter().map(|r| r.label()).collect();
    choices.push("Not set");
    let at = s
        .recovery
        .and_then(|r| Recovery::ALL.iter().position(|x| *x == r))
        .unwrap_or(Recovery::ALL.len());
    Form::new(vec![
        Field::heading("Attribute verification"),
        Field::checkbox("verify_email", "Verify email automatically", s.verify_email),
        Field::checkbox(
            "verify_phone",
            "Verify phone number automatically",
            s.verify_phone,
        ),
        Field::checkbox(
            "keep_email",
            "Keep the old email until the new one is verified",
            s.keep_email_until_verified,
        ),
        Field::checkbox(
            "keep_phone",
            "Keep the old phone number until the new one is verified",
            s.keep_phone_until_verified,
        ),
        Field::heading("Account recovery"),
        Field::choice("recovery", "Recovery by", &choices).with_choice(at),
        Field::heading("Deletion"),
        Field::checkbox(
            "deletion_protection",
            "Deletion protection",
            s.deletion_protection,
        ),
    ])
}

fn settings_from(form: &Form) -> Result<SignUpSettings, FieldErrors> {
    let s = SignUpSettings {
        verify_email: form.checked("verify_email"),
        verify_phone: form.checked("verify_phone"),
        keep_email_until_verified: form.checked("keep_email"),
        keep_phone_until_verified: form.checked("keep_phone"),
        recovery: Recovery::ALL.get(form.choice("recovery")).copied(),
        deletion_protection: form.checked("deletion_protection"),
    };
    let errors: FieldErrors = s
        .check()
        .into_iter()
        .map(|e| ("keep_email".to_string(), e.rule))
        .collect();
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}

fn attribute_form() -> Form {
    Form::new(vec![
        Field::heading("New custom attribute (Cognito adds custom: to its name)"),
        Field::text("name", "Name").with_hint("1 to 20 characters"),
        Field::choice("type", "Type", &DATA_TYPES),
        Field::checkbox("mutable", "Mutable (users' values can change)", true),
        Field::text("min", "Minimum length or value").with_hint("empty: none"),
        Field::text("max", "Maximum length or value").with_hint("strings: at most 2048"),
    ])
}

fn attribute_from(form: &Form, pool: &PoolDescription) -> Result<NewCustomAttribute, FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    let mut bound = |id: &str| {
        let text = form.value(id).trim();
        if text.is_empty() {
            return None;
        }
        match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push((id.to_string(), "enter a whole number, or nothing".into()));
                None
            }
        }
    };
    let (min, max) = (bound("min"), bound("max"));
    if !errors.is_empty() {
        return Err(errors);
    }
    let attribute = NewCustomAttribute {
        name: form.value("name").trim().to_string(),
        data_type: DATA_TYPES[form.choice("type").min(DATA_TYPES.len() - 1)].to_string(),
        mutable: form.checked("mutable"),
        min,
        max,
    };
    let existing: Vec<String> = pool
        .schema
        .iter()
        .filter(|a| a.name.starts_with("custom:"))
        .map(|a| a.name.clone())
        .collect();
    let errors: FieldErrors = attribute
        .check(&existing)
        .into_iter()
        .map(|e| {
            let field = match e.field.as_str() {
                "AttributeDataType" => "type",
                "Min" => "min",
                "Max" => "max",
                _ => "name",
            };
            (field.to_string(), e.rule)
        })
        .collect();
    if errors.is_empty() {
        Ok(attribute)
    } else {
        Err(errors)
    }
}

impl SignUpTab {
    fn save(&mut self, pool: &PoolDescription) -> Outcome {
        let Some((editing, form)) = &mut self.form else {
            return Outcome::Ignored;
        };
        let edit = match editing {
            Editing::Settings => match settings_from(form) {
                Ok(s) if s == pool.config.sign_up => {
                    self.form = None;
                    return Outcome::one(Step::Info("nothing changed".into()));
                }
                Ok(s) => PoolEdit::SignUp(s),
                Err(errors) => {
                    form.set_errors(&errors);
                    return Outcome::done();
                }
            },
            Editing::NewAttribute => match attribute_from(form, pool) {
                Ok(a) => PoolEdit::CustomAttribute(a),
                Err(errors) => {
                    form.set_errors(&errors);
                    return Outcome::done();
                }
            },
        };
        form.set_errors(&[]);
        Outcome::one(Step::Open(Box::new(Confirm {
            title: "Save this to the pool?".into(),
            lines: edit.changes(&pool.config),
            then: Confirmed::SavePool(edit),
        })))
    }
}

impl Owner for SignUpTab {
    fn discard(&mut self) {
        self.form = None;
    }

    fn context(&self) -> Context {
        match self.form {
            Some(_) => Context::Form,
            None => Context::SignUp,
        }
    }

    fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        if self.form.is_some() {
            return vec![Save, Back, NextField, PrevField, Toggle];
        }
        if env.pool.is_none() {
            return Vec::new();
        }
        let mut c = vec![Down, Up, Top, Bottom];
        if !env.read_only {
            c.extend([Edit, AddAttribute]);
        }
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::Ignored;
        };
        if let Some((editing, form)) = &mut self.form {
            match command {
                Command::NextField => form.next(),
                Command::PrevField => form.prev(),
                Command::Toggle => {
                    form.toggle();
                }
                Command::Save => return self.save(pool),
                Command::Back => {
                    let unchanged = *editing == Editing::Settings
                        && settings_from(form).is_ok_and(|s| s == pool.config.sign_up);
                    if unchanged {
                        self.form = None;
                        return Outcome::done();
                    }
                    return Outcome::one(Step::Open(Box::new(Confirm {
                        title: "Discard this?".into(),
                        lines: vec!["The pool stays as it is.".into()],
                        then: Confirmed::Discard,
                    })));
                }
                _ => return Outcome::Ignored,
            }
            return Outcome::done();
        }
        let last = pool.schema.len().saturating_sub(1);
        match command {
            Command::Down => self.selected = (self.selected + 1).min(last),
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::Top => self.selected = 0,
            Command::Bottom => self.selected = last,
            Command::Edit if !env.read_only => {
                self.form = Some((Editing::Settings, settings_form(&pool.config.sign_up)));
            }
            Command::AddAttribute if !env.read_only => {
                let mut form = attribute_form();
                form.focus_on("name");
                self.form = Some((Editing::NewAttribute, form));
            }
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn type_key(&mut self, key: &crossterm::event::KeyEvent, _bound: Option<Command>) -> bool {
        self.form
            .as_mut()
            .is_some_and(|(_, form)| form.type_plain(key))
    }

    fn observe(&mut self, result: &Action, _env: &Env) -> Vec<Step> {
        match result {
            Action::PoolUpdated(Ok(_)) => self.form = None,
            Action::PoolUpdated(Err(e)) => {
                if let Some((_, form)) = &mut self.form {
                    form.message = Some((false, format!("Cognito refused: {e}")));
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let Some(pool) = ui.env.pool else {
            return;
        };
        let theme = &ui.theme;
        if let Some((_, form)) = &self.form {
            form.render_with(area, buf, theme, LABEL);
            return;
        }
        let s = &pool.config.sign_up;
        let yes = |b: bool| if b { "yes" } else { "no" };
        let verified: Vec<&str> = [(s.verify_email, "email"), (s.verify_phone, "phone number")]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| name)
            .collect();
        let waiting: Vec<&str> = [
            (s.keep_email_until_verified, "email"),
            (s.keep_phone_until_verified, "phone number"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| name)
        .collect();
        let row = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("  {label:<34} "), theme.muted()),
                Span::raw(value),
            ])
        };
        let none = |v: &[&str]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        let lines = vec![
            row("Verified automatically", none(&verified)),
            row("Old value kept until verified", none(&waiting)),
            row(
                "Account recovery",
                s.recovery
                    .map_or("not set (the phone, else the email)".into(), |r| {
                        r.label().into()
                    }),
            ),
            row("Deletion protection", yes(s.deletion_protection).into()),
        ];
        let [top, table] = Layout::vertical([
            Constraint::Length(lines.len() as u16 + 1),
            Constraint::Min(0),
        ])
        .areas(area);
        Paragraph::new(lines).render(top, buf);
        let rows = pool.schema.iter().map(|a| {
            Row::new(vec![
                Cell::from(a.name.clone()),
                Cell::from(a.data_type.clone()),
                Cell::from(yes(a.required)),
                Cell::from(yes(a.mutable)),
                Cell::from(a.bounds.clone().unwrap_or_default()),
            ])
        });
        let mut state = TableState::default().with_selected(Some(self.selected));
        StatefulWidget::render(
            Table::new(
                rows,
                [
                    Constraint::Length(24),
                    Constraint::Length(9),
                    Constraint::Length(9),
                    Constraint::Length(8),
                    Constraint::Fill(1),
                ],
            )
            .header(
                Row::new(vec![
                    "Attribute",
                    "Type",
                    "Required",
                    "Mutable",
                    "Constraints",
                ])
                .style(theme.muted()),
            )
            .row_highlight_style(theme.selected()),
            table,
            buf,
            &mut state,
        );
    }
}
