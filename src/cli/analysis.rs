//! `parkplan sweep` and `parkplan mac`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use clap::Args;
use parkplan::analysis::mac;
use parkplan::analysis::sweep::{self, SweepPoint, TippingPoint};
use parkplan::model::Objective;
use parkplan::park::{Param, Park, Strategy, param};
use parkplan::report::{group_thousands, plain_number};
use serde_json::json;

use super::{BadInput, Format, ObjectiveArg, load_park, print};

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Park file (TOML); the built-in paper case if omitted.
    pub park: Option<PathBuf>,
    /// Parameter to vary (any --set key, e.g. ets_price, capex_cap, co2_transport_km).
    #[arg(long, value_name = "KEY")]
    pub param: String,
    /// Values to solve at, comma-separated, e.g. 59,100,200,450.
    #[arg(
        long,
        value_delimiter = ',',
        conflicts_with = "range",
        required_unless_present = "range"
    )]
    pub values: Vec<f64>,
    /// Evenly spaced values FROM:TO:COUNT, e.g. 59:450:40 (COUNT >= 2 values, both ends included).
    #[arg(long, value_name = "FROM:TO:COUNT")]
    pub range: Option<String>,
    /// What to maximize.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Economic)]
    pub objective: ObjectiveArg,
    /// Fixed overrides applied before the sweep (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Skip locating the tipping points.
    #[arg(long)]
    pub no_tipping: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `--points`: 2 to [`parkplan::analysis::pareto::MAX_POINTS`].
fn points_in_range(text: &str) -> Result<usize, String> {
    let max = parkplan::analysis::pareto::MAX_POINTS;
    match text.trim().parse::<usize>() {
        Ok(n) if (2..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from 2 to {max}")),
    }
}

fn tech_namer(park: &Park) -> impl Fn(Strategy, u32) -> String + '_ {
    move |s, code| {
        park.catalogue
            .techs(s)
            .into_iter()
            .find(|t| t.0 == code)
            .map_or_else(|| format!("technology {code}"), |t| t.1.to_string())
    }
}

/// The swept parameter's key and unit.
struct KeyUnit {
    key: &'static str,
    unit: &'static str,
}

pub fn run_sweep(args: &SweepArgs) -> anyhow::Result<()> {
    let park = load_park(args.park.as_ref(), &args.sets)?;
    // An [economics] key, or a price of the park's [energy].
    let energy = parkplan::park::energy_param(&args.param);
    let p = match (param(&args.param), energy) {
        (Some(p), _) => KeyUnit {
            key: p.key,
            unit: p.unit,
        },
        (None, Some(&Param { key, .. })) if park.energy.is_none() => {
            return Err(BadInput(format!(
                "--param {key}: this park has no [energy] table (docs/energy-and-nets.md)"
            ))
            .into());
        }
        (None, Some(&Param { key, .. })) if key.ends_with("_demand") => {
            return Err(BadInput(format!(
                "--param {key}: a demand changes the energy balance, not the plan; compare \
                 [[scenario]]s with `set = {{ {key} = ... }}` instead (parkplan compare)"
            ))
            .into());
        }
        (None, Some(&Param { key, unit, .. })) => KeyUnit { key, unit },
        (None, None) => {
            return Err(BadInput(format!(
                "--param {:?}: unknown parameter; valid keys: {}, and in a park with [energy]: \
                 electricity_price, gas_price",
                args.param,
                parkplan::park::param_keys()
            ))
            .into());
        }
    };
    let values = match &args.range {
        Some(r) => sweep::SweepRange::parse(r, sweep::MAX_SWEEP_POINTS)
            .map_err(|why| BadInput(format!("--range {why}")))?
            .values(),
        None => args.values.clone(),
    };
    let obj: Objective = args.objective.into();
    let points = sweep::sweep(&park, p.key, &values, obj).map_err(|e| BadInput(e.to_string()))?;
    let tips = if args.no_tipping {
        Vec::new()
    } else {
        sweep::tipping_points(&park, p.key, &points, obj).map_err(|e| BadInput(e.to_string()))?
    };
    let names = tech_namer(&park);
    let columns: BTreeSet<(Strategy, u32)> = points
        .iter()
        .flat_map(|pt| pt.capacities.keys().copied())
        .collect();
    let text = match args.format {
        Format::Json => sweep_json(&park, p.key, p.unit, obj, &points, &tips, &names),
        Format::Csv => sweep_csv(p.key, &columns, &points),
        Format::Table => sweep_table(&park, p.key, p.unit, obj, &columns, &points, &tips, &names),
    };
    print(&text)
}

