//! Solver benchmarks (a plain harness: `cargo bench --bench solve`).
//! The figures are recorded in docs/performance.md; tests never assert timings.

use std::time::Instant;

use parkplan::model::Objective;
use parkplan::park::{Park, SolverSettings, generate};
use parkplan::solve::ga::{self, GaConfig};
use parkplan::solve::{CancelToken, exact, relative_gap, solve_exact, upper_bound};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let park = Park::paper_case();
    let opts = parkplan::compile(&park);
    println!(
        "machine: {} logical cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // Exact solver on the built-in case.
    for obj in [Objective::Economic, Objective::Carbon] {
        let times: Vec<f64> = (0..200)
            .map(|_| {
                let t = Instant::now();
                let s = solve_exact(&opts, obj);
                assert!(s.proven_optimal);
                t.elapsed().as_secs_f64()
            })
            .collect();
        println!(
            "exact, built-in case, {}: median {:.3} ms",
            obj.name(),
            median(times) * 1e3
        );
    }

    // Fitness evaluations per second on one core: a long GA run on one thread.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let settings = SolverSettings {
        generations: 20_000,
        stall_generations: usize::MAX,
        time_limit_s: 1e9,
        ..park.solver.clone()
    };
    let (evals, secs) = one.install(|| {
        let t = Instant::now();
        let (s, _) = ga::solve(
            &opts,
            Objective::Economic,
            &GaConfig::new(settings),
            &CancelToken::new(),
            |_| {},
        )
        .unwrap();
        (s.evaluations, t.elapsed().as_secs_f64())
    });
    println!(
        "GA, built-in case, 1 thread: {evals} evaluations in {secs:.3} s = {:.2} M evaluations/s per core (including selection and operators)",
        evals as f64 / secs / 1e6
    );

    // Time to reach the exact optimum of the built-in case (gap <= 0.01 %).
    for obj in [Objective::Economic, Objective::Carbon] {
        let optimum = solve_exact(&opts, obj).value;
        let mut times = Vec::new();
        let mut worst_gap: f64 = 0.0;
        for seed in 1..=51 {
            let mut cfg = GaConfig::new(SolverSettings {
                seed,
                ..park.solver.clone()
            });
            cfg.target = Some(optimum);
            cfg.target_is_optimum = true;
            cfg.target_tolerance = 1e-4;
            let t = Instant::now();
            let (s, _) = ga::solve(&opts, obj, &cfg, &CancelToken::new(), |_| {}).unwrap();
            times.push(t.elapsed().as_secs_f64());
            worst_gap = worst_gap.max(relative_gap(s.value, optimum));
        }
        println!(
            "GA to the exact optimum, built-in case, {}: median {:.3} ms over 51 seeds (worst gap {:.2e})",
            obj.name(),
            median(times) * 1e3,
            worst_gap
        );
    }

    // Large generated parks: time to within 1 % of the LP upper bound.
    for regions in [1_000usize, 10_000] {
        let big = generate(regions, 7);
        let t = Instant::now();
        let opts = parkplan::compile(&big);
        let compile_s = t.elapsed().as_secs_f64();
        let ub = upper_bound(&opts, Objective::Economic);
        let mut cfg = GaConfig::new(SolverSettings {
            generations: 100_000,
            stall_generations: 100_000,
            time_limit_s: 60.0,
            ..big.solver.clone()
        });
        cfg.target = Some(ub);
        cfg.target_tolerance = 0.01;
        for seeded in [true, false] {
            cfg.seed_heuristic = seeded;
            cfg.settings.time_limit_s = if regions > 1000 { 20.0 } else { 60.0 };
            let t = Instant::now();
            let (s, reason) = ga::solve(
                &opts,
                Objective::Economic,
                &cfg,
                &CancelToken::new(),
                |_| {},
            )
            .unwrap();
            let secs = t.elapsed().as_secs_f64();
            println!(
                "GA ({}), generated {regions}-region park ({} groups): {:.3} s to gap {:.3} % of the LP bound ({reason:?}, {} evaluations)",
                if seeded {
                    "LP-rounded seed"
                } else {
                    "random start"
                },
                opts.groups.len(),
                secs,
                relative_gap(s.value, ub) * 100.0,
                s.evaluations,
            );
        }
        let t = Instant::now();
        let ex = exact::solve(&opts, Objective::Economic, 200_000).unwrap();
        println!(
            "  exact B&B (200k node limit): gap {:.2e} in {:.2} s; LP-rounded plan gap {:.2e}; compile {:.1} ms; peak RSS so far {:.0} MiB",
            ex.gap(),
            t.elapsed().as_secs_f64(),
            relative_gap(
                parkplan::solve::bound::lp_plan(&opts, Objective::Economic)
                    .objective(&opts, Objective::Economic),
                ub
            ),
            compile_s * 1e3,
            peak_rss_mib().unwrap_or(f64::NAN)
        );
    }
}
