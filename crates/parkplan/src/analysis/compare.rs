//! Integration configurations side by side: today's system, the paper's four
//! strategies, each NET alone, the full mix, and scenarios from the park file.

use serde::Serialize;

use super::ledger::{Ledger, ledger};
use super::solve_best_with;
use crate::model::Objective;
use crate::park::{BASELINE, MIX, NO_NET, Park, ScenarioDef, SetError, Strategy};
use crate::plan::{Plan, Totals};
use crate::solve::CancelToken;

/// One configuration solved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioResult {
    pub name: String,
    pub description: String,
    pub objective: &'static str,
    pub capex: f64,
    pub annual_benefit: f64,
    pub annual_co2_reduction: f64,
    /// Capacity built per strategy (report units), strategies with none left out.
    pub built: Vec<Built>,
    /// Relative gap of the plan to the optimum or an upper bound.
    pub gap: f64,
    pub proven_optimal: bool,
    pub ledger: Ledger,
}

impl ScenarioResult {
    /// What was built, in words: "CCU+WHR", or "nothing".
    pub fn built_summary(&self) -> String {
        if self.built.is_empty() {
            "nothing".into()
        } else {
            let names: Vec<&str> = self.built.iter().map(|b| b.strategy.name()).collect();
            names.join("+")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Built {
    pub strategy: Strategy,
    pub capacity: f64,
    pub unit: &'static str,
}

/// A `--scenario` name that is neither built in nor in the park file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompareError {
    #[error("unknown scenario {name:?}; available: {available}")]
    Unknown { name: String, available: String },
    #[error("scenario {name:?}: {source}")]
    Set {
        name: String,
        #[source]
        source: SetError,
    },
}

fn builtin(name: &str, description: &str, strategies: &[Strategy], nothing: bool) -> ScenarioDef {
    ScenarioDef {
        name: name.into(),
        description: description.into(),
        strategies: strategies.to_vec(),
        set: Vec::new(),
        nothing,
    }
}

/// Every scenario the park offers: the built-in ones (a NET's only when some
/// region can host it), then the file's.
pub fn available(park: &Park) -> Vec<ScenarioDef> {
    let paper = [Strategy::Fcs, Strategy::Ccu, Strategy::Whr, Strategy::Pv];
    let hosted = |s: Strategy| {
        park.regions
            .iter()
            .any(|r| r.slots.iter().any(|sl| sl.strategy == s))
    };
    let mut out = vec![
        builtin(BASELINE, "today's system: nothing built", &[], true),
        builtin(NO_NET, "FCS, CCU, WHR and PV only", &paper, false),
    ];
    for s in Strategy::NETS.into_iter().filter(|s| hosted(*s)) {
        out.push(builtin(
            s.key(),
            &format!("{} alone, nothing else built", s.name()),
            &[s],
            false,
        ));
    }
    if Strategy::NETS.into_iter().any(hosted) {
        out.push(builtin(
            MIX,
            "every strategy, optimized together",
            &Strategy::ALL,
            false,
        ));
    }
    out.extend(park.scenarios.iter().cloned());
    out
}

/// The scenarios named, in the order given (all available when `names` is empty).
pub fn select(park: &Park, names: &[String]) -> Result<Vec<ScenarioDef>, CompareError> {
    let all = available(park);
    if names.is_empty() {
        return Ok(all);
    }
    names
        .iter()
        .map(|n| {
            all.iter()
                .find(|s| s.name == *n)
                .cloned()
                .ok_or_else(|| CompareError::Unknown {
                    name: n.clone(),
                    available: all
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        })
        .collect()
}

/// The park as a scenario sees it: its overrides applied and the slots of
/// strategies it leaves out removed.
pub fn scenario_park(park: &Park, sc: &ScenarioDef) -> Result<Park, CompareError> {
    let mut p = park.clone();
    for (k, v) in &sc.set {
        // Economics and [energy] keys alike, refused if they overflow the model.
        p.set_param(k, *v).map_err(|source| CompareError::Set {
            name: sc.name.clone(),
            source,
        })?;
    }
    for r in &mut p.regions {
        r.slots
            .retain(|s| !sc.nothing && sc.strategies.contains(&s.strategy));
    }
    Ok(p)
}

/// Solves one scenario (the exact optimum where it can be proven, as
/// [`super::solve_best`]) and builds its ledger.
pub fn run(park: &Park, sc: &ScenarioDef, obj: Objective) -> Result<ScenarioResult, CompareError> {
    match run_with(park, sc, obj, &CancelToken::new())? {
        Some(r) => Ok(r),
        None => unreachable!("nothing cancels a private token"),
    }
}

/// [`run`] that gives `Ok(None)` when `token` is cancelled before the solve
/// ends (a stale console job, a time limit).
pub fn run_with(
    park: &Park,
    sc: &ScenarioDef,
    obj: Objective,
    token: &CancelToken,
) -> Result<Option<ScenarioResult>, CompareError> {
    let p = scenario_park(park, sc)?;
    let Ok((opts, sol)) = solve_best_with(&p, obj, token) else {
        return Ok(None);
    };
    if token.is_cancelled() {
        // Ended at or after the cancel: not kept.
        return Ok(None);
    }
    let plan: &Plan = &sol.plan;
    let ev = plan.evaluate(&opts);
    let t: Totals = ev.totals;
    let mut built: Vec<Built> = Vec::new();
    for it in &ev.items {
        match built.iter_mut().find(|b| b.strategy == it.strategy) {
            Some(b) => b.capacity += it.capacity,
            None => built.push(Built {
                strategy: it.strategy,
                capacity: it.capacity,
                unit: it.unit,
            }),
        }
    }
    built.sort_by_key(|b| b.strategy);
    Ok(Some(ScenarioResult {
        name: sc.name.clone(),
        description: sc.description.clone(),
        objective: obj.name(),
        capex: t.capex,
        annual_benefit: t.annual_benefit,
        annual_co2_reduction: t.annual_co2_reduction,
        built,
        gap: sol.gap(),
        proven_optimal: sol.proven_optimal,
        ledger: ledger(&p, &opts, plan),
    }))
}
