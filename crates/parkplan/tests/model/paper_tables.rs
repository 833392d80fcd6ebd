//! The built-in case (`parks/paper-case.toml`) against the paper's Tables 2 and 3
//! (Zhao et al. 2024): every column's allocation and printed totals, and the
//! sensitivity tipping points derived by hand in docs/validation.md.
//!
//! The expected allocations and totals are the paper's printed figures; the
//! tolerances are those of issue 12 (annual economic benefit within 0.5 %,
//! annual CO2 reduction within 2 %, capacities within 0.1 %: the paper prints
//! budget-binding capacities rounded down, e.g. 13,416 for 13,416.7). The
//! tipping points are worked out by hand in the comments (python3 used only as
//! a calculator), never by calling the code under test.
//!
//! The 35 M column of Table 3 prints no PV, but spends only 27.9 M of the 35 M:
//! the paper's text says the funds go to PV once WHR and CCU are at their caps,
//! and its printed totals are consistent with Tables 2 and 3 only if they
//! include that PV (docs/validation.md). So the expected 35 M allocation is the
//! printed one plus the PV that the remaining 7.1 M buys, and the printed totals
//! are compared with that plan; a separate test shows that the printed
//! allocation without the PV falls well short of the printed totals.

use parkplan::analysis::sweep::{self, Change};
use parkplan::park::Strategy;
use parkplan::plan::{Built, Plan};
use parkplan::solve::solve_exact;
use parkplan::{Objective, Options, Park, compile};

/// One column of Tables 2-3: objective, budget, printed allocation (region,
/// strategy, technology, capacity), printed totals.
struct Column {
    name: &'static str,
    objective: Objective,
    capex_cap: f64,
    builds: &'static [(u32, Strategy, u32, f64)],
    benefit_cny: f64,
    co2_t: f64,
}

const WHR1: [(u32, Strategy, u32, f64); 3] = [
    (4, Strategy::Whr, 1, 2000.0),
    (5, Strategy::Whr, 1, 1300.0),
    (6, Strategy::Whr, 1, 600.0),
];

const T2_ECON: Column = Column {
    name: "Table 2 economic / Table 3 20 M",
    objective: Objective::Economic,
    capex_cap: 20e6,
    builds: &[(4, Strategy::Ccu, 1, 13_416.0), WHR1[0], WHR1[1], WHR1[2]],
    benefit_cny: 13.64e6,
    co2_t: 12_100.0,
};

const T2_CARBON: Column = Column {
    name: "Table 2 carbon",
    objective: Objective::Carbon,
    capex_cap: 20e6,
    builds: &[
        (4, Strategy::Ccu, 1, 11_791.0),
        (4, Strategy::Whr, 3, 2000.0),
        (5, Strategy::Whr, 3, 1300.0),
        (6, Strategy::Whr, 3, 600.0),
    ],
    benefit_cny: 11.83e6,
    co2_t: 31_600.0,
};

const T3_5M: Column = Column {
    name: "Table 3 5 M",
    objective: Objective::Economic,
    capex_cap: 5e6,
    builds: &[(2, Strategy::Pv, 1, 1_704.0), WHR1[0], WHR1[1], WHR1[2]],
    benefit_cny: 9.83e6,
    co2_t: 3_600.0,
};

// PV the 35 M plan builds with the budget the printed column leaves: with the
// capital costs derived from the binding budgets (docs/parameters.md: chillers
// 1,000 CNY/kW, CCU 1,200 CNY per t/a, PV 4,000 CNY/kWp / 6.2 m2/kWp),
// 35,000,000 - 3,900 x 1,000 - 20,000 x 1,200 = 7,100,000 CNY, and
// 7,100,000 x 6.2 / 4,000 = 11,005 m2 (all PV regions have the same
// coefficients, so where it goes is a tie; the total area is what counts).
const PV_35M_M2: f64 = 11_005.0;

const T3_35M_PRINTED: Column = Column {
    name: "Table 3 35 M",
    objective: Objective::Economic,
    capex_cap: 35e6,
    builds: &[(4, Strategy::Ccu, 1, 20_000.0), WHR1[0], WHR1[1], WHR1[2]],
    benefit_cny: 16.44e6,
    co2_t: 17_500.0,
};

fn built(opts: &Options, p: &Plan) -> Vec<(u32, Strategy, u32, f64)> {
    let mut v: Vec<_> = p
        .built()
        .map(|b| {
            let it = &opts.items[b.item];
            (it.region_id, it.strategy, it.tech, b.capacity)
        })
        .collect();
    v.sort_by_key(|b| (b.0, b.1, b.2));
    v
}

