//! Park files: the data a planner writes by hand (economics, technology catalogue,
//! regions), read from TOML with every problem reported at its line and column.

mod decode;
mod edit;
mod generate;
pub mod params;
pub mod prescan;
pub mod profile;
pub mod techs;
mod write;

pub use edit::{EditError, profile_path_for_save, updated_toml, with_profile_file};
pub use generate::{generate, generate_with_nets};
pub use write::to_toml;
pub(crate) mod read;
pub mod uncertainty;

use std::fmt;

use std::path::Path;
pub use strum::EnumCount;

pub use params::{
    ENERGY_PARAMS, PARAMS, Param, SOLVER_PARAMS, energy_param, param, param_keys, solver_param,
};
pub use techs::{Tech, TechKey};

/// The paper's seven-region case (Table 1), compiled into the binary.
pub const PAPER_CASE_TOML: &str = include_str!("../../../../parks/paper-case.toml");
/// Most regions in one park: 100,000 take about 0.55 GB while solving
/// (docs/reliability.md); twice that stays near 1 GB.
pub const MAX_REGIONS: usize = 200_000;
/// Largest park file read (a 200,000-region file is about 40 MB).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// The example park with negative-emission technologies (for the format's key list;
/// its profile CSV is beside it in `parks/`).
pub(crate) const NET_PARK_TOML: &str = include_str!("../../../../parks/net-park.toml");

/// File name used in messages about the built-in case.
pub const PAPER_CASE_NAME: &str = "paper-case.toml (built-in)";

/// The same park with literature values in place of those Tables 2-3 imply
/// (`parks/paper-case-literature.toml`): the catalogue and economics of
/// generated parks, so that they do not move when the calibration does.
pub(crate) const PAPER_CASE_LITERATURE_TOML: &str =
    include_str!("../../../../parks/paper-case-literature.toml");

/// An industrial park: what can be built where, and at what prices.
#[derive(Debug, Clone, PartialEq)]
pub struct Park {
    pub name: String,
    pub notes: String,
    pub economics: Economics,
    pub solver: SolverSettings,
    pub catalogue: Catalogue,
    pub regions: Vec<Region>,
    /// Today's energy demand and prices (`[energy]`); required with NETs.
    pub energy: Option<Energy>,
    /// Configurations defined in the file (`[[scenario]]`), for `compare`.
    pub scenarios: Vec<ScenarioDef>,
    /// Distributions of uncertain parameters (`[uncertainty]`, docs/robust.md).
    pub uncertainty: uncertainty::Uncertainty,
    /// Ground shared by lots (`[land]`): limits on the area of FCS and of PV on
    /// empty lots (docs/energy-and-nets.md, "Resource rows").
    pub land: LandLimits,
}

/// `[land]`: the area (m2) each land group of regions can give to ground-using
/// options, and optionally the whole park's; empty when the file has no `[land]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LandLimits {
    /// `total`: park-wide area (m2), if stated.
    pub total_m2: Option<f64>,
    /// (group name, area in m2), in file order.
    pub groups: Vec<(String, f64)>,
}

impl LandLimits {
    pub fn is_empty(&self) -> bool {
        self.total_m2.is_none() && self.groups.is_empty()
    }
}

/// The park's energy baseline and prices (docs/energy-and-nets.md).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Energy {
    pub electricity_price_cny_per_mwh: f64,
    pub gas_price_cny_per_mwh: f64,
    /// Final electricity demand, not counting electric chillers (MWh/yr).
    pub electricity_demand_mwh: f64,
    /// Heat and steam delivered by gas boilers (MWh/yr).
    pub heat_demand_mwh: f64,
    /// Cooling delivered by electric chillers (MWh/yr).
    pub cooling_demand_mwh: f64,
    /// Dry biomass the park can buy a year (t/yr), if stated: the biomass
    /// row keeps plans within it, and the ledger reports the share used.
    pub biomass_supply_t: Option<f64>,
    /// `export_price` (CNY/MWh), if stated: electricity made beyond the park's
    /// annual use earns this instead of its on-site value (the electricity
    /// row, docs/energy-and-nets.md); without it, today's valuation.
    pub export_price_cny_per_mwh: Option<f64>,
    pub profile: Profile,
}

