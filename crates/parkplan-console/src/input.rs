//! Terminal input: bytes from the terminal become key events here rather than
//! in crossterm's reader, whose parser, on a bracketed-paste start
//! (`ESC [200~`) the console never asked for, buffers every later byte until a
//! paste end arrives, so no key, Ctrl-C or resize gets through (issue 14.13).
//! This parser knows the keys the console uses (the keymap's and text editing),
//! ignores paste markers and any escape sequence it does not know, and never
//! holds more than one short sequence back. Mouse reports (SGR 1006,
//! `ESC [ < b ; x ; y M` or `m`, and the older X10 `ESC [ M b x y` of
//! terminals without 1006) become mouse events; malformed ones are dropped
//! whole, never read as keys.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

/// Longest escape sequence kept waiting for its end; longer ones are dropped.
const MAX_SEQUENCE: usize = 64;

/// Bytes in, events out; a sequence cut between two reads waits for the rest.
#[derive(Debug, Default)]
pub struct Parser {
    pending: Vec<u8>,
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
    Event::Key(KeyEvent {
        code,
        modifiers,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    })
}

/// What the front of `b` is: an event and its length, `Skip(n)` for bytes to
/// drop, or `Incomplete`.
enum Parsed {
    Event(Event, usize),
    Skip(usize),
    Incomplete,
}

impl Parser {
    /// Feeds bytes read from the terminal. `more` says whether more bytes are
    /// already waiting (then a lone ESC at the end is the start of a sequence,
    /// else it is the Esc key).
    pub fn feed(&mut self, bytes: &[u8], more: bool) -> Vec<Event> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        let mut at = 0;
        while at < self.pending.len() {
            match parse(&self.pending[at..], more) {
                Parsed::Event(ev, n) => {
                    out.push(ev);
                    at += n;
                }
                Parsed::Skip(n) => at += n,
                Parsed::Incomplete => {
                    if self.pending.len() - at > MAX_SEQUENCE {
                        // Not a sequence of ours: dropped whole.
                        at = self.pending.len();
                    }
                    break;
                }
            }
        }
        self.pending.drain(..at);
        out
    }
}

fn parse(b: &[u8], more: bool) -> Parsed {
    let none = KeyModifiers::NONE;
    match b[0] {
        0x1b => parse_escape(b, more),
        b'\r' | b'\n' => Parsed::Event(key(KeyCode::Enter, none), 1),
        b'\t' => Parsed::Event(key(KeyCode::Tab, none), 1),
        0x7f | 0x08 => Parsed::Event(key(KeyCode::Backspace, none), 1),
        0x00 => Parsed::Event(key(KeyCode::Char(' '), KeyModifiers::CONTROL), 1),
        c @ 0x01..=0x1a => Parsed::Event(
            key(KeyCode::Char((c - 1 + b'a') as char), KeyModifiers::CONTROL),
            1,
        ),
        0x1c..=0x1f => Parsed::Skip(1),
        _ => parse_utf8(b),
    }
}

fn parse_utf8(b: &[u8]) -> Parsed {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return Parsed::Skip(1),
    };
    if b.len() < len {
        return Parsed::Incomplete;
    }
    match std::str::from_utf8(&b[..len]) {
        Ok(s) => {
            let c = s.chars().next().unwrap_or(' ');
            let m = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            Parsed::Event(key(KeyCode::Char(c), m), len)
        }
        Err(_) => Parsed::Skip(1),
    }
}

fn parse_escape(b: &[u8], more: bool) -> Parsed {
    let none = KeyModifiers::NONE;
    if b.len() == 1 {
        return if more {
            Parsed::Incomplete
        } else {
            Parsed::Event(key(KeyCode::Esc, none), 1)
        };
    }
    match b[1] {
        b'[' => parse_csi(b),
        b'O' => {
            let Some(&c) = b.get(2) else {
                return Parsed::Incomplete;
            };
            let code = match c {
                b'A' => KeyCode::Up,
                b'B' => KeyCode::Down,
                b'C' => KeyCode::Right,
                b'D' => KeyCode::Left,
                b'H' => KeyCode::Home,
                b'F' => KeyCode::End,
                b'P'..=b'S' => KeyCode::F(c - b'P' + 1),
                _ => return Parsed::Skip(3),
            };
            Parsed::Event(key(code, none), 3)
        }
        0x1b => Parsed::Event(key(KeyCode::Esc, none), 1),
        _ => match parse(&b[1..], more) {
            // ESC then a key: that key with Alt.
            Parsed::Event(Event::Key(mut k), n) => {
                k.modifiers |= KeyModifiers::ALT;
                Parsed::Event(Event::Key(k), n + 1)
            }
            Parsed::Event(ev, n) => Parsed::Event(ev, n + 1),
            Parsed::Skip(n) => Parsed::Skip(n + 1),
            Parsed::Incomplete => Parsed::Incomplete,
        },
    }
}

