//! Decoding a park document into [`Park`], validating as it goes.

use std::collections::HashMap;

use toml::de::DeTable;

use super::params::PARAMS;
use super::read::{Reader, Rule, Table, fmt_num};
use super::*;

const M2_PER_HA: f64 = 10_000.0;

/// Capacity keys accepted per strategy: (suffix, factor to the report unit).
fn capacity_units(s: Strategy) -> &'static [(&'static str, &'static str, f64)] {
    // (max key, min key, factor)
    match s {
        Strategy::Fcs | Strategy::Pv => {
            &[("max_ha", "min_ha", M2_PER_HA), ("max_m2", "min_m2", 1.0)]
        }
        Strategy::Ccu => &[
            ("max_kt_per_yr", "min_kt_per_yr", 1000.0),
            ("max_t_per_yr", "min_t_per_yr", 1.0),
        ],
        Strategy::Whr => &[("max_mw", "min_mw", 1000.0), ("max_kw", "min_kw", 1.0)],
    }
}

pub(super) fn decode(text: &str) -> Result<Park, Vec<Problem>> {
    let mut r = Reader::new(text);
    let doc = match DeTable::parse_recoverable(text) {
        (doc, errors) if errors.is_empty() => doc,
        (_, errors) => {
            for e in errors {
                let span = e.span().unwrap_or(0..0);
                let msg = e.message().trim().to_string();
                r.problem(&span, "", format!("TOML syntax error: {msg}"));
            }
            return Err(r.problems);
        }
    };
    let mut root = Table::new("", doc.span(), doc.get_ref());
    let park = decode_root(&mut r, &mut root);
    root.finish(&mut r);
    match park {
        Some(p) if r.problems.is_empty() => Ok(p),
        _ => {
            r.problems.sort_by_key(|p| (p.line, p.column));
            Err(r.problems)
        }
    }
}

fn decode_root(r: &mut Reader, root: &mut Table) -> Option<Park> {
    let (name, notes) = match root.table(r, "park") {
        Some(mut t) => {
            let name = t.string(r, "name");
            let notes = t.opt_string(r, "notes").flatten().unwrap_or_default();
            t.finish(r);
            (name, notes)
        }
        None => {
            let span = root.span.clone();
            r.problem(&span, "park", "missing table [park] with at least `name`");
            (None, String::new())
        }
    };
    let economics = match root.table(r, "economics") {
        Some(mut t) => {
            let e = economics(r, &mut t);
            t.finish(r);
            e
        }
        None => {
            let span = root.span.clone();
            r.problem(&span, "economics", "missing table [economics]");
            None
        }
    };
    let solver = match root.table(r, "solver") {
        Some(mut t) => {
            let s = solver(r, &mut t);
            t.finish(r);
            s
        }
        None => Some(SolverSettings::default()),
    };
    let catalogue = catalogue(r, root);
    let regions = regions(r, root, catalogue.as_ref());
    Some(Park {
        name: name?,
        notes,
        economics: economics?,
        solver: solver?,
        catalogue: catalogue?,
        regions: regions?,
    })
}

fn economics(r: &mut Reader, t: &mut Table) -> Option<Economics> {
    // Start from NaN and fill in from the shared parameter table, so that the
    // file and `--set` accept exactly the same keys and ranges.
    let mut e = Economics {
        capex_cap_cny: f64::NAN,
        ets_price_cny_per_t: f64::NAN,
        annualization: Annualization::Fixed { alpha: f64::NAN },
        service_life_yr: f64::NAN,
        co2_transport_km: f64::NAN,
        operating_hours_h_per_yr: f64::NAN,
        grid_ef_t_per_mwh: f64::NAN,
        gas_ef_t_per_mwh: f64::NAN,
        steam_ef_t_per_gj: f64::NAN,
        water_ef_t_per_t: f64::NAN,
        chiller_cop: f64::NAN,
        boiler_efficiency: f64::NAN,
        solar_radiation_kwh_per_m2_yr: f64::NAN,
    };
    let mut ok = true;
    let has_rate = t.has("discount_rate");
    let has_alpha = t.has("alpha");
    if has_rate == has_alpha {
        let span = t.span.clone();
        r.problem(
            &span,
            &t.key_path("discount_rate"),
            if has_rate {
                "give either discount_rate or alpha, not both"
            } else {
                "missing; give discount_rate (1/yr, alpha becomes the capital recovery factor) or alpha (1/yr)"
            },
        );
        ok = false;
    }
    for p in PARAMS {
        let optional = matches!(p.key, "discount_rate" | "alpha");
        let v = if optional {
            t.opt_num(r, p.key, p.rule).flatten()
        } else {
            t.num(r, p.key, p.rule)
        };
        match v {
            Some(v) => (p.set)(&mut e, v),
            None if optional => {}
            None => ok = false,
        }
    }
    ok.then_some(e)
}

