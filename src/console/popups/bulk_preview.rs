//! Before a bulk action touches anyone: how many users, which ones, what happens to
//! each, and who is skipped and why (the group is typed here first, for a group
//! change). Enter goes on to the confirmation (for a delete: the count typed), esc
//! cancels and nothing is done.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::confirm::Confirm;
use super::type_to_confirm::TypeToConfirm;
use super::{Ui, centered, frame, step};
use crate::console::action::{Command, Confirmed};
use crate::console::bulk_work::{UserJob, Work};
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::user_actions::many::{ForMany, How, Plan};
use crate::console::widgets::type_line;
use crate::pool::{User, group, printable};

/// Users listed by name in the preview at most (the rest are counted).
const LISTED: usize = 200;

pub struct BulkPreview {
    action: &'static dyn ForMany,
    users: Vec<User>,
    how: How,
    plan: Plan,
    /// The group typed, when the action needs one.
    group: Option<String>,
    error: Option<String>,
    scroll: u16,
}

impl std::fmt::Debug for BulkPreview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkPreview")
            .field("plan", &self.plan)
            .field("group", &self.group)
            .finish()
    }
}

impl BulkPreview {
    pub fn new(action: &'static dyn ForMany, users: Vec<User>, how: How) -> Self {
        let plan = Plan::new(action, &users, &how);
        Self {
            action,
            group: action.needs_group().then(String::new),
            users,
            how,
            plan,
            error: None,
            scroll: 0,
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The group typed, checked; the plan made again for it.
    fn take_group(&mut self) -> Result<(), String> {
        let Some(typed) = &self.group else {
            return Ok(());
        };
        let name = typed.trim().to_string();
        group::name(&name).map_err(|e| e.to_string())?;
        self.how.group = Some(name);
        self.plan = Plan::new(self.action, &self.users, &self.how);
        Ok(())
    }

    /// On to the confirmation: the count typed for a delete, a yes otherwise.
    fn go_on(&mut self) -> Outcome {
        if let Err(e) = self.take_group() {
            self.error = Some(format!("Group: {e}"));
            return Outcome::done();
        }
        let n = self.plan.changes.len();
        if n == 0 {
            self.error = Some("nothing to do: every marked user is skipped".into());
            return Outcome::done();
        }
        let work = Work::Users(UserJob {
            title: self.plan.title(),
            changes: self.plan.changes.clone(),
        });
        let next: Box<dyn Owner> = if self.plan.command == Command::DeleteUser {
            Box::new(TypeToConfirm::users(n, work))
        } else {
            let mut lines = vec![self.plan.consequence.clone()];
            if !self.plan.skipped.is_empty() {
                lines.push(format!(
                    "{} marked user{} skipped, as the preview said.",
                    self.plan.skipped.len(),
                    if self.plan.skipped.len() == 1 {
                        " is"
                    } else {
                        "s are"
                    }
                ));
            }
            lines.push("Each user's outcome goes in the messages and the audit log.".into());
            Box::new(Confirm {
                title: format!("{}?", capitalised(&self.plan.title())),
                lines,
                then: Confirmed::Bulk(work),
            })
        };
        Outcome::steps([Step::Close, Step::Open(next)])
    }

    fn lines(&self) -> Vec<Line<'static>> {
        let plan = &self.plan;
        let mut out = vec![Line::raw(plan.consequence.clone()), Line::default()];
        let names: Vec<String> = plan
            .changes
            .iter()
            .take(LISTED)
            .map(|c| printable::field(c.username()).into_owned())
            .collect();
        let more = plan.changes.len().saturating_sub(LISTED);
        out.push(Line::raw(format!(
            "Done to ({}): {}{}",
            plan.changes.len(),
            names.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        )));
        if !plan.skipped.is_empty() {
            out.push(Line::default());
            out.push(Line::raw(format!("Skipped ({}):", plan.skipped.len())));
            for (name, why) in plan.skipped.iter().take(LISTED) {
                // The reason names the user already when it is the single action's.
                let line = if why.starts_with(&format!("{name} ")) {
                    format!("  {}", printable::field(why))
                } else {
                    format!("  {}: {}", printable::field(name), printable::field(why))
                };
                out.push(Line::raw(line));
            }
            let more = plan.skipped.len().saturating_sub(LISTED);
            if more > 0 {
                out.push(Line::raw(format!("  and {more} more")));
            }
        }
        out
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Owner for BulkPreview {
    fn context(&self) -> Context {
        if self.group.is_some() {
            Context::Form
        } else {
            Context::Popup
        }
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        use Command::*;
        if self.group.is_some() {
            vec![Save, Back, NextField, PrevField]
        } else {
            vec![Open, Back, Down, Up, PageDown, PageUp, Top, Bottom]
        }
    }

    fn type_key(&mut self, key: &KeyEvent, _bound: Option<Command>) -> bool {
        let Some(group) = &mut self.group else {
            return false;
        };
        let used = type_line(group, key);
        if used {
            self.error = None;
        }
        used
    }

    fn handle(&mut self, command: Command, _env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Open | Command::Save => self.go_on(),
            // Up and down scroll the list (a group field is the only field).
            Command::NextField => self.handle(Command::Down, _env),
            Command::PrevField => self.handle(Command::Up, _env),
            c => match step(c, 10) {
                Some(by) => {
                    let last = self.lines().len() as isize;
                    self.scroll = (self.scroll as isize + by).clamp(0, last) as u16;
                    Outcome::done()
                }
                None => Outcome::Ignored,
            },
        }
    }

    fn label(&self, command: Command) -> Option<String> {
        match command {
            Command::Open | Command::Save => Some("continue".into()),
            Command::Back => Some("cancel".into()),
            _ => None,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let body_lines = self.lines().len() as u16 + u16::from(self.error.is_some());
        let head = 1 + u16::from(self.group.is_some()) + u16::from(self.error.is_some());
        // Room for the wrapped lines too; the list scrolls past that.
        let rect = centered(area, 78, (body_lines + head + 6).min(22));
        let title = format!("{} (marked)", capitalised(&self.plan.title()));
        let inner = frame(rect, buf, theme, &title);
        let go = if self.group.is_some() {
            Command::Save
        } else {
            Command::Open
        };
        let mut lines = Vec::new();
        if let Some(group) = &self.group {
            lines.push(Line::from(vec![
                Span::styled("Group: ", theme.title()),
                Span::raw(format!("{group}▏")),
            ]));
        }
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("✗ {e}"), theme.error()));
        }
        lines.push(Line::styled(
            ui.hint(
                self.context(),
                &[
                    (go, "continues to the confirmation"),
                    (Command::Back, "cancels"),
                ],
            ),
            theme.muted(),
        ));
        debug_assert_eq!(head as usize, lines.len());
        Paragraph::new(lines).render(inner, buf);
        let body = Rect {
            y: inner.y + head,
            height: inner.height.saturating_sub(head),
            ..inner
        };
        Paragraph::new(self.lines())
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(body, buf);
    }
}
