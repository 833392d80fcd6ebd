//! Solvers over the compiled option table.

pub mod bound;
pub mod dual;
pub mod epsilon;
pub mod exact;
pub mod export;
pub mod ga;
pub mod milp;
pub mod progress;

use crate::model::{Objective, Options};
use crate::plan::Plan;

pub use bound::upper_bound;
pub use progress::{CancelToken, Progress};

/// A solver's answer with what is known about its optimality.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    pub plan: Plan,
    pub objective: Objective,
    /// Objective value of `plan`.
    pub value: f64,
    /// Proven upper bound on the optimum (the optimum itself when proven).
    pub upper_bound: f64,
    /// What `upper_bound` is.
    pub bound: BoundKind,
    /// Whether `plan` is proven optimal (by the exact solver).
    pub proven_optimal: bool,
    /// Branch-and-bound nodes, or GA fitness evaluations.
    pub evaluations: u64,
    pub seconds: f64,
    pub solver: SolverKind,
}

/// Which solver produced a plan (`"exact"` or `"ga"` in reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SolverKind {
    /// Branch and bound over the discrete choices (proven, or stopped with its gap).
    Exact,
    /// The paper's genetic algorithm.
    Ga,
}

impl SolverKind {
    pub fn name(self) -> &'static str {
        match self {
            SolverKind::Exact => "exact",
            SolverKind::Ga => "ga",
        }
    }
}

impl Solution {
    /// A branch-and-bound answer: proven (the bound is the value) or stopped
    /// early (the bound is `relaxed_bound`).
    pub(crate) fn from_search(
        plan: Plan,
        objective: Objective,
        value: f64,
        proven: bool,
        relaxed_bound: f64,
        nodes: u64,
        seconds: f64,
    ) -> Solution {
        Solution {
            plan,
            objective,
            value,
            upper_bound: if proven { value } else { relaxed_bound },
            bound: if proven {
                BoundKind::Optimum
            } else {
                BoundKind::Relaxation
            },
            proven_optimal: proven,
            evaluations: nodes,
            seconds,
            solver: SolverKind::Exact,
        }
    }

    /// Relative gap to the upper bound, (UB − value) / |UB|; 0 when both are 0.
    pub fn gap(&self) -> f64 {
        relative_gap(self.value, self.upper_bound)
    }
}

/// The gap below which a plan that reaches a proven optimum counts as optimal
/// (rounding in the sums, not a tolerance of the search).
pub const PROVEN_GAP: f64 = 1e-9;

/// (bound − value) / |bound|, clamped at 0; 0 when the bound is 0.
pub fn relative_gap(value: f64, bound: f64) -> f64 {
    if bound.abs() < 1e-12 {
        0.0
    } else {
        ((bound - value) / bound.abs()).max(0.0)
    }
}

/// The kind of an upper bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundKind {
    /// The proven optimum (from the exact solver).
    Optimum,
    /// The LP relaxation's optimum.
    Relaxation,
}

impl BoundKind {
    pub fn name(self) -> &'static str {
        match self {
            BoundKind::Optimum => "optimum",
            BoundKind::Relaxation => "lp_relaxation",
        }
    }
}

/// A solve that could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SolveError {
    #[error("the solve was cancelled")]
    Cancelled,
    #[error(
        "population {population} x {groups} option groups is too large for memory; lower the population (at most {} genes)",
        ga::MAX_GENES
    )]
    TooLarge { population: usize, groups: usize },
}

/// Options groups above which the GA always starts from the LP-rounded plan:
/// from random plans it cannot catch up with the exact solver on large parks.
pub const SEED_GROUPS: usize = 64;

/// Share of the time limit the certification before a GA run may use.
pub const CERTIFY_SHARE: f64 = 0.25;

/// Certifies a target for the GA with the exact solver (within `node_limit`,
/// cancellable) and configures the GA: stop at the proven optimum, or near the
/// LP bound; seed with the LP-rounded plan unless the park is small and proven
/// (and has no resource rows, where random plans rarely find the optimum).
pub fn certified_ga(
    opts: &Options,
    obj: Objective,
    settings: crate::park::SolverSettings,
    node_limit: u64,
    cancel: &CancelToken,
) -> Result<(Solution, ga::GaConfig), SolveError> {
    // The certification gets a quarter of the time limit and the GA what is
    // left, so the whole run holds the limit (a 10,000-region park spent 190 s
    // certifying under a 2 s limit).
    let start = std::time::Instant::now();
    let limit = settings.time_limit_s;
    let certified = exact::solve_limited(opts, obj, node_limit, limit * CERTIFY_SHARE, cancel)?;
    let mut settings = settings;
    settings.time_limit_s = (limit - start.elapsed().as_secs_f64()).max(limit * 0.01);
    let mut cfg = ga::GaConfig::new(settings);
    cfg.target = Some(certified.upper_bound);
    cfg.target_is_optimum = certified.proven_optimal;
    cfg.target_tolerance = if certified.proven_optimal { 1e-9 } else { 1e-4 };
    cfg.seed_heuristic =
        !certified.proven_optimal || opts.groups.len() > SEED_GROUPS || !opts.rows.is_empty();
    Ok((certified, cfg))
}

/// The better of the GA's answer and the exact solver's plan: what to show.
/// A different plan of the same value (an alternative optimum, such as the
/// same PV area on another of two identical roofs) gives way to the exact
/// one, so that the console shows the plan `parkplan solve` prints.
pub fn best_of(ga: Solution, exact: &Solution, opts: &Options) -> Solution {
    // A GA plan is only shown if it is feasible (rounding on huge caps could
    // otherwise let it "beat" the optimum by overspending).
    let tol = 1e-9 * exact.value.abs().max(1.0);
    let tie = ga.plan != exact.plan && exact.value >= ga.value - tol;
    if ga.plan.check(opts).is_err() || exact.value > ga.value + tol || tie {
        exact.clone()
    } else {
        ga
    }
}

/// Exact solve with the default node limit.
pub fn solve_exact(opts: &Options, obj: Objective) -> Solution {
    match exact::solve(opts, obj, exact::DEFAULT_NODE_LIMIT) {
        Ok(s) => s,
        Err(_) => unreachable!("nothing cancels a private token"),
    }
}