fn solver(r: &mut Reader, t: &mut Table) -> Option<SolverSettings> {
    let d = SolverSettings::default();
    let count = |lo: f64, hi: f64| Rule::range("-", lo, hi).integer();
    let mut bad = false;
    let mut get =
        |t: &mut Table, r: &mut Reader, key: &'static str, rule: Rule, default: f64| match t
            .opt_num(r, key, rule)
        {
            None => default,
            Some(Some(v)) => v,
            Some(None) => {
                bad = true;
                default
            }
        };
    let s = SolverSettings {
        population: get(
            t,
            r,
            "population",
            count(4.0, 100_000.0),
            d.population as f64,
        ) as usize,
        generations: get(
            t,
            r,
            "generations",
            count(1.0, 10_000_000.0),
            d.generations as f64,
        ) as usize,
        crossover_rate: get(
            t,
            r,
            "crossover_rate",
            Rule::range("-", 0.0, 1.0),
            d.crossover_rate,
        ),
        mutation_rate: get(
            t,
            r,
            "mutation_rate",
            Rule::range("-", 0.0, 1.0),
            d.mutation_rate,
        ),
        elitism: get(t, r, "elitism", count(0.0, 100_000.0), d.elitism as f64) as usize,
        seed: get(t, r, "seed", count(0.0, 9.0e15), d.seed as f64) as u64,
        stall_generations: get(
            t,
            r,
            "stall_generations",
            count(1.0, 10_000_000.0),
            d.stall_generations as f64,
        ) as usize,
        time_limit_s: get(t, r, "time_limit_s", Rule::positive("s"), d.time_limit_s),
    };
    if s.elitism >= s.population {
        let span = t.span.clone();
        r.problem(
            &span,
            &t.key_path("elitism"),
            format!("must be below population ({})", s.population),
        );
        bad = true;
    }
    (!bad).then_some(s)
}

/// Reads `code` and `name` of a technology and checks the code is new.
fn tech_header(
    r: &mut Reader,
    t: &mut Table,
    seen: &mut HashMap<u32, ()>,
) -> Option<(u32, String)> {
    let code = t.num(r, "code", Rule::range("-", 1.0, 999.0).integer());
    let name = t.string(r, "name");
    let code = code? as u32;
    if seen.insert(code, ()).is_some() {
        let span = t.span.clone();
        r.problem(
            &span,
            &t.key_path("code"),
            format!("duplicate technology code {code}"),
        );
        return None;
    }
    Some((code, name?))
}

fn techs<T>(
    r: &mut Reader,
    parent: &mut Table,
    strategy: Strategy,
    mut one: impl FnMut(&mut Reader, &mut Table, u32, String) -> Option<T>,
) -> Option<(Vec<T>, f64)> {
    let key = strategy.key();
    let Some(mut st) = parent.table(r, key) else {
        let span = parent.span.clone();
        r.problem(
            &span,
            key,
            format!("missing table [{key}] with at least one [[{key}.tech]]"),
        );
        return None;
    };
    let mut seen = HashMap::new();
    let mut out = Vec::new();
    let mut ok = true;
    let fcs_dev = if strategy == Strategy::Fcs {
        st.num(r, "project_development_cost", Rule::non_negative("CNY"))
    } else {
        Some(0.0)
    };
    let items = st.tables(r, "tech");
    if items.is_empty() {
        let span = st.span.clone();
        r.problem(
            &span,
            &st.key_path("tech"),
            "no technology; add at least one [[...tech]] table",
        );
        ok = false;
    }
    for mut t in items {
        let head = tech_header(r, &mut t, &mut seen);
        let item = head.and_then(|(code, name)| one(r, &mut t, code, name));
        t.finish(r);
        match item {
            Some(i) => out.push(i),
            None => ok = false,
        }
    }
    st.finish(r);
    if ok { Some((out, fcs_dev?)) } else { None }
}

