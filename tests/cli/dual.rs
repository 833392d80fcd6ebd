//! The Lagrangian dual of `solve::dual` against a second method: microlp's LP
//! relaxation of the exported LP file (parsed back by the helpers of
//! `rows.rs`), on random parks with random resource rows, small and medium,
//! with and without an epsilon row (added to the parsed file here, from the
//! other objective's exported coefficients).

use parkplan::model::{Objective, Options, compile};
use parkplan::park::Park;
use parkplan::plan::Plan;
use parkplan::solve::milp::{Epsilon, Limits};
use parkplan::solve::{CancelToken, dual, exact, export};

use super::rows::{Lp, random_park, random_park_of};

fn lp_of(opts: &Options, obj: Objective) -> Lp {
    Lp::parse(&export::write(opts, obj, export::Format::Lp, "t"))
}

/// The LP of `obj` with the row "the other objective's exported objective >=
/// `min`" added, by variable name.
fn with_epsilon(opts: &Options, obj: Objective, other: Objective, min: f64) -> Lp {
    let mut lp = lp_of(opts, obj);
    let o = lp_of(opts, other);
    let terms: Vec<(usize, f64)> = o
        .names
        .iter()
        .enumerate()
        .filter(|(v, _)| o.obj[*v] != 0.0)
        .map(|(v, name)| (lp.var(name), o.obj[v]))
        .collect();
    lp.rows.push(("eps".into(), terms, false, min));
    lp
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

/// A little xorshift for random multipliers.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn parks() -> Vec<(String, Park)> {
    let mut out: Vec<(String, Park)> = (0..24)
        .map(|s| (format!("small {s}"), random_park(s)))
        .collect();
    for s in [3, 8, 21] {
        out.push((
            format!("medium {s}"),
            random_park_of(40 + 10 * (s as usize % 3), s),
        ));
    }
    out
}

/// The dual's minimum is the LP relaxation's optimum (to 1e-7), and L at any
/// multipliers >= 0 is at least that optimum (weak duality), both objectives.
#[test]
fn the_dual_minimum_equals_the_lp_relaxation_of_the_exported_file() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for (at, park) in parks() {
        let opts = compile(&park);
        for obj in [Objective::Economic, Objective::Carbon] {
            let want = lp_of(&opts, obj).solve(true);
            let (bound, converged) = dual::lp_bound(&opts, obj, None).expect("not cancelled");
            assert!(converged, "{at} {obj:?}: not converged");
            assert!(
                rel(bound, want) <= 1e-7,
                "{at} {obj:?}: dual {bound} vs LP {want}"
            );
            for _ in 0..5 {
                // Multipliers of every magnitude, some rows at zero.
                let lambda: Vec<f64> = (0..opts.rows.rows.len())
                    .map(|_| {
                        let r = rng.next();
                        if r < 0.2 {
                            0.0
                        } else {
                            10f64.powf(8.0 * rng.next() - 4.0)
                        }
                    })
                    .collect();
                let l = dual::lagrangian_at(&opts, obj, None, &lambda);
                assert!(
                    l >= want - 1e-9 * want.abs().max(1.0),
                    "{at} {obj:?}: L({lambda:?}) = {l} below the LP optimum {want}"
                );
            }
        }
    }
}

/// The same with an epsilon row (the Pareto front's): the best benefit with
/// at least a share of the carbon LP optimum.
#[test]
fn the_dual_with_an_epsilon_row_equals_the_lp_relaxation() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for (at, park) in parks().into_iter().step_by(2) {
        let opts = compile(&park);
        let co2_max = lp_of(&opts, Objective::Carbon).solve(true);
        for share in [0.3, 0.7, 0.95] {
            let min = share * co2_max;
            let eps = Epsilon {
                objective: Objective::Carbon,
                min,
            };
            let want = with_epsilon(&opts, Objective::Economic, Objective::Carbon, min).solve(true);
            let (bound, converged) =
                dual::lp_bound(&opts, Objective::Economic, Some(eps)).expect("not cancelled");
            assert!(converged, "{at} at {share}: not converged");
            assert!(
                rel(bound, want) <= 1e-7,
                "{at} at {share}: dual {bound} vs LP {want}"
            );
            let mut lambda: Vec<f64> = (0..=opts.rows.rows.len())
                .map(|_| 10f64.powf(6.0 * rng.next() - 3.0))
                .collect();
            lambda[0] *= rng.next();
            let l = dual::lagrangian_at(&opts, Objective::Economic, Some(eps), &lambda);
            assert!(
                l >= want - 1e-9 * want.abs().max(1.0),
                "{at}: L below the LP"
            );
        }
    }
}

