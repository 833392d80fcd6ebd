//! The Sensitivity view: a sweep of one parameter over a range, the plan's
//! benefit and CO2 along it, where the plan changes (tipping points) and the
//! capacities at each value. ← → choose the parameter, Enter the range.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Borders, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState, Wrap,
};

use parkplan::model::Objective;
use parkplan::park::{PARAMS, Park, Strategy, param};
use parkplan::report::group_thousands;

use super::common::{
    Look, MARK_LOOK, NOW_LOOK, fit_title, legend, main_look, range_position, value_label,
};
use super::{Analyzed, View, fit, frame_block, pending};
use crate::action::Action;
use crate::app::{Analysis, App, Edit, EditTarget, Note};
use crate::solve::{AnalysisJob, AnyResult};
use crate::update::Effect;

const KEY: &str = "sensitivity";

/// What the Sensitivity view sweeps.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSetup {
    /// Index into [`PARAMS`].
    pub param: usize,
    pub from: f64,
    pub to: f64,
    pub count: usize,
}

/// A parameter the Sensitivity view can sweep: the economics, then (in a park
/// with `[energy]`) the electricity and gas prices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepParam {
    pub key: &'static str,
    pub unit: &'static str,
    /// What is allowed, as a range (and in words for an energy price).
    pub lo: f64,
    pub hi: f64,
    energy_rule: &'static str,
}

/// The energy prices the Sensitivity view sweeps (demands do not move the plan).
const SWEEP_ENERGY: [(&str, &str); 2] =
    [("electricity_price", "CNY/MWh"), ("gas_price", "CNY/MWh")];

/// How many parameters the Sensitivity view offers for this park.
pub fn sweep_params(park: &Park) -> usize {
    PARAMS.len()
        + if park.energy.is_some() {
            SWEEP_ENERGY.len()
        } else {
            0
        }
}

/// The `i`-th sweepable parameter (see [`sweep_params`]).
pub fn sweep_param(i: usize) -> SweepParam {
    match PARAMS.get(i) {
        Some(p) => {
            let (lo, hi) = p.range();
            SweepParam {
                key: p.key,
                unit: p.unit,
                lo,
                hi,
                energy_rule: "",
            }
        }
        None => {
            let (key, unit) = SWEEP_ENERGY[(i - PARAMS.len()).min(SWEEP_ENERGY.len() - 1)];
            SweepParam {
                key,
                unit,
                lo: 0.0,
                hi: 1e15,
                energy_rule: "a number >= 0",
            }
        }
    }
}

/// The park's value of the `i`-th sweepable parameter.
pub fn sweep_value(park: &Park, i: usize) -> f64 {
    match PARAMS.get(i) {
        Some(p) => p.get(&park.economics),
        None => park
            .energy
            .as_ref()
            .and_then(|e| e.get(sweep_param(i).key))
            .unwrap_or(f64::NAN),
    }
}

impl SweepParam {
    /// What is allowed, in words.
    pub fn allowed(&self) -> String {
        match param(self.key) {
            Some(p) => p.allowed(),
            None => self.energy_rule.to_string(),
        }
    }
}

impl SweepSetup {
    /// Centred on the current value: from `v - h` to `v + h` with 41 values
    /// (the middle one is `v`), `h = |v|` (0..2v for a positive value) narrowed
    /// so that both ends stay allowed. A value at a bound of its range (0)
    /// gets a range on its one open side. Whole parameters get whole steps.
    pub fn around(park: &Park, param: usize) -> SweepSetup {
        let p = sweep_param(param);
        let (lo, hi) = (p.lo, p.hi);
        let v = sweep_value(park, param);
        let allowed = |x: f64| match parkplan::park::param(p.key) {
            Some(q) => q.check(x).is_ok(),
            None => x >= lo && x <= hi,
        };
        let integer = parkplan::park::param(p.key).is_some_and(|q| q.integer());
        let fallback = SweepSetup {
            param,
            from: lo.max(0.0),
            to: (lo.max(0.0) + 1.0).min(hi),
            count: 41,
        };
        if !v.is_finite() {
            return fallback;
        }
        let width = if v != 0.0 { v.abs() } else { 1.0 };
        let mut h = width.min(v - lo).min(hi - v);
        if h > 0.0 && !allowed(v - h) {
            // An open bound (alpha > 0): stop short of it.
            h *= 0.95;
        }
        let mut count = 41;
        if integer && h > 0.0 {
            let step = (h / 20.0).ceil().max(1.0);
            let m = (h / step).floor();
            h = step * m;
            count = 2 * m as usize + 1;
        }
        let (from, to) = if h > 0.0 && count >= 3 {
            (v - h, v + h)
        } else if v - lo <= 0.0 {
            (v, (v + 2.0 * width).min(hi))
        } else {
            ((v - 2.0 * width).max(lo), v)
        };
        if from >= to || !allowed(from) || !allowed(to) {
            return fallback;
        }
        SweepSetup {
            param,
            from,
            to,
            count: if integer { count.max(2) } else { 41 },
        }
    }
}

