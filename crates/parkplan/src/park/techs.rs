//! Each technology's fields as one table ([`Tech::FIELDS`]): the file reader, the
//! writer, `--set strategy.CODE.key=VALUE` and the documentation's key test all
//! iterate it, so a field, its unit and its allowed range are written once. A
//! new field is one entry here plus the model code that uses it.

use super::params::{Param, entry};
use super::read::Rule;
use super::{
    BeccsTech, BiocharTech, Catalogue, CcuTech, DacTech, FcsSpecies, PvTech, Strategy, WhrOutput,
    WhrTech,
};

/// A technology of one strategy, read from `[[strategy.tech]]` tables.
pub trait Tech: Default + Clone + 'static {
    const STRATEGY: Strategy;
    /// Its numeric fields, in file order.
    const FIELDS: &'static [Param<Self>];
    /// Its optional numeric fields: `get` gives NaN when unset.
    const OPTIONAL: &'static [Param<Self>] = &[];
    /// Its text fields with a fixed set of values, in file order.
    const CHOICES: &'static [Choice<Self>] = &[];
    fn code(&self) -> u32;
    fn name(&self) -> &str;
    fn set_header(&mut self, code: u32, name: String);
    /// A check across fields, once each is within its own range: the key to
    /// blame and why.
    fn check(&self) -> Option<(&'static str, String)> {
        None
    }
}

/// A text field with a fixed set of values (WHR `output`).
pub struct Choice<T: 'static> {
    pub key: &'static str,
    pub allowed: &'static [&'static str],
    pub(crate) get: fn(&T) -> &'static str,
    pub(crate) set: fn(&mut T, &str),
}

/// The `code` and `name` every technology struct has.
macro_rules! header {
    () => {
        fn code(&self) -> u32 {
            self.code
        }
        fn name(&self) -> &str {
            &self.name
        }
        fn set_header(&mut self, code: u32, name: String) {
            (self.code, self.name) = (code, name);
        }
    };
}

const fn nn(unit: &'static str) -> Rule {
    Rule::non_negative(unit)
}
const fn pos(unit: &'static str) -> Rule {
    Rule::positive(unit)
}
/// A share from 0 to 1 inclusive.
pub(crate) const SHARE: Rule = Rule::range("-", 0.0, 1.0);
/// A fraction above 0, at most 1. A quantity the model divides by gets a lower
/// bound that is physically meaningful rather than just "> 0".
const FRACTION: Rule = Rule {
    unit: "-",
    min: 0.0,
    min_exclusive: true,
    max: 1.0,
    integer: false,
};

// Lower bounds of the parameters the model divides by, directly or through a
// KPI (docs/park-format.md, "Lower bounds"): far below any real plant, far
// above the values that make a result overflow (a capture rate of 1e-300 gave
// 7.6e304 t/yr). The others: `chiller_cop`, `boiler_efficiency` >= 0.01 in
// [`PARAMS`](super::PARAMS), `area_per_kw` >= 0.01 m2/kW, `biomass_ef` >=
// 0.01 tCO2/MWh and `biomass_lhv` >= 0.1 MWh/t below.

/// BECCS fuel per t captured is 1 / (capture rate x biomass_ef).
const CAPTURE_RATE: Rule = Rule::range("-", 0.1, 1.0);
/// Biochar removal per t of feed is yield x carbon content x permanence; the
/// energy penalty (MWh per t removed) divides by it.
const BIOCHAR_YIELD: Rule = Rule::range("t/t", 0.05, 1.0);
const CARBON_CONTENT: Rule = Rule::range("t C/t", 0.1, 1.0);

