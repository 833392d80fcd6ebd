//! Decoding a park document into [`Park`], validating as it goes.

use std::collections::HashMap;
use std::path::Path;

use toml::de::DeTable;

use super::params::{PARAMS, SOLVER_PARAMS};
use super::read::{Reader, Rule, Table, fmt_num};
use super::techs::Tech;
use super::*;

/// Where a profile CSV is read from, or that it is not read at all.
#[derive(Clone, Copy)]
enum Csv<'a> {
    /// Relative paths start from this directory (the current one if `None`).
    From(Option<&'a Path>),
    /// Only the park's structure is wanted (editing a file in place): the
    /// profile is left empty.
    Skip,
}

/// Decodes a park; `base` is the directory relative paths (the profile CSV) start from.
pub(super) fn decode(text: &str, base: Option<&Path>) -> Result<Park, Vec<Problem>> {
    decode_with(text, Csv::From(base)).0
}

/// Decodes a park without reading its profile CSV (whose shares are left empty).
pub(super) fn decode_structure(text: &str) -> Result<Park, Vec<Problem>> {
    decode_with(text, Csv::Skip).0
}

/// Every key the format accepts (dotted, without indices), found by decoding
/// files that use every table: the built-in paper case and the NET example.
pub(super) fn accepted_keys() -> std::collections::BTreeSet<String> {
    let mut keys = decode_with(super::PAPER_CASE_TOML, Csv::Skip).1;
    keys.extend(decode_with(super::NET_PARK_TOML, Csv::Skip).1);
    keys
}

fn decode_with(
    text: &str,
    base: Csv,
) -> (
    Result<Park, Vec<Problem>>,
    std::collections::BTreeSet<String>,
) {
    let mut r = Reader::new(text);
    let result = decode_reader(&mut r, text, base);
    (result, r.accepted)
}

fn decode_reader(r: &mut Reader, text: &str, base: Csv) -> Result<Park, Vec<Problem>> {
    // Before the parse, which needs memory in proportion to what the file asks for.
    if let Some(p) = super::prescan::check(text) {
        return Err(vec![p]);
    }
    let doc = match DeTable::parse_recoverable(text) {
        (doc, errors) if errors.is_empty() => doc,
        (_, errors) => {
            for e in errors {
                let span = e.span().unwrap_or(0..0);
                let msg = e.message().trim().to_string();
                // Quote the offending text when the parser only names the kind of error.
                let at = text
                    .get(span.clone())
                    .filter(|s| !s.is_empty() && s.len() <= 40 && !s.contains('\n'));
                let msg = match at {
                    Some(s) => format!("TOML syntax error at `{s}`: {msg}"),
                    None => format!("TOML syntax error: {msg}"),
                };
                r.problem(&span, "", msg);
            }
            r.problems.sort_by_key(|p| (p.line, p.column));
            return Err(std::mem::take(&mut r.problems));
        }
    };
    let mut root = Table::new("", doc.span(), doc.get_ref());
    let park = decode_root(r, &mut root, base);
    root.finish(r);
    match park {
        Some(p) if r.problems.is_empty() => Ok(p),
        _ => {
            r.problems.sort_by_key(|p| (p.line, p.column));
            Err(std::mem::take(&mut r.problems))
        }
    }
}

