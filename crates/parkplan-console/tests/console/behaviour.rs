//! Console tests: the update loop driven by actions and key events, with the
//! jobs run synchronously, and the view rendered into a TestBackend.

use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::solve::CancelToken;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;

use parkplan_console::action::Action;
use parkplan_console::app::{Analysis, App, Note, RunStatus};
use parkplan_console::runner::Runner;
use parkplan_console::solve::{WorkerMsg, run_job};
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::update::{Effect, analysis_job, begin_run, on_worker, update};
use parkplan_console::view::{Compare, LedgerView, Mac, Pareto, Sensitivity, sweep_param};
use parkplan_console::write_file;

use crate::helpers::*;

#[test]
fn main_screen_80x24() {
    let app = started();
    insta::assert_snapshot!("main_80x24", text(&render(&app, 80, 24)));
}

#[test]
fn main_screen_160x48() {
    let app = started();
    insta::assert_snapshot!("main_160x48", text(&render(&app, 160, 48)));
}

#[test]
fn parameters_tab_and_help_80x24() {
    let mut app = started();
    press(&mut app, KeyCode::Char('2'));
    insta::assert_snapshot!("params_80x24", text(&render(&app, 80, 24)));
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!("help_80x24", text(&render(&app, 80, 24)));
}

#[test]
fn no_color_uses_no_colour_and_16_colours_no_rgb() {
    let mut app = started();
    app.theme = Theme {
        palette: Palette::NoColor,
    };
    for (w, h) in [(80, 24), (160, 48)] {
        let buf = render(&app, w, h);
        for cell in buf.content() {
            assert_eq!(cell.fg, Color::Reset, "{cell:?}");
            assert_eq!(cell.bg, Color::Reset, "{cell:?}");
        }
    }
    app.theme = Theme {
        palette: Palette::Basic16,
    };
    let buf = render(&app, 160, 48);
    assert!(
        buf.content()
            .iter()
            .all(|c| !matches!(c.fg, Color::Rgb(..) | Color::Indexed(_))
                && !matches!(c.bg, Color::Rgb(..) | Color::Indexed(_)))
    );
    // The same text whatever the palette: every chart series has a glyph of
    // its own in every palette, so nothing needs colour to be told apart.
    app.theme = Theme {
        palette: Palette::NoColor,
    };
    assert_eq!(text(&render(&app, 160, 48)), text(&buf));
}

#[test]
fn first_plan_is_the_exact_optimum() {
    let app = started();
    assert_shows_optimum(&app);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("13,417/20,000 t/a"), "{screen}");
}

#[test]
fn editing_the_ets_price_shows_the_new_optimum() {
    let mut app = started();
    edit_param(&mut app, "ets_price", "200");
    assert_eq!(app.scenario.park.economics.ets_price_cny_per_t, 200.0);
    assert_shows_optimum(&app);
    press(&mut app, KeyCode::Char('1'));
    let screen = text(&render(&app, 80, 24));
    // At 200 CNY/t the heat pumps' CO2 pays more than the chillers' cooling.
    assert!(screen.contains("3 Heat pump"), "{screen}");
    assert!(!screen.contains("Chiller"), "{screen}");
}

#[test]
fn editing_the_capex_cap_shows_the_new_optimum() {
    let mut app = started();
    edit_param(&mut app, "capex_cap", "5000000");
    assert_shows_optimum(&app);
    press(&mut app, KeyCode::Char('1'));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("1,705/"), "{screen}");
    assert!(screen.contains("0/20,000 t/a"), "{screen}");
}

#[test]
fn switching_the_objective_shows_the_carbon_optimum() {
    let mut app = started();
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.scenario.objective, Objective::Carbon);
    assert_shows_optimum(&app);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("11,792/20,000 t/a"), "{screen}");
    assert!(screen.contains("Plan · carbon"), "{screen}");
}

#[test]
fn editing_a_region_cap_from_the_table() {
    let mut app = started();
    press(&mut app, KeyCode::Char('1'));
    // Row 4 is region 4's CCU slot.
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.edit.is_some());
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "5000");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.scenario.park.regions[3].slots[0].max, 5000.0);
    assert_shows_optimum(&app);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("5,000/5,000* t/a"), "{screen}");
}

