//! Negative-emission technologies (DAC, BECCS, biochar), the `[energy]`
//! baseline with its hourly profile, the ledger (energy balance per carrier,
//! carbon ledger, KPIs), `[[scenario]]` and `compare` (docs/energy-and-nets.md).
//!
//! The hand-worked tests write every expected number out from the input numbers
//! (python3 used only as a calculator); no expected value is obtained by calling
//! parkplan. The property test checks the ledger's identities on random parks
//! and random plans, and recomputes every NET coefficient from the spec's
//! formula.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use parkplan::analysis::compare;
use parkplan::analysis::ledger::{CarrierBalance, Ledger, ledger};
use parkplan::model::{Item, Objective, Options, flows};
use parkplan::park::profile::parse_csv;
use parkplan::park::{LoadError, ParkError, Problem, Strategy, to_toml};
use parkplan::plan::{Built, Plan};
use parkplan::{Park, compile};
use proptest::prelude::{ProptestConfig, prop, prop_assert, proptest};

// ---------------------------------------------------------------------------
// A small park with round numbers.
//
// Economics as tests/model_hand.rs: ETS 100 CNY/t, alpha 0.1 /yr, T = 10 yr,
// CO2 trucked 50 km, grid 0.5 t/MWh, gas 0.2 t/MWh, steam 0.1 t/GJ, water
// 0.001 t/t, chiller COP 4, boiler efficiency 0.8.
//
// Energy: electricity 600 CNY/MWh, gas 250 CNY/MWh (heat at 250 / 0.8 = 312.5
// CNY/MWh); today 10,000 MWh electricity, 8,000 MWh heat, 2,000 MWh cooling;
// generated profile with a day load 1.3 times the night load.
//
// Today (the same for every test of this park):
//   grid import  = 10,000 + 2,000 / 4 = 10,500 MWh
//   boiler gas   = 8,000 / 0.8 = 10,000 MWh
//   emissions    = 10,500 x 0.5 + 10,000 x 0.2 = 5,250 + 2,000 = 7,250 t
//   services     = 10,000 + 8,000 + 2,000 = 20,000 MWh; input 10,500 + 10,000 = 20,500
//   load profile: 12 h at 1.3 and 12 h at 1 a day, 365 days: sum 365 x 27.6 = 10,074;
//   the peak hour holds 1.3 / 10,074 of the annual load.

const HEAD: &str = r#"
[park]
name = "NET hand-check park"

[economics]
capex_cap = 1_000_000_000
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

/// The paper's four tables are required; one technology each.
const PAPER_CATALOGUE: &str = r#"
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
name = "Heat pump"
capex = 1500
efficiency = 1.6
output = "heat"
price = 0.05
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

const NET_CATALOGUE: &str = r#"
[[dac.tech]]
code = 1
name = "Solid sorbent DAC"
capex = 5000
fixed_opex = 0.04
variable_opex = 30
min_capacity = 100
flexible_share = 0.5
electricity_use = 0.5
heat_use = 1.5
gas_use = 0.2
transport_cost = 1
storage_cost = 80
permanence = 0.99

[[beccs.tech]]
code = 1
name = "Biomass CHP with capture"
capex = 8000
fixed_opex = 0.03
variable_opex = 20
min_capacity = 0
flexible_share = 0.2
capture_rate = 0.9
biomass_ef = 0.4
electric_efficiency = 0.25
heat_efficiency = 0.5
capture_electricity = 0.3
capture_heat = 0.8
biomass_lhv = 5
biomass_price = 300
biomass_supply_ef = 0.05
transport_cost = 1
storage_cost = 80
permanence = 1

[[biochar.tech]]
code = 1
name = "Slow pyrolysis"
capex = 1500
fixed_opex = 0.05
variable_opex = 40
min_capacity = 0
flexible_share = 0
biochar_yield = 0.3
carbon_content = 0.8
permanence = 0.75
electricity_use = 0.1
heat_use = 0.2
heat_output = 0.6
biomass_lhv = 4.5
biomass_price = 200
biomass_supply_ef = 0.04
biochar_price = 1200
"#;

const ENERGY: &str = r#"
[energy]
electricity_price = 600
gas_price = 250
electricity_demand = 10_000
heat_demand = 8_000
cooling_demand = 2_000

[energy.profile]
day_load_factor = 1.3
"#;

fn load(text: &str) -> Park {
    Park::from_toml(text, "net.toml").unwrap_or_else(|e| panic!("test park rejected: {e}"))
}

/// The round-number park with the given `[[region]]` tables (and anything else appended).
fn park(regions: &str) -> Park {
    load(&park_text(regions))
}

fn park_text(regions: &str) -> String {
    format!("{HEAD}{PAPER_CATALOGUE}{NET_CATALOGUE}{ENERGY}{regions}")
}

/// `text` with the single occurrence of `old` replaced by `new`.
fn edit_text(text: &str, old: &str, new: &str) -> String {
    let n = text.matches(old).count();
    assert_eq!(n, 1, "{old:?} occurs {n} times in the text to edit");
    text.replacen(old, new, 1)
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

/// The only item of the compiled park.
fn only_item(opts: &Options) -> &Item {
    assert_eq!(opts.items.len(), 1, "{:?}", opts.items);
    assert_eq!(opts.groups.len(), 1);
    &opts.items[0]
}

/// The plan building the only item at `capacity`.
fn build_only(opts: &Options, capacity: f64) -> Plan {
    assert_eq!(opts.groups.len(), 1);
    Plan {
        choice: vec![Some(Built { item: 0, capacity })],
    }
}

fn carrier<'a>(l: &'a Ledger, name: &str) -> &'a CarrierBalance {
    l.energy
        .as_ref()
        .expect("a baseline")
        .iter()
        .find(|c| c.carrier == name)
        .unwrap_or_else(|| panic!("no carrier {name}"))
}

/// Value of the line `label` (0 if absent).
fn line_value(lines: &[parkplan::analysis::ledger::Line], label: &str) -> f64 {
    lines
        .iter()
        .filter(|l| l.label == label)
        .map(|l| l.value)
        .sum()
}

/// Checks a carrier's uses and supplies line by line (absent lines count 0, and
/// no other line may be non-zero) and that it closes.
fn assert_carrier(l: &Ledger, name: &str, uses: &[(&str, f64)], supplies: &[(&str, f64)]) {
    let c = carrier(l, name);
    for (side, lines, expected) in [("use", &c.uses, uses), ("supply", &c.supplies, supplies)] {
        for (label, v) in expected {
            assert_close(
                &format!("{name} {side} {label:?}"),
                line_value(lines, label),
                *v,
                1e-9,
            );
        }
        for line in lines.iter() {
            assert!(
                line.value == 0.0 || expected.iter().any(|(k, _)| *k == line.label),
                "{name}: unexpected {side} line {line:?}"
            );
        }
    }
    let total: f64 = uses.iter().map(|x| x.1).sum();
    assert_close(&format!("{name} total use"), c.total_use, total, 1e-9);
    assert_close(&format!("{name} total supply"), c.total_supply, total, 1e-9);
}

// ---------------------------------------------------------------------------
// DAC

#[test]
fn dac_coefficients_flows_plan_and_ledger_by_hand() {
    let park = park(
        r#"
[[region]]
id = 1
name = "Lot"
land = "empty_lot"
dac = { max_t_per_yr = 5000 }
"#,
    );
    let opts = compile(&park);
    let it = only_item(&opts);
    assert_eq!((it.strategy, it.tech, it.region_id), (Strategy::Dac, 1, 1));
    // Bounds: the tech's min_capacity 100 t/a, the slot's cap 5,000 t/a.
    assert_eq!((it.lo, it.hi), (100.0, 5000.0));

    // Flows per t captured: electricity 0.5 MWh (flexible 0.5 x 0.5 = 0.25),
    // heat 1.5 MWh, gas 0.2 MWh, stored permanence 0.99 t.
    let f = &flows(&park, it);
    assert_close("el in", f.electricity_in_mwh, 0.5, 1e-12);
    assert_close("heat in", f.heat_in_mwh, 1.5, 1e-12);
    assert_close("gas in", f.gas_in_mwh, 0.2, 1e-12);
    assert_close("removed", f.removed_t, 0.99, 1e-12);
    assert_close("flexible", f.flexible_electricity_mwh, 0.25, 1e-12);
    assert_eq!(
        (
            f.electricity_out_mwh,
            f.heat_out_mwh,
            f.biomass_in_t,
            f.utilized_t
        ),
        (0.0, 0.0, 0.0, 0.0)
    );

    // Auxiliary: 0.5 x 0.5 (grid) + 1.5 / 0.8 x 0.2 (boiler gas) + 0.2 x 0.2 (gas)
    //          = 0.25 + 0.375 + 0.04 = 0.665 t
    // E = 0.99 - 0.665 = 0.325 t/t
    let co2 = 0.99 - (0.5 * 0.5 + 1.5 / 0.8 * 0.2 + 0.2 * 0.2);
    assert_close("0.325", co2, 0.325, 1e-12);
    // Energy: -0.5 x 600 - 1.5 x 250 / 0.8 - 0.2 x 250 = -300 - 468.75 - 50 = -818.75 CNY
    // Transport and storage per t captured: 1 x 50 + 80 = 130 CNY
    // INC = -818.75 - 30 (variable) - 130 - 0.04 x 5000 + 100 x 0.325
    //     = -818.75 - 30 - 130 - 200 + 32.5 = -1146.25 CNY per t/a
    let c = it.coef;
    assert_close("capex", c.capex_per_unit, 5000.0, 1e-9);
    assert_eq!(c.capex_fixed, 0.0);
    assert_close("income", c.income_per_unit, -1146.25, 1e-9);
    assert_close("co2", c.co2_per_unit, 0.325, 1e-9);

    // 2,000 t/a: capex 10 M CNY, income -2,292,500, benefit -2,292,500 - 0.1 x 10 M
    // = -3,292,500 CNY/yr, CO2 650 t/yr.
    let plan = build_only(&opts, 2000.0);
    plan.check(&opts).expect("feasible");
    let ev = plan.evaluate(&opts);
    assert_close("plan capex", ev.totals.capex, 10_000_000.0, 1e-9);
    assert_close("plan income", ev.totals.annual_income, -2_292_500.0, 1e-9);
    assert_close("plan benefit", ev.totals.annual_benefit, -3_292_500.0, 1e-9);
    assert_close("plan co2", ev.totals.annual_co2_reduction, 650.0, 1e-9);

    // Ledger: removed 0.99 x 2000 = 1980, auxiliary 0.665 x 2000 = 1330, net 650.
    let l = ledger(&park, &opts, &plan);
    let t = l.carbon.totals;
    assert_close("avoided", t.avoided, 0.0, 1e-9);
    assert_close("utilized", t.utilized, 0.0, 1e-9);
    assert_close("removed", t.removed, 1980.0, 1e-9);
    assert_close("auxiliary", t.auxiliary, 1330.0, 1e-9);
    assert_close("net", t.net, 650.0, 1e-9);
    // Electricity 1,000 MWh, heat 3,000 MWh, gas 400 MWh for DAC. No generation, so
    // every hour imports: 10,000 + 500 (chillers) + 1,000 = 11,500 MWh.
    assert_carrier(
        &l,
        "electricity",
        &[
            ("baseline demand", 10_000.0),
            ("electric chillers", 500.0),
            ("DAC", 1000.0),
            ("export to the grid", 0.0),
        ],
        &[("grid import", 11_500.0)],
    );
    // Heat: 8,000 + 3,000 from boilers; gas 11,000 / 0.8 = 13,750 + 400 direct.
    assert_carrier(
        &l,
        "heat",
        &[("baseline demand", 8000.0), ("DAC (process heat)", 3000.0)],
        &[("gas boilers", 11_000.0)],
    );
    assert_carrier(
        &l,
        "natural_gas",
        &[("gas boilers", 13_750.0), ("DAC (burned directly)", 400.0)],
        &[("purchase", 14_150.0)],
    );
    assert_carrier(
        &l,
        "cooling",
        &[("baseline demand", 2000.0)],
        &[("electric chillers", 2000.0)],
    );
    assert_carrier(&l, "biomass", &[], &[("purchase", 0.0)]);
    // Emissions: before 7,250; after 11,500 x 0.5 + 14,150 x 0.2 - 1,980
    //   = 5,750 + 2,830 - 1,980 = 6,600 = 7,250 - 650.
    assert_close("before", l.carbon.emissions_before.unwrap(), 7250.0, 1e-9);
    assert_close("after", l.carbon.emissions_after.unwrap(), 6600.0, 1e-9);
    assert_close("unusable", l.carbon.unusable_credit.unwrap(), 0.0, 1e-9);

    let k = &l.kpis;
    // Penalty (1,000 + 3,000 + 400) / 1,980 MWh/t; net negative 1,980 - 1,330 = 650.
    assert_close(
        "penalty",
        k.energy_penalty_mwh_per_t.unwrap(),
        4400.0 / 1980.0,
        1e-9,
    );
    assert_close("net negative", k.net_negative_t, 650.0, 1e-9);
    assert_close("new load", k.new_load_mwh, 1000.0, 1e-9);
    assert_close("flexible share", k.flexible_share.unwrap(), 0.5, 1e-9);
    assert_close(
        "efficiency before",
        k.efficiency_before.unwrap(),
        20_000.0 / 20_500.0,
        1e-9,
    );
    assert_close(
        "efficiency after",
        k.efficiency_after.unwrap(),
        20_000.0 / (11_500.0 + 14_150.0),
        1e-9,
    );
    assert_close(
        "import before",
        k.grid_import_before_mwh.unwrap(),
        10_500.0,
        1e-9,
    );
    assert_close(
        "import after",
        k.grid_import_after_mwh.unwrap(),
        11_500.0,
        1e-9,
    );
    assert_close("export", k.grid_export_after_mwh.unwrap(), 0.0, 1e-9);
    // Peak: 10,500 x 1.3 / 10,074 MW before; plus the flat 1,000 / 8,760 MW after.
    let peak_before = 10_500.0 * 1.3 / 10_074.0;
    assert_close(
        "peak before",
        k.peak_import_before_mw.unwrap(),
        peak_before,
        1e-9,
    );
    assert_close(
        "peak after",
        k.peak_import_after_mw.unwrap(),
        peak_before + 1000.0 / 8760.0,
        1e-9,
    );
    assert_eq!(k.pv_self_consumption, None, "no PV built");
}

