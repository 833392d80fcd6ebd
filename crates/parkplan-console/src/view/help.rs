//! The help overlay: every key, from the keymap and the list of views.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::action::KEYMAP;
use crate::app::App;

/// The help's lines: (keys, what they do). The views' number keys come after
/// the first line, three views a line; the ← → line names what they move in
/// each view that uses them.
pub fn help_lines(app: &App) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, b) in KEYMAP.iter().enumerate() {
        let mut help = b.help.to_string();
        if b.keys
            .iter()
            .any(|(_, a)| *a == crate::action::Action::Left)
        {
            let which: Vec<String> = app
                .views
                .iter()
                .enumerate()
                .filter_map(|(k, v)| v.sideways().map(|s| format!("{s} ({})", k + 1)))
                .collect();
            help = format!("{help} {}", which.join(", "));
        }
        out.push((b.label.to_string(), help));
        if i == 0 {
            for (n, chunk) in app.views.chunks(3).enumerate() {
                let keys: Vec<String> = (0..chunk.len())
                    .map(|k| (n * 3 + k + 1).to_string())
                    .collect();
                let what: Vec<&str> = chunk.iter().map(|v| v.describe()).collect();
                out.push((keys.join(" "), what.join(", ")));
            }
        }
    }
    out
}

/// What "payback" on the status line is computed from: not the benefit,
/// which already takes the annualized capex off the income.
pub const PAYBACK: &str = "payback = capex / income (benefit is income - annualized capex)";

/// "GA" and "gap" of the status line, in a manager's words.
pub const GA_GAP: &str = "GA: the search for the best plan; gap: how far it may be from the best";

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    // Long descriptions continue on the next line under their own column
    // (nine views make "7 8 9" and "← →" longer than 50 columns).
    let mut keys: Vec<(String, String)> = Vec::new();
    for (k, what) in help_lines(app) {
        let mut line = String::new();
        let mut first = true;
        for word in what.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > 50 {
                keys.push((if first { k.clone() } else { String::new() }, line));
                first = false;
                line = String::new();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line += word;
        }
        keys.push((if first { k } else { String::new() }, line));
    }
    let h = (keys.len() as u16 + 4).min(area.height);
    let w = 78.min(area.width);
    let [v] = Layout::vertical([Constraint::Length(h)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(w)])
        .flex(Flex::Center)
        .areas(v);
    let mut lines: Vec<Line> = keys
        .into_iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:<26}"), t.key()),
                Span::raw(what),
            ])
        })
        .collect();
    lines.push(Line::from(Span::styled(PAYBACK, t.dim())));
    lines.push(Line::from(Span::styled(GA_GAP, t.dim())));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.border_focused())
                .title(Span::styled(" Keys · any key closes ", t.title())),
        ),
        popup,
    );
}
