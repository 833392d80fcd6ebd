//! What changed: the plan shown is compared with the plan before the last edit
//! (or with the plan pinned with `b`), slot by slot and in its totals, so that after
//! an edit the Plan view marks what entered, left, switched, grew or shrank.

use std::collections::BTreeMap;

use parkplan::analysis::ledger::Ledger;
use parkplan::park::Strategy;
use parkplan::report::group_thousands;

use crate::app::App;

/// A plan as compared: per (region index, strategy) its technology and
/// capacity, and the totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub built: BTreeMap<(usize, Strategy), (u32, f64)>,
    pub capex: f64,
    pub benefit: f64,
    pub co2: f64,
    /// Its ledger, for the Ledger and Compare views' changes.
    pub ledger: Option<Ledger>,
}

impl Snapshot {
    /// The plan on screen, if there is one.
    pub fn of(app: &App) -> Option<Snapshot> {
        let opts = app.run.opts.as_ref()?;
        let eval = app.run.evaluation.as_ref()?;
        let built = eval
            .items
            .iter()
            .map(|r| {
                let it = &opts.items[r.item];
                ((it.region, it.strategy), (r.tech, r.capacity))
            })
            .collect();
        Some(Snapshot {
            built,
            capex: eval.totals.capex,
            benefit: eval.totals.annual_benefit,
            co2: eval.totals.annual_co2_reduction,
            ledger: app.run.ledger.clone(),
        })
    }
}

/// How a slot changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Same,
    Entered,
    Left,
    Switched,
    Grew,
    Shrank,
}

impl Mark {
    /// One character that reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Same => " ",
            Mark::Entered => "+",
            Mark::Left => "-",
            Mark::Switched => "~",
            Mark::Grew => "↑",
            Mark::Shrank => "↓",
        }
    }
}

/// The mark of the slot (region index, strategy) from `then` to `now`.
pub fn mark(then: &Snapshot, now: &Snapshot, key: (usize, Strategy)) -> Mark {
    match (then.built.get(&key), now.built.get(&key)) {
        (None, None) => Mark::Same,
        (None, Some(_)) => Mark::Entered,
        (Some(_), None) => Mark::Left,
        (Some((t0, c0)), Some((t1, c1))) => {
            let tol = 1e-9 * c0.abs().max(c1.abs()).max(1.0);
            if t0 != t1 {
                Mark::Switched
            } else if c1 - c0 > tol {
                Mark::Grew
            } else if c0 - c1 > tol {
                Mark::Shrank
            } else {
                Mark::Same
            }
        }
    }
}

/// What the marks compare with: the plan pinned with `b` (named "pinned
/// plan", never "baseline": Compare has a scenario of that name), else the plan before the
/// last edit; with a word for it.
pub fn reference(app: &App) -> Option<(&Snapshot, &'static str)> {
    match (&app.baseline, &app.previous) {
        (Some(b), _) => Some((b, "pinned plan")),
        (None, Some(p)) => Some((p, "the last edit")),
        _ => None,
    }
}

/// A change `x` as shown: `0` when none (within rounding), else signed
/// (`+1,234`, `-5.81 M`), `exact` when it fits `w` characters, else rounded
/// with k, M, G... (never cut).
pub fn signed(x: f64, exact: impl Fn(f64) -> String, w: usize) -> String {
    let s = exact(x.abs());
    if s.trim_start_matches(['0', '.', ',']).is_empty() || s == "0" {
        return "0".into();
    }
    let sign = if x > 0.0 { "+" } else { "-" };
    let full = format!("{sign}{s}");
    if full.chars().count() <= w {
        full
    } else {
        format!("{sign}{}", crate::view::compact(x.abs()))
    }
}

/// A KPI text (`"45.3 %"`, `"1,234 MWh/yr"`, `"+12.5 MW"`) as its number, its
/// decimals and the unit after it; `None` for `"-"` and texts without one.
pub fn kpi_figure(s: &str) -> Option<(f64, usize, &str)> {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|(i, c)| {
            !(c.is_ascii_digit() || *c == ',' || *c == '.' || (*i == 0 && (*c == '-' || *c == '+')))
        })
        .map_or(s.len(), |(i, _)| i);
    let (num, unit) = s.split_at(end);
    let v: f64 = num.replace(',', "").parse().ok()?;
    let decimals = num.split_once('.').map_or(0, |(_, f)| f.len());
    Some((v, decimals, unit.trim()))
}

/// A KPI text in at most `w` characters: as written when it fits, else its
/// number rounded with k, M, G... and its unit (never cut).
pub fn fit_kpi(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_string();
    }
    match kpi_figure(s) {
        Some((v, _, unit)) => format!("{} {unit}", crate::view::compact(v)),
        None => s.to_string(),
    }
}

/// The change of a KPI from `then` to `now` in its own unit (percentages in
/// points, `pp`), in at most `w` characters; empty when either is undefined.
pub fn kpi_change(now: &str, then: &str, w: usize) -> String {
    let (Some((a, d, unit)), Some((b, _, unit_then))) = (kpi_figure(now), kpi_figure(then)) else {
        return String::new();
    };
    if unit != unit_then {
        return String::new();
    }
    let unit = if unit.starts_with('%') { "pp" } else { unit };
    let x = a - b;
    let num = signed(
        x,
        |v| group_thousands(v, d),
        w.saturating_sub(unit.len() + 1),
    );
    if unit.is_empty() || num == "0" {
        num
    } else {
        format!("{num} {unit}")
    }
}

/// The marks of every slot that changed from `then` to `now`, counted:
/// `"+2 -1 ~1"` (entered, left, switched, grew, shrank); `"0"` when none.
pub fn summary(then: &Snapshot, now: &Snapshot) -> String {
    let mut counts = [0usize; 5];
    let keys: std::collections::BTreeSet<_> = then.built.keys().chain(now.built.keys()).collect();
    for k in keys {
        let i = match mark(then, now, *k) {
            Mark::Same => continue,
            Mark::Entered => 0,
            Mark::Left => 1,
            Mark::Switched => 2,
            Mark::Grew => 3,
            Mark::Shrank => 4,
        };
        counts[i] += 1;
    }
    let marks = [
        Mark::Entered,
        Mark::Left,
        Mark::Switched,
        Mark::Grew,
        Mark::Shrank,
    ];
    let parts: Vec<String> = counts
        .iter()
        .zip(marks)
        .filter(|(n, _)| **n > 0)
        .map(|(n, m)| format!("{}{n}", m.symbol()))
        .collect();
    if parts.is_empty() {
        "0".into()
    } else {
        parts.join(" ")
    }
}
