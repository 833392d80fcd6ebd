//! Resource rows (docs/energy-and-nets.md, "Resource rows") and the MILP export,
//! checked by a second method: the exported LP file parsed back here and solved
//! by microlp's own branch and bound (its MILP solver, not parkplan's), on random
//! small parks with NETs, an energy baseline and random demands and supplies.

use std::collections::HashMap;

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use parkplan::analysis::ledger::ledger;
use parkplan::model::{Objective, Options, compile};
use parkplan::park::{Park, generate_with_nets};
use parkplan::plan::Plan;
use parkplan::solve::{self, CancelToken, export, ga};

/// A row read back: (name, terms, is `<=`, right-hand side).
pub(crate) type LpRow = (String, Vec<(usize, f64)>, bool, f64);

/// A MILP read back from an LP file written by `export`.
#[derive(Debug, Default)]
pub(crate) struct Lp {
    pub(crate) names: Vec<String>,
    pub(crate) index: HashMap<String, usize>,
    pub(crate) obj: Vec<f64>,
    pub(crate) upper: Vec<f64>,
    pub(crate) binary: Vec<bool>,
    pub(crate) rows: Vec<LpRow>,
}

impl Lp {
    pub(crate) fn var(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.names.push(name.to_string());
        self.obj.push(0.0);
        self.upper.push(f64::INFINITY);
        self.binary.push(false);
        self.index.insert(name.to_string(), self.names.len() - 1);
        self.names.len() - 1
    }

    /// "+ c name - c name ..." into terms.
    fn terms(&mut self, words: &[&str]) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        for t in words.chunks(3) {
            let sign = match t[0] {
                "+" => 1.0,
                "-" => -1.0,
                other => panic!("sign expected, got {other:?}"),
            };
            let c: f64 = t[1].parse().expect("coefficient");
            out.push((self.var(t[2]), sign * c));
        }
        out
    }

    pub(crate) fn parse(text: &str) -> Lp {
        let mut lp = Lp::default();
        let mut section = "";
        let mut obj_words: Vec<String> = Vec::new();
        for line in text.lines() {
            if line.starts_with('\\') {
                continue;
            }
            match line.trim() {
                "Maximize" | "Subject To" | "Bounds" | "Binary" | "End" => {
                    section = match line.trim() {
                        "Maximize" => "obj",
                        "Subject To" => "rows",
                        "Bounds" => "bounds",
                        "Binary" => "binary",
                        _ => "end",
                    };
                    continue;
                }
                _ => {}
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            match section {
                "obj" => {
                    obj_words.extend(
                        words
                            .iter()
                            .filter(|w| **w != "obj:")
                            .map(|w| w.to_string()),
                    );
                }
                "rows" => {
                    let name = words[0].trim_end_matches(':').to_string();
                    let n = words.len();
                    let terms = lp.terms(&words[1..n - 2]);
                    let le = match words[n - 2] {
                        "<=" => true,
                        ">=" => false,
                        other => panic!("operator expected, got {other:?}"),
                    };
                    lp.rows
                        .push((name, terms, le, words[n - 1].parse().expect("rhs")));
                }
                "bounds" => {
                    if words.len() == 5 {
                        let v = lp.var(words[2]);
                        lp.upper[v] = words[4].parse().expect("upper bound");
                    } else {
                        lp.var(words[0]);
                    }
                }
                "binary" => {
                    let v = lp.var(words[0]);
                    lp.binary[v] = true;
                    lp.upper[v] = 1.0;
                }
                _ => {}
            }
        }
        let words: Vec<&str> = obj_words.iter().map(String::as_str).collect();
        for (v, c) in lp.terms(&words) {
            lp.obj[v] += c;
        }
        lp
    }

    /// Its optimum by microlp (MILP, or the LP relaxation).
    pub(crate) fn solve(&self, relax: bool) -> f64 {
        let mut p = Problem::new(OptimizationDirection::Maximize);
        let vars: Vec<_> = (0..self.names.len())
            .map(|v| {
                if self.binary[v] && !relax {
                    p.add_binary_var(self.obj[v])
                } else {
                    p.add_var(self.obj[v], (0.0, self.upper[v]))
                }
            })
            .collect();
        for (_, terms, le, rhs) in &self.rows {
            let t: Vec<_> = terms.iter().map(|&(v, c)| (vars[v], c)).collect();
            let op = if *le {
                ComparisonOp::Le
            } else {
                ComparisonOp::Ge
            };
            p.add_constraint(t, op, *rhs);
        }
        let out = p.solve().expect("solvable");
        out.solution().expect("a solution").objective()
    }
}

/// A random small park with NETs and random demands and biomass supply, so
/// that the rows bind in some parks and not in others.
pub(crate) fn random_park(seed: u64) -> Park {
    random_park_of(2 + (seed % 3) as usize, seed)
}