impl Tech for FcsSpecies {
    const STRATEGY: Strategy = Strategy::Fcs;
    const FIELDS: &'static [Param<Self>] = &[
        entry!(
            "growth_a",
            "m3/tree",
            "a",
            "asymptotic stem volume of eq. 3.12",
            pos("m3/tree"),
            growth_a_m3
        ),
        entry!(
            "growth_b",
            "1/yr",
            "b",
            "rate of eq. 3.12 (< 0)",
            Rule::range("1/yr", f64::NEG_INFINITY, 0.0),
            growth_b_per_yr
        ),
        entry!(
            "growth_c",
            "-",
            "c",
            "shape of eq. 3.12",
            pos("-"),
            growth_c
        ),
        entry!(
            "density",
            "t/m3",
            "D",
            "basic wood density",
            pos("t/m3"),
            density_t_per_m3
        ),
        entry!("bef", "-", "BEF", "biomass expansion factor", pos("-"), bef),
        entry!(
            "root_shoot",
            "-",
            "R",
            "root-to-shoot ratio",
            nn("-"),
            root_shoot
        ),
        entry!(
            "carbon_fraction",
            "-",
            "CF",
            "carbon fraction of dry biomass",
            FRACTION,
            carbon_fraction
        ),
        entry!(
            "trees_per_ha",
            "trees/ha",
            "N",
            "planting density",
            pos("trees/ha"),
            trees_per_ha
        ),
        entry!(
            "planting_cost",
            "CNY/ha",
            "Π_FCS,con",
            "planting and tending cost",
            nn("CNY/ha"),
            planting_cny_per_ha
        ),
        entry!(
            "management_cost",
            "CNY/ha/yr",
            "Π_FCS,ma",
            "management cost",
            nn("CNY/ha/yr"),
            management_cny_per_ha_yr
        ),
        entry!(
            "timber_price",
            "CNY/m3",
            "λ_tim",
            "timber price",
            nn("CNY/m3"),
            timber_price_cny_per_m3
        ),
        entry!(
            "harvest_cost",
            "CNY/m3",
            "λ_ct",
            "harvest and transport cost of timber",
            nn("CNY/m3"),
            harvest_cost_cny_per_m3
        ),
    ];
    header!();
    fn check(&self) -> Option<(&'static str, String)> {
        (self.growth_b_per_yr == 0.0).then(|| {
            (
                "growth_b",
                "must be < 0 (1/yr): V(t) = a(1-e^(bt))^c grows only for b < 0".to_string(),
            )
        })
    }
}

impl Tech for CcuTech {
    const STRATEGY: Strategy = Strategy::Ccu;
    const FIELDS: &'static [Param<Self>] = &[
        entry!(
            "capex",
            "CNY per t/a",
            "Π_CCU,con",
            "capital cost per t/a of capacity",
            nn("CNY per t/a"),
            capex_cny_per_t_yr
        ),
        entry!(
            "capture_opex",
            "CNY/t",
            "",
            "capture and compression part of Π_CCU,Op",
            nn("CNY/t"),
            capture_opex_cny_per_t
        ),
        entry!(
            "transport_cost",
            "CNY/(t km)",
            "",
            "transport part of Π_CCU,Op per km",
            nn("CNY/(t km)"),
            transport_cny_per_t_km
        ),
        entry!(
            "maintenance",
            "CNY/t",
            "Π_CCU,ma",
            "maintenance",
            nn("CNY/t"),
            maintenance_cny_per_t
        ),
        entry!(
            "product_price",
            "CNY/t",
            "λ_cp",
            "price of the CO2 product",
            nn("CNY/t"),
            product_price_cny_per_t
        ),
        entry!(
            "power_use",
            "MWh/t",
            "η_p",
            "electricity per tonne captured",
            nn("MWh/t"),
            power_mwh_per_t
        ),
        entry!(
            "steam_use",
            "GJ/t",
            "η_s",
            "steam per tonne captured",
            nn("GJ/t"),
            steam_gj_per_t
        ),
        entry!(
            "water_use",
            "t/t",
            "η_w",
            "water per tonne captured",
            nn("t/t"),
            water_t_per_t
        ),
        entry!(
            "min_capacity",
            "t/a",
            "",
            "minimum capacity when built",
            nn("t/a"),
            min_capacity_t_per_yr
        ),
    ];
    header!();
}

impl Tech for WhrTech {
    const STRATEGY: Strategy = Strategy::Whr;
    const FIELDS: &'static [Param<Self>] = &[
        entry!(
            "capex",
            "CNY/kW",
            "Π_WHR,con",
            "capital cost per kW of waste heat",
            nn("CNY/kW"),
            capex_cny_per_kw
        ),
        entry!(
            "efficiency",
            "-",
            "η_j",
            "output per unit of waste heat (eq. 3.22)",
            pos("-"),
            efficiency
        ),
        entry!(
            "price",
            "CNY/kWh",
            "λ_WHR,j",
            "value of one kWh of output",
            nn("CNY/kWh"),
            price_cny_per_kwh
        ),
        entry!(
            "maintenance",
            "CNY/kWh",
            "Π_WHR,ma,j",
            "maintenance per kWh of output",
            nn("CNY/kWh"),
            maintenance_cny_per_kwh
        ),
    ];
    const OPTIONAL: &'static [Param<Self>] = &[Param {
        key: "displaced_ef",
        unit: "tCO2/MWh",
        symbol: "e_j,HQE",
        help: "emission factor of the energy this technology displaces, when it differs from the park's grid_ef (cooling, electricity) or gas_ef (heat); not allowed with [energy]",
        rule: nn("tCO2/MWh"),
        get: |t| t.displaced_ef_t_per_mwh.unwrap_or(f64::NAN),
        set: |t, v| t.displaced_ef_t_per_mwh = Some(v),
    }];
    const CHOICES: &'static [Choice<Self>] = &[Choice {
        key: "output",
        allowed: &["cooling", "electricity", "heat"],
        get: |t| t.output.key(),
        set: |t, v| {
            t.output = match v {
                "cooling" => WhrOutput::Cooling,
                "electricity" => WhrOutput::Electricity,
                _ => WhrOutput::Heat,
            }
        },
    }];
    header!();
}

