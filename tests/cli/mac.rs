//! The MAC curve with resource rows (docs/energy-and-nets.md, "The MAC with
//! resource rows"): walked cheapest first against the rows' remaining
//! capacity. Expected bars are worked out by hand below; a second method (the
//! plan building every bar, evaluated by `Plan::evaluate`) checks the sums.

use std::process::Command;

use parkplan::analysis::mac::{self, MacEntry};
use parkplan::model::{Options, compile};
use parkplan::park::{Annualization, Park, Strategy, WhrOutput};
use parkplan::plan::{Built, Plan};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// The paper case before its regions, without WHR's `displaced_ef` (which a
/// park with `[energy]` cannot use).
fn paper_head() -> String {
    let paper = parkplan::park::PAPER_CASE_TOML;
    paper[..paper.find("[[region]]").expect("paper case has regions")]
        .lines()
        .filter(|l| !l.starts_with("displaced_ef"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Three factories with one WHR technology each (1 MW of waste heat), round
/// numbers throughout: 1,000 h/yr at efficiency 1 make 1 MWh of output per kW.
///
/// * economics: alpha 0.1 (fixed), ETS 50 CNY/t, chiller COP 4, grid_ef 0.8
///   t/MWh, boiler efficiency 0.8, gas_ef 0.16 t/MWh: a MWh of cooling or of
///   heat avoids 0.8 / 4 = 0.16 / 0.8 = 0.2 t.
/// * tech 1, chiller (region 1): capex 500 CNY/kW, price 0.10, maintenance 0.02 CNY/kWh.
/// * tech 2, chiller (region 2): capex 1,000, price 0.12, maintenance 0.02.
/// * tech 4, heat exchanger (region 3): capex 1,000, price 0.05, maintenance 0.01.
fn whr_park(cooling_demand: f64) -> Park {
    let text = format!(
        "{}
[energy]
electricity_price = 650
gas_price = 300
electricity_demand = 1000
heat_demand = 10000
cooling_demand = {cooling_demand}
[energy.profile]
day_load_factor = 1

[[region]]
id = 1
name = \"Chiller A\"
land = \"factory\"
whr = {{ max_kw = 1000, techs = [1] }}

[[region]]
id = 2
name = \"Chiller B\"
land = \"factory\"
whr = {{ max_kw = 1000, techs = [2] }}

[[region]]
id = 3
name = \"Exchanger\"
land = \"factory\"
whr = {{ max_kw = 1000, techs = [4] }}
",
        paper_head()
    );
    let mut park = Park::from_toml(&text, "whr.toml").unwrap_or_else(|e| panic!("{e}"));
    let e = &mut park.economics;
    e.annualization = Annualization::Fixed { alpha: 0.1 };
    e.ets_price_cny_per_t = 50.0;
    e.operating_hours_h_per_yr = 1000.0;
    e.chiller_cop = 4.0;
    e.grid_ef_t_per_mwh = 0.8;
    e.boiler_efficiency = 0.8;
    e.gas_ef_t_per_mwh = 0.16;
    e.capex_cap_cny = 1e12;
    let set = |park: &mut Park, code: u32, output, capex, price, maint| {
        let w = park
            .catalogue
            .whr
            .iter_mut()
            .find(|w| w.code == code)
            .expect("paper WHR tech");
        w.output = output;
        w.efficiency = 1.0;
        w.capex_cny_per_kw = capex;
        w.price_cny_per_kwh = price;
        w.maintenance_cny_per_kwh = maint;
    };
    set(&mut park, 1, WhrOutput::Cooling, 500.0, 0.10, 0.02);
    set(&mut park, 2, WhrOutput::Cooling, 1000.0, 0.12, 0.02);
    set(&mut park, 4, WhrOutput::Heat, 1000.0, 0.05, 0.01);
    park
}

/// An expected bar: region, capacity (kW), CNY/t, t/yr, capex (CNY), limited by.
type Bar = (u32, f64, f64, f64, f64, &'static [&'static str]);

fn bars(curve: &[MacEntry]) -> Vec<&MacEntry> {
    curve.iter().filter(|m| !m.alternative).collect()
}

/// The plan that builds every bar at its capacity (a second method for the
/// walk's running sums).
fn plan_of(opts: &Options, curve: &[MacEntry]) -> Plan {
    let mut plan = Plan::empty(opts);
    for m in bars(curve) {
        let (g, i) = opts
            .groups
            .iter()
            .enumerate()
            .flat_map(|(g, gr)| gr.items.clone().map(move |i| (g, i)))
            .find(|&(_, i)| {
                let it = &opts.items[i];
                it.region_id == m.region && it.strategy == m.strategy && it.tech == m.technology
            })
            .expect("the bar's option");
        assert!(plan.choice[g].is_none(), "two bars in one group: {m:?}");
        plan.choice[g] = Some(Built {
            item: i,
            capacity: m.capacity,
        });
    }
    plan
}

/// Sum of the bars' abatement and of their net cost (cost per t x t) equal
/// the evaluated plan's CO2 and its alpha x capex less income before carbon.
fn assert_sums(opts: &Options, curve: &[MacEntry], ets: f64) {
    let plan = plan_of(opts, curve);
    plan.check(opts).unwrap();
    let t = plan.evaluate(opts).totals;
    let co2: f64 = bars(curve).iter().map(|m| m.potential_t).sum();
    let cost: f64 = bars(curve)
        .iter()
        .map(|m| m.cost_per_t * m.potential_t)
        .sum();
    assert!(
        close(co2, t.annual_co2_reduction, 1e-9),
        "bars {co2} vs plan {}",
        t.annual_co2_reduction
    );
    let plan_cost = opts.alpha * t.capex - (t.annual_income - ets * t.annual_co2_reduction);
    assert!(
        close(cost, plan_cost, 1e-9),
        "bars {cost} vs plan {plan_cost}"
    );
}

#[test]
fn cooling_demand_caps_a_chiller_s_credit_and_reorders_the_curve() {
    let park = whr_park(1500.0);
    let opts = compile(&park);
    let curve = mac::curve(&opts, 50.0);
    let b = bars(&curve);
    assert_eq!(b.len(), 3, "{curve:#?}");
    // Bar 1, chiller A, 1,000 kW: 1,000 MWh of cooling, within the demand of
    // 1,500. CO2 1,000 x 0.2 = 200 t. Income before carbon (0.10 - 0.02) x
    // 1,000 kWh x 1,000 kW = 80,000; alpha x capex 0.1 x 500,000 = 50,000.
    // Cost (50,000 - 80,000) / 200 = -150 CNY/t.
    // Alone, chiller B would come next: (100,000 - 100,000) / 200 = 0 CNY/t.
    // Given bar 1 it makes 1,000 MWh of which 500 are beyond the demand. The
    // surplus is taken from the cheapest class first (the LP's choice): chiller
    // A's cooling, worth 100 + 50 x 0.2 = 110 CNY/MWh with its credit (chiller
    // B's is worth 120 + 10 = 130). So B adds 200 - 500 x 0.2 = 100 t, and
    // its income 110,000 (with carbon) - 500 x 110 = 55,000, before carbon
    // 55,000 - 50 x 100 = 50,000: cost (100,000 - 50,000) / 100 = 500 CNY/t.
    // The exchanger, heat within its demand: 1,000 MWh x 0.2 = 200 t, income
    // before carbon (0.05 - 0.01) x 1e6 = 40,000, cost (100,000 - 40,000) /
    // 200 = 300 CNY/t: it now comes before chiller B.
    let expected: [Bar; 3] = [
        (1, 1000.0, -150.0, 200.0, 500_000.0, &[]),
        (3, 1000.0, 300.0, 200.0, 1_000_000.0, &[]),
        (2, 1000.0, 500.0, 100.0, 1_000_000.0, &["cooling demand"]),
    ];
    for (m, (region, cap, cost, co2, capex, why)) in b.iter().zip(expected) {
        assert_eq!(m.region, region, "{curve:#?}");
        assert!(close(m.capacity, cap, 1e-12), "{m:?}");
        assert!(close(m.cost_per_t, cost, 1e-9), "{m:?} vs {cost}");
        assert!(close(m.potential_t, co2, 1e-9), "{m:?} vs {co2}");
        assert!(close(m.capex, capex, 1e-12), "{m:?}");
        assert_eq!(m.limited_by, why, "{m:?}");
    }
    // No bar's credited cooling exceeds the demand: the chillers' CO2 is all
    // cooling credit, 0.2 t per MWh.
    let cooling: f64 = b
        .iter()
        .filter(|m| m.strategy == Strategy::Whr && m.region != 3)
        .map(|m| m.potential_t / 0.2)
        .sum();
    assert!(cooling <= 1500.0 * (1.0 + 1e-12), "{cooling}");
    assert_sums(&opts, &curve, 50.0);
    assert!(mac::walk(&opts, 50.0).unused.is_empty());
}

#[test]
fn with_room_to_spare_the_walk_is_the_per_option_curve() {
    // Demand of 1e9 MWh: no row binds, every bar is its option alone (the
    // same figures as above for bars 1 and 3, chiller B at 0 CNY/t and 200 t),
    // cheapest first, nothing marked.
    let park = whr_park(1e9);
    let opts = compile(&park);
    let curve = mac::curve(&opts, 50.0);
    let got: Vec<(u32, f64, f64)> = curve
        .iter()
        .map(|m| (m.region, m.cost_per_t, m.potential_t))
        .collect();
    let want = [(1, -150.0, 200.0), (2, 0.0, 200.0), (3, 300.0, 200.0)];
    assert_eq!(got.len(), 3);
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.0, w.0, "{got:?}");
        assert!(close(g.1, w.1, 1e-9) && close(g.2, w.2, 1e-9), "{got:?}");
    }
    assert!(curve.iter().all(|m| m.limited_by.is_empty()));
    assert_sums(&opts, &curve, 50.0);
}