fn decode_root(r: &mut Reader, root: &mut Table, base: Csv) -> Option<Park> {
    let (name, notes) =
        match required_table(r, root, "park", "missing table [park] with at least `name`") {
            Some(mut t) => {
                let name = t.string(r, "name");
                let notes = t.opt_string(r, "notes").flatten().unwrap_or_default();
                t.finish(r);
                (name, notes)
            }
            None => (None, String::new()),
        };
    let economics = match required_table(r, root, "economics", "missing table [economics]") {
        Some(mut t) => {
            let e = economics(r, &mut t);
            t.finish(r);
            e
        }
        None => None,
    };
    let solver = if root.has("solver") {
        match root.table(r, "solver") {
            Some(mut t) => {
                let s = solver(r, &mut t);
                t.finish(r);
                s
            }
            None => None,
        }
    } else {
        Some(SolverSettings::default())
    };
    let (catalogue, codes) = catalogue(r, root);
    let has_energy = root.has("energy");
    if has_energy
        && let Some(c) = &catalogue
        && let Some(w) = c.whr.iter().find(|w| w.displaced_ef_t_per_mwh.is_some())
    {
        let span = root.span.start..root.span.start;
        r.problem(
            &span,
            "whr.tech.displaced_ef",
            format!(
                "WHR technology {} sets `displaced_ef`, which a park with [energy] cannot use: \
                 its energy balance values heat at `gas_ef` and electricity at `grid_ef`",
                w.code
            ),
        );
    }
    let energy = if has_energy {
        match root.table(r, "energy") {
            Some(mut t) => {
                let e = energy(r, &mut t, base);
                t.finish(r);
                e.map(Some)
            }
            None => None,
        }
    } else {
        Some(None)
    };
    let land = if root.has("land") {
        match root.table(r, "land") {
            Some(t) => land(r, &t),
            None => None,
        }
    } else {
        Some(LandLimits::default())
    };
    let group_names: Vec<String> = land
        .as_ref()
        .map(|l| l.groups.iter().map(|g| g.0.clone()).collect())
        .unwrap_or_default();
    let regions = regions(r, root, &codes, has_energy, &group_names);
    let scenarios = scenarios(r, root, has_energy);
    let uncertainty = super::uncertainty::decode(r, root, &codes, catalogue.as_ref(), has_energy);
    let park = Park {
        name: name?,
        notes,
        economics: economics?,
        solver: solver?,
        catalogue: catalogue?,
        regions: regions?,
        energy: energy?,
        scenarios: scenarios?,
        uncertainty: uncertainty?,
        land: land?,
    };
    // Every number is in range, but extreme combinations could still overflow.
    if let Some(why) = park.nonfinite() {
        let span = root.span.start..root.span.start;
        r.problem(&span, "", why);
        return None;
    }
    Some(park)
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
        let span = t.span_of("alpha").unwrap_or_else(|| t.span.clone());
        r.problem(
            &span,
            &t.key_path(if has_alpha { "alpha" } else { "discount_rate" }),
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
            match t.opt_num(r, p.key, p.rule) {
                None => continue,
                Some(v) => v,
            }
        } else {
            t.num(r, p.key, p.rule)
        };
        match v {
            Some(v) => (p.set)(&mut e, v),
            None => ok = false,
        }
    }
    ok.then_some(e)
}