fn catalogue(r: &mut Reader, root: &mut Table) -> Option<Catalogue> {
    let pos = |u| Rule::positive(u);
    let nn = |u| Rule::non_negative(u);
    let frac = Rule {
        unit: "-",
        min: 0.0,
        min_exclusive: true,
        max: 1.0,
        integer: false,
    };
    let fcs = techs(r, root, Strategy::Fcs, |r, t, code, name| {
        let s = FcsSpecies {
            code,
            name,
            growth_a_m3: t.num(r, "growth_a", pos("m3/tree"))?,
            growth_b_per_yr: t.num(r, "growth_b", Rule::range("1/yr", f64::NEG_INFINITY, 0.0))?,
            growth_c: t.num(r, "growth_c", pos("-"))?,
            density_t_per_m3: t.num(r, "density", pos("t/m3"))?,
            bef: t.num(r, "bef", pos("-"))?,
            root_shoot: t.num(r, "root_shoot", nn("-"))?,
            carbon_fraction: t.num(r, "carbon_fraction", frac)?,
            trees_per_ha: t.num(r, "trees_per_ha", pos("trees/ha"))?,
            planting_cny_per_ha: t.num(r, "planting_cost", nn("CNY/ha"))?,
            management_cny_per_ha_yr: t.num(r, "management_cost", nn("CNY/ha/yr"))?,
            timber_price_cny_per_m3: t.num(r, "timber_price", nn("CNY/m3"))?,
            harvest_cost_cny_per_m3: t.num(r, "harvest_cost", nn("CNY/m3"))?,
        };
        if s.growth_b_per_yr == 0.0 {
            let span = t.span.clone();
            r.problem(
                &span,
                &t.key_path("growth_b"),
                "must be < 0 (1/yr): V(t) = a(1-e^(bt))^c grows only for b < 0",
            );
            return None;
        }
        Some(s)
    });
    let ccu = techs(r, root, Strategy::Ccu, |r, t, code, name| {
        Some(CcuTech {
            code,
            name,
            capex_cny_per_t_yr: t.num(r, "capex", nn("CNY per t/a"))?,
            capture_opex_cny_per_t: t.num(r, "capture_opex", nn("CNY/t"))?,
            transport_cny_per_t_km: t.num(r, "transport_cost", nn("CNY/(t km)"))?,
            maintenance_cny_per_t: t.num(r, "maintenance", nn("CNY/t"))?,
            product_price_cny_per_t: t.num(r, "product_price", nn("CNY/t"))?,
            power_mwh_per_t: t.num(r, "power_use", nn("MWh/t"))?,
            steam_gj_per_t: t.num(r, "steam_use", nn("GJ/t"))?,
            water_t_per_t: t.num(r, "water_use", nn("t/t"))?,
            min_capacity_t_per_yr: t.num(r, "min_capacity", nn("t/a"))?,
        })
    });
    let whr = techs(r, root, Strategy::Whr, |r, t, code, name| {
        let capex = t.num(r, "capex", nn("CNY/kW"));
        let eff = t.num(r, "efficiency", pos("-"));
        let output = t.choice(r, "output", &["cooling", "electricity", "heat"]);
        let price = t.num(r, "price", nn("CNY/kWh"));
        let ma = t.num(r, "maintenance", nn("CNY/kWh"));
        Some(WhrTech {
            code,
            name,
            capex_cny_per_kw: capex?,
            efficiency: eff?,
            output: match output?.0 {
                "cooling" => WhrOutput::Cooling,
                "electricity" => WhrOutput::Electricity,
                _ => WhrOutput::Heat,
            },
            price_cny_per_kwh: price?,
            maintenance_cny_per_kwh: ma?,
        })
    });
    let pv = techs(r, root, Strategy::Pv, |r, t, code, name| {
        Some(PvTech {
            code,
            name,
            capex_cny_per_kw: t.num(r, "capex", nn("CNY/kW"))?,
            area_m2_per_kw: t.num(r, "area_per_kw", pos("m2/kW"))?,
            efficiency: t.num(r, "efficiency", frac)?,
            loss_factor: t.num(r, "loss_factor", frac)?,
            maintenance_cny_per_kwh: t.num(r, "maintenance", nn("CNY/kWh"))?,
            feed_in_price_cny_per_kwh: t.num(r, "feed_in_price", nn("CNY/kWh"))?,
        })
    });
    let (fcs, fcs_dev) = fcs?;
    Some(Catalogue {
        fcs_project_development_cny: fcs_dev,
        fcs,
        ccu: ccu?.0,
        whr: whr?.0,
        pv: pv?.0,
    })
}

fn regions(r: &mut Reader, root: &mut Table, cat: Option<&Catalogue>) -> Option<Vec<Region>> {
    let items = root.tables(r, "region");
    if items.is_empty() {
        let span = root.span.clone();
        r.problem(
            &span,
            "region",
            "no regions; add at least one [[region]] table",
        );
        return None;
    }
    let mut ids: HashMap<u32, usize> = HashMap::new();
    let mut out = Vec::new();
    let mut ok = true;
    for mut t in items {
        match region(r, &mut t, cat, &mut ids) {
            Some(reg) => out.push(reg),
            None => ok = false,
        }
        t.finish(r);
    }
    ok.then_some(out)
}

