//! The one text-table writer: columns aligned to their widest cell, an
//! optional rule under the header, full-width lines between rows. Name
//! columns marked `shrink` are cut (with `…`) only when a width to fit is
//! given (a terminal); written to a file or a pipe nothing is cut, and numbers
//! never are.

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
struct Column {
    head: String,
    align: Align,
    shrink: bool,
}

#[derive(Debug, Clone)]
enum Row {
    Cells(Vec<String>),
    /// Dashes under every column.
    Rule,
    /// A line of its own across the table, e.g. "---- budget line ----".
    Line(String),
}

/// A table built row by row, written by [`Table::render`].
#[derive(Debug, Clone, Default)]
pub struct Table {
    columns: Vec<Column>,
    rows: Vec<Row>,
    indent: String,
    header: bool,
    rule_under_header: bool,
}

impl Table {
    /// A table with a header line and a rule under it.
    pub fn new() -> Table {
        Table {
            header: true,
            rule_under_header: true,
            ..Table::default()
        }
    }

    /// A column; `shrink` marks a name that may be cut to fit a terminal.
    pub fn column(mut self, head: impl Into<String>, align: Align, shrink: bool) -> Table {
        self.columns.push(Column {
            head: head.into(),
            align,
            shrink,
        });
        self
    }

    /// Each line starts with `indent` (a table inside a section).
    pub fn indent(mut self, indent: &str) -> Table {
        self.indent = indent.to_string();
        self
    }

    /// No rule under the header.
    pub fn no_rule(mut self) -> Table {
        self.rule_under_header = false;
        self
    }

    /// No header line at all (label-value lists).
    pub fn no_header(mut self) -> Table {
        self.header = false;
        self.rule_under_header = false;
        self
    }

    /// A row of cells, one per column (missing ones empty).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(Row::Cells(cells));
    }

    /// A rule of dashes under every column.
    pub fn rule(&mut self) {
        self.rows.push(Row::Rule);
    }

    /// A line across the table, centred in dashes: `---- text ----`.
    pub fn line(&mut self, text: &str) {
        self.rows.push(Row::Line(text.to_string()));
    }

    /// The column widths: the widest cell, and, given a width to fit, the
    /// shrinkable columns narrowed (never below their header) until it fits.
    fn widths(&self, fit: Option<usize>) -> Vec<usize> {
        let len = |s: &str| s.chars().count();
        let mut w: Vec<usize> = self
            .columns
            .iter()
            .map(|c| if self.header { len(&c.head) } else { 0 })
            .collect();
        for r in &self.rows {
            if let Row::Cells(cells) = r {
                for (w, c) in w.iter_mut().zip(cells) {
                    *w = (*w).max(len(c));
                }
            }
        }
        if let Some(fit) = fit {
            let total = |w: &[usize]| {
                len(&self.indent) + w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1)
            };
            let mut over = total(&w).saturating_sub(fit);
            // The widest shrinkable column first, a character at a time.
            while over > 0 {
                let pick = (0..w.len())
                    .filter(|&i| self.columns[i].shrink && w[i] > len(&self.columns[i].head).max(8))
                    .max_by_key(|&i| w[i]);
                let Some(i) = pick else { break };
                w[i] -= 1;
                over -= 1;
            }
        }
        w
    }

    /// The table as text; `fit` is the terminal's width, `None` for a file or a
    /// pipe (nothing cut).
    pub fn render(&self, fit: Option<usize>) -> String {
        let widths = self.widths(fit);
        let mut out = String::new();
        let line = |out: &mut String, cells: &[String]| {
            let mut l = self.indent.clone();
            for (k, w) in widths.iter().enumerate() {
                let c = cells.get(k).map_or("", String::as_str);
                let c = cut(c, *w);
                if k > 0 {
                    l += "  ";
                }
                match self.columns[k].align {
                    Align::Left => l += &format!("{c:<w$}"),
                    Align::Right => l += &format!("{c:>w$}"),
                }
            }
            *out += l.trim_end();
            *out += "\n";
        };
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        if self.header {
            let heads: Vec<String> = self.columns.iter().map(|c| c.head.clone()).collect();
            line(&mut out, &heads);
            if self.rule_under_header {
                line(&mut out, &rule);
            }
        }
        let full = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        for r in &self.rows {
            match r {
                Row::Cells(c) => line(&mut out, c),
                Row::Rule => line(&mut out, &rule),
                Row::Line(text) => {
                    let l = format!("{}{:-^full$}", self.indent, format!(" {text} "));
                    line_raw(&mut out, &l);
                }
            }
        }
        out
    }
}

fn line_raw(out: &mut String, l: &str) {
    *out += l.trim_end();
    *out += "\n";
}

/// `s` cut to `w` characters, the last one `…` when cut.
fn cut(s: &str, w: usize) -> std::borrow::Cow<'_, str> {
    if s.chars().count() <= w {
        std::borrow::Cow::Borrowed(s)
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        std::borrow::Cow::Owned(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t =
            Table::new()
                .column("name", Align::Left, true)
                .column("t/yr", Align::Right, false);
        t.row(vec![
            "Absorption chiller, single-effect".into(),
            "1,234".into(),
        ]);
        t.row(vec!["PV".into(), "5".into()]);
        t
    }

    #[test]
    fn aligned_and_whole_without_a_width() {
        let text = sample().render(None);
        let want = "\
name                                t/yr
---------------------------------  -----
Absorption chiller, single-effect  1,234
PV                                     5
";
        assert_eq!(text, want);
    }

    #[test]
    fn a_terminal_width_cuts_names_but_never_numbers() {
        // 40 columns wide; to fit 20 the name loses 20 characters: 13 left,
        // 12 of the name and the ellipsis.
        let text = sample().render(Some(20));
        let want = "\
name            t/yr
-------------  -----
Absorption c…  1,234
PV                 5
";
        assert_eq!(text, want);
    }
}
