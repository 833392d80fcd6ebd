//! The solvers against an independent brute-force oracle on tiny random parks.
//!
//! The parks are written as TOML from random specifications (1-4 regions of
//! random land types and strategies, caps, minimums including min = max, `techs`
//! restrictions, catalogues with zero capex, negative margins and large FCS
//! project development costs, budgets from 0 to more than everything costs,
//! carbon prices 0-1000) and compiled by `parkplan::compile`.
//!
//! The oracle knows nothing of the solvers: it enumerates every discrete choice
//! (per option group: nothing, or one of its options) and, for each, every vertex
//! of the continuous problem. With one budget row and box bounds [lo, hi], a
//! vertex has every capacity at a bound except at most one, which spends the
//! budget exactly; the objective is linear in the capacities, so the best vertex
//! is the optimum of that choice. No grid, no greedy: exact.

use std::fmt::Write as _;

use parkplan::model::{Objective, Options};
use parkplan::park::{Park, SolverSettings};
use parkplan::plan::{Built, Plan};
use parkplan::solve::ga::{self, GaConfig};
use parkplan::solve::{CancelToken, bound, solve_exact, upper_bound};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngAlgorithm, RngSeed, TestRng, TestRunner};

// ---------------------------------------------------------------------------
// Random park specifications and their TOML.

#[derive(Debug, Clone)]
enum Annualization {
    Rate(f64),
    Alpha(f64),
}

#[derive(Debug, Clone)]
struct Economics {
    ets: f64,
    km: f64,
    annualization: Annualization,
    life: u32,
    hours: f64,
    grid: f64,
    gas: f64,
    steam: f64,
    water: f64,
    cop: f64,
    boiler: f64,
    solar: f64,
}

/// The budget, relative to what building every slot at its cap with its
/// dearest technology would cost.
#[derive(Debug, Clone)]
enum Budget {
    Zero,
    Share(f64),
    MoreThanEverything,
    /// Exactly what one slot costs at its cap with its dearest technology.
    OneSlot(prop::sample::Index),
}

#[derive(Debug, Clone)]
struct Fcs {
    a: f64,
    b: f64,
    c: f64,
    density: f64,
    bef: f64,
    root_shoot: f64,
    carbon_fraction: f64,
    trees: f64,
    planting: f64,
    management: f64,
    timber: f64,
    harvest: f64,
}

#[derive(Debug, Clone)]
struct Ccu {
    capex: f64,
    opex: f64,
    transport: f64,
    maintenance: f64,
    price: f64,
    power: f64,
    steam: f64,
    water: f64,
    min: f64,
}

#[derive(Debug, Clone)]
struct Whr {
    capex: f64,
    efficiency: f64,
    output: &'static str,
    price: f64,
    maintenance: f64,
}

#[derive(Debug, Clone)]
struct Pv {
    capex: f64,
    area: f64,
    efficiency: f64,
    loss: f64,
    maintenance: f64,
    price: f64,
}

#[derive(Debug, Clone)]
enum Min {
    Absent,
    Zero,
    Share(f64),
    EqualToMax,
}

#[derive(Debug, Clone)]
struct SlotSpec {
    /// Cap in report units (m2, t/a, kW).
    max: f64,
    /// Written in the other unit of the family (ha, kt/a, MW).
    alt_unit: bool,
    min: Min,
    /// Allowed codes as a mask over the catalogue (`None`: key absent).
    techs: Option<Vec<bool>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Land {
    EmptyLot,
    Factory,
    Rooftop,
}

#[derive(Debug, Clone)]
struct RegionSpec {
    land: Land,
    fcs: Option<SlotSpec>,
    ccu: Option<SlotSpec>,
    whr: Option<SlotSpec>,
    pv: Option<SlotSpec>,
}

#[derive(Debug, Clone)]
struct Instance {
    economics: Economics,
    budget: Budget,
    fcs_development: f64,
    fcs: Vec<Fcs>,
    ccu: Vec<Ccu>,
    whr: Vec<Whr>,
    pv: Vec<Pv>,
    regions: Vec<RegionSpec>,
    carbon: bool,
}

const STRATEGIES: [&str; 4] = ["fcs", "ccu", "whr", "pv"];

impl RegionSpec {
    /// The slots the land allows, with their strategy index (0 FCS .. 3 PV).
    fn slots(&self) -> Vec<(usize, &SlotSpec)> {
        let allowed: &[usize] = match self.land {
            Land::EmptyLot => &[0, 3],
            Land::Factory => &[1, 2, 3],
            Land::Rooftop => &[3],
        };
        let all = [&self.fcs, &self.ccu, &self.whr, &self.pv];
        allowed
            .iter()
            .filter_map(|&s| all[s].as_ref().map(|slot| (s, slot)))
            .collect()
    }
}

impl Instance {
    fn objective(&self) -> Objective {
        if self.carbon {
            Objective::Carbon
        } else {
            Objective::Economic
        }
    }

    fn catalogue_len(&self, s: usize) -> usize {
        [
            self.fcs.len(),
            self.ccu.len(),
            self.whr.len(),
            self.pv.len(),
        ][s]
    }

    /// Capex per report unit of each technology of strategy `s`.
    fn unit_capex(&self, s: usize) -> Vec<f64> {
        let life = f64::from(self.economics.life);
        match s {
            0 => self
                .fcs
                .iter()
                .map(|t| (t.planting + life * t.management) / 10_000.0)
                .collect(),
            1 => self.ccu.iter().map(|t| t.capex).collect(),
            2 => self.whr.iter().map(|t| t.capex).collect(),
            _ => self.pv.iter().map(|t| t.capex / t.area).collect(),
        }
    }

    fn allowed(&self, s: usize, slot: &SlotSpec) -> Vec<usize> {
        (0..self.catalogue_len(s))
            .filter(|&k| slot.techs.as_ref().is_none_or(|m| m[k]))
            .collect()
    }

