//! A QR code in the terminal, for a phone to scan: two modules to a character cell (the
//! upper and lower half blocks), since a cell is about twice as tall as it is wide, so
//! modules come out square. Encoded by the `qrcode` crate at the lowest error
//! correction, which keeps an `otpauth://` URI small enough for an 80x24 terminal.

use qrcode::{Color as Module, EcLevel, QrCode};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

/// The widest quiet zone (light border) drawn; the standard asks for four modules.
const QUIET: u16 = 4;
/// The narrowest a phone still reads reliably, where space is short.
const MIN_QUIET: u16 = 2;

/// An encoded QR code.
#[derive(Debug, Clone)]
pub struct Qr {
    width: u16,
    dark: Vec<bool>,
}

impl Qr {
    /// `text` as a QR code; None if it is too long to encode.
    pub fn new(text: &str) -> Option<Self> {
        let code = QrCode::with_error_correction_level(text, EcLevel::L).ok()?;
        Some(Self {
            width: u16::try_from(code.width()).ok()?,
            dark: code
                .to_colors()
                .into_iter()
                .map(|m| m == Module::Dark)
                .collect(),
        })
    }

    /// Modules on a side.
    pub fn modules(&self) -> u16 {
        self.width
    }

    /// The cells the code takes with `quiet` modules of border: (columns, rows).
    fn size(&self, quiet: u16) -> (u16, u16) {
        let side = self.width + 2 * quiet;
        (side, side.div_ceil(2))
    }

    /// The cells it needs at the least: (columns, rows).
    pub fn min_size(&self) -> (u16, u16) {
        self.size(MIN_QUIET)
    }

    /// Whether it fits in `area` with a readable border.
    pub fn fits(&self, area: Rect) -> bool {
        let (w, h) = self.min_size();
        w <= area.width && h <= area.height
    }

    fn dark_at(&self, x: i32, y: i32) -> bool {
        let w = i32::from(self.width);
        (0..w).contains(&x) && (0..w).contains(&y) && self.dark[(y * w + x) as usize]
    }

    /// Draws the code at the top left of `area`, with the widest border that fits, and
    /// returns the cells it took. With colours, dark modules are black on white whatever
    /// the terminal's own colours; without (NO_COLOR), light modules are drawn as blocks
    /// in the terminal's foreground, which reads right on a dark background.
    pub fn render(&self, area: Rect, buf: &mut Buffer, colour: bool) -> Rect {
        let quiet = (MIN_QUIET..=QUIET)
            .rev()
            .find(|q| {
                let (w, h) = self.size(*q);
                w <= area.width && h <= area.height
            })
            .unwrap_or(MIN_QUIET);
        let (w, h) = self.size(quiet);
        let (w, h) = (w.min(area.width), h.min(area.height));
        let q = i32::from(quiet);
        for row in 0..h {
            for col in 0..w {
                let x = i32::from(col) - q;
                let top = self.dark_at(x, i32::from(row) * 2 - q);
                let bottom = self.dark_at(x, i32::from(row) * 2 + 1 - q);
                let (symbol, style) = if colour {
                    let glyph = match (top, bottom) {
                        (true, true) => "█",
                        (true, false) => "▀",
                        (false, true) => "▄",
                        (false, false) => " ",
                    };
                    (glyph, Style::default().fg(Color::Black).bg(Color::White))
                } else {
                    let glyph = match (top, bottom) {
                        (false, false) => "█",
                        (false, true) => "▀",
                        (true, false) => "▄",
                        (true, true) => " ",
                    };
                    (glyph, Style::default())
                };
                if let Some(cell) = buf.cell_mut((area.x + col, area.y + row)) {
                    cell.set_symbol(symbol).set_style(style);
                }
            }
        }
        Rect::new(area.x, area.y, w, h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authenticator_uri_fits_an_80x24_terminal() {
        let uri = "otpauth://totp/Demo%20pool:jane.doe?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Demo%20pool";
        let qr = Qr::new(uri).expect("encodes");
        let (w, h) = qr.min_size();
        assert!(w <= 45 && h <= 21, "{w}x{h}");
        let area = Rect::new(0, 0, 80, 23);
        assert!(qr.fits(area));
        let mut buf = Buffer::empty(area);
        let used = qr.render(area, &mut buf, true);
        assert!(used.height <= 23);
        // The finder pattern's top-left corner is dark, inside the quiet zone.
        let quiet = (used.width - qr.modules()) / 2;
        let corner = buf
            .cell((quiet, quiet / 2))
            .expect("cell")
            .symbol()
            .to_string();
        assert_ne!(corner, " ", "a dark module in the corner");
        assert!(!qr.fits(Rect::new(0, 0, 30, 10)));
    }

    #[test]
    fn without_colours_the_code_is_drawn_in_negative() {
        let qr = Qr::new("otpauth://totp/jane?secret=JBSWY3DPEHPK3PXP").expect("encodes");
        let area = Rect::new(0, 0, 60, 30);
        let (mut colour, mut plain) = (Buffer::empty(area), Buffer::empty(area));
        let used = qr.render(area, &mut colour, true);
        assert_eq!(qr.render(area, &mut plain, false), used);
        let negative = |s: &str| match s {
            "█" => " ",
            "▀" => "▄",
            "▄" => "▀",
            _ => "█",
        };
        for y in 0..used.height {
            for x in 0..used.width {
                let (c, p) = (&colour[(x, y)], &plain[(x, y)]);
                assert_eq!(negative(c.symbol()), p.symbol(), "({x}, {y})");
                assert_eq!(c.bg, Color::White, "colours set whatever the terminal's");
            }
        }
    }

    #[test]
    fn text_too_long_for_a_qr_code() {
        assert!(Qr::new(&"x".repeat(5000)).is_none());
    }
}
