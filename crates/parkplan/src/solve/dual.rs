//! The Lagrangian dual of the LP relaxation with resource rows, for parks too
//! large for an LP solver: a bound and a plan in seconds, cancellable at every
//! evaluation (docs/energy-and-nets.md, "How rows are solved on large parks").
//!
//! The budget and the choice within each group stay inside the greedy hull LP
//! of [`super::bound`] (which solves that LP exactly); every other coupling row
//! of [`super::milp`]'s LP (resource rows and the epsilon row) is relaxed with
//! a multiplier λ >= 0. The surplus variables of a credit row are split per
//! producer (σ_i <= out_i A_i, the same LP after projection), so each item's
//! value at λ is linear in its capacity:
//!
//! w_i(λ) = v_i + ν e_i − Σ_r λ_r a_ri + Σ_(r,k) max(0, λ_r − loss_k − ν loss^ε_k) out_ik,
//!
//! and L(λ) = greedy(w(λ), budget) + Σ_r λ_r rhs_r − ν min. For every λ >= 0,
//! L(λ) is at least the LP optimum (weak duality), hence an upper bound on
//! every plan; its minimum equals the LP optimum (the inner problem is an LP
//! solved exactly, so there is no duality gap). L is convex and piecewise
//! linear; it is minimized by a cutting-plane method in a box trust region
//! (the master is an LP of at most a few hundred rows and one variable per
//! multiplier, solved by microlp in microseconds to milliseconds).

use std::time::Instant;

use microlp::{ComparisonOp, OptimizationDirection, Problem};

use super::bound::{HullScratch, Increment, coarse, group_hull_into};
use super::milp::{Epsilon, Limits};
use super::{CancelToken, Solution, SolveError};
use crate::model::{Objective, Options};
use crate::plan::{Built, Plan};

/// Evaluations of L after which the minimization stops (its bound stays valid).
pub const MAX_EVALUATIONS: u64 = 400;

/// Relative distance between the best L and the cutting-plane model's minimum
/// at which the dual counts as minimized.
pub const DUAL_TOLERANCE: f64 = 1e-10;

/// What the dual may do in a group: choose freely (the hull), build one item
/// (at least its minimum), or nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Pick {
    Free,
    Nothing,
    Item(usize),
}

/// L(λ) and its subgradient, with every buffer kept between evaluations.
pub(crate) struct Lagrangian<'a> {
    opts: &'a Options,
    eps: Option<Epsilon>,
    picks: Vec<Pick>,
    /// Multipliers: one per row of `opts.rows`, then the epsilon row's.
    m: usize,
    /// Per multiplier: the row's scale. The minimizer works on μ = λ S / O
    /// (O: the objective scale), of order one for every row.
    scale: Vec<f64>,
    /// Per multiplier: the constant of the relaxed row (rhs; −min for ε).
    rhs: Vec<f64>,
    obj_scale: f64,
    /// Per item: objective value per unit and fixed; the ε objective's.
    v: Vec<f64>,
    vf: Vec<f64>,
    e: Vec<f64>,
    ef: Vec<f64>,
    /// Per row, per class: loss per unit of surplus (objective, ε objective).
    loss: Vec<Vec<(f64, f64)>>,
    /// Unscaled multipliers of the last evaluation.
    lam: Vec<f64>,
    /// Per item: Lagrangian value per unit and fixed, at `lam`.
    w: Vec<f64>,
    wf: Vec<f64>,
    /// Per item and multiplier: derivative of the item's Lagrangian value per
    /// unit with respect to λ; `df`: of its fixed value (ε only).
    d: Vec<f64>,
    df: Vec<f64>,
    scratch: HullScratch,
    incs: Vec<Increment>,
    /// (slope, increment) in the greedy's order.
    keys: Vec<(f64, u32)>,
    /// Fraction bought of each increment (by increment index).
    taken: Vec<f64>,
    /// Subgradient of the last evaluation (unscaled λ).
    grad: Vec<f64>,
    pub evaluations: u64,
}

