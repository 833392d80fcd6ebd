//! The Ledger and Compare views show what an edit changed (issue 15): each
//! figure's change against the plan before the last edit, or against the
//! baseline pinned with `b`; Compare says where it is; the Plan view sorts by
//! cost per tonne and names regions at 80 columns.

use parkplan::analysis::ledger::{Ledger, ledger};
use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::report::{group_thousands, kpi_rows, short};
use parkplan::solve::solve_exact;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;

use parkplan_console::app::App;
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::view::PlanTable;

use crate::helpers::*;

/// The ledger of the exact optimum of `park`, computed by the library alone
/// (not by the console).
fn optimum_ledger(park: &Park) -> Ledger {
    let opts = parkplan::compile(park);
    let sol = solve_exact(&opts, Objective::Economic);
    ledger(park, &opts, &sol.plan)
}

fn with_ets(mut park: Park, ets: f64) -> Park {
    park.set_param("ets_price", ets).unwrap();
    park
}

/// A change as the views write it: signed, grouped.
fn signed(x: f64) -> String {
    let s = group_thousands(x.abs(), 0);
    if s == "0" {
        s
    } else if x > 0.0 {
        format!("+{s}")
    } else {
        format!("-{s}")
    }
}

/// The screen line that starts (inside the frame) with `label`.
fn line_of<'a>(screen: &'a str, label: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.trim_start_matches(['│', ' ']).starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} in\n{screen}"))
}

