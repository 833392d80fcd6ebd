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

/// Stops the console as the shell's job: the terminal back to the shell's
/// modes and main screen, then SIGTSTP (its default action stops the process;
/// the console does not catch it); after `fg` (SIGCONT) raw mode and the
/// alternate screen again. The jobs keep their state (they are stopped too).
pub fn suspend() {
    use ratatui::crossterm::{execute, terminal};
    ratatui::restore();
    let _ = signal_hook::low_level::raise(signal_hook::consts::SIGTSTP);
    let _ = terminal::enable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        terminal::EnterAlternateScreen,
        terminal::Clear(terminal::ClearType::All)
    );
}
