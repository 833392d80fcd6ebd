//! Exact solver for option tables with more than one row: branch and bound over
//! the build decisions, bounded by the exact LP relaxation with every row
//! (budget, resource rows, and an optional epsilon row on the other objective),
//! solved by `microlp` and warm-started at each branch by fixing one variable.
//!
//! The relaxation is the convex hull of each group (item copies x_i <= y_i,
//! x_i >= lo/hi y_i, sum y <= 1, the perspective formulation), so with only the
//! budget row it equals the hull greedy of [`super::bound`]. Variables are
//! scaled (capacity as a fraction of its cap, rows by their right-hand side) to
//! keep the LP well conditioned.

use std::time::Instant;

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome, Variable};

use super::{CancelToken, Solution, SolveError};
use crate::model::{Objective, Options};
use crate::plan::{Built, Plan};

/// LP nodes the search may visit when the caller's node limit is larger:
/// each node is a warm-started LP, about a thousand times a greedy node.
pub const LP_NODE_LIMIT: u64 = 200_000;

/// Parks up to this many option groups are solved to a relative gap of 1e-9;
/// larger ones to [`LARGE_GAP`] (and report the gap left).
pub const SMALL_GROUPS: usize = 60;
/// Relative gap at which nodes of large parks are pruned.
pub const LARGE_GAP: f64 = 1e-6;
/// LP variables times tree depth up to which a node's LP is copied for its
/// second child (about 250 bytes a variable: some 50 MB).
const CLONE_BUDGET: usize = 200_000;
/// LP variables times nodes: the node limit of large parks (each node's LP
/// costs about its size), so that a huge park stops within seconds to a minute.
const NODE_WORK: u64 = 20_000_000;
/// Below the copied depth, a copy of the LP every `n_vars / CHECKPOINT_VARS`
/// levels (8 to 64): a second child is replayed by at most that many fixes.
const CHECKPOINT_VARS: usize = 400;

/// A constraint on the other objective: its value at least `min`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Epsilon {
    pub objective: Objective,
    pub min: f64,
}

/// Limits of one search.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub nodes: u64,
    pub seconds: f64,
}

struct Model {
    problem: Problem,
    /// Per item: capacity-fraction variable, build variable (None when the
    /// item's group has one option, no minimum and no fixed cost).
    x: Vec<Option<Variable>>,
    y: Vec<Option<Variable>>,
    obj_scale: f64,
    n_vars: usize,
}

