//! One app client, whole: its id, its secret (masked until `ctrl-r`; never logged), its
//! flows, token lifetimes, session, attribute permissions, security settings, its
//! managed login (grants, scopes, providers, URLs) with the sign-in page's address on a
//! line of its own, ready to copy, and when it was made and changed. It scrolls when the
//! terminal is shorter than it.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Ui, centered, frame};
use crate::console::action::Command;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::console::theme::Theme;
use crate::pool::AppClient;
use crate::pool::when::date;

/// Where a client's users sign in: the address alone, ready to copy, and what to know
/// about it (that it answers only while `serve` runs, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInPage {
    pub url: String,
    pub note: Option<&'static str>,
}

#[derive(Debug)]
pub struct AppClientDetail {
    pub client: AppClient,
    pub revealed: bool,
    /// The managed login's sign-in page, or why there is none.
    pub sign_in: Result<SignInPage, String>,
    /// Lines scrolled past.
    pub scroll: u16,
    /// The most that can be scrolled past, as last drawn.
    most: Cell<u16>,
}

impl AppClientDetail {
    pub fn new(client: AppClient) -> Self {
        Self {
            client,
            revealed: false,
            sign_in: Err("the pool's domain is not loaded yet".into()),
            scroll: 0,
            most: Cell::new(0),
        }
    }

    pub fn with_sign_in(mut self, sign_in: Result<SignInPage, String>) -> Self {
        self.sign_in = sign_in;
        self
    }

    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let c = &self.client;
        let s = &c.settings;
        let row = |label: &str, value: String| {
            Line::from(vec![
                Span::styled(format!("{label:<30} "), theme.muted()),
                Span::raw(value),
            ])
        };
        let list = |v: &[String], empty: &str| {
            if v.is_empty() {
                empty.to_string()
            } else {
                v.join(", ")
            }
        };
        let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
        let secret = match (&c.secret, self.revealed) {
            (None, _) => "none".to_string(),
            (Some(secret), true) => secret.expose().to_string(),
            (Some(secret), false) => "•".repeat(secret.char_len().min(24)),
        };
        let mut lines = vec![
            row("Client ID", c.id.clone()),
            row("Client secret", secret),
            row("Auth flows", list(&s.explicit_auth_flows, "-")),
            Line::default(),
            Line::styled("Managed login (OAuth 2.0)", theme.title()),
            row("Uses the managed login", yes(s.oauth)),
            row("Grant types", list(&s.oauth_flows, "-")),
            row("Scopes", list(&s.oauth_scopes, "-")),
            row("Identity providers", list(&s.identity_providers, "-")),
            row("Callback URLs", list(&s.callback_urls, "-")),
            row("Sign-out URLs", list(&s.logout_urls, "-")),
        ];
        match &self.sign_in {
            Ok(page) => {
                lines.push(Span::styled("Sign-in page:", theme.muted()).into());
                lines.push(Line::raw(page.url.clone()));
                if let Some(note) = page.note {
                    lines.push(Line::styled(format!("({note})"), theme.muted()));
                }
            }
            Err(why) => lines.push(row("Sign-in page", format!("none: {why}"))),
        }
        lines.push(Line::default());
        lines.extend([
            row("Access token lifetime", s.access_token.to_string()),
            row("ID token lifetime", s.id_token.to_string()),
            row("Refresh token lifetime", s.refresh_token.to_string()),
            row(
                "Sign-in session",
                format!("{} minutes", s.auth_session_minutes),
            ),
            row(
                "Read attributes",
                list(&s.read_attributes, "every attribute"),
            ),
            row(
                "Write attributes",
                list(&s.write_attributes, "every attribute"),
            ),
            row(
                "Prevent user existence errors",
                yes(s.prevent_user_existence_errors),
            ),
            row("Token revocation", yes(s.enable_token_revocation)),
            row("Created", c.created.map(date).unwrap_or_else(|| "-".into())),
            row(
                "Last modified",
                c.last_modified.map(date).unwrap_or_else(|| "-".into()),
            ),
        ]);
        lines
    }
}

impl Owner for AppClientDetail {
    fn commands(&self, _env: &Env) -> Vec<Command> {
        let mut c = vec![
            Command::Back,
            Command::Down,
            Command::Up,
            Command::Top,
            Command::Copy,
            Command::Raw,
        ];
        if self.client.secret.is_some() {
            c.push(Command::Reveal);
        }
        c
    }

    fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match command {
            Command::Raw => super::raw_view::RawView::open(
                crate::client::raw::RawOf::AppClient(self.client.id.clone()),
                env,
            ),
            Command::Back => Outcome::one(Step::Close),
            Command::Copy => Outcome::one(match &self.sign_in {
                Ok(page) => Step::Copy {
                    text: page.url.clone(),
                    what: "the sign-in page's address".into(),
                },
                Err(_) => Step::Copy {
                    text: self.client.id.clone(),
                    what: format!("the client id of {}", self.client.settings.name),
                },
            }),
            Command::Down => {
                self.scroll = self.scroll.saturating_add(1).min(self.most.get());
                Outcome::done()
            }
            Command::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                Outcome::done()
            }
            Command::Top => {
                self.scroll = 0;
                Outcome::done()
            }
            Command::Reveal if self.client.secret.is_some() => {
                self.revealed = !self.revealed;
                Outcome::done()
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let lines = self.lines(&ui.theme);
        let rect = centered(area, 96, lines.len() as u16 + 4);
        let mut keys = vec![
            (Command::Down, "scrolls"),
            (Command::Copy, "copies"),
            (Command::Back, "closes"),
        ];
        if self.client.secret.is_some() {
            keys.insert(0, (Command::Reveal, "shows the secret"));
        }
        let title = format!(
            "App client {} ({})",
            self.client.settings.name,
            ui.hint(Context::Popup, &keys)
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        // Scrolled no further than shows the last line.
        let total = u16::try_from(paragraph.line_count(inner.width)).unwrap_or(u16::MAX);
        self.most.set(total.saturating_sub(inner.height));
        let scroll = self.scroll.min(self.most.get());
        paragraph.scroll((scroll, 0)).render(inner, buf);
    }
}