    /// What building each slot at its cap with its dearest technology costs.
    fn slot_costs(&self) -> Vec<f64> {
        let mut out = Vec::new();
        for r in &self.regions {
            for (s, slot) in r.slots() {
                let capex = self.unit_capex(s);
                let dearest = self
                    .allowed(s, slot)
                    .iter()
                    .map(|&k| capex[k])
                    .fold(0.0, f64::max);
                let fixed = if s == 0 { self.fcs_development } else { 0.0 };
                out.push(slot.max * dearest + fixed);
            }
        }
        out
    }

    fn budget_cny(&self) -> f64 {
        let costs = self.slot_costs();
        let all: f64 = costs.iter().sum();
        match &self.budget {
            Budget::Zero => 0.0,
            Budget::Share(x) => x * all,
            Budget::MoreThanEverything => 1.5 * all + 1000.0,
            Budget::OneSlot(k) if !costs.is_empty() => costs[k.index(costs.len())],
            Budget::OneSlot(_) => 0.0,
        }
    }

    /// Options per group, as the park format groups them (an upper bound: options
    /// whose minimum exceeds the cap are dropped by `compile`).
    fn group_sizes(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for r in &self.regions {
            let sizes: Vec<usize> = r
                .slots()
                .into_iter()
                .map(|(s, slot)| self.allowed(s, slot).len())
                .collect();
            if r.land == Land::EmptyLot {
                out.push(sizes.iter().sum());
            } else {
                out.extend(sizes);
            }
        }
        out
    }

    fn toml(&self) -> String {
        let e = &self.economics;
        let mut t = String::new();
        let w = &mut t;
        writeln!(w, "[park]\nname = \"oracle instance\"\n").unwrap();
        writeln!(w, "[economics]").unwrap();
        writeln!(w, "capex_cap = {:?}", self.budget_cny()).unwrap();
        writeln!(w, "ets_price = {:?}", e.ets).unwrap();
        match e.annualization {
            Annualization::Rate(r) => writeln!(w, "discount_rate = {r:?}").unwrap(),
            Annualization::Alpha(a) => writeln!(w, "alpha = {a:?}").unwrap(),
        }
        writeln!(w, "service_life = {}", e.life).unwrap();
        writeln!(w, "co2_transport_km = {:?}", e.km).unwrap();
        writeln!(w, "operating_hours = {:?}", e.hours).unwrap();
        writeln!(w, "grid_ef = {:?}", e.grid).unwrap();
        writeln!(w, "gas_ef = {:?}", e.gas).unwrap();
        writeln!(w, "steam_ef = {:?}", e.steam).unwrap();
        writeln!(w, "water_ef = {:?}", e.water).unwrap();
        writeln!(w, "chiller_cop = {:?}", e.cop).unwrap();
        writeln!(w, "boiler_efficiency = {:?}", e.boiler).unwrap();
        writeln!(w, "solar_radiation = {:?}", e.solar).unwrap();
        writeln!(
            w,
            "\n[fcs]\nproject_development_cost = {:?}",
            self.fcs_development
        )
        .unwrap();
        for (k, f) in self.fcs.iter().enumerate() {
            writeln!(w, "\n[[fcs.tech]]\ncode = {}\nname = \"F{}\"", k + 1, k + 1).unwrap();
            writeln!(w, "growth_a = {:?}\ngrowth_b = {:?}", f.a, f.b).unwrap();
            writeln!(w, "growth_c = {:?}\ndensity = {:?}", f.c, f.density).unwrap();
            writeln!(w, "bef = {:?}\nroot_shoot = {:?}", f.bef, f.root_shoot).unwrap();
            writeln!(w, "carbon_fraction = {:?}", f.carbon_fraction).unwrap();
            writeln!(w, "trees_per_ha = {:?}", f.trees).unwrap();
            writeln!(w, "planting_cost = {:?}", f.planting).unwrap();
            writeln!(w, "management_cost = {:?}", f.management).unwrap();
            writeln!(w, "timber_price = {:?}", f.timber).unwrap();
            writeln!(w, "harvest_cost = {:?}", f.harvest).unwrap();
        }
        for (k, c) in self.ccu.iter().enumerate() {
            writeln!(w, "\n[[ccu.tech]]\ncode = {}\nname = \"C{}\"", k + 1, k + 1).unwrap();
            writeln!(w, "capex = {:?}\ncapture_opex = {:?}", c.capex, c.opex).unwrap();
            writeln!(w, "transport_cost = {:?}", c.transport).unwrap();
            writeln!(w, "maintenance = {:?}", c.maintenance).unwrap();
            writeln!(w, "product_price = {:?}", c.price).unwrap();
            writeln!(w, "power_use = {:?}\nsteam_use = {:?}", c.power, c.steam).unwrap();
            writeln!(w, "water_use = {:?}\nmin_capacity = {:?}", c.water, c.min).unwrap();
        }
        for (k, h) in self.whr.iter().enumerate() {
            writeln!(w, "\n[[whr.tech]]\ncode = {}\nname = \"W{}\"", k + 1, k + 1).unwrap();
            writeln!(w, "capex = {:?}\nefficiency = {:?}", h.capex, h.efficiency).unwrap();
            writeln!(w, "output = \"{}\"\nprice = {:?}", h.output, h.price).unwrap();
            writeln!(w, "maintenance = {:?}", h.maintenance).unwrap();
        }
        for (k, p) in self.pv.iter().enumerate() {
            writeln!(w, "\n[[pv.tech]]\ncode = {}\nname = \"P{}\"", k + 1, k + 1).unwrap();
            writeln!(w, "capex = {:?}\narea_per_kw = {:?}", p.capex, p.area).unwrap();
            writeln!(w, "efficiency = {:?}", p.efficiency).unwrap();
            writeln!(w, "loss_factor = {:?}", p.loss).unwrap();
            writeln!(w, "maintenance = {:?}", p.maintenance).unwrap();
            writeln!(w, "feed_in_price = {:?}", p.price).unwrap();
        }
        for (k, r) in self.regions.iter().enumerate() {
            let land = match r.land {
                Land::EmptyLot => "empty_lot",
                Land::Factory => "factory",
                Land::Rooftop => "rooftop",
            };
            writeln!(w, "\n[[region]]\nid = {}\nname = \"R{}\"", k + 1, k + 1).unwrap();
            writeln!(w, "land = \"{land}\"").unwrap();
            for (s, slot) in r.slots() {
                // (primary unit, alternative unit, report units per alternative unit)
                let (unit, alt, factor) = match s {
                    0 | 3 => ("m2", "ha", 10_000.0),
                    1 => ("t_per_yr", "kt_per_yr", 1000.0),
                    _ => ("kw", "mw", 1000.0),
                };
                let (unit, factor) = if slot.alt_unit {
                    (alt, factor)
                } else {
                    (unit, 1.0)
                };
                let max = format!("{:?}", slot.max / factor);
                let mut fields = vec![format!("max_{unit} = {max}")];
                match slot.min {
                    Min::Absent => {}
                    Min::Zero => fields.push(format!("min_{unit} = 0")),
                    Min::Share(x) => {
                        fields.push(format!("min_{unit} = {:?}", x * slot.max / factor))
                    }
                    Min::EqualToMax => fields.push(format!("min_{unit} = {max}")),
                }
                if let Some(mask) = &slot.techs {
                    let codes: Vec<String> = (0..self.catalogue_len(s))
                        .filter(|&k| mask[k])
                        .map(|k| (k + 1).to_string())
                        .collect();
                    fields.push(format!("techs = [{}]", codes.join(", ")));
                }
                writeln!(w, "{} = {{ {} }}", STRATEGIES[s], fields.join(", ")).unwrap();
            }
        }
        t
    }

