//! Report data: what the command line shows of a plan and of each analysis,
//! as serde rows (one struct per kind of row) that the binary writes as a
//! table, JSON or CSV; plus the text tables of a plan, its ledger and a
//! comparison. Numbers are written by [`crate::number`].

use serde::Serialize;

use crate::number::{clean, figure, figure_opt};
pub use crate::number::{group_thousands, plain_number, short};

use crate::analysis::compare::ScenarioResult;
use crate::analysis::ledger::{Ledger, ledger};
use crate::model::Options;
use crate::park::{PARAMS, Park};
use crate::plan::Evaluation;
use crate::solve::Solution;

/// Everything a report shows; serialized as the JSON schema.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub park: String,
    pub objective: &'static str,
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub plan: Vec<PlanRow>,
    pub totals: TotalsRow,
    pub solver: SolverRow,
    /// Energy balance, carbon ledger and KPIs (docs/energy-and-nets.md).
    pub ledger: Ledger,
}

/// One built item of a plan: a row of `solve --format csv` and of the JSON's `plan`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanRow {
    pub region: u32,
    pub region_name: String,
    pub strategy: &'static str,
    pub technology: u32,
    pub technology_name: String,
    pub capacity: f64,
    pub unit: &'static str,
    pub capex: f64,
    pub annual_income: f64,
    pub annual_benefit: f64,
    pub annual_co2_reduction: f64,
}

/// A row of `solve --format csv` (and the console's plan export): a
/// [`PlanRow`] under headers that carry their units; the JSON keeps
/// [`PlanRow`]'s names (its schema is stable).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanCsvRow<'a> {
    pub region: u32,
    pub region_name: &'a str,
    pub strategy: &'a str,
    pub technology: u32,
    pub technology_name: &'a str,
    #[serde(serialize_with = "figure")]
    pub capacity: f64,
    /// The unit of `capacity`, which differs by strategy (t/a, kW, m2, ...).
    pub capacity_unit: &'a str,
    #[serde(rename = "capex_cny", serialize_with = "figure")]
    pub capex: f64,
    #[serde(rename = "annual_income_cny_per_yr", serialize_with = "figure")]
    pub annual_income: f64,
    #[serde(rename = "annual_benefit_cny_per_yr", serialize_with = "figure")]
    pub annual_benefit: f64,
    #[serde(rename = "annual_co2_t_per_yr", serialize_with = "figure")]
    pub annual_co2_reduction: f64,
}

impl<'a> From<&'a PlanRow> for PlanCsvRow<'a> {
    fn from(r: &'a PlanRow) -> PlanCsvRow<'a> {
        PlanCsvRow {
            region: r.region,
            region_name: &r.region_name,
            strategy: r.strategy,
            technology: r.technology,
            technology_name: &r.technology_name,
            capacity: r.capacity,
            capacity_unit: r.unit,
            capex: r.capex,
            annual_income: r.annual_income,
            annual_benefit: r.annual_benefit,
            annual_co2_reduction: r.annual_co2_reduction,
        }
    }
}

/// A plan's rows as CSV rows.
pub fn plan_csv_rows(rows: &[PlanRow]) -> Vec<PlanCsvRow<'_>> {
    rows.iter().map(PlanCsvRow::from).collect()
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct TotalsRow {
    pub capex: f64,
    pub annual_income: f64,
    pub annual_benefit: f64,
    pub annual_co2_reduction: f64,
    /// Income of recovered output beyond the park's demand, left out of the
    /// totals above (the rows include it; docs/energy-and-nets.md, resource rows).
    pub uncredited_income: f64,
    /// CO2 credit likewise left out (t/yr).
    pub uncredited_co2: f64,
}

impl TotalsRow {
    pub fn new(t: &crate::plan::Totals) -> TotalsRow {
        TotalsRow {
            capex: clean(t.capex),
            annual_income: clean(t.annual_income),
            annual_benefit: clean(t.annual_benefit),
            annual_co2_reduction: clean(t.annual_co2_reduction),
            uncredited_income: clean(t.uncredited_income),
            uncredited_co2: clean(t.uncredited_co2),
        }
    }
}

