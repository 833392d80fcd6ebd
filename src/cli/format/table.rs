//! `--format table`: the command's text, fitted to the terminal's width when
//! stdout is one (name columns cut there only, never numbers), whole otherwise.

pub fn write(text: Box<dyn FnOnce(Option<usize>) -> String + '_>) -> String {
    use std::io::IsTerminal;
    let width = std::io::stdout()
        .is_terminal()
        .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .flatten();
    text(width)
}