/// A screen line's words, without the frame, one space apart.
fn words(line: &str) -> String {
    line.split_whitespace()
        .filter(|w| !["│", "┃"].contains(w))
        .map(|w| w.trim_matches(['│', '┃']))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where `needle` is on the screen: (x, y) of its first character.
fn find(app: &App, w: u16, h: u16, needle: &str) -> Option<(u16, u16)> {
    let buf = render(app, w, h);
    let screen = text(&buf);
    for (y, line) in screen.lines().enumerate() {
        if let Some(i) = line.find(needle) {
            let x = line[..i].chars().count() as u16;
            return Some((x, y as u16));
        }
    }
    None
}

fn bold_at(app: &App, w: u16, h: u16, at: (u16, u16)) -> bool {
    let buf = render(app, w, h);
    buf[at].modifier.contains(Modifier::BOLD)
}

/// After `ets_price = 300` on the net park the Ledger gives, per carbon line
/// and per KPI, the change against the plan before the edit; pinned with `b`,
/// against the baseline. The figures are those of two exact optima computed
/// by the library, not by the console.
#[test]
fn the_ledger_shows_the_change_an_edit_made() {
    let park = net_park();
    let before = optimum_ledger(&park);
    let after = optimum_ledger(&with_ets(park.clone(), 300.0));
    let mut app = started_on(park);
    press(&mut app, KeyCode::Char('7'));
    let screen = text(&render(&app, 80, 24));
    assert!(!screen.contains("vs the last edit"), "{screen}");
    edit_param(&mut app, "ets_price", "300");
    press(&mut app, KeyCode::Char('7'));
    let screen = text(&render(&app, 80, 24));
    assert!(
        line_of(&screen, "Carbon").contains("vs the last edit"),
        "{screen}"
    );
    let (a, b) = (&after.carbon.totals, &before.carbon.totals);
    assert!(a.net != b.net, "the edit changed nothing");
    for (label, now, then) in [
        ("avoided", a.avoided, b.avoided),
        ("removed", a.removed, b.removed),
        ("net reduction", a.net, b.net),
    ] {
        let line = words(line_of(&screen, label));
        let want = format!("{} {}", group_thousands(now, 0), signed(now - then));
        assert!(line.ends_with(&want), "{label}: want {want:?} in {line:?}");
    }
    // A KPI in percent changes in points: "+19.8 pp".
    let eff = |l: &Ledger| {
        kpi_rows(l)
            .into_iter()
            .find(|(k, _)| *k == "system efficiency after")
            .map(|(_, v)| v.trim_end_matches(" %").parse::<f64>().unwrap())
            .unwrap()
    };
    let pp = eff(&after) - eff(&before);
    let line = line_of(&screen, "system efficiency after");
    assert!(line.contains(&format!("{pp:+.1} pp")), "{pp} {line:?}");
    // A change reads without colour: bold.
    app.theme = Theme {
        palette: Palette::NoColor,
    };
    let at = find(&app, 80, 24, &format!("{pp:+.1} pp")).unwrap();
    assert!(bold_at(&app, 80, 24, at));
    for (w, h) in [(80, 24), (100, 30), (160, 48)] {
        for palette in [Palette::Basic16, Palette::NoColor] {
            app.theme = Theme { palette };
            insta::assert_snapshot!(
                format!("ledger_changes_{w}x{h}_{palette:?}"),
                text(&render(&app, w, h))
            );
        }
    }
    // Every line fits the view's 78 columns (nothing is cut at 80).
    press(&mut app, KeyCode::End);
    for _ in 0..60 {
        let screen = text(&render(&app, 80, 24));
        for l in screen.lines() {
            assert!(l.chars().count() <= 80, "{l:?}");
        }
        press(&mut app, KeyCode::Up);
    }
    // Pinned: a second edit is compared with the baseline.
    press(&mut app, KeyCode::Char('b'));
    edit_param(&mut app, "ets_price", "600");
    let later = optimum_ledger(&with_ets(net_park(), 600.0));
    press(&mut app, KeyCode::Char('7'));
    press(&mut app, KeyCode::Home);
    let screen = text(&render(&app, 80, 24));
    assert!(
        line_of(&screen, "Carbon").contains("vs pinned plan"),
        "{screen}"
    );
    let line = line_of(&screen, "net reduction");
    let want = signed(later.carbon.totals.net - a.net);
    assert!(
        line.trim_end_matches(['│', ' ']).ends_with(&want),
        "{want} {line:?}"
    );
}

/// Compare puts the plan shown and its change beside the scenarios after an
/// edit: capex, benefit and CO2 as the status line gives them, and the
/// slots that changed counted by mark.
#[test]
fn compare_shows_the_plan_and_its_change() {
    let park = net_park();
    let mut app = started_on(park);
    let t0 = app.run.evaluation.clone().unwrap().totals;
    press(&mut app, KeyCode::Char('8'));
    let screen = text(&render(&app, 100, 30));
    assert!(!screen.contains("plan shown"), "{screen}");
    edit_param(&mut app, "ets_price", "300");
    let t1 = app.run.evaluation.clone().unwrap().totals;
    press(&mut app, KeyCode::Char('8'));
    let screen = text(&render(&app, 100, 30));
    let head = line_of(&screen, "scenario");
    assert!(
        head.contains("plan shown") && head.contains("vs the last edit"),
        "{screen}"
    );
    let money = |x: f64| {
        let s = short(x.abs());
        if s == "0" {
            s
        } else if x > 0.0 {
            format!("+{s}")
        } else {
            format!("-{s}")
        }
    };
    // The plan shown, then its change.
    let benefit = words(line_of(&screen, "benefit CNY/yr"));
    let want = format!(
        "{} {}",
        short(t1.annual_benefit),
        money(t1.annual_benefit - t0.annual_benefit)
    );
    assert!(benefit.contains(&want), "{want:?} in {benefit:?}");
    let co2 = line_of(&screen, "CO2 reduction t/yr");
    assert!(
        co2.contains(&group_thousands(t1.annual_co2_reduction, 0)),
        "{co2:?}"
    );
    assert!(
        co2.contains(&signed(t1.annual_co2_reduction - t0.annual_co2_reduction)),
        "{co2:?}"
    );
    // The marks of the Plan view, counted: every slot that entered, left,
    // switched, grew or shrank.
    let count = |sym: &str| {
        let plan = text(&render(
            &{
                let mut a = app.clone();
                press(&mut a, KeyCode::Char('1'));
                a
            },
            // The Plan alone (no panes beside it), every row.
            100,
            200,
        ));
        plan.lines()
            .filter(|l| {
                l.trim_start_matches(['┃', '│', ' '])
                    .starts_with(&format!("{sym} "))
            })
            .count()
    };
    let built = line_of(&screen, "built");
    for sym in ["+", "-", "~", "↑", "↓"] {
        let n = count(sym);
        if n > 0 {
            assert!(
                built.contains(&format!("{sym}{n}")),
                "{sym}{n} in {built:?}"
            );
        }
    }
    for (w, h) in [(80, 24), (100, 30), (160, 48)] {
        for palette in [Palette::Basic16, Palette::NoColor] {
            app.theme = Theme { palette };
            insta::assert_snapshot!(
                format!("compare_changes_{w}x{h}_{palette:?}"),
                text(&render(&app, w, h))
            );
        }
    }
}

/// Compare says which figure is selected and whether figures are hidden
/// above or below (▲ ▼), as Plan and Params do; the figures scroll.
#[test]
fn compare_says_where_it_is() {
    let mut app = started_on(net_park());
    press(&mut app, KeyCode::Char('8'));
    let screen = text(&render(&app, 80, 14));
    assert!(screen.contains(" row 1 of 14 ▼ "), "{screen}");
    press(&mut app, KeyCode::End);
    let screen = text(&render(&app, 80, 14));
    assert!(screen.contains(" row 14 of 14 ▲ "), "{screen}");
    assert!(screen.contains("gap to optimum"), "{screen}");
    assert!(!screen.contains("capex CNY"), "{screen}");
    insta::assert_snapshot!("compare_scrolled_80x14", screen);
    // Tall enough for every figure: no marker.
    let screen = text(&render(&app, 80, 34));
    assert!(screen.contains(" row 14 of 14 "), "{screen}");
    assert!(!screen.contains("14 of 14 ▲"), "{screen}");
}

/// `t` sorts the Plan by cost per tonne after CO2: annualized cost (the
/// benefit's negative) over CO2 reduced, cheapest first, slots that reduce
/// no CO2 last.
#[test]
fn the_plan_sorts_by_cost_per_tonne() {
    let mut app = started_on(net_park());
    press(&mut app, KeyCode::Char('1'));
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('t'));
    }
    let screen = text(&render(&app, 160, 48));
    assert!(screen.contains("by cost per t CO2"), "{screen}");
    // The order by hand, from the plan's items.
    let eval = app.run.evaluation.clone().unwrap();
    let mut items: Vec<_> = eval
        .items
        .iter()
        .filter(|r| r.annual_co2_reduction > 0.0)
        .map(|r| {
            (
                -r.annual_benefit / r.annual_co2_reduction,
                r.region_id,
                r.strategy,
            )
        })
        .collect();
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(items.len() >= 3);
    let rows = app.view::<PlanTable>().rows(&app);
    let park = &app.scenario.park;
    for (k, (_, region, strategy)) in items.iter().enumerate() {
        let s = rows[k];
        assert_eq!(park.regions[s.region].id, *region, "row {k}");
        assert_eq!(
            park.regions[s.region].slots[s.slot].strategy, *strategy,
            "row {k}"
        );
    }
    // Then the slots that build nothing (or reduce no CO2).
    for s in &rows[items.len()..] {
        let reduces = app
            .built(*s)
            .and_then(|(i, _)| eval.items.iter().find(|r| r.item == i))
            .is_some_and(|r| r.annual_co2_reduction > 0.0);
        assert!(!reduces);
    }
    for (w, h) in [(80, 24), (100, 30), (160, 48)] {
        for palette in [Palette::Basic16, Palette::NoColor] {
            app.theme = Theme { palette };
            insta::assert_snapshot!(
                format!("plan_by_cost_per_tonne_{w}x{h}_{palette:?}"),
                text(&render(&app, w, h))
            );
        }
    }
    // One more `t`: the park's order again.
    press(&mut app, KeyCode::Char('t'));
    let screen = text(&render(&app, 160, 48));
    assert!(!screen.contains("by "), "{screen}");
}