/// Hourly shapes of electricity demand and PV output: each column sums to 1
/// over the year (weights included), so it scales to any annual total.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Where it came from: the CSV path as written, or "generated".
    pub source: ProfileSource,
    /// Share of the annual load in each row.
    pub load: Vec<f64>,
    /// Share of the annual PV output in each row.
    pub pv: Vec<f64>,
    /// Hours each row stands for (1 for 8,760 rows; 365/N for N representative days).
    pub hours_per_row: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProfileSource {
    File(String),
    Generated { day_load_factor: f64 },
}

/// A flat day, as `day_load_factor = 1` gives: only a starting value that the
/// reader overwrites.
impl Default for ProfileSource {
    fn default() -> Self {
        ProfileSource::Generated {
            day_load_factor: 1.0,
        }
    }
}

impl Energy {
    /// The value of one of [`ENERGY_PARAMS`].
    pub fn get(&self, key: &str) -> Option<f64> {
        energy_param(key).map(|p| p.get(self))
    }

    /// Sets one of [`ENERGY_PARAMS`] without a range check; false for another key.
    pub fn set(&mut self, key: &str, value: f64) -> bool {
        energy_param(key).map(|p| (p.set)(self, value)).is_some()
    }
}

/// A configuration to compare, from the park file or built in.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioDef {
    pub name: String,
    pub description: String,
    /// Strategies that may be built (all when the file does not say).
    pub strategies: Vec<Strategy>,
    /// Overrides (`set = { ets_price = 200 }`): [`PARAMS`] keys and [`ENERGY_PARAMS`].
    pub set: Vec<(String, f64)>,
    /// Build nothing at all (today's system).
    pub nothing: bool,
}

/// Park-wide economic and physical parameters (scalars; see [`PARAMS`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Economics {
    pub capex_cap_cny: f64,
    pub ets_price_cny_per_t: f64,
    pub annualization: Annualization,
    /// T: accounting period of FCS and service life of equipment (whole years).
    pub service_life_yr: f64,
    pub co2_transport_km: f64,
    pub operating_hours_h_per_yr: f64,
    pub grid_ef_t_per_mwh: f64,
    pub gas_ef_t_per_mwh: f64,
    pub steam_ef_t_per_gj: f64,
    pub water_ef_t_per_t: f64,
    pub chiller_cop: f64,
    pub boiler_efficiency: f64,
    pub solar_radiation_kwh_per_m2_yr: f64,
}

/// How capital expenditure is annualized (alpha in eq. 3.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Annualization {
    /// Capital recovery factor at this discount rate over the service life.
    Crf { rate: f64 },
    /// A given alpha.
    Fixed { alpha: f64 },
}

impl Economics {
    /// alpha (1/yr): the capital recovery factor, or the given value.
    pub fn alpha(&self) -> f64 {
        match self.annualization {
            Annualization::Fixed { alpha } => alpha,
            Annualization::Crf { rate } => crf(rate, self.service_life_yr),
        }
    }
}

/// Capital recovery factor r(1+r)^n / ((1+r)^n - 1); 1/n at r = 0.
pub fn crf(rate: f64, years: f64) -> f64 {
    if rate == 0.0 {
        1.0 / years
    } else {
        // g - 1 as expm1(n ln(1+r)): exact for tiny rates, where (1+r)^n - 1
        // would cancel to 0 and give an infinite alpha.
        let g_minus_1 = (years * rate.ln_1p()).exp_m1();
        rate * (g_minus_1 + 1.0) / g_minus_1
    }
}

/// Genetic-algorithm settings (`[solver]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SolverSettings {
    pub population: usize,
    pub generations: usize,
    pub crossover_rate: f64,
    pub mutation_rate: f64,
    pub elitism: usize,
    pub seed: u64,
    pub stall_generations: usize,
    pub time_limit_s: f64,
}

impl Default for SolverSettings {
    fn default() -> Self {
        SolverSettings {
            population: 64,
            generations: 400,
            crossover_rate: 0.9,
            mutation_rate: 0.2,
            elitism: 2,
            seed: 1,
            stall_generations: 60,
            time_limit_s: 10.0,
        }
    }
}

