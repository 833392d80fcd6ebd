//! The live fitness chart: best and mean objective per generation of the
//! current run, with the exact optimum (or the upper bound) as a line.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph};

use parkplan::report::short;
use parkplan::solve::BoundKind;

use super::View;
use crate::app::App;

/// The GA view: no state of its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct GaChart;

impl View for GaChart {
    fn key(&self) -> &'static str {
        "ga"
    }
    fn title(&self) -> &'static str {
        "GA"
    }
    fn describe(&self) -> &'static str {
        "fitness chart"
    }
    fn frame_title(&self, app: &App) -> String {
        title(app)
    }
    fn main_screen(&self) -> bool {
        true
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, block: Block<'static>) {
        render(app, frame, area, block);
    }
}

pub fn title(app: &App) -> String {
    format!(" GA fitness ({}) ", app.scenario.objective.unit())
}

fn render(app: &App, frame: &mut Frame, area: Rect, block: Block) {
    let t = &app.theme;
    let run = &app.run;
    if run.best.is_empty() {
        let msg = Paragraph::new(Line::from(Span::styled("waiting for the solver…", t.dim())))
            .alignment(Alignment::Center)
            .block(block);
        frame.render_widget(msg, area);
        return;
    }
    let xmax = run.best.last().map_or(1.0, |p| p.0).max(1.0);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for &(_, y) in run.best.iter().chain(&run.mean) {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    let bound_line;
    let mut datasets = Vec::new();
    let marker = if app.chart_dots {
        Marker::Dot
    } else {
        Marker::Braille
    };
    if let Some((b, kind)) = run.bound {
        lo = lo.min(b);
        hi = hi.max(b);
        bound_line = [(0.0, b), (xmax, b)];
        datasets.push(
            Dataset::default()
                .name(match kind {
                    BoundKind::Optimum => "exact optimum",
                    BoundKind::Relaxation => "upper bound",
                })
                // Without colour a distinct marker tells the bound apart.
                .marker(if t.colorless() {
                    Marker::HalfBlock
                } else {
                    marker
                })
                .graph_type(GraphType::Line)
                .style(t.bound_series())
                .data(&bound_line),
        );
    }
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        let pad = lo.abs().max(1.0) * 0.05;
        lo -= pad;
        hi += pad;
    } else {
        let pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
    }
    datasets.push(
        Dataset::default()
            .name("mean")
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(t.mean_series())
            .data(&run.mean),
    );
    datasets.push(
        Dataset::default()
            .name("best")
            .marker(marker)
            .graph_type(GraphType::Line)
            .style(t.best_series())
            .data(&run.best),
    );
    let unit = app.scenario.objective.unit();
    let chart = Chart::new(datasets)
        .block(block)
        .legend_position(Some(ratatui::widgets::LegendPosition::BottomRight))
        .hidden_legend_constraints((
            ratatui::layout::Constraint::Percentage(100),
            ratatui::layout::Constraint::Percentage(100),
        ))
        .x_axis(
            Axis::default()
                .title(Span::styled("generation", t.dim()))
                .bounds([0.0, xmax])
                .labels(vec![
                    Line::from("0"),
                    Line::from(format!("{}", (xmax / 2.0).round())),
                    Line::from(format!("{xmax}")),
                ]),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled(unit, t.dim()))
                .bounds([lo, hi])
                .labels(vec![Line::from(short(lo)), Line::from(short(hi))]),
        );
    frame.render_widget(chart, area);
}
