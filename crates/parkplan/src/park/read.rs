//! A reader over a spanned TOML document that decodes and validates in one pass and
//! collects every problem instead of stopping at the first, as serde would.

use std::collections::BTreeSet;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::Problem;

type Spanned<T> = toml::Spanned<T>;

/// Allowed range for a number, with its unit for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub unit: &'static str,
    pub min: f64,
    /// Whether `min` itself is excluded (a strictly positive quantity).
    pub min_exclusive: bool,
    pub max: f64,
    pub integer: bool,
}

/// Largest magnitude accepted for any number: far beyond any real park, and
/// small enough that products of a few of them stay finite.
pub(crate) const HUGE: f64 = 1e15;

impl Rule {
    pub const fn non_negative(unit: &'static str) -> Rule {
        Rule {
            unit,
            min: 0.0,
            min_exclusive: false,
            max: HUGE,
            integer: false,
        }
    }
    pub const fn positive(unit: &'static str) -> Rule {
        Rule {
            unit,
            min: 0.0,
            min_exclusive: true,
            max: HUGE,
            integer: false,
        }
    }
    pub const fn range(unit: &'static str, min: f64, max: f64) -> Rule {
        Rule {
            unit,
            min,
            min_exclusive: false,
            max,
            integer: false,
        }
    }
    pub const fn integer(self) -> Rule {
        Rule {
            integer: true,
            ..self
        }
    }

    /// Describes what is allowed, e.g. "a number > 0 (CNY/t)".
    pub fn allowed(&self) -> String {
        let kind = if self.integer {
            "a whole number"
        } else {
            "a finite number"
        };
        let lo = if self.min == f64::NEG_INFINITY {
            None
        } else if self.min_exclusive {
            Some(format!("> {}", fmt_num(self.min)))
        } else {
            Some(format!(">= {}", fmt_num(self.min)))
        };
        let hi = (self.max != f64::INFINITY).then(|| format!("<= {}", fmt_num(self.max)));
        let bounds = match (lo, hi) {
            (Some(l), Some(h)) => format!(" {l} and {h}"),
            (Some(l), None) => format!(" {l}"),
            (None, Some(h)) => format!(" {h}"),
            (None, None) => String::new(),
        };
        let unit = if self.unit.is_empty() || self.unit == "-" {
            String::new()
        } else {
            format!(" ({})", self.unit)
        };
        format!("{kind}{bounds}{unit}")
    }

    /// Checks a value; returns the reason it is refused.
    pub fn check(&self, v: f64) -> Result<(), String> {
        let ok = v.is_finite()
            && (if self.min_exclusive {
                v > self.min
            } else {
                v >= self.min
            })
            && v <= self.max
            && (!self.integer || v.fract() == 0.0);
        if ok {
            Ok(())
        } else {
            Err(format!("must be {}, found {}", self.allowed(), fmt_num(v)))
        }
    }
}

pub(crate) use crate::number::exact as fmt_num;

/// Maps byte offsets to 1-based line and column (in characters).
pub(crate) struct Source<'s> {
    text: &'s str,
    line_starts: Vec<usize>,
}

impl<'s> Source<'s> {
    pub fn new(text: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source { text, line_starts }
    }
    /// The whole text.
    pub fn text(&self) -> &'s str {
        self.text
    }
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// Collects problems while decoding.
pub(crate) struct Reader<'s> {
    pub source: Source<'s>,
    pub problems: Vec<Problem>,
    /// Every key the decoder asked for, as a dotted path without indices
    /// (`region.ccu.max_kt_per_yr`): what the format accepts, for the docs test.
    pub accepted: BTreeSet<String>,
}

impl<'s> Reader<'s> {
    pub fn new(text: &'s str) -> Self {
        Reader {
            source: Source::new(text),
            problems: Vec::new(),
            accepted: BTreeSet::new(),
        }
    }