/// `only`: per group, the one item allowed (built), or `None` (nothing): the
/// continuous problem of fixed discrete choices. `None`: every choice open.
fn build(
    opts: &Options,
    obj: Objective,
    eps: Option<Epsilon>,
    only: Option<&[Option<usize>]>,
) -> Model {
    let n = opts.items.len();
    let mut problem = Problem::new(OptimizationDirection::Maximize);
    // Objective scale: the largest coefficient.
    let mut obj_scale: f64 = 1.0;
    for (i, it) in opts.items.iter().enumerate() {
        obj_scale = obj_scale
            .max((opts.value_per_unit(i, obj) * it.hi).abs())
            .max(opts.value_fixed(i, obj).abs());
    }
    let mut x = vec![None; n];
    let mut y = vec![None; n];
    for (gi, g) in opts.groups.iter().enumerate() {
        let single = g.items.len() == 1;
        for i in g.items.clone() {
            let it = &opts.items[i];
            let allowed = only.is_none_or(|o| o[gi] == Some(i));
            if it.hi <= 0.0 || !allowed {
                continue;
            }
            let v = opts.value_per_unit(i, obj) * it.hi / obj_scale;
            x[i] = Some(problem.add_var(v, (0.0, 1.0)));
            let ylo = if only.is_some() { 1.0 } else { 0.0 };
            if !(single && it.lo <= 0.0 && it.coef.capex_fixed == 0.0) {
                y[i] = Some(problem.add_var(opts.value_fixed(i, obj) / obj_scale, (ylo, 1.0)));
            }
        }
        // x <= y, x >= lo/hi y, sum y <= 1.
        let mut sum = Vec::new();
        for i in g.items.clone() {
            let (Some(xi), Some(yi)) = (x[i], y[i]) else {
                continue;
            };
            let it = &opts.items[i];
            problem.add_constraint([(xi, 1.0), (yi, -1.0)], ComparisonOp::Le, 0.0);
            if it.lo > 0.0 {
                problem.add_constraint([(xi, 1.0), (yi, -it.lo / it.hi)], ComparisonOp::Ge, 0.0);
            }
            sum.push((yi, 1.0));
        }
        if sum.len() > 1 {
            problem.add_constraint(sum, ComparisonOp::Le, 1.0);
        }
    }
    // A hair inside every row, so that plans read off the LP pass Plan::check.
    const INSIDE: f64 = 1e-11;
    // Budget.
    let b = opts.budget_cny.max(1.0);
    let mut terms = Vec::new();
    for (i, it) in opts.items.iter().enumerate() {
        if let Some(xi) = x[i]
            && it.coef.capex_per_unit != 0.0
        {
            terms.push((xi, it.coef.capex_per_unit * it.hi / b));
        }
        if let Some(yi) = y[i]
            && it.coef.capex_fixed != 0.0
        {
            terms.push((yi, it.coef.capex_fixed / b));
        }
    }
    if !terms.is_empty() && opts.budget_cny.is_finite() {
        problem.add_constraint(
            terms,
            ComparisonOp::Le,
            opts.budget_cny / b * (1.0 - INSIDE),
        );
    }
    // Resource rows; the surplus variables enter the objective(s).
    // Per surplus variable: (variable, co2 lost per scaled unit).
    let mut surplus: Vec<(Variable, f64, f64)> = Vec::new();
    for row in &opts.rows.rows {
        let scale = row
            .terms
            .iter()
            .map(|&(i, a)| (a * opts.items[i].hi).abs())
            .fold(row.rhs.abs(), f64::max)
            .max(1.0);
        let mut terms: Vec<(Variable, f64)> = row
            .terms
            .iter()
            .filter_map(|&(i, a)| x[i].map(|xi| (xi, a * opts.items[i].hi / scale)))
            .collect();
        match &row.credit {
            None => {
                problem.add_constraint(terms, ComparisonOp::Le, row.rhs / scale * (1.0 - INSIDE));
            }
            Some(credit) => {
                for (k, class) in credit.classes.iter().enumerate() {
                    let loss = credit.loss(k, obj);
                    let s = problem.add_var(-loss * scale / obj_scale, (0.0, f64::INFINITY));
                    let mut cap: Vec<(Variable, f64)> = class
                        .producers
                        .iter()
                        .filter_map(|&(i, p)| x[i].map(|xi| (xi, -p * opts.items[i].hi / scale)))
                        .collect();
                    cap.push((s, 1.0));
                    problem.add_constraint(cap, ComparisonOp::Le, 0.0);
                    terms.push((s, -1.0));
                    surplus.push((
                        s,
                        credit.loss(k, Objective::Economic) * scale,
                        credit.loss(k, Objective::Carbon) * scale,
                    ));
                }
                problem.add_constraint(terms, ComparisonOp::Le, row.rhs / scale);
            }
        }
    }
    if let Some(e) = eps {
        let scale = e.min.abs().max(1.0);
        let mut terms: Vec<(Variable, f64)> = Vec::new();
        for (i, it) in opts.items.iter().enumerate() {
            if let Some(xi) = x[i] {
                terms.push((xi, opts.value_per_unit(i, e.objective) * it.hi / scale));
            }
            if let Some(yi) = y[i] {
                let f = opts.value_fixed(i, e.objective);
                if f != 0.0 {
                    terms.push((yi, f / scale));
                }
            }
        }
        // Surplus takes its credit back from the other objective too.
        terms.extend(surplus.iter().map(|&(s, money, co2)| {
            let loss = match e.objective {
                Objective::Economic => money,
                Objective::Carbon => co2,
            };
            (s, -loss / scale)
        }));
        problem.add_constraint(
            terms,
            ComparisonOp::Ge,
            e.min / scale - 5.0 * INSIDE * (e.min / scale).abs().max(1e-3),
        );
    }
    let n_vars = y.iter().flatten().map(|v| v.idx() + 1).max().unwrap_or(0);
    Model {
        problem,
        x,
        y,
        obj_scale,
        n_vars,
    }
}

