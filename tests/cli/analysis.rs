//! Tests of the analyses of issue 5: parameter sweeps and their tipping points,
//! the economic/carbon Pareto front, the exact epsilon-constraint solver behind
//! it, and the marginal abatement cost curve.
//!
//! Every expected value is obtained independently of the function under test:
//! by hand (arithmetic in the comments; python3 used only as a calculator), by
//! separate solves of the exact single-objective solver, from docs/validation.md,
//! or by a brute force over every discrete choice of tiny parks with an exact
//! enumeration of the vertices of the continuous part (cross-checked by a grid of
//! capacities).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use parkplan::analysis::sweep::{self, Change, Level, SweepError, SweepPoint, TippingPoint};
use parkplan::analysis::{mac, pareto};
use parkplan::park::{SetError, Strategy};

/// The paper's park with literature values: the hand derivations below are for
/// it. The built-in case (calibrated to Tables 2-3) is checked against
/// docs/validation.md here and in tests/paper_tables.rs.
const LITERATURE_TOML: &str = include_str!("../../parks/paper-case-literature.toml");

fn literature_case() -> Park {
    Park::from_toml(LITERATURE_TOML, "paper-case-literature.toml").expect("literature case")
}
use parkplan::plan::Plan;
use parkplan::solve::{Solution, epsilon, solve_exact};
use parkplan::{Objective, Options, Park, compile};

// ---------------------------------------------------------------------------
// Helpers

/// |a - b| within `rel` of the larger magnitude (at least 1).
fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

fn assert_close(what: &str, got: f64, want: f64, rel: f64) {
    assert!(
        close(got, want, rel),
        "{what}: got {got}, expected {want} (difference {}, relative tolerance {rel})",
        got - want
    );
}

/// The paper case with `key` set to `value`, compiled and solved by the exact
/// single-objective solver (the "separate solve" the sweep must agree with).
fn separate(park: &Park, key: &str, value: f64, obj: Objective) -> (Options, Solution) {
    let mut p = park.clone();
    p.set_param(key, value)
        .unwrap_or_else(|e| panic!("set {key}={value}: {e}"));
    let opts = compile(&p);
    let sol = solve_exact(&opts, obj);
    assert!(
        sol.proven_optimal,
        "separate solve at {key}={value} not proven optimal"
    );
    (opts, sol)
}

type Key = (u32, Strategy, u32);

/// What a plan builds: (region id, strategy, technology) -> capacity.
fn built(opts: &Options, plan: &Plan) -> BTreeMap<Key, f64> {
    let mut m = BTreeMap::new();
    for b in plan.built() {
        let it = &opts.items[b.item];
        let old = m.insert((it.region_id, it.strategy, it.tech), b.capacity);
        assert!(
            old.is_none(),
            "two builds of {:?}",
            (it.region_id, it.strategy)
        );
    }
    m
}

/// (capex, annual benefit, annual CO2) of a plan, summed here from the compiled
/// coefficients: capex = c A + fixed, benefit = income A - alpha capex (eq. 3.1),
/// CO2 = e A (eq. 3.2).
fn totals(opts: &Options, plan: &Plan) -> (f64, f64, f64) {
    let (mut capex, mut benefit, mut co2) = (0.0, 0.0, 0.0);
    for b in plan.built() {
        let c = &opts.items[b.item].coef;
        let k = c.capex_per_unit * b.capacity + c.capex_fixed;
        capex += k;
        benefit += c.income_per_unit * b.capacity - opts.alpha * k;
        co2 += c.co2_per_unit * b.capacity;
    }
    (capex, benefit, co2)
}

/// A plan's structure as the issue defines it: per (region, strategy), the
/// technology built and whether its capacity is at its minimum, at its cap or in
/// between (1e-6 relative tolerance; a capacity at both, lo = hi, counts as cap).
type Slots = BTreeMap<(u32, Strategy), (u32, Level)>;

fn my_structure(opts: &Options, plan: &Plan) -> Slots {
    plan.built()
        .map(|b| {
            let it = &opts.items[b.item];
            let tol = 1e-6 * it.hi.max(1.0);
            let level = if (b.capacity - it.hi).abs() <= tol {
                Level::Cap
            } else if (b.capacity - it.lo).abs() <= tol {
                Level::Min
            } else {
                Level::Between
            };
            ((it.region_id, it.strategy), (it.tech, level))
        })
        .collect()
}

/// A structural change, in a form that can be put in a set.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ch {
    Enters(u32, Strategy, u32, Level),
    Leaves(u32, Strategy, u32),
    Switches(u32, Strategy, u32, u32),
    Moves(u32, Strategy, u32, Level, Level),
}

/// The changes from `a` to `b`, written independently of `sweep::diff`.
fn my_diff(a: &Slots, b: &Slots) -> BTreeSet<Ch> {
    let mut out = BTreeSet::new();
    for (&(r, s), &(t, l)) in a {
        match b.get(&(r, s)) {
            None => {
                out.insert(Ch::Leaves(r, s, t));
            }
            Some(&(t2, _)) if t2 != t => {
                out.insert(Ch::Switches(r, s, t, t2));
            }
            Some(&(_, l2)) if l2 != l => {
                out.insert(Ch::Moves(r, s, t, l, l2));
            }
            Some(_) => {}
        }
    }
    for (&(r, s), &(t, l)) in b {
        if !a.contains_key(&(r, s)) {
            out.insert(Ch::Enters(r, s, t, l));
        }
    }
    out
}

/// The reported changes as a set (and no change reported twice).
fn reported(changes: &[Change]) -> BTreeSet<Ch> {
    let set: BTreeSet<Ch> = changes
        .iter()
        .map(|c| match *c {
            Change::Enters {
                region,
                strategy,
                tech,
                level,
            } => Ch::Enters(region, strategy, tech, level),
            Change::Leaves {
                region,
                strategy,
                tech,
            } => Ch::Leaves(region, strategy, tech),
            Change::Switches {
                region,
                strategy,
                from,
                to,
            } => Ch::Switches(region, strategy, from, to),
            Change::Moves {
                region,
                strategy,
                tech,
                from,
                to,
            } => Ch::Moves(region, strategy, tech, from, to),
        })
        .collect();
    assert_eq!(
        set.len(),
        changes.len(),
        "a change reported twice: {changes:?}"
    );
    set
}

/// `n` evenly spaced values from `from` to `to`, both included.
fn linspace(from: f64, to: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|k| from + (to - from) * k as f64 / (n - 1) as f64)
        .collect()
}

/// alpha of the paper case by hand: CRF(8 %, 20 yr) = 0.08 x 1.08^20 / (1.08^20 - 1)
/// = 0.08 x 4.660957 / 3.660957 = 0.1018522088.
fn paper_alpha() -> f64 {
    let g = 1.08f64.powi(20);
    0.08 * g / (g - 1.0)
}

// ---------------------------------------------------------------------------
// 1. Sweep results equal separate solves

fn sweep_equals_separate(key: &str, values: &[f64], obj: Objective) {
    let park = literature_case();
    let points = sweep::sweep(&park, key, values, obj).expect("sweep");
    assert_eq!(points.len(), values.len());
    for (pt, &v) in points.iter().zip(values) {
        let at = format!("{key}={v} ({})", obj.name());
        assert_eq!(pt.value, v, "{at}: points in the order given");
        let (opts, sol) = separate(&park, key, v, obj);
        assert!(pt.solution.proven_optimal, "{at}: sweep point not proven");
        assert_close(
            &format!("{at}: objective"),
            pt.solution.value,
            sol.value,
            1e-9,
        );
        // Same builds at the same capacities.
        let got = built(&opts, &pt.solution.plan);
        let want = built(&opts, &sol.plan);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{at}: built (region, strategy, technology)"
        );
        for (k, &c) in &want {
            assert_close(&format!("{at}: capacity of {k:?}"), got[k], c, 1e-9);
        }
        // Totals of the point against the separate plan summed here.
        let (capex, benefit, co2) = totals(&opts, &sol.plan);
        assert_close(&format!("{at}: capex"), pt.totals.capex, capex, 1e-9);
        assert_close(
            &format!("{at}: benefit"),
            pt.totals.annual_benefit,
            benefit,
            1e-9,
        );
        assert_close(
            &format!("{at}: CO2"),
            pt.totals.annual_co2_reduction,
            co2,
            1e-9,
        );
        // Capacities per (strategy, technology), summed over regions here.
        let mut per_tech: BTreeMap<(Strategy, u32), f64> = BTreeMap::new();
        for (&(_, s, t), &c) in &want {
            *per_tech.entry((s, t)).or_insert(0.0) += c;
        }
        assert_eq!(
            pt.capacities.keys().collect::<Vec<_>>(),
            per_tech.keys().collect::<Vec<_>>(),
            "{at}: capacity columns"
        );
        for (k, &c) in &per_tech {
            assert_close(
                &format!("{at}: total capacity of {k:?}"),
                pt.capacities[k],
                c,
                1e-9,
            );
        }
        // The structure the sweep reports is that of the separate plan.
        let reported: Slots = pt
            .structure
            .iter()
            .map(|f| ((f.region, f.strategy), (f.tech, f.level)))
            .collect();
        assert_eq!(
            reported.len(),
            pt.structure.len(),
            "{at}: one feature per slot"
        );
        assert_eq!(reported, my_structure(&opts, &sol.plan), "{at}: structure");
    }
}

