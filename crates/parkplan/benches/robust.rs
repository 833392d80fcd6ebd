//! `parkplan robust` benchmark (`cargo bench -p parkplan --bench robust`);
//! figures in docs/performance.md. Prints the median wall time of a few runs
//! on all threads and on one, the rate per core, and the peak resident memory.

use std::time::Instant;

use parkplan::analysis::robust::{self, Config};
use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::solve::CancelToken;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// CPU seconds (user + system) used by this process so far (Linux, 100 ticks/s).
fn cpu_s() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(0.0)
}

/// Median wall seconds of `reps` runs and the CPU seconds per run.
fn time(park: &Park, samples: usize, threads: usize, reps: usize) -> (f64, f64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let cfg = Config {
        samples,
        seed: 1,
        objective: Objective::Economic,
        tornado: false,
    };
    let cpu0 = cpu_s();
    let wall = median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                let r = pool.install(|| {
                    robust::run(
                        park,
                        &park.uncertainty,
                        &cfg,
                        None,
                        &|_| {},
                        &CancelToken::new(),
                    )
                });
                assert_eq!(r.unwrap().samples, samples);
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    (wall, (cpu_s() - cpu0) / reps as f64)
}

/// Peak resident set size of this process (Linux), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let net_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../parks/net-park.toml");
    let net = Park::load(std::path::Path::new(net_path)).unwrap();
    for (name, park, samples, reps) in [
        ("paper case", Park::paper_case(), 10_000, 5),
        ("net-park.toml", net, 1_000, 3),
    ] {
        let (all, cpu_all) = time(&park, samples, cores, reps);
        let (one, cpu_one) = time(&park, samples, 1, reps);
        println!(
            "{name}: {samples} scenarios: {all:.3} s wall on {cores} threads ({cpu_all:.3} CPU s), {one:.3} s on 1 ({cpu_one:.3} CPU s); {:.0} scenarios per CPU second",
            samples as f64 / cpu_one.max(1e-9)
        );
    }
    println!("peak resident memory: {:.0} MB", peak_mb());
}