impl<'a> Lagrangian<'a> {
    /// `picks`: `None`, every group free.
    pub(crate) fn new(
        opts: &'a Options,
        obj: Objective,
        eps: Option<Epsilon>,
        picks: Option<Vec<Pick>>,
    ) -> Lagrangian<'a> {
        let n = opts.items.len();
        let rows = &opts.rows.rows;
        let m = rows.len() + usize::from(eps.is_some());
        // The scales of milp::build: a row by its largest term or rhs.
        let mut obj_scale: f64 = 1.0;
        for (i, it) in opts.items.iter().enumerate() {
            obj_scale = obj_scale
                .max((opts.value_per_unit(i, obj) * it.hi).abs())
                .max(opts.value_fixed(i, obj).abs());
        }
        let mut scale: Vec<f64> = rows
            .iter()
            .map(|row| {
                row.terms
                    .iter()
                    .map(|&(i, a)| (a * opts.items[i].hi).abs())
                    .fold(row.rhs.abs(), f64::max)
                    .max(1.0)
            })
            .collect();
        let mut rhs: Vec<f64> = rows.iter().map(|r| r.rhs).collect();
        if let Some(e) = eps {
            scale.push(e.min.abs().max(1.0));
            rhs.push(-e.min);
        }
        let other = eps.map(|e| e.objective);
        let loss = rows
            .iter()
            .map(|row| match &row.credit {
                None => Vec::new(),
                Some(c) => (0..c.classes.len())
                    .map(|k| (c.loss(k, obj), other.map_or(0.0, |o| c.loss(k, o))))
                    .collect(),
            })
            .collect();
        Lagrangian {
            opts,
            eps,
            picks: picks.unwrap_or_else(|| vec![Pick::Free; opts.groups.len()]),
            m,
            scale,
            rhs,
            obj_scale,
            v: (0..n).map(|i| opts.value_per_unit(i, obj)).collect(),
            vf: (0..n).map(|i| opts.value_fixed(i, obj)).collect(),
            e: (0..n)
                .map(|i| other.map_or(0.0, |o| opts.value_per_unit(i, o)))
                .collect(),
            ef: (0..n)
                .map(|i| other.map_or(0.0, |o| opts.value_fixed(i, o)))
                .collect(),
            loss,
            lam: vec![0.0; m],
            w: vec![0.0; n],
            wf: vec![0.0; n],
            d: vec![0.0; n * m],
            df: vec![0.0; n],
            scratch: HullScratch::default(),
            incs: Vec::new(),
            keys: Vec::new(),
            taken: Vec::new(),
            grad: vec![0.0; m],
            evaluations: 0,
        }
    }

    /// Number of multipliers.
    pub(crate) fn dims(&self) -> usize {
        self.m
    }

    /// Unscaled multipliers of scaled ones.
    fn unscale(&self, mu: &[f64], lam: &mut [f64]) {
        for j in 0..self.m {
            lam[j] = mu[j] * self.obj_scale / self.scale[j];
        }
    }

    /// L at scaled multipliers `mu` (objective units), its subgradient in
    /// `grad` (per unit of μ); `None` when the forced picks break the budget.
    /// Allocates nothing once its buffers have grown.
    pub(crate) fn eval(&mut self, mu: &[f64], grad: &mut [f64]) -> Option<f64> {
        self.evaluations += 1;
        let m = self.m;
        let mut lam = std::mem::take(&mut self.lam);
        self.unscale(mu, &mut lam);
        self.lam = lam;
        let rows = &self.opts.rows;
        let n_rows = rows.rows.len();
        let nu = if self.eps.is_some() {
            self.lam[n_rows]
        } else {
            0.0
        };
        for i in 0..self.opts.items.len() {
            let d = &mut self.d[i * m..(i + 1) * m];
            d.fill(0.0);
            let mut w = self.v[i] + nu * self.e[i];
            if self.eps.is_some() {
                d[n_rows] = self.e[i];
            }
            for &(r, a) in &rows.by_item[i] {
                w -= self.lam[r as usize] * a;
                d[r as usize] -= a;
            }
            for &(r, k, p) in &rows.produces[i] {
                let (lo, le) = self.loss[r as usize][k as usize];
                let c = self.lam[r as usize] - lo - nu * le;
                if c > 0.0 {
                    w += c * p;
                    d[r as usize] += p;
                    if self.eps.is_some() {
                        d[n_rows] -= le * p;
                    }
                }
            }
            self.w[i] = w;
            self.wf[i] = self.vf[i] + nu * self.ef[i];
            self.df[i] = self.ef[i];
        }
        let opts = self.opts;
        let mut used = 0.0;
        let mut value = 0.0;
        self.grad.copy_from_slice(&self.rhs);
        self.incs.clear();
        for g in 0..opts.groups.len() {
            match self.picks[g] {
                Pick::Free => {
                    let (w, wf) = (&self.w, &self.wf);
                    group_hull_into(
                        opts,
                        g,
                        &|i, a| w[i] * a + wf[i],
                        &mut self.scratch,
                        &mut self.incs,
                    );
                }
                Pick::Nothing => {}
                Pick::Item(i) => {
                    let it = &opts.items[i];
                    used += it.coef.capex_per_unit * it.lo + it.coef.capex_fixed;
                    value += self.w[i] * it.lo + self.wf[i];
                    add_point(
                        &mut self.grad,
                        &self.d,
                        &self.df,
                        m,
                        self.eps.is_some(),
                        (i, it.lo),
                        1.0,
                    );
                    if self.w[i] > 0.0 && it.hi > it.lo {
                        self.incs.push(Increment {
                            weight: it.coef.capex_per_unit * (it.hi - it.lo),
                            profit: self.w[i] * (it.hi - it.lo),
                            group: g,
                            from: Some((i, it.lo)),
                            to: (i, it.hi),
                        });
                    }
                }
            }
        }
        let budget = opts.budget_cny;
        if used > budget * (1.0 + 1e-9) + 1e-6 {
            return None;
        }
        // The greedy of bound::greedy, on an index sort (no allocation).
        self.keys.clear();
        self.keys.extend(
            self.incs
                .iter()
                .enumerate()
                .map(|(k, inc)| (coarse(inc.slope()), k as u32)),
        );
        self.keys
            .sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        self.taken.clear();
        self.taken.resize(self.incs.len(), 0.0);
        let mut left = (budget - used).max(0.0);
        let dust = 1e-9 * budget.min(opts.max_spend()).max(1.0);
        for &(_, k) in &self.keys {
            let inc = self.incs[k as usize];
            if inc.profit <= 0.0 || (inc.weight > 0.0 && left <= dust) {
                break;
            }
            let frac = if inc.weight <= left {
                1.0
            } else {
                left / inc.weight
            };
            if frac <= 0.0 {
                break;
            }
            left -= inc.weight * frac;
            value += inc.profit * frac;
            self.taken[k as usize] = frac;
            add_point(
                &mut self.grad,
                &self.d,
                &self.df,
                m,
                self.eps.is_some(),
                inc.to,
                frac,
            );
            if let Some(from) = inc.from {
                add_point(
                    &mut self.grad,
                    &self.d,
                    &self.df,
                    m,
                    self.eps.is_some(),
                    from,
                    -frac,
                );
            }
        }
        let mut l = value;
        for (j, gj) in grad.iter_mut().enumerate().take(m) {
            l += self.lam[j] * self.rhs[j];
            *gj = self.grad[j] * self.obj_scale / self.scale[j];
        }
        Some(l)
    }

    /// The plan of the last evaluation: each group at the hull point its
    /// bought steps reach, a partly bought step kept only where it changes
    /// one item's capacity (as [`super::bound::lp_plan`]).
    pub(crate) fn plan(&self) -> Plan {
        let opts = self.opts;
        let mut cur: Vec<Option<(usize, f64)>> = self
            .picks
            .iter()
            .map(|p| match *p {
                Pick::Item(i) => Some((i, opts.items[i].lo)),
                _ => None,
            })
            .collect();
        for &(_, k) in &self.keys {
            let (inc, frac) = (self.incs[k as usize], self.taken[k as usize]);
            if frac <= 0.0 {
                continue;
            }
            let (to_item, to_cap) = inc.to;
            if frac >= 1.0 - 1e-12 {
                cur[inc.group] = Some(inc.to);
                continue;
            }
            match inc.from {
                Some((fi, fa)) if fi == to_item => {
                    cur[inc.group] = Some((fi, fa + frac * (to_cap - fa)));
                }
                None if opts.items[to_item].coef.capex_fixed == 0.0
                    && frac * to_cap >= opts.items[to_item].lo =>
                {
                    cur[inc.group] = Some((to_item, frac * to_cap));
                }
                _ => {}
            }
        }
        plan_of(opts, cur)
    }

    /// A plan that meets every limit row and adds no surplus to a credit row,
    /// built in the order of the last evaluation: each hull step, best
    /// Lagrangian value per CNY first, bought as far as the budget and the
    /// rows allow (a part of a step only where it changes one item's
    /// capacity). At the dual's minimum this order is the LP's: the options
    /// tied at the margin of a row are taken until the row is full, as the LP
    /// takes a fraction of them. A group whose first step a full row blocks
    /// gets its hull again without that option, its steps merged into the
    /// order (where the LP would switch such groups to another technology).
    /// `start`: a plan to continue from (each group from its state there).
    pub(crate) fn walk(&self, obj: Objective, start: Option<&Plan>) -> Plan {
        use std::cmp::Ordering;
        use std::collections::BinaryHeap;
        /// A re-hulled step in the merge: by slope, then first made first.
        struct Extra(f64, usize);
        impl PartialEq for Extra {
            fn eq(&self, o: &Self) -> bool {
                self.cmp(o) == Ordering::Equal
            }
        }
        impl Eq for Extra {}
        impl PartialOrd for Extra {
            fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
                Some(self.cmp(o))
            }
        }
        impl Ord for Extra {
            fn cmp(&self, o: &Self) -> Ordering {
                self.0.total_cmp(&o.0).then(o.1.cmp(&self.1))
            }
        }
        let opts = self.opts;
        let rows = &opts.rows;
        let mut cur: Vec<Option<(usize, f64)>> = match start {
            Some(p) => p
                .choice
                .iter()
                .map(|c| c.map(|b| (b.item, b.capacity)))
                .collect(),
            None => self
                .picks
                .iter()
                .map(|p| match *p {
                    Pick::Item(i) => Some((i, opts.items[i].lo)),
                    _ => None,
                })
                .collect(),
        };
        let mut slack: Vec<f64> = rows.rows.iter().map(|r| r.rhs).collect();
        let mut left = opts.budget_cny;
        let use_of = |slack: &mut [f64], i: usize, cap: f64, sign: f64| {
            for (r, sl) in slack.iter_mut().enumerate() {
                *sl -= sign * self.eff(r, i, cap);
            }
        };
        let row_use = |r: usize, i: usize, cap: f64| -> f64 { self.eff(r, i, cap) };
        for c in cur.iter().flatten() {
            let (i, cap) = *c;
            use_of(&mut slack, i, cap, 1.0);
            let it = &opts.items[i];
            left -= it.coef.capex_per_unit * cap + it.coef.capex_fixed;
        }
        let dust = 1e-9 * opts.budget_cny.min(opts.max_spend()).max(1.0);
        // Room above the ε row's minimum (steps that lower the other
        // objective may use it, no more).
        let eps_of = |i: usize, cap: f64| -> f64 {
            self.eps
                .map_or(0.0, |e| super::bound::point(opts, e.objective, i, cap).1)
        };
        let mut eps_slack = self.eps.map_or(f64::INFINITY, |e| {
            cur.iter()
                .flatten()
                .map(|&(i, c)| eps_of(i, c))
                .sum::<f64>()
                - e.min
                - 1e-10 * e.min.abs().max(1.0)
        });
        let mut excluded = vec![false; opts.items.len()];
        let mut extra: Vec<Increment> = Vec::new();
        let mut heap: BinaryHeap<Extra> = BinaryHeap::new();
        let mut scratch = HullScratch::default();
        // Steps the greedy bought whole that free room in a row (a heat
        // consumer in the heat row) are counted in advance: the LP has them,
        // and the producers walked before them may use that room.
        let du_of = |r: usize, inc: &Increment| {
            row_use(r, inc.to.0, inc.to.1) - inc.from.map_or(0.0, |(fi, fa)| row_use(r, fi, fa))
        };
        let mut pre = vec![false; self.incs.len()];
        for &(_, k) in &self.keys {
            let inc = &self.incs[k as usize];
            let starts_here = match (cur[inc.group], inc.from) {
                (None, None) => true,
                (Some((ci, ca)), Some((fi, fa))) => ci == fi && ca == fa,
                _ => false,
            };
            if self.taken[k as usize] < 1.0 - 1e-12 || !starts_here {
                continue;
            }
            for (r, sl) in slack.iter_mut().enumerate() {
                let du = du_of(r, inc);
                if du < 0.0 {
                    *sl -= du;
                    pre[k as usize] = true;
                }
            }
        }
        let mut next = 0;
        loop {
            // The steeper of the next sorted step and the next re-hulled one.
            let from_heap = match (self.keys.get(next), heap.peek()) {
                (None, None) => break,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(&(s, _)), Some(e)) => e.0 > s,
            };
            let (inc, credited) = if from_heap {
                (extra[heap.pop().expect("peeked").1], false)
            } else {
                next += 1;
                let k = self.keys[next - 1].1 as usize;
                (self.incs[k], pre[k])
            };
            // Undo the advance credit once the step is bought (its room is
            // then counted by its own use).
            let settle = |slack: &mut [f64]| {
                if credited {
                    for (r, sl) in slack.iter_mut().enumerate() {
                        let du = du_of(r, &inc);
                        if du < 0.0 {
                            *sl += du;
                        }
                    }
                }
            };
            if inc.profit <= 0.0 {
                if from_heap {
                    continue;
                }
                next = self.keys.len();
                continue;
            }
            let g = inc.group;
            let same = match (cur[g], inc.from) {
                (None, None) => true,
                (Some((ci, ca)), Some((fi, fa))) => ci == fi && ca == fa,
                _ => false,
            };
            if !same || excluded[inc.to.0] {
                continue;
            }
            let (ti, ta) = inc.to;
            // A step the dual buys only for the row credit it frees is not
            // worth it once the row is not full.
            let true_gain = super::bound::point(opts, obj, ti, ta).1
                - inc
                    .from
                    .map_or(0.0, |(fi, fa)| super::bound::point(opts, obj, fi, fa).1);
            if true_gain <= 0.0 {
                continue;
            }
            let f_budget = if inc.weight > 0.0 {
                left.max(0.0) / inc.weight
            } else {
                1.0
            };
            let mut f_rows: f64 = 1.0;
            for (r, row) in rows.rows.iter().enumerate() {
                let du = row_use(r, ti, ta) - inc.from.map_or(0.0, |(fi, fa)| row_use(r, fi, fa));
                if du > 0.0 {
                    let tol = 1e-10 * row.rhs.abs().max(1.0);
                    f_rows = f_rows.min((slack[r] - tol).max(0.0) / du);
                }
            }
            let de = eps_of(ti, ta) - inc.from.map_or(0.0, |(fi, fa)| eps_of(fi, fa));
            if de < 0.0 {
                f_rows = f_rows.min(eps_slack.max(0.0) / -de);
            }
            let f = f_budget.min(f_rows).min(1.0);

            let mut bought = false;
            if f >= 1.0 {
                if let Some((fi, fa)) = inc.from {
                    use_of(&mut slack, fi, fa, -1.0);
                }
                use_of(&mut slack, ti, ta, 1.0);
                settle(&mut slack);
                eps_slack += de;
                left -= inc.weight;
                cur[g] = Some(inc.to);
                continue;
            }
            if f > 0.0 && !(inc.weight > 0.0 && inc.weight * f <= dust) {
                let cap = match inc.from {
                    Some((fi, fa)) if fi == ti => Some(fa + f * (ta - fa)),
                    None if opts.items[ti].coef.capex_fixed == 0.0
                        && f * ta >= opts.items[ti].lo =>
                    {
                        Some(f * ta)
                    }
                    _ => None,
                };
                if let Some(cap) = cap {
                    if let Some((fi, fa)) = inc.from {
                        use_of(&mut slack, fi, fa, -1.0);
                    }
                    use_of(&mut slack, ti, cap, 1.0);
                    settle(&mut slack);
                    eps_slack += eps_of(ti, cap) - inc.from.map_or(0.0, |(fi, fa)| eps_of(fi, fa));
                    left -= inc.weight * f;
                    cur[g] = Some((ti, cap.min(opts.items[ti].hi)));
                    bought = true;
                }
            }
            if !bought && f_rows < 1.0 && f_rows <= f_budget && cur[g].is_none() {
                // A full row blocks this option: the group's hull without it.
                excluded[ti] = true;
                let (w, wf) = (&self.w, &self.wf);
                let ex = &excluded;
                let first = extra.len();
                group_hull_into(
                    opts,
                    g,
                    &|i, a| {
                        if ex[i] {
                            f64::NEG_INFINITY
                        } else {
                            w[i] * a + wf[i]
                        }
                    },
                    &mut scratch,
                    &mut extra,
                );
                for (k, step) in extra.iter().enumerate().skip(first) {
                    heap.push(Extra(coarse(step.slope()), k));
                }
            }
        }
        plan_of(opts, cur)
    }

    /// Use of row `r` by item `i` at `cap`, as the last evaluation counts it:
    /// in a credit row, output of the classes whose surplus is cheaper than
    /// the row's multiplier is not counted (the LP lets it go to surplus).
    #[inline]
    pub(crate) fn eff(&self, r: usize, i: usize, cap: f64) -> f64 {
        -self.d[i * self.m + r] * cap
    }

    /// Lagrangian value per unit of capacity of item `i` at the last evaluation.
    pub(crate) fn value_at(&self, i: usize) -> f64 {
        self.w[i]
    }
}

