//! `parkplan compare`: integration configurations solved and shown side by side.

use std::path::PathBuf;

use clap::Args;
use parkplan::analysis::compare;
use rayon::prelude::*;

use super::{BadInput, Format, ObjectiveArg, load_park, print};

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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(args: &CompareArgs) -> anyhow::Result<()> {
    let park = load_park(args.park.as_ref(), &args.sets)?;
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
    let results = scenarios
        .par_iter()
        .map(|sc| compare::run(&park, sc, obj))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| BadInput(e.to_string()))?;
    let text = match args.format {
        Format::Table => format!(
            "{}\nobjective: {}\n\n{}",
            park.name,
            obj.name(),
            parkplan::report::compare_table(&results)
        ),
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "park": park.name,
                "objective": obj.name(),
                "scenarios": results,
            }))? + "\n"
        }
        Format::Csv => {
            let mut s = String::from("scenario,kpi,value\n");
            for r in &results {
                let k = &r.ledger.kpis;
                let c = &r.ledger.carbon;
                let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
                let rows: Vec<(&str, String)> = vec![
                    ("capex", r.capex.to_string()),
                    ("annual_benefit", r.annual_benefit.to_string()),
                    ("annual_co2_reduction", r.annual_co2_reduction.to_string()),
                    ("avoided", c.totals.avoided.to_string()),
                    ("utilized", c.totals.utilized.to_string()),
                    ("removed", c.totals.removed.to_string()),
                    ("auxiliary", c.totals.auxiliary.to_string()),
                    ("emissions_before", opt(c.emissions_before)),
                    ("emissions_after", opt(c.emissions_after)),
                    ("efficiency_before", opt(k.efficiency_before)),
                    ("efficiency_after", opt(k.efficiency_after)),
                    ("net_negative_t", k.net_negative_t.to_string()),
                    ("energy_penalty_mwh_per_t", opt(k.energy_penalty_mwh_per_t)),
                    ("grid_import_after_mwh", opt(k.grid_import_after_mwh)),
                    ("peak_import_before_mw", opt(k.peak_import_before_mw)),
                    ("peak_import_after_mw", opt(k.peak_import_after_mw)),
                    ("pv_self_consumption", opt(k.pv_self_consumption)),
                    ("new_load_mwh", k.new_load_mwh.to_string()),
                    ("flexible_share", opt(k.flexible_share)),
                    ("gap", r.gap.to_string()),
                ];
                for (k, v) in rows {
                    s += &format!("{},{k},{v}\n", parkplan::report::csv_field(&r.name));
                }
            }
            s
        }
    };
    print(&text)
}
