//! One newest-job-wins runner for the solve and every analysis. Each lane (the
//! solve, or one view's analysis) has a thread of its own that runs one task at
//! a time: of the tasks queued only the newest runs, and submitting a task
//! cancels the lane's running one through its [`CancelToken`]. Tasks that are
//! `stale_on_edit` are also cancelled by [`Runner::cancel_stale`] once the
//! scenario moves on. A lane can run its tasks in a rayon pool of its own, so a
//! long Pareto front holds up neither a comparison nor the main solve.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};

use parkplan::solve::CancelToken;

/// A unit of work for a lane; it reports through the `FnMut(T)` it is given.
pub struct Task<T> {
    /// The lane: tasks of one lane replace each other.
    pub lane: &'static str,
    /// The run or analyses id the task belongs to.
    pub id: u64,
    /// Cancelled when a newer task of the lane is submitted (or it goes stale).
    pub token: CancelToken,
    /// Cancelled by [`Runner::cancel_stale`] with a newer id.
    pub stale_on_edit: bool,
    /// Runs in a rayon pool of the lane's own (else in rayon's global pool).
    pub own_pool: bool,
    pub work: Work<T>,
}

/// What a task does: given its token and where to send messages.
pub type Work<T> = Box<dyn FnOnce(&CancelToken, &mut dyn FnMut(T)) + Send>;

struct Lane<T> {
    tx: Sender<Task<T>>,
    /// The id, token and staleness rule of the last task submitted.
    current: Option<(u64, CancelToken, bool)>,
}

/// The lanes, created as tasks for them first arrive.
pub struct Runner<T: Send + 'static> {
    lanes: HashMap<&'static str, Lane<T>>,
    send: Arc<dyn Fn(T) + Send + Sync>,
}

impl<T: Send + 'static> Runner<T> {
    /// `send` delivers every task's messages (to the console loop).
    pub fn new(send: impl Fn(T) + Send + Sync + 'static) -> Runner<T> {
        Runner {
            lanes: HashMap::new(),
            send: Arc::new(send),
        }
    }

    /// Cancels the lane's running task and queues this one.
    pub fn submit(&mut self, task: Task<T>) {
        let send = self.send.clone();
        let lane = self
            .lanes
            .entry(task.lane)
            .or_insert_with(|| spawn_lane(task.lane, task.own_pool, send));
        if let Some((_, old, _)) = lane.current.take() {
            old.cancel();
        }
        lane.current = Some((task.id, task.token.clone(), task.stale_on_edit));
        let _ = lane.tx.send(task);
    }

    /// Cancels the `stale_on_edit` tasks of an id below `id`: their results
    /// would be dropped.
    pub fn cancel_stale(&self, id: u64) {
        for lane in self.lanes.values() {
            if let Some((old, token, true)) = &lane.current
                && *old < id
            {
                token.cancel();
            }
        }
    }

    /// Whether the last task of `lane` has been cancelled (`None`: no task yet).
    pub fn cancelled(&self, lane: &str) -> Option<bool> {
        let (_, t, _) = self.lanes.get(lane)?.current.as_ref()?;
        Some(t.is_cancelled())
    }
}

impl<T: Send + 'static> Drop for Runner<T> {
    fn drop(&mut self) {
        for lane in self.lanes.values() {
            if let Some((_, t, _)) = &lane.current {
                t.cancel();
            }
        }
    }
}

fn spawn_lane<T: Send + 'static>(
    name: &'static str,
    own_pool: bool,
    send: Arc<dyn Fn(T) + Send + Sync>,
) -> Lane<T> {
    let (tx, rx) = channel::<Task<T>>();
    // A pool of one thread fewer than the machine has (at least one): the GA of
    // the main solve keeps a core while an analysis runs.
    let pool = own_pool
        .then(|| {
            let threads = std::thread::available_parallelism()
                .map_or(1, |n| n.get().saturating_sub(1))
                .max(1);
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(move |i| format!("{name}-{i}"))
                .build()
                .ok()
        })
        .flatten();
    std::thread::Builder::new()
        .name(format!("parkplan-{name}"))
        .spawn(move || {
            while let Ok(mut task) = rx.recv() {
                // Of the queued tasks only the newest matters.
                while let Ok(newer) = rx.try_recv() {
                    task = newer;
                }
                if task.token.is_cancelled() {
                    continue;
                }
                let Task { token, work, .. } = task;
                let mut emit = |m: T| send(m);
                let run = || {
                    // The work reports its own failures; this keeps the lane alive.
                    let _ = catch_unwind(AssertUnwindSafe(|| work(&token, &mut emit)));
                };
                match &pool {
                    Some(p) => p.install(run),
                    None => run(),
                }
            }
        })
        .expect("spawn a runner thread");
    Lane { tx, current: None }
}