/// `grad += frac * D(item, capacity)`: the subgradient contribution of an
/// (item, capacity) point.
#[inline]
fn add_point(
    grad: &mut [f64],
    d: &[f64],
    df: &[f64],
    m: usize,
    eps: bool,
    (i, cap): (usize, f64),
    frac: f64,
) {
    let di = &d[i * m..(i + 1) * m];
    for j in 0..m {
        grad[j] += frac * di[j] * cap;
    }
    if eps {
        grad[m - 1] += frac * df[i];
    }
}

/// The minimum found.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    /// The least L seen: an upper bound on every plan (objective units).
    pub bound: f64,
    /// Its scaled multipliers.
    pub mu: Vec<f64>,
    /// Whether the cutting-plane model proved `bound` within
    /// [`DUAL_TOLERANCE`] of min L (the LP optimum).
    pub converged: bool,
}

/// Minimizes L by cutting planes in a box trust region around the best point
/// (Kelley's method, stabilized): each step minimizes the model max_j (L_j +
/// g_j (μ − μ_j)) over the box; a step that lowers L by a tenth of what the
/// model predicted moves the centre (and widens the box if it reached its
/// edge), otherwise the cut alone improves the model (and the box shrinks
/// after repeated failures). The cancel token and the deadline are checked
/// before every evaluation. `Ok(None)`: the forced picks break the budget.
pub(crate) fn minimize(
    lag: &mut Lagrangian,
    deadline: Option<Instant>,
    cancel: &CancelToken,
    max_evals: u64,
) -> Result<Option<Minimum>, SolveError> {
    let m = lag.dims();
    if cancel.is_cancelled() {
        return Err(SolveError::Cancelled);
    }
    let mut centre = vec![0.0; m];
    let mut g = vec![0.0; m];
    let Some(l0) = lag.eval(&centre, &mut g) else {
        return Ok(None);
    };
    let mut best = Minimum {
        bound: l0,
        mu: centre.clone(),
        converged: m == 0 || g.iter().all(|&x| x >= 0.0),
    };
    if best.converged {
        // At λ = 0 no row is violated by the inner optimum: L(0) is the LP optimum.
        return Ok(Some(best));
    }
    let os = lag.obj_scale;
    // Cuts in scaled units: (L_j / O, g_j / O, μ_j).
    let mut cuts: Vec<(f64, Vec<f64>, Vec<f64>)> =
        vec![(l0 / os, g.iter().map(|x| x / os).collect(), centre.clone())];
    let mut delta = 1.0;
    let mut fails = 0;
    let mut evals = 1;
    let mut mu_hat = vec![0.0; m];
    let mut expansions = 0;
    while evals < max_evals {
        if cancel.is_cancelled() {
            return Err(SolveError::Cancelled);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let Some((model_min, binding)) = master(&cuts, &centre, delta, &mut mu_hat) else {
            break;
        };
        let b = best.bound / os;
        let predicted = b - model_min;
        if predicted <= DUAL_TOLERANCE * b.abs().max(1e-9) {
            if !binding {
                best.converged = true;
                break;
            }
            // The model is flat within the box: look further out.
            delta *= 4.0;
            expansions += 1;
            if delta > 1e12 || expansions > 60 {
                break;
            }
            continue;
        }
        expansions = 0;
        let Some(l) = lag.eval(&mu_hat, &mut g) else {
            break;
        };
        evals += 1;
        cuts.push((l / os, g.iter().map(|x| x / os).collect(), mu_hat.clone()));
        if l / os <= b - 0.1 * predicted {
            centre.copy_from_slice(&mu_hat);
            best.bound = l;
            best.mu.copy_from_slice(&mu_hat);
            if binding {
                delta *= 2.0;
            }
            fails = 0;
        } else {
            if l < best.bound {
                best.bound = l;
                best.mu.copy_from_slice(&mu_hat);
            }
            fails += 1;
            if fails >= 3 {
                delta = (delta * 0.5).max(1e-9);
                fails = 0;
            }
        }
    }
    Ok(Some(best))
}

/// The cutting-plane master: min t, t >= L_j + g_j (μ − μ_j), μ within
/// `delta` of `centre` and >= 0. Writes the minimizer to `mu`; returns the
/// model's minimum and whether the box's edge (not μ >= 0) binds it.
fn master(
    cuts: &[(f64, Vec<f64>, Vec<f64>)],
    centre: &[f64],
    delta: f64,
    mu: &mut [f64],
) -> Option<(f64, bool)> {
    let m = centre.len();
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let t = p.add_var(1.0, (f64::NEG_INFINITY, f64::INFINITY));
    let vars: Vec<_> = (0..m)
        .map(|j| p.add_var(0.0, ((centre[j] - delta).max(0.0), centre[j] + delta)))
        .collect();
    for (l, g, at) in cuts {
        // t − g·μ >= L − g·μ_j
        let mut terms = vec![(t, 1.0)];
        let mut rhs = *l;
        for j in 0..m {
            terms.push((vars[j], -g[j]));
            rhs -= g[j] * at[j];
        }
        p.add_constraint(terms, ComparisonOp::Ge, rhs);
    }
    let sol = match p.solve().ok()? {
        microlp::SolveOutcome::Solution(s) => s,
        _ => return None,
    };
    let mut binding = false;
    for j in 0..m {
        let x = sol.var_value(vars[j]);
        mu[j] = x.max(0.0);
        let hi = centre[j] + delta;
        let lo = centre[j] - delta;
        let tol = 1e-9 * (1.0 + hi.abs());
        if x >= hi - tol || (lo > 0.0 && x <= lo + tol) {
            binding = true;
        }
    }
    Some((sol.objective(), binding))
}

/// The objective of a plan that meets every row (and `eps`), else `None`.
pub(crate) fn feasible_value(
    opts: &Options,
    obj: Objective,
    eps: Option<Epsilon>,
    plan: &Plan,
) -> Option<f64> {
    plan.check(opts).ok()?;
    if let Some(e) = eps {
        let v = plan.objective(opts, e.objective);
        if v < e.min - 1e-9 * e.min.abs().max(1.0) {
            return None;
        }
    }
    Some(plan.objective(opts, obj))
}

/// Makes a plan meet every limit row and the budget: the options using an
/// over-full row shrink to their minimum, then go, least objective value per
/// unit of the row first; then the budget likewise by value per CNY.
pub(crate) fn repair(opts: &Options, obj: Objective, plan: &mut Plan) {
    let rows = &opts.rows;
    for (r, row) in rows.rows.iter().enumerate() {
        if row.credit.is_some() {
            continue;
        }
        let tol = 1e-9 * row.rhs.abs().max(1.0);
        let mut used = rows.usage(r, plan);
        if used <= row.rhs + tol {
            continue;
        }
        let coef = |i: usize| -> f64 {
            rows.by_item[i]
                .iter()
                .filter(|(rr, _)| *rr as usize == r)
                .map(|(_, a)| *a)
                .sum()
        };
        let mut users: Vec<(f64, usize)> = plan
            .choice
            .iter()
            .enumerate()
            .filter_map(|(g, c)| {
                let b = (*c)?;
                let a = coef(b.item);
                (a > 0.0).then(|| (opts.value_per_unit(b.item, obj) / a, g))
            })
            .collect();
        users.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        // Shrink first (keeps the choices), then drop.
        for &(_, g) in &users {
            let b = plan.choice[g].as_mut().expect("built");
            let it = &opts.items[b.item];
            let a = coef(b.item);
            let cut = ((used - row.rhs) / a).min(b.capacity - it.lo).max(0.0);
            b.capacity -= cut;
            used -= cut * a;
            if used <= row.rhs - tol {
                break;
            }
        }
        // Leave a hair of room so that rounding cannot break the row.
        if used > row.rhs {
            for &(_, g) in &users {
                let Some(b) = plan.choice[g] else { continue };
                let a = coef(b.item);
                if b.capacity * a <= used - row.rhs && b.capacity > opts.items[b.item].lo {
                    continue;
                }
                if b.capacity > opts.items[b.item].lo {
                    let cut = ((used - row.rhs) / a + 2.0 * tol / a)
                        .min(b.capacity - opts.items[b.item].lo);
                    plan.choice[g].as_mut().expect("built").capacity -= cut;
                    used -= cut * a;
                } else {
                    plan.choice[g] = None;
                    used -= b.capacity * a;
                }
                if used <= row.rhs {
                    break;
                }
            }
        }
    }
    super::milp::repair_budget(opts, plan);
    let mut over = plan.capex(opts) - opts.budget_cny * (1.0 + 1e-9);
    if over > 0.0 {
        let mut order: Vec<(f64, usize)> = plan
            .choice
            .iter()
            .enumerate()
            .filter_map(|(g, c)| {
                let b = (*c)?;
                let (w, p) = super::bound::point(opts, obj, b.item, b.capacity);
                Some((if w > 0.0 { p / w } else { f64::INFINITY }, g))
            })
            .collect();
        order.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        for (_, g) in order {
            let b = plan.choice[g].expect("built");
            let (w, _) = super::bound::point(opts, obj, b.item, b.capacity);
            plan.choice[g] = None;
            over -= w;
            if over <= 0.0 {
                break;
            }
        }
    }
}

/// Spends what the budget and the rows leave on the options of the plan (and
/// options of empty groups with no minimum and no fixed cost), best
/// Lagrangian value per CNY first, where the true value per unit is positive;
/// a credit row is filled only up to its demand (no new surplus), and with an
/// ε row no option whose ε value per unit is negative grows.
pub(crate) fn fill(lag: &Lagrangian, obj: Objective, plan: &mut Plan) {
    let opts = lag.opts;
    let mut slack = lag.slack(plan);
    let mut left = opts.budget_cny - plan.capex(opts);
    let group_of = |i: usize| -> usize { opts.groups.partition_point(|g| g.items.end <= i) };
    let mut cands: Vec<(f64, usize)> = (0..opts.items.len())
        .filter(|&i| opts.value_per_unit(i, obj) > 0.0 && lag.value_at(i) > 0.0)
        .filter(|&i| {
            lag.eps
                .is_none_or(|e| opts.value_per_unit(i, e.objective) >= 0.0)
        })
        .map(|i| {
            let c = opts.items[i].coef.capex_per_unit;
            (
                if c > 0.0 {
                    lag.value_at(i) / c
                } else {
                    f64::INFINITY
                },
                i,
            )
        })
        .collect();
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in cands {
        let g = group_of(i);
        let it = &opts.items[i];
        let cap = match plan.choice[g] {
            Some(b) if b.item == i => b.capacity,
            None if it.lo <= 0.0 && it.coef.capex_fixed == 0.0 => 0.0,
            _ => continue,
        };
        let mut room = it.hi - cap;
        let c = it.coef.capex_per_unit;
        if c > 0.0 {
            room = room.min(left / c);
        }
        for (r, sl) in slack.iter().enumerate() {
            let a = lag.eff(r, i, 1.0);
            if a > 0.0 {
                room = room.min(sl.max(0.0) / a);
            }
        }
        // A hair inside every row and the budget.
        room *= 1.0 - 1e-10;
        if room <= 0.0 || room * c.max(0.0) <= 1e-9 * opts.budget_cny.max(1.0) && c > 0.0 {
            continue;
        }
        left -= room * c;
        for (r, sl) in slack.iter_mut().enumerate() {
            *sl -= lag.eff(r, i, room);
        }
        plan.choice[g] = Some(Built {
            item: i,
            capacity: cap + room,
        });
    }
}

/// Relative step of the multipliers either side of the dual's minimum at
/// which the greedy's two vertices are read (ties broken both ways).
const SIDE: f64 = 1e-7;

/// The LP's solution at the dual's minimum is a mix of the greedy's
/// solutions either side of it: below (`mu` (1 − SIDE)) the rows are used
/// more, above less. Starting from the plan above (repaired), groups move to
/// their state below, most objective value per unit of row use (priced at
/// the multipliers) first, while every row and the budget hold; a move that
/// only changes one item's capacity may be partial. Then filled.
pub(crate) fn interpolate(lag: &mut Lagrangian, obj: Objective, mu: &[f64]) -> Option<Plan> {
    let opts = lag.opts;
    let rows = &opts.rows;
    let m = lag.dims();
    let mut g = vec![0.0; m];
    let below: Vec<f64> = mu.iter().map(|x| x * (1.0 - SIDE)).collect();
    let above: Vec<f64> = mu.iter().map(|x| x * (1.0 + SIDE) + SIDE * 1e-3).collect();
    lag.eval(&below, &mut g)?;
    let low = lag.plan();
    lag.eval(&above, &mut g)?;
    let mut plan = lag.plan();
    repair(opts, obj, &mut plan);
    lag.eval(mu, &mut g)?;
    let mut lam = vec![0.0; m];
    lag.unscale(mu, &mut lam);
    let lag_ref: &Lagrangian = lag;
    let mut slack = lag_ref.slack(&plan);
    let mut left = opts.budget_cny - plan.capex(opts);
    let state = |c: Option<Built>| c.map_or((usize::MAX, 0.0), |b| (b.item, b.capacity));
    let value = |c: Option<Built>| {
        c.map_or(0.0, |b| {
            super::bound::point(opts, obj, b.item, b.capacity).1
        })
    };
    let capex = |c: Option<Built>| {
        c.map_or(0.0, |b| {
            super::bound::point(opts, obj, b.item, b.capacity).0
        })
    };
    let uses = |c: Option<Built>, r: usize| -> f64 {
        c.map_or(0.0, |b| lag_ref.eff(r, b.item, b.capacity))
    };
    let eps = lag_ref.eps;
    let eps_of = |c: Option<Built>| -> f64 {
        match (eps, c) {
            (Some(e), Some(b)) => super::bound::point(opts, e.objective, b.item, b.capacity).1,
            _ => 0.0,
        }
    };
    // Margin 1e-9 relative, as the feasibility check allows.
    let mut eps_slack = eps.map_or(f64::INFINITY, |e| {
        plan.objective(opts, e.objective) - e.min - 1e-10 * e.min.abs().max(1.0)
    });
    let mut moves: Vec<(f64, usize)> = (0..plan.choice.len())
        .filter(|&k| state(plan.choice[k]) != state(low.choice[k]))
        .filter_map(|k| {
            let gain = value(low.choice[k]) - value(plan.choice[k]);
            if gain <= 0.0 {
                return None;
            }
            let priced: f64 = (0..rows.rows.len())
                .map(|r| lam[r] * (uses(low.choice[k], r) - uses(plan.choice[k], r)).max(0.0))
                .sum();
            Some((gain / priced.max(1e-300), k))
        })
        .collect();
    moves.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, k) in moves {
        let (from, to) = (plan.choice[k], low.choice[k]);
        let dc = capex(to) - capex(from);
        let mut f: f64 = if dc > 0.0 { (left / dc).min(1.0) } else { 1.0 };
        for (r, row) in rows.rows.iter().enumerate() {
            let du = uses(to, r) - uses(from, r);
            if du > 0.0 {
                let tol = 1e-10 * row.rhs.abs().max(1.0);
                f = f.min((slack[r] - tol).max(0.0) / du);
            }
        }
        // The ε row (at least `min` of the other objective) holds too.
        let de = eps_of(to) - eps_of(from);
        if de < 0.0 {
            f = f.min(eps_slack.max(0.0) / -de);
        }
        if f <= 0.0 {
            continue;
        }
        let new = if f >= 1.0 {
            to
        } else {
            match (from, to) {
                (Some(a), Some(b)) if a.item == b.item => Some(Built {
                    item: a.item,
                    capacity: a.capacity + f * (b.capacity - a.capacity),
                }),
                (None, Some(b))
                    if opts.items[b.item].coef.capex_fixed == 0.0
                        && f * b.capacity >= opts.items[b.item].lo =>
                {
                    Some(Built {
                        item: b.item,
                        capacity: f * b.capacity,
                    })
                }
                _ => continue,
            }
        };
        left -= capex(new) - capex(from);
        eps_slack += eps_of(new) - eps_of(from);
        for (r, sl) in slack.iter_mut().enumerate() {
            *sl -= uses(new, r) - uses(from, r);
        }
        plan.choice[k] = new;
    }
    repair(opts, obj, &mut plan);
    lag.eval(mu, &mut g)?;
    let mut plan = lag.walk(obj, Some(&plan));
    fill(lag, obj, &mut plan);
    Some(plan)
}

