//! What a what-if session needs answered on screen (issue 15): what payback
//! is computed from, what an edit changed in the totals, Pareto loads that
//! can be undone, and the objective kept with a saved scenario.

use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::report::{group_thousands, short};
use ratatui::crossterm::event::KeyCode;

use parkplan_console::app::{Analysis, App, RunStatus};
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::view::Pareto;

use crate::helpers::*;

/// The status area below the last rule, its rows joined, without spaces.
fn status(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let rule = lines
        .iter()
        .rposition(|l| l.starts_with("────"))
        .unwrap_or(0);
    lines[rule + 1..].concat().replace(' ', "")
}

fn nospace(s: &str) -> String {
    s.replace(' ', "")
}

/// Payback is capex over the annual income (not over the benefit shown next
/// to it): the status line names the income where it fits, the help says so.
#[test]
fn payback_is_explained_by_the_income_it_is_computed_from() {
    let mut app = started();
    let eval = app.run.evaluation.clone().unwrap();
    // The income and capex summed from the plan's items, by hand.
    let income: f64 = eval.items.iter().map(|i| i.annual_income).sum();
    let capex: f64 = eval.items.iter().map(|i| i.capex).sum();
    assert!(income > 0.0);
    let shown = format!(
        "payback {:.1} yr = capex / income {}/yr",
        capex / income,
        short(income)
    );
    let wide = text(&render(&app, 160, 48));
    assert!(status(&wide).contains(&nospace(&shown)), "{wide}");
    // At 80 columns the line has no room for it: the help explains it.
    press(&mut app, KeyCode::Char('?'));
    let help = text(&render(&app, 80, 24));
    assert!(
        help.contains("payback = capex / income (benefit is income - annualized capex)"),
        "{help}"
    );
}

/// After an edit the status line gives the change in benefit, CO2 and capex
/// against the plan before the edit (then against a pinned baseline).
#[test]
fn the_status_line_gives_the_change_an_edit_made() {
    let mut app = started();
    let before = app.run.evaluation.clone().unwrap().totals;
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = text(&render(&app, w, h));
        assert!(!status(&screen).contains("vsthelastedit"), "{screen}");
    }
    edit_param(&mut app, "ets_price", "300");
    let after = app.run.evaluation.clone().unwrap().totals;
    let signed = |x: f64, s: String| if x > 0.0 { format!("+{s}") } else { s };
    let db = after.annual_benefit - before.annual_benefit;
    let dc = after.annual_co2_reduction - before.annual_co2_reduction;
    let dk = after.capex - before.capex;
    assert!(db != 0.0 && dc != 0.0, "the edit changed nothing");
    let line = format!(
        "vs the last edit:  benefit {} CNY/yr  CO2 {} t/yr  capex {}",
        signed(db, short(db)),
        signed(dc, group_thousands(dc, 0)),
        signed(dk, short(dk)),
    );
    let wide = text(&render(&app, 160, 48));
    assert!(status(&wide).contains(&nospace(&line)), "{line}\n{wide}");
    let narrow = text(&render(&app, 80, 24));
    assert!(
        status(&narrow).contains("vsthelastedit:benefit"),
        "{narrow}"
    );
    // Pinned, then a second edit: against the baseline.
    press(&mut app, KeyCode::Char('b'));
    edit_param(&mut app, "co2_transport_km", "300");
    let wide = text(&render(&app, 160, 48));
    assert!(status(&wide).contains("vspinnedplan:"), "{wide}");
}

/// Loading a Pareto point is an undo step: `u` shows the plan before again
/// and leaves the scenario as it was.
#[test]
fn loading_a_pareto_point_can_be_undone() {
    let mut app = started();
    let scenario = app.scenario.clone();
    let plan = app.run.plan.clone().unwrap();
    let loaded = load_another_pareto_point(&mut app, &plan);
    assert_eq!(app.run.plan.as_ref(), Some(&loaded));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.run.plan.as_ref(), Some(&plan));
    assert_eq!(app.scenario, scenario);
    assert!(matches!(app.run.status, RunStatus::Done { .. }));
    let screen = text(&render(&app, 80, 24));
    assert!(
        status(&screen).contains("undone:Paretopointloaded"),
        "{screen}"
    );
    // Nothing further: the load was the only step.
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.run.plan.as_ref(), Some(&plan));
}

