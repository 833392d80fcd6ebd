//! Exact solver: depth-first branch and bound over the discrete choices (which
//! option, if any, in each group), pruned by the LP bound of [`super::bound`];
//! at a leaf the continuous capacities are a knapsack with lower bounds, which the
//! same greedy solves exactly.

use std::time::Instant;

use super::bound::{Increment, greedy, group_hull};
use super::{CancelToken, Solution, SolveError};
use crate::model::{Objective, Options};
use crate::plan::{Built, Plan};

/// Share of the time limit the search of a park with resource rows gives to
/// the same park without them (its plan is a start for the LP search).
pub const RELAXED_SHARE: f64 = 0.5;

/// The same share when the rowless LP's plan meets every row and loses
/// nothing to surplus (the rows probably do not bind).
pub const IDLE_ROWS_SHARE: f64 = 0.9;

/// Gap of the dual's answer on a large park with binding rows above which,
/// under a time limit, the rowless search still runs (its plan, polished
/// under the rows, is another start).
pub const DUAL_ENOUGH: f64 = 1e-3;

/// Nodes after which the search stops and reports the best plan with its bound.
pub const DEFAULT_NODE_LIMIT: u64 = 5_000_000;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Pick {
    Free,
    Nothing,
    Item(usize),
}

struct Search<'a> {
    opts: &'a Options,
    obj: Objective,
    hulls: Vec<Vec<Increment>>,
    order: Vec<usize>,
    /// Per group, its items in the order to try (best LP density first).
    tries: Vec<Vec<usize>>,
    picks: Vec<Pick>,
    best_value: f64,
    best_plan: Plan,
    nodes: u64,
    node_limit: u64,
    incs: Vec<Increment>,
    taken: Vec<f64>,
    cancel: &'a CancelToken,
    cancelled: bool,
    deadline: Option<Instant>,
    /// Cancel and deadline checks at nodes where `nodes & check_mask == 0`:
    /// every 1,024 nodes on small parks, every node on large ones, whose
    /// nodes each cost O(groups) (10,000 regions: a few ms a node).
    check_mask: u64,
    /// Relative gap within which a node is pruned (see [`gap_tolerance`]).
    gap_tol: f64,
    /// The root LP's bound: the search ends once the incumbent is within
    /// `gap_tol` of it.
    root_bound: f64,
    /// The largest bound of a node pruned within `gap_tol` of the incumbent
    /// without being below it: what is left unproven.
    open_bound: f64,
    /// Ended because the incumbent came within `gap_tol` of the root bound.
    closed: bool,
    /// Scratch of the node heuristic: per group, the (item, capacity) reached.
    cur: Vec<Option<(usize, f64)>>,
    /// Scratch plan of the node heuristic.
    trial: Plan,
}