/// A feasible plan from the dual at scaled multipliers `mu`: the best of
/// the walk, the greedy plan rounded and the interpolation between the
/// greedy's vertices, each repaired to meet every row, then filled. With an
/// ε row a plan may fall short of it; the ε multiplier is then raised until
/// one does not (up to 24 tries), `None` if none does.
pub(crate) fn heuristic(
    lag: &mut Lagrangian,
    obj: Objective,
    mu: &[f64],
    cancel: &CancelToken,
) -> Result<Option<Plan>, SolveError> {
    let m = lag.dims();
    let mut at = mu.to_vec();
    let mut g = vec![0.0; m];
    let mut best: Option<(f64, Plan)> = None;
    let tries = if lag.eps.is_some() { 24 } else { 1 };
    for k in 0..tries {
        if cancel.is_cancelled() {
            return Err(SolveError::Cancelled);
        }
        if lag.eval(&at, &mut g).is_none() {
            return Ok(None);
        }
        let mut found = false;
        for way in 0..3 {
            let mut plan = match way {
                0 => lag.walk(obj, None),
                1 => lag.plan(),
                _ => match interpolate(lag, obj, &at) {
                    Some(p) => p,
                    None => continue,
                },
            };
            repair(lag.opts, obj, &mut plan);
            fill(lag, obj, &mut plan);
            if let Some(v) = feasible_value(lag.opts, obj, lag.eps, &plan) {
                found = true;
                if best.as_ref().is_none_or(|b| v > b.0) {
                    best = Some((v, plan));
                }
            }
        }
        if found {
            break;
        }
        // Short of the ε row: more weight on it.
        let j = m - 1;
        at[j] = at[j] * (1.0 + 1e-6 * 4f64.powi(k)) + 1e-9 * 4f64.powi(k);
    }
    Ok(best.map(|b| b.1))
}

