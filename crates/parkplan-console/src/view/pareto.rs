//! The Pareto view: the front of annual benefit against annual CO2 reduction,
//! with the current plan; Enter loads the selected point's plan.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState,
};

use parkplan::plan::Plan;
use parkplan::report::group_thousands;

use super::{Analyzed, View, axis_labels, frame_block, marker, pending, span_of};
use crate::action::Action;
use crate::app::{Analysis, App, Note, RunStatus};
use crate::solve::{AnalysisJob, AnyResult};
use crate::update::Effect;

const KEY: &str = "pareto";

/// The Pareto front as the view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoView {
    /// (CO2 t/yr, benefit CNY/yr) per point, and its plan.
    pub points: Vec<(f64, f64)>,
    pub plans: Vec<Plan>,
}

/// The Pareto view's own state.
#[derive(Debug, Clone, Default)]
pub struct Pareto {
    pub front: Analysis<ParetoView>,
    /// Selected point.
    pub row: usize,
}

impl Analyzed for Pareto {
    type Out = ParetoView;
    fn slot(&mut self) -> &mut Analysis<ParetoView> {
        &mut self.front
    }
}

impl View for Pareto {
    fn key(&self) -> &'static str {
        KEY
    }
    fn title(&self) -> &'static str {
        "Pareto"
    }
    fn describe(&self) -> &'static str {
        "Pareto front"
    }
    fn cursor(&mut self, _app: &App) -> Option<(&mut usize, usize)> {
        let n = match &self.front {
            Analysis::Ready(v) => v.points.len(),
            _ => 0,
        };
        Some((&mut self.row, n))
    }
    fn handle(&mut self, app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        if *action != Action::Activate {
            return None;
        }
        let plan = match &self.front {
            Analysis::Ready(v) => v.plans.get(self.row).cloned(),
            _ => None,
        };
        match (plan, app.run.opts.is_some()) {
            (Some(plan), true) => {
                // The loaded plan is pinned: a new run id drops whatever the
                // running solve still sends (and "r" re-optimizes).
                app.run.id += 1;
                app.previous = crate::changes::Snapshot::of(app).or(app.previous.take());
                // An undo step: `u` shows the plan before again.
                if let Some(before) = app.run.plan.clone() {
                    // A run still going is dropped by the load: undone,
                    // it runs again.
                    let status = match &app.run.status {
                        s @ RunStatus::Done { .. } => Some(s.clone()),
                        _ => None,
                    };
                    crate::update::push_undo(
                        app,
                        crate::app::Undo::Loaded {
                            plan: before,
                            status,
                        },
                    );
                }
                crate::update::show_plan(app, plan);
                app.run.status = RunStatus::Done {
                    why: "plan loaded from the Pareto front".into(),
                };
                if let Some(k) = app.view_index("plan") {
                    app.focus = k;
                }
                app.note = Some(Note::Info(
                    "Pareto point loaded; u undoes, r re-optimizes the objective".into(),
                ));
            }
            _ => app.note = Some(Note::Info("no Pareto point to load yet".into())),
        }
        Some(Vec::new())
    }
    fn on_focus(&mut self, _app: &mut App) -> Vec<Effect> {
        super::start_if_idle(self, KEY)
    }
    fn invalidate(&mut self) {
        self.front = Analysis::Idle;
    }
    fn restart(&mut self) -> Vec<Effect> {
        super::start(self, KEY)
    }
    fn job(&self, app: &App) -> Option<AnalysisJob> {
        let park = app.scenario.park.clone();
        Some(AnalysisJob::new(KEY, app.analyses_id, move |token| {
            use parkplan::analysis::pareto;
            let (_, pts) = match pareto::front_with(&park, 21, token) {
                Ok(r) => r,
                Err(pareto::ParetoError::Cancelled) => return Ok(None),
                Err(e) => return Err(e.to_string()),
            };
            Ok(Some(ParetoView {
                points: pts
                    .iter()
                    .map(|p| (p.totals.annual_co2_reduction, p.totals.annual_benefit))
                    .collect(),
                plans: pts.into_iter().map(|p| p.solution.plan).collect(),
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

impl Pareto {
    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let t = &app.theme;
        let block = frame_block(
            app,
            " Pareto front · benefit vs CO2 · Enter loads the selected plan ".to_string(),
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if let Some(line) = pending(app, &self.front) {
            frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
            return;
        }
        let Analysis::Ready(v) = &self.front else {
            return;
        };
        let wide = inner.width >= 100;
        let [chart_area, list] = if wide {
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(inner)
        } else {
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(inner)
        };
        let sel = self.row.min(v.points.len().saturating_sub(1));
        let selected: Vec<(f64, f64)> = v.points.get(sel).copied().into_iter().collect();
        let current: Vec<(f64, f64)> = app
            .run
            .evaluation
            .as_ref()
            .map(|e| (e.totals.annual_co2_reduction, e.totals.annual_benefit))
            .into_iter()
            .collect();
        let all = v.points.iter().chain(&current);
        let xb = span_of(all.clone().map(|p| p.0));
        let yb = span_of(all.map(|p| p.1));
        let datasets = vec![
            Dataset::default()
                .name("front")
                .marker(marker(app))
                .graph_type(GraphType::Line)
                .style(t.mean_series())
                .data(&v.points),
            Dataset::default()
                .name("current plan")
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(t.bound_series())
                .data(&current),
            Dataset::default()
                .name("selected")
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(t.best_series())
                .data(&selected),
        ];
        let chart = Chart::new(datasets)
            .x_axis(
                Axis::default()
                    .title(Span::styled("CO2 t/yr", t.dim()))
                    .bounds(xb)
                    .labels(axis_labels(xb)),
            )
            .y_axis(
                Axis::default()
                    .title(Span::styled("CNY/yr", t.dim()))
                    .bounds(yb)
                    .labels(axis_labels(yb)),
            );
        frame.render_widget(chart, chart_area);
        let rows: Vec<Row> = v
            .points
            .iter()
            .map(|(c, b)| {
                Row::new(vec![
                    // Rounded (k, M, ...) rather than cut when too wide.
                    Cell::from(
                        Line::from(super::fit(group_thousands(*c, 0), *c, 12)).right_aligned(),
                    ),
                    Cell::from(
                        Line::from(super::fit(group_thousands(*b, 0), *b, 16)).right_aligned(),
                    ),
                ])
            })
            .collect();
        let table = Table::new(rows, [Constraint::Length(12), Constraint::Length(16)])
            .header(Row::new(vec![
                Cell::from(Span::styled("CO2 t/yr", t.header())),
                Cell::from(Span::styled("benefit CNY/yr", t.header())),
            ]))
            .row_highlight_style(t.selected());
        let mut state = TableState::default().with_selected(Some(sel));
        frame.render_stateful_widget(table, list, &mut state);
    }
}
