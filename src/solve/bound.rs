//! The LP relaxation of the planning problem, solved exactly by a greedy over
//! efficiency ratios: an upper bound for any park size, and the exact optimum of
//! the continuous capacities once every discrete choice is fixed.
//!
//! Relaxing "build or not" to a fraction y in [0, 1] turns each group of
//! mutually exclusive options into a multiple-choice knapsack group whose LP is
//! the upper concave hull of its (capex, value) points, starting at the origin
//! (Sinha and Zoltners 1979). The hull's segments are increments that the LP buys
//! in order of value per CNY until the budget is spent.

use crate::model::{Objective, Options};

/// Capacity the LP may buy in any fraction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Increment {
    /// CNY.
    pub weight: f64,
    /// Objective units.
    pub profit: f64,
    /// Item it belongs to (for fixed items), or `usize::MAX` for hull pieces.
    pub item: usize,
}

impl Increment {
    /// Value per CNY; free increments first.
    #[inline]
    pub fn slope(&self) -> f64 {
        if self.weight <= 0.0 {
            f64::INFINITY
        } else {
            self.profit / self.weight
        }
    }
}

/// (capex, value) of building item `i` at capacity `a`.
#[inline]
pub(crate) fn point(opts: &Options, obj: Objective, i: usize, a: f64) -> (f64, f64) {
    let c = &opts.items[i].coef;
    (
        c.capex_per_unit * a + c.capex_fixed,
        opts.value_per_unit(i, obj) * a + opts.value_fixed(i, obj),
    )
}

/// Increments of the upper concave hull of a group's points and the origin.
pub(crate) fn group_hull(opts: &Options, obj: Objective, g: usize) -> Vec<Increment> {
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for i in opts.groups[g].items.clone() {
        let it = &opts.items[i];
        pts.push(point(opts, obj, i, it.lo));
        pts.push(point(opts, obj, i, it.hi));
    }
    // Free points (no capex) collapse onto the weight-0 axis: keep the best.
    let p0 = pts
        .iter()
        .filter(|p| p.0 <= 0.0)
        .map(|p| p.1)
        .fold(0.0_f64, f64::max);
    pts.retain(|p| p.0 > 0.0 && p.1 > p0);
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    let mut hull: Vec<(f64, f64)> = vec![(0.0, p0)];
    for p in pts {
        while hull.len() >= 2 {
            let a = hull[hull.len() - 2];
            let b = hull[hull.len() - 1];
            // Drop b unless it lies strictly above the chord a-p.
            let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
            if cross >= 0.0 {
                hull.pop();
            } else {
                break;
            }
        }
        let last = hull[hull.len() - 1];
        if p.1 > last.1 {
            hull.push(p);
        }
    }
    let mut out = Vec::new();
    if p0 > 0.0 {
        out.push(Increment {
            weight: 0.0,
            profit: p0,
            item: usize::MAX,
        });
    }
    for w in hull.windows(2) {
        let (dw, dp) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        if dp > 0.0 {
            out.push(Increment {
                weight: dw,
                profit: dp,
                item: usize::MAX,
            });
        }
    }
    out
}

/// Sorts by slope (best first) and buys greedily with `budget`; returns the
/// profit bought. `taken[k]` receives the fraction bought of increment k.
pub(crate) fn greedy(incs: &mut [Increment], budget: f64, mut taken: Option<&mut Vec<f64>>) -> f64 {
    incs.sort_by(|a, b| b.slope().total_cmp(&a.slope()));
    let mut left = budget;
    // Budget left over from rounding must not buy dust capacities.
    let dust = 1e-9 * budget.max(1.0);
    let mut profit = 0.0;
    if let Some(t) = taken.as_deref_mut() {
        t.clear();
        t.resize(incs.len(), 0.0);
    }
    for (k, inc) in incs.iter().enumerate() {
        if inc.profit <= 0.0 || (inc.weight > 0.0 && left <= dust) {
            break;
        }
        let frac = if inc.weight <= left {
            1.0
        } else if left > 0.0 {
            left / inc.weight
        } else {
            0.0
        };
        if frac <= 0.0 {
            break;
        }
        left -= inc.weight * frac;
        profit += inc.profit * frac;
        if let Some(t) = taken.as_deref_mut() {
            t[k] = frac;
        }
    }
    profit
}

/// Upper bound on the objective of any feasible plan: the LP relaxation's optimum.
pub fn upper_bound(opts: &Options, obj: Objective) -> f64 {
    let mut incs: Vec<Increment> = (0..opts.groups.len())
        .flat_map(|g| group_hull(opts, obj, g))
        .collect();
    greedy(&mut incs, opts.budget_cny, None)
}