/// A sweep as the Sensitivity view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepView {
    pub setup: SweepSetup,
    /// (value, annual benefit) and (value, annual CO2).
    pub benefit: Vec<(f64, f64)>,
    pub co2: Vec<(f64, f64)>,
    /// Column labels ("CCU 1 t/a") and, per value, the capacities.
    pub columns: Vec<String>,
    pub rows: Vec<(f64, Vec<f64>)>,
    /// Where the plan changes, and how, in words.
    pub tipping: Vec<(f64, String)>,
}

/// The Sensitivity view's own state.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    /// What is swept (the parameter and range chosen).
    pub setup: SweepSetup,
    pub sweep: Analysis<SweepView>,
    /// Selected row of the capacity table.
    pub row: usize,
    /// The range is the default one around the parameter's value (not typed
    /// by the user): it follows the value when an edit changes it.
    pub auto: bool,
    /// The first tipping point listed, chosen with PgUp PgDn, while the
    /// selection stays on the row it moved to: (row, tipping point). Once ↑ ↓
    /// move the selection the list follows it again.
    pub tip_at: Option<(usize, usize)>,
    /// Lines of the first tipping point listed scrolled off with PgDn, when
    /// it is longer than the room under the charts (the charts never shrink).
    pub tip_line: u16,
    /// The room (width, rows of text) the tipping points had when last drawn:
    /// PgUp PgDn scroll a long one by that much.
    pub tip_room: std::cell::Cell<(u16, u16)>,
}

impl Sensitivity {
    /// Sweeps the ETS price at first.
    pub fn new(park: &Park) -> Sensitivity {
        let ets = PARAMS
            .iter()
            .position(|p| p.key == "ets_price")
            .unwrap_or(0);
        Sensitivity {
            setup: SweepSetup::around(park, ets),
            sweep: Analysis::Idle,
            row: 0,
            auto: true,
            tip_at: None,
            tip_line: 0,
            tip_room: std::cell::Cell::new((80, 4)),
        }
    }

    /// Lines of the first tipping point scrolled off (0 once ↑ ↓ moved the
    /// selection).
    pub fn scrolled(&self, v: &SweepView) -> u16 {
        match self.tip_at {
            Some((row, _)) if row == self.row && !v.tipping.is_empty() => self.tip_line,
            _ => 0,
        }
    }

    /// The first tipping point listed: the one chosen with PgUp PgDn, else
    /// the first at or above the selected value.
    pub fn first_tip(&self, v: &SweepView) -> usize {
        let n = v.tipping.len();
        if let Some((row, k)) = self.tip_at
            && row == self.row
        {
            return k.min(n.saturating_sub(1));
        }
        let sel_value = v.rows.get(self.row).map_or(f64::NEG_INFINITY, |r| r.0);
        v.tipping
            .iter()
            .position(|(x, _)| *x >= sel_value)
            .unwrap_or(n.saturating_sub(1))
    }
}

impl Analyzed for Sensitivity {
    type Out = SweepView;
    fn slot(&mut self) -> &mut Analysis<SweepView> {
        &mut self.sweep
    }
}