    fn park(&self) -> Park {
        let text = self.toml();
        Park::from_toml(&text, "oracle.toml")
            .unwrap_or_else(|e| panic!("the generated park is invalid: {e}\n{text}"))
    }
}

/// Zero sometimes, else uniform in the range.
fn zero_or(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 3 => lo..hi]
}

fn economics() -> impl Strategy<Value = Economics> {
    (
        prop_oneof![1 => Just(0.0), 4 => 0.0..1000.0, 1 => Just(1000.0)],
        0.0..300.0,
        prop_oneof![
            (0.0..0.15).prop_map(Annualization::Rate),
            (0.01..1.0).prop_map(Annualization::Alpha),
        ],
        1u32..=40,
        prop_oneof![1 => Just(0.0), 4 => 0.0..8784.0],
        0.0..1.2,
        0.0..0.3,
        0.0..0.2,
        0.0..0.001,
        1.0..6.0,
        0.5..1.5,
        zero_or(0.0, 2000.0),
    )
        .prop_map(
            |(ets, km, annualization, life, hours, grid, gas, steam, water, cop, boiler, solar)| {
                Economics {
                    ets,
                    km,
                    annualization,
                    life,
                    hours,
                    grid,
                    gas,
                    steam,
                    water,
                    cop,
                    boiler,
                    solar,
                }
            },
        )
}

fn fcs() -> impl Strategy<Value = Fcs> {
    (
        (0.05..0.8, -0.2..-0.01, 1.0..5.0, 0.3..0.6),
        (1.1..1.8, 0.0..0.3, 0.4..0.55, 500.0..2500.0),
        // Planting and management both 0 (zero capex) a quarter of the time.
        prop_oneof![1 => Just((0.0, 0.0)), 3 => (zero_or(5000.0, 40_000.0), 0.0..600.0)],
        // Timber below its harvest cost sometimes: a negative margin.
        (0.0..1500.0, 0.0..1500.0),
    )
        .prop_map(
            |((a, b, c, density), (bef, root_shoot, carbon_fraction, trees), (p, m), (t, h))| Fcs {
                a,
                b,
                c,
                density,
                bef,
                root_shoot,
                carbon_fraction,
                trees,
                planting: p,
                management: m,
                timber: t,
                harvest: h,
            },
        )
}

fn ccu() -> impl Strategy<Value = Ccu> {
    (
        zero_or(200.0, 3000.0),
        (0.0..900.0, 0.0..2.0, 0.0..50.0, 0.0..1000.0),
        (0.0..0.3, 0.0..5.0, 0.0..3.0),
        prop_oneof![Just(0.0), 0.0..5000.0],
    )
        .prop_map(
            |(capex, (opex, transport, maintenance, price), (power, steam, water), min)| Ccu {
                capex,
                opex,
                transport,
                maintenance,
                price,
                power,
                steam,
                water,
                min,
            },
        )
}

fn whr() -> impl Strategy<Value = Whr> {
    (
        zero_or(100.0, 2000.0),
        0.05..2.0,
        prop_oneof![Just("cooling"), Just("electricity"), Just("heat")],
        0.0..1.0,
        0.0..0.1,
    )
        .prop_map(|(capex, efficiency, output, price, maintenance)| Whr {
            capex,
            efficiency,
            output,
            price,
            maintenance,
        })
}

fn pv() -> impl Strategy<Value = Pv> {
    (
        zero_or(2000.0, 5000.0),
        4.0..10.0,
        0.1..0.25,
        0.7..0.95,
        0.0..0.1,
        0.0..0.8,
    )
        .prop_map(|(capex, area, efficiency, loss, maintenance, price)| Pv {
            capex,
            area,
            efficiency,
            loss,
            maintenance,
            price,
        })
}

