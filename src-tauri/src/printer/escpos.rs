//! A small ESC/POS encoder: the dozen commands a receipt needs, and text
//! folded to the printer's code page.
//!
//! Why not a crate: `escpos` (0.20.1, the best kept of the Rust ESC/POS
//! crates) was tried first and fails a receipt in three ways. Its cash
//! drawer command is `ESC p m` without the two pulse-timing bytes the
//! command takes (`ESC p m t1 t2`), so the printer swallows the next two
//! bytes of the receipt; its PC858 table maps the ASCII hyphen to 0xF0
//! (soft hyphen), so every `-` of a sale number or a rule prints wrong; and
//! a character outside its table goes out as UTF-8 bytes, which a receipt
//! printer prints as garbage. `recibo` and `escpos-rs` are unmaintained.
//! The commands below are from Epson's ESC/POS reference and are what
//! every receipt printer of the kind (Epson TM, Xprinter, Rongta, Bixolon)
//! takes; their bytes are checked by the tests.
//!
//! Text is sent in code page 858 (Latin-1 letters and the euro sign): a
//! character the page has is sent as its byte, a few common others are
//! spelled out (`₦` as `N`, curly quotes as straight ones), anything else
//! becomes `?`. Every character is one column wide, so layout can count
//! characters.

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const LF: u8 = 0x0A;

/// `ESC t 19`: select character code table PC858.
const CODE_PAGE_858: u8 = 19;

/// Alignment of the following lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
}

/// A document being encoded.
pub struct Doc {
    bytes: Vec<u8>,
    /// Characters per line at normal size.
    columns: usize,
}

impl Doc {
    /// A new document: `ESC @` (initialise) then code page 858.
    pub fn new(columns: usize) -> Doc {
        let mut doc = Doc {
            bytes: Vec::with_capacity(2048),
            columns,
        };
        doc.raw(&[ESC, b'@', ESC, b't', CODE_PAGE_858]);
        doc
    }

    /// Characters per line at normal size.
    pub fn columns(&self) -> usize {
        self.columns
    }

    fn raw(&mut self, bytes: &[u8]) -> &mut Doc {
        self.bytes.extend_from_slice(bytes);
        self
    }

    /// `ESC a n`.
    pub fn align(&mut self, align: Align) -> &mut Doc {
        let n = match align {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        };
        self.raw(&[ESC, b'a', n])
    }

    /// `ESC E n`: emphasised (bold) on or off.
    pub fn bold(&mut self, on: bool) -> &mut Doc {
        self.raw(&[ESC, b'E', u8::from(on)])
    }

    /// `GS ! n`: double width and height on, or normal size. At double
    /// width a line holds half the columns.
    pub fn large(&mut self, on: bool) -> &mut Doc {
        self.raw(&[GS, b'!', if on { 0x11 } else { 0x00 }])
    }

    /// Text and a line feed; a line longer than the paper wraps on the
    /// printer, so callers lay out to [`Doc::columns`].
    pub fn line(&mut self, text: &str) -> &mut Doc {
        let encoded = encode(text);
        self.bytes.extend_from_slice(&encoded);
        self.raw(&[LF])
    }

    /// `left` and `right` on one line, the gap filled with spaces; when
    /// both do not fit, `left` takes its own lines first.
    pub fn pair(&mut self, left: &str, right: &str) -> &mut Doc {
        let (l, r) = (width(left), width(right));
        if l + 1 + r <= self.columns {
            let gap = " ".repeat(self.columns - l - r);
            return self.line(&format!("{left}{gap}{right}"));
        }
        for part in wrap(left, self.columns) {
            self.line(&part);
        }
        let pad = " ".repeat(self.columns.saturating_sub(r));
        self.line(&format!("{pad}{right}"))
    }

    /// Text wrapped at word boundaries to the paper's width; leading
    /// spaces indent every line of it.
    pub fn wrapped(&mut self, text: &str) -> &mut Doc {
        let body = text.trim_start_matches(' ');
        let indent = " ".repeat((text.len() - body.len()).min(self.columns / 2));
        for part in wrap(body, self.columns - indent.len()) {
            self.line(&format!("{indent}{part}"));
        }
        self
    }

    /// A rule of `-` across the paper.
    pub fn rule(&mut self) -> &mut Doc {
        let rule = "-".repeat(self.columns);
        self.line(&rule)
    }

    /// `ESC d n`: print and feed `n` lines.
    pub fn feed(&mut self, lines: u8) -> &mut Doc {
        self.raw(&[ESC, b'd', lines])
    }

    /// `ESC p 0 25 250`: a pulse on drawer pin 2 (50 ms on, 500 ms off),
    /// which opens the cash drawer wired to the printer.
    pub fn kick_drawer(&mut self) -> &mut Doc {
        self.raw(&DRAWER_KICK)
    }

    /// `GS V 66 0`: feed to the cutter and cut (partial cut where the
    /// printer has only that). Printers without a cutter ignore it.
    pub fn cut(&mut self) -> &mut Doc {
        self.raw(&CUT)
    }