#[test]
fn invalid_input_is_refused_and_nothing_is_solved() {
    let mut app = started();
    let run_before = app.run.id;
    let park_before = app.scenario.park.clone();
    for bad in ["abc", "-5", "nan", ""] {
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Home);
        press(&mut app, KeyCode::Down); // capex_cap
        press(&mut app, KeyCode::Enter);
        for _ in 0..20 {
            press(&mut app, KeyCode::Backspace);
        }
        type_text(&mut app, bad);
        press(&mut app, KeyCode::Enter);
        let edit = app.edit.as_ref().expect("the field stays open");
        let err = edit.error.as_ref().expect("a reason");
        assert!(err.contains("number"), "{err}");
        assert!(matches!(app.note, Some(Note::Error(_))));
        press(&mut app, KeyCode::Esc);
    }
    assert_eq!(app.scenario.park, park_before);
    assert_eq!(app.run.id, run_before, "no solve started");
    // The refusal says what is allowed.
    press(&mut app, KeyCode::Enter);
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "-1");
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains(">= 0") && screen.contains("(CNY)"),
        "{screen}"
    );
}

#[test]
fn undo_and_reset() {
    let mut app = started();
    edit_param(&mut app, "ets_price", "100");
    edit_param(&mut app, "co2_transport_km", "150");
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.scenario.park.economics.co2_transport_km, 80.0);
    assert_eq!(app.scenario.park.economics.ets_price_cny_per_t, 100.0);
    assert_shows_optimum(&app);
    press(&mut app, KeyCode::Char('R'));
    assert_eq!(app.scenario, app.original);
    assert_shows_optimum(&app);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.scenario.park.economics.ets_price_cny_per_t, 100.0);
}

#[test]
fn messages_of_an_old_run_are_dropped() {
    let mut app = started();
    // Capture the messages of a run on the old parameters...
    let old_job = begin_run(&mut app);
    let mut old = Vec::new();
    run_job(&old_job, &mut |m| old.push(m));
    // ...then an edit starts a newer run before they arrive.
    let effects = update(&mut app, Action::ToggleObjective);
    execute(&mut app, effects);
    let shown = app.run.plan.clone();
    for m in old {
        on_worker(&mut app, m);
    }
    assert_eq!(app.run.plan, shown);
    assert_shows_optimum(&app);
}

#[test]
fn save_never_overwrites_without_asking_and_the_file_reads_back() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let path = dir.join("scenario.toml");
    std::fs::write(&path, "old contents").unwrap();
    let mut app = started();
    edit_param(&mut app, "ets_price", "123");
    save_as(&mut app, &path);
    // It exists: asked, and "n" keeps the old file.
    assert!(app.prompt.is_some());
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old contents");
    // Again, answering "y".
    save_as(&mut app, &path);
    press(&mut app, KeyCode::Char('y'));
    let saved = Park::load(&path).expect("the saved scenario reads back");
    assert_eq!(saved.economics, app.scenario.park.economics);
    assert_eq!(saved.regions, app.scenario.park.regions);
    assert_eq!(saved.catalogue, app.scenario.park.catalogue);
}

#[test]
fn export_writes_csv_and_json() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let mut app = started();
    for name in ["plan.csv", "plan.json"] {
        let path = dir.join(name);
        write_file(
            &mut app,
            Effect::Export {
                path: path.clone(),
                overwrite: false,
            },
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("13416.66"), "{text}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
    assert_eq!(json["objective"], "economic");
}

#[test]
fn a_failed_save_says_so() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let target = dir.join("missing-folder").join("scenario.toml");
    let mut app = started();
    write_file(
        &mut app,
        Effect::Save {
            path: target.clone(),
            overwrite: false,
        },
    );
    match &app.note {
        Some(Note::Error(m)) => assert!(m.contains("could not write"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(!target.exists());
}

#[test]
fn tab_cycles_focus_and_q_quits() {
    let mut app = started();
    assert_eq!(app.focused(), "plan");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focused(), "params");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focused(), "ga");
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.focused(), "params");
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn sensitivity_view_sweeps_and_shows_the_tipping_point() {
    let mut app = started();
    // The default range is centred on the price: 0..300 holds the switch.
    edit_param(&mut app, "ets_price", "150");
    press(&mut app, KeyCode::Char('4'));
    let Analysis::Ready(v) = &app.view::<Sensitivity>().sweep else {
        panic!("{:?}", app.view::<Sensitivity>().sweep);
    };
    assert_eq!(v.rows.len(), 41);
    // The chiller-to-heat-pump switch lies at 151.74 CNY/t (docs/validation.md).
    assert!(
        v.tipping
            .iter()
            .any(|(x, w)| (151.0..153.0).contains(x) && w.contains("switches")),
        "{:?}",
        v.tipping
    );
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("tipping point 1 of 1"), "{screen}");
    // The next parameter, then a range typed in.
    press(&mut app, KeyCode::Right);
    let key = sweep_param(app.view::<Sensitivity>().setup.param).key;
    assert_eq!(key, "co2_transport_km");
    press(&mut app, KeyCode::Enter);
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "80:200:13");
    press(&mut app, KeyCode::Enter);
    let Analysis::Ready(v) = &app.view::<Sensitivity>().sweep else {
        panic!("{:?}", app.view::<Sensitivity>().sweep);
    };
    assert_eq!(v.rows.first().unwrap().0, 80.0);
    assert_eq!(v.rows.last().unwrap().0, 200.0);
    // Downwards, as `parkplan sweep --range` takes it: the same values.
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "200:80:13");
    press(&mut app, KeyCode::Enter);
    assert!(app.edit.is_none(), "{:?}", app.note);
    let s = &app.view::<Sensitivity>().setup;
    assert_eq!((s.from, s.to, s.count), (80.0, 200.0, 13));
    // A bad range is refused and keeps the old setup.
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "100:50");
    press(&mut app, KeyCode::Enter);
    assert!(app.edit.as_ref().unwrap().error.is_some());
    assert_eq!(app.view::<Sensitivity>().setup.from, 80.0);
}