fn region(
    r: &mut Reader,
    t: &mut Table,
    cat: Option<&Catalogue>,
    ids: &mut HashMap<u32, usize>,
) -> Option<Region> {
    let id = t.num(r, "id", Rule::range("-", 0.0, u32::MAX as f64).integer());
    let name = t.string(r, "name");
    let land = t.choice(r, "land", &["empty_lot", "factory", "rooftop"]);
    let mut ok = true;
    if let Some(id) = id {
        let (line, _) = r.source.line_col(t.span.start);
        if let Some(first) = ids.insert(id as u32, line) {
            let span = t.span.clone();
            r.problem(
                &span,
                &t.key_path("id"),
                format!(
                    "duplicate region id {}, first used by the region at line {first}",
                    fmt_num(id)
                ),
            );
            ok = false;
        }
    }
    let land = land.map(|(k, _)| match k {
        "empty_lot" => Land::EmptyLot,
        "factory" => Land::Factory,
        _ => Land::Rooftop,
    });
    let mut slots = Vec::new();
    for s in Strategy::ALL {
        let Some(mut st) = t.table(r, s.key()) else {
            continue;
        };
        if let Some(land) = land
            && !land.allows().contains(&s)
        {
            let allowed: Vec<&str> = land.allows().iter().map(|s| s.key()).collect();
            let span = st.span.clone();
            r.problem(
                &span,
                &st.path,
                format!(
                    "{} is not allowed on land = \"{}\"; allowed there: {}",
                    s.name(),
                    land.key(),
                    allowed.join(", ")
                ),
            );
            ok = false;
        }
        match slot(r, &mut st, s, cat) {
            Some(sl) => slots.push(sl),
            None => ok = false,
        }
        st.finish(r);
    }
    if ok {
        Some(Region {
            id: id? as u32,
            name: name?,
            land: land?,
            slots,
        })
    } else {
        None
    }
}

fn slot(r: &mut Reader, t: &mut Table, s: Strategy, cat: Option<&Catalogue>) -> Option<Slot> {
    let mut max = None;
    let mut min = None;
    let mut ok = true;
    let mut given = Vec::new();
    for &(max_key, min_key, factor) in capacity_units(s) {
        let unit = max_key.trim_start_matches("max_");
        if let Some(v) = t.opt_num(r, max_key, Rule::non_negative(unit)) {
            given.push(max_key);
            match v {
                Some(v) => max = Some((v * factor, v, max_key)),
                None => ok = false,
            }
        }
        if let Some(v) = t.opt_num(r, min_key, Rule::non_negative(unit)) {
            match v {
                Some(v) => min = Some((v * factor, v, min_key)),
                None => ok = false,
            }
        }
    }
    let keys: Vec<&str> = capacity_units(s).iter().map(|u| u.0).collect();
    if given.len() > 1 {
        let span = t.span.clone();
        r.problem(
            &span,
            &t.path,
            format!("give the cap once, as one of {}", keys.join(" or ")),
        );
        return None;
    }
    let Some((max, max_raw, max_key)) = max else {
        if ok {
            let span = t.span.clone();
            r.problem(
                &span,
                &t.path,
                format!("missing capacity cap; give one of {}", keys.join(", ")),
            );
        }
        return None;
    };
    let min_v = min.map_or(0.0, |m| m.0);
    if let Some((m, raw, key)) = min
        && m > max
    {
        let span = t.span.clone();
        r.problem(
            &span,
            &t.key_path(key),
            format!(
                "min ({}) is above the cap {max_key} = {}",
                fmt_num(raw),
                fmt_num(max_raw)
            ),
        );
        ok = false;
    }
    let techs = t.opt_ints(r, "techs").map(|codes| {
        let known: Vec<u32> = cat
            .map(|c| c.techs(s).iter().map(|x| x.0).collect())
            .unwrap_or_default();
        let mut out = Vec::new();
        for (code, span) in codes {
            if cat.is_some() && !known.iter().any(|&k| k as i64 == code) {
                let list: Vec<String> = known.iter().map(|k| k.to_string()).collect();
                r.problem(
                    &span,
                    &t.key_path("techs"),
                    format!(
                        "unknown {} technology code {code}; the catalogue has {}",
                        s.name(),
                        list.join(", ")
                    ),
                );
                ok = false;
            } else if code >= 0 {
                out.push(code as u32);
            }
        }
        out
    });
    ok.then_some(Slot {
        strategy: s,
        min: min_v,
        max,
        techs,
    })
}
