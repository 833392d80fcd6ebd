//! How sure is a plan: scenarios drawn from the park's `[uncertainty]`, each
//! solved exactly; how often each option is optimal, the spread of the
//! optimum, and the regret of committing to one plan now (docs/robust.md).
//!
//! The park is compiled once. A scenario only re-derives the coefficient of
//! each technology that appears in the option table (a few dozen evaluations
//! of the model's equations) and writes it into a per-thread copy of the
//! table, so no scenario recompiles the park.

use std::sync::atomic::{AtomicUsize, Ordering};

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::{self, Coefficients, Objective, Options};
use crate::park::uncertainty::{
    Target, TechSetter, Uncertainty, norm_cdf, norm_quantile, tech_index, tech_setter,
};
use crate::park::{Catalogue, ENERGY_PARAMS, Economics, Energy, PARAMS, Park, Strategy};
use crate::plan::{Built, Plan};
use crate::solve::{CancelToken, SolveError, exact};

/// Branch-and-bound nodes per scenario; a scenario that needs more keeps its
/// best plan and is counted as unproven.
pub const NODES: u64 = super::EXACT_NODES;
/// Scenarios per unit of parallel work (fixed, so that sums are added in the
/// same order whatever the number of threads).
const CHUNK: usize = 64;
/// Most scenarios in one run.
pub const MAX_SAMPLES: usize = 1_000_000;

/// What to compute.
#[derive(Debug, Clone)]
pub struct Config {
    pub samples: usize,
    pub seed: u64,
    pub objective: Objective,
    /// Also the one-at-a-time tornado.
    pub tornado: bool,
}

/// Why a run could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RobustError {
    #[error(
        "nothing is uncertain: add an [uncertainty] table to the park file or give --vary KEY=SPEC (docs/robust.md)"
    )]
    NothingUncertain,
    #[error("--samples must be from 1 to {MAX_SAMPLES}, found {0}")]
    Samples(usize),
    #[error("the plan: {0}")]
    Plan(String),
    #[error("cancelled")]
    Cancelled,
    #[error("the time limit came before any scenario was solved")]
    NoneInTime,
}

/// Progress of a run: scenarios solved so far of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tick {
    pub done: usize,
    pub total: usize,
}

/// P5/P50/P95 and the mean of a quantity over the scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Spread {
    pub mean: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub min: f64,
    pub max: f64,
}

/// One uncertain parameter as used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamRow {
    pub key: String,
    pub unit: &'static str,
    /// The distribution in `--vary` form.
    pub distribution: String,
    /// The park file's value (before any draw).
    pub file_value: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// One correlation group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    pub keys: Vec<String>,
    pub rho: f64,
}

/// How often an option is in the scenario optimum, and at what capacity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionRow {
    pub region: u32,
    pub region_name: String,
    pub strategy: Strategy,
    pub technology: u32,
    pub technology_name: String,
    pub unit: &'static str,
    /// Share of scenarios whose optimum builds it (0 to 1).
    pub share: f64,
    /// Capacity over all scenarios (0 where not built).
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    /// Capacity in the plan at the file's values (or the given plan).
    pub reference: f64,
    /// Capacity in the plan best on average.
    pub expected_value_plan: f64,
}

/// Regret of a plan: the scenario optimum minus the plan's value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Regret {
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub max: f64,
    /// The same as a percentage of the mean scenario optimum (absent when it is 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p50_pct: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p95_pct: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_pct: Option<f64>,
}

/// A fixed plan judged over the scenarios.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRisk {
    /// What the plan is, in words.
    pub label: String,
    /// The objective's value over the scenarios.
    pub value: Spread,
    pub regret: Regret,
    /// Share of scenarios in which its capital expenditure exceeds that
    /// scenario's cap (capex or the cap itself uncertain).
    pub over_budget_share: f64,
    /// Capital expenditure at the file's values (CNY).
    pub capex_at_file_values: f64,
    /// Its value on the averaged coefficient table: equal to `value.mean`
    /// (the objective is linear in the coefficients), computed the other way.
    pub value_on_mean_table: f64,
    /// Built options as "region STRATEGY tech capacity unit".
    pub built: Vec<String>,
}

/// The optimum with one parameter at its P10 or P90 and the others at their medians.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoRow {
    pub key: String,
    pub low_value: f64,
    pub high_value: f64,
    /// Optimum with the parameter at its P10.
    pub optimum_at_low: f64,
    /// Optimum with the parameter at its P90.
    pub optimum_at_high: f64,
    /// |optimum_at_high − optimum_at_low|.
    pub swing: f64,
}

/// The tornado: rows sorted by swing, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tornado {
    /// Optimum with every parameter at its median.
    pub optimum_at_medians: f64,
    pub rows: Vec<TornadoRow>,
}

/// One scenario's figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScenarioRow {
    /// The optimum's objective value.
    pub optimum: f64,
    /// The optimum's annual benefit (CNY/yr) and CO2 reduction (t/yr).
    pub benefit: f64,
    pub co2: f64,
    /// The objective value of the reference plan and of the plan best on average.
    pub reference: f64,
    pub expected_value_plan: f64,
}

/// Everything `parkplan robust` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RobustReport {
    pub park: String,
    pub objective: &'static str,
    pub unit: &'static str,
    pub samples: usize,
    pub seed: u64,
    pub parameters: Vec<ParamRow>,
    pub correlated: Vec<GroupRow>,
    /// Scenarios whose search hit the node limit (their best plan is used).
    pub unproven: usize,
    /// The scenario optimum's objective, annual benefit (CNY/yr) and CO2 reduction (t/yr).
    pub optimum: Spread,
    pub benefit: Spread,
    pub co2: Spread,
    /// Options built in some scenario's optimum or in either plan, most often built first.
    pub options: Vec<OptionRow>,
    /// The plan at the file's values, or the plan given.
    pub reference: PlanRisk,
    /// The plan that maximizes the mean objective over the scenarios.
    pub expected_value_plan: PlanRisk,
    /// Which plan to prefer and why.
    pub recommendation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tornado: Option<Tornado>,
    pub scenarios: Vec<ScenarioRow>,
}

