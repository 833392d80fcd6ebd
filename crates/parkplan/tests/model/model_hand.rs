//! Hand-worked checks of the planning model (Zhao et al. 2024, eqs. 3.1-3.30).
//!
//! Every expected number below is worked out by hand (python3 used only as a
//! calculator) with the arithmetic in the comments; no expected value is obtained
//! by calling parkplan. The tiny parks use round parameter values so that the
//! arithmetic stays readable; the last tests use the paper case.

use parkplan::park::Strategy;
use parkplan::plan::{Built, Infeasible, Plan};
use parkplan::solve::{Solution, solve_exact, upper_bound};
use parkplan::{Objective, Options, Park, compile};

// ---------------------------------------------------------------------------
// A small park with round numbers.
//
// Economics: ETS 100 CNY/t, alpha 0.1 /yr, T = 10 yr, CO2 trucked 50 km,
// 5000 h/yr, grid 0.5 t/MWh = 0.0005 t/kWh, gas 0.2 t/MWh = 0.0002 t/kWh,
// steam 0.1 t/GJ, water 0.001 t/t, chiller COP 4, boiler efficiency 0.8,
// solar radiation 1000 kWh/m2/yr.

const HEAD: &str = r#"
[park]
name = "Hand-check park"

[economics]
capex_cap = 1_000_000
ets_price = 100
alpha = 0.1
service_life = 10
co2_transport_km = 50
operating_hours = 5000
grid_ef = 0.5
gas_ef = 0.2
steam_ef = 0.1
water_ef = 0.001
chiller_cop = 4
boiler_efficiency = 0.8
solar_radiation = 1000
"#;

const CATALOGUE: &str = r#"
[fcs]
project_development_cost = 100_000

[[fcs.tech]]
code = 1
name = "Round pine"
growth_a = 0.5
growth_b = -0.1
growth_c = 2
density = 0.5
bef = 1.5
root_shoot = 0.2
carbon_fraction = 0.5
trees_per_ha = 1000
planting_cost = 20_000
management_cost = 500
timber_price = 1000
harvest_cost = 200

[[ccu.tech]]
code = 1
name = "Amine capture"
capex = 1000
capture_opex = 100
transport_cost = 1
maintenance = 50
product_price = 500
power_use = 0.1
steam_use = 1
water_use = 2
min_capacity = 1000

[[whr.tech]]
code = 1
name = "Chiller"
capex = 1000
efficiency = 0.8
output = "cooling"
price = 0.25
maintenance = 0.05

[[whr.tech]]
code = 2
name = "ORC"
capex = 2000
efficiency = 0.1
output = "electricity"
price = 0.8
maintenance = 0.05

[[whr.tech]]
code = 3
name = "Heat pump"
capex = 1500
efficiency = 1.6
output = "heat"
price = 0.05
maintenance = 0.01

[[whr.tech]]
code = 4
name = "Heat exchanger"
capex = 300
efficiency = 0.9
output = "heat"
price = 0.03
maintenance = 0.01

[[pv.tech]]
code = 1
name = "Panels"
capex = 2500
area_per_kw = 5
efficiency = 0.2
loss_factor = 0.8
maintenance = 0.02
feed_in_price = 0.4
"#;

// Per-unit numbers of this catalogue, worked out once here and re-derived in the
// tests that check them (alpha = 0.1):
//
//   FCS 1 (per m2): capex 2.5, income 1.9279561343, benefit 1.6779561343,
//                   CO2 0.0032965053; plus 100,000 CNY once (-10,000 CNY/yr).
//   CCU 1 (per t/a): capex 1000, income 384.8, benefit 284.8, CO2 0.848.
//   WHR 1 (per kW): capex 1000, income 850, benefit 750, CO2 0.5.
//   WHR 2 (per kW): capex 2000, income 400, benefit 200, CO2 0.25.
//   WHR 3 (per kW): capex 1500, income 520, benefit 370, CO2 2.0.
//   WHR 4 (per kW): capex 300, income 202.5, benefit 172.5, CO2 1.125.
//   PV 1 (per m2): capex 500, income 68.8, benefit 18.8, CO2 0.08.

fn load(text: &str) -> Park {
    Park::from_toml(text, "test.toml").unwrap_or_else(|e| panic!("test park rejected: {e}"))
}

/// The paper's park with literature values (`parks/paper-case-literature.toml`);
/// the built-in case, calibrated to Tables 2-3, is checked in tests/paper_tables.rs.
fn literature_case() -> Park {
    load(include_str!("../../../../parks/paper-case-literature.toml"))
}

/// The round-number park with the given `[[region]]` tables.
fn park(regions: &str) -> Park {
    load(&format!("{HEAD}{CATALOGUE}{regions}"))
}

/// Like [`park`] with one piece of the head or catalogue text replaced.
fn park_edited(from: &str, to: &str, regions: &str) -> Park {
    let text = format!("{HEAD}{CATALOGUE}{regions}");
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    load(&text.replace(from, to))
}

fn assert_close(what: &str, actual: f64, expected: f64, rel: f64) {
    let tol = if expected == 0.0 {
        rel
    } else {
        rel * expected.abs()
    };
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual}, expected {expected} (difference {}, tolerance {tol})",
        actual - expected
    );
}

/// Index of the item of `strategy`/`tech` in the region with `region_id`.
fn item(opts: &Options, region_id: u32, strategy: Strategy, tech: u32) -> usize {
    opts.items
        .iter()
        .position(|it| it.region_id == region_id && it.strategy == strategy && it.tech == tech)
        .unwrap_or_else(|| panic!("no item region {region_id} {strategy} {tech}"))
}

/// A plan building `(item, capacity)` pairs, each in its item's group.
fn plan(opts: &Options, builds: &[(usize, f64)]) -> Plan {
    let mut p = Plan::empty(opts);
    for &(i, capacity) in builds {
        let g = opts
            .groups
            .iter()
            .position(|g| g.items.contains(&i))
            .expect("item in a group");
        assert!(p.choice[g].is_none(), "two items in group {g}");
        p.choice[g] = Some(Built { item: i, capacity });
    }
    p
}

/// What a plan builds: (region id, strategy, tech, capacity), in a fixed order.
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

fn assert_builds(opts: &Options, p: &Plan, expected: &[(u32, Strategy, u32, f64)]) {
    let got = built(opts, p);
    let keys = |v: &[(u32, Strategy, u32, f64)]| -> Vec<(u32, Strategy, u32)> {
        v.iter().map(|x| (x.0, x.1, x.2)).collect()
    };
    assert_eq!(
        keys(&got),
        keys(expected),
        "built items differ: got {got:?}, expected {expected:?}"
    );
    for (g, e) in got.iter().zip(expected) {
        assert_close(
            &format!("capacity of region {} {} {}", e.0, e.1, e.2),
            g.3,
            e.3,
            1e-9,
        );
    }
}

