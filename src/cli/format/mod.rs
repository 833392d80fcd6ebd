//! Output formats. A command builds its output once, as an [`Output`]: the
//! text for people (tables written by `parkplan::table`), the JSON document
//! and the CSV rows, all from the serde structs of `parkplan::report`; [`emit`]
//! writes the one chosen, through `output::print`. A new format is one file
//! here, its [`Format`] variant and its arm in [`emit`].

mod csv;
mod json;
mod table;

use clap::ValueEnum;
use serde::Serialize;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned tables for people (names cut only to fit a terminal).
    Table,
    /// JSON with a stable schema.
    Json,
    /// CSV, one row per item, with a header.
    Csv,
}

/// A command's rows for row formats (CSV).
pub enum Rows<'a, R> {
    /// Rows of a struct: the header is its field names.
    Typed(&'a [R]),
    /// Rows under a header known only at run time (a sweep's columns).
    WithHeader(&'a [String], &'a [R]),
}

/// What a command shows, in every format.
pub struct Output<'a, J: ?Sized, R> {
    /// The text for people, given the terminal's width (`None`: a file or a
    /// pipe, nothing cut). Built only when asked for.
    pub text: Box<dyn FnOnce(Option<usize>) -> String + 'a>,
    /// The JSON document.
    pub json: &'a J,
    /// The rows.
    pub rows: Rows<'a, R>,
}

/// Writes `out` in `format` to stdout.
pub fn emit<J: Serialize + ?Sized, R: Serialize + Default>(
    format: Format,
    out: Output<'_, J, R>,
) -> anyhow::Result<()> {
    let text = match format {
        Format::Table => table::write(out.text),
        Format::Json => json::write(out.json),
        Format::Csv => csv::write(&out.rows),
    };
    super::print(&text)
}
