//! The solver thread and the analysis threads. The console sends them jobs;
//! they answer with messages tagged by run (or analyses) id, the solver
//! streaming GA progress at most about 20 times a second. A new job cancels the
//! old one of its kind through its token; a panic inside a solve or an analysis
//! becomes a `Failed` message instead of killing the thread.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use std::collections::BTreeSet;

use parkplan::model::{Objective, Options};
use parkplan::park::{Park, Strategy};
use parkplan::plan::Plan;
use parkplan::solve::ga;
use parkplan::solve::{BoundKind, CancelToken, Solution, SolveError, best_of, certified_ga};

use super::app::{AnalysisKind, CompareView, MacView, ParetoView, SweepSetup, SweepView};

/// Exact-solver nodes spent on finding the target for the GA (the optimum when
/// it can be proven within them, else the LP bound).
const CERTIFY_NODES: u64 = 100_000;
/// Minimum time between two progress messages.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);

/// A solve to run.
#[derive(Debug, Clone)]
pub struct Job {
    pub run_id: u64,
    pub park: Park,
    pub objective: Objective,
    pub token: CancelToken,
}

/// What the worker reports.
#[derive(Debug, Clone)]
pub enum WorkerMsg {
    Started {
        run_id: u64,
        opts: Arc<Options>,
        bound: f64,
        bound_kind: BoundKind,
    },
    Progress {
        run_id: u64,
        /// (generation, best, mean) since the last message.
        points: Vec<(usize, f64, f64)>,
        plan: Plan,
        evaluations: u64,
        elapsed_s: f64,
    },
    Done {
        run_id: u64,
        solution: Solution,
        /// Why the GA stopped, in words.
        why: String,
    },
    Failed {
        run_id: u64,
        error: String,
    },
    /// A result of the analysis thread, for the analyses with this id.
    Analysis {
        id: u64,
        result: AnalysisResult,
    },
}

/// Runs one job in this thread, reporting through `send`. Returns quietly when
/// cancelled (the console has moved on to a newer run).
pub fn run_job(job: &Job, send: &mut dyn FnMut(WorkerMsg)) {
    let run_id = job.run_id;
    let result = catch_unwind(AssertUnwindSafe(|| solve(job, send)));
    let error = match result {
        Ok(Ok(())) | Ok(Err(SolveError::Cancelled)) => return,
        Ok(Err(e)) => e.to_string(),
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            format!("solver crashed: {why}")
        }
    };
    send(WorkerMsg::Failed { run_id, error });
}

fn solve(job: &Job, send: &mut dyn FnMut(WorkerMsg)) -> Result<(), SolveError> {
    let run_id = job.run_id;
    #[cfg(test)]
    if job.park.name.contains("__panic_in_solver__") {
        panic!("injected fault");
    }
    let opts = Arc::new(parkplan::compile(&job.park));
    let token = &job.token;
    let (certified, cfg) = certified_ga(
        &opts,
        job.objective,
        job.park.solver.clone(),
        CERTIFY_NODES,
        token,
    )?;
    send(WorkerMsg::Started {
        run_id,
        opts: opts.clone(),
        bound: certified.upper_bound,
        bound_kind: certified.bound,
    });
    let mut points = Vec::new();
    let mut last = Instant::now() - PROGRESS_INTERVAL;
    let (ga_solution, reason) = ga::solve(&opts, job.objective, &cfg, token, |p| {
        points.push((p.generation, p.best, p.mean));
        if last.elapsed() >= PROGRESS_INTERVAL && !token.is_cancelled() {
            last = Instant::now();
            send(WorkerMsg::Progress {
                run_id,
                points: std::mem::take(&mut points),
                plan: p.best_plan.clone(),
                evaluations: p.evaluations,
                elapsed_s: p.elapsed_s,
            });
        }
    })?;
    if token.is_cancelled() {
        return Err(SolveError::Cancelled);
    }
    if !points.is_empty() {
        send(WorkerMsg::Progress {
            run_id,
            points,
            plan: ga_solution.plan.clone(),
            evaluations: ga_solution.evaluations,
            elapsed_s: ga_solution.seconds,
        });
    }
    // Show the best plan known: the GA's, or the exact solver's if better.
    let ga_value = ga_solution.value;
    let why = reason.describe(cfg.target_is_optimum).to_string();
    let solution = best_of(ga_solution, &certified, &opts);
    let why = if solution.solver == parkplan::solve::SolverKind::Exact {
        format!(
            "{why}; GA at {:.2}% gap, showing the exact plan",
            parkplan::solve::relative_gap(ga_value, certified.upper_bound) * 100.0
        )
    } else {
        why
    };
    send(WorkerMsg::Done {
        run_id,
        solution,
        why,
    });
    Ok(())
}

