//! No number on screen is cut (issue 15.1): every figure of the Plan table
//! and of the status line parses back to the model's value, exactly when
//! shown whole, within its rounding when shown with k, M, G, T, P or E.

use parkplan::park::{Park, Strategy};
use ratatui::crossterm::event::KeyCode;

use parkplan_console::app::App;

use crate::helpers::*;

/// A figure as shown: "135,000", "5.55 M", "1.00 P", "-3"; `None` if it is
/// not a number. Returns the value and the tolerance its form allows.
fn parse(tok: &str, suffix: Option<&str>) -> Option<(f64, f64)> {
    let digits = tok.replace(',', "");
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