/// `ESC [ params final`: the keys with codes of that form; everything else
/// (paste markers, focus reports, unknown keys) is dropped whole.
fn parse_csi(b: &[u8]) -> Parsed {
    // X10 mouse: `ESC [ M` and three bytes (each value + 32), which may be
    // any byte: read them as the report, never as keys.
    if b.get(2) == Some(&b'M') {
        if b.len() < 6 {
            return Parsed::Incomplete;
        }
        let v = |i: usize| u16::from(b[i]).saturating_sub(32);
        return match mouse(v(3), v(4), v(5), true) {
            Some(ev) => Parsed::Event(ev, 6),
            None => Parsed::Skip(6),
        };
    }
    // Parameter and intermediate bytes, then a final byte in 0x40..=0x7e.
    let Some(end) = b[2..].iter().position(|c| (0x40..=0x7e).contains(c)) else {
        return if b[2..].iter().all(|c| (0x20..=0x3f).contains(c)) {
            Parsed::Incomplete
        } else {
            // A byte that cannot be in a sequence: drop the introducer.
            Parsed::Skip(2)
        };
    };
    let n = end + 3;
    let params = std::str::from_utf8(&b[2..n - 1]).unwrap_or("");
    let fin = b[n - 1];
    if let Some(sgr) = params.strip_prefix('<') {
        // SGR mouse: button;column;row, M pressed or m released.
        let mut it = sgr.split(';').map(|p| p.parse::<u16>().ok());
        let parsed = match (it.next(), it.next(), it.next(), it.next(), fin) {
            (Some(Some(cb)), Some(Some(x)), Some(Some(y)), None, b'M' | b'm') => {
                mouse(cb, x, y, fin == b'M')
            }
            _ => None,
        };
        return match parsed {
            Some(ev) => Parsed::Event(ev, n),
            None => Parsed::Skip(n),
        };
    }
    let mut nums = params.split(';').map(|p| p.parse::<u16>().ok());
    let first = nums.next().flatten();
    let mods = modifiers(nums.next().flatten());
    let code = match fin {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'Z' => return Parsed::Event(key(KeyCode::BackTab, KeyModifiers::SHIFT), n),
        b'P'..=b'S' if params.is_empty() || params.starts_with("1;") => KeyCode::F(fin - b'P' + 1),
        b'~' => match first {
            Some(1 | 7) => KeyCode::Home,
            Some(4 | 8) => KeyCode::End,
            Some(2) => KeyCode::Insert,
            Some(3) => KeyCode::Delete,
            Some(5) => KeyCode::PageUp,
            Some(6) => KeyCode::PageDown,
            Some(f @ 11..=15) => KeyCode::F((f - 10) as u8),
            Some(f @ 17..=21) => KeyCode::F((f - 11) as u8),
            Some(f @ 23..=24) => KeyCode::F((f - 12) as u8),
            // 200 and 201 (paste start and end) and the rest: ignored.
            _ => return Parsed::Skip(n),
        },
        _ => return Parsed::Skip(n),
    };
    Parsed::Event(key(code, mods), n)
}

