//! The scalar parameters, one table per park-file table: `[economics]`
//! ([`PARAMS`]) and `[solver]` ([`SOLVER_PARAMS`]); each technology's fields are
//! in [`super::techs`]. The file reader, the writer, the in-place editor, `--set`,
//! the console's parameter editor and `--help` all iterate these tables, so a
//! key, its unit and its allowed range are written down once.

use super::read::Rule;
use super::{Annualization, Economics, Energy, SolverSettings};

/// A scalar parameter of a `T` (the economics, the solver settings or one
/// technology) that can be read from a park file and overridden.
pub struct Param<T: 'static = Economics> {
    /// Key in its table and in `--set KEY=VALUE`.
    pub key: &'static str,
    /// Unit, as printed.
    pub unit: &'static str,
    /// Symbol in the paper's nomenclature, if any.
    pub symbol: &'static str,
    /// One line saying what it is.
    pub help: &'static str,
    pub(crate) rule: Rule,
    pub(crate) get: fn(&T) -> f64,
    pub(crate) set: fn(&mut T, f64),
}

impl<T> Param<T> {
    /// The value in `e`.
    pub fn get(&self, e: &T) -> f64 {
        (self.get)(e)
    }
    /// Sets the value after checking its range; the error says what is allowed.
    pub fn set(&self, e: &mut T, v: f64) -> Result<(), String> {
        self.rule.check(v)?;
        (self.set)(e, v);
        Ok(())
    }
    /// The allowed interval (min, max); infinite where open.
    pub fn range(&self) -> (f64, f64) {
        (self.rule.min, self.rule.max)
    }
    /// What values are allowed, e.g. "a finite number >= 0 (CNY/t)".
    pub fn allowed(&self) -> String {
        self.rule.allowed()
    }
    /// Whether only whole numbers are allowed (counts, seeds).
    pub fn integer(&self) -> bool {
        self.rule.integer
    }
    /// Checks `v` against the allowed range; the error says what is allowed.
    pub fn check(&self, v: f64) -> Result<(), String> {
        self.rule.check(v)
    }
}

/// A table entry for a field of type f64 (`$($field).+` may be a path such as
/// `common.capex_cny_per_t_yr`); the unit is the rule's.
macro_rules! entry {
    ($key:literal, $unit:literal, $sym:literal, $help:literal, $rule:expr, $($field:ident).+) => {
        Param {
            key: $key,
            unit: $unit,
            symbol: $sym,
            help: $help,
            rule: $rule,
            get: |e| e.$($field).+,
            set: |e, v| e.$($field).+ = v,
        }
    };
}
pub(crate) use entry;

/// A table entry for a whole-number setting stored as an integer type.
macro_rules! count {
    ($key:literal, $help:literal, $min:expr, $max:expr, $field:ident, $ty:ty) => {
        Param {
            key: $key,
            unit: "-",
            symbol: "",
            help: $help,
            rule: Rule::range("-", $min, $max).integer(),
            get: |s| s.$field as f64,
            set: |s, v| s.$field = v as $ty,
        }
    };
}

/// Every `[solver]` setting (the genetic algorithm's), in file order. The
/// command line's GA flags and the console's GA editor check against these.
pub static SOLVER_PARAMS: &[Param<SolverSettings>] = &[
    count!(
        "population",
        "GA individuals per generation",
        4.0,
        100_000.0,
        population,
        usize
    ),
    count!(
        "generations",
        "GA generation limit",
        1.0,
        10_000_000.0,
        generations,
        usize
    ),
    entry!(
        "crossover_rate",
        "-",
        "",
        "probability that a child is made by crossover",
        Rule::range("-", 0.0, 1.0),
        crossover_rate
    ),
    entry!(
        "mutation_rate",
        "-",
        "",
        "probability that a child is mutated",
        Rule::range("-", 0.0, 1.0),
        mutation_rate
    ),
    count!(
        "elitism",
        "best individuals copied unchanged",
        0.0,
        100_000.0,
        elitism,
        usize
    ),
    count!(
        "seed",
        "GA random seed (same seed, same result)",
        0.0,
        9.0e15,
        seed,
        u64
    ),
    count!(
        "stall_generations",
        "stop after this many generations without improvement",
        1.0,
        10_000_000.0,
        stall_generations,
        usize
    ),
    entry!(
        "time_limit_s",
        "s",
        "",
        "wall-clock limit of one GA run",
        Rule::positive("s"),
        time_limit_s
    ),
];

/// The `[energy]` prices and demands that can be overridden (`--set`, sweeps,
/// scenarios, the console); `biomass_supply` and the profile are read on their
/// own. `export_price` is optional ([`Param::optional`]): unset, it reads NaN
/// and exported electricity keeps its on-site value; setting it adds the
/// electricity row (docs/energy-and-nets.md).
pub static ENERGY_PARAMS: &[Param<Energy>] = &[
    entry!(
        "electricity_price",
        "CNY/MWh",
        "",
        "[energy] price of electricity bought, and the value of electricity made and used on site",
        Rule::non_negative("CNY/MWh"),
        electricity_price_cny_per_mwh
    ),
    entry!(
        "gas_price",
        "CNY/MWh",
        "",
        "[energy] price of natural gas per MWh of fuel; heat is valued at it over the boiler efficiency",
        Rule::non_negative("CNY/MWh"),
        gas_price_cny_per_mwh
    ),
    entry!(
        "electricity_demand",
        "MWh/yr",
        "",
        "[energy] final electricity demand today, not counting electric chillers",
        Rule::non_negative("MWh/yr"),
        electricity_demand_mwh
    ),
    entry!(
        "heat_demand",
        "MWh/yr",
        "",
        "[energy] heat and steam today, from gas boilers",
        Rule::non_negative("MWh/yr"),
        heat_demand_mwh
    ),
    entry!(
        "cooling_demand",
        "MWh/yr",
        "",
        "[energy] cooling today, from electric chillers",
        Rule::non_negative("MWh/yr"),
        cooling_demand_mwh
    ),
    Param {
        key: "export_price",
        unit: "CNY/MWh",
        symbol: "",
        help: "[energy] optional: what a MWh exported (made beyond the park's use) earns; unset, it keeps its on-site value",
        rule: Rule::non_negative("CNY/MWh"),
        get: |e| e.export_price_cny_per_mwh.unwrap_or(f64::NAN),
        set: |e, v| e.export_price_cny_per_mwh = Some(v),
    },
];