/// The four strategies of the paper and three negative-emission technologies.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, strum::EnumCount,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Strategy {
    Fcs,
    Ccu,
    Whr,
    Pv,
    Dac,
    Beccs,
    Biochar,
}

impl Strategy {
    /// Every strategy in declaration order; its length is derived, so a new
    /// variant that is not listed here does not compile.
    pub const ALL: [Strategy; Strategy::COUNT] = [
        Strategy::Fcs,
        Strategy::Ccu,
        Strategy::Whr,
        Strategy::Pv,
        Strategy::Dac,
        Strategy::Beccs,
        Strategy::Biochar,
    ];
    /// The negative-emission technologies (docs/energy-and-nets.md).
    pub const NETS: [Strategy; 3] = [Strategy::Dac, Strategy::Beccs, Strategy::Biochar];

    /// Position in [`Strategy::ALL`], for arrays indexed by strategy.
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for DAC, BECCS and biochar.
    pub fn is_net(self) -> bool {
        Strategy::NETS.contains(&self)
    }
    /// Parses a name or key, ignoring case ("dac", "BECCS").
    pub fn parse(text: &str) -> Option<Strategy> {
        Strategy::ALL
            .into_iter()
            .find(|s| s.key().eq_ignore_ascii_case(text.trim()))
    }

    /// Upper-case name used in reports and JSON ("FCS", ...).
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Fcs => "FCS",
            Strategy::Ccu => "CCU",
            Strategy::Whr => "WHR",
            Strategy::Pv => "PV",
            Strategy::Dac => "DAC",
            Strategy::Beccs => "BECCS",
            Strategy::Biochar => "BIOCHAR",
        }
    }
    /// Key in park files ("fcs", ...).
    pub const fn key(self) -> &'static str {
        match self {
            Strategy::Fcs => "fcs",
            Strategy::Ccu => "ccu",
            Strategy::Whr => "whr",
            Strategy::Pv => "pv",
            Strategy::Dac => "dac",
            Strategy::Beccs => "beccs",
            Strategy::Biochar => "biochar",
        }
    }
    /// Unit of capacity in plans and reports (the paper's Table 2 units; t/a of
    /// CO2 captured for DAC and BECCS, of dry feedstock for biochar).
    pub fn unit(self) -> &'static str {
        match self {
            Strategy::Fcs | Strategy::Pv => "m2",
            Strategy::Ccu | Strategy::Dac | Strategy::Beccs | Strategy::Biochar => "t/a",
            Strategy::Whr => "kW",
        }
    }
}

/// The built-in configuration with nothing built (`compare`).
pub const BASELINE: &str = "baseline";
/// The built-in configuration with the paper's four strategies only.
pub const NO_NET: &str = "no-net";
/// The built-in configuration with every strategy.
pub const MIX: &str = "mix";
/// Names of the configurations `compare` builds in (each NET alone is named by
/// its key); a file's `[[scenario]]` may not take them.
pub const BUILTIN_SCENARIOS: [&str; 6] = [
    BASELINE,
    NO_NET,
    Strategy::Dac.key(),
    Strategy::Beccs.key(),
    Strategy::Biochar.key(),
    MIX,
];

/// One way to write a region's capacity bounds: the keys, the unit they are in
/// and the factor to the report unit ([`Strategy::unit`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapacityUnit {
    pub max_key: &'static str,
    pub min_key: &'static str,
    pub unit: &'static str,
    pub factor: f64,
}

const fn cap(
    max_key: &'static str,
    min_key: &'static str,
    unit: &'static str,
    factor: f64,
) -> CapacityUnit {
    CapacityUnit {
        max_key,
        min_key,
        unit,
        factor,
    }
}

