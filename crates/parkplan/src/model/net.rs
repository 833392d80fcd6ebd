//! Economics shared by the negative-emission technologies: each module gives
//! its flows per unit; income follows from them and the park's energy prices.

use super::{Coefficients, Flows};
use crate::park::{Economics, Energy, NetCommon};

/// Coefficients of a NET from its flows per unit (docs/energy-and-nets.md):
///
/// INC = products + (el_out - el_in) p_el + (heat_out - heat_in) p_gas / η_boiler
///       - gas_in p_gas - biomass t x biomass price - variable opex - other costs
///       - fixed opex share x capex + λ_ETS E, with E = flows.net_t.
pub fn coefficients(
    flows: &Flows,
    common: &NetCommon,
    products_cny: f64,
    other_costs_cny: f64,
    biomass_price_cny_per_t: f64,
    e: &Economics,
    energy: &Energy,
) -> Coefficients {
    let p_el = energy.electricity_price_cny_per_mwh;
    let p_heat = energy.gas_price_cny_per_mwh / e.boiler_efficiency;
    let co2 = flows.net_t(e);
    let energy_cny = (flows.electricity_out_mwh - flows.electricity_in_mwh) * p_el
        + (flows.heat_out_mwh - flows.heat_in_mwh) * p_heat
        - flows.gas_in_mwh * energy.gas_price_cny_per_mwh;
    Coefficients {
        capex_per_unit: common.capex_cny_per_t_yr,
        capex_fixed: 0.0,
        income_per_unit: products_cny + energy_cny
            - flows.biomass_in_t * biomass_price_cny_per_t
            - common.variable_opex_cny_per_t
            - other_costs_cny
            - common.fixed_opex_per_yr * common.capex_cny_per_t_yr
            + e.ets_price_cny_per_t * co2,
        co2_per_unit: co2,
    }
}
