//! The analysis views: Sensitivity (a sweep with its tipping points), the
//! Pareto front, and the marginal abatement cost curve.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Borders, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table, TableState, Wrap,
};

use parkplan::report::{group_thousands, short};

use crate::app::{Analysis, App};

fn frame_block(app: &App, title: String) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border_focused())
        .title(Span::styled(title, app.theme.title()))
}

/// The placeholder of an analysis that is not ready; `None` when it is.
fn pending<T>(app: &App, a: &Analysis<T>) -> Option<Line<'static>> {
    let t = &app.theme;
    match a {
        Analysis::Ready(_) => None,
        Analysis::Running => Some(Line::from(Span::styled("computing…", t.warn()))),
        Analysis::Idle => Some(Line::from(Span::styled("not computed yet", t.dim()))),
        Analysis::Failed(e) => Some(Line::from(Span::styled(format!("failed: {e}"), t.bad()))),
    }
}

/// (min, max) with 5 % padding, never empty.
fn span_of(values: impl Iterator<Item = f64>) -> [f64; 2] {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return [0.0, 1.0];
    }
    let pad = if hi > lo {
        (hi - lo) * 0.05
    } else {
        lo.abs().max(1.0) * 0.05
    };
    [lo - pad, hi + pad]
}

fn marker(app: &App) -> Marker {
    if app.chart_dots {
        Marker::Dot
    } else {
        Marker::Braille
    }
}

fn axis_labels(b: [f64; 2]) -> Vec<Line<'static>> {
    vec![Line::from(short(b[0])), Line::from(short(b[1]))]
}

pub fn sensitivity(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let s = &app.analyses.sweep_setup;
    let p = crate::app::sweep_param(s.param);
    let title = format!(
        " Sensitivity · {} ({}) {}..{} · {} values · ←→ parameter · Enter range ",
        p.key,
        p.unit,
        short(s.from),
        short(s.to),
        s.count
    );
    let block = frame_block(app, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(line) = pending(app, &app.analyses.sweep) {
        frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
        return;
    }
    let Analysis::Ready(v) = &app.analyses.sweep else {
        return;
    };
    // Room for the tipping points as they wrap, up to a third of the view.
    let width = inner.width.max(20) as usize;
    let wrapped: usize = v
        .tipping
        .iter()
        .map(|(_, w)| (w.chars().count() + 20).div_ceil(width))
        .sum();
    let tip_h = ((wrapped + 1) as u16).min((inner.height / 3).max(2));
    let chart_h = (inner.height.saturating_sub(tip_h) / 2).max(6);
    let [charts, tips, table] = Layout::vertical([
        Constraint::Length(chart_h),
        Constraint::Length(tip_h),
        Constraint::Min(3),
    ])
    .areas(inner);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
    let xb = [s.from, s.to];
    for (rect, series, name, unit, style) in [
        (left, &v.benefit, "benefit", "CNY/yr", t.best_series()),
        (right, &v.co2, "CO2", "t/yr", t.mean_series()),
    ] {
        let yb = span_of(series.iter().map(|p| p.1));
        let lines: Vec<[(f64, f64); 2]> = v
            .tipping
            .iter()
            .map(|(x, _)| [(*x, yb[0]), (*x, yb[1])])
            .collect();
        let mut datasets: Vec<Dataset> = lines
            .iter()
            .map(|l| {
                Dataset::default()
                    .marker(marker(app))
                    .graph_type(GraphType::Line)
                    .style(t.bound_series())
                    .data(l)
            })
            .collect();
        datasets.push(
            Dataset::default()
                .name(name)
                .marker(marker(app))
                .graph_type(GraphType::Line)
                .style(style)
                .data(series),
        );
        let chart = Chart::new(datasets)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.border())
                    .title(format!(" {name} ({unit}) ")),
            )
            .x_axis(
                Axis::default()
                    .title(Span::styled(p.key, t.dim()))
                    .bounds(xb)
                    .labels(axis_labels(xb)),
            )
            .y_axis(Axis::default().bounds(yb).labels(axis_labels(yb)));
        frame.render_widget(chart, rect);
    }
    let mut tip_lines: Vec<Line> = vec![Line::from(Span::styled(
        if v.tipping.is_empty() {
            "no tipping point in this range: the plan keeps its structure".to_string()
        } else {
            "tipping points (to 0.1 % of the range; magenta lines):".to_string()
        },
        t.header(),
    ))];
    for (x, words) in &v.tipping {
        tip_lines.push(Line::from(vec![
            Span::styled(format!("at {} {}: ", short(*x), p.unit), t.key()),
            Span::raw(words.clone()),
        ]));
    }
    frame.render_widget(Paragraph::new(tip_lines).wrap(Wrap { trim: true }), tips);
    let mut header = vec![Cell::from(Span::styled(p.key, t.header()))];
    header.extend(
        v.columns
            .iter()
            .map(|c| Cell::from(Span::styled(c.clone(), t.header()))),
    );
    let rows: Vec<Row> = v
        .rows
        .iter()
        .map(|(x, caps)| {
            let mut cells = vec![Cell::from(short(*x))];
            cells.extend(
                caps.iter()
                    .map(|c| Cell::from(Line::from(group_thousands(*c, 0)).right_aligned())),
            );
            Row::new(cells)
        })
        .collect();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(10))
        .chain(
            v.columns
                .iter()
                .map(|c| Constraint::Length(c.len().max(9) as u16)),
        )
        .collect();
    let table_w = Table::new(rows, widths)
        .header(Row::new(header))
        .row_highlight_style(t.selected());
    let mut state = TableState::default().with_selected(Some(app.analyses.sweep_row));
    frame.render_stateful_widget(table_w, table, &mut state);
}

pub fn pareto(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let block = frame_block(
        app,
        " Pareto front · benefit vs CO2 · Enter loads the selected plan ".to_string(),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(line) = pending(app, &app.analyses.pareto) {
        frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
        return;
    }
    let Analysis::Ready(v) = &app.analyses.pareto else {
        return;
    };
    let wide = inner.width >= 100;
    let [chart_area, list] = if wide {
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(inner)
    } else {
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(inner)
    };
    let sel = app
        .analyses
        .pareto_row
        .min(v.points.len().saturating_sub(1));
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
                Cell::from(Line::from(group_thousands(*c, 0)).right_aligned()),
                Cell::from(Line::from(group_thousands(*b, 0)).right_aligned()),
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

pub fn mac(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let e = &app.scenario.park.economics;
    let block = frame_block(
        app,
        format!(
            " Abatement cost curve · CNY/t before carbon revenue · ETS {} CNY/t · budget {} ",
            short(e.ets_price_cny_per_t),
            short(e.capex_cap_cny)
        ),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(line) = pending(app, &app.analyses.mac) {
        frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
        return;
    }
    let Analysis::Ready(v) = &app.analyses.mac else {
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
                Cell::from(Line::from(group_thousands(m.cost_per_t, 0)).right_aligned()),
                Cell::from(Line::from(group_thousands(m.potential_t, 0)).right_aligned()),
                Cell::from(Line::from(short(m.capex)).right_aligned()),
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
    let mut state = TableState::default().with_selected(Some(app.analyses.mac_row));
    frame.render_stateful_widget(table, list, &mut state);
}
