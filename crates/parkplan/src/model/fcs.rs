//! Forestry carbon sequestration (eqs. 3.3-3.12): afforestation accounted under
//! AR-CM-001-V01 with above- and below-ground biomass as the only carbon pools.

use super::Coefficients;
use crate::park::{Economics, FcsSpecies};

/// m2 per hectare: FCS capacity is reported in m2 (Table 2) but priced per ha.
pub const M2_PER_HA: f64 = 10_000.0;
/// Mass ratio of CO2 to C (44/12, eq. 3.10).
pub const CO2_PER_C: f64 = 44.0 / 12.0;

/// Volume of one tree at age `t` years (m3), growth equation 3.12: a (1 - e^{bt})^c.
pub fn tree_volume_m3(s: &FcsSpecies, t_yr: f64) -> f64 {
    s.growth_a_m3 * (1.0 - (s.growth_b_per_yr * t_yr).exp()).powf(s.growth_c)
}

/// Biomass carbon stock of one hectare at age `t`, in tCO2/ha (eqs. 3.10-3.11 with A = 1 ha).
pub fn carbon_stock_t_per_ha(s: &FcsSpecies, t_yr: f64) -> f64 {
    let biomass_t_per_ha = tree_volume_m3(s, t_yr)
        * s.density_t_per_m3
        * s.bef
        * (1.0 + s.root_shoot)
        * s.trees_per_ha;
    CO2_PER_C * biomass_t_per_ha * s.carbon_fraction
}

/// Sum over t = 1..T of ΔC_CCER,t for one hectare (tCO2/ha), eqs. 3.6-3.9 with
/// GHG_E = 0 and ΔC_BSL = 0 and yearly steps (t2 - t1 = 1). Summed year by year
/// as the paper writes it; it telescopes to C(T) - C(0).
pub fn credited_t_per_ha(s: &FcsSpecies, years: u32) -> f64 {
    (1..=years)
        .map(|t| carbon_stock_t_per_ha(s, t as f64) - carbon_stock_t_per_ha(s, (t - 1) as f64))
        .sum()
}

/// Per-m2 coefficients of FCS with species `s`.
///
/// capex (3.3) = (Π_con + T Π_ma) A + Π_CCER; E (3.4) = ΣΔC / T;
/// INC (3.5) = [V_T N A (λ_tim - λ_ct) + λ_ETS ΣΔC] / T.
pub fn coefficients(s: &FcsSpecies, e: &Economics, project_development_cny: f64) -> Coefficients {
    let years = e.service_life_yr;
    let credited = credited_t_per_ha(s, years as u32);
    let harvest_m3_per_ha = tree_volume_m3(s, years) * s.trees_per_ha;
    let income_per_ha = (harvest_m3_per_ha
        * (s.timber_price_cny_per_m3 - s.harvest_cost_cny_per_m3)
        + e.ets_price_cny_per_t * credited)
        / years;
    Coefficients {
        capex_per_unit: (s.planting_cny_per_ha + years * s.management_cny_per_ha_yr) / M2_PER_HA,
        capex_fixed: project_development_cny,
        income_per_unit: income_per_ha / M2_PER_HA,
        co2_per_unit: credited / years / M2_PER_HA,
    }
}

/// Flows of one m2 of forest: the credited sequestration, a removal.
pub fn flows(s: &FcsSpecies, e: &Economics) -> super::Flows {
    let years = e.service_life_yr;
    super::Flows {
        removed_t: credited_t_per_ha(s, years as u32) / years / M2_PER_HA,
        ..Default::default()
    }
}
