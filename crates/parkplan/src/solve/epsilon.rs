//! Exact epsilon-constraint solve: the best annual benefit (eq. 3.1) among plans
//! that reduce at least `min_co2` t/yr (eq. 3.2 as a constraint). Used for the
//! Pareto front.
//!
//! The CO2 requirement is one more row of the option table, solved by the
//! LP-based branch and bound of [`super::milp`] (exact LP bound with every row,
//! so each point is proven, or reported with its gap when a limit stops it).

use super::{CancelToken, Solution, SolveError};
use crate::model::{Objective, Options};
use crate::plan::Plan;

/// Per-unit (benefit, CO2) and fixed benefit of an item.
fn values(opts: &Options, i: usize) -> (f64, f64, f64) {
    (
        opts.value_per_unit(i, Objective::Economic),
        opts.value_per_unit(i, Objective::Carbon),
        opts.value_fixed(i, Objective::Economic),
    )
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
    let heur = heuristic_with(opts, min_co2, token)?;
    let starts: Vec<&Plan> = start.into_iter().chain(heur.as_ref()).collect();
    let limits = super::milp::Limits {
        nodes: node_limit.clamp(1, super::milp::LP_NODE_LIMIT),
        seconds: f64::INFINITY,
    };
    let private = CancelToken::new();
    let eps = super::milp::Epsilon {
        objective: Objective::Carbon,
        min: min_co2,
    };
    super::milp::solve(
        opts,
        Objective::Economic,
        Some(eps),
        &starts,
        limits,
        token.unwrap_or(&private),
    )
}
