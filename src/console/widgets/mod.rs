pub mod form;
pub mod qr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::pool::{PasswordPolicy, password};

/// "Policy ✓ 8 characters ✗ a number …": the pool's password policy against what is
/// typed, live.
pub fn policy_checklist(typed: &str, policy: &PasswordPolicy, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled("Policy  ", theme.muted())];
    for (label, ok) in password::checklist(typed, policy) {
        let (mark, style) = if ok {
            ("✓ ", theme.ok())
        } else {
            ("✗ ", theme.error())
        };
        spans.push(Span::styled(format!("{mark}{label}   "), style));
    }
    Line::from(spans)
}

/// Typing on a one-line prompt: printable characters and backspace. True when used.
pub fn type_line(text: &mut String, key: &KeyEvent) -> bool {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if plain => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        _ => return false,
    }
    true
}