impl Strategy {
    /// The units a region's bounds may be written in; the first is the report
    /// unit (what the writer uses), the second the paper's Table 1 unit.
    pub fn capacity_units(self) -> &'static [CapacityUnit; 2] {
        const AREA: [CapacityUnit; 2] = [
            cap("max_m2", "min_m2", "m2", 1.0),
            cap("max_ha", "min_ha", "ha", crate::model::fcs::M2_PER_HA),
        ];
        const MASS: [CapacityUnit; 2] = [
            cap("max_t_per_yr", "min_t_per_yr", "t/a", 1.0),
            cap("max_kt_per_yr", "min_kt_per_yr", "kt/a", 1000.0),
        ];
        const HEAT: [CapacityUnit; 2] = [
            cap("max_kw", "min_kw", "kW", 1.0),
            cap("max_mw", "min_mw", "MW", 1000.0),
        ];
        match self {
            Strategy::Fcs | Strategy::Pv => &AREA,
            Strategy::Ccu | Strategy::Dac | Strategy::Beccs | Strategy::Biochar => &MASS,
            Strategy::Whr => &HEAT,
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a region is, which decides the strategies it may host (section 2 of the paper).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Land {
    EmptyLot,
    Factory,
    Rooftop,
}

impl Land {
    pub fn key(self) -> &'static str {
        match self {
            Land::EmptyLot => "empty_lot",
            Land::Factory => "factory",
            Land::Rooftop => "rooftop",
        }
    }
    /// Strategies this land type can host.
    pub fn allows(self) -> &'static [Strategy] {
        match self {
            Land::EmptyLot => &[
                Strategy::Fcs,
                Strategy::Pv,
                Strategy::Dac,
                Strategy::Biochar,
            ],
            Land::Factory => &[
                Strategy::Ccu,
                Strategy::Whr,
                Strategy::Pv,
                Strategy::Dac,
                Strategy::Beccs,
                Strategy::Biochar,
            ],
            Land::Rooftop => &[Strategy::Pv],
        }
    }
}

/// A region of the park.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: u32,
    pub name: String,
    pub land: Land,
    /// `land_group`: the `[land]` group whose area this region's ground-using
    /// options share, if any.
    pub land_group: Option<String>,
    /// Allowed strategies with their bounds, in the order FCS, CCU, WHR, PV.
    pub slots: Vec<Slot>,
}

/// One strategy allowed in a region, with capacity bounds in report units
/// (FCS and PV m2, CCU t/a, WHR kW).
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub strategy: Strategy,
    pub min: f64,
    pub max: f64,
    /// Allowed technology codes; `None` means the whole catalogue.
    pub techs: Option<Vec<u32>>,
}

/// Technology catalogue: every parameter of eqs. 3.3-3.26 per strategy and technology.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    /// Π_FCS,CCER: project development cost, paid once per region with FCS (CNY).
    pub fcs_project_development_cny: f64,
    pub fcs: Vec<FcsSpecies>,
    pub ccu: Vec<CcuTech>,
    pub whr: Vec<WhrTech>,
    pub pv: Vec<PvTech>,
    pub dac: Vec<DacTech>,
    pub beccs: Vec<BeccsTech>,
    pub biochar: Vec<BiocharTech>,
}

/// Costs and flexibility shared by the three NETs (per unit of capacity).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetCommon {
    /// CNY per t/a of capacity.
    pub capex_cny_per_t_yr: f64,
    /// Fixed O&M as a share of capex per year (1/yr).
    pub fixed_opex_per_yr: f64,
    /// Non-energy variable cost (CNY per t of capacity unit).
    pub variable_opex_cny_per_t: f64,
    pub min_capacity_t_per_yr: f64,
    /// Share of its electricity use that can shift or be curtailed (-).
    pub flexible_share: f64,
}

/// Direct air capture (per t CO2 captured).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DacTech {
    pub code: u32,
    pub name: String,
    pub common: NetCommon,
    pub electricity_mwh_per_t: f64,
    /// Heat from the park's heat supply (MWh/t).
    pub heat_mwh_per_t: f64,
    /// Natural gas burned directly (MWh fuel per t).
    pub gas_mwh_per_t: f64,
    pub transport_cny_per_t_km: f64,
    pub storage_cny_per_t: f64,
    /// Share of the captured CO2 stored durably (-).
    pub permanence: f64,
}

