//! Carbon capture and utilization (eqs. 3.15-3.18): post-combustion capture, with the
//! CO2 sold as a product after being trucked `co2_transport_km` to the buyer.

use super::Coefficients;
use crate::park::{CcuTech, Economics};

/// E_add per tonne captured (tCO2/t), eq. 3.18: η_p e_p + η_s e_s + η_w e_w.
pub fn energy_emissions_t_per_t(c: &CcuTech, e: &Economics) -> f64 {
    c.power_mwh_per_t * e.grid_ef_t_per_mwh
        + c.steam_gj_per_t * e.steam_ef_t_per_gj
        + c.water_t_per_t * e.water_ef_t_per_t
}

/// Π_CCU,Op (CNY/t): capture and compression plus transport over the park's distance.
pub fn operating_cost_cny_per_t(c: &CcuTech, e: &Economics) -> f64 {
    c.capture_opex_cny_per_t + c.transport_cny_per_t_km * e.co2_transport_km
}

/// Per (t/a) coefficients: capex (3.15) Π_con A; E (3.16) A - E_add;
/// INC (3.17) (λ_cp - Π_Op - Π_ma) A + λ_ETS E.
pub fn coefficients(c: &CcuTech, e: &Economics) -> Coefficients {
    let co2 = 1.0 - energy_emissions_t_per_t(c, e);
    Coefficients {
        capex_per_unit: c.capex_cny_per_t_yr,
        capex_fixed: 0.0,
        income_per_unit: c.product_price_cny_per_t
            - operating_cost_cny_per_t(c, e)
            - c.maintenance_cny_per_t
            + e.ets_price_cny_per_t * co2,
        co2_per_unit: co2,
    }
}

/// Flows of one t/a of capture: the CO2 is utilized (sold), not removed.
pub fn flows(c: &CcuTech) -> super::Flows {
    super::Flows {
        electricity_in_mwh: c.power_mwh_per_t,
        steam_in_gj: c.steam_gj_per_t,
        water_in_t: c.water_t_per_t,
        utilized_t: 1.0,
        ..Default::default()
    }
}
