//! Saving an edited scenario by changing only the edited values in the park
//! file's own text, so that the planner's comments (the source of every
//! number), key order and spelling, and blank lines survive a save from the
//! console. [`super::to_toml`] is the fallback for what cannot be written so.

use std::path::Path;

use toml_edit::{Decor, DocumentMut, InlineTable, Item, Key, Table, Value};

use super::params::{PARAMS, SOLVER_PARAMS, param};
use super::{Annualization, Economics, Park, SolverSettings, Strategy};

/// What the comment of an edited value says after its unit.
const EDITED: &str = "edited in the parkplan console";

/// Why a scenario cannot be saved by editing its park file in place; the caller
/// then writes the whole park with [`super::to_toml`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The source text does not read as a park.
    #[error("the source text is not a valid park file: {0}")]
    InvalidSource(String),
    /// The source text reads as a park that differs from `original` in more
    /// than editable values.
    #[error("the source text does not describe the original park: it differs by {0}")]
    SourceMismatch(String),
    /// `edited` differs from `original` in more than editable values.
    #[error("{0} cannot be written by editing the park file in place")]
    Unsupported(String),
    /// The file is written in a form this editor does not change.
    #[error("the park file cannot be edited in place: {0}")]
    Layout(String),
    /// The edited text would not read back as `edited` (e.g. a value out of range).
    #[error("the edited park file would not read back as the edited park: {0}")]
    ReadBack(String),
}

/// `source_text` with only the values that differ between the file and
/// `edited` changed: `[economics]` parameters (switching between
/// `discount_rate` and `alpha` in place if needed), `[solver]` settings
/// (inserting the key, or the table after `[economics]`, if missing) and region
/// caps (in the unit the file used for that slot). Every other byte is kept;
/// each changed value gets the comment `# [unit] edited in the parkplan console
/// (was OLD)`. Numbers are written so that they read back exactly.
///
/// `original` is the park as loaded from `source_text` (values the caller
/// applied on top of the file, such as `--set`, are written as well, so that
/// the result always reads back as `edited`). Any other difference (park name
/// or notes, catalogue, regions other than their caps) is an [`EditError`], as
/// is a result that would not read back as `edited`.
pub fn updated_toml(
    source_text: &str,
    original: &Park,
    edited: &Park,
) -> Result<String, EditError> {
    keeping_bom(source_text, |text| {
        updated_toml_text(text, original, edited)
    })
}

/// Runs `edit` on `text` without its UTF-8 byte-order mark, if it has one,
/// and puts the mark back: toml_edit drops it, and a file saved by Windows
/// tools often has one (its comments were lost to the full-rewrite fallback).
fn keeping_bom(
    text: &str,
    edit: impl FnOnce(&str) -> Result<String, EditError>,
) -> Result<String, EditError> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => edit(rest).map(|out| format!("\u{feff}{out}")),
        None => edit(text),
    }
}

fn updated_toml_text(
    source_text: &str,
    original: &Park,
    edited: &Park,
) -> Result<String, EditError> {
    if let Some(what) = structural_difference(original, edited) {
        return Err(EditError::Unsupported(what));
    }
    // The structure only: a profile CSV beside the file need not be readable
    // from here.
    let base = Park::from_toml_structure(source_text, "source").map_err(|e| {
        EditError::InvalidSource(match e.problems.first() {
            Some(p) => format!("line {}: {} {}", p.line, p.key, p.message),
            None => e.to_string(),
        })
    })?;
    if let Some(what) = structural_difference(&base, original) {
        return Err(EditError::SourceMismatch(what));
    }
    if base.economics == edited.economics
        && base.solver == edited.solver
        && base.regions == edited.regions
        && same_energy_values(&base, edited)
    {
        return Ok(source_text.to_string());
    }
    // toml_edit writes line ends as LF: edit a file with CRLF line ends as LF
    // and put the CRLFs back.
    let crlf = source_text.contains("\r\n") && !source_text.replace("\r\n", "").contains('\n');
    let lf_text = if crlf {
        source_text.replace("\r\n", "\n")
    } else {
        source_text.to_string()
    };
    let mut doc: DocumentMut = lf_text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Layout(e.message().to_string()))?;
    if doc.to_string() != lf_text {
        return Err(EditError::Layout(
            "toml_edit does not reproduce it byte for byte".into(),
        ));
    }
    edit_economics(&mut doc, &base.economics, &edited.economics)?;
    edit_solver(&mut doc, &base.solver, &edited.solver)?;
    edit_caps(&mut doc, &base, edited)?;
    edit_energy(&mut doc, &base, edited)?;
    let mut text = doc.to_string();
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    match Park::from_toml_structure(&text, "edited") {
        Ok(back)
            if back.economics == edited.economics
                && back.solver == edited.solver
                && back.regions == edited.regions
                && same_energy_values(&back, edited) =>
        {
            Ok(text)
        }
        Ok(_) => Err(EditError::ReadBack("its values differ".into())),
        Err(e) => Err(EditError::ReadBack(match e.problems.first() {
            Some(p) => format!("{} {}", p.key, p.message),
            None => e.to_string(),
        })),
    }
}

