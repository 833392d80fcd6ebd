//! One-at-a-time sensitivity: re-optimize at each value of a parameter, and
//! locate by bisection where the optimal plan changes structure.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::solve_best_with;
use crate::model::{Objective, Options};
use crate::park::{Park, SetError, Strategy, param};
use crate::plan::{Plan, Totals};
use crate::solve::{CancelToken, Solution};

/// Where a built capacity sits within its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// At its minimum (0 or the CCU minimum).
    Min,
    Between,
    /// At its cap.
    Cap,
}

/// One built option of a plan, as far as its structure goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Feature {
    pub region: u32,
    pub strategy: Strategy,
    pub tech: u32,
    pub level: Level,
}

/// The structure of a plan: which options are built and where each capacity sits.
pub type Structure = BTreeSet<Feature>;

/// Relative tolerance for "at a bound".
const AT_BOUND: f64 = 1e-6;

/// Most values one sweep may take (the command line's limit; the console
/// keeps to fewer so that a chart stays readable).
pub const MAX_SWEEP_POINTS: usize = 100_000;

/// `FROM:TO:COUNT`: COUNT evenly spaced values from FROM to TO, both included.
/// The command line's `--range` and the console's range editor both parse it
/// here, with the same rules; TO may be below FROM (swept downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepRange {
    pub from: f64,
    pub to: f64,
    pub count: usize,
}

impl SweepRange {
    /// Parses `FROM:TO:COUNT` with COUNT from 2 to `max_count`; the error says
    /// what is expected.
    pub fn parse(text: &str, max_count: usize) -> Result<SweepRange, String> {
        let bad = || format!("{:?}: expected FROM:TO:COUNT, e.g. 59:450:40", text.trim());
        let parts: Vec<&str> = text.trim().split(':').collect();
        let [from, to, count] = parts[..] else {
            return Err(bad());
        };
        let from: f64 = from.trim().parse().map_err(|_| bad())?;
        let to: f64 = to.trim().parse().map_err(|_| bad())?;
        let count: usize = count.trim().parse().map_err(|_| bad())?;
        if !(from.is_finite() && to.is_finite()) {
            return Err(format!(
                "{:?}: FROM and TO must be finite numbers",
                text.trim()
            ));
        }
        if from == to {
            return Err(format!("{:?}: FROM and TO must differ", text.trim()));
        }
        if !(2..=max_count).contains(&count) {
            return Err(format!(
                "{:?}: COUNT must be from 2 to {max_count}, found {count}",
                text.trim()
            ));
        }
        Ok(SweepRange { from, to, count })
    }

    /// The values, FROM first.
    pub fn values(&self) -> Vec<f64> {
        let n = self.count.max(2);
        (0..n)
            .map(|k| self.from + (self.to - self.from) * k as f64 / (n - 1) as f64)
            .collect()
    }
}

pub fn structure(opts: &Options, sol: &Solution) -> Structure {
    sol.plan
        .built()
        .map(|b| {
            let it = &opts.items[b.item];
            let tol = AT_BOUND * it.hi.max(1.0);
            let level = if b.capacity >= it.hi - tol {
                Level::Cap
            } else if b.capacity <= it.lo + tol {
                Level::Min
            } else {
                Level::Between
            };
            Feature {
                region: it.region_id,
                strategy: it.strategy,
                tech: it.tech,
                level,
            }
        })
        .collect()
}

/// The optimum at one value of the swept parameter.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    pub value: f64,
    pub solution: Solution,
    pub totals: Totals,
    /// Built capacity per (strategy, technology), in report units.
    pub capacities: BTreeMap<(Strategy, u32), f64>,
    pub structure: Structure,
}

/// A refused sweep.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Param(#[from] SetError),
    #[error("no values to sweep")]
    Empty,
}

/// Solves the park at `value` of parameter `key`.
pub fn solve_at(
    park: &Park,
    key: &str,
    value: f64,
    obj: Objective,
) -> Result<SweepPoint, SetError> {
    match solve_at_with(park, key, value, obj, &CancelToken::new()) {
        Ok(Some(p)) => Ok(p),
        Ok(None) => unreachable!("nothing cancels a private token"),
        Err(e) => Err(e),
    }
}

