//! The compiled option table as a standard MILP file (CPLEX LP or free MPS), so
//! that any MILP solver can check or extend a plan (`parkplan export`).
//!
//! Per item: a capacity variable `A_r<region>_<strategy>_t<tech>` in report
//! units (m2, t/a, kW) and a build binary `y_...`; `A <= hi y`, `A >= lo y`,
//! at most one `y` per group (eq. 3.27), the budget (eq. 3.30), and the resource
//! rows of `model::rows` with their surplus variables `s_<row>_<class>`. The
//! objective is eq. 3.1 (CNY/yr) or eq. 3.2 (t/yr), less what surplus loses.
//! Unscaled: coefficients are the model's own numbers.

use std::fmt::Write as _;

use crate::model::{Objective, Options};

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Lp,
    Mps,
}

/// One linear row: `sum coef x  op  rhs`.
struct Row {
    name: String,
    terms: Vec<(usize, f64)>,
    /// '<', '>'.
    op: char,
    rhs: f64,
}

/// The MILP in memory: variables (name, objective, upper bound, binary) and rows.
struct Milp {
    vars: Vec<(String, f64, f64, bool)>,
    rows: Vec<Row>,
}

/// Variable names: letters, digits and underscores only.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn milp(opts: &Options, obj: Objective) -> Milp {
    let mut vars: Vec<(String, f64, f64, bool)> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut a_var = vec![None; opts.items.len()];
    let mut seen = std::collections::HashSet::new();
    let mut budget = Vec::new();
    for (g, group) in opts.groups.iter().enumerate() {
        let mut ys = Vec::new();
        for i in group.items.clone() {
            let it = &opts.items[i];
            if it.hi <= 0.0 || it.hi.is_nan() {
                continue;
            }
            let mut base = format!(
                "r{}_{}_t{}",
                it.region_id,
                clean(it.strategy.name()),
                it.tech
            );
            if !seen.insert(base.clone()) {
                base = format!("{base}_i{i}");
                seen.insert(base.clone());
            }
            let a = vars.len();
            vars.push((
                format!("A_{base}"),
                opts.value_per_unit(i, obj),
                it.hi,
                false,
            ));
            let y = vars.len();
            vars.push((format!("y_{base}"), opts.value_fixed(i, obj), 1.0, true));
            a_var[i] = Some(a);
            rows.push(Row {
                name: format!("cap_{base}"),
                terms: vec![(a, 1.0), (y, -it.hi)],
                op: '<',
                rhs: 0.0,
            });
            if it.lo > 0.0 {
                rows.push(Row {
                    name: format!("min_{base}"),
                    terms: vec![(a, 1.0), (y, -it.lo)],
                    op: '>',
                    rhs: 0.0,
                });
            }
            if it.coef.capex_per_unit != 0.0 {
                budget.push((a, it.coef.capex_per_unit));
            }
            if it.coef.capex_fixed != 0.0 {
                budget.push((y, it.coef.capex_fixed));
            }
            ys.push((y, 1.0));
        }
        if ys.len() > 1 {
            rows.push(Row {
                name: format!("one_g{g}"),
                terms: ys,
                op: '<',
                rhs: 1.0,
            });
        }
    }
    if opts.budget_cny.is_finite() {
        rows.push(Row {
            name: "budget".into(),
            terms: budget,
            op: '<',
            rhs: opts.budget_cny,
        });
    }
    for row in &opts.rows.rows {
        let mut terms: Vec<(usize, f64)> = row
            .terms
            .iter()
            .filter_map(|&(i, a)| a_var[i].map(|v| (v, a)))
            .collect();
        if let Some(credit) = &row.credit {
            for (k, class) in credit.classes.iter().enumerate() {
                let loss = match obj {
                    Objective::Economic => class.money_per_unit,
                    Objective::Carbon => credit.co2_per_unit,
                };
                let s = vars.len();
                vars.push((
                    format!("s_{}_{}", row.name, k + 1),
                    -loss,
                    f64::INFINITY,
                    false,
                ));
                let mut cap: Vec<(usize, f64)> = vec![(s, 1.0)];
                cap.extend(
                    class
                        .producers
                        .iter()
                        .filter_map(|&(i, p)| a_var[i].map(|v| (v, -p))),
                );
                rows.push(Row {
                    name: format!("surplus_{}_{}", row.name, k + 1),
                    terms: cap,
                    op: '<',
                    rhs: 0.0,
                });
                terms.push((s, -1.0));
            }
        }
        rows.push(Row {
            name: row.name.to_string(),
            terms,
            op: '<',
            rhs: row.rhs,
        });
    }
    Milp { vars, rows }
}

