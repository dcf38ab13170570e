//! Layers above the tabs, one file each. The top one takes the keys while it is open.
//! Each owns its state, the commands it answers ([`Popup::commands`], which feeds the
//! key bar and help), what it does with them ([`Popup::handle`]) and its drawing.

pub mod audit_log;
pub mod bulk_form;
pub mod command_line;
pub mod confirm;
pub mod create_user;
pub mod edit_attributes;
pub mod group_filter;
pub mod group_form;
pub mod group_members;
pub mod help;
pub mod membership;
pub mod message_log;
pub mod pool_picker;
pub mod search;
pub mod set_password;
pub mod test_send;
pub mod try_sign_in;
pub mod type_to_confirm;
pub mod user_detail;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::action::Command;
use super::keymap::{Context, Keymap};
use super::outcome::{Env, Outcome};
use super::theme::Theme;

#[derive(Debug)]
pub enum Popup {
    Help(help::Help),
    PoolPicker(pool_picker::PoolPicker),
    UserDetail(user_detail::UserDetail),
    CreateUser(Box<create_user::CreateUser>),
    Search(Box<search::Search>),
    Confirm(confirm::Confirm),
    /// Deleting a user: the admin types the username to confirm.
    TypeToConfirm(type_to_confirm::TypeToConfirm),
    CommandLine(command_line::CommandLine),
    TrySignIn(Box<try_sign_in::TrySignIn>),
    MessageLog(message_log::MessageLog),
    SetPassword(Box<set_password::SetPassword>),
    EditAttributes(Box<edit_attributes::EditAttributes>),
    GroupFilter(group_filter::GroupFilter),
    GroupForm(Box<group_form::GroupForm>),
    GroupMembers(Box<group_members::GroupMembers>),
    Membership(Box<membership::Membership>),
    /// Export the pool's users, or import a file (checked first).
    BulkForm(Box<bulk_form::BulkForm>),
    /// A test email of the message on the Message customizations tab.
    TestSend(Box<test_send::TestSend>),
    AuditLog(Box<audit_log::AuditLog>),
}

impl Popup {
    /// The keymap context this popup's keys are looked up in.
    pub fn context(&self) -> Context {
        match self {
            Self::CreateUser(_)
            | Self::Search(_)
            | Self::TypeToConfirm(_)
            | Self::CommandLine(_)
            | Self::SetPassword(_)
            | Self::EditAttributes(_)
            | Self::GroupFilter(_)
            | Self::GroupForm(_)
            | Self::Membership(_)
            | Self::BulkForm(_)
            | Self::TestSend(_) => Context::Form,
            Self::TrySignIn(t) if t.takes_input() => Context::Form,
            _ => Context::Popup,
        }
    }

    /// The keymap contexts its keys are looked up in, innermost first: the user's
    /// details also take the Users list's keys for acting on that user.
    pub fn chain(&self) -> Vec<Context> {
        match self {
            Self::UserDetail(_) => vec![Context::Popup, Context::Users],
            _ => vec![self.context()],
        }
    }

    /// Why a command the popup has does nothing now, if it can say.
    pub fn why_not(&self, command: Command) -> Option<String> {
        match self {
            Self::UserDetail(u) => crate::console::user_actions::why_not(&u.user, command),
            _ => None,
        }
    }

    /// Typing into the popup's text, before any key is looked up. True when used.
    pub fn type_key(&mut self, key: &KeyEvent) -> bool {
        match self {
            Self::CreateUser(c) => !c.busy && c.created.is_none() && c.form.type_key(key),
            Self::Search(s) => s.form.type_key(key),
            Self::TrySignIn(t) if t.takes_input() && !t.busy => t.form.type_key(key),
            Self::TypeToConfirm(t) => t.type_key(key),
            Self::CommandLine(c) => c.type_key(key),
            Self::SetPassword(p) => !p.busy && p.form.type_key(key),
            Self::EditAttributes(e) => !e.busy && e.form.type_key(key),
            Self::GroupFilter(f) => f.form.type_key(key),
            Self::GroupForm(f) => !f.busy && f.form.type_key(key),
            Self::Membership(m) => !m.busy && m.form.type_key(key),
            Self::BulkForm(b) => b.type_key(key),
            Self::TestSend(t) => !t.busy && t.form.type_key(key),
            _ => false,
        }
    }

