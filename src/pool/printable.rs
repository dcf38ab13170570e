//! What of a stored value may reach a terminal. Attribute values may hold control
//! characters (Cognito refuses them only in emails and phone numbers), and a value that
//! drives the terminal (ESC sequences, a carriage return that overwrites the line, a
//! bidirectional override that reorders it) must never be printed as it is. The
//! subcommands and the console show such characters escaped: `\u{1b}`.

use std::borrow::Cow;

/// Characters that change how the rest of the line reads without being shown
/// themselves: the bidirectional controls.
fn reorders(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` would drive a terminal (or reorder what it shows) if printed as it is.
pub fn drives_terminal(c: char) -> bool {
    c.is_control() || reorders(c)
}

fn escape_where(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| drives_terminal(c) && !keep(c);
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with every character that could drive a terminal written as a JSON
/// escape. serde_json escapes the C0 controls in strings already, so a newline left is
/// the layout's own; what remains (DEL, C1, bidirectional controls) can only be inside
/// strings, so the document stays the same document.
pub fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '\n' && drives_terminal(c) {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One field on one line: every control character escaped, newlines and tabs too.
pub fn field(text: &str) -> Cow<'_, str> {
    escape_where(text, |_| false)
}

/// Text that may run over several lines (a message body): newlines and tabs kept,
/// every other control character escaped.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c == '\n' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_escaped() {
        assert!(matches!(field("ana@example.com"), Cow::Borrowed(_)));
        assert_eq!(field("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(field("bell\u{7}\0"), "bell\\u{7}\\u{0}");
        assert_eq!(field("over\rwrite"), "over\\u{d}write");
        assert_eq!(field("two\nlines"), "two\\u{a}lines");
        assert_eq!(field("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(field("c1\u{9b}31m"), "c1\\u{9b}31m");
        assert_eq!(
            lines("Hello\n\tthere\u{1b}]0;x\u{7}"),
            "Hello\n\tthere\\u{1b}]0;x\\u{7}"
        );
        assert_eq!(field("ünïcödé 名前"), "ünïcödé 名前");
    }
}
