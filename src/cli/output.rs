//! The one way out to stdout (and the text of errors on stderr): control
//! characters neutralized, write errors returned, a closed pipe recognized.

/// Writes to stdout and flushes. Every command's output goes through here, so a
/// write error (`> /dev/full`) fails the command; a closed pipe (`| head`) is
/// an error too, which `main` turns into a quiet success.
pub fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let text = sanitize(text);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| anyhow::Error::new(e).context("cannot write the output"))
}

/// Text with every control character but newline and tab written as a JSON
/// escape (`\u001b`), so a park or region name cannot send the terminal an
/// escape sequence (set its title, clear the screen). Inside a JSON string the
/// escape means the same character, so JSON output stays valid and exact;
/// serde_json already escapes C0 controls, this adds DEL and the C1 range.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.contains(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if bad(c) {
            out += &format!("\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether an error is a closed pipe on our output (`parkplan check | head -1`):
/// the reader has what it wanted, so the command ends quietly with status 0.
pub(crate) fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