/// Exact solve, checked for proven optimality, plan feasibility and a sound bound.
fn solve(opts: &Options, obj: Objective) -> Solution {
    let sol = solve_exact(opts, obj);
    assert!(sol.proven_optimal, "{obj:?}: not proven optimal");
    sol.plan.check(opts).expect("optimal plan is feasible");
    let tol = 1e-9 * sol.value.abs().max(1.0);
    assert!(
        sol.upper_bound >= sol.value - tol,
        "{obj:?}: bound below value"
    );
    let lp = upper_bound(opts, obj);
    assert!(
        lp >= sol.value - tol,
        "{obj:?}: LP bound {lp} below optimum {}",
        sol.value
    );
    sol
}

// ---------------------------------------------------------------------------
// FCS (eqs. 3.3-3.12)

#[test]
fn fcs_round_species_coefficients_and_evaluation() {
    let park = park(
        r#"
[[region]]
id = 1
name = "Lot"
land = "empty_lot"
fcs = { max_ha = 2 }
"#,
    );
    let opts = compile(&park);
    let i = item(&opts, 1, Strategy::Fcs, 1);
    let c = opts.items[i].coef;

    // Eq. 3.12 at T = 10: V(10) = 0.5 (1 - e^{-0.1*10})^2 = 0.5 (1 - e^{-1})^2
    //   1 - e^{-1} = 1 - 0.36787944117 = 0.63212055883
    //   0.63212055883^2 = 0.39957640089
    //   V(10) = 0.5 * 0.39957640089 = 0.19978820045 m3/tree
    assert_close(
        "V(10)",
        parkplan::model::fcs::tree_volume_m3(&park.catalogue.fcs[0], 10.0),
        0.19978820045,
        1e-10,
    );
    // Eq. 3.11 for 1 ha: B = V D BEF (1+R) N = 0.19978820045 * 0.5 * 1.5 * 1.2 * 1000
    //   = 0.19978820045 * 900 = 179.80938040 t/ha
    // Eq. 3.10: C = 44/12 * 179.80938040 * 0.5 = 3.6666666667 * 89.90469020 = 329.65053074 tCO2/ha
    // Eqs. 3.4-3.9: sum over t=1..10 of C(t) - C(t-1) telescopes to C(10) - C(0),
    //   and C(0) = 0 because V(0) = 0.5 (1 - 1)^2 = 0. So sum = 329.65053074 t/ha.
    assert_close(
        "sum of credited CO2 over 10 yr",
        parkplan::model::fcs::credited_t_per_ha(&park.catalogue.fcs[0], 10),
        329.65053074,
        1e-9,
    );
    // E (3.4) = 329.65053074 / 10 = 32.965053074 t/ha/yr = 0.0032965053074 t/m2/yr.
    assert_close("co2 per m2", c.co2_per_unit, 0.0032965053074, 1e-9);
    // Capex (3.3) per ha = planting + T * management = 20,000 + 10 * 500 = 25,000 CNY/ha
    //   = 2.5 CNY/m2; the project development cost 100,000 CNY is paid once.
    assert_close("capex per m2", c.capex_per_unit, 2.5, 1e-12);
    assert_close("capex fixed", c.capex_fixed, 100_000.0, 1e-12);
    // Income (3.5) per ha: timber at year 10: V N (λ_tim - λ_ct) = 0.19978820045 * 1000 * (1000 - 200)
    //   = 199.78820045 * 800 = 159,830.56036 CNY; ETS: 100 * 329.65053074 = 32,965.053074 CNY;
    //   (159,830.56036 + 32,965.053074) / 10 = 19,279.561343 CNY/ha/yr = 1.9279561343 CNY/m2/yr.
    assert_close("income per m2", c.income_per_unit, 1.9279561343, 1e-9);
    assert_eq!(
        (opts.items[i].lo, opts.items[i].hi),
        (0.0, 20_000.0),
        "bounds in m2"
    );

    // A 1 ha forest (10,000 m2):
    //   capex = 2.5 * 10,000 + 100,000 = 125,000 CNY
    //   income = 1.9279561343 * 10,000 = 19,279.561343 CNY/yr
    //   benefit = 19,279.561343 - 0.1 * 125,000 = 6,779.561343 CNY/yr
    //   CO2 = 0.0032965053074 * 10,000 = 32.965053074 t/yr
    let ev = plan(&opts, &[(i, 10_000.0)]).evaluate(&opts);
    let r = &ev.items[0];
    assert_close("capex", r.capex, 125_000.0, 1e-12);
    assert_close("income", r.annual_income, 19_279.561343, 1e-9);
    assert_close("benefit", r.annual_benefit, 6_779.561343, 1e-9);
    assert_close("co2", r.annual_co2_reduction, 32.965053074, 1e-9);
    assert_close(
        "total benefit",
        ev.totals.annual_benefit,
        6_779.561343,
        1e-9,
    );
}