/// A mouse report: button code `cb` (low bits the button, +4 Shift, +8 Alt,
/// +16 Ctrl, +32 motion, +64 wheel), 1-based column `x` and row `y`;
/// `pressed` false for a release (SGR `m`; X10 reports a release as button 3).
/// `None` for values no terminal sends.
fn mouse(cb: u16, x: u16, y: u16, pressed: bool) -> Option<Event> {
    if x == 0 || y == 0 || cb >= 256 {
        return None;
    }
    // Bits 4, 8, 16 are Shift, Alt, Ctrl: the xterm modifier bits, shifted.
    let modifiers = modifiers(Some(((cb >> 2) & 7) + 1));
    let button = match cb & 3 {
        0 => Some(MouseButton::Left),
        1 => Some(MouseButton::Middle),
        2 => Some(MouseButton::Right),
        _ => None,
    };
    let kind = if cb & 64 != 0 {
        match cb & 3 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        }
    } else if cb & 128 != 0 {
        // Buttons 8 to 11 (back, forward): not used.
        return None;
    } else if cb & 32 != 0 {
        match button {
            Some(b) => MouseEventKind::Drag(b),
            None => MouseEventKind::Moved,
        }
    } else {
        match (button, pressed) {
            (Some(b), true) => MouseEventKind::Down(b),
            (Some(b), false) => MouseEventKind::Up(b),
            // X10's release does not say which button.
            (None, _) => MouseEventKind::Up(MouseButton::Left),
        }
    };
    Some(Event::Mouse(MouseEvent {
        kind,
        column: x - 1,
        row: y - 1,
        modifiers,
    }))
}