/// A resolved uncertain parameter: where its value goes.
enum Slot {
    Econ(usize),
    Energy(usize),
    Tech(TechSetter),
}

/// The park compiled once, with what a scenario needs to re-derive its table.
struct Engine<'a> {
    park: &'a Park,
    spec: &'a Uncertainty,
    obj: Objective,
    template: Options,
    /// Technologies that appear in the table: (strategy, catalogue index).
    techs: Vec<(Strategy, usize)>,
    /// Per item, its index in `techs`.
    item_tech: Vec<usize>,
    slots: Vec<Slot>,
    /// Per variable, its correlation (shared-factor loading) and group.
    group_of: Vec<Option<(usize, f64)>>,
    seed: u64,
}

/// A thread's private copy of what a scenario changes.
#[derive(Clone)]
struct Scratch {
    econ: Economics,
    cat: Catalogue,
    energy: Option<Energy>,
    opts: Options,
    coefs: Vec<Coefficients>,
    values: Vec<f64>,
    factors: Vec<f64>,
    /// The park with the scenario's parameters, kept only for parks with
    /// resource rows: their rows are rebuilt from it (a capture rate changes
    /// the biomass a tonne needs, a price the value of a surplus MWh).
    rows_park: Option<Park>,
}

/// One scenario's result, before the statistics.
struct Sample {
    optimum: f64,
    benefit: f64,
    co2: f64,
    proven: bool,
    built: Vec<Built>,
    reference: f64,
    reference_over: bool,
}

/// Per-item sums of a chunk's coefficients (objective per unit, objective
/// paid once, capex per unit, capex paid once) and of budget and alpha.
#[derive(Clone)]
struct Sums {
    item: Vec<[f64; 4]>,
    budget: f64,
    alpha: f64,
}

fn tech_coef(
    s: Strategy,
    i: usize,
    e: &Economics,
    cat: &Catalogue,
    en: Option<&Energy>,
) -> Coefficients {
    let zero = Coefficients {
        capex_per_unit: 0.0,
        capex_fixed: 0.0,
        income_per_unit: 0.0,
        co2_per_unit: 0.0,
    };
    match s {
        Strategy::Fcs => model::fcs::coefficients(&cat.fcs[i], e, cat.fcs_project_development_cny),
        Strategy::Ccu => model::ccu::coefficients(&cat.ccu[i], e),
        Strategy::Whr => model::whr::coefficients(&cat.whr[i], e),
        Strategy::Pv => model::pv::coefficients(&cat.pv[i], e),
        Strategy::Dac => en.map_or(zero, |en| model::dac::coefficients(&cat.dac[i], e, en)),
        Strategy::Beccs => en.map_or(zero, |en| model::beccs::coefficients(&cat.beccs[i], e, en)),
        Strategy::Biochar => en.map_or(zero, |en| {
            model::biochar::coefficients(&cat.biochar[i], e, en)
        }),
    }
}

/// A uniform number in the open interval (0, 1) from 53 random bits.
fn open_unit(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

impl<'a> Engine<'a> {
    fn new(park: &'a Park, spec: &'a Uncertainty, obj: Objective, seed: u64) -> Engine<'a> {
        let template = model::compile(park);
        let mut techs: Vec<(Strategy, usize)> = Vec::new();
        let item_tech = template
            .items
            .iter()
            .map(|it| {
                let ci = tech_index(&park.catalogue, it.strategy, it.tech).unwrap_or(0);
                match techs.iter().position(|&t| t == (it.strategy, ci)) {
                    Some(k) => k,
                    None => {
                        techs.push((it.strategy, ci));
                        techs.len() - 1
                    }
                }
            })
            .collect();
        let slots = spec
            .vars
            .iter()
            .map(|v| match v.target {
                Target::Economics(i) => Slot::Econ(i),
                Target::Energy(i) => Slot::Energy(i),
                Target::Tech {
                    strategy,
                    code,
                    field,
                } => Slot::Tech(
                    tech_setter(&park.catalogue, strategy, code, field)
                        .unwrap_or_else(|| Box::new(|_, _| {})),
                ),
            })
            .collect();
        let mut group_of = vec![None; spec.vars.len()];
        for (g, grp) in spec.groups.iter().enumerate() {
            for &v in &grp.vars {
                group_of[v] = Some((g, grp.rho));
            }
        }
        Engine {
            park,
            spec,
            obj,
            template,
            techs,
            item_tech,
            slots,
            group_of,
            seed,
        }
    }

    fn scratch(&self) -> Scratch {
        Scratch {
            econ: self.park.economics.clone(),
            cat: self.park.catalogue.clone(),
            energy: self.park.energy.clone(),
            opts: self.template.clone(),
            coefs: Vec::with_capacity(self.techs.len()),
            values: vec![0.0; self.spec.vars.len()],
            factors: vec![0.0; self.spec.groups.len()],
            rows_park: (!self.template.rows.is_empty()).then(|| self.park.clone()),
        }
    }

    /// Draws scenario `index` into `s.values`: its own ChaCha8 stream
    /// (stream = index) of the run's seed, so any thread draws the same.
    fn draw(&self, index: usize, s: &mut Scratch) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(index as u64);
        for f in s.factors.iter_mut() {
            *f = norm_quantile(open_unit(&mut rng));
        }
        for (k, v) in self.spec.vars.iter().enumerate() {
            let u = open_unit(&mut rng);
            let u = match self.group_of[k] {
                None => u,
                Some((g, rho)) => {
                    let z = rho.sqrt() * s.factors[g] + (1.0 - rho).sqrt() * norm_quantile(u);
                    norm_cdf(z).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0)
                }
            };
            s.values[k] = v.dist.quantile(u);
        }
    }

    /// Writes `s.values` into the scratch park and re-derives the table.
    fn apply(&self, s: &mut Scratch) {
        for (k, slot) in self.slots.iter().enumerate() {
            let v = s.values[k];
            match slot {
                Slot::Econ(i) => (PARAMS[*i].set)(&mut s.econ, v),
                Slot::Energy(i) => {
                    if let Some(en) = s.energy.as_mut() {
                        (ENERGY_PARAMS[*i].set)(en, v);
                    }
                }
                Slot::Tech(set) => set(&mut s.cat, v),
            }
        }
        s.coefs.clear();
        for &(st, i) in &self.techs {
            s.coefs
                .push(tech_coef(st, i, &s.econ, &s.cat, s.energy.as_ref()));
        }
        for (it, &t) in s.opts.items.iter_mut().zip(&self.item_tech) {
            it.coef = s.coefs[t];
        }
        s.opts.budget_cny = s.econ.capex_cap_cny;
        s.opts.alpha = s.econ.alpha();
        if let Some(park) = s.rows_park.as_mut() {
            // `clone_from` reuses the scratch park's allocations.
            park.economics.clone_from(&s.econ);
            park.catalogue.clone_from(&s.cat);
            park.energy.clone_from(&s.energy);
            s.opts.rows = model::rows::compile_rows(park, &s.opts);
        }
    }

    fn solve(&self, s: &Scratch, cancel: &CancelToken) -> Result<crate::Solution, RobustError> {
        self.solve_by(&s.opts, None, cancel)
    }

    /// The exact solve of `opts`, ending by `until` if given.
    fn solve_by(
        &self,
        opts: &Options,
        until: Option<std::time::Instant>,
        cancel: &CancelToken,
    ) -> Result<crate::Solution, RobustError> {
        let r = match until {
            None => exact::solve_with(opts, self.obj, NODES, cancel),
            Some(t) => {
                // A little past `until`, so that the token (fired at `until`)
                // stops the search; the deadline bounds the LPs, which do not
                // see the token.
                let left = t.saturating_duration_since(std::time::Instant::now());
                let left = left.as_secs_f64() + UNTIL_GRACE_S;
                exact::solve_limited(opts, self.obj, NODES, left, cancel)
            }
        };
        if cancel.is_cancelled() {
            // Ended by the time limit, or after it: not a whole solve.
            return Err(RobustError::Cancelled);
        }
        r.map_err(|e| match e {
            SolveError::Cancelled | SolveError::TooLarge { .. } => RobustError::Cancelled,
        })
    }

    fn add_sums(&self, s: &Scratch, sums: &mut Sums) {
        for (i, acc) in sums.item.iter_mut().enumerate() {
            let c = &s.opts.items[i].coef;
            acc[0] += s.opts.value_per_unit(i, self.obj);
            acc[1] += s.opts.value_fixed(i, self.obj);
            acc[2] += c.capex_per_unit;
            acc[3] += c.capex_fixed;
        }
        sums.budget += s.opts.budget_cny;
        sums.alpha += s.opts.alpha;
    }
}