#[test]
fn an_edit_invalidates_the_analyses() {
    let mut app = started();
    press(&mut app, KeyCode::Char('6'));
    assert!(matches!(app.view::<Mac>().curve, Analysis::Ready(_)));
    let id = app.analyses_id;
    edit_param(&mut app, "ets_price", "100");
    assert_eq!(app.analyses_id, id + 1);
    assert!(matches!(app.view::<Mac>().curve, Analysis::Idle));
    // A result computed for the old parameters arrives late: dropped.
    let mut stale = app.clone();
    stale.analyses_id = id;
    let job = analysis_job(&stale, "mac").unwrap();
    on_worker(&mut app, job.run(&CancelToken::new()).unwrap());
    assert!(matches!(app.view::<Mac>().curve, Analysis::Idle));
    press(&mut app, KeyCode::Char('6'));
    assert!(matches!(app.view::<Mac>().curve, Analysis::Ready(_)));
}

#[test]
fn a_pareto_point_loads_into_the_main_view() {
    let mut app = started();
    press(&mut app, KeyCode::Char('5'));
    let Analysis::Ready(v) = app.view::<Pareto>().front.clone() else {
        panic!("{:?}", app.view::<Pareto>().front);
    };
    assert!(v.points.len() >= 2);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused(), "plan");
    assert_eq!(app.run.plan.as_ref(), Some(&v.plans[1]));
    let t = app.run.evaluation.as_ref().unwrap().totals;
    assert!((t.annual_co2_reduction - v.points[1].0).abs() < 1e-6);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("Pareto"), "{screen}");
}

#[test]
fn analysis_views_80x24() {
    let mut app = started();
    for (k, name) in [
        ('4', "sensitivity_80x24"),
        ('5', "pareto_80x24"),
        ('6', "mac_80x24"),
    ] {
        press(&mut app, KeyCode::Char(k));
        insta::assert_snapshot!(name, text(&render(&app, 80, 24)));
    }
}

#[test]
fn quitting_with_unsaved_edits_asks_first() {
    let mut app = started();
    edit_param(&mut app, "ets_price", "100");
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "asked first");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("unsaved edits"), "{screen}");
    press(&mut app, KeyCode::Char('n'));
    assert!(!app.quit);
    assert!(app.prompt.is_none());
    // Undoing the edit leaves nothing unsaved: q quits at once.
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
    // With an edit again, "y" quits.
    let mut app = started();
    edit_param(&mut app, "capex_cap", "30000000");
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.quit);
}

#[test]
fn a_panic_in_the_solver_shows_as_an_error_and_the_next_edit_solves() {
    let mut app = started();
    parkplan_console::solve::FAULT_INJECTION.store(true, std::sync::atomic::Ordering::Relaxed);
    app.scenario.park.name = "__panic_in_solver__".into();
    execute(&mut app, vec![Effect::Solve]);
    assert!(
        matches!(app.run.status, RunStatus::Failed(_)),
        "{:?}",
        app.run.status
    );
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("solver crashed"), "{screen}");
    app.scenario.park.name = "Paper case".into();
    edit_param(&mut app, "ets_price", "80");
    assert_shows_optimum(&app);
}