#[test]
fn fcs_paper_species_at_20_years() {
    let park = Park::paper_case();
    assert_eq!(park.economics.service_life_yr, 20.0);
    let opts = compile(&park);
    // Common to the three species: capex per ha = 22,500 + 20 * 300 = 28,500 CNY/ha = 2.85 CNY/m2;
    // development cost 650,000 CNY once; N = 1667 trees/ha; timber net 1000 - 225 = 775 CNY/m3;
    // ETS 59 CNY/t.
    //
    // (code, V(20) m3/tree, CO2 t/ha/yr, income CNY/ha/yr)
    //
    // 1 P. massoniana [0.56, -0.05, 4.03]:
    //   1 - e^{-0.05*20} = 1 - e^{-1} = 0.63212055883; ^4.03 = 0.15747936646
    //   V = 0.56 * 0.15747936646 = 0.088188445217
    //   D BEF (1+R) N = 0.380 * 1.472 * 1.187 * 1667 = 0.55936 * 1.187 * 1667 = 1106.8218534
    //   B = 0.088188445217 * 1106.8218534 = 97.608898387 t/ha
    //   C = 44/12 * 97.608898387 * 0.460 = 164.63367528 t/ha; / 20 = 8.2316837640 t/ha/yr
    //   INC = (0.088188445217 * 1667 * 775 + 59 * 164.63367528) / 20
    //       = (113,932.85709 + 9,713.3868415) / 20 = 123,646.24393 / 20 = 6,182.3121964 CNY/ha/yr
    // 2 P. elliottii [0.2023, -0.11, 3.991]:
    //   1 - e^{-2.2} = 1 - 0.11080315836 = 0.88919684164; ^3.991 = 0.62582176716
    //   V = 0.2023 * 0.62582176716 = 0.12660374350
    //   D BEF (1+R) N = 0.424 * 1.614 * 1.264 * 1667 = 1441.9561736
    //   B = 182.55704953 t/ha; C = 44/12 * 182.55704953 * 0.511 = 342.05105847; / 20 = 17.102552924
    //   INC = (0.12660374350 * 1667 * 775 + 59 * 342.05105847) / 20 = 9,187.1776884
    // 3 C. lanceolata [0.1962, -0.08, 3.9012]:
    //   1 - e^{-1.6} = 1 - 0.20189651799 = 0.79810348201; ^3.9012 = 0.41487128144
    //   V = 0.1962 * 0.41487128144 = 0.081397745419
    //   D BEF (1+R) N = 0.307 * 1.634 * 1.246 * 1667 = 1041.9432603
    //   B = 84.811832245 t/ha; C = 44/12 * 84.811832245 * 0.520 = 161.70789348; / 20 = 8.0853946740
    //   INC = (0.081397745419 * 1667 * 775 + 59 * 161.70789348) / 20 = 5,735.0273983
    let expected = [
        (1, 0.088188445217, 8.2316837640, 6_182.3121964),
        (2, 0.12660374350, 17.102552924, 9_187.1776884),
        (3, 0.081397745419, 8.0853946740, 5_735.0273983),
    ];
    for (k, (code, v20, co2_ha, inc_ha)) in expected.into_iter().enumerate() {
        let s = &park.catalogue.fcs[k];
        assert_eq!(s.code, code);
        assert_close(
            &format!("V(20) species {code}"),
            parkplan::model::fcs::tree_volume_m3(s, 20.0),
            v20,
            1e-9,
        );
        let c = opts.items[item(&opts, 1, Strategy::Fcs, code)].coef;
        assert_close(
            &format!("CO2/ha/yr species {code}"),
            c.co2_per_unit * 10_000.0,
            co2_ha,
            1e-9,
        );
        assert_close(
            &format!("income/ha/yr species {code}"),
            c.income_per_unit * 10_000.0,
            inc_ha,
            1e-9,
        );
        assert_close(&format!("capex/m2 {code}"), c.capex_per_unit, 2.85, 1e-12);
        assert_close(&format!("fixed {code}"), c.capex_fixed, 650_000.0, 1e-12);
    }
}

// ---------------------------------------------------------------------------
// CCU (eqs. 3.15-3.18)

#[test]
fn ccu_coefficients_and_evaluation() {
    let park = park(
        r#"
[[region]]
id = 1
name = "Factory"
land = "factory"
ccu = { max_t_per_yr = 5000 }

[[region]]
id = 2
name = "Factory with a higher minimum"
land = "factory"
ccu = { max_kt_per_yr = 5, min_t_per_yr = 2000 }
"#,
    );
    let opts = compile(&park);
    let i = item(&opts, 1, Strategy::Ccu, 1);
    let c = opts.items[i].coef;
    // E_add (3.18) = 0.1 MWh/t * 0.5 t/MWh + 1 GJ/t * 0.1 t/GJ + 2 t/t * 0.001 t/t
    //   = 0.05 + 0.1 + 0.002 = 0.152 t/t
    // E (3.16) per t/a = 1 - 0.152 = 0.848 t/yr
    assert_close("co2 per t/a", c.co2_per_unit, 0.848, 1e-12);
    // Π_Op = capture 100 + transport 1 CNY/(t km) * 50 km = 150 CNY/t
    // INC (3.17) = (500 - 150 - 50) + 100 * 0.848 = 300 + 84.8 = 384.8 CNY/yr per t/a
    assert_close("income per t/a", c.income_per_unit, 384.8, 1e-12);
    // Π (3.15) = 1000 CNY per t/a, nothing fixed.
    assert_close("capex per t/a", c.capex_per_unit, 1000.0, 1e-12);
    assert_eq!(c.capex_fixed, 0.0);
    // Bounds: the technology minimum 1000 t/a; with a slot minimum of 2000 t/a the larger one.
    assert_eq!((opts.items[i].lo, opts.items[i].hi), (1000.0, 5000.0));
    let j = item(&opts, 2, Strategy::Ccu, 1);
    assert_eq!((opts.items[j].lo, opts.items[j].hi), (2000.0, 5000.0));

    // 2000 t/a: capex 2,000,000; income 2000 * 384.8 = 769,600;
    // benefit 769,600 - 0.1 * 2,000,000 = 569,600; CO2 2000 * 0.848 = 1696.
    let ev = plan(&opts, &[(i, 2000.0)]).evaluate(&opts);
    let r = &ev.items[0];
    assert_close("capex", r.capex, 2_000_000.0, 1e-12);
    assert_close("income", r.annual_income, 769_600.0, 1e-12);
    assert_close("benefit", r.annual_benefit, 569_600.0, 1e-12);
    assert_close("co2", r.annual_co2_reduction, 1696.0, 1e-12);

    // Trucking 150 km instead of 50: Π_Op = 100 + 1 * 150 = 250, INC = 500 - 250 - 50 + 84.8 = 284.8.
    let mut far = park.clone();
    far.set_param("co2_transport_km", 150.0).unwrap();
    let opts = compile(&far);
    let c = opts.items[item(&opts, 1, Strategy::Ccu, 1)].coef;
    assert_close("income per t/a at 150 km", c.income_per_unit, 284.8, 1e-12);
}

// ---------------------------------------------------------------------------
// WHR (eqs. 3.19-3.22)

