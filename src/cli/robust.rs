//! `parkplan robust`: scenarios from the park's uncertainty, each solved
//! exactly; option shares, the optimum's spread, regret and the tornado.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use clap::Args;
use parkplan::analysis::robust::{self, Config, RobustError, Tick};

use super::format::{self, Completion, FormatArg, Output, Rows};
use super::limit::TimeLimitArg;
use super::{BadInput, ObjectiveArg, load_park};

#[derive(Debug, Args)]
pub struct RobustArgs {
    /// Park file (TOML); the built-in paper case if omitted.
    pub park: Option<PathBuf>,
    /// Number of scenarios drawn.
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
    /// Random seed: the same seed gives the same scenarios on any number of threads.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// What each scenario maximizes.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Economic)]
    pub objective: ObjectiveArg,
    #[command(flatten)]
    pub format: FormatArg,
    /// Show progress on stderr.
    #[arg(long)]
    pub progress: bool,
    /// Judge this plan (JSON as `parkplan solve --format json` or the console's
    /// `x` export write it) instead of the optimum at the file's values.
    #[arg(long, value_name = "FILE.json")]
    pub plan: Option<PathBuf>,
    /// Also the one-at-a-time tornado: the optimum with each parameter at its
    /// P10 and P90, the others at their medians.
    #[arg(long)]
    pub tornado: bool,
    /// Give a parameter a distribution (repeatable; replaces the file's), e.g.
    /// --vary ets_price=triangular:50:100:300 or --vary ccu.1.capex=uniform:900:1500.
    #[arg(long = "vary", value_name = "KEY=SPEC")]
    pub vary: Vec<String>,
    /// Correlate uncertain parameters (shared-factor Gaussian copula), e.g.
    /// --correlate electricity_price,gas_price=0.7 (repeatable).
    #[arg(long = "correlate", value_name = "KEY,KEY=RHO")]
    pub correlate: Vec<String>,
    /// Fixed override before drawing, as for solve (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

/// What `robust` prints when the time limit came before any scenario.
#[derive(serde::Serialize)]
struct NothingDoc<'a> {
    park: &'a str,
    objective: &'static str,
    samples: usize,
    seed: u64,
}

pub fn run(args: &RobustArgs) -> anyhow::Result<()> {
    let begin = Instant::now();
    let park = load_park(args.park.as_ref(), &args.sets)?;
    let mut spec = park.uncertainty.clone();
    for v in &args.vary {
        spec.vary(&park, v)
            .map_err(|e| BadInput(format!("--vary {v}: {e}")))?;
    }
    for c in &args.correlate {
        spec.correlate(c)
            .map_err(|e| BadInput(format!("--correlate {c}: {e}")))?;
    }
    let opts = parkplan::compile(&park);
    let reference = match &args.plan {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| BadInput(format!("--plan {}: {e}", path.display())))?;
            Some(
                robust::plan_from_json(&text, &opts)
                    .map_err(|e| BadInput(format!("--plan {}: {e}", path.display())))?,
            )
        }
        None => None,
    };
    let cfg = Config {
        samples: args.samples,
        seed: args.seed,
        objective: args.objective.into(),
        tornado: args.tornado,
    };
    let start = Instant::now();
    let last = Mutex::new(Instant::now());
    let tick = |t: Tick| {
        if !args.progress {
            return;
        }
        let Ok(mut last) = last.lock() else { return };
        if t.done < t.total && last.elapsed().as_millis() < 200 {
            return;
        }
        *last = Instant::now();
        eprintln!(
            "robust: {}/{} scenarios, {:.1} s",
            t.done,
            t.total,
            start.elapsed().as_secs_f64()
        );
    };
    let mut park = park;
    let (token, until) = args.limit.token(begin, args.format.format, &mut park);
    let run = robust::run_until(&park, &spec, &cfg, reference.as_ref(), &tick, &token, until);
    let (report, whole) = match run {
        Ok(r) => r,
        Err(RobustError::NoneInTime) => {
            // Not one scenario in time: say so, with no statistics at all.
            if args.progress {
                eprintln!("robust: stopped: time limit, no scenario solved");
            }
            let completion = Completion::new(0, args.samples, "samples", true);
            let doc = NothingDoc {
                park: &park.name,
                objective: cfg.objective.name(),
                samples: 0,
                seed: args.seed,
            };
            let rows: Vec<parkplan::report::LongRow> = Vec::new();
            return format::emit_analysis(
                args.format,
                Output {
                    text: Box::new(|_| format!("{}\nno scenario was solved\n", park.name)),
                    json: &doc,
                    rows: Rows::Typed(&rows),
                },
                &completion,
            );
        }
        Err(e @ RobustError::Cancelled) => return Err(anyhow::anyhow!(e)),
        Err(other) => return Err(BadInput(other.to_string()).into()),
    };
    let mut completion = Completion::new(report.samples, args.samples, "samples", !whole);
    if !whole && args.tornado {
        completion
            .left_out
            .push("the tornado was not computed".into());
    }
    if args.progress {
        match whole {
            true => eprintln!("robust: done in {:.2} s", start.elapsed().as_secs_f64()),
            false => eprintln!(
                "robust: stopped: time limit after {} of {} scenarios, {:.2} s",
                report.samples,
                args.samples,
                start.elapsed().as_secs_f64()
            ),
        }
    }
    let rows = report.csv_rows();
    format::emit_analysis(
        args.format,
        Output {
            text: Box::new(|_| report.to_table()),
            json: &report,
            rows: Rows::Typed(&rows),
        },
        &completion,
    )
}