/// The xterm modifier parameter (1 + Shift 1, Alt 2, Ctrl 4).
fn modifiers(p: Option<u16>) -> KeyModifiers {
    let bits = p.unwrap_or(1).saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(evs: &[Event]) -> Vec<KeyCode> {
        evs.iter()
            .filter_map(|e| match e {
                Event::Key(k) => Some(k.code),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_stray_paste_start_is_dropped_and_keys_go_on() {
        let mut p = Parser::default();
        let evs = p.feed(b"\x1b[200~2q", false);
        assert_eq!(codes(&evs), [KeyCode::Char('2'), KeyCode::Char('q')]);
        // Also when the marker arrives alone, then the keys.
        assert!(p.feed(b"\x1b[200~", false).is_empty());
        assert_eq!(codes(&p.feed(b"\x03", false)), [KeyCode::Char('c')]);
    }

    #[test]
    fn keys_of_the_keymap() {
        let mut p = Parser::default();
        let evs = p.feed(
            b"\x1b[A\x1b[B\x1bOC\x1b[D\x1b[5~\x1b[6~\x1b[H\x1b[4~\x1bOP\x1b[Z\t\r\x7f",
            false,
        );
        assert_eq!(
            codes(&evs),
            [
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Right,
                KeyCode::Left,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Home,
                KeyCode::End,
                KeyCode::F(1),
                KeyCode::BackTab,
                KeyCode::Tab,
                KeyCode::Enter,
                KeyCode::Backspace
            ]
        );
        // A lone ESC is the Esc key; cut sequences wait for their end.
        assert_eq!(codes(&p.feed(b"\x1b", false)), [KeyCode::Esc]);
        assert!(p.feed(b"\x1b[", true).is_empty());
        assert_eq!(codes(&p.feed(b"1;5C", false)), [KeyCode::Right]);
        assert_eq!(codes(&p.feed("é".as_bytes(), false)), [KeyCode::Char('é')]);
    }

    fn mice(evs: &[Event]) -> Vec<(MouseEventKind, u16, u16)> {
        evs.iter()
            .filter_map(|e| match e {
                Event::Mouse(m) => Some((m.kind, m.column, m.row)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn sgr_mouse_reports_become_mouse_events() {
        let mut p = Parser::default();
        // Press and release of the left button at column 12, row 1 (1-based),
        // the wheel down at 40;10, a drag, and a key after them.
        let evs = p.feed(
            b"\x1b[<0;12;1M\x1b[<0;12;1m\x1b[<65;40;10M\x1b[<32;3;4Mq",
            false,
        );
        assert_eq!(
            mice(&evs),
            [
                (MouseEventKind::Down(MouseButton::Left), 11, 0),
                (MouseEventKind::Up(MouseButton::Left), 11, 0),
                (MouseEventKind::ScrollDown, 39, 9),
                (MouseEventKind::Drag(MouseButton::Left), 2, 3),
            ]
        );
        assert_eq!(codes(&evs), [KeyCode::Char('q')]);
        // Ctrl held: the modifier is kept.
        let Event::Mouse(m) = p.feed(b"\x1b[<16;1;1M", false)[0] else {
            panic!()
        };
        assert_eq!(m.modifiers, KeyModifiers::CONTROL);
        // Wheel up, from a terminal wider than 223 columns (only SGR can say so).
        assert_eq!(
            mice(&p.feed(b"\x1b[<64;300;2M", false)),
            [(MouseEventKind::ScrollUp, 299, 1)]
        );
    }

    #[test]
    fn a_mouse_report_cut_anywhere_waits_for_its_end() {
        let report = b"\x1b[<0;25;7M";
        for cut in 1..report.len() {
            let mut p = Parser::default();
            let mut evs = p.feed(&report[..cut], true);
            evs.extend(p.feed(&report[cut..], false));
            assert_eq!(
                mice(&evs),
                [(MouseEventKind::Down(MouseButton::Left), 24, 6)],
                "cut at {cut}"
            );
            assert!(codes(&evs).is_empty(), "cut at {cut}: {evs:?}");
        }
    }

    #[test]
    fn malformed_mouse_reports_are_dropped_whole() {
        let mut p = Parser::default();
        // Missing, zero, huge and extra fields; a wrong final byte; garbage
        // inside: none becomes a key or a click, and the key after each is read.
        for bad in [
            &b"\x1b[<0;12M"[..],
            b"\x1b[<0;0;5M",
            b"\x1b[<0;5;0M",
            b"\x1b[<0;99999;5M",
            b"\x1b[<0;1;2;3M",
            b"\x1b[<;;M",
            b"\x1b[<0;1;2X",
            b"\x1b[<999;1;1M",
            b"\x1b[<0;1\x01;1M",
        ] {
            let mut bytes = bad.to_vec();
            bytes.push(b'2');
            let evs = p.feed(&bytes, false);
            assert!(mice(&evs).is_empty(), "{bad:?}: {evs:?}");
            assert_eq!(
                codes(&evs).last(),
                Some(&KeyCode::Char('2')),
                "{bad:?}: {evs:?}"
            );
        }
    }

    #[test]
    fn x10_mouse_reports_are_not_read_as_keys() {
        let mut p = Parser::default();
        // Left press at column 81 ('q' is 32 + 1 + 80), row 1: no quit.
        let evs = p.feed(b"\x1b[M qAx", false);
        assert_eq!(
            mice(&evs),
            [(MouseEventKind::Down(MouseButton::Left), 80, 32)]
        );
        assert_eq!(codes(&evs), [KeyCode::Char('x')]);
    }

    /// Random bytes, mouse reports among them, cut at random: the parser never
    /// panics, holds back at most one short sequence, and a key sent after
    /// three Esc bytes (which end whatever was pending) is read as that key.
    #[test]
    fn random_bytes_never_panic_or_pile_up() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces: [&[u8]; 8] = [
            b"\x1b[<0;12;1M",
            b"\x1b[<65;3;3m",
            b"\x1b[M",
            b"\x1b[",
            b"\x1b",
            b"<;M",
            b"\x1b[200~",
            b"j",
        ];
        for _ in 0..2000 {
            let mut p = Parser::default();
            let mut bytes = Vec::new();
            for _ in 0..(rnd() % 20) {
                if rnd() % 2 == 0 {
                    bytes.extend_from_slice(pieces[(rnd() % 8) as usize]);
                } else {
                    bytes.push((rnd() % 256) as u8);
                }
            }
            let mut at = 0;
            while at < bytes.len() {
                let n = 1 + (rnd() as usize % 7).min(bytes.len() - at - 1);
                p.feed(&bytes[at..at + n], at + n < bytes.len());
                assert!(p.pending.len() <= MAX_SEQUENCE + 8, "{bytes:?}");
                at += n;
            }
            // Whatever was cut: three bytes finish an X10 report, an Esc
            // ends the rest; then keys are read again.
            p.feed(b"\x1b\x1b\x1b", false);
            assert_eq!(
                codes(&p.feed(b"q", false)),
                [KeyCode::Char('q')],
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn an_endless_sequence_is_dropped() {
        let mut p = Parser::default();
        let mut junk = b"\x1b[".to_vec();
        junk.extend(std::iter::repeat_n(b'1', 200));
        p.feed(&junk, false);
        assert_eq!(codes(&p.feed(b"q", false)), [KeyCode::Char('q')]);
    }
}
