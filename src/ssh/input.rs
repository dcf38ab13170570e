//! What an admin types, as it arrives on an SSH channel: bytes from their terminal in
//! raw mode, read into the key events crossterm reads from a local terminal (terminput,
//! crossterm's own parser, does the reading).

use crossterm::event::{Event, KeyEvent, KeyEventKind};

const ESC: u8 = 0x1b;
/// An unfinished sequence longer than this is no key: it is dropped.
const LONGEST: usize = 64;

/// Keys from a stream of bytes; a sequence split across packets waits for the rest.
#[derive(Debug, Default)]
pub struct Keys {
    pending: Vec<u8>,
}

impl Keys {
    /// The keys `data` completes (one packet from the client). As a terminal sends an
    /// escape sequence in one write, an ESC that ends a packet is the Esc key, and an
    /// ESC followed by more bytes starts a sequence (or is alt- with the next key).
    pub fn feed(&mut self, data: &[u8]) -> Vec<KeyEvent> {
        let mut keys = Vec::new();
        for (i, byte) in data.iter().enumerate() {
            self.pending.push(*byte);
            let more = i + 1 < data.len();
            if self.pending == [ESC] && more {
                continue;
            }
            match terminput::Event::parse_from(&self.pending) {
                Ok(Some(event)) => {
                    self.pending.clear();
                    if let Ok(Event::Key(key)) = terminput_crossterm::to_crossterm(event)
                        && key.kind != KeyEventKind::Release
                    {
                        keys.push(key);
                    }
                }
                Ok(None) if self.pending.len() < LONGEST => {}
                Ok(None) | Err(_) => self.pending.clear(),
            }
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn codes(keys: &mut Keys, data: &[u8]) -> Vec<(KeyCode, KeyModifiers)> {
        keys.feed(data)
            .into_iter()
            .map(|k| (k.code, k.modifiers))
            .collect()
    }

    #[test]
    fn keys_as_a_terminal_sends_them() {
        let mut k = Keys::default();
        let none = KeyModifiers::NONE;
        assert_eq!(
            codes(&mut k, b"jG\r\t\x7f"),
            [
                (KeyCode::Char('j'), none),
                (KeyCode::Char('G'), KeyModifiers::SHIFT),
                (KeyCode::Enter, none),
                (KeyCode::Tab, none),
                (KeyCode::Backspace, none),
            ]
        );
        assert_eq!(
            codes(&mut k, b"\x13"),
            [(KeyCode::Char('s'), KeyModifiers::CONTROL)]
        );
        assert_eq!(
            codes(&mut k, b"\x1b[A\x1b[6~\x1b[Z"),
            [
                (KeyCode::Up, none),
                (KeyCode::PageDown, none),
                (KeyCode::BackTab, KeyModifiers::SHIFT),
            ]
        );
        assert_eq!(codes(&mut k, "é".as_bytes()), [(KeyCode::Char('é'), none)]);
    }

    #[test]
    fn esc_alone_is_esc_and_a_split_sequence_waits_for_its_end() {
        let mut k = Keys::default();
        assert_eq!(codes(&mut k, b"\x1b"), [(KeyCode::Esc, KeyModifiers::NONE)]);
        assert!(codes(&mut k, b"\x1b[").is_empty());
        assert_eq!(codes(&mut k, b"B"), [(KeyCode::Down, KeyModifiers::NONE)]);
        assert_eq!(
            codes(&mut k, b"\x1bx"),
            [(KeyCode::Char('x'), KeyModifiers::ALT)]
        );
    }

    #[test]
    fn garbage_never_panics_and_never_sticks() {
        let mut k = Keys::default();
        let _ = k.feed(b"\x1b[99999999999999999999999~\x1b[<<<<\xff\xfe");
        let mut long = b"\x1b[".to_vec();
        long.extend(std::iter::repeat_n(b'1', 200));
        let _ = k.feed(&long);
        assert_eq!(
            codes(&mut k, b"q"),
            [(KeyCode::Char('q'), KeyModifiers::NONE)]
        );
    }
}