#[test]
fn a_chiller_with_no_demand_left_is_off_the_curve() {
    // Demand 1,000 MWh: chiller A (first, -150 CNY/t) takes all of it, and
    // chiller B would add 1,000 MWh all beyond it: 0 t, off the curve, named.
    let park = whr_park(1000.0);
    let opts = compile(&park);
    let c = mac::walk(&opts, 50.0);
    let regions: Vec<u32> = c.entries.iter().map(|m| m.region).collect();
    assert_eq!(regions, [1, 3], "{c:#?}");
    assert_eq!(c.unused.len(), 1, "{c:#?}");
    assert_eq!(c.unused[0].region, 2);
    assert_eq!(c.unused[0].limited_by, ["cooling demand"]);
    assert_sums(&opts, &c.entries, 50.0);
}

/// The net park's catalogue (BECCS, biochar) before its regions, with
/// `[energy]` replaced: heat demand out of the way, a generated profile and
/// this biomass supply.
fn biomass_park(supply: f64) -> Park {
    let net = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/parks/net-park.toml"))
        .expect("net park");
    let at = |t: &str| net.find(&format!("\n{t}\n")).expect(t) + 1;
    let head = &net[..at("[energy]")];
    let mid = &net[at("[solver]")..at("[[region]]")];
    let text = format!(
        "{head}[energy]
electricity_price = 750
gas_price = 370
electricity_demand = 680000
heat_demand = 1e9
cooling_demand = 0
biomass_supply = {supply:?}
[energy.profile]
day_load_factor = 1

{mid}
[[region]]
id = 1
name = \"BECCS 1\"
land = \"factory\"
beccs = {{ max_kt_per_yr = 80, techs = [1] }}

[[region]]
id = 2
name = \"BECCS 2\"
land = \"factory\"
beccs = {{ max_kt_per_yr = 80, techs = [1] }}

[[region]]
id = 3
name = \"Residue yard\"
land = \"factory\"
biochar = {{ max_kt_per_yr = 10 }}

[[region]]
id = 4
name = \"BECCS 4\"
land = \"factory\"
beccs = {{ max_kt_per_yr = 80, techs = [1] }}
"
    );
    let mut park = Park::from_toml(&text, "biomass.toml").unwrap_or_else(|e| panic!("{e}"));
    park.economics.capex_cap_cny = 1e12;
    park
}

