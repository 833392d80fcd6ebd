//! Pieces the views share: frames, placeholders, chart bounds and markers.

use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use parkplan::report::short;

use crate::app::{Analysis, App};

pub fn frame_block(app: &App, title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border_focused())
        .title(Span::styled(title, app.theme.title()))
}

/// The placeholder of an analysis that is not ready; `None` when it is.
pub fn pending<T>(app: &App, a: &Analysis<T>) -> Option<Line<'static>> {
    let t = &app.theme;
    match a {
        Analysis::Ready(_) => None,
        Analysis::Running => Some(Line::from(Span::styled("computing…", t.warn()))),
        Analysis::Idle => Some(Line::from(Span::styled("not computed yet", t.dim()))),
        Analysis::Failed(e) => Some(Line::from(Span::styled(format!("failed: {e}"), t.bad()))),
    }
}

/// (min, max) with 5 % padding, never empty.
pub fn span_of(values: impl Iterator<Item = f64>) -> [f64; 2] {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return [0.0, 1.0];
    }
    let pad = if hi > lo {
        (hi - lo) * 0.05
    } else {
        lo.abs().max(1.0) * 0.05
    };
    [lo - pad, hi + pad]
}

pub fn marker(app: &App) -> Marker {
    if app.chart_dots {
        Marker::Dot
    } else {
        Marker::Braille
    }
}

pub fn axis_labels(b: [f64; 2]) -> Vec<Line<'static>> {
    vec![Line::from(short(b[0])), Line::from(short(b[1]))]
}

/// Rows `text` takes when word-wrapped at `width` (as `Paragraph` wraps).
pub fn wrapped_rows(text: &str, width: u16) -> u16 {
    let w = width.max(1) as usize;
    let (mut rows, mut col) = (1usize, 0usize);
    for word in text.split(' ') {
        let n = word.chars().count();
        let need = if col == 0 { n } else { col + 1 + n };
        if need <= w {
            col = need;
        } else if n <= w {
            rows += 1;
            col = n;
        } else {
            // A word longer than the line is broken across rows.
            rows += usize::from(col > 0) + (n - 1) / w;
            col = (n - 1) % w + 1;
        }
    }
    rows as u16
}

/// A number in at most 7 characters: whole below 1,000, else three
/// significant digits with k, M, G, T, P or E. For a column too narrow for
/// the exact figure: the number is rounded, never cut.
pub fn compact(x: f64) -> String {
    let a = x.abs();
    let sign = if x < 0.0 && a >= 0.5 { "-" } else { "" };
    if a < 999.5 {
        return format!("{sign}{a:.0}");
    }
    const UNITS: [(f64, &str); 6] = [
        (1e18, "E"),
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
    ];
    let (u, s) = UNITS
        .iter()
        .copied()
        .find(|(u, _)| a >= *u * 0.9995)
        .unwrap_or((1e3, "k"));
    let v = a / u;
    let digits = if v >= 99.95 {
        0
    } else if v >= 9.995 {
        1
    } else {
        2
    };
    format!("{sign}{v:.digits$} {s}")
}

/// `exact` when it fits in `w` characters, else the compact form.
pub fn fit(exact: String, x: f64, w: usize) -> String {
    if exact.chars().count() <= w {
        exact
    } else {
        compact(x)
    }
}

/// The position indicator of a list: ` row 23 of 1,650 ` with `▲` when rows
/// are hidden above the visible `start..end` and `▼` when below. `selected`
/// past the rows (a totals row) reads `total`.
pub fn position(selected: usize, len: usize, start: usize, end: usize) -> String {
    let at = if selected >= len {
        "total".to_string()
    } else {
        format!(
            "row {} of {}",
            parkplan::report::group_thousands((selected + 1) as f64, 0),
            parkplan::report::group_thousands(len as f64, 0)
        )
    };
    let up = if start > 0 { " ▲" } else { "" };
    let down = if end < len { " ▼" } else { "" };
    format!(" {at}{up}{down} ")
}

/// How one chart series is drawn: the marker on the canvas and the glyph the
/// legend shows for it. Each series of a chart has its own glyph, so the
/// series are told apart without colour (NO_COLOR) and in dots mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub marker: Marker,
    pub glyph: &'static str,
}

/// The main series of a chart: a braille line, or `•` in dots mode.
pub fn main_look(app: &App) -> Look {
    if app.chart_dots {
        Look {
            marker: Marker::Dot,
            glyph: "•",
        }
    } else {
        Look {
            marker: Marker::Braille,
            glyph: "⠤⠤",
        }
    }
}

/// A second series (the GA's mean): `+` in both modes.
pub const SECOND_LOOK: Look = Look {
    marker: Marker::Custom('+'),
    glyph: "+",
};

/// A horizontal reference line (the exact optimum, the carbon price):
/// dashed, so that it is not read as a frame's border.
pub const LEVEL_LOOK: Look = Look {
    marker: Marker::Custom('╌'),
    glyph: "╌",
};

/// A vertical reference line (a tipping point, where the budget runs out).
pub const MARK_LOOK: Look = Look {
    marker: Marker::Custom('┆'),
    glyph: "┆",
};

/// The parameter's value now: a full block, seen on any screen.
pub const NOW_LOOK: Look = Look {
    marker: Marker::Block,
    glyph: "█",
};

/// A legend as one line: each series' glyph in its style, then its name.
/// Drawn in a frame's border (outside the data), never over the chart.
pub fn legend(items: &[(Look, ratatui::style::Style, String)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (k, (look, style, name)) in items.iter().enumerate() {
        spans.push(Span::raw(if k == 0 { " " } else { "  " }));
        spans.push(Span::styled(look.glyph, *style));
        spans.push(Span::raw(format!(" {name}")));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

/// A parameter value as a label: whole figures grouped below 10,000
/// (`1,200`), up to four significant digits for small ones (`0.08`, `151.7`),
/// and the compact form above (`12.3 k`). At most 9 characters, never `0` for
/// a value that is not zero.
pub fn value_label(x: f64) -> String {
    let a = x.abs();
    if !x.is_finite() {
        return "?".into();
    }
    if a >= 9999.5 {
        return compact(x);
    }
    if a >= 999.5 {
        return parkplan::report::group_thousands(x, 0);
    }
    if a == 0.0 {
        return "0".into();
    }
    if a < 1e-3 {
        return format!("{x:.1e}");
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{x:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A frame title from its parts, in order of importance: the parts that do
/// not fit in `width` are left off from the last, so no word or number is cut.
pub fn fit_title(parts: &[String], width: u16) -> String {
    let w = width.saturating_sub(2) as usize;
    let mut n = parts.len();
    loop {
        let t = format!(" {} ", parts[..n].join(" · "));
        if t.chars().count() <= w || n <= 1 {
            return t;
        }
        n -= 1;
    }
}

/// Where a list of things (tipping points) is: `tipping points 3-4 of 9 ▲ ▼`
/// with ▲ when some are above `start..end`, ▼ when some are below.
pub fn range_position(noun: &str, start: usize, end: usize, len: usize) -> String {
    let at = if end <= start + 1 {
        format!("{noun} {} of {len}", start + 1)
    } else {
        format!("{noun}s {}-{end} of {len}", start + 1)
    };
    let up = if start > 0 { " ▲" } else { "" };
    let down = if end < len { " ▼" } else { "" };
    format!("{at}{up}{down}")
}
/// Cuts text (a name, never a number) to `w` characters, marking the cut
/// with an ellipsis.
pub fn ellipsis(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