    /// The encoded bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The bytes of the drawer kick (for tests that look for it).
pub const DRAWER_KICK: [u8; 5] = [ESC, b'p', 0, 25, 250];
/// The bytes of the cut.
pub const CUT: [u8; 4] = [GS, b'V', 66, 0];
/// The bytes that start every document.
pub const INIT: [u8; 2] = [ESC, b'@'];

/// Splits `text` into lines of at most `width` characters, at spaces where
/// possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        // A word longer than a line is cut.
        while word.len() > width {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// Code page 858 from 0x80 to 0xFF (IBM's table, as printers implement it).
const CP858_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', //
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', 'ø', '£', 'Ø', '×', 'ƒ', //
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '®', '¬', '½', '¼', '¡', '«', '»', //
    '░', '▒', '▓', '│', '┤', 'Á', 'Â', 'À', '©', '╣', '║', '╗', '╝', '¢', '¥', '┐', //
    '└', '┴', '┬', '├', '─', '┼', 'ã', 'Ã', '╚', '╔', '╩', '╦', '╠', '═', '╬', '¤', //
    'ð', 'Ð', 'Ê', 'Ë', 'È', '€', 'Í', 'Î', 'Ï', '┘', '┌', '█', '▄', '¦', 'Ì', '▀', //
    'Ó', 'ß', 'Ô', 'Ò', 'õ', 'Õ', 'µ', 'þ', 'Þ', 'Ú', 'Û', 'Ù', 'ý', 'Ý', '¯', '´', //
    '\u{AD}', '±', '‗', '¾', '¶', '§', '÷', '¸', '°', '¨', '·', '¹', '³', '²', '■', '\u{A0}',
];

/// One character in code page 858, or its spelling in characters that are.
fn fold(c: char) -> Fold {
    if c == '\n' || c == '\r' || c == '\t' {
        return Fold::Byte(b' ');
    }
    if c.is_ascii() {
        return if c.is_ascii_control() {
            Fold::Byte(b'?')
        } else {
            Fold::Byte(c as u8)
        };
    }
    if let Some(i) = CP858_HIGH.iter().position(|&x| x == c) {
        return Fold::Byte(0x80 + i as u8);
    }
    Fold::Text(match c {
        '₦' => "N",
        '‘' | '’' | '′' => "'",
        '“' | '”' | '″' => "\"",
        '–' | '—' | '−' => "-",
        '…' => "...",
        '•' => "*",
        '₵' => "GHS",
        '₹' => "Rs",
        'ı' => "i",
        _ => "?",
    })
}

enum Fold {
    Byte(u8),
    Text(&'static str),
}

/// `text` in code page 858 (see the module header).
pub fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match fold(c) {
            Fold::Byte(b) => out.push(b),
            Fold::Text(s) => out.extend_from_slice(s.as_bytes()),
        }
    }
    out
}

/// What a character costs in columns once encoded (for layout of text
/// that holds spelled-out characters such as `₦`).
pub fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match fold(c) {
            Fold::Byte(_) => 1,
            Fold::Text(s) => s.len(),
        })
        .sum()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_is_folded_to_code_page_858() {
        assert_eq!(encode("DEMO-S-000001"), b"DEMO-S-000001".to_vec());
        assert_eq!(
            encode("Crème €5"),
            vec![b'C', b'r', 0x8A, b'm', b'e', b' ', 0xD5, b'5']
        );
        assert_eq!(encode("2–8 °C"), vec![b'2', b'-', b'8', b' ', 0xF8, b'C']);
        assert_eq!(encode("₦5,070"), b"N5,070".to_vec());
        assert_eq!(encode("日"), b"?".to_vec());
        assert_eq!(encode("a\u{7}b"), b"a?b".to_vec());
        assert_eq!(width("₦5…"), 5);
    }

    #[test]
    fn the_table_is_the_whole_upper_half() {
        let mut seen = CP858_HIGH.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 128, "no character twice");
        assert!(!CP858_HIGH.iter().any(char::is_ascii));
    }

    #[test]
    fn commands_have_their_full_bytes() {
        let mut doc = Doc::new(32);
        doc.align(Align::Center)
            .bold(true)
            .large(true)
            .line("X")
            .large(false)
            .bold(false)
            .feed(3)
            .kick_drawer()
            .cut();
        assert_eq!(
            doc.into_bytes(),
            [
                &[0x1B, b'@', 0x1B, b't', 19][..],
                &[0x1B, b'a', 1, 0x1B, b'E', 1, 0x1D, b'!', 0x11, b'X', 0x0A],
                &[0x1D, b'!', 0, 0x1B, b'E', 0, 0x1B, b'd', 3],
                &[0x1B, b'p', 0, 25, 250, 0x1D, b'V', 66, 0],
            ]
            .concat()
        );
    }

    #[test]
    fn lines_are_laid_out_to_the_paper() {
        assert_eq!(
            wrap("Paracetamol 500mg tablets x12", 12),
            ["Paracetamol", "500mg", "tablets x12"]
        );
        assert_eq!(wrap("ABCDEFGHIJ", 4), ["ABCD", "EFGH", "IJ"]);
        assert_eq!(wrap("", 10), [""]);
        let mut doc = Doc::new(20);
        doc.pair("Total", "1,200.00");
        doc.pair("A very long left part here", "9.00");
        let text = String::from_utf8_lossy(&doc.into_bytes()[5..]).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Total       1,200.00");
        assert_eq!(lines[1], "A very long left");
        assert_eq!(lines[2], "part here");
        assert_eq!(lines[3], "                9.00");
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        let mut doc = Doc::new(20);
        doc.wrapped("  Batch PCM-2405 exp 2027-06-30");
        let text = String::from_utf8_lossy(&doc.into_bytes()[5..]).into_owned();
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            ["  Batch PCM-2405 exp", "  2027-06-30"]
        );
    }
}