/// A slot with a cap up to `hi` report units (0 now and then).
fn slot(hi: f64) -> impl Strategy<Value = Option<SlotSpec>> {
    let spec = (
        prop_oneof![1 => Just(0.0), 15 => (hi / 100.0)..hi],
        any::<bool>(),
        prop_oneof![
            4 => Just(Min::Absent),
            1 => Just(Min::Zero),
            3 => (0.0..1.0).prop_map(Min::Share),
            2 => Just(Min::EqualToMax),
        ],
        prop_oneof![
            1 => Just(None),
            1 => proptest::collection::vec(any::<bool>(), 3).prop_map(Some),
        ],
    )
        .prop_map(|(max, alt_unit, min, techs)| SlotSpec {
            max,
            alt_unit,
            min,
            techs,
        });
    proptest::option::weighted(0.6, spec)
}

fn region() -> impl Strategy<Value = RegionSpec> {
    (
        prop_oneof![
            Just(Land::EmptyLot),
            Just(Land::Factory),
            Just(Land::Rooftop)
        ],
        slot(200_000.0),
        slot(30_000.0),
        slot(3_000.0),
        slot(30_000.0),
    )
        .prop_map(|(land, fcs, ccu, whr, pv)| RegionSpec {
            land,
            fcs,
            ccu,
            whr,
            pv,
        })
}

/// Upper bound on the oracle's leaves: per group nothing, or an option at its
/// minimum, at its cap or spending the budget.
fn leaves(sizes: &[usize]) -> f64 {
    sizes.iter().map(|&n| 1.0 + 3.0 * n as f64).product()
}

/// Instances small enough to enumerate (regions are dropped from the end until
/// the oracle has at most this many leaves).
const MAX_LEAVES: f64 = 200_000.0;

fn instance() -> impl Strategy<Value = Instance> {
    (
        economics(),
        prop_oneof![
            1 => Just(Budget::Zero),
            6 => (0.0..1.0).prop_map(Budget::Share),
            2 => (0.0..0.05).prop_map(Budget::Share),
            1 => Just(Budget::MoreThanEverything),
            1 => any::<prop::sample::Index>().prop_map(Budget::OneSlot),
        ],
        prop_oneof![
            1 => Just(0.0),
            1 => 100_000.0..1_000_000.0,
            1 => 1_000_000.0..50_000_000.0,
        ],
        (
            proptest::collection::vec(fcs(), 1..=2),
            proptest::collection::vec(ccu(), 1..=2),
            proptest::collection::vec(whr(), 1..=3),
            proptest::collection::vec(pv(), 1..=2),
        ),
        proptest::collection::vec(region(), 1..=4),
        any::<bool>(),
    )
        .prop_map(
            |(economics, budget, fcs_development, (fcs, ccu, whr, pv), regions, carbon)| {
                let mut inst = Instance {
                    economics,
                    budget,
                    fcs_development,
                    fcs,
                    ccu,
                    whr,
                    pv,
                    regions,
                    carbon,
                };
                while inst.regions.len() > 1 && leaves(&inst.group_sizes()) > MAX_LEAVES {
                    inst.regions.pop();
                }
                inst
            },
        )
}

// ---------------------------------------------------------------------------
// The oracle.

/// An optimal plan: per group, (item, capacity) or nothing.
#[derive(Debug, Clone)]
struct Optimum {
    value: f64,
    choice: Vec<Option<(usize, f64)>>,
    leaves: u64,
}

impl Optimum {
    fn plan(&self) -> Plan {
        Plan {
            choice: self
                .choice
                .iter()
                .map(|c| c.map(|(item, capacity)| Built { item, capacity }))
                .collect(),
        }
    }
}

/// Where a chosen option's capacity sits.
#[derive(Debug, Clone, Copy, PartialEq)]
enum At {
    Lo,
    Hi,
    /// Strictly between the bounds, spending what the others leave of the budget.
    Rest,
}

/// Per item: (capex per unit, capex fixed, value per unit, value fixed, lo, hi),
/// from the compiled coefficients and the objective's definition (eqs. 3.1-3.2).
fn terms(opts: &Options, obj: Objective) -> Vec<[f64; 6]> {
    opts.items
        .iter()
        .map(|it| {
            let c = &it.coef;
            let (vu, vf) = match obj {
                Objective::Economic => (
                    c.income_per_unit - opts.alpha * c.capex_per_unit,
                    -opts.alpha * c.capex_fixed,
                ),
                Objective::Carbon => (c.co2_per_unit, 0.0),
            };
            [c.capex_per_unit, c.capex_fixed, vu, vf, it.lo, it.hi]
        })
        .collect()
}

struct Enumeration<'a> {
    opts: &'a Options,
    t: Vec<[f64; 6]>,
    budget: f64,
    tol: f64,
    picks: Vec<Option<(usize, At)>>,
    best: Optimum,
}