#[test]
fn a_population_too_large_for_memory_is_refused() {
    let mut app = started();
    let before = app.scenario.park.solver.population;
    edit_param(&mut app, "population", "100000");
    // 7 regions have 10 slots: 100,000 x 10 genes fit; a generated 1,000-region park would not.
    assert_eq!(app.scenario.park.solver.population, 100_000);
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.scenario.park.solver.population, before);
    let mut big = App::new(
        parkplan::park::generate(1000, 3),
        None,
        Objective::Economic,
        Theme {
            palette: Palette::Basic16,
        },
    );
    edit_param(&mut big, "population", "100000");
    assert!(
        big.edit
            .as_ref()
            .and_then(|e| e.error.as_ref())
            .is_some_and(|e| e.contains("memory")),
        "{:?}",
        big.edit
    );
    assert_eq!(big.scenario.park.solver.population, before);
}

#[test]
fn a_saved_scenario_keeps_the_sources_of_unedited_values() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let path = dir.join("edited.toml");
    let mut app = started();
    edit_param(&mut app, "ets_price", "123");
    write_file(
        &mut app,
        Effect::Save {
            path: path.clone(),
            overwrite: false,
        },
    );
    let text = std::fs::read_to_string(&path).unwrap();
    // The edited value says so; the others keep their citations.
    assert!(
        text.contains("ets_price = 123")
            && text.contains("edited in the parkplan console (was 59)"),
        "{text}"
    );
    assert!(text.contains("MEE 2023 notice"), "{text}");
    assert_eq!(
        Park::load(&path).unwrap().economics,
        app.scenario.park.economics
    );
    assert!(!app.dirty());
}

// ---------------------------------------------------------------------------
// Ledger and Compare

/// The ledger the console holds is that of the plan on screen.
fn assert_ledger_of_shown_plan(app: &App) {
    let opts = app.run.opts.as_ref().expect("options");
    let plan = app.run.plan.as_ref().expect("a plan");
    let expected = parkplan::analysis::ledger::ledger(&app.scenario.park, opts, plan);
    assert_eq!(app.run.ledger.as_ref(), Some(&expected));
}

#[test]
fn ledger_view_80x24() {
    let mut app = started_on(net_park());
    assert_ledger_of_shown_plan(&app);
    press(&mut app, KeyCode::Char('7'));
    assert_eq!(app.focused(), "ledger");
    let screen = text(&render(&app, 80, 24));
    insta::assert_snapshot!("ledger_80x24", screen);
    for s in [
        "net reduction",
        "emitted after",
        "KPIs",
        "system efficiency after",
    ] {
        assert!(screen.contains(s), "{s}: {screen}");
    }
    // The energy balance further down: moving down scrolls to it.
    let mut screen = text(&render(&app, 80, 24));
    for _ in 0..100 {
        if screen.contains("uses BIOCHAR") {
            break;
        }
        press(&mut app, KeyCode::Down);
        screen = text(&render(&app, 80, 24));
    }
    insta::assert_snapshot!("ledger_energy_80x24", screen);
    for s in ["electricity", "natural gas", "grid import"] {
        assert!(screen.contains(s), "{s}: {screen}");
    }
    // At the end, the subsystems and the carbon of every built item.
    press(&mut app, KeyCode::End);
    let screen = text(&render(&app, 80, 24));
    insta::assert_snapshot!("ledger_items_80x24", screen);
    // The last built item of the plan (the solver's plan of the net park
    // changed with the LP branch and bound: which items is not fixed here).
    let last = app.run.evaluation.as_ref().unwrap().items.last().unwrap();
    let label = format!("{} {} {}", last.region_id, last.strategy, last.tech);
    assert!(screen.contains(&label), "{label}: {screen}");
    // Every line is reachable and the selection stays on the ledger's lines.
    let n = parkplan_console::view::ledger_line_count(&app);
    assert_eq!(app.view::<LedgerView>().row, n - 1);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.view::<LedgerView>().row, n - 1);
    press(&mut app, KeyCode::Up);
    assert_eq!(app.view::<LedgerView>().row, n - 2);
    press(&mut app, KeyCode::Home);
    assert_eq!(app.view::<LedgerView>().row, 0);
    // Wide: everything on one screen.
    let screen = text(&render(&app, 160, 48));
    assert!(
        screen.contains("net reduction") && screen.contains("biomass"),
        "{screen}"
    );
}

