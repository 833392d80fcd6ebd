//! Bioenergy with carbon capture and storage (per t CO2 captured a year): a
//! biomass boiler or CHP whose flue gas goes through post-combustion capture.
//! The CO2 not captured is biogenic and counts zero.

use super::{Coefficients, Flows, net};
use crate::park::{BeccsTech, Economics, Energy};

/// Biomass fuel burned per t captured, MWh (LHV): 1 / (capture rate x CO2 per MWh).
pub fn fuel_mwh_per_t(b: &BeccsTech) -> f64 {
    1.0 / (b.capture_rate * b.biomass_ef_t_per_mwh)
}

/// Flows of one t/a of capture.
pub fn flows(b: &BeccsTech) -> Flows {
    let fuel = fuel_mwh_per_t(b);
    let biomass_t = fuel / b.biomass_lhv_mwh_per_t;
    Flows {
        electricity_out_mwh: b.electric_efficiency * fuel,
        heat_out_mwh: b.heat_efficiency * fuel,
        electricity_in_mwh: b.capture_electricity_mwh_per_t,
        heat_in_mwh: b.capture_heat_mwh_per_t,
        biomass_in_mwh: fuel,
        biomass_in_t: biomass_t,
        removed_t: b.permanence,
        supply_chain_t: biomass_t * b.biomass_supply_ef_t_per_t,
        flexible_electricity_mwh: b.common.flexible_share * b.capture_electricity_mwh_per_t,
        ..Flows::default()
    }
}

pub fn coefficients(b: &BeccsTech, e: &Economics, energy: &Energy) -> Coefficients {
    let other = b.transport_cny_per_t_km * e.co2_transport_km + b.storage_cny_per_t;
    net::coefficients(
        &flows(b),
        &b.common,
        0.0,
        other,
        b.biomass_price_cny_per_t,
        e,
        energy,
    )
}
