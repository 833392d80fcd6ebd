//! The Robustness view (9): scenarios drawn from the park's `[uncertainty]`,
//! each solved exactly (`parkplan robust`): a histogram of the scenario
//! optimum with the current plan's mean value marked, how often each option
//! is in the optimum, the tornado (the optimum with one parameter at its P10
//! and P90, the others at their medians, largest swing first) and the current
//! plan's regret. Computed on the analysis threads like every analysis; ← →
//! halve or double the samples, r draws anew.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use parkplan::analysis::robust::{self, Config, RobustReport, Tick};
use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::report::{group_thousands, short};
use parkplan::solve::CancelToken;

use super::{Analyzed, View, frame_block};
use crate::action::Action;
use crate::app::{Analysis, App, Edit, EditTarget, Note};
use crate::solve::{AnalysisJob, AnyResult};
use crate::update::Effect;

const KEY: &str = "robust";

/// Samples when the view opens, and the bounds of ← → and of the edit.
pub const DEFAULT_SAMPLES: usize = 1000;
pub const MIN_SAMPLES: usize = 100;
pub const MAX_SAMPLES: usize = 100_000;

/// What the view shows: the report of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RobustView {
    pub report: RobustReport,
}

/// The Robustness view's own state.
#[derive(Debug, Clone)]
pub struct Robust {
    pub result: Analysis<RobustView>,
    pub samples: usize,
    pub seed: u64,
    /// Scenarios solved so far by the running job (its own counter).
    pub done: Arc<AtomicUsize>,
}

