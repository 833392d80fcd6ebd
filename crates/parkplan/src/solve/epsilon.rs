//! Exact epsilon-constraint solve: the best annual benefit (eq. 3.1) among plans
//! that reduce at least `min_co2` t/yr (eq. 3.2 as a constraint). Used for the
//! Pareto front.
//!
//! Branch and bound over the discrete choices as in [`super::exact`]; the bound
//! is the Lagrangian relaxation of the CO2 row, min over mu >= 0 of
//! max (benefit + mu (CO2 - min_co2)) under the budget, each term solved by the
//! hull greedy (any mu gives a valid bound, so an approximate minimum is safe).
//! At a leaf the capacities are a continuous problem with two rows (budget and
//! CO2), solved exactly by bisection on mu and mixing the two greedy solutions
//! either side of the breakpoint.

use std::time::Instant;

use super::bound::{Increment, greedy, group_hull_by};
use super::{CancelToken, Solution, SolveError};
use crate::model::{Objective, Options};
use crate::plan::{Built, Plan};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Pick {
    Free,
    Nothing,
    Item(usize),
}

/// Per-unit (benefit, CO2) and fixed benefit of an item.
fn values(opts: &Options, i: usize) -> (f64, f64, f64) {
    (
        opts.value_per_unit(i, Objective::Economic),
        opts.value_per_unit(i, Objective::Carbon),
        opts.value_fixed(i, Objective::Economic),
    )
}

/// The continuous part with the discrete choices fixed: ranges above the
/// minimum capacities, the budget left and the CO2 still needed.
struct Leaf {
    /// (item, cost per unit, benefit per unit, CO2 per unit, room)
    vars: Vec<(usize, f64, f64, f64, f64)>,
    budget: f64,
    need_co2: f64,
}

/// Greedy for benefit + mu CO2: amounts per variable, benefit and CO2 bought.
fn greedy_mu(leaf: &Leaf, mu: f64, order: &mut Vec<usize>, x: &mut Vec<f64>) -> (f64, f64) {
    let score = |k: usize| {
        let (_, c, v, e, _) = leaf.vars[k];
        let p = v + mu * e;
        if c <= 0.0 {
            if p > 0.0 {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            }
        } else {
            p / c
        }
    };
    order.clear();
    order.extend(0..leaf.vars.len());
    order.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
    x.clear();
    x.resize(leaf.vars.len(), 0.0);
    let mut left = leaf.budget;
    let (mut ben, mut co2) = (0.0, 0.0);
    for &k in order.iter() {
        let (_, c, v, e, room) = leaf.vars[k];
        if v + mu * e <= 0.0 {
            break;
        }
        if room <= 0.0 {
            // Fixed by its bounds: nothing to buy, but later options still count.
            continue;
        }
        let amount = if c <= 0.0 { room } else { room.min(left / c) };
        if amount <= 0.0 {
            break;
        }
        x[k] = amount;
        left -= amount * c;
        ben += amount * v;
        co2 += amount * e;
    }
    (ben, co2)
}

