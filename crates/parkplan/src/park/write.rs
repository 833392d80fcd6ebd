//! Writing a park back to TOML, in the same layout and comment convention as
//! the shipped files, so an edited scenario can be saved and read again.

use std::fmt::Write;

use super::params::{PARAMS, SOLVER_PARAMS};
use super::techs::Tech;
use super::{Annualization, Park, ProfileSource};

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

/// `[[strategy.tech]]` tables, every field from [`Tech::FIELDS`].
fn techs<T: Tech>(o: &mut String, list: &[T], source: &str) {
    for t in list {
        let _ = writeln!(
            o,
            "\n[[{}.tech]]\ncode = {}\nname = {}",
            T::STRATEGY.key(),
            t.code(),
            string(t.name())
        );
        for f in T::FIELDS {
            let _ = writeln!(o, "{} = {}  # [{}] {source}", f.key, num(f.get(t)), f.unit);
        }
        for f in T::OPTIONAL.iter().filter(|f| f.get(t).is_finite()) {
            let _ = writeln!(o, "{} = {}  # [{}] {source}", f.key, num(f.get(t)), f.unit);
        }
        for c in T::CHOICES {
            let _ = writeln!(o, "{} = {}", c.key, string((c.get)(t)));
        }
    }
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
    let _ = writeln!(o, "\n[solver]");
    for p in SOLVER_PARAMS {
        let _ = writeln!(
            o,
            "{} = {}  # [{}] {source}",
            p.key,
            num(p.get(&park.solver)),
            p.unit
        );
    }

    let c = &park.catalogue;
    let _ = writeln!(
        o,
        "\n[fcs]\nproject_development_cost = {}  # [CNY] {source}",
        num(c.fcs_project_development_cny)
    );
    let kv = |o: &mut String, k: &str, v: f64, unit: &str| {
        let _ = writeln!(o, "{k} = {}  # [{unit}] {source}", num(v));
    };
    techs(&mut o, &c.fcs, source);
    techs(&mut o, &c.ccu, source);
    techs(&mut o, &c.whr, source);
    techs(&mut o, &c.pv, source);
    techs(&mut o, &c.dac, source);
    techs(&mut o, &c.beccs, source);
    techs(&mut o, &c.biochar, source);
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
        if let Some(x) = en.export_price_cny_per_mwh {
            kv(&mut o, "export_price", x, "CNY/MWh");
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
    if !park.land.is_empty() {
        let _ = writeln!(o, "\n[land]");
        if let Some(t) = park.land.total_m2 {
            kv(&mut o, "total", t, "m2");
        }
        for (g, a) in &park.land.groups {
            kv(&mut o, g, *a, "m2");
        }
    }
    for r in &park.regions {
        let _ = writeln!(
            o,
            "\n[[region]]\nid = {}\nname = {}\nland = \"{}\"",
            r.id,
            string(&r.name),
            r.land.key()
        );
        if let Some(g) = &r.land_group {
            let _ = writeln!(o, "land_group = {}", string(g));
        }
        for slot in &r.slots {
            // Written in report units (m2, t/a, kW) so values round-trip exactly.
            let [u, _] = slot.strategy.capacity_units();
            let (max_key, min_key, unit) = (u.max_key, u.min_key, u.unit);
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
