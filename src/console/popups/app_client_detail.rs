//! One app client, whole: its id, its secret (masked until `ctrl-r`; never logged), its
//! flows, token lifetimes, session, attribute permissions, URLs and security settings,
//! and when it was made and changed.

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

#[derive(Debug)]
pub struct AppClientDetail {
    pub client: AppClient,
    pub revealed: bool,
}

impl AppClientDetail {
    pub fn new(client: AppClient) -> Self {
        Self {
            client,
            revealed: false,
        }
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
        vec![
            row("Client ID", c.id.clone()),
            row("Client secret", secret),
            row("Auth flows", list(&s.explicit_auth_flows, "-")),
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
            row("Callback URLs", list(&s.callback_urls, "-")),
            row("Sign-out URLs", list(&s.logout_urls, "-")),
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
        ]
    }
}

impl Owner for AppClientDetail {
    fn commands(&self, _env: &Env) -> Vec<Command> {
        let mut c = vec![Command::Back];
        if self.client.secret.is_some() {
            c.push(Command::Reveal);
        }
        c
    }

    fn handle(&mut self, command: Command, _env: &Env) -> Outcome {
        match command {
            Command::Back => Outcome::one(Step::Close),
            Command::Reveal if self.client.secret.is_some() => {
                self.revealed = !self.revealed;
                Outcome::done()
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let rect = centered(area, 96, 19);
        let mut keys = vec![(Command::Back, "closes")];
        if self.client.secret.is_some() {
            keys.insert(0, (Command::Reveal, "shows the secret"));
        }
        let title = format!(
            "App client {} ({})",
            self.client.settings.name,
            ui.hint(Context::Popup, &keys)
        );
        let inner = frame(rect, buf, &ui.theme, &title);
        Paragraph::new(self.lines(&ui.theme))
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
