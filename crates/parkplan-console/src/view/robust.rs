//! The Robustness view (9): scenarios drawn from the park's `[uncertainty]`,
//! each solved exactly (`parkplan robust`): a histogram of the scenario
//! optimum with the current plan's mean value marked, how often each option
//! is in the optimum, and the current plan's regret. Computed on the analysis
//! threads like every analysis; ← → halve or double the samples, r draws anew.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use parkplan::analysis::robust::{self, Config, RobustReport};
use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::report::short;
use parkplan::solve::CancelToken;

use crate::app::{Analysis, App};

/// Samples when the view opens, and the bounds of ← →.
pub const DEFAULT_SAMPLES: usize = 1000;
pub const MIN_SAMPLES: usize = 125;
pub const MAX_SAMPLES: usize = 64_000;

/// What the view shows: the report of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RobustView {
    pub report: RobustReport,
}

/// Runs the scenarios of `park` (its `[uncertainty]`, judging the optimum at
/// its current values); `None` once cancelled.
pub fn compute(
    park: &Park,
    objective: Objective,
    samples: usize,
    seed: u64,
    token: &CancelToken,
) -> Result<Option<RobustView>, String> {
    let cfg = Config {
        samples,
        seed,
        objective,
        tornado: false,
    };
    match robust::run(park, &park.uncertainty, &cfg, None, &|_| {}, token) {
        Ok(report) => Ok(Some(RobustView { report })),
        Err(robust::RobustError::Cancelled) => Ok(None),
        Err(e) => Err(e.to_string()),
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

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let a = &app.analyses;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focused())
        .title(Span::styled(
            format!(
                " Robustness · {} scenarios, seed {} · ← → samples · r draw anew ",
                a.robust_samples, a.robust_seed
            ),
            t.title(),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let v = match &a.robust {
        Analysis::Ready(v) => v,
        Analysis::Running => {
            let line = Line::from(Span::styled(
                format!("solving {} scenarios…", a.robust_samples),
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
            let p = Paragraph::new(Line::from(Span::styled(format!("{e}"), t.bad())))
                .wrap(Wrap { trim: true });
            frame.render_widget(p, inner);
            return;
        }
    };
    let r = &v.report;
    let [top, bottom] = Layout::vertical([Constraint::Min(4), Constraint::Length(4)]).areas(inner);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(top);
    histogram(app, frame, left, r);
    shares(app, frame, right, r);
    let rf = &r.reference;
    let pct = |x: Option<f64>| x.map_or(String::new(), |p| format!(" ({p:.1} %)"));
    let lines = vec![
        Line::from(vec![
            Span::styled("current plan ", t.header()),
            Span::raw(format!(
                "mean {} {} · regret P50 {} · P95 {}{} · max {}",
                short(rf.value.mean),
                r.unit,
                short(rf.regret.p50),
                short(rf.regret.p95),
                pct(rf.regret.p95_pct),
                short(rf.regret.max),
            )),
        ]),
        Line::from(vec![
            Span::styled("best on average ", t.header()),
            Span::raw(format!(
                "mean {} · regret P95 {}{} · over the cap in {:.0} %",
                short(r.expected_value_plan.value.mean),
                short(r.expected_value_plan.regret.p95),
                pct(r.expected_value_plan.regret.p95_pct),
                100.0 * r.expected_value_plan.over_budget_share
            )),
        ]),
        Line::from(Span::styled(r.recommendation.clone(), t.dim())),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), bottom);
}

/// The scenario optimum in bins, one row each, the current plan's mean marked.
fn histogram(app: &App, frame: &mut Frame, area: Rect, r: &RobustReport) {
    let t = &app.theme;
    let rows = area.height.saturating_sub(1).max(1) as usize;
    let values: Vec<f64> = r.scenarios.iter().map(|s| s.optimum).collect();
    let (lo, hi) = (r.optimum.min, r.optimum.max);
    let bins = rows.min(12).max(1);
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
    let label_w = 15;
    let bar_w = (area.width as usize).saturating_sub(label_w + 8).max(4);
    let mut lines = vec![Line::from(Span::styled(
        format!("scenario optimum ({})  ◆ plan mean", r.unit),
        t.header(),
    ))];
    for (k, c) in counts.iter().enumerate() {
        let from = lo + width * k as f64;
        let to = from + width;
        let here = plan >= from && (plan < to || k == bins - 1) || (k == 0 && plan < from);
        let label = format!("{:>6}-{:<6}", short(from), short(to));
        lines.push(Line::from(vec![
            Span::styled(format!("{label:<label_w$}"), t.dim()),
            Span::styled(bar(*c as f64 / most as f64, bar_w), t.best_series()),
            Span::raw(if here { " ◆" } else { "  " }),
            Span::raw(format!(
                "{:>4.0}%",
                100.0 * *c as f64 / values.len().max(1) as f64
            )),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The options by share of scenarios whose optimum builds them.
fn shares(app: &App, frame: &mut Frame, area: Rect, r: &RobustReport) {
    let t = &app.theme;
    let rows = area.height.saturating_sub(1) as usize;
    let bar_w = (area.width as usize).saturating_sub(20).max(4);
    let mut lines = vec![Line::from(Span::styled(
        "in the optimum of (share of scenarios)",
        t.header(),
    ))];
    for o in r.options.iter().take(rows) {
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:<11}",
                format!("{} {} {}", o.region, o.strategy, o.technology)
            )),
            Span::styled(bar(o.share, bar_w), t.mean_series()),
            Span::raw(format!("{:>5.0}%", 100.0 * o.share)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