    pub fn problem(&mut self, span: &Range<usize>, key: &str, message: impl Into<String>) {
        let (line, column) = self.source.line_col(span.start);
        self.problems.push(Problem {
            line,
            column,
            key: key.to_string(),
            message: message.into(),
        });
    }
}

/// One TOML table being decoded: remembers which keys were asked for, so that
/// `finish` can report the others as unknown together with the allowed set.
pub(crate) struct Table<'t, 'i> {
    pub path: String,
    pub span: Range<usize>,
    table: &'t DeTable<'i>,
    known: BTreeSet<&'static str>,
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn new(path: impl Into<String>, span: Range<usize>, table: &'t DeTable<'i>) -> Self {
        Table {
            path: path.into(),
            span,
            table,
            known: BTreeSet::new(),
        }
    }

    pub fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{}", self.path, key)
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.known.insert(key);
        self.table.get(key)
    }

    /// The table itself, for readers of free-form keys (`[uncertainty]`).
    pub fn raw(&self) -> &'t DeTable<'i> {
        self.table
    }

    /// Span of a key's value, if present (does not mark it known).
    pub fn span_of(&self, key: &str) -> Option<Range<usize>> {
        self.table.get(key).map(|v| v.span())
    }

    /// Whether the key is present (and marks it known).
    pub fn has(&mut self, key: &'static str) -> bool {
        self.get(key).is_some()
    }

    /// A required number.
    pub fn num(&mut self, r: &mut Reader, key: &'static str, rule: Rule) -> Option<f64> {
        match self.opt_num(r, key, rule) {
            Some(v) => v,
            None => {
                let span = self.span.clone();
                r.problem(
                    &span,
                    &self.key_path(key),
                    format!("missing; expected {}", rule.allowed()),
                );
                None
            }
        }
    }

    /// An optional number: `None` if absent, `Some(None)` if present but invalid.
    pub fn opt_num(
        &mut self,
        r: &mut Reader,
        key: &'static str,
        rule: Rule,
    ) -> Option<Option<f64>> {
        let v = self.get(key)?;
        let path = self.key_path(key);
        Some(number(r, v, &path, rule))
    }

    /// A number under a free-form key (`[land]` group names), not marked known.
    pub fn free_num(&self, r: &mut Reader, key: &str, rule: Rule) -> Option<Option<f64>> {
        let v = self.table.get(key)?;
        Some(number(r, v, &self.key_path(key), rule))
    }

    /// A required string.
    pub fn string(&mut self, r: &mut Reader, key: &'static str) -> Option<String> {
        match self.opt_string(r, key) {
            Some(v) => v,
            None => {
                let span = self.span.clone();
                r.problem(&span, &self.key_path(key), "missing; expected a string");
                None
            }
        }
    }

    pub fn opt_string(&mut self, r: &mut Reader, key: &'static str) -> Option<Option<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Some(s.to_string())),
            other => {
                r.problem(
                    &v.span(),
                    &self.key_path(key),
                    format!("expected a string, found {}", other.type_str()),
                );
                Some(None)
            }
        }
    }

    /// A string that must be one of `allowed`.
    pub fn choice(
        &mut self,
        r: &mut Reader,
        key: &'static str,
        allowed: &[&'static str],
    ) -> Option<(&'static str, Range<usize>)> {
        let v = self.get(key);
        let Some(v) = v else {
            let span = self.span.clone();
            r.problem(
                &span,
                &self.key_path(key),
                format!("missing; expected one of {}", quoted(allowed)),
            );
            return None;
        };
        let found = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            other => other.type_str().to_string(),
        };
        match allowed.iter().find(|a| **a == found) {
            Some(a) => Some((a, v.span())),
            None => {
                r.problem(
                    &v.span(),
                    &self.key_path(key),
                    format!("expected one of {}, found {found:?}", quoted(allowed)),
                );
                None
            }
        }
    }

    /// A sub-table (`[a.b]` or inline). `None` if absent or not a table (reported).
    pub fn table(&mut self, r: &mut Reader, key: &'static str) -> Option<Table<'t, 'i>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Table::new(self.key_path(key), v.span(), t)),
            other => {
                r.problem(
                    &v.span(),
                    &self.key_path(key),
                    format!("expected a table, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// An array of tables (`[[a.b]]`); empty if absent.
    pub fn tables(&mut self, r: &mut Reader, key: &'static str) -> Vec<Table<'t, 'i>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let path = self.key_path(key);
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| match item.get_ref() {
                    DeValue::Table(t) => Some(Table::new(format!("{path}[{i}]"), item.span(), t)),
                    other => {
                        r.problem(
                            &item.span(),
                            &path,
                            format!("expected a table, found {}", other.type_str()),
                        );
                        None
                    }
                })
                .collect(),
            other => {
                r.problem(
                    &v.span(),
                    &path,
                    format!("expected an array of tables, found {}", other.type_str()),
                );
                Vec::new()
            }
        }
    }

    /// An array of whole numbers.
    pub fn opt_ints(
        &mut self,
        r: &mut Reader,
        key: &'static str,
    ) -> Option<Vec<(i64, Range<usize>)>> {
        let v = self.get(key)?;
        let path = self.key_path(key);
        let DeValue::Array(items) = v.get_ref() else {
            r.problem(&v.span(), &path, "expected an array of whole numbers");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                    Ok(x) => out.push((x, item.span())),
                    Err(_) => r.problem(&item.span(), &path, "whole number out of range"),
                },
                other => r.problem(
                    &item.span(),
                    &path,
                    format!("expected a whole number, found {}", other.type_str()),
                ),
            }
        }
        Some(out)
    }

    /// Reports every key that was never asked for, listing the allowed ones.
    pub fn finish(self, r: &mut Reader) {
        let mut pattern = String::new();
        let mut depth = 0;
        for ch in self.path.chars() {
            match ch {
                '[' => depth += 1,
                ']' => depth -= 1,
                c if depth == 0 => pattern.push(c),
                _ => {}
            }
        }
        for k in &self.known {
            r.accepted.insert(if pattern.is_empty() {
                k.to_string()
            } else {
                format!("{pattern}.{k}")
            });
        }
        for (k, v) in self.table.iter() {
            if !self.known.contains(k.get_ref().as_ref()) {
                let allowed: Vec<&str> = self.known.iter().copied().collect();
                r.problem(
                    &k.span(),
                    &self.key_path(k.get_ref()),
                    format!("unknown key; allowed here: {}", allowed.join(", ")),
                );
                let _ = v;
            }
        }
    }
}