/// [`random_park`] with `regions` regions.
pub(crate) fn random_park_of(regions: usize, seed: u64) -> Park {
    let mut park = generate_with_nets(regions, seed);
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    // Demands and supply as a random share of what the options could make or use.
    let opts = compile(&park);
    let (mut cool, mut heat, mut bio) = (0.0, 0.0, 0.0);
    for it in &opts.items {
        let f = parkplan::model::flows(&park, it);
        cool += f.cooling_out_mwh * it.hi;
        heat += f.heat_out_mwh * it.hi;
        bio += f.biomass_in_t * it.hi;
    }
    let en = park
        .energy
        .as_mut()
        .expect("generated with an energy baseline");
    en.cooling_demand_mwh = (cool * next() * 0.6).round();
    en.heat_demand_mwh = (heat * next() * 0.6).round();
    en.biomass_supply_t = (bio > 0.0).then(|| (bio * next() * 0.8).round().max(1.0));
    park.economics.capex_cap_cny = (opts.max_spend() * (0.2 + 0.8 * next())).round().max(1.0);
    park
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// The exported objective at a plan: built items' capacities and build
/// variables, surplus charged to the cheapest producers (as the LP would).
fn lp_value_at(lp: &Lp, opts: &Options, plan: &Plan, obj: Objective) -> f64 {
    let mut v = 0.0;
    for b in plan.built() {
        let it = &opts.items[b.item];
        let base = format!(
            "r{}_{}_t{}",
            it.region_id,
            it.strategy.name().to_ascii_lowercase(),
            it.tech
        );
        let a = lp.index[&format!("A_{base}")];
        let y = lp.index[&format!("y_{base}")];
        v += lp.obj[a] * b.capacity + lp.obj[y];
    }
    v - opts.rows.surplus_loss(plan).of(obj)
}

#[test]
fn exact_optimum_with_resource_rows_equals_an_independent_milp_solve() {
    let mut with_rows = 0;
    let mut binding = 0;
    for seed in 0..24u64 {
        let park = random_park(seed);
        let opts = compile(&park);
        if opts.rows.is_empty() {
            continue;
        }
        with_rows += 1;
        for obj in [Objective::Economic, Objective::Carbon] {
            let at = format!("seed {seed} {}", obj.name());
            let exact = solve::solve_exact(&opts, obj);
            assert!(exact.proven_optimal, "{at}: not proven");
            exact
                .plan
                .check(&opts)
                .unwrap_or_else(|e| panic!("{at}: exact plan infeasible: {e}"));
            let lp = Lp::parse(&export::write(&opts, obj, export::Format::Lp, "t"));
            let milp = lp.solve(false);
            let relax = lp.solve(true);
            assert!(
                close(exact.value, milp, 1e-6),
                "{at}: parkplan {} vs microlp MILP {milp}",
                exact.value
            );
            assert!(
                exact.value <= relax + 1e-7 * relax.abs().max(1.0),
                "{at}: optimum {} above the LP bound {relax}",
                exact.value
            );
            // The file's coefficients give the plan the solver's value.
            let v = lp_value_at(&lp, &opts, &exact.plan, obj);
            assert!(
                close(v, exact.value, 1e-9),
                "{at}: file {v} vs {}",
                exact.value
            );
            // Ledger: the plan's credit taken back equals the ledger's unusable credit.
            let l = ledger(&park, &opts, &exact.plan);
            let ev = exact.plan.evaluate(&opts);
            let unusable = l.carbon.unusable_credit.unwrap_or(0.0);
            assert!(
                close(ev.totals.uncredited_co2, unusable, 1e-9),
                "{at}: uncredited {} vs ledger {unusable}",
                ev.totals.uncredited_co2
            );
            if opts
                .rows
                .rows
                .iter()
                .enumerate()
                .any(|(r, row)| opts.rows.usage(r, &exact.plan) >= row.rhs * (1.0 - 1e-9))
            {
                binding += 1;
            }
            // The GA's plan satisfies every row too.
            let mut cfg = ga::GaConfig::new(park.solver.clone());
            cfg.settings.generations = 30;
            let (g, _) = ga::solve(&opts, obj, &cfg, &CancelToken::new(), |_| {}).expect("ga");
            g.plan
                .check(&opts)
                .unwrap_or_else(|e| panic!("{at}: GA plan infeasible: {e}"));
            assert!(
                g.value <= exact.value + 1e-9 * exact.value.abs().max(1.0),
                "{at}: GA {} above the optimum {}",
                g.value,
                exact.value
            );
        }
    }
    assert!(with_rows >= 12, "only {with_rows} parks with rows");
    assert!(binding >= 6, "only {binding} solves with a binding row");
}

#[test]
fn epsilon_points_with_resource_rows_equal_an_independent_milp_solve() {
    for seed in 0..10u64 {
        let park = random_park(seed);
        let opts = compile(&park);
        if opts.rows.is_empty() {
            continue;
        }
        let econ = solve::solve_exact(&opts, Objective::Economic);
        let carbon = solve::solve_exact(&opts, Objective::Carbon);
        let lo = econ.plan.objective(&opts, Objective::Carbon);
        let text = export::write(&opts, Objective::Economic, export::Format::Lp, "t");
        let carbon_lp = Lp::parse(&export::write(
            &opts,
            Objective::Carbon,
            export::Format::Lp,
            "t",
        ));
        for f in [0.3, 0.7, 1.0] {
            let need = lo + f * (carbon.value - lo);
            let at = format!("seed {seed}, CO2 >= {need}");
            let sol = solve::epsilon::solve(&opts, need, None, 1_000_000)
                .expect("not cancelled")
                .unwrap_or_else(|| panic!("{at}: no plan"));
            assert!(sol.proven_optimal, "{at}: not proven");
            sol.plan.check(&opts).expect("feasible");
            let co2 = sol.plan.objective(&opts, Objective::Carbon);
            assert!(co2 >= need - 1e-7 * need.abs().max(1.0), "{at}: CO2 {co2}");
            // The epsilon row, built from the carbon file's objective, added to
            // the economic file.
            let mut lp = Lp::parse(&text);
            let row: Vec<(usize, f64)> = carbon_lp
                .names
                .iter()
                .enumerate()
                .filter(|(v, _)| carbon_lp.obj[*v] != 0.0)
                .map(|(v, name)| (lp.var(name), carbon_lp.obj[v]))
                .collect();
            lp.rows
                .push(("eps".into(), row, false, need * (1.0 - 1e-9)));
            let want = lp.solve(false);
            assert!(
                close(sol.value, want, 1e-6),
                "{at}: parkplan {} vs microlp MILP {want}",
                sol.value
            );
        }
    }
}

#[test]
fn a_park_without_energy_has_no_rows_and_exports_every_option() {
    let park = parkplan::park::generate(5, 3);
    let opts = compile(&park);
    assert!(opts.rows.is_empty());
    let lp = Lp::parse(&export::write(
        &opts,
        Objective::Economic,
        export::Format::Lp,
        "t",
    ));
    let exact = solve::solve_exact(&opts, Objective::Economic);
    let milp = lp.solve(false);
    assert!(close(exact.value, milp, 1e-6), "{} vs {milp}", exact.value);
    // One capacity and one build variable per option with a positive cap.
    let n = opts.items.iter().filter(|it| it.hi > 0.0).count();
    assert_eq!(lp.names.len(), 2 * n);
    // The budget row's coefficients are the catalogue's capex per unit.
    let budget = lp
        .rows
        .iter()
        .find(|r| r.0 == "budget")
        .expect("budget row");
    assert_eq!(budget.3, park.economics.capex_cap_cny);
    for &(v, c) in &budget.1 {
        let name = &lp.names[v];
        if let Some(rest) = name.strip_prefix("A_") {
            let it = opts
                .items
                .iter()
                .find(|it| {
                    format!(
                        "r{}_{}_t{}",
                        it.region_id,
                        it.strategy.name().to_ascii_lowercase(),
                        it.tech
                    ) == rest
                })
                .expect("named item");
            let cat = match it.strategy {
                parkplan::park::Strategy::Whr => park
                    .catalogue
                    .whr
                    .iter()
                    .find(|t| t.code == it.tech)
                    .map(|t| t.capex_cny_per_kw),
                parkplan::park::Strategy::Pv => park
                    .catalogue
                    .pv
                    .iter()
                    .find(|t| t.code == it.tech)
                    .map(|t| t.capex_cny_per_kw / t.area_m2_per_kw),
                _ => None,
            };
            if let Some(want) = cat {
                assert!(close(c, want, 1e-12), "{name}: {c} vs catalogue {want}");
            }
        }
    }
}

/// The streamed front: one report per target, in order, with "n of N"; the
/// kept points are among those reported, non-dominated, feasible and proven,
/// and its ends are the single-objective optima; a cancel from the callback
/// stops it.
#[test]
fn pareto_front_streams_its_points_and_stops_on_cancel() {
    use parkplan::analysis::pareto;
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/parks/net-park.toml"));
    let park = Park::load(path).expect("net park");
    let token = CancelToken::new();
    let mut seen = Vec::new();
    let (opts, pts) = pareto::front_stream(&park, 9, &token, |p, at| {
        assert_eq!(at.total, 9);
        seen.push((
            at.done,
            p.totals.annual_benefit,
            p.totals.annual_co2_reduction,
        ));
    })
    .expect("front");
    assert_eq!(
        seen.iter().map(|s| s.0).collect::<Vec<_>>(),
        (1..=9).collect::<Vec<_>>()
    );
    let econ = solve::solve_exact(&opts, Objective::Economic);
    let carbon = solve::solve_exact(&opts, Objective::Carbon);
    let first = &pts[0];
    let last = &pts[pts.len() - 1];
    assert!(close(first.totals.annual_benefit, econ.value, 1e-9));
    assert!(close(last.totals.annual_co2_reduction, carbon.value, 1e-9));
    for p in &pts {
        assert!(p.solution.proven_optimal, "{:?}", p.totals);
        p.solution.plan.check(&opts).expect("feasible");
        assert!(seen.iter().any(|s| s.1 == p.totals.annual_benefit));
        for q in &pts {
            let dominates = q.totals.annual_benefit > p.totals.annual_benefit * (1.0 + 1e-9)
                && q.totals.annual_co2_reduction >= p.totals.annual_co2_reduction;
            assert!(!dominates, "{:?} dominated by {:?}", p.totals, q.totals);
        }
    }
    // Cancelled from the callback after the second point: nothing more arrives.
    let token = CancelToken::new();
    let mut n = 0;
    let r = pareto::front_stream(&park, 9, &token, |_, _| {
        n += 1;
        if n == 2 {
            token.cancel();
        }
    });
    assert!(matches!(r, Err(pareto::ParetoError::Cancelled)));
    assert_eq!(n, 2);
}

/// Solves `park` with `node_limit` and checks, against the LP relaxation of
/// its exported file (solved here by microlp), that the plan is feasible, is
/// within 1e-6 of that relaxation (so within 1e-6 of the optimum), and that
/// the search stopped by reaching that gap, not by its node limit.
fn reaches_the_gap_before_its_node_limit(park: &Park, node_limit: u64) {
    let opts = compile(park);
    let obj = Objective::Economic;
    let sol =
        solve::exact::solve_limited(&opts, obj, node_limit, f64::INFINITY, &CancelToken::new())
            .expect("not cancelled");
    sol.plan.check(&opts).expect("feasible plan");
    let lp = Lp::parse(&export::write(&opts, obj, export::Format::Lp, "t"));
    let relaxed = lp.solve(true);
    assert!(
        sol.value <= relaxed * (1.0 + 1e-9),
        "{} above the LP relaxation {relaxed}",
        sol.value
    );
    let gap = (relaxed - sol.value) / relaxed.abs();
    assert!(gap <= 1e-6, "gap {gap:e} to the LP relaxation");
    assert!(sol.gap() <= 1e-6, "reported gap {:e}", sol.gap());
    assert!(sol.upper_bound >= sol.value);
    assert!(
        sol.evaluations < node_limit,
        "ran to its node limit ({} nodes) instead of stopping at the gap",
        sol.evaluations
    );
}

/// Issue 16, item 4, without resource rows: a budget-bound park of 300
/// regions (432 option groups). The depth-first search without a gap
/// tolerance ran to its limit here (500,000 nodes in 5 s, gap 4.8e-7).
#[test]
fn a_large_budget_bound_park_stops_at_a_gap_of_1e6() {
    let mut park = parkplan::park::generate(300, 11);
    park.economics.capex_cap_cny = 1.5e8;
    reaches_the_gap_before_its_node_limit(&park, 100_000);
}

/// The same with resource rows (NETs and an energy baseline): the LP search
/// alone stopped at a gap of 1.4e-4 after 400 LP nodes; started from the
/// plan of the park without its rows it reaches 1e-6.
#[test]
fn a_large_budget_bound_park_with_rows_stops_at_a_gap_of_1e6() {
    let mut park = generate_with_nets(300, 7);
    park.economics.capex_cap_cny = 1.5e8;
    assert!(!compile(&park).rows.is_empty());
    reaches_the_gap_before_its_node_limit(&park, 100_000);
}

/// Limits stop cleanly: with one node, or no time at all, the solver still
/// answers with a feasible plan, a bound at least its value and the gap
/// between them (not proven).
#[test]
fn node_and_time_limits_stop_with_a_feasible_plan_and_its_gap() {
    for nets in [false, true] {
        let mut park = if nets {
            generate_with_nets(300, 7)
        } else {
            parkplan::park::generate(300, 11)
        };
        park.economics.capex_cap_cny = 1.5e8;
        let opts = compile(&park);
        let obj = Objective::Economic;
        let lp = Lp::parse(&export::write(&opts, obj, export::Format::Lp, "t"));
        let relaxed = lp.solve(true);
        for (nodes, secs) in [(1, f64::INFINITY), (5_000_000, 0.0)] {
            let sol = solve::exact::solve_limited(&opts, obj, nodes, secs, &CancelToken::new())
                .expect("not cancelled");
            sol.plan.check(&opts).expect("feasible plan");
            assert!(close(sol.value, sol.plan.objective(&opts, obj), 1e-12));
            assert!(
                sol.value > 0.0,
                "nets {nets}, {nodes} nodes, {secs} s: empty plan"
            );
            assert!(sol.upper_bound >= sol.value);
            // The bound it reports is a true bound: at least the LP optimum's.
            assert!(
                sol.upper_bound >= relaxed * (1.0 - 1e-9),
                "nets {nets}: bound {} below the LP relaxation {relaxed}",
                sol.upper_bound
            );
            assert!(sol.gap().is_finite());
        }
    }
}

/// A MILP read back from a free MPS file, by its own reader (ROWS, COLUMNS
/// with integer markers, RHS, BOUNDS UP/PL/BV), into the same form as
/// [`Lp::parse`] gives.
fn parse_mps(text: &str) -> Lp {
    let mut lp = Lp::default();
    let mut section = "";
    let mut row_index: HashMap<String, usize> = HashMap::new();
    let mut obj_row = String::new();
    let mut maximize = false;
    let mut in_int = false;
    for line in text.lines() {
        if line.starts_with('*') || line.trim().is_empty() {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if !line.starts_with(' ') {
            section = match words[0] {
                "NAME" => "name",
                "OBJSENSE" => "sense",
                "ROWS" => "rows",
                "COLUMNS" => "columns",
                "RHS" => "rhs",
                "BOUNDS" => "bounds",
                "ENDATA" => "end",
                other => panic!("unknown MPS section {other:?}"),
            };
            continue;
        }
        match section {
            "sense" => maximize = words[0] == "MAX",
            "rows" => match words[0] {
                "N" => obj_row = words[1].to_string(),
                "L" | "G" => {
                    row_index.insert(words[1].to_string(), lp.rows.len());
                    lp.rows
                        .push((words[1].to_string(), Vec::new(), words[0] == "L", 0.0));
                }
                other => panic!("row type {other:?}"),
            },
            "columns" => {
                if words[1] == "'MARKER'" {
                    in_int = words[2] == "'INTORG'";
                    continue;
                }
                let v = lp.var(words[0]);
                if in_int {
                    lp.binary[v] = true;
                }
                for pair in words[1..].chunks(2) {
                    let c: f64 = pair[1].parse().expect("coefficient");
                    if pair[0] == obj_row {
                        lp.obj[v] += c;
                    } else {
                        lp.rows[row_index[pair[0]]].1.push((v, c));
                    }
                }
            }
            "rhs" => {
                for pair in words[1..].chunks(2) {
                    lp.rows[row_index[pair[0]]].3 = pair[1].parse().expect("rhs");
                }
            }
            "bounds" => {
                let v = lp.var(words[2]);
                match words[0] {
                    "UP" => lp.upper[v] = words[3].parse().expect("upper bound"),
                    "PL" => lp.upper[v] = f64::INFINITY,
                    "BV" => {
                        lp.binary[v] = true;
                        lp.upper[v] = 1.0;
                    }
                    other => panic!("bound type {other:?}"),
                }
            }
            _ => {}
        }
    }
    assert!(maximize, "the file maximizes");
    lp
}

/// The same MILP, every variable and row keyed by name, for comparing two files.
type Keyed = (
    HashMap<String, (f64, f64, bool)>,
    HashMap<String, (Vec<(String, f64)>, bool, f64)>,
);

fn keyed(lp: &Lp) -> Keyed {
    let vars = (0..lp.names.len())
        .map(|v| (lp.names[v].clone(), (lp.obj[v], lp.upper[v], lp.binary[v])))
        .collect();
    let rows = lp
        .rows
        .iter()
        .map(|(name, terms, le, rhs)| {
            let mut t: Vec<(String, f64)> = terms
                .iter()
                .map(|&(v, c)| (lp.names[v].clone(), c))
                .collect();
            t.sort_by(|a, b| a.0.cmp(&b.0));
            (name.clone(), (t, *le, *rhs))
        })
        .collect();
    (vars, rows)
}

/// Issue 16, item 5: `parkplan export --format mps`, read back by the MPS
/// reader above, is the same MILP as `--format lp` read back by the LP reader
/// (every variable's objective, bound and type, every row's coefficients,
/// sense and right-hand side), and its optimum by microlp's branch and bound
/// equals parkplan's exact optimum: on the paper case (budget row only) and on
/// a small generated park with NETs (resource rows and surplus variables),
/// for both objectives.
#[test]
fn mps_export_round_trips_to_the_same_milp_and_optimum() {
    let dir = tempfile::tempdir().expect("temp dir");
    let small = dir.path().join("small.toml");
    let mut park = random_park(4);
    park.name = "round trip".to_string();
    std::fs::write(&small, parkplan::park::to_toml(&park, "")).expect("write park");
    for (file, label) in [(None, "paper case"), (Some(&small), "small park with NETs")] {
        let (park, rows) = match file {
            None => (Park::paper_case(), false),
            Some(p) => (Park::load(p).expect("reads back"), true),
        };
        let opts = compile(&park);
        assert_eq!(!opts.rows.is_empty(), rows, "{label}");
        for obj in [Objective::Economic, Objective::Carbon] {
            let export = |format: &str| {
                let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_parkplan"));
                cmd.arg("export");
                if let Some(p) = file {
                    cmd.arg(p);
                }
                let out = cmd
                    .args(["--format", format, "--objective", obj.name()])
                    .output()
                    .expect("runs");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8(out.stdout).expect("utf-8")
            };
            let mps = parse_mps(&export("mps"));
            let lp = Lp::parse(&export("lp"));
            assert!(!mps.rows.is_empty() && !mps.names.is_empty());
            assert_eq!(
                keyed(&mps),
                keyed(&lp),
                "{label}, {obj:?}: MPS and LP differ"
            );
            let exact = solve::solve_exact(&opts, obj);
            let milp = mps.solve(false);
            assert!(
                close(exact.value, milp, 1e-6),
                "{label}, {obj:?}: exact {} vs MPS file's optimum {milp}",
                exact.value
            );
            assert!(mps.solve(true) >= milp * (1.0 - 1e-9));
        }
    }
}

// ---- Land rows (`[land]`, `land_group`) ----

/// The paper case's economics and catalogue with four small regions: lots 1-2
/// in land group "north", lot 3 only under the park-wide total, a roof in
/// "north" whose PV uses no ground. The budget is out of the way, so only
/// the land rows bind.
fn land_park(land: &str) -> Park {
    let paper = parkplan::park::PAPER_CASE_TOML;
    let head = &paper[..paper.find("[[region]]").expect("paper case has regions")];
    let text = format!(
        "{head}{land}
[[region]]
id = 1
name = \"Lot 1\"
land = \"empty_lot\"
land_group = \"north\"
fcs = {{ max_ha = 2.0 }}
pv = {{ max_ha = 1.5 }}

[[region]]
id = 2
name = \"Lot 2\"
land = \"empty_lot\"
land_group = \"north\"
fcs = {{ max_ha = 1.0 }}
pv = {{ max_ha = 1.0 }}

[[region]]
id = 3
name = \"Lot 3\"
land = \"empty_lot\"
fcs = {{ max_ha = 1.0 }}
pv = {{ max_ha = 0.8 }}

[[region]]
id = 4
name = \"Roof 4\"
land = \"rooftop\"
land_group = \"north\"
pv = {{ max_ha = 0.5 }}
"
    );
    let mut park = Park::from_toml(&text, "land.toml").unwrap_or_else(|e| panic!("{e}"));
    park.economics.capex_cap_cny = 1e12;
    park
}

/// The optimum by brute force: every choice of one option (or none) per
/// group; for a choice, capacities by the greedy on value per m2, which is
/// optimal because the land rows are nested (north within the total: a
/// laminar family, a polymatroid) and every coefficient is 1 m2 per m2.
/// Ground is decided here from the region's land, not by the code under test.
fn land_brute_force(park: &Park, opts: &Options, obj: Objective, north: f64, total: f64) -> f64 {
    let groups = &opts.groups;
    let mut choice = vec![0usize; groups.len()];
    let mut best = f64::NEG_INFINITY;
    loop {
        let mut picked: Vec<usize> = Vec::new();
        let mut value = 0.0;
        for (g, &c) in groups.iter().zip(&choice) {
            if c > 0 {
                let i = g.items.start + c - 1;
                picked.push(i);
                value += opts.value_fixed(i, obj);
            }
        }
        picked.sort_by(|&a, &b| {
            opts.value_per_unit(b, obj)
                .total_cmp(&opts.value_per_unit(a, obj))
        });
        let (mut north_left, mut total_left) = (north, total);
        for i in picked {
            let it = &opts.items[i];
            let v = opts.value_per_unit(i, obj);
            assert_eq!(it.lo, 0.0);
            if v <= 0.0 {
                continue;
            }
            let region = &park.regions[it.region];
            let empty_lot = region.land == parkplan::park::Land::EmptyLot;
            let ground = it.strategy == parkplan::park::Strategy::Fcs
                || (it.strategy == parkplan::park::Strategy::Pv && empty_lot);
            let in_north = ground && region.land_group.as_deref() == Some("north");
            let mut a = it.hi;
            if ground {
                a = a.min(total_left);
            }
            if in_north {
                a = a.min(north_left);
            }
            value += v * a;
            if ground {
                total_left -= a;
            }
            if in_north {
                north_left -= a;
            }
        }
        best = best.max(value);
        // Next choice (odometer).
        let mut k = 0;
        loop {
            if k == groups.len() {
                return best;
            }
            choice[k] += 1;
            if choice[k] <= groups[k].items.len() {
                break;
            }
            choice[k] = 0;
            k += 1;
        }
    }
}

#[test]
fn land_rows_bind_and_the_optimum_equals_brute_force() {
    // Lots 1-2 could cover 5.5 ha, all three lots 7.3 ha.
    let (north, total) = (20_000.0, 35_000.0);
    let park = land_park(&format!(
        "[land]\ntotal = {total}  # [m2] test\nnorth = {north}  # [m2] test\n"
    ));
    let opts = compile(&park);
    let names: Vec<&str> = opts.rows.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["land_north", "land"],
        "a park without [energy] has only its land rows"
    );
    let mut free = park.clone();
    free.land = Default::default();
    assert!(compile(&free).rows.is_empty());
    for obj in [Objective::Economic, Objective::Carbon] {
        let at = obj.name();
        let expected = land_brute_force(&park, &opts, obj, north, total);
        let unlimited = land_brute_force(&park, &opts, obj, f64::INFINITY, f64::INFINITY);
        assert!(
            expected < unlimited - 1e-6 * unlimited.abs(),
            "{at}: the land rows do not bind ({expected} vs {unlimited})"
        );
        let exact = solve::solve_exact(&opts, obj);
        assert!(exact.proven_optimal, "{at}: not proven");
        assert!(
            close(exact.value, expected, 1e-9),
            "{at}: parkplan {} vs brute force {expected}",
            exact.value
        );
        exact
            .plan
            .check(&opts)
            .unwrap_or_else(|e| panic!("{at}: exact plan infeasible: {e}"));
        // Same optimum from the exported file solved by microlp.
        let text = export::write(&opts, obj, export::Format::Lp, "t");
        assert!(
            text.contains(" land_north:") && text.contains(" land:"),
            "{text}"
        );
        let milp = Lp::parse(&text).solve(false);
        assert!(
            close(milp, expected, 1e-6),
            "{at}: microlp {milp} vs {expected}"
        );
        let mut cfg = ga::GaConfig::new(park.solver.clone());
        cfg.settings.generations = 30;
        let (g, _) = ga::solve(&opts, obj, &cfg, &CancelToken::new(), |_| {}).expect("ga");
        g.plan
            .check(&opts)
            .unwrap_or_else(|e| panic!("{at}: GA plan infeasible: {e}"));
        assert!(g.value <= exact.value + 1e-9 * exact.value.abs().max(1.0));
        // The ground the plan covers, counted here from the plan itself.
        let (mut n, mut t) = (0.0, 0.0);
        for b in exact.plan.built() {
            let it = &opts.items[b.item];
            let r = &park.regions[it.region];
            let ground = it.strategy == parkplan::park::Strategy::Fcs
                || r.land == parkplan::park::Land::EmptyLot;
            if ground {
                t += b.capacity;
                if r.land_group.as_deref() == Some("north") {
                    n += b.capacity;
                }
            }
        }
        assert!(
            n <= north * (1.0 + 1e-9) && t <= total * (1.0 + 1e-9),
            "{at}: {n} {t}"
        );
    }
}

/// A plan that builds only `item` at `capacity`.
fn plan_of(opts: &Options, item: usize, capacity: f64) -> Plan {
    let mut plan = Plan::empty(opts);
    let g = opts
        .groups
        .iter()
        .position(|g| g.items.contains(&item))
        .unwrap();
    plan.choice[g] = Some(parkplan::plan::Built { item, capacity });
    plan
}

#[test]
fn a_plan_over_a_land_row_fails_the_check() {
    let park = land_park("[land]\nnorth = 10000  # [m2] test\n");
    let opts = compile(&park);
    // Lot 1's forest at its cap of 2 ha is 20,000 m2 > 10,000 m2.
    let fcs = opts
        .items
        .iter()
        .position(|it| it.region_id == 1 && it.strategy == parkplan::park::Strategy::Fcs)
        .unwrap();
    let plan = plan_of(&opts, fcs, 20_000.0);
    let e = plan.check(&opts).expect_err("over the land row");
    assert!(e.to_string().contains("land_north"), "{e}");
    // The roof's PV is in "north" but on a roof: it uses no ground.
    let roof = opts.items.iter().position(|it| it.region_id == 4).unwrap();
    let plan = plan_of(&opts, roof, 5_000.0);
    plan.check(&opts).expect("rooftop PV uses no land");
}

#[test]
fn land_keys_are_read_written_back_and_checked() {
    let park = land_park("[land]\ntotal = 30000  # [m2] test\nnorth = 12000.5  # [m2] test\n");
    assert_eq!(park.land.total_m2, Some(30_000.0));
    assert_eq!(park.land.groups, vec![("north".to_string(), 12_000.5)]);
    assert_eq!(park.regions[0].land_group.as_deref(), Some("north"));
    assert_eq!(park.regions[2].land_group, None);
    let text = parkplan::park::to_toml(&park, "test");
    let back = Park::from_toml(&text, "back.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back.land, park.land);
    assert_eq!(back.regions, park.regions);
    // Errors: file:line:column, key, what is allowed. Returns the message
    // and the lines of `land_group` and of `[land]`.
    let err = |land: &str| -> (String, usize, usize) {
        let paper = parkplan::park::PAPER_CASE_TOML;
        let head = &paper[..paper.find("[[region]]").unwrap()];
        let text = format!(
            "{head}{land}\n[[region]]\nid = 1\nname = \"L\"\nland = \"empty_lot\"\nland_group = \"north\"\nfcs = {{ max_ha = 1 }}\n"
        );
        let line_of = |needle: &str| {
            text.find(needle)
                .map_or(0, |at| text[..at].lines().count() + 1)
        };
        let e = Park::from_toml(&text, "bad.toml")
            .expect_err(land)
            .to_string();
        (e, line_of("land_group = "), line_of("[land]"))
    };
    let (e, line, _) = err("");
    assert!(
        e.contains(&format!(
            "bad.toml:{line}:14: region[id=1].land_group: land group \"north\" has no area: add a [land] table"
        )),
        "{e}"
    );
    let (e, _, _) = err("[land]\nsouth = 5  # [m2] test\n");
    assert!(
        e.contains("is not in [land]; groups there: \"south\""),
        "{e}"
    );
    let (e, _, land) = err("[land]\nnorth = -5\n");
    assert!(
        e.contains(&format!("bad.toml:{}:9: land.north:", land + 1)),
        "{e}"
    );
    assert!(e.contains("m2"), "{e}");
    let (e, _, _) = err("[land]\nnorth = \"big\"\n");
    assert!(
        e.contains("land.north: expected") && e.contains("found string"),
        "{e}"
    );
    let (e, _, _) = err("[land]\nnorth = 5\n\"a b\" = 3\n");
    assert!(
        e.contains("land.a b: a land group name uses letters"),
        "{e}"
    );
}

// ---- Electricity export (`[energy] export_price`) ----

/// The paper case before its regions, without WHR's `displaced_ef` (which a
/// park with `[energy]` cannot use).
fn energy_head() -> String {
    let paper = parkplan::park::PAPER_CASE_TOML;
    paper[..paper.find("[[region]]").expect("paper case has regions")]
        .lines()
        .filter(|l| !l.starts_with("displaced_ef"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The paper's economics and PV with `[energy]` (no cooling or heat demand)
/// and three roofs of 10,000 m2 of PV each; the budget out of the way.
fn export_park(export: &str) -> Park {
    let head = energy_head();
    let mut text = format!(
        "{head}
[energy]
electricity_price = 650  # [CNY/MWh] test
gas_price = 300  # [CNY/MWh] test
electricity_demand = 2000  # [MWh/yr] test
heat_demand = 0  # [MWh/yr] test
cooling_demand = 0  # [MWh/yr] test
{export}
[energy.profile]
day_load_factor = 1.3
"
    );
    for id in 1..=3 {
        text += &format!(
            "\n[[region]]\nid = {id}\nname = \"Roof {id}\"\nland = \"rooftop\"\npv = {{ max_m2 = 10000 }}\n"
        );
    }
    let mut park = Park::from_toml(&text, "export.toml").unwrap_or_else(|e| panic!("{e}"));
    park.economics.capex_cap_cny = 1e12;
    park
}

#[test]
fn electricity_beyond_the_park_s_use_earns_the_export_price() {
    // By hand from the inputs (eqs. 3.23-3.26): yield w (MWh/m2), value per
    // m2 v, and the on-site value of a MWh, λ_PV.
    let park = export_park("");
    let e = &park.economics;
    let pv = &park.catalogue.pv[0];
    let w = e.solar_radiation_kwh_per_m2_yr * pv.efficiency * pv.loss_factor / 1000.0;
    let r = 0.08f64;
    let n = e.service_life_yr;
    let alpha = r * (1.0 + r).powf(n) / ((1.0 + r).powf(n) - 1.0);
    let v = (pv.feed_in_price_cny_per_kwh + e.ets_price_cny_per_t * e.grid_ef_t_per_mwh / 1000.0
        - pv.maintenance_cny_per_kwh)
        * w
        * 1000.0
        - alpha * pv.capex_cny_per_kw / pv.area_m2_per_kw;
    let lambda = pv.feed_in_price_cny_per_kwh * 1000.0;
    let (cap, demand) = (30_000.0, 2_000.0);
    assert!(v > 0.0 && w * cap > demand);
    let co2 = w * e.grid_ef_t_per_mwh * cap;
    // Without export_price: every MWh at λ_PV, as before (no row at all).
    // With 0: past the demand a m2 loses w λ_PV > v, so the plan stops at
    // the demand. With 700: it loses w (λ_PV - 700) < v, so it fills the roofs
    // and exports the rest at 700.
    let x = 700.0;
    assert!(v - w * lambda < 0.0 && v - w * (lambda - x) > 0.0);
    let cases = [
        ("", v * cap, 0),
        ("export_price = 0  # [CNY/MWh] test", v * demand / w, 1),
        (
            "export_price = 700  # [CNY/MWh] test",
            v * cap - (w * cap - demand) * (lambda - x),
            1,
        ),
    ];
    for (key, expected, rows) in cases {
        let park = export_park(key);
        let opts = compile(&park);
        assert_eq!(opts.rows.rows.len(), rows, "{key}");
        let exact = solve::solve_exact(&opts, Objective::Economic);
        assert!(exact.proven_optimal, "{key}");
        assert!(
            close(exact.value, expected, 1e-9),
            "{key}: parkplan {} vs by hand {expected}",
            exact.value
        );
        exact.plan.check(&opts).unwrap();
        // The carbon objective keeps the credit of exported power.
        let carbon = solve::solve_exact(&opts, Objective::Carbon);
        assert!(
            close(carbon.value, co2, 1e-9),
            "{key}: {} vs {co2}",
            carbon.value
        );
        if rows == 1 {
            let text = export::write(&opts, Objective::Economic, export::Format::Lp, "t");
            assert!(text.contains(" electricity:"), "{text}");
            let milp = Lp::parse(&text).solve(false);
            assert!(
                close(milp, expected, 1e-6),
                "{key}: microlp {milp} vs {expected}"
            );
            let mut cfg = ga::GaConfig::new(park.solver.clone());
            cfg.settings.generations = 30;
            let (g, _) = ga::solve(
                &opts,
                Objective::Economic,
                &cfg,
                &CancelToken::new(),
                |_| {},
            )
            .expect("ga");
            g.plan.check(&opts).unwrap();
            assert!(g.value <= expected + 1e-9 * expected.abs());
        }
    }
}

#[test]
fn export_price_is_read_written_back_and_checked() {
    let park = export_park("export_price = 412.5  # [CNY/MWh] test");
    let en = park.energy.as_ref().unwrap();
    assert_eq!(en.export_price_cny_per_mwh, Some(412.5));
    let text = parkplan::park::to_toml(&park, "test");
    let back = Park::from_toml(&text, "back.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(back.energy.unwrap().export_price_cny_per_mwh, Some(412.5));
    assert_eq!(
        export_park("").energy.unwrap().export_price_cny_per_mwh,
        None
    );
    let head = energy_head();
    let text = format!(
        "{head}\n[energy]\nelectricity_price = 650\ngas_price = 300\nelectricity_demand = 1\nheat_demand = 0\ncooling_demand = 0\nexport_price = -1\n[energy.profile]\nday_load_factor = 1\n\n[[region]]\nid = 1\nname = \"R\"\nland = \"rooftop\"\npv = {{ max_m2 = 1 }}\n"
    );
    let line = text[..text.find("export_price").unwrap()].lines().count() + 1;
    let e = Park::from_toml(&text, "bad.toml")
        .expect_err("negative")
        .to_string();
    assert!(
        e.contains(&format!("bad.toml:{line}:16: energy.export_price:")) && e.contains("CNY/MWh"),
        "{e}"
    );
}
