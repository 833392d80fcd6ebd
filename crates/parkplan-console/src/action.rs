//! Terminal events become actions through one keymap, written as data: the
//! dispatch below and the help overlay both read it. Which bindings apply
//! depends on the mode (help shown, a prompt or a text field open, or plain
//! navigation). The number keys open the views, in the order of the registry.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::app::{App, PromptKind};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    ToggleHelp,
    FocusNext,
    FocusPrev,
    /// Open the view with this index (tab order).
    Focus(usize),
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
    /// Stop like other terminal programs (Ctrl-z): the terminal restored,
    /// SIGTSTP; the shell's `fg` resumes.
    Suspend,
    /// Plan view: filter the rows by region, strategy or technology (`/`).
    Filter,
    /// Plan view: built items only, or every slot.
    BuiltOnly,
    /// Plan view: next sort order (table, capex, benefit, CO2, cost per tonne).
    CycleSort,
    /// Pin the plan shown as the reference of the change marks, the "pinned
    /// plan" (or unpin it).
    PinBaseline,
    /// A key for the open text field or prompt.
    Input(Event),
    Accept,
    Cancel,
    Confirm(bool),
    /// The terminal changed size: just redraw.
    Redraw,
    /// A left click at this cell (0-based).
    Click {
        column: u16,
        row: u16,
    },
    /// The wheel at this cell: `notches` down (negative: up).
    Scroll {
        column: u16,
        row: u16,
        notches: isize,
    },
    /// Mouse capture off (the terminal selects text) or on again.
    ToggleMouse,
    /// The high-contrast theme (for projectors) on or off.
    ToggleTheme,
    /// Pareto view: choose the number of points of the front.
    ParetoPoints,
}

/// When a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Moving around (no field, prompt or help open).
    Normal,
    /// In a text field or a path prompt.
    Text,
}

/// A key: its code and whether Ctrl is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}
const fn c(ch: char) -> Key {
    k(KeyCode::Char(ch))
}
const fn ctrl(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        ctrl: true,
    }
}

/// One line of the help: its keys as shown, what they do, and the keys with
/// their actions.
#[derive(Debug, Clone)]
pub struct Binding {
    pub label: &'static str,
    pub help: &'static str,
    pub mode: Mode,
    pub keys: &'static [(Key, Action)],
}

const fn b(
    label: &'static str,
    help: &'static str,
    mode: Mode,
    keys: &'static [(Key, Action)],
) -> Binding {
    Binding {
        label,
        help,
        mode,
        keys,
    }
}

/// Every key, in the order of the help. The help puts the number keys of the
/// views after the first line, and words the ← → line from the views.
pub const KEYMAP: &[Binding] = &[
    b(
        "Tab / Shift-Tab",
        "next / previous pane (tab on small screens)",
        Mode::Normal,
        &[
            (k(KeyCode::Tab), Action::FocusNext),
            (k(KeyCode::BackTab), Action::FocusPrev),
        ],
    ),
    b(
        "← →  h l",
        "previous / next",
        Mode::Normal,
        &[
            (k(KeyCode::Left), Action::Left),
            (k(KeyCode::Right), Action::Right),
            (c('h'), Action::Left),
            (c('l'), Action::Right),
        ],
    ),
    b(
        "↑ ↓  k j",
        "move the selection",
        Mode::Normal,
        &[
            (k(KeyCode::Up), Action::Up),
            (k(KeyCode::Down), Action::Down),
            (c('k'), Action::Up),
            (c('j'), Action::Down),
        ],
    ),
    b(
        "PgUp PgDn  Home End",
        "a page; first / last row (Ctrl-u Ctrl-d g G too)",
        Mode::Normal,
        &[
            (k(KeyCode::PageUp), Action::PageUp),
            (k(KeyCode::PageDown), Action::PageDown),
            (ctrl('u'), Action::PageUp),
            (ctrl('d'), Action::PageDown),
            (k(KeyCode::Home), Action::Top),
            (k(KeyCode::End), Action::Bottom),
            (c('g'), Action::Top),
            (c('G'), Action::Bottom),
        ],
    ),
    b(
        "Enter  e",
        "edit a parameter, cap or range; load a Pareto plan",
        Mode::Normal,
        &[
            (k(KeyCode::Enter), Action::Activate),
            (c('e'), Action::Activate),
        ],
    ),
    b(
        "Enter / Esc",
        "accept / cancel an edit",
        Mode::Text,
        &[
            (k(KeyCode::Enter), Action::Accept),
            (k(KeyCode::Esc), Action::Cancel),
        ],
    ),
    b(
        "o / b",
        "economic / carbon objective; pin the plan (+-~↑↓)",
        Mode::Normal,
        &[
            (c('o'), Action::ToggleObjective),
            (c('b'), Action::PinBaseline),
        ],
    ),
    b(
        "u / Ctrl-z",
        "undo the last edit / suspend (fg resumes)",
        // Ctrl-z suspends in every mode (see `action_for`).
        Mode::Normal,
        &[(c('u'), Action::Undo), (ctrl('z'), Action::Suspend)],
    ),
    b(
        "R / r",
        "reset to the file's values / optimize again",
        Mode::Normal,
        &[(c('R'), Action::Reset), (c('r'), Action::Rerun)],
    ),
    b(
        "/  a  t  n",
        "plan: filter, built only, sort; Pareto points (n)",
        Mode::Normal,
        &[
            (c('/'), Action::Filter),
            (c('a'), Action::BuiltOnly),
            (c('t'), Action::CycleSort),
            (c('n'), Action::ParetoPoints),
        ],
    ),
    b(
        "s / x",
        "save the scenario (.toml) / export the plan",
        Mode::Normal,
        &[(c('s'), Action::SaveScenario), (c('x'), Action::ExportPlan)],
    ),
    b(
        "m / M",
        "braille or dots / mouse on or off (to select text)",
        Mode::Normal,
        &[
            (c('m'), Action::ToggleMarkers),
            (c('M'), Action::ToggleMouse),
        ],
    ),
    b(
        "T",
        "high-contrast theme (projectors) on or off",
        Mode::Normal,
        &[(c('T'), Action::ToggleTheme)],
    ),
    b(
        "?  F1 / Esc",
        "this help / clear the message line",
        Mode::Normal,
        &[
            (c('?'), Action::ToggleHelp),
            (k(KeyCode::F(1)), Action::ToggleHelp),
            (k(KeyCode::Esc), Action::Cancel),
        ],
    ),
    b(
        "q  Ctrl-c",
        "quit",
        // Ctrl-c quits in every mode (see `action_for`).
        Mode::Normal,
        &[(c('q'), Action::Quit), (ctrl('c'), Action::Quit)],
    ),
];