struct Search<'a> {
    opts: &'a Options,
    obj: Objective,
    eps: Option<Epsilon>,
    model: &'a Model,
    best_value: f64,
    best_plan: Option<Plan>,
    nodes: u64,
    limits: Limits,
    start: Instant,
    cancel: &'a CancelToken,
    cancelled: bool,
    stopped: bool,
    /// Per LP variable: a build variable fixed by a branch above this node.
    fixed: Vec<bool>,
    /// The best bound of the nodes left unexplored when the search stopped,
    /// or pruned within `gap_tol` of the incumbent.
    open_bound: f64,
    failed: bool,
    /// Relative gap within which a node is pruned.
    gap_tol: f64,
    /// Ended because the incumbent came within `gap_tol` of the root bound.
    closed: bool,
    /// The fixes from the root to this node.
    path: Vec<(Variable, f64)>,
    /// Copies of LPs on the current path (the root first), by path length, to
    /// replay a second child from when no copy of its parent is kept.
    checkpoints: Vec<(usize, microlp::Solution)>,
    /// The root LP's bound: the search ends once the incumbent is within
    /// `gap_tol` of it.
    root_bound: f64,
    /// Depth above which a node's LP is not copied for its second child (the
    /// child is re-solved from the root instead): memory stays bounded.
    clone_depth: usize,
}