impl Search<'_> {
    /// LP bound of the current node; at a leaf also the exact capacities.
    fn bound(&mut self, leaf: bool) -> Option<f64> {
        let opts = self.opts;
        let mut used = 0.0;
        let mut value = 0.0;
        self.incs.clear();
        for (g, pick) in self.picks.iter().enumerate() {
            match *pick {
                Pick::Free => self.incs.extend_from_slice(&self.hulls[g]),
                Pick::Nothing => {}
                Pick::Item(i) => {
                    let it = &opts.items[i];
                    let (w, p) = super::bound::point(opts, self.obj, i, it.lo);
                    used += w;
                    value += p;
                    let v = opts.value_per_unit(i, self.obj);
                    if v > 0.0 && it.hi > it.lo {
                        self.incs.push(Increment {
                            weight: it.coef.capex_per_unit * (it.hi - it.lo),
                            profit: v * (it.hi - it.lo),
                            group: g,
                            from: Some((i, it.lo)),
                            to: (i, it.hi),
                        });
                    }
                }
            }
        }
        let left = opts.budget_cny - used;
        if left < -1e-9 * opts.budget_cny.max(1.0) {
            return None;
        }
        let b = value + greedy(&mut self.incs, left.max(0.0), Some(&mut self.taken));
        if !leaf {
            self.dive(left.max(0.0));
        }
        Some(b)
    }

    /// The node heuristic: the LP solution of the node made whole. Each group
    /// at the hull point its full increments reach, the fractional increment
    /// kept where it only changes an item's capacity (else dropped), then the
    /// budget left spent on the next increments, in the LP's order, that
    /// continue a group from where it stands. Without it a depth-first search
    /// meets a new incumbent only at a leaf, a thousand levels down on a large
    /// park, and a budget-bound park could stop at a 1e-3 gap.
    fn dive(&mut self, budget: f64) {
        let opts = self.opts;
        for (g, pick) in self.picks.iter().enumerate() {
            self.cur[g] = match *pick {
                Pick::Item(i) => Some((i, opts.items[i].lo)),
                _ => None,
            };
        }
        let mut left = budget;
        let dust = 1e-9 * budget.max(1.0);
        let continues = |cur: Option<(usize, f64)>, from: Option<(usize, f64)>| match (cur, from) {
            (None, None) => true,
            (Some((ci, ca)), Some((fi, fa))) => ci == fi && ca == fa,
            _ => false,
        };
        let mut full_lp = true;
        for (inc, &frac) in self.incs.iter().zip(&self.taken) {
            if inc.profit <= 0.0 {
                break;
            }
            let g = inc.group;
            if !continues(self.cur[g], inc.from) {
                continue;
            }
            let (to_item, to_cap) = inc.to;
            let it = &opts.items[to_item];
            // The share of this step to buy: what the LP bought while the
            // solution is still the LP's, then what the budget left allows.
            let want = if full_lp { frac } else { 1.0 };
            let share = if inc.weight <= 0.0 {
                1.0
            } else {
                want.min(left / inc.weight).max(0.0)
            };
            if share >= 1.0 - 1e-12 {
                left -= inc.weight;
                self.cur[g] = Some(inc.to);
                continue;
            }
            full_lp = false;
            if share <= 0.0 || left <= dust {
                continue;
            }
            // Part of a step is a plan only when it changes one item's capacity.
            let cap = match inc.from {
                Some((fi, fa)) if fi == to_item => Some(fa + share * (to_cap - fa)),
                None if it.coef.capex_fixed == 0.0 && share * to_cap >= it.lo => {
                    Some(share * to_cap)
                }
                _ => None,
            };
            if let Some(cap) = cap {
                left -= inc.weight * share;
                self.cur[g] = Some((to_item, cap.min(it.hi)));
            }
        }
        for (c, cur) in self.trial.choice.iter_mut().zip(&self.cur) {
            *c = cur.and_then(|(item, capacity)| {
                let keep = capacity > 0.0 || opts.items[item].coef.capex_fixed > 0.0;
                keep.then_some(Built { item, capacity })
            });
        }
        let v = self.trial.objective(opts, self.obj);
        if v > self.best_value + 1e-12 * v.abs().max(1.0) && self.trial.check(opts).is_ok() {
            self.best_value = v;
            self.best_plan.clone_from(&self.trial);
        }
    }

    /// Whether a node bounded by `b` cannot beat the incumbent by more than
    /// the gap tolerance; a node pruned above the incumbent is remembered as
    /// the bound left open.
    fn prunes(&mut self, b: f64) -> bool {
        let prune = b <= self.best_value + self.gap_tol * self.best_value.abs().max(1.0);
        if prune && b > self.best_value {
            self.open_bound = self.open_bound.max(b);
        }
        prune
    }

    fn record_leaf(&mut self, value: f64) {
        let mut plan = Plan::empty(self.opts);
        for (g, pick) in self.picks.iter().enumerate() {
            if let Pick::Item(i) = *pick {
                plan.choice[g] = Some(Built {
                    item: i,
                    capacity: self.opts.items[i].lo,
                });
            }
        }
        for (inc, &frac) in self.incs.iter().zip(&self.taken) {
            if frac > 0.0
                && let Some(b) = plan.choice[inc.group].as_mut()
            {
                let it = &self.opts.items[b.item];
                b.capacity = (it.lo + frac * (it.hi - it.lo)).min(it.hi);
            }
        }
        // A zero capacity with nothing paid is "not built".
        for c in plan.choice.iter_mut() {
            if let Some(b) = c
                && b.capacity <= 0.0
                && self.opts.items[b.item].coef.capex_fixed == 0.0
            {
                *c = None;
            }
        }
        self.best_value = value;
        self.best_plan = plan;
    }

    fn dfs(&mut self, depth: usize) {
        if self.nodes >= self.node_limit || self.cancelled || self.closed {
            return;
        }
        if self.root_bound <= self.best_value + self.gap_tol * self.best_value.abs().max(1.0) {
            // Every open node is within the gap of the incumbent.
            self.closed = true;
            self.open_bound = self.open_bound.max(self.root_bound);
            return;
        }
        self.nodes += 1;
        if self.nodes & self.check_mask == 0 {
            if self.cancel.is_cancelled() {
                self.cancelled = true;
                return;
            }
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                // Out of time: stop as at the node limit (not proven).
                self.node_limit = self.nodes;
                return;
            }
        }
        let leaf = depth == self.order.len();
        let Some(b) = self.bound(leaf) else { return };
        if leaf {
            if b > self.best_value + 1e-12 * self.best_value.abs().max(1.0) {
                self.record_leaf(b);
            }
            return;
        }
        if self.prunes(b) {
            return;
        }
        let g = self.order[depth];
        for k in 0..self.tries[g].len() {
            let i = self.tries[g][k];
            self.picks[g] = Pick::Item(i);
            self.dfs(depth + 1);
        }
        self.picks[g] = Pick::Nothing;
        self.dfs(depth + 1);
        self.picks[g] = Pick::Free;
    }
}