/// Bioenergy with carbon capture and storage (per t CO2 captured).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BeccsTech {
    pub code: u32,
    pub name: String,
    pub common: NetCommon,
    pub capture_rate: f64,
    /// CO2 in the biomass per MWh of fuel (LHV), tCO2/MWh.
    pub biomass_ef_t_per_mwh: f64,
    pub electric_efficiency: f64,
    pub heat_efficiency: f64,
    pub capture_electricity_mwh_per_t: f64,
    pub capture_heat_mwh_per_t: f64,
    /// MWh per t of dry biomass.
    pub biomass_lhv_mwh_per_t: f64,
    pub biomass_price_cny_per_t: f64,
    /// Supply-chain emissions per t of dry biomass (tCO2/t).
    pub biomass_supply_ef_t_per_t: f64,
    pub transport_cny_per_t_km: f64,
    pub storage_cny_per_t: f64,
    pub permanence: f64,
}

/// Biochar by pyrolysis (per t of dry feedstock).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BiocharTech {
    pub code: u32,
    pub name: String,
    pub common: NetCommon,
    /// t biochar per t dry feed.
    pub biochar_yield: f64,
    /// t C per t biochar.
    pub carbon_content: f64,
    /// Share of the biochar carbon kept for 100 years (-).
    pub permanence: f64,
    pub electricity_mwh_per_t: f64,
    pub heat_mwh_per_t: f64,
    /// Surplus heat from burning the pyrolysis gas (MWh/t).
    pub heat_output_mwh_per_t: f64,
    pub biomass_lhv_mwh_per_t: f64,
    pub biomass_price_cny_per_t: f64,
    pub biomass_supply_ef_t_per_t: f64,
    /// CNY per t of biochar sold.
    pub biochar_price_cny_per_t: f64,
}

/// A tree species for afforestation (FCS).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FcsSpecies {
    pub code: u32,
    pub name: String,
    /// a, b, c of the growth equation 3.12, V(t) = a (1 - e^{b t})^c in m3 per tree.
    pub growth_a_m3: f64,
    pub growth_b_per_yr: f64,
    pub growth_c: f64,
    /// D: basic wood density (t dry matter per m3).
    pub density_t_per_m3: f64,
    /// BEF: biomass expansion factor (-).
    pub bef: f64,
    /// R: root-to-shoot ratio (-).
    pub root_shoot: f64,
    /// CF: carbon fraction of dry biomass (t C per t).
    pub carbon_fraction: f64,
    /// N: trees per hectare.
    pub trees_per_ha: f64,
    /// Π_FCS,con: planting and tending cost (CNY/ha).
    pub planting_cny_per_ha: f64,
    /// Π_FCS,ma: management cost (CNY/ha/yr).
    pub management_cny_per_ha_yr: f64,
    /// λ_tim: timber price (CNY/m3).
    pub timber_price_cny_per_m3: f64,
    /// λ_ct: harvest and transport cost of timber (CNY/m3).
    pub harvest_cost_cny_per_m3: f64,
}

/// A CO2 capture and utilization technology.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CcuTech {
    pub code: u32,
    pub name: String,
    /// Π_CCU,con (CNY per t/a of capacity).
    pub capex_cny_per_t_yr: f64,
    /// Capture and compression part of Π_CCU,Op (CNY/t).
    pub capture_opex_cny_per_t: f64,
    /// Transport part of Π_CCU,Op per km (CNY/(t km)); times the park's distance.
    pub transport_cny_per_t_km: f64,
    /// Π_CCU,ma (CNY/t).
    pub maintenance_cny_per_t: f64,
    /// λ_cp: price of the CO2 product (CNY/t).
    pub product_price_cny_per_t: f64,
    /// η_p: electricity per tonne captured (MWh/t).
    pub power_mwh_per_t: f64,
    /// η_s: steam per tonne captured (GJ/t).
    pub steam_gj_per_t: f64,
    /// η_w: water per tonne captured (t/t).
    pub water_t_per_t: f64,
    /// Minimum capacity when built (t/a); 1000 in the paper.
    pub min_capacity_t_per_yr: f64,
}

/// What a WHR technology's output displaces (decides η_HQE and e_HQE, eq. 3.20).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WhrOutput {
    /// Cooling that electric chillers would make: η_HQE = chiller COP, e = grid.
    #[default]
    Cooling,
    /// Electricity from the grid: η_HQE = 1, e = grid.
    Electricity,
    /// Heat that gas boilers would make: η_HQE = boiler efficiency, e = gas.
    Heat,
}

