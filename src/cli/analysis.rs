//! `parkplan sweep` and `parkplan mac`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use parkplan::analysis::mac;
use parkplan::analysis::sweep::{self, SweepPoint, TippingPoint};
use parkplan::model::Objective;
use parkplan::number::{group_thousands, plain_number, plain_rounded};
use parkplan::park::{Param, Park, Strategy, param};
use parkplan::report::{
    MacDoc, MacRow, ParetoDoc, ParetoPointDoc, ParetoRow, SweepDoc, SweepPointDoc, TippingDoc,
};
use parkplan::table::{Align, Table};

use super::format::{self, Completion, FormatArg, Output, Rows};
use super::limit::TimeLimitArg;
use super::{BadInput, ObjectiveArg, load_park};

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
    #[command(flatten)]
    pub format: FormatArg,
    #[command(flatten)]
    pub limit: TimeLimitArg,
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
    let start = Instant::now();
    let mut park = load_park(args.park.as_ref(), &args.sets)?;
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
    let (token, _) = args.limit.token(start, args.format.format, &mut park);
    let points: Vec<SweepPoint> = sweep::sweep_with(&park, p.key, &values, obj, &token)
        .map_err(|e| BadInput(e.to_string()))?
        .into_iter()
        .flatten()
        .collect();
    let mut completion = Completion::new(points.len(), values.len(), "values", false);
    let tips = if args.no_tipping {
        Vec::new()
    } else if !completion.complete {
        completion
            .left_out
            .push("the tipping points were not located".into());
        Vec::new()
    } else {
        let (tips, whole) = sweep::tipping_points_with(&park, p.key, &points, obj, &token)
            .map_err(|e| BadInput(e.to_string()))?;
        if !whole {
            completion = Completion::new(points.len(), values.len(), "values", true);
            completion.left_out.push(
                "the tipping points shown are those located by then; others may be missing".into(),
            );
        }
        tips
    };
    let names = tech_namer(&park);
    let json = SweepDoc {
        park: &park.name,
        param: p.key,
        unit: p.unit,
        objective: obj.name(),
        points: points.iter().map(SweepPointDoc::new).collect(),
        tipping_points: tips.iter().map(|t| TippingDoc::new(t, &names)).collect(),
    };
    let (header, rows) = parkplan::report::sweep_rows(p.key, p.unit, &points);
    format::emit_analysis(
        args.format,
        Output {
            text: Box::new(|width| sweep_text(&park, &p, obj, &points, &tips, &names, width)),
            json: &json,
            rows: Rows::WithHeader(&header, &rows),
        },
        &completion,
    )
}

fn describe_tip(t: &TippingPoint, unit: &str, names: &dyn Fn(Strategy, u32) -> String) -> String {
    let what: Vec<String> = t
        .changes
        .iter()
        .map(|c| sweep::describe(c, names))
        .collect();
    format!(
        "at {} {unit} (between {} and {}): {}",
        plain_rounded(t.above),
        plain_rounded(t.below),
        plain_rounded(t.above),
        if what.is_empty() {
            "the plan changes (ties between equal options)".to_string()
        } else {
            what.join("; ")
        }
    )
}

