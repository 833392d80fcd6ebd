//! The jobs of the runner: the solve (GA progress streamed at most about 20
//! times a second, then the best plan known) and the views' analyses. Messages
//! are tagged by run (or analyses) id; a panic inside a job becomes a failure
//! message instead of killing its thread.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parkplan::model::{Objective, Options};
use parkplan::park::Park;
use parkplan::plan::Plan;
use parkplan::solve::ga;
use parkplan::solve::{BoundKind, CancelToken, Solution, SolveError, best_of, certified_ga};

use crate::runner::Task;

/// Tests set this to make the solve of a park named `__panic_in_solver__` panic.
#[doc(hidden)]
pub static FAULT_INJECTION: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

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
    /// A result of a view's analysis, for the analyses with this id.
    Analysis {
        view: &'static str,
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
    if FAULT_INJECTION.load(std::sync::atomic::Ordering::Relaxed)
        && job.park.name.contains("__panic_in_solver__")
    {
        panic!("injected fault");
    }
    let token = &job.token;
    // Compiling a large park takes a while (0.5 s at 100,000 regions): a
    // stale job stops there too.
    let opts = parkplan::model::compile_until(&job.park, &|| token.is_cancelled())
        .ok_or(SolveError::Cancelled)?;
    let opts = Arc::new(opts);
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

impl Job {
    /// The solve as a task of the runner's `solve` lane.
    pub fn into_task(self) -> Task<WorkerMsg> {
        Task {
            lane: "solve",
            id: self.run_id,
            token: self.token.clone(),
            stale_on_edit: false,
            own_pool: false,
            work: Box::new(move |_, send| run_job(&self, send)),
        }
    }
}

/// A view's analysis result, downcast by the view that asked for it.
pub type AnyResult = Arc<dyn Any + Send + Sync>;
/// An analysis result or why it failed.
pub type AnalysisResult = Result<AnyResult, String>;

type AnalysisWork = Box<
    dyn FnOnce(&CancelToken, &mut dyn FnMut(AnyResult)) -> Result<Option<AnyResult>, String> + Send,
>;

/// An analysis of a view, for the current analyses id.
pub struct AnalysisJob {
    /// The key of the view that asked for it (its lane, and where the result goes).
    pub view: &'static str,
    pub id: u64,
    work: AnalysisWork,
}

impl AnalysisJob {
    /// `work` returns `Ok(None)` once its token is cancelled.
    pub fn new<T: Any + Send + Sync>(
        view: &'static str,
        id: u64,
        work: impl FnOnce(&CancelToken) -> Result<Option<T>, String> + Send + 'static,
    ) -> AnalysisJob {
        AnalysisJob {
            view,
            id,
            work: Box::new(move |token, _| Ok(work(token)?.map(|r| Arc::new(r) as AnyResult))),
        }
    }

    /// An analysis that also reports as it goes: each `P` it hands to its
    /// `emit` reaches the view (through `on_result`) before its result `T`.
    pub fn streaming<T: Any + Send + Sync, P: Any + Send + Sync>(
        view: &'static str,
        id: u64,
        work: impl FnOnce(&CancelToken, &mut dyn FnMut(P)) -> Result<Option<T>, String> + Send + 'static,
    ) -> AnalysisJob {
        AnalysisJob {
            view,
            id,
            work: Box::new(move |token, emit| {
                let mut partial = |p: P| emit(Arc::new(p) as AnyResult);
                Ok(work(token, &mut partial)?.map(|r| Arc::new(r) as AnyResult))
            }),
        }
    }

    /// Runs the analysis in this thread: its message, or `None` once `token`
    /// is cancelled. A panic becomes a failure. What it reports on the way
    /// is dropped (see [`AnalysisJob::run_streaming`]).
    pub fn run(self, token: &CancelToken) -> Option<WorkerMsg> {
        self.run_streaming(token, &mut |_| {})
    }

    /// [`AnalysisJob::run`] that sends what the analysis reports on the way
    /// to `send` (as messages of its view and id), then returns its result.
    pub fn run_streaming(
        self,
        token: &CancelToken,
        send: &mut dyn FnMut(WorkerMsg),
    ) -> Option<WorkerMsg> {
        let (view, id) = (self.view, self.id);
        let mut partial = |r: AnyResult| {
            send(WorkerMsg::Analysis {
                view,
                id,
                result: Ok(r),
            })
        };
        let result = match catch_unwind(AssertUnwindSafe(|| (self.work)(token, &mut partial))) {
            Ok(Ok(Some(r))) => Ok(r),
            Ok(Ok(None)) => return None,
            Ok(Err(e)) => Err(e),
            Err(_) => Err("the analysis crashed".to_string()),
        };
        Some(WorkerMsg::Analysis { view, id, result })
    }

    /// The analysis as a task of the view's lane, in a pool of its own.
    pub fn into_task(self) -> Task<WorkerMsg> {
        Task {
            lane: self.view,
            id: self.id,
            token: CancelToken::new(),
            stale_on_edit: true,
            own_pool: true,
            work: Box::new(move |token, send| {
                if let Some(m) = self.run_streaming(token, send) {
                    send(m)
                }
            }),
        }
    }
}