impl<'a> Search<'a> {
    /// A search of one node, for reading a plan out of an LP solution
    /// (`polish`, `root_plan`).
    fn one_shot(
        opts: &'a Options,
        obj: Objective,
        model: &'a Model,
        cancel: &'a CancelToken,
    ) -> Search<'a> {
        Search {
            opts,
            obj,
            eps: None,
            model,
            best_value: f64::NEG_INFINITY,
            best_plan: None,
            nodes: 0,
            limits: Limits {
                nodes: 1,
                seconds: f64::INFINITY,
            },
            start: Instant::now(),
            cancel,
            cancelled: false,
            stopped: false,
            fixed: Vec::new(),
            open_bound: f64::NEG_INFINITY,
            failed: false,
            gap_tol: 1e-9,
            closed: false,
            path: Vec::new(),
            checkpoints: Vec::new(),
            root_bound: f64::INFINITY,
            clone_depth: 0,
        }
    }

    fn feasible_value(&self, plan: &Plan) -> Option<f64> {
        plan.check(self.opts).ok()?;
        if let Some(e) = self.eps {
            let v = plan.objective(self.opts, e.objective);
            if v < e.min - 1e-9 * e.min.abs().max(1.0) {
                return None;
            }
        }
        Some(plan.objective(self.opts, self.obj))
    }

    fn offer(&mut self, mut plan: Plan) {
        repair_budget(self.opts, &mut plan);
        if let Some(v) = self.feasible_value(&plan)
            && (self.best_plan.is_none() || v > self.best_value)
        {
            self.best_value = v;
            self.best_plan = Some(plan);
        }
    }

    /// The plan read off an LP solution: items whose build variable is (about) 1
    /// at their LP capacity; fractional ones dropped.
    fn plan_of(&self, sol: &microlp::Solution, round_up: bool) -> Plan {
        let mut plan = Plan::empty(self.opts);
        for (g, group) in self.opts.groups.iter().enumerate() {
            let mut best: Option<(f64, usize)> = None;
            for i in group.items.clone() {
                let Some(xi) = self.model.x[i] else { continue };
                let xv = sol.var_value(xi).clamp(0.0, 1.0);
                let yv = self.model.y[i]
                    .map_or(if xv > 1e-12 { 1.0 } else { 0.0 }, |y| sol.var_value(y));
                let keep = if round_up { yv > 1e-9 } else { yv > 1.0 - 1e-9 };
                if keep && best.is_none_or(|(b, _)| yv > b) {
                    best = Some((yv, i));
                }
            }
            if let Some((_, i)) = best {
                let it = &self.opts.items[i];
                let xv = sol
                    .var_value(self.model.x[i].expect("kept"))
                    .clamp(0.0, 1.0);
                let capacity = (xv * it.hi).clamp(it.lo, it.hi);
                if capacity > 0.0 || it.coef.capex_fixed > 0.0 {
                    plan.choice[g] = Some(Built { item: i, capacity });
                }
            }
        }
        plan
    }

    /// The most fractional build variable not yet fixed, if any.
    fn branch_var(&self, sol: &microlp::Solution) -> Option<(Variable, f64)> {
        let mut best: Option<(Variable, f64, f64)> = None;
        for y in self.model.y.iter().flatten() {
            if self.fixed[y.idx()] {
                continue;
            }
            let v = sol.var_value(*y);
            let frac = v.min(1.0 - v);
            if frac > 1e-9 && best.is_none_or(|b| frac > b.2) {
                best = Some((*y, v, frac));
            }
        }
        best.map(|b| (b.0, b.1))
    }

    /// Whether a node bounded by `bound` cannot beat the incumbent.
    fn prunes(&mut self, bound: f64) -> bool {
        let prune = self.best_plan.is_some()
            && bound <= self.best_value + self.gap_tol * self.best_value.abs().max(1.0);
        if prune && bound > self.best_value {
            self.open_bound = self.open_bound.max(bound);
        }
        prune
    }

    /// The LP of the current path, re-solved from the deepest checkpoint by
    /// its fixes; `None` when a limit or cancel stops it midway.
    fn replay(&mut self) -> Option<Result<SolveOutcome, microlp::Error>> {
        let n = self.path.len();
        if self.out_of_limits() {
            return None;
        }
        let (from, cp) = self
            .checkpoints
            .iter()
            .rev()
            .find(|(d, _)| *d < n)
            .map(|(d, s)| (*d, s.clone()))?;
        let mut sol = cp;
        for k in from..n {
            let (v, val) = self.path[k];
            let out = match sol.fix_var(v, val) {
                Ok(o) => o,
                Err(e) => return Some(Err(e)),
            };
            if k + 1 == n {
                return Some(Ok(out));
            }
            if self.out_of_limits() {
                return None;
            }
            match out {
                SolveOutcome::Solution(s) => sol = s,
                other => return Some(Ok(other)),
            }
        }
        None
    }

    fn out_of_limits(&mut self) -> bool {
        if self.cancelled || self.stopped || self.closed {
            return true;
        }
        if self.best_plan.is_some()
            && self.root_bound <= self.best_value + self.gap_tol * self.best_value.abs().max(1.0)
        {
            // Every open node is within the gap: done (the root bound stays
            // the reported bound).
            self.closed = true;
            self.open_bound = self.open_bound.max(self.root_bound);
            return true;
        }
        if self.cancel.is_cancelled() {
            self.cancelled = true;
            return true;
        }
        // The root LP always runs (its bound is the answer's bound).
        if self.nodes > 0
            && (self.nodes >= self.limits.nodes
                || self.start.elapsed().as_secs_f64() >= self.limits.seconds)
        {
            self.stopped = true;
            return true;
        }
        false
    }

    /// Whether a limit, a cancel or the closed gap ends the search before a
    /// node's second child (left open at the parent's `bound`).
    fn stop_here(&mut self, bound: f64) -> bool {
        if !self.out_of_limits() {
            return false;
        }
        if !self.closed {
            self.open_bound = self.open_bound.max(bound);
        }
        true
    }

    fn node(&mut self, outcome: Result<SolveOutcome, microlp::Error>, parent_bound: f64) {
        if self.out_of_limits() {
            // (Closed: every node is within the gap of the root bound, kept.)
            if !self.closed {
                self.open_bound = self.open_bound.max(parent_bound);
            }
            return;
        }
        self.nodes += 1;
        let sol = match outcome {
            Ok(SolveOutcome::Solution(s)) => s,
            Ok(SolveOutcome::Interrupted(_)) => {
                self.stopped = true;
                self.open_bound = self.open_bound.max(parent_bound);
                return;
            }
            Err(microlp::Error::Infeasible) => return,
            Err(microlp::Error::InternalError(m)) if m == LP_OUT_OF_TIME => {
                self.stopped = true;
                self.open_bound = self.open_bound.max(parent_bound);
                return;
            }
            Err(_) => {
                // A numerical failure: the node cannot be proven empty.
                self.failed = true;
                self.open_bound = self.open_bound.max(parent_bound);
                return;
            }
        };
        let bound = sol.objective() * self.model.obj_scale;
        if self.prunes(bound) {
            return;
        }
        // Rounding down keeps every <= row; cheap, and finds incumbents early.
        let down = self.plan_of(&sol, false);
        self.offer(down);
        let Some((y, v)) = self.branch_var(&sol) else {
            // Integral: the LP optimum is a plan.
            let plan = self.plan_of(&sol, true);
            self.offer(plan);
            return;
        };
        let first = if v >= 0.5 { 1.0 } else { 0.0 };
        self.fixed[y.idx()] = true;
        self.path.push((y, first));
        if self.path.len() <= self.clone_depth {
            let a = sol.clone().fix_var(y, first);
            self.node(a, bound);
            self.path.pop();
            // Limits first: once stopped, unwinding must not solve (or replay)
            // a second child at every level of a deep path.
            if !self.stop_here(bound) && !self.prunes(bound) {
                self.path.push((y, 1.0 - first));
                let b = sol.fix_var(y, 1.0 - first);
                self.node(b, bound);
                self.path.pop();
            }
        } else {
            // Deep in a large park: keep a copy every CHECKPOINT levels only.
            let depth = self.path.len() - 1;
            let every = (self.model.n_vars / CHECKPOINT_VARS).clamp(8, 64);
            let checkpoint = depth % every == 0;
            if checkpoint {
                self.checkpoints.push((depth, sol.clone()));
            }
            let a = sol.fix_var(y, first);
            self.node(a, bound);
            self.path.pop();
            if !self.stop_here(bound) && !self.prunes(bound) {
                self.path.push((y, 1.0 - first));
                match self.replay() {
                    Some(b) => self.node(b, bound),
                    None if !self.closed => self.open_bound = self.open_bound.max(bound),
                    None => {}
                }
                self.path.pop();
            }
            if checkpoint {
                self.checkpoints.pop();
            }
        }
        self.fixed[y.idx()] = false;
    }
}