// ---------------------------------------------------------------------------
// BECCS

#[test]
fn beccs_coefficients_flows_plan_and_ledger_by_hand() {
    let park = park(
        r#"
[[region]]
id = 7
name = "Boiler house"
land = "factory"
beccs = { max_kt_per_yr = 3 }
"#,
    );
    let opts = compile(&park);
    let it = only_item(&opts);
    assert_eq!(
        (it.strategy, it.tech, it.region_id),
        (Strategy::Beccs, 1, 7)
    );
    assert_eq!((it.lo, it.hi), (0.0, 3000.0));

    // Fuel per t captured: B = 1 / (0.9 x 0.4) = 1 / 0.36 = 2.7777... MWh (LHV),
    // that is B / 5 = 0.5555... t of dry biomass.
    let b = 1.0 / 0.36;
    let bt = b / 5.0;
    let f = &flows(&park, it);
    assert_close(
        "biomass MWh",
        f.biomass_in_mwh,
        2.777_777_777_777_778,
        1e-12,
    );
    assert_close("biomass t", f.biomass_in_t, bt, 1e-12);
    // Made: electricity 0.25 B = 0.6944 MWh, heat 0.5 B = 1.3889 MWh.
    assert_close("el out", f.electricity_out_mwh, 0.25 * b, 1e-12);
    assert_close("heat out", f.heat_out_mwh, 0.5 * b, 1e-12);
    // Capture: 0.3 MWh electricity (flexible 0.2 x 0.3 = 0.06), 0.8 MWh heat.
    assert_close("el in", f.electricity_in_mwh, 0.3, 1e-12);
    assert_close("heat in", f.heat_in_mwh, 0.8, 1e-12);
    assert_close("flexible", f.flexible_electricity_mwh, 0.06, 1e-12);
    assert_close("removed", f.removed_t, 1.0, 1e-12);
    // Supply chain 0.5556 x 0.05 = 1/36 t.
    assert_close("supply chain", f.supply_chain_t, 1.0 / 36.0, 1e-12);
    assert_eq!(f.gas_in_mwh, 0.0);

    // Avoided: 0.25 B x 0.5 + 0.5 B / 0.8 x 0.2 = 0.125 B + 0.125 B = 0.25 B = 25/36 t
    // Auxiliary: 0.3 x 0.5 + 0.8 / 0.8 x 0.2 + 1/36 = 0.15 + 0.2 + 1/36 = 0.35 + 1/36 t
    // E = 25/36 + 1 - 0.35 - 1/36 = 24/36 + 0.65 = 1.31666... t/t
    let co2 = 24.0 / 36.0 + 0.65;
    // Energy: (0.25 B - 0.3) x 600 + (0.5 B - 0.8) x 312.5 = 306.25 B - 430 = 420.6944 CNY
    // Biomass: 0.5556 t x 300 = 166.667 CNY; transport and storage 1 x 50 + 80 = 130 CNY
    // INC = 420.6944 - 166.6667 - 20 - 130 - 0.03 x 8000 + 100 x 1.316667
    //     = 420.6944 - 166.6667 - 20 - 130 - 240 + 131.6667 = -4.3056 CNY per t/a
    let income = (306.25 * b - 430.0) - bt * 300.0 - 20.0 - 130.0 - 240.0 + 100.0 * co2;
    assert_close("-4.3056", income, -4.305_555_555_555_6, 1e-9);
    let c = it.coef;
    assert_close("capex", c.capex_per_unit, 8000.0, 1e-9);
    assert_close("income", c.income_per_unit, income, 1e-9);
    assert_close("co2", c.co2_per_unit, co2, 1e-9);

    // 1,000 t/a: capex 8 M, income -4,305.56, benefit -4,305.56 - 800,000, CO2 1,316.67.
    let plan = build_only(&opts, 1000.0);
    let ev = plan.evaluate(&opts);
    assert_close("plan capex", ev.totals.capex, 8_000_000.0, 1e-9);
    assert_close(
        "plan income",
        ev.totals.annual_income,
        1000.0 * income,
        1e-9,
    );
    assert_close(
        "plan benefit",
        ev.totals.annual_benefit,
        1000.0 * income - 800_000.0,
        1e-9,
    );
    assert_close(
        "plan co2",
        ev.totals.annual_co2_reduction,
        1000.0 * co2,
        1e-9,
    );

    let l = ledger(&park, &opts, &plan);
    let t = l.carbon.totals;
    assert_close("avoided", t.avoided, 25_000.0 / 36.0, 1e-9);
    assert_close("removed", t.removed, 1000.0, 1e-9);
    assert_close("auxiliary", t.auxiliary, 350.0 + 1000.0 / 36.0, 1e-9);
    assert_close("net", t.net, 1000.0 * co2, 1e-9);
    // Electricity: BECCS makes 694.44 MWh and uses 300, both flat; the net flat
    // generation (394.4 / 8,760 = 0.045 MWh an hour) is below the lowest hourly
    // load (10,500 / 10,074 = 1.04 MWh), so every hour imports:
    // 10,500 + 300 - 694.44 = 10,105.56 MWh.
    let el_out = 250.0 * b;
    let import = 10_500.0 + 300.0 - el_out;
    assert_carrier(
        &l,
        "electricity",
        &[
            ("baseline demand", 10_000.0),
            ("electric chillers", 500.0),
            ("BECCS", 300.0),
            ("export to the grid", 0.0),
        ],
        &[("BECCS", el_out), ("grid import", import)],
    );
    // Heat: need 8,000 + 800 = 8,800; BECCS makes 1,388.9; boilers the rest.
    let boilers = 8800.0 - 500.0 * b;
    assert_carrier(
        &l,
        "heat",
        &[("baseline demand", 8000.0), ("BECCS (process heat)", 800.0)],
        &[("BECCS", 500.0 * b), ("gas boilers", boilers)],
    );
    assert_carrier(
        &l,
        "natural_gas",
        &[("gas boilers", boilers / 0.8)],
        &[("purchase", boilers / 0.8)],
    );
    assert_carrier(
        &l,
        "biomass",
        &[("BECCS", 1000.0 * b)],
        &[("purchase", 1000.0 * b)],
    );
    // After: 10,105.56 x 0.5 + 9,263.89 x 0.2 + 27.78 - 1,000 = 5,933.33 = 7,250 - 1,316.67.
    let after = import * 0.5 + boilers / 0.8 * 0.2 + 1000.0 / 36.0 - 1000.0;
    assert_close("5933.33", after, 7250.0 - 1000.0 * co2, 1e-9);
    assert_close("after", l.carbon.emissions_after.unwrap(), after, 1e-9);
    assert_close("before", l.carbon.emissions_before.unwrap(), 7250.0, 1e-9);

    let k = &l.kpis;
    // Penalty (300 + 800) / 1,000 = 1.1 MWh/t; net negative 1,000 - 377.78.
    assert_close("penalty", k.energy_penalty_mwh_per_t.unwrap(), 1.1, 1e-9);
    assert_close(
        "net negative",
        k.net_negative_t,
        1000.0 - (350.0 + 1000.0 / 36.0),
        1e-9,
    );
    assert_close("flexible share", k.flexible_share.unwrap(), 0.2, 1e-9);
    // Input after: import + gas + biomass = 10,105.56 + 9,263.89 + 2,777.78.
    assert_close(
        "efficiency after",
        k.efficiency_after.unwrap(),
        20_000.0 / (import + boilers / 0.8 + 1000.0 * b),
        1e-9,
    );
}

// ---------------------------------------------------------------------------
// Biochar

const BIOCHAR_LOT: &str = r#"
[[region]]
id = 3
name = "Residue yard"
land = "empty_lot"
biochar = { max_t_per_yr = 10_000 }
"#;

