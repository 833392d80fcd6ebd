//! The mouse: a click on a tab, on a row of Plan or Params, on a point of the
//! Pareto chart; the wheel; capture off and on (`M`); the loop telling the
//! terminal. Where to click is read from the rendered screen, not from the
//! console's own record of it.

use std::sync::mpsc;

use parkplan_console::action::action_for;
use parkplan_console::app::{App, EditTarget};
use parkplan_console::update::{Effect, update};
use parkplan_console::view::{Params, Pareto, PlanTable};
use parkplan_console::{Executor, Inline, Msg, run_loop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::style::Color;

use crate::helpers::*;

fn mouse(app: &mut App, kind: MouseEventKind, x: u16, y: u16) {
    let ev = Event::Mouse(MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    });
    if let Some(a) = action_for(app, &ev) {
        let effects = update(app, a);
        execute(app, effects);
    }
}

fn click(app: &mut App, x: u16, y: u16) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), x, y);
}

/// The first cell (x, y) where `what` is written on screen, at or right of `from_x`.
fn find(buf: &Buffer, what: &str, from_x: u16) -> Option<(u16, u16)> {
    let n = what.chars().count() as u16;
    for y in 0..buf.area.height {
        for x in from_x..buf.area.width.saturating_sub(n - 1) {
            let s: String = (x..x + n).map(|i| buf[(i, y)].symbol()).collect();
            if s == what {
                return Some((x, y));
            }
        }
    }
    None
}

/// Whether row `y` is drawn in the selection's style (Basic16: on blue) at `x`.
fn highlighted(buf: &Buffer, x: u16, y: u16) -> bool {
    buf[(x, y)].bg == Color::Blue
}

#[test]
fn a_click_on_a_tab_opens_its_view() {
    let mut app = started();
    for (w, h) in [(80, 24), (160, 48)] {
        for (title, key) in [
            ("5 Pareto", "pareto"),
            ("2 Params", "params"),
            ("1 Plan", "plan"),
        ] {
            let buf = render(&app, w, h);
            let (x, y) = find(&buf, title, 0).unwrap_or_else(|| panic!("{title}"));
            assert_eq!(y, 0, "the tabs are the first line");
            // On the tab's last letter.
            click(&mut app, x + title.len() as u16 - 1, y);
            assert_eq!(app.focused(), key, "{w}x{h}: {title}");
        }
    }
    // The divider between two tabs is no tab.
    let buf = render(&app, 80, 24);
    let (x, _) = find(&buf, "2 Params", 0).unwrap();
    click(&mut app, x - 1, 0);
    assert_eq!(app.focused(), "plan");
}

#[test]
fn a_click_on_a_row_selects_it_in_plan_and_params() {
    let mut app = started();
    // Plan at 80x24: rows start below the frame and the header.
    let buf = render(&app, 80, 24);
    let (_, header) = find(&buf, "Capacity/cap", 0).unwrap();
    assert!(highlighted(&buf, 2, header + 1));
    click(&mut app, 10, header + 3);
    let buf = render(&app, 80, 24);
    assert!(highlighted(&buf, 2, header + 3), "{}", text(&buf));
    assert!(!highlighted(&buf, 2, header + 1));
    assert_eq!(app.view::<PlanTable>().row, 2);
    // Enter then edits the cap of the row clicked.
    press(&mut app, KeyCode::Enter);
    let slot = app.view::<PlanTable>().rows(&app)[2];
    assert_eq!(
        app.edit.as_ref().map(|e| e.target),
        Some(EditTarget::Cap(slot))
    );
    press(&mut app, KeyCode::Esc);

    // Params: a click on co2_transport_km, then Enter edits it.
    press(&mut app, KeyCode::Char('2'));
    let buf = render(&app, 80, 24);
    let (x, y) = find(&buf, "co2_transport_km", 0).unwrap();
    click(&mut app, x + 3, y);
    let buf = render(&app, 80, 24);
    assert!(highlighted(&buf, x, y), "{}", text(&buf));
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("co2_transport_km (km): "), "{screen}");
    press(&mut app, KeyCode::Esc);

    // 160x48: Plan and Params side by side; a click on a parameter's row
    // in the right pane focuses Params there and selects that row.
    press(&mut app, KeyCode::Char('1'));
    let buf = render(&app, 160, 48);
    let (x, y) = find(&buf, "ets_price", 80).unwrap();
    click(&mut app, x, y);
    assert_eq!(app.focused(), "params");
    let buf = render(&app, 160, 48);
    assert!(highlighted(&buf, x, y), "{}", text(&buf));
}

#[test]
fn a_click_in_the_pareto_chart_selects_the_point_drawn_there() {
    let mut app = started();
    press(&mut app, KeyCode::Char('5'));
    let n = app.view::<Pareto>().shown().map_or(0, |v| v.points.len());
    assert!(n >= 3, "a front of {n} points");
    // The selected point is the green block of the chart.
    let selected_cell = |buf: &Buffer| {
        (0..buf.area.height).find_map(|y| {
            (0..buf.area.width).find_map(|x| {
                let c = &buf[(x, y)];
                (c.symbol() == "█" && c.fg == Color::Green).then_some((x, y))
            })
        })
    };
    for (w, h) in [(80, 24), (160, 48)] {
        // A point in the middle (the two ends sit under the axis titles).
        press(&mut app, KeyCode::Home);
        for _ in 0..n / 2 {
            press(&mut app, KeyCode::Down);
        }
        let buf = render(&app, w, h);
        let (x, y) = selected_cell(&buf).expect("the selected point");
        press(&mut app, KeyCode::Home);
        let buf = render(&app, w, h);
        assert_ne!(selected_cell(&buf), Some((x, y)), "{}", text(&buf));
        // A click there selects the point drawn there again.
        click(&mut app, x, y);
        let buf = render(&app, w, h);
        assert_eq!(selected_cell(&buf), Some((x, y)), "{w}x{h}: {}", text(&buf));
        assert_ne!(app.view::<Pareto>().row, 0);
        // A row of the list is a click too.
        press(&mut app, KeyCode::Home);
        let buf = render(&app, w, h);
        let (hx, header) = find(&buf, "benefit CNY/yr", 0).unwrap();
        click(&mut app, hx, header + 2);
        assert_eq!(app.view::<Pareto>().row, 1, "{w}x{h}");
    }
}

