//! What the console's tests share: an app on a park, keys pressed through
//! the real keymap and update, jobs run in the test's thread, the screen as
//! text, and the fixtures.

use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::solve::solve_exact;
use parkplan_console::action::action_for;
use parkplan_console::app::{App, RunStatus};
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::update::{Effect, update};
use parkplan_console::{Executor, Inline, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// A fresh temporary directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

pub fn app_with(theme: Palette) -> App {
    App::new(
        Park::paper_case(),
        None,
        Objective::Economic,
        Theme { palette: theme },
    )
}

/// Carries out effects as the loop would, but runs jobs in this thread.
pub fn execute(app: &mut App, effects: Vec<Effect>) {
    Inline::default().execute(app, effects);
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn press(app: &mut App, code: KeyCode) {
    if let Some(a) = action_for(app, &key(code)) {
        let effects = update(app, a);
        execute(app, effects);
    }
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Opens the parameter `key` for editing, replaces its text and presses Enter.
/// `s`, the proposed name cleared, `path` typed, Enter: a save as a user
/// asks for it (an overwrite question, if any, is left open).
pub fn save_as(app: &mut App, path: &std::path::Path) {
    press(app, KeyCode::Char('s'));
    let len = app.prompt.as_ref().unwrap().input.value().len();
    for _ in 0..len {
        press(app, KeyCode::Backspace);
    }
    type_text(app, path.to_str().unwrap());
    press(app, KeyCode::Enter);
}

pub fn edit_param(app: &mut App, key: &str, value: &str) {
    press(app, KeyCode::Char('2'));
    press(app, KeyCode::Home);
    let fields = parkplan_console::fields::Field::all(&app.scenario.park);
    let k = fields
        .iter()
        .position(|f| parkplan_console::fields::field_name(*f) == key)
        .unwrap();
    for _ in 0..k {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
    let len = app.edit.as_ref().unwrap().input.value().len();
    for _ in 0..len {
        press(app, KeyCode::Backspace);
    }
    type_text(app, value);
    press(app, KeyCode::Enter);
}

pub fn render(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::view(app, f)).unwrap();
    t.backend().buffer().clone()
}

pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The plan on screen is an exact optimum of the current scenario: its value
/// equals the proven optimum, it is feasible, and it builds the same capacity of
/// each strategy and technology (identical regions may swap: ties).
pub fn assert_shows_optimum(app: &App) {
    assert!(
        matches!(app.run.status, RunStatus::Done { .. }),
        "{:?}",
        app.run.status
    );
    let opts = parkplan::compile(&app.scenario.park);
    let obj = app.scenario.objective;
    let exact = solve_exact(&opts, obj);
    assert!(exact.proven_optimal);
    let shown = app.run.plan.as_ref().expect("a plan on screen");
    shown.check(&opts).expect("feasible");
    let value = shown.objective(&opts, obj);
    assert!(
        (value - exact.value).abs() <= 1e-9 * exact.value.abs().max(1.0),
        "{value} vs {}",
        exact.value
    );
    let by_tech = |p: &parkplan::Plan| {
        let mut m = std::collections::BTreeMap::new();
        for b in p.built() {
            let it = &opts.items[b.item];
            *m.entry((it.strategy.name(), it.tech)).or_insert(0.0) += b.capacity;
        }
        m
    };
    let (a, b) = (by_tech(shown), by_tech(&exact.plan));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, ca) in &a {
        let cb = b[k];
        assert!(
            (ca - cb).abs() <= 1e-6 * cb.abs().max(1.0),
            "{k:?}: {ca} vs {cb}"
        );
    }
}

pub fn started() -> App {
    let mut app = app_with(Palette::Basic16);
    execute(&mut app, vec![Effect::Solve]);
    app
}

/// The park with negative-emission technologies, an energy baseline and an
/// hourly profile.
pub fn net_park() -> Park {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../parks/net-park.toml");
    Park::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn started_on(park: Park) -> App {
    let mut app = App::new(
        park,
        None,
        Objective::Economic,
        Theme {
            palette: Palette::Basic16,
        },
    );
    execute(&mut app, vec![Effect::Solve]);
    app
}