/// The worker thread's handle.
pub struct Worker {
    jobs: Sender<Job>,
    current: Option<CancelToken>,
}

impl Worker {
    /// Starts the thread; `send` delivers its messages to the console loop.
    pub fn spawn(mut send: impl FnMut(WorkerMsg) + Send + 'static) -> Worker {
        let (jobs, rx): (Sender<Job>, Receiver<Job>) = channel();
        std::thread::Builder::new()
            .name("parkplan-solver".into())
            .spawn(move || {
                while let Ok(mut job) = rx.recv() {
                    // Only the newest queued job matters.
                    while let Ok(newer) = rx.try_recv() {
                        job = newer;
                    }
                    if !job.token.is_cancelled() {
                        run_job(&job, &mut send);
                    }
                }
            })
            .expect("spawn the solver thread");
        Worker {
            jobs,
            current: None,
        }
    }

    /// Cancels the running job and queues this one.
    pub fn submit(&mut self, run_id: u64, park: Park, objective: Objective) {
        if let Some(t) = self.current.take() {
            t.cancel();
        }
        let token = CancelToken::new();
        self.current = Some(token.clone());
        let _ = self.jobs.send(Job {
            run_id,
            park,
            objective,
            token,
        });
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(t) = self.current.take() {
            t.cancel();
        }
    }
}

/// An analysis for one of the analysis views.
#[derive(Debug, Clone)]
pub struct AnalysisJob {
    /// The analyses id it belongs to (see `app::Analyses`).
    pub id: u64,
    pub kind: AnalysisKind,
    pub park: Park,
    pub objective: Objective,
    pub setup: SweepSetup,
    /// Values the user set (`--set`, then the console's edits), applied after
    /// each compared scenario's own: the user has the last word, as in
    /// `parkplan compare --set`.
    pub overrides: Vec<(String, f64)>,
}

/// An analysis result.
#[derive(Debug, Clone)]
pub enum AnalysisResult {
    Sweep(SweepView),
    Pareto(ParetoView),
    Mac(MacView),
    Compare(CompareView),
    Failed(AnalysisKind, String),
}

/// Runs an analysis in this thread (panics become `Failed`).
pub fn run_analysis(job: &AnalysisJob) -> AnalysisResult {
    run_analysis_with(job, &CancelToken::new()).expect("nothing cancels a private token")
}

/// [`run_analysis`], or `None` once `token` is cancelled (a newer job of the
/// same kind has been submitted).
pub fn run_analysis_with(job: &AnalysisJob, token: &CancelToken) -> Option<AnalysisResult> {
    let kind = job.kind;
    match catch_unwind(AssertUnwindSafe(|| analyse(job, token))) {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Some(AnalysisResult::Failed(kind, e)),
        Err(_) => Some(AnalysisResult::Failed(kind, "the analysis crashed".into())),
    }
}

