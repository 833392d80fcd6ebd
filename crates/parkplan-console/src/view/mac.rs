//! The MAC view: the marginal abatement cost curve of the park's options,
//! with the carbon price and where the budget runs out.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState,
};

use parkplan::report::{group_thousands, short};

use super::{Analyzed, View, axis_labels, frame_block, marker, pending, span_of};
use crate::app::{Analysis, App};
use crate::solve::{AnalysisJob, AnyResult};
use crate::update::Effect;

const KEY: &str = "mac";

/// One bar of the MAC view.
#[derive(Debug, Clone, PartialEq)]
pub struct MacView {
    pub entries: Vec<parkplan::analysis::mac::MacEntry>,
    /// The step curve: (cumulative t/yr, CNY/t) corners.
    pub steps: Vec<(f64, f64)>,
    /// Cumulative potential where the budget runs out, if it does.
    pub budget_at: Option<f64>,
}

/// The MAC view's own state.
#[derive(Debug, Clone, Default)]
pub struct Mac {
    pub curve: Analysis<MacView>,
    /// Selected option.
    pub row: usize,
}

impl Analyzed for Mac {
    type Out = MacView;
    fn slot(&mut self) -> &mut Analysis<MacView> {
        &mut self.curve
    }
}

impl View for Mac {
    fn key(&self) -> &'static str {
        KEY
    }
    fn title(&self) -> &'static str {
        "MAC"
    }
    fn describe(&self) -> &'static str {
        "abatement cost curve"
    }
    fn cursor(&mut self, _app: &App) -> Option<(&mut usize, usize)> {
        let n = match &self.curve {
            Analysis::Ready(v) => v.entries.len(),
            _ => 0,
        };
        Some((&mut self.row, n))
    }
    fn on_focus(&mut self, _app: &mut App) -> Vec<Effect> {
        super::start_if_idle(self, KEY)
    }
    fn invalidate(&mut self) {
        self.curve = Analysis::Idle;
    }
    fn restart(&mut self) -> Vec<Effect> {
        super::start(self, KEY)
    }
    fn job(&self, app: &App) -> Option<AnalysisJob> {
        let park = app.scenario.park.clone();
        Some(AnalysisJob::new(KEY, app.analyses_id, move |_token| {
            use parkplan::analysis::mac;

            let opts = parkplan::compile(&park);
            let e = &park.economics;
            let entries: Vec<mac::MacEntry> = mac::curve(&opts, e.ets_price_cny_per_t)
                .into_iter()
                .filter(|m| !m.alternative)
                .collect();
            let mut steps = Vec::new();
            let (mut cum, mut capex) = (0.0, 0.0);
            let mut budget_at = None;
            for m in &entries {
                steps.push((cum, m.cost_per_t));
                capex += m.capex;
                if budget_at.is_none() && capex > e.capex_cap_cny {
                    // Where, inside this option, the budget runs out.
                    let over = capex - e.capex_cap_cny;
                    budget_at = Some(cum + m.potential_t * (1.0 - over / m.capex).max(0.0));
                }
                cum += m.potential_t;
                steps.push((cum, m.cost_per_t));
            }
            Ok(Some(MacView {
                entries,
                steps,
                budget_at,
            }))
        }))
    }
    fn on_result(&mut self, app: &mut App, result: Result<AnyResult, String>) {
        super::take_result(self, app, result);
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, _block: Block<'static>) {
        self.draw(app, frame, area);
    }
}

impl Mac {
    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let t = &app.theme;
        let e = &app.scenario.park.economics;
        // The longest title that fits the frame: its figures are never cut.
        let (ets, budget) = (short(e.ets_price_cny_per_t), short(e.capex_cap_cny));
        let title = [
            "Abatement cost curve · CNY/t before carbon revenue",
            "Abatement cost curve · CNY/t before carbon rev.",
            "MAC · CNY/t before carbon revenue",
            "MAC",
        ]
        .map(|head| format!(" {head} · ETS {ets} CNY/t · budget {budget} "))
        .into_iter()
        .find(|s| s.chars().count() + 2 <= area.width as usize)
        .unwrap_or_else(|| format!(" MAC · ETS {ets} · budget {budget} "));
        let block = frame_block(app, title);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if let Some(line) = pending(app, &self.curve) {
            frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
            return;
        }
        let Analysis::Ready(v) = &self.curve else {
            return;
        };
        let [chart_area, list] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner);
        let xmax = v.steps.last().map_or(1.0, |p| p.0).max(1.0);
        let yb = span_of(
            v.steps
                .iter()
                .map(|p| p.1)
                .chain(std::iter::once(e.ets_price_cny_per_t)),
        );
        let ets = [(0.0, e.ets_price_cny_per_t), (xmax, e.ets_price_cny_per_t)];
        let budget: Vec<(f64, f64)> = v
            .budget_at
            .map(|x| vec![(x, yb[0]), (x, yb[1])])
            .unwrap_or_default();
        let datasets = vec![
            Dataset::default()
                .name("cost per tonne")
                .marker(marker(app))
                .graph_type(GraphType::Line)
                .style(t.best_series())
                .data(&v.steps),
            Dataset::default()
                .name("carbon price")
                .marker(marker(app))
                .graph_type(GraphType::Line)
                .style(t.mean_series())
                .data(&ets),
            Dataset::default()
                .name("budget line")
                .marker(marker(app))
                .graph_type(GraphType::Line)
                .style(t.bound_series())
                .data(&budget),
        ];
        let chart = Chart::new(datasets)
            .x_axis(
                Axis::default()
                    .title(Span::styled("cumulative CO2 t/yr", t.dim()))
                    .bounds([0.0, xmax])
                    .labels(vec![Line::from("0"), Line::from(short(xmax))]),
            )
            .y_axis(
                Axis::default()
                    .title(Span::styled("CNY/t", t.dim()))
                    .bounds(yb)
                    .labels(axis_labels(yb)),
            );
        frame.render_widget(chart, chart_area);
        let mut cum_capex = 0.0;
        let rows: Vec<Row> = v
            .entries
            .iter()
            .map(|m| {
                cum_capex += m.capex;
                let style = if cum_capex > e.capex_cap_cny {
                    t.dim()
                } else {
                    Style::default()
                };
                Row::new(vec![
                    Cell::from(m.region.to_string()),
                    Cell::from(m.strategy.name()),
                    Cell::from(format!("{} {}", m.technology, m.technology_name)),
                    // Rounded (k, M, ...) rather than cut when too wide.
                    Cell::from(
                        Line::from(super::fit(
                            group_thousands(m.cost_per_t, 0),
                            m.cost_per_t,
                            9,
                        ))
                        .right_aligned(),
                    ),
                    Cell::from(
                        Line::from(super::fit(
                            group_thousands(m.potential_t, 0),
                            m.potential_t,
                            9,
                        ))
                        .right_aligned(),
                    ),
                    Cell::from(Line::from(super::fit(short(m.capex), m.capex, 9)).right_aligned()),
                ])
                .style(style)
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(6),
                Constraint::Length(5),
                Constraint::Min(12),
                Constraint::Length(9),
                Constraint::Length(9),
                Constraint::Length(9),
            ],
        )
        .header(Row::new(
            ["Region", "Strat", "Technology", "CNY/t", "t/yr", "Capex"]
                .map(|h| Cell::from(Span::styled(h, t.header()))),
        ))
        .row_highlight_style(t.selected());
        let mut state = TableState::default().with_selected(Some(self.row));
        frame.render_stateful_widget(table, list, &mut state);
    }
}
