//! The planning model of Zhao et al. (2024): per region, strategy and technology,
//! the coefficients of capital expenditure, annual income and annual CO2 reduction.
//!
//! Once a slot's technology is fixed every quantity is linear in the capacity A
//! (plus the FCS project development cost, paid once), so the model compiles a park
//! into a table of [`Item`]s and the solvers never look at the park again.

pub mod beccs;
pub mod biochar;
pub mod ccu;
pub mod dac;
pub mod fcs;
mod flows;
pub mod net;
pub mod pv;
pub mod rows;
pub mod whr;

pub use rows::{Loss, Row, Rows};

pub use flows::{Flows, GJ_PER_MWH};

use std::ops::Range;

use crate::park::{Park, Strategy};

/// The two objectives of the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Objective {
    /// Eq. 3.1: annual net operating income less annualized capital expenditure (CNY/yr).
    Economic,
    /// Eq. 3.2: annual CO2 reduction (t/yr).
    Carbon,
}

impl Objective {
    pub fn name(self) -> &'static str {
        match self {
            Objective::Economic => "economic",
            Objective::Carbon => "carbon",
        }
    }
    pub fn unit(self) -> &'static str {
        match self {
            Objective::Economic => "CNY/yr",
            Objective::Carbon => "t/yr",
        }
    }
}

/// Linear coefficients of one technology in one region, per unit of capacity
/// (m2 for FCS and PV, t/a for CCU, kW for WHR).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coefficients {
    /// CNY per unit.
    pub capex_per_unit: f64,
    /// CNY paid once if built (Π_FCS,CCER; 0 elsewhere).
    pub capex_fixed: f64,
    /// Annual net operating income, CNY/yr per unit.
    pub income_per_unit: f64,
    /// Annual CO2 reduction, t/yr per unit.
    pub co2_per_unit: f64,
}

/// One option: a technology for a strategy in a region, with its capacity bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Index of the region in `Park::regions`.
    pub region: usize,
    pub region_id: u32,
    pub region_name: String,
    pub strategy: Strategy,
    pub tech: u32,
    pub tech_name: String,
    pub coef: Coefficients,
    /// Capacity bounds when built (report units).
    pub lo: f64,
    pub hi: f64,
}

/// Options of which at most one may be built: the technologies of one slot, or
/// of FCS and PV together on one empty lot (eq. 3.27).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub region: usize,
    pub items: Range<usize>,
}

/// A park compiled for the solvers.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub items: Vec<Item>,
    pub groups: Vec<Group>,
    /// Π_max (CNY).
    pub budget_cny: f64,
    /// α (1/yr).
    pub alpha: f64,
    /// Resource rows besides the budget (empty without `[energy]`).
    pub rows: Rows,
}

impl Options {
    /// The most that could be spent: every group's dearest option at its cap.
    pub fn max_spend(&self) -> f64 {
        self.groups
            .iter()
            .map(|g| {
                g.items
                    .clone()
                    .map(|i| {
                        let it = &self.items[i];
                        it.coef.capex_per_unit * it.hi + it.coef.capex_fixed
                    })
                    .fold(0.0, f64::max)
            })
            .sum()
    }

    /// Objective value per unit of capacity of item `i`.
    #[inline]
    pub fn value_per_unit(&self, i: usize, obj: Objective) -> f64 {
        let c = &self.items[i].coef;
        match obj {
            Objective::Economic => c.income_per_unit - self.alpha * c.capex_per_unit,
            Objective::Carbon => c.co2_per_unit,
        }
    }
    /// Objective value paid once when item `i` is built (−α Π_CCER for FCS).
    #[inline]
    pub fn value_fixed(&self, i: usize, obj: Objective) -> f64 {
        match obj {
            Objective::Economic => -self.alpha * self.items[i].coef.capex_fixed,
            Objective::Carbon => 0.0,
        }
    }
}

/// Energy and carbon flows per unit of capacity of a compiled item, looked up
/// in the park it was compiled from (kept out of [`Item`] to keep large parks
/// small: only the ledger of a plan's built items needs them).
pub fn flows(park: &Park, it: &Item) -> Flows {
    let e = &park.economics;
    let cat = &park.catalogue;
    let code = it.tech;
    let f = match it.strategy {
        Strategy::Fcs => cat
            .fcs
            .iter()
            .find(|t| t.code == code)
            .map(|t| fcs::flows(t, e)),
        Strategy::Ccu => cat.ccu.iter().find(|t| t.code == code).map(ccu::flows),
        Strategy::Whr => cat
            .whr
            .iter()
            .find(|t| t.code == code)
            .map(|t| whr::flows(t, e)),
        Strategy::Pv => cat
            .pv
            .iter()
            .find(|t| t.code == code)
            .map(|t| pv::flows(t, e)),
        Strategy::Dac => cat.dac.iter().find(|t| t.code == code).map(dac::flows),
        Strategy::Beccs => cat.beccs.iter().find(|t| t.code == code).map(beccs::flows),
        Strategy::Biochar => cat
            .biochar
            .iter()
            .find(|t| t.code == code)
            .map(biochar::flows),
    };
    f.unwrap_or_default()
}

/// Compiles a park: evaluates every technology's coefficients once.
pub fn compile(park: &Park) -> Options {
    match compile_until(park, &|| false) {
        Some(opts) => opts,
        None => unreachable!("nothing stops this compile"),
    }
}