fn within(what: &str, got: f64, want: f64, rel: f64) {
    assert!(
        (got - want).abs() <= rel * want.abs(),
        "{what}: got {got}, the paper prints {want} (tolerance {} %)",
        rel * 100.0
    );
}

/// Solves the built-in case for a column; returns its options and plan.
fn solve(c: &Column) -> (Options, Plan) {
    let mut park = Park::paper_case();
    park.set_param("capex_cap", c.capex_cap).unwrap();
    let opts = compile(&park);
    let sol = solve_exact(&opts, c.objective);
    assert!(sol.proven_optimal, "{}: not proven optimal", c.name);
    (opts, sol.plan)
}

/// Checks the optimum against the column: everything but PV as printed; PV in
/// total `pv_m2` (0 where the column prints none); totals as printed.
fn check(c: &Column, pv_m2: f64) {
    let (opts, plan) = solve(c);
    let got = built(&opts, &plan);
    let non_pv: Vec<_> = got.iter().filter(|b| b.1 != Strategy::Pv).collect();
    let want: Vec<_> = c.builds.iter().filter(|b| b.1 != Strategy::Pv).collect();
    assert_eq!(
        non_pv.iter().map(|b| (b.0, b.1, b.2)).collect::<Vec<_>>(),
        want.iter().map(|b| (b.0, b.1, b.2)).collect::<Vec<_>>(),
        "{}: technologies per region: got {got:?}",
        c.name
    );
    for (g, w) in non_pv.iter().zip(&want) {
        within(
            &format!("{}: {} region {} capacity", c.name, w.1, w.0),
            g.3,
            w.3,
            1e-3,
        );
    }
    let pv: f64 = got
        .iter()
        .filter(|b| b.1 == Strategy::Pv)
        .map(|b| b.3)
        .sum();
    if pv_m2 == 0.0 {
        assert_eq!(pv, 0.0, "{}: PV built: {got:?}", c.name);
    } else {
        within(&format!("{}: PV area", c.name), pv, pv_m2, 1e-3);
    }
    let t = plan.evaluate(&opts).totals;
    within(
        &format!("{}: capex (the budget binds)", c.name),
        t.capex,
        c.capex_cap,
        1e-9,
    );
    within(
        &format!("{}: annual economic benefit", c.name),
        t.annual_benefit,
        c.benefit_cny,
        0.005,
    );
    within(
        &format!("{}: annual CO2 reduction", c.name),
        t.annual_co2_reduction,
        c.co2_t,
        0.02,
    );
}

#[test]
fn table_2_economic_and_table_3_20m() {
    check(&T2_ECON, 0.0);
}

#[test]
fn table_2_carbon() {
    check(&T2_CARBON, 0.0);
}

#[test]
fn table_3_5m() {
    // The column's PV, 1,704 m2, is the only PV.
    check(&T3_5M, 1_704.0);
}

#[test]
fn table_3_35m_with_the_pv_the_paper_omitted() {
    check(&T3_35M_PRINTED, PV_35M_M2);
}

#[test]
fn table_3_35m_printed_allocation_alone_falls_short_of_the_printed_totals() {
    // The printed 35 M allocation without PV, evaluated with the built-in case.
    // From the per-unit aggregates that Tables 2-3 imply (docs/parameters.md),
    // the omitted PV earns 11,005 m2 x 78.557 CNY/m2/yr = 864,520 CNY/yr and
    // avoids 11,005 x 0.103753 t/m2/yr = 1,141.8 t/yr, so the printed allocation
    // alone is worth 16,440,000 - 864,520 = 15,575,480 CNY/yr and
    // 17,500 - 1,141.8 = 16,358.2 t/yr: 5.3 % and 6.5 % below the printed totals,
    // outside the tolerances, so the printed totals must include the PV.
    let mut park = Park::paper_case();
    park.set_param("capex_cap", 35e6).unwrap();
    let opts = compile(&park);
    let mut plan = Plan::empty(&opts);
    for &(region, strategy, tech, capacity) in T3_35M_PRINTED.builds {
        let i = opts
            .items
            .iter()
            .position(|it| it.region_id == region && it.strategy == strategy && it.tech == tech)
            .expect("item");
        let g = opts
            .groups
            .iter()
            .position(|g| g.items.contains(&i))
            .expect("group");
        plan.choice[g] = Some(Built { item: i, capacity });
    }
    plan.check(&opts).expect("feasible");
    let t = plan.evaluate(&opts).totals;
    within("capex of the printed allocation", t.capex, 27.9e6, 1e-9);
    within("benefit without PV", t.annual_benefit, 15_575_480.0, 0.005);
    within("CO2 without PV", t.annual_co2_reduction, 16_358.2, 0.02);
    assert!(t.annual_benefit < 16.44e6 * (1.0 - 0.005));
    assert!(t.annual_co2_reduction < 17_500.0 * (1.0 - 0.02));
}