/// The status line's key hints: (action, word).
pub const HINTS: &[(Action, &str)] = &[
    (Action::ToggleHelp, "help"),
    (Action::Quit, "quit"),
    (Action::Activate, "edit"),
    (Action::ToggleObjective, "objective"),
    (Action::Undo, "undo"),
    (Action::SaveScenario, "save"),
    (Action::ExportPlan, "export"),
    (Action::FocusNext, "pane"),
];

/// The key shown for an action: its first key in the keymap.
pub fn key_label(action: &Action) -> String {
    KEYMAP
        .iter()
        .flat_map(|b| b.keys.iter())
        .find(|(_, a)| a == action)
        .map_or("?".into(), |(key, _)| key_name(*key))
}

/// A key as the help writes it.
fn key_name(key: Key) -> String {
    let name = match key.code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if key.ctrl {
        format!("Ctrl-{name}")
    } else {
        name
    }
}

/// Every key of the keymap, with its mode (for the soak).
pub fn all_keys() -> impl Iterator<Item = (Mode, KeyEvent)> {
    KEYMAP.iter().flat_map(|b| {
        b.keys.iter().map(move |(key, _)| {
            let mods = if key.ctrl {
                KeyModifiers::CONTROL
            } else if matches!(key.code, KeyCode::BackTab)
                || matches!(key.code, KeyCode::Char(ch) if ch.is_ascii_uppercase())
            {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            (b.mode, KeyEvent::new(key.code, mods))
        })
    })
}

fn lookup(key: &KeyEvent, modes: &[Mode]) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    KEYMAP
        .iter()
        .filter(|b| modes.contains(&b.mode))
        .flat_map(|b| b.keys.iter())
        .find(|(k, _)| k.code == key.code && k.ctrl == ctrl)
        .map(|(_, a)| a.clone())
}

/// Maps a terminal event to an action in the app's current mode.
pub fn action_for(app: &App, ev: &Event) -> Option<Action> {
    let key = match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => *k,
        Event::Resize(..) => return Some(Action::Redraw),
        Event::Mouse(m) => return mouse_action(app, m),
        _ => return None,
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if ctrl && key.code == KeyCode::Char('z') {
        return Some(Action::Suspend);
    }
    if app.show_help {
        return Some(Action::ToggleHelp);
    }
    if let Some(p) = &app.prompt {
        if p.kind.is_question() {
            return match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm(true)),
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    Some(Action::Confirm(false))
                }
                // The quit question offers to save first.
                KeyCode::Char('s') | KeyCode::Char('S') if p.kind == PromptKind::ConfirmQuit => {
                    Some(Action::SaveScenario)
                }
                _ => None,
            };
        }
        return text_key(&key, ev);
    }
    if app.edit.is_some() {
        return text_key(&key, ev);
    }
    if let KeyCode::Char(d @ '1'..='9') = key.code
        && !ctrl
    {
        let k = d as usize - '1' as usize;
        return (k < app.view_keys.len()).then_some(Action::Focus(k));
    }
    lookup(&key, &[Mode::Normal])
}

/// A click or the wheel, while the mouse is on and no field, prompt or help
/// is open (a click closes the help, as a key does).
fn mouse_action(app: &App, m: &ratatui::crossterm::event::MouseEvent) -> Option<Action> {
    if !app.mouse || app.prompt.is_some() || app.edit.is_some() {
        return None;
    }
    let (column, row) = (m.column, m.row);
    let action = match m.kind {
        MouseEventKind::Down(MouseButton::Left) => Action::Click { column, row },
        MouseEventKind::ScrollDown => Action::Scroll {
            column,
            row,
            notches: 1,
        },
        MouseEventKind::ScrollUp => Action::Scroll {
            column,
            row,
            notches: -1,
        },
        _ => return None,
    };
    if app.show_help {
        return matches!(action, Action::Click { .. }).then_some(Action::ToggleHelp);
    }
    Some(action)
}

fn text_key(key: &KeyEvent, ev: &Event) -> Option<Action> {
    // Tab stays free for focus moves: ignored while typing.
    if matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
        return None;
    }
    Some(lookup(key, &[Mode::Text]).unwrap_or_else(|| Action::Input(ev.clone())))
}