/// Regions compiled between two calls of `stop` in [`compile_until`].
pub const COMPILE_CHECK_REGIONS: usize = 1024;

/// [`compile`] that gives up (`None`) once `stop` returns true, asked every
/// [`COMPILE_CHECK_REGIONS`] regions and before the resource rows: a park of
/// 100,000 regions takes about half a second to compile, and a console job
/// made stale by an edit should not finish it.
pub fn compile_until(park: &Park, stop: &dyn Fn() -> bool) -> Option<Options> {
    let e = &park.economics;
    let cat = &park.catalogue;
    let energy = park.energy.as_ref();
    let mut items = Vec::new();
    let mut groups = Vec::new();
    for (ri, region) in park.regions.iter().enumerate() {
        if ri % COMPILE_CHECK_REGIONS == 0 && stop() {
            return None;
        }
        // FCS and PV on an empty lot share the land: one group (eq. 3.27).
        let shared_land = region.land == crate::park::Land::EmptyLot;
        let mut start = items.len();
        for slot in &region.slots {
            let allowed = |code: u32| slot.techs.as_ref().is_none_or(|t| t.contains(&code));
            let mut push = |code: u32, name: &str, coef: Coefficients, tech_min: f64| {
                let lo = slot.min.max(tech_min);
                if allowed(code) && lo <= slot.max {
                    items.push(Item {
                        region: ri,
                        region_id: region.id,
                        region_name: region.name.clone(),
                        strategy: slot.strategy,
                        tech: code,
                        tech_name: name.to_string(),
                        coef,
                        lo,
                        hi: slot.max,
                    });
                }
            };
            match slot.strategy {
                Strategy::Fcs => {
                    for s in &cat.fcs {
                        let c = fcs::coefficients(s, e, cat.fcs_project_development_cny);
                        push(s.code, &s.name, c, 0.0);
                    }
                }
                Strategy::Ccu => {
                    for t in &cat.ccu {
                        push(
                            t.code,
                            &t.name,
                            ccu::coefficients(t, e),
                            t.min_capacity_t_per_yr,
                        );
                    }
                }
                Strategy::Whr => {
                    for t in &cat.whr {
                        push(t.code, &t.name, whr::coefficients(t, e), 0.0);
                    }
                }
                Strategy::Pv => {
                    for t in &cat.pv {
                        push(t.code, &t.name, pv::coefficients(t, e), 0.0);
                    }
                }
                // The reader refuses NET slots without [energy]; a park built in
                // code without one simply offers no NET option.
                Strategy::Dac => {
                    for t in cat.dac.iter().filter(|_| energy.is_some()) {
                        let en = energy.expect("filtered");
                        let c = dac::coefficients(t, e, en);
                        push(t.code, &t.name, c, t.common.min_capacity_t_per_yr);
                    }
                }
                Strategy::Beccs => {
                    for t in cat.beccs.iter().filter(|_| energy.is_some()) {
                        let en = energy.expect("filtered");
                        let c = beccs::coefficients(t, e, en);
                        push(t.code, &t.name, c, t.common.min_capacity_t_per_yr);
                    }
                }
                Strategy::Biochar => {
                    for t in cat.biochar.iter().filter(|_| energy.is_some()) {
                        let en = energy.expect("filtered");
                        let c = biochar::coefficients(t, e, en);
                        push(t.code, &t.name, c, t.common.min_capacity_t_per_yr);
                    }
                }
            }
            if !shared_land {
                groups.push(Group {
                    region: ri,
                    items: start..items.len(),
                });
                start = items.len();
            }
        }
        if shared_land {
            groups.push(Group {
                region: ri,
                items: start..items.len(),
            });
        }
    }
    // An option whose minimum exceeds its cap can never be built.
    groups.retain(|g| !g.items.is_empty());
    let mut opts = Options {
        items,
        groups,
        budget_cny: e.capex_cap_cny,
        alpha: e.alpha(),
        rows: Rows::default(),
    };
    if stop() {
        return None;
    }
    opts.rows = rows::compile_rows(park, &opts);
    Some(opts)
}

#[cfg(test)]
mod compile_tests {
    use super::*;
    use std::cell::Cell;

    /// Issue 14 item 4: a compile asks whether to stop as it goes, and stops.
    #[test]
    fn a_compile_asked_to_stop_gives_up_part_way() {
        let regions = 3 * COMPILE_CHECK_REGIONS + 5;
        let park = crate::park::generate(regions, 1);
        // Never stopped: asked once per 1,024 regions (0, 1024, 2048, 3072)
        // and before the rows, and the same options as `compile`.
        let asked = Cell::new(0);
        let opts = compile_until(&park, &|| {
            asked.set(asked.get() + 1);
            false
        })
        .unwrap();
        assert_eq!(asked.get(), 4 + 1);
        let whole = compile(&park);
        assert_eq!(opts.items.len(), whole.items.len());
        assert_eq!(opts.groups.len(), whole.groups.len());
        // Stopped at the third question: after 2,048 regions, nothing returned.
        let asked = Cell::new(0);
        let none = compile_until(&park, &|| {
            asked.set(asked.get() + 1);
            asked.get() == 3
        });
        assert!(none.is_none());
        assert_eq!(asked.get(), 3);
    }
}
