//! Hourly profiles of electricity demand and PV output: read from a CSV beside
//! the park file, or generated from two parameters.

use std::f64::consts::PI;
use std::path::Path;

use super::{Profile, ProfileSource};

/// Hours in the (non-leap) year the profile stands for.
pub const HOURS_PER_YEAR: f64 = 8760.0;
/// Most rows accepted: one per hour of a leap year.
pub const MAX_ROWS: usize = 8784;

/// Largest profile CSV read: 8,784 rows of two numbers need far less.
pub const MAX_CSV_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a profile CSV. Errors name the file and the line.
pub fn read_csv(path: &Path, shown: &str) -> Result<Profile, String> {
    use std::io::Read;
    let cannot = |e: &dyn std::fmt::Display| {
        format!("cannot read the profile {shown} ({}): {e}", path.display())
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if !meta.is_file() {
        return Err(cannot(&"not a regular file"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CSV_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > MAX_CSV_BYTES {
        return Err(format!(
            "{shown}: more than {} MB; a profile is at most 8,784 rows of `load,pv`",
            MAX_CSV_BYTES / (1024 * 1024)
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => parse_csv(&text, shown),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            // Lines end with LF, CRLF or a lone CR (old Mac files).
            let ends = good
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && good.get(i + 1) != Some(&b'\n')))
                .count();
            let line = 1 + ends;
            Err(format!(
                "{shown} line {line}: not UTF-8 text; save the profile as UTF-8 (or plain ASCII) CSV"
            ))
        }
    }
}

/// Parses profile CSV text; `shown` names the file in messages.
pub fn parse_csv(text: &str, shown: &str) -> Result<Profile, String> {
    // Spreadsheets save "CSV UTF-8" with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Old Mac files end lines with a lone CR.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let Some((hline, header)) = lines.next() else {
        return Err(format!(
            "{shown}: empty; expected a header `load,pv` and 8,760 hourly rows (or 24 per representative day)"
        ));
    };
    let cols: Vec<String> = header
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    if cols != ["load", "pv"] {
        let mut shown_header: String = header.chars().take(40).collect();
        if header.chars().count() > 40 {
            shown_header.push('…');
        }
        return Err(format!(
            "{shown} line {hline}: header {shown_header:?}; expected exactly `load,pv`"
        ));
    }
    let mut load = Vec::new();
    let mut pv = Vec::new();
    for (line, row) in lines {
        if load.len() >= MAX_ROWS {
            return Err(format!(
                "{shown} line {line}: more than {MAX_ROWS} data rows; expected 8,760 (one per hour) or 24 per representative day"
            ));
        }
        let cells: Vec<&str> = row.split(',').map(str::trim).collect();
        if cells.len() != 2 {
            return Err(format!(
                "{shown} line {line}: {} values; expected 2 (load, pv)",
                cells.len()
            ));
        }
        for (cell, name, out) in [(cells[0], "load", &mut load), (cells[1], "pv", &mut pv)] {
            let v: f64 = cell.parse().map_err(|_| {
                format!("{shown} line {line}, column {name}: {cell:?} is not a number; expected a number >= 0")
            })?;
            if !v.is_finite() || v < 0.0 {
                return Err(format!(
                    "{shown} line {line}, column {name}: {cell} is not allowed; expected a finite number >= 0"
                ));
            }
            out.push(v);
        }
    }
    let n = load.len();
    if n == 0 || n % 24 != 0 {
        return Err(format!(
            "{shown}: {n} data rows; expected 8,760 (one per hour of the year) or a multiple of 24 (representative days)"
        ));
    }
    shares(load, pv, ProfileSource::File(shown.to_string())).map_err(|(col, sum)| {
        if sum == 0.0 {
            format!("{shown}: column {col} sums to 0; it needs at least one positive value")
        } else {
            format!(
                "{shown}: column {col} sums beyond the largest number; scale it down (only its shape is used)"
            )
        }
    })
}

/// Scales both columns to shares of their annual totals.
fn shares(
    mut load: Vec<f64>,
    mut pv: Vec<f64>,
    source: ProfileSource,
) -> Result<Profile, (&'static str, f64)> {
    for (col, name) in [(&mut load, "load"), (&mut pv, "pv")] {
        let sum: f64 = col.iter().sum();
        if !(sum > 0.0 && sum.is_finite()) {
            return Err((name, sum));
        }
        col.iter_mut().for_each(|v| *v /= sum);
    }
    let hours_per_row = HOURS_PER_YEAR / load.len() as f64;
    Ok(Profile {
        source,
        load,
        pv,
        hours_per_row,
    })
}

/// A generated year: load `day_load_factor` times higher from 08:00 to 20:00
/// than at night; PV a half sine from 06:00 to 18:00 whose daily amplitude
/// swings +-30 % over the year, peaking at the June solstice (day 172).
pub fn generate(day_load_factor: f64) -> Profile {
    let mut load = Vec::with_capacity(8760);
    let mut pv = Vec::with_capacity(8760);
    for day in 0..365 {
        let season = 1.0 + 0.3 * (2.0 * PI * (day as f64 - 171.0) / 365.0).cos();
        for hour in 0..24 {
            load.push(if (8..20).contains(&hour) {
                day_load_factor
            } else {
                1.0
            });
            let h = hour as f64 + 0.5;
            pv.push(if (6.0..18.0).contains(&h) {
                season * (PI * (h - 6.0) / 12.0).sin()
            } else {
                0.0
            });
        }
    }
    shares(load, pv, ProfileSource::Generated { day_load_factor })
        .expect("a positive day load factor gives positive sums")
}