const ETS_VALUES: [f64; 8] = [0.0, 59.0, 100.0, 127.0, 128.0, 200.0, 450.0, 1000.0];
const KM_VALUES: [f64; 7] = [0.0, 80.0, 120.0, 133.0, 134.0, 200.0, 300.0];
const CAP_VALUES: [f64; 9] = [0.0, 1e6, 2.5e6, 5e6, 12e6, 20e6, 35e6, 52e6, 60e6];

#[test]
fn sweep_ets_price_equals_separate_solves() {
    sweep_equals_separate("ets_price", &ETS_VALUES, Objective::Economic);
    sweep_equals_separate("ets_price", &ETS_VALUES, Objective::Carbon);
}

#[test]
fn sweep_transport_distance_equals_separate_solves() {
    sweep_equals_separate("co2_transport_km", &KM_VALUES, Objective::Economic);
    sweep_equals_separate("co2_transport_km", &KM_VALUES, Objective::Carbon);
}

#[test]
fn sweep_capex_cap_equals_separate_solves() {
    sweep_equals_separate("capex_cap", &CAP_VALUES, Objective::Economic);
    sweep_equals_separate("capex_cap", &CAP_VALUES, Objective::Carbon);
}

#[test]
fn sweep_refuses_bad_input() {
    let park = literature_case();
    let obj = Objective::Economic;
    assert_eq!(
        sweep::sweep(&park, "ets_price", &[], obj).unwrap_err(),
        SweepError::Empty
    );
    assert!(matches!(
        sweep::sweep(&park, "no_such_key", &[1.0], obj).unwrap_err(),
        SweepError::Param(SetError::UnknownKey(_))
    ));
    // A negative price among good values is refused before anything is solved.
    assert!(matches!(
        sweep::sweep(&park, "ets_price", &[59.0, -1.0], obj).unwrap_err(),
        SweepError::Param(SetError::OutOfRange { .. })
    ));
    assert!(matches!(
        sweep::sweep(&park, "capex_cap", &[f64::NAN], obj).unwrap_err(),
        SweepError::Param(SetError::OutOfRange { .. })
    ));
}

fn run(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args(args)
        .output()
        .expect("run parkplan");
    assert!(
        out.status.success(),
        "parkplan {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("parkplan {args:?}: not JSON ({e})"))
}

fn num(v: &serde_json::Value, what: &str) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {v}"))
}

#[test]
fn binary_sweep_equals_binary_solves() {
    let values = ["5000000", "20000000"];
    let sw = run(&[
        "sweep",
        "--param",
        "capex_cap",
        "--values",
        &values.join(","),
        "--format",
        "json",
    ]);
    assert_eq!(sw["param"], "capex_cap");
    let points = sw["points"].as_array().expect("points");
    assert_eq!(points.len(), values.len());
    for (pt, v) in points.iter().zip(values) {
        assert_eq!(num(&pt["value"], "value"), v.parse::<f64>().unwrap());
        let one = run(&[
            "solve",
            "--set",
            &format!("capex_cap={v}"),
            "--format",
            "json",
        ]);
        // The solve JSON rounds to about 9 significant digits.
        for field in [
            "capex",
            "annual_income",
            "annual_benefit",
            "annual_co2_reduction",
        ] {
            assert_close(
                &format!("capex_cap={v}: totals.{field}"),
                num(&pt["totals"][field], field),
                num(&one["totals"][field], field),
                1e-8,
            );
        }
        // Capacities per strategy and technology, summed over the solve's plan.
        let mut want: BTreeMap<(String, u64), f64> = BTreeMap::new();
        for item in one["plan"].as_array().expect("plan") {
            let k = (
                item["strategy"].as_str().unwrap().to_string(),
                item["technology"].as_u64().unwrap(),
            );
            *want.entry(k).or_insert(0.0) += num(&item["capacity"], "capacity");
        }
        let mut got: BTreeMap<(String, u64), f64> = BTreeMap::new();
        for c in pt["capacities"].as_array().expect("capacities") {
            let k = (
                c["strategy"].as_str().unwrap().to_string(),
                c["technology"].as_u64().unwrap(),
            );
            got.insert(k, num(&c["capacity"], "capacity"));
        }
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "capex_cap={v}"
        );
        for (k, &c) in &want {
            assert_close(&format!("capex_cap={v}: {k:?}"), got[k], c, 1e-8);
        }
    }
}

// ---------------------------------------------------------------------------
// 2. Tipping points

/// Sweeps `n` values over [from, to], locates the tipping points and checks each
/// against separate solves just below and just above it, and that the brackets
/// are at most 0.1 % of the range. Also checks that wherever two consecutive
/// sweep values have different optimal structures (by separate solves), a
/// tipping point was reported between them.
fn check_tipping(key: &str, from: f64, to: f64, n: usize, obj: Objective) -> Vec<TippingPoint> {
    check_tipping_of(&literature_case(), key, from, to, n, obj)
}

fn check_tipping_of(
    park: &Park,
    key: &str,
    from: f64,
    to: f64,
    n: usize,
    obj: Objective,
) -> Vec<TippingPoint> {
    let values = linspace(from, to, n);
    let points = sweep::sweep(park, key, &values, obj).expect("sweep");
    let tips = sweep::tipping_points(park, key, &points, obj).expect("tipping points");
    let range = to - from;
    for t in &tips {
        let at = format!("{key} tipping point [{}, {}]", t.below, t.above);
        assert!(
            from <= t.below && t.below < t.above && t.above <= to,
            "{at}: outside the range or empty"
        );
        assert!(
            t.above - t.below <= 1e-3 * range * (1.0 + 1e-12),
            "{at}: bracket {} wider than 0.1 % of the range {range}",
            t.above - t.below
        );
        let (oa, sa) = separate(park, key, t.below, obj);
        let (ob, sb) = separate(park, key, t.above, obj);
        let want = my_diff(&my_structure(&oa, &sa.plan), &my_structure(&ob, &sb.plan));
        assert!(
            !want.is_empty(),
            "{at}: the plans either side do not differ"
        );
        assert_eq!(reported(&t.changes), want, "{at}: changes");
    }
    // Every change seen at the sweep's own values lies in some reported bracket.
    let structures: Vec<Slots> = values
        .iter()
        .map(|&v| {
            let (o, s) = separate(park, key, v, obj);
            my_structure(&o, &s.plan)
        })
        .collect();
    for k in 1..values.len() {
        if structures[k - 1] != structures[k] {
            let (a, b) = (values[k - 1], values[k]);
            assert!(
                tips.iter().any(|t| a <= t.below && t.above <= b),
                "{key}: the plan changes between {a} and {b} but no tipping point is reported there"
            );
        }
    }
    tips
}

#[test]
fn tipping_points_of_the_ets_price_and_the_hand_derived_switch() {
    let tips = check_tipping("ets_price", 59.0, 450.0, 40, Objective::Economic);

    // Per kW of waste heat and year at ETS price L (docs/parameters.md, paper case):
    //   WHR 1 chiller: output 8,000 h x 0.7 = 5,600 kWh of cooling;
    //     CO2 = 5,600 / 3.5 x 0.5703e-3 = 0.91248 t;
    //     income = (0.214 - 0.01) x 5,600 + 0.91248 L = 1,142.4 + 0.91248 L; capex 1,035.4.
    //   WHR 3 heat pump: output 8,000 x 1.7 = 13,600 kWh of heat;
    //     CO2 = 13,600 / 0.85 x 0.202e-3 = 3.232 t;
    //     income = (0.08 - 0.01) x 13,600 + 3.232 L = 952 + 3.232 L; capex 1,531.1.
    //   CCU per t/a: E_add = 0.13 x 0.5703 + 3.5 x 0.11 + 2 x 0.000168 = 0.459475, so
    //     CO2 = 0.540525 t; income = 700 - 394 - 1.2 x 80 - 24 + 0.540525 L
    //     = 186 + 0.540525 L; capex 1,189.77.
    // At the 20 M budget the economic plan has WHR at the caps (3,900 kW) and CCU
    // between its bounds (13,416 t/a with chillers, (20 M - 3,900 x 1,531.1) / 1,189.77
    // = 11,791 with heat pumps): the budget binds and CCU is the marginal use of money
    // (its benefit per CNY, 0.113 at L = 128, is far above PV's 0.040). One kW moved
    // from WHR 1 to WHR 3 costs 1,531.1 - 1,035.4 = 495.7 CNY more, which displaces
    // r = 495.7 / 1,189.77 = 0.416635 t/a of CCU. The switch pays when
    //   (952 + 3.232 L - a 1,531.1) - (1,142.4 + 0.91248 L - a 1,035.4)
    //     - r (186 + 0.540525 L - a 1,189.77) > 0;
    // the alpha terms cancel (-a 495.7 + r a 1,189.77 = 0), leaving
    //   (2.31952 - 0.540525 r) L > 190.4 + 186 r
    //   L > (190.4 + 77.494138) / (2.31952 - 0.225202) = 267.894138 / 2.094318
    //     = 127.9147 CNY/t,
    // the same per kW in every region, so regions 4, 5 and 6 switch together.
    let r = (1531.1 - 1035.4) / 1189.77;
    let num = (1142.4 - 952.0) + 186.0 * r;
    let den = (3.232 - 0.91248) - 0.540525 * r;
    let l_star = num / den;
    assert_close("hand arithmetic", l_star, 127.9147, 1e-6);

    let want: BTreeSet<Ch> = [4, 5, 6]
        .into_iter()
        .map(|region| Ch::Switches(region, Strategy::Whr, 1, 3))
        .collect();
    let hit: Vec<&TippingPoint> = tips
        .iter()
        .filter(|t| t.below <= l_star && l_star <= t.above)
        .collect();
    assert_eq!(
        hit.len(),
        1,
        "one tipping point should contain the switching price {l_star}: {tips:?}"
    );
    assert_eq!(reported(&hit[0].changes), want);
    // Over 59-450 that is the only change of the economic plan (checked against
    // separate solves on a grid by check_tipping; here: nothing else reported).
    assert_eq!(tips.len(), 1, "{tips:?}");
}

