//! The admin's terminal at the other end of an SSH channel: ratatui draws into a buffer
//! of escape sequences (only the cells that changed since the last frame), and each
//! frame is sent as the channel's window allows, so a slow client waits alone.

use std::io::Write;

use crossterm::cursor::{Hide, Show};
use crossterm::style::{Attribute, SetAttribute};
use crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::ChannelWriteHalf;
use russh::server::Msg;

use crate::console::App;
use crate::console::run::Screen;
use crate::console::view;

/// The largest terminal a client may claim: beyond it the screen is drawn at this size
/// (a client saying 65535x65535 must not make the server hold billions of cells).
pub const MAX_COLUMNS: u16 = 512;
pub const MAX_ROWS: u16 = 256;

/// A size as a client sent it, made usable: 0 (unknown) reads as 80x24.
pub fn clamp(columns: u32, rows: u32) -> (u16, u16) {
    let fit = |n: u32, default: u16, max: u16| match n {
        0 => default,
        n => u16::try_from(n).unwrap_or(max).min(max),
    };
    (fit(columns, 80, MAX_COLUMNS), fit(rows, 24, MAX_ROWS))
}

/// Why a console whose client went away ended.
pub const CLOSED: &str = "the connection closed";

pub struct Remote {
    terminal: Terminal<CrosstermBackend<Vec<u8>>>,
    out: ChannelWriteHalf<Msg>,
    size: (u16, u16),
    /// Bytes sent so far, for the log (and the benchmark's bytes per key).
    pub sent: u64,
}

impl Remote {
    pub fn new(out: ChannelWriteHalf<Msg>, size: (u16, u16)) -> std::io::Result<Self> {
        let terminal = Terminal::with_options(
            CrosstermBackend::new(Vec::with_capacity(16 * 1024)),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, size.0, size.1)),
            },
        )?;
        Ok(Self {
            terminal,
            out,
            size,
            sent: 0,
        })
    }

    fn queue(
        &mut self,
        f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        f(self.terminal.backend_mut().writer_mut())
    }

    /// Takes the client's screen: the alternate screen, cleared, the cursor hidden.
    pub async fn enter(&mut self) -> std::io::Result<()> {
        self.queue(|w| crossterm::execute!(w, EnterAlternateScreen, Clear(ClearType::All), Hide))?;
        self.flush().await
    }

    /// Gives the client's screen back as it was: the alternate screen left, the cursor
    /// shown, colours reset. (The client's own ssh restores its terminal's modes.)
    pub async fn leave(&mut self) -> std::io::Result<()> {
        self.queue(|w| {
            crossterm::execute!(
                w,
                SetAttribute(Attribute::Reset),
                Show,
                LeaveAlternateScreen
            )
        })?;
        self.flush().await
    }

    /// The channel, to close it.
    pub fn into_channel(self) -> ChannelWriteHalf<Msg> {
        self.out
    }

    /// Writes `text` on the client's terminal, below whatever is there.
    pub async fn say(&mut self, text: &str) -> std::io::Result<()> {
        self.queue(|w| write!(w, "{}\r\n", text.replace('\n', "\r\n")))?;
        self.flush().await
    }
}

impl Screen for Remote {
    fn draw(&mut self, app: &App) -> std::io::Result<()> {
        view::render(&mut self.terminal, app)
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        let frame = std::mem::take(self.terminal.backend_mut().writer_mut());
        if frame.is_empty() {
            return Ok(());
        }
        self.sent += frame.len() as u64;
        self.out
            .data_bytes(frame)
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, CLOSED))
    }

    fn resize(&mut self, width: u16, height: u16) -> std::io::Result<()> {
        self.size = (width, height);
        self.terminal.resize(Rect::new(0, 0, width, height))
    }

    fn size(&self) -> std::io::Result<(u16, u16)> {
        Ok(self.size)
    }

    /// Sent with the next frame, to the admin's own terminal.
    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        let sequence = crate::console::clipboard::osc52(text);
        self.queue(|w| w.write_all(sequence.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_kept_to_what_a_screen_can_be() {
        assert_eq!(clamp(100, 30), (100, 30));
        assert_eq!(clamp(0, 0), (80, 24));
        assert_eq!(clamp(65_535, 65_535), (MAX_COLUMNS, MAX_ROWS));
        assert_eq!(clamp(u32::MAX, 1), (MAX_COLUMNS, 1));
    }
}
