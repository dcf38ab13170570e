//! One console on one SSH channel: it waits for the client's terminal (pty) and shell,
//! then runs a console session of its own (state, size, keymap) with the admin's rights,
//! fed by what the admin types, until they quit, the connection drops or the server
//! stops. The client's screen is given back as it was found.

use std::sync::Arc;

use russh::server::Msg;
use russh::{Channel, ChannelMsg, ChannelReadHalf};
use tokio::sync::mpsc::UnboundedSender;

use super::Shared;
use super::input::Keys;
use super::screen::{Remote, clamp};
use crate::client::Auditor;
use crate::console::action::Action;
use crate::console::theme::Theme;
use crate::console::{Options, run};
use crate::pool::audit::Admin;

/// What the client asked for before its shell.
struct Asked {
    /// The terminal's size, once a pty is asked for.
    pty: Option<(u16, u16)>,
    no_color: bool,
}

const NEEDS_A_TERMINAL: &str =
    "cognito-console serves its console only, in a terminal: connect with ssh -t (no command)";

pub async fn serve(mut channel: Channel<Msg>, admin: Admin, shared: Arc<Shared>) {
    let mut asked = Asked {
        pty: None,
        no_color: false,
    };
    loop {
        let msg = tokio::select! {
            msg = channel.wait() => msg,
            () = shared.stopping.cancelled() => None,
        };
        match msg {
            Some(ChannelMsg::RequestPty {
                col_width,
                row_height,
                ..
            }) => asked.pty = Some(clamp(col_width, row_height)),
            Some(ChannelMsg::SetEnv {
                variable_name,
                variable_value,
                ..
            }) if variable_name == "NO_COLOR" => asked.no_color = !variable_value.is_empty(),
            Some(ChannelMsg::RequestShell { .. }) => break,
            Some(ChannelMsg::Exec { .. } | ChannelMsg::RequestSubsystem { .. }) => {
                return refuse(&channel, NEEDS_A_TERMINAL).await;
            }
            Some(_) => {}
            None => return,
        }
    }
    let Some(size) = asked.pty else {
        return refuse(&channel, NEEDS_A_TERMINAL).await;
    };
    let status = console(channel, admin, &shared, size, asked.no_color).await;
    tracing::debug!(status, "channel done");
}

/// Says why on the client's stderr, and closes the channel with status 1.
async fn refuse(channel: &Channel<Msg>, why: &str) {
    let _ = channel
        .extended_data_bytes(1, format!("{why}\r\n").into_bytes())
        .await;
    let _ = channel.exit_status(1).await;
    let _ = channel.eof().await;
    let _ = channel.close().await;
}

/// Runs the console on the channel; the exit status the client is given.
async fn console(
    channel: Channel<Msg>,
    admin: Admin,
    shared: &Shared,
    size: (u16, u16),
    no_color: bool,
) -> u32 {
    // The server's --read-only, or this admin's key among the read-only ones.
    let read_only_why = (admin.read_only && !shared.console.read_only)
        .then(|| "your SSH key is a read-only one".to_string());
    let options = Options {
        read_only: admin.read_only,
        read_only_why,
        theme: Theme {
            color: shared.console.theme.color && !no_color,
        },
        audit: Some(Auditor::new(shared.audit.clone(), admin)),
        ..shared.console.clone()
    };
    let (reading, writing) = channel.split();
    let mut screen = match Remote::new(writing, size) {
        Ok(screen) => screen,
        Err(e) => {
            tracing::error!(error = %e, "cannot set up the screen");
            return 1;
        }
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let input = tokio::spawn(read_keys(reading, tx, shared.stopping.clone()));
    let status = match screen.enter().await {
        Ok(()) => match run::session(&mut screen, options, Some(shared.client.clone()), rx).await {
            Ok(why) => {
                let _ = screen.leave().await;
                tracing::info!(why, bytes = screen.sent, "console closed");
                if why == super::STOPPING {
                    let _ = screen.say("cognito-console: the server is stopping").await;
                }
                0
            }
            Err(e) => {
                let _ = screen.leave().await;
                let _ = screen.say(&format!("cognito-console: {e:#}")).await;
                1
            }
        },
        // The client went away before the first frame.
        Err(_) => 1,
    };
    input.abort();
    let out = screen.into_channel();
    let _ = out.exit_status(status).await;
    let _ = out.eof().await;
    let _ = out.close().await;
    status
}

/// Turns what arrives on the channel into the console's actions: keys, resizes, and a
/// request to stop when the connection closes or the server stops.
async fn read_keys(
    mut reading: ChannelReadHalf,
    tx: UnboundedSender<Action>,
    stopping: tokio_util::sync::CancellationToken,
) {
    let mut keys = Keys::default();
    loop {
        let msg = tokio::select! {
            msg = reading.wait() => msg,
            () = stopping.cancelled() => {
                let _ = tx.send(Action::Terminate(super::STOPPING.into()));
                return;
            }
        };
        let action = match msg {
            Some(ChannelMsg::Data { data }) => {
                for key in keys.feed(&data) {
                    if tx.send(Action::Key(key)).is_err() {
                        return;
                    }
                }
                continue;
            }
            Some(ChannelMsg::WindowChange {
                col_width,
                row_height,
                ..
            }) => {
                let (width, height) = clamp(col_width, row_height);
                Action::Resize { width, height }
            }
            Some(ChannelMsg::Eof | ChannelMsg::Close) | None => {
                let _ = tx.send(Action::Terminate(super::screen::CLOSED.into()));
                return;
            }
            Some(_) => continue,
        };
        if tx.send(action).is_err() {
            return;
        }
    }
}