fn describe_tip(t: &TippingPoint, unit: &str, names: &dyn Fn(Strategy, u32) -> String) -> String {
    let what: Vec<String> = t
        .changes
        .iter()
        .map(|c| sweep::describe(c, names))
        .collect();
    format!(
        "at {} {unit} (between {} and {}): {}",
        plain_round(t.above),
        plain_round(t.below),
        plain_round(t.above),
        if what.is_empty() {
            "the plan changes (ties between equal options)".to_string()
        } else {
            what.join("; ")
        }
    )
}

/// Rounds to 6 significant digits for messages.
fn plain_round(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = 6 - x.abs().log10().ceil() as i32;
    let scale = 10f64.powi(digits);
    plain_number((x * scale).round() / scale)
}

#[allow(clippy::too_many_arguments)]
fn sweep_table(
    park: &Park,
    key: &str,
    unit: &str,
    obj: Objective,
    columns: &BTreeSet<(Strategy, u32)>,
    points: &[SweepPoint],
    tips: &[TippingPoint],
    names: &dyn Fn(Strategy, u32) -> String,
) -> String {
    let mut out = format!(
        "{}\nsweep of {key} ({unit}), objective {}\n\n",
        park.name,
        obj.name()
    );
    let mut header = vec![
        format!("{key}"),
        "benefit CNY/yr".into(),
        "CO2 t/yr".into(),
        "capex CNY".into(),
        "gap".into(),
    ];
    header.extend(columns.iter().map(|(s, t)| format!("{s} {t} {}", s.unit())));
    let mut rows = vec![header];
    for pt in points {
        let mut r = vec![
            plain_round(pt.value),
            group_thousands(pt.totals.annual_benefit, 0),
            group_thousands(pt.totals.annual_co2_reduction, 0),
            group_thousands(pt.totals.capex, 0),
            if pt.solution.proven_optimal {
                "optimal".into()
            } else {
                format!("{:.3}%", pt.solution.gap() * 100.0)
            },
        ];
        r.extend(
            columns
                .iter()
                .map(|c| group_thousands(pt.capacities.get(c).copied().unwrap_or(0.0), 0)),
        );
        rows.push(r);
    }
    let ncol = rows[0].len();
    let widths: Vec<usize> = (0..ncol)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for (k, r) in rows.iter().enumerate() {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, cell)| format!("{cell:>w$}", w = widths[c]))
            .collect();
        out += line.join("  ").trim_end();
        out += "\n";
        if k == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out += &rule.join("  ");
            out += "\n";
        }
    }
    if !tips.is_empty() {
        out += "\ntipping points (located to 0.1 % of the swept range):\n";
        for t in tips {
            out += &format!("  {}\n", describe_tip(t, unit, names));
        }
    }
    out
}

fn sweep_csv(key: &str, columns: &BTreeSet<(Strategy, u32)>, points: &[SweepPoint]) -> String {
    let mut out = format!("{key},annual_benefit,annual_co2_reduction,capex,annual_income,gap");
    for (s, t) in columns {
        out += &format!(",{s}_{t}_{}", s.unit().replace('/', "_per_"));
    }
    out += "\n";
    for pt in points {
        out += &format!(
            "{},{},{},{},{},{}",
            pt.value,
            pt.totals.annual_benefit,
            pt.totals.annual_co2_reduction,
            pt.totals.capex,
            pt.totals.annual_income,
            pt.solution.gap()
        );
        for c in columns {
            out += &format!(",{}", pt.capacities.get(c).copied().unwrap_or(0.0));
        }
        out += "\n";
    }
    out
}

