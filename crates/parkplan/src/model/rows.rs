//! Resource rows of the option table, besides the budget: what the park's energy
//! system (`[energy]`) can absorb and supply (docs/energy-and-nets.md, "Resource rows").
//!
//! * A **credit row** caps the recovered output of one carrier (cooling, heat)
//!   that earns money and carbon credit at the park's demand for it. Linear and
//!   exact: a surplus variable s_k >= 0 per *class* of producers (producers whose
//!   output is worth the same per MWh), with
//!   `sum_i net_i A_i - sum_k s_k <= demand` and `s_k <= sum_(i in k) out_i A_i`,
//!   and each s_k taking back its class's revenue and carbon credit in the
//!   objective. A maximizing solver never keeps a surplus it need not, so for a
//!   fixed plan s = max(0, net - demand), charged to the cheapest classes first:
//!   [`Rows::surplus_loss`] computes it directly, and plans need no extra variables.
//! * A **limit row** (biomass): `sum_i use_i A_i <= supply`, enforced.
//! * **Land rows** (`[land]`, any park): limit rows on the ground area (m2) of
//!   FCS and of PV on empty lots, per land group and park-wide ([`uses_land`]).
//!
//! A park without `[energy]` and `[land]` has no rows, and everything stays as in the paper.

use crate::model::{Objective, Options};
use crate::plan::Plan;

/// Producers of a credit row whose output is worth the same.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditClass {
    /// CNY/yr lost per unit of surplus charged to this class: the output's
    /// revenue plus its carbon price credit.
    pub money_per_unit: f64,
    /// (item, output per unit of capacity).
    pub producers: Vec<(usize, f64)>,
}

/// The surplus side of a credit row.
#[derive(Debug, Clone, PartialEq)]
pub struct Credit {
    /// t CO2/yr of credit lost per unit of surplus (same for every producer).
    pub co2_per_unit: f64,
    /// Cheapest first.
    pub classes: Vec<CreditClass>,
}

impl Credit {
    /// Objective value lost per unit of surplus charged to class `k`: its
    /// revenue plus carbon price (economic), its carbon credit (carbon). The
    /// LP of `solve::milp` and the dual of `solve::dual` both read it here.
    pub fn loss(&self, k: usize, obj: Objective) -> f64 {
        match obj {
            Objective::Economic => self.classes[k].money_per_unit,
            Objective::Carbon => self.co2_per_unit,
        }
    }
}

/// One row: `sum terms - surplus <= rhs` (credit rows), `sum terms <= rhs` (limits).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// "cooling", "heat", "biomass", "land" (park-wide), "land_GROUP".
    pub name: String,
    /// Unit of the row's quantities ("MWh/yr", "t/yr").
    pub unit: &'static str,
    /// (item, net amount per unit of capacity).
    pub terms: Vec<(usize, f64)>,
    pub rhs: f64,
    /// `None`: a hard limit.
    pub credit: Option<Credit>,
}

/// All resource rows of a compiled park, with a per-item index for fast evaluation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rows {
    pub rows: Vec<Row>,
    /// Per item: (row, coefficient) of every row it appears in.
    pub by_item: Vec<Vec<(u8, f64)>>,
    /// Per item and credit row: (row, class, output per unit) of the classes it produces in.
    pub produces: Vec<Vec<(u8, u8, f64)>>,
}

/// Value lost to surplus, per objective.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Loss {
    pub money: f64,
    pub co2: f64,
}

impl Loss {
    pub fn of(self, obj: Objective) -> f64 {
        match obj {
            Objective::Economic => self.money,
            Objective::Carbon => self.co2,
        }
    }
}

