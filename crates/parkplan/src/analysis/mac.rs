//! The marginal abatement cost curve: each option at its cap, its cost per
//! tonne of CO2 and its abatement potential, sorted as planners know it.
//!
//! In a park with resource rows (`model::rows`: cooling, heat and electricity
//! credited up to the park's use, biomass supply, land) the curve is walked
//! cheapest first against the rows' remaining capacity: each bar is what its
//! option adds given the bars before it (docs/energy-and-nets.md, "The MAC
//! with resource rows"). A park without rows gets the per-option curve.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::model::Options;
use crate::model::rows::Rows;
use crate::park::Strategy;

/// One option of the curve.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MacEntry {
    pub region: u32,
    pub region_name: String,
    pub strategy: Strategy,
    pub technology: u32,
    pub technology_name: String,
    /// Capacity at which it is costed: the cap, or what a limit row leaves
    /// of it (report units).
    pub capacity: f64,
    pub unit: &'static str,
    /// (alpha x capex + operating cost - revenue other than carbon credits) / CO2,
    /// in CNY/t: what a tonne abated costs before any carbon price is earned.
    pub cost_per_t: f64,
    /// Annual CO2 reduction at that capacity, t/yr: with resource rows, what
    /// the option adds to the bars before it.
    pub potential_t: f64,
    pub capex: f64,
    /// Whether another option of the same group (same lot or slot) is cheaper
    /// per tonne: the two cannot both be built.
    pub alternative: bool,
    /// The resource rows that cut this bar, by [`limit_label`] ("cooling
    /// demand", "biomass supply", ...): credit it cannot earn, capacity it
    /// cannot have. Empty in a park without rows (and then left out of JSON).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub limited_by: Vec<String>,
}

/// An option that reduces CO2 on its own but adds nothing once the bars
/// before it have used the rows it needs: not on the curve.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Unused {
    pub region: u32,
    pub region_name: String,
    pub strategy: Strategy,
    pub technology: u32,
    pub technology_name: String,
    pub limited_by: Vec<String>,
}

/// The curve and the options left off it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Curve {
    pub entries: Vec<MacEntry>,
    /// Options (of groups no bar took) that add no abatement after the walk.
    pub unused: Vec<Unused>,
}

/// How a resource row is named where it limits a bar: "cooling demand",
/// "heat demand", "export" (electricity beyond the park's use),
/// "biomass supply", "land" (park-wide) and "land GROUP".
pub fn limit_label(row: &str) -> String {
    match row {
        "cooling" => "cooling demand".into(),
        "heat" => "heat demand".into(),
        "electricity" => "export".into(),
        "biomass" => "biomass supply".into(),
        r => match r.strip_prefix("land_") {
            Some(g) => format!("land {g}"),
            None => r.to_string(),
        },
    }
}

/// Every option that reduces CO2, cheapest per tonne first. `ets_price` is the
/// carbon price inside the compiled incomes, removed from the cost. With
/// resource rows, the walked curve's bars ([`walk`]).
pub fn curve(opts: &Options, ets_price: f64) -> Vec<MacEntry> {
    walk(opts, ets_price).entries
}

/// The curve with the options left off it. Without rows: each option at its
/// cap on its own, as it always was; with rows: the walk below.
pub fn walk(opts: &Options, ets_price: f64) -> Curve {
    if opts.rows.is_empty() {
        Curve {
            entries: per_option(opts, ets_price),
            unused: Vec::new(),
        }
    } else {
        Walk::new(opts, ets_price).run()
    }
}

fn entry(opts: &Options, i: usize, capacity: f64, cost: f64, co2: f64, capex: f64) -> MacEntry {
    let it = &opts.items[i];
    MacEntry {
        region: it.region_id,
        region_name: it.region_name.clone(),
        strategy: it.strategy,
        technology: it.tech,
        technology_name: it.tech_name.clone(),
        capacity,
        unit: it.strategy.unit(),
        cost_per_t: cost,
        potential_t: co2,
        capex,
        alternative: false,
        limited_by: Vec::new(),
    }
}

