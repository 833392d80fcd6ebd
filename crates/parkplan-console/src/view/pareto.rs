//! The Pareto view: the front of annual benefit against annual CO2 reduction,
//! with the current plan; Enter loads the selected point's plan.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState,
};

use std::time::{Duration, Instant};

use parkplan::analysis::pareto;
use parkplan::plan::Plan;
use parkplan::report::group_thousands;

use super::{Analyzed, View, axis_labels, frame_block, marker, pending, span_of};
use crate::action::Action;
use crate::app::{Analysis, App, Edit, EditTarget, Note, RunStatus};
use crate::solve::{AnalysisJob, AnyResult};
use crate::update::Effect;

const KEY: &str = "pareto";

/// The Pareto front as the view shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParetoView {
    /// (CO2 t/yr, benefit CNY/yr) per point, and its plan.
    pub points: Vec<(f64, f64)>,
    pub plans: Vec<Plan>,
    /// Each point's capex (CNY), for the list.
    pub capex: Vec<f64>,
}

/// What a running front reports: the points found since its last report
/// (each the best benefit for its CO2 target; some may later be dropped from
/// the front as dominated or repeated), and where it is.
#[derive(Debug, Clone)]
pub struct ParetoStep {
    /// The job (see [`Pareto::seq`]): steps of an older job are dropped.
    pub seq: u64,
    pub found: ParetoView,
    pub done: usize,
    pub total: usize,
    pub elapsed_s: f64,
}

/// The finished front of job `seq`.
#[derive(Debug, Clone)]
pub struct ParetoFinal {
    pub seq: u64,
    pub front: ParetoView,
}

/// The points a running front has found so far, and where it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParetoProgress {
    pub found: ParetoView,
    pub done: usize,
    pub total: usize,
    pub elapsed_s: f64,
}

/// Points of a front unless the user chooses (`n`), as `parkplan pareto`.
pub const DEFAULT_POINTS: usize = 21;

/// Least time between two reports of a running front.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// The Pareto view's own state.
#[derive(Debug, Clone)]
pub struct Pareto {
    pub front: Analysis<ParetoView>,
    /// Selected point.
    pub row: usize,
    /// Points asked for (2 to `pareto::MAX_POINTS`, as `--points`).
    pub points: usize,
    /// While the front runs: what it has found.
    pub progress: Option<ParetoProgress>,
    /// The job whose reports are taken; bumped at every start, so a front of
    /// the old count still running when `n` changed it is not shown.
    pub seq: u64,
}

impl Default for Pareto {
    fn default() -> Pareto {
        Pareto {
            front: Analysis::Idle,
            row: 0,
            points: DEFAULT_POINTS,
            progress: None,
            seq: 0,
        }
    }
}

impl Analyzed for Pareto {
    type Out = ParetoView;
    fn slot(&mut self) -> &mut Analysis<ParetoView> {
        &mut self.front
    }
}

impl Pareto {
    /// The points on screen: the front, or what a running one has found.
    pub fn shown(&self) -> Option<&ParetoView> {
        match (&self.front, &self.progress) {
            (Analysis::Ready(v), _) => Some(v),
            (Analysis::Running, Some(p)) => Some(&p.found),
            _ => None,
        }
    }

    /// A new front (a new job).
    fn begin(&mut self) -> Vec<Effect> {
        self.seq += 1;
        self.progress = None;
        super::start(self, KEY)
    }

    /// Whether the field open is this view's (the number of points).
    fn typing(app: &App) -> bool {
        app.focused() == KEY
            && app
                .edit
                .as_ref()
                .is_some_and(|e| e.target == EditTarget::View)
    }

