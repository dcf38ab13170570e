//! Copying to the clipboard of the terminal the admin sits at, wherever the console runs:
//! OSC 52 (`ESC ] 52 ; c ; BASE64 BEL`), which the terminal itself carries out, so it
//! works over SSH where no clipboard of this machine would help. The console cannot
//! know whether the terminal honoured it (some ask first, some refuse), so it says it
//! asked. Inside tmux it needs `set -g set-clipboard on` (tmux's default, `external`,
//! ignores what applications send).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Past this many bytes of text, terminals cut the sequence off (xterm's default is
/// about 100,000 encoded bytes), so a longer copy is refused rather than half made.
pub const MAX_BYTES: usize = 74_000;

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\u{1b}]52;c;{}\u{7}", STANDARD.encode(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_osc_52_with_the_text_in_base64() {
        assert_eq!(osc52("ana"), "\u{1b}]52;c;YW5h\u{7}");
        // Whatever the text holds, the sequence holds only base64: it cannot end early.
        assert!(
            !osc52("a\u{7}\u{1b}\\b").trim_end_matches('\u{7}')[1..].contains(['\u{7}', '\u{1b}'])
        );
    }
}