impl Tech for PvTech {
    const STRATEGY: Strategy = Strategy::Pv;
    const FIELDS: &'static [Param<Self>] = &[
        entry!(
            "capex",
            "CNY/kW",
            "Π_PV,con",
            "capital cost per kW peak",
            nn("CNY/kW"),
            capex_cny_per_kw
        ),
        entry!(
            "area_per_kw",
            "m2/kW",
            "A2P",
            "array area per kW peak",
            Rule::range("m2/kW", 0.01, 1e6),
            area_m2_per_kw
        ),
        entry!(
            "efficiency",
            "-",
            "η_PV",
            "conversion efficiency referred to the array area",
            FRACTION,
            efficiency
        ),
        entry!(
            "loss_factor",
            "-",
            "k",
            "correction for losses",
            FRACTION,
            loss_factor
        ),
        entry!(
            "maintenance",
            "CNY/kWh",
            "Π_PV,ma",
            "maintenance per kWh",
            nn("CNY/kWh"),
            maintenance_cny_per_kwh
        ),
        entry!(
            "feed_in_price",
            "CNY/kWh",
            "λ_PV",
            "price of one kWh of PV output",
            nn("CNY/kWh"),
            feed_in_price_cny_per_kwh
        ),
    ];
    header!();
}

/// The costs and flexibility every NET gives, first in its table.
macro_rules! net_common {
    () => {
        [
            entry!(
                "capex",
                "CNY per t/a",
                "",
                "capital cost per t/a of capacity",
                nn("CNY per t/a"),
                common.capex_cny_per_t_yr
            ),
            entry!(
                "fixed_opex",
                "1/yr",
                "",
                "fixed O&M as a share of capex per year",
                Rule::range("1/yr", 0.0, 1.0),
                common.fixed_opex_per_yr
            ),
            entry!(
                "variable_opex",
                "CNY/t",
                "",
                "non-energy variable cost",
                nn("CNY/t"),
                common.variable_opex_cny_per_t
            ),
            entry!(
                "min_capacity",
                "t/a",
                "",
                "minimum capacity when built",
                nn("t/a"),
                common.min_capacity_t_per_yr
            ),
            entry!(
                "flexible_share",
                "-",
                "",
                "share of its electricity use that can shift or be curtailed",
                SHARE,
                common.flexible_share
            ),
        ]
    };
}

const DAC_FIELDS: [Param<DacTech>; 11] = {
    let [a, b, d, e, f]: [Param<DacTech>; 5] = net_common!();
    [
        a,
        b,
        d,
        e,
        f,
        entry!(
            "electricity_use",
            "MWh/t",
            "",
            "electricity per t captured",
            nn("MWh/t"),
            electricity_mwh_per_t
        ),
        entry!(
            "heat_use",
            "MWh/t",
            "",
            "heat from the park's heat supply per t captured",
            nn("MWh/t"),
            heat_mwh_per_t
        ),
        entry!(
            "gas_use",
            "MWh/t",
            "",
            "natural gas burned directly per t captured",
            nn("MWh/t"),
            gas_mwh_per_t
        ),
        entry!(
            "transport_cost",
            "CNY/(t km)",
            "",
            "CO2 transport per km",
            nn("CNY/(t km)"),
            transport_cny_per_t_km
        ),
        entry!(
            "storage_cost",
            "CNY/t",
            "",
            "CO2 storage",
            nn("CNY/t"),
            storage_cny_per_t
        ),
        entry!(
            "permanence",
            "-",
            "",
            "share of the captured CO2 stored durably",
            SHARE,
            permanence
        ),
    ]
};

