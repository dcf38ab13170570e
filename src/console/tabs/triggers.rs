//! The Lambda triggers tab (the Cognito console's Extensions): each trigger the pool can
//! call a function at, the function it names (and pre token generation's event
//! version), and whether that function can be called, checked off the UI task each time
//! the pool is loaded. `e` sets a trigger's function, `D` clears it; both go through
//! `update_pool`, so nothing else of the pool changes.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap};

use std::collections::BTreeMap;

use crate::client::triggers::Reach;
use crate::console::action::{Action, Command, Confirmed, PoolEdit};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::confirm::Confirm;
use crate::console::widgets::form::{Field, FieldErrors, Form};
use crate::pool::triggers::{Configured, Functions, Trigger, VERSIONS};
use crate::pool::{PoolDescription, model};

/// What is known of a function's reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Checking,
    Answers,
    Unreachable(String),
    /// The check itself failed (no way to call Lambda from here).
    Failed(String),
}

#[derive(Debug, Default)]
pub struct TriggersTab {
    /// Index into [`Trigger::ALL`].
    pub selected: usize,
    /// The edit form, and the trigger it sets.
    pub form: Option<(Trigger, Form)>,
    /// By function ARN.
    pub checks: BTreeMap<String, Check>,
}

/// The form's label column: an ARN must fit beside it on 80 columns.
const LABEL: usize = 14;

/// The form that sets `trigger`'s function.
pub fn edit_form(trigger: Trigger, current: Option<&Configured>) -> Form {
    let (min, max) = model::length("LambdaConfigType", "PreSignUp");
    let mut fields = vec![
        Field::heading(trigger.title()),
        Field::text("arn", "Function ARN")
            .with_value(current.map_or("", |c| c.arn.as_str()))
            .with_hint(&format!(
                "arn:aws:lambda:REGION:ACCOUNT:function:NAME ({min} to {max} characters)"
            )),
    ];
    if trigger.versioned() {
        let at = current.map_or(0, |c| usize::from(c.version.saturating_sub(1)));
        fields.push(
            Field::choice("version", "Event version", &VERSIONS)
                .with_choice(at)
                .with_hint("V1_0: ID token · V2_0: and access token · V3_0: and M2M"),
        );
    }
    Form::new(fields)
}

/// The function the form names, or why not.
pub fn from_form(form: &Form, trigger: Trigger) -> Result<Configured, FieldErrors> {
    let arn = form.value("arn").trim().to_string();
    if arn.is_empty() {
        return Err(vec![(
            "arn".into(),
            "is required (D on the list clears the trigger)".into(),
        )]);
    }
    let shape = model::member("LambdaConfigType", "PreSignUp");
    if let Err(e) = model::check_str(shape, "arn", &arn) {
        return Err(vec![("arn".into(), e.rule)]);
    }
    let version = if trigger.versioned() {
        form.choice("version").min(2) as u8 + 1
    } else {
        1
    };
    Ok(Configured { arn, version })
}

impl TriggersTab {
    fn trigger(&self) -> Trigger {
        Trigger::ALL[self.selected.min(Trigger::ALL.len() - 1)]
    }

    /// Checks every function `functions` names, each once per load.
    fn check_all(&mut self, functions: &Functions, env: &Env) -> Vec<Step> {
        let Some(client) = env.client else {
            return Vec::new();
        };
        self.checks.clear();
        let mut steps = Vec::new();
        for configured in functions.values() {
            if self.checks.contains_key(&configured.arn) {
                continue;
            }
            self.checks.insert(configured.arn.clone(), Check::Checking);
            steps.push(Step::Run(Effect::CheckFunction(
                client.clone(),
                configured.arn.clone(),
            )));
        }
        steps
    }

    /// The status column (short), and the line that says why (long), if any.
    fn status(&self, arn: &str) -> (&'static str, Option<String>) {
        match self.checks.get(arn) {
            None | Some(Check::Checking) => ("checking…", None),
            Some(Check::Answers) => ("answers", None),
            Some(Check::Unreachable(why)) => {
                ("cannot be called", Some(format!("Cannot be called: {why}")))
            }
            Some(Check::Failed(why)) => ("not checked", Some(format!("Not checked: {why}"))),
        }
    }