#[test]
fn carbon_plan_costs_13_percent_of_the_benefit_and_gives_2_6_times_the_co2() {
    // Section 4.2: "2.6 times higher", "decreasing by about 13 %":
    // 31,600 / 12,100 = 2.61; 1 - 11.83 / 13.64 = 13.3 %.
    let (oe, pe) = solve(&T2_ECON);
    let (oc, pc) = solve(&T2_CARBON);
    let e = pe.evaluate(&oe).totals;
    let c = pc.evaluate(&oc).totals;
    within(
        "CO2 ratio",
        c.annual_co2_reduction / e.annual_co2_reduction,
        2.61,
        0.02,
    );
    within(
        "benefit loss",
        1.0 - c.annual_benefit / e.annual_benefit,
        0.133,
        0.02,
    );
}

// ---------------------------------------------------------------------------
// Sensitivity predictions (section 4.3): tipping points, by hand.
//
// Per unit and year, with the built-in case's values (parks/paper-case.toml),
// ETS price L, alpha = CRF(8 %, 20 yr) = 0.10185221:
//   WHR 1 chiller, per kW: output 7,695 h x 0.7 = 5,386.5 kWh of cooling;
//     CO2 = 5,386.5 / 3.5 x 0.5703e-3 = 0.87769170 t;
//     income = (0.4808 - 0.01) x 5,386.5 + 0.87769170 L = 2,535.96420 + 0.87769170 L;
//     capex 1,000.
//   WHR 3 heat pump, per kW: output 7,695 x 1.7 = 13,081.5 kWh of heat;
//     CO2 = 13,081.5 / 0.85 x 0.3994e-3 = 6.1467660 t;
//     income = (0.1579 - 0.01) x 13,081.5 + 6.1467660 L = 1,934.75385 + 6.1467660 L;
//     capex 1,500.
//   CCU, per t/a: E_add = 0.13 x 0.5703 + 2.534 x 0.11 + 2 x 0.000168 = 0.353215;
//     CO2 = 0.646785 t; income = 700 - 202 - 1.2 d - 24 + 0.646785 L
//     (= 378 + 0.646785 L at d = 80 km); capex 1,200.
//   PV, per m2: W = 1,375.5 x 0.1613 x 0.82 = 181.931883 kWh;
//     income = (0.7994 + 59 x 0.5703e-3 - 0.04) x W = 0.7930477 x 181.931883 = 144.280595
//     at L = 59; capex 4,000 / 6.2 = 645.161290; benefit 144.280595 - 65.711103 = 78.569492.

fn tipping(key: &str, values: &[f64]) -> Vec<sweep::TippingPoint> {
    let park = Park::paper_case();
    let points = sweep::sweep(&park, key, values, Objective::Economic).expect("sweep");
    sweep::tipping_points(&park, key, &points, Objective::Economic).expect("tipping points")
}

fn linspace(from: f64, to: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|k| from + (to - from) * k as f64 / (n - 1) as f64)
        .collect()
}

/// The one tipping point whose bracket holds `x` (widened by `slack`).
fn at(tips: &[sweep::TippingPoint], x: f64, slack: f64) -> &sweep::TippingPoint {
    let hit: Vec<_> = tips
        .iter()
        .filter(|t| t.below - slack <= x && x <= t.above + slack)
        .collect();
    assert_eq!(hit.len(), 1, "one tipping point at {x}: {tips:?}");
    hit[0]
}