#[test]
fn whr_coefficients_of_every_output_kind() {
    let park = park(
        r#"
[[region]]
id = 1
name = "Factory"
land = "factory"
whr = { max_mw = 0.5 }
"#,
    );
    let opts = compile(&park);
    // T_ann = 5000 h. P_out per kW = η * 5000 (3.22); E = T_ann P_out / η_HQE * e (3.20);
    // INC = (λ - Π_ma) T_ann P_out + λ_ETS E (3.21); capex = Π_con (3.19).
    //
    // 1 cooling: η_HQE = COP 4, e = grid 0.0005 t/kWh
    //   P = 0.8 * 5000 = 4000 kWh; E = 4000 / 4 * 0.0005 = 0.5 t; INC = 0.20 * 4000 + 100 * 0.5 = 850
    // 2 electricity: η_HQE = 1, e = grid 0.0005 t/kWh
    //   P = 0.1 * 5000 = 500 kWh; E = 500 / 1 * 0.0005 = 0.25 t; INC = 0.75 * 500 + 100 * 0.25 = 400
    // 3 heat: η_HQE = boiler 0.8, e = gas 0.0002 t/kWh
    //   P = 1.6 * 5000 = 8000 kWh; E = 8000 / 0.8 * 0.0002 = 2.0 t; INC = 0.04 * 8000 + 100 * 2 = 520
    // 4 heat: P = 0.9 * 5000 = 4500 kWh; E = 4500 / 0.8 * 0.0002 = 1.125 t;
    //   INC = 0.02 * 4500 + 100 * 1.125 = 90 + 112.5 = 202.5
    let expected = [
        (1, 1000.0, 850.0, 0.5),
        (2, 2000.0, 400.0, 0.25),
        (3, 1500.0, 520.0, 2.0),
        (4, 300.0, 202.5, 1.125),
    ];
    for (tech, capex, income, co2) in expected {
        let it = &opts.items[item(&opts, 1, Strategy::Whr, tech)];
        assert_close(
            &format!("WHR {tech} capex"),
            it.coef.capex_per_unit,
            capex,
            1e-12,
        );
        assert_close(
            &format!("WHR {tech} income"),
            it.coef.income_per_unit,
            income,
            1e-12,
        );
        assert_close(&format!("WHR {tech} co2"), it.coef.co2_per_unit, co2, 1e-12);
        assert_eq!(it.coef.capex_fixed, 0.0);
        assert_eq!((it.lo, it.hi), (0.0, 500.0), "WHR {tech} bounds in kW");
    }
    // All four technologies form one group (one technology per slot).
    assert_eq!(opts.groups.len(), 1);
    assert_eq!(opts.groups[0].items.len(), 4);

    // WHR 3 at 250 kW: capex 1500 * 250 = 375,000; income 520 * 250 = 130,000;
    // benefit 130,000 - 0.1 * 375,000 = 92,500; CO2 2.0 * 250 = 500 t.
    let i = item(&opts, 1, Strategy::Whr, 3);
    let ev = plan(&opts, &[(i, 250.0)]).evaluate(&opts);
    let r = &ev.items[0];
    assert_close("capex", r.capex, 375_000.0, 1e-12);
    assert_close("income", r.annual_income, 130_000.0, 1e-12);
    assert_close("benefit", r.annual_benefit, 92_500.0, 1e-12);
    assert_close("co2", r.annual_co2_reduction, 500.0, 1e-12);
}

#[test]
fn whr_displaced_ef_of_its_own() {
    // WHR 3 (heat) with `displaced_ef = 0.5` tCO2/MWh instead of the park's gas 0.2:
    //   P = 1.6 * 5000 = 8000 kWh; E = 8000 / 0.8 * 0.0005 = 5.0 t (was 2.0);
    //   INC = 0.04 * 8000 + 100 * 5.0 = 320 + 500 = 820.
    // WHR 4 (no key) keeps gas: E = 1.125 t, INC = 202.5.
    let park = park_edited(
        "price = 0.05\nmaintenance = 0.01\n",
        "price = 0.05\nmaintenance = 0.01\ndisplaced_ef = 0.5\n",
        r#"
[[region]]
id = 1
name = "Factory"
land = "factory"
whr = { max_mw = 0.5 }
"#,
    );
    assert_eq!(park.catalogue.whr[2].displaced_ef_t_per_mwh, Some(0.5));
    assert_eq!(park.catalogue.whr[3].displaced_ef_t_per_mwh, None);
    let opts = compile(&park);
    let c3 = opts.items[item(&opts, 1, Strategy::Whr, 3)].coef;
    assert_close("WHR 3 co2", c3.co2_per_unit, 5.0, 1e-12);
    assert_close("WHR 3 income", c3.income_per_unit, 820.0, 1e-12);
    let c4 = opts.items[item(&opts, 1, Strategy::Whr, 4)].coef;
    assert_close("WHR 4 co2", c4.co2_per_unit, 1.125, 1e-12);
    // The carbon ledger of 250 kW of WHR 3: avoided 8000 * 250 / 0.8 * 0.0005 = 1,250 t,
    // the same as eq. 3.20 (5.0 * 250).
    let i = item(&opts, 1, Strategy::Whr, 3);
    let p = plan(&opts, &[(i, 250.0)]);
    let l = parkplan::analysis::ledger::ledger(&park, &opts, &p);
    assert_close("ledger avoided", l.carbon.totals.avoided, 1250.0, 1e-12);
    assert_close("ledger net", l.carbon.totals.net, 1250.0, 1e-12);
    // Written back and read again, the key survives.
    let again = load(&parkplan::park::to_toml(&park, "test"));
    assert_eq!(again.catalogue, park.catalogue);
}

#[test]
fn whr_displaced_ef_is_refused_with_an_energy_baseline() {
    // The energy balance values heat at gas_ef, so a technology's own factor would
    // break the ledger's identity "after = before - net + unusable": refused.
    let regions = r#"
[energy]
electricity_price = 750
gas_price = 370
electricity_demand = 1000
heat_demand = 1000
cooling_demand = 100
[energy.profile]
day_load_factor = 1.3

[[region]]
id = 1
name = "Factory"
land = "factory"
whr = { max_mw = 0.5 }
"#;
    let text = format!("{HEAD}{CATALOGUE}{regions}");
    assert!(
        Park::from_toml(&text, "test.toml").is_ok(),
        "the park without the key"
    );
    let bad = text.replace(
        "price = 0.05\nmaintenance = 0.01\n",
        "price = 0.05\nmaintenance = 0.01\ndisplaced_ef = 0.5\n",
    );
    let e = Park::from_toml(&bad, "test.toml")
        .expect_err("refused")
        .to_string();
    assert!(e.contains("displaced_ef") && e.contains("[energy]"), "{e}");
}

// ---------------------------------------------------------------------------
// PV (eqs. 3.23-3.26)

#[test]
fn pv_coefficients_and_evaluation() {
    let park = park(
        r#"
[[region]]
id = 7
name = "Roof"
land = "rooftop"
pv = { max_m2 = 3000 }
"#,
    );
    let opts = compile(&park);
    let i = item(&opts, 7, Strategy::Pv, 1);
    let c = opts.items[i].coef;
    // Capex (3.23) = 2500 CNY/kW / 5 m2/kW = 500 CNY/m2.
    assert_close("capex per m2", c.capex_per_unit, 500.0, 1e-12);
    // W (3.26) = 1000 kWh/m2 * 0.2 * 0.8 = 160 kWh/m2/yr.
    // E (3.24) = 160 * 0.5 / 1000 = 0.08 t/m2/yr.
    assert_close("co2 per m2", c.co2_per_unit, 0.08, 1e-12);
    // INC (3.25) = (0.4 + 100 * 0.0005 - 0.02) * 160 = 0.43 * 160 = 68.8 CNY/m2/yr.
    assert_close("income per m2", c.income_per_unit, 68.8, 1e-12);
    assert_eq!(c.capex_fixed, 0.0);

    // 1000 m2: capex 500,000; income 68,800; benefit 68,800 - 50,000 = 18,800; CO2 80 t.
    let ev = plan(&opts, &[(i, 1000.0)]).evaluate(&opts);
    let r = &ev.items[0];
    assert_close("capex", r.capex, 500_000.0, 1e-12);
    assert_close("income", r.annual_income, 68_800.0, 1e-12);
    assert_close("benefit", r.annual_benefit, 18_800.0, 1e-12);
    assert_close("co2", r.annual_co2_reduction, 80.0, 1e-12);
}

