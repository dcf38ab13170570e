//! Layers above the tabs. Each takes the keys first while it is open.

pub mod command_line;
pub mod confirm;
pub mod create_user;
pub mod help;
pub mod pool_picker;
pub mod search;
pub mod try_sign_in;
pub mod type_to_confirm;
pub mod user_detail;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::action::Confirmed;
use super::theme::Theme;
use super::widgets::form::Form;
use crate::pool::User;
use create_user::CreateUser;

#[derive(Debug)]
pub enum Popup {
    Help {
        scroll: u16,
    },
    PoolPicker {
        selected: usize,
    },
    UserDetail {
        user: Box<User>,
        scroll: u16,
    },
    CreateUser(Box<CreateUser>),
    Search(Box<Form>),
    Confirm {
        title: String,
        lines: Vec<String>,
        then: Confirmed,
    },
    /// Deleting a user: the admin types the username to confirm.
    TypeToConfirm {
        username: String,
        typed: String,
        error: Option<String>,
    },
    CommandLine(String),
    TrySignIn(Box<try_sign_in::TrySignIn>),
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
