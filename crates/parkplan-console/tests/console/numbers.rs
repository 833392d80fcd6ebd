//! No number on screen is cut (issue 15.1): every figure of the Plan table
//! and of the status line parses back to the model's value, exactly when
//! shown whole, within its rounding when shown with k, M, G, T, P or E.

use parkplan::park::{Park, Strategy};
use ratatui::crossterm::event::KeyCode;

use parkplan_console::app::App;
use parkplan_console::view;

use crate::helpers::*;

/// A figure as shown: "135,000", "5.55 M", "1.00 P", "-3"; `None` if it is
/// not a number. Returns the value and the tolerance its form allows.
fn parse(tok: &str, suffix: Option<&str>) -> Option<(f64, f64)> {
    // An edited cap is marked with `*`.
    let digits = tok.replace([',', '*'], "");
    let suffix = suffix.map(|s| s.trim_end_matches('*'));
    let v: f64 = digits.parse().ok()?;
    let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len());
    let mult = match suffix {
        None => 1.0,
        Some("k") => 1e3,
        Some("M") => 1e6,
        Some("G") => 1e9,
        Some("T") => 1e12,
        Some("P") => 1e15,
        Some("E") => 1e18,
        Some(_) => return None,
    };
    Some((v * mult, 0.5 * 10f64.powi(-(decimals as i32)) * mult))
}

/// The last three figures of a table row (capex, benefit, CO2), from the right.
fn last_figures(line: &str, n: usize) -> Vec<(f64, f64)> {
    let toks: Vec<&str> = line.trim_end_matches('│').split_whitespace().collect();
    let mut out = Vec::new();
    let mut k = toks.len();
    while out.len() < n && k > 0 {
        k -= 1;
        if let Some(f) = parse(toks[k], None) {
            out.push(f);
        } else if k > 0
            && let Some(f) = parse(toks[k - 1], Some(toks[k]))
        {
            out.push(f);
            k -= 1;
        } else {
            panic!("{:?} is not a figure in {line:?}", toks[k]);
        }
    }
    out.reverse();
    out
}

fn close(shown: (f64, f64), actual: f64, what: &str, line: &str) {
    let (v, tol) = shown;
    assert!(
        (v - actual).abs() <= tol * 1.0001 + 1e-9,
        "{what}: the screen shows {v} (±{tol}), the plan has {actual}: {line:?}"
    );
}

/// Checks every slot row of the Plan table on screen, and the status totals.
fn check_plan_screen(app: &App, w: u16, h: u16) {
    let screen = text(&render(app, w, h));
    let slots = app.slots();
    let eval = app.run.evaluation.as_ref().expect("a plan");
    let lines: Vec<&str> = screen.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.contains("Capacity/cap"))
        .expect("the table header")
        + 1;
    let mut checked = 0;
    for (line, s) in lines[first..].iter().zip(&slots) {
        // The Plan pane only (on a wide screen the others are beside it).
        let line: &str = &line
            .chars()
            .skip(1)
            .take_while(|c| *c != '┃' && *c != '│')
            .collect::<String>();
        if !line.contains('/') {
            break;
        }
        let slot = &app.scenario.park.regions[s.region].slots[s.slot];
        let unit = slot.strategy.unit();
        let before = line.split(&format!(" {unit}")).next().unwrap();
        let tk: Vec<&str> = before.split_whitespace().collect();
        let n = tk.len();
        let is_sfx = |s: &str| ["k", "M", "G", "T", "P", "E"].contains(&s);
        let (pair, cap_sfx, k) = if is_sfx(tk[n - 1]) {
            (tk[n - 2], Some(tk[n - 1]), n - 2)
        } else {
            (tk[n - 1], None, n - 1)
        };
        let (left, cap_s) = pair.split_once('/').expect("built/cap");
        let cap = parse(cap_s, cap_sfx).unwrap_or_else(|| panic!("{line:?}"));
        let built = match parse(left, None) {
            Some(b) => b,
            None => parse(tk[k - 1], Some(left)).unwrap_or_else(|| panic!("{line:?}")),
        };
        let built_v = app.built(*s).map_or(0.0, |b| b.1);
        close(built, built_v, "capacity", line);
        close(cap, slot.max, "cap", line);
        let figs = last_figures(line, 3);
        let item = app
            .built(*s)
            .and_then(|(i, _)| eval.items.iter().find(|r| r.item == i));
        let (capex, benefit, co2) = item.map_or((0.0, 0.0, 0.0), |r| {
            (r.capex, r.annual_benefit, r.annual_co2_reduction)
        });
        close(figs[0], capex, "capex", line);
        close(figs[1], benefit, "benefit", line);
        close(figs[2], co2, "CO2", line);
        checked += 1;
    }
    assert!(checked >= 5, "{screen}");
    // The totals in the status line.
    let status = lines
        .iter()
        .find(|l| l.starts_with("capex "))
        .expect("the totals");
    let t = eval.totals;
    let capex_part = status.split("benefit").next().unwrap();
    let capex_tok: Vec<&str> = capex_part.trim_start_matches("capex ").split('/').collect();
    let f = |s: &str| {
        let toks: Vec<&str> = s.split_whitespace().collect();
        parse(toks[0], toks.get(1).copied()).unwrap_or_else(|| panic!("{status:?}"))
    };
    close(f(capex_tok[0]), t.capex, "total capex", status);
    close(
        f(capex_tok[1]),
        app.scenario.park.economics.capex_cap_cny,
        "budget",
        status,
    );
    let co2 = status
        .split("CO2 ")
        .nth(1)
        .unwrap()
        .split(" t/yr")
        .next()
        .unwrap();
    close(f(co2), t.annual_co2_reduction, "total CO2", status);
}