#[test]
fn biomass_supply_cuts_beccs() {
    // BECCS tech 1 of the net park is sized in t of CO2 captured a year: a t
    // needs 1 / (capture 0.9 x 0.4032 t/MWh x 5 MWh/t) = 1 / 1.8144 t of dry
    // biomass. The biochar line (10,000 t/a of feed, 1 t of biomass per t)
    // comes first (cheaper per tonne, checked below), then BECCS 1 whole
    // (80,000 t/a, 44,091 t of biomass), then BECCS 2 with what is left:
    // supply 10,000 + 130,000 / 1.8144 leaves it 50,000 t/a (above its
    // 30,000 minimum). BECCS 4 gets nothing: off the curve, biomass named.
    let per_t = 1.0 / (0.9 * 0.4032 * 5.0);
    let supply = 10_000.0 + 130_000.0 * per_t;
    let park = biomass_park(supply);
    let opts = compile(&park);
    let ets = park.economics.ets_price_cny_per_t;
    let c = mac::walk(&opts, ets);
    let b = bars(&c.entries);
    let got: Vec<(u32, Strategy)> = b.iter().map(|m| (m.region, m.strategy)).collect();
    assert_eq!(
        got,
        [
            (3, Strategy::Biochar),
            (1, Strategy::Beccs),
            (2, Strategy::Beccs)
        ],
        "{c:#?}"
    );
    // Each bar from its option's linear coefficients (per t/a, no fixed
    // capex): at capacity a, CO2 = co2 a, capex = capex a, and the cost per
    // tonne (alpha capex - (income - ets co2)) / co2 does not depend on a, so
    // the cut BECCS 2 costs what BECCS 1 does, on 50,000 of its 80,000 t/a.
    for (m, cap) in b.iter().zip([10_000.0, 80_000.0, 50_000.0]) {
        let it = opts
            .items
            .iter()
            .find(|it| it.region_id == m.region && it.strategy == m.strategy)
            .unwrap();
        let k = &it.coef;
        assert_eq!(k.capex_fixed, 0.0);
        let cost = (opts.alpha * k.capex_per_unit - (k.income_per_unit - ets * k.co2_per_unit))
            / k.co2_per_unit;
        assert!(close(m.capacity, cap, 1e-9), "{m:?} vs {cap}");
        assert!(close(m.potential_t, k.co2_per_unit * cap, 1e-9), "{m:?}");
        assert!(close(m.capex, k.capex_per_unit * cap, 1e-9), "{m:?}");
        assert!(close(m.cost_per_t, cost, 1e-9), "{m:?} vs {cost}");
    }
    assert!(b[0].cost_per_t < b[1].cost_per_t);
    assert!(b[0].limited_by.is_empty() && b[1].limited_by.is_empty());
    assert_eq!(b[2].limited_by, ["biomass supply"]);
    assert_eq!(c.unused.len(), 1, "{c:#?}");
    assert_eq!(
        (c.unused[0].region, c.unused[0].limited_by.clone()),
        (4, vec!["biomass supply".to_string()])
    );
    // The plan of all bars uses the whole supply, no more.
    let plan = plan_of(&opts, &c.entries);
    let used = opts
        .rows
        .rows
        .iter()
        .position(|r| r.name == "biomass")
        .map(|r| opts.rows.usage(r, &plan))
        .unwrap();
    assert!(close(used, supply, 1e-9), "{used} vs {supply}");
    assert_sums(&opts, &c.entries, ets);
}

