//! The App clients tab: every app client of the pool (name, id, whether it has a secret,
//! its auth flows, token lifetimes), loaded off the UI task each time the pool loads;
//! `enter` shows one whole (its secret masked until asked for), `c` creates one, `e`
//! edits one, `D` deletes one (its name typed to confirm). A save shows what changes
//! first and goes through describe, merge, update, so a setting nobody touched is never
//! changed; a refused save keeps the form as typed.

pub mod form;

use std::collections::BTreeSet;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget};

use crate::client::raw::RawOf;
use crate::console::action::{Action, Command, Confirmed};
use crate::console::client_change::ClientChange;
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step, Ui};
use crate::console::popups::app_client_detail::{AppClientDetail, SignInPage};
use crate::console::popups::confirm::Confirm;
use crate::console::popups::raw_view::RawView;
use crate::console::popups::type_to_confirm::TypeToConfirm;
use crate::console::widgets::form::{FieldErrors, Form};
use crate::pool::AppClient;
use crate::pool::client_settings::ClientSettings;
use crate::pool::domain::{DomainSettings, Host, sign_in_url};

pub use super::Load;

/// What the form does when saved.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "one lives while the form is open"
)]
pub enum Editing {
    Create,
    /// The client's id and its settings as the form began.
    Edit {
        client_id: String,
        before: ClientSettings,
        has_secret: bool,
    },
}

#[derive(Debug, Default)]
pub struct AppClientsTab {
    pub clients: Vec<AppClient>,
    pub load: Load,
    pub selected: usize,
    pub form: Option<(Editing, Form)>,
    /// The pool's domain and resource servers, once the Domain tab has them: the scopes
    /// a client may be allowed, and where its managed login answers.
    pub domain: Option<(DomainSettings, Host)>,
}

impl AppClientsTab {
    pub fn selected_client(&self) -> Option<&AppClient> {
        self.clients.get(self.selected)
    }

    fn load(&mut self, env: &Env) -> Vec<Step> {
        match env.call(Effect::ListClients) {
            Ok(effect) => {
                self.load = Load::Loading;
                vec![Step::Run(effect)]
            }
            Err(_) => Vec::new(),
        }
    }

    fn custom_scopes(&self) -> Option<BTreeSet<String>> {
        self.domain.as_ref().map(|(d, _)| d.custom_scopes())
    }

    /// The settings the open form describes, checked.
    fn typed(&self) -> Option<Result<ClientSettings, FieldErrors>> {
        let (editing, form) = self.form.as_ref()?;
        let has_secret = match editing {
            Editing::Create => form.checked("secret"),
            Editing::Edit { has_secret, .. } => *has_secret,
        };
        Some(form::settings_from(
            form,
            has_secret,
            self.custom_scopes().as_ref(),
        ))
    }

    /// Where `client` signs users in, or why it does not.
    fn sign_in(&self, client: &AppClient) -> Result<SignInPage, String> {
        let Some((settings, host)) = &self.domain else {
            return Err("the pool's domain is not loaded yet".into());
        };
        let Some(domain) = &settings.domain else {
            return Err("the pool has no domain: set one up on the Domain tab".into());
        };
        let s = &client.settings;
        if !s.oauth {
            return Err("this client does not use the managed login".into());
        }
        if !s.identity_providers.iter().any(|p| p == "COGNITO") {
            return Err(
                "its identity providers do not include COGNITO, the pool's own users".into(),
            );
        }
        let base = host.domain_url(&domain.prefix);
        let url = sign_in_url(
            &base,
            &client.id,
            &s.oauth_flows,
            &s.oauth_scopes,
            &s.callback_urls,
        )
        .ok_or_else(|| {
            "this client has no code or implicit grant with a callback URL and a scope it can be granted".to_string()
        })?;
        Ok(SignInPage {
            url,
            note: host.note(),
        })
    }