/// The case: after `ets_price=200`, `capex_cap=35e6` and
/// `co2_transport_km=200` region 1 showed `35,000/135,000 m2` at 80x24 where
/// the plan builds 135,000 m2.
#[test]
fn the_plan_table_never_cuts_a_capacity() {
    let mut app = started();
    edit_param(&mut app, "ets_price", "200");
    edit_param(&mut app, "capex_cap", "35000000");
    edit_param(&mut app, "co2_transport_km", "200");
    press(&mut app, KeyCode::Char('1'));
    for (w, h) in [(80, 24), (100, 30), (160, 48)] {
        check_plan_screen(&app, w, h);
    }
}

/// The largest values a park allows: caps of 1e15 and a budget of 1e15 CNY.
#[test]
fn the_largest_values_are_shown_rounded_never_cut() {
    let mut park = Park::paper_case();
    park.economics.capex_cap_cny = 1e15;
    for r in &mut park.regions {
        for s in &mut r.slots {
            s.max = 1e15;
            if s.strategy == Strategy::Ccu {
                s.min = 0.0;
            }
        }
    }
    let app = started_on(park);
    for (w, h) in [(80, 24), (100, 30), (160, 48)] {
        check_plan_screen(&app, w, h);
    }
}

/// A figure on screen: its text, value and the tolerance its form allows.
#[derive(Debug)]
struct Shown {
    text: String,
    value: f64,
    tol: f64,
    /// A chart's axis label: rounded padded bounds, not a model figure.
    axis: bool,
    /// A share (`12%`): checked for cuts only.
    percent: bool,
}

