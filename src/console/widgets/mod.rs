pub mod form;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
