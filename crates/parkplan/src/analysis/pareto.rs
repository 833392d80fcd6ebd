//! The economic/carbon Pareto front by the epsilon-constraint method: the best
//! annual benefit for each required CO2 reduction between the two single-
//! objective optima, solved exactly.

use rayon::prelude::*;

use crate::model::{Objective, Options};
use crate::park::Park;
use crate::plan::Totals;
use crate::solve::{CancelToken, Solution, SolveError, epsilon};

/// Node budget per solve. Beyond it a point keeps its best plan so far (from the
/// LP-rounded heuristic and the search) and reports its gap to the bound.
pub const NODES: u64 = 200_000;
/// Above this many option groups the branch and bound is skipped: each point is
/// the LP-rounded heuristic plan with its gap to the Lagrangian bound.
pub const SEARCH_GROUPS: usize = 60;

/// Most points of one front: each is an exact solve, and beyond a few hundred
/// the front is no better resolved than the solver's gaps.
pub const MAX_POINTS: usize = 1000;

/// One point of the front.
#[derive(Debug, Clone)]
pub struct ParetoPoint {
    /// The CO2 reduction required (t/yr).
    pub min_co2: f64,
    pub solution: Solution,
    pub totals: Totals,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParetoError {
    #[error("need 2 to {MAX_POINTS} points, got {0}")]
    TooFewPoints(usize),
    #[error("cancelled")]
    Cancelled,
}

/// `points` epsilon-constraint solves from the economic optimum's CO2 to the
/// carbon optimum's; dominated and repeated points are dropped. The first point
/// is the economic optimum and the last has the carbon optimum's CO2. On parks
/// too large to prove every point, each point carries its gap to its bound.
pub fn front(park: &Park, points: usize) -> Result<(Options, Vec<ParetoPoint>), ParetoError> {
    front_with(park, points, &CancelToken::new())
}

/// [`front`] that stops with [`ParetoError::Cancelled`] when `token` is
/// cancelled (checked during every point's search).
pub fn front_with(
    park: &Park,
    points: usize,
    token: &CancelToken,
) -> Result<(Options, Vec<ParetoPoint>), ParetoError> {
    if !(2..=MAX_POINTS).contains(&points) {
        return Err(ParetoError::TooFewPoints(points));
    }
    // The two ends: proven optima on small parks, best plans with their gaps
    // (exact incumbent or GA) on large ones.
    let cancelled = |_| ParetoError::Cancelled;
    let (opts, econ) =
        super::solve_best_with(park, Objective::Economic, token).map_err(cancelled)?;
    let (_, carbon) = super::solve_best_with(park, Objective::Carbon, token).map_err(cancelled)?;
    let lo = econ.plan.objective(&opts, Objective::Carbon);
    let hi = carbon.value;
    let targets: Vec<f64> = (0..points)
        .map(|k| lo + (hi - lo) * k as f64 / (points - 1) as f64)
        .collect();
    let solved: Result<Vec<Option<ParetoPoint>>, SolveError> = targets
        .par_iter()
        .enumerate()
        .map(|(k, &eps)| {
            let sol = if k == 0 {
                econ.clone()
            } else {
                let nodes = if opts.groups.len() <= SEARCH_GROUPS {
                    NODES
                } else {
                    0
                };
                match epsilon::solve_with(&opts, eps, Some(&carbon.plan), nodes, token)? {
                    Some(s) => s,
                    None => return Ok(None),
                }
            };
            let totals = sol.plan.evaluate(&opts).totals;
            Ok(Some(ParetoPoint {
                min_co2: eps,
                solution: sol,
                totals,
            }))
        })
        .collect();
    let mut pts: Vec<ParetoPoint> = match solved {
        Ok(p) => p.into_iter().flatten().collect(),
        Err(_) => return Err(ParetoError::Cancelled),
    };
    // Keep the non-dominated points, by CO2 ascending.
    pts.sort_by(|a, b| {
        a.totals
            .annual_co2_reduction
            .total_cmp(&b.totals.annual_co2_reduction)
    });
    let tol = |x: f64| 1e-9 * x.abs().max(1.0);
    // The totals only, not a clone of every point's plan (each as long as
    // the park's option groups).
    let snapshot: Vec<(f64, f64)> = pts
        .iter()
        .map(|p| (p.totals.annual_benefit, p.totals.annual_co2_reduction))
        .collect();
    pts.retain(|p| {
        !snapshot.iter().any(|&(qb, qc)| {
            let (pb, pc) = (p.totals.annual_benefit, p.totals.annual_co2_reduction);
            qb >= pb - tol(pb) && qc >= pc - tol(pc) && (qb > pb + tol(pb) || qc > pc + tol(pc))
        })
    });
    pts.dedup_by(|a, b| {
        let same = (a.totals.annual_benefit - b.totals.annual_benefit).abs()
            <= tol(a.totals.annual_benefit)
            && (a.totals.annual_co2_reduction - b.totals.annual_co2_reduction).abs()
                <= tol(a.totals.annual_co2_reduction);
        if same {
            // The kept point answers the highest target it met.
            b.min_co2 = b.min_co2.max(a.min_co2);
        }
        same
    });
    Ok((opts, pts))
}