#[test]
fn mac_marks_the_limited_bars_in_table_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("whr.toml");
    std::fs::write(&file, parkplan::park::to_toml(&whr_park(1000.0), "test")).unwrap();
    let f = file.to_str().unwrap();
    let run = |fmt: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_parkplan"))
            .args(["mac", f, "--format", fmt])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{json}");
    assert!(
        entries.iter().all(|e| e.get("limited_by").is_none()),
        "{json}"
    );
    assert_eq!(json["unused"][0]["region"], 2, "{json}");
    assert_eq!(
        json["unused"][0]["limited_by"][0], "cooling demand",
        "{json}"
    );
    let table = run("table");
    assert!(
        table.contains("adding nothing once the bars above have used the rows"),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.contains("region 2 WHR 2") && l.ends_with("cooling demand")),
        "{table}"
    );
    // Demand 1,500: chiller B's bar is cut, marked in every format.
    std::fs::write(&file, parkplan::park::to_toml(&whr_park(1500.0), "test")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let last = &json["entries"][2];
    assert_eq!(last["region"], 2, "{json}");
    assert_eq!(last["limited_by"][0], "cooling demand", "{json}");
    assert_eq!(last["cost_per_t"], 500.0, "{json}");
    let csv = run("csv");
    let head = csv.lines().next().unwrap();
    assert!(head.ends_with(",alternative,limited_by"), "{head}");
    assert!(
        csv.lines()
            .nth(3)
            .unwrap()
            .ends_with(",false,cooling demand"),
        "{csv}"
    );
    let table = run("table");
    assert!(table.contains("limited by"), "{table}");
    let row = table.lines().find(|l| l.contains("2 Organic")).unwrap();
    assert!(
        row.contains("500.0") && row.contains("cooling demand"),
        "{table}"
    );
}

