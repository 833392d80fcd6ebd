//! Reports of a solved plan: a text table like the paper's Table 2, JSON with a
//! stable schema, and CSV.

use serde::Serialize;

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
fn clean(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let scale = 10f64.powi(9 - x.abs().log10().ceil() as i32);
    let r = (x * scale).round() / scale;
    if r == 0.0 { 0.0 } else { r }
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
            },
            solver: SolverRow {
                name: sol.solver,
                seconds: sol.seconds,
                evaluations: sol.evaluations,
                upper_bound: clean(sol.upper_bound),
                upper_bound_kind: sol.bound.name(),
                gap: clean(sol.gap()),
                proven_optimal: sol.proven_optimal,
            },
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
        for region in &park.regions {
            for slot in &region.slots {
                let built = self
                    .plan
                    .iter()
                    .find(|r| r.region == region.id && r.strategy == slot.strategy.name());
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

fn truncate(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
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
