//! The mouse, as lazygit, btop and k9s use it: a click on a tab opens that
//! view, a click on a row of a list selects it, a click in the Pareto chart
//! selects the nearest point, the wheel moves the selection of the list under
//! the pointer. Where things are is what the last frame drew: rendering
//! records it here ([`HitMap`]), so a click always means what the user saw.
//! `M` (or `--no-mouse`) turns capture off, so the terminal selects text.

use std::sync::Mutex;

use ratatui::layout::{Position, Rect};

use crate::app::App;
use crate::update::{Effect, focus_view, with_view};

/// Rows the wheel moves per notch.
pub const WHEEL_ROWS: isize = 3;

/// A list on screen: which row of the view's list each screen line shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// The key of the view whose `cursor` the rows index.
    pub view: &'static str,
    pub area: Rect,
    /// (screen row, index of the list's row shown there).
    pub lines: Vec<(u16, usize)>,
}

/// Points of a chart on screen, in cell coordinates (column, row).
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    pub view: &'static str,
    pub area: Rect,
    pub cells: Vec<(f64, f64)>,
}

/// What the last frame drew where.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hits {
    /// Each tab's cells and its view's index.
    pub tabs: Vec<(Rect, usize)>,
    /// The area of each view drawn (several on the wide main screen).
    pub panes: Vec<(Rect, usize)>,
    pub rows: Vec<Rows>,
    pub points: Vec<Points>,
}

/// The hits of the last frame. Rendering only reads the app, so this is the
/// one part of it drawing writes (behind a lock: the app stays `Sync`).
#[derive(Debug, Default)]
pub struct HitMap(Mutex<Hits>);

impl Clone for HitMap {
    fn clone(&self) -> HitMap {
        HitMap(Mutex::new(self.get()))
    }
}

impl HitMap {
    /// A copy of what was recorded.
    pub fn get(&self) -> Hits {
        self.0.lock().map(|h| h.clone()).unwrap_or_default()
    }
    /// Records something drawn.
    pub fn record(&self, f: impl FnOnce(&mut Hits)) {
        if let Ok(mut h) = self.0.lock() {
            f(&mut h);
        }
    }
    /// A new frame starts.
    pub fn clear(&self) {
        self.record(|h| *h = Hits::default());
    }
}

/// Where a chart of `area` (ratatui's `Chart` with two labels on each axis,
/// aligned left, as `view::axis_labels` makes them) draws its data: the area
/// left of and below the axes and their labels. Mirrors `Chart::layout`.
pub fn chart_graph_area(area: Rect, y_label_width: u16, first_x_label_width: u16) -> Rect {
    if area.width < 3 || area.height < 3 {
        return area;
    }
    let left = y_label_width
        .max(first_x_label_width.saturating_sub(1))
        .min(area.width / 3);
    let x = area.x + left + 1;
    // The x labels' row and the x axis' row are below the graph.
    let bottom = area.bottom().saturating_sub(2);
    Rect::new(
        x,
        area.y,
        area.right().saturating_sub(x),
        bottom.saturating_sub(area.y),
    )
}

/// The cell (column, row) where a chart with these bounds draws the point
/// (x, y) in `graph` with a one-cell marker (its canvas rounds).
pub fn cell_of(graph: Rect, xb: [f64; 2], yb: [f64; 2], (x, y): (f64, f64)) -> (f64, f64) {
    let fx = if xb[1] > xb[0] {
        (x - xb[0]) / (xb[1] - xb[0])
    } else {
        0.0
    };
    let fy = if yb[1] > yb[0] {
        (y - yb[0]) / (yb[1] - yb[0])
    } else {
        0.0
    };
    let w = f64::from(graph.width.saturating_sub(1));
    let h = f64::from(graph.height.saturating_sub(1));
    (
        f64::from(graph.x) + (fx * w).round(),
        f64::from(graph.y) + ((1.0 - fy) * h).round(),
    )
}

/// The pane (view index) at `p`.
fn pane_at(hits: &Hits, p: Position) -> Option<usize> {
    hits.panes
        .iter()
        .find(|(r, _)| r.contains(p))
        .map(|&(_, k)| k)
}

/// Selects row `i` of the view with key `view`, if it has that many rows.
fn select(app: &mut App, view: &str, i: usize) {
    if let Some(k) = app.view_index(view) {
        with_view(app, k, |v, app| {
            if let Some((row, len)) = v.cursor(app)
                && i < len
            {
                *row = i;
            }
        });
    }
}

/// A left click at column `x`, row `y`.
pub fn click(app: &mut App, x: u16, y: u16) -> Vec<Effect> {
    let hits = app.hits.get();
    let p = Position { x, y };
    if let Some(&(_, k)) = hits.tabs.iter().find(|(r, _)| r.contains(p)) {
        return focus_view(app, k);
    }
    // The pane under the pointer takes the focus (the wide main screen).
    let mut effects = Vec::new();
    if let Some(k) = pane_at(&hits, p)
        && k != app.focus
    {
        effects = focus_view(app, k);
    }
    if let Some(rows) = hits.rows.iter().find(|r| r.area.contains(p)) {
        if let Some(&(_, i)) = rows.lines.iter().find(|(ly, _)| *ly == y) {
            select(app, rows.view, i);
        }
    } else if let Some(pts) = hits.points.iter().find(|q| q.area.contains(p)) {
        // The nearest point; a cell is about twice as high as it is wide.
        let (cx, cy) = (f64::from(x), f64::from(y));
        let nearest = pts
            .cells
            .iter()
            .enumerate()
            .map(|(i, &(px, py))| (i, (px - cx).powi(2) + (2.0 * (py - cy)).powi(2)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i);
        if let Some(i) = nearest {
            select(app, pts.view, i);
        }
    }
    effects
}

/// The wheel at column `x`, row `y`: the selection of the list under the
/// pointer (else of the pane under it) moves by `notches` (down positive).
pub fn scroll(app: &mut App, x: u16, y: u16, notches: isize) -> Vec<Effect> {
    let hits = app.hits.get();
    let p = Position { x, y };
    let k = hits
        .rows
        .iter()
        .find(|r| r.area.contains(p))
        .and_then(|r| app.view_index(r.view))
        .or_else(|| pane_at(&hits, p));
    if let Some(k) = k {
        with_view(app, k, |v, app| {
            if let Some((row, len)) = v.cursor(app) {
                crate::view::move_row(row, len, notches * WHEEL_ROWS);
            }
        });
    }
    Vec::new()
}