/// Option groups re-optimized at once by [`neighbourhood`]: their LP stays
/// well under [`DUAL_VARS`] variables (tens of milliseconds a node).
pub const NEIGHBOURHOOD_GROUPS: usize = 150;

/// Restricted searches one solve makes at most (each up to a second).
pub const NEIGHBOURHOOD_ROUNDS: u64 = 20;

/// Restricted searches in a row without a better plan after which the
/// search stops.
pub const IDLE_ROUNDS: u32 = 3;

/// The groups where the LP's solution is likely fractional: those whose state
/// differs between the greedy's vertices either side of `mu`, or between
/// them and `base`, closest to a tie first (least Lagrangian value between
/// the states per CNY).
fn tied_groups(
    lag: &mut Lagrangian,
    obj: Objective,
    mu: &[f64],
    base: &Plan,
) -> Option<Vec<usize>> {
    let opts = lag.opts;
    let m = lag.dims();
    let mut g = vec![0.0; m];
    let below: Vec<f64> = mu.iter().map(|x| x * (1.0 - SIDE)).collect();
    let above: Vec<f64> = mu.iter().map(|x| x * (1.0 + SIDE) + SIDE * 1e-3).collect();
    lag.eval(&below, &mut g)?;
    let low = lag.plan();
    lag.eval(&above, &mut g)?;
    let high = lag.plan();
    lag.eval(mu, &mut g)?;
    let key = |c: Option<Built>| c.map(|b| (b.item, b.capacity.to_bits()));
    let lval = |c: Option<Built>| {
        c.map_or((0.0, 0.0), |b| {
            let it = &opts.items[b.item];
            (
                lag.w[b.item] * b.capacity + lag.wf[b.item],
                it.coef.capex_per_unit * b.capacity + it.coef.capex_fixed,
            )
        })
    };
    let _ = obj;
    let mut out: Vec<(f64, usize)> = (0..opts.groups.len())
        .filter(|&k| {
            let (l, h, b) = (key(low.choice[k]), key(high.choice[k]), key(base.choice[k]));
            l != h || b != l || b != h
        })
        .map(|k| {
            let (v1, c1) = lval(low.choice[k]);
            let (v2, c2) = lval(high.choice[k]);
            ((v1 - v2).abs() / (c1 - c2).abs().max(1.0), k)
        })
        .collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Some(out.into_iter().map(|x| x.1).collect())
}

