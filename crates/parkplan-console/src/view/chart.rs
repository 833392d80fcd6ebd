//! The live fitness chart: best and mean objective per generation of the
//! current run, with the exact optimum (or the upper bound) as a line.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph};

use parkplan::report::short;
use parkplan::solve::BoundKind;

use super::View;
use crate::app::App;

/// The Solve view (the search for the best plan: the GA's fitness per
/// generation and the exact optimum): no state of its own. Named for what
/// the user gets, as the `solve` command; "3 Solve" keeps the nine tabs
/// within 80 columns.
#[derive(Debug, Clone, Copy, Default)]
pub struct GaChart;

impl View for GaChart {
    fn key(&self) -> &'static str {
        "ga"
    }
    fn title(&self) -> &'static str {
        "Solve"
    }
    fn describe(&self) -> &'static str {
        "solve (the GA's search)"
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
    // Each series its own glyph, in the legend too: told apart without colour
    // and in dots mode (`m`).
    let best = super::common::main_look(app);
    let mut items = vec![
        (best, t.best_series(), "best".to_string()),
        (
            super::common::SECOND_LOOK,
            t.mean_series(),
            "mean".to_string(),
        ),
    ];
    if let Some((b, kind)) = run.bound {
        lo = lo.min(b);
        hi = hi.max(b);
        let name = match kind {
            BoundKind::Optimum => "exact optimum",
            BoundKind::Relaxation => "upper bound",
        };
        // In braille the bound is a dotted braille row, so that it lies at the
        // same height as the best line when the GA reaches it (a line of
        // characters rounds to another row); in dots mode a dashed line.
        let (look, graph) = if app.chart_dots {
            bound_line = vec![(0.0, b), (xmax, b)];
            (super::common::LEVEL_LOOK, GraphType::Line)
        } else {
            let n = (area.width / 2).max(2) as usize;
            bound_line = (0..=n).map(|k| (xmax * k as f64 / n as f64, b)).collect();
            (
                super::common::Look {
                    marker: ratatui::symbols::Marker::Braille,
                    glyph: "⠂⠂⠂",
                },
                GraphType::Scatter,
            )
        };
        items.push((look, t.bound_series(), name.to_string()));
        datasets.push(
            Dataset::default()
                .marker(look.marker)
                .graph_type(graph)
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
            .marker(super::common::SECOND_LOOK.marker)
            .graph_type(GraphType::Line)
            .style(t.mean_series())
            .data(&run.mean),
    );
    datasets.push(
        Dataset::default()
            .marker(best.marker)
            .graph_type(GraphType::Line)
            .style(t.best_series())
            .data(&run.best),
    );
    // The legend and the x axis' name in the frame's lower border, off the
    // data (ratatui's legend box covered the curves and showed no markers).
    items.push((
        super::common::Look {
            marker: best.marker,
            glyph: "→",
        },
        t.dim(),
        "generation".to_string(),
    ));
    while items.len() > 1 && super::common::legend(&items).width() + 2 > area.width as usize {
        items.pop();
    }
    let block = block.title_bottom(super::common::legend(&items));
    let chart = Chart::new(datasets)
        .block(block)
        .x_axis(Axis::default().bounds([0.0, xmax]).labels(vec![
            Line::from("0"),
            Line::from(format!("{}", (xmax / 2.0).round())),
            Line::from(format!("{xmax}")),
        ]))
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(vec![Line::from(short(lo)), Line::from(short(hi))]),
        );
    frame.render_widget(chart, area);
}
