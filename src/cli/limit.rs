//! `--time-limit` of the analyses (`sweep`, `pareto`, `compare`, `robust`),
//! defined once: the whole command's wall clock, as for `solve`. When time is
//! up the analysis stops (its cancel token fires) and the command prints what
//! it computed, marked incomplete in every format ([`super::format::Completion`]).

use std::time::{Duration, Instant};

use clap::Args;
use parkplan::Park;
use parkplan::solve::CancelToken;

use super::format::Format;

/// Share of the limit kept for writing an analysis's output, besides the
/// reserve `solve` keeps in proportion to the reading time.
const OUTPUT_SHARE: f64 = 0.1;

/// The `--time-limit` flag of the analyses.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct TimeLimitArg {
    /// Stop after this many seconds of wall clock, reading the park and
    /// writing the output included, and print what was computed by then,
    /// marked incomplete (an "INCOMPLETE: ..." line first and last in the
    /// table, "complete": false with "done" and "of" in JSON, the same line
    /// as a "# " comment first in CSV). Default: no limit.
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
}

/// `--time-limit`: a positive, finite number of seconds.
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 1e9 => Ok(s),
        _ => Err("expected a number of seconds above 0 (at most 1e9)".into()),
    }
}

impl TimeLimitArg {
    /// A token that fires when the analysis has to stop: the limit counted
    /// from `start` (the command's start), less the time already spent
    /// reading (`loaded`) and a reserve for the output in `format`
    /// ([`super::solve::solver_budget`]). Never fires without a limit.
    ///
    /// The park's own time limit per solve (`[solver].time_limit_s`) is cut
    /// to the time left: the LP solves on parks with resource rows stop on
    /// their deadline, not on the token.
    ///
    /// Also returns the moment the token fires (`None` without a limit).
    pub fn token(
        &self,
        start: Instant,
        format: Format,
        park: &mut Park,
    ) -> (CancelToken, Option<Instant>) {
        let token = CancelToken::new();
        let Some(limit) = self.time_limit else {
            return (token, None);
        };
        let loaded = start.elapsed().as_secs_f64();
        // An analysis's output grows with what it computed (a sweep of the
        // paper case solves about 17,000 values a second, 11 MB of JSON that
        // take 0.3 s to write): a tenth of the limit is kept for it.
        let budget = (super::solve::solver_budget(limit, loaded, format) - OUTPUT_SHARE * limit)
            .max(limit * 0.01);
        park.solver.time_limit_s = park.solver.time_limit_s.min(budget);
        let at = Instant::now() + Duration::from_secs_f64(budget);
        let fire = token.clone();
        // A timer thread; the process ends without waiting for it.
        std::thread::spawn(move || {
            let now = Instant::now();
            if at > now {
                std::thread::sleep(at - now);
            }
            fire.cancel();
        });
        (token, Some(at))
    }
}