impl Param<Energy> {
    /// Whether the key may be left out of `[energy]` (its value is then NaN,
    /// and writers and editors leave it out).
    pub fn optional(&self) -> bool {
        self.key == "export_price"
    }
}

/// Looks an `[energy]` price or demand up by key.
pub fn energy_param(key: &str) -> Option<&'static Param<Energy>> {
    ENERGY_PARAMS.iter().find(|p| p.key == key)
}

/// Looks a `[solver]` setting up by key.
pub fn solver_param(key: &str) -> Option<&'static Param<SolverSettings>> {
    SOLVER_PARAMS.iter().find(|p| p.key == key)
}

/// Every scalar economics parameter, in the order the console shows them.
pub static PARAMS: &[Param] = &[
    entry!(
        "capex_cap",
        "CNY",
        "Π_max",
        "capital expenditure cap (eq. 3.30), including FCS management over the accounting period",
        Rule::non_negative("CNY"),
        capex_cap_cny
    ),
    entry!(
        "ets_price",
        "CNY/t",
        "λ_ETS",
        "carbon price in the emission trading scheme",
        Rule::non_negative("CNY/t"),
        ets_price_cny_per_t
    ),
    entry!(
        "co2_transport_km",
        "km",
        "",
        "distance the captured CO2 product is trucked to its buyer (enters Π_CCU,Op)",
        Rule::non_negative("km"),
        co2_transport_km
    ),
    Param {
        key: "discount_rate",
        unit: "1/yr",
        symbol: "r",
        help: "discount rate; alpha is the capital recovery factor r(1+r)^T/((1+r)^T-1)",
        rule: Rule::range("1/yr", 0.0, 1.0),
        get: |e| match e.annualization {
            Annualization::Crf { rate } => rate,
            Annualization::Fixed { .. } => f64::NAN,
        },
        set: |e, v| e.annualization = Annualization::Crf { rate: v },
    },
    Param {
        key: "alpha",
        unit: "1/yr",
        symbol: "α",
        help: "annualization factor applied to capital expenditure (eq. 3.1); setting it replaces the discount rate",
        rule: Rule {
            unit: "1/yr",
            min: 0.0,
            min_exclusive: true,
            max: 1.0,
            integer: false,
        },
        get: |e| e.alpha(),
        set: |e, v| e.annualization = Annualization::Fixed { alpha: v },
    },
    entry!(
        "service_life",
        "yr",
        "T",
        "project accounting period and equipment service life (FCS growth horizon, annualization)",
        Rule::range("yr", 1.0, 200.0).integer(),
        service_life_yr
    ),
    entry!(
        "operating_hours",
        "h/yr",
        "T_ann",
        "annual operating hours of WHR equipment",
        Rule::range("h/yr", 0.0, 8784.0),
        operating_hours_h_per_yr
    ),
    entry!(
        "grid_ef",
        "tCO2/MWh",
        "e_p",
        "grid electricity emission factor (CCU power, ORC and chiller displacement, PV)",
        Rule::non_negative("tCO2/MWh"),
        grid_ef_t_per_mwh
    ),
    entry!(
        "gas_ef",
        "tCO2/MWh",
        "e_HQE",
        "natural gas emission factor per MWh of fuel (heat displaced by WHR)",
        Rule::non_negative("tCO2/MWh"),
        gas_ef_t_per_mwh
    ),
    entry!(
        "steam_ef",
        "tCO2/GJ",
        "e_s",
        "emission factor of the steam used by CO2 capture",
        Rule::non_negative("tCO2/GJ"),
        steam_ef_t_per_gj
    ),
    entry!(
        "water_ef",
        "tCO2/t",
        "e_w",
        "emission factor of process water used by CO2 capture",
        Rule::non_negative("tCO2/t"),
        water_ef_t_per_t
    ),
    entry!(
        "chiller_cop",
        "-",
        "η_HQE",
        "COP of the electric chillers whose cooling WHR absorption chillers displace",
        Rule::range("-", 0.01, 100.0),
        chiller_cop
    ),
    entry!(
        "boiler_efficiency",
        "-",
        "η_HQE",
        "efficiency of the gas boilers whose heat WHR heat pumps and exchangers displace",
        Rule::range("-", 0.01, 1.5),
        boiler_efficiency
    ),
    entry!(
        "solar_radiation",
        "kWh/m2/yr",
        "Ra_solar",
        "annual global solar radiation on the panel plane at the site",
        Rule::non_negative("kWh/m2/yr"),
        solar_radiation_kwh_per_m2_yr
    ),
];

/// Looks a parameter up by key.
pub fn param(key: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.key == key)
}

/// The keys, comma-separated, for error messages.
pub fn param_keys() -> String {
    PARAMS.iter().map(|p| p.key).collect::<Vec<_>>().join(", ")
}
