//! The Domain tab: the pool's prefix domain (its state, the address its managed login
//! and OAuth 2.0 endpoints answer at, the discovery document) and its resource servers
//! with their custom scopes, loaded off the UI task each time the pool loads. `n` sets up
//! the domain, `X` deletes it (its prefix typed); `c` creates a resource server, `e`
//! edits one (the diff first; describe, merge, update), `D` deletes one (its identifier
//! typed). Each form is checked by `pool::domain` before the call and kept when refused.

pub mod form;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap};

use super::Load;
use crate::console::action::{Action, Command, Confirmed};
use crate::console::domain_change::DomainChange;
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::confirm::Confirm;
use crate::console::popups::type_to_confirm::TypeToConfirm;
use crate::console::widgets::form::Form;
use crate::pool::domain::{DomainSettings, Host, ResourceServer};

/// What the open form makes.
#[derive(Debug, Clone)]
pub enum Editing {
    Domain,
    /// A resource server: None for a new one, else the server as the form began.
    Server(Option<ResourceServer>),
}

#[derive(Debug, Default)]
pub struct DomainTab {
    pub settings: DomainSettings,
    pub load: Load,
    /// Index into the resource servers.
    pub selected: usize,
    pub form: Option<(Editing, Form)>,
    /// Where the managed login answers, for the open pool.
    pub host: Option<(Host, String)>,
}

impl DomainTab {
    pub fn selected_server(&self) -> Option<&ResourceServer> {
        self.settings.servers.get(self.selected)
    }

    fn load(&mut self, env: &Env) -> Vec<Step> {
        match env.call(Effect::LoadDomain) {
            Ok(effect) => {
                if let (Some(client), Some(pool)) = (env.client, env.pool) {
                    self.host = Some((client.host(&pool.id), pool.id.clone()));
                }
                self.load = Load::Loading;
                vec![Step::Run(effect)]
            }
            Err(_) => Vec::new(),
        }
    }

    fn save(&mut self) -> Outcome {
        let Some((editing, form)) = &mut self.form else {
            return Outcome::Ignored;
        };
        let change = match editing {
            Editing::Domain => match form::prefix_from(form) {
                Ok(prefix) => DomainChange::CreateDomain { prefix },
                Err(errors) => {
                    form.set_errors(&errors);
                    return Outcome::done();
                }
            },
            Editing::Server(before) => match form::server_from(form) {
                Err(errors) => {
                    form.set_errors(&errors);
                    return Outcome::done();
                }
                Ok(after) => match before {
                    None => DomainChange::CreateServer(after),
                    Some(before) if *before == after => {
                        self.form = None;
                        return Outcome::one(Step::Info("nothing changed".into()));
                    }
                    Some(before) => DomainChange::UpdateServer {
                        before: before.clone(),
                        after,
                    },
                },
            },
        };
        form.set_errors(&[]);
        let title = match change {
            DomainChange::CreateDomain { .. } => "Set up this domain?",
            DomainChange::CreateServer(_) => "Create this resource server?",
            _ => "Save these changes to the resource server?",
        };
        Outcome::one(Step::Open(Box::new(Confirm {
            title: title.into(),
            lines: change.lines(),
            then: Confirmed::Domain(Box::new(change)),
        })))
    }

    fn unchanged(&self) -> bool {
        match &self.form {
            Some((Editing::Domain, f)) => f.value("prefix").trim().is_empty(),
            Some((Editing::Server(Some(before)), f)) => {
                form::server_from(f).is_ok_and(|now| now == *before)
            }
            Some((Editing::Server(None), f)) => {
                form::server_from(f).is_ok_and(|now| now == ResourceServer::default())
                    || f.fields.iter().all(|x| x.value().trim().is_empty())
            }
            None => true,
        }
    }

    fn handle_form(&mut self, command: Command) -> Outcome {
        let Some((editing, form)) = &mut self.form else {
            return Outcome::Ignored;
        };
        let server = matches!(editing, Editing::Server(_));
        match command {
            Command::NextField => form.next(),
            Command::PrevField => form.prev(),
            Command::AddRow if server => form::add_row(form),
            Command::RemoveRow if server && form::on_row(form) => form::remove_row(form),
            Command::Save => return self.save(),
            Command::Back if self.unchanged() => self.form = None,
            Command::Back => {
                return Outcome::one(Step::Open(Box::new(Confirm {
                    title: "Discard what you typed?".into(),
                    lines: vec!["Nothing is saved.".into()],
                    then: Confirmed::Discard,
                })));
            }
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }
}

impl Owner for DomainTab {
    fn discard(&mut self) {
        self.form = None;
    }

