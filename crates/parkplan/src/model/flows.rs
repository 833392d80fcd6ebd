//! Yearly energy and carbon flows of one unit of capacity: what the energy
//! balance and the carbon ledger add up, and what the NETs' coefficients are
//! built from.

use crate::park::Economics;

/// Flows per unit of capacity per year (report units: m2, t/a, kW).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Flows {
    /// Electricity made (PV, ORC, BECCS CHP), MWh.
    pub electricity_out_mwh: f64,
    /// Heat made (heat pumps, exchangers, BECCS, pyrolysis), MWh.
    pub heat_out_mwh: f64,
    /// Cooling made (absorption chillers), MWh.
    pub cooling_out_mwh: f64,
    /// Electricity used (CCU, NETs): the energy penalty's electric part, MWh.
    pub electricity_in_mwh: f64,
    /// Heat used from the park's heat supply (NETs), MWh.
    pub heat_in_mwh: f64,
    /// Purchased steam (CCU reboiler, eq. 3.18), GJ.
    pub steam_in_gj: f64,
    /// Natural gas burned directly (liquid-solvent DAC), MWh of fuel.
    pub gas_in_mwh: f64,
    /// Biomass used, MWh (LHV).
    pub biomass_in_mwh: f64,
    /// Biomass used, t dry matter.
    pub biomass_in_t: f64,
    /// Process water (CCU), t.
    pub water_in_t: f64,
    /// Waste heat recovered from processes (WHR input A_WHR T_ann), MWh: free,
    /// but counted as an input of the system's efficiency.
    pub waste_heat_in_mwh: f64,
    /// CO2 captured and sold as a product (CCU): released again downstream, t.
    pub utilized_t: f64,
    /// CO2 removed durably (FCS, DAC, BECCS, biochar after permanence), t.
    pub removed_t: f64,
    /// Supply-chain emissions of the biomass, t.
    pub supply_chain_t: f64,
    /// Part of `electricity_in_mwh` that can shift or be curtailed, MWh.
    pub flexible_electricity_mwh: f64,
    /// CO2 avoided beyond what the park's factors give for the output, for a
    /// WHR technology with a `displaced_ef` of its own (output / η_HQE x
    /// (own - park factor)), t.
    pub avoided_extra_t: f64,
}

/// GJ per MWh (steam is accounted in GJ, eq. 3.18).
pub const GJ_PER_MWH: f64 = 3.6;

impl Flows {
    /// CO2 avoided by what it makes: electricity at the grid factor, heat at
    /// the boiler gas it saves, cooling at the chiller electricity it saves,
    /// plus `avoided_extra_t` (t).
    pub fn avoided_t(&self, e: &Economics) -> f64 {
        self.electricity_out_mwh * e.grid_ef_t_per_mwh
            + self.heat_out_mwh / e.boiler_efficiency * e.gas_ef_t_per_mwh
            + self.cooling_out_mwh / e.chiller_cop * e.grid_ef_t_per_mwh
            + self.avoided_extra_t
    }

    /// Emissions of the energy, water and biomass it uses (t).
    pub fn auxiliary_t(&self, e: &Economics) -> f64 {
        self.electricity_in_mwh * e.grid_ef_t_per_mwh
            + self.heat_in_mwh / e.boiler_efficiency * e.gas_ef_t_per_mwh
            + self.steam_in_gj * e.steam_ef_t_per_gj
            + self.water_in_t * e.water_ef_t_per_t
            + self.gas_in_mwh * e.gas_ef_t_per_mwh
            + self.supply_chain_t
    }

    /// Net annual CO2 reduction: avoided + utilized + removed - auxiliary (t).
    pub fn net_t(&self, e: &Economics) -> f64 {
        self.avoided_t(e) + self.utilized_t + self.removed_t - self.auxiliary_t(e)
    }

    /// Energy used other than biomass feed: the energy penalty (MWh).
    pub fn penalty_mwh(&self) -> f64 {
        self.electricity_in_mwh + self.heat_in_mwh + self.steam_in_gj / GJ_PER_MWH + self.gas_in_mwh
    }
}