impl WhrOutput {
    pub fn key(self) -> &'static str {
        match self {
            WhrOutput::Cooling => "cooling",
            WhrOutput::Electricity => "electricity",
            WhrOutput::Heat => "heat",
        }
    }
}

/// A waste heat recovery technology.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WhrTech {
    pub code: u32,
    pub name: String,
    /// Π_WHR,con (CNY per kW of waste heat capacity A_WHR).
    pub capex_cny_per_kw: f64,
    /// η_j: output per unit of waste heat input (eq. 3.22).
    pub efficiency: f64,
    pub output: WhrOutput,
    /// λ_WHR,j: value of one kWh of output (CNY/kWh).
    pub price_cny_per_kwh: f64,
    /// Π_WHR,ma,j (CNY per kWh of output).
    pub maintenance_cny_per_kwh: f64,
    /// e_j,HQE of this technology (tCO2/MWh of the energy displaced, eq. 3.20),
    /// when it differs from the park's: `None` takes `grid_ef` for cooling and
    /// electricity and `gas_ef` for heat. Not allowed with an `[energy]`
    /// baseline, whose balance values heat at `gas_ef`.
    pub displaced_ef_t_per_mwh: Option<f64>,
}

/// A photovoltaic technology.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PvTech {
    pub code: u32,
    pub name: String,
    /// Π_PV,con (CNY per kW peak).
    pub capex_cny_per_kw: f64,
    /// A2P: array area per kW peak (m2/kW).
    pub area_m2_per_kw: f64,
    /// η_PV: conversion efficiency referred to the array area A_PV (-).
    pub efficiency: f64,
    /// k: correction for losses (-).
    pub loss_factor: f64,
    /// Π_PV,ma (CNY/kWh).
    pub maintenance_cny_per_kwh: f64,
    /// λ_PV: on-grid price (CNY/kWh).
    pub feed_in_price_cny_per_kwh: f64,
}

impl Catalogue {
    /// Technology codes and names for a strategy, in catalogue order.
    pub fn techs(&self, s: Strategy) -> Vec<(u32, &str)> {
        fn pairs<T: Tech>(list: &[T]) -> Vec<(u32, &str)> {
            list.iter().map(|t| (t.code(), t.name())).collect()
        }
        techs::with_techs!(self, s, |list| pairs(list))
    }
}

/// One problem found in a park file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// Dotted key path, e.g. `region[id=4].ccu.max_kt_per_yr`.
    pub key: String,
    pub message: String,
}

/// A park file that could not be used, with every problem found.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ParkError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for ParkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        writeln!(
            f,
            "{}: {n} problem{}",
            self.file,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            if p.key.is_empty() {
                writeln!(f, "{}:{}:{}: {}", self.file, p.line, p.column, p.message)?;
            } else {
                writeln!(
                    f,
                    "{}:{}:{}: {}: {}",
                    self.file, p.line, p.column, p.key, p.message
                )?;
            }
        }
        Ok(())
    }
}

/// Reads a park file's text, with its [`FileState`](crate::io::FileState) for
/// a later save to check that nobody changed the file meanwhile. Only a regular
/// file of at most [`MAX_FILE_BYTES`] is read (a device or FIFO is refused
/// without reading), and the text must be UTF-8.
pub fn read_text(path: &Path) -> Result<(String, crate::io::FileState), LoadError> {
    let file = path.display().to_string();
    let (bytes, state) = crate::io::read_bounded(path, MAX_FILE_BYTES).map_err(|source| {
        if source.kind() == std::io::ErrorKind::FileTooLarge {
            let bytes = std::fs::metadata(path).map_or(MAX_FILE_BYTES + 1, |m| m.len());
            LoadError::TooLarge {
                file: file.clone(),
                bytes: bytes.max(MAX_FILE_BYTES + 1),
                max: MAX_FILE_BYTES,
            }
        } else {
            LoadError::Io {
                file: file.clone(),
                source,
            }
        }
    })?;
    match String::from_utf8(bytes) {
        Ok(t) => Ok((t, state)),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let good = std::str::from_utf8(good).unwrap_or_default();
            let (line, column) = read::Source::new(good).line_col(good.len());
            Err(ParkError {
                file,
                problems: vec![Problem {
                    line,
                    column,
                    key: String::new(),
                    message: "not UTF-8 text; save the park file as UTF-8".into(),
                }],
            }
            .into())
        }
    }
}