/// The built items of an evaluated plan as rows.
pub fn plan_rows(ev: &Evaluation) -> Vec<PlanRow> {
    ev.items
        .iter()
        .map(|r| PlanRow {
            region: r.region_id,
            region_name: r.region_name.clone(),
            strategy: r.strategy.name(),
            technology: r.tech,
            technology_name: r.tech_name.clone(),
            capacity: clean(r.capacity),
            unit: r.unit,
            capex: clean(r.capex),
            annual_income: clean(r.annual_income),
            annual_benefit: clean(r.annual_benefit),
            annual_co2_reduction: clean(r.annual_co2_reduction),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct SolverRow {
    pub name: &'static str,
    pub seconds: f64,
    pub evaluations: u64,
    pub upper_bound: f64,
    /// "optimum" (proven by the exact solver) or "lp_relaxation".
    pub upper_bound_kind: &'static str,
    pub gap: f64,
    pub proven_optimal: bool,
}

impl Report {
    /// The report as the `solve --format json` schema (README.md).
    pub fn to_json(&self) -> String {
        to_json(self)
    }

    /// The plan's rows as CSV (`solve --format csv`), headers with units.
    pub fn to_csv(&self) -> String {
        to_csv(&plan_csv_rows(&self.plan))
    }

    pub fn new(park: &Park, opts: &Options, sol: &Solution) -> Report {
        let ev: Evaluation = sol.plan.evaluate(opts);
        let mut parameters = serde_json::Map::new();
        for p in PARAMS {
            let v = p.get(&park.economics);
            if v.is_finite() {
                parameters.insert(p.key.to_string(), serde_json::json!(clean(v)));
            }
        }
        Report {
            park: park.name.clone(),
            objective: sol.objective.name(),
            parameters,
            plan: plan_rows(&ev),
            totals: TotalsRow::new(&ev.totals),
            solver: SolverRow {
                name: sol.solver.name(),
                seconds: sol.seconds,
                evaluations: sol.evaluations,
                upper_bound: clean(sol.upper_bound),
                upper_bound_kind: sol.bound.name(),
                gap: clean(sol.gap()),
                proven_optimal: sol.proven_optimal,
            },
            ledger: ledger(park, opts, &sol.plan),
        }
    }

    /// A text table: every region-strategy slot of the park (unbuilt ones shown
    /// as 0, as in the paper's Table 2), then totals and the solver's status.
    /// Nothing is cut: for a file or a pipe.
    pub fn to_table(&self, park: &Park) -> String {
        self.to_table_fit(park, None)
    }

    /// [`Report::to_table`] with the region and technology names cut to fit
    /// `width` columns (a terminal), if given.
    pub fn to_table_fit(&self, park: &Park, width: Option<usize>) -> String {
        use crate::table::{Align, Table};
        let mut out = String::new();
        let e = &park.economics;
        out += &format!(
            "{}\nobjective: {} ({})   capex cap {} CNY   ETS {} CNY/t   CO2 transport {} km   alpha {:.4}/yr\n\n",
            self.park,
            self.objective,
            if self.objective == "economic" {
                "eq. 3.1, max annual benefit"
            } else {
                "eq. 3.2, max annual CO2 reduction"
            },
            group_thousands(e.capex_cap_cny, 0),
            group_thousands(e.ets_price_cny_per_t, 1).trim_end_matches(".0"),
            group_thousands(e.co2_transport_km, 1).trim_end_matches(".0"),
            e.alpha()
        );
        let mut table = Table::new()
            .column("Region", Align::Left, true)
            .column("Strategy", Align::Left, false)
            .column("Technology", Align::Left, true)
            .column("Capacity", Align::Right, false)
            .column("Capex CNY", Align::Right, false)
            .column("Benefit CNY/yr", Align::Right, false)
            .column("CO2 t/yr", Align::Right, false);
        // Plan rows by (region, strategy): a search per slot was quadratic
        // (50 s for the table of a 100,000-region plan).
        let mut by_slot: std::collections::HashMap<(u32, &str), &PlanRow> =
            std::collections::HashMap::with_capacity(self.plan.len());
        for r in &self.plan {
            by_slot.entry((r.region, r.strategy)).or_insert(r);
        }
        for region in &park.regions {
            for slot in &region.slots {
                let built = by_slot.get(&(region.id, slot.strategy.name())).copied();
                table.row(match built {
                    Some(r) => vec![
                        format!("{} {}", r.region, r.region_name),
                        r.strategy.to_string(),
                        format!("{{{}}} {}", r.technology, r.technology_name),
                        format!("{} {}", group_thousands(r.capacity, 0), r.unit),
                        group_thousands(r.capex, 0),
                        group_thousands(r.annual_benefit, 0),
                        group_thousands(r.annual_co2_reduction, 1),
                    ],
                    None => vec![
                        format!("{} {}", region.id, region.name),
                        slot.strategy.name().to_string(),
                        "-".into(),
                        format!("0 {}", slot.strategy.unit()),
                        "0".into(),
                        "0".into(),
                        "0".into(),
                    ],
                });
            }
        }
        let t = &self.totals;
        table.rule();
        table.row(vec![
            "Total".to_string(),
            String::new(),
            String::new(),
            String::new(),
            group_thousands(t.capex, 0),
            group_thousands(t.annual_benefit, 0),
            group_thousands(t.annual_co2_reduction, 1),
        ]);
        out += &table.render(width);
        if t.uncredited_income != 0.0 || t.uncredited_co2 != 0.0 {
            out += &format!(
                "total less recovered output beyond the park's demand: {} CNY/yr and {} t/yr not credited\n",
                group_thousands(t.uncredited_income, 0),
                group_thousands(t.uncredited_co2, 1)
            );
        }
        out += &format!(
            "\nannual net operating income {} CNY/yr",
            group_thousands(t.annual_income, 0)
        );
        if t.annual_income > 0.0 {
            out += &format!(", simple payback {:.1} yr", t.capex / t.annual_income);
        }
        out += "\n";
        let s = &self.solver;
        let status = if s.proven_optimal {
            "proven optimal".to_string()
        } else {
            format!(
                "gap {:.4}% to the {} {}",
                s.gap * 100.0,
                if s.upper_bound_kind == "optimum" {
                    "exact optimum"
                } else {
                    "LP upper bound"
                },
                group_thousands(s.upper_bound, 0)
            )
        };
        out += &format!(
            "solver: {}, {status}, {} {}, {:.1} ms\n",
            s.name,
            s.evaluations,
            if s.name == "exact" {
                "nodes"
            } else {
                "evaluations"
            },
            s.seconds * 1000.0
        );
        out
    }
}

/// The ledger as text: carbon by kind, energy per carrier, KPIs.
pub fn ledger_table(l: &Ledger) -> String {
    let mut o = String::new();
    let c = &l.carbon.totals;
    let t = |x: f64| group_thousands(x, 0);
    o += "Carbon ledger (t CO2/yr)\n";
    o += &format!("  avoided (WHR, PV, by-products)   {:>14}\n", t(c.avoided));
    o += &format!("  utilized (CCU, released later)   {:>14}\n", t(c.utilized));
    o += &format!("  removed (FCS, NETs)              {:>14}\n", t(c.removed));
    o += &format!(
        "  auxiliary energy emissions       {:>14}\n",
        t(-c.auxiliary)
    );
    o += &format!("  net reduction                    {:>14}\n", t(c.net));
    if !l.carbon.items.is_empty() {
        o += &format!(
            "  {:<22} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
            "by item", "avoided", "utilized", "removed", "auxiliary", "net"
        );
        for it in &l.carbon.items {
            let [what, a, u, r, x, n] = item_carbon_cells(it);
            o += &format!("  {what:<22} {a:>10} {u:>10} {r:>10} {x:>10} {n:>10}\n");
        }
    }
    if let (Some(b), Some(a), Some(u)) = (
        l.carbon.emissions_before,
        l.carbon.emissions_after,
        l.carbon.unusable_credit,
    ) {
        o += &format!("  park emissions before            {:>14}\n", t(b));
        if u > 0.0 {
            o += &format!("  credit for unusable heat/cooling {:>14}\n", t(u));
        }
        o += &format!("  park emissions after             {:>14}\n", t(a));
    }
    if let Some(carriers) = &l.energy {
        o += "\nEnergy balance (MWh/yr)\n";
        for cb in carriers {
            o += &format!(
                "  {}: uses {} = supplies {}\n",
                cb.carrier.replace('_', " "),
                t(cb.total_use),
                t(cb.total_supply)
            );
            let side = |lines: &[crate::analysis::ledger::Line]| {
                lines
                    .iter()
                    .filter(|x| x.value != 0.0)
                    .map(|x| format!("{} {}", x.label, t(x.value)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            o += &format!("    uses:     {}\n", side(&cb.uses));
            o += &format!("    supplies: {}\n", side(&cb.supplies));
        }
    }
    if !l.subsystems.is_empty() {
        o += "\nEnergy by subsystem (MWh/yr)\n";
        let head = [
            "",
            "elec in",
            "elec out",
            "heat in",
            "heat out",
            "cool out",
            "steam",
            "gas",
            "biomass",
            "waste heat",
        ];
        let rows: Vec<Vec<String>> = l
            .subsystems
            .iter()
            .map(|u| {
                let mut r = vec![subsystem_label(&u.subsystem).to_string()];
                r.extend(
                    [
                        u.electricity_in,
                        u.electricity_out,
                        u.heat_in,
                        u.heat_out,
                        u.cooling_out,
                        u.steam_in,
                        u.gas_in,
                        u.biomass_in,
                        u.waste_heat_in,
                    ]
                    .map(|x| if x == 0.0 { "-".to_string() } else { t(x) }),
                );
                r
            })
            .collect();
        let mut table = crate::table::Table::new().no_rule().indent("  ");
        for (k, h) in head.iter().enumerate() {
            let align = if k == 0 {
                crate::table::Align::Left
            } else {
                crate::table::Align::Right
            };
            table = table.column(*h, align, false);
        }
        for r in rows {
            table.row(r);
        }
        o += &table.render(None);
    }
    o += "\nKPIs\n";
    for (k, v) in kpi_rows(l).into_iter().filter(|(_, v)| v != "-") {
        o += &format!("  {k:<34} {v}\n");
    }
    if l.energy.is_none() {
        o += "  (efficiency, grid and PV figures need an [energy] baseline: docs/energy-and-nets.md)\n";
    }
    o
}

/// How a subsystem of the ledger is shown: "baseline" is today's park.
pub fn subsystem_label(key: &str) -> &str {
    if key == crate::park::BASELINE {
        "today (before the plan)"
    } else {
        key
    }
}

/// One built item's carbon as text: "region STRATEGY tech", then avoided,
/// utilized, removed, auxiliary (negative) and net.
pub fn item_carbon_cells(it: &crate::analysis::ledger::ItemCarbon) -> [String; 6] {
    let c = &it.co2;
    let t = |x: f64| group_thousands(x, 0);
    [
        format!("{} {} {}", it.region, it.strategy, it.technology),
        t(c.avoided),
        t(c.utilized),
        t(c.removed),
        t(-c.auxiliary),
        t(c.net),
    ]
}

/// KPI labels and formatted values, in display order ("-" where not defined).
pub fn kpi_rows(l: &Ledger) -> Vec<(&'static str, String)> {
    let k = &l.kpis;
    let opt = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map_or("-".to_string(), f);
    let pct = |x: f64| format!("{:.1} %", x * 100.0);
    let mwh = |x: f64| format!("{} MWh/yr", group_thousands(x, 0));
    let mw = |x: f64| format!("{} MW", group_thousands(x, 1));
    vec![
        ("system efficiency before", opt(k.efficiency_before, &pct)),
        ("system efficiency after", opt(k.efficiency_after, &pct)),
        (
            "net negative emissions",
            format!("{} t/yr", group_thousands(k.net_negative_t, 0)),
        ),
        (
            "NET energy penalty per t removed",
            opt(k.energy_penalty_mwh_per_t, &|x| format!("{x:.3} MWh/t")),
        ),
        ("grid import before", opt(k.grid_import_before_mwh, &mwh)),
        ("grid import after", opt(k.grid_import_after_mwh, &mwh)),
        ("grid export after", opt(k.grid_export_after_mwh, &mwh)),
        ("peak grid import before", opt(k.peak_import_before_mw, &mw)),
        ("peak grid import after", opt(k.peak_import_after_mw, &mw)),
        (
            "peak, flexible load shed",
            opt(k.peak_import_flexible_mw, &mw),
        ),
        (
            "peak grid import change",
            opt(k.peak_change_mw(), &|x| format!("{:+.1} MW", x)),
        ),
        ("PV self-consumption", opt(k.pv_self_consumption, &pct)),
        ("new electricity load", mwh(k.new_load_mwh)),
        (
            "biomass used",
            if k.biomass_t == 0.0 {
                "-".to_string()
            } else {
                format!("{} t/yr", group_thousands(k.biomass_t, 0))
            },
        ),
        (
            "share of the biomass supply",
            opt(k.biomass_supply_share, &|s| {
                if s > 1.0 {
                    format!("{:.0} % (short)", s * 100.0)
                } else {
                    format!("{:.0} %", s * 100.0)
                }
            }),
        ),
        (
            "new load that can shift or curtail",
            opt(k.flexible_share, &pct),
        ),
    ]
}

/// Scenarios side by side: one column per scenario, one row per figure.
pub fn compare_table(results: &[ScenarioResult]) -> String {
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut push = |label: &str, cells: Vec<String>| rows.push((label.to_string(), cells));
    let col = |f: &dyn Fn(&ScenarioResult) -> String| results.iter().map(f).collect::<Vec<_>>();
    push("capex CNY", col(&|r| short(r.capex)));
    push("annual benefit CNY/yr", col(&|r| short(r.annual_benefit)));
    push(
        "CO2 reduction t/yr",
        col(&|r| group_thousands(r.annual_co2_reduction, 0)),
    );
    push(
        "  avoided",
        col(&|r| group_thousands(r.ledger.carbon.totals.avoided, 0)),
    );
    push(
        "  utilized (CCU)",
        col(&|r| group_thousands(r.ledger.carbon.totals.utilized, 0)),
    );
    push(
        "  removed",
        col(&|r| group_thousands(r.ledger.carbon.totals.removed, 0)),
    );
    push(
        "  auxiliary emissions",
        col(&|r| group_thousands(-r.ledger.carbon.totals.auxiliary, 0)),
    );
    push(
        "park emissions before t/yr",
        col(&|r| {
            r.ledger
                .carbon
                .emissions_before
                .map_or("-".into(), |x| group_thousands(x, 0))
        }),
    );
    push(
        "park emissions after t/yr",
        col(&|r| {
            r.ledger
                .carbon
                .emissions_after
                .map_or("-".into(), |x| group_thousands(x, 0))
        }),
    );
    let kpis: Vec<Vec<(&'static str, String)>> =
        results.iter().map(|r| kpi_rows(&r.ledger)).collect();
    if let Some(first) = kpis.first() {
        for (i, (label, _)) in first.iter().enumerate() {
            push(label, kpis.iter().map(|k| k[i].1.clone()).collect());
        }
    }
    push("built", col(&ScenarioResult::built_summary));
    push(
        "gap to optimum/bound",
        col(&|r| {
            if r.proven_optimal {
                "optimal".into()
            } else {
                format!("{:.2} %", r.gap * 100.0)
            }
        }),
    );
    let names: Vec<String> = results.iter().map(|r| r.name.clone()).collect();
    let lw = rows
        .iter()
        .map(|r| r.0.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let widths: Vec<usize> = (0..results.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.1[i].chars().count())
                .chain(std::iter::once(names[i].chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    // Blocks of scenarios that fit in 100 columns, one under the other.
    let mut blocks: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = lw;
    for (i, w) in widths.iter().enumerate() {
        let last = blocks.last_mut().expect("one block");
        if !last.is_empty() && used + 2 + w > 100 {
            blocks.push(vec![i]);
            used = lw + 2 + w;
        } else {
            last.push(i);
            used += 2 + w;
        }
    }
    let mut o = String::new();
    for (b, block) in blocks.iter().enumerate() {
        if b > 0 {
            o += "\n";
        }
        let mut table = crate::table::Table::new().no_rule().column(
            "scenario",
            crate::table::Align::Left,
            false,
        );
        for &i in block {
            table = table.column(names[i].clone(), crate::table::Align::Right, false);
        }
        for (label, cells) in &rows {
            let mut r = vec![label.clone()];
            r.extend(block.iter().map(|&i| cells[i].clone()));
            table.row(r);
        }
        o += &table.render(None);
    }
    o += "\n";
    for r in results {
        let mut text = format!("{}: {}", r.name, r.description);
        if r.built.is_empty() && r.name != crate::park::BASELINE {
            text += &format!(" (nothing built under the {} objective)", r.objective);
        }
        o += &wrap(&text, 100, "    ");
    }
    o
}

/// Word-wraps `text` to `width` columns, continuation lines indented.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out += &line;
            out += "\n";
            line = indent.to_string();
        } else if !line.is_empty() && line != indent {
            line.push(' ');
        }
        line += word;
    }
    out += &line;
    out += "\n";
    out
}

/// Pretty JSON of any report data, with a final newline. Every value here is
/// made of finite numbers and strings, which serde_json cannot fail on.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("report data serializes") + "\n"
}

/// Rows as CSV (RFC 4180, by the `csv` crate): the header from the row
/// struct's field names, written even when there are no rows.
pub fn to_csv<T: Serialize + Default>(rows: &[T]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    if rows.is_empty() {
        // The header alone: the field names of an empty row.
        w.serialize(T::default()).expect("CSV rows serialize");
        let text = finish(w);
        return text
            .lines()
            .next()
            .map_or(String::new(), |h| h.to_string() + "\n");
    }
    for r in rows {
        w.serialize(r).expect("CSV rows serialize");
    }
    finish(w)
}

/// Rows as CSV under a header known only at run time (a sweep's parameter and
/// technology columns): each row a sequence of fields.
pub fn to_csv_with_header<R: Serialize>(header: &[String], rows: &[R]) -> String {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(header).expect("CSV header writes");
    for r in rows {
        w.serialize(r).expect("CSV rows serialize");
    }
    finish(w)
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().expect("CSV into memory");
    String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

/// One figure of a long CSV (`robust --format csv`:
/// `section,item,field,value,unit`); in a long table the unit is a column.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LongRow {
    pub section: &'static str,
    pub item: String,
    pub field: &'static str,
    #[serde(serialize_with = "figure")]
    pub value: f64,
    /// The unit of `value` (`CNY/yr`, `t/yr`, `fraction`, `%`, a parameter's).
    pub unit: &'static str,
}

/// One option of the marginal abatement cost curve, with the running totals
/// of the options before it (alternatives do not add to them). A row of `mac
/// --format csv`, whose headers carry the units.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MacRow {
    pub region: u32,
    pub strategy: &'static str,
    pub technology: u32,
    pub technology_name: String,
    #[serde(serialize_with = "figure")]
    pub capacity: f64,
    #[serde(rename = "capacity_unit")]
    pub unit: &'static str,
    #[serde(rename = "cost_cny_per_t", serialize_with = "figure")]
    pub cost_per_t: f64,
    #[serde(rename = "potential_t_per_yr", serialize_with = "figure")]
    pub potential_t: f64,
    #[serde(rename = "capex_cny", serialize_with = "figure")]
    pub capex: f64,
    #[serde(rename = "cumulative_potential_t_per_yr", serialize_with = "figure")]
    pub cumulative_potential_t: f64,
    #[serde(rename = "cumulative_capex_cny", serialize_with = "figure")]
    pub cumulative_capex: f64,
    /// Whether the running capex is within the capex cap.
    pub within_budget: bool,
    pub alternative: bool,
    /// The resource rows that cut the bar, joined by "; " (empty without rows).
    pub limited_by: String,
}

/// The curve's rows, cheapest first, with running totals against `capex_cap`.
pub fn mac_rows(entries: &[crate::analysis::mac::MacEntry], capex_cap: f64) -> Vec<MacRow> {
    let (mut cp, mut cc) = (0.0, 0.0);
    entries
        .iter()
        .map(|m| {
            if !m.alternative {
                cp += m.potential_t;
                cc += m.capex;
            }
            MacRow {
                region: m.region,
                strategy: m.strategy.name(),
                technology: m.technology,
                technology_name: m.technology_name.clone(),
                capacity: clean(m.capacity),
                unit: m.unit,
                cost_per_t: clean(m.cost_per_t),
                potential_t: clean(m.potential_t),
                capex: clean(m.capex),
                cumulative_potential_t: clean(cp),
                cumulative_capex: clean(cc),
                within_budget: cc <= capex_cap,
                alternative: m.alternative,
                limited_by: m.limited_by.join("; "),
            }
        })
        .collect()
}

/// One point of the economic/carbon Pareto front (a row of `pareto --format
/// csv`, headers with units); `plan` in words.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParetoRow {
    /// 1, 2, ... from the most economic point to the most carbon-reducing.
    pub point: usize,
    #[serde(rename = "annual_co2_t_per_yr", serialize_with = "figure")]
    pub annual_co2_reduction: f64,
    #[serde(rename = "annual_benefit_cny_per_yr", serialize_with = "figure")]
    pub annual_benefit: f64,
    #[serde(rename = "capex_cny", serialize_with = "figure")]
    pub capex: f64,
    /// Relative gap to the point's upper bound (0 when proven optimal).
    #[serde(rename = "gap_fraction", serialize_with = "figure")]
    pub gap: f64,
    pub proven_optimal: bool,
    pub plan: String,
}

impl ParetoRow {
    pub fn new(point: usize, p: &crate::analysis::pareto::ParetoPoint, plan: String) -> ParetoRow {
        ParetoRow {
            point,
            annual_co2_reduction: clean(p.totals.annual_co2_reduction),
            annual_benefit: clean(p.totals.annual_benefit),
            capex: clean(p.totals.capex),
            gap: clean(p.solution.gap()),
            proven_optimal: p.solution.proven_optimal,
            plan,
        }
    }
}

/// One figure of one compared scenario (`compare --format csv`); empty where
/// the figure is not defined for the park (no [energy] baseline). The `kpi`
/// names carry the unit of `value` (`capex_cny`, `efficiency_before_fraction`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScenarioKpiRow {
    pub scenario: String,
    pub kpi: &'static str,
    #[serde(serialize_with = "figure_opt")]
    pub value: Option<f64>,
}

/// Every scenario's figures, scenario by scenario, in a fixed order.
pub fn scenario_kpi_rows(results: &[ScenarioResult]) -> Vec<ScenarioKpiRow> {
    let mut out = Vec::new();
    for r in results {
        let k = &r.ledger.kpis;
        let c = &r.ledger.carbon;
        let figures: [(&'static str, Option<f64>); 20] = [
            ("capex_cny", Some(r.capex)),
            ("annual_benefit_cny_per_yr", Some(r.annual_benefit)),
            ("annual_co2_t_per_yr", Some(r.annual_co2_reduction)),
            ("avoided_t_per_yr", Some(c.totals.avoided)),
            ("utilized_t_per_yr", Some(c.totals.utilized)),
            ("removed_t_per_yr", Some(c.totals.removed)),
            ("auxiliary_t_per_yr", Some(c.totals.auxiliary)),
            ("emissions_before_t_per_yr", c.emissions_before),
            ("emissions_after_t_per_yr", c.emissions_after),
            ("efficiency_before_fraction", k.efficiency_before),
            ("efficiency_after_fraction", k.efficiency_after),
            ("net_negative_t_per_yr", Some(k.net_negative_t)),
            ("energy_penalty_mwh_per_t", k.energy_penalty_mwh_per_t),
            ("grid_import_after_mwh_per_yr", k.grid_import_after_mwh),
            ("peak_import_before_mw", k.peak_import_before_mw),
            ("peak_import_after_mw", k.peak_import_after_mw),
            ("pv_self_consumption_fraction", k.pv_self_consumption),
            ("new_load_mwh_per_yr", Some(k.new_load_mwh)),
            ("flexible_share_fraction", k.flexible_share),
            ("gap_fraction", Some(r.gap)),
        ];
        out.extend(figures.into_iter().map(|(kpi, v)| ScenarioKpiRow {
            scenario: r.name.clone(),
            kpi,
            value: v,
        }));
    }
    out
}

/// A sweep as CSV rows: the header (the parameter with its unit, the totals,
/// then one column per technology built at any point, `CCU_2_t_per_a`) and
/// one row of numbers per point.
pub fn sweep_rows(
    key: &str,
    unit: &str,
    points: &[crate::analysis::sweep::SweepPoint],
) -> (Vec<String>, Vec<Vec<crate::number::Figure>>) {
    let columns: std::collections::BTreeSet<(crate::park::Strategy, u32)> = points
        .iter()
        .flat_map(|pt| pt.capacities.keys().copied())
        .collect();
    let mut header: Vec<String> = vec![
        crate::number::column(key, unit),
        "annual_benefit_cny_per_yr".into(),
        "annual_co2_t_per_yr".into(),
        "capex_cny".into(),
        "annual_income_cny_per_yr".into(),
        "gap_fraction".into(),
    ];
    header.extend(
        columns
            .iter()
            .map(|(s, t)| crate::number::column(&format!("{s}_{t}"), s.unit()).to_lowercase()),
    );
    let rows = points
        .iter()
        .map(|pt| {
            let mut r = vec![
                pt.value,
                pt.totals.annual_benefit,
                pt.totals.annual_co2_reduction,
                pt.totals.capex,
                pt.totals.annual_income,
                pt.solution.gap(),
            ];
            r.extend(
                columns
                    .iter()
                    .map(|c| pt.capacities.get(c).copied().unwrap_or(0.0)),
            );
            r.into_iter().map(crate::number::Figure).collect()
        })
        .collect();
    (header, rows)
}

/// `compare --format json`: each scenario whole.
#[derive(Debug, Serialize)]
pub struct CompareDoc<'a> {
    pub park: &'a str,
    pub objective: &'static str,
    pub scenarios: &'a [ScenarioResult],
}

/// `mac --format json`.
#[derive(Debug, Serialize)]
pub struct MacDoc<'a> {
    pub park: &'a str,
    pub ets_price: f64,
    pub capex_cap: f64,
    pub entries: Vec<crate::analysis::mac::MacEntry>,
    /// Options that add nothing once the bars before them have used the
    /// resource rows (left out without rows).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub unused: &'a [crate::analysis::mac::Unused],
}

impl MacDoc<'_> {
    /// The document, its numbers rounded by [`clean`] like every other output.
    pub fn new<'a>(
        park: &'a str,
        ets_price: f64,
        capex_cap: f64,
        entries: &[crate::analysis::mac::MacEntry],
        unused: &'a [crate::analysis::mac::Unused],
    ) -> MacDoc<'a> {
        MacDoc {
            unused,
            park,
            ets_price: clean(ets_price),
            capex_cap: clean(capex_cap),
            entries: entries
                .iter()
                .map(|m| crate::analysis::mac::MacEntry {
                    capacity: clean(m.capacity),
                    cost_per_t: clean(m.cost_per_t),
                    potential_t: clean(m.potential_t),
                    capex: clean(m.capex),
                    ..m.clone()
                })
                .collect(),
        }
    }
}