    fn save(&mut self) -> Outcome {
        let typed = self.typed();
        let Some((editing, form)) = &mut self.form else {
            return Outcome::Ignored;
        };
        let create = matches!(editing, Editing::Create);
        let Some(typed) = typed else {
            return Outcome::Ignored;
        };
        let settings = match typed {
            Ok(s) => s,
            Err(errors) => {
                form.set_errors(&errors);
                return Outcome::done();
            }
        };
        form.set_errors(&[]);
        let change = match editing {
            Editing::Create => ClientChange::Create {
                settings,
                generate_secret: form.checked("secret"),
            },
            Editing::Edit {
                client_id, before, ..
            } => {
                if settings == *before {
                    self.form = None;
                    return Outcome::one(Step::Info("nothing changed".into()));
                }
                ClientChange::Update {
                    client_id: client_id.clone(),
                    before: before.clone(),
                    after: settings,
                }
            }
        };
        let title = if create {
            "Create this app client?"
        } else {
            "Save these changes to the app client?"
        };
        Outcome::one(Step::Open(Box::new(Confirm {
            title: title.into(),
            lines: change.lines(),
            then: Confirmed::Client(Box::new(change)),
        })))
    }

    fn form_commands() -> Vec<Command> {
        use Command::*;
        vec![Save, Back, NextField, PrevField, Toggle]
    }
}

impl Owner for AppClientsTab {
    fn discard(&mut self) {
        self.form = None;
    }

    fn context(&self) -> Context {
        match self.form {
            Some(_) => Context::Form,
            None => Context::AppClients,
        }
    }