#[test]
fn pv_paper_case_coefficients() {
    let opts = compile(&literature_case());
    let c = opts.items[item(&opts, 3, Strategy::Pv, 1)].coef;
    // Capex = 3500 / 6.2 = 564.51612903 CNY/m2.
    assert_close("capex per m2", c.capex_per_unit, 564.51612903, 1e-9);
    // W = 1350 * 0.1613 * 0.82 = 178.5591 kWh/m2/yr; E = 178.5591 * 0.5703 / 1000 = 0.10183225473 t.
    assert_close("co2 per m2", c.co2_per_unit, 0.10183225473, 1e-9);
    // INC = (0.4153 + 59 * 0.0005703 - 0.04) * 178.5591 = (0.4153 + 0.0336477 - 0.04) * 178.5591
    //     = 0.4089477 * 178.5591 = 73.021333259 CNY/m2/yr.
    assert_close("income per m2", c.income_per_unit, 73.021333259, 1e-9);
}

// ---------------------------------------------------------------------------
// alpha (eq. 3.1)

#[test]
fn alpha_capital_recovery_factor_or_given() {
    let regions = r#"
[[region]]
id = 1
name = "Factory"
land = "factory"
whr = { max_kw = 100, techs = [1] }
"#;
    // 8 %, 20 yr: 1.08^20 = 4.6609571438; CRF = 0.08 * 4.6609571438 / 3.6609571438 = 0.10185220882.
    let mut p = park_edited("alpha = 0.1", "discount_rate = 0.08", regions);
    p.set_param("service_life", 20.0).unwrap();
    let opts = compile(&p);
    assert_close("CRF(8 %, 20 yr)", opts.alpha, 0.10185220882, 1e-10);
    // WHR 1 at 100 kW: capex 100,000; income 850 * 100 = 85,000 (T does not enter WHR);
    // benefit = 85,000 - 0.10185220882 * 100,000 = 85,000 - 10,185.220882 = 74,814.779118.
    let ev = plan(&opts, &[(item(&opts, 1, Strategy::Whr, 1), 100.0)]).evaluate(&opts);
    assert_close("income", ev.totals.annual_income, 85_000.0, 1e-12);
    assert_close("benefit", ev.totals.annual_benefit, 74_814.779118, 1e-10);

    // 8 %, 10 yr: 1.08^10 = 2.1589249973; CRF = 0.08 * 2.1589249973 / 1.1589249973 = 0.14902948869.
    let opts = compile(&park_edited("alpha = 0.1", "discount_rate = 0.08", regions));
    assert_close("CRF(8 %, 10 yr)", opts.alpha, 0.14902948869, 1e-10);

    // Rate 0: straight-line, 1 / T = 1 / 10 = 0.1.
    let opts = compile(&park_edited("alpha = 0.1", "discount_rate = 0", regions));
    assert_close("CRF(0, 10 yr)", opts.alpha, 0.1, 1e-12);

    // alpha given directly.
    let opts = compile(&park_edited("alpha = 0.1", "alpha = 0.125", regions));
    assert_close("given alpha", opts.alpha, 0.125, 1e-15);
    // benefit = 85,000 - 0.125 * 100,000 = 72,500.
    let ev = plan(&opts, &[(item(&opts, 1, Strategy::Whr, 1), 100.0)]).evaluate(&opts);
    assert_close(
        "benefit at alpha 0.125",
        ev.totals.annual_benefit,
        72_500.0,
        1e-12,
    );
    // Objective::Economic of the same plan is that benefit too.
    let p = plan(&opts, &[(item(&opts, 1, Strategy::Whr, 1), 100.0)]);
    assert_close(
        "economic objective",
        p.objective(&opts, Objective::Economic),
        72_500.0,
        1e-12,
    );
    assert_close(
        "carbon objective",
        p.objective(&opts, Objective::Carbon),
        50.0,
        1e-12,
    );

    // The paper case discounts at 8 % over 20 yr.
    assert_close(
        "paper alpha",
        compile(&Park::paper_case()).alpha,
        0.10185220882,
        1e-10,
    );
}

// ---------------------------------------------------------------------------
// Objectives and constraints with the exact solver

const BUDGET_FILL: &str = r#"
[[region]]
id = 1
name = "Factory A"
land = "factory"
whr = { max_kw = 100, techs = [1] }

[[region]]
id = 2
name = "Factory B"
land = "factory"
whr = { max_kw = 400, techs = [3] }

[[region]]
id = 3
name = "Roof"
land = "rooftop"
pv = { max_m2 = 1000 }
"#;