/// What differs between `a` and `b` apart from economics, solver settings and
/// region caps, in words; `None` if nothing.
fn structural_difference(a: &Park, b: &Park) -> Option<String> {
    if a.name != b.name {
        return Some("a change of the park name".into());
    }
    if a.notes != b.notes {
        return Some("a change of the park notes".into());
    }
    if a.scenarios != b.scenarios {
        return Some("a change of the scenarios".into());
    }
    match (&a.energy, &b.energy) {
        (Some(x), Some(y)) if x.profile.source != y.profile.source => {
            return Some("a change of the hourly profile".into());
        }
        (Some(_), None) | (None, Some(_)) => {
            return Some("adding or removing the [energy] table".into());
        }
        _ => {}
    }
    if a.catalogue != b.catalogue {
        return Some("a change of the technology catalogue".into());
    }
    if a.regions.len() != b.regions.len() {
        return Some(format!(
            "a change of the number of regions ({} to {})",
            a.regions.len(),
            b.regions.len()
        ));
    }
    for (k, (ra, rb)) in a.regions.iter().zip(&b.regions).enumerate() {
        let which = format!("region {} (id {})", k + 1, ra.id);
        if ra.id != rb.id {
            return Some(format!("a change of the id of {which}"));
        }
        if ra.name != rb.name {
            return Some(format!("a change of the name of {which}"));
        }
        if ra.land != rb.land {
            return Some(format!("a change of the land of {which}"));
        }
        let strategies = |r: &super::Region| r.slots.iter().map(|s| s.strategy).collect::<Vec<_>>();
        if strategies(ra) != strategies(rb) {
            return Some(format!("a change of the strategies allowed in {which}"));
        }
        for (sa, sb) in ra.slots.iter().zip(&rb.slots) {
            if sa.min != sb.min {
                return Some(format!(
                    "a change of the {} minimum in {which}",
                    sa.strategy
                ));
            }
            if sa.techs != sb.techs {
                return Some(format!(
                    "a change of the {} technologies allowed in {which}",
                    sa.strategy
                ));
            }
        }
    }
    None
}

/// A number to write: whole counts or reals.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Num {
    Int(u64),
    Real(f64),
}

impl Num {
    /// TOML text that reads back as exactly this number; digits grouped by `_`
    /// when the value it replaces was written so.
    fn text(self, was: &str) -> Result<String, EditError> {
        let plain = match self {
            Num::Int(n) => n.to_string(),
            Num::Real(v) => real(v).ok_or_else(|| {
                EditError::Unsupported(format!("the value {v}, not a finite number,"))
            })?,
        };
        Ok(if was.contains('_') {
            grouped(&plain)
        } else {
            plain
        })
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::Int(n) => write!(f, "{n}"),
            Num::Real(v) => f.write_str(&real(*v).unwrap_or_else(|| v.to_string())),
        }
    }
}

/// TOML text of a finite f64 that parses to the same bits: whole values as
/// integers, others in the shortest form that round-trips.
fn real(v: f64) -> Option<String> {
    if !v.is_finite() {
        None
    } else if v == 0.0 && v.is_sign_negative() {
        Some("-0.0".into())
    } else if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Some(format!("{}", v as i64))
    } else {
        // Debug prints the shortest digits that read back as the same f64,
        // with an exponent for very large or small values (valid TOML floats).
        Some(format!("{v:?}"))
    }
}