/// The per-option curve (no rows): each option at its cap on its own.
fn per_option(opts: &Options, ets_price: f64) -> Vec<MacEntry> {
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
            out.push((g, entry(opts, i, a, cost, co2, capex)));
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

/// The most item `i` can add to row `r`'s use: its coefficient at its cap
/// (0 for an option that only takes from the row).
fn reach(opts: &Options, r: usize, i: usize) -> f64 {
    opts.rows.by_item[i]
        .iter()
        .filter(|(rr, _)| *rr as usize == r)
        .map(|(_, c)| c * opts.items[i].hi)
        .sum::<f64>()
        .max(0.0)
}

/// What one option adds to the walk's plan so far.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Margin {
    capacity: f64,
    co2: f64,
    capex: f64,
    cost: f64,
}

/// A heap entry: cheapest first, ties by (region, strategy, technology).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pick {
    cost: f64,
    key: (u32, Strategy, u32),
    item: usize,
    version: u32,
}

impl Eq for Pick {}
impl Ord for Pick {
    fn cmp(&self, o: &Self) -> Ordering {
        // BinaryHeap is a max-heap: the cheapest must compare greatest.
        o.cost
            .total_cmp(&self.cost)
            .then_with(|| o.key.cmp(&self.key))
            .then_with(|| o.item.cmp(&self.item))
    }
}
impl PartialOrd for Pick {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// The walk: a plan built bar by bar, the cheapest next bar (by its margin
/// given the plan so far) first, with each row's use and each credit class's
/// production kept up to date.
struct Walk<'a> {
    opts: &'a Options,
    rows: &'a Rows,
    ets: f64,
    /// Per row: sum of its terms over the plan.
    usage: Vec<f64>,
    /// Per credit row and class: output of the class's producers in the plan.
    made: Vec<Vec<f64>>,
    /// Per row: the items in it (terms or producers).
    members: Vec<Vec<usize>>,
    group_of: Vec<usize>,
    taken: Vec<bool>,
    /// Per item: its margin at the current plan (None: adds nothing).
    margin: Vec<Option<Margin>>,
    version: Vec<u32>,
    /// Items that reduce CO2 on their own (the curve's candidates).
    candidate: Vec<bool>,
}