/// A small generated park with NETs whose cooling and heat demands, biomass
/// supply and export price are random shares of what its options could make
/// or use, so that rows bind in some parks and not in others.
fn random_park(seed: u64) -> Park {
    let mut park = parkplan::park::generate_with_nets(2 + (seed % 4) as usize, seed);
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let opts = compile(&park);
    let (mut cool, mut heat, mut bio, mut el) = (0.0, 0.0, 0.0, 0.0);
    for it in &opts.items {
        let f = parkplan::model::flows(&park, it);
        cool += f.cooling_out_mwh * it.hi;
        heat += f.heat_out_mwh * it.hi;
        bio += f.biomass_in_t * it.hi;
        el += f.electricity_out_mwh * it.hi;
    }
    let en = park.energy.as_mut().expect("an energy baseline");
    en.cooling_demand_mwh = (cool * next() * 0.6).round();
    en.heat_demand_mwh = (heat * next() * 0.6).round();
    en.biomass_supply_t = (bio > 0.0).then(|| (bio * next() * 0.8).round().max(1.0));
    if next() < 0.5 {
        en.electricity_demand_mwh = (el * next() * 0.6).round();
        en.export_price_cny_per_mwh = Some((next() * 800.0).round());
    }
    // The curve ignores the budget (it draws its line): out of the way, so
    // that `check` looks at the rows.
    park.economics.capex_cap_cny = 1e15;
    park
}

/// What option `j` adds to `plan` by a second method: at its cap cut by the
/// limit rows' room (from `Rows::usage`), the difference of two
/// `Plan::evaluate`s. (capacity, CO2, cost per t), or None if it adds no CO2.
fn added(opts: &Options, plan: &Plan, g: usize, j: usize, ets: f64) -> Option<(f64, f64, f64)> {
    let it = &opts.items[j];
    let mut a = it.hi;
    for (r, row) in opts.rows.rows.iter().enumerate() {
        if row.credit.is_some() {
            continue;
        }
        if let Some(&(_, c)) = row.terms.iter().find(|(i, _)| *i == j)
            && c > 0.0
        {
            a = a.min((row.rhs - opts.rows.usage(r, plan)).max(0.0) / c);
        }
    }
    if a <= 0.0 || a < it.lo * (1.0 - 1e-12) {
        return None;
    }
    let mut with = plan.clone();
    with.choice[g] = Some(Built {
        item: j,
        capacity: a,
    });
    let (t0, t1) = (plan.evaluate(opts).totals, with.evaluate(opts).totals);
    let co2 = t1.annual_co2_reduction - t0.annual_co2_reduction;
    if co2 <= 1e-9 * (it.coef.co2_per_unit * a).abs() {
        return None;
    }
    let capex = t1.capex - t0.capex;
    let income = t1.annual_income - t0.annual_income;
    let cost = (opts.alpha * capex - (income - ets * co2)) / co2;
    cost.is_finite().then_some((a, co2, cost))
}