/// `1234567` as `1_234_567`; other text unchanged.
fn grouped(plain: &str) -> String {
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", plain),
    };
    if digits.len() <= 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return plain.to_string();
    }
    let mut out = String::from(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}

/// The comment of an edited value.
fn note(unit: &str, was: &str) -> String {
    format!("# [{unit}] {EDITED} (was {was})")
}

/// The decor suffix (spaces and comment after a value) with `comment` in place
/// of the old comment, kept at the same column if the line grew by `grow`
/// characters and there is room.
fn noted(old_suffix: &str, grow: isize, comment: &str) -> String {
    let rest = old_suffix.trim_start_matches([' ', '\t']);
    let ws = (old_suffix.len() - rest.len()) as isize;
    let pad = if rest.starts_with('#') {
        (ws - grow).max(1)
    } else {
        2
    };
    format!("{}{}", " ".repeat(pad as usize), with_source(rest, comment))
}

/// The edited value's comment keeping the source the old comment gave:
/// `# [CNY] paper section 4.2 (20 million CNY); edited in the parkplan console
/// (was 20_000_000)`. The old unit goes (the new comment states the unit the
/// value is written in) and so does an earlier save's note (this one says what
/// the value was), so the source of a number survives any number of saves.
fn with_source(old: &str, comment: &str) -> String {
    let Some(body) = old.strip_prefix('#') else {
        return comment.to_string();
    };
    let body = body.trim();
    let body = match body.strip_prefix('[').and_then(|b| b.split_once(']')) {
        Some((_, rest)) => rest.trim(),
        None => body,
    };
    let source = match body.find(EDITED) {
        Some(i) => body[..i].trim_end().trim_end_matches(';').trim_end(),
        None => body,
    };
    match comment.split_once("] ") {
        Some((unit, note)) if !source.is_empty() => format!("{unit}] {source}; {note}"),
        _ => comment.to_string(),
    }
}

fn suffix_of(decor: &Decor) -> &str {
    decor.suffix().and_then(|s| s.as_str()).unwrap_or("")
}

fn width(s: &str) -> isize {
    s.chars().count() as isize
}

/// The text of a number as written in the file.
fn written(v: &Value) -> Option<String> {
    match v {
        Value::Integer(f) => Some(f.display_repr().into_owned()),
        Value::Float(f) => Some(f.display_repr().into_owned()),
        _ => None,
    }
}

/// A value parsed from number text, with `decor`.
fn number_value(text: &str, decor: Decor) -> Result<Value, EditError> {
    let mut v: Value = text
        .parse()
        .map_err(|_| EditError::Layout(format!("cannot write the number {text}")))?;
    *v.decor_mut() = decor;
    Ok(v)
}

/// Key-value tables, standard or inline, seen the same way.
trait Entries {
    fn keys(&self) -> Vec<String>;
    fn value_mut(&mut self, key: &str) -> Option<&mut Value>;
    fn key_of(&self, key: &str) -> Option<Key>;
    fn take(&mut self, key: &str) -> Option<(Key, Item)>;
    fn put(&mut self, key: &Key, item: Item);
}

impl Entries for Table {
    fn keys(&self) -> Vec<String> {
        self.iter().map(|(k, _)| k.to_string()).collect()
    }
    fn value_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.get_mut(key).and_then(Item::as_value_mut)
    }
    fn key_of(&self, key: &str) -> Option<Key> {
        self.key(key).cloned()
    }
    fn take(&mut self, key: &str) -> Option<(Key, Item)> {
        self.remove_entry(key)
    }
    fn put(&mut self, key: &Key, item: Item) {
        self.insert_formatted(key, item);
    }
}

impl Entries for InlineTable {
    fn keys(&self) -> Vec<String> {
        self.iter().map(|(k, _)| k.to_string()).collect()
    }
    fn value_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.get_mut(key)
    }
    fn key_of(&self, key: &str) -> Option<Key> {
        self.key(key).cloned()
    }
    fn take(&mut self, key: &str) -> Option<(Key, Item)> {
        self.remove_entry(key).map(|(k, v)| (k, Item::Value(v)))
    }
    fn put(&mut self, key: &Key, item: Item) {
        if let Item::Value(v) = item {
            self.insert_formatted(key, v);
        }
    }
}