/// Scenario `index` of a run with `seed` as a whole park (a second way to
/// build its table: `model::compile` of it equals the run's fast path).
pub fn draw_park(park: &Park, spec: &Uncertainty, seed: u64, index: usize) -> Park {
    let eng = Engine::new(park, spec, Objective::Economic, seed);
    let mut s = eng.scratch();
    eng.draw(index, &mut s);
    eng.apply(&mut s);
    let mut p = park.clone();
    p.economics = s.econ;
    p.catalogue = s.cat;
    p.energy = s.energy;
    p
}

fn over_budget(plan: &Plan, opts: &Options) -> bool {
    plan.capex(opts) > opts.budget_cny * (1.0 + 1e-9) + 1e-6
}

/// Percentile by linear interpolation between order statistics (type 7 of
/// Hyndman and Fan, numpy's default) of sorted data.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// [`percentile`] of `zeros` zeros followed by the sorted non-negative `rest`.
fn percentile_with_zeros(zeros: usize, rest: &[f64], p: f64) -> f64 {
    let n = zeros + rest.len();
    if n == 0 {
        return 0.0;
    }
    let at = |j: usize| if j < zeros { 0.0 } else { rest[j - zeros] };
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    at(lo) + (h - lo as f64) * (at(hi) - at(lo))
}

fn spread(values: &[f64]) -> Spread {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len().max(1) as f64;
    Spread {
        mean: values.iter().sum::<f64>() / n,
        p5: percentile(&v, 0.05),
        p50: percentile(&v, 0.5),
        p95: percentile(&v, 0.95),
        min: v.first().copied().unwrap_or(0.0),
        max: v.last().copied().unwrap_or(0.0),
    }
}

fn regret(optima: &[f64], values: &[f64], scale: f64) -> Regret {
    let r: Vec<f64> = optima.iter().zip(values).map(|(o, v)| o - v).collect();
    let s = spread(&r);
    let pct = |x: f64| (scale.abs() > 1e-9).then(|| 100.0 * x / scale.abs());
    Regret {
        mean: s.mean,
        p50: s.p50,
        p95: s.p95,
        max: s.max,
        p50_pct: pct(s.p50),
        p95_pct: pct(s.p95),
        max_pct: pct(s.max),
    }
}

fn describe(plan: &Plan, opts: &Options) -> Vec<String> {
    plan.built()
        .map(|b| {
            let it = &opts.items[b.item];
            format!(
                "region {} {} {} {} {}",
                it.region_id,
                it.strategy,
                it.tech,
                crate::report::group_thousands(b.capacity, if b.capacity < 100.0 { 2 } else { 0 }),
                it.strategy.unit()
            )
        })
        .collect()
}

/// Whether two plans build the same options at the same capacities (to 1e-6).
fn same_plan(a: &Plan, b: &Plan) -> bool {
    a.choice.len() == b.choice.len()
        && a.choice.iter().zip(&b.choice).all(|(x, y)| match (x, y) {
            (None, None) => true,
            (Some(x), Some(y)) => {
                x.item == y.item
                    && (x.capacity - y.capacity).abs() <= 1e-6 * x.capacity.abs().max(1.0)
            }
            _ => false,
        })
}