/// Plans from the dual meet every row (and the epsilon row), are worth what
/// they are said to be worth, and lie below the bound; the bound lies above
/// the exported LP's relaxation of the MILP (so above its optimum).
#[test]
fn the_dual_s_plans_meet_every_row_and_lie_below_its_bound() {
    for (at, park) in parks() {
        let opts = compile(&park);
        let limits = Limits {
            nodes: 1,
            seconds: f64::INFINITY,
        };
        for obj in [Objective::Economic, Objective::Carbon] {
            let sol = dual::solve(&opts, obj, None, &[], limits, &CancelToken::new())
                .expect("not cancelled")
                .expect("the empty plan is feasible");
            sol.plan
                .check(&opts)
                .unwrap_or_else(|e| panic!("{at} {obj:?}: {e}"));
            assert_eq!(sol.value, sol.plan.objective(&opts, obj));
            let lp = lp_of(&opts, obj).solve(true);
            assert!(
                sol.value <= lp * (1.0 + 1e-9) + 1e-6,
                "{at}: plan above the LP"
            );
            assert!(
                sol.upper_bound >= lp * (1.0 - 1e-9) - 1e-6,
                "{at}: bound below the LP"
            );
        }
        let co2 = exact::solve(&opts, Objective::Carbon, 100_000).expect("not cancelled");
        let min = 0.8 * co2.value;
        let eps = Epsilon {
            objective: Objective::Carbon,
            min,
        };
        let sol = dual::solve(
            &opts,
            Objective::Economic,
            Some(eps),
            &[],
            limits,
            &CancelToken::new(),
        )
        .expect("not cancelled");
        if let Some(sol) = sol {
            sol.plan
                .check(&opts)
                .unwrap_or_else(|e| panic!("{at} eps: {e}"));
            let c = sol.plan.objective(&opts, Objective::Carbon);
            assert!(
                c >= min - 1e-9 * min.abs().max(1.0),
                "{at}: CO2 {c} below {min}"
            );
        }
    }
}

/// A park too large for microlp's LP (2,000 regions with NETs, energy rows
/// and a binding budget) is solved by the dual: a feasible plan within the
/// target gap of a bound at least the exported file's LP relaxation.
#[test]
fn a_large_park_with_rows_is_solved_within_the_target_gap() {
    let mut park = parkplan::park::generate_with_nets(2000, 5);
    let opts0 = compile(&park);
    park.economics.capex_cap_cny = (opts0.max_spend() * 0.3).round();
    let opts = compile(&park);
    assert!(
        dual::is_large(&opts),
        "{} LP variables",
        dual::lp_vars(&opts)
    );
    let obj = Objective::Economic;
    let sol = exact::solve_limited(
        &opts,
        obj,
        exact::DEFAULT_NODE_LIMIT,
        60.0,
        &CancelToken::new(),
    )
    .expect("not cancelled");
    sol.plan.check(&opts).expect("feasible");
    assert_eq!(sol.value, sol.plan.objective(&opts, obj));
    let gap = exact::gap_tolerance(opts.groups.len());
    assert!(sol.gap() <= gap, "gap {:e} above {gap:e}", sol.gap());
    // The bound is a true bound: at least the LP relaxation's optimum less
    // its own tolerance (computed independently: the dual's minimum equals
    // it, tested above on parks microlp can solve).
    let (lp, _) = dual::lp_bound(&opts, obj, None).expect("not cancelled");
    assert!(sol.upper_bound >= lp * (1.0 - 1e-9) || sol.proven_optimal);
    // The GA's seed and the polish by the dual are feasible too.
    let seed = parkplan::solve::milp::root_plan(&opts, obj, 30.0);
    seed.check(&opts).expect("feasible seed");
    assert!(seed.objective(&opts, obj) > 0.0);
    let polished =
        parkplan::solve::milp::polish_within(&opts, obj, &sol.plan, 30.0).expect("a polished plan");
    polished.check(&opts).expect("feasible polish");
    let _: &Plan = &polished;
}

/// Issue 14 item 4 on the dual: a cancelled token stops a large park's solve
/// with `Cancelled` (checked before every evaluation), and a zero time
/// limit still answers with a feasible plan and a bound at least its value
/// (no thread is left: the dual runs on the caller's thread).
#[test]
fn the_dual_stops_on_cancel_and_answers_at_a_zero_time_limit() {
    let park = parkplan::park::generate_with_nets(600, 3);
    let opts = compile(&park);
    assert!(
        dual::is_large(&opts),
        "{} LP variables",
        dual::lp_vars(&opts)
    );
    let obj = Objective::Economic;
    let cancelled = CancelToken::new();
    cancelled.cancel();
    let limits = Limits {
        nodes: 1_000,
        seconds: f64::INFINITY,
    };
    let r = parkplan::solve::milp::solve(&opts, obj, None, &[], limits, &cancelled);
    assert!(matches!(r, Err(parkplan::solve::SolveError::Cancelled)));
    let zero = Limits {
        nodes: 1_000,
        seconds: 0.0,
    };
    let sol = parkplan::solve::milp::solve(&opts, obj, None, &[], zero, &CancelToken::new())
        .expect("not cancelled")
        .expect("the empty plan is feasible");
    sol.plan.check(&opts).expect("feasible");
    assert!(sol.upper_bound >= sol.value);
    // The bound of a stopped dual still bounds the LP relaxation (exported
    // file, solved by microlp).
    let lp = lp_of(&opts, obj).solve(true);
    assert!(
        sol.upper_bound >= lp * (1.0 - 1e-9),
        "{} below the LP {lp}",
        sol.upper_bound
    );
}