pub(crate) fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'t, 'i> Table<'t, 'i> {
    /// An optional array of strings, each with its span.
    pub fn opt_strings(
        &mut self,
        r: &mut Reader,
        key: &'static str,
    ) -> Option<Vec<(String, Range<usize>)>> {
        let v = self.get(key)?;
        let path = self.key_path(key);
        let DeValue::Array(items) = v.get_ref() else {
            r.problem(&v.span(), &path, "expected an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), item.span())),
                other => r.problem(
                    &item.span(),
                    &path,
                    format!("expected a string, found {}", other.type_str()),
                ),
            }
        }
        Some(out)
    }
}

/// A number value checked against `rule`; `None` (reported) if it is not one.
fn number(r: &mut Reader, v: &Spanned<DeValue<'_>>, path: &str, rule: Rule) -> Option<f64> {
    let span = v.span();
    let path = path.to_string();
    let parsed = match v.get_ref() {
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .ok()
            .map(|x| x as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        other => {
            r.problem(
                &span,
                &path,
                format!("expected {}, found {}", rule.allowed(), other.type_str()),
            );
            return None;
        }
    };
    let Some(x) = parsed else {
        r.problem(
            &span,
            &path,
            format!(
                "whole number out of range; write it as a float if you mean it; expected {}",
                rule.allowed()
            ),
        );
        return None;
    };
    match rule.check(x) {
        Ok(()) => Some(x),
        Err(msg) => {
            r.problem(&span, &path, msg);
            None
        }
    }
}