/// Failure to load a park.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(#[from] ParkError),
    #[error("{file}: {bytes} bytes or more; park files of more than {max} bytes are refused")]
    TooLarge { file: String, bytes: u64, max: u64 },
}

impl Park {
    /// Parses and validates a park; `file` names it in messages, and a profile
    /// CSV it refers to is read from the directory of `file`.
    pub fn from_toml(text: &str, file: &str) -> Result<Park, ParkError> {
        let base = Path::new(file).parent();
        decode::decode(text, base).map_err(|problems| ParkError {
            file: file.to_string(),
            problems,
        })
    }

    /// Parses and validates a park without reading its profile CSV (the
    /// profile's shares are left empty): for editing the file's text.
    pub(crate) fn from_toml_structure(text: &str, file: &str) -> Result<Park, ParkError> {
        decode::decode_structure(text).map_err(|problems| ParkError {
            file: file.to_string(),
            problems,
        })
    }

    /// Reads a park file.
    pub fn load(path: &Path) -> Result<Park, LoadError> {
        let (text, _) = read_text(path)?;
        Ok(Park::from_toml(&text, &path.display().to_string())?)
    }

    /// Every key the park format accepts, as dotted paths without indices
    /// (`economics.ets_price`, `region.ccu.max_kt_per_yr`, `whr.tech.efficiency`).
    pub fn accepted_keys() -> std::collections::BTreeSet<String> {
        decode::accepted_keys()
    }

    /// The built-in paper case (Table 1 of Zhao et al. 2024).
    pub fn paper_case() -> Park {
        Park::from_toml(PAPER_CASE_TOML, PAPER_CASE_NAME)
            .expect("the built-in paper case is checked by tests")
    }

    /// Sets a scalar economics parameter by key (`--set KEY=VALUE`). Refused,
    /// leaving the park as it was, if it is out of range or would make a
    /// coefficient of the model non-finite.
    pub fn set_param(&mut self, key: &str, value: f64) -> Result<(), SetError> {
        if let Some(tk) = TechKey::parse(key) {
            return self.set_tech(&tk, value);
        }
        if param(key).is_none()
            && let Some(p) = energy_param(key)
        {
            return self.set_energy(p, value);
        }
        let p = param(key).ok_or_else(|| SetError::UnknownKey(key.to_string()))?;
        let before = self.economics.clone();
        p.set(&mut self.economics, value)
            .map_err(|why| SetError::OutOfRange { key: p.key, why })?;
        if let Some(why) = self.nonfinite() {
            self.economics = before;
            return Err(SetError::OutOfRange { key: p.key, why });
        }
        Ok(())
    }

    /// Sets a `[solver]` setting by key after checking its range (from
    /// [`SOLVER_PARAMS`]), that the elitism stays below the population, and that
    /// the population fits in memory for this park; on error nothing changes.
    /// The command line's GA flags and the console's GA editor both come here.
    pub fn set_solver(&mut self, key: &str, value: f64) -> Result<(), String> {
        let p = solver_param(key).ok_or_else(|| {
            let keys: Vec<&str> = SOLVER_PARAMS.iter().map(|p| p.key).collect();
            format!("unknown solver setting {key:?}; valid: {}", keys.join(", "))
        })?;
        let mut s = self.solver.clone();
        p.set(&mut s, value)?;
        if s.elitism >= s.population {
            return Err(match key {
                "population" => format!(
                    "must be above the elitism ({}), found {}",
                    s.elitism,
                    read::fmt_num(value)
                ),
                _ => format!(
                    "must be below the population ({}), found {}",
                    s.population,
                    read::fmt_num(value)
                ),
            });
        }
        // Each individual holds a gene per option group (at most one per
        // region-strategy slot): keep a run within memory.
        let slots: usize = self.regions.iter().map(|r| r.slots.len()).sum();
        let most = crate::solve::ga::MAX_GENES / slots.max(1);
        if s.population > most {
            return Err(format!(
                "at most {most} for a park of {slots} slots (memory), found {}",
                s.population
            ));
        }
        self.solver = s;
        Ok(())
    }