/// The park restricted to `groups`, every other group fixed as in `base`:
/// the budget and the rows less what the fixed groups use (a credit row
/// becomes a limit at the demand left: no surplus in the re-optimized part).
/// Returns the sub-park and, per sub-item, its item in `opts`.
fn restricted(opts: &Options, groups: &[usize], base: &Plan) -> (Options, Vec<usize>) {
    let mut chosen = vec![false; opts.groups.len()];
    for &g in groups {
        chosen[g] = true;
    }
    let mut fixed = base.clone();
    for &g in groups {
        fixed.choice[g] = None;
    }
    let mut items = Vec::new();
    let mut sub_groups = Vec::new();
    let mut old = Vec::new();
    let mut new_of = vec![usize::MAX; opts.items.len()];
    for &g in groups {
        let grp = &opts.groups[g];
        let start = items.len();
        for i in grp.items.clone() {
            new_of[i] = items.len();
            old.push(i);
            items.push(opts.items[i].clone());
        }
        sub_groups.push(crate::model::Group {
            region: grp.region,
            items: start..items.len(),
        });
    }
    let rows: Vec<crate::model::Row> = opts
        .rows
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| crate::model::Row {
            name: row.name.clone(),
            unit: row.unit,
            terms: row
                .terms
                .iter()
                .filter(|(i, _)| new_of[*i] != usize::MAX)
                .map(|&(i, a)| (new_of[i], a))
                .collect(),
            rhs: (row.rhs - opts.rows.usage(r, &fixed)).max(0.0),
            credit: None,
        })
        .collect();
    let n = items.len();
    let sub = Options {
        items,
        groups: sub_groups,
        budget_cny: (opts.budget_cny - fixed.capex(opts)).max(0.0),
        alpha: opts.alpha,
        rows: crate::model::Rows::new(rows, n),
    };
    (sub, old)
}

