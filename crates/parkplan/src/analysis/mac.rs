//! The marginal abatement cost curve: each option at its cap, its cost per
//! tonne of CO2 and its abatement potential, sorted as planners know it.

use crate::model::Options;
use crate::park::Strategy;

/// One option of the curve.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MacEntry {
    pub region: u32,
    pub region_name: String,
    pub strategy: Strategy,
    pub technology: u32,
    pub technology_name: String,
    /// Capacity at which it is costed: the cap (report units).
    pub capacity: f64,
    pub unit: &'static str,
    /// (alpha x capex + operating cost - revenue other than carbon credits) / CO2,
    /// in CNY/t: what a tonne abated costs before any carbon price is earned.
    pub cost_per_t: f64,
    /// Annual CO2 reduction at that capacity, t/yr.
    pub potential_t: f64,
    pub capex: f64,
    /// Whether another option of the same group (same lot or slot) is cheaper
    /// per tonne: the two cannot both be built.
    pub alternative: bool,
}

/// Every option that reduces CO2, cheapest per tonne first. `ets_price` is the
/// carbon price inside the compiled incomes, removed from the cost.
pub fn curve(opts: &Options, ets_price: f64) -> Vec<MacEntry> {
    let mut out: Vec<(usize, MacEntry)> = Vec::new();
    for (g, group) in opts.groups.iter().enumerate() {
        for i in group.items.clone() {
            let it = &opts.items[i];
            let c = &it.coef;
            let a = it.hi;
            let co2 = c.co2_per_unit * a;
            if co2 <= 0.0 || a <= 0.0 {
                continue;
            }
            let capex = c.capex_per_unit * a + c.capex_fixed;
            let income_without_carbon = c.income_per_unit * a - ets_price * co2;
            let cost = (opts.alpha * capex - income_without_carbon) / co2;
            // A potential so small (a cap of 1e-310 m2) that its cost per
            // tonne overflows is no abatement option to price.
            if !cost.is_finite() {
                continue;
            }
            out.push((
                g,
                MacEntry {
                    region: it.region_id,
                    region_name: it.region_name.clone(),
                    strategy: it.strategy,
                    technology: it.tech,
                    technology_name: it.tech_name.clone(),
                    capacity: a,
                    unit: it.strategy.unit(),
                    cost_per_t: cost,
                    potential_t: co2,
                    capex,
                    alternative: false,
                },
            ));
        }
    }
    // Cheapest first; equal costs in a fixed order, not by float noise.
    out.sort_by(|a, b| {
        let key = |e: &MacEntry| (e.region, e.strategy, e.technology);
        a.1.cost_per_t
            .total_cmp(&b.1.cost_per_t)
            .then_with(|| key(&a.1).cmp(&key(&b.1)))
    });
    let mut seen = std::collections::HashSet::new();
    for (g, e) in out.iter_mut() {
        e.alternative = !seen.insert(*g);
    }
    out.into_iter().map(|(_, e)| e).collect()
}