#[test]
fn ledger_without_an_energy_baseline_says_so() {
    let mut app = started();
    press(&mut app, KeyCode::Char('7'));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("no [energy] baseline"), "{screen}");
    // The carbon ledger and the KPIs it has; none that need the baseline.
    for s in [
        "avoided",
        "net reduction",
        "12,101",
        "net negative emissions",
    ] {
        assert!(screen.contains(s), "{s}: {screen}");
    }
    for s in ["emitted before", "system efficiency", "Energy"] {
        assert!(!screen.contains(s), "{s}: {screen}");
    }
}

#[test]
fn the_ledger_follows_the_plan_on_screen() {
    let mut app = started();
    assert_ledger_of_shown_plan(&app);
    let first = app.run.ledger.clone().unwrap();
    // A new run drops the old plan's ledger at once...
    let job = begin_run(&mut app);
    assert!(app.run.ledger.is_none());
    let mut msgs = Vec::new();
    run_job(&job, &mut |m| msgs.push(m));
    for m in msgs {
        on_worker(&mut app, m);
    }
    assert_ledger_of_shown_plan(&app);
    // ...an edit gives the new plan's ledger...
    edit_param(&mut app, "capex_cap", "5000000");
    assert_ledger_of_shown_plan(&app);
    assert_ne!(app.run.ledger.as_ref(), Some(&first));
    // ...and so does a plan loaded from the Pareto front.
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focused(), "plan");
    assert_ledger_of_shown_plan(&app);
    // Drawing does not change the state.
    press(&mut app, KeyCode::Char('7'));
    let before = format!("{:?}", app.run.ledger);
    render(&app, 80, 24);
    assert_eq!(format!("{:?}", app.run.ledger), before);
}

#[test]
fn compare_view_80x24() {
    let mut app = started_on(net_park());
    // Until the worker answers: computing.
    let effects = update(&mut app, Action::Focus(7));
    assert_eq!(effects, vec![Effect::Analyze("compare")]);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("computing…"), "{screen}");
    execute(&mut app, effects);
    let Analysis::Ready(v) = app.view::<Compare>().compare.clone() else {
        panic!("{:?}", app.view::<Compare>().compare);
    };
    let names: Vec<&str> = v.results.iter().map(|r| r.name.as_str()).collect();
    let expected: Vec<String> = parkplan::analysis::compare::available(&app.scenario.park)
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, expected);
    assert!(v.failed.is_empty(), "{:?}", v.failed);
    assert!(v.results.iter().all(|r| r.objective == "economic"));
    let n = v.results.len();
    assert!(n > 4, "more scenarios than fit in 80 columns: {names:?}");
    let screen = text(&render(&app, 80, 24));
    insta::assert_snapshot!("compare_80x24", screen);
    assert!(
        screen.contains("baseline") && screen.contains("more ▶"),
        "{screen}"
    );
    // Right to the last scenario: the columns scroll.
    for _ in 0..n + 2 {
        press(&mut app, KeyCode::Right);
    }
    assert_eq!(app.view::<Compare>().col, n - 1);
    let screen = text(&render(&app, 80, 24));
    insta::assert_snapshot!("compare_scrolled_80x24", screen);
    assert!(screen.contains(names[n - 1]), "{screen}");
    assert!(
        !screen.contains("more ▶") && screen.contains("◀"),
        "{screen}"
    );
    press(&mut app, KeyCode::Left);
    assert_eq!(app.view::<Compare>().col, n - 2);
    // Up/Down select a figure; the rows stop at the last one.
    press(&mut app, KeyCode::End);
    assert_eq!(
        app.view::<Compare>().row,
        parkplan_console::view::COMPARE_ROWS - 1
    );
    // Wide: every scenario at once.
    let screen = text(&render(&app, 200, 48));
    assert!(names.iter().all(|s| screen.contains(s)), "{screen}");
}

