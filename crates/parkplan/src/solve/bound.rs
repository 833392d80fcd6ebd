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
use crate::plan::{Built, Plan};

/// Capacity the LP may buy in any fraction: a step from one (item, capacity)
/// point of a group to the next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Increment {
    /// CNY.
    pub weight: f64,
    /// Objective units.
    pub profit: f64,
    pub group: usize,
    /// The point the step starts from (`None`: nothing built).
    pub from: Option<(usize, f64)>,
    /// The point it reaches: item and capacity.
    pub to: (usize, f64),
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
    group_hull_by(opts, g, &|i, a| point(opts, obj, i, a).1)
}

/// The same for any objective: `value(item, capacity)`.
pub(crate) fn group_hull_by(
    opts: &Options,
    g: usize,
    value: &dyn Fn(usize, f64) -> f64,
) -> Vec<Increment> {
    let mut out = Vec::new();
    group_hull_into(opts, g, value, &mut HullScratch::default(), &mut out);
    out
}

/// Point lists reused by [`group_hull_into`]: (capex, value, item, capacity).
#[derive(Debug, Default)]
pub(crate) struct HullScratch {
    pts: Vec<(f64, f64, usize, f64)>,
    hull: Vec<(f64, f64, usize, f64)>,
}

/// [`group_hull_by`] appending to `out`, with no allocation once `scratch` and
/// `out` have grown (the Lagrangian dual builds every hull at every evaluation).
pub(crate) fn group_hull_into(
    opts: &Options,
    g: usize,
    value: &dyn Fn(usize, f64) -> f64,
    scratch: &mut HullScratch,
    out: &mut Vec<Increment>,
) {
    let pts = &mut scratch.pts;
    pts.clear();
    for i in opts.groups[g].items.clone() {
        let it = &opts.items[i];
        for cap in [it.lo, it.hi] {
            let w = it.coef.capex_per_unit * cap + it.coef.capex_fixed;
            pts.push((w, value(i, cap), i, cap));
        }
    }
    // Free points (no capex) collapse onto the weight-0 axis: keep the best.
    let free = pts
        .iter()
        .filter(|p| p.0 <= 0.0 && p.1 > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .copied();
    let p0 = free.map_or(0.0, |f| f.1);
    pts.retain(|p| p.0 > 0.0 && p.1 > p0);
    // Unstable (allocates nothing); ties broken by item and capacity, so the
    // order is the same as a stable sort of the points as listed.
    pts.sort_unstable_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.total_cmp(&b.3))
    });
    let origin = free.map_or((0.0, 0.0, usize::MAX, 0.0), |f| (0.0, f.1, f.2, f.3));
    let hull = &mut scratch.hull;
    hull.clear();
    hull.push(origin);
    for &p in pts.iter() {
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
        if p.1 > hull[hull.len() - 1].1 {
            hull.push(p);
        }
    }
    let first = out.len();
    if let Some(f) = free {
        out.push(Increment {
            weight: 0.0,
            profit: f.1,
            group: g,
            from: None,
            to: (f.2, f.3),
        });
    }
    for w in hull.windows(2) {
        let (dw, dp) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        if dp > 0.0 {
            let step = Increment {
                weight: dw,
                profit: dp,
                group: g,
                from: (w[0].2 != usize::MAX).then_some((w[0].2, w[0].3)),
                to: (w[1].2, w[1].3),
            };
            // Steps must get strictly less steep, or the greedy could buy a
            // later step before an earlier one. Rounding can leave a nearly
            // collinear point on the hull: merge such steps into one.
            let mut step = step;
            while out.len() > first {
                let last = out[out.len() - 1];
                if last.weight > 0.0 && step.slope() >= last.slope() {
                    out.pop();
                    step = Increment {
                        weight: last.weight + step.weight,
                        profit: last.profit + step.profit,
                        group: g,
                        from: last.from,
                        to: step.to,
                    };
                } else {
                    break;
                }
            }
            out.push(step);
        }
    }
}

/// `x` without its last 12 mantissa bits: slopes and densities equal but for
/// round-off compare equal, so that sorts (stable) keep park order between
/// options of the same value. Without it, the same PV area moved between two
/// identical roofs as a parameter changed, which sweeps reported as tipping
/// points. Monotone, so sorting by it is a total order.
#[inline]
pub(crate) fn coarse(x: f64) -> f64 {
    f64::from_bits(x.to_bits() & !0xFFF)
}

/// Per group, its items in the order a branch and bound should try them: most
/// value per CNY at full capacity first.
pub(crate) fn tries_by_density(opts: &Options, obj: Objective) -> Vec<Vec<usize>> {
    let density = |i: usize| {
        let (w, p) = point(opts, obj, i, opts.items[i].hi);
        if w <= 0.0 { f64::INFINITY } else { p / w }
    };
    opts.groups
        .iter()
        .map(|g| {
            let mut v: Vec<usize> = g.items.clone().collect();
            v.sort_by(|&a, &b| coarse(density(b)).total_cmp(&coarse(density(a))));
            v
        })
        .collect()
}

/// Sorts by slope (best first) and buys greedily with `budget`; returns the
/// profit bought. `taken[k]` receives the fraction bought of increment k.
pub(crate) fn greedy(incs: &mut [Increment], budget: f64, mut taken: Option<&mut Vec<f64>>) -> f64 {
    incs.sort_by(|a, b| coarse(b.slope()).total_cmp(&coarse(a.slope())));
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

/// A feasible plan read off the LP relaxation: each group at the hull point the
/// LP reached, the one fractional step rounded down (or kept, when it only
/// changes the capacity of one item). For large parks its gap to the bound is
/// tiny, which makes it the exact solver's first incumbent and a GA seed.
pub fn lp_plan(opts: &Options, obj: Objective) -> Plan {
    lp_plan_by(opts, &|i, a| point(opts, obj, i, a).1)
}

/// [`lp_plan`] for any objective `value(item, capacity)`.
pub(crate) fn lp_plan_by(opts: &Options, value: &dyn Fn(usize, f64) -> f64) -> Plan {
    let mut incs: Vec<Increment> = (0..opts.groups.len())
        .flat_map(|g| group_hull_by(opts, g, value))
        .collect();
    let mut taken = Vec::new();
    greedy(&mut incs, opts.budget_cny, Some(&mut taken));
    let mut plan = Plan::empty(opts);
    // Within a group the steps come in hull order, so later ones overwrite.
    for (inc, &frac) in incs.iter().zip(&taken) {
        let (to_item, to_cap) = inc.to;
        let built = if frac >= 1.0 - 1e-12 {
            Some(to_cap)
        } else if frac > 0.0 {
            match inc.from {
                Some((from_item, from_cap)) if from_item == to_item => {
                    Some(from_cap + frac * (to_cap - from_cap))
                }
                None if opts.items[to_item].coef.capex_fixed == 0.0
                    && frac * to_cap >= opts.items[to_item].lo =>
                {
                    Some(frac * to_cap)
                }
                _ => None,
            }
        } else {
            None
        };
        if let Some(capacity) = built {
            plan.choice[inc.group] = Some(Built {
                item: to_item,
                capacity,
            });
        }
    }
    plan
}
