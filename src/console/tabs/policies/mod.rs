//! The Policies tab: password strength, self sign-up, how long a new account's
//! temporary password lasts, and MFA (`mfa`). `e` edits the policies and `M` the MFA,
//! each as a form; saving shows what will change.

mod mfa;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::client::ClientError;
use crate::console::action::{Action, Command, Confirmed, PoolEdit};
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::confirm::Confirm;
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::types::CONSOLE_MAX_VALIDITY_DAYS;
use crate::pool::{PasswordPolicy, PoolConfig, model, validate};

#[derive(Debug, Default)]
pub struct PoliciesTab {
    /// The edit form, while editing.
    pub form: Option<Form>,
    /// What the form edits.
    pub section: Section,
}

/// The part of the tab a form edits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Section {
    #[default]
    Policies,
    Mfa,
}

const LABEL: usize = 42;

pub fn edit_form(config: &PoolConfig) -> Form {
    let p = &config.password_policy;
    Form::new(vec![
        Field::heading("Password strength"),
        Field::number("minimum_length", "Minimum length", p.minimum_length).with_hint(&{
            let (min, max) = model::range("PasswordPolicyType", "MinimumLength");
            format!("{min} to {max}")
        }),
        Field::checkbox("require_numbers", "Require numbers", p.require_numbers),
        Field::checkbox(
            "require_symbols",
            "Require special character",
            p.require_symbols,
        ),
        Field::checkbox(
            "require_uppercase",
            "Require uppercase letters",
            p.require_uppercase,
        ),
        Field::checkbox(
            "require_lowercase",
            "Require lowercase letters",
            p.require_lowercase,
        ),
        Field::heading("Self sign-up"),
        Field::checkbox(
            "self_sign_up",
            "Allow users to sign themselves up",
            !config.admin_create_user.allow_admin_create_user_only,
        ),
        Field::heading("Accounts created by administrators"),
        Field::number(
            "validity_days",
            "Days until the temporary password expires",
            p.effective_validity_days(),
        )
        .with_hint("1 to 90"),
    ])
}