#[test]
fn tipping_points_of_the_transport_distance_and_the_hand_derived_exit_of_ccu() {
    let tips = check_tipping("co2_transport_km", 80.0, 200.0, 45, Objective::Economic);

    // With WHR 1 at its caps (3,900 kW, 4,038,060 CNY) the remaining 15,961,940 CNY
    // buy either CCU (cap 20,000 t/a = 23.8 M CNY) or PV (42,000 m2 = 23.7 M CNY):
    // the budget binds either way, nothing has a fixed cost and the CCU minimum
    // (1,000 t/a) is far below what the money buys, so all of it goes to the one
    // with the larger benefit per CNY. At ETS 59 and distance D (alpha 0.1018522088):
    //   CCU per t/a: 700 - 394 - 1.2 D - 24 + 59 x 0.540525 - a 1,189.77
    //     = 282 + 31.890975 - 121.180702 - 1.2 D = 192.710273 - 1.2 D;
    //   PV per m2: W = 1,350 x 0.1613 x 0.82 = 178.5591 kWh;
    //     (0.4153 - 0.04) W + 59 x 0.5703e-3 W - a x 3,500 / 6.2
    //     = 67.013230 + 6.008103 - 57.497215 = 15.524119 CNY,
    //     per CNY 15.524119 / 564.516129 = 0.02749987.
    // CCU leaves when 192.710273 - 1.2 D < 0.02749987 x 1,189.77 = 32.718517:
    //   D > (192.710273 - 32.718517) / 1.2 = 133.3265 km.
    let a = paper_alpha();
    let ccu0 = 700.0 - 394.0 - 24.0 + 59.0 * 0.540525 - a * 1189.77;
    let w = 1350.0 * 0.1613 * 0.82;
    let pv = (0.4153 - 0.04) * w + 59.0 * 0.5703e-3 * w - a * 3500.0 / 6.2;
    let d_star = (ccu0 - pv / (3500.0 / 6.2) * 1189.77) / 1.2;
    assert_close("hand arithmetic", d_star, 133.3265, 1e-6);
    let hit: Vec<&TippingPoint> = tips
        .iter()
        .filter(|t| t.below <= d_star && d_star <= t.above)
        .collect();
    assert_eq!(
        hit.len(),
        1,
        "a tipping point should contain {d_star}: {tips:?}"
    );
    let changes = reported(&hit[0].changes);
    assert!(
        changes.contains(&Ch::Leaves(4, Strategy::Ccu, 1)),
        "CCU should leave: {changes:?}"
    );
    assert!(
        changes.iter().all(|c| matches!(
            c,
            Ch::Leaves(4, Strategy::Ccu, 1) | Ch::Enters(_, Strategy::Pv, 1, _)
        )),
        "only CCU leaving and PV entering: {changes:?}"
    );
}

#[test]
fn tipping_points_of_the_capex_cap() {
    let tips = check_tipping("capex_cap", 1e6, 60e6, 60, Objective::Economic);
    // Everything worth building except FCS costs (by hand)
    //   WHR 1: 3,900 kW x 1,035.4 = 4,038,060
    //   CCU: 20,000 t/a x 1,189.77 = 23,795,400
    //   PV: 42,000 m2 (regions 2, 3, 6, 7: 2 + 1.2 + 0.4 + 0.6 ha) x 3,500 / 6.2 = 23,709,677.42
    //   total 51,543,137.42 CNY:
    // there the last PV region reaches its cap (all PV has the same benefit per CNY,
    // so which region is last is a tie).
    let full = 3900.0 * 1035.4 + 20_000.0 * 1189.77 + 42_000.0 * 3500.0 / 6.2;
    assert_close("hand arithmetic", full, 51_543_137.42, 1e-9);
    let hit: Vec<&TippingPoint> = tips
        .iter()
        .filter(|t| t.below <= full && full <= t.above)
        .collect();
    assert_eq!(
        hit.len(),
        1,
        "a tipping point should contain {full}: {tips:?}"
    );
    let changes = reported(&hit[0].changes);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(
        matches!(
            changes.first(),
            Some(Ch::Moves(_, Strategy::Pv, 1, Level::Between, Level::Cap))
        ),
        "{changes:?}"
    );

    // Where CCU enters, by hand. Below it the budget X buys WHR 1 at its caps
    // (4,038,060 CNY) and PV with the rest; CCU can only enter at its 1,000 t/a
    // minimum (1,189,770 CNY), and below X = 4,038,060 + 1,189,770 = 5,227,830 that
    // money comes out of WHR. At ETS 59 (alpha 0.1018522088):
    //   WHR 1 per kW: 1,142.4 + 59 x 0.91248 - a x 1,035.4
    //     = 1,142.4 + 53.83632 - 105.457777 = 1,090.778543, per CNY 1.05348517;
    //   CCU: 96.710273 per t/a (transport test at D = 80), 96,710.27 at 1,000 t/a;
    //   PV: 0.02749987 per CNY (transport test).
    //   Without CCU: B_WHR + 0.02749987 (X - 4,038,060);
    //   with CCU at its minimum: B_WHR + 96,710.27 - 1.05348517 (5,227,830 - X).
    // Equal at X = (1.05348517 x 5,227,830 - 96,710.27 - 0.02749987 x 4,038,060)
    //   / (1.05348517 - 0.02749987) = 5,165,459 CNY: there CCU enters at its
    // minimum, one WHR region leaves its cap (which one is a tie) and PV leaves.
    let a = paper_alpha();
    let whr = (1142.4 + 59.0 * 0.91248 - a * 1035.4) / 1035.4;
    let ccu = 1000.0 * (700.0 - 394.0 - 96.0 - 24.0 + 59.0 * 0.540525 - a * 1189.77);
    let w = 1350.0 * 0.1613 * 0.82;
    let pv = ((0.4153 - 0.04) * w + 59.0 * 0.5703e-3 * w - a * 3500.0 / 6.2) / (3500.0 / 6.2);
    let whr_all = 3900.0 * 1035.4;
    let with_ccu = whr_all + 1000.0 * 1189.77;
    let x_star = (whr * with_ccu - ccu - pv * whr_all) / (whr - pv);
    assert_close("hand arithmetic", x_star, 5_165_459.0, 1e-6);
    let hit: Vec<&TippingPoint> = tips
        .iter()
        .filter(|t| t.below <= x_star && x_star <= t.above)
        .collect();
    assert_eq!(
        hit.len(),
        1,
        "a tipping point should contain {x_star}: {tips:?}"
    );
    let changes = reported(&hit[0].changes);
    assert!(
        changes.contains(&Ch::Enters(4, Strategy::Ccu, 1, Level::Min)),
        "{changes:?}"
    );
    let whr_leaves_cap = |c: &Ch| {
        matches!(
            c,
            Ch::Moves(4..=6, Strategy::Whr, 1, Level::Cap, Level::Between)
        )
    };
    let pv_leaves = |c: &Ch| matches!(c, Ch::Leaves(_, Strategy::Pv, 1));
    assert_eq!(
        changes.iter().filter(|c| whr_leaves_cap(c)).count(),
        1,
        "{changes:?}"
    );
    assert_eq!(
        changes.iter().filter(|c| pv_leaves(c)).count(),
        1,
        "{changes:?}"
    );
    assert_eq!(changes.len(), 3, "{changes:?}");
}

#[test]
fn tipping_points_of_the_carbon_objective() {
    check_tipping("capex_cap", 1e6, 60e6, 30, Objective::Carbon);
    // The carbon objective does not depend on prices: no tipping point at all.
    let tips = check_tipping("ets_price", 59.0, 450.0, 10, Objective::Carbon);
    assert!(tips.is_empty(), "{tips:?}");
}

