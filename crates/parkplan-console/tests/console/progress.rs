//! The Pareto front as it is found ("point n of N, elapsed"), the number of
//! points chosen with `n`, a front of an old count dropped; the high-contrast
//! theme; snapshots of these states with their colours.

use parkplan::analysis::pareto;
use parkplan::solve::CancelToken;
use parkplan_console::action::Action;
use parkplan_console::app::{Analysis, App};
use parkplan_console::solve::WorkerMsg;
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::update::{Effect, analysis_job, on_worker, update};
use parkplan_console::view::{Pareto, ParetoStep};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

use crate::helpers::*;

/// The screen as text, each line followed by its styled runs
/// (`x0-x1 fg/bg +MODIFIERS`), for snapshots of colour and NO_COLOR.
fn styled(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        out += line.trim_end();
        out.push('\n');
        let mut x = 0;
        while x < buf.area.width {
            let style = |x: u16| {
                let c = &buf[(x, y)];
                (c.fg, c.bg, c.modifier)
            };
            let s = style(x);
            let mut end = x;
            while end + 1 < buf.area.width && style(end + 1) == s {
                end += 1;
            }
            if s != (Color::Reset, Color::Reset, Modifier::empty()) {
                out += &format!("    {x}-{end} {:?}/{:?} {:?}\n", s.0, s.1, s.2);
            }
            x = end + 1;
        }
    }
    out
}

/// Opens the Pareto view without running its job: the job, to run by hand.
fn open_pareto(app: &mut App) -> parkplan_console::solve::AnalysisJob {
    let k = app.view_index("pareto").unwrap();
    let effects = update(app, Action::Focus(k));
    assert_eq!(effects, [Effect::Analyze("pareto")]);
    analysis_job(app, "pareto").unwrap()
}

fn run_all(job: parkplan_console::solve::AnalysisJob) -> Vec<WorkerMsg> {
    let mut msgs = Vec::new();
    let last = job
        .run_streaming(&CancelToken::new(), &mut |m| msgs.push(m))
        .expect("a result");
    msgs.push(last);
    msgs
}

fn is_step(m: &WorkerMsg) -> bool {
    matches!(m, WorkerMsg::Analysis { result: Ok(r), .. } if r.downcast_ref::<ParetoStep>().is_some())
}

#[test]
fn a_front_shows_its_points_as_they_are_found() {
    let mut app = started();
    let job = open_pareto(&mut app);
    // The library's own report, point by point (in the order found).
    let mut found = Vec::new();
    pareto::front_stream(&app.scenario.park, 21, &CancelToken::new(), |p, _| {
        found.push((p.totals.annual_co2_reduction, p.totals.annual_benefit))
    })
    .unwrap();
    let (_, front) = pareto::front(&app.scenario.park, 21).unwrap();
    let msgs = run_all(job);
    let steps = msgs.iter().filter(|m| is_step(m)).count();
    assert!(steps >= 3, "the count, the first point, the rest: {steps}");
    let mut msgs = msgs.into_iter();
    // At once: the count, before any point.
    on_worker(&mut app, msgs.next().unwrap());
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains("computing: the two ends first (0 of 21 points)"),
        "{screen}"
    );
    // The first point: shown, and loadable, while the front runs on.
    on_worker(&mut app, msgs.next().unwrap());
    let shown = app.view::<Pareto>().shown().unwrap().points.clone();
    assert!(!shown.is_empty() && shown.len() < found.len(), "{shown:?}");
    assert_eq!(shown, found[..shown.len()]);
    assert!(matches!(app.view::<Pareto>().front, Analysis::Running));
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("computing: point "), "{screen}");
    assert!(screen.contains(" of 21, elapsed "), "{screen}");
    let co2 = parkplan::report::group_thousands(shown[0].0, 0);
    assert!(screen.contains(&co2), "{co2}: {screen}");
    // Every point as found, then the front without the dominated ones.
    let mut rest: Vec<WorkerMsg> = msgs.collect();
    let last = rest.pop().unwrap();
    for m in rest {
        on_worker(&mut app, m);
    }
    assert_eq!(app.view::<Pareto>().shown().unwrap().points, found);
    on_worker(&mut app, last);
    let Analysis::Ready(v) = &app.view::<Pareto>().front else {
        panic!("{:?}", app.view::<Pareto>().front)
    };
    let expected: Vec<(f64, f64)> = front
        .iter()
        .map(|p| (p.totals.annual_co2_reduction, p.totals.annual_benefit))
        .collect();
    assert_eq!(v.points, expected);
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains(&format!("{} points on the front (21 asked", expected.len())),
        "{screen}"
    );
}

#[test]
fn n_chooses_the_number_of_points_with_a_visible_field() {
    let mut app = started();
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('n'));
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains("points on the Pareto front (2 to 1000): 21"),
        "{screen}"
    );
    assert!(screen.contains("Enter accept · Esc cancel"), "{screen}");
    insta::assert_snapshot!("pareto_points_field_80x24", styled(&render(&app, 80, 24)));
    // Typing replaces the value; out of bounds is refused at the field.
    type_text(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("from 2 to 1000, found \"1\""), "{screen}");
    assert!(app.edit.is_some());
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "5");
    press(&mut app, KeyCode::Enter);
    assert!(app.edit.is_none());
    assert_eq!(app.view::<Pareto>().points, 5);
    let (_, front) = pareto::front(&app.scenario.park, 5).unwrap();
    let Analysis::Ready(v) = &app.view::<Pareto>().front else {
        panic!()
    };
    assert_eq!(v.points.len(), front.len());
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains(&format!("{} points on the front (5 asked", front.len())),
        "{screen}"
    );
    // Esc keeps the count.
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "9");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.view::<Pareto>().points, 5);
    // An edit keeps the count for the next front.
    edit_param(&mut app, "ets_price", "120");
    press(&mut app, KeyCode::Char('5'));
    let (_, front) = pareto::front(&app.scenario.park, 5).unwrap();
    let Analysis::Ready(v) = &app.view::<Pareto>().front else {
        panic!()
    };
    assert_eq!(v.points.len(), front.len());
}