/// `pareto --format json`: the points, each with its plan.
#[derive(Debug, Serialize)]
pub struct ParetoDoc<'a> {
    pub park: &'a str,
    pub points: Vec<ParetoPointDoc>,
}

#[derive(Debug, Serialize)]
pub struct ParetoPointDoc {
    /// The CO2 reduction required of this point (t/yr).
    pub min_co2: f64,
    pub annual_benefit: f64,
    pub annual_co2_reduction: f64,
    pub capex: f64,
    pub plan: Vec<PlanRow>,
    pub proven_optimal: bool,
    pub upper_bound: f64,
    pub gap: f64,
}

impl ParetoPointDoc {
    pub fn new(opts: &Options, p: &crate::analysis::pareto::ParetoPoint) -> ParetoPointDoc {
        ParetoPointDoc {
            min_co2: clean(p.min_co2),
            annual_benefit: clean(p.totals.annual_benefit),
            annual_co2_reduction: clean(p.totals.annual_co2_reduction),
            capex: clean(p.totals.capex),
            plan: plan_rows(&p.solution.plan.evaluate(opts)),
            proven_optimal: p.solution.proven_optimal,
            upper_bound: clean(p.solution.upper_bound),
            gap: clean(p.solution.gap()),
        }
    }
}

/// `sweep --format json`.
#[derive(Debug, Serialize)]
pub struct SweepDoc<'a> {
    pub park: &'a str,
    pub param: &'a str,
    pub unit: &'a str,
    pub objective: &'static str,
    pub points: Vec<SweepPointDoc>,
    pub tipping_points: Vec<TippingDoc>,
}