/// Solves to proven optimality, or reports the best plan and the bound if the
/// node limit is reached first.
pub fn solve(opts: &Options, obj: Objective, node_limit: u64) -> Result<Solution, SolveError> {
    solve_with(opts, obj, node_limit, &CancelToken::new())
}

/// [`solve`], stopping with `Cancelled` within 1,024 nodes of a cancel request
/// (within one node on parks of 64 groups or more).
pub fn solve_with(
    opts: &Options,
    obj: Objective,
    node_limit: u64,
    cancel: &CancelToken,
) -> Result<Solution, SolveError> {
    solve_limited(opts, obj, node_limit, f64::INFINITY, cancel)
}

/// [`solve_with`], also stopping after `time_limit_s` seconds as if the node
/// limit were reached: the best plan so far, with its gap to the bound.
pub fn solve_limited(
    opts: &Options,
    obj: Objective,
    node_limit: u64,
    time_limit_s: f64,
    cancel: &CancelToken,
) -> Result<Solution, SolveError> {
    let start = Instant::now();
    if !opts.rows.is_empty() {
        // Resource rows: the LP-based search (the greedy knows one row only).
        let limit = if time_limit_s.is_finite() && time_limit_s >= 0.0 {
            time_limit_s
        } else {
            f64::INFINITY
        };
        // First the park without its rows, by the greedy search (a share of
        // the time): rows only take value away, so where its plan happens to
        // meet every row it is as good as the rows allow, and on a large park
        // whose rows do not bind it is an incumbent the LP search, rounding
        // LP solutions, would take minutes to find.
        let mut relaxed = opts.clone();
        relaxed.rows = crate::model::Rows::default();
        // A large park: the Lagrangian dual first (a bound and a plan in
        // well under a second on 10,000 regions); done if within the gap.
        let first = if super::dual::is_large(opts) {
            let limits = super::milp::Limits {
                nodes: node_limit.min(super::milp::LP_NODE_LIMIT),
                seconds: limit,
            };
            let start_plan = super::bound::lp_plan(&relaxed, obj);
            let sol = super::dual::solve(opts, obj, None, &[&start_plan], limits, cancel)?
                .expect("the empty plan is feasible without an epsilon row");
            if sol.gap() <= gap_tolerance(opts.groups.len()) {
                let mut sol = sol;
                sol.seconds = start.elapsed().as_secs_f64();
                return Ok(sol);
            }
            Some(sol)
        } else {
            None
        };
        // Where the rowless LP's plan already meets every row and loses
        // nothing, the rows are unlikely to bind: the rowless search gets
        // most of the time.
        let probe = super::bound::lp_plan(&relaxed, obj);
        let idle = probe.check(opts).is_ok()
            && probe.objective(opts, obj) >= probe.objective(&relaxed, obj) * (1.0 - 1e-12);
        if !idle
            && let Some(mut sol) = first.clone()
            && (sol.gap() <= DUAL_ENOUGH || !limit.is_finite())
        {
            // Binding rows on a large park: the dual's answer (its
            // restricted searches ran as far as limits allow); the rowless
            // search would mostly spend the time. Only a poor answer under a
            // time limit goes on to the rowless search and its polish.
            sol.seconds = start.elapsed().as_secs_f64();
            return Ok(sol);
        }
        let share = if idle { IDLE_ROWS_SHARE } else { RELAXED_SHARE };
        let free = solve_limited(&relaxed, obj, node_limit, limit * share, cancel)?;
        // Rows only take value away, so the rowless bound bounds this park
        // too: a rowless plan that meets every row and loses nothing to
        // surplus is as good as the rowless search proved it (a large park
        // whose rows do not bind is answered without an LP).
        if free.plan.check(opts).is_ok() {
            let value = free.plan.objective(opts, obj);
            if value >= free.value - 1e-12 * free.value.abs().max(1.0) {
                let mut sol = free;
                sol.value = value;
                sol.upper_bound = sol.upper_bound.max(value);
                sol.seconds = start.elapsed().as_secs_f64();
                return Ok(sol);
            }
        }
        let budget_plan = super::bound::lp_plan(opts, obj);
        let limits = super::milp::Limits {
            nodes: node_limit.min(super::milp::LP_NODE_LIMIT),
            seconds: (limit - start.elapsed().as_secs_f64()).max(0.0),
        };
        // Its capacities re-optimized under the rows (one LP over the options
        // it builds): where a row binds a little, a small change of capacity
        // keeps most of its value.
        let polished = if start.elapsed().as_secs_f64() < limit {
            super::milp::polish_within(opts, obj, &free.plan, limit - start.elapsed().as_secs_f64())
        } else {
            None
        };
        let polished = polished.unwrap_or_else(|| free.plan.clone());
        let mut starts = vec![&budget_plan, &free.plan, &polished];
        if let Some(f) = &first {
            starts.push(&f.plan);
        }
        let sol = super::milp::solve(opts, obj, None, &starts, limits, cancel)?;
        let mut sol = sol.expect("the empty plan is feasible without an epsilon row");
        // Every bound found holds: the rowless search's (rows only take value
        // away) and the dual's.
        let mut bound = sol.upper_bound.min(free.upper_bound);
        if let Some(f) = &first {
            bound = bound.min(f.upper_bound);
        }
        if !sol.proven_optimal && bound < sol.upper_bound {
            sol.upper_bound = bound.max(sol.value);
            if sol.upper_bound <= sol.value + super::PROVEN_GAP * sol.value.abs().max(1.0) {
                sol.upper_bound = sol.value;
                sol.proven_optimal = true;
                sol.bound = super::BoundKind::Optimum;
            }
        }
        sol.evaluations += free.evaluations;
        sol.seconds = start.elapsed().as_secs_f64();
        return Ok(sol);
    }
    let n = opts.groups.len();
    let hulls: Vec<Vec<Increment>> = (0..n).map(|g| group_hull(opts, obj, g)).collect();
    let tries = super::bound::tries_by_density(opts, obj);
    // Groups with the most valuable hulls first: they decide the most.
    let mut order: Vec<usize> = (0..n).collect();
    let best_slope = |g: usize| hulls[g].first().map_or(f64::NEG_INFINITY, |i| i.slope());
    order.sort_by(|&a, &b| {
        super::bound::coarse(best_slope(b)).total_cmp(&super::bound::coarse(best_slope(a)))
    });
    let mut s = Search {
        opts,
        obj,
        hulls,
        order,
        tries,
        picks: vec![Pick::Free; n],
        best_value: 0.0,
        best_plan: Plan::empty(opts),
        nodes: 0,
        node_limit,
        incs: Vec::new(),
        taken: Vec::new(),
        cancel,
        cancelled: false,
        check_mask: if n >= 64 { 0 } else { 1023 },
        gap_tol: gap_tolerance(n),
        root_bound: f64::INFINITY,
        open_bound: f64::NEG_INFINITY,
        closed: false,
        cur: vec![None; n],
        trial: Plan::empty(opts),
        deadline: (time_limit_s.is_finite() && time_limit_s >= 0.0)
            .then(|| start + std::time::Duration::from_secs_f64(time_limit_s)),
    };
    // The first incumbent: the LP-rounded plan, or the empty plan (worth 0).
    let start_plan = super::bound::lp_plan(opts, obj);
    if start_plan.check(opts).is_ok() {
        let v = start_plan.objective(opts, obj);
        if v > 0.0 {
            s.best_value = v;
            s.best_plan = start_plan;
        }
    }
    let root = s.bound(false).unwrap_or(0.0);
    s.root_bound = root;
    s.dfs(0);
    if s.cancelled {
        return Err(SolveError::Cancelled);
    }
    let value = s.best_plan.objective(opts, obj);
    let stopped = s.nodes >= s.node_limit;
    // Searched to the end: the optimum is at most the largest bound pruned
    // within the gap tolerance (the value itself when none was).
    let bound = if stopped {
        root.max(value)
    } else {
        s.open_bound.max(value)
    };
    let proven = !stopped
        && (s.gap_tol <= super::PROVEN_GAP
            || bound <= value + super::PROVEN_GAP * value.abs().max(1.0));
    Ok(Solution::from_search(
        s.best_plan,
        obj,
        value,
        proven,
        bound,
        s.nodes,
        start.elapsed().as_secs_f64(),
    ))
}

/// Relative gap within which the branch and bound prunes a node: 1e-9 (float
/// rounding) on parks up to [`super::milp::SMALL_GROUPS`] option groups, where
/// proving takes milliseconds, and [`super::milp::LARGE_GAP`] above, where the
/// last 1e-7 can take millions of nodes (a 1,000-region park with a binding
/// budget); the answer then carries the gap left.
pub fn gap_tolerance(groups: usize) -> f64 {
    if groups <= super::milp::SMALL_GROUPS {
        1e-9
    } else {
        super::milp::LARGE_GAP
    }
}