/// Runs the scenarios. `reference` is the plan to judge (over `compile(park)`);
/// `None` solves the park at its file's values. `progress` is called from
/// worker threads as chunks of scenarios finish; `cancel` stops the run within
/// one scenario's solve.
pub fn run(
    park: &Park,
    spec: &Uncertainty,
    cfg: &Config,
    reference: Option<&Plan>,
    progress: &(dyn Fn(Tick) + Sync),
    cancel: &CancelToken,
) -> Result<RobustReport, RobustError> {
    run_until(park, spec, cfg, reference, progress, cancel, None).map(|(r, _)| r)
}

/// Seconds past the time limit a solve's own deadline lies ([`Engine::solve_by`]).
const UNTIL_GRACE_S: f64 = 0.1;

/// Seconds the plan best on average may take once a run has been stopped
/// (its own exact solve; proven at once on small parks).
const STOPPED_EV_SECONDS: f64 = 0.2;

/// [`run`] with a time limit: every solve ends by `until` (the LP solves of
/// parks with resource rows see deadlines, not tokens), and a cancel (the
/// time limit's, fired at `until`) is answered with the report over the
/// scenarios solved by then instead of an error: the
/// first `m` scenarios (`m` in the report's `samples`), the same report as a
/// run with `--samples m` (the plan best on average then gets at most
/// [`STOPPED_EV_SECONDS`]), and no tornado. The flag says whether the run
/// was whole. [`RobustError::NoneInTime`] when not one scenario was solved.
pub fn run_until(
    park: &Park,
    spec: &Uncertainty,
    cfg: &Config,
    reference: Option<&Plan>,
    progress: &(dyn Fn(Tick) + Sync),
    cancel: &CancelToken,
    until: Option<std::time::Instant>,
) -> Result<(RobustReport, bool), RobustError> {
    let keep_partial = until.is_some();
    let stopped = || {
        if keep_partial {
            RobustError::NoneInTime
        } else {
            RobustError::Cancelled
        }
    };
    if spec.is_empty() {
        return Err(RobustError::NothingUncertain);
    }
    if cfg.samples == 0 || cfg.samples > MAX_SAMPLES {
        return Err(RobustError::Samples(cfg.samples));
    }
    let obj = cfg.objective;
    let eng = Engine::new(park, spec, obj, cfg.seed);
    let base = &eng.template;
    let reference = match reference {
        Some(p) => {
            // Over the cap is allowed (and reported): exported capacities are rounded.
            match p.check(base) {
                Ok(()) | Err(crate::plan::Infeasible::Budget { .. }) => {}
                Err(e) => return Err(RobustError::Plan(e.to_string())),
            }
            p.clone()
        }
        None => {
            eng.solve_by(base, until, cancel)
                .map_err(|_| stopped())?
                .plan
        }
    };
    let n = cfg.samples;
    let chunks = n.div_ceil(CHUNK);
    let done = AtomicUsize::new(0);
    let items = base.items.len();
    let empty_sums = Sums {
        item: vec![[0.0; 4]; items],
        budget: 0.0,
        alpha: 0.0,
    };
    // Pass 1: every scenario solved; the reference plan valued in it. A
    // chunk stopped part way keeps the scenarios it solved, in order.
    let results: Vec<(Vec<Sample>, Sums, bool)> = (0..chunks)
        .into_par_iter()
        .map_init(
            || eng.scratch(),
            |s, c| {
                let mut sums = empty_sums.clone();
                let mut out = Vec::with_capacity(CHUNK);
                for index in c * CHUNK..((c + 1) * CHUNK).min(n) {
                    if cancel.is_cancelled() {
                        return (out, sums, false);
                    }
                    eng.draw(index, s);
                    eng.apply(s);
                    let Ok(sol) = eng.solve_by(&s.opts, until, cancel) else {
                        return (out, sums, false);
                    };
                    eng.add_sums(s, &mut sums);
                    out.push(Sample {
                        optimum: sol.value,
                        benefit: sol.plan.objective(&s.opts, Objective::Economic),
                        co2: sol.plan.objective(&s.opts, Objective::Carbon),
                        proven: sol.proven_optimal,
                        built: sol.plan.built().collect(),
                        reference: reference.objective(&s.opts, obj),
                        reference_over: over_budget(&reference, &s.opts),
                    });
                }
                let d = done.fetch_add(out.len(), Ordering::Relaxed) + out.len();
                progress(Tick { done: d, total: n });
                (out, sums, true)
            },
        )
        .collect();
    let whole = results.iter().all(|r| r.2);
    if !whole && !keep_partial {
        return Err(RobustError::Cancelled);
    }
    // The scenarios 0..m solved without a gap (chunks are contiguous
    // indices, so that the sums add up as in a run of m scenarios).
    let mut samples = Vec::with_capacity(n);
    let mut sums = empty_sums.clone();
    for (out, part, chunk_whole) in results {
        samples.extend(out);
        for (a, b) in sums.item.iter_mut().zip(&part.item) {
            for k in 0..4 {
                a[k] += b[k];
            }
        }
        sums.budget += part.budget;
        sums.alpha += part.alpha;
        if !chunk_whole {
            break;
        }
    }
    let n = samples.len();
    if n == 0 {
        return Err(stopped());
    }
    // The mean table: the objective is linear in the coefficients, so a
    // plan's mean value over the scenarios is its value on this table.
    let nf = n as f64;
    let mut mean = base.clone();
    mean.alpha = sums.alpha / nf;
    mean.budget_cny = sums.budget / nf;
    for (it, acc) in mean.items.iter_mut().zip(&sums.item) {
        let [v, _f, c, cf] = acc.map(|x| x / nf);
        it.coef.capex_per_unit = c;
        it.coef.capex_fixed = cf;
        match obj {
            Objective::Economic => it.coef.income_per_unit = v + mean.alpha * c,
            Objective::Carbon => it.coef.co2_per_unit = v,
        }
    }
    let mut whole = whole;
    let ev = match whole {
        true => eng.solve_by(&mean, until, cancel).ok(),
        false => None,
    };
    let ev = match ev {
        Some(ev) => ev,
        None if keep_partial => {
            // Stopped: the cancel has fired, so this solve gets its own short limit.
            whole = false;
            exact::solve_limited(&mean, obj, NODES, STOPPED_EV_SECONDS, &CancelToken::new())
                .map_err(|_| RobustError::NoneInTime)?
        }
        None => return Err(RobustError::Cancelled),
    };
    let ev_plan = ev.plan;
    let chunks = n.div_ceil(CHUNK);
    // Pass 2: the plan best on average valued in every scenario (tables re-derived, no solve).
    let ev_values: Vec<(f64, bool)> = (0..chunks)
        .into_par_iter()
        .map_init(
            || eng.scratch(),
            |s, c| {
                (c * CHUNK..((c + 1) * CHUNK).min(n))
                    .map(|index| {
                        eng.draw(index, s);
                        eng.apply(s);
                        (
                            ev_plan.objective(&s.opts, obj),
                            over_budget(&ev_plan, &s.opts),
                        )
                    })
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect();
    if whole && cancel.is_cancelled() && !keep_partial {
        return Err(RobustError::Cancelled);
    }
    // The tornado runs only after every scenario, and is left out when stopped.
    let tornado = if cfg.tornado && whole {
        match tornado(&eng, cancel) {
            Ok(t) => Some(t),
            Err(_) if keep_partial => {
                whole = false;
                None
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    Ok((
        assemble(
            &eng, &mean, cfg, &samples, &reference, &ev_plan, &ev_values, tornado,
        ),
        whole,
    ))
}

fn tornado(eng: &Engine, cancel: &CancelToken) -> Result<Tornado, RobustError> {
    let medians: Vec<f64> = eng.spec.vars.iter().map(|v| v.dist.median()).collect();
    let k = medians.len();
    // Case 0: all medians; then (var, P10) and (var, P90).
    let cases: Vec<Vec<f64>> = std::iter::once(medians.clone())
        .chain((0..k).flat_map(|j| {
            [0.1, 0.9].map(|p| {
                let mut v = medians.clone();
                v[j] = eng.spec.vars[j].dist.quantile(p);
                v
            })
        }))
        .collect();
    let optima: Vec<f64> = cases
        .par_iter()
        .map_init(
            || eng.scratch(),
            |s, vals| {
                s.values.copy_from_slice(vals);
                eng.apply(s);
                eng.solve(s, cancel).map(|sol| sol.value)
            },
        )
        .collect::<Result<_, _>>()?;
    let mut rows: Vec<TornadoRow> = (0..k)
        .map(|j| {
            let (lo, hi) = (optima[1 + 2 * j], optima[2 + 2 * j]);
            TornadoRow {
                key: eng.spec.vars[j].key.clone(),
                low_value: cases[1 + 2 * j][j],
                high_value: cases[2 + 2 * j][j],
                optimum_at_low: lo,
                optimum_at_high: hi,
                swing: (hi - lo).abs(),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.swing.total_cmp(&a.swing).then_with(|| a.key.cmp(&b.key)));
    Ok(Tornado {
        optimum_at_medians: optima[0],
        rows,
    })
}

#[allow(clippy::too_many_arguments)]
fn plan_risk(
    label: String,
    plan: &Plan,
    base: &Options,
    mean: &Options,
    obj: Objective,
    optima: &[f64],
    values: &[f64],
    over: usize,
    scale: f64,
) -> PlanRisk {
    PlanRisk {
        label,
        value: spread(values),
        regret: regret(optima, values, scale),
        over_budget_share: over as f64 / optima.len().max(1) as f64,
        capex_at_file_values: plan.capex(base),
        value_on_mean_table: plan.objective(mean, obj),
        built: describe(plan, base),
    }
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    eng: &Engine,
    mean: &Options,
    cfg: &Config,
    samples: &[Sample],
    reference: &Plan,
    ev_plan: &Plan,
    ev_values: &[(f64, bool)],
    tornado: Option<Tornado>,
) -> RobustReport {
    let base = &eng.template;
    let unit = cfg.objective.unit();
    let optima: Vec<f64> = samples.iter().map(|s| s.optimum).collect();
    let optimum = spread(&optima);
    let ref_values: Vec<f64> = samples.iter().map(|s| s.reference).collect();
    let ev_vals: Vec<f64> = ev_values.iter().map(|v| v.0).collect();
    let scale = optimum.mean;
    let ref_risk = plan_risk(
        "the plan at the file's values".into(),
        reference,
        base,
        mean,
        cfg.objective,
        &optima,
        &ref_values,
        samples.iter().filter(|s| s.reference_over).count(),
        scale,
    );
    let ev_risk = plan_risk(
        "the plan best on average".into(),
        ev_plan,
        base,
        mean,
        cfg.objective,
        &optima,
        &ev_vals,
        ev_values.iter().filter(|v| v.1).count(),
        scale,
    );
    // Per option: the capacities where built.
    let mut caps: Vec<Vec<f64>> = vec![Vec::new(); base.items.len()];
    for s in samples {
        for b in &s.built {
            caps[b.item].push(b.capacity);
        }
    }
    // Capacity per item, once: a search of the plan per item was quadratic
    // (about 1 s on 10,000 regions).
    let caps_of = |plan: &Plan| {
        let mut v = vec![0.0; base.items.len()];
        for b in plan.built() {
            v[b.item] = b.capacity;
        }
        v
    };
    let (ref_caps, ev_caps) = (caps_of(reference), caps_of(ev_plan));
    let n = samples.len();
    let mut options: Vec<OptionRow> = caps
        .iter_mut()
        .enumerate()
        .filter(|(i, c)| !c.is_empty() || ref_caps[*i] > 0.0 || ev_caps[*i] > 0.0)
        .map(|(i, c)| {
            c.sort_by(f64::total_cmp);
            let it = &base.items[i];
            let zeros = n - c.len();
            OptionRow {
                region: it.region_id,
                region_name: it.region_name.clone(),
                strategy: it.strategy,
                technology: it.tech,
                technology_name: it.tech_name.clone(),
                unit: it.strategy.unit(),
                share: c.len() as f64 / n as f64,
                p10: percentile_with_zeros(zeros, c, 0.1),
                p50: percentile_with_zeros(zeros, c, 0.5),
                p90: percentile_with_zeros(zeros, c, 0.9),
                reference: ref_caps[i],
                expected_value_plan: ev_caps[i],
            }
        })
        .collect();
    options.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then(a.region.cmp(&b.region))
            .then(a.strategy.cmp(&b.strategy))
            .then(a.technology.cmp(&b.technology))
    });
    let recommendation = recommend(reference, ev_plan, &ref_risk, &ev_risk, unit);
    let parameters = eng
        .spec
        .vars
        .iter()
        .map(|v| ParamRow {
            key: v.key.clone(),
            unit: v.target.unit(),
            distribution: v.dist.spec(),
            file_value: v.target.get(eng.park),
            p10: v.dist.quantile(0.1),
            p50: v.dist.quantile(0.5),
            p90: v.dist.quantile(0.9),
        })
        .collect();
    let correlated = eng
        .spec
        .groups
        .iter()
        .map(|g| GroupRow {
            keys: g
                .vars
                .iter()
                .map(|&i| eng.spec.vars[i].key.clone())
                .collect(),
            rho: g.rho,
        })
        .collect();
    let scenarios = samples
        .iter()
        .zip(ev_values)
        .map(|(s, e)| ScenarioRow {
            optimum: s.optimum,
            benefit: s.benefit,
            co2: s.co2,
            reference: s.reference,
            expected_value_plan: e.0,
        })
        .collect();
    RobustReport {
        park: eng.park.name.clone(),
        objective: cfg.objective.name(),
        unit,
        samples: n,
        seed: cfg.seed,
        parameters,
        correlated,
        unproven: samples.iter().filter(|s| !s.proven).count(),
        optimum,
        benefit: spread(&samples.iter().map(|s| s.benefit).collect::<Vec<_>>()),
        co2: spread(&samples.iter().map(|s| s.co2).collect::<Vec<_>>()),
        options,
        reference: ref_risk,
        expected_value_plan: ev_risk,
        recommendation,
        tornado,
        scenarios,
    }
}

fn money(x: f64, unit: &str) -> String {
    format!("{} {unit}", crate::report::group_thousands(x, 0))
}

/// The advice, in words: the plan best on average is never worse on
/// average; the question is whether it also has the smaller bad-case regret.
fn recommend(reference: &Plan, ev: &Plan, r: &PlanRisk, e: &PlanRisk, unit: &str) -> String {
    if same_plan(reference, ev) {
        return format!(
            "The plan at the file's values is also the plan best on average: choose it. Its mean regret is {} and in 95 % of scenarios it is within {} of that scenario's optimum.",
            money(r.regret.mean, unit),
            money(r.regret.p95, unit)
        );
    }
    let gain = e.value.mean - r.value.mean;
    if gain < 0.0 {
        return format!(
            "The plan at the file's values averages {} more than the plan best on average, but only by spending more than the capital cap at the mean costs (it is over the cap in {:.0} % of scenarios, the plan best on average in {:.0} %). Within the cap, prefer the plan best on average; choose the file's plan only if the cap can stretch.",
            money(-gain, unit),
            100.0 * r.over_budget_share,
            100.0 * e.over_budget_share
        );
    }
    let budget = if e.over_budget_share > r.over_budget_share && e.over_budget_share > 0.0 {
        format!(
            " Note that it exceeds the capital cap in {:.0} % of scenarios (the file's plan in {:.0} %).",
            100.0 * e.over_budget_share,
            100.0 * r.over_budget_share
        )
    } else {
        String::new()
    };
    if e.regret.p95 <= r.regret.p95 {
        format!(
            "Prefer the plan best on average: it yields {} more on average and its P95 regret is lower ({} against {}), so it is the better choice whatever the planner's attitude to risk.{budget}",
            money(gain, unit),
            money(e.regret.p95, unit),
            money(r.regret.p95, unit)
        )
    } else {
        format!(
            "The plan best on average yields {} more on average, but the plan at the file's values has the lower P95 regret ({} against {}): a planner who judges by the expected outcome should prefer the plan best on average; one who must limit a bad outcome, the plan at the file's values.{budget}",
            money(gain, unit),
            money(r.regret.p95, unit),
            money(e.regret.p95, unit)
        )
    }
}

/// Reads a plan as `solve --format json` and the console's export write it
/// (its `plan` array of region, strategy, technology, capacity) onto `opts`.
pub fn plan_from_json(text: &str, opts: &Options) -> Result<Plan, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let rows = doc
        .get("plan")
        .and_then(|p| p.as_array())
        .ok_or("expected a `plan` array, as `parkplan solve --format json` writes")?;
    let mut plan = Plan::empty(opts);
    for (k, row) in rows.iter().enumerate() {
        let field = |name: &str| row.get(name).ok_or(format!("plan[{k}]: missing `{name}`"));
        let region = field("region")?
            .as_u64()
            .ok_or(format!("plan[{k}].region: expected a whole number"))?;
        let strategy = field("strategy")?
            .as_str()
            .and_then(Strategy::parse)
            .ok_or(format!(
                "plan[{k}].strategy: expected FCS, CCU, WHR, PV, DAC, BECCS or BIOCHAR"
            ))?;
        let tech = field("technology")?
            .as_u64()
            .ok_or(format!("plan[{k}].technology: expected a whole number"))?;
        let capacity = field("capacity")?
            .as_f64()
            .filter(|c| c.is_finite() && *c >= 0.0)
            .ok_or(format!("plan[{k}].capacity: expected a number >= 0"))?;
        let item = opts
            .items
            .iter()
            .position(|it| u64::from(it.region_id) == region && it.strategy == strategy && u64::from(it.tech) == tech)
            .ok_or(format!(
                "plan[{k}]: region {region} {strategy} technology {tech} is not an option of this park"
            ))?;
        let g = opts
            .groups
            .iter()
            .position(|g| g.items.contains(&item))
            .ok_or(format!("plan[{k}]: option without a group"))?;
        if plan.choice[g].is_some() {
            return Err(format!(
                "plan[{k}]: region {region} already has an option of this group (one per slot, FCS and PV share an empty lot)"
            ));
        }
        let it = &opts.items[item];
        // Exported capacities are rounded: snap to the bound within 1e-6.
        let tol = 1e-6 * it.hi.max(1.0);
        if capacity < it.lo - tol || capacity > it.hi + tol {
            return Err(format!(
                "plan[{k}]: capacity {capacity} outside [{}, {}] {}",
                it.lo,
                it.hi,
                strategy.unit()
            ));
        }
        plan.choice[g] = Some(Built {
            item,
            capacity: capacity.clamp(it.lo, it.hi),
        });
    }
    Ok(plan)
}

/// A number for a table: grouped whole numbers from 100 up, else 2 decimals
/// (4 significant digits below 1).
pub fn fmt_value(x: f64) -> String {
    let a = x.abs();
    if a >= 100.0 || a == 0.0 {
        crate::report::group_thousands(x, 0)
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        let d = (-a.log10()).floor() as usize + 4;
        let s = format!("{x:.d$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Columns padded to their widest cell (nothing is cut); `right` aligns numbers.
fn grid(rows: &[Vec<String>], right: &[bool]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from(" ");
        for (c, cell) in r.iter().enumerate() {
            let pad = width[c] - cell.chars().count();
            line.push(' ');
            if right.get(c).copied().unwrap_or(false) {
                line += &" ".repeat(pad);
                line += cell;
            } else {
                line += cell;
                line += &" ".repeat(pad);
            }
            line.push(' ');
        }
        out += line.trim_end();
        out.push('\n');
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.1} %", 100.0 * x)
}

/// Wraps words to `width` columns with an indent.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(indent);
    for w in text.split_whitespace() {
        if line.len() > indent.len() && line.chars().count() + 1 + w.chars().count() > width {
            out += line.trim_end();
            out.push('\n');
            line = String::from(indent);
        }
        if line.len() > indent.len() {
            line.push(' ');
        }
        line += w;
    }
    out += line.trim_end();
    out.push('\n');
    out
}

impl RobustReport {
    /// The report as text tables (80 columns wide for parks with short keys).
    pub fn to_table(&self) -> String {
        let mut head = format!(
            "objective: {} ({}); {} scenarios, seed {}",
            self.objective,
            self.unit,
            crate::report::group_thousands(self.samples as f64, 0),
            self.seed
        );
        if self.unproven > 0 {
            head += &format!("; {} not proven optimal (node limit)", self.unproven);
        }
        let mut o = wrap(&self.park, 78, "") + &wrap(&head, 78, "");
        o += "\nUncertain parameters\n";
        let mut rows = vec![vec![
            "key".to_string(),
            "file".into(),
            "P10".into(),
            "P50".into(),
            "P90".into(),
            "unit".into(),
        ]];
        for p in &self.parameters {
            rows.push(vec![
                p.key.clone(),
                fmt_value(p.file_value),
                fmt_value(p.p10),
                fmt_value(p.p50),
                fmt_value(p.p90),
                p.unit.into(),
            ]);
        }
        o += &grid(&rows, &[false, true, true, true, true, false]);
        let rows: Vec<Vec<String>> = self
            .parameters
            .iter()
            .map(|p| vec![p.key.clone(), p.distribution.clone()])
            .collect();
        o += "drawn from\n";
        o += &grid(&rows, &[false, false]);
        for g in &self.correlated {
            o += &wrap(
                &format!("correlated (rho {}): {}", g.rho, g.keys.join(", ")),
                78,
                "  ",
            );
        }
        o += "\nScenario optimum\n";
        let mut rows = vec![vec![
            String::new(),
            "mean".into(),
            "P5".into(),
            "P50".into(),
            "P95".into(),
        ]];
        for (name, s) in [
            ("annual benefit (CNY/yr)", &self.benefit),
            ("CO2 reduction (t/yr)", &self.co2),
        ] {
            rows.push(vec![
                name.to_string(),
                fmt_value(s.mean),
                fmt_value(s.p5),
                fmt_value(s.p50),
                fmt_value(s.p95),
            ]);
        }
        o += &grid(&rows, &[false, true, true, true, true]);
        o += "\nOptions: share of scenarios whose optimum builds them; capacity P10/P50/P90\n";
        let mut rows = vec![vec![
            "region".to_string(),
            "option".into(),
            "share".into(),
            "P10".into(),
            "P50".into(),
            "P90".into(),
            "unit".into(),
            "file plan".into(),
            "best avg".into(),
        ]];
        for r in &self.options {
            rows.push(vec![
                r.region.to_string(),
                format!("{} {}", r.strategy, r.technology),
                pct(r.share),
                fmt_value(r.p10),
                fmt_value(r.p50),
                fmt_value(r.p90),
                r.unit.into(),
                fmt_value(r.reference),
                fmt_value(r.expected_value_plan),
            ]);
        }
        o += &grid(
            &rows,
            &[true, false, true, true, true, true, false, true, true],
        );
        o += &format!("\nPlans judged over the scenarios ({})\n", self.unit);
        let (a, b) = (&self.reference, &self.expected_value_plan);
        let opt_pct = |x: Option<f64>| x.map_or("n/a".to_string(), |v| format!("{v:.1} %"));
        let rows = vec![
            vec![
                String::new(),
                "file's values".into(),
                "best on average".into(),
            ],
            vec![
                "mean value".into(),
                fmt_value(a.value.mean),
                fmt_value(b.value.mean),
            ],
            vec![
                "P5 value".into(),
                fmt_value(a.value.p5),
                fmt_value(b.value.p5),
            ],
            vec![
                "regret P50".into(),
                fmt_value(a.regret.p50),
                fmt_value(b.regret.p50),
            ],
            vec![
                "regret P95".into(),
                fmt_value(a.regret.p95),
                fmt_value(b.regret.p95),
            ],
            vec![
                "regret max".into(),
                fmt_value(a.regret.max),
                fmt_value(b.regret.max),
            ],
            vec![
                "regret P50, % of mean optimum".into(),
                opt_pct(a.regret.p50_pct),
                opt_pct(b.regret.p50_pct),
            ],
            vec![
                "regret P95, % of mean optimum".into(),
                opt_pct(a.regret.p95_pct),
                opt_pct(b.regret.p95_pct),
            ],
            vec![
                "regret max, % of mean optimum".into(),
                opt_pct(a.regret.max_pct),
                opt_pct(b.regret.max_pct),
            ],
            vec![
                "over the capital cap".into(),
                pct(a.over_budget_share),
                pct(b.over_budget_share),
            ],
            vec![
                "capex at file values (CNY)".into(),
                fmt_value(a.capex_at_file_values),
                fmt_value(b.capex_at_file_values),
            ],
        ];
        o += &grid(&rows, &[false, true, true]);
        o += "\n";
        o += &wrap(&self.recommendation, 78, "");
        if let Some(t) = &self.tornado {
            o += &format!(
                "\nTornado: the optimum with one parameter at its P10 or P90, the others at their\nmedians (optimum at the medians: {} {})\n",
                fmt_value(t.optimum_at_medians),
                self.unit
            );
            let mut rows = vec![vec![
                "key".to_string(),
                "P10".into(),
                "optimum".into(),
                "P90".into(),
                "optimum".into(),
                "swing".into(),
            ]];
            for r in &t.rows {
                rows.push(vec![
                    r.key.clone(),
                    fmt_value(r.low_value),
                    fmt_value(r.optimum_at_low),
                    fmt_value(r.high_value),
                    fmt_value(r.optimum_at_high),
                    fmt_value(r.swing),
                ]);
            }
            o += &grid(&rows, &[false, true, true, true, true, true]);
        }
        o
    }

    /// Long CSV: `section,item,field,value,unit`, one figure a row, then every scenario.
    pub fn to_csv(&self) -> String {
        crate::report::to_csv(&self.csv_rows())
    }

    /// The rows of [`RobustReport::to_csv`].
    pub fn csv_rows(&self) -> Vec<crate::report::LongRow> {
        let mut o = Vec::new();
        // Each figure with its unit (the objective's for optima and regrets).
        let obj = self.unit;
        let param_unit = |key: &str| {
            self.parameters
                .iter()
                .find(|p| p.key == key)
                .map_or("", |p| p.unit)
        };
        let mut row = |s: &'static str, item: &str, f: &'static str, v: f64, unit: &'static str| {
            o.push(crate::report::LongRow {
                section: s,
                item: item.to_string(),
                field: f,
                value: v,
                unit,
            });
        };
        for p in &self.parameters {
            row("parameter", &p.key, "file", p.file_value, p.unit);
            row("parameter", &p.key, "p10", p.p10, p.unit);
            row("parameter", &p.key, "p50", p.p50, p.unit);
            row("parameter", &p.key, "p90", p.p90, p.unit);
        }
        for (name, s, unit) in [
            ("optimum", &self.optimum, obj),
            ("benefit", &self.benefit, "CNY/yr"),
            ("co2", &self.co2, "t/yr"),
        ] {
            for (f, v) in [
                ("mean", s.mean),
                ("p5", s.p5),
                ("p50", s.p50),
                ("p95", s.p95),
                ("min", s.min),
                ("max", s.max),
            ] {
                row(name, "", f, v, unit);
            }
        }
        for r in &self.options {
            let item = format!("region {} {} {}", r.region, r.strategy, r.technology);
            row("option", &item, "share", r.share, "fraction");
            for (f, v) in [
                ("p10", r.p10),
                ("p50", r.p50),
                ("p90", r.p90),
                ("reference", r.reference),
                ("expected_value_plan", r.expected_value_plan),
            ] {
                row("option", &item, f, v, r.unit);
            }
        }
        for (name, p) in [
            ("reference", &self.reference),
            ("expected_value_plan", &self.expected_value_plan),
        ] {
            let mut fields = vec![
                ("mean", p.value.mean),
                ("p5", p.value.p5),
                ("p50", p.value.p50),
                ("p95", p.value.p95),
                ("regret_mean", p.regret.mean),
                ("regret_p50", p.regret.p50),
                ("regret_p95", p.regret.p95),
                ("regret_max", p.regret.max),
                ("over_budget_share", p.over_budget_share),
                ("capex_at_file_values", p.capex_at_file_values),
            ];
            for (f, v) in [
                ("regret_p50_pct", p.regret.p50_pct),
                ("regret_p95_pct", p.regret.p95_pct),
                ("regret_max_pct", p.regret.max_pct),
            ] {
                if let Some(v) = v {
                    fields.push((f, v));
                }
            }
            for (f, v) in fields {
                let unit = match f {
                    "over_budget_share" => "fraction",
                    "capex_at_file_values" => "CNY",
                    f if f.ends_with("_pct") => "%",
                    _ => obj,
                };
                row("plan", name, f, v, unit);
            }
        }
        if let Some(t) = &self.tornado {
            row(
                "tornado",
                "",
                "optimum_at_medians",
                t.optimum_at_medians,
                obj,
            );
            for r in &t.rows {
                let key_unit = param_unit(&r.key);
                for (f, v, unit) in [
                    ("low_value", r.low_value, key_unit),
                    ("optimum_at_low", r.optimum_at_low, obj),
                    ("high_value", r.high_value, key_unit),
                    ("optimum_at_high", r.optimum_at_high, obj),
                    ("swing", r.swing, obj),
                ] {
                    row("tornado", &r.key, f, v, unit);
                }
            }
        }
        for (k, s) in self.scenarios.iter().enumerate() {
            let item = k.to_string();
            for (f, v, unit) in [
                ("optimum", s.optimum, obj),
                ("benefit", s.benefit, "CNY/yr"),
                ("co2", s.co2, "t/yr"),
                ("reference", s.reference, obj),
                ("expected_value_plan", s.expected_value_plan, obj),
            ] {
                row("scenario", &item, f, v, unit);
            }
        }
        o
    }
}
