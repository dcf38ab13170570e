//! A user, group, pool or app client as the JSON Cognito returned for it (AdminGetUser,
//! GetGroup, DescribeUserPool, DescribeUserPoolClient), kept as the SDK received it so
//! that members the console does not show are there too. Loading and failure are said;
//! it scrolls; `y` copies the whole document. A client secret is masked until `ctrl-r`
//! (and copied masked until then).

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use serde_json::Value;

use super::{Ui, centered, frame};
use crate::client::raw::RawOf;
use crate::console::action::{Action, Command};
use crate::console::effect::Effect;
use crate::console::keymap::Context;
use crate::console::owner::{Env, Outcome, Owner, Step};
use crate::pool::printable;

#[derive(Debug)]
enum State {
    Loading,
    Loaded(Value),
    Failed(String),
}

#[derive(Debug)]
pub struct RawView {
    pub of: RawOf,
    state: State,
    pub revealed: bool,
    pub scroll: u16,
    /// The most that can be scrolled past, as last drawn.
    most: Cell<u16>,
}

const SECRET: &str = "ClientSecret";

impl RawView {
    /// The view and the call that fills it; or why it cannot be made yet.
    pub fn open(of: RawOf, env: &Env) -> Outcome {
        let effect = env.call(|client, pool| Effect::Raw(client, pool, of.clone()));
        match effect {
            Ok(effect) => Outcome::steps([
                Step::Open(Box::new(Self {
                    of,
                    state: State::Loading,
                    revealed: false,
                    scroll: 0,
                    most: Cell::new(0),
                })),
                Step::Run(effect),
            ]),
            Err(why) => Outcome::error(why),
        }
    }

    fn has_secret(&self) -> bool {
        matches!(&self.state, State::Loaded(v) if v.pointer("/UserPoolClient/ClientSecret").is_some())
    }

    /// The document as shown (and copied): pretty, its secret masked unless revealed,
    /// nothing in it that drives the terminal.
    pub fn text(&self) -> Option<String> {
        let State::Loaded(value) = &self.state else {
            return None;
        };
        let mut value = value.clone();
        if !self.revealed
            && let Some(secret) = value
                .get_mut("UserPoolClient")
                .and_then(|c| c.get_mut(SECRET))
        {
            *secret = Value::String("•".repeat(12));
        }
        let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
        Some(printable::json(&pretty))
    }
}

impl Owner for RawView {
    fn context(&self) -> Context {
        Context::Popup
    }

    fn commands(&self, _env: &Env) -> Vec<Command> {
        use Command::*;
        let mut c = vec![Back, Down, Up, PageDown, PageUp, Top, Bottom];
        if matches!(self.state, State::Loaded(_)) {
            c.push(Copy);
        }
        if self.has_secret() {
            c.push(Reveal);
        }
        c
    }

    fn handle(&mut self, command: Command, _env: &Env) -> Outcome {
        let most = self.most.get();
        match command {
            Command::Back => return Outcome::one(Step::Close),
            Command::Down => self.scroll = (self.scroll + 1).min(most),
            Command::Up => self.scroll = self.scroll.saturating_sub(1),
            Command::PageDown => self.scroll = self.scroll.saturating_add(20).min(most),
            Command::PageUp => self.scroll = self.scroll.saturating_sub(20),
            Command::Top => self.scroll = 0,
            Command::Bottom => self.scroll = most,
            Command::Reveal if self.has_secret() => self.revealed = !self.revealed,
            Command::Copy => {
                let Some(text) = self.text() else {
                    return Outcome::done();
                };
                let masked = if self.has_secret() && !self.revealed {
                    ", the secret masked"
                } else {
                    ""
                };
                return Outcome::one(Step::Copy {
                    text,
                    what: format!("the JSON of {}{masked}", self.of.describe()),
                });
            }
            _ => return Outcome::Ignored,
        }
        Outcome::done()
    }

    fn answer(&mut self, result: &Action, _env: &Env) -> Option<Vec<Step>> {
        let Action::RawLoaded { of, result } = result else {
            return None;
        };
        if *of != self.of {
            return None;
        }
        self.state = match result {
            Ok(value) => State::Loaded(value.clone()),
            Err(e) => State::Failed(e.to_string()),
        };
        Some(Vec::new())
    }

    fn draw(&self, area: Rect, buf: &mut Buffer, ui: &Ui) {
        let theme = &ui.theme;
        let rect = centered(area, 100, area.height.saturating_sub(2));
        let mut keys = vec![(Command::Down, "scrolls")];
        if matches!(self.state, State::Loaded(_)) {
            keys.push((Command::Copy, "copies"));
        }
        if self.has_secret() {
            keys.push((Command::Reveal, "shows the secret"));
        }
        keys.push((Command::Back, "closes"));
        let title = format!(
            "{} of {} ({})",
            self.of.operation(),
            self.of.describe(),
            ui.hint(Context::Popup, &keys)
        );
        let inner = frame(rect, buf, theme, &title);
        let lines: Vec<Line> = match (&self.state, self.text()) {
            (State::Loading, _) => vec![Line::styled(
                format!("Asking Cognito ({})…", self.of.operation()),
                theme.muted(),
            )],
            (State::Failed(why), _) => vec![Line::styled(
                format!("Cognito did not answer it: {why}"),
                theme.error(),
            )],
            (State::Loaded(_), text) => text
                .unwrap_or_default()
                .lines()
                .map(|l| Line::raw(l.to_string()))
                .collect(),
        };
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        let total = u16::try_from(paragraph.line_count(inner.width)).unwrap_or(u16::MAX);
        self.most.set(total.saturating_sub(inner.height));
        paragraph
            .scroll((self.scroll.min(self.most.get()), 0))
            .render(inner, buf);
    }
}