impl Tech for DacTech {
    const STRATEGY: Strategy = Strategy::Dac;
    const FIELDS: &'static [Param<Self>] = &DAC_FIELDS;
    header!();
}

const BECCS_FIELDS: [Param<BeccsTech>; 17] = {
    let [a, b, d, e, f]: [Param<BeccsTech>; 5] = net_common!();
    [
        a,
        b,
        d,
        e,
        f,
        entry!(
            "capture_rate",
            "-",
            "",
            "share of the flue-gas CO2 captured",
            CAPTURE_RATE,
            capture_rate
        ),
        entry!(
            "biomass_ef",
            "tCO2/MWh",
            "",
            "CO2 in the biomass per MWh of fuel (LHV)",
            Rule::range("tCO2/MWh", 0.01, 10.0),
            biomass_ef_t_per_mwh
        ),
        entry!(
            "electric_efficiency",
            "-",
            "",
            "electricity out per MWh of fuel",
            SHARE,
            electric_efficiency
        ),
        entry!(
            "heat_efficiency",
            "-",
            "",
            "heat out per MWh of fuel",
            SHARE,
            heat_efficiency
        ),
        entry!(
            "capture_electricity",
            "MWh/t",
            "",
            "electricity of the capture unit per t captured",
            nn("MWh/t"),
            capture_electricity_mwh_per_t
        ),
        entry!(
            "capture_heat",
            "MWh/t",
            "",
            "heat of the capture unit per t captured",
            nn("MWh/t"),
            capture_heat_mwh_per_t
        ),
        entry!(
            "biomass_lhv",
            "MWh/t",
            "",
            "lower heating value of dry biomass",
            Rule::range("MWh/t", 0.1, 20.0),
            biomass_lhv_mwh_per_t
        ),
        entry!(
            "biomass_price",
            "CNY/t",
            "",
            "price of dry biomass",
            nn("CNY/t"),
            biomass_price_cny_per_t
        ),
        entry!(
            "biomass_supply_ef",
            "tCO2/t",
            "",
            "supply-chain emissions per t of dry biomass",
            nn("tCO2/t"),
            biomass_supply_ef_t_per_t
        ),
        entry!(
            "transport_cost",
            "CNY/(t km)",
            "",
            "CO2 transport per km",
            nn("CNY/(t km)"),
            transport_cny_per_t_km
        ),
        entry!(
            "storage_cost",
            "CNY/t",
            "",
            "CO2 storage",
            nn("CNY/t"),
            storage_cny_per_t
        ),
        entry!(
            "permanence",
            "-",
            "",
            "share of the captured CO2 stored durably",
            SHARE,
            permanence
        ),
    ]
};

impl Tech for BeccsTech {
    const STRATEGY: Strategy = Strategy::Beccs;
    const FIELDS: &'static [Param<Self>] = &BECCS_FIELDS;
    header!();
    fn check(&self) -> Option<(&'static str, String)> {
        let sum = self.electric_efficiency + self.heat_efficiency;
        (sum > 1.0).then(|| {
            (
                "heat_efficiency",
                format!(
                    "electric_efficiency + heat_efficiency = {} > 1: the plant would make more energy than its fuel holds",
                    super::read::fmt_num(sum)
                ),
            )
        })
    }
}

const BIOCHAR_FIELDS: [Param<BiocharTech>; 15] = {
    let [a, b, d, e, f]: [Param<BiocharTech>; 5] = net_common!();
    [
        a,
        b,
        d,
        e,
        f,
        entry!(
            "biochar_yield",
            "t/t",
            "",
            "t biochar per t dry feed",
            BIOCHAR_YIELD,
            biochar_yield
        ),
        entry!(
            "carbon_content",
            "t C/t",
            "",
            "t carbon per t biochar",
            CARBON_CONTENT,
            carbon_content
        ),
        entry!(
            "permanence",
            "-",
            "",
            "share of the biochar carbon kept for 100 years",
            SHARE,
            permanence
        ),
        entry!(
            "electricity_use",
            "MWh/t",
            "",
            "electricity per t dry feed",
            nn("MWh/t"),
            electricity_mwh_per_t
        ),
        entry!(
            "heat_use",
            "MWh/t",
            "",
            "heat per t dry feed",
            nn("MWh/t"),
            heat_mwh_per_t
        ),
        entry!(
            "heat_output",
            "MWh/t",
            "",
            "surplus heat from burning the pyrolysis gas",
            nn("MWh/t"),
            heat_output_mwh_per_t
        ),
        entry!(
            "biomass_lhv",
            "MWh/t",
            "",
            "lower heating value of dry biomass",
            Rule::range("MWh/t", 0.1, 20.0),
            biomass_lhv_mwh_per_t
        ),
        entry!(
            "biomass_price",
            "CNY/t",
            "",
            "price of dry biomass",
            nn("CNY/t"),
            biomass_price_cny_per_t
        ),
        entry!(
            "biomass_supply_ef",
            "tCO2/t",
            "",
            "supply-chain emissions per t of dry biomass",
            nn("tCO2/t"),
            biomass_supply_ef_t_per_t
        ),
        entry!(
            "biochar_price",
            "CNY/t",
            "",
            "price of biochar sold",
            nn("CNY/t"),
            biochar_price_cny_per_t
        ),
    ]
};

