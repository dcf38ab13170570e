//! The terminal loop: read keys on their own thread, run effects on tokio, drain every
//! pending action and then draw once. The terminal is restored on exit, on panic (the
//! hook `ratatui::try_init` installs), and on SIGTERM and SIGHUP.

use std::time::Duration;

use anyhow::{Context as _, Result};
use crossterm::event::{Event, KeyEventKind};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::action::Action;
use super::app::{App, Options};
use super::effect::{Effect, execute};
use super::view;

/// How often the spinner turns and a job's gauge moves (only while there is one).
const TICK: Duration = Duration::from_millis(120);

pub async fn run(options: Options) -> Result<()> {
    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    let result = run_loop(&mut terminal, options).await;
    ratatui::restore();
    result
}

fn spawn_effect(tx: &UnboundedSender<Action>, effect: Effect) {
    let tx = tx.clone();
    tokio::spawn(async move {
        // The receiver is gone only when the console is closing.
        let _ = tx.send(execute(effect).await);
    });
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
                    Action::Terminate
                }
            };
            let stop = matches!(action, Action::Terminate);
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
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM"),
            _ = hup.recv() => tracing::info!("SIGHUP"),
        }
        let _ = tx.send(Action::Terminate);
    });
    Ok(())
}

#[cfg(not(unix))]
fn spawn_signals(_tx: UnboundedSender<Action>) -> Result<()> {
    Ok(())
}

async fn run_loop(terminal: &mut ratatui::DefaultTerminal, options: Options) -> Result<()> {
    let (tx, mut rx) = unbounded_channel();
    spawn_input(tx.clone());
    spawn_signals(tx.clone())?;
    let (mut app, effects) = App::new(options);
    for e in effects {
        spawn_effect(&tx, e);
    }
    let size = terminal.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    loop {
        terminal.draw(|frame| {
            let area = frame.area();
            view::draw(&app, area, frame.buffer_mut());
        })?;
        if app.quit {
            return Ok(());
        }
        let first = if app.ticking() {
            tokio::select! {
                a = rx.recv() => a,
                () = tokio::time::sleep(TICK) => Some(Action::Tick),
            }
        } else {
            rx.recv().await
        };
        let Some(first) = first else { return Ok(()) };
        let mut batch = vec![first];
        while let Ok(a) = rx.try_recv() {
            batch.push(a);
        }
        for action in batch {
            for e in app.update(action) {
                spawn_effect(&tx, e);
            }
        }
    }
}