fn analyse(job: &AnalysisJob, token: &CancelToken) -> Result<Option<AnalysisResult>, String> {
    use parkplan::analysis::{compare, mac, pareto, sweep};
    let park = &job.park;
    match job.kind {
        AnalysisKind::Sweep => {
            let s = &job.setup;
            let p = super::app::sweep_param(s.param);
            let n = s.count.max(2);
            let values: Vec<f64> = (0..n)
                .map(|k| s.from + (s.to - s.from) * k as f64 / (n - 1) as f64)
                .collect();
            let points =
                sweep::sweep(park, p.key, &values, job.objective).map_err(|e| e.to_string())?;
            let tips = sweep::tipping_points(park, p.key, &points, job.objective)
                .map_err(|e| e.to_string())?;
            let names = |st: Strategy, code: u32| {
                park.catalogue
                    .techs(st)
                    .into_iter()
                    .find(|t| t.0 == code)
                    .map_or_else(|| format!("technology {code}"), |t| t.1.to_string())
            };
            let cols: BTreeSet<(Strategy, u32)> = points
                .iter()
                .flat_map(|pt| pt.capacities.keys().copied())
                .collect();
            Ok(Some(AnalysisResult::Sweep(SweepView {
                setup: s.clone(),
                benefit: points
                    .iter()
                    .map(|pt| (pt.value, pt.totals.annual_benefit))
                    .collect(),
                co2: points
                    .iter()
                    .map(|pt| (pt.value, pt.totals.annual_co2_reduction))
                    .collect(),
                columns: cols
                    .iter()
                    .map(|(st, t)| format!("{st} {t} {}", st.unit()))
                    .collect(),
                rows: points
                    .iter()
                    .map(|pt| {
                        (
                            pt.value,
                            cols.iter()
                                .map(|c| pt.capacities.get(c).copied().unwrap_or(0.0))
                                .collect(),
                        )
                    })
                    .collect(),
                tipping: tips
                    .iter()
                    .map(|t| {
                        let words: Vec<String> = t
                            .changes
                            .iter()
                            .map(|c| sweep::describe(c, &names))
                            .collect();
                        (t.above, words.join("; "))
                    })
                    .collect(),
            })))
        }
        AnalysisKind::Pareto => {
            let (_, pts) = match pareto::front_with(park, 21, token) {
                Ok(r) => r,
                Err(pareto::ParetoError::Cancelled) => return Ok(None),
                Err(e) => return Err(e.to_string()),
            };
            Ok(Some(AnalysisResult::Pareto(ParetoView {
                points: pts
                    .iter()
                    .map(|p| (p.totals.annual_co2_reduction, p.totals.annual_benefit))
                    .collect(),
                plans: pts.into_iter().map(|p| p.solution.plan).collect(),
            })))
        }
        AnalysisKind::Mac => {
            let opts = parkplan::compile(park);
            let e = &park.economics;
            let entries: Vec<mac::MacEntry> = mac::curve(&opts, e.ets_price_cny_per_t)
                .into_iter()
                .filter(|m| !m.alternative)
                .collect();
            let mut steps = Vec::new();
            let (mut cum, mut capex) = (0.0, 0.0);
            let mut budget_at = None;
            for m in &entries {
                steps.push((cum, m.cost_per_t));
                capex += m.capex;
                if budget_at.is_none() && capex > e.capex_cap_cny {
                    // Where, inside this option, the budget runs out.
                    let over = capex - e.capex_cap_cny;
                    budget_at = Some(cum + m.potential_t * (1.0 - over / m.capex).max(0.0));
                }
                cum += m.potential_t;
                steps.push((cum, m.cost_per_t));
            }
            Ok(Some(AnalysisResult::Mac(MacView {
                entries,
                steps,
                budget_at,
            })))
        }
        AnalysisKind::Compare => {
            // Every scenario the park offers, with the console's objective; a
            // scenario that cannot be set up is listed, the others still shown.
            let mut view = CompareView {
                results: Vec::new(),
                failed: Vec::new(),
            };
            for mut sc in compare::available(park) {
                if token.is_cancelled() {
                    return Ok(None);
                }
                sc.set.extend(job.overrides.iter().cloned());
                match compare::run(park, &sc, job.objective) {
                    Ok(r) => view.results.push(r),
                    Err(e) => view.failed.push((sc.name.clone(), e.to_string())),
                }
            }
            Ok(Some(AnalysisResult::Compare(view)))
        }
    }
}