#[test]
fn biochar_coefficients_flows_plan_and_ledger_by_hand() {
    let park = park(BIOCHAR_LOT);
    let opts = compile(&park);
    let it = only_item(&opts);
    assert_eq!(
        (it.strategy, it.tech, it.region_id),
        (Strategy::Biochar, 1, 3)
    );

    // Per t of dry feed: biochar 0.3 t; carbon kept 0.3 x 0.8 x 0.75 x 44/12
    // = 0.18 x 3.6667 = 0.66 t CO2.
    let removed = 0.3 * 0.8 * 0.75 * 44.0 / 12.0;
    assert_close("0.66", removed, 0.66, 1e-12);
    let f = &flows(&park, it);
    assert_close("removed", f.removed_t, 0.66, 1e-12);
    assert_close("el in", f.electricity_in_mwh, 0.1, 1e-12);
    assert_close("heat in", f.heat_in_mwh, 0.2, 1e-12);
    assert_close("heat out", f.heat_out_mwh, 0.6, 1e-12);
    assert_close("biomass MWh", f.biomass_in_mwh, 4.5, 1e-12);
    assert_close("biomass t", f.biomass_in_t, 1.0, 1e-12);
    assert_close("supply chain", f.supply_chain_t, 0.04, 1e-12);
    assert_eq!(f.flexible_electricity_mwh, 0.0);

    // Avoided: 0.6 / 0.8 x 0.2 = 0.15 t
    // Auxiliary: 0.1 x 0.5 + 0.2 / 0.8 x 0.2 + 0.04 = 0.05 + 0.05 + 0.04 = 0.14 t
    // E = 0.66 + 0.15 - 0.14 = 0.67 t/t
    // Products 0.3 x 1200 = 360; energy -0.1 x 600 + (0.6 - 0.2) x 312.5 = -60 + 125 = 65;
    // feed 1 x 200; INC = 360 + 65 - 200 - 40 - 0.05 x 1500 + 100 x 0.67
    //                   = 360 + 65 - 200 - 40 - 75 + 67 = 177 CNY per t/a
    let c = it.coef;
    assert_close("capex", c.capex_per_unit, 1500.0, 1e-9);
    assert_close("income", c.income_per_unit, 177.0, 1e-9);
    assert_close("co2", c.co2_per_unit, 0.67, 1e-9);

    // 5,000 t/a: capex 7.5 M, income 885,000, benefit 885,000 - 750,000 = 135,000, CO2 3,350.
    let plan = build_only(&opts, 5000.0);
    let ev = plan.evaluate(&opts);
    assert_close("plan capex", ev.totals.capex, 7_500_000.0, 1e-9);
    assert_close("plan income", ev.totals.annual_income, 885_000.0, 1e-9);
    assert_close("plan benefit", ev.totals.annual_benefit, 135_000.0, 1e-9);
    assert_close("plan co2", ev.totals.annual_co2_reduction, 3350.0, 1e-9);

    // Ledger: removed 3,300, avoided 750, auxiliary 700, net 3,350.
    let l = ledger(&park, &opts, &plan);
    let t = l.carbon.totals;
    assert_close("removed", t.removed, 3300.0, 1e-9);
    assert_close("avoided", t.avoided, 750.0, 1e-9);
    assert_close("auxiliary", t.auxiliary, 700.0, 1e-9);
    assert_close("net", t.net, 3350.0, 1e-9);
    // Heat: need 8,000 + 1,000; pyrolysis makes 3,000; boilers 6,000 (gas 7,500).
    assert_carrier(
        &l,
        "heat",
        &[
            ("baseline demand", 8000.0),
            ("BIOCHAR (process heat)", 1000.0),
        ],
        &[("BIOCHAR", 3000.0), ("gas boilers", 6000.0)],
    );
    assert_carrier(
        &l,
        "electricity",
        &[
            ("baseline demand", 10_000.0),
            ("electric chillers", 500.0),
            ("BIOCHAR", 500.0),
            ("export to the grid", 0.0),
        ],
        &[("grid import", 11_000.0)],
    );
    assert_carrier(
        &l,
        "biomass",
        &[("BIOCHAR", 22_500.0)],
        &[("purchase", 22_500.0)],
    );
    // After: 11,000 x 0.5 + 7,500 x 0.2 + 200 - 3,300 = 5,500 + 1,500 + 200 - 3,300
    // = 3,900 = 7,250 - 3,350.
    assert_close("after", l.carbon.emissions_after.unwrap(), 3900.0, 1e-9);
    assert_close("unusable", l.carbon.unusable_credit.unwrap(), 0.0, 1e-9);
    let k = &l.kpis;
    // Penalty (500 + 1,000) / 3,300; net negative 3,300 - 700 = 2,600.
    assert_close(
        "penalty",
        k.energy_penalty_mwh_per_t.unwrap(),
        1500.0 / 3300.0,
        1e-9,
    );
    assert_close("net negative", k.net_negative_t, 2600.0, 1e-9);
    assert_eq!(k.flexible_share, Some(0.0));
}

#[test]
fn biochar_heat_beyond_demand_is_unusable_credit() {
    // The same park with no heat demand today: the 3,000 MWh of pyrolysis heat
    // cover the 1,000 MWh biochar needs; 2,000 MWh are unused. The model still
    // credits them: 2,000 / 0.8 x 0.2 = 500 t.
    let park = load(&edit_text(
        &park_text(BIOCHAR_LOT),
        "heat_demand = 8_000",
        "heat_demand = 0",
    ));
    let opts = compile(&park);
    let plan = build_only(&opts, 5000.0);
    let l = ledger(&park, &opts, &plan);
    assert_carrier(
        &l,
        "heat",
        &[
            ("baseline demand", 0.0),
            ("BIOCHAR (process heat)", 1000.0),
            ("unused (recovered beyond demand)", 2000.0),
        ],
        &[("BIOCHAR", 3000.0), ("gas boilers", 0.0)],
    );
    assert_carrier(
        &l,
        "natural_gas",
        &[("gas boilers", 0.0)],
        &[("purchase", 0.0)],
    );
    assert_close("unusable", l.carbon.unusable_credit.unwrap(), 500.0, 1e-9);
    // Before 10,500 x 0.5 = 5,250; after 11,000 x 0.5 + 200 - 3,300 = 2,400
    // = 5,250 - 3,350 + 500.
    assert_close("before", l.carbon.emissions_before.unwrap(), 5250.0, 1e-9);
    assert_close("after", l.carbon.emissions_after.unwrap(), 2400.0, 1e-9);
    // Services 10,000 + 0 + 2,000 over 10,500 before, 11,000 + 22,500 (biomass) after.
    let k = &l.kpis;
    assert_close(
        "eff before",
        k.efficiency_before.unwrap(),
        12_000.0 / 10_500.0,
        1e-9,
    );
    assert_close(
        "eff after",
        k.efficiency_after.unwrap(),
        12_000.0 / 33_500.0,
        1e-9,
    );
}

#[test]
fn an_empty_lot_hosts_one_use_and_a_factory_one_group_per_strategy() {
    let park = park(
        r#"
[[region]]
id = 1
name = "Lot"
land = "empty_lot"
fcs = { max_ha = 1 }
pv = { max_m2 = 1000 }
dac = { max_t_per_yr = 5000 }
biochar = { max_t_per_yr = 5000 }

[[region]]
id = 2
name = "Plant"
land = "factory"
pv = { max_m2 = 1000 }
dac = { max_t_per_yr = 5000 }
beccs = { max_t_per_yr = 5000 }
biochar = { max_t_per_yr = 5000 }
"#,
    );
    let opts = compile(&park);
    let groups: Vec<Vec<(u32, Strategy)>> = opts
        .groups
        .iter()
        .map(|g| {
            g.items
                .clone()
                .map(|i| (opts.items[i].region_id, opts.items[i].strategy))
                .collect()
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            vec![
                (1, Strategy::Fcs),
                (1, Strategy::Pv),
                (1, Strategy::Dac),
                (1, Strategy::Biochar)
            ],
            vec![(2, Strategy::Pv)],
            vec![(2, Strategy::Dac)],
            vec![(2, Strategy::Beccs)],
            vec![(2, Strategy::Biochar)],
        ]
    );
}

// ---------------------------------------------------------------------------
// Property test: the ledger's identities on random parks and plans.

/// Hands out the numbers of a proptest vector, in order (cycling if needed).
struct Draw<'a> {
    u: &'a [f64],
    i: usize,
}

impl Draw<'_> {
    fn unit(&mut self) -> f64 {
        let v = self.u[self.i % self.u.len()];
        self.i += 1;
        v
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// 0 one time in five, else a number in [lo, hi].
    fn zero_or(&mut self, lo: f64, hi: f64) -> f64 {
        if self.unit() < 0.2 {
            0.0
        } else {
            self.range(lo, hi)
        }
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n - 1)
    }
}

/// A TOML number that reads back as the same f64.
fn num(v: f64) -> String {
    format!("{v:?}")
}

fn net_common_toml(d: &mut Draw, o: &mut String) {
    o.push_str(&format!("capex = {}\n", num(d.zero_or(100.0, 20_000.0))));
    o.push_str(&format!("fixed_opex = {}\n", num(d.range(0.0, 0.1))));
    o.push_str(&format!("variable_opex = {}\n", num(d.zero_or(0.0, 100.0))));
    o.push_str(&format!("min_capacity = {}\n", num(d.zero_or(0.0, 2000.0))));
    o.push_str(&format!("flexible_share = {}\n", num(d.range(0.0, 1.0))));
}