impl View for Sensitivity {
    fn key(&self) -> &'static str {
        KEY
    }
    fn title(&self) -> &'static str {
        "Sensitivity"
    }
    fn describe(&self) -> &'static str {
        "sensitivity"
    }
    fn sideways(&self) -> Option<&'static str> {
        Some("parameter")
    }
    fn edit_label(&self, _app: &App) -> Option<String> {
        let p = sweep_param(self.setup.param);
        Some(format!(
            "range of {} in {} (FROM:TO:COUNT): ",
            p.key, p.unit
        ))
    }
    fn cursor(&mut self, _app: &App) -> Option<(&mut usize, usize)> {
        let n = match &self.sweep {
            Analysis::Ready(v) => v.rows.len(),
            _ => 0,
        };
        Some((&mut self.row, n))
    }
    fn handle(&mut self, app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        match action {
            Action::Left | Action::Right => {
                let n = sweep_params(&app.scenario.park);
                let k = self.setup.param.min(n - 1);
                let next = (if *action == Action::Right {
                    k + 1
                } else {
                    k + n - 1
                }) % n;
                self.setup = SweepSetup::around(&app.scenario.park, next);
                self.auto = true;
                self.row = 0;
                self.tip_at = None;
                self.tip_line = 0;
                Some(self.restart())
            }
            Action::PageUp | Action::PageDown => {
                // The previous / next tipping point, and the first row with
                // the plan after it (the capacities it changed).
                let Analysis::Ready(v) = &self.sweep else {
                    return None;
                };
                let n = v.tipping.len();
                if n == 0 {
                    return None;
                }
                let k = self.first_tip(v);
                // A tipping point longer than the room: its next / previous
                // lines first.
                let (width, room) = self.tip_room.get();
                let line = self.scrolled(v);
                let (x, words) = &v.tipping[k];
                let rows = super::wrapped_rows(
                    &tip_words(*x, sweep_param(self.setup.param).unit, words),
                    width,
                );
                if *action == Action::PageDown && line + room.max(1) < rows {
                    self.tip_line = line + room.max(1);
                    self.tip_at = Some((self.row, k));
                    return Some(Vec::new());
                }
                if *action == Action::PageUp && line > 0 {
                    self.tip_line = line.saturating_sub(room.max(1));
                    self.tip_at = Some((self.row, k));
                    return Some(Vec::new());
                }
                self.tip_line = 0;
                let k = if *action == Action::PageDown {
                    (k + 1).min(n - 1)
                } else {
                    k.saturating_sub(1)
                };
                let x = v.tipping[k].0;
                self.row = v
                    .rows
                    .iter()
                    .position(|r| r.0 >= x)
                    .unwrap_or(v.rows.len().saturating_sub(1));
                self.tip_at = Some((self.row, k));
                Some(Vec::new())
            }
            Action::Activate => {
                let s = &self.setup;
                let text = format!(
                    "{}:{}:{}",
                    parkplan::report::plain_number(s.from),
                    parkplan::report::plain_number(s.to),
                    s.count
                );
                app.edit = Some(Edit::new(EditTarget::View, text));
                Some(Vec::new())
            }
            Action::Accept => {
                let edit = app.edit.as_ref()?;
                if edit.target != EditTarget::View {
                    return None;
                }
                let text = edit.input.value().to_string();
                Some(match parse_sweep_range(&self.setup, &text) {
                    Ok(setup) => {
                        app.edit = None;
                        self.setup = setup;
                        self.auto = false;
                        self.row = 0;
                        self.tip_at = None;
                        self.tip_line = 0;
                        self.restart()
                    }
                    Err(why) => {
                        if let Some(e) = app.edit.as_mut() {
                            e.error = Some(why.clone());
                        }
                        app.note = Some(Note::Error(why));
                        Vec::new()
                    }
                })
            }
            _ => None,
        }
    }
    fn on_focus(&mut self, _app: &mut App) -> Vec<Effect> {
        super::start_if_idle(self, KEY)
    }
    fn follow(&mut self, app: &App) {
        // After the price is set to 300 the default range is 0..1,200, not the
        // old 0..236.
        if self.auto {
            let around = SweepSetup::around(&app.scenario.park, self.setup.param);
            if around != self.setup {
                self.setup = around;
                self.row = 0;
                self.tip_at = None;
                self.tip_line = 0;
            }
        }
    }
    fn invalidate(&mut self) {
        self.sweep = Analysis::Idle;
    }
    fn restart(&mut self) -> Vec<Effect> {
        super::start(self, KEY)
    }
    fn job(&self, app: &App) -> Option<AnalysisJob> {
        let park = app.scenario.park.clone();
        let objective = app.scenario.objective;
        let setup = self.setup.clone();
        Some(AnalysisJob::new(KEY, app.analyses_id, move |token| {
            sweep_of(&park, objective, &setup, token)
        }))
    }
    fn on_result(&mut self, app: &mut App, result: Result<AnyResult, String>) {
        // A sweep of a parameter or range no longer selected is stale too.
        if let Ok(r) = &result
            && r.downcast_ref::<SweepView>()
                .is_some_and(|v| v.setup != self.setup)
        {
            return;
        }
        super::take_result(self, app, result);
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, _block: Block<'static>) {
        self.draw(app, frame, area);
    }
}

