//! The views and the screen around them. Each view is one file holding its own
//! state and implementing [`View`]: its tab title, the keys it handles, the
//! analysis it runs in the background and how it takes the result, and how it
//! is drawn. Adding a view is one new file plus one line in [`registry`].
//! Rendering reads the state, never changes it.

mod chart;
mod common;
mod compare;
mod help;
mod ledger;
mod mac;
mod params;
mod pareto;
mod plan;
mod robust;
mod sensitivity;
mod status;

pub use chart::GaChart;
pub use common::{
    axis_labels, compact, ellipsis, fit, frame_block, marker, pending, position, span_of,
    wrapped_rows,
};
pub use compare::{Compare, CompareView, ROWS as COMPARE_ROWS};
pub use help::help_lines;
pub use ledger::{LedgerView, line_count as ledger_line_count};
pub use mac::{Mac, MacView};
pub use params::Params;
pub use pareto::{Pareto, ParetoFinal, ParetoProgress, ParetoStep, ParetoView};
pub use plan::PlanTable;
pub use robust::{Robust, RobustView};
pub use sensitivity::{
    Sensitivity, SweepParam, SweepSetup, SweepView, sweep_param, sweep_params, sweep_value,
};

use std::any::Any;
use std::fmt::Debug;

use parkplan::park::Park;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Tabs};

use crate::action::Action;
use crate::app::{Analysis, App};
use crate::solve::{AnalysisJob, AnyResult};
use crate::update::Effect;

/// Every view, in tab order (the number keys follow it).
pub fn registry(park: &Park) -> Vec<Box<dyn View>> {
    vec![
        Box::new(PlanTable::default()),
        Box::new(Params::default()),
        Box::new(GaChart),
        Box::new(Sensitivity::new(park)),
        Box::new(Pareto::default()),
        Box::new(Mac::default()),
        Box::new(LedgerView::default()),
        Box::new(Compare::default()),
        Box::new(Robust::default()),
    ]
}

/// A screen of the console. Views get the shared state (`App`: the scenario,
/// the run, the status line) and keep their own (selection, analysis results).
/// While a view handles something, a placeholder stands in its place in
/// `app.views`; a view that changes the scenario invalidates its own results.
pub trait View: AsAny + ViewClone + Debug + Send {
    /// A stable name, for lookups and the analysis lane ("sensitivity").
    fn key(&self) -> &'static str;
    /// The tab's title.
    fn title(&self) -> &'static str;
    /// What it shows, in a few words, for the help ("abatement cost curve").
    fn describe(&self) -> &'static str;
    /// The title of its frame.
    fn frame_title(&self, _app: &App) -> String {
        format!(" {} ", self.title())
    }
    /// Drawn side by side with the other main-screen views on wide terminals.
    fn main_screen(&self) -> bool {
        false
    }
    /// The label of the view's own text field (`EditTarget::View`) in the
    /// status line, e.g. "range of ets_price (FROM:TO:COUNT): ".
    fn edit_label(&self, _app: &App) -> Option<String> {
        None
    }
    /// What ← → select in this view, for the help ("scenario").
    fn sideways(&self) -> Option<&'static str> {
        None
    }
    /// Key hints for the status line: (action, word); the key is the first of
    /// the action's keys in the keymap. Most important first: where the row
    /// is too narrow, the last ones are left off (whole, never split).
    fn hints(&self) -> &'static [(Action, &'static str)] {
        crate::action::HINTS
    }
    /// The selected row and how many rows there are, for ↑ ↓, pages, Home/End.
    fn cursor(&mut self, _app: &App) -> Option<(&mut usize, usize)> {
        None
    }
    /// Handles an action first; `None` leaves it to the shared handling.
    fn handle(&mut self, _app: &mut App, _action: &Action) -> Option<Vec<Effect>> {
        None
    }
    /// The view was opened: start its analysis if it has none.
    fn on_focus(&mut self, _app: &mut App) -> Vec<Effect> {
        Vec::new()
    }
    /// The scenario changed: drop results of the old one.
    fn invalidate(&mut self) {}
    /// The scenario changed: follow it (the Sensitivity range follows the
    /// parameter's value). Called after `invalidate`.
    fn follow(&mut self, _app: &App) {}
    /// Recompute now (after an edit while open, or `r`).
    fn restart(&mut self) -> Vec<Effect> {
        Vec::new()
    }
    /// The background job for `Effect::Analyze(self.key())`.
    fn job(&self, _app: &App) -> Option<AnalysisJob> {
        None
    }
    /// The result of its job, already checked to be of the current analyses.
    fn on_result(&mut self, _app: &mut App, _result: Result<AnyResult, String>) {}
    /// Draws the view in `area`; `block` is its frame (views with frames of
    /// their own may ignore it).
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, block: Block<'static>);
}

/// What stands in for a view while it handles an event (see `update::with_view`).
#[derive(Debug, Clone, Copy)]
pub struct Lent;

impl View for Lent {
    fn key(&self) -> &'static str {
        "lent"
    }
    fn title(&self) -> &'static str {
        ""
    }
    fn describe(&self) -> &'static str {
        ""
    }
    fn render(&self, _: &App, _: &mut Frame, _: Rect, _: Block<'static>) {}
}

