//! Drawing: header, tabs, the current tab, the status line and the key bar, then any
//! popup on top. Nothing here calls Cognito or validates anything; it shows state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::app::App;
use super::keymap::Context;
use super::popups::{self, Popup};
use super::tabs::Tab;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn draw(app: &mut App, area: Rect, buf: &mut Buffer) {
    let [header, tabs, body, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let theme = app.theme;

    let mut h = vec![Span::styled(" Cognito Console ", theme.title())];
    // The badge comes before anything long, so a narrow terminal still shows it.
    if app.read_only {
        h.push(Span::styled(" READ-ONLY ", theme.badge()));
    }
    match (&app.pool, &app.wanted_pool) {
        (Some(p), _) => h.push(Span::raw(format!(" {} ({}) ", p.name, p.id))),
        (None, Some(id)) => h.push(Span::raw(format!(" {id} "))),
        (None, None) => h.push(Span::styled(" no pool ", theme.muted())),
    }
    h.push(Span::styled(
        format!(" {} ", app.target.describe()),
        theme.muted(),
    ));
    Paragraph::new(Line::from(h)).render(header, buf);

    let mut t = Vec::new();
    for tab in Tab::ALL {
        let style = if tab == app.tab {
            theme.tab_active()
        } else {
            theme.muted()
        };
        t.push(Span::styled(format!(" {} ", tab.title()), style));
    }
    Paragraph::new(Line::from(t)).render(tabs, buf);

    let config = app.pool.as_ref().map(|p| &p.config);
    match app.tab {
        Tab::Policies => app.policies.render(body, buf, &theme, config),
        Tab::Messages => app.messages.render(body, buf, &theme, config),
        Tab::Users => {
            let estimate = app.pool.as_ref().map(|p| p.estimated_number_of_users);
            let busy = app.in_flight > 0;
            app.users.render(body, buf, &theme, estimate, busy);
        }
    }

    let mut s = Vec::new();
    if app.in_flight > 0 {
        s.push(Span::styled(
            format!(
                "{} {}… ",
                SPINNER[app.spinner % SPINNER.len()],
                if app.sdk_throttled {
                    "throttled, retrying"
                } else {
                    app.activity
                }
            ),
            theme.key(),
        ));
    }
    if let Some(status) = &app.status {
        let style = if status.error {
            theme.error()
        } else {
            theme.ok()
        };
        s.push(Span::styled(status.text.clone(), style));
    }
    Paragraph::new(Line::from(s)).render(status, buf);

    Paragraph::new(key_bar(app, keys.width as usize)).render(keys, buf);

    match &app.popup {
        Some(Popup::Help { scroll }) => {
            let context = app.context_below_popup();
            popups::help::render(body, buf, &theme, &app.keymap, context, *scroll);
        }
        Some(Popup::PoolPicker { selected }) => {
            popups::pool_picker::render(
                body,
                buf,
                &theme,
                &app.pools,
                *selected,
                app.wanted_pool.as_deref(),
            );
        }
        Some(Popup::UserDetail { user, scroll }) => {
            popups::user_detail::render(body, buf, &theme, user, *scroll)
        }
        Some(Popup::CreateUser(form)) => {
            let rect = popups::centered(body, 100, body.height);
            let inner = popups::frame(
                rect,
                buf,
                &theme,
                "Create user (ctrl-s creates, esc closes)",
            );
            form.form
                .render_with(inner, buf, &theme, popups::create_user::LABEL);
        }
        Some(Popup::Search(form)) => {
            let rect = popups::centered(body, 72, 7);
            let inner = popups::frame(rect, buf, &theme, "Search users on the server");
            form.render_with(inner, buf, &theme, 10);
        }
        Some(Popup::Confirm { title, lines, then }) => {
            let hint = match then {
                super::action::Confirmed::SavePool(_) => "enter saves · esc goes back to the form",
                super::action::Confirmed::User(_) => "enter confirms · esc cancels",
            };
            popups::confirm::render(body, buf, &theme, title, lines, hint);
        }
        Some(Popup::TypeToConfirm {
            username,
            typed,
            error,
        }) => {
            popups::type_to_confirm::render(body, buf, &theme, username, typed, error.as_deref());
        }
        Some(Popup::CommandLine(text)) => popups::command_line::render(area, buf, &theme, text),
        Some(Popup::TrySignIn(t)) => popups::try_sign_in::render(body, buf, &theme, t),
        None => {}
    }
}

/// The current context's keys, then the global ones, as many as fit.
fn key_bar(app: &App, width: usize) -> Line<'static> {
    let theme = app.theme;
    let context = app.context();
    let mut entries = app.keymap.entries(context);
    if matches!(
        context,
        Context::Users | Context::Policies | Context::Messages
    ) {
        entries.extend(app.keymap.entries(Context::Global));
    }
    use super::action::Command::{Bottom, Down, Help, PageDown, PageUp, Quit, Top, Up};
    // Quit and help always show, at the end; the rest as room allows.
    let mut tail: Vec<(String, &str)> = Vec::new();
    // In popups and forms `q` is typed or closes; quitting is a screen-level key.
    let on_a_screen = matches!(
        context,
        Context::Users | Context::Policies | Context::Messages
    );
    if on_a_screen && let Some(k) = app.keymap.key_for(Context::Global, Quit) {
        tail.push((k, " quit "));
    }
    if let Some(k) = app.keymap.key_for(Context::Global, Help) {
        tail.push((k, " help"));
    }
    let reserve: usize = tail
        .iter()
        .map(|(k, t)| k.chars().count() + t.chars().count())
        .sum();
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, command) in entries {
        // Movement keys are the same everywhere and help lists them: keep the bar for
        // what this screen does.
        if matches!(
            command,
            Up | Down | Top | Bottom | PageUp | PageDown | Help | Quit
        ) {
            continue;
        }
        // Arrows duplicate the vim keys; show the first key only to save room.
        let key = keys.first().cloned().unwrap_or_default();
        let text = format!(" {} ", command.describe());
        let len = key.chars().count() + text.chars().count();
        if used + len + reserve > width {
            break;
        }
        used += len;
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::styled(text, theme.muted()));
    }
    for (k, t) in tail {
        spans.push(Span::styled(k, theme.key()));
        spans.push(Span::styled(t.to_string(), theme.muted()));
    }
    Line::from(spans)
}

impl App {
    /// The context under an open help popup (what help should show first).
    pub fn context_below_popup(&self) -> Context {
        match self.tab {
            Tab::Policies => Context::Policies,
            Tab::Messages => Context::Messages,
            Tab::Users => Context::Users,
        }
    }
}
