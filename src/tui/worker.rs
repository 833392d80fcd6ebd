//! The solver thread. The console sends it jobs; it answers with messages
//! tagged by run id, streaming GA progress at most about 20 times a second. A
//! new job cancels the old one through its token; a panic inside a solve
//! becomes a `Failed` message instead of killing the thread.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use parkplan::model::{Objective, Options};
use parkplan::park::Park;
use parkplan::plan::Plan;
use parkplan::solve::ga::{self, GaConfig, StopReason};
use parkplan::solve::{BoundKind, CancelToken, Solution, SolveError, exact};

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
        reason: StopReason,
    },
    Failed {
        run_id: u64,
        error: String,
    },
}

/// Runs one job in this thread, reporting through `send`. Returns quietly when
/// cancelled (the console has moved on to a newer run).
pub fn run_job(job: &Job, send: &mut dyn FnMut(WorkerMsg)) {
    let run_id = job.run_id;
    let result = catch_unwind(AssertUnwindSafe(|| solve(job, send)));
    match result {
        Ok(Ok(())) | Ok(Err(SolveError::Cancelled)) => {}
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            send(WorkerMsg::Failed {
                run_id,
                error: format!("solver crashed: {why}"),
            });
        }
    }
}

fn solve(job: &Job, send: &mut dyn FnMut(WorkerMsg)) -> Result<(), SolveError> {
    let run_id = job.run_id;
    let opts = Arc::new(parkplan::compile(&job.park));
    if job.token.is_cancelled() {
        return Err(SolveError::Cancelled);
    }
    let certified = exact::solve(&opts, job.objective, CERTIFY_NODES)?;
    let kind = certified.bound;
    send(WorkerMsg::Started {
        run_id,
        opts: opts.clone(),
        bound: certified.upper_bound,
        bound_kind: kind,
    });
    let mut cfg = GaConfig::new(job.park.solver.clone());
    cfg.target = Some(certified.upper_bound);
    cfg.target_is_optimum = kind == BoundKind::Optimum;
    cfg.target_tolerance = if kind == BoundKind::Optimum {
        1e-9
    } else {
        1e-4
    };
    cfg.seed_heuristic = kind != BoundKind::Optimum;
    let mut points = Vec::new();
    let mut last = Instant::now() - PROGRESS_INTERVAL;
    let token = &job.token;
    let (solution, reason) = ga::solve(&opts, job.objective, &cfg, token, |p| {
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
            plan: solution.plan.clone(),
            evaluations: solution.evaluations,
            elapsed_s: solution.seconds,
        });
    }
    send(WorkerMsg::Done {
        run_id,
        solution,
        reason,
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
