//! A console session's loop, for the local terminal and for SSH alike: keys (and resizes,
//! and requests to stop) come in on a channel, effects run on tokio, every pending action
//! is applied and then the screen is drawn once. The session is written in the audit
//! log as it starts and as it ends, and the work it started ends with it.
//!
//! The local terminal is restored on exit, on panic (the hook `ratatui::try_init`
//! installs), and on SIGTERM and SIGHUP.

use std::time::Duration;

use anyhow::{Context as _, Result};
use crossterm::event::{Event, KeyEventKind};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinSet;

use super::action::Action;
use super::app::{App, Options};
use super::effect::execute;
use super::view;
use crate::client::Client;

/// How often the spinner turns and a job's gauge moves (only while there is one).
const TICK: Duration = Duration::from_millis(120);

/// Where a session draws.
pub trait Screen {
    /// Draws the app: only the cells that changed since the last frame.
    fn draw(&mut self, app: &App) -> std::io::Result<()>;

    /// Delivers what was drawn. A local terminal has it already; over SSH this waits
    /// until the connection takes it, so a slow client slows only its own session.
    fn flush(&mut self) -> impl Future<Output = std::io::Result<()>> + Send;

    /// The terminal is now this size (SSH: the client said so).
    fn resize(&mut self, width: u16, height: u16) -> std::io::Result<()>;

    /// The size to start with.
    fn size(&self) -> std::io::Result<(u16, u16)>;

    /// Puts `text` on the clipboard of the terminal at the other end (OSC 52).
    fn copy(&mut self, text: &str) -> std::io::Result<()>;
}

/// Runs one session of `options` on `screen` until the admin quits, `Terminate` comes
/// in on `input`, or `input` closes. Returns why it ended. It connects to the target
/// itself unless given a `client` already connected. A session whose sign-in cannot be
/// written in the audit log does not open.
pub async fn session(
    screen: &mut impl Screen,
    options: Options,
    client: Option<Client>,
    mut input: UnboundedReceiver<Action>,
) -> Result<String> {
    let auditor = options.audit.clone();
    if let Some(a) = &auditor {
        a.signed_in().await.context("the console cannot open")?;
        tracing::info!(admin = %a.admin().describe(), session = a.session(), "signed in");
    }
    let mut work = JoinSet::new();
    let ended = run_loop(screen, options, client, &mut input, &mut work).await;
    // Nothing the session started outlives it: an export stops writing, an import by
    // AdminCreateUser stops between users, a call's answer goes nowhere. (An import job
    // is Cognito's own and goes on there.) A change cut off on the way is marked
    // abandoned by the sign-out.
    work.shutdown().await;
    let why = match &ended {
        Ok(why) => why.clone(),
        Err(e) => format!("{e:#}"),
    };
    if let Some(a) = &auditor {
        if let Err(e) = a.signed_out(&why).await {
            tracing::error!(error = %e, "the sign-out was not written in the audit log");
        }
        tracing::info!(admin = %a.admin().describe(), session = a.session(), why, "signed out");
    }
    ended
}

async fn run_loop(
    screen: &mut impl Screen,
    options: Options,
    client: Option<Client>,
    input: &mut UnboundedReceiver<Action>,
    work: &mut JoinSet<Action>,
) -> Result<String> {
    let (mut app, effects) = match client {
        Some(client) => App::with_client(options, client),
        None => App::new(options),
    };
    for e in effects {
        work.spawn(execute(e));
    }
    let (width, height) = screen.size()?;
    app.update(Action::Resize { width, height });
    let mut why = "quit".to_string();
    loop {
        screen.draw(&app)?;
        screen.flush().await?;
        if app.quit {
            return Ok(why);
        }
        let ticking = app.ticking();
        let tick = async {
            if ticking {
                tokio::time::sleep(TICK).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        let mut batch = vec![tokio::select! {
            a = input.recv() => match a {
                Some(a) => a,
                None => return Ok("the terminal closed".into()),
            },
            Some(done) = work.join_next() => answer(done),
            () = tick => Action::Tick,
        }];
        while let Ok(a) = input.try_recv() {
            batch.push(a);
        }
        while let Some(done) = work.try_join_next() {
            batch.push(answer(done));
        }
        for action in batch {
            // What comes after a quit (the connection closing behind it) changes nothing.
            if app.quit {
                break;
            }
            match &action {
                Action::Resize { width, height } => screen.resize(*width, *height)?,
                Action::Terminate(reason) => why.clone_from(reason),
                _ => {}
            }
            for e in app.update(action) {
                work.spawn(execute(e));
            }
        }
        for text in std::mem::take(&mut app.clipboard) {
            screen.copy(&text)?;
        }
    }
}

/// An effect's action; one that panicked is said as an error (the app counts it done).
fn answer(done: Result<Action, tokio::task::JoinError>) -> Action {
    done.unwrap_or_else(|e| {
        tracing::error!(error = %e, "an effect failed");
        Action::Failed {
            error: format!("internal error: {e}"),
            then: None,
        }
    })
}

/// The console on this process's own terminal.
pub async fn run(options: Options) -> Result<()> {
    let terminal = ratatui::try_init().context("cannot set up the terminal")?;
    let mut screen = Local(terminal);
    let (tx, rx) = unbounded_channel();
    spawn_input(tx.clone());
    let result = match spawn_signals(tx) {
        Ok(()) => session(&mut screen, options, None, rx).await.map(drop),
        Err(e) => Err(e),
    };
    ratatui::restore();
    result
}

struct Local(ratatui::DefaultTerminal);

impl Screen for Local {
    fn draw(&mut self, app: &App) -> std::io::Result<()> {
        view::render(&mut self.0, app)
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    // The terminal is measured again at every draw.
    fn resize(&mut self, _width: u16, _height: u16) -> std::io::Result<()> {
        Ok(())
    }

    fn size(&self) -> std::io::Result<(u16, u16)> {
        self.0.size().map(|s| (s.width, s.height))
    }

    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        use std::io::Write;
        let backend = self.0.backend_mut();
        backend.write_all(super::clipboard::osc52(text).as_bytes())?;
        backend.flush()
    }
}

fn spawn_input(tx: UnboundedSender<Action>) {
    // A plain thread: it blocks in read() and must not keep the runtime from shutting down.
    std::thread::spawn(move || {
        loop {
            let action = match crossterm::event::read() {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => Action::Key(key),
                Ok(Event::Resize(width, height)) => Action::Resize { width, height },
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!(error = %e, "cannot read the terminal");
                    Action::Terminate(format!("the terminal could not be read: {e}"))
                }
            };
            let stop = matches!(action, Action::Terminate(_));
            if tx.send(action).is_err() || stop {
                return;
            }
        }
    });
}

#[cfg(unix)]
fn spawn_signals(tx: UnboundedSender<Action>) -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut hup = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        let why = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = hup.recv() => "SIGHUP",
        };
        tracing::info!("{why}");
        let _ = tx.send(Action::Terminate(why.into()));
    });
    Ok(())
}

#[cfg(not(unix))]
fn spawn_signals(_tx: UnboundedSender<Action>) -> Result<()> {
    Ok(())
}