    /// `n`'s field accepted: a new front of that many points.
    fn accept_points(&mut self, app: &mut App) -> Vec<Effect> {
        let text = app
            .edit
            .as_ref()
            .map(|e| e.input.value().trim().replace([',', '_'], ""))
            .unwrap_or_default();
        let max = pareto::MAX_POINTS;
        match text.parse::<usize>() {
            Ok(n) if (2..=max).contains(&n) => {
                app.edit = None;
                if n == self.points && !matches!(self.front, Analysis::Idle) {
                    app.note = Some(Note::Info(format!("already {n} points")));
                    return Vec::new();
                }
                self.points = n;
                self.row = 0;
                app.note = Some(Note::Info(format!(
                    "Pareto front of {n} points: points appear as they are found"
                )));
                self.begin()
            }
            _ => {
                let why = format!("POINTS must be a whole number from 2 to {max}, found {text:?}");
                if let Some(e) = app.edit.as_mut() {
                    e.error = Some(why.clone());
                }
                app.note = Some(Note::Error(why));
                Vec::new()
            }
        }
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
    fn hints(&self) -> &'static [(Action, &'static str)] {
        &[
            (Action::ToggleHelp, "help"),
            (Action::Quit, "quit"),
            (Action::Activate, "load point"),
            (Action::ParetoPoints, "number of points"),
            (Action::Undo, "undo"),
            (Action::FocusNext, "pane"),
        ]
    }
    fn edit_label(&self, _app: &App) -> Option<String> {
        Some(format!(
            "points on the Pareto front (2 to {}): ",
            pareto::MAX_POINTS
        ))
    }
    fn cursor(&mut self, _app: &App) -> Option<(&mut usize, usize)> {
        let n = self.shown().map_or(0, |v| v.points.len());
        Some((&mut self.row, n))
    }
    fn handle(&mut self, app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        match action {
            Action::ParetoPoints => {
                app.edit = Some(Edit::new(EditTarget::View, self.points.to_string()));
                return Some(Vec::new());
            }
            Action::Accept if Pareto::typing(app) => return Some(self.accept_points(app)),
            Action::Activate => {}
            _ => return None,
        }
        let plan = self.shown().and_then(|v| v.plans.get(self.row).cloned());
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
                    why: crate::app::PARETO_LOADED.into(),
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
        if matches!(self.front, Analysis::Idle) {
            self.begin()
        } else {
            Vec::new()
        }
    }
    fn invalidate(&mut self) {
        self.front = Analysis::Idle;
        self.progress = None;
    }
    fn restart(&mut self) -> Vec<Effect> {
        self.begin()
    }
    fn job(&self, app: &App) -> Option<AnalysisJob> {
        let park = app.scenario.park.clone();
        let (points, seq) = (self.points, self.seq);
        Some(AnalysisJob::streaming(
            KEY,
            app.analyses_id,
            move |token, emit: &mut dyn FnMut(ParetoStep)| {
                // At once: the count, before the two ends are solved.
                emit(ParetoStep {
                    seq,
                    found: ParetoView::default(),
                    done: 0,
                    total: points,
                    elapsed_s: 0.0,
                });
                let mut found = ParetoView::default();
                // The first point at once, then at most every REPORT_EVERY.
                let mut last: Option<Instant> = None;
                let result = pareto::front_stream(&park, points, token, |p, at| {
                    found
                        .points
                        .push((p.totals.annual_co2_reduction, p.totals.annual_benefit));
                    found.plans.push(p.solution.plan.clone());
                    found.capex.push(p.totals.capex);
                    if last.is_none_or(|l| l.elapsed() >= REPORT_EVERY) || at.done == at.total {
                        last = Some(Instant::now());
                        emit(ParetoStep {
                            seq,
                            found: std::mem::take(&mut found),
                            done: at.done,
                            total: at.total,
                            elapsed_s: at.elapsed_s,
                        });
                    }
                });
                let pts = match result {
                    Ok((_, pts)) => pts,
                    Err(pareto::ParetoError::Cancelled) => return Ok(None),
                    Err(e) => return Err(e.to_string()),
                };
                Ok(Some(ParetoFinal {
                    seq,
                    front: ParetoView {
                        points: pts
                            .iter()
                            .map(|p| (p.totals.annual_co2_reduction, p.totals.annual_benefit))
                            .collect(),
                        capex: pts.iter().map(|p| p.totals.capex).collect(),
                        plans: pts.into_iter().map(|p| p.solution.plan).collect(),
                    },
                }))
            },
        ))
    }
    fn on_result(&mut self, app: &mut App, result: Result<AnyResult, String>) {
        match result {
            Ok(r) => {
                if let Some(step) = r.downcast_ref::<ParetoStep>() {
                    if step.seq != self.seq || !matches!(self.front, Analysis::Running) {
                        return;
                    }
                    let p = self.progress.get_or_insert_with(Default::default);
                    p.found.points.extend_from_slice(&step.found.points);
                    p.found.plans.extend_from_slice(&step.found.plans);
                    p.found.capex.extend_from_slice(&step.found.capex);
                    p.done = step.done;
                    p.total = step.total;
                    p.elapsed_s = step.elapsed_s;
                } else if let Some(fin) = r.downcast_ref::<ParetoFinal>() {
                    if fin.seq == self.seq {
                        self.front = Analysis::Ready(fin.front.clone());
                        self.progress = None;
                    }
                } else {
                    self.front = Analysis::Failed("internal: a result of another kind".into());
                }
            }
            Err(e) => {
                app.note = Some(Note::Error(e.clone()));
                self.front = Analysis::Failed(e);
                self.progress = None;
            }
        }
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, _block: Block<'static>) {
        self.draw(app, frame, area);
    }
}