/// `s` keeps the objective with the scenario; opening the file starts with
/// it, unless `--objective` says otherwise.
#[test]
fn the_objective_is_saved_with_the_scenario_and_restored() {
    let tmp = temp_dir();
    let path = tmp.path().join("carbon.toml");
    let mut app = started();
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.scenario.objective, Objective::Carbon);
    save_as(&mut app, &path);
    assert!(path.is_file(), "{:?}", app.note);
    let park = Park::load(&path).expect("the saved file is a park file");
    let theme = || Theme {
        palette: Palette::Basic16,
    };
    let opened = parkplan_console::open(park.clone(), Some(path.clone()), None, vec![], theme());
    assert_eq!(opened.scenario.objective, Objective::Carbon);
    let told = parkplan_console::open(
        park,
        Some(path.clone()),
        Some(Objective::Economic),
        vec![],
        theme(),
    );
    assert_eq!(told.scenario.objective, Objective::Economic);
    // Saved again after switching back: one objective line, economic.
    let mut app = opened;
    execute(&mut app, vec![parkplan_console::update::Effect::Solve]);
    press(&mut app, KeyCode::Char('o'));
    save_as(&mut app, &path);
    press(&mut app, KeyCode::Char('y'));
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("objective:")).collect();
    assert_eq!(lines, ["# parkplan console objective: economic"], "{text}");
    let park = Park::load(&path).unwrap();
    let opened = parkplan_console::open(park, Some(path), None, vec![], theme());
    assert_eq!(opened.scenario.objective, Objective::Economic);
}

/// Ctrl-z asks the loop to suspend (as other terminal programs do) and no
/// longer undoes, in every mode; `u` undoes. The tmux test
/// `console_in_tmux_suspends_on_ctrl_z_and_resumes_with_fg` checks the stop
/// and the resume.
#[test]
fn ctrl_z_suspends_and_u_undoes() {
    use parkplan_console::action::{Action, action_for};
    use ratatui::crossterm::event::{Event, KeyEvent, KeyModifiers};
    let ctrl_z = Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    let mut app = started();
    edit_param(&mut app, "ets_price", "200");
    let edited = app.scenario.clone();
    assert_eq!(action_for(&app, &ctrl_z), Some(Action::Suspend));
    let effects = parkplan_console::update::update(&mut app, Action::Suspend);
    assert!(effects.is_empty());
    assert!(app.suspend);
    assert_eq!(app.scenario, edited);
    // In a text field too.
    press(&mut app, KeyCode::Enter);
    assert!(app.edit.is_some());
    assert_eq!(action_for(&app, &ctrl_z), Some(Action::Suspend));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('u'));
    assert_ne!(app.scenario, edited);
    press(&mut app, KeyCode::Char('?'));
    let help = text(&render(&app, 80, 24));
    assert!(help.contains("u / Ctrl-z"), "{help}");
    assert!(help.contains("suspend (fg resumes)"), "{help}");
}

/// `/` filters the Plan table as it is typed (region, strategy or
/// technology), `a` shows built items only, `t` sorts (capex, benefit, CO2,
/// largest first); the frame says where the selection is (`row i of n`) and
/// marks rows hidden above (▲) or below (▼).
#[test]
fn the_plan_table_filters_sorts_and_says_where_it_is() {
    use parkplan_console::view::PlanTable;
    let mut app = started();
    let park = app.scenario.park.clone();
    let all: usize = park.regions.iter().map(|r| r.slots.len()).sum();
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains(&format!("row 1 of {all} ┘")), "{screen}");
    // On a short terminal rows are hidden below, then above too.
    let screen = text(&render(&app, 80, 14));
    assert!(screen.contains(&format!("row 1 of {all} ▼")), "{screen}");
    for _ in 0..5 {
        press(&mut app, KeyCode::Down);
    }
    let screen = text(&render(&app, 80, 14));
    assert!(screen.contains(&format!("row 6 of {all} ▲ ▼")), "{screen}");
    press(&mut app, KeyCode::End);
    let screen = text(&render(&app, 80, 14));
    assert!(screen.contains("total ▲ ┘"), "{screen}");
    press(&mut app, KeyCode::Home);

    // Filter by a region's name, typed: only its slots, counted by hand.
    let name = park.regions[2].name.clone();
    let word = name.split_whitespace().next().unwrap().to_lowercase();
    let expected: usize = park
        .regions
        .iter()
        .filter(|r| format!("{} {}", r.id, r.name.to_lowercase()).contains(&word))
        .map(|r| r.slots.len())
        .sum();
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, &word);
    // Filtered while typing.
    assert_eq!(app.view::<PlanTable>().rows(&app).len(), expected);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.view::<PlanTable>().filter, word);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains(&format!("row 1 of {expected}")), "{screen}");
    assert!(screen.contains(&format!("filter \"{word}\"")), "{screen}");
    // Cleared: every row again.
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.view::<PlanTable>().rows(&app).len(), all);

    // Built only: one row per item of the plan.
    let items = app.run.evaluation.clone().unwrap().items;
    press(&mut app, KeyCode::Char('a'));
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains(&format!("row 1 of {}", items.len())),
        "{screen}"
    );
    assert!(screen.contains("built only"), "{screen}");

    // Sorted by capex: the items' capex, largest first.
    press(&mut app, KeyCode::Char('t'));
    let mut capex: Vec<f64> = items.iter().map(|i| i.capex).collect();
    capex.sort_by(|a, b| b.total_cmp(a));
    let rows = app.view::<PlanTable>().rows(&app);
    let shown: Vec<f64> = rows
        .iter()
        .map(|s| {
            let st = park.regions[s.region].slots[s.slot].strategy;
            items
                .iter()
                .find(|i| i.region_id == park.regions[s.region].id && i.strategy == st)
                .unwrap()
                .capex
        })
        .collect();
    assert_eq!(shown, capex);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("by capex"), "{screen}");
    // Then benefit, then CO2.
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Char('t'));
    let mut co2: Vec<f64> = items.iter().map(|i| i.annual_co2_reduction).collect();
    co2.sort_by(|a, b| b.total_cmp(a));
    let rows = app.view::<PlanTable>().rows(&app);
    let first = rows[0];
    let st = park.regions[first.region].slots[first.slot].strategy;
    let top = items
        .iter()
        .find(|i| i.region_id == park.regions[first.region].id && i.strategy == st)
        .unwrap();
    assert_eq!(top.annual_co2_reduction, co2[0]);
    // Enter on a sorted row edits that row's cap.
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.edit.as_ref().map(|e| e.target),
        Some(parkplan_console::app::EditTarget::Cap(first))
    );
}