/// An edited number: what the comment of its line must say.
struct Edited {
    /// How many characters longer the line became.
    grow: isize,
    comment: String,
    /// The key now holding the value (differs from the old one on a switch of unit).
    key: String,
}

/// Sets `key` to `new`, keeping its spacing; the caller writes the comment.
fn set_number(t: &mut impl Entries, key: &str, new: Num, unit: &str) -> Result<Edited, EditError> {
    let v = t
        .value_mut(key)
        .ok_or_else(|| EditError::Layout(format!("{key} is not a plain value")))?;
    let was = written(v).ok_or_else(|| EditError::Layout(format!("{key} is not a number")))?;
    let text = new.text(&was)?;
    *v = number_value(&text, v.decor().clone())?;
    Ok(Edited {
        grow: width(&text) - width(&was),
        comment: note(unit, &was),
        key: key.to_string(),
    })
}

/// Replaces the number at `old_key` by `new_key = new` at the same place,
/// keeping the spacing; the caller writes the comment.
fn switch_key(
    t: &mut impl Entries,
    old_key: &str,
    new_key: &str,
    new: Num,
    unit: &str,
) -> Result<Edited, EditError> {
    let layout = || EditError::Layout(format!("{old_key} is not a plain number"));
    let old = t.key_of(old_key).ok_or_else(layout)?;
    let v = t.value_mut(old_key).ok_or_else(layout)?;
    let was = written(v).ok_or_else(layout)?;
    let text = new.text("")?;
    let value = number_value(&text, v.decor().clone())?;
    let key = Key::new(new_key)
        .with_leaf_decor(old.leaf_decor().clone())
        .with_dotted_decor(old.dotted_decor().clone());
    let grow = width(&key.display_repr()) + width(&text) - width(&old.display_repr()) - width(&was);
    // Remove the entries from `old_key` on and put them back after the new
    // one, so that the new key takes the old one's place in the file.
    let keys = t.keys();
    let at = keys.iter().position(|k| k == old_key).ok_or_else(layout)?;
    let tail: Vec<(Key, Item)> = keys[at + 1..].iter().filter_map(|k| t.take(k)).collect();
    t.take(old_key);
    t.put(&key, Item::Value(value));
    for (k, item) in tail {
        t.put(&k, item);
    }
    Ok(Edited {
        grow,
        comment: note(unit, &format!("{} = {was}", old.display_repr())),
        key: new_key.to_string(),
    })
}

/// Writes `edit`'s comment on the value at `edit.key` of a standard table.
fn comment_value(t: &mut Table, edit: &Edited) {
    if let Some(v) = t.value_mut(&edit.key) {
        let suffix = noted(suffix_of(v.decor()), edit.grow, &edit.comment);
        v.decor_mut().set_suffix(suffix);
    }
}

/// The standard table `[key]` (or dotted `key.x = ...` keys) of the document.
fn standard_table<'d>(doc: &'d mut DocumentMut, key: &str) -> Result<&'d mut Table, EditError> {
    match doc.get_mut(key) {
        Some(Item::Table(t)) => Ok(t),
        Some(_) => Err(EditError::Layout(format!(
            "[{key}] is not written as a table of its own"
        ))),
        None => Err(EditError::Layout(format!("there is no [{key}] table"))),
    }
}

/// Whether the `[energy]` prices and demands agree (the profile is not
/// edited, and is not read when editing).
fn same_energy_values(a: &Park, b: &Park) -> bool {
    match (&a.energy, &b.energy) {
        (None, None) => true,
        (Some(x), Some(y)) => super::ENERGY_PARAMS
            .iter()
            .all(|p| same_value(p.get(x), p.get(y))),
        _ => false,
    }
}