#[test]
fn compare_uses_the_current_objective_and_edits_and_drops_stale_results() {
    let mut app = started();
    press(&mut app, KeyCode::Char('8'));
    let Analysis::Ready(v) = app.view::<Compare>().compare.clone() else {
        panic!("{:?}", app.view::<Compare>().compare);
    };
    // The paper case has no NETs: today's system and the paper's strategies.
    let names: Vec<&str> = v.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["baseline", "no-net"]);
    // The no-net scenario of the paper case is the console's own optimum.
    let shown = app.run.evaluation.as_ref().unwrap().totals;
    assert!((v.results[1].annual_benefit - shown.annual_benefit).abs() < 1e-6);
    // An edit while the view is open re-runs it on the edited park.
    let id = app.analyses_id;
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.analyses_id, id + 1);
    let Analysis::Ready(w) = &app.view::<Compare>().compare else {
        panic!("{:?}", app.view::<Compare>().compare);
    };
    assert!(w.results.iter().all(|r| r.objective == "carbon"));
    // A result computed for the old objective arrives late: dropped.
    let mut stale = app.clone();
    stale.analyses_id = id;
    stale.scenario.objective = Objective::Economic;
    let job = analysis_job(&stale, "compare").unwrap();
    let before = app.view::<Compare>().compare.clone();
    on_worker(&mut app, job.run(&CancelToken::new()).unwrap());
    assert_eq!(app.view::<Compare>().compare, before);
    // Left/Right with no more scenarios stay put; nothing breaks at small sizes.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    assert_eq!(app.view::<Compare>().col, 1);
    for (w, h) in [(20, 5), (40, 12), (80, 24)] {
        render(&app, w, h);
    }
}

#[test]
fn ledger_and_compare_in_no_color_and_16_colours() {
    let mut app = started_on(net_park());
    press(&mut app, KeyCode::Char('8'));
    for k in ['7', '8'] {
        press(&mut app, KeyCode::Char(k));
        app.theme = Theme {
            palette: Palette::NoColor,
        };
        let plain = render(&app, 80, 24);
        for cell in plain.content() {
            assert_eq!(cell.fg, Color::Reset, "{cell:?}");
            assert_eq!(cell.bg, Color::Reset, "{cell:?}");
        }
        app.theme = Theme {
            palette: Palette::Basic16,
        };
        let coloured = render(&app, 80, 24);
        assert!(coloured.content().iter().all(|c| !matches!(
            c.fg,
            Color::Rgb(..) | Color::Indexed(_)
        ) && !matches!(
            c.bg,
            Color::Rgb(..) | Color::Indexed(_)
        )));
        assert_eq!(text(&plain), text(&coloured));
    }
}

/// A cancelled token stops a Pareto front (whose search on the NET park runs
/// far beyond the 1,024 nodes between checks) and a comparison: the analysis
/// reports nothing, as a newer job of its kind will.
#[test]
fn a_cancelled_analysis_reports_nothing() {
    let app = App::new(
        net_park(),
        None,
        Objective::Economic,
        Theme {
            palette: Palette::NoColor,
        },
    );
    let token = CancelToken::new();
    token.cancel();
    for view in ["pareto", "compare"] {
        let job = analysis_job(&app, view).unwrap();
        assert!(job.run(&token).is_none(), "{view} ran to the end");
    }
    assert!(matches!(
        parkplan::analysis::pareto::front_with(&app.scenario.park, 21, &token),
        Err(parkplan::analysis::pareto::ParetoError::Cancelled)
    ));
}

/// A Pareto front on the NET park (tens of seconds) is cancelled by the next
/// Pareto job, whose result is the first to arrive; a comparison asked for
/// meanwhile runs on its own thread and does not wait for the front either.
#[test]
fn a_newer_analysis_cancels_the_running_one_of_its_kind() {
    use std::sync::mpsc;
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let mut runner = Runner::new(move |m: WorkerMsg| {
        let _ = tx.lock().unwrap().send(m);
    });
    let mut net = app_with(Palette::NoColor);
    net.scenario.park = net_park();
    net.analyses_id = 1;
    runner.submit(analysis_job(&net, "pareto").unwrap().into_task());
    let mut app = app_with(Palette::NoColor);
    app.analyses_id = 3;
    runner.submit(analysis_job(&app, "compare").unwrap().into_task());
    app.analyses_id = 2;
    runner.submit(analysis_job(&app, "pareto").unwrap().into_task());
    let mut ids = Vec::new();
    while ids.len() < 2 {
        // Generous: only a hang fails this, not a slow machine.
        let m = rx
            .recv_timeout(std::time::Duration::from_secs(300))
            .expect("results arrive");
        let WorkerMsg::Analysis { id, result, .. } = m else {
            panic!("{m:?}")
        };
        let Ok(r) = result else {
            panic!("job {id} failed")
        };
        // A front reports its points as it finds them (the first job too,
        // before its cancel): only results count here.
        if r.downcast_ref::<parkplan_console::view::ParetoStep>()
            .is_none()
        {
            ids.push(id);
        }
    }
    ids.sort();
    assert_eq!(ids, [2, 3], "the cancelled front reported");
    drop(runner);
}

