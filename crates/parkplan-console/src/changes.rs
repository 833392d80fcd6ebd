//! What changed: the plan shown is compared with the plan before the last edit
//! (or with a pinned baseline), slot by slot and in its totals, so that after
//! an edit the Plan view marks what entered, left, switched, grew or shrank.

use std::collections::BTreeMap;

use parkplan::park::Strategy;

use crate::app::App;

/// A plan as compared: per (region index, strategy) its technology and
/// capacity, and the totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub built: BTreeMap<(usize, Strategy), (u32, f64)>,
    pub capex: f64,
    pub benefit: f64,
    pub co2: f64,
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

/// What the marks compare with: the pinned baseline, else the plan before the
/// last edit; with a word for it.
pub fn reference(app: &App) -> Option<(&Snapshot, &'static str)> {
    match (&app.baseline, &app.previous) {
        (Some(b), _) => Some((b, "the baseline")),
        (None, Some(p)) => Some((p, "the last edit")),
        _ => None,
    }
}
