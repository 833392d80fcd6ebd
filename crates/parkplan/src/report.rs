//! Reports of a solved plan: a text table like the paper's Table 2, JSON with a
//! stable schema, and CSV.

use serde::Serialize;

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

#[derive(Debug, Clone, Serialize)]
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

/// Rounds away float noise (1e-9 relative) so reports are stable across platforms.
/// Rounding through the decimal text (10 significant digits) holds at every
/// magnitude: a power-of-ten scale overflows below about 1e-299 (NaN, printed
/// as `null`) and above 1e299.
pub(crate) fn clean(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { 0.0 } else { x };
    }
    match format!("{x:.9e}").parse::<f64>() {
        // 1.7976931348623157e308 rounds up past the largest float: keep it.
        Ok(r) if r.is_finite() => {
            if r == 0.0 {
                0.0
            } else {
                r
            }
        }
        _ => x,
    }
}

impl Report {
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
            plan: ev
                .items
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
                .collect(),
            totals: TotalsRow {
                capex: clean(ev.totals.capex),
                annual_income: clean(ev.totals.annual_income),
                annual_benefit: clean(ev.totals.annual_benefit),
                annual_co2_reduction: clean(ev.totals.annual_co2_reduction),
                uncredited_income: clean(ev.totals.uncredited_income),
                uncredited_co2: clean(ev.totals.uncredited_co2),
            },
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

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("reports serialize") + "\n"
    }

    pub fn to_csv(&self) -> String {
        let mut s = String::from(
            "region,region_name,strategy,technology,technology_name,capacity,unit,capex,annual_income,annual_benefit,annual_co2_reduction\n",
        );
        for r in &self.plan {
            s += &format!(
                "{},{},{},{},{},{},{},{},{},{},{}\n",
                r.region,
                csv_field(&r.region_name),
                r.strategy,
                r.technology,
                csv_field(&r.technology_name),
                r.capacity,
                r.unit,
                r.capex,
                r.annual_income,
                r.annual_benefit,
                r.annual_co2_reduction
            );
        }
        s
    }

    /// A text table: every region-strategy slot of the park (unbuilt ones shown
    /// as 0, as in the paper's Table 2), then totals and the solver's status.
    pub fn to_table(&self, park: &Park) -> String {
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
        let header = [
            "Region",
            "Strategy",
            "Technology",
            "Capacity",
            "Capex CNY",
            "Benefit CNY/yr",
            "CO2 t/yr",
        ];
        let mut rows: Vec<[String; 7]> = Vec::new();
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
                rows.push(match built {
                    Some(r) => [
                        format!("{} {}", r.region, r.region_name),
                        r.strategy.to_string(),
                        format!("{{{}}} {}", r.technology, r.technology_name),
                        format!("{} {}", group_thousands(r.capacity, 0), r.unit),
                        group_thousands(r.capex, 0),
                        group_thousands(r.annual_benefit, 0),
                        group_thousands(r.annual_co2_reduction, 1),
                    ],
                    None => [
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
        let total = [
            "Total".to_string(),
            String::new(),
            String::new(),
            String::new(),
            group_thousands(t.capex, 0),
            group_thousands(t.annual_benefit, 0),
            group_thousands(t.annual_co2_reduction, 1),
        ];
        let mut widths = header.map(str::len);
        for r in rows.iter().chain(std::iter::once(&total)) {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        widths[0] = widths[0].min(24);
        widths[2] = widths[2].min(36);
        let line = |cells: &[String]| {
            let mut l = String::new();
            for (k, c) in cells.iter().enumerate() {
                let c = truncate(c, widths[k]);
                if k >= 3 {
                    l += &format!("{:>w$}  ", c, w = widths[k]);
                } else {
                    l += &format!("{:<w$}  ", c, w = widths[k]);
                }
            }
            l.trim_end().to_string() + "\n"
        };
        out += &line(&header.map(String::from));
        out += &line(&widths.map(|w| "-".repeat(w)));
        for r in &rows {
            out += &line(r);
        }
        out += &line(&widths.map(|w| "-".repeat(w)));
        out += &line(&total);
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
        let widths: Vec<usize> = (0..head.len())
            .map(|i| {
                rows.iter()
                    .map(|r| r[i].chars().count())
                    .chain([head[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let fmt_row = |cells: Vec<String>| {
            let mut line = format!("  {:<w$}", cells[0], w = widths[0]);
            for (c, w) in cells.iter().zip(&widths).skip(1) {
                line += &format!("  {c:>w$}");
            }
            line.trim_end().to_string() + "\n"
        };
        o += &fmt_row(head.iter().map(|h| h.to_string()).collect());
        for r in rows {
            o += &fmt_row(r);
        }
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
        let mut head = format!("{:<lw$}", "scenario");
        for &i in block {
            head += &format!("  {:>w$}", names[i], w = widths[i]);
        }
        o += head.trim_end();
        o += "\n";
        for (label, cells) in &rows {
            let mut l = format!("{label:<lw$}");
            for &i in block {
                l += &format!("  {:>w$}", cells[i], w = widths[i]);
            }
            o += l.trim_end();
            o += "\n";
        }
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

fn truncate(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a
/// comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Formats with thousands separators and `decimals` decimals: 1234567.8 -> "1,234,568".
pub fn group_thousands(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let neg = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    format!(
        "{}{}{}",
        if neg { "-" } else { "" },
        grouped,
        frac.map(|f| format!(".{f}")).unwrap_or_default()
    )
}

/// A number as a user would type it: no grouping, no trailing zeros
/// (20000000, 0.08, 1189.77).
pub fn plain_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x}");
        if s.len() > 14 {
            format!("{x:.6}").trim_end_matches('0').to_string()
        } else {
            s
        }
    }
}

/// Short money: 1234567 -> "1.23 M", 12345 -> "12.3 k", 123 -> "123".
pub fn short(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        format!("{:.2} G", x / 1e9)
    } else if a >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else if a >= 1e4 {
        format!("{:.1} k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

#[cfg(test)]
mod clean_tests {
    use super::clean;

    /// Issue 14 item 6: tiny and huge accepted values stay finite numbers.
    #[test]
    fn rounding_holds_at_every_magnitude() {
        for (x, want) in [
            (1e-300, 1e-300),
            (-1e-300, -1e-300),
            (5e-324, 5e-324),
            (1.23456789012e-310, 1.234567890e-310),
            (f64::MAX, f64::MAX),
            (1e300, 1e300),
            (123_456_789_012.0, 123_456_789_000.0),
            (0.1 + 0.2, 0.3),
            (-2.5, -2.5),
        ] {
            let got = clean(x);
            assert!(got.is_finite(), "{x:e} -> {got}");
            assert_eq!(got, want, "{x:e}");
        }
    }
}