/// The Params list says where the selection is and marks rows hidden below
/// or above (the field list is longer than a short terminal).
#[test]
fn the_params_list_says_where_it_is() {
    let mut app = started();
    let n = parkplan_console::fields::Field::all(&app.scenario.park).len();
    press(&mut app, KeyCode::Char('2'));
    let screen = text(&render(&app, 80, 16));
    assert!(screen.contains(&format!("row 1 of {n} ▼")), "{screen}");
    press(&mut app, KeyCode::End);
    let screen = text(&render(&app, 80, 16));
    assert!(screen.contains(&format!("row {n} of {n} ▲ ")), "{screen}");
}

/// Review s4 item 9: under a `/` filter the Total row summed the whole plan
/// and said nothing; it now reads `Total (whole plan)` (and plain `Total`
/// when every row is shown), its figures the whole plan's.
#[test]
fn a_filtered_plan_says_its_total_is_the_whole_plans() {
    let mut app = started();
    let total_line = |app: &parkplan_console::app::App| {
        text(&render(app, 80, 24))
            .lines()
            .find(|l| l.contains("│Total") || l.contains("│ Total") || l.contains("Total "))
            .map(str::to_string)
            .expect("a Total row")
    };
    assert!(
        !total_line(&app).contains("whole plan"),
        "{}",
        total_line(&app)
    );
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "pv");
    press(&mut app, KeyCode::Enter);
    let line = total_line(&app);
    assert!(
        line.contains("Total") && line.contains("(whole plan)"),
        "{line}"
    );
    // The figures are the whole plan's: its capex, the budget of 20 M CNY.
    assert!(line.contains("20.00 M"), "{line}");
}

/// Saving after loading a Pareto point says that the file keeps the
/// parameters, not the plan on screen (reopened, the file is solved again).
#[test]
fn saving_after_loading_a_pareto_point_says_the_plan_is_not_in_the_file() {
    let tmp = temp_dir();
    let path = tmp.path().join("point.toml");
    let mut app = started();
    let plan = app.run.plan.clone().unwrap();
    let loaded = load_another_pareto_point(&mut app, &plan);
    assert_eq!(app.run.plan.as_ref(), Some(&loaded));
    save_as(&mut app, &path);
    assert!(path.is_file(), "{:?}", app.note);
    let note = format!("{:?}", app.note);
    assert!(note.contains("not the loaded Pareto plan"), "{note}");
}

/// With alternative optima (the same PV area on either of two identical
/// roofs), the console shows the plan `parkplan solve` prints, not whichever
/// one the GA happened to reach (review: PV in regions 2 and 7 on screen,
/// region 3 in the report).
#[test]
fn the_console_shows_the_plan_the_command_line_prints() {
    let mut park = Park::paper_case();
    for (k, v) in [
        ("ets_price", 200.0),
        ("capex_cap", 35e6),
        ("co2_transport_km", 200.0),
    ] {
        park.set_param(k, v).unwrap();
    }
    let opts = parkplan::compile(&park);
    let cli = parkplan::solve::exact::solve(
        &opts,
        Objective::Economic,
        parkplan::solve::exact::DEFAULT_NODE_LIMIT,
    )
    .unwrap();
    assert!(cli.proven_optimal);
    let app = started_on(park);
    assert_eq!(app.run.plan.as_ref(), Some(&cli.plan));
}

/// Opens the Pareto view and loads (Enter) its first point whose plan is not
/// `plan`; returns the plan loaded.
fn load_another_pareto_point(app: &mut App, plan: &parkplan::plan::Plan) -> parkplan::plan::Plan {
    press(app, KeyCode::Char('5'));
    let Analysis::Ready(v) = app.view::<Pareto>().front.clone() else {
        panic!("{:?}", app.view::<Pareto>().front);
    };
    let k = v
        .plans
        .iter()
        .position(|p| p != plan)
        .expect("another point");
    for _ in 0..k {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
    v.plans[k].clone()
}
