//! The Robustness view (9): the park's uncertainty solved in the background,
//! drawn at 80x24; ← → and `e` change the number of scenarios, `r` draws anew,
//! an edit recomputes.

use parkplan_console::view::Robust;
use ratatui::crossterm::event::KeyCode;

use super::helpers::{edit_param, press, render, started, text, type_text};

fn robust(app: &parkplan_console::app::App) -> &Robust {
    app.views
        .iter()
        .find_map(|v| v.as_any().downcast_ref::<Robust>())
        .expect("the Robustness view is registered")
}

fn report(app: &parkplan_console::app::App) -> &parkplan::analysis::robust::RobustReport {
    match &robust(app).result {
        parkplan_console::app::Analysis::Ready(v) => &v.report,
        other => panic!("not ready: {other:?}"),
    }
}

#[test]
fn robustness_view_80x24() {
    let mut app = started();
    press(&mut app, KeyCode::Char('9'));
    let screen = text(&render(&app, 80, 24));
    insta::assert_snapshot!("robust_80x24", screen);
    assert!(screen.contains("9 Robust"), "{screen}");
    assert!(screen.contains("◆"), "the plan's mean is marked:\n{screen}");
    assert!(
        screen.contains("best avg") && screen.contains("regret P50"),
        "{screen}"
    );
    assert_eq!(report(&app).samples, 1000);
    // The same figures as the command line's library call.
    let park = parkplan::park::Park::paper_case();
    let cfg = parkplan::analysis::robust::Config {
        samples: 1000,
        seed: 1,
        objective: parkplan::model::Objective::Economic,
        tornado: false,
    };
    let direct = parkplan::analysis::robust::run(
        &park,
        &park.uncertainty,
        &cfg,
        None,
        &|_| {},
        &parkplan::solve::CancelToken::new(),
    )
    .unwrap();
    assert_eq!(report(&app), &direct);
}

#[test]
fn scenarios_are_editable_redrawn_and_recomputed_after_an_edit() {
    let mut app = started();
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Right);
    assert_eq!(report(&app).samples, 2000);
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    assert_eq!(report(&app).samples, 500);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "300");
    press(&mut app, KeyCode::Enter);
    assert_eq!(report(&app).samples, 300);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "7");
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains("refused") && screen.contains("100000"),
        "{screen}"
    );
    press(&mut app, KeyCode::Esc);
    let seed = report(&app).seed;
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(report(&app).seed, seed + 1);
    // An edit of the scenario recomputes the open view on the new values.
    let before = report(&app).optimum.mean;
    edit_param(&mut app, "capex_cap", "35000000");
    press(&mut app, KeyCode::Char('9'));
    let after = report(&app).optimum.mean;
    assert!(
        after > before,
        "a larger budget raises the optimum: {before} -> {after}"
    );
}