impl Enumeration<'_> {
    fn go(&mut self, g: usize, capex: f64, value: f64, rest: Option<(usize, usize)>) {
        if g == self.opts.groups.len() {
            self.leaf(capex, value, rest);
            return;
        }
        self.picks[g] = None;
        self.go(g + 1, capex, value, rest);
        for i in self.opts.groups[g].items.clone() {
            let [cu, cf, vu, vf, lo, hi] = self.t[i];
            for at in [At::Lo, At::Hi, At::Rest] {
                let a = match at {
                    At::Hi => hi,
                    // The rest of the budget is added at the leaf.
                    At::Lo | At::Rest => lo,
                };
                if at == At::Hi && hi == lo {
                    continue;
                }
                if at == At::Rest && (rest.is_some() || cu <= 0.0 || hi <= lo) {
                    continue;
                }
                let rest = if at == At::Rest { Some((g, i)) } else { rest };
                self.picks[g] = Some((i, at));
                self.go(g + 1, capex + cu * a + cf, value + vu * a + vf, rest);
            }
        }
        self.picks[g] = None;
    }

    fn leaf(&mut self, mut capex: f64, mut value: f64, rest: Option<(usize, usize)>) {
        self.best.leaves += 1;
        let mut rest_capacity = None;
        if let Some((_, i)) = rest {
            let [cu, _, vu, _, lo, hi] = self.t[i];
            let a = lo + (self.budget - capex) / cu;
            // At a bound (or infeasible) the vertex is enumerated elsewhere.
            if !(a > lo && a < hi) {
                return;
            }
            capex = self.budget;
            value += vu * (a - lo);
            rest_capacity = Some(a);
        }
        if capex > self.budget + self.tol || value <= self.best.value {
            return;
        }
        self.best.value = value;
        for (g, p) in self.picks.iter().enumerate() {
            self.best.choice[g] = p.map(|(i, at)| {
                let [.., lo, hi] = self.t[i];
                let a = match at {
                    At::Lo => lo,
                    At::Hi => hi,
                    At::Rest => rest_capacity.expect("the fractional option"),
                };
                (i, a)
            });
        }
    }
}

/// The exact optimum by enumeration (the empty plan, worth 0, is always feasible).
fn oracle(opts: &Options, obj: Objective) -> Optimum {
    let n = opts.groups.len();
    let mut e = Enumeration {
        opts,
        t: terms(opts, obj),
        budget: opts.budget_cny,
        // The solvers' own tolerance for rounding (exact.rs, Plan::check).
        tol: 1e-9 * opts.budget_cny.max(1.0),
        picks: vec![None; n],
        best: Optimum {
            value: 0.0,
            choice: vec![None; n],
            leaves: 0,
        },
    };
    e.go(0, 0.0, 0.0, None);
    e.best
}

/// `Plan::evaluate` against the coefficients, item by item and in total, and
/// `Plan::check`, `Plan::objective` and `Plan::capex` on the oracle's plan.
fn check_evaluation(opts: &Options, obj: Objective, best: &Optimum) -> Result<(), String> {
    let plan = best.plan();
    plan.check(opts)
        .map_err(|e| format!("the oracle's plan fails Plan::check: {e}"))?;
    let ev = plan.evaluate(opts);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    let built: Vec<(usize, f64)> = best.choice.iter().flatten().copied().collect();
    if ev.items.len() != built.len() {
        return Err(format!(
            "evaluate lists {} items for {} built",
            ev.items.len(),
            built.len()
        ));
    }
    let (mut capex, mut income, mut co2) = (0.0, 0.0, 0.0);
    for (r, &(i, a)) in ev.items.iter().zip(&built) {
        let it = &opts.items[i];
        let c = &it.coef;
        let (k, inc, e) = (
            c.capex_per_unit * a + c.capex_fixed,
            c.income_per_unit * a,
            c.co2_per_unit * a,
        );
        let b = inc - opts.alpha * k;
        let ok = r.item == i
            && r.region_id == it.region_id
            && r.strategy == it.strategy
            && r.tech == it.tech
            && r.capacity == a
            && r.unit == it.strategy.unit()
            && close(r.capex, k)
            && close(r.annual_income, inc)
            && close(r.annual_benefit, b)
            && close(r.annual_co2_reduction, e);
        if !ok {
            return Err(format!(
                "item {i} at {a}: evaluate gives {r:?}, expected capex {k}, income {inc}, \
                 benefit {b}, CO2 {e}"
            ));
        }
        capex += k;
        income += inc;
        co2 += e;
    }
    let benefit = income - opts.alpha * capex;
    let tot = ev.totals;
    if !(close(tot.capex, capex)
        && close(tot.annual_income, income)
        && close(tot.annual_benefit, benefit)
        && close(tot.annual_co2_reduction, co2))
    {
        return Err(format!(
            "totals {tot:?}, expected capex {capex}, income {income}, benefit {benefit}, CO2 {co2}"
        ));
    }
    let expected = match obj {
        Objective::Economic => benefit,
        Objective::Carbon => co2,
    };
    for (what, v) in [
        ("the oracle's value", best.value),
        ("Totals::objective", tot.objective(obj)),
        ("Plan::objective", plan.objective(opts, obj)),
    ] {
        if !close(v, expected) {
            return Err(format!("{what} {v}, expected {expected}"));
        }
    }
    if !close(plan.capex(opts), capex) {
        return Err(format!(
            "Plan::capex {}, expected {capex}",
            plan.capex(opts)
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Shared set-up.

/// Fixed seed unless PROPTEST_RNG_SEED is set, so that CI runs are reproducible;
/// PROPTEST_CASES overrides the number of cases.
fn config(cases: u32) -> ProptestConfig {
    let d = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            d.cases
        } else {
            cases
        },
        failure_persistence: None,
        rng_seed: match d.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x0AC1E),
            s => s,
        },
        ..d
    }
}

/// `count` instances drawn deterministically from the same strategy (for the
/// statistical properties, which proptest cannot shrink).
fn sample(count: usize, seed: u8) -> Vec<Instance> {
    let mut runner = TestRunner::new_with_rng(
        ProptestConfig::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    );
    let s = instance();
    (0..count)
        .map(|_| s.new_tree(&mut runner).expect("no rejection").current())
        .collect()
}

struct Solved {
    inst: Instance,
    opts: Options,
    obj: Objective,
    best: Optimum,
}

fn solved(inst: Instance) -> Result<Solved, String> {
    let park = inst.park();
    let opts = parkplan::compile(&park);
    let obj = inst.objective();
    let sizes: Vec<usize> = opts.groups.iter().map(|g| g.items.len()).collect();
    assert!(leaves(&sizes) <= MAX_LEAVES, "instance too large");
    let best = oracle(&opts, obj);
    check_evaluation(&opts, obj, &best).map_err(|e| format!("{e}\n{obj:?} on\n{}", inst.toml()))?;
    Ok(Solved {
        inst,
        opts,
        obj,
        best,
    })
}