/// Re-optimizes `groups` of `base` exactly (the LP branch and bound of
/// [`super::milp`] on the restricted park, small enough for microlp), then
/// spends what is left by the walk at the dual's order. `None`: no better
/// plan in time.
#[allow(clippy::too_many_arguments)]
fn neighbourhood(
    lag: &mut Lagrangian,
    obj: Objective,
    groups: &[usize],
    base: &Plan,
    seconds: f64,
    cancel: &CancelToken,
) -> Result<Option<Plan>, SolveError> {
    let opts = lag.opts;
    let eps = lag.eps;
    let (sub, old) = restricted(opts, groups, base);
    let mut fixed = base.clone();
    for &g in groups {
        fixed.choice[g] = None;
    }
    let sub_eps = eps.map(|e| Epsilon {
        objective: e.objective,
        min: e.min - fixed.objective(opts, e.objective),
    });
    // The base's own choices in the sub-park: a start.
    let start = Plan {
        choice: groups
            .iter()
            .map(|&g| {
                base.choice[g].map(|b| Built {
                    item: old.iter().position(|&i| i == b.item).expect("in the group"),
                    capacity: b.capacity,
                })
            })
            .collect(),
    };
    let limits = Limits {
        nodes: 20_000,
        seconds,
    };
    let starts: Vec<&Plan> = if start.check(&sub).is_ok() {
        vec![&start]
    } else {
        vec![]
    };
    let Some(sol) = super::milp::solve(&sub, obj, sub_eps, &starts, limits, cancel)? else {
        return Ok(None);
    };
    let mut plan = fixed;
    for (k, &g) in groups.iter().enumerate() {
        plan.choice[g] = sol.plan.choice[k].map(|b| Built {
            item: old[b.item],
            capacity: b.capacity,
        });
    }
    let mut plan = lag.walk(obj, Some(&plan));
    repair(opts, obj, &mut plan);
    fill(lag, obj, &mut plan);
    Ok(Some(plan))
}