impl Tech for BiocharTech {
    const STRATEGY: Strategy = Strategy::Biochar;
    const FIELDS: &'static [Param<Self>] = &BIOCHAR_FIELDS;
    header!();
    fn check(&self) -> Option<(&'static str, String)> {
        (self.heat_output_mwh_per_t > self.biomass_lhv_mwh_per_t).then(|| {
            (
                "heat_output",
                format!(
                    "{} MWh/t is more heat than the feed holds (biomass_lhv = {} MWh/t)",
                    super::read::fmt_num(self.heat_output_mwh_per_t),
                    super::read::fmt_num(self.biomass_lhv_mwh_per_t)
                ),
            )
        })
    }
}

/// Calls `f` with the field table and technologies of `$s`: code that works on
/// any technology is written once, generic over [`Tech`].
macro_rules! with_techs {
    ($cat:expr, $s:expr, |$list:ident| $body:expr) => {
        match $s {
            Strategy::Fcs => {
                let $list = &$cat.fcs;
                $body
            }
            Strategy::Ccu => {
                let $list = &$cat.ccu;
                $body
            }
            Strategy::Whr => {
                let $list = &$cat.whr;
                $body
            }
            Strategy::Pv => {
                let $list = &$cat.pv;
                $body
            }
            Strategy::Dac => {
                let $list = &$cat.dac;
                $body
            }
            Strategy::Beccs => {
                let $list = &$cat.beccs;
                $body
            }
            Strategy::Biochar => {
                let $list = &$cat.biochar;
                $body
            }
        }
    };
}
pub(crate) use with_techs;

macro_rules! with_techs_mut {
    ($cat:expr, $s:expr, |$list:ident| $body:expr) => {
        match $s {
            Strategy::Fcs => {
                let $list = &mut $cat.fcs;
                $body
            }
            Strategy::Ccu => {
                let $list = &mut $cat.ccu;
                $body
            }
            Strategy::Whr => {
                let $list = &mut $cat.whr;
                $body
            }
            Strategy::Pv => {
                let $list = &mut $cat.pv;
                $body
            }
            Strategy::Dac => {
                let $list = &mut $cat.dac;
                $body
            }
            Strategy::Beccs => {
                let $list = &mut $cat.beccs;
                $body
            }
            Strategy::Biochar => {
                let $list = &mut $cat.biochar;
                $body
            }
        }
    };
}

/// A technology parameter's key, `STRATEGY.CODE.FIELD` (`ccu.1.capex`,
/// `whr.3.price`): how `--set` and `[uncertainty]` address the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TechKey<'a> {
    pub strategy: Strategy,
    pub code: u32,
    pub field: &'a str,
}

impl<'a> TechKey<'a> {
    /// Parses `strategy.code.field`; `None` if the text does not have that shape.
    pub fn parse(text: &'a str) -> Option<TechKey<'a>> {
        let mut parts = text.trim().splitn(3, '.');
        let strategy = Strategy::parse(parts.next()?)?;
        let code = parts.next()?.parse().ok()?;
        let field = parts.next()?;
        Some(TechKey {
            strategy,
            code,
            field,
        })
    }
}

/// The field keys of a strategy's technologies, in file order.
pub fn field_keys(s: Strategy) -> Vec<&'static str> {
    fn keys<T: Tech>(_: &[T]) -> Vec<&'static str> {
        T::FIELDS.iter().map(|f| f.key).collect()
    }
    let empty = Catalogue::default();
    with_techs!(empty, s, |list| keys(list))
}