/// The analysis threads, one per kind of analysis, so a long Pareto front does
/// not hold up a comparison or a sweep: each runs one job at a time, newest
/// first; a new job cancels the running one of its kind, and an edit (a new
/// analyses id) cancels every stale one; results go to `send`. Each kind runs
/// in a rayon pool of its own, leaving the global one to the main solve.
pub struct AnalysisWorker {
    jobs: Vec<(AnalysisKind, Sender<(AnalysisJob, CancelToken)>)>,
    /// The analyses id and token of the last job submitted, per kind.
    current: std::sync::Mutex<Vec<(AnalysisKind, u64, CancelToken)>>,
}

impl AnalysisWorker {
    pub fn spawn(send: impl FnMut(u64, AnalysisResult) + Send + Clone + 'static) -> AnalysisWorker {
        // Each kind gets a pool of one thread fewer than the machine has (at
        // least one): the GA of the main solve keeps a core while a front
        // runs, and a front does not hold up a comparison or a sweep.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1))
            .max(1);
        let kinds = [
            AnalysisKind::Sweep,
            AnalysisKind::Pareto,
            AnalysisKind::Mac,
            AnalysisKind::Compare,
        ];
        let jobs = kinds
            .into_iter()
            .map(|kind| {
                let (tx, rx) = channel::<(AnalysisJob, CancelToken)>();
                let mut send = send.clone();
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .thread_name(move |i| format!("analysis-{kind:?}-{i}"))
                    .build()
                    .ok();
                std::thread::Builder::new()
                    .name("parkplan-analysis".into())
                    .spawn(move || {
                        while let Ok(mut next) = rx.recv() {
                            // Of the queued jobs only the newest matters.
                            while let Ok(newer) = rx.try_recv() {
                                next = newer;
                            }
                            let (job, token) = next;
                            let run = || run_analysis_with(&job, &token);
                            let result = match &pool {
                                Some(p) => p.install(run),
                                None => run(),
                            };
                            if let Some(result) = result {
                                send(job.id, result);
                            }
                        }
                    })
                    .expect("spawn an analysis thread");
                (kind, tx)
            })
            .collect();
        AnalysisWorker {
            jobs,
            current: std::sync::Mutex::new(Vec::new()),
        }
    }

    pub fn submit(&self, job: AnalysisJob) {
        let token = CancelToken::new();
        if let Ok(mut current) = self.current.lock() {
            current.retain(|(k, _, old)| {
                if *k == job.kind {
                    old.cancel();
                }
                *k != job.kind
            });
            current.push((job.kind, job.id, token.clone()));
        }
        if let Some((_, tx)) = self.jobs.iter().find(|(k, _)| *k == job.kind) {
            let _ = tx.send((job, token));
        }
    }

    /// Cancels the jobs of an older analyses id: their results would be dropped.
    pub fn cancel_stale(&self, id: u64) {
        if let Ok(current) = self.current.lock() {
            for (_, job_id, token) in current.iter() {
                if *job_id < id {
                    token.cancel();
                }
            }
        }
    }
}

#[cfg(test)]
impl AnalysisWorker {
    /// Whether the last job of `kind` has been cancelled (None: no job yet).
    pub fn cancelled(&self, kind: AnalysisKind) -> Option<bool> {
        let current = self.current.lock().ok()?;
        current
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|(_, _, t)| t.is_cancelled())
    }
}

impl Drop for AnalysisWorker {
    fn drop(&mut self) {
        if let Ok(current) = self.current.lock() {
            for (_, _, t) in current.iter() {
                t.cancel();
            }
        }
    }
}
