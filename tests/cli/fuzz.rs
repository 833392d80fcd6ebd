//! A bounded, seeded fuzz run of the park reader, `--set` and the numeric
//! output of every command (issue 14): no panic; every refusal located; in the
//! output of every accepted file no NaN, infinity or null, plan totals equal
//! the sum of their rows, and capex within the cap.
//!
//! The regression corpus, `tests/fixtures/fuzz/*.toml` (and `sets.txt`), runs
//! first; then `FUZZ_CASES` mutants of the shipped parks from fixed seeds. A
//! failing mutant is written to `target/fuzz-failures/` to be added to the
//! corpus. More cases once: `PARKPLAN_FUZZ_CASES=20000 cargo test --release --test cli fuzz`.

use std::path::{Path, PathBuf};
use std::process::Command;

use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::report::Report;
use parkplan::solve::{CancelToken, exact};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

const BIN: &str = env!("CARGO_BIN_EXE_parkplan");
/// Mutants per CI run (each: read, solve both objectives, every report
/// format, MAC, ledger); one in `CLI_EVERY` also through every command.
const FUZZ_CASES: usize = 1500;
const CLI_EVERY: usize = 20;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// No word of `out` is NaN, inf, infinity or null ("Maintenance" is fine).
fn nonfinite_word(out: &str) -> Option<String> {
    out.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| ["nan", "inf", "infinity", "null"].contains(&w.to_ascii_lowercase().as_str()))
        .map(str::to_string)
}

/// Everything the library computes from an accepted park, checked.
fn check_accepted(park: &Park, what: &str) -> Result<(), String> {
    let opts = parkplan::compile(park);
    let token = CancelToken::new();
    for obj in [Objective::Economic, Objective::Carbon] {
        let sol = exact::solve_limited(&opts, obj, 20_000, 2.0, &token)
            .map_err(|e| format!("{what}: solve failed: {e}"))?;
        if !sol.value.is_finite() || !sol.upper_bound.is_finite() {
            return Err(format!(
                "{what}: {obj:?} value {} bound {}",
                sol.value, sol.upper_bound
            ));
        }
        let plan_capex = sol.plan.capex(&opts);
        if plan_capex > opts.budget_cny * (1.0 + 1e-9) + 1e-6 {
            return Err(format!(
                "{what}: capex {plan_capex} over the cap {}",
                opts.budget_cny
            ));
        }
        let report = Report::new(park, &opts, &sol);
        // Totals equal the sum of the rows.
        let sum = |f: fn(&parkplan::report::PlanRow) -> f64| report.plan.iter().map(f).sum::<f64>();
        let t = report.totals;
        for (name, total, rows) in [
            ("capex", t.capex, sum(|r| r.capex)),
            // Recovered output beyond demand is left out of the totals.
            (
                "annual_income",
                t.annual_income + t.uncredited_income,
                sum(|r| r.annual_income),
            ),
            (
                "annual_benefit",
                t.annual_benefit + t.uncredited_income,
                sum(|r| r.annual_benefit),
            ),
            (
                "annual_co2_reduction",
                t.annual_co2_reduction + t.uncredited_co2,
                sum(|r| r.annual_co2_reduction),
            ),
        ] {
            let scale = report
                .plan
                .iter()
                .map(|r| r.capex.abs() + r.annual_income.abs() + r.annual_co2_reduction.abs())
                .sum::<f64>()
                .max(1.0);
            if (total - rows).abs() > 1e-6 * scale {
                return Err(format!(
                    "{what}: total {name} {total} but rows sum to {rows}"
                ));
            }
        }
        if t.capex > opts.budget_cny * (1.0 + 1e-9) + 1e-6 {
            return Err(format!("{what}: reported capex {} over the cap", t.capex));
        }
        for (format, text) in [
            ("json", report.to_json()),
            ("csv", report.to_csv()),
            (
                "table",
                report.to_table(park) + &parkplan::report::ledger_table(&report.ledger),
            ),
        ] {
            if let Some(w) = nonfinite_word(&text) {
                return Err(format!("{what}: {obj:?} {format} printed {w}:\n{text}"));
            }
        }
    }
    let ets = park.economics.ets_price_cny_per_t;
    for e in parkplan::analysis::mac::curve(&opts, ets) {
        if !(e.cost_per_t.is_finite() && e.potential_t.is_finite() && e.capex.is_finite()) {
            return Err(format!("{what}: MAC entry {e:?}"));
        }
    }
    Ok(())
}