/// At 80 columns the Plan names regions where the name fits beside the
/// figures ("1 Cogene…": six letters at least), the id whole; the paper
/// case's names do not fit: ids only, as before.
#[test]
fn the_plan_names_regions_at_80_columns() {
    // With no budget nothing is built: no technology names, room for the
    // region's name beside the marks.
    let mut app = started_on(net_park());
    edit_param(&mut app, "capex_cap", "0");
    press(&mut app, KeyCode::Char('1'));
    let screen = text(&render(&app, 80, 24));
    let r = &app.scenario.park.regions[0];
    let first: String = r.name.chars().take(6).collect();
    assert!(
        screen
            .lines()
            .any(|l| l.contains(&format!("│  {} {first}", r.id))
                || l.contains(&format!("│~ {} {first}", r.id))
                || l.contains(&format!("│- {} {first}", r.id))),
        "{}: {screen}",
        r.name
    );
    let app = started();
    let screen = text(&render(&app, 80, 24));
    let r = &app.scenario.park.regions[0];
    assert!(screen.contains(&format!("│{}      lot", r.id)), "{screen}");
}

/// The largest money reads with P, never as "1000000.00 G" (issue 15.6), and
/// payback is whole at 80 columns: "payback N.N yr" with N.N = capex / income.
#[test]
fn the_largest_money_and_payback_are_whole_at_80_columns() {
    let mut park = Park::paper_case();
    park.economics.capex_cap_cny = 1e15;
    for r in &mut park.regions {
        for s in &mut r.slots {
            s.max = 1e15;
            s.min = 0.0;
        }
    }
    let app = started_on(park);
    let screen = text(&render(&app, 80, 24));
    assert!(!screen.contains("000.00 G"), "{screen}");
    assert!(screen.contains("capex 1.00 P/1.00 P"), "{screen}");
    let t = app.run.evaluation.clone().unwrap().totals;
    let payback = format!("payback {:.1} yr", t.capex / t.annual_income);
    assert!(
        screen.lines().any(|l| l.contains(&payback)),
        "{payback}: {screen}"
    );
    let app = started();
    let t = app.run.evaluation.clone().unwrap().totals;
    let screen = text(&render(&app, 80, 24));
    let payback = format!("payback {:.1} yr", t.capex / t.annual_income);
    assert!(
        screen.lines().any(|l| l.contains(&payback)),
        "{payback}: {screen}"
    );
}