/// [`solve_at`] that gives `Ok(None)` when `token` is cancelled before the
/// solve ends (checked by the exact search and the GA).
pub fn solve_at_with(
    park: &Park,
    key: &str,
    value: f64,
    obj: Objective,
    token: &CancelToken,
) -> Result<Option<SweepPoint>, SetError> {
    let mut p = park.clone();
    p.set_param(key, value)?;
    let Ok((opts, solution)) = solve_best_with(&p, obj, token) else {
        return Ok(None);
    };
    if token.is_cancelled() {
        // Ended at or after the cancel (a GA stopped by a time limit that
        // came with it): not kept.
        return Ok(None);
    }
    let ev = solution.plan.evaluate(&opts);
    let mut capacities = BTreeMap::new();
    for r in &ev.items {
        *capacities.entry((r.strategy, r.tech)).or_insert(0.0) += r.capacity;
    }
    Ok(Some(SweepPoint {
        value,
        structure: structure(&opts, &solution),
        solution,
        totals: ev.totals,
        capacities,
    }))
}

/// Re-optimizes at every value (in parallel); the points come back in the order given.
pub fn sweep(
    park: &Park,
    key: &str,
    values: &[f64],
    obj: Objective,
) -> Result<Vec<SweepPoint>, SweepError> {
    let points = sweep_with(park, key, values, obj, &CancelToken::new())?;
    Ok(points.into_iter().flatten().collect())
}

/// [`sweep`] that stops when `token` is cancelled (within one solve's check
/// of it): one entry per value in the order given, `None` for the values not
/// solved by then. Each point solved is the same as [`sweep`]'s.
pub fn sweep_with(
    park: &Park,
    key: &str,
    values: &[f64],
    obj: Objective,
    token: &CancelToken,
) -> Result<Vec<Option<SweepPoint>>, SweepError> {
    if values.is_empty() {
        return Err(SweepError::Empty);
    }
    // Check the key and every value before spending any time. An economics
    // key is checked against its range alone; an [energy] key (a price or a
    // demand) through the park, which has to have an [energy] table.
    match param(key) {
        Some(p) => {
            for &v in values {
                p.set(&mut park.economics.clone(), v)
                    .map_err(|why| SetError::OutOfRange { key: p.key, why })?;
            }
        }
        None => {
            for &v in values {
                park.clone().set_param(key, v)?;
            }
        }
    }
    values
        .par_iter()
        .map(|&v| {
            if token.is_cancelled() {
                return Ok(None);
            }
            solve_at_with(park, key, v, obj, token).map_err(SweepError::from)
        })
        .collect()
}

/// One structural change of the optimal plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Enters {
        region: u32,
        strategy: Strategy,
        tech: u32,
        level: Level,
    },
    Leaves {
        region: u32,
        strategy: Strategy,
        tech: u32,
    },
    Switches {
        region: u32,
        strategy: Strategy,
        from: u32,
        to: u32,
    },
    Moves {
        region: u32,
        strategy: Strategy,
        tech: u32,
        from: Level,
        to: Level,
    },
}

/// What differs between two structures, per region and strategy.
pub fn diff(before: &Structure, after: &Structure) -> Vec<Change> {
    let slot = |s: &Structure| -> BTreeMap<(u32, Strategy), (u32, Level)> {
        s.iter()
            .map(|f| ((f.region, f.strategy), (f.tech, f.level)))
            .collect()
    };
    let (a, b) = (slot(before), slot(after));
    let keys: BTreeSet<&(u32, Strategy)> = a.keys().chain(b.keys()).collect();
    let mut out = Vec::new();
    for &&(region, strategy) in &keys {
        match (a.get(&(region, strategy)), b.get(&(region, strategy))) {
            (None, Some(&(tech, level))) => out.push(Change::Enters {
                region,
                strategy,
                tech,
                level,
            }),
            (Some(&(tech, _)), None) => out.push(Change::Leaves {
                region,
                strategy,
                tech,
            }),
            (Some(&(t1, l1)), Some(&(t2, l2))) if t1 != t2 => {
                let _ = (l1, l2);
                out.push(Change::Switches {
                    region,
                    strategy,
                    from: t1,
                    to: t2,
                })
            }
            (Some(&(tech, l1)), Some(&(_, l2))) if l1 != l2 => out.push(Change::Moves {
                region,
                strategy,
                tech,
                from: l1,
                to: l2,
            }),
            _ => {}
        }
    }
    out
}

/// A value of the parameter where the optimal plan changes structure.
#[derive(Debug, Clone)]
pub struct TippingPoint {
    /// Last value with the old structure and first with the new (bracket
    /// narrower than 0.1 % of the swept range).
    pub below: f64,
    pub above: f64,
    pub changes: Vec<Change>,
}

/// Bisects between consecutive sweep points whose structures differ.
pub fn tipping_points(
    park: &Park,
    key: &str,
    points: &[SweepPoint],
    obj: Objective,
) -> Result<Vec<TippingPoint>, SetError> {
    tipping_points_with(park, key, points, obj, &CancelToken::new()).map(|(t, _)| t)
}

