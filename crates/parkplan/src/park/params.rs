//! The scalar economics parameters: one table that the park file reader, `--set`
//! and the console's parameter editor all share, so a key, its unit and its
//! allowed range are written down once.

use super::read::Rule;
use super::{Annualization, Economics};

/// A scalar economics parameter that can be read from a park file and overridden.
pub struct Param {
    /// Key in the `[economics]` table and in `--set KEY=VALUE`.
    pub key: &'static str,
    /// Unit, as printed.
    pub unit: &'static str,
    /// Symbol in the paper's nomenclature, if any.
    pub symbol: &'static str,
    /// One line saying what it is.
    pub help: &'static str,
    pub(crate) rule: Rule,
    pub(crate) get: fn(&Economics) -> f64,
    pub(crate) set: fn(&mut Economics, f64),
}

impl Param {
    /// The value in `e`.
    pub fn get(&self, e: &Economics) -> f64 {
        (self.get)(e)
    }
    /// Sets the value after checking its range; the error says what is allowed.
    pub fn set(&self, e: &mut Economics, v: f64) -> Result<(), String> {
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
}

macro_rules! param {
    ($key:literal, $unit:literal, $sym:literal, $help:literal, $rule:expr, $field:ident) => {
        Param {
            key: $key,
            unit: $unit,
            symbol: $sym,
            help: $help,
            rule: $rule,
            get: |e| e.$field,
            set: |e, v| e.$field = v,
        }
    };
}

/// Every scalar economics parameter, in the order the console shows them.
pub static PARAMS: &[Param] = &[
    param!(
        "capex_cap",
        "CNY",
        "Π_max",
        "capital expenditure cap (eq. 3.30), including FCS management over the accounting period",
        Rule::non_negative("CNY"),
        capex_cap_cny
    ),
    param!(
        "ets_price",
        "CNY/t",
        "λ_ETS",
        "carbon price in the emission trading scheme",
        Rule::non_negative("CNY/t"),
        ets_price_cny_per_t
    ),
    param!(
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
    param!(
        "service_life",
        "yr",
        "T",
        "project accounting period and equipment service life (FCS growth horizon, annualization)",
        Rule::range("yr", 1.0, 200.0).integer(),
        service_life_yr
    ),
    param!(
        "operating_hours",
        "h/yr",
        "T_ann",
        "annual operating hours of WHR equipment",
        Rule::range("h/yr", 0.0, 8784.0),
        operating_hours_h_per_yr
    ),
    param!(
        "grid_ef",
        "tCO2/MWh",
        "e_p",
        "grid electricity emission factor (CCU power, ORC and chiller displacement, PV)",
        Rule::non_negative("tCO2/MWh"),
        grid_ef_t_per_mwh
    ),
    param!(
        "gas_ef",
        "tCO2/MWh",
        "e_HQE",
        "natural gas emission factor per MWh of fuel (heat displaced by WHR)",
        Rule::non_negative("tCO2/MWh"),
        gas_ef_t_per_mwh
    ),
    param!(
        "steam_ef",
        "tCO2/GJ",
        "e_s",
        "emission factor of the steam used by CO2 capture",
        Rule::non_negative("tCO2/GJ"),
        steam_ef_t_per_gj
    ),
    param!(
        "water_ef",
        "tCO2/t",
        "e_w",
        "emission factor of process water used by CO2 capture",
        Rule::non_negative("tCO2/t"),
        water_ef_t_per_t
    ),
    param!(
        "chiller_cop",
        "-",
        "η_HQE",
        "COP of the electric chillers whose cooling WHR absorption chillers displace",
        Rule::range("-", 0.01, 100.0),
        chiller_cop
    ),
    param!(
        "boiler_efficiency",
        "-",
        "η_HQE",
        "efficiency of the gas boilers whose heat WHR heat pumps and exchangers displace",
        Rule::range("-", 0.01, 1.5),
        boiler_efficiency
    ),
    param!(
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
