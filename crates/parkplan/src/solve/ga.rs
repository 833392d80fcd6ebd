//! Genetic algorithm, as the paper solves its model, built to be watched and trusted.
//!
//! Encoding: one gene per group of mutually exclusive options: which option (or
//! none) and a capacity fraction in [0, 1] mapped onto [lo, hi], so the CCU
//! minimum holds by construction. Every child is repaired to feasibility (shrink,
//! then drop, the options of lowest value per CNY until the budget holds) and then
//! grown (spend what is left on the options of highest value per CNY), and the
//! repaired genes are written back. No penalty: every individual is a feasible plan.
//!
//! Reproducible: child k of generation g draws from its own random stream derived
//! from (seed, g, k), and children are evaluated independently with rayon, so the
//! result does not depend on the number of threads.

use std::time::Instant;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

use super::progress::{CancelToken, Progress};
use super::{BoundKind, Solution, SolveError, bound};
use crate::model::{Objective, Options};
use crate::park::SolverSettings;
use crate::plan::{Built, Plan};

/// GA settings: the park's `[solver]` table plus run-time choices.
#[derive(Debug, Clone, PartialEq)]
pub struct GaConfig {
    pub settings: SolverSettings,
    /// Stop once the best is within `target_tolerance` (relative) of this value,
    /// typically the exact optimum or the LP upper bound.
    pub target: Option<f64>,
    /// Whether `target` is the proven optimum (else an upper bound).
    pub target_is_optimum: bool,
    pub target_tolerance: f64,
    /// Put the LP-greedy plan into the initial population (large parks).
    pub seed_heuristic: bool,
}

impl GaConfig {
    pub fn new(settings: SolverSettings) -> Self {
        GaConfig {
            settings,
            target: None,
            target_is_optimum: false,
            target_tolerance: 1e-6,
            seed_heuristic: false,
        }
    }
}

/// Most genes (population x option groups) a run may hold: two generations of
/// 12 bytes each, about 0.5 GB. Beyond it the run is refused, not attempted.
pub const MAX_GENES: usize = 20_000_000;

/// Why the GA stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    Generations,
    TimeLimit,
    Stall,
    Target,
}

impl StopReason {
    /// In words; `optimum` says whether the target was a proven optimum.
    pub fn describe(self, optimum: bool) -> &'static str {
        match self {
            StopReason::Target if optimum => "reached the exact optimum",
            StopReason::Target => "reached the upper bound within its tolerance",
            StopReason::Generations => "generation limit",
            StopReason::Stall => "no improvement (stall limit)",
            StopReason::TimeLimit => "time limit",
        }
    }
}

/// Precomputed per-item data so an evaluation is a few multiply-adds per group.
struct Tables<'a> {
    opts: &'a Options,
    n: usize,
    /// Per group: first item and number of items.
    first: Vec<usize>,
    count: Vec<usize>,
    group_of: Vec<usize>,
    /// Items by value per CNY, ascending (repair drops from the front, grow takes from the back).
    by_density: Vec<usize>,
    value: Vec<f64>,
    value_fixed: Vec<f64>,
    cost: Vec<f64>,
    cost_fixed: Vec<f64>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    budget: f64,
    /// Capex below this is rounding dust: 1e-9 of what can actually be spent.
    dust: f64,
    /// Resource rows (empty without `[energy]`): limits repaired, surplus charged.
    rows: &'a crate::model::Rows,
    obj: Objective,
}