/// A front of the old count, still reporting after `n` asked for another,
/// is not shown (same scenario, so only the job's own number tells them apart).
#[test]
fn a_front_of_the_old_count_is_dropped() {
    let mut app = started();
    let old = open_pareto(&mut app);
    let effects = update(&mut app, Action::ParetoPoints);
    assert!(effects.is_empty());
    type_text(&mut app, "4");
    let effects = update(&mut app, Action::Accept);
    assert_eq!(effects, [Effect::Analyze("pareto")]);
    let new = analysis_job(&app, "pareto").unwrap();
    for m in run_all(new) {
        on_worker(&mut app, m);
    }
    let before = app.view::<Pareto>().front.clone();
    let Analysis::Ready(v) = &before else {
        panic!("{before:?}")
    };
    assert!(v.points.len() <= 4);
    for m in run_all(old) {
        on_worker(&mut app, m);
        assert_eq!(app.view::<Pareto>().front, before);
        assert!(app.view::<Pareto>().progress.is_none());
    }
}

#[test]
fn pareto_progress_snapshots() {
    let mut app = started();
    let job = open_pareto(&mut app);
    let mut msgs = run_all(job).into_iter();
    on_worker(&mut app, msgs.next().unwrap());
    on_worker(&mut app, msgs.next().unwrap());
    // The elapsed time varies from run to run: pinned for the snapshot.
    app.view_mut::<Pareto>()
        .progress
        .as_mut()
        .unwrap()
        .elapsed_s = 1.25;
    for palette in [Palette::Basic16, Palette::NoColor] {
        app.theme = Theme { palette };
        for (w, h) in [(80, 24), (160, 48)] {
            insta::assert_snapshot!(
                format!("pareto_progress_{w}x{h}_{palette:?}"),
                styled(&render(&app, w, h))
            );
        }
    }
}

/// Every cell of the screen: white on black or a bright colour of the 16,
/// nothing dimmed or dark grey; under NO_COLOR no colour and nothing dimmed.
#[test]
fn the_high_contrast_theme_is_bright_on_black_and_dims_nothing() {
    let mut app = started();
    press(&mut app, KeyCode::Char('T'));
    assert_eq!(app.theme.palette, Palette::HighContrast);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("high-contrast theme"), "{screen}");
    let sixteen = |c: Color| {
        !matches!(
            c,
            Color::Rgb(..) | Color::Indexed(_) | Color::DarkGray | Color::Gray | Color::Reset
        )
    };
    let normal = render(&app, 80, 24);
    for key in ['1', '2', '3', '5', '?'] {
        press(&mut app, KeyCode::Char(key));
        for (w, h) in [(80, 24), (160, 48)] {
            let buf = render(&app, w, h);
            for c in buf.content() {
                assert!(sixteen(c.fg) && sixteen(c.bg), "{key} {w}x{h}: {c:?}");
                assert!(!c.modifier.contains(Modifier::DIM), "{c:?}");
                if c.symbol().chars().any(char::is_alphanumeric) {
                    assert_ne!(c.fg, c.bg, "unreadable: {c:?}");
                }
            }
        }
        if key == '?' {
            press(&mut app, KeyCode::Esc);
        }
    }
    press(&mut app, KeyCode::Char('1'));
    insta::assert_snapshot!("high_contrast_80x24", styled(&render(&app, 80, 24)));
    insta::assert_snapshot!("high_contrast_160x48", styled(&render(&app, 160, 48)));
    // The same text as the usual theme: only the colours change.
    assert_eq!(text(&normal), text(&render(&app, 80, 24)));
    press(&mut app, KeyCode::Char('T'));
    assert_eq!(app.theme.palette, Palette::Basic16);

    // NO_COLOR: still no colour, and nothing dimmed.
    app.theme = Theme {
        palette: Palette::NoColor,
    };
    press(&mut app, KeyCode::Char('T'));
    assert_eq!(app.theme.palette, Palette::HighContrastMono);
    press(&mut app, KeyCode::Esc);
    for (w, h) in [(80, 24), (160, 48)] {
        let buf = render(&app, w, h);
        for c in buf.content() {
            assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "{c:?}");
            assert!(!c.modifier.contains(Modifier::DIM), "{c:?}");
        }
    }
    insta::assert_snapshot!("high_contrast_80x24_NoColor", styled(&render(&app, 80, 24)));
    press(&mut app, KeyCode::Char('T'));
    assert_eq!(app.theme.palette, Palette::NoColor);
    assert!(!app.theme.high_contrast());
}

#[test]
fn mouse_off_snapshot() {
    let mut app = started();
    press(&mut app, KeyCode::Char('M'));
    press(&mut app, KeyCode::Esc);
    for palette in [Palette::Basic16, Palette::NoColor] {
        app.theme = Theme { palette };
        insta::assert_snapshot!(
            format!("mouse_off_80x24_{palette:?}"),
            styled(&render(&app, 80, 24))
        );
    }
}