    fn context(&self) -> Context {
        match self.form {
            Some(_) => Context::Form,
            None => Context::Domain,
        }
    }

    fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        if let Some((editing, form)) = &self.form {
            let mut c = vec![Save, Back, NextField, PrevField];
            if matches!(editing, Editing::Server(_)) {
                c.push(AddRow);
                if form::on_row(form) {
                    c.push(RemoveRow);
                }
            }
            return c;
        }
        if env.pool.is_none() || self.load != Load::Loaded {
            return Vec::new();
        }
        let servers = !self.settings.servers.is_empty();
        let mut c = Vec::new();
        if servers {
            c.extend([Down, Up, Top, Bottom]);
        }
        if self.settings.domain.is_some() && self.host.is_some() {
            c.push(Copy);
        }
        if !env.read_only {
            c.push(match self.settings.domain {
                None => CreateDomain,
                Some(_) => DeleteDomain,
            });
            c.push(CreateServer);
            if servers {
                c.extend([Edit, DeleteServer]);
            }
        }
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if self.form.is_some() {
            return self.handle_form(command);
        }
        let last = self.settings.servers.len().saturating_sub(1);
        match command {
            Command::Down => self.selected = (self.selected + 1).min(last),
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::Top => self.selected = 0,
            Command::Bottom => self.selected = last,
            Command::Copy => {
                if let (Some(d), Some((host, _))) = (&self.settings.domain, &self.host) {
                    return Outcome::one(Step::Copy {
                        text: host.domain_url(&d.prefix),
                        what: format!("the address of the domain {}", d.prefix),
                    });
                }
            }
            Command::CreateDomain if !env.read_only && self.settings.domain.is_none() => {
                self.form = Some((Editing::Domain, form::domain_form()));
            }
            Command::DeleteDomain if !env.read_only => {
                let Some(domain) = &self.settings.domain else {
                    return Outcome::done();
                };
                return Outcome::one(Step::Open(Box::new(TypeToConfirm::domain(
                    domain.prefix.clone(),
                ))));
            }
            Command::CreateServer if !env.read_only => {
                self.form = Some((
                    Editing::Server(None),
                    form::server_form(&ResourceServer::default(), true),
                ));
            }
            Command::Edit if !env.read_only => {
                let Some(server) = self.selected_server() else {
                    return Outcome::done();
                };
                let f = form::server_form(server, false);
                self.form = Some((Editing::Server(Some(server.clone())), f));
            }
            Command::DeleteServer if !env.read_only => {
                let Some(server) = self.selected_server() else {
                    return Outcome::done();
                };
                return Outcome::one(Step::Open(Box::new(TypeToConfirm::resource_server(
                    server.clone(),
                ))));
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

    fn answer(&mut self, result: &Action, env: &Env) -> Option<Vec<Step>> {
        match result {
            Action::DomainLoaded { pool_id, result } => {
                if env.pool.is_none_or(|p| &p.id != pool_id) {
                    return Some(Vec::new());
                }
                match result {
                    Ok(settings) => {
                        self.settings = settings.clone();
                        self.selected = self
                            .selected
                            .min(self.settings.servers.len().saturating_sub(1));
                        self.load = Load::Loaded;
                        Some(Vec::new())
                    }
                    Err(e) => {
                        self.load = Load::Failed(e.to_string());
                        Some(vec![Step::Error(format!("domain not loaded: {e}"))])
                    }
                }
            }
            Action::DomainChanged { change, result } => Some(match result {
                Ok(()) => {
                    self.form = None;
                    let mut steps = vec![Step::Info(change.describe())];
                    steps.extend(self.load(env));
                    steps
                }
                Err(e) => {
                    if let Some((_, form)) = &mut self.form {
                        form.message = Some((false, format!("Cognito refused: {e}")));
                    }
                    vec![Step::Error(format!("{}: {e}", change.failed()))]
                }
            }),
            _ => None,
        }
    }

    fn observe(&mut self, result: &Action, env: &Env) -> Vec<Step> {
        match result {
            Action::PoolLoaded { result: Ok(_), .. } => self.load(env),
            _ => Vec::new(),
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        if let Some((editing, form)) = &self.form {
            let [head, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
            let title = match editing {
                Editing::Domain => "New domain".to_string(),
                Editing::Server(None) => "New resource server".to_string(),
                Editing::Server(Some(s)) => format!("Editing resource server {}", s.identifier),
            };
            Paragraph::new(Line::styled(title, theme.title())).render(head, buf);
            form.render_with(body, buf, theme, form::LABEL);
            return;
        }
        let message = match &self.load {
            Load::Idle | Load::Loading => Some(("Loading the domain…".to_string(), false)),
            Load::Failed(why) => Some((format!("The domain could not be loaded: {why}"), true)),
            Load::Loaded => None,
        };
        if let Some((text, error)) = message {
            let style = if error { theme.error() } else { theme.muted() };
            Paragraph::new(Line::styled(text, style)).render(area, buf);
            return;
        }
        // Addresses wrap rather than being cut: each is there to be copied whole.
        let top = Paragraph::new(self.domain_lines(ui)).wrap(Wrap { trim: false });
        let height = u16::try_from(top.line_count(area.width)).unwrap_or(u16::MAX);
        let [head, body] =
            Layout::vertical([Constraint::Length(height + 1), Constraint::Min(0)]).areas(area);
        top.render(head, buf);
        self.draw_servers(body, buf, ui);
    }
}

impl DomainTab {
    fn domain_lines(&self, ui: &Ui) -> Vec<Line<'static>> {
        let theme = &ui.theme;
        let row = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("  {label:<12} "), theme.muted()),
                Span::raw(value),
            ])
        };
        let mut lines = vec![Line::styled("Cognito domain", theme.title())];
        match (&self.settings.domain, &self.host) {
            (None, _) => {
                let keys = if ui.env.read_only {
                    String::new()
                } else {
                    format!(
                        " {}",
                        ui.hint(Context::Domain, &[(Command::CreateDomain, "sets one up")])
                    )
                };
                lines.push(Line::styled(
                    format!("  This pool has no domain, so no managed login.{keys}"),
                    theme.muted(),
                ));
            }
            (Some(d), host) => {
                let version = match d.managed_login_version {
                    Some(2) => ", managed login",
                    _ => ", classic hosted UI",
                };
                lines.push(row(
                    "Prefix",
                    format!("{} ({}{version})", d.prefix, d.status),
                ));
                if let Some((host, pool_id)) = host {
                    lines.push(row("Address", host.domain_url(&d.prefix)));
                    lines.push(row("Discovery", host.discovery_url(pool_id)));
                    if let Some(note) = host.note() {
                        lines.push(Line::styled(format!("  {:<12} {note}", ""), theme.muted()));
                    }
                }
            }
        }
        lines
    }

