//! Photovoltaics (eqs. 3.23-3.26): fixed panels on lots and roofs.

use super::Coefficients;
use crate::park::{Economics, PvTech};

/// W_PV per m2 of array (kWh/m2/yr), eq. 3.26: Ra_solar η_PV k.
pub fn yield_kwh_per_m2(p: &PvTech, e: &Economics) -> f64 {
    e.solar_radiation_kwh_per_m2_yr * p.efficiency * p.loss_factor
}

/// Per-m2 coefficients: capex (3.23) Π_con A / A2P; E (3.24) W e_PV;
/// INC (3.25) (λ_PV + λ_ETS e_PV - Π_ma) W, with e_PV the grid factor.
pub fn coefficients(p: &PvTech, e: &Economics) -> Coefficients {
    let w = yield_kwh_per_m2(p, e);
    let ef_t_per_kwh = e.grid_ef_t_per_mwh / 1000.0;
    Coefficients {
        capex_per_unit: p.capex_cny_per_kw / p.area_m2_per_kw,
        capex_fixed: 0.0,
        income_per_unit: (p.feed_in_price_cny_per_kwh + e.ets_price_cny_per_t * ef_t_per_kwh
            - p.maintenance_cny_per_kwh)
            * w,
        co2_per_unit: w * ef_t_per_kwh,
    }
}

/// Flows of one m2 of array: W_PV of electricity a year.
pub fn flows(p: &PvTech, e: &Economics) -> super::Flows {
    super::Flows {
        electricity_out_mwh: yield_kwh_per_m2(p, e) / 1000.0,
        ..Default::default()
    }
}