/// The tightest feasibility tolerance microlp takes: plans read off the LP
/// must pass Plan::check (1e-9 relative) without repair.
fn lp_options() -> microlp::SolveOptions {
    let mut options = microlp::SolveOptions::default();
    options.tolerances.feasibility = 1e-10;
    options
}

/// The message of an LP call [`solve_timed`] gave up on.
const LP_OUT_OF_TIME: &str = "the LP did not finish within the time limit";

/// `problem.solve_with(options)` that returns by `options.time_limit`: microlp
/// checks its deadline only every 1,000 simplex iterations, which on a
/// 10,000-region park with NETs is tens of seconds. With a limit, the LP runs
/// on a thread of its own, which this call leaves behind when time is up
/// (the thread ends at microlp's next deadline check).
fn solve_timed(
    problem: &microlp::Problem,
    options: microlp::SolveOptions,
) -> Result<SolveOutcome, microlp::Error> {
    let Some(limit) = options.time_limit else {
        return problem.solve_with(options);
    };
    let problem = problem.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The receiver may be gone: nothing waits for a late answer.
        let _ = tx.send(problem.solve_with(options));
    });
    match rx.recv_timeout(limit + std::time::Duration::from_millis(20)) {
        Ok(outcome) => outcome,
        Err(_) => Err(microlp::Error::InternalError(LP_OUT_OF_TIME.into())),
    }
}