/// Some option with positive value costs nothing per unit.
fn has_free_option(s: &Solved) -> bool {
    let t = terms(&s.opts, s.obj);
    t.iter().any(|&[cu, _, vu, ..]| cu == 0.0 && vu > 0.0)
}

fn describe(s: &Solved) -> String {
    format!(
        "{:?}, budget {} CNY, oracle {} with {:?}\n{}",
        s.obj,
        s.opts.budget_cny,
        s.best.value,
        s.best.choice,
        s.inst.toml()
    )
}

// ---------------------------------------------------------------------------
// Properties.

#[test]
fn the_generator_covers_the_hard_cases() {
    let all: Vec<Solved> = sample(300, 7)
        .into_iter()
        .map(|i| solved(i).unwrap())
        .collect();
    let count = |f: &dyn Fn(&Solved) -> bool| all.iter().filter(|s| f(s)).count();
    let items = |s: &Solved| s.opts.items.clone();
    let min_eq_max = count(&|s| items(s).iter().any(|it| it.lo == it.hi && it.lo > 0.0));
    let min_pos = count(&|s| items(s).iter().any(|it| it.lo > 0.0 && it.lo < it.hi));
    let free = count(&|s| items(s).iter().any(|it| it.coef.capex_per_unit == 0.0));
    let free_positive = count(&has_free_option);
    let negative =
        count(&|s| (0..s.opts.items.len()).any(|i| s.opts.value_per_unit(i, s.obj) < 0.0));
    let fixed = count(&|s| items(s).iter().any(|it| it.coef.capex_fixed > 1e6));
    let zero_budget = count(&|s| s.opts.budget_cny == 0.0);
    let restricted = count(&|s| {
        s.inst
            .regions
            .iter()
            .any(|r| r.slots().iter().any(|(_, sl)| sl.techs.is_some()))
    });
    let nonzero = count(&|s| s.best.value > 0.0);
    let multi = count(&|s| s.best.choice.iter().flatten().count() >= 2);
    let carbon = count(&|s| s.obj == Objective::Carbon);
    let report = format!(
        "min = max {min_eq_max}, 0 < min < max {min_pos}, zero capex {free} (with positive value \
         {free_positive}), negative value {negative}, fixed cost > 1 M {fixed}, budget 0 \
         {zero_budget}, techs {restricted}, optimum > 0 {nonzero}, two or more built {multi}, \
         carbon {carbon}"
    );
    for n in [
        min_eq_max,
        min_pos,
        free,
        free_positive,
        negative,
        fixed,
        zero_budget,
        restricted,
        multi,
        carbon,
    ] {
        assert!(n >= 15, "too few instances of some case: {report}");
    }
    assert!(nonzero >= 150, "{report}");
}

proptest! {
    #![proptest_config(config(300))]

    /// The exact solver's value is the oracle's; its plan is feasible; the LP
    /// bound is above it.
    #[test]
    fn exact_solver_matches_the_oracle(inst in instance()) {
        let s = solved(inst).map_err(TestCaseError::fail)?;
        let (opts, obj, best) = (&s.opts, s.obj, &s.best);
        let sol = solve_exact(opts, obj);
        prop_assert!(sol.proven_optimal);
        prop_assert!(sol.plan.check(opts).is_ok(), "{:?}\n{}", sol.plan.check(opts), describe(&s));
        let v = sol.plan.evaluate(opts).totals.objective(obj);
        prop_assert!((v - sol.value).abs() <= 1e-9 * v.abs().max(1.0),
            "reported {} but the plan is worth {v}", sol.value);
        prop_assert!((sol.value - best.value).abs() <= 1e-9 * best.value.abs().max(1.0),
            "exact {} vs oracle {} (plan {:?})\n{}", sol.value, best.value, sol.plan, describe(&s));
        let ub = upper_bound(opts, obj);
        prop_assert!(ub >= best.value - 1e-9 * best.value.abs().max(1.0),
            "upper bound {ub} below the oracle {}\n{}", best.value, describe(&s));
    }

    /// The LP-rounded plan is feasible and never above the optimum. (With other
    /// seeds this finds the bug pinned by the ignored
    /// `lp_plan_stays_within_the_budget_when_rounding_keeps_a_collinear_point`.)
    #[test]
    fn lp_plan_is_feasible_and_not_above_the_oracle(inst in instance()) {
        let s = solved(inst).map_err(TestCaseError::fail)?;
        let (opts, obj, best) = (&s.opts, s.obj, &s.best);
        let plan = bound::lp_plan(opts, obj);
        prop_assert!(plan.check(opts).is_ok(), "{:?} {plan:?}\n{}", plan.check(opts), describe(&s));
        let v = plan.objective(opts, obj);
        prop_assert!(v <= best.value + 1e-9 * best.value.abs().max(1.0),
            "LP plan {v} above the oracle {} ({plan:?})\n{}", best.value, describe(&s));
    }
}

fn ga_settings(seed: u64) -> SolverSettings {
    SolverSettings {
        seed,
        generations: 300,
        stall_generations: 60,
        ..SolverSettings::default()
    }
}