/// Every figure of a screen line, or the reason one of them is malformed
/// (a number cut on either side: "1000000000000000.", "011,833", "3,4…").
fn figures_of(line: &str, axis_row: bool) -> Result<Vec<Shown>, String> {
    let c: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let starts = c[i].is_ascii_digit()
            && (i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_' || c[i - 1] == '.'));
        if !starts {
            i += 1;
            continue;
        }
        let begin = i;
        let negative = i > 0 && (c[i - 1] == '-' || c[i - 1] == '−');
        while i < c.len() && (c[i].is_ascii_digit() || c[i] == ',' || c[i] == '.') {
            // "0..236": a range, two figures.
            if c[i] == '.' && c.get(i + 1) == Some(&'.') {
                break;
            }
            i += 1;
        }
        let tok: String = c[begin..i].iter().collect();
        let before: String = c[..begin].iter().collect();
        let rest: String = c[i..].iter().collect();
        // Equation numbers, times, generations and counts of the help text.
        if before.ends_with("eq. ") || before.ends_with("eqs. ") || before.ends_with("eq ") {
            continue;
        }
        if rest.starts_with(" ms") || rest.starts_with("ms") || rest.starts_with(" s ") {
            continue;
        }
        if rest.starts_with('…') {
            return Err(format!("{tok:?} is cut (…)"));
        }
        if rest.starts_with(|ch: char| ch.is_alphabetic() && ch != 'e') && !rest.starts_with('x') {
            // "4WHR": glued to a word, a cut column.
            return Err(format!("{tok:?} runs into {rest:?}"));
        }
        let int = tok.split('.').next().unwrap_or("");
        let groups: Vec<&str> = int.split(',').collect();
        let well_formed = !tok.ends_with('.')
            && !tok.ends_with(',')
            && tok.matches('.').count() <= 1
            && !groups[0].is_empty()
            && groups[0].len() <= if groups.len() > 1 { 3 } else { usize::MAX }
            && groups[1..].iter().all(|g| g.len() == 3)
            && !(int.len() > 1 && int.starts_with('0'))
            && !tok.split_once('.').is_some_and(|(_, f)| f.contains(','));
        if !well_formed {
            return Err(format!("{tok:?} is not a whole number"));
        }
        // "1e15" in a rule's text.
        if rest.starts_with('e')
            && rest[1..].starts_with(|ch: char| ch.is_ascii_digit() || ch == '-')
        {
            let exp: String = rest[1..]
                .chars()
                .take_while(|ch| ch.is_ascii_digit() || *ch == '-')
                .collect();
            i += 1 + exp.len();
            let value: f64 = format!("{tok}e{exp}")
                .parse()
                .map_err(|e| format!("{tok:?}: {e}"))?;
            // A rule's bound ("<= 1e15"), not a figure of the model: checked for cuts only.
            out.push(Shown {
                text: format!("{tok}e{exp}"),
                value,
                tol: 0.0,
                axis: true,
                percent: false,
            });
            continue;
        }
        let digits = tok.replace(',', "");
        let mut value: f64 = digits.parse().map_err(|e| format!("{tok:?}: {e}"))?;
        let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len());
        let mut tol = 0.5 * 10f64.powi(-(decimals as i32));
        let sfx = rest.trim_start_matches(' ');
        let spaced = rest.len() - sfx.len() <= 1;
        let unit = sfx.chars().next();
        let ends = |n: usize| !sfx[n..].starts_with(|ch: char| ch.is_alphanumeric());
        let mult = match unit {
            Some('k') if spaced && ends(1) => 1e3,
            Some('M') if spaced && ends(1) => 1e6,
            Some('G') if spaced && ends(1) => 1e9,
            Some('T') if spaced && ends(1) => 1e12,
            Some('P') if spaced && ends(1) => 1e15,
            Some('E') if spaced && ends(1) => 1e18,
            Some('%') if spaced => 0.01,
            _ => 1.0,
        };
        value *= mult;
        tol *= mult;
        if negative {
            value = -value;
        }
        // A y-axis label is followed by the axis and then the plot.
        let y_axis = rest
            .trim_start_matches(|ch: char| ch == ' ' || "kMGTPE".contains(ch))
            .starts_with('│')
            && rest.trim_end().chars().count() > 1
            && !rest
                .trim_end()
                .chars()
                .skip(1)
                .all(|ch| ch == ' ' || ch == '│' || ch == '┃');
        // A histogram's bin "3.48 T-3.57 T": its bounds.
        let bin = rest
            .trim_start_matches(|ch: char| ch == ' ' || "kMGTPE".contains(ch))
            .starts_with('-')
            && !rest.starts_with('-')
            || before
                .trim_end_matches('-')
                .ends_with(|ch: char| "kMGTPE".contains(ch))
                && before.ends_with('-');
        out.push(Shown {
            text: tok,
            value,
            tol,
            axis: axis_row || y_axis,
            percent: mult == 0.01,
        });
        if bin {
            out.last_mut().unwrap().axis = true;
            if negative {
                // The dash between the bounds, not a sign.
                let last = out.last_mut().unwrap();
                last.value = -last.value;
            }
        }
    }
    Ok(out)
}