/// Bug: ties between identical options are reported as tipping points. Two
/// factories with the same CCU plant (the paper case's catalogue) and caps of
/// 20,000 and 15,000 t/a, a 20 M budget, nothing else. By hand, at ETS price L
/// (alpha 0.1018522088) CCU is worth
/// 700 - 394 - 1.2 x 80 - 24 + 0.540525 L - alpha x 1,189.77 =
/// 64.819298 + 0.540525 L > 0 CNY per t/a and year, so at
/// every price the optimum spends the whole budget on CCU: 20,000,000 / 1,189.77
/// = 16,809.97 t/a in total, split in any way between the two plants, 9,086.21 t/yr
/// of CO2. Nothing about the optimum changes with the price, yet the sweep
/// reports 19 tipping points over 0-450 CNY/t ("CCU in region 2 enters at its
/// minimum", "... leaves the plan", ...): the exact solver breaks the tie
/// between the equal plants differently at different prices, and
/// `tipping_points` reports each flip. More generally, in a carbon-price sweep
/// two plans with the same total CO2 that are optimal either side of a point
/// tie at every price (benefit = non-carbon benefit + L x CO2), so a real tipping
/// point must change the total CO2; on `parkplan generate --regions 6 --seed 17`
/// 122 of the 123 tipping points of `sweep --param ets_price --range 0:450:25` are
/// such flips between identical CCU plants.
#[test]

fn tipping_points_ignore_ties_between_identical_options() {
    let head = &LITERATURE_TOML[..LITERATURE_TOML.find("[[region]]").expect("regions")];
    let mut text = head.to_string();
    for (id, cap) in [(1, 20_000), (2, 15_000)] {
        text += &format!(
            "\n[[region]]\nid = {id}\nname = \"Factory {id}\"\nland = \"factory\"\nccu = {{ max_t_per_yr = {cap} }}\n"
        );
    }
    let park = Park::from_toml(&text, "twin-ccu.toml").expect("park");
    assert_eq!(park.economics.capex_cap_cny, 20e6);
    let a = paper_alpha();
    let per_t = 700.0 - 394.0 - 1.2 * 80.0 - 24.0 - a * 1189.77;
    assert_close("hand arithmetic", per_t, 64.819298, 1e-7);
    let co2 = 20e6 / 1189.77 * 0.540525;
    assert_close("hand arithmetic", co2, 9086.21, 1e-6);
    let obj = Objective::Economic;
    let values = linspace(0.0, 450.0, 25);
    // The optimum by separate solves: the same CO2 at every price.
    for &v in &values {
        let (o, s) = separate(&park, "ets_price", v, obj);
        assert_close(&format!("CO2 at {v}"), totals(&o, &s.plan).2, co2, 1e-9);
    }
    let points = sweep::sweep(&park, "ets_price", &values, obj).expect("sweep");
    let tips = sweep::tipping_points(&park, "ets_price", &points, obj).expect("tipping points");
    assert!(
        tips.is_empty(),
        "{} tipping points where nothing changes but the tie-break, e.g. {:?}",
        tips.len(),
        tips.first()
    );
}

/// Every structural change of the optimal plan between the ends of a sweep is
/// reported: checked against separate solves on a grid 20 times finer than the
/// sweep. (Changes that happen and undo themselves between two sweep values,
/// A -> B -> A, cannot be seen by bisection between the sweep's values.)
#[test]
fn tipping_points_miss_no_change_seen_on_a_finer_grid() {
    let park = literature_case();
    let (key, obj) = ("capex_cap", Objective::Economic);
    let values = linspace(1e6, 60e6, 60);
    let points: Vec<SweepPoint> = sweep::sweep(&park, key, &values, obj).expect("sweep");
    let tips = sweep::tipping_points(&park, key, &points, obj).expect("tipping points");
    let fine = linspace(1e6, 60e6, 60 * 20);
    let structures: Vec<Slots> = fine
        .iter()
        .map(|&v| {
            let (o, s) = separate(&park, key, v, obj);
            my_structure(&o, &s.plan)
        })
        .collect();
    let mut missed = Vec::new();
    for k in 1..fine.len() {
        if structures[k - 1] != structures[k] {
            let (a, b) = (fine[k - 1], fine[k]);
            // Some reported bracket must overlap [a, b].
            if !tips.iter().any(|t| t.below <= b && a <= t.above) {
                missed.push((a, b, my_diff(&structures[k - 1], &structures[k])));
            }
        }
    }
    assert!(
        missed.is_empty(),
        "{} changes of the plan not reported, e.g. {:?}",
        missed.len(),
        missed.first()
    );
}

// ---------------------------------------------------------------------------
// 3. The capex-cap sweep of Table 3 against docs/validation.md

/// One row of the allocation table: strategy, regions, and per column the cell.
struct Row {
    strategy: Strategy,
    regions: Vec<u32>,
    cells: Vec<String>,
}

fn parse_strategy(s: &str) -> Strategy {
    match s {
        "FCS" => Strategy::Fcs,
        "CCU" => Strategy::Ccu,
        "WHR" => Strategy::Whr,
        "PV" => Strategy::Pv,
        _ => panic!("unknown strategy {s:?}"),
    }
}

/// The allocation table of docs/validation.md: header cells and rows.
fn allocation_table() -> (Vec<String>, Vec<Row>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/validation.md");
    let text = std::fs::read_to_string(path).expect("docs/validation.md");
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with("| item | paper T2 econ 20 M"));
    let header = cells(lines.next().expect("the allocation table"));
    let rows = lines
        .skip(1) // |---|
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let c = cells(l);
            // "CCU region 4 (t/a)", "PV regions 3, 6, 7 (m2)"
            let item = &c[0];
            let (strategy, rest) = item.split_once(' ').expect("strategy");
            let regions = rest
                .trim_start_matches("regions")
                .trim_start_matches("region")
                .split('(')
                .next()
                .unwrap()
                .split(',')
                .map(|r| r.trim().parse().expect("region id"))
                .collect();
            Row {
                strategy: parse_strategy(strategy),
                regions,
                cells: c,
            }
        })
        .collect();
    (header, rows)
}

/// A cell: per region, (technology, capacity, half a unit of the last digit), or
/// None for nothing built. "{1} 13,416.0", "**{1} 12,695**", "0, 0", "0".
fn parse_cell(cell: &str, regions: usize) -> Vec<Option<(u32, f64, f64)>> {
    let cell = cell.replace("**", "");
    let parts: Vec<&str> = cell.split(", ").collect();
    let one = |p: &str| -> Option<(u32, f64, f64)> {
        let p = p.trim();
        if p == "0" {
            return None;
        }
        let (tech, cap) = p
            .strip_prefix('{')
            .and_then(|r| r.split_once('}'))
            .unwrap_or_else(|| panic!("cell {p:?}"));
        let cap = cap.trim().replace(',', "");
        let decimals = cap.split_once('.').map_or(0, |(_, d)| d.len());
        Some((
            tech.parse().expect("technology"),
            cap.parse().expect("capacity"),
            0.5 * 10f64.powi(-(decimals as i32)),
        ))
    };
    if parts.len() == regions {
        parts.into_iter().map(one).collect()
    } else {
        assert_eq!(parts, ["0"], "cell {cell:?} for {regions} regions");
        vec![None; regions]
    }
}