/// Review s4 item 3: the plan pinned with `b` was called "the baseline", next
/// to Compare's scenario `baseline` (nothing built): "vs the baseline
/// +15.00 M" beside a `baseline` column of 0. The pinned plan is the "pinned
/// plan" everywhere: the Plan's Change row, the status line, the Ledger,
/// Compare, the pin message and the help.
#[test]
fn the_pinned_plan_is_never_called_the_baseline() {
    let mut app = started();
    press(&mut app, KeyCode::Char('b'));
    let note = format!("{:?}", app.note);
    assert!(note.contains("pinned plan"), "{note}");
    edit_param(&mut app, "capex_cap", "35M");
    edit_param(&mut app, "ets_price", "200");
    edit_param(&mut app, "co2_transport_km", "200");
    for (view, what) in [('1', "Plan"), ('7', "Ledger"), ('8', "Compare")] {
        press(&mut app, KeyCode::Char(view));
        for (w, h) in [(80, 24), (160, 48)] {
            let screen = text(&render(&app, w, h));
            assert!(
                !screen.contains("vs the baseline") && !screen.contains("vs baseline"),
                "{what} at {w}x{h}:\n{screen}"
            );
            assert!(
                screen.contains("vs pinned plan"),
                "{what} at {w}x{h}:\n{screen}"
            );
        }
    }
    // Compare still has its scenario "baseline" (nothing built), now
    // distinct from the pinned plan's column.
    let screen = text(&render(&app, 80, 24));
    let head = line_of(&screen, "scenario");
    assert!(
        head.contains("vs pinned plan") && head.contains("baseline"),
        "{head}"
    );
    // The help names the pin the same way.
    press(&mut app, KeyCode::Char('?'));
    let help = text(&render(&app, 80, 24));
    assert!(
        help.contains("pin the plan") && !help.contains("pin baseline"),
        "{help}"
    );
}

/// Review s4 item 7: the Ledger overflowed at 80x24 with a plain bottom
/// border, and the first PgDn moved nothing visible. It now says where it is
/// (`row n of N ▲ ▼`, as Plan, Params and Compare do) and PgDn scrolls.
#[test]
fn the_ledger_says_where_it_is_and_pages() {
    let mut app = started_on(net_park());
    press(&mut app, KeyCode::Char('7'));
    press(&mut app, KeyCode::Home);
    let top = text(&render(&app, 80, 24));
    let border = |s: &str| {
        s.lines()
            .find(|l| l.starts_with('└'))
            .unwrap_or_else(|| panic!("{s}"))
            .to_string()
    };
    let b = border(&top);
    assert!(
        b.contains("row 1 of ") && b.contains('▼') && !b.contains('▲'),
        "{b}\n{top}"
    );
    // The ledger's line count, from the border, against the lines drawn.
    let n: usize = b
        .split("row 1 of ")
        .nth(1)
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let drawn = top
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with('└'))
        .count();
    assert!(n > drawn, "{n} lines, {drawn} drawn");
    press(&mut app, KeyCode::PageDown);
    let paged = text(&render(&app, 80, 24));
    let first = |s: &str| s.lines().nth(2).unwrap().to_string();
    assert_ne!(
        first(&top),
        first(&paged),
        "PgDn scrolled nothing:\n{paged}"
    );
    let b = border(&paged);
    assert!(b.contains("row 11 of ") && b.contains('▲'), "{b}");
    press(&mut app, KeyCode::End);
    let end = text(&render(&app, 80, 24));
    let b = border(&end);
    assert!(
        b.contains(&format!("row {n} of {n}")) && !b.contains('▼'),
        "{b}"
    );
}
