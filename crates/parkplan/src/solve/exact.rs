//! Exact solver: depth-first branch and bound over the discrete choices (which
//! option, if any, in each group), pruned by the LP bound of [`super::bound`];
//! at a leaf the continuous capacities are a knapsack with lower bounds, which the
//! same greedy solves exactly.

use std::time::Instant;

use super::bound::{Increment, greedy, group_hull};
use super::{CancelToken, Solution, SolveError};
use crate::model::{Objective, Options};
use crate::plan::{Built, Plan};

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
        let taken = leaf.then_some(&mut self.taken);
        Some(value + greedy(&mut self.incs, left.max(0.0), taken))
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
        if self.nodes >= self.node_limit || self.cancelled {
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
        let tol = 1e-9 * self.best_value.abs().max(1.0);
        if leaf {
            if b > self.best_value + tol {
                self.record_leaf(b);
            }
            return;
        }
        if b <= self.best_value + tol {
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
        let budget_plan = super::bound::lp_plan(opts, obj);
        let limits = super::milp::Limits {
            nodes: node_limit.min(super::milp::LP_NODE_LIMIT),
            seconds: if time_limit_s.is_finite() && time_limit_s >= 0.0 {
                time_limit_s
            } else {
                f64::INFINITY
            },
        };
        let sol = super::milp::solve(opts, obj, None, &[&budget_plan], limits, cancel)?;
        return Ok(sol.expect("the empty plan is feasible without an epsilon row"));
    }
    let n = opts.groups.len();
    let hulls: Vec<Vec<Increment>> = (0..n).map(|g| group_hull(opts, obj, g)).collect();
    let tries = super::bound::tries_by_density(opts, obj);
    // Groups with the most valuable hulls first: they decide the most.
    let mut order: Vec<usize> = (0..n).collect();
    let best_slope = |g: usize| hulls[g].first().map_or(f64::NEG_INFINITY, |i| i.slope());
    order.sort_by(|&a, &b| best_slope(b).total_cmp(&best_slope(a)));
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
    s.dfs(0);
    if s.cancelled {
        return Err(SolveError::Cancelled);
    }
    let proven = s.nodes < s.node_limit;
    let value = s.best_plan.objective(opts, obj);
    Ok(Solution::from_search(
        s.best_plan,
        obj,
        value,
        proven,
        root,
        s.nodes,
        start.elapsed().as_secs_f64(),
    ))
}
