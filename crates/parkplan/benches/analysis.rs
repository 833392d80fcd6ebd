//! Analysis benchmarks (`cargo bench --bench analysis`); figures in docs/performance.md.

use std::time::Instant;

use parkplan::analysis::{compare, ledger, pareto, sweep};
use parkplan::model::Objective;
use parkplan::park::Park;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let park = Park::paper_case();
    let values: Vec<f64> = (0..100).map(|k| 59.0 + 391.0 * k as f64 / 99.0).collect();
    let times: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let pts = sweep::sweep(&park, "ets_price", &values, Objective::Economic).unwrap();
            assert_eq!(pts.len(), 100);
            t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "sweep, 100 values of ets_price, built-in case: median {:.2} ms",
        median(times) * 1e3
    );
    let times: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let pts = sweep::sweep(&park, "ets_price", &values, Objective::Economic).unwrap();
            let tips =
                sweep::tipping_points(&park, "ets_price", &pts, Objective::Economic).unwrap();
            assert!(!tips.is_empty());
            t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "sweep + tipping points (bisection to 0.1 %): median {:.2} ms",
        median(times) * 1e3
    );
    let times: Vec<f64> = (0..10)
        .map(|_| {
            let t = Instant::now();
            let (_, pts) = pareto::front(&park, 50).unwrap();
            assert!(pts.len() >= 2);
            t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "Pareto front, 50 epsilon-constraint solves, built-in case: median {:.1} ms",
        median(times) * 1e3
    );
    let chem = Park::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../parks/chemical-park.toml"
    )))
    .unwrap();
    let t = Instant::now();
    let (_, pts) = pareto::front(&chem, 11).unwrap();
    println!(
        "Pareto front, 11 solves, chemical park (18 regions): {:.2} s, {} points",
        t.elapsed().as_secs_f64(),
        pts.len()
    );
    let net = Park::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../parks/net-park.toml"
    )))
    .unwrap();
    let (opts, sol) = parkplan::analysis::solve_best(&net, Objective::Economic);
    let times: Vec<f64> = (0..200)
        .map(|_| {
            let t = Instant::now();
            let l = ledger::ledger(&net, &opts, &sol.plan);
            assert!(l.energy.is_some());
            t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "ledger of the economic plan, net park (8,760-hour profile): median {:.3} ms",
        median(times) * 1e3
    );
    let scenarios = compare::available(&net);
    let t = Instant::now();
    for sc in &scenarios {
        compare::run(&net, sc, Objective::Carbon).unwrap();
    }
    println!(
        "compare, {} scenarios one after the other, net park, carbon objective: {:.3} s",
        scenarios.len(),
        t.elapsed().as_secs_f64()
    );
}