impl<'a> Walk<'a> {
    fn new(opts: &'a Options, ets: f64) -> Walk<'a> {
        let rows = &opts.rows;
        let n = opts.items.len();
        let mut members = vec![Vec::new(); rows.rows.len()];
        for i in 0..n {
            let mut rs: Vec<usize> = rows.by_item[i].iter().map(|(r, _)| *r as usize).collect();
            rs.extend(rows.produces[i].iter().map(|(r, _, _)| *r as usize));
            rs.sort_unstable();
            rs.dedup();
            for r in rs {
                members[r].push(i);
            }
        }
        // Largest reach first (the most an option can add to the row), so
        // that re-costing after a pick stops at the first option the row's
        // room still holds whole.
        for (r, m) in members.iter_mut().enumerate() {
            m.sort_by(|&a, &b| reach(opts, r, b).total_cmp(&reach(opts, r, a)));
        }
        let mut group_of = vec![0; n];
        for (g, group) in opts.groups.iter().enumerate() {
            for i in group.items.clone() {
                group_of[i] = g;
            }
        }
        let candidate = opts
            .items
            .iter()
            .map(|it| it.hi > 0.0 && it.coef.co2_per_unit * it.hi > 0.0)
            .collect();
        Walk {
            opts,
            rows,
            ets,
            usage: vec![0.0; rows.rows.len()],
            made: rows
                .rows
                .iter()
                .map(|r| vec![0.0; r.credit.as_ref().map_or(0, |c| c.classes.len())])
                .collect(),
            members,
            group_of,
            taken: vec![false; opts.groups.len()],
            margin: vec![None; n],
            version: vec![0; n],
            candidate,
        }
    }

    /// (money, CO2) that credit row `r` takes back at use `u`, with item `i`
    /// (if any) added at capacity `a` to its classes: the surplus charged to
    /// the cheapest classes first, as `Rows::surplus_loss` charges a plan.
    fn row_loss(&self, r: usize, u: f64, add: Option<(usize, f64)>) -> (f64, f64) {
        let row = &self.rows.rows[r];
        let Some(credit) = &row.credit else {
            return (0.0, 0.0);
        };
        let mut left = (u - row.rhs).max(0.0);
        if left <= 0.0 {
            return (0.0, 0.0);
        }
        let co2 = credit.co2_per_unit * left;
        let mut money = 0.0;
        for (k, class) in credit.classes.iter().enumerate() {
            if left <= 0.0 {
                break;
            }
            let mut made = self.made[r][k];
            if let Some((i, a)) = add {
                made += self.rows.produces[i]
                    .iter()
                    .filter(|(rr, kk, _)| *rr as usize == r && *kk as usize == k)
                    .map(|(_, _, p)| p * a)
                    .sum::<f64>();
            }
            let s = left.min(made);
            money += class.money_per_unit * s;
            left -= s;
        }
        (money, co2)
    }

    /// What item `i` adds to the plan so far, and (into `why`) the rows that
    /// cut it: a limit row that leaves less than its cap, a credit row whose
    /// surplus takes back part of its credit. None: it adds no abatement.
    fn margin_of(&self, i: usize, mut why: Option<&mut Vec<usize>>) -> Option<Margin> {
        let it = &self.opts.items[i];
        let c = &it.coef;
        let mut a = it.hi;
        let mut cut = None;
        for &(r, coef) in &self.rows.by_item[i] {
            let row = &self.rows.rows[r as usize];
            if row.credit.is_some() || coef <= 0.0 {
                continue;
            }
            let room = (row.rhs - self.usage[r as usize]).max(0.0) / coef;
            if room < a * (1.0 - 1e-12) {
                a = room;
                cut = Some(r as usize);
            }
        }
        if let (Some(w), Some(r)) = (why.as_deref_mut(), cut) {
            w.push(r);
        }
        if a <= 0.0 || a < it.lo * (1.0 - 1e-12) {
            // Nothing left of the limit row (or less than the smallest size).
            if let (Some(w), None) = (why, cut) {
                // A row emptied to exactly this capacity: name every limit row.
                w.extend(
                    self.rows.by_item[i]
                        .iter()
                        .filter(|(r, _)| self.rows.rows[*r as usize].credit.is_none())
                        .map(|(r, _)| *r as usize),
                );
            }
            return None;
        }
        let (mut lost_money, mut lost_co2) = (0.0, 0.0);
        for &(r, coef) in &self.rows.by_item[i] {
            let r = r as usize;
            if self.rows.rows[r].credit.is_none() {
                continue;
            }
            let u = self.usage[r];
            let before = self.row_loss(r, u, None);
            let after = self.row_loss(r, u + coef * a, Some((i, a)));
            let (dm, dc) = (after.0 - before.0, after.1 - before.1);
            let scale = (c.income_per_unit * a).abs().max(1.0);
            if let Some(w) = why.as_deref_mut()
                && (dm > 1e-9 * scale || dc > 1e-9 * (c.co2_per_unit * a).abs().max(1e-9))
            {
                w.push(r);
            }
            lost_money += dm;
            lost_co2 += dc;
        }
        let raw_co2 = c.co2_per_unit * a;
        let co2 = raw_co2 - lost_co2;
        if co2 <= 1e-9 * raw_co2.abs() {
            return None;
        }
        let capex = c.capex_per_unit * a + c.capex_fixed;
        let income_without_carbon = c.income_per_unit * a - lost_money - self.ets * co2;
        let cost = (self.opts.alpha * capex - income_without_carbon) / co2;
        cost.is_finite().then_some(Margin {
            capacity: a,
            co2,
            capex,
            cost,
        })
    }

    fn pick(&self, i: usize) -> Option<Pick> {
        let m = self.margin[i]?;
        let it = &self.opts.items[i];
        Some(Pick {
            cost: m.cost,
            key: (it.region_id, it.strategy, it.tech),
            item: i,
            version: self.version[i],
        })
    }

    fn bar(&self, i: usize, m: Margin, alternative: bool) -> MacEntry {
        let mut why = Vec::new();
        self.margin_of(i, Some(&mut why));
        why.sort_unstable();
        why.dedup();
        let mut e = entry(self.opts, i, m.capacity, m.cost, m.co2, m.capex);
        e.alternative = alternative;
        e.limited_by = why
            .iter()
            .map(|&r| limit_label(&self.rows.rows[r].name))
            .collect();
        e
    }

    fn run(mut self) -> Curve {
        let n = self.opts.items.len();
        let mut heap = BinaryHeap::new();
        for i in 0..n {
            if self.candidate[i] {
                self.margin[i] = self.margin_of(i, None);
                heap.extend(self.pick(i));
            }
        }
        let mut entries = Vec::new();
        while let Some(p) = heap.pop() {
            let g = self.group_of[p.item];
            if self.taken[g] || p.version != self.version[p.item] {
                continue;
            }
            let Some(m) = self.margin[p.item] else {
                continue;
            };
            // The bar, then the group's other options as they would have been
            // in its place (given the same bars before), cheapest first.
            entries.push(self.bar(p.item, m, false));
            let mut alts: Vec<MacEntry> = self.opts.groups[g]
                .items
                .clone()
                .filter(|&j| j != p.item && self.candidate[j])
                .filter_map(|j| self.margin[j].map(|mj| self.bar(j, mj, true)))
                .collect();
            alts.sort_by(|a, b| {
                let key = |e: &MacEntry| (e.region, e.strategy, e.technology);
                a.cost_per_t
                    .total_cmp(&b.cost_per_t)
                    .then_with(|| key(a).cmp(&key(b)))
            });
            entries.extend(alts);
            self.taken[g] = true;
            // Build it: its rows' use and its classes' output grow.
            let i = p.item;
            let a = m.capacity;
            let before = self.usage.clone();
            for &(r, coef) in &self.rows.by_item[i] {
                self.usage[r as usize] += coef * a;
            }
            for &(r, k, out) in &self.rows.produces[i] {
                self.made[r as usize][k as usize] += out * a;
            }
            let mut touched: Vec<usize> = self.rows.by_item[i]
                .iter()
                .map(|(r, _)| *r as usize)
                .chain(self.rows.produces[i].iter().map(|(r, _, _)| *r as usize))
                .collect();
            touched.sort_unstable();
            touched.dedup();
            // Every option sharing a row with it is costed again, unless the
            // row holds it whole before and after (its margin is then the
            // same), or it added nothing and the row only filled further.
            for r in touched {
                let (u0, u1) = (before[r], self.usage[r]);
                let room = self.rows.rows[r].rhs - u0.max(u1);
                let filled = u1 >= u0;
                for idx in 0..self.members[r].len() {
                    let j = self.members[r][idx];
                    if reach(self.opts, r, j) <= room {
                        break;
                    }
                    if self.taken[self.group_of[j]]
                        || !self.candidate[j]
                        || (filled && self.margin[j].is_none())
                    {
                        continue;
                    }
                    let new = self.margin_of(j, None);
                    if new != self.margin[j] {
                        self.margin[j] = new;
                        self.version[j] = self.version[j].wrapping_add(1);
                        heap.extend(self.pick(j));
                    }
                }
            }
        }
        let mut unused = Vec::new();
        for i in 0..n {
            if !self.candidate[i] || self.taken[self.group_of[i]] {
                continue;
            }
            let mut why = Vec::new();
            self.margin_of(i, Some(&mut why));
            why.sort_unstable();
            why.dedup();
            if why.is_empty() {
                // Not a row's doing (a cost per tonne that overflows): left
                // out, as the curve without rows leaves it out.
                continue;
            }
            let it = &self.opts.items[i];
            unused.push(Unused {
                region: it.region_id,
                region_name: it.region_name.clone(),
                strategy: it.strategy,
                technology: it.tech,
                technology_name: it.tech_name.clone(),
                limited_by: why
                    .iter()
                    .map(|&r| limit_label(&self.rows.rows[r].name))
                    .collect(),
            });
        }
        Curve { entries, unused }
    }
}
