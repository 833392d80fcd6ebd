//! The economic/carbon Pareto front by the epsilon-constraint method: the best
//! annual benefit for each required CO2 reduction between the two single-
//! objective optima, solved exactly.

use crate::model::{Objective, Options};
use crate::park::Park;
use crate::plan::Totals;
use crate::solve::{CancelToken, Solution, SolveError, epsilon};

/// Node budget per solve. Beyond it a point keeps its best plan so far (from the
/// LP-rounded heuristic and the search) and reports its gap to the bound.
pub const NODES: u64 = 200_000;
/// Above this many option groups each point gets the root LP only: the better
/// of the LP-rounded plans with its gap to the exact LP bound.
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

/// Where a running front is: after point `done` of `total`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontProgress {
    pub done: usize,
    pub total: usize,
    pub elapsed_s: f64,
}

/// `points` epsilon-constraint solves from the economic optimum's CO2 to the
/// carbon optimum's; dominated and repeated points are dropped. The first point
/// is the economic optimum and the last has the carbon optimum's CO2. Every
/// point is proven optimal for its epsilon problem, or carries its gap when a
/// node limit stops it (large parks).
pub fn front(park: &Park, points: usize) -> Result<(Options, Vec<ParetoPoint>), ParetoError> {
    front_with(park, points, &CancelToken::new())
}

/// [`front`] that stops with [`ParetoError::Cancelled`] when `token` is
/// cancelled (checked at every branch-and-bound node of every point).
pub fn front_with(
    park: &Park,
    points: usize,
    token: &CancelToken,
) -> Result<(Options, Vec<ParetoPoint>), ParetoError> {
    front_stream(park, points, token, |_, _| {})
}

/// [`front_with`] that hands each point to `on_point` as soon as it is solved,
/// in order of rising CO2 target, with the progress so far (for `--progress`
/// and the console). Points reported may later be dropped from the returned
/// front as dominated or repeated. Nothing is reported after a cancel is seen.
/// Memory: the points kept, nothing per point solved before.
pub fn front_stream(
    park: &Park,
    points: usize,
    token: &CancelToken,
    on_point: impl FnMut(&ParetoPoint, FrontProgress),
) -> Result<(Options, Vec<ParetoPoint>), ParetoError> {
    let f = front_partial(park, points, token, on_point)?;
    if f.done < points {
        return Err(ParetoError::Cancelled);
    }
    Ok((f.opts, f.points))
}

/// A front that may have been stopped part way ([`front_partial`]).
#[derive(Debug, Clone)]
pub struct PartialFront {
    pub opts: Options,
    /// The non-dominated points among those solved, by CO2 ascending.
    pub points: Vec<ParetoPoint>,
    /// Targets solved, of the `points` asked for (all of them: the whole front).
    pub done: usize,
}

/// [`front_stream`] that, when `token` is cancelled (a time limit), returns
/// what it has instead of an error: the points of the targets solved by then
/// (non-dominated among themselves; a later target could have dominated
/// some), with their number. Stopped before the economic optimum, nothing.
pub fn front_partial(
    park: &Park,
    points: usize,
    token: &CancelToken,
    mut on_point: impl FnMut(&ParetoPoint, FrontProgress),
) -> Result<PartialFront, ParetoError> {
    if !(2..=MAX_POINTS).contains(&points) {
        return Err(ParetoError::TooFewPoints(points));
    }
    let start = std::time::Instant::now();
    // The two ends: proven optima on small parks, best plans with their gaps
    // (exact incumbent or GA) on large ones.
    let (opts, econ) = match super::solve_best_with(park, Objective::Economic, token) {
        Ok(r) if !token.is_cancelled() => r,
        _ => {
            return Ok(PartialFront {
                opts: crate::model::compile(park),
                points: Vec::new(),
                done: 0,
            });
        }
    };
    let carbon = match super::solve_best_with(park, Objective::Carbon, token) {
        Ok((_, c)) if !token.is_cancelled() => c,
        _ => {
            // The economic optimum alone: the front's first point.
            let totals = econ.plan.evaluate(&opts).totals;
            let point = ParetoPoint {
                min_co2: econ.plan.objective(&opts, Objective::Carbon),
                solution: econ,
                totals,
            };
            return Ok(PartialFront {
                opts,
                points: vec![point],
                done: 1,
            });
        }
    };
    let lo = econ.plan.objective(&opts, Objective::Carbon);
    let hi = carbon.value;
    let nodes = if opts.groups.len() <= SEARCH_GROUPS {
        NODES
    } else {
        1
    };
    let tol = |x: f64| 1e-9 * x.abs().max(1.0);
    let mut pts: Vec<ParetoPoint> = Vec::new();
    let mut done = 0;
    for k in 0..points {
        let eps = lo + (hi - lo) * k as f64 / (points - 1) as f64;
        // A point already kept may answer this target too: no solve needed.
        let reuse = pts.last().filter(|p| {
            p.solution.proven_optimal && p.totals.annual_co2_reduction >= eps - tol(eps)
        });
        let sol = if k == 0 {
            econ.clone()
        } else if let Some(p) = reuse {
            p.solution.clone()
        } else {
            match epsilon::solve_with(&opts, eps, Some(&carbon.plan), nodes, token) {
                Ok(Some(s)) => s,
                Ok(None) => {
                    done = k + 1;
                    continue;
                }
                Err(SolveError::Cancelled) => break,
                Err(_) => {
                    done = k + 1;
                    continue;
                }
            }
        };
        let totals = sol.plan.evaluate(&opts).totals;
        let point = ParetoPoint {
            min_co2: eps,
            solution: sol,
            totals,
        };
        if token.is_cancelled() {
            // Solved, but nothing is reported after a cancel is seen.
            break;
        }
        done = k + 1;
        on_point(
            &point,
            FrontProgress {
                done: k + 1,
                total: points,
                elapsed_s: start.elapsed().as_secs_f64(),
            },
        );
        // Keep the non-dominated points, by CO2 ascending.
        let (pb, pc) = (
            point.totals.annual_benefit,
            point.totals.annual_co2_reduction,
        );
        let dominated = |qb: f64, qc: f64| {
            qb >= pb - tol(pb) && qc >= pc - tol(pc) && (qb > pb + tol(pb) || qc > pc + tol(pc))
        };
        if pts
            .iter()
            .any(|q| dominated(q.totals.annual_benefit, q.totals.annual_co2_reduction))
        {
            continue;
        }
        if let Some(same) = pts.iter_mut().find(|q| {
            (q.totals.annual_benefit - pb).abs() <= tol(pb)
                && (q.totals.annual_co2_reduction - pc).abs() <= tol(pc)
        }) {
            // The kept point answers the highest target it met.
            same.min_co2 = same.min_co2.max(point.min_co2);
            continue;
        }
        pts.retain(|q| {
            let (qb, qc) = (q.totals.annual_benefit, q.totals.annual_co2_reduction);
            !(pb >= qb - tol(qb) && pc >= qc - tol(qc) && (pb > qb + tol(qb) || pc > qc + tol(qc)))
        });
        pts.push(point);
    }
    pts.sort_by(|a, b| {
        a.totals
            .annual_co2_reduction
            .total_cmp(&b.totals.annual_co2_reduction)
    });
    Ok(PartialFront {
        opts,
        points: pts,
        done,
    })
}