    /// The commands this popup answers now: exactly what the key bar and help show.
    pub fn commands(&self, env: &Env) -> Vec<Command> {
        match self {
            Self::Help(_) => help::Help::commands(),
            Self::PoolPicker(p) => p.commands(env),
            Self::UserDetail(u) => u.commands(),
            Self::CreateUser(c) => c.commands(),
            Self::Search(_) => search::Search::commands(),
            Self::Confirm(_) => confirm::Confirm::commands(),
            Self::TypeToConfirm(_) => type_to_confirm::TypeToConfirm::commands(),
            Self::CommandLine(_) => command_line::CommandLine::commands(),
            Self::TrySignIn(t) => t.commands(),
            Self::MessageLog(_) => message_log::MessageLog::commands(),
            Self::SetPassword(p) => p.commands(),
            Self::EditAttributes(e) => e.commands(),
            Self::GroupFilter(_) => group_filter::GroupFilter::commands(),
            Self::GroupForm(f) => f.commands(),
            Self::GroupMembers(m) => m.commands(),
            Self::Membership(m) => m.commands(),
            Self::BulkForm(b) => b.commands(),
            Self::TestSend(t) => t.commands(),
            Self::AuditLog(a) => a.commands(env),
        }
    }

    pub fn handle(&mut self, command: Command, env: &Env) -> Outcome {
        match self {
            Self::Help(h) => h.handle(command),
            Self::PoolPicker(p) => p.handle(command, env),
            Self::UserDetail(u) => u.handle(command, env),
            Self::CreateUser(c) => c.handle(command, env),
            Self::Search(s) => s.handle(command),
            Self::Confirm(c) => c.handle(command, env),
            Self::TypeToConfirm(t) => t.handle(command, env),
            Self::CommandLine(c) => c.handle(command),
            Self::TrySignIn(t) => t.handle(command, env),
            Self::MessageLog(m) => m.handle(command),
            Self::SetPassword(p) => p.handle(command, env),
            Self::EditAttributes(e) => e.handle(command, env),
            Self::GroupFilter(f) => f.handle(command),
            Self::GroupForm(f) => f.handle(command, env),
            Self::GroupMembers(m) => m.handle(command, env),
            Self::Membership(m) => m.handle(command, env),
            Self::BulkForm(b) => b.handle(command, env),
            Self::TestSend(t) => t.handle(command, env),
            Self::AuditLog(a) => a.handle(command, env),
        }
    }

    pub fn render(&self, area: Rect, screen: Rect, buf: &mut Buffer, ui: &Ui) {
        match self {
            Self::Help(h) => h.render(area, buf, ui),
            Self::PoolPicker(p) => p.render(area, buf, ui),
            Self::UserDetail(u) => u.render(area, buf, ui),
            Self::CreateUser(c) => c.render(area, buf, ui),
            Self::Search(s) => s.render(area, buf, ui),
            Self::Confirm(c) => c.render(area, buf, ui),
            Self::TypeToConfirm(t) => t.render(area, buf, ui),
            Self::CommandLine(c) => c.render(screen, buf, ui),
            Self::TrySignIn(t) => try_sign_in::render(area, buf, ui, t),
            Self::MessageLog(m) => m.render(area, buf, ui),
            Self::SetPassword(p) => p.render(area, buf, ui),
            Self::EditAttributes(e) => e.render(area, buf, ui),
            Self::GroupFilter(f) => f.render(area, buf, ui),
            Self::GroupForm(f) => f.render(area, buf, ui),
            Self::GroupMembers(m) => m.render(area, buf, ui),
            Self::Membership(m) => m.render(area, buf, ui),
            Self::BulkForm(b) => b.render(area, buf, ui),
            Self::TestSend(t) => t.render(area, buf, ui),
            Self::AuditLog(a) => a.render(area, buf, ui),
        }
    }
}

/// What every drawing may read besides its own state: the theme, the live keymap (for
/// the hints it writes) and the app's read-only view for what help and pickers show.
pub struct Ui<'a> {
    pub theme: Theme,
    pub keymap: &'a Keymap,
    pub env: Env<'a>,
    /// Help's first section: the keys of the layer under it.
    pub here: Vec<(Vec<String>, Command)>,
    pub here_title: String,
}

impl Ui<'_> {
    /// "enter saves · esc cancels", from the live keymap of `context`.
    pub fn hint(&self, context: Context, pairs: &[(Command, &str)]) -> String {
        hint(self.keymap, context, pairs)
    }
}

/// Key hints made from the keymap, so a remapped key is shown as it is.
pub fn hint(keymap: &Keymap, context: Context, pairs: &[(Command, &str)]) -> String {
    pairs
        .iter()
        .filter_map(|(command, what)| {
            keymap
                .key_for(context, *command)
                .map(|k| format!("{k} {what}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
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
