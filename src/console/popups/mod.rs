//! Layers above the tabs, one file each. The top one takes the keys while it is open.
//! Each is an [`Owner`]: its state, the commands it answers (which feed the key bar and
//! help), what it does with them, the results of its calls and its drawing. This file
//! holds only what they share to draw.

pub mod app_client_detail;
pub mod audit_log;
pub mod bulk_form;
pub mod bulk_preview;
pub mod command_line;
pub mod confirm;
pub mod create_user;
pub mod function_preview;
pub mod group_filter;
pub mod group_form;
pub mod group_members;
pub mod help;
pub mod membership;
pub mod message_log;
pub mod pool_picker;
pub mod raw_view;
pub mod search;
pub mod test_send;
pub mod try_sign_in;
pub mod type_to_confirm;
pub mod user_detail;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::action::Command;
pub use super::owner::{Owner, Ui, hint};
use super::theme::Theme;

/// An open popup: its owner, and the id its own steps are applied by (a popup that
/// closes itself in answer to a result closes itself, not whatever is on top).
#[derive(Debug)]
pub struct Popup {
    pub id: u64,
    pub owner: Box<dyn Owner>,
}

/// A centred rectangle of at most `width` x `height`, inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

pub fn frame(area: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    Clear.render(area, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// Scrolling a read-only page or list by a movement command; None for other commands.
pub fn step(command: Command, page: isize) -> Option<isize> {
    Some(match command {
        Command::Down => 1,
        Command::Up => -1,
        Command::PageDown => page,
        Command::PageUp => -page,
        Command::Top => isize::MIN / 2,
        Command::Bottom => isize::MAX / 2,
        _ => return None,
    })
}

/// The movement commands a scrolling page answers.
pub const SCROLL: [Command; 6] = [
    Command::Down,
    Command::Up,
    Command::PageDown,
    Command::PageUp,
    Command::Top,
    Command::Bottom,
];