impl Rows {
    pub fn new(rows: Vec<Row>, n_items: usize) -> Rows {
        let mut by_item = vec![Vec::new(); n_items];
        let mut produces = vec![Vec::new(); n_items];
        for (r, row) in rows.iter().enumerate() {
            for &(i, a) in &row.terms {
                by_item[i].push((r as u8, a));
            }
            if let Some(c) = &row.credit {
                for (k, class) in c.classes.iter().enumerate() {
                    for &(i, p) in &class.producers {
                        produces[i].push((r as u8, k as u8, p));
                    }
                }
            }
        }
        Rows {
            rows,
            by_item,
            produces,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Left-hand side `sum terms` of row `r` for a plan.
    pub fn usage(&self, r: usize, plan: &Plan) -> f64 {
        plan.built()
            .map(|b| {
                self.by_item[b.item]
                    .iter()
                    .filter(|(rr, _)| *rr as usize == r)
                    .map(|(_, a)| a * b.capacity)
                    .sum::<f64>()
            })
            .sum()
    }

    /// Surplus of credit row `r` for a plan: max(0, usage - rhs).
    pub fn surplus(&self, r: usize, plan: &Plan) -> f64 {
        (self.usage(r, plan) - self.rows[r].rhs).max(0.0)
    }

    /// What the credit rows take back from a plan: every surplus, charged to
    /// the cheapest classes first (the LP's choice). Allocates nothing.
    pub fn surplus_loss(&self, plan: &Plan) -> Loss {
        let mut loss = Loss::default();
        for (r, row) in self.rows.iter().enumerate() {
            let Some(credit) = &row.credit else { continue };
            let mut left = self.surplus(r, plan);
            if left <= 0.0 {
                continue;
            }
            loss.co2 += credit.co2_per_unit * left;
            for (k, class) in credit.classes.iter().enumerate() {
                if left <= 0.0 {
                    break;
                }
                let made: f64 = plan
                    .built()
                    .map(|b| {
                        self.produces[b.item]
                            .iter()
                            .filter(|(rr, kk, _)| *rr as usize == r && *kk as usize == k)
                            .map(|(_, _, p)| p * b.capacity)
                            .sum::<f64>()
                    })
                    .sum();
                let s = left.min(made);
                loss.money += class.money_per_unit * s;
                left -= s;
            }
        }
        loss
    }

    /// The first limit row a plan breaks: (row, usage).
    pub fn violated(&self, plan: &Plan) -> Option<(usize, f64)> {
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.credit.is_none())
            .map(|(r, row)| (r, self.usage(r, plan), row.rhs))
            .find(|&(_, u, rhs)| u > rhs + 1e-9 * rhs.abs().max(1.0))
            .map(|(r, u, _)| (r, u))
    }
}

/// Builds the rows of a park with `[energy]` from its compiled items.
pub(crate) fn compile_rows(park: &crate::park::Park, opts: &Options) -> Rows {
    let mut rows = energy_rows(park, opts);
    rows.extend(land_rows(park, opts));
    Rows::new(rows, opts.items.len())
}

/// Whether an option of `strategy` on `land` covers ground, one m2 per m2 of
/// capacity: forest (FCS) and PV arrays on empty lots. PV on roofs and
/// factories sits on buildings; CCU, WHR and the NETs are sized in t/yr or kW
/// and the model gives them no footprint, so they use no land.
pub fn uses_land(strategy: crate::park::Strategy, land: crate::park::Land) -> bool {
    use crate::park::{Land, Strategy};
    match strategy {
        Strategy::Fcs => true,
        Strategy::Pv => land == Land::EmptyLot,
        _ => false,
    }
}

/// Land rows from `[land]`: one per group with regions in it (`land_GROUP`),
/// and `land` for the park-wide `total`.
fn land_rows(park: &crate::park::Park, opts: &Options) -> Vec<Row> {
    let ground = |i: usize| {
        let it = &opts.items[i];
        uses_land(it.strategy, park.regions[it.region].land)
    };
    let mut rows = Vec::new();
    for (g, area) in &park.land.groups {
        let terms: Vec<(usize, f64)> = (0..opts.items.len())
            .filter(|&i| {
                ground(i)
                    && park.regions[opts.items[i].region].land_group.as_deref() == Some(g.as_str())
            })
            .map(|i| (i, 1.0))
            .collect();
        if !terms.is_empty() {
            rows.push(Row {
                name: format!("land_{g}").replace('-', "_"),
                unit: "m2",
                terms,
                rhs: *area,
                credit: None,
            });
        }
    }
    if let Some(total) = park.land.total_m2 {
        let terms: Vec<(usize, f64)> = (0..opts.items.len())
            .filter(|&i| ground(i))
            .map(|i| (i, 1.0))
            .collect();
        if !terms.is_empty() {
            rows.push(Row {
                name: "land".into(),
                unit: "m2",
                terms,
                rhs: total,
                credit: None,
            });
        }
    }
    rows
}

/// Producers `(item, output per unit, money lost per unit of surplus)` grouped
/// into classes of equal value, cheapest first (at most 255: the row index
/// keeps a class in a byte). `None` when nothing produces.
fn credit_classes(producers: impl Iterator<Item = (usize, f64, f64)>) -> Option<Vec<CreditClass>> {
    let mut classes: Vec<CreditClass> = Vec::new();
    for (i, o, money) in producers.filter(|p| p.1 > 0.0) {
        match classes.iter_mut().find(|c| c.money_per_unit == money) {
            Some(c) => c.producers.push((i, o)),
            None => classes.push(CreditClass {
                money_per_unit: money,
                producers: vec![(i, o)],
            }),
        }
    }
    if classes.is_empty() {
        return None;
    }
    classes.sort_by(|a, b| a.money_per_unit.total_cmp(&b.money_per_unit));
    classes.truncate(255);
    Some(classes)
}

/// The electricity row of a park with `[energy] export_price`: electricity
/// made on site (PV, ORC, BECCS CHP) less what the options use, beyond the
/// park's annual use (final demand plus today's chillers), is exported. Each
/// MWh exported loses its on-site value less the export price (a PV array's
/// own λ_PV, a WHR unit's own λ, a NET's at the electricity price), never
/// below 0; its carbon credit stays (it still displaces grid power). Annual
/// level: hours of export within a year of net import are not seen.
fn electricity_row(
    park: &crate::park::Park,
    opts: &Options,
    flows: &[super::Flows],
    export: f64,
) -> Option<Row> {
    let en = park.energy.as_ref()?;
    let e = &park.economics;
    let value = |i: usize| -> f64 {
        let it = &opts.items[i];
        let cat = &park.catalogue;
        match it.strategy {
            crate::park::Strategy::Whr => cat
                .whr
                .iter()
                .find(|t| t.code == it.tech)
                .map_or(0.0, |t| t.price_cny_per_kwh * 1000.0),
            crate::park::Strategy::Pv => cat
                .pv
                .iter()
                .find(|t| t.code == it.tech)
                .map_or(0.0, |t| t.feed_in_price_cny_per_kwh * 1000.0),
            _ => en.electricity_price_cny_per_mwh,
        }
    };
    let terms: Vec<(usize, f64)> = flows
        .iter()
        .enumerate()
        .map(|(i, f)| (i, f.electricity_out_mwh - f.electricity_in_mwh))
        .filter(|t| t.1 != 0.0)
        .collect();
    let classes = credit_classes(
        flows
            .iter()
            .enumerate()
            .map(|(i, f)| (i, f.electricity_out_mwh, (value(i) - export).max(0.0))),
    )?;
    Some(Row {
        name: "electricity".into(),
        unit: "MWh/yr",
        terms,
        rhs: en.electricity_demand_mwh + en.cooling_demand_mwh / e.chiller_cop,
        credit: Some(Credit {
            co2_per_unit: 0.0,
            classes,
        }),
    })
}

/// Credit rows (cooling, heat) and the biomass row of a park with `[energy]`.
fn energy_rows(park: &crate::park::Park, opts: &Options) -> Vec<Row> {
    let Some(en) = park.energy.as_ref() else {
        return Vec::new();
    };
    let e = &park.economics;
    let ets = e.ets_price_cny_per_t;
    let flows: Vec<super::Flows> = opts.items.iter().map(|it| super::flows(park, it)).collect();
    // Revenue per MWh of an item's output of a carrier: a WHR unit's own
    // λ (eq. 3.21), a NET's by-product heat at the boiler gas it saves.
    let price = |i: usize, heat: bool| -> f64 {
        let it = &opts.items[i];
        match it.strategy {
            crate::park::Strategy::Whr => park
                .catalogue
                .whr
                .iter()
                .find(|t| t.code == it.tech)
                .map_or(0.0, |t| t.price_cny_per_kwh * 1000.0),
            _ if heat => en.gas_price_cny_per_mwh / e.boiler_efficiency,
            _ => 0.0,
        }
    };
    let mut rows = Vec::new();
    let credit_row = |name: &str,
                      rhs: f64,
                      co2_per_mwh: f64,
                      net: &dyn Fn(&super::Flows) -> f64,
                      out: &dyn Fn(&super::Flows) -> f64,
                      heat: bool|
     -> Option<Row> {
        let terms: Vec<(usize, f64)> = (0..opts.items.len())
            .map(|i| (i, net(&flows[i])))
            .filter(|t| t.1 != 0.0)
            .collect();
        let classes = credit_classes(
            flows
                .iter()
                .enumerate()
                .map(|(i, f)| (i, out(f), price(i, heat) + ets * co2_per_mwh)),
        )?;
        Some(Row {
            name: name.to_string(),
            unit: "MWh/yr",
            terms,
            rhs: rhs.max(0.0),
            credit: Some(Credit {
                co2_per_unit: co2_per_mwh,
                classes,
            }),
        })
    };
    rows.extend(credit_row(
        "cooling",
        en.cooling_demand_mwh,
        e.grid_ef_t_per_mwh / e.chiller_cop,
        &|f| f.cooling_out_mwh,
        &|f| f.cooling_out_mwh,
        false,
    ));
    rows.extend(credit_row(
        "heat",
        en.heat_demand_mwh,
        e.gas_ef_t_per_mwh / e.boiler_efficiency,
        &|f| f.heat_out_mwh - f.heat_in_mwh,
        &|f| f.heat_out_mwh,
        true,
    ));
    if let Some(export) = en.export_price_cny_per_mwh {
        rows.extend(electricity_row(park, opts, &flows, export));
    }
    if let Some(supply) = en.biomass_supply_t {
        let terms: Vec<(usize, f64)> = flows
            .iter()
            .enumerate()
            .map(|(i, f)| (i, f.biomass_in_t))
            .filter(|t| t.1 > 0.0)
            .collect();
        if !terms.is_empty() {
            rows.push(Row {
                name: "biomass".into(),
                unit: "t/yr",
                terms,
                rhs: supply,
                credit: None,
            });
        }
    }
    rows
}