#[test]
fn capex_cap_sweep_reproduces_table_3_as_in_validation_md() {
    let (header, rows) = allocation_table();
    assert!(rows.len() >= 6, "allocation table rows: {}", rows.len());
    let col = |name: &str| -> usize {
        let k = header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name:?} in {header:?}"));
        assert_eq!(header[k + 1], "ours");
        k + 1
    };
    let park = Park::paper_case();
    let cases = [
        (Objective::Economic, col("paper T3 5 M"), 5e6),
        (Objective::Economic, col("paper T2 econ 20 M"), 20e6),
        (Objective::Economic, col("paper T3 35 M"), 35e6),
        (Objective::Carbon, col("paper T2 carbon 20 M"), 20e6),
    ];
    for obj in [Objective::Economic, Objective::Carbon] {
        let mine: Vec<_> = cases.iter().filter(|c| c.0 == obj).collect();
        let values: Vec<f64> = mine.iter().map(|c| c.2).collect();
        let points = sweep::sweep(&park, "capex_cap", &values, obj).expect("sweep");
        let opts = compile(&park); // item indices do not depend on the budget
        for (&&(_, column, cap), pt) in mine.iter().zip(&points) {
            let at = format!(
                "{} at {cap} CNY (column {})",
                obj.name(),
                header[column - 1]
            );
            let plan = built(&opts, &pt.solution.plan);
            let mut covered = BTreeSet::new();
            for row in &rows {
                let expect = parse_cell(&row.cells[column], row.regions.len());
                for (&region, e) in row.regions.iter().zip(expect) {
                    covered.insert((region, row.strategy));
                    let got: Vec<(u32, f64)> = plan
                        .iter()
                        .filter(|(k, _)| k.0 == region && k.1 == row.strategy)
                        .map(|(k, &c)| (k.2, c))
                        .collect();
                    let what = format!("{at}: {} region {region}", row.strategy);
                    match e {
                        None => assert!(
                            got.iter().all(|&(_, c)| c < 0.5),
                            "{what}: expected nothing built, got {got:?}"
                        ),
                        Some((tech, c, half)) => {
                            assert_eq!(
                                got.len(),
                                1,
                                "{what}: expected {{{tech}}} {c}, got {got:?}"
                            );
                            assert_eq!(got[0].0, tech, "{what}: technology");
                            assert!(
                                (got[0].1 - c).abs() <= half + 1e-9 * c,
                                "{what}: capacity {} not {c} (to the doc's rounding {half})",
                                got[0].1
                            );
                        }
                    }
                }
            }
            for (k, c) in &plan {
                assert!(
                    covered.contains(&(k.0, k.1)),
                    "{at}: builds {k:?} at {c}, which the table does not list"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// 4. The Pareto front

/// Checks the front of `park` with `n` points; returns it with the options.
fn check_front(park: &Park, n: usize) -> (Options, Vec<pareto::ParetoPoint>) {
    let (opts, pts) = pareto::front(park, n).expect("front");
    assert!(!pts.is_empty() && pts.len() <= n, "{} points", pts.len());
    let own = compile(park);
    assert_eq!(opts, own, "front's options are the park's");
    let econ = solve_exact(&opts, Objective::Economic);
    let carbon = solve_exact(&opts, Objective::Carbon);
    assert!(econ.proven_optimal && carbon.proven_optimal);
    let econ_co2 = totals(&opts, &econ.plan).2;
    let mut bc = Vec::new();
    for (k, p) in pts.iter().enumerate() {
        p.solution
            .plan
            .check(&opts)
            .unwrap_or_else(|e| panic!("point {k} infeasible: {e}"));
        assert!(p.solution.proven_optimal, "point {k} not proven");
        let (capex, benefit, co2) = totals(&opts, &p.solution.plan);
        assert_close(&format!("point {k} capex"), p.totals.capex, capex, 1e-9);
        assert_close(
            &format!("point {k} benefit"),
            p.totals.annual_benefit,
            benefit,
            1e-9,
        );
        assert_close(
            &format!("point {k} CO2"),
            p.totals.annual_co2_reduction,
            co2,
            1e-9,
        );
        assert_close(&format!("point {k} value"), p.solution.value, benefit, 1e-9);
        assert!(
            co2 >= p.min_co2 - 1e-7 * p.min_co2.abs().max(1.0),
            "point {k}: CO2 {co2} below its requirement {}",
            p.min_co2
        );
        assert!(
            p.min_co2 >= econ_co2 - 1e-7 * econ_co2.max(1.0)
                && p.min_co2 <= carbon.value * (1.0 + 1e-9),
            "point {k}: requirement {} outside [{econ_co2}, {}]",
            p.min_co2,
            carbon.value
        );
        assert!(
            benefit <= econ.value + 1e-9 * econ.value.abs().max(1.0),
            "point {k} beats the economic optimum"
        );
        assert!(
            co2 <= carbon.value + 1e-9 * carbon.value.max(1.0),
            "point {k} beats the carbon optimum"
        );
        bc.push((benefit, co2));
    }
    // Sorted by CO2, strictly, with the benefit non-increasing.
    for w in bc.windows(2) {
        assert!(w[1].1 > w[0].1, "CO2 not increasing: {bc:?}");
        assert!(
            w[1].0 <= w[0].0 + 1e-9 * w[0].0.abs().max(1.0),
            "benefit increases with CO2: {bc:?}"
        );
    }
    // No point dominates another.
    for (i, p) in bc.iter().enumerate() {
        for (j, q) in bc.iter().enumerate() {
            if i != j {
                let geq =
                    q.0 >= p.0 - 1e-9 * p.0.abs().max(1.0) && q.1 >= p.1 - 1e-9 * p.1.max(1.0);
                let better =
                    q.0 > p.0 + 1e-9 * p.0.abs().max(1.0) || q.1 > p.1 + 1e-9 * p.1.max(1.0);
                assert!(
                    !(geq && better),
                    "point {j} {q:?} dominates point {i} {p:?}"
                );
            }
        }
    }
    // The ends are the single-objective optima.
    let (b0, c0) = bc[0];
    assert_close("first point: benefit", b0, econ.value, 1e-9);
    assert_close("first point: CO2", c0, econ_co2, 1e-9);
    let (_, cn) = bc[bc.len() - 1];
    assert_close("last point: CO2", cn, carbon.value, 1e-7);
    (opts, pts)
}

#[test]
fn pareto_front_of_the_paper_case() {
    let park = literature_case();
    let (_, pts) = check_front(&park, 21);
    // The front runs from the economic plan (10,810 t/yr) to the carbon plan
    // (18,978 t/yr, docs/validation.md) through the WHR 1 / WHR 3 mixes.
    assert!(pts.len() >= 3, "{} points", pts.len());
    assert_close(
        "economic end, docs/validation.md",
        pts[0].totals.annual_co2_reduction,
        10_810.0,
        1e-4,
    );
    assert_close(
        "carbon end, docs/validation.md",
        pts[pts.len() - 1].totals.annual_co2_reduction,
        18_978.0,
        1e-4,
    );
}

#[test]
fn pareto_front_of_the_chemical_park() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/parks/chemical-park.toml");
    let park = Park::load(std::path::Path::new(path)).expect("chemical park");
    let (_, pts) = check_front(&park, 5);
    assert!(pts.len() >= 2, "{} points", pts.len());
}

#[test]
fn pareto_front_needs_two_points() {
    let park = literature_case();
    assert_eq!(
        pareto::front(&park, 1).unwrap_err(),
        pareto::ParetoError::TooFewPoints(1)
    );
}

// ---------------------------------------------------------------------------
// 5. The epsilon-constraint solver against a brute force on tiny parks

/// splitmix64: a small reproducible generator, independent of the crate's.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.unit()
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A non-empty subset of `all` as TOML (", techs = [..]"), or "" for all.
    fn techs(&mut self, all: &[u32]) -> String {
        if self.chance(0.5) {
            return String::new();
        }
        let mut pick: Vec<u32> = all.iter().copied().filter(|_| self.chance(0.5)).collect();
        if pick.is_empty() {
            pick.push(all[(self.next() % all.len() as u64) as usize]);
        }
        let list: Vec<String> = pick.iter().map(u32::to_string).collect();
        format!(", techs = [{}]", list.join(", "))
    }
}

/// The paper case's economics and catalogue with 2 to 4 random regions, given as
/// TOML; some catalogue values and the carbon price varied; the budget a random
/// fraction of building everything. At most 5 option groups and 3,000
/// combinations of discrete choices, so that a brute force over them is cheap.
/// Minimum capacities are below the caps, unless `fixed`: then about half the
/// CCU and WHR slots have minimum = cap (a capacity that is built whole or not
/// at all).
fn tiny_park_with(seed: u64, fixed: bool) -> Park {
    let head = &LITERATURE_TOML[..LITERATURE_TOML.find("[[region]]").expect("regions")];
    let mut rng = Rng(seed);
    for _attempt in 0..1000 {
        let mut text = head.to_string();
        let regions = 2 + (rng.next() % 3) as usize;
        for id in 1..=regions {
            text += &format!("\n[[region]]\nid = {id}\nname = \"R{id}\"\n");
            match rng.next() % 3 {
                0 => {
                    text += "land = \"empty_lot\"\n";
                    let fcs = rng.chance(0.7);
                    if fcs {
                        text += &format!(
                            "fcs = {{ max_m2 = {:.0}{} }}\n",
                            rng.range(20_000.0, 150_000.0),
                            rng.techs(&[1, 2, 3])
                        );
                    }
                    if !fcs || rng.chance(0.6) {
                        text +=
                            &format!("pv = {{ max_m2 = {:.0} }}\n", rng.range(1_000.0, 20_000.0));
                    }
                }
                1 => {
                    text += "land = \"factory\"\n";
                    let mut any = false;
                    if rng.chance(0.5) {
                        any = true;
                        let max = rng.range(1_500.0, 25_000.0).round();
                        let min = if fixed && rng.chance(0.5) {
                            format!(", min_t_per_yr = {max:.0}")
                        } else if rng.chance(0.3) {
                            format!(", min_t_per_yr = {:.0}", rng.range(1_000.0, 0.9 * max))
                        } else {
                            String::new()
                        };
                        text += &format!("ccu = {{ max_t_per_yr = {max:.0}{min} }}\n");
                    }
                    if rng.chance(0.8) {
                        any = true;
                        let max = rng.range(200.0, 3_000.0).round();
                        let min = if fixed && rng.chance(0.5) {
                            format!(", min_kw = {max:.0}")
                        } else if rng.chance(0.3) {
                            format!(", min_kw = {:.0}", rng.range(0.0, 0.9 * max))
                        } else {
                            String::new()
                        };
                        text += &format!(
                            "whr = {{ max_kw = {max:.0}{min}{} }}\n",
                            rng.techs(&[1, 2, 3, 4])
                        );
                    }
                    if !any || rng.chance(0.3) {
                        text +=
                            &format!("pv = {{ max_m2 = {:.0} }}\n", rng.range(1_000.0, 20_000.0));
                    }
                }
                _ => {
                    text += "land = \"rooftop\"\n";
                    text += &format!("pv = {{ max_m2 = {:.0} }}\n", rng.range(500.0, 20_000.0));
                }
            }
        }
        let mut park = Park::from_toml(&text, "tiny.toml")
            .unwrap_or_else(|e| panic!("tiny park rejected: {e}\n{text}"));
        // Vary the catalogue so that different options trade off.
        for w in &mut park.catalogue.whr {
            w.capex_cny_per_kw *= rng.range(0.6, 1.4);
            w.price_cny_per_kwh *= rng.range(0.6, 1.8);
        }
        for c in &mut park.catalogue.ccu {
            c.capex_cny_per_t_yr *= rng.range(0.6, 1.2);
            c.product_price_cny_per_t *= rng.range(0.8, 1.3);
        }
        for p in &mut park.catalogue.pv {
            p.capex_cny_per_kw *= rng.range(0.5, 1.2);
        }
        park.catalogue.fcs_project_development_cny *= rng.range(0.1, 1.0);
        let ets = [0.0, 59.0, 120.0, 250.0][(rng.next() % 4) as usize];
        park.set_param("ets_price", ets).unwrap();
        let opts = compile(&park);
        let combos: usize = opts.groups.iter().map(|g| g.items.len() + 1).product();
        if !(2..=5).contains(&opts.groups.len()) || combos > 3_000 {
            continue;
        }
        let full: f64 = opts
            .groups
            .iter()
            .map(|g| {
                g.items
                    .clone()
                    .map(|i| {
                        let it = &opts.items[i];
                        it.coef.capex_per_unit * it.hi + it.coef.capex_fixed
                    })
                    .fold(0.0, f64::max)
            })
            .sum();
        park.set_param("capex_cap", (full * rng.range(0.05, 0.7)).round())
            .unwrap();
        return park;
    }
    panic!("no tiny park for seed {seed}");
}

fn tiny_park(seed: u64) -> Park {
    tiny_park_with(seed, false)
}

/// A continuous capacity with the discrete choices fixed.
#[derive(Clone, Copy, Debug)]
struct Var {
    /// capex, benefit and CO2 per unit.
    c: f64,
    v: f64,
    e: f64,
    lo: f64,
    hi: f64,
}

/// One combination of discrete choices: capex and benefit paid once, and the
/// capacities.
struct Combo {
    fixed_capex: f64,
    fixed_value: f64,
    vars: Vec<Var>,
}

/// Every combination of discrete choices (nothing, or one option per group).
fn combos(opts: &Options) -> Vec<Combo> {
    let mut out = vec![Combo {
        fixed_capex: 0.0,
        fixed_value: 0.0,
        vars: Vec::new(),
    }];
    for g in &opts.groups {
        let mut next = Vec::new();
        for c in &out {
            next.push(Combo {
                fixed_capex: c.fixed_capex,
                fixed_value: c.fixed_value,
                vars: c.vars.clone(),
            });
            for i in g.items.clone() {
                let it = &opts.items[i];
                let k = &it.coef;
                let mut vars = c.vars.clone();
                vars.push(Var {
                    c: k.capex_per_unit,
                    v: k.income_per_unit - opts.alpha * k.capex_per_unit,
                    e: k.co2_per_unit,
                    lo: it.lo,
                    hi: it.hi,
                });
                next.push(Combo {
                    fixed_capex: c.fixed_capex + k.capex_fixed,
                    fixed_value: c.fixed_value - opts.alpha * k.capex_fixed,
                    vars,
                });
            }
        }
        out = next;
    }
    out
}

/// max sum obj(x) subject to sum c x <= budget, sum e x >= need (if finite) and the
/// bounds, by enumerating the vertices of the polytope: with two rows, a vertex
/// has at most two capacities strictly inside their bounds, and those are fixed
/// by the active rows. `None` if infeasible. `tol`: feasibility tolerance in CNY
/// and t.
fn lp_by_vertices(
    vars: &[Var],
    budget: f64,
    need: f64,
    obj: &dyn Fn(&Var) -> f64,
    tol: (f64, f64),
) -> Option<f64> {
    let n = vars.len();
    let mut best: Option<f64> = None;
    let mut x = vec![0.0; n];
    for code in 0..3usize.pow(n as u32) {
        let mut free = Vec::new();
        let mut c = code;
        for (k, xk) in x.iter_mut().enumerate() {
            match c % 3 {
                0 => *xk = vars[k].lo,
                1 => *xk = vars[k].hi,
                _ => free.push(k),
            }
            c /= 3;
        }
        if free.len() > 2 {
            continue;
        }
        let rest = |x: &[f64], f: &dyn Fn(&Var) -> f64| -> f64 {
            (0..n)
                .filter(|k| !free.contains(k))
                .map(|k| f(&vars[k]) * x[k])
                .sum()
        };
        let rc = budget - rest(&x, &|v| v.c);
        let re = need - rest(&x, &|v| v.e);
        let mut candidates: Vec<Vec<f64>> = Vec::new();
        match free.len() {
            0 => candidates.push(vec![]),
            1 => {
                let k = free[0];
                if vars[k].c != 0.0 {
                    candidates.push(vec![rc / vars[k].c]);
                }
                if need.is_finite() && vars[k].e != 0.0 {
                    candidates.push(vec![re / vars[k].e]);
                }
            }
            _ => {
                let (k, l) = (free[0], free[1]);
                let det = vars[k].c * vars[l].e - vars[l].c * vars[k].e;
                if need.is_finite() && det != 0.0 {
                    candidates.push(vec![
                        (rc * vars[l].e - vars[l].c * re) / det,
                        (vars[k].c * re - rc * vars[k].e) / det,
                    ]);
                }
            }
        }
        'cand: for cand in candidates {
            for (&k, &v) in free.iter().zip(&cand) {
                let t = 1e-9 * vars[k].hi.max(1.0);
                if !(v >= vars[k].lo - t && v <= vars[k].hi + t) {
                    continue 'cand;
                }
                x[k] = v.clamp(vars[k].lo, vars[k].hi);
            }
            let capex: f64 = (0..n).map(|k| vars[k].c * x[k]).sum();
            let co2: f64 = (0..n).map(|k| vars[k].e * x[k]).sum();
            if capex > budget + tol.0 || (need.is_finite() && co2 < need - tol.1) {
                continue;
            }
            let val: f64 = (0..n).map(|k| obj(&vars[k]) * x[k]).sum();
            if best.is_none_or(|b| val > b) {
                best = Some(val);
            }
        }
    }
    best
}

/// Tolerances of the brute force: 1e-9 of the budget and of the CO2 required.
fn brute_tol(opts: &Options, need: f64) -> (f64, f64) {
    (
        1e-9 * opts.budget_cny.max(1.0),
        if need.is_finite() {
            1e-9 * need.abs().max(1.0)
        } else {
            0.0
        },
    )
}

/// The best benefit with CO2 >= need (need = -inf: no CO2 requirement).
fn brute_benefit(opts: &Options, all: &[Combo], need: f64) -> Option<f64> {
    let tol = brute_tol(opts, need);
    all.iter()
        .filter_map(|c| {
            let budget = opts.budget_cny - c.fixed_capex;
            if budget < -tol.0 {
                return None;
            }
            lp_by_vertices(&c.vars, budget, need, &|v| v.v, tol).map(|x| x + c.fixed_value)
        })
        .max_by(f64::total_cmp)
}

/// The largest CO2 reduction within the budget.
fn brute_max_co2(opts: &Options, all: &[Combo]) -> f64 {
    let tol = brute_tol(opts, f64::NEG_INFINITY);
    all.iter()
        .filter_map(|c| {
            let budget = opts.budget_cny - c.fixed_capex;
            if budget < -tol.0 {
                return None;
            }
            lp_by_vertices(&c.vars, budget, f64::NEG_INFINITY, &|v| v.e, tol)
        })
        .fold(0.0, f64::max)
}

/// The best benefit on a grid of capacities (per built option, about
/// 1,000^(1/n) steps between its bounds, at most 200) for each requirement.
fn grid_benefit(opts: &Options, all: &[Combo], needs: &[f64]) -> Vec<Option<f64>> {
    let mut best: Vec<Option<f64>> = vec![None; needs.len()];
    for c in all {
        let n = c.vars.len();
        let steps = if n == 0 {
            1
        } else {
            ((1000f64).powf(1.0 / n as f64) as usize).clamp(2, 200)
        };
        let total = (steps + 1).pow(n as u32);
        for code in 0..total {
            let (mut capex, mut value, mut co2) = (c.fixed_capex, c.fixed_value, 0.0);
            let mut r = code;
            for v in &c.vars {
                let a = v.lo + (v.hi - v.lo) * (r % (steps + 1)) as f64 / steps as f64;
                r /= steps + 1;
                capex += v.c * a;
                value += v.v * a;
                co2 += v.e * a;
            }
            if capex > opts.budget_cny {
                continue;
            }
            for (b, &need) in best.iter_mut().zip(needs) {
                if co2 >= need && b.is_none_or(|x| value > x) {
                    *b = Some(value);
                }
            }
        }
    }
    best
}

/// The epsilon-constraint solver on tiny random parks (seeds from `first`) until
/// `want` of them have a real trade-off (their two optima differ in CO2): at
/// several CO2 requirements between the two optima, its plan is feasible, meets
/// the requirement, is worth no more than the economic optimum and no less than
/// the best grid plan, and equals the brute force's optimum; above the largest
/// CO2 reachable there is no plan; at or below the economic optimum's CO2 it is
/// the economic optimum.
fn check_epsilon_against_brute_force(first: u64, want: usize, fixed: bool) {
    const NODES: u64 = 2_000_000;
    let (mut traded, mut checked) = (0, 0);
    for seed in first..first + 50 * want as u64 {
        if traded >= want {
            break;
        }
        let park = tiny_park_with(seed, fixed);
        let opts = compile(&park);
        let all = combos(&opts);
        let at = |what: &str| format!("seed {seed}, {what}");

        // The single-objective optima by the exact solver, checked by brute force too.
        let econ = solve_exact(&opts, Objective::Economic);
        let carbon = solve_exact(&opts, Objective::Carbon);
        let brute_econ = brute_benefit(&opts, &all, f64::NEG_INFINITY).expect("empty plan");
        let cmax = brute_max_co2(&opts, &all);
        assert_close(&at("economic optimum"), econ.value, brute_econ, 1e-9);
        assert_close(&at("carbon optimum"), carbon.value, cmax, 1e-9);
        let econ_co2 = totals(&opts, &econ.plan).2;
        if econ_co2 < cmax * (1.0 - 1e-6) {
            traded += 1;
        }

        let mut needs: Vec<f64> = [0.1, 0.35, 0.6, 0.85, 0.97, 1.0]
            .iter()
            .map(|f| econ_co2 + f * (cmax - econ_co2))
            .collect();
        needs.dedup();
        let grid = grid_benefit(&opts, &all, &needs);
        for (&need, &g) in needs.iter().zip(&grid) {
            let what = at(&format!("min_co2 {need} (economic {econ_co2}, max {cmax})"));
            let want = brute_benefit(&opts, &all, need).expect("reachable");
            if let Some(g) = g {
                // The grid is a subset of the feasible plans: a check of the brute force.
                assert!(
                    g <= want + 1e-9 * want.abs().max(1.0),
                    "{what}: grid {g} above the vertex enumeration {want}"
                );
            }
            for start in [None, Some(&carbon.plan)] {
                let what = format!("{what}, start {}", start.is_some());
                let sol = epsilon::solve(&opts, need, start, NODES)
                    .expect("not cancelled")
                    .unwrap_or_else(|| panic!("{what}: no plan found"));
                assert!(sol.proven_optimal, "{what}: not proven");
                sol.plan
                    .check(&opts)
                    .unwrap_or_else(|e| panic!("{what}: infeasible plan: {e}"));
                let (_, benefit, co2) = totals(&opts, &sol.plan);
                assert_close(&format!("{what}: value"), sol.value, benefit, 1e-9);
                assert!(
                    co2 >= need - 1e-7 * need.abs().max(1.0),
                    "{what}: CO2 {co2} below {need}"
                );
                assert!(
                    benefit <= econ.value + 1e-9 * econ.value.abs().max(1.0),
                    "{what}: {benefit} above the economic optimum {}",
                    econ.value
                );
                if let Some(g) = g {
                    assert!(
                        benefit >= g - 1e-7 * g.abs().max(1.0),
                        "{what}: {benefit} below the grid's {g}"
                    );
                }
                assert_close(
                    &format!("{what}: against the brute force"),
                    benefit,
                    want,
                    1e-7,
                );
            }
            checked += 1;
        }

        // Above the carbon optimum: no plan.
        let too_much = cmax * (1.0 + 1e-6) + 1e-6;
        for start in [None, Some(&carbon.plan)] {
            let r = epsilon::solve(&opts, too_much, start, NODES).expect("not cancelled");
            assert!(
                r.is_none(),
                "{}: found a plan with {:?} t/yr",
                at(&format!("min_co2 {too_much} above the maximum {cmax}")),
                r.map(|s| totals(&opts, &s.plan).2)
            );
        }
        // At or below the economic optimum's CO2: the economic optimum.
        for need in [econ_co2, 0.5 * econ_co2, 0.0, -1.0] {
            let sol = epsilon::solve(&opts, need, None, NODES)
                .expect("not cancelled")
                .unwrap_or_else(|| panic!("{}: no plan", at(&format!("min_co2 {need}"))));
            assert_close(
                &at(&format!("min_co2 {need}: economic optimum")),
                sol.value,
                econ.value,
                1e-9,
            );
            sol.plan.check(&opts).expect("feasible");
        }
    }
    assert!(traded >= want, "only {traded} parks with a trade-off");
    assert!(checked >= 5 * want, "only {checked} cases");
}

#[test]
fn epsilon_solver_matches_brute_force_on_tiny_parks() {
    check_epsilon_against_brute_force(0, 80, false);
}

/// Bug: a capacity fixed by its bounds (minimum = cap, e.g. `whr = { min_kw = 500,
/// max_kw = 500 }`) makes the leaf of the epsilon solver stop buying: in
/// `greedy_mu` (src/solve/epsilon.rs) such a variable has room 0, so `amount` is 0
/// and the loop `break`s instead of skipping it, and every variable ranked after
/// it gets nothing. The leaf then misses the optimum (or is declared unable to
/// reach the CO2 required), and the solver returns a worse plan.
///
/// By hand, with the paper case's catalogue, ETS price 0, solar radiation
/// 1,000 kWh/m2/yr, a 20 M budget, WHR 1 fixed at 500 kW in region 1 and a
/// 10,000 m2 roof for PV in region 2 (alpha = 0.1018522088):
///   WHR 1: benefit 500 x (1,142.4 - alpha x 1,035.4) = 500 x (1,142.4 - 105.457777)
///     = 518,471.11 CNY/yr; CO2 500 x 0.91248 = 456.24 t/yr.
///   PV per m2: W = 1,000 x 0.1613 x 0.82 = 132.266 kWh; income (0.4153 - 0.04) W
///     = 49.639430; capex 3,500 / 6.2 = 564.516129, alpha x capex = 57.497215;
///     benefit -7.857785 CNY/m2/yr; CO2 132.266 x 0.5703e-3 = 0.0754313 t/m2/yr.
///   Requiring 600 t/yr: WHR 1 plus (600 - 456.24) / 0.0754313 = 1,905.84 m2 of PV,
///   benefit 518,471.11 - 1,905.84 x 7.857785 = 503,495.43 CNY/yr (capex
///   517,700 + 1,075,877.5 = 1.59 M, within the budget). Without WHR, PV alone
///   needs 7,954 m2 and is worth -62,503. The solver returns WHR 1 with the whole
///   roof (10,000 m2): 518,471.11 - 78,577.85 = 439,893.26 CNY/yr.
#[test]

fn epsilon_solver_with_a_capacity_fixed_by_its_bounds() {
    let head = &LITERATURE_TOML[..LITERATURE_TOML.find("[[region]]").expect("regions")];
    let text = format!(
        "{head}
[[region]]
id = 1
name = \"Factory with a fixed 500 kW chiller\"
land = \"factory\"
whr = {{ min_kw = 500, max_kw = 500, techs = [1] }}

[[region]]
id = 2
name = \"Roof\"
land = \"rooftop\"
pv = {{ max_m2 = 10000 }}
"
    );
    let mut park = Park::from_toml(&text, "fixed.toml").expect("park");
    park.set_param("ets_price", 0.0).unwrap();
    park.set_param("solar_radiation", 1000.0).unwrap();
    let opts = compile(&park);
    let a = paper_alpha();
    let whr = 500.0 * (1142.4 - a * 1035.4);
    let w = 1000.0 * 0.1613 * 0.82;
    let pv = (0.4153 - 0.04) * w - a * 3500.0 / 6.2;
    let m2 = (600.0 - 500.0 * 0.91248) / (w * 0.5703e-3);
    let want = whr + pv * m2;
    assert_close("hand arithmetic", want, 503_495.43, 1e-8);
    let sol = epsilon::solve(&opts, 600.0, None, 1_000_000)
        .expect("not cancelled")
        .expect("600 t/yr is reachable");
    sol.plan.check(&opts).expect("feasible");
    assert_close("benefit with 600 t/yr", sol.value, want, 1e-9);
}

/// The same bug found by the brute-force comparison, on tiny parks where about
/// half the CCU and WHR slots have minimum = cap.
#[test]

fn epsilon_solver_matches_brute_force_with_capacities_fixed_by_their_bounds() {
    check_epsilon_against_brute_force(0, 80, true);
}

#[test]
fn pareto_front_of_tiny_parks_is_optimal_by_brute_force() {
    for seed in 100..1500u64 {
        let park = tiny_park(seed);
        let (opts, pts) = check_front(&park, 7);
        let all = combos(&opts);
        for (k, p) in pts.iter().enumerate() {
            let (_, benefit, co2) = totals(&opts, &p.solution.plan);
            // No plan reduces at least as much CO2 with more benefit.
            let best = brute_benefit(&opts, &all, co2 * (1.0 - 1e-12)).expect("itself");
            assert_close(
                &format!("seed {seed}, point {k} (CO2 {co2}): best benefit for its CO2"),
                benefit,
                best,
                1e-7,
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 6. The marginal abatement cost curve

fn entry(curve: &[mac::MacEntry], region: u32, strategy: Strategy, tech: u32) -> &mac::MacEntry {
    curve
        .iter()
        .find(|m| m.region == region && m.strategy == strategy && m.technology == tech)
        .unwrap_or_else(|| panic!("no MAC entry for region {region} {strategy} {tech}"))
}

#[test]
fn mac_curve_of_the_paper_case_by_hand() {
    let park = literature_case();
    let opts = compile(&park);
    let curve = mac::curve(&opts, 59.0);
    let a = paper_alpha();

    // WHR 1 (absorption chiller) in region 4 at its cap of 2,000 kW:
    //   capex 1,035.4 x 2,000 = 2,070,800 CNY;
    //   income without carbon (0.214 - 0.01) x 8,000 h x 0.7 = 1,142.4 CNY/kW/yr,
    //     x 2,000 = 2,284,800 CNY/yr;
    //   CO2 = 8,000 x 0.7 / 3.5 x 0.5703e-3 = 0.91248 t/kW/yr, x 2,000 = 1,824.96 t/yr;
    //   cost = (0.1018522088 x 2,070,800 - 2,284,800) / 1,824.96
    //        = (210,915.55 - 2,284,800) / 1,824.96 = -1,136.40 CNY/t.
    let w = entry(&curve, 4, Strategy::Whr, 1);
    assert_close("WHR 1 capacity", w.capacity, 2000.0, 1e-12);
    assert_close("WHR 1 capex", w.capex, 2_070_800.0, 1e-9);
    assert_close("WHR 1 potential", w.potential_t, 1824.96, 1e-9);
    let cost = (a * 2_070_800.0 - 2_284_800.0) / 1824.96;
    assert_close("hand arithmetic", cost, -1136.40, 1e-5);
    assert_close("WHR 1 cost", w.cost_per_t, cost, 1e-9);

    // CCU in region 4 at its cap of 20,000 t/a:
    //   capex 1,189.77 x 20,000 = 23,795,400 CNY;
    //   income without carbon 700 - 394 - 1.2 x 80 - 24 = 186 CNY/t, x 20,000 = 3,720,000;
    //   CO2 = 1 - (0.13 x 0.5703 + 3.5 x 0.11 + 2 x 0.000168) = 0.540525 t/t,
    //     x 20,000 = 10,810.5 t/yr;
    //   cost = (0.1018522088 x 23,795,400 - 3,720,000) / 10,810.5
    //        = (2,423,614.05 - 3,720,000) / 10,810.5 = -119.919 CNY/t.
    let c = entry(&curve, 4, Strategy::Ccu, 1);
    assert_close("CCU capacity", c.capacity, 20_000.0, 1e-12);
    assert_close("CCU capex", c.capex, 23_795_400.0, 1e-9);
    assert_close("CCU potential", c.potential_t, 10_810.5, 1e-9);
    let cost = (a * 23_795_400.0 - 3_720_000.0) / 10_810.5;
    assert_close("hand arithmetic", cost, -119.919, 1e-5);
    assert_close("CCU cost", c.cost_per_t, cost, 1e-9);

    // PV per m2: yield W = 1,350 x 0.1613 x 0.82 = 178.5591 kWh/m2/yr;
    //   capex 3,500 / 6.2 = 564.516129 CNY/m2;
    //   income without carbon (0.4153 - 0.04) x 178.5591 = 67.013230 CNY/m2/yr;
    //   CO2 = 178.5591 x 0.5703e-3 = 0.10183225 t/m2/yr;
    //   cost = (0.1018522088 x 564.516129 - 67.013230) / 0.10183225
    //        = (57.497215 - 67.013230) / 0.10183225 = -93.448 CNY/t in every region;
    //   potential in region 3 (1.2 ha = 12,000 m2): 1,221.987 t/yr.
    let yield_ = 1350.0 * 0.1613 * 0.82;
    let pv_cost = (a * 3500.0 / 6.2 - (0.4153 - 0.04) * yield_) / (yield_ * 0.5703e-3);
    assert_close("hand arithmetic", pv_cost, -93.448, 1e-5);
    for (region, m2) in [(2, 20_000.0), (3, 12_000.0), (6, 4_000.0), (7, 6_000.0)] {
        let p = entry(&curve, region, Strategy::Pv, 1);
        assert_close(&format!("PV {region} capacity"), p.capacity, m2, 1e-12);
        assert_close(&format!("PV {region} cost"), p.cost_per_t, pv_cost, 1e-9);
        assert_close(
            &format!("PV {region} potential"),
            p.potential_t,
            m2 * yield_ * 0.5703e-3,
            1e-9,
        );
        assert_close(
            &format!("PV {region} capex"),
            p.capex,
            m2 * 3500.0 / 6.2,
            1e-9,
        );
    }
    assert_close(
        "hand arithmetic",
        entry(&curve, 3, Strategy::Pv, 1).potential_t,
        1221.987,
        1e-6,
    );
}

/// The group (same slot, or FCS and PV on one empty lot) of a curve entry.
fn group_of(opts: &Options, m: &mac::MacEntry) -> usize {
    let i = opts
        .items
        .iter()
        .position(|it| {
            it.region_id == m.region && it.strategy == m.strategy && it.tech == m.technology
        })
        .expect("item");
    opts.groups
        .iter()
        .position(|g| g.items.contains(&i))
        .expect("group")
}

fn check_curve_shape(park: &Park) {
    let opts = compile(park);
    let ets = park.economics.ets_price_cny_per_t;
    let curve = mac::curve(&opts, ets);
    // One entry per option that reduces CO2 at its cap.
    let reducing = opts
        .items
        .iter()
        .filter(|it| it.hi > 0.0 && it.coef.co2_per_unit > 0.0)
        .count();
    assert_eq!(curve.len(), reducing, "entries");
    // Sorted by cost.
    for w in curve.windows(2) {
        assert!(w[0].cost_per_t <= w[1].cost_per_t, "not sorted: {w:?}");
    }
    // Alternative: exactly when a cheaper (earlier) option of its group precedes it.
    for (k, m) in curve.iter().enumerate() {
        let g = group_of(&opts, m);
        let earlier = curve[..k].iter().any(|e| group_of(&opts, e) == g);
        assert_eq!(m.alternative, earlier, "entry {k}: {m:?}");
    }
    // The cost before carbon revenue does not depend on the carbon price.
    for other in [0.0, 300.0] {
        let mut p = park.clone();
        p.set_param("ets_price", other).unwrap();
        let c2 = mac::curve(&compile(&p), other);
        assert_eq!(c2.len(), curve.len());
        for m in &curve {
            let m2 = entry(&c2, m.region, m.strategy, m.technology);
            let what = format!(
                "ETS {ets} vs {other}: {} {} {}",
                m.region, m.strategy, m.technology
            );
            assert_close(&format!("{what}: cost"), m2.cost_per_t, m.cost_per_t, 1e-9);
            assert_close(
                &format!("{what}: potential"),
                m2.potential_t,
                m.potential_t,
                1e-12,
            );
            assert_close(&format!("{what}: capex"), m2.capex, m.capex, 1e-12);
        }
    }
}

#[test]
fn mac_curve_is_sorted_marks_alternatives_and_ignores_the_carbon_price() {
    let park = literature_case();
    check_curve_shape(&park);
    // In the paper case WHR 1 is the cheapest per tonne in regions 4-6, so WHR 2-4
    // there are alternatives; the CCU, the PV and the cheapest FCS species are not.
    let curve = mac::curve(&compile(&park), 59.0);
    for region in [4, 5, 6] {
        assert!(!entry(&curve, region, Strategy::Whr, 1).alternative);
        for tech in [2, 3, 4] {
            assert!(entry(&curve, region, Strategy::Whr, tech).alternative);
        }
    }
    assert!(!entry(&curve, 4, Strategy::Ccu, 1).alternative);
    // Region 2: FCS and PV share the lot; PV (-93.4 CNY/t) is cheaper than any FCS.
    assert!(!entry(&curve, 2, Strategy::Pv, 1).alternative);
    for tech in [1, 2, 3] {
        assert!(entry(&curve, 2, Strategy::Fcs, tech).alternative);
    }

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/parks/chemical-park.toml");
    check_curve_shape(&Park::load(std::path::Path::new(path)).expect("chemical park"));
    for seed in 0..10 {
        check_curve_shape(&tiny_park(seed));
    }
}

/// Options of the same value are not tipping points: on the paper case with a
/// 35 M budget and 200 km of CO2 transport, regions 2 and 3 offer PV on
/// identical lots, and the same PV area moved between them as the carbon price
/// rose (reported at 136.6 and back at 140 CNY/t). Between 100 and 400 CNY/t
/// the only change is the waste-heat units' switch to heat pumps (regions 4-6).
#[test]
fn equal_options_swapping_places_are_not_tipping_points() {
    let v = run(&[
        "sweep",
        "--set",
        "capex_cap=35e6",
        "--set",
        "co2_transport_km=200",
        "--param",
        "ets_price",
        "--range",
        "100:400:61",
        "--format",
        "json",
    ]);
    let tips = v["tipping_points"].as_array().expect("tipping points");
    assert_eq!(tips.len(), 1, "{tips:#?}");
    let changes = tips[0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 3, "{changes:#?}");
    for c in changes {
        let c = c.as_str().unwrap();
        assert!(
            c.starts_with("WHR in region") && c.contains("switches"),
            "{c}"
        );
    }
}