/// Exact optimum of the two-row continuous problem; `None` if the CO2 cannot be met.
fn solve_leaf(leaf: &Leaf) -> Option<(f64, Vec<f64>)> {
    let (mut order, mut x0) = (Vec::new(), Vec::new());
    let tol = 1e-9 * leaf.need_co2.abs().max(1.0);
    let (b0, c0) = greedy_mu(leaf, 0.0, &mut order, &mut x0);
    if c0 >= leaf.need_co2 - tol {
        return Some((b0, x0));
    }
    // Find mu large enough, then bisect to the breakpoint.
    let mut hi = 1e-6;
    let mut x_hi = Vec::new();
    loop {
        let (_, c) = greedy_mu(leaf, hi, &mut order, &mut x_hi);
        if c >= leaf.need_co2 - tol {
            break;
        }
        hi *= 4.0;
        if hi > 1e30 {
            return None;
        }
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let (_, c) = greedy_mu(leaf, mid, &mut order, &mut x_hi);
        if c >= leaf.need_co2 - tol {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let mut x_lo = Vec::new();
    let (b_lo, c_lo) = greedy_mu(leaf, lo, &mut order, &mut x_lo);
    let (b_hi, c_hi) = greedy_mu(leaf, hi, &mut order, &mut x_hi);
    if c_lo >= leaf.need_co2 - tol {
        return Some((b_lo, x_lo));
    }
    // Mix so that the CO2 row holds with equality.
    let theta = ((c_hi - leaf.need_co2) / (c_hi - c_lo)).clamp(0.0, 1.0);
    let x: Vec<f64> = x_lo
        .iter()
        .zip(&x_hi)
        .map(|(a, b)| theta * a + (1.0 - theta) * b)
        .collect();
    Some((theta * b_lo + (1.0 - theta) * b_hi, x))
}

/// Multipliers tried for the Lagrangian bound (CNY per t/yr): 0 and a log grid.
fn mu_grid() -> Vec<f64> {
    std::iter::once(0.0)
        .chain((0..=60).map(|k| 10f64.powf(-4.0 + k as f64 * 0.2)))
        .collect()
}

struct Search<'a> {
    opts: &'a Options,
    min_co2: f64,
    mus: Vec<f64>,
    /// hulls[m][g]: group g's hull for benefit + mus[m] CO2.
    hulls: Vec<Vec<Vec<Increment>>>,
    /// Index of the multiplier that gave the last node's bound (tried first).
    last_mu: usize,
    order: Vec<usize>,
    tries: Vec<Vec<usize>>,
    picks: Vec<Pick>,
    best_value: f64,
    best_plan: Option<Plan>,
    nodes: u64,
    node_limit: u64,
    incs: Vec<Increment>,
    token: Option<&'a CancelToken>,
    cancelled: bool,
}

impl Search<'_> {
    /// Fixed part: capex, benefit and CO2 of the picked items at their minimum.
    fn base(&self) -> (f64, f64, f64) {
        let mut base = (0.0, 0.0, 0.0);
        for p in &self.picks {
            if let Pick::Item(i) = *p {
                let it = &self.opts.items[i];
                let (v, e, vf) = values(self.opts, i);
                base.0 += it.coef.capex_per_unit * it.lo + it.coef.capex_fixed;
                base.1 += v * it.lo + vf;
                base.2 += e * it.lo;
            }
        }
        base
    }

    /// Lagrangian bound at multiplier `mus[m]`.
    fn bound_at(&mut self, m: usize, base: (f64, f64, f64)) -> f64 {
        let opts = self.opts;
        let mu = self.mus[m];
        self.incs.clear();
        for (g, p) in self.picks.iter().enumerate() {
            match *p {
                Pick::Free => self.incs.extend_from_slice(&self.hulls[m][g]),
                Pick::Nothing => {}
                Pick::Item(i) => {
                    let it = &opts.items[i];
                    let (v, e, _) = values(opts, i);
                    let p = (v + mu * e) * (it.hi - it.lo);
                    if p > 0.0 {
                        self.incs.push(Increment {
                            weight: it.coef.capex_per_unit * (it.hi - it.lo),
                            profit: p,
                            group: g,
                            from: Some((i, it.lo)),
                            to: (i, it.hi),
                        });
                    }
                }
            }
        }
        let left = (opts.budget_cny - base.0).max(0.0);
        base.1 + mu * (base.2 - self.min_co2) + greedy(&mut self.incs, left, None)
    }

    /// The least Lagrangian bound over the multiplier grid (each is a valid
    /// bound); stops early once one proves the node cannot beat the incumbent.
    fn bound(&mut self) -> Option<f64> {
        let base = self.base();
        if base.0 > self.opts.budget_cny * (1.0 + 1e-9) + 1e-6 {
            return None;
        }
        let cutoff = self
            .best_plan
            .is_some()
            .then(|| self.best_value + 1e-9 * self.best_value.abs().max(1.0));
        let mut best = self.bound_at(self.last_mu, base);
        if cutoff.is_some_and(|c| best <= c) {
            return Some(best);
        }
        for m in 0..self.mus.len() {
            if m == self.last_mu {
                continue;
            }
            let b = self.bound_at(m, base);
            if b < best {
                best = b;
                self.last_mu = m;
                if cutoff.is_some_and(|c| best <= c) {
                    break;
                }
            }
        }
        Some(best)
    }

    fn leaf(&mut self) {
        let opts = self.opts;
        let base = self.base();
        let mut vars = Vec::new();
        for p in &self.picks {
            if let Pick::Item(i) = *p {
                let it = &opts.items[i];
                let (v, e, _) = values(opts, i);
                vars.push((i, it.coef.capex_per_unit, v, e, it.hi - it.lo));
            }
        }
        let leaf = Leaf {
            vars,
            budget: opts.budget_cny - base.0,
            need_co2: self.min_co2 - base.2,
        };
        if leaf.budget < -1e-9 * opts.budget_cny.max(1.0) {
            return;
        }
        let Some((gain, x)) = solve_leaf(&leaf) else {
            return;
        };
        let value = base.1 + gain;
        if value > self.best_value + 1e-9 * self.best_value.abs().max(1.0)
            || self.best_plan.is_none()
        {
            let mut plan = Plan::empty(opts);
            let mut k = 0;
            for (g, p) in self.picks.iter().enumerate() {
                if let Pick::Item(i) = *p {
                    let it = &opts.items[i];
                    let capacity = (it.lo + x[k]).min(it.hi);
                    k += 1;
                    if capacity > 0.0 || it.coef.capex_fixed > 0.0 {
                        plan.choice[g] = Some(Built { item: i, capacity });
                    }
                }
            }
            self.best_value = value;
            self.best_plan = Some(plan);
        }
    }

    fn dfs(&mut self, depth: usize) {
        if self.nodes >= self.node_limit || self.cancelled {
            return;
        }
        self.nodes += 1;
        if self.nodes % 1024 == 0 && self.token.is_some_and(|t| t.is_cancelled()) {
            self.cancelled = true;
            return;
        }
        if depth == self.order.len() {
            self.leaf();
            return;
        }
        let Some(b) = self.bound() else { return };
        if self.best_plan.is_some() && b <= self.best_value + 1e-9 * self.best_value.abs().max(1.0)
        {
            return;
        }
        let g = self.order[depth];
        for k in 0..self.tries[g].len() {
            self.picks[g] = Pick::Item(self.tries[g][k]);
            self.dfs(depth + 1);
        }
        self.picks[g] = Pick::Nothing;
        self.dfs(depth + 1);
        self.picks[g] = Pick::Free;
    }
}

