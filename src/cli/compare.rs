//! `parkplan compare`: integration configurations solved and shown side by side.

use std::path::PathBuf;

use clap::Args;
use parkplan::analysis::compare;
use rayon::prelude::*;

use super::format::{self, Completion, FormatArg, Output, Rows};
use super::limit::TimeLimitArg;
use super::{BadInput, ObjectiveArg, load_park, print};

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Park file (TOML); the built-in paper case if omitted.
    pub park: Option<PathBuf>,
    /// Scenarios to compare, in this order (repeatable; default: all). Built in:
    /// baseline, no-net, dac, beccs, biochar, mix; plus the park file's [[scenario]] names.
    #[arg(long = "scenario", value_name = "NAME")]
    pub scenarios: Vec<String>,
    /// What each configuration maximizes.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Economic)]
    pub objective: ObjectiveArg,
    /// Overrides applied to every scenario, after the scenario's own (repeatable),
    /// e.g. --set ets_price=100 or, with [energy], --set gas_price=400.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// List the scenarios the park offers and exit.
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub format: FormatArg,
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

pub fn run(args: &CompareArgs) -> anyhow::Result<()> {
    let start = std::time::Instant::now();
    let mut park = load_park(args.park.as_ref(), &args.sets)?;
    if args.list {
        let mut s = String::new();
        for sc in compare::available(&park) {
            s += &format!("{:<20} {}\n", sc.name, sc.description);
        }
        return print(&s);
    }
    let mut scenarios =
        compare::select(&park, &args.scenarios).map_err(|e| BadInput(e.to_string()))?;
    // The command line has the last word: its overrides go after each
    // scenario's own (load_park has checked them).
    let overrides = super::parsed_sets(&args.sets);
    for sc in &mut scenarios {
        sc.set.extend(overrides.iter().cloned());
    }
    let obj = args.objective.into();
    let (token, _) = args.limit.token(start, args.format.format, &mut park);
    let results: Vec<_> = scenarios
        .par_iter()
        .map(|sc| {
            if token.is_cancelled() {
                return Ok(None);
            }
            compare::run_with(&park, sc, obj, &token)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| BadInput(e.to_string()))?
        .into_iter()
        .flatten()
        .collect();
    let completion = Completion::new(results.len(), scenarios.len(), "scenarios", false);
    let rows = parkplan::report::scenario_kpi_rows(&results);
    let json = parkplan::report::CompareDoc {
        park: &park.name,
        objective: obj.name(),
        scenarios: &results,
    };
    format::emit_analysis(
        args.format,
        Output {
            text: Box::new(|_| {
                format!(
                    "{}\nobjective: {}\n\n{}",
                    park.name,
                    obj.name(),
                    parkplan::report::compare_table(&results)
                )
            }),
            json: &json,
            rows: Rows::Typed(&rows),
        },
        &completion,
    )
}