/// A random park as TOML (and the CSV profile to put in it, if any), built from
/// `u`: random economics, energy baseline (demands sometimes 0), catalogues of
/// every strategy (0-2 techs per NET) and 1-6 regions with random slots.
fn random_park(u: &[f64], regions: usize) -> (String, Option<String>) {
    let mut d = Draw { u, i: 0 };
    let mut o = String::from("[park]\nname = \"random\"\n\n[economics]\ncapex_cap = 1e12\n");
    for (k, v) in [
        ("ets_price", d.zero_or(0.0, 500.0)),
        ("alpha", d.range(0.01, 0.3)),
        ("service_life", (5 + d.pick(26)) as f64),
        ("co2_transport_km", d.zero_or(0.0, 200.0)),
        ("operating_hours", d.range(0.0, 8760.0)),
        ("grid_ef", d.zero_or(0.1, 1.0)),
        ("gas_ef", d.zero_or(0.1, 0.3)),
        ("steam_ef", d.range(0.0, 0.2)),
        ("water_ef", d.range(0.0, 0.01)),
        ("chiller_cop", d.range(1.0, 7.0)),
        ("boiler_efficiency", d.range(0.5, 1.2)),
        ("solar_radiation", d.range(500.0, 2000.0)),
    ] {
        o.push_str(&format!("{k} = {}\n", num(v)));
    }
    o.push_str(&format!(
        "\n[fcs]\nproject_development_cost = {}\n",
        num(d.zero_or(0.0, 500_000.0))
    ));
    for code in 1..=1 + d.pick(2) {
        o.push_str(&format!(
            "\n[[fcs.tech]]\ncode = {code}\nname = \"f{code}\"\n"
        ));
        for (k, v) in [
            ("growth_a", d.range(0.05, 1.0)),
            ("growth_b", d.range(-0.2, -0.01)),
            ("growth_c", d.range(1.0, 4.0)),
            ("density", d.range(0.3, 0.6)),
            ("bef", d.range(1.1, 1.8)),
            ("root_shoot", d.range(0.1, 0.3)),
            ("carbon_fraction", d.range(0.4, 0.55)),
            ("trees_per_ha", d.range(500.0, 2500.0)),
            ("planting_cost", d.range(10_000.0, 30_000.0)),
            ("management_cost", d.range(0.0, 500.0)),
            ("timber_price", d.range(500.0, 1500.0)),
            ("harvest_cost", d.range(100.0, 300.0)),
        ] {
            o.push_str(&format!("{k} = {}\n", num(v)));
        }
    }
    for code in 1..=1 + d.pick(2) {
        o.push_str(&format!(
            "\n[[ccu.tech]]\ncode = {code}\nname = \"c{code}\"\n"
        ));
        for (k, v) in [
            ("capex", d.range(500.0, 3000.0)),
            ("capture_opex", d.range(50.0, 600.0)),
            ("transport_cost", d.range(0.0, 2.0)),
            ("maintenance", d.range(0.0, 60.0)),
            ("product_price", d.range(0.0, 900.0)),
            ("power_use", d.zero_or(0.05, 0.3)),
            ("steam_use", d.zero_or(1.0, 4.0)),
            ("water_use", d.zero_or(0.5, 3.0)),
            ("min_capacity", d.zero_or(0.0, 1000.0)),
        ] {
            o.push_str(&format!("{k} = {}\n", num(v)));
        }
    }
    for code in 1..=1 + d.pick(3) {
        let output = ["cooling", "electricity", "heat"][d.pick(3)];
        o.push_str(&format!(
            "\n[[whr.tech]]\ncode = {code}\nname = \"w{code}\"\noutput = \"{output}\"\n"
        ));
        for (k, v) in [
            ("capex", d.range(300.0, 3000.0)),
            ("efficiency", d.range(0.05, 2.0)),
            ("price", d.range(0.0, 0.9)),
            ("maintenance", d.range(0.0, 0.05)),
        ] {
            o.push_str(&format!("{k} = {}\n", num(v)));
        }
    }
    for code in 1..=1 + d.pick(2) {
        o.push_str(&format!(
            "\n[[pv.tech]]\ncode = {code}\nname = \"p{code}\"\n"
        ));
        for (k, v) in [
            ("capex", d.range(2000.0, 5000.0)),
            ("area_per_kw", d.range(4.0, 10.0)),
            ("efficiency", d.range(0.1, 0.25)),
            ("loss_factor", d.range(0.7, 0.95)),
            ("maintenance", d.range(0.0, 0.1)),
            ("feed_in_price", d.range(0.0, 0.8)),
        ] {
            o.push_str(&format!("{k} = {}\n", num(v)));
        }
    }
    let n_dac = d.pick(3);
    for code in 1..=n_dac {
        o.push_str(&format!(
            "\n[[dac.tech]]\ncode = {code}\nname = \"d{code}\"\n"
        ));
        net_common_toml(&mut d, &mut o);
        for (k, v) in [
            ("electricity_use", d.zero_or(0.2, 2.0)),
            ("heat_use", d.zero_or(0.5, 2.5)),
            ("gas_use", d.zero_or(0.5, 2.5)),
            ("transport_cost", d.range(0.0, 2.0)),
            ("storage_cost", d.range(0.0, 150.0)),
            ("permanence", d.range(0.5, 1.0)),
        ] {
            o.push_str(&format!("{k} = {}\n", num(v)));
        }
    }
    let n_beccs = d.pick(3);
    for code in 1..=n_beccs {
        o.push_str(&format!(
            "\n[[beccs.tech]]\ncode = {code}\nname = \"b{code}\"\n"
        ));
        net_common_toml(&mut d, &mut o);
        let el = d.range(0.0, 0.4);
        for (k, v) in [
            ("capture_rate", d.range(0.5, 1.0)),
            ("biomass_ef", d.range(0.3, 0.45)),
            ("electric_efficiency", el),
            ("heat_efficiency", d.range(0.0, 1.0 - el)),
            ("capture_electricity", d.zero_or(0.05, 0.4)),
            ("capture_heat", d.zero_or(0.3, 1.2)),
            ("biomass_lhv", d.range(3.0, 5.5)),
            ("biomass_price", d.range(0.0, 600.0)),
            ("biomass_supply_ef", d.range(0.0, 0.15)),
            ("transport_cost", d.range(0.0, 2.0)),
            ("storage_cost", d.range(0.0, 150.0)),
            ("permanence", d.range(0.5, 1.0)),
        ] {
            o.push_str(&format!("{k} = {}\n", num(v)));
        }
    }
    let n_biochar = d.pick(3);
    for code in 1..=n_biochar {
        o.push_str(&format!(
            "\n[[biochar.tech]]\ncode = {code}\nname = \"y{code}\"\n"
        ));
        net_common_toml(&mut d, &mut o);
        for (k, v) in [
            ("biochar_yield", d.range(0.15, 0.4)),
            ("carbon_content", d.range(0.5, 0.9)),
            ("permanence", d.range(0.5, 1.0)),
            ("electricity_use", d.zero_or(0.02, 0.2)),
            ("heat_use", d.zero_or(0.1, 0.6)),
            ("heat_output", d.zero_or(0.2, 2.0)),
            ("biomass_lhv", d.range(3.0, 5.5)),
            ("biomass_price", d.range(0.0, 600.0)),
            ("biomass_supply_ef", d.range(0.0, 0.15)),
            ("biochar_price", d.range(0.0, 2000.0)),
        ] {
            o.push_str(&format!("{k} = {}\n", num(v)));
        }
    }
    // Regions: each allowed strategy with probability 0.6 (a NET only if the
    // catalogue has it); caps in report units, a minimum now and then.
    let mut any_net = false;
    for id in 1..=regions {
        let land = ["empty_lot", "factory", "rooftop"][d.pick(3)];
        o.push_str(&format!(
            "\n[[region]]\nid = {id}\nname = \"r{id}\"\nland = \"{land}\"\n"
        ));
        let allowed: &[(&str, &str, f64, usize)] = match land {
            "empty_lot" => &[
                ("fcs", "m2", 200_000.0, 1),
                ("pv", "m2", 30_000.0, 1),
                ("dac", "t_per_yr", 20_000.0, n_dac),
                ("biochar", "t_per_yr", 30_000.0, n_biochar),
            ],
            "factory" => &[
                ("ccu", "t_per_yr", 30_000.0, 1),
                ("whr", "kw", 3000.0, 1),
                ("pv", "m2", 30_000.0, 1),
                ("dac", "t_per_yr", 20_000.0, n_dac),
                ("beccs", "t_per_yr", 20_000.0, n_beccs),
                ("biochar", "t_per_yr", 30_000.0, n_biochar),
            ],
            _ => &[("pv", "m2", 30_000.0, 1)],
        };
        for &(key, unit, hi, techs) in allowed {
            if techs == 0 || !d.chance(0.6) {
                continue;
            }
            any_net |= matches!(key, "dac" | "beccs" | "biochar");
            let max = d.range(0.0, hi);
            let min = if d.chance(0.3) {
                d.range(0.0, max)
            } else {
                0.0
            };
            o.push_str(&format!(
                "{key} = {{ max_{unit} = {}, min_{unit} = {} }}\n",
                num(max),
                num(min)
            ));
        }
    }
    // [energy]: required with NET slots; otherwise present four times in five.
    let mut csv = None;
    if any_net || d.chance(0.8) {
        o.push_str("\n[energy]\n");
        for (k, v) in [
            ("electricity_price", d.range(0.0, 1500.0)),
            ("gas_price", d.range(0.0, 600.0)),
            ("electricity_demand", d.zero_or(1e3, 1e6)),
            ("heat_demand", d.zero_or(1e3, 1e6)),
            ("cooling_demand", d.zero_or(1e3, 2e5)),
        ] {
            o.push_str(&format!("{k} = {}\n", num(v)));
        }
        o.push_str(&format!(
            "\n[energy.profile]\nday_load_factor = {}\n",
            num(d.range(0.01, 100.0))
        ));
        // Half the time the generated profile is replaced by a random CSV of 1,
        // 2, 7 or 365 days, with zeros here and there.
        if d.chance(0.5) {
            let days = [1, 2, 7, 365][d.pick(4)];
            let mut text = String::from("load,pv\n");
            for h in 0..24 * days {
                let load = if d.chance(0.1) {
                    0.0
                } else {
                    d.range(0.0, 5.0)
                };
                let pv = if !(6..18).contains(&(h % 24)) || d.chance(0.2) {
                    0.0
                } else {
                    d.range(0.0, 3.0)
                };
                // One sure positive value per column.
                let (load, pv) = if h == 12 {
                    (load + 1.0, pv + 1.0)
                } else {
                    (load, pv)
                };
                text.push_str(&format!("{},{}\n", num(load), num(pv)));
            }
            csv = Some(text);
        }
    }
    (o, csv)
}

/// A random plan: per group nothing (three times in ten) or one of its items at a
/// capacity in [lo, hi] (sometimes exactly a bound).
fn random_plan(opts: &Options, u: &[f64]) -> Plan {
    let mut d = Draw { u, i: 0 };
    let choice = opts
        .groups
        .iter()
        .map(|g| {
            if d.chance(0.3) {
                return None;
            }
            let item = g.items.start + d.pick(g.items.len());
            let it = &opts.items[item];
            let capacity = match d.pick(5) {
                0 => it.lo,
                1 => it.hi,
                _ => d.range(it.lo, it.hi),
            };
            Some(Built { item, capacity })
        })
        .collect();
    Plan { choice }
}

/// |a - b| <= 1e-9 x scale (scale: the magnitude of the terms summed; at least 1e-9).
fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * scale.max(1.0)
}

