//! Direct air capture (per t CO2 captured a year): solid sorbents regenerated
//! with low-temperature heat, or liquid solvents with a gas-fired calciner;
//! the CO2 is trucked to geological storage.

use super::{Coefficients, Flows, net};
use crate::park::{DacTech, Economics, Energy};

/// Flows of one t/a of capture.
pub fn flows(d: &DacTech) -> Flows {
    Flows {
        electricity_in_mwh: d.electricity_mwh_per_t,
        heat_in_mwh: d.heat_mwh_per_t,
        gas_in_mwh: d.gas_mwh_per_t,
        removed_t: d.permanence,
        flexible_electricity_mwh: d.common.flexible_share * d.electricity_mwh_per_t,
        ..Flows::default()
    }
}

/// Transport over the park's distance and storage, per t captured (CNY).
pub fn transport_storage_cny_per_t(d: &DacTech, e: &Economics) -> f64 {
    d.transport_cny_per_t_km * e.co2_transport_km + d.storage_cny_per_t
}

pub fn coefficients(d: &DacTech, e: &Economics, energy: &Energy) -> Coefficients {
    let other = transport_storage_cny_per_t(d, e);
    net::coefficients(&flows(d), &d.common, 0.0, other, 0.0, e, energy)
}
