//! What a running solver reports, and how it is stopped.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::plan::Plan;

/// A shared flag that asks a running solve to stop. Cloning shares the flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }
    /// Asks the solve to stop: it returns [`super::SolveError::Cancelled`] and,
    /// once it has seen the request, reports nothing more (a report already
    /// under way when the flag is set can still arrive: tag results by run).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Release);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// A snapshot after one generation of the genetic algorithm.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// 0 is the initial population.
    pub generation: usize,
    pub best: f64,
    pub mean: f64,
    pub worst: f64,
    /// The best plan so far.
    pub best_plan: Plan,
    /// Fitness evaluations so far.
    pub evaluations: u64,
    pub elapsed_s: f64,
}
