//! The threads that feed the loop from the terminal: key bytes through this
//! crate's own parser (see `input`), and signals: a resize redraws, SIGTERM
//! and SIGHUP stop the console with its unsaved edits kept and the terminal
//! restored by `run`.

use std::io::{IsTerminal, Read};
use std::sync::mpsc::Sender;

use ratatui::crossterm::event::Event;
use signal_hook::consts::{SIGHUP, SIGTERM, SIGWINCH};
use signal_hook::iterator::Signals;

use crate::Msg;
use crate::input::Parser;

/// Reads the terminal (stdin, or /dev/tty when stdin is not one) and sends its
/// key events to the loop.
pub fn spawn_input(tx: Sender<Msg>) -> std::io::Result<()> {
    let mut source: Box<dyn Read + Send> = if std::io::stdin().is_terminal() {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open("/dev/tty")?)
    };
    std::thread::Builder::new()
        .name("parkplan-input".into())
        .spawn(move || {
            let mut parser = Parser::default();
            let mut buf = [0u8; 1024];
            loop {
                let n = match source.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                };
                for ev in parser.feed(&buf[..n], n == buf.len()) {
                    if tx.send(Msg::Input(ev)).is_err() {
                        return;
                    }
                }
            }
        })?;
    Ok(())
}

/// Turns SIGWINCH into a redraw, SIGTERM and SIGHUP into [`Msg::Signal`].
pub fn spawn_signals(tx: Sender<Msg>) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGWINCH, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("parkplan-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                let msg = match sig {
                    SIGWINCH => {
                        let (w, h) = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
                        Msg::Input(Event::Resize(w, h))
                    }
                    SIGTERM => Msg::Signal("SIGTERM"),
                    _ => Msg::Signal("SIGHUP"),
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        })?;
    Ok(())
}

/// Asks the terminal for mouse reports: clicks (1000), drags (1002), in the
/// SGR encoding (1006: any column, press and release told apart).
pub const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1002h\x1b[?1006h";
/// Stops them: the terminal selects text again.
pub const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1002l\x1b[?1000l";

/// Mouse reports on or off (written to stdout, where ratatui draws).
pub fn set_mouse(on: bool) {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = out.write_all(if on { MOUSE_ON } else { MOUSE_OFF }.as_bytes());
    let _ = out.flush();
}

/// Raw mode and the alternate screen (ratatui's), mouse reports if `mouse`;
/// a panic turns the mouse reports off before ratatui's hook restores the rest.
pub fn init(mouse: bool) -> ratatui::DefaultTerminal {
    let terminal = ratatui::init();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        set_mouse(false);
        previous(info);
    }));
    if mouse {
        set_mouse(true);
    }
    terminal
}

/// The terminal as the shell had it: no mouse reports, cooked mode, main screen.
pub fn restore() {
    set_mouse(false);
    ratatui::restore();
}

/// Stops the console as the shell's job: the terminal back to the shell's
/// modes and main screen (mouse reports off), then SIGTSTP (its default action
/// stops the process; the console does not catch it); after `fg` (SIGCONT) raw
/// mode, the alternate screen and, if they were on, mouse reports again. The
/// jobs keep their state (they are stopped too).
pub fn suspend(mouse: bool) {
    use ratatui::crossterm::{execute, terminal};
    restore();
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
    let _ = terminal::enable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        terminal::EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All)
    );
    if mouse {
        set_mouse(true);
    }
}
