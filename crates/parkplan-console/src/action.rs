//! Terminal events become actions; which action depends on the mode
//! (help shown, a prompt or a text field open, or plain navigation).

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{App, Focus, PromptKind};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    ToggleHelp,
    FocusNext,
    FocusPrev,
    Focus(Focus),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Edit the selected field or cap (or toggle the objective).
    Activate,
    ToggleObjective,
    Undo,
    Reset,
    Rerun,
    SaveScenario,
    ExportPlan,
    ToggleMarkers,
    /// A key for the open text field or prompt.
    Input(Event),
    Accept,
    Cancel,
    Confirm(bool),
    /// The terminal changed size: just redraw.
    Redraw,
}

/// Maps a terminal event to an action in the app's current mode.
pub fn action_for(app: &App, ev: &Event) -> Option<Action> {
    let key = match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => *k,
        Event::Resize(..) => return Some(Action::Redraw),
        _ => return None,
    };
    let KeyEvent {
        code, modifiers, ..
    } = key;
    if modifiers.contains(KeyModifiers::CONTROL) && code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if app.show_help {
        return Some(Action::ToggleHelp);
    }
    if let Some(p) = &app.prompt {
        if matches!(
            p.kind,
            PromptKind::ConfirmOverwrite { .. } | PromptKind::ConfirmQuit
        ) {
            return match code {
                KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm(true)),
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    Some(Action::Confirm(false))
                }
                _ => None,
            };
        }
        return text_key(code, ev);
    }
    if app.edit.is_some() {
        return text_key(code, ev);
    }
    let ctrl = modifiers.contains(KeyModifiers::CONTROL);
    Some(match code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Esc => Action::Cancel,
        KeyCode::Char('?') | KeyCode::F(1) => Action::ToggleHelp,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Char('1') => Action::Focus(Focus::Plan),
        KeyCode::Char('2') => Action::Focus(Focus::Params),
        KeyCode::Char('3') => Action::Focus(Focus::Chart),
        KeyCode::Char('4') => Action::Focus(Focus::Sensitivity),
        KeyCode::Char('5') => Action::Focus(Focus::Pareto),
        KeyCode::Char('6') => Action::Focus(Focus::Mac),
        KeyCode::Char('7') => Action::Focus(Focus::Ledger),
        KeyCode::Char('8') => Action::Focus(Focus::Compare),
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Char('u') if ctrl => Action::PageUp,
        KeyCode::Char('d') if ctrl => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Enter | KeyCode::Char('e') => Action::Activate,
        KeyCode::Char('o') => Action::ToggleObjective,
        KeyCode::Char('u') => Action::Undo,
        KeyCode::Char('z') if ctrl => Action::Undo,
        KeyCode::Char('R') => Action::Reset,
        KeyCode::Char('r') => Action::Rerun,
        KeyCode::Char('s') => Action::SaveScenario,
        KeyCode::Char('x') => Action::ExportPlan,
        KeyCode::Char('m') => Action::ToggleMarkers,
        _ => return None,
    })
}

fn text_key(code: KeyCode, ev: &Event) -> Option<Action> {
    Some(match code {
        KeyCode::Enter => Action::Accept,
        KeyCode::Esc => Action::Cancel,
        // Tab stays free for focus moves: ignored while typing.
        KeyCode::Tab | KeyCode::BackTab => return None,
        _ => Action::Input(ev.clone()),
    })
}

/// Every key, for the help overlay: (keys, what they do).
pub const KEYS: &[(&str, &str)] = &[
    (
        "Tab / Shift-Tab",
        "next / previous pane (tab on small screens)",
    ),
    ("1 2 3", "plan, parameters, fitness chart"),
    ("4 5 6", "sensitivity, Pareto front, abatement cost curve"),
    ("7 8", "ledger of the plan shown, scenarios compared"),
    ("← →  h l", "previous / next parameter (4), scenario (8)"),
    ("↑ ↓  k j", "move the selection"),
    ("PgUp PgDn  Ctrl-u Ctrl-d", "move a page"),
    ("Home End  g G", "first / last row"),
    (
        "Enter  e",
        "edit a parameter, cap or range; load a Pareto plan",
    ),
    ("Enter / Esc", "accept / cancel an edit"),
    ("o", "switch objective: economic / carbon"),
    ("u  Ctrl-z", "undo the last edit"),
    ("R", "reset to the file's values"),
    ("r", "run the optimization again"),
    ("s", "save the scenario as a new park file"),
    ("x", "export the plan (.csv or .json)"),
    ("m", "chart markers: braille / dots"),
    ("?  F1", "this help"),
    ("Esc", "clear the message line"),
    ("q  Ctrl-c", "quit"),
];