/// The best capacities for fixed discrete choices (`plan`'s items built, at
/// least at their minimum; nothing else) under every row: one LP. `None` if
/// those choices cannot be made feasible (a minimum breaks a row).
pub fn polish(opts: &Options, obj: Objective, plan: &Plan) -> Option<Plan> {
    polish_within(opts, obj, plan, f64::INFINITY)
}

/// [`polish`] within `seconds` (`None` if the LP does not finish in time).
pub fn polish_within(opts: &Options, obj: Objective, plan: &Plan, seconds: f64) -> Option<Plan> {
    if 2 * plan.built().count() > super::dual::DUAL_VARS {
        // Too large an LP to leave to microlp (it cannot be cancelled).
        return super::dual::polish(opts, obj, plan, seconds);
    }
    let only: Vec<Option<usize>> = plan.choice.iter().map(|c| c.map(|b| b.item)).collect();
    let model = build(opts, obj, None, Some(&only));
    let mut options = lp_options();
    if seconds.is_finite() {
        options.time_limit = Some(std::time::Duration::from_secs_f64(seconds.max(0.0)));
    }
    let sol = match solve_timed(&model.problem, options) {
        Ok(SolveOutcome::Solution(s)) => s,
        _ => return None,
    };
    let cancel = CancelToken::new();
    let s = Search::one_shot(opts, obj, &model, &cancel);
    let mut p = s.plan_of(&sol, true);
    repair_budget(opts, &mut p);
    p.check(opts).ok().map(|()| p)
}

/// A good plan under every row: the root LP's plan with fractional choices
/// dropped, its capacities then re-optimized ([`polish`]). The GA's seed.
/// Both LPs share `seconds` (a 10,000-region park's root LP alone ran for
/// minutes under a 2 s limit); out of time, the empty plan.
pub fn root_plan(opts: &Options, obj: Objective, seconds: f64) -> Plan {
    if super::dual::is_large(opts) {
        return super::dual::root_plan(opts, obj, seconds);
    }
    let start = std::time::Instant::now();
    let model = build(opts, obj, None, None);
    let mut options = lp_options();
    if seconds.is_finite() {
        options.time_limit = Some(std::time::Duration::from_secs_f64(seconds.max(0.0)));
    }
    let Ok(SolveOutcome::Solution(sol)) = solve_timed(&model.problem, options) else {
        return Plan::empty(opts);
    };
    let cancel = CancelToken::new();
    let s = Search::one_shot(opts, obj, &model, &cancel);
    let down = s.plan_of(&sol, false);
    let left = seconds - start.elapsed().as_secs_f64();
    polish_within(opts, obj, &down, left).unwrap_or_else(|| Plan::empty(opts))
}