/// Every command on the file through the binary: exit 0 and finite output.
fn check_commands(path: &Path, pareto: bool) -> Result<(), String> {
    let p = path.to_str().unwrap();
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for f in ["table", "json", "csv"] {
        runs.push(vec!["solve", p, "--format", f]);
        runs.push(vec!["solve", p, "--objective", "carbon", "--format", f]);
        runs.push(vec!["mac", p, "--format", f]);
        runs.push(vec![
            "sweep",
            p,
            "--param",
            "ets_price",
            "--values",
            "0,100,1e6",
            "--format",
            f,
        ]);
        runs.push(vec!["compare", p, "--format", f]);
        if pareto {
            runs.push(vec!["pareto", p, "--points", "3", "--format", f]);
        }
    }
    for args in runs {
        let o = Command::new(BIN).args(&args).output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        if !o.status.success() {
            return Err(format!("{args:?} failed: {err}"));
        }
        if let Some(w) = nonfinite_word(&out) {
            return Err(format!("{args:?} printed {w}:\n{out}"));
        }
        if let Some(c) = out
            .chars()
            .find(|c| c.is_control() && *c != '\n' && *c != '\t')
        {
            return Err(format!("{args:?} printed the control character {c:?}"));
        }
    }
    Ok(())
}

/// A refusal must name a place inside the file and say something.
fn check_refusal(text: &str, e: &parkplan::park::ParkError, what: &str) -> Result<(), String> {
    if e.problems.is_empty() {
        return Err(format!("{what}: refused with no problem"));
    }
    let lines = text.lines().count().max(1) + 1;
    for p in &e.problems {
        if p.line == 0 || p.line > lines || p.message.trim().is_empty() {
            return Err(format!("{what}: problem out of the file: {p:?}"));
        }
    }
    Ok(())
}

/// Reads `text` as `path` (written there, beside the net park's profile CSV)
/// and checks the outcome; `cli`: also run every command.
fn run_case(dir: &Path, text: &str, what: &str, cli: bool) -> Result<bool, String> {
    let path = dir.join("case.toml");
    std::fs::write(&path, text).unwrap();
    match Park::load(&path) {
        Err(parkplan::park::LoadError::Invalid(e)) => check_refusal(text, &e, what).map(|()| false),
        Err(e) => Err(format!("{what}: {e}")),
        Ok(park) => {
            check_accepted(&park, what)?;
            if cli {
                // Pareto on the 34-group net park takes seconds a run: small parks only.
                let small = parkplan::compile(&park).groups.len() <= 20;
                check_commands(&path, small)?;
            }
            Ok(true)
        }
    }
}

/// Values that found bugs before: tiny, subnormal, huge, negative, the bounds.
const EDGES: &[&str] = &[
    "0",
    "-0.0",
    "1e-310",
    "5e-324",
    "1e-300",
    "1e-9",
    "0.001",
    "0.05",
    "0.1",
    "0.5",
    "0.999999",
    "1",
    "1.5",
    "2",
    "100",
    "8784",
    "1e6",
    "1e9",
    "1e12",
    "1e15",
    "1.0000001e15",
    "1e300",
    "-1",
    "-1e-300",
    "nan",
    "inf",
    "1_000",
    "0x10",
    "\"1\"",
    "[]",
    "{}",
    "true",
];

/// Byte ranges of the numbers written after `=` in `text`.
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (i, _) in text.match_indices('=') {
        let mut s = i + 1;
        while s < b.len() && b[s] == b' ' {
            s += 1;
        }
        let mut e = s;
        while e < b.len() && (b[e].is_ascii_digit() || b"+-.eE_".contains(&b[e])) {
            e += 1;
        }
        if e > s && text[s..e].replace('_', "").parse::<f64>().is_ok() {
            out.push((s, e));
        }
    }
    out
}

fn mutate(base: &str, rng: &mut SmallRng) -> String {
    let mut text = base.to_string();
    for _ in 0..rng.random_range(1..=3) {
        let spans = number_spans(&text);
        match rng.random_range(0..10) {
            // Mostly values: they are what reaches the numbers.
            0..=6 if !spans.is_empty() => {
                let (s, e) = spans[rng.random_range(0..spans.len())];
                let v = if rng.random_bool(0.6) {
                    EDGES[rng.random_range(0..EDGES.len())].to_string()
                } else {
                    let mag = rng.random_range(-320.0..310.0f64);
                    format!("{:e}", 10f64.powf(mag) * rng.random_range(1.0..10.0))
                };
                text.replace_range(s..e, &v);
            }
            7 => {
                // Delete or duplicate a line.
                let lines: Vec<&str> = text.lines().collect();
                let k = rng.random_range(0..lines.len());
                let mut out: Vec<&str> = lines.clone();
                if rng.random_bool(0.5) {
                    out.remove(k);
                } else {
                    out.insert(k, lines[k]);
                }
                text = out.join("\n");
            }
            8 => {
                // A stray byte: a control character, a quote, a bracket.
                let at = rng.random_range(0..text.len());
                if text.is_char_boundary(at) {
                    let c = ['\u{1b}', '"', '[', ']', '=', '\u{feff}', '\t', '#', ','];
                    text.insert(at, c[rng.random_range(0..c.len())]);
                }
            }
            _ => {
                // Truncate.
                let at = rng.random_range(0..text.len());
                if text.is_char_boundary(at) {
                    text.truncate(at);
                }
            }
        }
    }
    text
}