#[test]
fn the_wheel_moves_the_selection_of_the_list_under_the_pointer() {
    let mut app = started();
    let buf = render(&app, 160, 48);
    let (x, y) = find(&buf, "ets_price", 80).unwrap();
    // Over Params (the Plan view has the focus): Params moves 3 rows a notch.
    mouse(&mut app, MouseEventKind::ScrollDown, x, y);
    assert_eq!(app.view::<Params>().row, 3);
    assert_eq!(app.view::<PlanTable>().row, 0);
    mouse(&mut app, MouseEventKind::ScrollDown, x, y);
    mouse(&mut app, MouseEventKind::ScrollUp, x, y);
    assert_eq!(app.view::<Params>().row, 3);
    // Over the Plan table: the plan's rows.
    let (_, header) = find(&buf, "Capacity/cap", 0).unwrap();
    mouse(&mut app, MouseEventKind::ScrollDown, 10, header + 2);
    assert_eq!(app.view::<PlanTable>().row, 3);
    // At 80x24, over the focused view's frame.
    press(&mut app, KeyCode::Char('2'));
    render(&app, 80, 24);
    mouse(&mut app, MouseEventKind::ScrollUp, 10, 5);
    assert_eq!(app.view::<Params>().row, 0);
}

#[test]
fn with_the_mouse_off_clicks_are_left_to_the_terminal_and_the_status_says_so() {
    let mut app = started();
    press(&mut app, KeyCode::Char('M'));
    assert!(!app.mouse);
    let buf = render(&app, 80, 24);
    let screen = text(&buf);
    assert!(
        screen.contains("mouse off: the terminal selects text"),
        "{screen}"
    );
    press(&mut app, KeyCode::Esc);
    let buf2 = render(&app, 80, 24);
    let (_, y_off) = find(&buf2, " mouse off (M) ", 0).expect("said in the status line");
    assert!(y_off > 15, "{}", text(&buf2));
    let (x, y) = find(&buf, "5 Pareto", 0).unwrap();
    click(&mut app, x, y);
    assert_eq!(app.focused(), "plan");
    press(&mut app, KeyCode::Char('M'));
    assert!(app.mouse);
    render(&app, 80, 24);
    click(&mut app, x, y);
    assert_eq!(app.focused(), "pareto");
    let screen = text(&render(&app, 80, 24));
    assert!(!screen.contains("mouse off"), "{screen}");
}

#[test]
fn clicks_wait_while_a_field_is_open_and_close_the_help() {
    let mut app = started();
    let buf = render(&app, 80, 24);
    let (x, y) = find(&buf, "5 Pareto", 0).unwrap();
    press(&mut app, KeyCode::Char('?'));
    click(&mut app, x, y);
    assert!(!app.show_help);
    assert_eq!(app.focused(), "plan", "the click closed the help only");
    press(&mut app, KeyCode::Enter);
    assert!(app.edit.is_some());
    click(&mut app, x, y);
    assert_eq!(app.focused(), "plan");
    assert!(app.edit.is_some(), "the field stays open");
}

/// An executor that records what it is asked of the terminal.
#[derive(Default)]
struct Recorder {
    inner: Inline,
    mouse: Vec<bool>,
    suspends: Vec<bool>,
}

impl Executor for Recorder {
    fn execute(&mut self, app: &mut App, effects: Vec<Effect>) {
        self.inner.execute(app, effects);
    }
    fn suspend(&mut self, mouse: bool) {
        self.suspends.push(mouse);
    }
    fn mouse(&mut self, on: bool) {
        self.mouse.push(on);
    }
}

fn run_keys(keys: &[KeyEvent]) -> Recorder {
    let mut app = app_with(parkplan_console::theme::Palette::Basic16);
    let (tx, rx) = mpsc::channel();
    for k in keys {
        tx.send(Msg::Input(Event::Key(*k))).unwrap();
    }
    let mut rec = Recorder::default();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    run_loop(&mut terminal, &mut app, &mut rec, &rx).unwrap();
    assert!(app.quit);
    rec
}

/// The loop tells the terminal: `M` turns mouse reports off, and Ctrl-z
/// suspends with the reports as they are (off while stopped, then back).
#[test]
fn the_loop_turns_mouse_reports_off_and_keeps_them_over_a_suspend() {
    let none = KeyModifiers::NONE;
    let ctrl_z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL);
    let q = KeyEvent::new(KeyCode::Char('q'), none);
    let m = KeyEvent::new(KeyCode::Char('M'), KeyModifiers::SHIFT);
    let rec = run_keys(&[ctrl_z, q]);
    assert_eq!((rec.mouse, rec.suspends), (vec![], vec![true]));
    let rec = run_keys(&[m, ctrl_z, q]);
    assert_eq!((rec.mouse, rec.suspends), (vec![false], vec![false]));
}
