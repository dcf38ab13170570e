//! Drawing: header, tabs, the current tab (or what stands in for it while there is no
//! pool to show), the status line and the key bar, then the popups on top. Nothing here
//! calls Cognito, validates or changes anything; it shows state.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::action::Command;
use super::app::{App, env};
use super::keymap::Context;
use super::owner::Ui;
use super::router::Layer;
use super::tabs::Tab;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// Draws `app` on `terminal`: ratatui sends only the cells that changed since the last
/// frame. Every screen draws through here (the local terminal, SSH, tests).
pub fn render<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    app: &App,
) -> Result<(), B::Error> {
    terminal
        .draw(|frame| frame.render_widget(app, frame.area()))
        .map(drop)
}

/// The whole screen: header, tabs, the current tab's owner (or what stands in for it
/// while there is no pool), the status line, the key bar, then the popups' owners.
impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self;
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

        // The full titles when they fit; else the short ones, padded, then tight; else
        // only the keys of the tabs not shown.
        let bar = |style: TabBar| -> Vec<(String, Tab)> {
            Tab::ALL
                .into_iter()
                .map(|tab| {
                    let key = app
                        .keymap
                        .key_for(Context::Global, tab.command())
                        .map(|k| format!("{k} "))
                        .unwrap_or_default();
                    let title = match style {
                        TabBar::Full => tab.title(),
                        TabBar::Keys if tab != app.tab => "",
                        _ => tab.short_title(),
                    };
                    let text = match style {
                        TabBar::Full | TabBar::Short => format!(" {key}{title} "),
                        TabBar::Tight | TabBar::Keys if title.is_empty() => key,
                        TabBar::Tight | TabBar::Keys => format!("{key}{title} "),
                    };
                    (text, tab)
                })
                .collect()
        };
        let fits = |titles: &Vec<(String, Tab)>| {
            titles.iter().map(|(t, _)| t.chars().count()).sum::<usize>() <= usize::from(tabs.width)
        };
        let titles = [TabBar::Full, TabBar::Short, TabBar::Tight]
            .into_iter()
            .map(bar)
            .find(fits)
            .unwrap_or_else(|| bar(TabBar::Keys));
        let t: Vec<Span> = titles
            .into_iter()
            .map(|(text, tab)| {
                let style = if tab == app.tab {
                    theme.tab_active()
                } else {
                    theme.muted()
                };
                Span::styled(text, style)
            })
            .collect();
        Paragraph::new(Line::from(t)).render(tabs, buf);

        if let Some((text, error)) = app.waiting() {
            let style = if error { theme.error() } else { theme.muted() };
            let lines: Vec<Line> = text
                .lines()
                .map(|l| Line::styled(l.to_string(), style))
                .collect();
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .render(body, buf);
        } else if app.pool.is_some() {
            let layer = Layer::Tab(app.tab);
            app.owner(layer).draw(body, buf, &ui(app, area, layer));
        }

        Paragraph::new(status_line(app)).render(status, buf);
        Paragraph::new(key_bar(app, keys.width as usize)).render(keys, buf);

        for (i, popup) in app.popups.iter().enumerate() {
            let below = if i == 0 {
                Layer::Tab(app.tab)
            } else {
                Layer::Popup(i - 1)
            };
            popup.owner.draw(body, buf, &ui(app, area, below));
        }
    }
}

/// What an owner reads to draw, besides itself; `below` is the layer under it (whose
/// keys help lists first).
fn ui(app: &App, screen: Rect, below: Layer) -> Ui<'_> {
    Ui {
        theme: app.theme,
        keymap: &app.keymap,
        env: env!(app),
        screen,
        here: app
            .hints(below)
            .into_iter()
            .map(|(keys, command)| (keys, command, app.label(below, command)))
            .collect(),
        here_title: app.context_of(below).title().to_string(),
    }
}

fn status_line(app: &App) -> Line<'static> {
    let theme = app.theme;
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
        let style: Style = if status.error {
            theme.error()
        } else {
            theme.ok()
        };
        s.push(Span::styled(status.text.clone(), style));
        if status.error
            && let Some(k) = app.keymap.key_for(Context::Global, Command::ShowMessages)
        {
            s.push(Span::styled(
                format!("  ({k}: all messages)"),
                theme.muted(),
            ));
        }
    }
    Line::from(s)
}

/// What works here, as many as fit; quit (on a tab) and help always at the end.
fn key_bar(app: &App, width: usize) -> Line<'static> {
    use super::action::Command::{Bottom, Down, Help, PageDown, PageUp, Quit, Top, Up};
    let theme = app.theme;
    let hints = app.hints(app.layer());
    let mut tail: Vec<(String, &str)> = Vec::new();
    for (command, text) in [(Quit, " quit "), (Help, " help")] {
        if let Some((keys, _)) = hints.iter().find(|(_, c)| *c == command) {
            tail.push((keys[0].clone(), text));
        }
    }
    let reserve: usize = tail
        .iter()
        .map(|(k, t)| k.chars().count() + t.chars().count())
        .sum();
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, command) in &hints {
        // Movement keys are the same everywhere and help lists them: keep the bar for
        // what this screen does.
        if matches!(
            command,
            Up | Down | Top | Bottom | PageUp | PageDown | Help | Quit
        ) {
            continue;
        }
        let key = keys.first().cloned().unwrap_or_default();
        let text = format!(" {} ", app.label(app.layer(), *command));
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
    /// What stands in for the tab while there is no pool to show, and whether it is a
    /// failure: connecting, no connection, listing pools, no pool, loading, not found.
    pub fn waiting(&self) -> Option<(String, bool)> {
        let key = |command| {
            self.keymap
                .key_for(Context::Global, command)
                .unwrap_or_else(|| "?".into())
        };
        if self.pool.is_some() {
            return None;
        }
        Some(match (&self.client, &self.wanted_pool) {
            (None, _) => match &self.connect_error {
                Some(e) => (
                    format!(
                        "Cannot connect to {}: {e}\n\n{} tries again.",
                        self.target.describe(),
                        key(Command::Refresh)
                    ),
                    true,
                ),
                None => (format!("Connecting to {}…", self.target.describe()), false),
            },
            (Some(_), Some(id)) => match &self.pool_error {
                Some(e) => (
                    format!(
                        "Cannot open the pool {id}: {e}\n\n{} picks another pool, {} tries again.",
                        key(Command::PickPool),
                        key(Command::Refresh)
                    ),
                    true,
                ),
                None => (format!("Loading the pool {id}…"), false),
            },
            (Some(_), None) if !self.pools_listed => match &self.pools_error {
                Some(e) => (
                    format!(
                        "Cannot list the user pools at {}: {e}\n\n{} tries again.",
                        self.target.describe(),
                        key(Command::Refresh)
                    ),
                    true,
                ),
                None => ("Listing the user pools…".into(), false),
            },
            (Some(_), None) if self.pools.is_empty() => (
                "There is no user pool here. Create one with the aws CLI \
                 (aws cognito-idp create-user-pool --pool-name NAME) or any SDK."
                    .into(),
                false,
            ),
            (Some(_), None) => (
                format!("No pool is open: {} picks one.", key(Command::PickPool)),
                false,
            ),
        })
    }
}

/// How much of each tab's title the tab bar has room for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TabBar {
    Full,
    Short,
    /// Short titles with one space between.
    Tight,
    /// The open tab's title, the others' keys.
    Keys,
}