/// Equal, or both unset (an optional key reads NaN).
fn same_value(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

/// The `[energy]` prices and demands that changed.
fn edit_energy(doc: &mut DocumentMut, old: &Park, new: &Park) -> Result<(), EditError> {
    let (Some(o), Some(n)) = (&old.energy, &new.energy) else {
        return Ok(());
    };
    if same_energy_values(old, new) {
        return Ok(());
    }
    let t = standard_table(doc, "energy")?;
    for p in super::ENERGY_PARAMS {
        let v = p.get(n);
        if v.is_finite() && !same_value(p.get(o), v) {
            if p.optional() && t.get(p.key).is_none() {
                // An optional key the file left out (export_price): added at
                // the end of `[energy]`'s values.
                let text = Num::Real(v).text("")?;
                let decor = Decor::new(" ", format!("  {}", note(p.unit, "unset")));
                t.insert(p.key, Item::Value(number_value(&text, decor)?));
                continue;
            }
            let e = set_number(t, p.key, Num::Real(v), p.unit)?;
            comment_value(t, &e);
        }
    }
    Ok(())
}

fn edit_economics(
    doc: &mut DocumentMut,
    old: &Economics,
    new: &Economics,
) -> Result<(), EditError> {
    if old == new {
        return Ok(());
    }
    let t = standard_table(doc, "economics")?;
    for p in PARAMS {
        if matches!(p.key, "discount_rate" | "alpha") {
            continue;
        }
        let v = p.get(new);
        if p.get(old) != v {
            let e = set_number(t, p.key, Num::Real(v), p.unit)?;
            comment_value(t, &e);
        }
    }
    let unit = |key| param(key).map_or("1/yr", |p| p.unit);
    use Annualization::{Crf, Fixed};
    let edit = match (old.annualization, new.annualization) {
        (a, b) if a == b => None,
        (Crf { .. }, Crf { rate }) => Some(set_number(
            t,
            "discount_rate",
            Num::Real(rate),
            unit("discount_rate"),
        )?),
        (Fixed { .. }, Fixed { alpha }) => {
            Some(set_number(t, "alpha", Num::Real(alpha), unit("alpha"))?)
        }
        (Crf { .. }, Fixed { alpha }) => Some(switch_key(
            t,
            "discount_rate",
            "alpha",
            Num::Real(alpha),
            unit("alpha"),
        )?),
        (Fixed { .. }, Crf { rate }) => Some(switch_key(
            t,
            "alpha",
            "discount_rate",
            Num::Real(rate),
            unit("discount_rate"),
        )?),
    };
    if let Some(e) = edit {
        comment_value(t, &e);
    }
    Ok(())
}

/// The `[solver]` keys with their units and values, from [`SOLVER_PARAMS`].
fn solver_values(s: &SolverSettings) -> Vec<(&'static str, &'static str, Num)> {
    SOLVER_PARAMS
        .iter()
        .map(|p| {
            let v = p.get(s);
            let n = if p.integer() {
                Num::Int(v as u64)
            } else {
                Num::Real(v)
            };
            (p.key, p.unit, n)
        })
        .collect()
}

fn edit_solver(
    doc: &mut DocumentMut,
    old: &SolverSettings,
    new: &SolverSettings,
) -> Result<(), EditError> {
    if old == new {
        return Ok(());
    }
    let changed: Vec<_> = solver_values(old)
        .into_iter()
        .zip(solver_values(new))
        .filter(|(a, b)| a.2 != b.2)
        .map(|((key, unit, was), (_, _, now))| (key, unit, was, now))
        .collect();
    let unset = |was: Num| format!("unset, default {was}");
    if doc.get("solver").is_none() {
        // A new [solver] table right after [economics], holding only the
        // settings that differ from the defaults.
        let position = doc
            .get("economics")
            .and_then(Item::as_table)
            .and_then(Table::position);
        let mut t = Table::new();
        t.decor_mut().set_prefix("\n");
        t.set_position(position);
        for (key, unit, was, now) in changed {
            append(&mut t, key, &now.text("")?, note(unit, &unset(was)));
        }
        doc.insert("solver", Item::Table(t));
        return Ok(());
    }
    let t = standard_table(doc, "solver")?;
    for (key, unit, was, now) in changed {
        if t.contains_key(key) {
            let e = set_number(t, key, now, unit)?;
            comment_value(t, &e);
        } else {
            append(t, key, &now.text("")?, note(unit, &unset(was)));
        }
    }
    Ok(())
}

/// Appends `key = text  comment` to a standard table, indented like its last
/// key and with the comment at the column of the last commented number.
fn append(t: &mut Table, key: &str, text: &str, comment: String) {
    let mut indent = String::new();
    let mut column = None;
    for (k, item) in t.iter() {
        let Some(key_decor) = t.key(k).map(|k| k.leaf_decor().clone()) else {
            continue;
        };
        let prefix = key_decor.prefix().and_then(|p| p.as_str()).unwrap_or("");
        let line_start = prefix.rsplit('\n').next().unwrap_or("");
        if line_start.chars().all(|c| c == ' ' || c == '\t') {
            indent = line_start.to_string();
        }
        let Some(v) = item.as_value() else { continue };
        let (Some(repr), Some(k)) = (written(v), t.key(k)) else {
            continue;
        };
        let suffix = suffix_of(v.decor());
        let rest = suffix.trim_start_matches([' ', '\t']);
        if rest.starts_with('#') {
            let before = width(line_start)
                + width(&k.display_repr())
                + width(key_decor.suffix().and_then(|s| s.as_str()).unwrap_or(" "))
                + 1
                + width(v.decor().prefix().and_then(|s| s.as_str()).unwrap_or(" "))
                + width(&repr);
            column = Some(before + width(suffix) - width(rest));
        }
    }
    let line = width(&indent) + width(key) + 3 + width(text);
    let pad = column.map_or(2, |c| (c - line).max(1));
    let decor = Decor::new(" ", format!("{}{comment}", " ".repeat(pad as usize)));
    // The text came from `Num::text`, which always parses.
    if let Ok(v) = number_value(text, decor) {
        let k = Key::new(key).with_leaf_decor(Decor::new(indent, " "));
        t.insert_formatted(&k, Item::Value(v));
    }
}

/// The number that the reader turns into exactly `target` when it multiplies
/// it by `factor`, with the shortest text; `None` if there is none.
fn in_unit(target: f64, factor: f64) -> Option<f64> {
    let step = |x: f64, up: bool| {
        if x == 0.0 {
            let tiny = f64::from_bits(1);
            if up { tiny } else { -tiny }
        } else if (x > 0.0) == up {
            f64::from_bits(x.to_bits() + 1)
        } else {
            f64::from_bits(x.to_bits() - 1)
        }
    };
    let x0 = target / factor;
    let (mut up, mut down) = (x0, x0);
    let mut candidates = vec![x0];
    for _ in 0..4 {
        up = step(up, true);
        down = step(down, false);
        candidates.extend([up, down]);
    }
    candidates
        .into_iter()
        .filter(|&x| x.is_finite() && x * factor == target)
        .filter_map(|x| real(x).map(|t| (t.len(), x)))
        .min_by_key(|&(len, _)| len)
        .map(|(_, x)| x)
}

/// Writes the cap `max` (report units) into a slot table in the unit the file
/// used, or in the report unit if that unit cannot hold it exactly.
fn set_cap(t: &mut impl Entries, s: Strategy, max: f64) -> Result<Edited, EditError> {
    let keys = t.keys();
    let [base, _] = s.capacity_units();
    let u = s
        .capacity_units()
        .iter()
        .find(|u| keys.iter().any(|have| have == u.max_key))
        .ok_or_else(|| EditError::Layout(format!("no cap key in a {} table", s.key())))?;
    match in_unit(max, u.factor) {
        Some(v) => set_number(t, u.max_key, Num::Real(v), u.unit),
        None => switch_key(t, u.max_key, base.max_key, Num::Real(max), base.unit),
    }
}

fn edit_caps(doc: &mut DocumentMut, base: &Park, edited: &Park) -> Result<(), EditError> {
    let mut changed = Vec::new();
    for (k, (a, b)) in base.regions.iter().zip(&edited.regions).enumerate() {
        for (j, (sa, sb)) in a.slots.iter().zip(&b.slots).enumerate() {
            if sa.max != sb.max {
                changed.push((k, j));
            }
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    let regions = match doc.get_mut("region") {
        Some(Item::ArrayOfTables(a)) if a.len() == base.regions.len() => a,
        _ => {
            return Err(EditError::Layout(
                "the regions are not written as [[region]] tables".into(),
            ));
        }
    };
    for (k, j) in changed {
        let slot = &edited.regions[k].slots[j];
        let s = slot.strategy;
        let layout = || {
            EditError::Layout(format!(
                "the {} table of region {} (id {}) is not a table",
                s.key(),
                k + 1,
                base.regions[k].id
            ))
        };
        let region = regions.get_mut(k).ok_or_else(layout)?;
        match region.get_mut(s.key()) {
            // `fcs = { max_ha = 13.5 }  # comment`: the comment follows the inline table.
            Some(Item::Value(Value::InlineTable(it))) => {
                let e = set_cap(it, s, slot.max)?;
                let suffix = noted(suffix_of(it.decor()), e.grow, &e.comment);
                it.decor_mut().set_suffix(suffix);
            }
            // `[region.fcs]` or `fcs.max_ha = 13.5`: the comment follows the number.
            Some(Item::Table(st)) => {
                let e = set_cap(st, s, slot.max)?;
                comment_value(st, &e);
            }
            _ => return Err(layout()),
        }
    }
    Ok(())
}

/// `text` with `energy.profile.file` set to `file` (its comment kept): for a
/// park saved to another directory, whose relative profile path would no
/// longer lead to the CSV.
pub fn with_profile_file(text: &str, file: &str) -> Result<String, EditError> {
    keeping_bom(text, |text| with_profile_file_text(text, file))
}

fn with_profile_file_text(text: &str, file: &str) -> Result<String, EditError> {
    // As in `updated_toml`: edit CRLF text as LF and put the CRLFs back.
    let crlf = text.contains("\r\n") && !text.replace("\r\n", "").contains('\n');
    let lf_text = if crlf {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    let mut doc: DocumentMut = lf_text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Layout(e.message().to_string()))?;
    let slot = doc
        .get_mut("energy")
        .and_then(|e| e.get_mut("profile"))
        .and_then(|p| p.get_mut("file"))
        .and_then(Item::as_value_mut)
        .ok_or_else(|| EditError::Layout("no energy.profile.file to change".into()))?;
    let decor = slot.decor().clone();
    let mut v = Value::from(file);
    *v.decor_mut() = decor;
    *slot = v;
    let out = doc.to_string();
    Ok(if crlf { out.replace('\n', "\r\n") } else { out })
}

/// The profile path to write in a park saved to `dest` when it was read from
/// `source`: `None` when the written path still leads to the same CSV (same
/// directory, or an absolute path), else the CSV's absolute path.
pub fn profile_path_for_save(park: &Park, source: Option<&Path>, dest: &Path) -> Option<String> {
    let f = match &park.energy.as_ref()?.profile.source {
        super::ProfileSource::File(f) => f,
        super::ProfileSource::Generated { .. } => return None,
    };
    if Path::new(f).is_absolute() {
        return None;
    }
    let dir = |p: &Path| {
        let d = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        d.canonicalize().ok()
    };
    let from = dir(source?)?;
    if dir(dest).is_some_and(|to| to == from) {
        return None;
    }
    Some(from.join(f).display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_round_trip() {
        for v in [
            0.0, -0.0, 1.0, 0.1, 1e-7, 5e-324, 1e300, 9.0e15, 1.5e16, 123.456, 0.08,
        ] {
            let t = real(v).unwrap();
            let back: f64 = t.parse::<Value>().map_or(f64::NAN, |v| match v {
                Value::Integer(i) => *i.value() as f64,
                Value::Float(f) => *f.value(),
                _ => f64::NAN,
            });
            assert_eq!(back.to_bits(), v.to_bits(), "{v} written as {t}");
        }
        assert_eq!(real(f64::NAN), None);
    }

    #[test]
    fn grouping() {
        assert_eq!(grouped("20000000"), "20_000_000");
        assert_eq!(grouped("650000"), "650_000");
        assert_eq!(grouped("999"), "999");
        assert_eq!(grouped("-1234"), "-1_234");
        assert_eq!(grouped("0.5"), "0.5");
    }

    #[test]
    fn comments_keep_their_column() {
        assert_eq!(noted("    # old", 2, "# new"), "  # new");
        assert_eq!(noted(" # old", 5, "# new"), " # new");
        assert_eq!(noted("", 0, "# new"), "  # new");
    }

    #[test]
    fn caps_in_units() {
        assert_eq!(in_unit(135_000.0, 10_000.0), Some(13.5));
        assert_eq!(in_unit(2_500.0, 1000.0), Some(2.5));
        for m2 in [1.0, 0.3, 123_456.789, 7e-3] {
            if let Some(x) = in_unit(m2, 10_000.0) {
                assert_eq!(x * 10_000.0, m2);
            }
        }
    }
}
