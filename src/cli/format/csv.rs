//! `--format csv`: the command's rows through the `csv` crate (RFC 4180
//! quoting), by `parkplan::report`'s writers, which the console's export shares.

use super::Rows;

pub fn write<R: serde::Serialize + Default>(rows: &Rows<'_, R>) -> String {
    match rows {
        Rows::Typed(rows) => parkplan::report::to_csv(rows),
        Rows::WithHeader(header, rows) => parkplan::report::to_csv_with_header(header, rows),
    }
}