/// The edit the form describes and a line per change, or the errors per field.
pub fn edit_from_form(
    form: &Form,
    current: &PoolConfig,
) -> Result<(PoolEdit, Vec<String>), FieldErrors> {
    let mut errors = Vec::new();
    let number = |id: &str, errors: &mut Vec<(String, String)>| match form.value(id).parse::<i64>()
    {
        Ok(n) => n,
        Err(_) => {
            errors.push((id.to_string(), "enter a whole number".to_string()));
            0
        }
    };
    let minimum_length = number("minimum_length", &mut errors);
    let validity_days = number("validity_days", &mut errors);
    let policy = PasswordPolicy {
        minimum_length,
        require_numbers: form.checked("require_numbers"),
        require_symbols: form.checked("require_symbols"),
        require_uppercase: form.checked("require_uppercase"),
        require_lowercase: form.checked("require_lowercase"),
        temporary_password_validity_days: validity_days,
        ..current.password_policy.clone()
    };
    if errors.is_empty() {
        let (min, max) = model::range("PasswordPolicyType", "MinimumLength");
        if let Err(e) = validate::in_range("minimum_length", minimum_length, min, max) {
            errors.push(("minimum_length".into(), e.rule));
        }
        if let Err(e) =
            validate::in_range("validity_days", validity_days, 1, CONSOLE_MAX_VALIDITY_DAYS)
        {
            errors.push((
                "validity_days".into(),
                format!("{} (the Cognito console's limit)", e.rule),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let edit = PoolEdit::Policies {
        password_policy: policy,
        allow_admin_create_user_only: !form.checked("self_sign_up"),
    };
    let changes = edit.changes(current);
    Ok((edit, changes))
}

impl PoliciesTab {
    /// Cognito's answer to a save: the form closes, or says why not and stays as typed.
    pub fn saved(&mut self, result: Result<(), &ClientError>) {
        match (result, &mut self.form) {
            (Ok(()), _) => self.form = None,
            (Err(e), Some(form)) => form.message = Some((false, format!("Cognito refused: {e}"))),
            (Err(_), None) => {}
        }
    }
}

impl Owner for PoliciesTab {
    fn discard(&mut self) {
        self.form = None;
    }

    fn context(&self) -> Context {
        match self.form {
            Some(_) => Context::Form,
            None => Context::Policies,
        }
    }

    fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        match (&self.form, env.pool) {
            (Some(_), _) => vec![Save, Back, NextField, PrevField, Toggle],
            (None, Some(pool)) if pool.config.mfa.is_some() => vec![Edit, EditMfa, Raw],
            (None, Some(_)) => vec![Edit, Raw],
            (None, None) => Vec::new(),
        }
    }

    fn why_not(&self, command: Command) -> Option<String> {
        (command == Command::EditMfa && self.form.is_none()).then(|| {
            "the pool's MFA could not be read (see the tab), so it cannot be edited".into()
        })
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::Ignored;
        };
        let Some(form) = &mut self.form else {
            match (command, &pool.config.mfa) {
                (Command::Edit, _) => {
                    self.form = Some(edit_form(&pool.config));
                    self.section = Section::Policies;
                }
                (Command::Raw, _) => {
                    return crate::console::popups::raw_view::RawView::open(
                        crate::client::raw::RawOf::Pool,
                        env,
                    );
                }
                (Command::EditMfa, Some(current)) => {
                    self.form = Some(mfa::edit_form(current));
                    self.section = Section::Mfa;
                }
                _ => return Outcome::Ignored,
            }
            return Outcome::done();
        };
        let edited = match self.section {
            Section::Policies => edit_from_form(form, &pool.config),
            Section::Mfa => mfa::edit_from_form(
                form,
                pool,
                pool.config.mfa.as_ref().unwrap_or(&Default::default()),
            ),
        };
        let keeps = match self.section {
            Section::Policies => "The pool keeps its policies as they are.",
            Section::Mfa => "The pool keeps its MFA as it is.",
        };
        match command {
            Command::NextField => form.next(),
            Command::PrevField => form.prev(),
            Command::Toggle => {
                form.toggle();
            }
            Command::Back => {
                return match edited {
                    Ok((_, changes)) if changes.is_empty() => {
                        self.form = None;
                        Outcome::done()
                    }
                    _ => Outcome::one(Step::Open(Box::new(Confirm {
                        title: "Discard these changes?".into(),
                        lines: vec![keeps.into()],
                        then: Confirmed::Discard,
                    }))),
                };
            }
            Command::Save => match edited {
                Err(errors) => form.set_errors(&errors),
                Ok((_, changes)) if changes.is_empty() => {
                    self.form = None;
                    return Outcome::one(Step::Info("nothing changed".into()));
                }
                Ok((edit, lines)) => {
                    form.set_errors(&[]);
                    return Outcome::one(Step::Open(Box::new(Confirm {
                        title: "Save these changes to the pool?".into(),
                        lines,
                        then: Confirmed::SavePool(edit),
                    })));
                }
            },
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        match &mut self.form {
            Some(form) => typing(key) && form.type_key(key),
            None => false,
        }
    }

    fn observe(&mut self, result: &Action, _env: &Env) -> Vec<Step> {
        if let Action::PoolUpdated(result) = result {
            self.saved(result.as_ref().map(drop));
        }
        Vec::new()
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let Some(pool) = ui.env.pool else {
            return;
        };
        let (theme, config) = (&ui.theme, &pool.config);
        if let Some(form) = &self.form {
            form.render_with(area, buf, theme, LABEL);
            return;
        }
        let p = &config.password_policy;
        let yes = |b: bool| if b { "Yes" } else { "No" };
        let row = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("  {label:<LABEL$} "), theme.muted()),
                Span::raw(value),
            ])
        };
        let lines = vec![
            Line::styled(
                "What password strength do you want to require?",
                theme.title(),
            ),
            row("Minimum length", p.minimum_length.to_string()),
            row("Require numbers", yes(p.require_numbers).into()),
            row("Require special character", yes(p.require_symbols).into()),
            row("Require uppercase letters", yes(p.require_uppercase).into()),
            row("Require lowercase letters", yes(p.require_lowercase).into()),
            Line::default(),
            Line::styled(
                "Do you want to allow users to sign themselves up?",
                theme.title(),
            ),
            row(
                "Allow users to sign themselves up",
                yes(!config.admin_create_user.allow_admin_create_user_only).into(),
            ),
            Line::default(),
            Line::styled(
                "How quickly should accounts created by administrators expire?",
                theme.title(),
            ),
            row(
                "Days until the temporary password expires",
                p.effective_validity_days().to_string(),
            ),
            Line::styled(
                "  Once a user has signed in, the account never expires.",
                theme.muted(),
            ),
            Line::default(),
        ];
        let mut lines = lines;
        lines.extend(mfa::lines(pool, theme, LABEL));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(area, buf);
    }
}

/// Keys that type into a text field rather than command the form.
fn typing(key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace) && !ctrl && !alt
        || matches!(key.code, KeyCode::Char('w' | 'u')) && ctrl
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_round_trip_lists_changes() {
        let config = PoolConfig::default();
        let mut form = edit_form(&config);
        let (_, changes) = edit_from_form(&form, &config).unwrap();
        assert!(changes.is_empty());
        form.field_mut("self_sign_up").unwrap().checked = false;
        form.focus_on("validity_days");
        let (edit, changes) = edit_from_form(&form, &config).unwrap();
        assert_eq!(changes, ["Allow users to sign themselves up: yes → no"]);
        let PoolEdit::Policies {
            allow_admin_create_user_only,
            ..
        } = edit
        else {
            panic!()
        };
        assert!(allow_admin_create_user_only);
    }

    #[test]
    fn out_of_range_values_are_named() {
        let config = PoolConfig::default();
        let form = Form::new(vec![
            Field::number("minimum_length", "", 5),
            Field::number("validity_days", "", 91),
        ]);
        let errors = edit_from_form(&form, &config).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["minimum_length", "validity_days"]);
        assert!(errors[1].1.contains("console"));
    }
}
