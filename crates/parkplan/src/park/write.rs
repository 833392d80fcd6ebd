//! Writing a park back to TOML, in the same layout and comment convention as
//! the shipped files, so an edited scenario can be saved and read again.

use std::fmt::Write;

use super::params::PARAMS;
use super::{Annualization, NetCommon, Park, ProfileSource, Strategy};

/// Formats a number so that TOML reads back exactly the same f64.
fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    }
}

fn string(s: &str) -> String {
    // TOML basic strings accept the same escapes as JSON for what we write.
    serde_json::to_string(s).expect("strings serialize")
}

/// The park as TOML. `source` is the text put after the unit in every comment
/// (e.g. "saved from the console" or "generated").
pub fn to_toml(park: &Park, source: &str) -> String {
    let mut o = String::new();
    let e = &park.economics;
    let _ = writeln!(
        o,
        "# Written by parkplan. Every number: \"# [unit] source\".\n"
    );
    let _ = writeln!(o, "[park]\nname = {}", string(&park.name));
    if !park.notes.is_empty() {
        let _ = writeln!(o, "notes = {}", string(&park.notes));
    }
    let _ = writeln!(o, "\n[economics]");
    for p in PARAMS {
        let v = p.get(e);
        let skip = matches!(
            (p.key, e.annualization),
            ("discount_rate", Annualization::Fixed { .. }) | ("alpha", Annualization::Crf { .. })
        );
        if !skip && v.is_finite() {
            let _ = writeln!(o, "{} = {}  # [{}] {source}", p.key, num(v), p.unit);
        }
    }
    let s = &park.solver;
    let _ = writeln!(o, "\n[solver]");
    let _ = writeln!(o, "population = {}  # [-] {source}", s.population);
    let _ = writeln!(o, "generations = {}  # [-] {source}", s.generations);
    let _ = writeln!(
        o,
        "crossover_rate = {}  # [-] {source}",
        num(s.crossover_rate)
    );
    let _ = writeln!(
        o,
        "mutation_rate = {}  # [-] {source}",
        num(s.mutation_rate)
    );
    let _ = writeln!(o, "elitism = {}  # [-] {source}", s.elitism);
    let _ = writeln!(o, "seed = {}  # [-] {source}", s.seed);
    let _ = writeln!(
        o,
        "stall_generations = {}  # [-] {source}",
        s.stall_generations
    );
    let _ = writeln!(o, "time_limit_s = {}  # [s] {source}", num(s.time_limit_s));

    let c = &park.catalogue;
    let _ = writeln!(
        o,
        "\n[fcs]\nproject_development_cost = {}  # [CNY] {source}",
        num(c.fcs_project_development_cny)
    );
    let kv = |o: &mut String, k: &str, v: f64, unit: &str| {
        let _ = writeln!(o, "{k} = {}  # [{unit}] {source}", num(v));
    };
    for t in &c.fcs {
        let _ = writeln!(
            o,
            "\n[[fcs.tech]]\ncode = {}\nname = {}",
            t.code,
            string(&t.name)
        );
        kv(&mut o, "growth_a", t.growth_a_m3, "m3/tree");
        kv(&mut o, "growth_b", t.growth_b_per_yr, "1/yr");
        kv(&mut o, "growth_c", t.growth_c, "-");
        kv(&mut o, "density", t.density_t_per_m3, "t/m3");
        kv(&mut o, "bef", t.bef, "-");
        kv(&mut o, "root_shoot", t.root_shoot, "-");
        kv(&mut o, "carbon_fraction", t.carbon_fraction, "-");
        kv(&mut o, "trees_per_ha", t.trees_per_ha, "trees/ha");
        kv(&mut o, "planting_cost", t.planting_cny_per_ha, "CNY/ha");
        kv(
            &mut o,
            "management_cost",
            t.management_cny_per_ha_yr,
            "CNY/ha/yr",
        );
        kv(&mut o, "timber_price", t.timber_price_cny_per_m3, "CNY/m3");
        kv(&mut o, "harvest_cost", t.harvest_cost_cny_per_m3, "CNY/m3");
    }
    for t in &c.ccu {
        let _ = writeln!(
            o,
            "\n[[ccu.tech]]\ncode = {}\nname = {}",
            t.code,
            string(&t.name)
        );
        kv(&mut o, "capex", t.capex_cny_per_t_yr, "CNY per t/a");
        kv(&mut o, "capture_opex", t.capture_opex_cny_per_t, "CNY/t");
        kv(
            &mut o,
            "transport_cost",
            t.transport_cny_per_t_km,
            "CNY/(t km)",
        );
        kv(&mut o, "maintenance", t.maintenance_cny_per_t, "CNY/t");
        kv(&mut o, "product_price", t.product_price_cny_per_t, "CNY/t");
        kv(&mut o, "power_use", t.power_mwh_per_t, "MWh/t");
        kv(&mut o, "steam_use", t.steam_gj_per_t, "GJ/t");
        kv(&mut o, "water_use", t.water_t_per_t, "t/t");
        kv(&mut o, "min_capacity", t.min_capacity_t_per_yr, "t/a");
    }
    for t in &c.whr {
        let _ = writeln!(
            o,
            "\n[[whr.tech]]\ncode = {}\nname = {}",
            t.code,
            string(&t.name)
        );
        kv(&mut o, "capex", t.capex_cny_per_kw, "CNY/kW");
        kv(&mut o, "efficiency", t.efficiency, "-");
        let _ = writeln!(o, "output = \"{}\"", t.output.key());
        kv(&mut o, "price", t.price_cny_per_kwh, "CNY/kWh");
        kv(&mut o, "maintenance", t.maintenance_cny_per_kwh, "CNY/kWh");
    }
    for t in &c.pv {
        let _ = writeln!(
            o,
            "\n[[pv.tech]]\ncode = {}\nname = {}",
            t.code,
            string(&t.name)
        );
        kv(&mut o, "capex", t.capex_cny_per_kw, "CNY/kW");
        kv(&mut o, "area_per_kw", t.area_m2_per_kw, "m2/kW");
        kv(&mut o, "efficiency", t.efficiency, "-");
        kv(&mut o, "loss_factor", t.loss_factor, "-");
        kv(&mut o, "maintenance", t.maintenance_cny_per_kwh, "CNY/kWh");
        kv(
            &mut o,
            "feed_in_price",
            t.feed_in_price_cny_per_kwh,
            "CNY/kWh",
        );
    }
    let common = |o: &mut String, k: &str, code: u32, name: &str, c: &NetCommon| {
        let _ = writeln!(o, "\n[[{k}.tech]]\ncode = {code}\nname = {}", string(name));
        kv(o, "capex", c.capex_cny_per_t_yr, "CNY per t/a");
        kv(o, "fixed_opex", c.fixed_opex_per_yr, "1/yr");
        kv(o, "variable_opex", c.variable_opex_cny_per_t, "CNY/t");
        kv(o, "min_capacity", c.min_capacity_t_per_yr, "t/a");
        kv(o, "flexible_share", c.flexible_share, "-");
    };
    for t in &c.dac {
        common(&mut o, "dac", t.code, &t.name, &t.common);
        kv(&mut o, "electricity_use", t.electricity_mwh_per_t, "MWh/t");
        kv(&mut o, "heat_use", t.heat_mwh_per_t, "MWh/t");
        kv(&mut o, "gas_use", t.gas_mwh_per_t, "MWh/t");
        kv(
            &mut o,
            "transport_cost",
            t.transport_cny_per_t_km,
            "CNY/(t km)",
        );
        kv(&mut o, "storage_cost", t.storage_cny_per_t, "CNY/t");
        kv(&mut o, "permanence", t.permanence, "-");
    }
    for t in &c.beccs {
        common(&mut o, "beccs", t.code, &t.name, &t.common);
        kv(&mut o, "capture_rate", t.capture_rate, "-");
        kv(&mut o, "biomass_ef", t.biomass_ef_t_per_mwh, "tCO2/MWh");
        kv(&mut o, "electric_efficiency", t.electric_efficiency, "-");
        kv(&mut o, "heat_efficiency", t.heat_efficiency, "-");
        kv(
            &mut o,
            "capture_electricity",
            t.capture_electricity_mwh_per_t,
            "MWh/t",
        );
        kv(&mut o, "capture_heat", t.capture_heat_mwh_per_t, "MWh/t");
        kv(&mut o, "biomass_lhv", t.biomass_lhv_mwh_per_t, "MWh/t");
        kv(&mut o, "biomass_price", t.biomass_price_cny_per_t, "CNY/t");
        kv(
            &mut o,
            "biomass_supply_ef",
            t.biomass_supply_ef_t_per_t,
            "tCO2/t",
        );
        kv(
            &mut o,
            "transport_cost",
            t.transport_cny_per_t_km,
            "CNY/(t km)",
        );
        kv(&mut o, "storage_cost", t.storage_cny_per_t, "CNY/t");
        kv(&mut o, "permanence", t.permanence, "-");
    }
    for t in &c.biochar {
        common(&mut o, "biochar", t.code, &t.name, &t.common);
        kv(&mut o, "biochar_yield", t.biochar_yield, "t/t");
        kv(&mut o, "carbon_content", t.carbon_content, "t C/t");
        kv(&mut o, "permanence", t.permanence, "-");
        kv(&mut o, "electricity_use", t.electricity_mwh_per_t, "MWh/t");
        kv(&mut o, "heat_use", t.heat_mwh_per_t, "MWh/t");
        kv(&mut o, "heat_output", t.heat_output_mwh_per_t, "MWh/t");
        kv(&mut o, "biomass_lhv", t.biomass_lhv_mwh_per_t, "MWh/t");
        kv(&mut o, "biomass_price", t.biomass_price_cny_per_t, "CNY/t");
        kv(
            &mut o,
            "biomass_supply_ef",
            t.biomass_supply_ef_t_per_t,
            "tCO2/t",
        );
        kv(&mut o, "biochar_price", t.biochar_price_cny_per_t, "CNY/t");
    }
    if let Some(en) = &park.energy {
        let _ = writeln!(o, "\n[energy]");
        kv(
            &mut o,
            "electricity_price",
            en.electricity_price_cny_per_mwh,
            "CNY/MWh",
        );
        kv(&mut o, "gas_price", en.gas_price_cny_per_mwh, "CNY/MWh");
        kv(
            &mut o,
            "electricity_demand",
            en.electricity_demand_mwh,
            "MWh/yr",
        );
        kv(&mut o, "heat_demand", en.heat_demand_mwh, "MWh/yr");
        kv(&mut o, "cooling_demand", en.cooling_demand_mwh, "MWh/yr");
        if let Some(b) = en.biomass_supply_t {
            kv(&mut o, "biomass_supply", b, "t/yr");
        }
        let _ = writeln!(o, "\n[energy.profile]");
        match &en.profile.source {
            ProfileSource::File(f) => {
                let _ = writeln!(o, "file = {}", string(f));
            }
            ProfileSource::Generated { day_load_factor } => {
                kv(&mut o, "day_load_factor", *day_load_factor, "-");
            }
        }
    }
    for sc in &park.scenarios {
        let _ = writeln!(o, "\n[[scenario]]\nname = {}", string(&sc.name));
        if !sc.description.is_empty() {
            let _ = writeln!(o, "description = {}", string(&sc.description));
        }
        let keys: Vec<String> = sc.strategies.iter().map(|s| string(s.key())).collect();
        let _ = writeln!(o, "strategies = [{}]", keys.join(", "));
        if !sc.set.is_empty() {
            let set: Vec<String> = sc
                .set
                .iter()
                .map(|(k, v)| format!("{k} = {}", num(*v)))
                .collect();
            let _ = writeln!(o, "set = {{ {} }}", set.join(", "));
        }
    }
    if !park.uncertainty.is_empty() {
        let _ = write!(o, "\n{}", park.uncertainty.to_toml());
    }
    for r in &park.regions {
        let _ = writeln!(
            o,
            "\n[[region]]\nid = {}\nname = {}\nland = \"{}\"",
            r.id,
            string(&r.name),
            r.land.key()
        );
        for slot in &r.slots {
            // Written in report units (m2, t/a, kW) so values round-trip exactly.
            let (max_key, min_key, unit) = match slot.strategy {
                Strategy::Fcs | Strategy::Pv => ("max_m2", "min_m2", "m2"),
                Strategy::Ccu | Strategy::Dac | Strategy::Beccs | Strategy::Biochar => {
                    ("max_t_per_yr", "min_t_per_yr", "t/a")
                }
                Strategy::Whr => ("max_kw", "min_kw", "kW"),
            };
            let mut parts = vec![format!("{max_key} = {}", num(slot.max))];
            if slot.min > 0.0 {
                parts.push(format!("{min_key} = {}", num(slot.min)));
            }
            if let Some(t) = &slot.techs {
                let codes: Vec<String> = t.iter().map(|c| c.to_string()).collect();
                parts.push(format!("techs = [{}]", codes.join(", ")));
            }
            let _ = writeln!(
                o,
                "{} = {{ {} }}  # [{unit}] {source}",
                slot.strategy.key(),
                parts.join(", ")
            );
        }
    }
    o
}