impl Catalogue {
    /// The value of a technology parameter, with its unit.
    pub fn field(&self, key: &TechKey) -> Result<(f64, &'static str), String> {
        fn get<T: Tech>(list: &[T], key: &TechKey) -> Result<(f64, &'static str), String> {
            let t = find(list, key.code)?;
            let f = field_of::<T>(key.field)?;
            Ok((f.get(t), f.unit))
        }
        with_techs!(self, key.strategy, |list| get(list, key))
    }

    /// Sets a technology parameter after checking its range and the
    /// technology's cross-field rules; on error nothing changes.
    pub fn set_field(&mut self, key: &TechKey, v: f64) -> Result<(), String> {
        fn set<T: Tech>(list: &mut [T], key: &TechKey, v: f64) -> Result<(), String> {
            let f = field_of::<T>(key.field)?;
            let i = list.iter().position(|t| t.code() == key.code);
            let t = &mut list[i.ok_or_else(|| no_code(T::STRATEGY, key.code, list))?];
            let mut next = t.clone();
            f.set(&mut next, v)?;
            if let Some((_, why)) = next.check() {
                return Err(why);
            }
            *t = next;
            Ok(())
        }
        with_techs_mut!(self, key.strategy, |list| set(list, key, v))
    }

    /// What `key` allows, e.g. "a finite number >= 0 (CNY per t/a)".
    pub fn field_allowed(&self, key: &TechKey) -> Result<String, String> {
        fn allowed<T: Tech>(list: &[T], key: &TechKey) -> Result<String, String> {
            find(list, key.code)?;
            Ok(field_of::<T>(key.field)?.allowed())
        }
        with_techs!(self, key.strategy, |list| allowed(list, key))
    }
}

fn find<T: Tech>(list: &[T], code: u32) -> Result<&T, String> {
    list.iter()
        .find(|t| t.code() == code)
        .ok_or_else(|| no_code(T::STRATEGY, code, list))
}

fn no_code<T: Tech>(s: Strategy, code: u32, list: &[T]) -> String {
    let codes: Vec<String> = list.iter().map(|t| t.code().to_string()).collect();
    format!(
        "no {} technology with code {code}; the catalogue has {}",
        s.key(),
        if codes.is_empty() {
            "none".into()
        } else {
            codes.join(", ")
        }
    )
}

fn field_of<T: Tech>(key: &str) -> Result<&'static Param<T>, String> {
    let all = || T::FIELDS.iter().chain(T::OPTIONAL);
    all().find(|f| f.key == key).ok_or_else(|| {
        let keys: Vec<&str> = all().map(|f| f.key).collect();
        format!(
            "{} technologies have no field {key:?}; valid fields: {}",
            T::STRATEGY.key(),
            keys.join(", ")
        )
    })
}

/// Short names of the technologies of the bundled parks, for columns too
/// narrow for the full name (the console's Plan at 80 columns): one table,
/// full name to short name. A name not listed has no short form; a column
/// then cuts it with `…`.
pub const SHORT_NAMES: &[(&str, &str)] = &[
    ("Absorption chiller", "Chiller"),
    ("Organic Rankine cycle unit", "ORC"),
    ("Absorption heat pump", "Heat pump"),
    ("Heat exchanger", "Heat exch."),
    ("Fixed solar panels", "Fixed PV"),
    ("Post-combustion capture, chemical absorption", "Post-comb"),
    ("Pinus massoniana (masson pine)", "Masson pine"),
    ("Pinus elliottii (slash pine)", "Slash pine"),
    ("Cunninghamia lanceolata (Chinese fir)", "Chinese fir"),
    (
        "Solid sorbent DAC (temperature-vacuum swing), geological storage",
        "Solid DAC",
    ),
    (
        "Liquid solvent DAC (KOH contactor, gas-fired calciner), geological storage",
        "Liquid DAC",
    ),
    (
        "Biomass heat-only boiler with post-combustion capture",
        "Bio boiler",
    ),
    (
        "Biomass CHP (grate boiler, back-pressure turbine) with post-combustion capture",
        "Bio CHP",
    ),
    (
        "Slow pyrolysis (450-600 C) of woody residues, char sold as soil amendment",
        "Pyrolysis",
    ),
];

/// The short form of a technology name from [`SHORT_NAMES`], if it has one.
pub fn short_name(name: &str) -> Option<&'static str> {
    SHORT_NAMES
        .iter()
        .find(|(full, _)| *full == name)
        .map(|(_, short)| *short)
}