/// On a park with `[energy]` the Params view lists its prices and demands; an
/// edit re-solves, and the ledger follows the new price.
#[test]
fn energy_prices_are_edited_in_the_params_view() {
    let mut app = started_on(net_park());
    let before = app.run.ledger.clone().expect("a ledger");
    let screen = {
        press(&mut app, KeyCode::Char('2'));
        text(&render(&app, 160, 48))
    };
    for key in ["electricity_price", "gas_price", "heat_demand"] {
        assert!(screen.contains(key), "{key}: {screen}");
    }
    edit_param(&mut app, "heat_demand", "0");
    assert_eq!(
        app.scenario.park.energy.as_ref().unwrap().heat_demand_mwh,
        0.0
    );
    // The plan was solved again and its ledger is the new park's.
    assert_ledger_of_shown_plan(&app);
    let after = app.run.ledger.as_ref().expect("a ledger");
    assert_ne!(
        after.carbon.emissions_before,
        before.carbon.emissions_before
    );
    // The paper case has no [energy]: no such rows.
    let mut paper = app_with(Palette::NoColor);
    press(&mut paper, KeyCode::Char('2'));
    let screen = text(&render(&paper, 160, 48));
    assert!(!screen.contains("gas_price"), "{screen}");
}

/// An edit (a new analyses id) cancels the analyses of the old scenario, also
/// of views that are not open; those of the current id go on.
#[test]
fn an_edit_cancels_the_stale_analyses_of_every_kind() {
    let mut runner = Runner::new(move |_: WorkerMsg| {});
    let mut app = app_with(Palette::NoColor);
    app.scenario.park = net_park();
    app.analyses_id = 1;
    runner.submit(analysis_job(&app, "pareto").unwrap().into_task());
    app.analyses_id = 2;
    runner.submit(analysis_job(&app, "mac").unwrap().into_task());
    runner.cancel_stale(2);
    assert_eq!(runner.cancelled("pareto"), Some(true));
    assert_eq!(runner.cancelled("mac"), Some(false));
    assert_eq!(runner.cancelled("sensitivity"), None);
}

/// The console's edits have the last word over a compared scenario's own
/// overrides, as `parkplan compare --set` does: with the carbon price edited
/// to 50, "high-carbon-price" (which only sets the carbon price) is the mix.
#[test]
fn compare_applies_the_console_edits_after_each_scenario() {
    let mut app = started_on(net_park());
    edit_param(&mut app, "ets_price", "50");
    assert_eq!(
        parkplan_console::update::user_overrides(&app),
        vec![("ets_price".to_string(), 50.0)]
    );
    let job = analysis_job(&app, "compare").unwrap();
    let Some(WorkerMsg::Analysis { result: Ok(r), .. }) = job.run(&CancelToken::new()) else {
        panic!("a comparison");
    };
    let view = r
        .downcast_ref::<parkplan_console::view::CompareView>()
        .unwrap();
    let benefit = |name: &str| {
        view.results
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.annual_benefit)
            .unwrap()
    };
    assert_eq!(benefit("high-carbon-price"), benefit("mix"));
}

/// In a park with `[energy]` the Sensitivity view also sweeps the electricity
/// and gas prices (after the economics, before wrapping round).
#[test]
fn the_sensitivity_view_sweeps_the_energy_prices_of_a_net_park() {
    use sweep_param;
    let mut app = started_on(net_park());
    press(&mut app, KeyCode::Char('4'));
    // From ets_price (the start), back past capex_cap to the last parameter.
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    let key = sweep_param(app.view::<Sensitivity>().setup.param).key;
    assert_eq!(key, "gas_price");
    press(&mut app, KeyCode::Left);
    assert_eq!(
        sweep_param(app.view::<Sensitivity>().setup.param).key,
        "electricity_price"
    );
    press(&mut app, KeyCode::Right);
    let job = analysis_job(&app, "sensitivity").unwrap();
    let Some(WorkerMsg::Analysis { result: Ok(r), .. }) = job.run(&CancelToken::new()) else {
        panic!("a sweep");
    };
    let v = r
        .downcast_ref::<parkplan_console::view::SweepView>()
        .unwrap();
    assert_eq!(v.benefit.len(), 41);
    // Dearer gas makes the heat the NETs and heat pumps give worth more.
    assert!(v.benefit.last().unwrap().1 > v.benefit[0].1);
    // The paper case has no [energy]: from ets_price two steps back is the last
    // economics parameter.
    let mut paper = app_with(Palette::NoColor);
    press(&mut paper, KeyCode::Char('4'));
    press(&mut paper, KeyCode::Left);
    press(&mut paper, KeyCode::Left);
    assert_eq!(
        sweep_param(paper.view::<Sensitivity>().setup.param).key,
        parkplan::park::PARAMS.last().unwrap().key
    );
}