#[test]
fn budget_binds_with_a_continuous_fill_by_benefit_per_cny() {
    // Benefit per CNY: WHR 1 750/1000 = 0.75; WHR 3 370/1500 = 0.24667; PV 18.8/500 = 0.0376.
    // Full costs: WHR 1 100 kW * 1000 = 100,000; WHR 3 400 kW * 1500 = 600,000; PV 1000 m2 * 500 = 500,000.
    let mut p = park(BUDGET_FILL);
    p.set_param("capex_cap", 400_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    // 400,000: WHR 1 full (100,000 -> 75,000); the other 300,000 buy 300,000 / 1500 = 200 kW of
    // WHR 3 (-> 200 * 370 = 74,000); nothing left for PV. Value 75,000 + 74,000 = 149,000.
    assert_builds(
        &opts,
        &sol.plan,
        &[(1, Strategy::Whr, 1, 100.0), (2, Strategy::Whr, 3, 200.0)],
    );
    assert_close("value at 400k", sol.value, 149_000.0, 1e-9);
    assert_close("capex at 400k", sol.plan.capex(&opts), 400_000.0, 1e-9);
    // Without minimums or fixed costs the LP relaxation is exact.
    assert_close(
        "LP bound at 400k",
        upper_bound(&opts, Objective::Economic),
        149_000.0,
        1e-9,
    );

    // 900,000: WHR 1 full (100,000), WHR 3 full (600,000 -> 148,000), PV with 200,000:
    // 200,000 / 500 = 400 m2 -> 400 * 18.8 = 7,520. Value 75,000 + 148,000 + 7,520 = 230,520.
    p.set_param("capex_cap", 900_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(
        &opts,
        &sol.plan,
        &[
            (1, Strategy::Whr, 1, 100.0),
            (2, Strategy::Whr, 3, 400.0),
            (3, Strategy::Pv, 1, 400.0),
        ],
    );
    assert_close("value at 900k", sol.value, 230_520.0, 1e-9);
    let ev = sol.plan.evaluate(&opts);
    assert_close("capex at 900k", ev.totals.capex, 900_000.0, 1e-9);
    // CO2: 100 * 0.5 + 400 * 2.0 + 400 * 0.08 = 50 + 800 + 32 = 882 t/yr.
    assert_close("co2 at 900k", ev.totals.annual_co2_reduction, 882.0, 1e-9);
}

#[test]
fn plan_check_rejects_over_budget_and_over_cap() {
    let mut p = park(BUDGET_FILL);
    p.set_param("capex_cap", 400_000.0).unwrap();
    let opts = compile(&p);
    let w1 = item(&opts, 1, Strategy::Whr, 1);
    let w3 = item(&opts, 2, Strategy::Whr, 3);
    let pv = item(&opts, 3, Strategy::Pv, 1);
    // 100 kW + 200 kW: 100,000 + 300,000 = 400,000 = the cap: feasible.
    plan(&opts, &[(w1, 100.0), (w3, 200.0)])
        .check(&opts)
        .unwrap();
    // 100 kW + 200 kW + 1 m2 PV: 400,000 + 500 = 400,500 > 400,000.
    match plan(&opts, &[(w1, 100.0), (w3, 200.0), (pv, 1.0)]).check(&opts) {
        Err(Infeasible::Budget { capex, cap }) => {
            assert_close("capex", capex, 400_500.0, 1e-12);
            assert_eq!(cap, 400_000.0);
        }
        other => panic!("expected a budget violation, got {other:?}"),
    }
    // 101 kW of WHR 1 in a 100 kW slot (capex 101,000, within budget).
    match plan(&opts, &[(w1, 101.0)]).check(&opts) {
        Err(Infeasible::Capacity { capacity, hi, .. }) => {
            assert_eq!(capacity, 101.0);
            assert_eq!(hi, 100.0);
        }
        other => panic!("expected a capacity violation, got {other:?}"),
    }

    // CCU below its minimum of 1000 t/a.
    let opts = compile(&park(
        r#"
[[region]]
id = 1
name = "Factory"
land = "factory"
ccu = { max_t_per_yr = 5000 }
"#,
    ));
    let ccu = item(&opts, 1, Strategy::Ccu, 1);
    plan(&opts, &[(ccu, 1000.0)]).check(&opts).unwrap();
    match plan(&opts, &[(ccu, 999.0)]).check(&opts) {
        Err(Infeasible::Capacity { lo, .. }) => assert_eq!(lo, 1000.0),
        other => panic!("expected a capacity violation, got {other:?}"),
    }
}

#[test]
fn fcs_and_pv_exclusive_on_one_empty_lot() {
    let regions = r#"
[[region]]
id = 1
name = "Lot"
land = "empty_lot"
fcs = { max_ha = 1 }
pv = { max_ha = 1 }

[[region]]
id = 2
name = "Factory"
land = "factory"
whr = { max_kw = 100, techs = [1] }
"#;
    let mut p = park(regions);
    let opts = compile(&p);
    // Eq. 3.27: FCS and PV of the lot are one group of two options.
    let fcs = item(&opts, 1, Strategy::Fcs, 1);
    let pv = item(&opts, 1, Strategy::Pv, 1);
    assert_eq!(opts.groups.len(), 2);
    let lot = opts.groups.iter().find(|g| g.items.contains(&fcs)).unwrap();
    assert!(lot.items.contains(&pv) && lot.items.len() == 2);

    // Budget 6,000,000: both full would fit (PV 10,000 m2 * 500 = 5,000,000; FCS 125,000;
    // WHR 100,000) and be worth 188,000 + 6,779.56 + 75,000. Only one may use the lot:
    // PV 10,000 * 18.8 = 188,000 beats FCS 6,779.561343, so 188,000 + 75,000 = 263,000.
    p.set_param("capex_cap", 6_000_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(
        &opts,
        &sol.plan,
        &[(1, Strategy::Pv, 1, 10_000.0), (2, Strategy::Whr, 1, 100.0)],
    );
    assert_close("value at 6M", sol.value, 263_000.0, 1e-9);
    // The LP relaxation cannot mix both either (one group): the bound is exact here too.
    assert_close(
        "LP bound at 6M",
        upper_bound(&opts, Objective::Economic),
        263_000.0,
        1e-9,
    );

    // Budget 250,000: WHR 1 full (100,000 -> 75,000) leaves 150,000 for the lot:
    //   PV: 150,000 / 500 = 300 m2 -> 300 * 18.8 = 5,640
    //   FCS 1 ha: 125,000 -> 6,779.561343 (the 25,000 left cannot buy PV on the same lot)
    // FCS wins: 75,000 + 6,779.561343 = 81,779.561343.
    p.set_param("capex_cap", 250_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(
        &opts,
        &sol.plan,
        &[
            (1, Strategy::Fcs, 1, 10_000.0),
            (2, Strategy::Whr, 1, 100.0),
        ],
    );
    assert_close("value at 250k", sol.value, 81_779.561343, 1e-9);
    assert_close("capex at 250k", sol.plan.capex(&opts), 225_000.0, 1e-9);
}

#[test]
fn ccu_minimum_capacity_trade_off() {
    let regions = r#"
[[region]]
id = 1
name = "Factory with a stack"
land = "factory"
ccu = { max_t_per_yr = 5000 }

[[region]]
id = 2
name = "Factory with waste heat"
land = "factory"
whr = { max_kw = 500, techs = [1] }
"#;
    // WHR 1: 1000 CNY/kW, 750 CNY/yr per kW (0.75 per CNY); 500 kW cost 500,000.
    // CCU: 1000 CNY per t/a, 284.8 CNY/yr per t/a (0.2848 per CNY); at least 1000 t/a = 1,000,000.
    // With budget B, the two candidate plans are
    //   (a) WHR 500 kW, no CCU (B - 500,000 < 1,000,000 is left idle): 500 * 750 = 375,000
    //   (b) CCU 1000 t/a and WHR on the rest, (B - 1,000,000) / 1000 kW:
    //       284,800 + (B - 1,000,000) / 1000 * 750
    // (CCU above its minimum is never better than WHR, whose benefit per CNY is higher.)
    let mut p = park(regions);

    // B = 1,100,000: (b) = 284,800 + 100 * 750 = 359,800 < 375,000: (a).
    p.set_param("capex_cap", 1_100_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(&opts, &sol.plan, &[(2, Strategy::Whr, 1, 500.0)]);
    assert_close("value at 1.1M", sol.value, 375_000.0, 1e-9);
    // LP relaxation: WHR full (375,000) then 600,000 CNY of fractional CCU at 0.2848:
    // 375,000 + 170,880 = 545,880, strictly above the optimum.
    assert_close(
        "LP bound at 1.1M",
        upper_bound(&opts, Objective::Economic),
        545_880.0,
        1e-9,
    );

    // B = 1,200,000: (b) = 284,800 + 200 * 750 = 434,800 > 375,000: shrink WHR to 200 kW.
    p.set_param("capex_cap", 1_200_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(
        &opts,
        &sol.plan,
        &[(1, Strategy::Ccu, 1, 1000.0), (2, Strategy::Whr, 1, 200.0)],
    );
    assert_close("value at 1.2M", sol.value, 434_800.0, 1e-9);

    // B = 1,120,000 is just on the (a) side: (b) = 284,800 + 120 * 750 = 374,800 < 375,000.
    p.set_param("capex_cap", 1_120_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(&opts, &sol.plan, &[(2, Strategy::Whr, 1, 500.0)]);
    assert_close("value at 1.12M", sol.value, 375_000.0, 1e-9);

    // B = 990,000 with nothing else to build: CCU cannot reach 1000 t/a, the optimum is empty.
    let mut only_ccu = park(
        r#"
[[region]]
id = 1
name = "Factory with a stack"
land = "factory"
ccu = { max_t_per_yr = 5000 }
"#,
    );
    only_ccu.set_param("capex_cap", 990_000.0).unwrap();
    let opts = compile(&only_ccu);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(&opts, &sol.plan, &[]);
    assert_eq!(sol.value, 0.0);
}

#[test]
fn techs_restriction_in_a_region() {
    let park = park(
        r#"
[[region]]
id = 1
name = "Any WHR"
land = "factory"
whr = { max_kw = 100 }

[[region]]
id = 2
name = "No chiller"
land = "factory"
whr = { max_kw = 100, techs = [2, 3] }
"#,
    );
    let opts = compile(&park);
    let techs = |region_id: u32| -> Vec<u32> {
        opts.items
            .iter()
            .filter(|it| it.region_id == region_id)
            .map(|it| it.tech)
            .collect()
    };
    assert_eq!(techs(1), vec![1, 2, 3, 4]);
    assert_eq!(techs(2), vec![2, 3]);
    // Budget 1,000,000 is ample. Per 100 kW: WHR 1 75,000 (100,000 CNY), WHR 2 20,000,
    // WHR 3 37,000 (150,000 CNY), WHR 4 17,250. Region 1 takes WHR 1; region 2, without it,
    // WHR 3. Value 75,000 + 37,000 = 112,000 (unrestricted it would be 150,000).
    let sol = solve(&opts, Objective::Economic);
    assert_builds(
        &opts,
        &sol.plan,
        &[(1, Strategy::Whr, 1, 100.0), (2, Strategy::Whr, 3, 100.0)],
    );
    assert_close("value", sol.value, 112_000.0, 1e-9);
}

#[test]
fn fcs_development_cost_makes_small_forests_not_worth_it() {
    let regions = r#"
[[region]]
id = 1
name = "Small lot"
land = "empty_lot"
fcs = { max_ha = 0.5 }

[[region]]
id = 2
name = "Larger lot"
land = "empty_lot"
fcs = { max_ha = 1 }
"#;
    // FCS benefit 1.6779561343 CNY/yr per m2, minus 0.1 * 100,000 = 10,000 CNY/yr once built:
    //   0.5 ha: 1.6779561343 * 5000 - 10,000 = 8,389.780672 - 10,000 = -1,610.219328 (not built)
    //   1 ha:   1.6779561343 * 10,000 - 10,000 = 6,779.561343
    // (break-even 10,000 / 1.6779561343 = 5,959.6 m2). Budget 1,000,000 is ample.
    let opts = compile(&park(regions));
    let sol = solve(&opts, Objective::Economic);
    assert_builds(&opts, &sol.plan, &[(2, Strategy::Fcs, 1, 10_000.0)]);
    assert_close("value", sol.value, 6_779.561343, 1e-9);

    // The carbon objective ignores the development cost and plants both:
    // 0.0032965053074 * (5000 + 10,000) = 16.482526537 + 32.965053074 = 49.447579611 t/yr.
    let sol = solve(&opts, Objective::Carbon);
    assert_builds(
        &opts,
        &sol.plan,
        &[
            (1, Strategy::Fcs, 1, 5000.0),
            (2, Strategy::Fcs, 1, 10_000.0),
        ],
    );
    assert_close("carbon value", sol.value, 49.447579611, 1e-9);

    // Without a development cost both lots pay:
    // 1.6779561343 * 15,000 = 25,169.342015.
    let opts = compile(&park_edited(
        "project_development_cost = 100_000",
        "project_development_cost = 0",
        regions,
    ));
    let sol = solve(&opts, Objective::Economic);
    assert_builds(
        &opts,
        &sol.plan,
        &[
            (1, Strategy::Fcs, 1, 5000.0),
            (2, Strategy::Fcs, 1, 10_000.0),
        ],
    );
    assert_close(
        "value without development cost",
        sol.value,
        25_169.342015,
        1e-9,
    );

    // A large lot under a small budget: capex = 100,000 + 2.5 A.
    let big = r#"
[[region]]
id = 1
name = "Big lot"
land = "empty_lot"
fcs = { max_ha = 13 }
"#;
    let mut p = park(big);
    // 110,000: A = 10,000 / 2.5 = 4000 m2 -> 1.6779561343 * 4000 - 10,000 = -3,288.175463: nothing.
    p.set_param("capex_cap", 110_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(&opts, &sol.plan, &[]);
    assert_eq!(sol.value, 0.0);
    // 200,000: A = 100,000 / 2.5 = 40,000 m2 -> 67,118.245372 - 10,000 = 57,118.245372.
    p.set_param("capex_cap", 200_000.0).unwrap();
    let opts = compile(&p);
    let sol = solve(&opts, Objective::Economic);
    assert_builds(&opts, &sol.plan, &[(1, Strategy::Fcs, 1, 40_000.0)]);
    assert_close("value at 200k", sol.value, 57_118.245372, 1e-9);
}

#[test]
fn carbon_objective_chooses_another_technology() {
    let mut p = park(
        r#"
[[region]]
id = 1
name = "Factory with waste heat"
land = "factory"
whr = { max_kw = 200, techs = [1, 3] }

[[region]]
id = 2
name = "Factory with a stack"
land = "factory"
ccu = { max_t_per_yr = 5000 }
"#,
    );
    p.set_param("capex_cap", 1_500_000.0).unwrap();
    let opts = compile(&p);
    // Per CNY: benefit WHR 1 0.75, CCU 0.2848, WHR 3 0.24667;
    //          CO2 WHR 3 2.0/1500 = 0.0013333, CCU 0.848/1000 = 0.000848, WHR 1 0.5/1000 = 0.0005.
    //
    // Economic, budget 1,500,000:
    //   WHR 1 200 kW (200,000 -> 150,000) + CCU 1,300,000 / 1000 = 1300 t/a (-> 370,240) = 520,240
    //   WHR 3 200 kW (300,000 -> 74,000) + CCU 1200 t/a (-> 341,760) = 415,760
    //   CCU 1500 t/a alone: 427,200
    let sol = solve(&opts, Objective::Economic);
    assert_builds(
        &opts,
        &sol.plan,
        &[(1, Strategy::Whr, 1, 200.0), (2, Strategy::Ccu, 1, 1300.0)],
    );
    assert_close("economic value", sol.value, 520_240.0, 1e-9);
    // Carbon:
    //   WHR 3 200 kW (300,000 -> 400 t) + CCU 1200 t/a (-> 1017.6 t) = 1417.6 t
    //   WHR 1 200 kW (200,000 -> 100 t) + CCU 1300 t/a (-> 1102.4 t) = 1202.4 t
    //   CCU 1500 t/a alone: 1272 t
    let sol = solve(&opts, Objective::Carbon);
    assert_builds(
        &opts,
        &sol.plan,
        &[(1, Strategy::Whr, 3, 200.0), (2, Strategy::Ccu, 1, 1200.0)],
    );
    assert_close("carbon value", sol.value, 1417.6, 1e-9);
    // Its economic benefit: 74,000 + 341,760 = 415,760.
    assert_close(
        "benefit of the carbon plan",
        sol.plan.evaluate(&opts).totals.annual_benefit,
        415_760.0,
        1e-9,
    );
}

// ---------------------------------------------------------------------------
// The paper case with literature values (parks/paper-case-literature.toml)

// Per-unit numbers of the literature case at alpha = CRF(8 %, 20 yr) = 0.10185220882:
//
// WHR 1 (per kW): P = 0.7 * 8000 = 5600 kWh; E = 5600 / 3.5 * 0.0005703 = 0.91248 t;
//   INC = (0.214 - 0.01) * 5600 + 59 * 0.91248 = 1142.4 + 53.83632 = 1196.23632;
//   benefit = 1196.23632 - 0.10185220882 * 1035.4 = 1196.23632 - 105.45777702 = 1090.7785430.
// WHR 3 (per kW): P = 1.7 * 8000 = 13,600 kWh; E = 13,600 / 0.85 * 0.000202 = 3.232 t.
// CCU (per t/a): E_add = 0.13 * 0.5703 + 3.5 * 0.11 + 2 * 0.000168 = 0.074139 + 0.385 + 0.000336
//   = 0.459475; E = 0.540525 t; Π_Op = 394 + 1.2 * 80 = 490;
//   INC = 700 - 490 - 24 + 59 * 0.540525 = 186 + 31.890975 = 217.890975;
//   benefit = 217.890975 - 0.10185220882 * 1189.77 = 217.890975 - 121.18070249 = 96.710272508.
// PV (per m2): capex 3500 / 6.2 = 564.51612903; INC 73.021333259 (see pv_paper_case_coefficients);
//   benefit = 73.021333259 - 0.10185220882 * 564.51612903 = 73.021333259 - 57.497214658 = 15.524118601.

#[test]
fn literature_case_economic_optimum_at_20m() {
    let park = literature_case();
    assert_eq!(park.economics.capex_cap_cny, 20e6);
    let opts = compile(&park);
    let sol = solve(&opts, Objective::Economic);
    // WHR 1 everywhere at full capacity: 2000 + 1300 + 600 = 3900 kW, 3900 * 1035.4 = 4,038,060 CNY.
    // CCU in region 4 with the rest: (20,000,000 - 4,038,060) / 1189.77 = 15,961,940 / 1189.77
    //   = 13,415.987964 t/a (above the 1000 t/a minimum, below the 20,000 t/a cap).
    assert_builds(
        &opts,
        &sol.plan,
        &[
            (4, Strategy::Ccu, 1, 13_415.987964),
            (4, Strategy::Whr, 1, 2000.0),
            (5, Strategy::Whr, 1, 1300.0),
            (6, Strategy::Whr, 1, 600.0),
        ],
    );
    // Value = 3900 * 1090.7785430 + 13,415.987964 * 96.710272508
    //       = 4,254,036.3176 + 1,297,463.8520 = 5,551,500.1696 CNY/yr.
    assert_close("value", sol.value, 5_551_500.169_6, 1e-9);
    let ev = sol.plan.evaluate(&opts);
    assert_close("capex", ev.totals.capex, 20e6, 1e-9);
    // CO2 = 3900 * 0.91248 + 13,415.987964 * 0.540525 = 3558.672 + 7251.6768943 = 10,810.348894 t/yr.
    assert_close("co2", ev.totals.annual_co2_reduction, 10_810.348894, 1e-9);
}

#[test]
fn literature_case_carbon_optimum_at_20m() {
    let opts = compile(&literature_case());
    let sol = solve(&opts, Objective::Carbon);
    // WHR 3 at full capacity: 3900 kW * 1531.1 = 5,971,290 CNY.
    // CCU with the rest: (20,000,000 - 5,971,290) / 1189.77 = 14,028,710 / 1189.77 = 11,791.110887 t/a.
    assert_builds(
        &opts,
        &sol.plan,
        &[
            (4, Strategy::Ccu, 1, 11_791.110887),
            (4, Strategy::Whr, 3, 2000.0),
            (5, Strategy::Whr, 3, 1300.0),
            (6, Strategy::Whr, 3, 600.0),
        ],
    );
    // CO2 = 3900 * 3.232 + 11,791.110887 * 0.540525 = 12,604.8 + 6,373.3902122 = 18,978.190212 t/yr.
    assert_close("value", sol.value, 18_978.190212, 1e-9);
}

#[test]
fn literature_case_economic_optimum_at_5m() {
    let mut park = literature_case();
    park.set_param("capex_cap", 5e6).unwrap();
    let opts = compile(&park);
    let sol = solve(&opts, Objective::Economic);
    // WHR 1 full: 4,038,060 CNY; left: 5,000,000 - 4,038,060 = 961,940 CNY, below the
    // 1000 * 1189.77 = 1,189,770 CNY of the smallest CCU. The rest goes to PV:
    // 961,940 / (3500 / 6.2) = 961,940 * 6.2 / 3500 = 1704.008 m2 (spread over any PV regions;
    // they all have the same coefficients).
    let got = built(&opts, &sol.plan);
    let whr: Vec<_> = got
        .iter()
        .filter(|b| b.1 == Strategy::Whr)
        .map(|b| (b.0, b.2, b.3))
        .collect();
    assert_eq!(whr, vec![(4, 1, 2000.0), (5, 1, 1300.0), (6, 1, 600.0)]);
    assert!(
        got.iter()
            .all(|b| b.1 == Strategy::Whr || b.1 == Strategy::Pv),
        "only WHR and PV expected: {got:?}"
    );
    let pv: f64 = got
        .iter()
        .filter(|b| b.1 == Strategy::Pv)
        .map(|b| b.3)
        .sum();
    assert_close("PV area", pv, 1704.008, 1e-9);
    // Value = 3900 * 1090.7785430 + 1704.008 * 15.524118601 = 4,254,036.3176 + 26,453.222289
    //       = 4,280,489.5399 CNY/yr.
    assert_close("value", sol.value, 4_280_489.539_9, 1e-9);
}