/// Best plan for `obj` under every row (and `eps`), with the dual bound: the
/// dual minimized, its plan repaired and filled, the best of it and `starts`.
/// The bound holds whatever the time limit stopped. `Ok(None)`: no plan that
/// meets the ε row was found.
pub fn solve(
    opts: &Options,
    obj: Objective,
    eps: Option<Epsilon>,
    starts: &[&Plan],
    limits: Limits,
    cancel: &CancelToken,
) -> Result<Option<Solution>, SolveError> {
    let start = Instant::now();
    let deadline = (limits.seconds.is_finite() && limits.seconds >= 0.0)
        .then(|| start + std::time::Duration::from_secs_f64(limits.seconds));
    let mut lag = Lagrangian::new(opts, obj, eps, None);
    let Some(min) = minimize(&mut lag, deadline, cancel, MAX_EVALUATIONS)? else {
        return Ok(None);
    };
    let mut best: Option<(f64, Plan)> = None;
    let offer = |best: &mut Option<(f64, Plan)>, p: Plan| {
        if let Some(v) = feasible_value(opts, obj, eps, &p)
            && best.as_ref().is_none_or(|b| v > b.0)
        {
            *best = Some((v, p));
        }
    };
    if eps.is_none() {
        offer(&mut best, Plan::empty(opts));
    }
    for p in starts {
        offer(&mut best, (*p).clone());
    }
    if let Some(p) = heuristic(&mut lag, obj, &min.mu, cancel)? {
        offer(&mut best, p);
    }
    // Within the gap target of the bound, or else: the groups tied at the
    // dual's minimum re-optimized exactly, a few hundred at a time, as long
    // as time and the node limit allow (the bound stays the dual's).
    let target = super::exact::gap_tolerance(opts.groups.len());
    let mut tried = 0;
    let mut rounds = 0u64;
    let mut idle = 0;
    while let Some((v, p)) = best.clone() {
        if super::relative_gap(v, min.bound) <= target
            || rounds >= limits.nodes.clamp(1, NEIGHBOURHOOD_ROUNDS)
        {
            break;
        }
        let left = deadline.map_or(f64::INFINITY, |d| {
            d.saturating_duration_since(Instant::now()).as_secs_f64()
        });
        if left <= 0.0 {
            break;
        }
        let Some(tied) = tied_groups(&mut lag, obj, &min.mu, &p) else {
            break;
        };
        if tied.is_empty() || tried >= tied.len() {
            break;
        }
        let take = NEIGHBOURHOOD_GROUPS.min(tied.len() - tried);
        let mut groups: Vec<usize> = tied[tried..tried + take].to_vec();
        groups.sort_unstable();
        tried += take;
        rounds += 1;
        let before = v;
        if let Some(q) = neighbourhood(&mut lag, obj, &groups, &p, left.min(1.0), cancel)? {
            offer(&mut best, q);
        }
        if best.as_ref().is_some_and(|b| b.0 > before) {
            // Improved: the ties are read again around the new plan.
            tried = 0;
            idle = 0;
        } else {
            idle += 1;
            if idle >= IDLE_ROUNDS {
                break;
            }
        }
    }
    let Some((value, plan)) = best else {
        return Ok(None);
    };
    let bound = min.bound.max(value);
    let proven = bound <= value + super::PROVEN_GAP * value.abs().max(1.0);
    Ok(Some(Solution::from_search(
        plan,
        obj,
        value,
        proven,
        bound,
        lag.evaluations,
        start.elapsed().as_secs_f64(),
    )))
}

/// The dual's minimum and whether it converged (then it is the LP
/// relaxation's optimum, within [`DUAL_TOLERANCE`]): for tests and benchmarks.
pub fn lp_bound(
    opts: &Options,
    obj: Objective,
    eps: Option<Epsilon>,
) -> Result<(f64, bool), SolveError> {
    let mut lag = Lagrangian::new(opts, obj, eps, None);
    let min =
        minimize(&mut lag, None, &CancelToken::new(), MAX_EVALUATIONS)?.expect("no forced picks");
    Ok((min.bound, min.converged))
}

/// L at unscaled multipliers `lambda` (one per resource row, then ε): an
/// upper bound on every plan for any `lambda >= 0`.
pub fn lagrangian_at(opts: &Options, obj: Objective, eps: Option<Epsilon>, lambda: &[f64]) -> f64 {
    let mut lag = Lagrangian::new(opts, obj, eps, None);
    let mu: Vec<f64> = (0..lag.dims())
        .map(|j| lambda[j] * lag.scale[j] / lag.obj_scale)
        .collect();
    let mut g = vec![0.0; lag.dims()];
    lag.eval(&mu, &mut g).expect("no forced picks")
}

/// LP variables above which a park's rows are solved by the dual instead of
/// microlp's LP: the largest LP left to microlp is about this size, and
/// its root LP takes about 0.2 s (docs/performance.md, "Large parks with
/// rows: dual bound"); microlp checks its deadline only every 1,000 simplex
/// iterations and cannot be cancelled.
pub const DUAL_VARS: usize = 2_500;

/// Variables of [`super::milp`]'s LP of a park: a capacity and a build
/// variable per option, a surplus variable per credit class.
pub fn lp_vars(opts: &Options) -> usize {
    let items = opts.items.iter().filter(|it| it.hi > 0.0).count();
    let classes: usize = opts
        .rows
        .rows
        .iter()
        .filter_map(|r| r.credit.as_ref().map(|c| c.classes.len()))
        .sum();
    2 * items + classes
}

/// Whether [`super::milp::solve`] uses the dual for this park.
pub fn is_large(opts: &Options) -> bool {
    lp_vars(opts) > DUAL_VARS
}

/// [`super::milp::polish`] by the dual: the best capacities for `plan`'s
/// choices (built at least at their minimum, nothing else) under every row,
/// within `seconds`. The dual's plan for those choices, repaired and filled;
/// `None` if no plan was found in time.
pub(crate) fn polish(opts: &Options, obj: Objective, plan: &Plan, seconds: f64) -> Option<Plan> {
    let start = Instant::now();
    let deadline = seconds
        .is_finite()
        .then(|| start + std::time::Duration::from_secs_f64(seconds.max(0.0)));
    let picks: Vec<Pick> = plan
        .choice
        .iter()
        .map(|c| c.map_or(Pick::Nothing, |b| Pick::Item(b.item)))
        .collect();
    let cancel = CancelToken::new();
    let mut lag = Lagrangian::new(opts, obj, None, Some(picks));
    let min = minimize(&mut lag, deadline, &cancel, MAX_EVALUATIONS).ok()??;
    let found = heuristic(&mut lag, obj, &min.mu, &cancel).ok()?;
    let mut best: Option<(f64, Plan)> = None;
    for p in found.into_iter().chain(std::iter::once(plan.clone())) {
        if let Some(v) = feasible_value(opts, obj, None, &p)
            && best.as_ref().is_none_or(|b| v > b.0)
        {
            best = Some((v, p));
        }
    }
    best.map(|b| b.1)
}

/// [`super::milp::root_plan`] by the dual: its plan at the minimum found
/// within `seconds` (the empty plan if none).
pub(crate) fn root_plan(opts: &Options, obj: Objective, seconds: f64) -> Plan {
    let limits = Limits { nodes: 1, seconds };
    match solve(opts, obj, None, &[], limits, &CancelToken::new()) {
        Ok(Some(s)) => s.plan,
        _ => Plan::empty(opts),
    }
}

/// The plan of per-group (item, capacity) choices; a zero capacity builds
/// nothing unless the item has a fixed cost (then it is a built minimum).
fn plan_of(opts: &Options, cur: Vec<Option<(usize, f64)>>) -> Plan {
    Plan {
        choice: cur
            .into_iter()
            .map(|c| {
                c.and_then(|(item, capacity)| {
                    (capacity > 0.0 || opts.items[item].coef.capex_fixed > 0.0)
                        .then_some(Built { item, capacity })
                })
            })
            .collect(),
    }
}

impl Lagrangian<'_> {
    /// Per row, what `plan` leaves of its right-hand side (as [`Self::eff`] counts use).
    fn slack(&self, plan: &Plan) -> Vec<f64> {
        let rows = &self.opts.rows.rows;
        (0..rows.len())
            .map(|r| {
                rows[r].rhs
                    - plan
                        .built()
                        .map(|b| self.eff(r, b.item, b.capacity))
                        .sum::<f64>()
            })
            .collect()
    }
}