/// Every number the console holds for this state: the park, the plan and its
/// evaluation, the ledger and each view's analysis, at full precision (from
/// its `Debug` text, which prints floats exactly), sorted.
fn held(app: &App) -> Vec<f64> {
    let text = format!("{app:?}");
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let starts = (c[i].is_ascii_digit()
            || (c[i] == '-' && c.get(i + 1).is_some_and(|d| d.is_ascii_digit())))
            && (i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_'));
        if !starts {
            i += 1;
            continue;
        }
        let begin = i;
        i += 1;
        while i < c.len()
            && (c[i].is_ascii_digit()
                || c[i] == '.'
                || c[i] == 'e'
                || (c[i] == '-' && c[i - 1] == 'e'))
        {
            i += 1;
        }
        let tok: String = c[begin..i].iter().collect();
        if let Ok(v) = tok.trim_end_matches('.').parse::<f64>() {
            out.push(v);
        }
    }
    // Counts and positions ("row 23 of 1,650", "41 values").
    let n = app.slots().len() + 100;
    out.extend((0..=n).map(|k| k as f64));
    // What the library writes from the ledgers (KPI texts), as the CLI does.
    let mut ledgers: Vec<&parkplan::analysis::ledger::Ledger> = app.run.ledger.iter().collect();
    if let parkplan_console::app::Analysis::Ready(c) = &app.view::<view::Compare>().compare {
        ledgers.extend(c.results.iter().map(|r| &r.ledger));
    }
    for l in ledgers {
        for (_, v) in parkplan::report::kpi_rows(l) {
            for f in figures_of(&v, false).unwrap_or_default() {
                out.push(f.value);
            }
        }
    }
    // The change an edit made: the totals now less those of the reference.
    if let (Some(e), Some(r)) = (
        &app.run.evaluation,
        app.baseline.as_ref().or(app.previous.as_ref()),
    ) {
        out.push(e.totals.capex - r.capex);
        out.push(e.totals.annual_benefit - r.benefit);
        out.push(e.totals.annual_co2_reduction - r.co2);
    }
    // The Ledger's and Compare's changes: each figure of the ledger now less
    // the same figure of the reference's ledger.
    let reference = app.baseline.as_ref().or(app.previous.as_ref());
    if let (Some(l), Some(r)) = (&app.run.ledger, reference.and_then(|r| r.ledger.as_ref())) {
        let (a, b) = (&l.carbon, &r.carbon);
        for (x, y) in [
            (a.totals.avoided, b.totals.avoided),
            (a.totals.utilized, b.totals.utilized),
            (a.totals.removed, b.totals.removed),
            (a.totals.auxiliary, b.totals.auxiliary),
            (a.totals.net, b.totals.net),
            (
                a.emissions_before.unwrap_or(0.0),
                b.emissions_before.unwrap_or(0.0),
            ),
            (
                a.emissions_after.unwrap_or(0.0),
                b.emissions_after.unwrap_or(0.0),
            ),
            (
                a.unusable_credit.unwrap_or(0.0),
                b.unusable_credit.unwrap_or(0.0),
            ),
        ] {
            out.push(x - y);
        }
        let then = parkplan::report::kpi_rows(r);
        for (label, v) in parkplan::report::kpi_rows(l) {
            let Some((_, w)) = then.iter().find(|(k, _)| *k == label) else {
                continue;
            };
            let (fa, fb) = (
                figures_of(&v, false).unwrap_or_default(),
                figures_of(w, false).unwrap_or_default(),
            );
            for (x, y) in fa.iter().zip(&fb) {
                // Percentages change in points.
                let scale = if x.percent { 100.0 } else { 1.0 };
                out.push((x.value - y.value) * scale);
            }
        }
        for c in l.energy.iter().flatten() {
            let before = r
                .energy
                .iter()
                .flatten()
                .find(|x| x.carrier == c.carrier)
                .map_or(0.0, |x| x.total_use);
            out.push(c.total_use - before);
        }
        // Each subsystem flow's change (a subsystem new to the plan: from 0).
        let flows = |u: &parkplan::analysis::ledger::SubsystemUse| {
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
        };
        for u in &l.subsystems {
            let before = r
                .subsystems
                .iter()
                .find(|x| x.subsystem == u.subsystem)
                .map_or([0.0; 9], flows);
            for (x, y) in flows(u).iter().zip(before) {
                out.push(x - y);
            }
        }
    }
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

fn matches_held(held: &[f64], x: f64, tol: f64) -> bool {
    let near = |x: f64| {
        let k = held.partition_point(|v| *v < x - tol * 1.0001 - 1e-9);
        held.get(k)
            .is_some_and(|v| (v - x).abs() <= tol * 1.0001 + 1e-9)
    };
    near(x) || near(-x)
}

/// Checks every figure on a screen: each is whole (never cut on either side)
/// and, unless it is a chart's axis label, parses back to a number the
/// console holds, within the rounding its form shows.
fn check_every_figure(app: &App, screen: &str) -> Vec<String> {
    let held = held(app);
    let lines: Vec<&str> = screen.lines().collect();
    let mut problems = Vec::new();
    // The tabs (view numbers) are not figures.
    for (k, line) in lines.iter().enumerate().skip(1) {
        // Under a chart's x axis: its labels.
        let axis_row = k > 0 && lines[k - 1].contains("└─") && lines[k - 1].contains("│└")
            || k > 0 && {
                let prev = lines[k - 1];
                let t = prev.trim_start_matches(['│', '┃', ' ']);
                t.starts_with('└') && !prev.trim_start().starts_with('└')
            };
        match figures_of(line, axis_row) {
            Err(e) => problems.push(format!("{e} in {line:?}")),
            Ok(figs) => {
                for f in figs {
                    if !f.axis && !f.percent && !matches_held(&held, f.value, f.tol) {
                        problems.push(format!(
                            "{:?} ({} ± {}) is not a figure of the model in {line:?}",
                            f.text, f.value, f.tol
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// The parks and edits with the largest values a valid park allows.
fn extreme_apps() -> Vec<(&'static str, App)> {
    let huge = |mut park: Park, cap: f64, budget: f64| {
        park.economics.capex_cap_cny = budget;
        for r in &mut park.regions {
            for s in &mut r.slots {
                s.max = cap;
                s.min = 0.0;
            }
        }
        park
    };
    let mut out = Vec::new();
    // The net park as shipped: its Robust tornado cut the unit off
    // "85.87 M" at 80x24 (review s4 item 1).
    out.push(("net park as shipped", started_on(net_park())));
    out.push((
        "paper case, caps and budget of 1e15",
        started_on(huge(Park::paper_case(), 1e15, 1e15)),
    ));
    let mut app = started_on(huge(net_park(), 1e12, 1e13));
    edit_param(&mut app, "ets_price", "1000000");
    out.push(("net park, caps 1e12, budget 1e13, ETS 1e6", app));
    let mut big = parkplan::park::generate(1000, 7);
    big.economics.capex_cap_cny = 5e9;
    let mut app = started_on(big);
    edit_param(&mut app, "ets_price", "100000");
    out.push(("1,000 regions, budget 5e9 CNY, ETS 1e5", app));
    out
}

/// Issue 15.1: every view at 80x24 (and 100x30, 160x48), with the largest values a valid park
/// allows, shows every figure whole: each parses back to a number of the
/// model (chart axis labels, rounded bounds, are checked for cuts only).
#[test]
fn every_view_at_80x24_shows_every_figure_whole() {
    let mut failures = Vec::new();
    for (what, mut app) in extreme_apps() {
        let n = app.views.len();
        for k in 0..n {
            press(&mut app, KeyCode::Char(char::from(b'1' + k as u8)));
            for (w, h) in [(80, 24), (100, 30), (160, 48)] {
                let screen = text(&render(&app, w, h));
                let problems = check_every_figure(&app, &screen);
                if !problems.is_empty() {
                    failures.push(format!(
                        "{what}, view {} at {w}x{h}:\n{}\n{screen}",
                        k + 1,
                        problems.join("\n")
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