impl Default for Robust {
    fn default() -> Self {
        Robust {
            result: Analysis::Idle,
            samples: DEFAULT_SAMPLES,
            seed: 1,
            done: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl Analyzed for Robust {
    type Out = RobustView;
    fn slot(&mut self) -> &mut Analysis<RobustView> {
        &mut self.result
    }
}

/// Runs the scenarios of `park` (its `[uncertainty]`, judging the optimum at
/// its current values); `None` once cancelled.
pub fn compute(
    park: &Park,
    objective: Objective,
    samples: usize,
    seed: u64,
    progress: &(dyn Fn(Tick) + Sync),
    token: &CancelToken,
) -> Result<Option<RobustView>, String> {
    let cfg = Config {
        samples,
        seed,
        objective,
        tornado: true,
    };
    match robust::run(park, &park.uncertainty, &cfg, None, progress, token) {
        Ok(report) => Ok(Some(RobustView { report })),
        Err(robust::RobustError::Cancelled) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

impl View for Robust {
    fn key(&self) -> &'static str {
        KEY
    }
    fn title(&self) -> &'static str {
        "Robust"
    }
    fn describe(&self) -> &'static str {
        "robustness under the park's uncertainty"
    }
    fn sideways(&self) -> Option<&'static str> {
        Some("fewer / more scenarios")
    }
    fn edit_label(&self, _app: &App) -> Option<String> {
        Some(format!("scenarios ({MIN_SAMPLES} to {MAX_SAMPLES}): "))
    }
    fn handle(&mut self, app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        match action {
            Action::Left | Action::Right => {
                self.samples = if *action == Action::Right {
                    (self.samples * 2).min(MAX_SAMPLES)
                } else {
                    (self.samples / 2).max(MIN_SAMPLES)
                };
                Some(self.restart())
            }
            // A new draw: the next seed (the shared handling then re-runs).
            Action::Rerun => {
                self.seed += 1;
                None
            }
            Action::Activate => {
                app.edit = Some(Edit::new(EditTarget::View, self.samples.to_string()));
                Some(Vec::new())
            }
            Action::Accept => {
                let edit = app.edit.as_ref()?;
                if edit.target != EditTarget::View {
                    return None;
                }
                let text = edit.input.value().trim().replace([',', '_'], "");
                Some(match text.parse::<usize>() {
                    Ok(n) if (MIN_SAMPLES..=MAX_SAMPLES).contains(&n) => {
                        app.edit = None;
                        self.samples = n;
                        self.restart()
                    }
                    _ => {
                        let why = format!(
                            "scenarios: expected a whole number from {MIN_SAMPLES} to {MAX_SAMPLES}, found {text:?}"
                        );
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
    fn invalidate(&mut self) {
        self.result = Analysis::Idle;
    }
    fn restart(&mut self) -> Vec<Effect> {
        self.done = Arc::new(AtomicUsize::new(0));
        super::start(self, KEY)
    }
    fn job(&self, app: &App) -> Option<AnalysisJob> {
        let park = app.scenario.park.clone();
        let objective = app.scenario.objective;
        let (samples, seed, done) = (self.samples, self.seed, self.done.clone());
        Some(AnalysisJob::new(KEY, app.analyses_id, move |token| {
            let tick = |t: Tick| done.store(t.done, Ordering::Relaxed);
            compute(&park, objective, samples, seed, &tick, token)
        }))
    }
    fn on_result(&mut self, app: &mut App, result: Result<AnyResult, String>) {
        super::take_result(self, app, result);
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, _block: Block<'static>) {
        self.draw(app, frame, area);
    }
}

/// A share as a whole percentage, "<1%" for a small one that is not 0
/// (one that would round to "0%" beside a drawn bar).
fn share_text(share: f64) -> String {
    let pct = (100.0 * share).round();
    if share > 0.0 && pct < 1.0 {
        " <1%".to_string()
    } else {
        format!("{:>3}%", pct as i64)
    }
}

/// `text` in exactly `width` columns: padded, or cut with `…` (names only).
fn fit_name(text: &str, width: usize) -> String {
    if text.chars().count() > width {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        format!("{text:<width$}")
    }
}

/// A bar of `share` (0 to 1) in `width` cells, in eighths.
fn bar(share: f64, width: usize) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let eighths = (share.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s += PARTS[eighths % 8];
    let used = eighths / 8 + usize::from(eighths % 8 > 0);
    s + &" ".repeat(width.saturating_sub(used))
}

impl Robust {
    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let t = &app.theme;
        let block = frame_block(
            app,
            format!(
                " Robustness · {} scenarios, seed {} · ← → scenarios · e edit · r draw anew ",
                group_thousands(self.samples as f64, 0),
                self.seed
            ),
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let v = match &self.result {
            Analysis::Ready(v) => v,
            Analysis::Running => {
                let done = self.done.load(Ordering::Relaxed).min(self.samples);
                let line = Line::from(Span::styled(
                    format!(
                        "solving scenarios: {} of {}",
                        group_thousands(done as f64, 0),
                        group_thousands(self.samples as f64, 0)
                    ),
                    t.warn(),
                ));
                frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
                return;
            }
            Analysis::Idle => {
                let line = Line::from(Span::styled("not computed yet", t.dim()));
                frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
                return;
            }
            Analysis::Failed(e) => {
                let p = Paragraph::new(Line::from(Span::styled(e.clone(), t.bad())))
                    .wrap(Wrap { trim: true });
                frame.render_widget(p, inner);
                return;
            }
        };
        let r = &v.report;
        let [top, bottom] =
            Layout::vertical([Constraint::Min(4), Constraint::Length(4)]).areas(inner);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
        histogram(app, frame, left, r);
        match &r.tornado {
            Some(tornado) if right.height >= 8 && !tornado.rows.is_empty() => {
                let shown = (tornado.rows.len() as u16 + 1).min(right.height / 2);
                let [up, down] =
                    Layout::vertical([Constraint::Min(3), Constraint::Length(shown)]).areas(right);
                shares(app, frame, up, r);
                tornado_bars(app, frame, down, tornado, r.unit);
            }
            _ => shares(app, frame, right, r),
        }
        let pct = |x: Option<f64>| x.map_or(String::new(), |p| format!(" ({p:.1} %)"));
        let row = |name: &str, p: &parkplan::analysis::robust::PlanRisk| {
            Line::from(vec![
                Span::styled(format!("{name:<9}"), t.header()),
                Span::raw(format!(
                    "mean {}  regret P50 {}  P95 {}{}  over cap {:.0} %",
                    short(p.value.mean),
                    short(p.regret.p50),
                    short(p.regret.p95),
                    pct(p.regret.p95_pct),
                    100.0 * p.over_budget_share
                )),
            ])
        };
        // The advice's first sentence (the whole of it is in `parkplan robust`).
        let advice = r
            .recommendation
            .split_inclusive(": ")
            .next()
            .unwrap_or_default()
            .trim_end_matches(": ")
            .to_string();
        let lines = vec![
            row("plan", &r.reference),
            row("best avg", &r.expected_value_plan),
            Line::from(Span::styled(advice, t.dim())),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), bottom);
    }
}

/// The scenario optimum in bins, one row each, the current plan's mean marked.
fn histogram(app: &App, frame: &mut Frame, area: Rect, r: &RobustReport) {
    let t = &app.theme;
    let rows = area.height.saturating_sub(1).max(1) as usize;
    let values: Vec<f64> = r.scenarios.iter().map(|s| s.optimum).collect();
    let (lo, hi) = (r.optimum.min, r.optimum.max);
    let bins = rows.clamp(1, 12);
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for v in &values {
        let k = if width > 0.0 {
            (((v - lo) / width) as usize).min(bins - 1)
        } else {
            0
        };
        counts[k] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(1).max(1);
    let plan = r.reference.value.mean;
    let bounds = |k: usize| {
        let from = lo + width * k as f64;
        (from, from + width)
    };
    let label = |k: usize| {
        let (from, to) = bounds(k);
        format!("{:>6}-{:<6}", short(from), short(to))
    };
    // The widest bin label sets the column (never cut, a space before the bar).
    let label_w = (0..bins)
        .map(|k| label(k).chars().count())
        .max()
        .unwrap_or(13)
        + 1;
    // " ◆", " 12%" and two spaces before the next pane after the bar.
    let bar_w = (area.width as usize).saturating_sub(label_w + 8).max(1);
    let mut lines = vec![Line::from(Span::styled(
        format!("scenario optimum ({})  ◆ plan mean", r.unit),
        t.header(),
    ))];
    for (k, c) in counts.iter().enumerate() {
        let (from, to) = bounds(k);
        let here = plan >= from && (plan < to || k == bins - 1) || (k == 0 && plan < from);
        let label = label(k);
        lines.push(Line::from(vec![
            Span::styled(format!("{label:<label_w$}"), t.dim()),
            Span::styled(bar(*c as f64 / most as f64, bar_w), t.best_series()),
            Span::raw(if here { " ◆" } else { "  " }),
            Span::raw(share_text(*c as f64 / values.len().max(1) as f64)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The tornado: per parameter, the optimum at its P10 and P90 (others at
/// their medians), as a bar of the swing, largest first.
fn tornado_bars(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    tornado: &parkplan::analysis::robust::Tornado,
    unit: &str,
) {
    let t = &app.theme;
    let rows = area.height.saturating_sub(1) as usize;
    let most = tornado
        .rows
        .iter()
        .map(|r| r.swing)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let values: Vec<String> = tornado
        .rows
        .iter()
        .take(rows)
        .map(|r| format!("{}…{}", short(r.optimum_at_low), short(r.optimum_at_high)))
        .collect();
    // The figures are never cut: they take their width first, then the
    // bar (at least 3 cells), and the key gets the rest (cut with `…`).
    let width = area.width as usize;
    let val_w = values.iter().map(|v| v.chars().count()).max().unwrap_or(0);
    let key_w = tornado
        .rows
        .iter()
        .take(rows)
        .map(|r| r.key.chars().count())
        .max()
        .unwrap_or(8)
        .min(20)
        .min(width.saturating_sub(val_w + 2 + 3))
        .max(4);
    // key, space, bar, space, "low…high".
    let bar_w = width.saturating_sub(key_w + val_w + 2);
    // The whole heading where it fits, else a shorter one: never cut.
    let full = format!(
        "tornado: optimum at P10 … P90 ({unit}; median {})",
        short(tornado.optimum_at_medians)
    );
    let heading = if full.chars().count() <= area.width as usize {
        full
    } else {
        format!("tornado: optimum at P10 … P90 ({unit})")
    };
    let mut lines = vec![Line::from(Span::styled(heading, t.header()))];
    for (row, value) in tornado.rows.iter().take(rows).zip(&values) {
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", fit_name(&row.key, key_w))),
            Span::styled(bar(row.swing / most, bar_w), t.best_series()),
            Span::raw(format!(" {value}")),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The options by share of scenarios whose optimum builds them.
fn shares(app: &App, frame: &mut Frame, area: Rect, r: &RobustReport) {
    let t = &app.theme;
    let rows = area.height.saturating_sub(1) as usize;
    // name, space, bar, " <1%".
    let name_w = 11;
    let bar_w = (area.width as usize).saturating_sub(name_w + 1 + 5).max(4);
    let mut lines = vec![Line::from(Span::styled(
        "in the optimum of (share of scenarios)",
        t.header(),
    ))];
    for o in r.options.iter().take(rows) {
        let name = format!("{} {} {}", o.region, o.strategy, o.technology);
        lines.push(Line::from(vec![
            Span::raw(format!("{} ", fit_name(&name, name_w))),
            Span::styled(bar(o.share, bar_w), t.mean_series()),
            Span::raw(format!(" {}", share_text(o.share))),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