/// The sweep of `setup` on `park`, as the view shows it; `None` once
/// `token` is cancelled (a stale job stops within one solve's check of it).
pub fn sweep_of(
    park: &Park,
    objective: Objective,
    s: &SweepSetup,
    token: &parkplan::solve::CancelToken,
) -> Result<Option<SweepView>, String> {
    use parkplan::analysis::sweep;

    let p = sweep_param(s.param);
    let n = s.count.max(2);
    let values: Vec<f64> = (0..n)
        .map(|k| s.from + (s.to - s.from) * k as f64 / (n - 1) as f64)
        .collect();
    let points =
        sweep::sweep_with(park, p.key, &values, objective, token).map_err(|e| e.to_string())?;
    let Some(points) = points.into_iter().collect::<Option<Vec<_>>>() else {
        return Ok(None);
    };
    let (tips, whole) = sweep::tipping_points_with(park, p.key, &points, objective, token)
        .map_err(|e| e.to_string())?;
    if !whole {
        return Ok(None);
    }
    let names = |st: Strategy, code: u32| {
        park.catalogue
            .techs(st)
            .into_iter()
            .find(|t| t.0 == code)
            .map_or_else(|| format!("technology {code}"), |t| t.1.to_string())
    };
    let cols: BTreeSet<(Strategy, u32)> = points
        .iter()
        .flat_map(|pt| pt.capacities.keys().copied())
        .collect();
    Ok(Some(SweepView {
        setup: s.clone(),
        benefit: points
            .iter()
            .map(|pt| (pt.value, pt.totals.annual_benefit))
            .collect(),
        co2: points
            .iter()
            .map(|pt| (pt.value, pt.totals.annual_co2_reduction))
            .collect(),
        columns: cols
            .iter()
            .map(|(st, t)| format!("{st} {t} {}", st.unit()))
            .collect(),
        rows: points
            .iter()
            .map(|pt| {
                (
                    pt.value,
                    cols.iter()
                        .map(|c| pt.capacities.get(c).copied().unwrap_or(0.0))
                        .collect(),
                )
            })
            .collect(),
        tipping: tips
            .iter()
            .map(|t| (t.above, group_regions(&t.changes, &names).join("; ")))
            .collect(),
    }))
}

/// The changes of a tipping point in words, the same change in several
/// regions said once (`WHR in regions 4 · 5 · 6 switches from …`; no comma,
/// which would read as a thousands separator), so a tipping
/// point reads whole at 80x24 (the command line lists each region's).
pub fn group_regions(
    changes: &[parkplan::analysis::sweep::Change],
    names: &dyn Fn(Strategy, u32) -> String,
) -> Vec<String> {
    use parkplan::analysis::sweep::{Change, describe};
    let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
    for c in changes {
        let region = match *c {
            Change::Enters { region, .. }
            | Change::Leaves { region, .. }
            | Change::Switches { region, .. }
            | Change::Moves { region, .. } => region,
        };
        let text = describe(c, names);
        let at = format!(" in region {region} ");
        let key = if text.contains(&at) {
            text.replacen(&at, " in region \u{0} ", 1)
        } else {
            text
        };
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.1.push(region),
            None => groups.push((key, vec![region])),
        }
    }
    groups
        .into_iter()
        .map(|(key, regions)| {
            let list: Vec<String> = regions.iter().map(u32::to_string).collect();
            let at = if regions.len() == 1 {
                format!(" in region {} ", list[0])
            } else {
                format!(" in regions {} ", list.join(" · "))
            };
            key.replacen(" in region \u{0} ", &at, 1)
        })
        .collect()
}