fn sweep_json(
    park: &Park,
    key: &str,
    unit: &str,
    obj: Objective,
    points: &[SweepPoint],
    tips: &[TippingPoint],
    names: &dyn Fn(Strategy, u32) -> String,
) -> String {
    let pts: Vec<serde_json::Value> = points
        .iter()
        .map(|pt| {
            json!({
                "value": pt.value,
                "totals": {
                    "capex": pt.totals.capex,
                    "annual_income": pt.totals.annual_income,
                    "annual_benefit": pt.totals.annual_benefit,
                    "annual_co2_reduction": pt.totals.annual_co2_reduction,
                },
                "capacities": pt.capacities.iter().map(|((s, t), c)| json!({
                    "strategy": s.name(), "technology": t, "capacity": c, "unit": s.unit(),
                })).collect::<Vec<_>>(),
                "solver": {
                    "name": pt.solution.solver.name(),
                    "upper_bound": pt.solution.upper_bound,
                    "gap": pt.solution.gap(),
                    "proven_optimal": pt.solution.proven_optimal,
                },
            })
        })
        .collect();
    let tps: Vec<serde_json::Value> = tips
        .iter()
        .map(|t| {
            json!({
                "below": t.below,
                "above": t.above,
                "changes": t.changes.iter().map(|c| sweep::describe(c, names)).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "park": park.name,
        "param": key,
        "unit": unit,
        "objective": obj.name(),
        "points": pts,
        "tipping_points": tps,
    }))
    .expect("serializes")
        + "\n"
}

#[derive(Debug, Args)]
pub struct MacArgs {
    /// Park file (TOML); the built-in paper case if omitted.
    pub park: Option<PathBuf>,
    /// Overrides (repeatable), e.g. --set ets_price=100.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Leave out the options that exclude a cheaper one on the same lot or
    /// slot (listed by default, marked "alternative").
    #[arg(long)]
    pub cheapest_only: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run_mac(args: &MacArgs) -> anyhow::Result<()> {
    let park = load_park(args.park.as_ref(), &args.sets)?;
    let opts = parkplan::compile(&park);
    let e = &park.economics;
    let entries: Vec<mac::MacEntry> = mac::curve(&opts, e.ets_price_cny_per_t)
        .into_iter()
        .filter(|m| !args.cheapest_only || !m.alternative)
        .collect();
    let text = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&json!({
                "park": park.name,
                "ets_price": e.ets_price_cny_per_t,
                "capex_cap": e.capex_cap_cny,
                "entries": entries,
            }))? + "\n"
        }
        Format::Csv => {
            let mut s = String::from(
                "region,strategy,technology,technology_name,capacity,unit,cost_per_t,potential_t,capex,cumulative_potential_t,cumulative_capex,within_budget,alternative\n",
            );
            let (mut cp, mut cc) = (0.0, 0.0);
            for m in &entries {
                if !m.alternative {
                    cp += m.potential_t;
                    cc += m.capex;
                }
                s += &format!(
                    "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                    m.region,
                    m.strategy,
                    m.technology,
                    parkplan::report::csv_field(&m.technology_name),
                    m.capacity,
                    m.unit,
                    m.cost_per_t,
                    m.potential_t,
                    m.capex,
                    cp,
                    cc,
                    cc <= e.capex_cap_cny,
                    m.alternative
                );
            }
            s
        }
        Format::Table => {
            let mut s = format!(
                "{}\nmarginal abatement cost curve: cost per tonne before carbon revenue (CNY/t), cheapest first;\nbudget line at the capex cap {} CNY; carbon price {} CNY/t\n\n",
                park.name,
                group_thousands(e.capex_cap_cny, 0),
                plain_number(e.ets_price_cny_per_t)
            );
            s += &format!(
                "{:>6}  {:<5} {:<38} {:>12} {:>10} {:>12} {:>14}\n",
                "region", "strat", "technology", "CNY/t", "t/yr", "cum. t/yr", "cum. capex"
            );
            let (mut cp, mut cc) = (0.0, 0.0);
            let mut line_drawn = false;
            for m in &entries {
                if !m.alternative {
                    cp += m.potential_t;
                    cc += m.capex;
                }
                if cc > e.capex_cap_cny && !line_drawn && !m.alternative {
                    s += &format!("{:-^100}\n", " budget line ");
                    line_drawn = true;
                }
                s += &format!(
                    "{:>6}  {:<5} {:<38} {:>12} {:>10} {:>12} {:>14}{}\n",
                    m.region,
                    m.strategy.name(),
                    format!("{} {}", m.technology, m.technology_name)
                        .chars()
                        .take(38)
                        .collect::<String>(),
                    group_thousands(m.cost_per_t, 1),
                    group_thousands(m.potential_t, 0),
                    group_thousands(cp, 0),
                    group_thousands(cc, 0),
                    if m.alternative { "  (alternative)" } else { "" }
                );
            }
            s
        }
    };
    print(&text)
}