/// A good feasible plan for large parks: the LP-rounded plan of benefit + mu CO2,
/// with the smallest mu (found by bisection) whose plan reaches `min_co2`.
pub fn heuristic(opts: &Options, min_co2: f64) -> Option<Plan> {
    match heuristic_with(opts, min_co2, None) {
        Ok(p) => p,
        Err(_) => unreachable!("nothing cancels without a token"),
    }
}

/// [`heuristic`], checking `token` before each LP-rounded plan (one plan of a
/// 100,000-region park takes tens of milliseconds; the bisection makes ~80).
fn heuristic_with(
    opts: &Options,
    min_co2: f64,
    token: Option<&CancelToken>,
) -> Result<Option<Plan>, SolveError> {
    let check = || match token {
        Some(t) if t.is_cancelled() => Err(SolveError::Cancelled),
        _ => Ok(()),
    };
    check()?;
    let plan_at = |mu: f64| {
        let val = |i: usize, a: f64| {
            let (v, e, vf) = values(opts, i);
            (v + mu * e) * a + vf
        };
        super::bound::lp_plan_by(opts, &val)
    };
    let co2 = |p: &Plan| p.objective(opts, Objective::Carbon);
    let enough = |p: &Plan| co2(p) >= min_co2 - 1e-9 * min_co2.abs().max(1.0);
    let p0 = plan_at(0.0);
    if enough(&p0) {
        return Ok(Some(p0));
    }
    let mut hi = 1e-3;
    let mut best = loop {
        check()?;
        let p = plan_at(hi);
        if enough(&p) {
            break p;
        }
        hi *= 4.0;
        if hi > 1e15 {
            return Ok(None);
        }
    };
    let mut lo = hi / 4.0;
    for _ in 0..60 {
        check()?;
        let mid = 0.5 * (lo + hi);
        let p = plan_at(mid);
        if enough(&p) {
            hi = mid;
            best = p;
        } else {
            lo = mid;
        }
    }
    Ok(Some(best))
}

/// The root's Lagrangian bound (the least over the multiplier grid, stopping
/// at the first at or below `cutoff`, as [`Search::bound`] does), building one
/// multiplier's hulls at a time: memory O(groups) rather than O(62 groups),
/// which held 1.1 GB per point on 100,000 regions. Checks `token` every 4,096
/// groups.
fn root_bound_streamed(
    opts: &Options,
    min_co2: f64,
    mus: &[f64],
    cutoff: Option<f64>,
    token: Option<&CancelToken>,
) -> Result<f64, SolveError> {
    let mut incs: Vec<Increment> = Vec::new();
    let mut best = f64::INFINITY;
    for &mu in mus {
        incs.clear();
        let val = |i: usize, a: f64| {
            let (v, e, vf) = values(opts, i);
            (v + mu * e) * a + vf
        };
        for g in 0..opts.groups.len() {
            if g % 4096 == 0 && token.is_some_and(|t| t.is_cancelled()) {
                return Err(SolveError::Cancelled);
            }
            incs.extend(group_hull_by(opts, g, &val));
        }
        let b = -mu * min_co2 + greedy(&mut incs, opts.budget_cny.max(0.0), None);
        best = best.min(b);
        if cutoff.is_some_and(|c| best <= c) {
            break;
        }
    }
    Ok(best)
}