    fn save(&mut self, env: &Env, pool: &PoolDescription) -> Outcome {
        let Some((trigger, form)) = &mut self.form else {
            return Outcome::Ignored;
        };
        match from_form(form, *trigger) {
            Err(errors) => {
                form.set_errors(&errors);
                Outcome::done()
            }
            Ok(to) if pool.config.triggers.get(trigger) == Some(&to) => {
                self.form = None;
                Outcome::one(Step::Info("nothing changed".into()))
            }
            Ok(to) => {
                form.set_errors(&[]);
                let edit = PoolEdit::Trigger(*trigger, Some(to));
                let _ = env;
                Outcome::one(Step::Open(Box::new(Confirm {
                    title: "Save this trigger to the pool?".into(),
                    lines: edit.changes(&pool.config),
                    then: Confirmed::SavePool(edit),
                })))
            }
        }
    }
}

impl Owner for TriggersTab {
    fn discard(&mut self) {
        self.form = None;
    }

    fn context(&self) -> Context {
        match self.form {
            Some(_) => Context::Form,
            None => Context::Triggers,
        }
    }

    fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        if self.form.is_some() {
            let mut c = vec![Save, Back, NextField, PrevField];
            if self.trigger().versioned() {
                c.push(Toggle);
            }
            return c;
        }
        let Some(pool) = env.pool else {
            return Vec::new();
        };
        let mut c = vec![Down, Up, Top, Bottom];
        if !env.read_only {
            c.push(Edit);
            if pool.config.triggers.contains_key(&self.trigger()) {
                c.push(ClearTrigger);
            }
        }
        c
    }

    fn why_not(&self, command: Command) -> Option<String> {
        match command {
            Command::Edit | Command::ClearTrigger if self.form.is_none() => Some(
                "read-only, or no function to clear: the trigger under the cursor names none"
                    .into(),
            ),
            _ => None,
        }
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        let Some(pool) = env.pool else {
            return Outcome::Ignored;
        };
        if let Some((trigger, form)) = &mut self.form {
            match command {
                Command::NextField => form.next(),
                Command::PrevField => form.prev(),
                Command::Toggle => {
                    form.toggle();
                }
                Command::Save => return self.save(env, pool),
                Command::Back => {
                    let unchanged = from_form(form, *trigger)
                        .is_ok_and(|to| pool.config.triggers.get(trigger) == Some(&to))
                        || (form.value("arn").trim().is_empty()
                            && !pool.config.triggers.contains_key(trigger));
                    if unchanged {
                        self.form = None;
                        return Outcome::done();
                    }
                    return Outcome::one(Step::Open(Box::new(Confirm {
                        title: "Discard this change?".into(),
                        lines: vec!["The trigger keeps its function as it is.".into()],
                        then: Confirmed::Discard,
                    })));
                }
                _ => return Outcome::Ignored,
            }
            return Outcome::done();
        }
        let last = Trigger::ALL.len() - 1;
        match command {
            Command::Down => self.selected = (self.selected + 1).min(last),
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::Top => self.selected = 0,
            Command::Bottom => self.selected = last,
            Command::Edit if !env.read_only => {
                let trigger = self.trigger();
                let mut form = edit_form(trigger, pool.config.triggers.get(&trigger));
                form.focus_on("arn");
                self.form = Some((trigger, form));
            }
            Command::ClearTrigger if !env.read_only => {
                let trigger = self.trigger();
                if !pool.config.triggers.contains_key(&trigger) {
                    return Outcome::Ignored;
                }
                let edit = PoolEdit::Trigger(trigger, None);
                let mut lines = edit.changes(&pool.config);
                lines.push(format!(
                    "The pool stops calling it {}.",
                    trigger.purpose().split(':').next().unwrap_or_default()
                ));
                return Outcome::one(Step::Open(Box::new(Confirm {
                    title: format!("Clear the {} trigger?", trigger.title()),
                    lines,
                    then: Confirmed::SavePool(edit),
                })));
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

    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        let Action::FunctionChecked { function, result } = result else {
            return None;
        };
        let check = match result {
            Ok(Reach::Answers) => Check::Answers,
            Ok(Reach::Unreachable(why)) => Check::Unreachable(why.clone()),
            Err(e) => Check::Failed(e.to_string()),
        };
        self.checks.insert(function.clone(), check);
        Some(Vec::new())
    }

    fn observe(&mut self, result: &Action, env: &Env) -> Vec<Step> {
        let loaded = match result {
            Action::PoolLoaded { result: Ok(_), .. } => true,
            Action::PoolUpdated(Ok(_)) => {
                self.form = None;
                true
            }
            Action::PoolUpdated(Err(e)) => {
                if let Some((_, form)) = &mut self.form {
                    form.message = Some((false, format!("Cognito refused: {e}")));
                }
                false
            }
            _ => false,
        };
        match (loaded, env.pool) {
            (true, Some(pool)) => self.check_all(&pool.config.triggers, env),
            _ => Vec::new(),
        }
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
        let [head, table, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(Trigger::ALL.len() as u16 + 1),
            Constraint::Min(0),
        ])
        .areas(area);
        Paragraph::new(Line::styled(
            "Functions the pool calls as users sign up, sign in and get messages",
            theme.title(),
        ))
        .render(head, buf);
        let rows = Trigger::ALL.iter().map(|trigger| {
            let (function, status, bad) = match pool.config.triggers.get(trigger) {
                None => ("-".to_string(), String::new(), false),
                Some(c) => {
                    let name = c.arn.rsplit(':').next().unwrap_or(&c.arn).to_string();
                    let name = if trigger.versioned() {
                        format!("{name} ({})", c.lambda_version())
                    } else {
                        name
                    };
                    let (status, why) = self.status(&c.arn);
                    (name, status.to_string(), why.is_some())
                }
            };
            let status_style = if bad { theme.error() } else { theme.muted() };
            Row::new(vec![
                Cell::from(trigger.title()),
                Cell::from(function),
                Cell::from(Span::styled(status, status_style)),
            ])
        });
        let mut state = TableState::default().with_selected(Some(self.selected));
        StatefulWidget::render(
            Table::new(
                rows,
                [
                    Constraint::Length(31),
                    Constraint::Length(24),
                    Constraint::Fill(1),
                ],
            )
            .header(Row::new(vec!["Trigger", "Function", "Status"]).style(theme.muted()))
            .row_highlight_style(theme.selected()),
            table,
            buf,
            &mut state,
        );
        let trigger = self.trigger();
        let mut lines = vec![
            Line::default(),
            Line::styled(
                format!("{}: {}", trigger.title(), trigger.purpose()),
                theme.title(),
            ),
        ];
        match pool.config.triggers.get(&trigger) {
            Some(c) => {
                lines.push(Line::raw(format!("  {}", c.arn)));
                if let (_, Some(why)) = self.status(&c.arn) {
                    lines.push(Line::styled(format!("  {why}"), theme.error()));
                }
            }
            None => lines.push(Line::styled("  No function.", theme.muted())),
        }
        if let Some(target) = ui.env.client.and_then(|c| c.lambda_target()) {
            lines.push(Line::styled(
                format!("  Called on {target}."),
                theme.muted(),
            ));
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(foot, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_names_a_function_and_its_version() {
        let mut form = edit_form(Trigger::PreTokenGeneration, None);
        assert_eq!(
            from_form(&form, Trigger::PreTokenGeneration).unwrap_err()[0].0,
            "arn"
        );
        *form.field_mut("arn").unwrap() =
            Field::text("arn", "").with_value("not an arn at all, clearly");
        let errors = from_form(&form, Trigger::PreTokenGeneration).unwrap_err();
        assert_eq!(errors[0].0, "arn", "{errors:?}");
        *form.field_mut("arn").unwrap() = Field::text("arn", "").with_value("short");
        let errors = from_form(&form, Trigger::PreTokenGeneration).unwrap_err();
        assert!(errors[0].1.contains("at least 20"), "{errors:?}");
        *form.field_mut("arn").unwrap() = Field::text("arn", "")
            .with_value("arn:aws:lambda:us-east-1:123456789012:function:tokens");
        form.field_mut("version").unwrap().choice = 1;
        let to = from_form(&form, Trigger::PreTokenGeneration).unwrap();
        assert_eq!(to.version, 2);
        assert_eq!(to.lambda_version(), "V2_0");
    }
}