#[test]
fn carbon_price_switches_chillers_to_heat_pumps_at_151_75() {
    // At 20 M the budget binds and CCU is the marginal use of money. One kW moved
    // from WHR 1 to WHR 3 costs 500 CNY more, r = 500 / 1,200 t/a of CCU; the alpha
    // terms cancel (-a 500 + r a 1,200 = 0). The switch pays when
    //   (1,934.75385 - 2,535.96420) + (6.1467660 - 0.87769170) L - r (378 + 0.646785 L) > 0
    //   (5.2690743 - 0.2694938) L > 601.21035 + 157.5
    //   L > 758.71035 / 4.9995805 = 151.7548 CNY/t.
    let r: f64 = 500.0 / 1200.0;
    let l_star = (2535.96420 - 1934.75385 + r * 378.0) / ((6.1467660 - 0.87769170) - r * 0.646785);
    assert!((l_star - 151.7548).abs() < 1e-3, "hand arithmetic {l_star}");
    let tips = tipping("ets_price", &linspace(59.0, 450.0, 40));
    assert_eq!(tips.len(), 1, "{tips:?}");
    let t = at(&tips, l_star, 1e-6);
    for region in [4, 5, 6] {
        assert!(
            t.changes.contains(&Change::Switches {
                region,
                strategy: Strategy::Whr,
                from: 1,
                to: 3
            }),
            "{:?}",
            t.changes
        );
    }
}

#[test]
fn ccu_leaves_beyond_203_km() {
    // CCU's benefit per t/a at distance d and L = 59:
    //   378 - 1.2 (d - 80) + 59 x 0.646785 - a 1,200 = 293.937664 - 1.2 (d - 80);
    // PV returns 78.569492 / 645.161290 = 0.12178271 per CNY. CCU loses the budget to
    // PV when (293.937664 - 1.2 (d - 80)) / 1,200 < 0.12178271:
    //   d > 80 + (293.937664 - 146.139252) / 1.2 = 80 + 123.16534 = 203.165 km,
    // just beyond the paper's 80-200 km range.
    let d_star: f64 = 80.0 + (293.937664 - 1200.0 * 78.569492 / 645.161290) / 1.2;
    assert!((d_star - 203.165).abs() < 1e-3, "hand arithmetic {d_star}");
    let tips = tipping("co2_transport_km", &linspace(80.0, 300.0, 45));
    assert_eq!(tips.len(), 1, "{tips:?}");
    let t = at(&tips, d_star, 1e-6);
    assert!(
        t.changes.contains(&Change::Leaves {
            region: 4,
            strategy: Strategy::Ccu,
            tech: 1
        }),
        "{:?}",
        t.changes
    );
    // Over the paper's own range, 80-200 km, nothing changes.
    assert!(tipping("co2_transport_km", &linspace(80.0, 200.0, 25)).is_empty());
}

#[test]
fn budget_tipping_points_at_5_037_5_1_and_27_9_million() {
    // WHR 1 per kW: 2,535.96420 + 59 x 0.87769170 - a 1,000 = 2,485.89582 CNY/yr,
    // 2.48589582 per CNY; PV 0.12178271 per CNY; CCU at its 1,000 t/a minimum
    // 293,937.664 CNY/yr for 1.2 M CNY.
    // (1) Below 3.9 M + 1.2 M = 5.1 M, CCU at its minimum needs x = 5.1 M - B taken
    //     from WHR. It beats PV when 293,937.664 - 2.48589582 x > 0.12178271 (1.2 M - x):
    //     x < (293,937.664 - 146,139.252) / (2.48589582 - 0.12178271) = 62,517.7,
    //     so B > 5,037,482 CNY.
    // (2) At 5.1 M WHR is back at its caps and CCU grows above its minimum.
    // (3) At 3.9 M + 20,000 x 1,200 = 27.9 M CCU reaches its cap; PV takes the rest.
    let b1: f64 = 5.1e6 - (293_937.664 - 1.2e6 * 0.12178271) / (2.48589582 - 0.12178271);
    assert!((b1 - 5_037_482.0).abs() < 1.0, "hand arithmetic {b1}");
    let tips = tipping("capex_cap", &linspace(5e6, 35e6, 31));
    assert_eq!(tips.len(), 3, "{tips:?}");
    let range = 30e6;
    let t1 = at(&tips, b1, 0.0);
    assert!(t1.changes.contains(&Change::Leaves {
        region: 2,
        strategy: Strategy::Pv,
        tech: 1
    }));
    assert!(
        t1.changes.iter().any(|c| matches!(
            c,
            Change::Enters {
                region: 4,
                strategy: Strategy::Ccu,
                ..
            }
        )),
        "{:?}",
        t1.changes
    );
    // The 0.1 % brackets of (2) and (3) hold 5.1 M and 27.9 M.
    at(&tips, 5.1e6, 1e-3 * range);
    let t3 = at(&tips, 27.9e6, 1e-3 * range);
    assert!(
        t3.changes.iter().any(|c| matches!(
            c,
            Change::Enters {
                strategy: Strategy::Pv,
                ..
            }
        )),
        "{:?}",
        t3.changes
    );
}