/// The spec's coefficients of a NET item, from the park's numbers alone
/// (docs/energy-and-nets.md, "Flows per unit" and "Economics per unit"):
/// (capex, income, CO2) per unit, and the magnitudes of the terms summed for
/// income and CO2 (for the tolerance).
fn spec_net_coefficients(park: &Park, it: &Item) -> [f64; 5] {
    let e = &park.economics;
    let en = park.energy.as_ref().expect("NETs need [energy]");
    let (p_el, p_gas, eta) = (
        en.electricity_price_cny_per_mwh,
        en.gas_price_cny_per_mwh,
        e.boiler_efficiency,
    );
    let (grid, gas) = (e.grid_ef_t_per_mwh, e.gas_ef_t_per_mwh);
    let cat = &park.catalogue;
    // (common, products, el_out, heat_out, el_in, heat_in, gas_in, biomass t,
    //  biomass price, removed, supply chain, transport and storage)
    let (common, products, el_out, heat_out, el_in, heat_in, gas_in, bt, bprice, removed, sc, ts) =
        match it.strategy {
            Strategy::Dac => {
                let t = cat.dac.iter().find(|t| t.code == it.tech).unwrap();
                (
                    &t.common,
                    0.0,
                    0.0,
                    0.0,
                    t.electricity_mwh_per_t,
                    t.heat_mwh_per_t,
                    t.gas_mwh_per_t,
                    0.0,
                    0.0,
                    t.permanence,
                    0.0,
                    t.transport_cny_per_t_km * e.co2_transport_km + t.storage_cny_per_t,
                )
            }
            Strategy::Beccs => {
                let t = cat.beccs.iter().find(|t| t.code == it.tech).unwrap();
                let fuel = 1.0 / (t.capture_rate * t.biomass_ef_t_per_mwh);
                let bt = fuel / t.biomass_lhv_mwh_per_t;
                (
                    &t.common,
                    0.0,
                    t.electric_efficiency * fuel,
                    t.heat_efficiency * fuel,
                    t.capture_electricity_mwh_per_t,
                    t.capture_heat_mwh_per_t,
                    0.0,
                    bt,
                    t.biomass_price_cny_per_t,
                    t.permanence,
                    bt * t.biomass_supply_ef_t_per_t,
                    t.transport_cny_per_t_km * e.co2_transport_km + t.storage_cny_per_t,
                )
            }
            Strategy::Biochar => {
                let t = cat.biochar.iter().find(|t| t.code == it.tech).unwrap();
                (
                    &t.common,
                    t.biochar_yield * t.biochar_price_cny_per_t,
                    0.0,
                    t.heat_output_mwh_per_t,
                    t.electricity_mwh_per_t,
                    t.heat_mwh_per_t,
                    0.0,
                    1.0,
                    t.biomass_price_cny_per_t,
                    t.biochar_yield * t.carbon_content * t.permanence * 44.0 / 12.0,
                    t.biomass_supply_ef_t_per_t,
                    0.0,
                )
            }
            s => panic!("{s} is not a NET"),
        };
    let avoided = el_out * grid + heat_out / eta * gas;
    let auxiliary = el_in * grid + heat_in / eta * gas + gas_in * gas + sc;
    let co2 = removed + avoided - auxiliary;
    let co2_mag = removed + avoided + auxiliary;
    let income_terms = [
        products,
        el_out * p_el,
        -el_in * p_el,
        heat_out * p_gas / eta,
        -heat_in * p_gas / eta,
        -gas_in * p_gas,
        -bt * bprice,
        -common.variable_opex_cny_per_t,
        -ts,
        -common.fixed_opex_per_yr * common.capex_cny_per_t_yr,
        e.ets_price_cny_per_t * co2,
    ];
    let income: f64 = income_terms.iter().sum();
    let income_mag =
        income_terms.iter().map(|x| x.abs()).sum::<f64>() + e.ets_price_cny_per_t * co2_mag;
    [common.capex_cny_per_t_yr, income, co2, income_mag, co2_mag]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_ledger_closes_and_agrees_with_the_plan_on_random_parks(
        u in prop::collection::vec(0.0f64..1.0, 700),
        regions in 1usize..=6,
        v in prop::collection::vec(0.0f64..1.0, 64),
    ) {
        let (text, csv) = random_park(&u, regions);
        let mut park = match Park::from_toml(&text, "prop.toml") {
            Ok(p) => p,
            Err(e) => panic!("random park refused: {e}\n{text}"),
        };
        if let Some(csv) = &csv {
            let profile = parse_csv(csv, "prop.csv").unwrap_or_else(|e| panic!("{e}"));
            prop_assert!((profile.load.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            prop_assert!((profile.hours_per_row * profile.load.len() as f64 - 8760.0).abs() < 1e-9);
            park.energy.as_mut().expect("energy").profile = profile;
        }
        let opts = compile(&park);
        let plan = random_plan(&opts, &v);
        plan.check(&opts).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
        let ev = plan.evaluate(&opts);
        let l = ledger(&park, &opts, &plan);

        // NET coefficients follow the spec's formula.
        for it in opts.items.iter().filter(|it| it.strategy.is_net()) {
            let [capex, income, co2, income_mag, co2_mag] = spec_net_coefficients(&park, it);
            let c = it.coef;
            prop_assert!(close(c.capex_per_unit, capex, capex.abs()), "{it:?}: capex {capex}");
            prop_assert!(close(c.income_per_unit, income, income_mag), "{it:?}: income {income}");
            prop_assert!(close(c.co2_per_unit, co2, co2_mag), "{it:?}: co2 {co2}");
        }

        // Carbon, item by item and in total.
        prop_assert_eq_len(l.carbon.items.len(), ev.items.len())?;
        let mut scale_total = 0.0;
        let mut sums = [0.0; 5];
        for (ic, ir) in l.carbon.items.iter().zip(&ev.items) {
            prop_assert!(
                (ic.region, ic.strategy, ic.technology) == (ir.region_id, ir.strategy, ir.tech),
                "{ic:?} vs {ir:?}"
            );
            let c = ic.co2;
            let scale = c.avoided.abs() + c.utilized.abs() + c.removed.abs() + c.auxiliary.abs();
            scale_total += scale;
            prop_assert!(close(c.avoided + c.utilized + c.removed - c.auxiliary, c.net, scale), "{c:?}");
            prop_assert!(close(c.net, ir.annual_co2_reduction, scale), "{c:?} vs {ir:?}");
            prop_assert!(c.avoided >= 0.0 && c.utilized >= 0.0 && c.removed >= 0.0 && c.auxiliary >= 0.0, "{c:?}");
            for (s, x) in sums.iter_mut().zip([c.avoided, c.utilized, c.removed, c.auxiliary, c.net]) {
                *s += x;
            }
        }
        let t = l.carbon.totals;
        for (s, x) in sums.iter().zip([t.avoided, t.utilized, t.removed, t.auxiliary, t.net]) {
            prop_assert!(close(*s, x, scale_total), "totals {t:?} vs sums {sums:?}");
        }
        // The plan's total leaves out the credit for recovered output beyond
        // demand (model::rows); the ledger shows that credit as unusable.
        let unusable = l.carbon.unusable_credit.unwrap_or(0.0);
        prop_assert!(
            close(ev.totals.uncredited_co2, unusable, scale_total),
            "uncredited {} vs unusable {}", ev.totals.uncredited_co2, unusable
        );
        prop_assert!(
            close(t.net - unusable, ev.totals.annual_co2_reduction, scale_total),
            "ledger net {} less unusable {unusable} vs plan {}", t.net, ev.totals.annual_co2_reduction
        );

        let k = &l.kpis;
        let tiny = 1e-12;
        if let Some(s) = k.flexible_share {
            prop_assert!((-tiny..=1.0 + tiny).contains(&s), "flexible share {s}");
        }
        prop_assert!(k.new_load_mwh >= 0.0);

        match &park.energy {
            None => {
                prop_assert!(l.energy.is_none());
                prop_assert!(l.carbon.emissions_before.is_none() && l.carbon.emissions_after.is_none());
                prop_assert!(l.carbon.unusable_credit.is_none());
            }
            Some(_) => {
                let carriers = l.energy.as_ref().expect("a balance with [energy]");
                let names: Vec<&str> = carriers.iter().map(|c| c.carrier).collect();
                prop_assert!(names == ["electricity", "heat", "cooling", "natural_gas", "biomass", "waste_heat"], "{names:?}");
                for c in carriers {
                    let uses: f64 = c.uses.iter().map(|l| l.value).sum();
                    let supplies: f64 = c.supplies.iter().map(|l| l.value).sum();
                    let scale: f64 = c.uses.iter().chain(&c.supplies).map(|l| l.value.abs()).sum();
                    prop_assert!(close(uses, c.total_use, scale), "{c:?}");
                    prop_assert!(close(supplies, c.total_supply, scale), "{c:?}");
                    prop_assert!(close(c.total_use, c.total_supply, scale), "{} does not close: {c:?}", c.carrier);
                    for line in c.uses.iter().chain(&c.supplies) {
                        prop_assert!(line.value >= -1e-9 * scale.max(1.0), "negative line in {c:?}");
                    }
                }
                let before = l.carbon.emissions_before.expect("before");
                let after = l.carbon.emissions_after.expect("after");
                let unusable = l.carbon.unusable_credit.expect("unusable");
                prop_assert!(unusable >= 0.0);
                let scale = before.abs() + after.abs() + scale_total + unusable;
                prop_assert!(
                    close(after, before - t.net + unusable, scale),
                    "after {after} vs before {before} - net {} + unusable {unusable}", t.net
                );
                if let Some(s) = k.pv_self_consumption {
                    prop_assert!((0.0..=1.0 + tiny).contains(&s), "PV self-consumption {s}");
                }
                for p in [k.peak_import_before_mw, k.peak_import_after_mw] {
                    let p = p.expect("peaks with a baseline");
                    prop_assert!(p >= 0.0 && p.is_finite(), "peak {p}");
                }
                for x in [k.grid_import_after_mwh, k.grid_export_after_mwh, k.grid_import_before_mwh] {
                    prop_assert!(x.expect("with a baseline") >= 0.0);
                }
                for x in [k.efficiency_before, k.efficiency_after].into_iter().flatten() {
                    prop_assert!(x.is_finite() && x >= 0.0, "efficiency {x}");
                }
            }
        }
    }
}

fn prop_assert_eq_len(a: usize, b: usize) -> Result<(), proptest::test_runner::TestCaseError> {
    if a == b {
        Ok(())
    } else {
        Err(proptest::test_runner::TestCaseError::fail(format!(
            "{a} ledger items for {b} built items"
        )))
    }
}

// ---------------------------------------------------------------------------
// Bad input

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("parkplan-net-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("write temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// 1-based line of the single occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let n = text.matches(needle).count();
    assert_eq!(n, 1, "{needle:?} occurs {n} times in the text");
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

/// The park text with a profile file instead of the generated profile.
fn park_with_profile_file(file: &str) -> String {
    edit_text(
        &park_text(BIOCHAR_LOT),
        "day_load_factor = 1.3",
        &format!("file = \"{file}\""),
    )
}

/// Loads `park.toml` (with `csv` as `profile.csv` beside it, if given); the load
/// must fail with exactly one problem, at the `file` key.
fn refused_profile(csv: Option<&str>, file: &str) -> (ParkError, Problem, PathBuf) {
    let dir = TempDir::new();
    if let Some(csv) = csv {
        dir.write("profile.csv", csv);
    }
    let text = park_with_profile_file(file);
    let path = dir.write("park.toml", &text);
    let e = match Park::load(&path) {
        Ok(_) => panic!("expected {path:?} to be refused"),
        Err(LoadError::Invalid(e)) => e,
        Err(e) => panic!("expected a ParkError, got {e}"),
    };
    assert_eq!(e.file, path.display().to_string());
    assert_eq!(e.problems.len(), 1, "{e}");
    let p = e.problems[0].clone();
    assert_eq!(p.key, "energy.profile.file", "{p:?}");
    assert_eq!(p.line, line_of(&text, "file = "), "{p:?}");
    // The display names the park file, the line and the key.
    let shown = e.to_string();
    let prefix = format!("{}:{}:", path.display(), p.line);
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with(&prefix) && l.contains("energy.profile.file")),
        "{shown}"
    );
    (e, p, path)
}

/// A CSV of `rows` data rows (`load,pv` header), all `1,0.5`.
fn csv_rows(rows: usize) -> String {
    let mut s = String::from("load,pv\n");
    for _ in 0..rows {
        s.push_str("1,0.5\n");
    }
    s
}

#[test]
fn a_missing_profile_csv_names_the_file_and_the_key() {
    let (_, p, path) = refused_profile(None, "nowhere.csv");
    assert!(p.message.contains("nowhere.csv"), "{p:?}");
    assert!(p.message.contains("cannot read the profile"), "{p:?}");
    // The path tried is the CSV beside the park file.
    let tried = path.parent().unwrap().join("nowhere.csv");
    assert!(
        p.message.contains(&tried.display().to_string()),
        "{p:?} should name {tried:?}"
    );
}

#[test]
fn a_profile_csv_of_100_rows_is_refused() {
    let (_, p, _) = refused_profile(Some(&csv_rows(100)), "profile.csv");
    assert!(p.message.contains("profile.csv"), "{p:?}");
    assert!(p.message.contains("100 data rows"), "{p:?}");
    assert!(p.message.contains("8,760"), "{p:?}");
}

#[test]
fn a_negative_profile_value_names_the_csv_and_its_line() {
    // Header on line 1, a comment on line 2, data from line 3: the fifth data row
    // is line 7.
    let mut csv = String::from("load,pv\n# measured 2023\n");
    for row in 0..24 {
        csv.push_str(if row == 4 { "2,-0.5\n" } else { "1,0.5\n" });
    }
    let (_, p, _) = refused_profile(Some(&csv), "profile.csv");
    assert!(p.message.contains("profile.csv line 7, column pv"), "{p:?}");
    assert!(p.message.contains("-0.5"), "{p:?}");
    assert!(p.message.contains(">= 0"), "{p:?}");
}

#[test]
fn a_profile_value_that_is_not_a_number_names_its_line() {
    let mut csv = csv_rows(24);
    csv.push_str("1,abc\n");
    csv.push_str(&csv_rows(23)["load,pv\n".len()..]);
    let (_, p, _) = refused_profile(Some(&csv), "profile.csv");
    assert!(
        p.message.contains("profile.csv line 26, column pv"),
        "{p:?}"
    );
    assert!(p.message.contains("\"abc\""), "{p:?}");
}

#[test]
fn a_bad_profile_header_is_refused() {
    for header in ["load,pv,temperature", "hour,load", "pv,load"] {
        let csv = csv_rows(24).replacen("load,pv", header, 1);
        let (_, p, _) = refused_profile(Some(&csv), "profile.csv");
        assert!(p.message.contains("profile.csv line 1"), "{p:?}");
        assert!(p.message.contains("header"), "{p:?}");
        assert!(p.message.contains("load,pv"), "{p:?}");
    }
}

#[test]
fn a_profile_column_of_zeros_is_refused() {
    let csv = csv_rows(24).replace("1,0.5", "1,0");
    let (_, p, _) = refused_profile(Some(&csv), "profile.csv");
    assert!(p.message.contains("profile.csv"), "{p:?}");
    assert!(p.message.contains("column pv sums to 0"), "{p:?}");
}

#[test]
fn a_profile_csv_beside_the_park_file_is_read() {
    // Two representative days: 48 rows, each standing for 365 / 2 = 182.5 hours.
    let dir = TempDir::new();
    let mut csv = String::from("load,pv\n");
    for h in 0..48 {
        csv.push_str(&format!(
            "{},{}\n",
            1 + h % 3,
            if h % 24 == 12 { 1 } else { 0 }
        ));
    }
    dir.write("profile.csv", &csv);
    let path = dir.write("park.toml", park_with_profile_file("profile.csv"));
    let park = Park::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let p = &park.energy.as_ref().unwrap().profile;
    assert_eq!(p.load.len(), 48);
    assert_close("hours per row", p.hours_per_row, 182.5, 1e-12);
    // Load: 1, 2, 3 repeated: 16 x 6 = 96; the first row is 1 / 96.
    assert_close("load share", p.load[0], 1.0 / 96.0, 1e-12);
    assert_close("pv share", p.pv[12], 0.5, 1e-12);
    // Peak today: 10,500 MWh x 3/96 in a row of 182.5 hours = 1.798 MW.
    let opts = compile(&park);
    let l = ledger(&park, &opts, &Plan::empty(&opts));
    assert_close(
        "peak",
        l.kpis.peak_import_before_mw.unwrap(),
        10_500.0 * 3.0 / 96.0 / 182.5,
        1e-9,
    );
}

/// Parses text that must be refused, and returns its only problem.
fn one_problem(text: &str) -> Problem {
    let e = match Park::from_toml(text, "bad.toml") {
        Ok(_) => panic!("expected the park to be refused"),
        Err(e) => e,
    };
    assert_eq!(e.file, "bad.toml");
    assert_eq!(e.problems.len(), 1, "expected one problem, got:\n{e}");
    e.problems.into_iter().next().unwrap()
}

#[test]
fn a_negative_electricity_demand_is_refused() {
    let text = edit_text(
        &park_text(BIOCHAR_LOT),
        "electricity_demand = 10_000",
        "electricity_demand = -5",
    );
    let p = one_problem(&text);
    assert_eq!(p.key, "energy.electricity_demand");
    assert_eq!(p.line, line_of(&text, "electricity_demand = -5"));
    assert!(p.message.contains(">= 0"), "{p:?}");
    assert!(p.message.contains("-5"), "{p:?}");
}

#[test]
fn a_net_slot_without_energy_is_refused() {
    let text = edit_text(&park_text(""), ENERGY, "")
        + r#"
[[region]]
id = 4
name = "Lot"
land = "empty_lot"

[region.dac]
max_t_per_yr = 1000
"#;
    let p = one_problem(&text);
    assert_eq!(p.key, "region[id=4].dac");
    assert!(p.message.contains("DAC"), "{p:?}");
    assert!(p.message.contains("[energy]"), "{p:?}");
    let header = line_of(&text, "[region.dac]");
    assert!(
        p.line == header || p.line == header + 1,
        "{p:?} should point at [region.dac] (line {header})"
    );
}

#[test]
fn a_net_slot_without_a_catalogue_tech_is_refused() {
    let catalogue = NET_CATALOGUE.split("[[beccs.tech]]").nth(1).unwrap();
    let text = format!(
        "{HEAD}{PAPER_CATALOGUE}[[beccs.tech]]{catalogue}{ENERGY}{}",
        r#"
[[region]]
id = 2
name = "Lot"
land = "empty_lot"
dac = { max_t_per_yr = 1000 }
"#
    );
    let p = one_problem(&text);
    assert_eq!(p.key, "region[id=2].dac");
    assert_eq!(p.line, line_of(&text, "dac = {"));
    assert!(p.message.contains("no DAC technology"), "{p:?}");
    assert!(p.message.contains("[[dac.tech]]"), "{p:?}");
}

#[test]
fn beccs_on_an_empty_lot_is_refused() {
    let text = park_text(
        r#"
[[region]]
id = 5
name = "Lot"
land = "empty_lot"
beccs = { max_t_per_yr = 1000 }
"#,
    );
    let p = one_problem(&text);
    assert_eq!(p.key, "region[id=5].beccs");
    assert_eq!(p.line, line_of(&text, "beccs = {"));
    assert!(
        p.message
            .contains("BECCS is not allowed on land = \"empty_lot\""),
        "{p:?}"
    );
    assert!(p.message.contains("fcs, pv, dac, biochar"), "{p:?}");
}

#[test]
fn a_scenario_with_an_unknown_strategy_is_refused() {
    let text = park_text(BIOCHAR_LOT)
        + r#"
[[scenario]]
name = "atomic"
strategies = ["whr", "nuclear"]
"#;
    let p = one_problem(&text);
    assert_eq!(p.key, "scenario[0].strategies");
    assert_eq!(p.line, line_of(&text, "\"nuclear\""));
    assert!(p.message.contains("unknown strategy \"nuclear\""), "{p:?}");
    assert!(
        p.message.contains("fcs, ccu, whr, pv, dac, beccs, biochar"),
        "{p:?}"
    );
}

#[test]
fn a_scenario_may_not_take_a_built_in_name() {
    let text = park_text(BIOCHAR_LOT)
        + r#"
[[scenario]]
name = "ok"

[[scenario]]
name = "mix"
"#;
    let p = one_problem(&text);
    assert_eq!(p.key, "scenario[1].name");
    assert_eq!(p.line, line_of(&text, "\"mix\""));
    assert!(p.message.contains("built-in"), "{p:?}");
    assert!(p.message.contains("baseline, no-net"), "{p:?}");
}

#[test]
fn a_scenario_set_with_an_unknown_key_is_refused() {
    let text = park_text(BIOCHAR_LOT)
        + r#"
[[scenario]]
name = "typo"
set = { ets_prise = 200 }
"#;
    let p = one_problem(&text);
    assert_eq!(p.key, "scenario[0].set.ets_prise");
    assert_eq!(p.line, line_of(&text, "ets_prise"));
    assert!(p.message.contains("unknown key"), "{p:?}");
    assert!(p.message.contains("ets_price"), "{p:?}");
}

#[test]
fn a_scenario_set_out_of_range_is_refused() {
    let text = park_text(BIOCHAR_LOT)
        + r#"
[[scenario]]
name = "cold"
set = { chiller_cop = 0 }
"#;
    let p = one_problem(&text);
    assert_eq!(p.key, "scenario[0].set.chiller_cop");
    assert!(p.message.contains(">= 0.01"), "{p:?}");
}

#[test]
fn compare_select_of_an_unknown_scenario_lists_the_available_ones() {
    let park = park(
        &(BIOCHAR_LOT.to_string()
            + r#"
[[scenario]]
name = "cheap-biomass"
"#),
    );
    let err = compare::select(&park, &["nope".to_string()]).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("unknown scenario \"nope\""), "{msg}");
    assert!(
        msg.contains("available: baseline, no-net, biochar, mix, cheap-biomass"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------
// Compare

const COMPARE_REGIONS: &str = r#"
[[region]]
id = 1
name = "Lot"
land = "empty_lot"
pv = { max_m2 = 2000 }
dac = { max_t_per_yr = 3000 }

[[region]]
id = 2
name = "Plant"
land = "factory"
whr = { max_kw = 500 }
biochar = { max_t_per_yr = 4000 }

[[scenario]]
name = "high-carbon-price"
description = "a carbon price of 250 CNY/t"
strategies = ["whr", "pv", "biochar"]
set = { ets_price = 250 }
"#;

#[test]
fn compare_baseline_dac_and_a_file_scenario() {
    let park = park(COMPARE_REGIONS);
    let all = compare::select(&park, &[]).unwrap();
    let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "baseline",
            "no-net",
            "dac",
            "biochar",
            "mix",
            "high-carbon-price"
        ]
    );

    // baseline: nothing built, emissions unchanged (7,250 t).
    let sc = compare::select(&park, &["baseline".to_string()]).unwrap();
    let r = compare::run(&park, &sc[0], Objective::Carbon).unwrap();
    assert!(r.built.is_empty(), "{:?}", r.built);
    assert_eq!((r.capex, r.annual_co2_reduction), (0.0, 0.0));
    let before = r.ledger.carbon.emissions_before.unwrap();
    assert_close("before", before, 7250.0, 1e-9);
    assert_close(
        "after",
        r.ledger.carbon.emissions_after.unwrap(),
        before,
        1e-9,
    );
    assert_close(
        "peak unchanged",
        r.ledger.kpis.peak_import_after_mw.unwrap(),
        r.ledger.kpis.peak_import_before_mw.unwrap(),
        1e-9,
    );

    // dac: DAC alone. For CO2 it is worth building (0.325 t/t), so it is built, at
    // its cap of 3,000 t/a (capex 15 M CNY, within the 1,000 M budget): 975 t.
    let sc = compare::select(&park, &["dac".to_string()]).unwrap();
    let r = compare::run(&park, &sc[0], Objective::Carbon).unwrap();
    assert_eq!(r.built.len(), 1, "{:?}", r.built);
    assert_eq!(r.built[0].strategy, Strategy::Dac);
    assert_close("dac capacity", r.built[0].capacity, 3000.0, 1e-9);
    assert_close("dac co2", r.annual_co2_reduction, 975.0, 1e-9);
    assert_close(
        "dac after",
        r.ledger.carbon.emissions_after.unwrap(),
        7250.0 - 975.0,
        1e-9,
    );

    // The file scenario: ETS 250, only WHR, PV and biochar slots.
    let sc = compare::select(&park, &["high-carbon-price".to_string()]).unwrap();
    assert_eq!(sc[0].set, vec![("ets_price".to_string(), 250.0)]);
    let p = compare::scenario_park(&park, &sc[0]).unwrap();
    assert_eq!(p.economics.ets_price_cny_per_t, 250.0);
    assert_eq!(
        park.economics.ets_price_cny_per_t, 100.0,
        "original unchanged"
    );
    let slots: Vec<(u32, Strategy)> = p
        .regions
        .iter()
        .flat_map(|r| r.slots.iter().map(move |s| (r.id, s.strategy)))
        .collect();
    assert_eq!(
        slots,
        [
            (1, Strategy::Pv),
            (2, Strategy::Whr),
            (2, Strategy::Biochar)
        ]
    );
    // Biochar income at ETS 250: 177 + (250 - 100) x 0.67 = 177 + 100.5 = 277.5.
    let opts = compile(&p);
    let biochar = opts
        .items
        .iter()
        .find(|it| it.strategy == Strategy::Biochar)
        .unwrap();
    assert_close("biochar income", biochar.coef.income_per_unit, 277.5, 1e-9);
    let r = compare::run(&park, &sc[0], Objective::Carbon).unwrap();
    assert!(
        r.built
            .iter()
            .all(|b| matches!(b.strategy, Strategy::Whr | Strategy::Pv | Strategy::Biochar)),
        "{:?}",
        r.built
    );
    assert_eq!(r.description, "a carbon price of 250 CNY/t");
}

// ---------------------------------------------------------------------------
// Round trip

#[test]
fn a_park_with_nets_energy_and_scenarios_round_trips_through_to_toml() {
    let text = edit_text(
        &park_text(
            r#"
[[scenario]]
name = "high-carbon-price"
description = "ETS at 250 and a cheaper discount"
strategies = ["whr", "pv", "biochar"]
set = { ets_price = 250.5, co2_transport_km = 12 }

[[scenario]]
name = "nets-only"
strategies = ["dac", "beccs", "biochar"]

[[scenario]]
name = "all"

[[region]]
id = 1
name = "Lot"
land = "empty_lot"
fcs = { max_ha = 1.5 }
dac = { max_t_per_yr = 3000, min_t_per_yr = 250.5, techs = [1] }
biochar = { max_kt_per_yr = 4.25 }

[[region]]
id = 2
name = "Plant \"north\""
land = "factory"
whr = { max_mw = 0.5 }
beccs = { max_t_per_yr = 1234.5678, techs = [1] }
biochar = { max_t_per_yr = 4000, min_t_per_yr = 10 }
"#,
        ),
        "day_load_factor = 1.3",
        "day_load_factor = 1.7",
    );
    let park = load(&text);
    assert_eq!(park.scenarios.len(), 3);
    assert_eq!(park.scenarios[2].strategies, Strategy::ALL.to_vec());
    let written = to_toml(&park, "test");
    let back = Park::from_toml(&written, "written.toml")
        .unwrap_or_else(|e| panic!("written park refused: {e}\n{written}"));
    assert_eq!(back, park, "{written}");
}

#[test]
fn a_park_with_a_profile_file_round_trips_beside_its_csv() {
    let dir = TempDir::new();
    let mut csv = String::from("load,pv\n");
    for h in 0..24 {
        csv.push_str(&format!("{},{}\n", 2 + h % 5, (h % 7) as f64 * 0.25));
    }
    dir.write("profile.csv", &csv);
    let path = dir.write("park.toml", park_with_profile_file("profile.csv"));
    let park = Park::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let written = to_toml(&park, "test");
    assert!(written.contains("file = \"profile.csv\""), "{written}");
    let again = dir.write("again.toml", &written);
    let back = Park::load(&again).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, park);
}

// ---------------------------------------------------------------------------
// Found while writing these tests

/// The KPIs "energy penalty" and "net negative emissions" are defined over the
/// removal technologies (docs/energy-and-nets.md, KPIs). A DAC plant whose
/// `permanence` is 0 (the reader accepts 0 to 1) is still one: its energy and
/// auxiliary emissions belong in both. The ledger picks removal items by
/// `removed_t > 0`, so it leaves them out.
#[test]
fn a_dac_plant_with_zero_permanence_still_counts_as_a_removal_technology() {
    let text = edit_text(
        &park_text(
            r#"
[[region]]
id = 1
name = "Lot"
land = "empty_lot"
dac = { max_t_per_yr = 5000 }

[[region]]
id = 3
name = "Residue yard"
land = "factory"
biochar = { max_t_per_yr = 10_000 }
"#,
        ),
        "permanence = 0.99",
        "permanence = 0",
    );
    let park = load(&text);
    let opts = compile(&park);
    assert_eq!(opts.groups.len(), 2);
    // DAC 1,000 t/a: electricity 500, heat 1,500, gas 200 MWh; auxiliary 0.665 x 1,000 = 665 t.
    // Biochar 5,000 t/a: electricity 500, heat 1,000 MWh; removed 3,300 t, auxiliary 700 t.
    let plan = Plan {
        choice: vec![
            Some(Built {
                item: 0,
                capacity: 1000.0,
            }),
            Some(Built {
                item: 1,
                capacity: 5000.0,
            }),
        ],
    };
    let l = ledger(&park, &opts, &plan);
    // Net negative: 3,300 - (665 + 700) = 1,935 t.
    assert_close("net negative", l.kpis.net_negative_t, 1935.0, 1e-9);
    // Penalty: (500 + 1,500 + 200 + 500 + 1,000) / 3,300 MWh/t.
    assert_close(
        "penalty",
        l.kpis.energy_penalty_mwh_per_t.unwrap(),
        3700.0 / 3300.0,
        1e-9,
    );
}

/// `Park::accepted_keys` promises every key the format accepts; tests/docs.rs
/// relies on it to check docs/park-format.md. The NET keys come from
/// parks/net-park.toml.
#[test]
fn accepted_keys_include_the_energy_net_and_scenario_keys() {
    let keys = Park::accepted_keys();
    for k in [
        "energy.electricity_price",
        "energy.profile.day_load_factor",
        "dac.tech.capex",
        "beccs.tech.capture_rate",
        "biochar.tech.biochar_yield",
        "region.beccs.max_t_per_yr",
        "scenario.name",
    ] {
        assert!(keys.contains(k), "{k} missing from accepted_keys");
    }
}

#[test]
fn a_park_path_with_a_directory_reads_its_profile_from_there() {
    // Park::from_toml with a file name in a directory reads the CSV from that
    // directory (the same rule as Park::load).
    let dir = TempDir::new();
    dir.write("profile.csv", csv_rows(24));
    let file = dir.0.join("inline.toml");
    let park = Park::from_toml(
        &park_with_profile_file("profile.csv"),
        &file.display().to_string(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(park.energy.unwrap().profile.load.len(), 24);
}

/// 230 m2 of PV on a roof make 230 x 1000 x 0.2 x 0.8 / 1000 = 36.8 MWh a year; its
/// largest hour (well under 0.1 MWh) is far below the lowest hourly load (10,500 /
/// 10,074 = 1.04 MWh), so all of it is used in the park: self-consumption is 1.
/// The ledger divides the hour-by-hour sum of min(PV, load) by the annual PV
/// output, and the shares of the pv column do not sum to exactly 1 in floating
/// point, so it reports 1 + 3.8e-15 (90 m2: 1 + 8.9e-16), above the KPI's range.
#[test]
fn pv_self_consumption_never_exceeds_one() {
    for m2 in [90.0, 230.0] {
        let park = park(&format!(
            "\n[[region]]\nid = 1\nname = \"Roof\"\nland = \"rooftop\"\npv = {{ max_m2 = {m2} }}\n"
        ));
        let opts = compile(&park);
        let l = ledger(&park, &opts, &build_only(&opts, m2));
        let s = l.kpis.pv_self_consumption.unwrap();
        assert_close("self-consumption", s, 1.0, 1e-12);
        assert!(s <= 1.0, "{m2} m2: PV self-consumption {s:e} > 1");
    }
}

/// Two loads of 1e308 are each finite and >= 0, so every row is accepted, but
/// the column's sum overflows to infinity. The file is rightly refused, but the
/// message says the column "sums to 0", which sends the user looking for zeros.
#[test]
fn a_profile_column_that_overflows_is_not_said_to_sum_to_zero() {
    let csv = csv_rows(24)
        .replacen("1,0.5", "1e308,0.5", 1)
        .replacen("1,0.5", "1e308,0.5", 1);
    let msg = parse_csv(&csv, "big.csv").unwrap_err();
    assert!(msg.contains("big.csv"), "{msg}");
    assert!(msg.contains("column load"), "{msg}");
    assert!(!msg.contains("sums to 0"), "misleading: {msg}");
}

/// The issue's "done when": `solve --format json` on the NET example includes the
/// energy balance, the carbon ledger and the KPIs; `compare` prints every
/// configuration side by side.
mod command_line {
    use std::process::Command;

    const BIN: &str = env!("CARGO_BIN_EXE_parkplan");
    const PARK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/parks/net-park.toml");

    fn run(args: &[&str]) -> String {
        let o = Command::new(BIN).args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    }

    #[test]
    fn solve_json_has_the_balance_the_ledger_and_the_kpis() {
        for obj in ["economic", "carbon"] {
            let out = run(&["solve", PARK, "--objective", obj, "--format", "json"]);
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            let l = &v["ledger"];
            let carriers = l["energy"].as_array().unwrap();
            let names: Vec<&str> = carriers
                .iter()
                .map(|c| c["carrier"].as_str().unwrap())
                .collect();
            assert_eq!(
                names,
                [
                    "electricity",
                    "heat",
                    "cooling",
                    "natural_gas",
                    "biomass",
                    "waste_heat"
                ]
            );
            for c in carriers {
                let (u, s) = (
                    c["total_use"].as_f64().unwrap(),
                    c["total_supply"].as_f64().unwrap(),
                );
                assert!((u - s).abs() <= 1e-9 * u.abs().max(1.0), "{c}");
            }
            let net = l["carbon"]["totals"]["net"].as_f64().unwrap();
            let co2 = v["totals"]["annual_co2_reduction"].as_f64().unwrap();
            assert!(
                (net - co2).abs() <= 1e-6 * co2.abs().max(1.0),
                "{net} {co2}"
            );
            for k in [
                "efficiency_before",
                "efficiency_after",
                "net_negative_t",
                "peak_import_before_mw",
                "peak_import_after_mw",
                "new_load_mwh",
            ] {
                assert!(l["kpis"][k].is_number(), "{k} missing: {}", l["kpis"]);
            }
            assert!(l["carbon"]["emissions_before"].as_f64().unwrap() > 0.0);
        }
    }

    #[test]
    fn compare_prints_every_configuration() {
        let out = run(&["compare", PARK, "--objective", "carbon"]);
        for name in [
            "baseline",
            "no-net",
            "dac",
            "beccs",
            "biochar",
            "mix",
            "high-carbon-price",
            "removals-only",
            "clean-grid-2035",
        ] {
            assert!(out.contains(name), "{name} missing:\n{out}");
        }
        // Below the park's name, everything fits 100 columns.
        assert!(
            out.lines().skip(1).all(|l| l.chars().count() <= 100),
            "{out}"
        );
        let json = run(&[
            "compare",
            PARK,
            "--scenario",
            "baseline",
            "--scenario",
            "mix",
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let s = v["scenarios"].as_array().unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0]["name"], "baseline");
        assert_eq!(s[0]["built"].as_array().unwrap().len(), 0);
        assert!(s[1]["annual_benefit"].as_f64().unwrap() > 0.0);
    }
}

// ---------------------------------------------------------------------------
// Review findings

#[test]
fn biochar_heat_output_beyond_the_feed_energy_is_refused() {
    let text = edit_text(
        &park_text(BIOCHAR_LOT),
        "heat_output = 0.6",
        "heat_output = 20",
    );
    let p = one_problem(&text);
    assert_eq!(p.key, "biochar.tech[0].heat_output");
    assert_eq!(p.line, line_of(&text, "heat_output = 20"));
    assert!(p.message.contains("more heat than the feed holds"), "{p:?}");
    assert!(p.message.contains("biomass_lhv = 4.5"), "{p:?}");
}

#[test]
fn a_scenario_name_must_be_one_word() {
    let text = park_text(BIOCHAR_LOT)
        + r#"
[[scenario]]
name = "a,b"
"#;
    let p = one_problem(&text);
    assert_eq!(p.key, "scenario[0].name");
    assert!(p.message.contains("letters, digits, - or _"), "{p:?}");
}

#[test]
fn a_scenario_set_may_not_give_both_alpha_and_discount_rate() {
    let text = park_text(BIOCHAR_LOT)
        + r#"
[[scenario]]
name = "both"
set = { discount_rate = 0.01, alpha = 0.2 }
"#;
    let p = one_problem(&text);
    assert_eq!(p.key, "scenario[0].set.alpha");
    assert!(p.message.contains("not both"), "{p:?}");
}

#[test]
fn a_scenario_may_override_energy_prices_and_demands() {
    let text = park_text(BIOCHAR_LOT)
        + r#"
[[scenario]]
name = "dear-gas"
set = { gas_price = 400, heat_demand = 0 }
"#;
    let park = load(&text);
    let sc = parkplan::analysis::compare::select(&park, &["dear-gas".to_string()]).unwrap();
    let p = parkplan::analysis::compare::scenario_park(&park, &sc[0]).unwrap();
    let en = p.energy.as_ref().unwrap();
    assert_eq!(en.gas_price_cny_per_mwh, 400.0);
    assert_eq!(en.heat_demand_mwh, 0.0);
    // The biochar's surplus heat (0.6 MWh/t) is worth 400 / 0.85... more than at
    // 250: its income per t rises by (0.6 - 0.2) x (400 - 250) / boiler efficiency.
    let eta = park.economics.boiler_efficiency;
    let before = parkplan::compile(&park)
        .items
        .last()
        .unwrap()
        .coef
        .income_per_unit;
    let after = parkplan::compile(&p)
        .items
        .last()
        .unwrap()
        .coef
        .income_per_unit;
    assert_close("income change", after - before, 0.4 * 150.0 / eta, 1e-9);
}

#[test]
fn a_profile_path_that_is_a_directory_is_refused() {
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.0.join("sub")).unwrap();
    let text = park_with_profile_file("sub");
    let path = dir.write("park.toml", &text);
    let Err(LoadError::Invalid(e)) = Park::load(&path) else {
        panic!("expected the park to be refused");
    };
    assert!(e.problems[0].message.contains("not a regular file"), "{e}");
}

#[test]
fn a_profile_that_is_not_utf8_names_the_line() {
    let mut csv = csv_rows(24).into_bytes();
    // Line 4 (header, two rows, then this one) holds a Latin-1 byte.
    let at = csv
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .unwrap()
        .0
        + 1;
    csv.insert(at, 0xe9);
    let dir = TempDir::new();
    dir.write("profile.csv", &csv);
    let path = dir.write("park.toml", park_with_profile_file("profile.csv"));
    let Err(LoadError::Invalid(e)) = Park::load(&path) else {
        panic!("expected the park to be refused");
    };
    let m = &e.problems[0].message;
    assert!(m.contains("profile.csv line 4"), "{m}");
    assert!(m.contains("UTF-8"), "{m}");
}

#[test]
fn a_profile_with_old_mac_line_ends_is_read() {
    let csv = csv_rows(48).replace('\n', "\r");
    let dir = TempDir::new();
    dir.write("profile.csv", csv);
    let path = dir.write("park.toml", park_with_profile_file("profile.csv"));
    let park = Park::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(park.energy.unwrap().profile.load.len(), 48);
}

#[test]
fn a_long_bad_header_is_quoted_short() {
    let header = "x".repeat(500);
    let (_, p, _) = refused_profile(Some(&format!("{header}\n1,2\n")), "profile.csv");
    assert!(p.message.len() < 300, "{}", p.message);
    assert!(p.message.contains("expected exactly `load,pv`"), "{p:?}");
}

#[test]
fn pv_serves_the_load_before_other_generation() {
    // A rooftop of PV and a BECCS CHP whose flat output alone exceeds the load:
    // PV is still counted as used in the park wherever there is load.
    let regions = r#"
[[region]]
id = 1
name = "Roof"
land = "rooftop"
pv = { max_m2 = 1000 }

[[region]]
id = 2
name = "CHP"
land = "factory"
beccs = { max_t_per_yr = 100000 }
"#;
    let park = park(regions);
    let opts = parkplan::compile(&park);
    let plan = Plan {
        choice: opts
            .groups
            .iter()
            .map(|g| {
                let it = &opts.items[g.items.start];
                Some(Built {
                    item: g.items.start,
                    capacity: it.hi,
                })
            })
            .collect(),
    };
    let l = ledger(&park, &opts, &plan);
    // BECCS makes 100,000 / (0.9 x 0.4) x 0.25 = 69,444 MWh a year, flat; the
    // load is 10,000 + 2,000 / COP: every PV kWh meets load in its hour.
    let s = l.kpis.pv_self_consumption.unwrap();
    assert!((s - 1.0).abs() < 1e-12, "{s}");
}

#[test]
fn shedding_the_flexible_load_lowers_the_peak_by_its_flat_power() {
    // DAC alone on a lot: its 0.5 MWh/t electricity is flat, half of it flexible.
    let regions = r#"
[[region]]
id = 1
name = "Lot"
land = "empty_lot"
dac = { max_t_per_yr = 8760 }
"#;
    let park = park(regions);
    let opts = parkplan::compile(&park);
    let plan = Plan {
        choice: vec![Some(Built {
            item: 0,
            capacity: 8760.0,
        })],
    };
    let l = ledger(&park, &opts, &plan);
    // 8,760 t/a x 0.5 MWh/t = 4,380 MWh a year = 0.5 MW flat; half can be shed.
    let k = &l.kpis;
    assert_close(
        "peak drop",
        k.peak_import_after_mw.unwrap() - k.peak_import_flexible_mw.unwrap(),
        0.25,
        1e-9,
    );
}

#[test]
fn the_command_line_set_overrides_a_scenario_and_takes_energy_keys() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_parkplan");
    let park = concat!(env!("CARGO_MANIFEST_DIR"), "/parks/net-park.toml");
    let benefit = |extra: &[&str]| {
        let mut args = vec![
            "compare",
            park,
            "--scenario",
            "high-carbon-price",
            "--format",
            "json",
        ];
        args.extend(extra);
        let o = Command::new(bin).args(&args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["scenarios"][0]["annual_benefit"].as_f64().unwrap()
    };
    let scenario = benefit(&[]);
    let zero = benefit(&["--set", "ets_price=0"]);
    let scenario_at_0 = {
        // high-carbon-price only sets ets_price and allows every strategy, so
        // with the command line's ETS of 0 it is the mix at ETS 0.
        let o = Command::new(bin)
            .args([
                "compare",
                park,
                "--scenario",
                "mix",
                "--set",
                "ets_price=0",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["scenarios"][0]["annual_benefit"].as_f64().unwrap()
    };
    assert!(zero < scenario, "{zero} vs {scenario}");
    assert!(
        (zero - scenario_at_0).abs() <= 1e-6 * zero.abs(),
        "{zero} vs {scenario_at_0}"
    );
    // An [energy] key on the command line.
    let o = Command::new(bin)
        .args(["solve", park, "--set", "gas_price=500", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new(bin)
        .args(["solve", "--set", "gas_price=500"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no [energy] table"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Saving the NET park from the console: the file is edited in place (its
/// comments kept) even where its profile CSV is not in the current directory,
/// and a copy saved to another directory still finds the CSV.
#[test]
fn the_net_park_saved_elsewhere_keeps_its_comments_and_its_profile() {
    use parkplan::park::{profile_path_for_save, updated_toml, with_profile_file};
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("parks/net-park.toml");
    let text = std::fs::read_to_string(&src).unwrap();
    let original = Park::load(&src).unwrap();
    let mut edited = original.clone();
    edited.set_param("ets_price", 123.0).unwrap();
    let saved = updated_toml(&text, &original, &edited).expect("edited in place");
    assert!(saved.contains("edited in the parkplan console"), "{saved}");
    assert_eq!(
        saved.lines().filter(|l| l.contains("# [")).count(),
        text.lines().filter(|l| l.contains("# [")).count()
    );
    // Beside the original: the relative path still works.
    let beside = src.with_file_name("copy.toml");
    assert_eq!(profile_path_for_save(&edited, Some(&src), &beside), None);
    // Elsewhere: the absolute path of the CSV.
    let dir = TempDir::new();
    let dest = dir.0.join("saved.toml");
    let abs = profile_path_for_save(&edited, Some(&src), &dest).expect("a new path");
    assert!(abs.ends_with("net-park-profile.csv"), "{abs}");
    let moved = with_profile_file(&saved, &abs).unwrap();
    std::fs::write(&dest, &moved).unwrap();
    let back = Park::load(&dest).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.economics, edited.economics);
    assert_eq!(
        back.energy.as_ref().unwrap().profile.load,
        original.energy.as_ref().unwrap().profile.load
    );
    // Only the path changed.
    assert_eq!(moved.lines().count(), saved.lines().count());
}

#[test]
fn an_energy_price_can_be_swept() {
    use std::process::Command;
    let bin = env!("CARGO_BIN_EXE_parkplan");
    let park = concat!(env!("CARGO_MANIFEST_DIR"), "/parks/net-park.toml");
    let o = Command::new(bin)
        .args([
            "sweep",
            park,
            "--param",
            "gas_price",
            "--values",
            "200,800",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["unit"], "CNY/MWh", "{v}");
    // Dearer gas makes the heat the NETs and heat pumps give worth more.
    let pts = v["points"].as_array().unwrap();
    let b = |i: usize| pts[i]["totals"]["annual_benefit"].as_f64().unwrap();
    assert!(b(1) > b(0), "{} vs {}", b(1), b(0));
    // Not on a park without [energy].
    let o = Command::new(bin)
        .args(["sweep", "--param", "gas_price", "--values", "200,800"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no [energy] table"));
}

#[test]
fn an_energy_price_edit_is_saved_in_place() {
    use parkplan::park::updated_toml;
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("parks/net-park.toml");
    let text = std::fs::read_to_string(&src).unwrap();
    let original = Park::load(&src).unwrap();
    let mut edited = original.clone();
    edited.set_param("gas_price", 500.0).unwrap();
    let saved = updated_toml(&text, &original, &edited).expect("edited in place");
    let line = saved
        .lines()
        .find(|l| l.starts_with("gas_price"))
        .expect("the gas price line");
    assert!(line.starts_with("gas_price = 500"), "{line}");
    assert!(
        line.contains("edited in the parkplan console (was 370)"),
        "{line}"
    );
    // Everything else is the same text.
    let changed = text
        .lines()
        .zip(saved.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 1);
}

#[test]
fn biomass_beyond_the_stated_supply_is_flagged() {
    // 5,000 t/a of biochar feed against a supply of 4,000 t/yr: 125 %, short.
    let text = edit_text(
        &park_text(BIOCHAR_LOT),
        "cooling_demand = 2_000",
        "cooling_demand = 2_000\nbiomass_supply = 4_000",
    );
    let park = load(&text);
    let opts = parkplan::compile(&park);
    let l = ledger(&park, &opts, &build_only(&opts, 5000.0));
    assert_close("biomass", l.kpis.biomass_t, 5000.0, 1e-12);
    assert_close("share", l.kpis.biomass_supply_share.unwrap(), 1.25, 1e-12);
    let rows = parkplan::report::kpi_rows(&l);
    let shown = |label: &str| rows.iter().find(|(k, _)| *k == label).unwrap().1.clone();
    assert_eq!(shown("biomass used"), "5,000 t/yr");
    assert_eq!(shown("share of the biomass supply"), "125 % (short)");
}

#[test]
fn a_zero_biomass_supply_is_refused() {
    let text = edit_text(
        &park_text(BIOCHAR_LOT),
        "cooling_demand = 2_000",
        "cooling_demand = 2_000\nbiomass_supply = 0",
    );
    let p = one_problem(&text);
    assert_eq!(p.key, "energy.biomass_supply");
    assert!(p.message.contains("> 0"), "{p:?}");
}

#[test]
fn a_non_utf8_byte_in_an_old_mac_profile_names_its_line() {
    let dir = TempDir::new();
    dir.write("profile.csv", b"load,pv\r1,0\r\xff,1\r".as_slice());
    let path = dir.write("park.toml", park_with_profile_file("profile.csv"));
    let Err(LoadError::Invalid(e)) = Park::load(&path) else {
        panic!("expected the park to be refused");
    };
    assert!(e.problems[0].message.contains("profile.csv line 3"), "{e}");
}

#[test]
fn a_crlf_park_keeps_its_line_ends_when_its_profile_path_changes() {
    let text = park_with_profile_file("profile.csv").replace('\n', "\r\n");
    let out = parkplan::park::with_profile_file(&text, "/data/profile.csv").unwrap();
    assert!(out.contains("file = \"/data/profile.csv\""), "{out}");
    assert_eq!(out.matches("\r\n").count(), text.matches("\r\n").count());
    assert!(!out.replace("\r\n", "").contains('\n'));
}

#[test]
fn a_generated_park_with_nets_round_trips_and_solves() {
    use parkplan::park::{generate_with_nets, to_toml};
    let park = generate_with_nets(40, 7);
    assert!(park.energy.is_some());
    let nets: usize = park
        .regions
        .iter()
        .flat_map(|r| &r.slots)
        .filter(|s| s.strategy.is_net())
        .count();
    assert!(nets > 0, "some NET slots among 40 regions");
    let back =
        Park::from_toml(&to_toml(&park, "test"), "gen.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, park);
    // The same seed gives the same paper-strategy slots as `generate`.
    let plain = parkplan::park::generate(40, 7);
    for (a, b) in park.regions.iter().zip(&plain.regions) {
        let paper: Vec<_> = a
            .slots
            .iter()
            .filter(|s| !s.strategy.is_net())
            .cloned()
            .collect();
        assert_eq!(paper, b.slots);
    }
    let (opts, sol) = parkplan::analysis::solve_best(&park, parkplan::Objective::Carbon);
    assert!(sol.plan.check(&opts).is_ok());
    let l = ledger(&park, &opts, &sol.plan);
    for c in l.energy.as_ref().unwrap() {
        assert!(
            (c.total_use - c.total_supply).abs() <= 1e-9 * c.total_use.max(1.0),
            "{c:?}"
        );
    }
}