/// Random `--set KEY=VALUE` text: known and unknown keys, any value.
fn random_set(rng: &mut SmallRng) -> String {
    let keys: Vec<&str> = parkplan::park::PARAMS
        .iter()
        .map(|p| p.key)
        .chain(["electricity_price", "heat_demand", "nope", ""])
        .collect();
    let key = keys[rng.random_range(0..keys.len())];
    let value = if rng.random_bool(0.5) {
        EDGES[rng.random_range(0..EDGES.len())].to_string()
    } else {
        format!("{:e}", 10f64.powf(rng.random_range(-320.0..310.0f64)))
    };
    match rng.random_range(0..10) {
        0 => format!("{key}{value}"),
        1 => format!("{key}=={value}"),
        _ => format!("{key}={value}"),
    }
}

fn apply_sets(base: &Park, sets: &[String], what: &str) -> Result<(), String> {
    let mut park = base.clone();
    for s in sets {
        let before = park.clone();
        if park.apply_assignment(s).is_err() && park != before {
            return Err(format!("{what}: a refused --set {s} changed the park"));
        }
    }
    check_accepted(&park, what)
}

fn fail(failures: &mut Vec<String>, name: &str, text: &str, why: String) {
    let dir = root().join("target").join("fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    let _ = std::fs::write(&path, text);
    failures.push(format!("{why}\n(saved as {})", path.display()));
}

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/fuzz"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_regression_corpus_holds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("parks/net-park-profile.csv"),
        dir.path().join("net-park-profile.csv"),
    )
    .unwrap();
    let mut failures = Vec::new();
    let files = corpus();
    assert!(files.len() >= 5, "{files:?}");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if let Err(why) = run_case(dir.path(), &text, &name, true) {
            fail(&mut failures, &name, &text, why);
        }
    }
    // `--set` lines: one override list a line, applied to the paper case.
    let sets = std::fs::read_to_string(root().join("tests/fixtures/fuzz/sets.txt")).unwrap();
    let paper = Park::paper_case();
    for line in sets
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let list: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if let Err(why) = apply_sets(&paper, &list, line) {
            failures.push(why);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn seeded_mutants_of_the_shipped_parks() {
    let cases: usize = std::env::var("PARKPLAN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(FUZZ_CASES);
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("parks/net-park-profile.csv"),
        dir.path().join("net-park-profile.csv"),
    )
    .unwrap();
    let bases: Vec<(&str, String)> = ["paper-case.toml", "chemical-park.toml", "net-park.toml"]
        .iter()
        .map(|n| {
            (
                *n,
                std::fs::read_to_string(root().join("parks").join(n)).unwrap(),
            )
        })
        .collect();
    let paper = Park::paper_case();
    let mut failures = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for case in 0..cases {
        let mut rng = SmallRng::seed_from_u64(case as u64);
        let (name, base) = &bases[case % bases.len()];
        let text = mutate(base, &mut rng);
        let what = format!("seed {case} ({name})");
        let cli = case % CLI_EVERY == 0;
        match run_case(dir.path(), &text, &what, cli) {
            Ok(true) => accepted += 1,
            Ok(false) => refused += 1,
            Err(why) => fail(&mut failures, &format!("seed-{case}.toml"), &text, why),
        }
        // And random `--set` lists on the paper case.
        let sets: Vec<String> = (0..rng.random_range(1..=3))
            .map(|_| random_set(&mut rng))
            .collect();
        if let Err(why) = apply_sets(&paper, &sets, &format!("seed {case} --set {sets:?}")) {
            failures.push(why);
        }
        if failures.len() >= 5 {
            break;
        }
    }
    println!("{cases} mutants: {accepted} accepted, {refused} refused");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The run must exercise both sides.
    assert!(
        accepted > cases / 10 && refused > cases / 10,
        "{accepted} / {refused}"
    );
}