impl<'a> Tables<'a> {
    fn new(opts: &'a Options, obj: Objective) -> Tables<'a> {
        let m = opts.items.len();
        let mut group_of = vec![0; m];
        for (g, grp) in opts.groups.iter().enumerate() {
            for i in grp.items.clone() {
                group_of[i] = g;
            }
        }
        let value: Vec<f64> = (0..m).map(|i| opts.value_per_unit(i, obj)).collect();
        let cost: Vec<f64> = opts.items.iter().map(|it| it.coef.capex_per_unit).collect();
        let density = |i: usize| {
            if cost[i] <= 0.0 {
                if value[i] > 0.0 {
                    f64::INFINITY
                } else {
                    value[i]
                }
            } else {
                value[i] / cost[i]
            }
        };
        let mut by_density: Vec<usize> = opts.groups.iter().flat_map(|g| g.items.clone()).collect();
        by_density.sort_by(|&a, &b| density(a).total_cmp(&density(b)).then(a.cmp(&b)));
        Tables {
            n: opts.groups.len(),
            first: opts.groups.iter().map(|g| g.items.start).collect(),
            count: opts.groups.iter().map(|g| g.items.len()).collect(),
            group_of,
            by_density,
            value_fixed: (0..m).map(|i| opts.value_fixed(i, obj)).collect(),
            value,
            cost,
            cost_fixed: opts.items.iter().map(|it| it.coef.capex_fixed).collect(),
            lo: opts.items.iter().map(|it| it.lo).collect(),
            hi: opts.items.iter().map(|it| it.hi).collect(),
            budget: opts.budget_cny,
            dust: 1e-9 * opts.budget_cny.min(opts.max_spend()).max(1.0),
            rows: &opts.rows,
            obj,
            opts,
        }
    }

    /// Sum of row `r` over a genome. Allocation-free.
    fn row_usage(&self, r: usize, choice: &[u32], frac: &[f64]) -> f64 {
        let mut u = 0.0;
        for g in 0..self.n {
            if let Some(i) = self.item(g, choice[g]) {
                for &(rr, a) in &self.rows.by_item[i] {
                    if rr as usize == r {
                        u += a * self.capacity(i, frac[g]);
                    }
                }
            }
        }
        u
    }

    /// Shrinks, then drops, the least valuable options using a limit row until
    /// every limit row holds.
    fn repair_rows(&self, choice: &mut [u32], frac: &mut [f64]) {
        for (r, row) in self.rows.rows.iter().enumerate() {
            if row.credit.is_some() {
                continue;
            }
            let tol = 1e-9 * row.rhs.abs().max(1.0);
            let mut used = self.row_usage(r, choice, frac);
            if used <= row.rhs + tol {
                continue;
            }
            for &i in &self.by_density {
                let g = self.group_of[i];
                if self.item(g, choice[g]) != Some(i) {
                    continue;
                }
                let a: f64 = self.rows.by_item[i]
                    .iter()
                    .filter(|(rr, _)| *rr as usize == r)
                    .map(|(_, a)| *a)
                    .sum();
                if a <= 0.0 {
                    continue;
                }
                let cap = self.capacity(i, frac[g]);
                let excess = used - row.rhs;
                if a * (cap - self.lo[i]) >= excess {
                    frac[g] = self.frac(i, cap - excess / a);
                    break;
                }
                choice[g] = 0;
                frac[g] = 0.0;
                used -= a * cap;
                if used <= row.rhs + tol {
                    break;
                }
            }
        }
    }

    /// Value the credit rows take back (model::rows): each surplus charged to
    /// the cheapest producers first. Allocation-free.
    fn surplus_loss(&self, choice: &[u32], frac: &[f64]) -> f64 {
        let mut loss = 0.0;
        for (r, row) in self.rows.rows.iter().enumerate() {
            let Some(credit) = &row.credit else { continue };
            let mut left = (self.row_usage(r, choice, frac) - row.rhs).max(0.0);
            if left <= 0.0 {
                continue;
            }
            if self.obj == Objective::Carbon {
                loss += credit.co2_per_unit * left;
                continue;
            }
            for (k, class) in credit.classes.iter().enumerate() {
                if left <= 0.0 {
                    break;
                }
                let mut made = 0.0;
                for g in 0..self.n {
                    if let Some(i) = self.item(g, choice[g]) {
                        for &(rr, kk, p) in &self.rows.produces[i] {
                            if rr as usize == r && kk as usize == k {
                                made += p * self.capacity(i, frac[g]);
                            }
                        }
                    }
                }
                let s = left.min(made);
                loss += class.money_per_unit * s;
                left -= s;
            }
        }
        loss
    }

    /// Item chosen by gene value `c` (0 = none) in group `g`.
    #[inline]
    fn item(&self, g: usize, c: u32) -> Option<usize> {
        (c > 0).then(|| self.first[g] + c as usize - 1)
    }

    #[inline]
    fn capacity(&self, i: usize, frac: f64) -> f64 {
        self.lo[i] + frac * (self.hi[i] - self.lo[i])
    }

    #[inline]
    fn frac(&self, i: usize, cap: f64) -> f64 {
        let span = self.hi[i] - self.lo[i];
        if span > 0.0 {
            ((cap - self.lo[i]) / span).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Makes a genome feasible and spends the remaining budget well; returns its
    /// objective value. Allocation-free: two passes over the density order.
    fn repair_and_evaluate(&self, choice: &mut [u32], frac: &mut [f64]) -> f64 {
        let tol = 1e-9 * self.budget.max(1.0);
        let mut capex = 0.0;
        for g in 0..self.n {
            if let Some(i) = self.item(g, choice[g]) {
                capex += self.cost[i] * self.capacity(i, frac[g]) + self.cost_fixed[i];
            }
        }
        // Shrink, then drop, the least valuable options until within budget.
        if capex > self.budget + tol {
            for &i in &self.by_density {
                let g = self.group_of[i];
                if self.item(g, choice[g]) != Some(i) {
                    continue;
                }
                let cap = self.capacity(i, frac[g]);
                let excess = capex - self.budget;
                let can = self.cost[i] * (cap - self.lo[i]);
                if can >= excess {
                    let new = cap - excess / self.cost[i];
                    frac[g] = self.frac(i, new);
                    capex = self.budget;
                    break;
                }
                frac[g] = 0.0;
                capex -= can;
            }
            if capex > self.budget + tol {
                for &i in &self.by_density {
                    let g = self.group_of[i];
                    if self.item(g, choice[g]) != Some(i) {
                        continue;
                    }
                    capex -= self.cost[i] * self.lo[i] + self.cost_fixed[i];
                    choice[g] = 0;
                    frac[g] = 0.0;
                    if capex <= self.budget + tol {
                        break;
                    }
                }
            }
        }
        // Grow the most valuable chosen options with what is left.
        let mut left = self.budget - capex;
        for &i in self.by_density.iter().rev() {
            // Options that cost nothing per unit come first (infinite value
            // per CNY) and grow whatever the budget; the others need budget.
            if self.value[i] <= 0.0 || (self.cost[i] > 0.0 && left <= tol) {
                break;
            }
            let g = self.group_of[i];
            if self.item(g, choice[g]) != Some(i) {
                continue;
            }
            let cap = self.capacity(i, frac[g]);
            let room = self.hi[i] - cap;
            if room <= 0.0 {
                continue;
            }
            let add = if self.cost[i] <= 0.0 {
                room
            } else {
                room.min(left / self.cost[i])
            };
            left -= add * self.cost[i];
            frac[g] = self.frac(i, cap + add);
        }
        // Capacities are stored as fractions of [lo, hi]; on huge caps their
        // rounding can overspend by more than the tolerance. Trim the least
        // valuable partly built option until the budget holds again.
        let mut capex = self.capex_of(choice, frac);
        let mut guard = 0;
        while capex > self.budget + tol && guard < 64 {
            guard += 1;
            let Some(&i) = self.by_density.iter().find(|&&i| {
                let g = self.group_of[i];
                self.item(g, choice[g]) == Some(i) && frac[g] > 0.0 && self.cost[i] > 0.0
            }) else {
                break;
            };
            let g = self.group_of[i];
            let span = (self.hi[i] - self.lo[i]) * self.cost[i];
            let step = ((capex - self.budget) / span).max(frac[g] * f64::EPSILON * 4.0);
            frac[g] = (frac[g] - step).max(0.0);
            capex = self.capex_of(choice, frac);
        }
        if !self.rows.is_empty() {
            self.repair_rows(choice, frac);
        }
        let mut value = 0.0;
        for g in 0..self.n {
            if let Some(i) = self.item(g, choice[g]) {
                value += self.value[i] * self.capacity(i, frac[g]) + self.value_fixed[i];
            }
        }
        if !self.rows.is_empty() {
            value -= self.surplus_loss(choice, frac);
        }
        value
    }

    /// Gives a genome's discrete choices their exact best capacities: every
    /// chosen option at its minimum, then the budget spent greedily by value per
    /// CNY (exact for fixed choices). Applied to each generation's best, so the
    /// plan the GA reports is optimal for the options it picked.
    ///
    /// With resource rows the polish is an LP, given at most `seconds` (the
    /// time left to the run): on a 10,000-region park one such LP takes about
    /// a second, and without a deadline it made the run overshoot its limit.
    /// Out of time, the greedy capacities stay.
    fn polish(&self, choice: &mut [u32], frac: &mut [f64], seconds: f64) -> f64 {
        frac.fill(0.0);
        let v = self.repair_and_evaluate(choice, frac);
        if self.rows.is_empty() || seconds <= 0.0 {
            return v;
        }
        // With resource rows the greedy is not exact: one LP over the chosen
        // options (once per generation, on its best genome).
        let plan = self.plan(choice, frac);
        let Some(p) = super::milp::polish_within(self.opts, self.obj, &plan, seconds) else {
            return v;
        };
        let value = p.objective(self.opts, self.obj);
        if value <= v {
            return v;
        }
        for (g, c) in p.choice.iter().enumerate() {
            match c {
                Some(b) => {
                    choice[g] = (b.item - self.first[g] + 1) as u32;
                    frac[g] = self.frac(b.item, b.capacity);
                }
                None => {
                    choice[g] = 0;
                    frac[g] = 0.0;
                }
            }
        }
        value
    }

    fn capex_of(&self, choice: &[u32], frac: &[f64]) -> f64 {
        (0..self.n)
            .filter_map(|g| {
                self.item(g, choice[g])
                    .map(|i| self.cost[i] * self.capacity(i, frac[g]) + self.cost_fixed[i])
            })
            .sum()
    }

    fn plan(&self, choice: &[u32], frac: &[f64]) -> Plan {
        Plan {
            choice: (0..self.n)
                .map(|g| {
                    self.item(g, choice[g]).and_then(|i| {
                        let capacity = self.capacity(i, frac[g]);
                        // Capacity worth less than rounding dust of the budget, with
                        // nothing fixed paid, is "not built" (as in the exact solver).
                        let dust = self.dust;
                        (self.lo[i] > 0.0
                            || self.cost_fixed[i] > 0.0
                            || (capacity > 0.0
                                && (self.cost[i] <= 0.0 || capacity * self.cost[i] > dust)))
                            .then_some(Built { item: i, capacity })
                    })
                })
                .collect(),
        }
    }
}

/// Random stream of child `k` in generation `g`: independent of thread count.
fn stream(seed: u64, generation: usize, k: usize) -> SmallRng {
    // SplitMix64 finalizer over the three numbers.
    let mut z = seed
        ^ (generation as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (k as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    SmallRng::seed_from_u64(z ^ (z >> 31))
}

/// Runs the GA. `on_progress` is called after every generation (0 = initial
/// population) unless the run has been cancelled; a cancelled run returns
/// `Err(Cancelled)` and calls nothing after the cancel was seen.
pub fn solve(
    opts: &Options,
    obj: Objective,
    cfg: &GaConfig,
    cancel: &CancelToken,
    mut on_progress: impl FnMut(&Progress),
) -> Result<(Solution, StopReason), SolveError> {
    let start = Instant::now();
    let s = &cfg.settings;
    let t = Tables::new(opts, obj);
    let n = t.n;
    let pop = s.population.max(2);
    if pop.saturating_mul(n) > MAX_GENES {
        return Err(SolveError::TooLarge {
            population: pop,
            groups: n,
        });
    }
    let elite = s.elitism.min(pop - 1);
    let upper = cfg.target.unwrap_or_else(|| bound::upper_bound(opts, obj));

    let mut choice = vec![0u32; pop * n];
    let mut frac = vec![0f64; pop * n];
    let mut fit = vec![0f64; pop];
    let mut next_choice = choice.clone();
    let mut next_frac = frac.clone();
    let mut next_fit = fit.clone();
    let mut order: Vec<usize> = (0..pop).collect();

    // Initial population: random genomes (one empty plan; optionally the LP-greedy plan).
    let seed = s.seed;
    // The LP-rounded plan as genes: (option index + 1, capacity fraction).
    let heuristic: Option<(Vec<u32>, Vec<f64>)> = cfg.seed_heuristic.then(|| {
        let plan = if opts.rows.is_empty() {
            bound::lp_plan(opts, obj)
        } else {
            // Half the time at most: the GA needs the rest.
            let left = s.time_limit_s - start.elapsed().as_secs_f64();
            super::milp::root_plan(opts, obj, left * 0.5)
        };
        let mut c = vec![0u32; n];
        let mut f = vec![0f64; n];
        for (g, b) in plan.choice.iter().enumerate() {
            if let Some(b) = b {
                c[g] = (b.item - t.first[g] + 1) as u32;
                f[g] = t.frac(b.item, b.capacity);
            }
        }
        (c, f)
    });
    choice
        .par_chunks_mut(n.max(1))
        .zip(frac.par_chunks_mut(n.max(1)))
        .zip(fit.par_iter_mut())
        .enumerate()
        .for_each(|(k, ((c, f), fit))| {
            if n == 0 {
                return;
            }
            let mut rng = stream(seed, 0, k);
            match (k, &heuristic) {
                (0, _) => c.fill(0),
                (1, Some((hc, hf))) => {
                    c.copy_from_slice(hc);
                    f.copy_from_slice(hf);
                }
                _ => {
                    for g in 0..n {
                        c[g] = rng.random_range(0..=t.count[g] as u32);
                        f[g] = rng.random();
                    }
                }
            }
            *fit = t.repair_and_evaluate(c, f);
        });
    let mut evaluations = pop as u64;
    let mut best_value = f64::NEG_INFINITY;
    let mut best_plan = Plan::empty(opts);
    let mut since_improved = 0usize;
    let mut generation = 0usize;

    let reason = loop {
        if cancel.is_cancelled() {
            return Err(SolveError::Cancelled);
        }
        if n > 0 {
            // Polish the generation's best in place (lowest index among equals).
            let b = (0..pop).fold(0, |b, k| if fit[k] > fit[b] { k } else { b });
            let left = s.time_limit_s - start.elapsed().as_secs_f64();
            fit[b] = t.polish(
                &mut choice[b * n..(b + 1) * n],
                &mut frac[b * n..(b + 1) * n],
                left,
            );
            evaluations += 1;
        }
        // Rank: best first; ties by index keep it deterministic.
        order.sort_by(|&a, &b| fit[b].total_cmp(&fit[a]).then(a.cmp(&b)));
        let b = order[0];
        if generation == 0 || fit[b] >= best_value {
            // Take equal or better plans (the polished one replaces its rough
            // twin), but only a real improvement resets the stall count.
            if generation == 0 || fit[b] > best_value + 1e-12 * best_value.abs().max(1.0) {
                since_improved = 0;
            } else {
                since_improved += 1;
            }
            best_value = fit[b];
            best_plan = t.plan(&choice[b * n..(b + 1) * n], &frac[b * n..(b + 1) * n]);
        } else {
            since_improved += 1;
        }
        let mean = fit.iter().sum::<f64>() / pop as f64;
        let worst = fit[order[pop - 1]];
        // Checked again right before reporting, so that nothing is reported
        // once the cancel has been seen.
        if cancel.is_cancelled() {
            return Err(SolveError::Cancelled);
        }
        on_progress(&Progress {
            generation,
            best: best_value,
            mean,
            worst,
            best_plan: best_plan.clone(),
            evaluations,
            elapsed_s: start.elapsed().as_secs_f64(),
        });
        if cfg.target.is_some() && super::relative_gap(best_value, upper) <= cfg.target_tolerance {
            break StopReason::Target;
        }
        if generation >= s.generations {
            break StopReason::Generations;
        }
        if since_improved >= s.stall_generations {
            break StopReason::Stall;
        }
        if start.elapsed().as_secs_f64() >= s.time_limit_s {
            break StopReason::TimeLimit;
        }
        generation += 1;

        // Elites survive unchanged.
        for (slot, &src) in order.iter().take(elite).enumerate() {
            next_choice[slot * n..(slot + 1) * n].copy_from_slice(&choice[src * n..(src + 1) * n]);
            next_frac[slot * n..(slot + 1) * n].copy_from_slice(&frac[src * n..(src + 1) * n]);
            next_fit[slot] = fit[src];
        }
        let (choice_ref, frac_ref, fit_ref) = (&choice, &frac, &fit);
        let gen_now = generation;
        next_choice[elite * n..]
            .par_chunks_mut(n.max(1))
            .zip(next_frac[elite * n..].par_chunks_mut(n.max(1)))
            .zip(next_fit[elite..].par_iter_mut())
            .enumerate()
            .for_each(|(k, ((c, f), fit_out))| {
                if n == 0 || cancel.is_cancelled() {
                    return;
                }
                let mut rng = stream(seed, gen_now, k);
                let tournament = |rng: &mut SmallRng| {
                    let a = rng.random_range(0..pop);
                    let b = rng.random_range(0..pop);
                    if fit_ref[a] > fit_ref[b] || (fit_ref[a] == fit_ref[b] && a < b) {
                        a
                    } else {
                        b
                    }
                };
                let pa = tournament(&mut rng);
                let pb = tournament(&mut rng);
                let (ca, fa) = (
                    &choice_ref[pa * n..(pa + 1) * n],
                    &frac_ref[pa * n..(pa + 1) * n],
                );
                let (cb, fb) = (
                    &choice_ref[pb * n..(pb + 1) * n],
                    &frac_ref[pb * n..(pb + 1) * n],
                );
                if rng.random::<f64>() < s.crossover_rate {
                    // Uniform crossover of whole genes; blend capacities when both
                    // parents chose the same option.
                    for g in 0..n {
                        if ca[g] == cb[g] {
                            c[g] = ca[g];
                            let u: f64 = rng.random();
                            f[g] = u * fa[g] + (1.0 - u) * fb[g];
                        } else if rng.random::<bool>() {
                            c[g] = ca[g];
                            f[g] = fa[g];
                        } else {
                            c[g] = cb[g];
                            f[g] = fb[g];
                        }
                    }
                } else {
                    c.copy_from_slice(ca);
                    f.copy_from_slice(fa);
                }
                if rng.random::<f64>() < s.mutation_rate {
                    // One gene, then each further one with probability 1/2.
                    loop {
                        let g = rng.random_range(0..n);
                        match rng.random_range(0..3) {
                            0 => c[g] = rng.random_range(0..=t.count[g] as u32),
                            1 => f[g] = rng.random(),
                            _ => {
                                let step: f64 = rng.random_range(-0.2..0.2);
                                f[g] = (f[g] + step).clamp(0.0, 1.0);
                            }
                        }
                        if rng.random::<bool>() {
                            break;
                        }
                    }
                }
                *fit_out = t.repair_and_evaluate(c, f);
            });
        std::mem::swap(&mut choice, &mut next_choice);
        std::mem::swap(&mut frac, &mut next_frac);
        std::mem::swap(&mut fit, &mut next_fit);
        evaluations += (pop - elite) as u64;
    };
    let value = best_plan.objective(opts, obj);
    Ok((
        Solution {
            plan: best_plan,
            objective: obj,
            value,
            upper_bound: upper,
            bound: if cfg.target.is_some() && cfg.target_is_optimum {
                BoundKind::Optimum
            } else {
                BoundKind::Relaxation
            },
            proven_optimal: false,
            evaluations,
            seconds: start.elapsed().as_secs_f64(),
            solver: super::SolverKind::Ga,
        },
        reason,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With resource rows the polish of a generation's best is an LP; with
    /// no time left it is skipped, keeping the greedy capacities (on a
    /// 10,000-region park that LP took about a second past the limit).
    #[test]
    fn the_polish_lp_runs_only_with_time_left() {
        let park = crate::park::generate_with_nets(40, 4);
        let opts = crate::model::compile(&park);
        assert!(!opts.rows.is_empty());
        let t = Tables::new(&opts, Objective::Economic);
        // Every group's first option: a plan the LP can improve on.
        let choice0: Vec<u32> = (0..t.n).map(|g| u32::from(t.count[g] > 0)).collect();
        let greedy = {
            let (mut c, mut f) = (choice0.clone(), vec![0.0; t.n]);
            t.repair_and_evaluate(&mut c, &mut f)
        };
        let out_of_time = {
            let (mut c, mut f) = (choice0.clone(), vec![0.5; t.n]);
            t.polish(&mut c, &mut f, 0.0)
        };
        let with_time = {
            let (mut c, mut f) = (choice0.clone(), vec![0.5; t.n]);
            t.polish(&mut c, &mut f, f64::INFINITY)
        };
        assert_eq!(out_of_time, greedy);
        assert!(with_time > greedy, "{with_time} vs {greedy}");
    }
}