/// Shortest text that reads back as the same f64 (exponent form when long).
fn num(x: f64) -> String {
    let s = format!("{x:?}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// Writes the compiled MILP of `opts` for `obj`. `title` goes into a comment.
pub fn write(opts: &Options, obj: Objective, format: Format, title: &str) -> String {
    let m = milp(opts, obj);
    let mut out = String::new();
    let title: String = title.chars().filter(|c| !c.is_control()).collect();
    match format {
        Format::Lp => {
            let _ = writeln!(out, "\\ parkplan: {title}");
            let _ = writeln!(out, "\\ objective: {} ({})", obj.name(), obj.unit());
            out.push_str("Maximize\n obj:");
            let mut any = false;
            for (name, c, _, _) in &m.vars {
                if *c != 0.0 {
                    let _ = write!(out, "\n {} {} {}", sign(*c), num(c.abs()), name);
                    any = true;
                }
            }
            if !any {
                out.push_str(" 0 ");
                out.push_str(&m.vars.first().map_or("x".to_string(), |v| v.0.clone()));
            }
            out.push_str("\nSubject To\n");
            for r in &m.rows {
                let _ = write!(out, " {}:", r.name);
                if r.terms.is_empty() {
                    out.push_str(" 0 ");
                    out.push_str(&m.vars.first().map_or("x".to_string(), |v| v.0.clone()));
                }
                for &(v, c) in &r.terms {
                    let _ = write!(out, " {} {} {}", sign(c), num(c.abs()), m.vars[v].0);
                }
                let op = if r.op == '<' { "<=" } else { ">=" };
                let _ = writeln!(out, " {op} {}", num(r.rhs));
            }
            out.push_str("Bounds\n");
            for (name, _, ub, bin) in &m.vars {
                if *bin {
                    continue;
                }
                if ub.is_finite() {
                    let _ = writeln!(out, " 0 <= {name} <= {}", num(*ub));
                } else {
                    let _ = writeln!(out, " {name} >= 0");
                }
            }
            out.push_str("Binary\n");
            for (name, _, _, bin) in &m.vars {
                if *bin {
                    let _ = writeln!(out, " {name}");
                }
            }
            out.push_str("End\n");
        }
        Format::Mps => {
            let _ = writeln!(out, "* parkplan: {title}");
            let _ = writeln!(out, "* objective: {} ({})", obj.name(), obj.unit());
            out.push_str("NAME parkplan\nOBJSENSE\n    MAX\nROWS\n N obj\n");
            for r in &m.rows {
                let t = if r.op == '<' { 'L' } else { 'G' };
                let _ = writeln!(out, " {t} {}", r.name);
            }
            // Column-wise: each variable's objective and row coefficients.
            let mut cols: Vec<Vec<(usize, f64)>> = vec![Vec::new(); m.vars.len()];
            for (k, r) in m.rows.iter().enumerate() {
                for &(v, c) in &r.terms {
                    cols[v].push((k, c));
                }
            }
            out.push_str("COLUMNS\n");
            let mut in_int = false;
            for (v, (name, c, _, bin)) in m.vars.iter().enumerate() {
                if *bin != in_int {
                    let marker = if *bin { "'INTORG'" } else { "'INTEND'" };
                    let _ = writeln!(out, "    MARKER 'MARKER' {marker}");
                    in_int = *bin;
                }
                let _ = writeln!(out, "    {name} obj {}", num(*c));
                for &(k, a) in &cols[v] {
                    let _ = writeln!(out, "    {name} {} {}", m.rows[k].name, num(a));
                }
            }
            if in_int {
                out.push_str("    MARKER 'MARKER' 'INTEND'\n");
            }
            out.push_str("RHS\n");
            for r in &m.rows {
                if r.rhs != 0.0 {
                    let _ = writeln!(out, "    RHS {} {}", r.name, num(r.rhs));
                }
            }
            out.push_str("BOUNDS\n");
            for (name, _, ub, bin) in &m.vars {
                if *bin {
                    let _ = writeln!(out, " BV BND {name}");
                } else if ub.is_finite() {
                    let _ = writeln!(out, " UP BND {name} {}", num(*ub));
                } else {
                    let _ = writeln!(out, " PL BND {name}");
                }
            }
            out.push_str("ENDATA\n");
        }
    }
    out
}

fn sign(c: f64) -> char {
    if c < 0.0 { '-' } else { '+' }
}