#[derive(Debug, Serialize)]
pub struct SweepPointDoc {
    pub value: f64,
    pub totals: TotalsRow,
    pub capacities: Vec<CapacityRow>,
    pub solver: PointSolverRow,
}

/// Built capacity of one technology at a sweep point (summed over regions).
#[derive(Debug, Serialize)]
pub struct CapacityRow {
    pub strategy: &'static str,
    pub technology: u32,
    pub capacity: f64,
    pub unit: &'static str,
}

/// The solver's status at a sweep point.
#[derive(Debug, Serialize)]
pub struct PointSolverRow {
    pub name: &'static str,
    pub upper_bound: f64,
    pub gap: f64,
    pub proven_optimal: bool,
}

/// A tipping point: the bracket and what changes, in words.
#[derive(Debug, Serialize)]
pub struct TippingDoc {
    pub below: f64,
    pub above: f64,
    pub changes: Vec<String>,
}

impl SweepPointDoc {
    pub fn new(pt: &crate::analysis::sweep::SweepPoint) -> SweepPointDoc {
        SweepPointDoc {
            value: clean(pt.value),
            totals: TotalsRow::new(&pt.totals),
            capacities: pt
                .capacities
                .iter()
                .map(|(&(s, t), &c)| CapacityRow {
                    strategy: s.name(),
                    technology: t,
                    capacity: clean(c),
                    unit: s.unit(),
                })
                .collect(),
            solver: PointSolverRow {
                name: pt.solution.solver.name(),
                upper_bound: clean(pt.solution.upper_bound),
                gap: clean(pt.solution.gap()),
                proven_optimal: pt.solution.proven_optimal,
            },
        }
    }
}