    fn draw_servers(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let servers = &self.settings.servers;
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        Paragraph::new(Line::styled(
            format!("Resource servers ({})", servers.len()),
            theme.title(),
        ))
        .render(head, buf);
        if servers.is_empty() {
            let keys = if ui.env.read_only {
                String::new()
            } else {
                format!(
                    " {}",
                    ui.hint(Context::Domain, &[(Command::CreateServer, "creates one")])
                )
            };
            Paragraph::new(Line::styled(
                format!("  None: app clients may be allowed only the standard scopes.{keys}"),
                theme.muted(),
            ))
            .render(body, buf);
            return;
        }
        let rows = servers.iter().map(|s| {
            let scopes: Vec<&str> = s.scopes.iter().map(|x| x.scope_name.as_str()).collect();
            Row::new(vec![
                Cell::from(s.identifier.clone()),
                Cell::from(s.name.clone()),
                Cell::from(scopes.join(" ")),
            ])
        });
        let mut state = TableState::default().with_selected(Some(self.selected));
        StatefulWidget::render(
            Table::new(
                rows,
                [
                    Constraint::Length(28),
                    Constraint::Length(20),
                    Constraint::Fill(1),
                ],
            )
            .header(Row::new(vec!["Identifier", "Name", "Scopes"]).style(theme.muted()))
            .row_highlight_style(theme.selected()),
            body,
            buf,
            &mut state,
        );
    }
}