/// A long analysis (here one that runs until it is cancelled, standing in for
/// a Pareto front on a large park) does not hold up a comparison asked for
/// after it: each kind of analysis has a lane of its own.
#[test]
fn a_running_front_does_not_hold_up_a_comparison() {
    use std::sync::mpsc;
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let mut runner = Runner::new(move |m: WorkerMsg| {
        if let WorkerMsg::Analysis { id, .. } = m {
            let _ = tx.lock().unwrap().send(id);
        }
    });
    let (started_tx, started_rx) = mpsc::channel();
    runner.submit(parkplan_console::runner::Task {
        lane: "pareto",
        id: 1,
        token: CancelToken::new(),
        stale_on_edit: true,
        own_pool: true,
        work: Box::new(move |token, emit| {
            let _ = started_tx.send(());
            while !token.is_cancelled() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            emit(WorkerMsg::Analysis {
                view: "pareto",
                id: 1,
                result: Err("cancelled".into()),
            });
        }),
    });
    // The long job is running, as when a user opens the Pareto view and then Compare.
    started_rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the long job started");
    let mut app = app_with(Palette::NoColor);
    app.analyses_id = 2;
    runner.submit(analysis_job(&app, "compare").unwrap().into_task());
    // Generous: only a hang fails this, not a slow machine.
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(300))
        .expect("a result");
    assert_eq!(first, 2, "the comparison waited for the long job");
    // Dropping the runner cancels the long job.
    drop(runner);
}

#[test]
fn an_export_of_the_proven_plan_says_so() {
    let mut app = app_with(Palette::NoColor);
    execute(&mut app, vec![Effect::Solve]);
    let opts = parkplan::compile(&app.scenario.park);
    let exact = parkplan::solve::solve_exact(&opts, Objective::Economic);
    assert!(exact.proven_optimal);
    let text =
        parkplan_console::files::export_text(&app, std::path::Path::new("plan.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let total = json["totals"]["annual_benefit"].as_f64().unwrap();
    assert!((total - exact.value).abs() <= 1e-6 * exact.value.abs());
    assert_eq!(json["solver"]["proven_optimal"], true, "{text}");
    assert_eq!(json["solver"]["upper_bound_kind"], "optimum");
}

/// Issue 14 item 4: each undo step holds a whole park (19 MB on 100,000
/// regions), so the steps kept are bounded by regions as well as by count:
/// memory does not grow with every edit of a large park.
#[test]
fn undo_steps_of_a_large_park_are_bounded_by_its_size() {
    use parkplan_console::app::{Scenario, UNDO_LIMIT, Undo};
    use parkplan_console::update::{UNDO_REGIONS, push_undo};

    let mut app = app_with(Palette::NoColor);
    // Small parks: the count limit.
    let small = app.scenario.clone();
    for _ in 0..UNDO_LIMIT + 5 {
        push_undo(&mut app, Undo::Scenario(Box::new(small.clone())));
    }
    assert_eq!(app.undo.len(), UNDO_LIMIT);
    // A park of 250,001 regions (slots left out: only their number counts):
    // 3 of them hold 750,003 regions, a fourth would pass 1,000,000.
    assert_eq!(UNDO_REGIONS, 1_000_000);
    let mut park = Park::paper_case();
    let mut region = park.regions[0].clone();
    region.slots.clear();
    region.name.clear();
    park.regions = vec![region; 250_001];
    let big = Scenario {
        park,
        objective: Objective::Economic,
    };
    app.undo.clear();
    for _ in 0..5 {
        push_undo(&mut app, Undo::Scenario(Box::new(big.clone())));
    }
    assert_eq!(app.undo.len(), 3);
    // One step is always kept, however large.
    app.undo.clear();
    let mut huge = big.clone();
    huge.park.regions.extend(big.park.regions.iter().cloned());
    huge.park.regions.extend(big.park.regions.iter().cloned());
    huge.park.regions.extend(big.park.regions.iter().cloned());
    push_undo(&mut app, Undo::Scenario(Box::new(huge.clone())));
    push_undo(&mut app, Undo::Scenario(Box::new(huge)));
    assert_eq!(app.undo.len(), 1);
}