impl Pareto {
    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let block = frame_block(
            app,
            " Pareto front · benefit vs CO2 · Enter loads the selected plan ".to_string(),
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let t = &app.theme;
        let count = |n: usize| group_thousands(n as f64, 0);
        // Where the front is: found so far, or how many points it has; the
        // longest wording that fits (numbers are never cut).
        let (v, about, style) = match (&self.front, &self.progress) {
            (Analysis::Ready(v), _) => {
                let (n, asked) = (count(v.points.len()), count(self.points));
                (
                    v,
                    vec![
                        format!(
                            "{n} points on the front ({asked} asked; dominated or repeated ones dropped)"
                        ),
                        format!("{n} points on the front ({asked} asked)"),
                        format!("{n} of {asked} points"),
                    ],
                    t.base(),
                )
            }
            (Analysis::Running, Some(p)) => {
                let (done, total) = (count(p.done), count(p.total));
                let lines = if p.done == 0 {
                    vec![
                        format!("computing: the two ends first (0 of {total} points)"),
                        format!("computing: 0 of {total} points"),
                        format!("0 of {total}"),
                    ]
                } else {
                    let s = format!("{:.1} s", p.elapsed_s);
                    vec![
                        format!("computing: point {done} of {total}, elapsed {s}"),
                        format!("point {done} of {total}, {s}"),
                        format!("{done} of {total}"),
                    ]
                };
                (&p.found, lines, t.warn())
            }
            _ => {
                if let Some(line) = pending(app, &self.front) {
                    frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
                }
                return;
            }
        };
        let fits = |l: &String| l.chars().count() <= inner.width as usize;
        let about = about
            .iter()
            .find(|l| fits(l))
            .or(about.last())
            .cloned()
            .unwrap_or_default();
        let about = Line::from(Span::styled(about, style));
        let [about_area, inner] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
        frame.render_widget(Paragraph::new(about), about_area);
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
            // Its own glyph (▄), so that it reads apart from the selected
            // point (█) without colour too.
            Dataset::default()
                .name("current plan")
                .marker(Marker::Bar)
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
        let (xl, yl) = (axis_labels(xb), axis_labels(yb));
        // For clicks: where each point is drawn.
        let graph = crate::mouse::chart_graph_area(
            chart_area,
            yl.iter().map(|l| l.width()).max().unwrap_or(0) as u16,
            xl.first().map_or(0, |l| l.width()) as u16,
        );
        app.hits.record(|h| {
            h.points.push(crate::mouse::Points {
                view: KEY,
                area: graph,
                cells: v
                    .points
                    .iter()
                    .map(|&p| crate::mouse::cell_of(graph, xb, yb, p))
                    .collect(),
            })
        });
        let chart = Chart::new(datasets)
            // The axis titles would cover the front's end points: the
            // units are in the legend beside the list instead.
            .x_axis(Axis::default().bounds(xb).labels(xl))
            .y_axis(Axis::default().bounds(yb).labels(yl))
            .legend_position(None);
        frame.render_widget(chart, chart_area);
        let n = v.points.len();
        // The list, and beside it (below it on a wide screen) the legend.
        let capex_w = 14;
        // Beside the list (narrow), the legend needs 28 columns.
        let legend_w = if wide { 0 } else { 28 };
        let with_capex = list.width as usize >= 12 + 16 + capex_w + 2 + legend_w;
        let table_w = if with_capex {
            12 + 16 + capex_w + 2
        } else {
            12 + 16 + 1
        };
        let [list, legend_area] = if wide {
            Layout::vertical([Constraint::Min(2), Constraint::Length(4)]).areas(list)
        } else {
            Layout::horizontal([Constraint::Length(table_w as u16), Constraint::Min(0)]).areas(list)
        };
        let rows: Vec<Row> = v
            .points
            .iter()
            .zip(v.capex.iter().chain(std::iter::repeat(&f64::NAN)))
            .map(|((c, b), k)| {
                let mut cells = vec![
                    // Rounded (k, M, ...) rather than cut when too wide.
                    Cell::from(
                        Line::from(super::fit(group_thousands(*c, 0), *c, 12)).right_aligned(),
                    ),
                    Cell::from(
                        Line::from(super::fit(group_thousands(*b, 0), *b, 16)).right_aligned(),
                    ),
                ];
                if with_capex && k.is_finite() {
                    cells.push(Cell::from(
                        Line::from(super::fit(group_thousands(*k, 0), *k, capex_w)).right_aligned(),
                    ));
                }
                Row::new(cells)
            })
            .collect();
        let mut widths = vec![Constraint::Length(12), Constraint::Length(16)];
        let mut header = vec![
            Cell::from(Line::from(Span::styled("CO2 t/yr", t.header())).right_aligned()),
            Cell::from(Line::from(Span::styled("benefit CNY/yr", t.header())).right_aligned()),
        ];
        if with_capex {
            widths.push(Constraint::Length(capex_w as u16));
            header.push(Cell::from(
                Line::from(Span::styled("capex CNY", t.header())).right_aligned(),
            ));
        }
        let table = Table::new(rows, widths)
            .header(Row::new(header))
            .row_highlight_style(t.selected());
        let mut state = TableState::default().with_selected(Some(sel));
        frame.render_stateful_widget(table, list, &mut state);
        let start = state.offset();
        let end = (start + list.height.saturating_sub(1) as usize).min(n);
        // Where the selection is in the list, and what the chart's marks are.
        let legend = vec![
            Line::from(Span::styled(
                super::position(sel, n, start, end).trim().to_string(),
                t.header(),
            )),
            Line::from(vec![
                Span::styled(if app.chart_dots { "•" } else { "⠤⠤" }, t.mean_series()),
                Span::raw(" front: ↑ CNY/yr → CO2 t/yr"),
            ]),
            Line::from(vec![
                Span::styled("█", t.best_series()),
                Span::raw(" the selected row's point"),
            ]),
            Line::from(vec![
                Span::styled("▄", t.bound_series()),
                Span::raw(" the plan shown now"),
            ]),
        ];
        frame.render_widget(
            Paragraph::new(legend).wrap(ratatui::widgets::Wrap { trim: true }),
            Rect {
                x: legend_area.x + 2,
                width: legend_area.width.saturating_sub(2),
                ..legend_area
            },
        );
        // For clicks: the points' rows, below the header.
        let first = state.offset();
        let shown =
            (list.height.saturating_sub(1) as usize).min(v.points.len().saturating_sub(first));
        app.hits.record(|h| {
            h.rows.push(crate::mouse::Rows {
                view: KEY,
                area: list,
                lines: (0..shown)
                    .map(|i| (list.y + 1 + i as u16, first + i))
                    .collect(),
            })
        });
    }
}
