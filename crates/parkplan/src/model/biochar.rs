//! Biochar by slow pyrolysis (per t of dry feedstock a year): the char is sold
//! as a soil amendment and keeps `permanence` of its carbon for 100 years
//! (IPCC 2019 Refinement, Vol. 4 App. 4).

use super::fcs::CO2_PER_C;
use super::{Coefficients, Flows, net};
use crate::park::{BiocharTech, Economics, Energy};

/// CO2 kept for 100 years per t of feed (t): yield x carbon content x permanence x 44/12.
pub fn removed_t_per_t(c: &BiocharTech) -> f64 {
    c.biochar_yield * c.carbon_content * c.permanence * CO2_PER_C
}

/// Flows of one t/a of feed.
pub fn flows(c: &BiocharTech) -> Flows {
    Flows {
        heat_out_mwh: c.heat_output_mwh_per_t,
        electricity_in_mwh: c.electricity_mwh_per_t,
        heat_in_mwh: c.heat_mwh_per_t,
        biomass_in_mwh: c.biomass_lhv_mwh_per_t,
        biomass_in_t: 1.0,
        removed_t: removed_t_per_t(c),
        supply_chain_t: c.biomass_supply_ef_t_per_t,
        flexible_electricity_mwh: c.common.flexible_share * c.electricity_mwh_per_t,
        ..Flows::default()
    }
}

pub fn coefficients(c: &BiocharTech, e: &Economics, energy: &Energy) -> Coefficients {
    let products = c.biochar_yield * c.biochar_price_cny_per_t;
    net::coefficients(
        &flows(c),
        &c.common,
        products,
        0.0,
        c.biomass_price_cny_per_t,
        e,
        energy,
    )
}
