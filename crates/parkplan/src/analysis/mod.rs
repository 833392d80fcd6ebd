//! Analyses beyond one plan: parameter sweeps with tipping points, the Pareto
//! front, the marginal abatement cost curve, a plan's energy and carbon ledger,
//! and integration configurations compared.

pub mod compare;
pub mod ledger;
pub mod mac;
pub mod pareto;
pub mod robust;
pub mod sweep;

use crate::model::{Objective, Options};
use crate::park::Park;
use crate::solve::ga;
use crate::solve::{CancelToken, Solution, SolveError, best_of, certified_ga};

/// Branch-and-bound nodes the exact solver may spend before an analysis falls
/// back to the GA (seeded with the LP-rounded plan) for that point.
pub const EXACT_NODES: u64 = 200_000;

/// Solves with the best solver for the park's size: the proven optimum when the
/// exact solver finishes within [`EXACT_NODES`], else the better of its incumbent
/// and a GA run aimed at the LP bound. Deterministic for a given park.
pub fn solve_best(park: &Park, obj: Objective) -> (Options, Solution) {
    match solve_best_with(park, obj, &CancelToken::new()) {
        Ok(r) => r,
        Err(_) => unreachable!("nothing cancels a private token"),
    }
}

/// [`solve_best`] that stops with [`SolveError::Cancelled`] when `token` is
/// cancelled (checked by the exact search and by the GA).
pub fn solve_best_with(
    park: &Park,
    obj: Objective,
    token: &CancelToken,
) -> Result<(Options, Solution), SolveError> {
    // Compiling 100,000 regions takes about half a second: asked to stop, it gives up.
    let Some(opts) = crate::model::compile_until(park, &|| token.is_cancelled()) else {
        return Err(SolveError::Cancelled);
    };
    let (exact, cfg) = certified_ga(&opts, obj, park.solver.clone(), EXACT_NODES, token)?;
    if exact.proven_optimal {
        return Ok((opts, exact));
    }
    let best = match ga::solve(&opts, obj, &cfg, token, |_| {}) {
        Ok((g, _)) => best_of(g, &exact, &opts),
        Err(SolveError::Cancelled) => return Err(SolveError::Cancelled),
        Err(_) => exact,
    };
    Ok((opts, best))
}