    /// Sets a technology parameter (`ccu.1.capex`).
    fn set_tech(&mut self, key: &TechKey, value: f64) -> Result<(), SetError> {
        let before = self.catalogue.clone();
        let refuse = |why| SetError::Tech {
            key: format!("{}.{}.{}", key.strategy.key(), key.code, key.field),
            why,
        };
        self.catalogue.set_field(key, value).map_err(refuse)?;
        if let Some(why) = self.nonfinite() {
            self.catalogue = before;
            return Err(refuse(why));
        }
        Ok(())
    }

    /// Sets one of [`ENERGY_PARAMS`] (a price or a demand of `[energy]`).
    fn set_energy(&mut self, p: &'static Param<Energy>, value: f64) -> Result<(), SetError> {
        let key = p.key;
        let energy = self.energy.as_mut().ok_or(SetError::NoEnergy(key))?;
        let before = energy.clone();
        p.set(energy, value)
            .map_err(|why| SetError::OutOfRange { key, why })?;
        if let Some(why) = self.nonfinite() {
            self.energy = Some(before);
            return Err(SetError::OutOfRange { key, why });
        }
        Ok(())
    }

    /// Why the model's coefficients would not be finite numbers, if they would not.
    pub fn nonfinite(&self) -> Option<String> {
        if !self.economics.alpha().is_finite() {
            return Some("the annualization factor alpha is not a finite number".into());
        }
        let opts = crate::model::compile(self);
        opts.items.iter().find_map(|it| {
            let c = &it.coef;
            let values = [
                c.capex_per_unit,
                c.capex_fixed,
                c.income_per_unit,
                c.co2_per_unit,
                it.lo,
                it.hi,
            ];
            (!values.iter().all(|v| v.is_finite())).then(|| {
                format!(
                    "region {} {} technology {}: these values make a coefficient of the model overflow; use smaller numbers",
                    it.region_id, it.strategy, it.tech
                )
            })
        })
    }

    /// Applies `KEY=VALUE` text as given on the command line.
    pub fn apply_assignment(&mut self, text: &str) -> Result<(), SetError> {
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| SetError::Syntax(text.to_string()))?;
        let key = key.trim();
        if let Some(tk) = TechKey::parse(key) {
            let allowed = self
                .catalogue
                .field_allowed(&tk)
                .map_err(|why| SetError::Tech {
                    key: key.to_string(),
                    why,
                })?;
            let v: f64 = value.trim().parse().map_err(|_| SetError::NotANumber {
                key: key.to_string(),
                value: value.trim().to_string(),
                allowed,
            })?;
            return self.set_tech(&tk, v);
        }
        let energy = energy_param(key);
        if param(key).is_none() && energy.is_none() {
            return Err(SetError::UnknownKey(key.to_string()));
        }
        let v: f64 = value.trim().parse().map_err(|_| SetError::NotANumber {
            key: key.to_string(),
            value: value.trim().to_string(),
            allowed: param(key)
                .map(|p| p.allowed())
                .or_else(|| energy.map(|p| p.allowed()))
                .unwrap_or_default(),
        })?;
        self.set_param(key, v)
    }
}

/// A refused `--set`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SetError {
    #[error("expected KEY=VALUE, found {0:?}; valid keys: {keys}", keys = param_keys())]
    Syntax(String),
    #[error(
        "unknown parameter {0:?}; valid keys: {keys}, in a park with [energy]: {energy}, and technology parameters as STRATEGY.CODE.FIELD (ccu.1.capex)",
        keys = param_keys(),
        energy = ENERGY_PARAMS.iter().map(|p| p.key).collect::<Vec<_>>().join(", ")
    )]
    UnknownKey(String),
    #[error("{0}: this park has no [energy] table to override")]
    NoEnergy(&'static str),
    #[error("{key}: {value:?} is not a number; expected {allowed}")]
    NotANumber {
        key: String,
        value: String,
        allowed: String,
    },
    #[error("{key}: {why}")]
    OutOfRange { key: &'static str, why: String },
    /// A refused technology parameter (`ccu.1.capex`): unknown code or field, or out of range.
    #[error("{key}: {why}")]
    Tech { key: String, why: String },
}