/// Over `count` instances: every GA plan feasible and not above the oracle; within
/// 0.5 % of it in at least 95 % of the instances.
fn ga_against_the_oracle(count: usize, sample_seed: u8, seed_heuristic: bool) {
    let mut broken = Vec::new();
    let mut far = Vec::new();
    for (k, inst) in sample(count, sample_seed).into_iter().enumerate() {
        let s = solved(inst).unwrap();
        let (opts, obj, best) = (&s.opts, s.obj, &s.best);
        let seed = 1 + k as u64;
        let cfg = GaConfig {
            seed_heuristic,
            ..GaConfig::new(ga_settings(seed))
        };
        let (sol, _) = ga::solve(opts, obj, &cfg, &CancelToken::new(), |_| {}).unwrap();
        let what = format!(
            "instance {k} (sample seed {sample_seed}, GA seed {seed}, seed_heuristic \
             {seed_heuristic}, zero-capex option of positive value: {}): GA {} vs oracle {}, \
             GA plan {:?}",
            has_free_option(&s),
            sol.value,
            best.value,
            sol.plan.choice
        );
        let tol = 1e-7 * best.value.abs().max(1.0);
        if let Err(e) = sol.plan.check(opts) {
            broken.push(format!("{what}: infeasible, {e}\n{}", describe(&s)));
        } else if sol.value > best.value + tol {
            broken.push(format!("{what}: above the optimum\n{}", describe(&s)));
        } else if (sol.plan.objective(opts, obj) - sol.value).abs() > tol {
            broken.push(format!("{what}: value is not the plan's\n{}", describe(&s)));
        }
        if sol.value < best.value - 0.005 * best.value.abs() - tol {
            far.push((what, describe(&s)));
        }
    }
    assert!(
        broken.is_empty(),
        "{} of {count} GA plans broken:\n{}",
        broken.len(),
        broken.join("\n\n")
    );
    assert!(
        far.len() * 100 <= count * 5,
        "{} of {count} GA plans more than 0.5 % below the optimum:\n{}\n\nthe first instances:\n{}",
        far.len(),
        far.iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        far.iter()
            .take(3)
            .map(|f| f.1.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn ga_is_feasible_and_close_to_the_oracle() {
    ga_against_the_oracle(300, 11, false);
}

#[test]
fn ga_seeded_with_the_lp_plan_is_feasible_and_close_to_the_oracle() {
    ga_against_the_oracle(300, 13, true);
}

/// The same park with nothing to spend and every CCU, WHR and PV technology free
/// of capex: only free options can be built, and the optimum builds the best free
/// option of each group at its cap.
fn no_budget(mut inst: Instance) -> Instance {
    inst.budget = Budget::Zero;
    inst.ccu.iter_mut().for_each(|t| t.capex = 0.0);
    inst.whr.iter_mut().for_each(|t| t.capex = 0.0);
    inst.pv.iter_mut().for_each(|t| t.capex = 0.0);
    inst
}

proptest! {
    #![proptest_config(config(300))]

    /// Regression: the GA's repair grew options only while budget was left, so
    /// with none left its zero-capex options kept random capacities (and the
    /// polished best fell back to their minimums).
    #[test]
    fn ga_grows_zero_capex_options_with_no_budget_left(
        inst in instance().prop_map(no_budget),
        seed in 1u64..1000,
        seed_heuristic in any::<bool>(),
    ) {
        let s = solved(inst).map_err(TestCaseError::fail)?;
        let (opts, obj, best) = (&s.opts, s.obj, &s.best);
        let cfg = GaConfig { seed_heuristic, ..GaConfig::new(ga_settings(seed)) };
        let (sol, _) = ga::solve(opts, obj, &cfg, &CancelToken::new(), |_| {}).unwrap();
        prop_assert!(sol.plan.check(opts).is_ok(), "{:?}\n{}", sol.plan.check(opts), describe(&s));
        let tol = 1e-7 * best.value.abs().max(1.0);
        prop_assert!(sol.value <= best.value + tol && sol.value >= best.value - 0.005 * best.value.abs() - tol,
            "GA (seed {seed}, seed_heuristic {seed_heuristic}) {} vs oracle {}, GA plan {:?}\n{}",
            sol.value, best.value, sol.plan.choice, describe(&s));
    }
}

/// Eight roofs with panels that cost nothing to build, and (`with_ccu`) a capture
/// plant of fixed size (min = max) that uses up the whole budget; else no budget.
/// By hand: PV yields 1000 kWh/m2/yr x 0.2 x 0.8 = 160 kWh/m2/yr, worth
/// 0.5 CNY/kWh x 160 = 80 CNY/m2/yr and 160 x 0.5 t/MWh = 0.08 t/m2/yr; 8 roofs
/// of 1000 m2: 640,000 CNY/yr and 640 t/yr. The plant: 2000 t/a at 1000 CNY per
/// t/a = 2,000,000 CNY (the budget); (700 - 100) CNY/t - 0.1 x 1000 CNY per t/a
/// = 500 CNY/yr per t/a, 1 t/yr per t/a: 1,000,000 CNY/yr and 2000 t/yr.
fn free_roofs(with_ccu: bool) -> String {
    let mut t = format!(
        r#"
[park]
name = "free panels, nothing left to spend"

[economics]
capex_cap = {}
ets_price = 0
alpha = 0.1
service_life = 20
co2_transport_km = 0
operating_hours = 8000
grid_ef = 0.5
gas_ef = 0.2
steam_ef = 0
water_ef = 0
chiller_cop = 3.5
boiler_efficiency = 0.85
solar_radiation = 1000

[fcs]
project_development_cost = 0

[[fcs.tech]]
code = 1
name = "pine"
growth_a = 0.5
growth_b = -0.05
growth_c = 4
density = 0.4
bef = 1.5
root_shoot = 0.2
carbon_fraction = 0.5
trees_per_ha = 1667
planting_cost = 20000
management_cost = 300
timber_price = 1000
harvest_cost = 200

[[ccu.tech]]
code = 1
name = "capture"
capex = 1000
capture_opex = 100
transport_cost = 0
maintenance = 0
product_price = 700
power_use = 0
steam_use = 0
water_use = 0
min_capacity = 0

[[whr.tech]]
code = 1
name = "chiller"
capex = 1000
efficiency = 0.7
output = "cooling"
price = 0.2
maintenance = 0.01

[[pv.tech]]
code = 1
name = "free panels"
capex = 0
area_per_kw = 5
efficiency = 0.2
loss_factor = 0.8
maintenance = 0
feed_in_price = 0.5
"#,
        if with_ccu { 2_000_000 } else { 0 }
    );
    for id in 1..=8 {
        writeln!(
            t,
            "\n[[region]]\nid = {id}\nname = \"Roof {id}\"\nland = \"rooftop\"\npv = {{ max_m2 = 1000 }}"
        )
        .unwrap();
    }
    if with_ccu {
        t.push_str(
            "\n[[region]]\nid = 9\nname = \"Factory\"\nland = \"factory\"\n\
             ccu = { max_t_per_yr = 2000, min_t_per_yr = 2000 }\n",
        );
    }
    t
}

/// Regression (at 5d81d8a, 34 of these 160 runs ended more than 0.5 % below the
/// optimum): the GA's repair grew options only while budget was left, so with
/// none left its zero-capex options kept random capacities (the polished best
/// even fell back to their minimums).
#[test]
fn ga_grows_zero_capex_options_on_fixed_examples() {
    let mut misses = Vec::new();
    for with_ccu in [false, true] {
        let opts = parkplan::compile(&Park::from_toml(&free_roofs(with_ccu), "free").unwrap());
        for (obj, roofs, plant) in [
            (Objective::Economic, 640_000.0, 1_000_000.0),
            (Objective::Carbon, 640.0, 2000.0),
        ] {
            let by_hand = roofs + if with_ccu { plant } else { 0.0 };
            let best = oracle(&opts, obj);
            assert!(
                (best.value - by_hand).abs() <= 1e-9 * by_hand,
                "oracle {} vs by hand {by_hand}",
                best.value
            );
            check_evaluation(&opts, obj, &best).unwrap();
            assert!((solve_exact(&opts, obj).value - by_hand).abs() <= 1e-9 * by_hand);
            for seed in 1..=20 {
                for seed_heuristic in [false, true] {
                    let cfg = GaConfig {
                        seed_heuristic,
                        ..GaConfig::new(ga_settings(seed))
                    };
                    let (sol, _) =
                        ga::solve(&opts, obj, &cfg, &CancelToken::new(), |_| {}).unwrap();
                    assert!(sol.plan.check(&opts).is_ok());
                    if sol.value < by_hand * 0.995 {
                        misses.push(format!(
                            "{obj:?}, CCU plant {with_ccu}, GA seed {seed}, seed_heuristic \
                             {seed_heuristic}: {} vs {by_hand}, {:?}",
                            sol.value, sol.plan.choice
                        ));
                    }
                }
            }
        }
    }
    assert!(
        misses.is_empty(),
        "{} misses:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// Found by `lp_plan_is_feasible_and_not_above_the_oracle` with other seeds
/// (PROPTEST_RNG_SEED=1 to 6 each find such a park within 20,000 cases). The
/// chiller's minimum alone costs 771.97 kW x 226.91 CNY/kW = 175,167 CNY, far
/// above the budget of 1,702 CNY, so nothing can be built (the oracle: 0). Its
/// minimum and cap are collinear with the origin in (capex, CO2), but rounding
/// keeps the minimum on the group's hull (cross product -1.5e-8) and makes the
/// step minimum -> cap one ulp steeper than origin -> minimum; the greedy buys
/// 0.5 % of that step first, and `lp_plan` builds 779.47 kW (176,870 CNY)
/// without having bought the minimum.
const LP_ABOVE_BUDGET: &str = r#"
[park]
name = "lp_plan above the budget"

[economics]
capex_cap = 1701.9709946537603
ets_price = 0
alpha = 0.1
service_life = 20
co2_transport_km = 0
operating_hours = 1337.9176421236805
grid_ef = 0.32517127637051296
gas_ef = 0.2
steam_ef = 0
water_ef = 0
chiller_cop = 1
boiler_efficiency = 0.85
solar_radiation = 1000

[fcs]
project_development_cost = 0

[[fcs.tech]]
code = 1
name = "pine"
growth_a = 0.5
growth_b = -0.05
growth_c = 4
density = 0.4
bef = 1.5
root_shoot = 0.2
carbon_fraction = 0.5
trees_per_ha = 1667
planting_cost = 20000
management_cost = 300
timber_price = 1000
harvest_cost = 200

[[ccu.tech]]
code = 1
name = "capture"
capex = 1000
capture_opex = 400
transport_cost = 1
maintenance = 20
product_price = 700
power_use = 0.1
steam_use = 3
water_use = 2
min_capacity = 1000

[[whr.tech]]
code = 1
name = "chiller"
capex = 226.91022426890544
efficiency = 0.47430889098584783
output = "cooling"
price = 0.2
maintenance = 0.01

[[pv.tech]]
code = 1
name = "panels"
capex = 3500
area_per_kw = 6.2
efficiency = 0.16
loss_factor = 0.82
maintenance = 0.04
feed_in_price = 0.4

[[region]]
id = 1
name = "Factory"
land = "factory"
whr = { max_kw = 2268.9847612978783, min_kw = 771.9712771390701 }
"#;

#[test]

fn lp_plan_stays_within_the_budget_when_rounding_keeps_a_collinear_point() {
    let opts = parkplan::compile(&Park::from_toml(LP_ABOVE_BUDGET, "lp.toml").unwrap());
    let obj = Objective::Carbon;
    let best = oracle(&opts, obj);
    assert_eq!(best.value, 0.0);
    let plan = bound::lp_plan(&opts, obj);
    assert!(
        plan.check(&opts).is_ok(),
        "{:?}: {plan:?}",
        plan.check(&opts)
    );
    assert!(plan.objective(&opts, obj) <= 1e-9);
}