#[derive(Debug, Args)]
pub struct ParetoArgs {
    /// Park file (TOML); the built-in paper case if omitted.
    pub park: Option<PathBuf>,
    /// Number of epsilon-constraint solves between the two optima, 2-1000
    /// (dominated and repeated points are dropped, so the front may have fewer).
    #[arg(long, default_value_t = 21, value_parser = points_in_range)]
    pub points: usize,
    /// Overrides (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Report each point on stderr as it is solved ("n of N, elapsed").
    #[arg(long)]
    pub progress: bool,
}

pub fn run_pareto(args: &ParetoArgs) -> anyhow::Result<()> {
    use parkplan::analysis::pareto;
    let park = load_park(args.park.as_ref(), &args.sets)?;
    let token = parkplan::solve::CancelToken::new();
    let (opts, pts) = pareto::front_stream(&park, args.points, &token, |p, at| {
        if args.progress {
            eprintln!(
                "point {} of {}, {:.2} s: CO2 {} t/yr, benefit {} CNY/yr, {}",
                at.done,
                at.total,
                at.elapsed_s,
                group_thousands(p.totals.annual_co2_reduction, 0),
                group_thousands(p.totals.annual_benefit, 0),
                if p.solution.proven_optimal {
                    "proven".to_string()
                } else {
                    format!("gap {:.2e}", p.solution.gap())
                }
            );
        }
    })
    .map_err(|e| BadInput(e.to_string()))?;
    let names = tech_namer(&park);
    let plan_words = |p: &pareto::ParetoPoint| -> Vec<String> {
        p.solution
            .plan
            .built()
            .map(|b| {
                let it = &opts.items[b.item];
                format!(
                    "{} {} in region {}: {} {}",
                    it.strategy,
                    names(it.strategy, it.tech),
                    it.region_id,
                    group_thousands(b.capacity, 0),
                    it.strategy.unit()
                )
            })
            .collect()
    };
    let text = match args.format {
        Format::Json => {
            let v: Vec<serde_json::Value> = pts
                .iter()
                .map(|p| {
                    let r = parkplan::report::Report::new(&park, &opts, &p.solution);
                    json!({
                        "min_co2": p.min_co2,
                        "annual_benefit": p.totals.annual_benefit,
                        "annual_co2_reduction": p.totals.annual_co2_reduction,
                        "capex": p.totals.capex,
                        "plan": r.plan,
                        "proven_optimal": p.solution.proven_optimal,
                        "upper_bound": p.solution.upper_bound,
                        "gap": p.solution.gap(),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&json!({"park": park.name, "points": v}))? + "\n"
        }
        Format::Csv => {
            let mut s =
                String::from("annual_co2_reduction,annual_benefit,capex,proven_optimal,plan\n");
            for p in &pts {
                s += &format!(
                    "{},{},{},{},{}\n",
                    p.totals.annual_co2_reduction,
                    p.totals.annual_benefit,
                    p.totals.capex,
                    p.solution.proven_optimal,
                    parkplan::report::csv_field(&plan_words(p).join("; "))
                );
            }
            s
        }
        Format::Table => {
            let mut s = format!(
                "{}\neconomic/carbon Pareto front ({} non-dominated points; each the best benefit for at least its CO2)\n\n",
                park.name,
                pts.len()
            );
            s += &format!(
                "{:>12}  {:>15}  {:>12}  plan\n",
                "CO2 t/yr", "benefit CNY/yr", "capex CNY"
            );
            for p in &pts {
                s += &format!(
                    "{:>12}  {:>15}  {:>12}  {}{}\n",
                    group_thousands(p.totals.annual_co2_reduction, 0),
                    group_thousands(p.totals.annual_benefit, 0),
                    group_thousands(p.totals.capex, 0),
                    plan_words(p).join("; "),
                    if p.solution.proven_optimal {
                        ""
                    } else {
                        " (not proven)"
                    }
                );
            }
            s
        }
    };
    print(&text)
}
