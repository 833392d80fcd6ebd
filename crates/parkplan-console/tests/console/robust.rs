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
        tornado: true,
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
fn the_tornado_is_drawn_largest_swing_first() {
    let mut app = started();
    press(&mut app, KeyCode::Char('9'));
    let screen = text(&render(&app, 160, 48));
    let tornado = report(&app)
        .tornado
        .as_ref()
        .expect("the view asks for the tornado");
    assert!(tornado.rows.len() >= 2);
    // Sorted by swing, and drawn in that order.
    assert!(tornado.rows.windows(2).all(|w| w[0].swing >= w[1].swing));
    let at = |key: &str| {
        screen
            .lines()
            .position(|l| l.contains(&format!("{key} ")) && l.contains('…'))
            .unwrap_or_else(|| panic!("{key} not drawn:\n{screen}"))
    };
    assert!(
        screen.contains("tornado: optimum at P10 … P90 (CNY/yr; median"),
        "{screen}"
    );
    assert!(
        at(&tornado.rows[0].key) < at(&tornado.rows[1].key),
        "{screen}"
    );
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

/// Review s4 item 1: on the net park at 80x24 the tornado's right figure
/// lost its unit (`59.46 M…85.87` for 85.87 M), histogram labels of 100 M
/// and more were wider than their column, and a bar was drawn beside `0%`.
#[test]
fn robust_net_park_80x24_keeps_figures_whole_and_columns_aligned() {
    use parkplan_console::theme::{Palette, Theme};
    let mut app = super::helpers::started_on(super::helpers::net_park());
    press(&mut app, KeyCode::Char('9'));
    let tornado = report(&app).tornado.clone().expect("a tornado");
    let screen = text(&render(&app, 80, 24));
    // Every tornado row ends in "low…high", each figure with its unit: the
    // figure after `…` is followed by a space and a unit letter.
    let mut rows = 0;
    let heading = screen
        .lines()
        .position(|l| l.contains("tornado:"))
        .expect("the tornado is drawn");
    for l in screen.lines().skip(heading + 1) {
        // The tornado's pane: the right half.
        let pane: String = l.chars().skip(40).collect();
        if !pane.contains('…') {
            break;
        }
        let right = pane.trim_end_matches('│').trim_end();
        let last = right.rsplit('…').next().unwrap();
        assert!(
            last.ends_with(" M") || last.ends_with(" k") || last.ends_with(" G"),
            "the right figure lost its unit: {l:?}\n{screen}"
        );
        rows += 1;
    }
    assert!(rows >= tornado.rows.len().min(4), "{screen}");
    // The histogram: every percentage ends at the same column, and no bar
    // beside a `0%`.
    let hist: Vec<&str> = screen
        .lines()
        .filter(|l| l.starts_with('│') && l.contains(" M-"))
        .collect();
    assert!(hist.len() >= 5, "{screen}");
    let ends: Vec<usize> = hist
        .iter()
        .map(|l| {
            let c: Vec<char> = l.chars().collect();
            c.iter().position(|ch| *ch == '%').expect("a share")
        })
        .collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{ends:?}\n{screen}");
    for l in &hist {
        let head: String = l.chars().take(ends[0] + 1).collect();
        // The label never runs into its bar: a space before the bar.
        let label_end = head.find(|ch: char| "█▉▊▋▌▍▎▏".contains(ch));
        if let Some(b) = label_end {
            assert!(head[..b].ends_with(' '), "label touches its bar: {l:?}");
        }
        if head.ends_with(" 0%") {
            assert!(label_end.is_none(), "a bar beside 0%: {l:?}");
        }
    }
    for palette in [Palette::Basic16, Palette::NoColor] {
        app.theme = Theme { palette };
        insta::assert_snapshot!(
            format!("robust_net_80x24_{palette:?}"),
            text(&render(&app, 80, 24))
        );
    }
}
