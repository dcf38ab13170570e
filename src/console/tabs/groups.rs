//! The Groups tab: every group of the pool (paged in from ListGroups, 60 at a time,
//! showing how many so far), a search by name over them, and the group under the cursor
//! to open (its members), edit or delete. A pool has at most 10,000 groups, so the tab
//! holds them all; the members of a group are paged in their own popup.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

use crate::client::ClientError;
use crate::client::raw::RawOf;
use crate::console::action::{Action, Command};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Changed, Env, Outcome, Owner, Step, Ui};
use crate::console::popups::group_filter::GroupFilter;
use crate::console::popups::group_form::GroupForm;
use crate::console::popups::group_members::GroupMembers;
use crate::console::popups::raw_view::RawView;
use crate::console::popups::type_to_confirm::TypeToConfirm;
use crate::console::tabs::users::thousands;
use crate::pool::group::{Group, GroupPage};
use crate::pool::when::date;

pub use super::Load;

#[derive(Debug, Default)]
pub struct GroupsTab {
    pub groups: Vec<Group>,
    pub load: Load,
    /// Shows only the groups whose name holds this (any case).
    pub filter: Option<String>,
    /// Index into [`GroupsTab::shown`].
    pub selected: usize,
    /// Table rows on screen, from the terminal's size.
    pub viewport: usize,
}

impl GroupsTab {
    /// The groups the search lets through, in name order.
    pub fn shown(&self) -> Vec<&Group> {
        let needle = self.filter.as_ref().map(|f| f.to_lowercase());
        self.groups
            .iter()
            .filter(|g| {
                needle
                    .as_ref()
                    .is_none_or(|n| g.name.to_lowercase().contains(n))
            })
            .collect()
    }

    pub fn selected_group(&self) -> Option<&Group> {
        self.shown().get(self.selected).copied()
    }

    /// Starts loading every group from the first page.
    pub fn fetch(&mut self, env: &Env) -> Option<Effect> {
        let (client, pool_id) = (env.client?.clone(), env.pool_id?.to_string());
        self.groups.clear();
        self.load = Load::Loading;
        Some(Effect::ListGroups {
            client,
            pool_id,
            next: None,
        })
    }

    /// A page came back: keep it and ask for the next, until the last.
    pub fn loaded(&mut self, result: Result<GroupPage, ClientError>, env: &Env) -> Vec<Step> {
        match result {
            Ok(page) => {
                self.groups.extend(page.groups);
                self.groups.sort_by(|a, b| a.name.cmp(&b.name));
                self.clamp();
                match (page.next, env.client, env.pool_id) {
                    (Some(next), Some(client), Some(pool_id)) => {
                        vec![Step::Run(Effect::ListGroups {
                            client: client.clone(),
                            pool_id: pool_id.to_string(),
                            next: Some(next),
                        })]
                    }
                    _ => {
                        self.load = Load::Loaded;
                        Vec::new()
                    }
                }
            }
            Err(e) => {
                self.load = Load::Failed(e.to_string());
                vec![Step::Error(format!("cannot list groups: {e}"))]
            }
        }
    }

    pub fn set_filter(&mut self, filter: Option<String>) {
        self.filter = filter.filter(|f| !f.is_empty());
        self.selected = 0;
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.shown().len().saturating_sub(1));
    }

    fn summary(&self) -> String {
        let shown = self.shown();
        let mut parts = Vec::new();
        let total = thousands(self.groups.len() as u64);
        if shown.is_empty() {
            parts.push(format!("{total} groups"));
        } else {
            let of = if self.filter.is_some() {
                format!(
                    "of {} matching, {total} in all",
                    thousands(shown.len() as u64)
                )
            } else {
                format!("of {total}")
            };
            parts.push(format!("{} {of}", thousands(self.selected as u64 + 1)));
        }
        if let Some(f) = &self.filter {
            parts.push(format!("search: name contains \"{f}\""));
        }
        match &self.load {
            Load::Loading => parts.push(format!("loading… {total} so far")),
            // Some pages came, a later one did not: the list is not all there.
            Load::Failed(e) if !self.groups.is_empty() => {
                parts.push(format!("incomplete: {e}"));
            }
            _ => {}
        }
        parts.join(" · ")
    }

    fn empty_text(&self, ui: &Ui) -> (String, bool) {
        let key = |command| {
            ui.keymap
                .key_for(Context::Groups, command)
                .or_else(|| ui.keymap.key_for(Context::Global, command))
                .unwrap_or_else(|| "?".into())
        };
        match &self.load {
            Load::Idle | Load::Loading => ("Loading groups…".into(), false),
            Load::Failed(e) => (
                format!(
                    "Could not list the groups: {e}. {} tries again.",
                    key(Command::Refresh)
                ),
                true,
            ),
            Load::Loaded if self.filter.is_some() => (
                format!(
                    "No group's name holds this. {} clears the search.",
                    key(Command::Back)
                ),
                false,
            ),
            Load::Loaded if ui.env.read_only => ("This pool has no groups.".into(), false),
            Load::Loaded => (
                format!(
                    "This pool has no groups yet. Press {} to create one.",
                    key(Command::CreateGroup)
                ),
                false,
            ),
        }
    }
}

impl Owner for GroupsTab {
    fn context(&self) -> Context {
        Context::Groups
    }

    fn set_rows(&mut self, rows: usize) {
        self.viewport = rows;
    }

    fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        if env.pool.is_none() {
            return Vec::new();
        }
        let mut c = vec![Down, Up, PageDown, PageUp, Top, Bottom, Search, CreateGroup];
        if self.selected_group().is_some() {
            c.extend([Open, EditGroup, DeleteGroup, Copy, Raw]);
        }
        if self.filter.is_some() {
            c.push(Back);
        }
        c
    }

    fn why_not(&self, command: Command) -> Option<String> {
        match command {
            Command::Open | Command::EditGroup | Command::DeleteGroup => {
                Some("no group is selected".into())
            }
            _ => None,
        }
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if !self.commands(env).contains(&command) {
            return Outcome::Ignored;
        }
        let last = self.shown().len().saturating_sub(1);
        let page = self.viewport.max(1);
        match command {
            Command::Down => self.selected = (self.selected + 1).min(last),
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::PageDown => self.selected = (self.selected + page).min(last),
            Command::PageUp => self.selected = self.selected.saturating_sub(page),
            Command::Top => self.selected = 0,
            Command::Bottom => self.selected = last,
            Command::Back => self.set_filter(None),
            Command::Search => {
                return Outcome::one(Step::Open(Box::new(GroupFilter::new(
                    self.filter.as_deref(),
                ))));
            }
            Command::CreateGroup => {
                return Outcome::one(Step::Open(Box::new(GroupForm::create())));
            }
            Command::EditGroup => {
                let Some(g) = self.selected_group() else {
                    return Outcome::done();
                };
                return Outcome::one(Step::Open(Box::new(GroupForm::edit(g))));
            }
            Command::DeleteGroup => {
                let Some(g) = self.selected_group() else {
                    return Outcome::done();
                };
                return Outcome::one(Step::Open(Box::new(TypeToConfirm::group(g.name.clone()))));
            }
            Command::Raw => {
                let Some(g) = self.selected_group() else {
                    return Outcome::done();
                };
                return RawView::open(RawOf::Group(g.name.clone()), env);
            }
            Command::Copy => {
                let Some(g) = self.selected_group() else {
                    return Outcome::done();
                };
                return Outcome::one(match &g.role_arn {
                    Some(arn) => Step::Copy {
                        text: arn.clone(),
                        what: format!("the IAM role ARN of {}", g.name),
                    },
                    None => Step::Copy {
                        text: g.name.clone(),
                        what: format!("the group name {} (it has no IAM role)", g.name),
                    },
                });
            }
            Command::Open => {
                let Some(g) = self.selected_group() else {
                    return Outcome::done();
                };
                let mut members = GroupMembers::new(&g.name);
                return match members.fetch(env) {
                    Some(effect) => {
                        Outcome::steps([Step::Open(Box::new(members)), Step::Run(effect)])
                    }
                    None => Outcome::error("the pool is not loaded yet"),
                };
            }
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    /// The pool's groups, page by page; and a change to groups, when the form that made
    /// it has closed.
    fn answer(&mut self, result: &Action, env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::GroupsLoaded { pool_id, result } => {
                if env.pool_id != Some(pool_id.as_str()) {
                    return Some(Vec::new()); // a pool no longer shown
                }
                Some(self.loaded(result.clone(), env))
            }
            Action::GroupChanged { change, result } => Some(match result {
                Ok(()) => vec![Step::Info(change.describe()), Step::ReloadGroups],
                Err(e) => vec![Step::Error(format!("{}: {e}", change.failed()))],
            }),
            _ => None,
        }
    }

    fn refresh(&mut self, changed: Changed, env: &Env) -> Vec<Effect> {
        match changed {
            Changed::Groups => self.fetch(env).into_iter().collect(),
            Changed::Users => Vec::new(),
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let [summary, table_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        Paragraph::new(Line::styled(self.summary(), theme.muted())).render(summary, buf);
        let header = Row::new(["Group", "Precedence", "IAM role", "Updated"]).style(theme.title());
        let groups = self.shown();
        let name_width = groups
            .iter()
            .map(|g| g.name.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(8, 32) as u16;
        let widths = [
            Constraint::Length(name_width),
            Constraint::Length(10),
            Constraint::Fill(1),
            Constraint::Length(10),
        ];
        // An ARN's end names the role: a narrow terminal keeps the end.
        let role_width =
            usize::from(table_area.width.saturating_sub(name_width + 10 + 10 + 3)).max(8);
        let role = |arn: &str| {
            let n = arn.chars().count();
            if n <= role_width {
                arn.to_string()
            } else {
                let tail: String = arn.chars().skip(n - (role_width - 1)).collect();
                format!("…{tail}")
            }
        };
        let rows: usize = usize::from(table_area.height.saturating_sub(1)).max(1);
        let first = self.selected.saturating_sub(rows - 1);
        let visible = groups.iter().skip(first).take(rows).map(|g| {
            Row::new([
                Cell::from(g.name.clone()),
                Cell::from(g.precedence.map_or("-".into(), |p| p.to_string())),
                Cell::from(g.role_arn.as_deref().map_or("-".into(), role)),
                Cell::from(g.last_modified.map(date).unwrap_or_default()),
            ])
        });
        let table = Table::new(visible, widths)
            .header(header)
            .column_spacing(1)
            .row_highlight_style(theme.selected());
        if groups.is_empty() {
            Widget::render(table, table_area, buf);
            let (text, failed) = self.empty_text(ui);
            let style = if failed { theme.error() } else { theme.muted() };
            let msg = Rect {
                y: table_area.y + 1,
                height: table_area.height.saturating_sub(1).min(2),
                ..table_area
            };
            Paragraph::new(Line::styled(text, style)).render(msg, buf);
            return;
        }
        let mut state = TableState::default().with_selected(Some(self.selected - first));
        StatefulWidget::render(table, table_area, buf, &mut state);
    }
}