fn solver(r: &mut Reader, t: &mut Table) -> Option<SolverSettings> {
    let mut s = SolverSettings::default();
    let mut bad = false;
    for p in SOLVER_PARAMS {
        match t.opt_num(r, p.key, p.rule) {
            None => {}
            Some(Some(v)) => (p.set)(&mut s, v),
            Some(None) => bad = true,
        }
    }
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
fn tech_header(r: &mut Reader, t: &mut Table, seen: &mut Vec<u32>) -> Option<(u32, String)> {
    let code = t.num(r, "code", Rule::range("-", 1.0, 999.0).integer());
    let name = t.string(r, "name");
    let code = code? as u32;
    if seen.contains(&code) {
        let span = t.span_of("code").unwrap_or_else(|| t.span.clone());
        r.problem(
            &span,
            &t.key_path("code"),
            format!("duplicate technology code {code}"),
        );
        return None;
    }
    seen.push(code);
    Some((code, name?))
}

/// A required sub-table: reports it missing only when it is absent (a value of
/// the wrong type is reported by [`Table::table`]).
fn required_table<'t, 'i>(
    r: &mut Reader,
    parent: &mut Table<'t, 'i>,
    key: &'static str,
    missing: &str,
) -> Option<Table<'t, 'i>> {
    if !parent.has(key) {
        let span = parent.span.clone();
        r.problem(&span, key, missing.to_string());
        return None;
    }
    parent.table(r, key)
}

/// The technologies of one strategy. `one` reads every field of a technology
/// (so all problems are reported) and builds it if the header was valid. Also
/// returns the codes declared, even when some technology is invalid, so that
/// regions can still be checked against them.
fn techs<T>(
    r: &mut Reader,
    parent: &mut Table,
    strategy: Strategy,
    mut one: impl FnMut(&mut Reader, &mut Table, Option<(u32, String)>) -> Option<T>,
) -> (Option<(Vec<T>, f64)>, Vec<u32>) {
    let key = strategy.key();
    let mut codes = Vec::new();
    // The paper's four tables are required; a NET table only when used.
    if strategy.is_net() && !parent.has(key) {
        return (Some((Vec::new(), 0.0)), codes);
    }
    let Some(mut st) = required_table(
        r,
        parent,
        key,
        &format!("missing table [{key}] with at least one [[{key}.tech]]"),
    ) else {
        return (None, codes);
    };
    let mut out = Vec::new();
    let mut ok = true;
    let fcs_dev = if strategy == Strategy::Fcs {
        st.num(r, "project_development_cost", Rule::non_negative("CNY"))
    } else {
        Some(0.0)
    };
    let before = r.problems.len();
    let items = st.tables(r, "tech");
    if items.is_empty() && r.problems.len() == before {
        let span = st.span_of("tech").unwrap_or_else(|| st.span.clone());
        r.problem(
            &span,
            &st.key_path("tech"),
            format!("no technology; add at least one [[{key}.tech]] table"),
        );
        ok = false;
    }
    for mut t in items {
        let head = tech_header(r, &mut t, &mut codes);
        let item = one(r, &mut t, head);
        t.finish(r);
        match item {
            Some(i) => out.push(i),
            None => ok = false,
        }
    }
    st.finish(r);
    let result = if ok { fcs_dev.map(|d| (out, d)) } else { None };
    (result, codes)
}

/// Technology codes declared per strategy, in the order of [`Strategy::ALL`].
type Codes = [Vec<u32>; Strategy::COUNT];

fn catalogue(r: &mut Reader, root: &mut Table) -> (Option<Catalogue>, Codes) {
    let (fcs, fcs_codes) = techs(r, root, Strategy::Fcs, tech::<FcsSpecies>);
    let (ccu, ccu_codes) = techs(r, root, Strategy::Ccu, tech::<CcuTech>);
    let (whr, whr_codes) = techs(r, root, Strategy::Whr, tech::<WhrTech>);
    let (pv, pv_codes) = techs(r, root, Strategy::Pv, tech::<PvTech>);
    let (dac, dac_codes) = techs(r, root, Strategy::Dac, tech::<DacTech>);
    let (beccs, beccs_codes) = techs(r, root, Strategy::Beccs, tech::<BeccsTech>);
    let (biochar, biochar_codes) = techs(r, root, Strategy::Biochar, tech::<BiocharTech>);
    let codes = [
        fcs_codes,
        ccu_codes,
        whr_codes,
        pv_codes,
        dac_codes,
        beccs_codes,
        biochar_codes,
    ];
    let cat = (|| {
        let (fcs, fcs_dev) = fcs?;
        Some(Catalogue {
            fcs_project_development_cny: fcs_dev,
            fcs,
            ccu: ccu?.0,
            whr: whr?.0,
            pv: pv?.0,
            dac: dac?.0,
            beccs: beccs?.0,
            biochar: biochar?.0,
        })
    })();
    (cat, codes)
}

/// One technology: every field of its table (so all problems are reported),
/// then its cross-field check, built if its header was valid.
fn tech<T: Tech>(r: &mut Reader, t: &mut Table, head: Option<(u32, String)>) -> Option<T> {
    let mut x = T::default();
    let mut ok = true;
    for f in T::FIELDS {
        match t.num(r, f.key, f.rule) {
            Some(v) => (f.set)(&mut x, v),
            None => ok = false,
        }
    }
    for f in T::OPTIONAL {
        match t.opt_num(r, f.key, f.rule) {
            None => {}
            Some(Some(v)) => (f.set)(&mut x, v),
            Some(None) => ok = false,
        }
    }
    for c in T::CHOICES {
        match t.choice(r, c.key, c.allowed) {
            Some((v, _)) => (c.set)(&mut x, v),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if let Some((key, why)) = x.check() {
        let span = t.span_of(key).unwrap_or_else(|| t.span.clone());
        r.problem(&span, &t.key_path(key), why);
        return None;
    }
    let (code, name) = head?;
    x.set_header(code, name);
    Some(x)
}

/// `[energy]`: prices, today's demand and the hourly profile.
fn energy(r: &mut Reader, t: &mut Table, base: Csv) -> Option<Energy> {
    let mut values = Energy::default();
    let mut ok = true;
    for p in super::ENERGY_PARAMS {
        if p.optional() {
            match t.opt_num(r, p.key, p.rule) {
                Some(Some(v)) => (p.set)(&mut values, v),
                Some(None) => ok = false,
                None => {}
            }
            continue;
        }
        match t.num(r, p.key, p.rule) {
            Some(v) => (p.set)(&mut values, v),
            None => ok = false,
        }
    }
    let biomass = match t.opt_num(r, "biomass_supply", Rule::positive("t/yr")) {
        None => Some(None),
        Some(Some(v)) => Some(Some(v)),
        Some(None) => None,
    };
    let profile = match required_table(
        r,
        t,
        "profile",
        "missing table [energy.profile]; give `file = \"profile.csv\"` or `day_load_factor = 1.3`",
    ) {
        Some(mut p) => {
            let v = profile(r, &mut p, base);
            p.finish(r);
            v
        }
        None => None,
    };
    let profile = profile?;
    ok.then_some(Energy {
        biomass_supply_t: biomass?,
        profile,
        ..values
    })
}

fn profile(r: &mut Reader, t: &mut Table, base: Csv) -> Option<Profile> {
    let file = t.opt_string(r, "file");
    let factor = t.opt_num(r, "day_load_factor", Rule::range("-", 0.01, 100.0));
    match (file, factor) {
        (Some(Some(f)), None) => {
            let path = match base {
                Csv::Skip => {
                    return Some(Profile {
                        source: ProfileSource::File(f),
                        load: Vec::new(),
                        pv: Vec::new(),
                        hours_per_row: 1.0,
                    });
                }
                Csv::From(Some(b)) => b.join(&f),
                Csv::From(None) => std::path::PathBuf::from(&f),
            };
            match super::profile::read_csv(&path, &f) {
                Ok(p) => Some(p),
                Err(msg) => {
                    let span = t.span_of("file").unwrap_or_else(|| t.span.clone());
                    r.problem(&span, &t.key_path("file"), msg);
                    None
                }
            }
        }
        (None, Some(Some(k))) => Some(super::profile::generate(k)),
        (Some(_), Some(_)) => {
            let span = t
                .span_of("day_load_factor")
                .unwrap_or_else(|| t.span.clone());
            r.problem(
                &span,
                &t.key_path("day_load_factor"),
                "give either file or day_load_factor, not both",
            );
            None
        }
        (None, None) => {
            let span = t.span.clone();
            r.problem(
                &span,
                &t.path,
                "missing; give `file = \"profile.csv\"` (a CSV beside the park file) or `day_load_factor` (generated profile)",
            );
            None
        }
        _ => None,
    }
}

/// `[[scenario]]`: configurations to compare.
fn scenarios(r: &mut Reader, root: &mut Table, has_energy: bool) -> Option<Vec<ScenarioDef>> {
    let mut out = Vec::new();
    let mut ok = true;
    let mut names: Vec<String> = Vec::new();
    for mut t in root.tables(r, "scenario") {
        let name = t.string(r, "name");
        let description = t.opt_string(r, "description").flatten().unwrap_or_default();
        if let Some(n) = &name {
            let span = t.span_of("name").unwrap_or_else(|| t.span.clone());
            let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
            let why = if n.is_empty() || !n.chars().all(word) {
                Some("a scenario name must be one word (letters, digits, - or _)".to_string())
            } else if BUILTIN_SCENARIOS.contains(&n.as_str()) {
                Some(format!(
                    "{n:?} is a built-in scenario; built-in names: {}",
                    BUILTIN_SCENARIOS.join(", ")
                ))
            } else if names.contains(n) {
                Some(format!("duplicate scenario name {n:?}"))
            } else {
                None
            };
            if let Some(why) = why {
                r.problem(&span, &t.key_path("name"), why);
                ok = false;
            }
            names.push(n.clone());
        }
        let mut strategies = Strategy::ALL.to_vec();
        if let Some(list) = t.opt_strings(r, "strategies") {
            strategies.clear();
            for (s, span) in list {
                match Strategy::parse(&s) {
                    Some(st) => strategies.push(st),
                    None => {
                        let keys: Vec<&str> = Strategy::ALL.iter().map(|s| s.key()).collect();
                        r.problem(
                            &span,
                            &t.key_path("strategies"),
                            format!(
                                "unknown strategy {s:?}; expected one of {}",
                                keys.join(", ")
                            ),
                        );
                        ok = false;
                    }
                }
            }
        }
        let mut set = Vec::new();
        if let Some(mut st) = t.table(r, "set") {
            for p in PARAMS {
                match st.opt_num(r, p.key, p.rule) {
                    Some(Some(v)) => set.push((p.key.to_string(), v)),
                    Some(None) => ok = false,
                    None => {}
                }
            }
            for p in super::ENERGY_PARAMS {
                let key = p.key;
                match st.opt_num(r, key, p.rule) {
                    Some(Some(v)) if has_energy => set.push((key.to_string(), v)),
                    Some(Some(_)) => {
                        let span = st.span_of(key).unwrap_or_else(|| st.span.clone());
                        r.problem(
                            &span,
                            &st.key_path(key),
                            "overrides [energy], which this park does not have",
                        );
                        ok = false;
                    }
                    Some(None) => ok = false,
                    None => {}
                }
            }
            if st.has("alpha") && st.has("discount_rate") {
                let span = st.span_of("alpha").unwrap_or_else(|| st.span.clone());
                r.problem(
                    &span,
                    &st.key_path("alpha"),
                    "give either discount_rate or alpha, not both",
                );
                ok = false;
            }
            st.finish(r);
        }
        t.finish(r);
        if let Some(name) = name {
            out.push(ScenarioDef {
                name,
                description,
                strategies,
                set,
                nothing: false,
            });
        }
    }
    ok.then_some(out)
}

/// `[land]`: `total` (park-wide) and one area per land group, all in m2.
/// Group names are free keys, so the table is read from its raw form.
fn land(r: &mut Reader, t: &Table) -> Option<LandLimits> {
    let mut out = LandLimits::default();
    let mut ok = true;
    let rule = Rule::non_negative("m2");
    for (k, _) in t.raw().iter() {
        let key: &str = k.get_ref().as_ref();
        let path = t.key_path(key);
        let valid_name = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid_name {
            r.problem(
                &k.span(),
                &path,
                "a land group name uses letters, digits, `_` and `-` only; \
                 [land] allows `total = AREA` and `GROUP = AREA` (m2)",
            );
            ok = false;
            continue;
        }
        match t.free_num(r, key, rule) {
            Some(Some(v)) if key == "total" => out.total_m2 = Some(v),
            Some(Some(v)) => out.groups.push((key.to_string(), v)),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn regions(
    r: &mut Reader,
    root: &mut Table,
    codes: &Codes,
    has_energy: bool,
    land_groups: &[String],
) -> Option<Vec<Region>> {
    let before = r.problems.len();
    let items = root.tables(r, "region");
    if items.len() > super::MAX_REGIONS {
        let span = root.span_of("region").unwrap_or_else(|| root.span.clone());
        r.problem(
            &span,
            "region",
            format!(
                "{} regions; parkplan handles at most {} in one park (about 1 GB of memory)",
                items.len(),
                super::MAX_REGIONS
            ),
        );
        return None;
    }
    if items.is_empty() {
        // Unless a wrong type was just reported, say what is missing.
        if r.problems.len() == before {
            let span = root.span_of("region").unwrap_or_else(|| root.span.clone());
            r.problem(
                &span,
                "region",
                "no regions; add at least one [[region]] table",
            );
        }
        return None;
    }
    let mut ids: HashMap<u32, usize> = HashMap::new();
    let mut out = Vec::new();
    let mut ok = true;
    for mut t in items {
        match region(r, &mut t, codes, &mut ids, has_energy, land_groups) {
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
    codes: &Codes,
    ids: &mut HashMap<u32, usize>,
    has_energy: bool,
    land_groups: &[String],
) -> Option<Region> {
    let id = t.num(r, "id", Rule::range("-", 0.0, u32::MAX as f64).integer());
    let mut ok = id.is_some();
    if let Some(id) = id {
        // Name regions by id in messages: region[id=4] is clearer than an index.
        t.path = format!("region[id={}]", fmt_num(id));
        let span = t.span_of("id").unwrap_or_else(|| t.span.clone());
        let (line, _) = r.source.line_col(span.start);
        if let Some(first) = ids.insert(id as u32, line) {
            r.problem(
                &span,
                &t.key_path("id"),
                format!(
                    "duplicate region id {}, first used at line {first}",
                    fmt_num(id)
                ),
            );
            ok = false;
        }
    }
    let name = t.string(r, "name");
    let land = t.choice(r, "land", &["empty_lot", "factory", "rooftop"]);
    let land = land.map(|(k, _)| match k {
        "empty_lot" => Land::EmptyLot,
        "factory" => Land::Factory,
        _ => Land::Rooftop,
    });
    let land_group = match t.opt_string(r, "land_group") {
        None => Some(None),
        Some(None) => None,
        Some(Some(g)) if land_groups.contains(&g) => Some(Some(g)),
        Some(Some(g)) => {
            let span = t.span_of("land_group").unwrap_or_else(|| t.span.clone());
            let why = if land_groups.is_empty() {
                format!(
                    "land group {g:?} has no area: add a [land] table with `{g} = AREA  # [m2] source`"
                )
            } else {
                format!(
                    "land group {g:?} is not in [land]; groups there: {}",
                    quoted_strings(land_groups)
                )
            };
            r.problem(&span, &t.key_path("land_group"), why);
            None
        }
    };
    let mut slots = Vec::new();
    for (k, s) in Strategy::ALL.into_iter().enumerate() {
        let Some(mut st) = t.table(r, s.key()) else {
            if t.span_of(s.key()).is_some() {
                ok = false;
            }
            continue;
        };
        if let Some(land) = land
            && !land.allows().contains(&s)
        {
            let allowed: Vec<&str> = land.allows().iter().map(|s| s.key()).collect();
            let span = t.span_of(s.key()).unwrap_or_else(|| st.span.clone());
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
        if s.is_net() && codes[k].is_empty() {
            let span = t.span_of(s.key()).unwrap_or_else(|| st.span.clone());
            r.problem(
                &span,
                &st.path,
                format!(
                    "the catalogue has no {} technology; add a [[{}.tech]] table",
                    s.name(),
                    s.key()
                ),
            );
            ok = false;
        }
        if s.is_net() && !has_energy {
            let span = t.span_of(s.key()).unwrap_or_else(|| st.span.clone());
            r.problem(
                &span,
                &st.path,
                format!(
                    "{} buys and sells energy: add an [energy] table with its prices and the park's baseline (docs/energy-and-nets.md)",
                    s.name()
                ),
            );
            ok = false;
        }
        match slot(r, &mut st, s, &codes[k]) {
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
            land_group: land_group?,
            slots,
        })
    } else {
        None
    }
}

/// Unit as printed for a capacity key suffix.
fn slot(r: &mut Reader, t: &mut Table, s: Strategy, known: &[u32]) -> Option<Slot> {
    let mut max = None;
    let mut min = None;
    let mut ok = true;
    let mut given = Vec::new();
    let mut given_min = Vec::new();
    for &CapacityUnit {
        max_key,
        min_key,
        unit,
        factor,
    } in s.capacity_units()
    {
        if let Some(v) = t.opt_num(r, max_key, Rule::non_negative(unit)) {
            given.push(max_key);
            match v {
                Some(v) => max = Some((v * factor, v, max_key, unit)),
                None => ok = false,
            }
        }
        if let Some(v) = t.opt_num(r, min_key, Rule::non_negative(unit)) {
            given_min.push(min_key);
            match v {
                Some(v) => min = Some((v * factor, v, min_key, unit)),
                None => ok = false,
            }
        }
    }
    // The second of two keys for the same bound, in the order they were written.
    let by_position = |keys: &mut Vec<&'static str>| {
        keys.sort_by_key(|k| t.span_of(k).map_or(0, |sp| sp.start));
    };
    by_position(&mut given);
    by_position(&mut given_min);
    if given_min.len() > 1 {
        let mins: Vec<&str> = s.capacity_units().iter().map(|u| u.min_key).collect();
        let span = t.span_of(given_min[1]).unwrap_or_else(|| t.span.clone());
        r.problem(
            &span,
            &t.key_path(given_min[1]),
            format!("give the minimum once, as one of {}", mins.join(" or ")),
        );
        ok = false;
    }
    let techs = t.opt_ints(r, "techs").map(|list| {
        let mut out = Vec::new();
        for (code, span) in list {
            if !known.iter().any(|&k| k as i64 == code) {
                let list: Vec<String> = known.iter().map(|k| k.to_string()).collect();
                r.problem(
                    &span,
                    &t.key_path("techs"),
                    format!(
                        "unknown {} technology code {code}; the catalogue has {}",
                        s.name(),
                        if list.is_empty() {
                            "none".to_string()
                        } else {
                            list.join(", ")
                        }
                    ),
                );
                ok = false;
            } else {
                out.push(code as u32);
            }
        }
        out
    });
    let keys: Vec<&str> = s.capacity_units().iter().map(|u| u.max_key).collect();
    if given.len() > 1 {
        let span = t.span_of(given[1]).unwrap_or_else(|| t.span.clone());
        r.problem(
            &span,
            &t.key_path(given[1]),
            format!("give the cap once, as one of {}", keys.join(" or ")),
        );
        return None;
    }
    let Some((max, max_raw, max_key, max_unit)) = max else {
        if given.is_empty() {
            let span = t.span.clone();
            r.problem(
                &span,
                &t.path,
                format!("missing capacity cap; give one of {}", keys.join(", ")),
            );
        }
        return None;
    };
    if let Some((m, raw, key, unit)) = min
        && m > max
    {
        let span = t.span_of(key).unwrap_or_else(|| t.span.clone());
        r.problem(
            &span,
            &t.key_path(key),
            format!(
                "the minimum {key} = {} {unit} is above the cap {max_key} = {} {max_unit}",
                fmt_num(raw),
                fmt_num(max_raw)
            ),
        );
        ok = false;
    }
    ok.then_some(Slot {
        strategy: s,
        min: min.map_or(0.0, |m| m.0),
        max,
        techs,
    })
}

/// `"a", "b"` for a message.
fn quoted_strings(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
