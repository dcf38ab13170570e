//! The console without a terminal: feed it keys, run its effects to quiescence, read
//! its screen. Tests, snapshots, screenshots and benchmarks drive the app through this,
//! with the same effects the terminal loop runs, and never sleep.

use std::collections::VecDeque;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::action::Action;
use super::app::{App, Options};
use super::effect::{Effect, execute};
use super::view;

pub struct Headless {
    pub app: App,
    queue: VecDeque<Effect>,
}

impl Headless {
    /// Starts the app and runs its start-up (connect, list pools, first page).
    pub async fn start(options: Options) -> Self {
        let (app, effects) = App::new(options);
        let mut h = Self {
            app,
            queue: effects.into(),
        };
        h.settle().await;
        h
    }

    /// The app as it is before any call has come back (to see what it shows meanwhile).
    pub fn unsettled(options: Options) -> Self {
        let (app, effects) = App::new(options);
        Self {
            app,
            queue: effects.into(),
        }
    }

    /// Starts the app on a client the caller built.
    pub async fn start_with_client(options: Options, client: crate::client::Client) -> Self {
        let (app, effects) = App::with_client(options, client);
        let mut h = Self {
            app,
            queue: effects.into(),
        };
        h.settle().await;
        h
    }

    /// Runs every pending effect, and those they cause, until none is left.
    pub async fn settle(&mut self) {
        while let Some(effect) = self.queue.pop_front() {
            let action = execute(effect).await;
            self.queue.extend(self.app.update(action));
        }
    }

    /// Runs the oldest pending effect and applies its result, so a test can look at the
    /// screen between calls. False when nothing was pending.
    pub async fn step(&mut self) -> bool {
        let Some(effect) = self.queue.pop_front() else {
            return false;
        };
        let action = execute(effect).await;
        self.queue.extend(self.app.update(action));
        true
    }

    /// Takes the oldest pending effect to run elsewhere (a test that presses keys while
    /// a job runs), leaving the rest queued; its result comes back through `send`.
    pub fn take_effect(&mut self) -> Option<Effect> {
        self.queue.pop_front()
    }

    /// Sends an action without running what it causes (to test in-flight states).
    pub fn send(&mut self, action: Action) {
        self.queue.extend(self.app.update(action));
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    pub async fn key(&mut self, key: KeyEvent) {
        self.send(Action::Key(key));
        self.settle().await;
    }

    /// Presses keys written as in the keymap file, space-separated: `"j j enter"`,
    /// `"ctrl-s"`, `"esc"`.
    pub async fn press(&mut self, keys: &str) {
        for k in keys.split_whitespace() {
            let key: super::keymap::Key =
                k.parse().unwrap_or_else(|e| panic!("bad key {k:?}: {e}"));
            let mut modifiers = KeyModifiers::NONE;
            if key.ctrl {
                modifiers |= KeyModifiers::CONTROL;
            }
            if key.alt {
                modifiers |= KeyModifiers::ALT;
            }
            if key.code == KeyCode::BackTab {
                modifiers |= KeyModifiers::SHIFT;
            }
            self.key(KeyEvent::new(key.code, modifiers)).await;
        }
    }

    /// Types text character by character.
    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
                .await;
        }
    }

    pub fn buffer(&mut self, width: u16, height: u16) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
        view::render(&mut terminal, &self.app).expect("draw");
        terminal.backend().buffer().clone()
    }

    /// The screen as text, one line per row, trailing spaces trimmed.
    pub fn screen(&mut self, width: u16, height: u16) -> String {
        let buffer = self.buffer(width, height);
        buffer_text(&buffer)
    }
}

pub fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A screen for a whole session without a terminal (`run::session` in tests): frames go
/// to a test backend, the last one kept.
pub struct TestScreen {
    terminal: Terminal<TestBackend>,
    /// What the session put on the clipboard, in order.
    pub copied: Vec<String>,
}

impl TestScreen {
    pub fn new(width: u16, height: u16) -> Self {
        Self {
            terminal: Terminal::new(TestBackend::new(width, height)).expect("test backend"),
            copied: Vec::new(),
        }
    }

    /// The last frame as text.
    pub fn text(&self) -> String {
        buffer_text(self.terminal.backend().buffer())
    }
}

impl super::run::Screen for TestScreen {
    fn draw(&mut self, app: &App) -> std::io::Result<()> {
        view::render(&mut self.terminal, app).map_err(std::io::Error::other)
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    fn resize(&mut self, width: u16, height: u16) -> std::io::Result<()> {
        self.terminal.backend_mut().resize(width, height);
        Ok(())
    }

    fn size(&self) -> std::io::Result<(u16, u16)> {
        let area = self.terminal.backend().buffer().area;
        Ok((area.width, area.height))
    }

    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        self.copied.push(text.to_string());
        Ok(())
    }
}