/// A tipping point as listed: `at 136.6 CNY/t: PV in region 2 …`.
fn tip_words(x: f64, unit: &str, words: &str) -> String {
    format!("at {} {unit}: {words}", value_label(x))
}

/// FROM:TO:COUNT for the Sensitivity view, checked against the parameter's range.
pub fn parse_sweep_range(current: &SweepSetup, text: &str) -> Result<SweepSetup, String> {
    use parkplan::analysis::sweep::SweepRange;
    let p = sweep_param(current.param);
    // The command line's parser and rules (`sweep --range`); the console keeps
    // to 1,000 values so a chart stays readable, and draws a downward range
    // (TO below FROM: the same values) from low to high.
    let r = SweepRange::parse(text, 1000).map_err(|e| format!("{e} ({} in {})", p.key, p.unit))?;
    let (from, to) = (r.from.min(r.to), r.from.max(r.to));
    if from < p.lo || to > p.hi {
        return Err(format!("{}: must be {}", p.key, p.allowed()));
    }
    Ok(SweepSetup {
        param: current.param,
        from,
        to,
        count: r.count,
    })
}

/// A y axis for a chart of values `lo..hi`: bounds rounded out to a step of
/// 1, 2, 2.5 or 5 times a power of ten (about four steps), and `labels`
/// evenly spaced labels (bottom first) all in one format: the same unit
/// (k M G T, chosen by the larger bound) and the same decimals, each exact.
/// Before, one axis read `8549` at the bottom and `39.1 k` at the top.
pub fn nice_axis(lo: f64, hi: f64, labels: usize) -> ([f64; 2], Vec<String>) {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    if hi - lo <= hi.abs().max(lo.abs()) * 1e-9 {
        let pad = lo.abs().max(1.0) * 0.05;
        lo -= pad;
        hi += pad;
    }
    let raw = (hi - lo) / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    let (b0, b1) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let n = labels.max(2);
    let values: Vec<f64> = (0..n)
        .map(|k| b0 + (b1 - b0) * k as f64 / (n - 1) as f64)
        .collect();
    let m = b0.abs().max(b1.abs());
    let (div, unit) = [(1e12, " T"), (1e9, " G"), (1e6, " M"), (1e3, " k")]
        .into_iter()
        .find(|(d, _)| m >= 9999.5 * d / 1e3)
        .unwrap_or((1.0, ""));
    // The fewest decimals that show every label exactly.
    let decimals = (0..=4)
        .find(|d| {
            values.iter().all(|v| {
                let x = v / div;
                let f = 10f64.powi(*d);
                ((x * f).round() / f - x).abs() <= x.abs().max(1.0) * 1e-9
            })
        })
        .unwrap_or(4) as usize;
    let text = values
        .iter()
        .map(|v| {
            let x = v / div;
            let s = if unit.is_empty() {
                let g = group_thousands(x, decimals);
                if x < 0.0 && (x * 10f64.powi(decimals as i32)).round() != 0.0 {
                    format!("-{g}")
                } else {
                    g
                }
            } else {
                format!("{x:.decimals$}")
            };
            format!("{s}{unit}")
        })
        .collect();
    ([b0, b1], text)
}