impl TippingDoc {
    pub fn new(
        t: &crate::analysis::sweep::TippingPoint,
        names: &dyn Fn(crate::park::Strategy, u32) -> String,
    ) -> TippingDoc {
        TippingDoc {
            below: clean(t.below),
            above: clean(t.above),
            changes: t
                .changes
                .iter()
                .map(|c| crate::analysis::sweep::describe(c, names))
                .collect(),
        }
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn no_rows_still_give_the_header() {
        assert_eq!(
            to_csv::<ParetoRow>(&[]),
            "point,annual_co2_t_per_yr,annual_benefit_cny_per_yr,capex_cny,gap_fraction,\
             proven_optimal,plan\n"
        );
    }

    #[test]
    fn names_with_commas_and_quotes_are_quoted_by_rfc_4180() {
        let row = ParetoRow {
            point: 1,
            annual_co2_reduction: 1.5,
            annual_benefit: -2.0,
            capex: 0.0,
            gap: 0.0,
            proven_optimal: true,
            plan: "CCU \"MEA\", 30 %".into(),
        };
        assert_eq!(
            to_csv(&[row]),
            "point,annual_co2_t_per_yr,annual_benefit_cny_per_yr,capex_cny,gap_fraction,\
             proven_optimal,plan\n\
             1,1.5,-2,0,0,true,\"CCU \"\"MEA\"\", 30 %\"\n"
        );
    }

    #[test]
    fn a_run_time_header_and_missing_values() {
        let header = vec!["ets_price".to_string(), "x".to_string()];
        assert_eq!(
            to_csv_with_header(&header, &[vec![59.0, 0.25]]),
            "ets_price,x\n59.0,0.25\n"
        );
        let figures = [crate::number::Figure(59.0), crate::number::Figure(0.25)];
        assert_eq!(
            to_csv_with_header(&header, &[figures]),
            "ets_price,x\n59,0.25\n"
        );
        let row = ScenarioKpiRow {
            scenario: "mix".into(),
            kpi: "flexible_share",
            value: None,
        };
        assert_eq!(to_csv(&[row]), "scenario,kpi,value\nmix,flexible_share,\n");
    }

    /// Issue 15: solve's CSV headers carry units and whole numbers no `.0`;
    /// the JSON keeps its names.
    #[test]
    fn plan_csv_headers_carry_units() {
        let row = PlanRow {
            region: 4,
            region_name: "Factory 4".into(),
            strategy: "CCU",
            technology: 1,
            technology_name: "MEA".into(),
            capacity: 13_416.666_67,
            unit: "t/a",
            capex: 16_100_000.0,
            annual_income: 5_583_484.226,
            annual_benefit: 3_943_663.664,
            annual_co2_reduction: 8_677.698_75,
        };
        assert_eq!(
            to_csv(&plan_csv_rows(std::slice::from_ref(&row))),
            "region,region_name,strategy,technology,technology_name,capacity,capacity_unit,\
             capex_cny,annual_income_cny_per_yr,annual_benefit_cny_per_yr,annual_co2_t_per_yr\n\
             4,Factory 4,CCU,1,MEA,13416.66667,t/a,16100000,5583484.226,3943663.664,8677.69875\n"
        );
        let json = to_json(&row);
        assert!(json.contains("\"capex\": 16100000.0"), "{json}");
        assert!(json.contains("\"annual_co2_reduction\""), "{json}");
    }
}