/// The best annual benefit with at least `min_co2` t/yr of CO2 reduction.
/// `Ok(None)` if no plan reaches `min_co2`. `start` is a feasible plan to prune
/// with (e.g. the carbon optimum), if known.
pub fn solve(
    opts: &Options,
    min_co2: f64,
    start: Option<&Plan>,
    node_limit: u64,
) -> Result<Option<Solution>, SolveError> {
    search(opts, min_co2, start, node_limit, None)
}

/// [`solve`] that stops with [`SolveError::Cancelled`] when `token` is cancelled.
pub fn solve_with(
    opts: &Options,
    min_co2: f64,
    start: Option<&Plan>,
    node_limit: u64,
    token: &CancelToken,
) -> Result<Option<Solution>, SolveError> {
    search(opts, min_co2, start, node_limit, Some(token))
}

fn search(
    opts: &Options,
    min_co2: f64,
    start: Option<&Plan>,
    node_limit: u64,
    token: Option<&CancelToken>,
) -> Result<Option<Solution>, SolveError> {
    let t0 = Instant::now();
    let n = opts.groups.len();
    let mus = mu_grid();
    if node_limit == 0 {
        return unsearched(opts, min_co2, start, &mus, token, t0);
    }
    let tries = super::bound::tries_by_density(opts, Objective::Economic);
    let hulls: Vec<Vec<Vec<Increment>>> = mus
        .iter()
        .map(|&mu| {
            (0..n)
                .map(|g| {
                    let val = |i: usize, a: f64| {
                        let (v, e, vf) = values(opts, i);
                        (v + mu * e) * a + vf
                    };
                    group_hull_by(opts, g, &val)
                })
                .collect()
        })
        .collect();
    let mut s = Search {
        opts,
        min_co2,
        mus,
        hulls,
        last_mu: 0,
        order: (0..n).collect(),
        tries,
        picks: vec![Pick::Free; n],
        best_value: f64::NEG_INFINITY,
        best_plan: None,
        nodes: 0,
        node_limit,
        incs: Vec::new(),
        token,
        cancelled: false,
    };
    // Start from the better of the given plan and the LP-rounded heuristic.
    let heur = heuristic_with(opts, min_co2, token)?;
    if let Some((plan, value)) = best_start(opts, min_co2, start, heur.as_ref()) {
        s.best_value = value;
        s.best_plan = Some(plan);
    }
    let root = s.bound();
    s.dfs(0);
    if s.cancelled {
        return Err(SolveError::Cancelled);
    }
    let proven = s.nodes < s.node_limit;
    let Some(plan) = s.best_plan else {
        return Ok(None);
    };
    let value = plan.objective(opts, Objective::Economic);
    Ok(Some(Solution::from_search(
        plan,
        Objective::Economic,
        value,
        proven,
        root.unwrap_or(value),
        s.nodes,
        t0.elapsed().as_secs_f64(),
    )))
}

/// The better of the given plan and the heuristic's that is feasible and
/// reaches `min_co2`, with its benefit.
fn best_start(
    opts: &Options,
    min_co2: f64,
    start: Option<&Plan>,
    heur: Option<&Plan>,
) -> Option<(Plan, f64)> {
    let mut best: Option<(Plan, f64)> = None;
    for p in start.into_iter().chain(heur) {
        let co2 = p.objective(opts, Objective::Carbon);
        let value = p.objective(opts, Objective::Economic);
        if p.check(opts).is_ok()
            && co2 >= min_co2 - 1e-9 * min_co2.abs().max(1.0)
            && best.as_ref().is_none_or(|b| value > b.1)
        {
            best = Some((p.clone(), value));
        }
    }
    best
}

/// A solve with no search (`node_limit` 0, large parks): the best starting
/// plan with its gap to the root bound, in memory O(groups) and cancellable
/// throughout (issue 14: 5.7 GB and minutes without a cancel check at
/// 100,000 regions).
fn unsearched(
    opts: &Options,
    min_co2: f64,
    start: Option<&Plan>,
    mus: &[f64],
    token: Option<&CancelToken>,
    t0: Instant,
) -> Result<Option<Solution>, SolveError> {
    let heur = heuristic_with(opts, min_co2, token)?;
    let Some((plan, value)) = best_start(opts, min_co2, start, heur.as_ref()) else {
        return Ok(None);
    };
    let cutoff = value + 1e-9 * value.abs().max(1.0);
    let root = root_bound_streamed(opts, min_co2, mus, Some(cutoff), token)?;
    Ok(Some(Solution::from_search(
        plan,
        Objective::Economic,
        value,
        false,
        root,
        0,
        t0.elapsed().as_secs_f64(),
    )))
}