#[test]
fn on_random_parks_each_bar_is_the_cheapest_next_option_and_what_it_adds() {
    let mut limited = 0;
    for seed in 1..=200u64 {
        let park = random_park(seed);
        let opts = compile(&park);
        let ets = park.economics.ets_price_cny_per_t;
        let c = mac::walk(&opts, ets);
        let mut plan = Plan::empty(&opts);
        let group_of = |m: &MacEntry| {
            opts.groups
                .iter()
                .enumerate()
                .flat_map(|(g, gr)| gr.items.clone().map(move |i| (g, i)))
                .find(|&(_, i)| {
                    let it = &opts.items[i];
                    it.region_id == m.region && it.strategy == m.strategy && it.tech == m.technology
                })
                .unwrap()
        };
        for m in &c.entries {
            let (g, i) = group_of(m);
            // Its figures are what it adds to the bars before it (the plan
            // so far; an alternative, to the plan before its group's bar).
            // Alternatives follow their group's bar, the last one built.
            let mut before = plan.clone();
            if m.alternative {
                before.choice[g] = None;
            }
            let (cap, co2, cost) = added(&opts, &before, g, i, ets)
                .unwrap_or_else(|| panic!("seed {seed}: {m:?} adds nothing"));
            assert!(close(m.capacity, cap, 1e-9), "seed {seed}: {m:?} vs {cap}");
            assert!(
                close(m.potential_t, co2, 1e-7),
                "seed {seed}: {m:?} vs {co2}"
            );
            assert!(
                (m.cost_per_t - cost).abs() <= 1e-6 * cost.abs().max(1.0),
                "seed {seed}: {m:?} vs {cost}"
            );
            limited += usize::from(!m.limited_by.is_empty());
            if m.alternative {
                continue;
            }
            // No option of a group still open adds CO2 more cheaply.
            for (h, gr) in opts.groups.iter().enumerate() {
                if plan.choice[h].is_some() {
                    continue;
                }
                for j in gr.items.clone() {
                    if let Some((_, _, other)) = added(&opts, &plan, h, j, ets) {
                        assert!(
                            m.cost_per_t <= other + 1e-6 * other.abs().max(1.0),
                            "seed {seed}: {m:?} before item {j} at {other}"
                        );
                    }
                }
            }
            plan.choice[g] = Some(Built {
                item: i,
                capacity: m.capacity,
            });
        }
        // The plan of all bars keeps every limit row, and the unused add nothing.
        plan.check(&opts)
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        for u in &c.unused {
            let (h, j) = opts
                .groups
                .iter()
                .enumerate()
                .flat_map(|(g, gr)| gr.items.clone().map(move |i| (g, i)))
                .find(|&(_, i)| {
                    let it = &opts.items[i];
                    it.region_id == u.region && it.strategy == u.strategy && it.tech == u.technology
                })
                .unwrap();
            assert!(plan.choice[h].is_none());
            assert!(
                added(&opts, &plan, h, j, ets).is_none(),
                "seed {seed}: {u:?}"
            );
            assert!(!u.limited_by.is_empty());
        }
        assert_sums(&opts, &c.entries, ets);
    }
    assert!(limited > 0, "no row cut a bar in 200 parks");
}