/// Takes back a budget overshoot left by the LP's tolerances (a few CNY in
/// 1e8) from the continuous capacities, least valuable per CNY first.
pub(crate) fn repair_budget(opts: &Options, plan: &mut Plan) {
    let mut over = plan.capex(opts) - opts.budget_cny;
    if over <= 0.0 {
        return;
    }
    let mut order: Vec<usize> = (0..plan.choice.len())
        .filter(|&g| plan.choice[g].is_some())
        .collect();
    let density = |g: usize| {
        let b = plan.choice[g].expect("built");
        let c = opts.items[b.item].coef.capex_per_unit;
        opts.value_per_unit(b.item, Objective::Economic) / c.max(1e-300)
    };
    order.sort_by(|&a, &b| density(a).total_cmp(&density(b)));
    for g in order {
        let Some(b) = plan.choice[g].as_mut() else {
            continue;
        };
        let it = &opts.items[b.item];
        let c = it.coef.capex_per_unit;
        if c <= 0.0 || b.capacity <= it.lo {
            continue;
        }
        let cut = (over / c).min(b.capacity - it.lo);
        b.capacity -= cut;
        over -= cut * c;
        if over <= 0.0 {
            break;
        }
    }
}

/// Best plan for `obj` under every row (and `eps`, if given), with its bound.
/// `starts` are feasible plans to prune with (checked here). `Ok(None)` when
/// no plan meets the epsilon row.
pub fn solve(
    opts: &Options,
    obj: Objective,
    eps: Option<Epsilon>,
    starts: &[&Plan],
    limits: Limits,
    cancel: &CancelToken,
) -> Result<Option<Solution>, SolveError> {
    if super::dual::is_large(opts) {
        // microlp's root LP would take seconds to minutes, uncancellable.
        return super::dual::solve(opts, obj, eps, starts, limits, cancel);
    }
    let start = Instant::now();
    let model = build(opts, obj, eps, None);
    let mut s = Search {
        opts,
        obj,
        eps,
        model: &model,
        best_value: f64::NEG_INFINITY,
        best_plan: None,
        nodes: 0,
        limits,
        start,
        cancel,
        cancelled: false,
        stopped: false,
        open_bound: f64::NEG_INFINITY,
        failed: false,
        fixed: vec![false; model.n_vars],
        gap_tol: if opts.groups.len() <= SMALL_GROUPS {
            1e-9
        } else {
            LARGE_GAP
        },
        closed: false,
        path: Vec::new(),
        checkpoints: Vec::new(),
        root_bound: f64::INFINITY,
        clone_depth: (CLONE_BUDGET / model.n_vars.max(1)).max(4),
    };
    s.limits.nodes = s
        .limits
        .nodes
        .min((NODE_WORK / model.n_vars.max(1) as u64).max(200));
    if eps.is_none() {
        s.offer(Plan::empty(opts));
    }
    for p in starts {
        s.offer((*p).clone());
    }
    // The time limit bounds each LP call too (the root's and every edit's),
    // so that a large park's root LP cannot overrun it.
    let mut options = lp_options();
    if limits.seconds.is_finite() {
        options.time_limit = Some(std::time::Duration::from_secs_f64(
            (limits.seconds - start.elapsed().as_secs_f64()).max(0.0),
        ));
    }
    let root = solve_timed(&model.problem, options);
    if let Ok(SolveOutcome::Solution(r)) = &root {
        s.checkpoints.push((0, r.clone()));
        s.root_bound = r.objective() * model.obj_scale;
    }
    s.node(root, f64::INFINITY);
    if s.cancelled {
        return Err(SolveError::Cancelled);
    }
    let Some(plan) = s.best_plan else {
        return Ok(None);
    };
    let value = plan.objective(opts, obj);
    let bound = s.open_bound.max(value);
    let proven = !s.stopped && !s.failed && bound <= value + 1e-9 * value.abs().max(1.0);
    let bound = if proven { value } else { bound };
    let mut sol = Solution::from_search(
        plan,
        obj,
        value,
        proven,
        bound,
        s.nodes,
        start.elapsed().as_secs_f64(),
    );
    if !bound.is_finite() {
        // Stopped before the root LP: the budget-only relaxation (without the
        // other rows, or credit caps) still bounds the optimum.
        sol.upper_bound = super::bound::upper_bound(opts, obj).max(value);
    }
    Ok(Some(sol))
}
