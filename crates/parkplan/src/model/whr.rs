//! Waste heat recovery (eqs. 3.19-3.22): absorption chillers, ORC units, absorption
//! heat pumps and heat exchangers, whose output displaces grid power, electric
//! chillers or gas boilers.

use super::Coefficients;
use crate::park::{Economics, WhrOutput, WhrTech};

/// η_HQE and the park's e_HQE (tCO2/MWh) for what the output displaces
/// (section 3.2.3): grid power for cooling and electricity, boiler gas for heat.
fn park_displaced(w: &WhrTech, e: &Economics) -> (f64, f64) {
    match w.output {
        WhrOutput::Cooling => (e.chiller_cop, e.grid_ef_t_per_mwh),
        WhrOutput::Electricity => (1.0, e.grid_ef_t_per_mwh),
        WhrOutput::Heat => (e.boiler_efficiency, e.gas_ef_t_per_mwh),
    }
}

/// η_HQE and e_j,HQE (tCO2/kWh) of what the output displaces (eq. 3.20): the
/// technology's own `displaced_ef` if it has one, else the park's factor.
pub fn displaced(w: &WhrTech, e: &Economics) -> (f64, f64) {
    let (eta, park_ef) = park_displaced(w, e);
    (eta, w.displaced_ef_t_per_mwh.unwrap_or(park_ef) / 1000.0)
}

/// Per-kW coefficients (A_WHR in kW of waste heat): P_out = η A (3.22);
/// E = T_ann P_out / η_HQE e_HQE (3.20); INC = (λ - Π_ma) T_ann P_out + λ_ETS E (3.21).
pub fn coefficients(w: &WhrTech, e: &Economics) -> Coefficients {
    let (eta_hqe, ef_t_per_kwh) = displaced(w, e);
    let output_kwh_per_kw = e.operating_hours_h_per_yr * w.efficiency;
    let co2 = output_kwh_per_kw / eta_hqe * ef_t_per_kwh;
    Coefficients {
        capex_per_unit: w.capex_cny_per_kw,
        capex_fixed: 0.0,
        income_per_unit: (w.price_cny_per_kwh - w.maintenance_cny_per_kwh) * output_kwh_per_kw
            + e.ets_price_cny_per_t * co2,
        co2_per_unit: co2,
    }
}

/// Flows of one kW of waste heat: T_ann η kWh of output a year.
pub fn flows(w: &WhrTech, e: &Economics) -> super::Flows {
    let out_mwh = e.operating_hours_h_per_yr * w.efficiency / 1000.0;
    let mut f = super::Flows {
        waste_heat_in_mwh: e.operating_hours_h_per_yr / 1000.0,
        ..Default::default()
    };
    match w.output {
        WhrOutput::Cooling => f.cooling_out_mwh = out_mwh,
        WhrOutput::Electricity => f.electricity_out_mwh = out_mwh,
        WhrOutput::Heat => f.heat_out_mwh = out_mwh,
    }
    if let Some(own) = w.displaced_ef_t_per_mwh {
        let (eta, park_ef) = park_displaced(w, e);
        f.avoided_extra_t = out_mwh / eta * (own - park_ef);
    }
    f
}