/// Downcasting, so tests and views can reach a view's own state.
pub trait AsAny: Any {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Cloning boxed views (the soak and the tests copy the whole state).
pub trait ViewClone {
    fn clone_box(&self) -> Box<dyn View>;
}

impl<T: View + Clone> ViewClone for T {
    fn clone_box(&self) -> Box<dyn View> {
        Box::new(self.clone())
    }
}

impl Clone for Box<dyn View> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// The shared part of an analysis view: its result, run when first opened,
/// dropped on every edit, re-run when open.
pub trait Analyzed {
    type Out: Any + Send + Sync + Clone;
    fn slot(&mut self) -> &mut Analysis<Self::Out>;
}

/// `on_focus` of an analysis view.
pub fn start_if_idle<A: Analyzed>(v: &mut A, key: &'static str) -> Vec<Effect> {
    if matches!(v.slot(), Analysis::Idle) {
        start(v, key)
    } else {
        Vec::new()
    }
}

/// `restart` of an analysis view.
pub fn start<A: Analyzed>(v: &mut A, key: &'static str) -> Vec<Effect> {
    *v.slot() = Analysis::Running;
    vec![Effect::Analyze(key)]
}

/// `on_result` of an analysis view (a failure also goes to the status line).
pub fn take_result<A: Analyzed>(v: &mut A, app: &mut App, result: Result<AnyResult, String>) {
    *v.slot() = match result {
        Ok(r) => match r.downcast_ref::<A::Out>() {
            Some(out) => Analysis::Ready(out.clone()),
            None => Analysis::Failed("internal: a result of another kind".into()),
        },
        Err(e) => {
            app.note = Some(crate::app::Note::Error(e.clone()));
            Analysis::Failed(e)
        }
    };
}

/// Moves a selection by `delta` within `len` rows.
pub fn move_row(row: &mut usize, len: usize, delta: isize) {
    let max = len.saturating_sub(1) as isize;
    // From the row on screen: a list that got shorter keeps no hidden offset.
    let current = (*row as isize).min(max);
    *row = current.saturating_add(delta).clamp(0, max) as usize;
}

/// Wide enough to show the main-screen views side by side.
pub fn is_wide(area: Rect) -> bool {
    area.width >= 120 && area.height >= 30
}

/// Draws the whole screen.
pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let t = &app.theme;
    app.hits.clear();
    frame.render_widget(Block::default().style(t.screen()), area);
    let [tabs, main, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(status::height(app, area.width)),
    ])
    .areas(area);
    let titles: Vec<Line> = app
        .views
        .iter()
        .enumerate()
        .map(|(k, v)| Line::from(format!("{} {}", k + 1, v.title())))
        .collect();
    // Padded on both sides when there is room, else on the left only, else
    // not at all (nine tabs at 80 columns).
    let room: usize = titles.iter().map(|l| l.width() + 3).sum::<usize>() - 1;
    let w = tabs.width as usize;
    let (left_pad, right_pad) = if room <= w {
        (" ", " ")
    } else if room - titles.len() <= w {
        (" ", "")
    } else {
        ("", "")
    };
    // Where each tab is, for a click: as `Tabs` lays them out.
    let mut x = tabs.x;
    for (k, title) in titles.iter().enumerate() {
        let w = (left_pad.len() + title.width() + right_pad.len()) as u16;
        let r = Rect::new(x, tabs.y, w, 1).intersection(tabs);
        app.hits.record(|h| h.tabs.push((r, k)));
        x = x.saturating_add(w + 1);
    }
    frame.render_widget(
        Tabs::new(titles)
            .padding(left_pad, right_pad)
            .select(app.focus)
            .style(t.dim())
            .highlight_style(t.selected())
            .divider(Span::styled("│", t.border())),
        tabs,
    );
    let focused = &app.views[app.focus];
    if focused.main_screen() && is_wide(area) {
        // The first main-screen view on the left, the others stacked on the right.
        let mains: Vec<usize> = (0..app.views.len())
            .filter(|&k| app.views[k].main_screen())
            .collect();
        // The Plan keeps at least the 80 columns its table is laid out for
        // (at 120 columns 58 % would cut its names to their ids and eight
        // letters).
        let left_w = ((main.width as u32 * 58 + 50) / 100).max(80) as u16;
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_w), Constraint::Fill(1)]).areas(main);
        let shares: Vec<Constraint> = match mains.len() {
            3 => vec![Constraint::Percentage(55), Constraint::Percentage(45)],
            n => vec![Constraint::Fill(1); n.saturating_sub(1).max(1)],
        };
        let rights = Layout::vertical(shares).split(right);
        for (i, &k) in mains.iter().enumerate() {
            let rect = if i == 0 { left } else { rights[i - 1] };
            app.hits.record(|h| h.panes.push((rect, k)));
            app.views[k].render(app, frame, rect, block(app, k));
        }
    } else {
        let b = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Plain)
            .border_style(t.border())
            .title(focused.frame_title(app));
        app.hits.record(|h| h.panes.push((main, app.focus)));
        focused.render(app, frame, main, b);
    }
    status::render(app, frame, status);
    if app.show_help {
        help::render(app, frame, area);
    }
    // High contrast: white on black also where a widget reset the colours
    // (charts clear their canvas to the terminal's own background).
    if app.theme.palette == crate::theme::Palette::HighContrast {
        let screen = t.screen();
        for c in frame.buffer_mut().content.iter_mut() {
            if c.bg == ratatui::style::Color::Reset {
                c.bg = screen.bg.unwrap_or(c.bg);
            }
            if c.fg == ratatui::style::Color::Reset {
                c.fg = screen.fg.unwrap_or(c.fg);
            }
        }
    }
}

/// The frame of view `k` on the wide main screen (thick when focused).
fn block(app: &App, k: usize) -> Block<'static> {
    let t = &app.theme;
    let focused = app.focus == k;
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused {
            t.border_focused()
        } else {
            t.border()
        })
        .title(Span::styled(
            app.views[k].frame_title(app),
            if focused { t.title() } else { Style::default() },
        ))
}
