//! A plan (what is built where, at which capacity) and its evaluation.

use crate::model::{Objective, Options};
use crate::park::Strategy;

/// One built option.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Built {
    /// Index into `Options::items`.
    pub item: usize,
    /// Capacity in report units (m2, t/a, kW).
    pub capacity: f64,
}

/// A plan: per group of `Options`, the option built, if any.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub choice: Vec<Option<Built>>,
}

/// Quantities of one built item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    pub item: usize,
    pub region_id: u32,
    pub region_name: String,
    pub strategy: Strategy,
    pub tech: u32,
    pub tech_name: String,
    pub capacity: f64,
    pub unit: &'static str,
    /// Π (CNY).
    pub capex: f64,
    /// INC (CNY/yr).
    pub annual_income: f64,
    /// INC − α Π (CNY/yr): the term summed in eq. 3.1.
    pub annual_benefit: f64,
    /// E (t/yr).
    pub annual_co2_reduction: f64,
}

/// Sums over a plan.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub capex: f64,
    pub annual_income: f64,
    pub annual_benefit: f64,
    pub annual_co2_reduction: f64,
    /// Income the items would earn for recovered output beyond the park's
    /// demand, already taken off the totals above (0 without `[energy]`).
    pub uncredited_income: f64,
    /// CO2 credit likewise taken off (t/yr).
    pub uncredited_co2: f64,
}

impl Totals {
    /// The value of an objective.
    pub fn objective(&self, obj: Objective) -> f64 {
        match obj {
            Objective::Economic => self.annual_benefit,
            Objective::Carbon => self.annual_co2_reduction,
        }
    }
    /// Simple payback in years: capex over annual income (None if income <= 0).
    pub fn payback_years(&self) -> Option<f64> {
        (self.annual_income > 0.0).then(|| self.capex / self.annual_income)
    }
}

/// A plan's items and totals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evaluation {
    pub items: Vec<ItemResult>,
    pub totals: Totals,
}

/// Why a plan breaks a constraint.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Infeasible {
    #[error("the plan has {found} choices for {groups} groups")]
    Shape { found: usize, groups: usize },
    #[error("group {group}: item {item} is not one of its options")]
    WrongGroup { group: usize, item: usize },
    #[error("{what}: capacity {capacity} outside [{lo}, {hi}]")]
    Capacity {
        what: String,
        capacity: f64,
        lo: f64,
        hi: f64,
    },
    #[error("capital expenditure {capex:.0} CNY exceeds the cap {cap:.0} CNY")]
    Budget { capex: f64, cap: f64 },
    #[error("{row} use {used:.1} {unit} exceeds the limit {limit:.1} {unit}")]
    Row {
        row: String,
        used: f64,
        limit: f64,
        unit: &'static str,
    },
}

impl Plan {
    /// The empty plan (nothing built) for `opts`.
    pub fn empty(opts: &Options) -> Plan {
        Plan {
            choice: vec![None; opts.groups.len()],
        }
    }

    /// Built items in group order.
    pub fn built(&self) -> impl Iterator<Item = Built> + '_ {
        self.choice.iter().flatten().copied()
    }

    /// Per-item quantities and totals (eqs. 3.3-3.26 through the compiled coefficients).
    pub fn evaluate(&self, opts: &Options) -> Evaluation {
        let mut totals = Totals::default();
        let items = self
            .built()
            .map(|b| {
                let it = &opts.items[b.item];
                let c = &it.coef;
                let capex = c.capex_per_unit * b.capacity + c.capex_fixed;
                let income = c.income_per_unit * b.capacity;
                let r = ItemResult {
                    item: b.item,
                    region_id: it.region_id,
                    region_name: it.region_name.clone(),
                    strategy: it.strategy,
                    tech: it.tech,
                    tech_name: it.tech_name.clone(),
                    capacity: b.capacity,
                    unit: it.strategy.unit(),
                    capex,
                    annual_income: income,
                    annual_benefit: income - opts.alpha * capex,
                    annual_co2_reduction: c.co2_per_unit * b.capacity,
                };
                totals.capex += r.capex;
                totals.annual_income += r.annual_income;
                totals.annual_benefit += r.annual_benefit;
                totals.annual_co2_reduction += r.annual_co2_reduction;
                r
            })
            .collect();
        // Recovered output beyond the park's demand earns nothing (model::rows).
        let loss = opts.rows.surplus_loss(self);
        totals.annual_income -= loss.money;
        totals.annual_benefit -= loss.money;
        totals.annual_co2_reduction -= loss.co2;
        totals.uncredited_income = loss.money;
        totals.uncredited_co2 = loss.co2;
        Evaluation { items, totals }
    }

    /// Objective value without allocating (the solvers' hot path).
    #[inline]
    pub fn objective(&self, opts: &Options, obj: Objective) -> f64 {
        let v: f64 = self
            .built()
            .map(|b| opts.value_per_unit(b.item, obj) * b.capacity + opts.value_fixed(b.item, obj))
            .sum();
        if opts.rows.is_empty() {
            v
        } else {
            v - opts.rows.surplus_loss(self).of(obj)
        }
    }

    /// Capital expenditure without allocating.
    #[inline]
    pub fn capex(&self, opts: &Options) -> f64 {
        self.built()
            .map(|b| {
                let c = &opts.items[b.item].coef;
                c.capex_per_unit * b.capacity + c.capex_fixed
            })
            .sum()
    }

    /// Checks eqs. 3.27-3.30: one option per group, bounds, budget (with a
    /// relative tolerance of 1e-9 for rounding).
    pub fn check(&self, opts: &Options) -> Result<(), Infeasible> {
        if self.choice.len() != opts.groups.len() {
            return Err(Infeasible::Shape {
                found: self.choice.len(),
                groups: opts.groups.len(),
            });
        }
        for (g, c) in self.choice.iter().enumerate() {
            let Some(b) = c else { continue };
            if !opts.groups[g].items.contains(&b.item) {
                return Err(Infeasible::WrongGroup {
                    group: g,
                    item: b.item,
                });
            }
            let it = &opts.items[b.item];
            let tol = 1e-9 * it.hi.max(1.0);
            if !(b.capacity >= it.lo - tol && b.capacity <= it.hi + tol) {
                return Err(Infeasible::Capacity {
                    what: format!("region {} {} {}", it.region_id, it.strategy, it.tech),
                    capacity: b.capacity,
                    lo: it.lo,
                    hi: it.hi,
                });
            }
        }
        let capex = self.capex(opts);
        if capex > opts.budget_cny * (1.0 + 1e-9) + 1e-6 {
            return Err(Infeasible::Budget {
                capex,
                cap: opts.budget_cny,
            });
        }
        if let Some((r, used)) = opts.rows.violated(self) {
            let row = &opts.rows.rows[r];
            return Err(Infeasible::Row {
                row: row.name.clone(),
                used,
                limit: row.rhs,
                unit: row.unit,
            });
        }
        Ok(())
    }
}