    fn commands(&self, env: &Env) -> Vec<Command> {
        use Command::*;
        if self.form.is_some() {
            return Self::form_commands();
        }
        if env.pool.is_none() || self.load != Load::Loaded {
            return Vec::new();
        }
        let mut c = Vec::new();
        if !self.clients.is_empty() {
            c.extend([Down, Up, Top, Bottom, Open, Copy, Raw]);
        }
        if !env.read_only {
            c.push(CreateClient);
            if !self.clients.is_empty() {
                c.extend([Edit, DeleteClient]);
            }
        }
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        if let Some((editing, form)) = &mut self.form {
            match command {
                Command::NextField => form.next(),
                Command::PrevField => form.prev(),
                Command::Toggle => {
                    form.toggle();
                }
                Command::Save => return self.save(),
                Command::Back => {
                    let unchanged = match editing {
                        Editing::Edit {
                            before, has_secret, ..
                        } => form::settings_from(form, *has_secret, None)
                            .is_ok_and(|now| now == *before),
                        Editing::Create => false,
                    };
                    if unchanged {
                        self.form = None;
                        return Outcome::done();
                    }
                    return Outcome::one(Step::Open(Box::new(Confirm {
                        title: "Discard this app client's changes?".into(),
                        lines: vec!["Nothing is saved.".into()],
                        then: Confirmed::Discard,
                    })));
                }
                _ => return Outcome::Ignored,
            }
            return Outcome::done();
        }
        let last = self.clients.len().saturating_sub(1);
        match command {
            Command::Down => self.selected = (self.selected + 1).min(last),
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::Top => self.selected = 0,
            Command::Bottom => self.selected = last,
            Command::Open => {
                let Some(client) = self.selected_client() else {
                    return Outcome::done();
                };
                let sign_in = self.sign_in(client);
                return Outcome::one(Step::Open(Box::new(
                    AppClientDetail::new(client.clone()).with_sign_in(sign_in),
                )));
            }
            Command::Raw => {
                let Some(client) = self.selected_client() else {
                    return Outcome::done();
                };
                return RawView::open(RawOf::AppClient(client.id.clone()), env);
            }
            Command::Copy => {
                let Some(client) = self.selected_client() else {
                    return Outcome::done();
                };
                return Outcome::one(Step::Copy {
                    text: client.id.clone(),
                    what: format!("the client id of {}", client.settings.name),
                });
            }
            Command::CreateClient if !env.read_only => {
                let mut f = form::form(
                    &ClientSettings::default(),
                    true,
                    self.custom_scopes().as_ref(),
                );
                f.focus_on("name");
                self.form = Some((Editing::Create, f));
            }
            Command::Edit if !env.read_only => {
                let Some(client) = self.selected_client() else {
                    return Outcome::done();
                };
                let mut f = form::form(&client.settings, false, self.custom_scopes().as_ref());
                f.focus_on("name");
                self.form = Some((
                    Editing::Edit {
                        client_id: client.id.clone(),
                        before: client.settings.clone(),
                        has_secret: client.secret.is_some(),
                    },
                    f,
                ));
            }
            Command::DeleteClient if !env.read_only => {
                let Some(client) = self.selected_client() else {
                    return Outcome::done();
                };
                return Outcome::one(Step::Open(Box::new(TypeToConfirm::app_client(
                    client.settings.name.clone(),
                    client.id.clone(),
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
            Action::ClientsLoaded { pool_id, result } => {
                if env.pool.is_none_or(|p| &p.id != pool_id) {
                    return Some(Vec::new());
                }
                match result {
                    Ok(clients) => {
                        let mut clients = clients.clone();
                        clients.sort_by(|a, b| a.settings.name.cmp(&b.settings.name));
                        self.clients = clients;
                        self.selected = self.selected.min(self.clients.len().saturating_sub(1));
                        self.load = Load::Loaded;
                        Some(Vec::new())
                    }
                    Err(e) => {
                        self.load = Load::Failed(e.to_string());
                        Some(vec![Step::Error(format!("app clients not loaded: {e}"))])
                    }
                }
            }
            Action::ClientChanged { change, result } => Some(match result {
                Ok(_) => {
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
            Action::PoolLoaded { result: Ok(_), .. } => {
                // Another pool's domain and scopes say nothing of this one's.
                self.domain = None;
                self.load(env)
            }
            Action::DomainLoaded { pool_id, result } => {
                if let (Some(client), Some(pool)) = (env.client, env.pool)
                    && &pool.id == pool_id
                {
                    self.domain = result
                        .as_ref()
                        .ok()
                        .map(|settings| (settings.clone(), client.host(pool_id)));
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        if let Some((editing, form)) = &self.form {
            let [head, body] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
            let title = match editing {
                Editing::Create => "New app client".to_string(),
                Editing::Edit { client_id, .. } => format!("Editing app client {client_id}"),
            };
            Paragraph::new(Line::styled(title, theme.title())).render(head, buf);
            form.render_with(body, buf, theme, form::LABEL);
            return;
        }
        let message = match &self.load {
            Load::Idle | Load::Loading => Some(("Loading app clients…".to_string(), false)),
            Load::Failed(why) => Some((format!("App clients could not be loaded: {why}"), true)),
            Load::Loaded if self.clients.is_empty() => Some((
                if ui.env.read_only {
                    "This pool has no app client.".to_string()
                } else {
                    format!(
                        "This pool has no app client. {}",
                        ui.hint(
                            Context::AppClients,
                            &[(Command::CreateClient, "creates one")]
                        )
                    )
                },
                false,
            )),
            Load::Loaded => None,
        };
        if let Some((text, error)) = message {
            let style = if error { theme.error() } else { theme.muted() };
            Paragraph::new(Line::styled(text, style)).render(area, buf);
            return;
        }
        let rows = self.clients.iter().map(|c| {
            let s = &c.settings;
            let flows: Vec<&str> = s
                .explicit_auth_flows
                .iter()
                .map(|f| f.trim_start_matches("ALLOW_").trim_end_matches("_AUTH"))
                .collect();
            Row::new(vec![
                Cell::from(s.name.clone()),
                Cell::from(c.id.clone()),
                Cell::from(if c.secret.is_some() { "yes" } else { "no" }),
                Cell::from(s.access_token.to_string()),
                Cell::from(flows.join(" ")),
            ])
        });
        let mut state = TableState::default().with_selected(Some(self.selected));
        StatefulWidget::render(
            Table::new(
                rows,
                [
                    Constraint::Length(16),
                    Constraint::Length(27),
                    Constraint::Length(6),
                    Constraint::Length(11),
                    Constraint::Fill(1),
                ],
            )
            .header(
                Row::new(vec!["Name", "Client ID", "Secret", "Access", "Auth flows"])
                    .style(theme.muted()),
            )
            .row_highlight_style(theme.selected()),
            area,
            buf,
            &mut state,
        );
    }
}
