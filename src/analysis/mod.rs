//! Analyses beyond one plan: parameter sweeps with tipping points, the Pareto
//! front, and the marginal abatement cost curve.

pub mod mac;
pub mod pareto;
pub mod sweep;

use crate::model::{Objective, Options};
use crate::park::Park;
use crate::solve::ga::{self, GaConfig};
use crate::solve::{BoundKind, CancelToken, Solution, exact};

/// Branch-and-bound nodes the exact solver may spend before an analysis falls
/// back to the GA (seeded with the LP-rounded plan) for that point.
pub const EXACT_NODES: u64 = 200_000;

/// Solves with the best solver for the park's size: the proven optimum when the
/// exact solver finishes within [`EXACT_NODES`], else the better of its incumbent
/// and a GA run aimed at the LP bound. Deterministic for a given park.
pub fn solve_best(park: &Park, obj: Objective) -> (Options, Solution) {
    let opts = crate::model::compile(park);
    let ex = exact::solve(&opts, obj, EXACT_NODES).expect("not cancellable");
    if ex.proven_optimal {
        return (opts, ex);
    }
    let mut cfg = GaConfig::new(park.solver.clone());
    cfg.target = Some(ex.upper_bound);
    cfg.target_tolerance = 1e-4;
    cfg.seed_heuristic = true;
    let best = match ga::solve(&opts, obj, &cfg, &CancelToken::new(), |_| {}) {
        Ok((g, _)) if g.value > ex.value => Solution {
            upper_bound: ex.upper_bound,
            bound: BoundKind::Relaxation,
            ..g
        },
        _ => ex,
    };
    (opts, best)
}