impl Sensitivity {
    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let t = &app.theme;
        let s = &self.setup;
        let p = sweep_param(s.param);
        let title = fit_title(
            &[
                format!(
                    "Sensitivity · {} ({}) {}..{}",
                    p.key,
                    p.unit,
                    value_label(s.from),
                    value_label(s.to)
                ),
                format!("{} values", s.count),
                "←→ parameter".into(),
                "Enter range".into(),
            ],
            area.width,
        );
        let block = frame_block(app, title);
        let inner = block.inner(area);
        frame.render_widget(block.clone(), area);
        if let Some(line) = pending(app, &self.sweep) {
            frame.render_widget(
                Paragraph::new(line)
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true }),
                inner,
            );
            return;
        }
        let Analysis::Ready(v) = &self.sweep else {
            return;
        };
        // The tipping points from the first chosen (PgUp PgDn) or the first at
        // or above the selected value (↑ ↓), as many as fit whole in up to
        // half the view; each wrapped, never cut.
        let width = inner.width.max(20);
        let n = v.tipping.len();
        let start = self.first_tip(v);
        let tip_text = |k: usize| {
            let (x, words) = &v.tipping[k];
            tip_words(*x, p.unit, words)
        };
        // The charts first, at a height that depends on the screen only (5
        // rows of plot at 80x24: tipping markers and three y labels drawn;
        // the same height while paging through the tipping points); the
        // table keeps a header and a row, the tipping points take the rest.
        let mut chart_h = (inner.height * 9 / 16).max(9);
        if chart_h + 2 + 2 > inner.height {
            chart_h = inner.height.saturating_sub(4);
            if chart_h < 5 {
                chart_h = 0;
            }
        }
        let left_h = inner.height.saturating_sub(chart_h);
        // Tipping points from `start`, as many as fit whole (one at least,
        // its first lines if even it is longer than the room).
        let room = left_h.saturating_sub(2 + 1).max(1);
        let (mut used, mut end) = (0u16, start);
        while end < n {
            let rows = super::wrapped_rows(&tip_text(end), width);
            if end > start && used + rows > room {
                break;
            }
            used += rows;
            end += 1;
        }
        let cut = used > room;
        self.tip_room.set((width, room));
        let line = if cut { self.scrolled(v) } else { 0 };
        // Rows the table does not need go to the tipping points (the table
        // keeps three rows when it can).
        let tip_h = (used + 1).min(left_h.saturating_sub(3).max(room + 1));
        let table_h = inner.height.saturating_sub(chart_h + tip_h);
        let [charts, tips, table] = Layout::vertical([
            Constraint::Length(chart_h),
            Constraint::Length(tip_h),
            Constraint::Length(table_h),
        ])
        .areas(inner);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(charts);
        let xb = [s.from, s.to];
        let look = main_look(app);
        let now = sweep_value(&app.scenario.park, s.param);
        let now_shown = now.is_finite() && now >= s.from && now <= s.to;
        for (rect, series, name, unit) in [
            (left, &v.benefit, "benefit", "CNY/yr"),
            (right, &v.co2, "CO2", "t/yr"),
        ] {
            if chart_h == 0 {
                break;
            }
            let style = t.best_series();
            let (lo, hi) = series
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| {
                    (a.0.min(p.1), a.1.max(p.1))
                });
            let plot_rows = chart_h.saturating_sub(4);
            let (yb, ylabels) = nice_axis(lo, hi, if plot_rows >= 5 { 3 } else { 2 });
            let lines: Vec<[(f64, f64); 2]> = v
                .tipping
                .iter()
                .map(|(x, _)| [(*x, yb[0]), (*x, yb[1])])
                .collect();
            let mut datasets: Vec<Dataset> = lines
                .iter()
                .map(|l| {
                    Dataset::default()
                        .marker(MARK_LOOK.marker)
                        .graph_type(GraphType::Line)
                        .style(t.bound_series())
                        .data(l)
                })
                .collect();
            datasets.push(
                Dataset::default()
                    .marker(look.marker)
                    .graph_type(GraphType::Line)
                    .style(style)
                    .data(series),
            );
            // The parameter's value now, a full-height line of blocks drawn
            // last so that it stays visible.
            let now_line = [(now, yb[0]), (now, yb[1])];
            if now_shown {
                datasets.push(
                    Dataset::default()
                        .marker(NOW_LOOK.marker)
                        .graph_type(GraphType::Line)
                        .style(t.key())
                        .data(&now_line),
                );
            }
            // The legend in the frame's lower border, off the data: the
            // series, the value now, the tipping points (dropped from the
            // end when the frame is too narrow).
            let mut items = vec![(look, style, name.to_string())];
            if now_shown {
                items.push((NOW_LOOK, t.key(), format!("now {}", value_label(now))));
            } else if now.is_finite() {
                let off = Look {
                    marker: NOW_LOOK.marker,
                    glyph: if now < s.from { "◀" } else { "▶" },
                };
                items.push((off, t.key(), format!("now {} (off)", value_label(now))));
            }
            if n > 0 {
                items.push((MARK_LOOK, t.bound_series(), "tipping".to_string()));
            }
            while items.len() > 1 && legend(&items).width() + 2 > rect.width as usize {
                items.pop();
            }
            let chart = Chart::new(datasets)
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(t.border())
                        .title(format!(" {name} ({unit}) "))
                        .title_bottom(legend(&items)),
                )
                .x_axis(Axis::default().bounds(xb).labels(vec![
                    Line::from(value_label(s.from)),
                    Line::from(value_label((s.from + s.to) / 2.0)),
                    Line::from(value_label(s.to)),
                ]))
                .y_axis(
                    Axis::default()
                        .bounds(yb)
                        .labels(ylabels.into_iter().map(Line::from).collect::<Vec<_>>()),
                );
            frame.render_widget(chart, rect);
        }
        let header = if n == 0 {
            "no tipping point in this range: the plan keeps its structure".to_string()
        } else {
            let at = range_position("tipping point", start, end.min(n), n);
            let lines = if cut {
                format!(
                    " · lines {}-{} of {used}",
                    line + 1,
                    (line + room).min(used)
                )
            } else {
                String::new()
            };
            let keys = if cut {
                " · PgUp PgDn"
            } else if n > end - start {
                " · PgUp PgDn: previous / next"
            } else {
                ""
            };
            format!("{at}{lines}{keys}")
        };
        let [tip_head, tip_body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(tips);
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(header, t.header()))),
            tip_head,
        );
        let mut tip_lines: Vec<Line> = Vec::new();
        for k in start..end.min(n) {
            let (x, words) = &v.tipping[k];
            tip_lines.push(Line::from(vec![
                Span::styled(format!("at {} {}: ", value_label(*x), p.unit), t.key()),
                Span::raw(words.clone()),
            ]));
        }
        frame.render_widget(
            Paragraph::new(tip_lines)
                .wrap(Wrap { trim: true })
                .scroll((line, 0)),
            tip_body,
        );
        // As many capacity columns as fit whole (a squeezed column would cut
        // its numbers); the frame says how many more a wider screen shows.
        let mut col_w: Vec<usize> = Vec::new();
        let mut used_w = 10usize;
        for c in &v.columns {
            let cw = c.chars().count().max(9);
            if used_w + 1 + cw > table.width as usize {
                break;
            }
            used_w += 1 + cw;
            col_w.push(cw);
        }
        let more = v.columns.len() - col_w.len();
        let mut header = vec![Cell::from(Span::styled(p.key, t.header()))];
        header.extend(
            v.columns
                .iter()
                .take(col_w.len())
                .map(|c| Cell::from(Span::styled(c.clone(), t.header()))),
        );
        let rows: Vec<Row> = v
            .rows
            .iter()
            .map(|(x, caps)| {
                let mut cells = vec![Cell::from(value_label(*x))];
                cells.extend(caps.iter().zip(&col_w).map(|(c, w)| {
                    Cell::from(Line::from(fit(group_thousands(*c, 0), *c, *w)).right_aligned())
                }));
                Row::new(cells)
            })
            .collect();
        let widths: Vec<Constraint> = std::iter::once(Constraint::Length(10))
            .chain(col_w.iter().map(|w| Constraint::Length(*w as u16)))
            .collect();
        let table_w = Table::new(rows, widths)
            .header(Row::new(header))
            .row_highlight_style(t.selected());
        let mut state = TableState::default().with_selected(Some(self.row));
        frame.render_stateful_widget(table_w, table, &mut state);
        // Where the selection is in the sweep, with ▲ ▼ for rows hidden.
        let first = state.offset();
        let last = (first + table.height.saturating_sub(1) as usize).min(v.rows.len());
        let selected = self.row.min(v.rows.len().saturating_sub(1));
        let mut block = block.title_bottom(
            Line::from(super::position(selected, v.rows.len(), first, last)).right_aligned(),
        );
        if more > 0 {
            block = block.title_bottom(Line::from(format!(
                " {more} more {} on a wider screen ",
                if more == 1 { "column" } else { "columns" }
            )));
        }
        frame.render_widget(block, area);
    }
}