fn sweep_text(
    park: &Park,
    p: &KeyUnit,
    obj: Objective,
    points: &[SweepPoint],
    tips: &[TippingPoint],
    names: &dyn Fn(Strategy, u32) -> String,
    width: Option<usize>,
) -> String {
    let (key, unit) = (p.key, p.unit);
    let mut out = format!(
        "{}\nsweep of {key} ({unit}), objective {}\n\n",
        park.name,
        obj.name()
    );
    let columns: BTreeSet<(Strategy, u32)> = points
        .iter()
        .flat_map(|pt| pt.capacities.keys().copied())
        .collect();
    let mut table = Table::new()
        .column(key, Align::Right, false)
        .column("benefit CNY/yr", Align::Right, false)
        .column("CO2 t/yr", Align::Right, false)
        .column("capex CNY", Align::Right, false)
        .column("gap", Align::Right, false);
    for (s, t) in &columns {
        table = table.column(format!("{s} {t} {}", s.unit()), Align::Right, false);
    }
    for pt in points {
        let mut r = vec![
            plain_rounded(pt.value),
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
        table.row(r);
    }
    out += &table.render(width);
    if !tips.is_empty() {
        out += "\ntipping points (located to 0.1 % of the swept range):\n";
        for t in tips {
            out += &format!("  {}\n", describe_tip(t, unit, names));
        }
    }
    out
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
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run_mac(args: &MacArgs) -> anyhow::Result<()> {
    let park = load_park(args.park.as_ref(), &args.sets)?;
    let opts = parkplan::compile(&park);
    let e = &park.economics;
    let curve = mac::walk(&opts, e.ets_price_cny_per_t);
    let entries: Vec<mac::MacEntry> = curve
        .entries
        .into_iter()
        .filter(|m| !args.cheapest_only || !m.alternative)
        .collect();
    let rows = parkplan::report::mac_rows(&entries, e.capex_cap_cny);
    let json = MacDoc::new(
        &park.name,
        e.ets_price_cny_per_t,
        e.capex_cap_cny,
        &entries,
        &curve.unused,
    );
    format::emit(
        args.format,
        Output {
            text: Box::new(|width| {
                mac_text(&park, &rows, &curve.unused, !opts.rows.is_empty(), width)
            }),
            json: &json,
            rows: Rows::Typed(&rows),
        },
    )
}

fn mac_text(
    park: &Park,
    rows: &[MacRow],
    unused: &[mac::Unused],
    walked: bool,
    width: Option<usize>,
) -> String {
    let e = &park.economics;
    let mut s = format!(
        "{}\nmarginal abatement cost curve: cost per tonne before carbon revenue (CNY/t), cheapest first;\nbudget line at the capex cap {} CNY; carbon price {} CNY/t\n",
        park.name,
        group_thousands(e.capex_cap_cny, 0),
        plain_number(e.ets_price_cny_per_t)
    );
    if walked {
        s += "resource rows: each bar is what its option adds given the bars above it\n\
              (credit beyond the park's demand dropped, biomass and land cut to what remains)\n";
    }
    s += "\n";
    let limits = rows.iter().any(|m| !m.limited_by.is_empty());
    let mut table = Table::new()
        .no_rule()
        .column("region", Align::Right, false)
        .column("strat", Align::Left, false)
        .column("technology", Align::Left, true)
        .column("CNY/t", Align::Right, false)
        .column("t/yr", Align::Right, false)
        .column("cum. t/yr", Align::Right, false)
        .column("cum. capex", Align::Right, false);
    if limits {
        table = table.column("limited by", Align::Left, true);
    }
    table = table.column("", Align::Left, false);
    let mut line_drawn = false;
    for m in rows {
        if !m.within_budget && !line_drawn && !m.alternative {
            table.line("budget line");
            line_drawn = true;
        }
        let mut r = vec![
            m.region.to_string(),
            m.strategy.to_string(),
            format!("{} {}", m.technology, m.technology_name),
            group_thousands(m.cost_per_t, 1),
            group_thousands(m.potential_t, 0),
            group_thousands(m.cumulative_potential_t, 0),
            group_thousands(m.cumulative_capex, 0),
        ];
        if limits {
            r.push(m.limited_by.clone());
        }
        r.push(if m.alternative {
            "(alternative)".into()
        } else {
            String::new()
        });
        table.row(r);
    }
    s += &table.render(width);
    if !unused.is_empty() {
        s += "\nadding nothing once the bars above have used the rows (not on the curve):\n";
        for u in unused {
            s += &format!(
                "  region {} {} {} {}: {}\n",
                u.region,
                u.strategy.name(),
                u.technology,
                u.technology_name,
                u.limited_by.join(", ")
            );
        }
    }
    s
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
    #[command(flatten)]
    pub format: FormatArg,
    /// Report each point on stderr as it is solved ("n of N, elapsed").
    #[arg(long)]
    pub progress: bool,
    #[command(flatten)]
    pub limit: TimeLimitArg,
}

pub fn run_pareto(args: &ParetoArgs) -> anyhow::Result<()> {
    use parkplan::analysis::pareto;
    let start = Instant::now();
    let mut park = load_park(args.park.as_ref(), &args.sets)?;
    let (token, _) = args.limit.token(start, args.format.format, &mut park);
    let front = pareto::front_partial(&park, args.points, &token, |p, at| {
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
    let completion = Completion::new(front.done, args.points, "targets", false);
    if args.progress && !completion.complete {
        eprintln!(
            "stopped: time limit after {} of {} targets",
            front.done, args.points
        );
    }
    let (opts, pts) = (front.opts, front.points);
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
    let rows: Vec<ParetoRow> = pts
        .iter()
        .enumerate()
        .map(|(i, p)| ParetoRow::new(i + 1, p, plan_words(p).join("; ")))
        .collect();
    let json = ParetoDoc {
        park: &park.name,
        points: pts.iter().map(|p| ParetoPointDoc::new(&opts, p)).collect(),
    };
    format::emit_analysis(
        args.format,
        Output {
            text: Box::new(|width| pareto_text(&park, &opts, &pts, &rows, &names, width)),
            json: &json,
            rows: Rows::Typed(&rows),
        },
        &completion,
    )
}

/// Columns of the plans block when the output is a file or a pipe (blocks
/// of points side by side; nothing is cut either way).
const PLAIN_WIDTH: usize = 100;

/// The width a terminal may cut the option names of the plans block to.
const OPTION_MIN: usize = 28;

/// The front for people: one short row per point, then the capacity built at
/// each point as a grid (an option a row, a point a column), in blocks of
/// points as wide as the terminal (or [`PLAIN_WIDTH`]).
fn pareto_text(
    park: &Park,
    opts: &parkplan::model::Options,
    pts: &[parkplan::analysis::pareto::ParetoPoint],
    rows: &[ParetoRow],
    names: &dyn Fn(Strategy, u32) -> String,
    width: Option<usize>,
) -> String {
    use std::collections::BTreeMap;
    let mut s = format!(
        "{}\neconomic/carbon Pareto front: {} non-dominated points\n\
         (each the best benefit for at least its CO2 reduction)\n\n",
        park.name,
        rows.len()
    );
    let mut table = Table::new()
        .column("point", Align::Right, false)
        .column("CO2 t/yr", Align::Right, false)
        .column("benefit CNY/yr", Align::Right, false)
        .column("capex CNY", Align::Right, false)
        .column("status", Align::Left, false);
    for p in rows {
        table.row(vec![
            p.point.to_string(),
            group_thousands(p.annual_co2_reduction, 0),
            group_thousands(p.annual_benefit, 0),
            group_thousands(p.capex, 0),
            if p.proven_optimal {
                "optimal".into()
            } else {
                format!("gap {}", parkplan::number::percent(p.gap, 2))
            },
        ]);
    }
    s += &table.render(width);
    // Capacity per option (region, strategy, technology) and point.
    let mut grid: BTreeMap<(u32, Strategy, u32), Vec<Option<f64>>> = BTreeMap::new();
    for (k, p) in pts.iter().enumerate() {
        for b in p.solution.plan.built() {
            let it = &opts.items[b.item];
            grid.entry((it.region_id, it.strategy, it.tech))
                .or_insert_with(|| vec![None; pts.len()])[k] = Some(b.capacity);
        }
    }
    if grid.is_empty() {
        s += "\nnothing is built at any point\n";
        return s;
    }
    s += "\ncapacity built at each point (- not built); option: region strategy technology\n";
    let labels: Vec<(String, &str)> = grid
        .keys()
        .map(|&(r, st, t)| (format!("{r} {st} {t} {}", names(st, t)), st.unit()))
        .collect();
    let cells: Vec<Vec<String>> = grid
        .values()
        .map(|caps| {
            caps.iter()
                .map(|c| c.map_or_else(|| "-".to_string(), |c| group_thousands(c, 0)))
                .collect()
        })
        .collect();
    let point_width = |k: usize| {
        cells
            .iter()
            .map(|r| r[k].chars().count())
            .max()
            .unwrap_or(0)
            .max((k + 1).to_string().len())
    };
    let unit_width = labels
        .iter()
        .map(|l| l.1.chars().count())
        .max()
        .unwrap_or(0);
    let label_width = labels
        .iter()
        .map(|l| l.0.chars().count())
        .max()
        .unwrap_or(0);
    // On a terminal the option column may be cut to OPTION_MIN characters
    // (the table writer does it); in a file it is whole. Points fill the rest.
    let label_width = match width {
        Some(_) => label_width.min(OPTION_MIN),
        None => label_width,
    };
    let room = width
        .unwrap_or(PLAIN_WIDTH)
        .saturating_sub(label_width.max(6) + 2 + unit_width.max(4));
    let mut blocks: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0;
    for k in 0..pts.len() {
        let w = point_width(k) + 2;
        let last = blocks.last_mut().expect("one block");
        if !last.is_empty() && used + w > room {
            blocks.push(vec![k]);
            used = w;
        } else {
            last.push(k);
            used += w;
        }
    }
    for (b, block) in blocks.iter().enumerate() {
        if b > 0 {
            s += "\n";
        }
        let mut t =
            Table::new()
                .column("option", Align::Left, true)
                .column("unit", Align::Left, false);
        for &k in block {
            t = t.column((k + 1).to_string(), Align::Right, false);
        }
        for (label, row) in labels.iter().zip(&cells) {
            let mut r = vec![label.0.clone(), label.1.to_string()];
            r.extend(block.iter().map(|&k| row[k].clone()));
            t.row(r);
        }
        s += &t.render(width);
    }
    s
}