/// [`tipping_points`] that stops when `token` is cancelled: the tipping
/// points located by then (each whole), and whether every bracket was
/// searched (`false`: some may be missing).
pub fn tipping_points_with(
    park: &Park,
    key: &str,
    points: &[SweepPoint],
    obj: Objective,
    token: &CancelToken,
) -> Result<(Vec<TippingPoint>, bool), SetError> {
    let mut sorted: Vec<&SweepPoint> = points.iter().collect();
    sorted.sort_by(|a, b| a.value.total_cmp(&b.value));
    let range = sorted.last().map_or(0.0, |p| p.value) - sorted.first().map_or(0.0, |p| p.value);
    let tol = (range * 1e-3).max(1e-12);
    // A plan that is still optimal at the other value is a tie, not a change:
    // identical options may swap without anything real happening.
    let still_optimal = |plan: &Plan, at: f64, optimum: f64| -> Result<bool, SetError> {
        let mut p = park.clone();
        p.set_param(key, at)?;
        let opts = crate::model::compile(&p);
        Ok(plan.check(&opts).is_ok()
            && plan.objective(&opts, obj) >= optimum - 1e-9 * optimum.abs().max(1.0))
    };
    let mut pairs: Vec<(&SweepPoint, &SweepPoint)> = Vec::new();
    for w in sorted.windows(2) {
        if w[0].structure != w[1].structure
            && !still_optimal(&w[0].solution.plan, w[1].value, w[1].solution.value)?
        {
            pairs.push((w[0], w[1]));
        }
    }
    let found: Result<Vec<(Vec<TippingPoint>, bool)>, SetError> = pairs
        .par_iter()
        .map(|&(a, b)| {
            // Several changes can lie between two sweep values: after locating
            // the first, continue from it until the right end's structure.
            let mut out = Vec::new();
            let (mut from, mut s_from, mut plan_from) =
                (a.value, a.structure.clone(), a.solution.plan.clone());
            while s_from != b.structure && out.len() < 64 {
                let (mut lo, mut hi) = (from, b.value);
                let mut s_hi = b.structure.clone();
                let mut plan_hi = b.solution.plan.clone();
                while hi - lo > tol {
                    let mid = 0.5 * (lo + hi);
                    let Some(m) = solve_at_with(park, key, mid, obj, token)? else {
                        // Stopped: the bracket not narrowed to the end is left out.
                        return Ok((out, false));
                    };
                    if m.structure == s_from || still_optimal(&plan_from, mid, m.solution.value)? {
                        lo = mid;
                    } else {
                        hi = mid;
                        s_hi = m.structure;
                        plan_hi = m.solution.plan;
                    }
                }
                out.push(TippingPoint {
                    below: lo,
                    above: hi,
                    changes: diff(&s_from, &s_hi),
                });
                if hi >= b.value {
                    break;
                }
                from = hi;
                s_from = s_hi;
                plan_from = plan_hi;
            }
            Ok((out, true))
        })
        .collect();
    let found = found?;
    let whole = found.iter().all(|f| f.1);
    Ok((found.into_iter().flat_map(|f| f.0).collect(), whole))
}

fn level_words(l: Level) -> &'static str {
    match l {
        Level::Min => "its minimum",
        Level::Between => "between its bounds",
        Level::Cap => "its cap",
    }
}

/// A change in words, with technology names from `opts`.
pub fn describe(change: &Change, tech_name: &dyn Fn(Strategy, u32) -> String) -> String {
    match *change {
        Change::Enters {
            region,
            strategy,
            tech,
            level,
        } => format!(
            "{strategy} in region {region} enters with {} ({tech}), {}",
            tech_name(strategy, tech),
            match level {
                Level::Between => "between its bounds".to_string(),
                l => format!("at {}", level_words(l)),
            }
        ),
        Change::Leaves {
            region,
            strategy,
            tech,
        } => format!(
            "{strategy} in region {region} ({}, {tech}) leaves the plan",
            tech_name(strategy, tech)
        ),
        Change::Switches {
            region,
            strategy,
            from,
            to,
        } => format!(
            "{strategy} in region {region} switches from {} ({from}) to {} ({to})",
            tech_name(strategy, from),
            tech_name(strategy, to)
        ),
        Change::Moves {
            region,
            strategy,
            tech,
            from,
            to,
        } => {
            let what = match (from, to) {
                (_, Level::Cap) => "reaches its cap".to_string(),
                (Level::Cap, _) => "leaves its cap".to_string(),
                (_, Level::Min) => "falls to its minimum".to_string(),
                (Level::Min, _) => "rises above its minimum".to_string(),
                _ => format!("moves to {}", level_words(to)),
            };
            format!(
                "{strategy} in region {region} ({}, {tech}) {what}",
                tech_name(strategy, tech)
            )
        }
    }
}
