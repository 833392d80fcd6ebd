//! The Compare view: the park's scenarios (`compare::available`) solved with
//! the console's objective, side by side: one column per scenario, one row per
//! key figure. Left/Right select a scenario (the columns scroll to keep it
//! visible), Up/Down a figure.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use parkplan::analysis::compare::ScenarioResult;
use parkplan::analysis::ledger::Ledger;
use parkplan::report::{group_thousands, kpi_rows, short};

use super::{Analyzed, View, fit};
use crate::action::Action;
use crate::app::{Analysis, App};
use crate::changes::fit_kpi;
use crate::solve::{AnalysisJob, AnyResult};
use crate::update::Effect;

const KEY: &str = "compare";

/// The scenarios of the park (`compare::available`), solved with the
/// console's objective on the edited park.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareView {
    pub results: Vec<ScenarioResult>,
    /// Scenarios that could not be solved: (name, why).
    pub failed: Vec<(String, String)>,
}

/// The Compare view's own state.
#[derive(Debug, Clone, Default)]
pub struct Compare {
    pub compare: Analysis<CompareView>,
    /// Selected figure (row) and scenario (column).
    pub row: usize,
    pub col: usize,
    /// The first line of the selected scenario's description shown
    /// (PgUp/PgDn page it when it is longer than its room).
    pub desc_line: usize,
    /// The description's (lines, rows shown) at the last draw, for paging.
    desc_room: std::cell::Cell<(usize, usize)>,
    /// The comparison before the last edit, shown (dimmed, and said so)
    /// while the new one is computed: a large park takes seconds.
    pub before: Option<CompareView>,
}

impl Compare {
    /// The comparison on screen: the current one, else (while it is
    /// computed) the one before the edit, with `true`.
    fn shown(&self) -> Option<(&CompareView, bool)> {
        match (&self.compare, &self.before) {
            (Analysis::Ready(v), _) => Some((v, false)),
            (Analysis::Running, Some(b)) => Some((b, true)),
            _ => None,
        }
    }
}

impl Analyzed for Compare {
    type Out = CompareView;
    fn slot(&mut self) -> &mut Analysis<CompareView> {
        &mut self.compare
    }
}

impl View for Compare {
    fn key(&self) -> &'static str {
        KEY
    }
    fn title(&self) -> &'static str {
        "Compare"
    }
    fn describe(&self) -> &'static str {
        "scenarios compared"
    }
    fn sideways(&self) -> Option<&'static str> {
        Some("scenario")
    }
    fn cursor(&mut self, _app: &App) -> Option<(&mut usize, usize)> {
        let n = if self.shown().is_some() { ROWS } else { 0 };
        Some((&mut self.row, n))
    }
    fn handle(&mut self, _app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        let delta = match action {
            Action::Left => -1,
            Action::Right => 1,
            Action::PageUp | Action::PageDown => {
                // A description longer than its room pages first; else the
                // figures do (the shared handling).
                let (lines, room) = self.desc_room.get();
                if lines <= room || room == 0 {
                    return None;
                }
                let last = lines - room;
                let at = self.desc_line.min(last);
                self.desc_line = if *action == Action::PageDown {
                    (at + room).min(last)
                } else {
                    at.saturating_sub(room)
                };
                return Some(Vec::new());
            }
            _ => return None,
        };
        self.desc_line = 0;
        let n = self.shown().map_or(0, |(v, _)| v.results.len());
        super::move_row(&mut self.col, n, delta);
        Some(Vec::new())
    }
    fn on_focus(&mut self, _app: &mut App) -> Vec<Effect> {
        super::start_if_idle(self, KEY)
    }
    fn invalidate(&mut self) {
        // An edit while computing keeps the older comparison.
        if let Analysis::Ready(v) = std::mem::take(&mut self.compare) {
            self.before = Some(v);
        }
        self.desc_line = 0;
    }
    fn restart(&mut self) -> Vec<Effect> {
        super::start(self, KEY)
    }
    fn job(&self, app: &App) -> Option<AnalysisJob> {
        let park = app.scenario.park.clone();
        let objective = app.scenario.objective;
        let overrides = crate::update::user_overrides(app);
        Some(AnalysisJob::new(KEY, app.analyses_id, move |token| {
            use parkplan::analysis::compare;

            // Every scenario the park offers, with the console's objective; a
            // scenario that cannot be set up is listed, the others still shown.
            let mut view = CompareView {
                results: Vec::new(),
                failed: Vec::new(),
            };
            for mut sc in compare::available(&park) {
                if token.is_cancelled() {
                    return Ok(None);
                }
                sc.set.extend(overrides.iter().cloned());
                match compare::run_with(&park, &sc, objective, token) {
                    Ok(Some(r)) => view.results.push(r),
                    Ok(None) => return Ok(None),
                    Err(e) => view.failed.push((sc.name.clone(), e.to_string())),
                }
            }
            Ok(Some(view))
        }))
    }
    fn on_result(&mut self, app: &mut App, result: Result<AnyResult, String>) {
        super::take_result(self, app, result);
        self.before = None;
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, _block: Block<'static>) {
        self.draw(app, frame, area);
    }
}

/// The figures, in display order; see [`figures`].
const LABELS: [&str; 14] = [
    "capex CNY",
    "benefit CNY/yr",
    "CO2 reduction t/yr",
    "removed t/yr",
    "net negative",
    "efficiency before",
    "efficiency after",
    "peak import change",
    "PV self-consumption",
    "flexible load share",
    "emitted before t/yr",
    "emitted after t/yr",
    "built",
    "gap to optimum",
];

/// Rows of the Compare view.
pub const ROWS: usize = LABELS.len();

/// The KPIs taken from `report::kpi_rows`, by its labels.
const KPI_LABELS: [&str; 6] = [
    "net negative emissions",
    "system efficiency before",
    "system efficiency after",
    "peak grid import change",
    "PV self-consumption",
    "new load that can shift or curtail",
];

const LABEL_W: u16 = 21;
const MIN_COL: usize = 7;
/// Between two columns.
const SPACING: usize = 2;
const MAX_COL: usize = 17;

/// One scenario's column, in the order of [`LABELS`]; figures too wide for
/// a column are rounded (k, M, ...), never cut.
fn figures(r: &ScenarioResult) -> Vec<String> {
    let gap = if r.proven_optimal {
        "optimal".to_string()
    } else {
        format!("{:.2} %", r.gap * 100.0)
    };
    column(
        (r.capex, r.annual_benefit, r.annual_co2_reduction),
        &r.ledger,
        r.built_summary(),
        gap,
    )
}

/// A column from the totals (capex, benefit, CO2), the ledger, what is
/// built and the gap.
fn column(totals: (f64, f64, f64), l: &Ledger, built: String, gap: String) -> Vec<String> {
    let (capex, benefit, co2) = totals;
    let kpis = kpi_rows(l);
    let kpi = |label: &str| {
        kpis.iter()
            .find(|(l, _)| *l == label)
            .map_or_else(|| "-".to_string(), |(_, v)| fit_kpi(v, MAX_COL))
    };
    let t = |x: f64| fit(group_thousands(x, 0), x, MAX_COL);
    vec![
        short(capex),
        short(benefit),
        t(co2),
        t(l.carbon.totals.removed),
        kpi(KPI_LABELS[0]),
        kpi(KPI_LABELS[1]),
        kpi(KPI_LABELS[2]),
        kpi(KPI_LABELS[3]),
        kpi(KPI_LABELS[4]),
        kpi(KPI_LABELS[5]),
        l.carbon.emissions_before.map_or_else(|| "-".to_string(), t),
        l.carbon.emissions_after.map_or_else(|| "-".to_string(), t),
        built,
        gap,
    ]
}

/// The plan shown and its change against the reference (the plan before the
/// last edit, or the pinned plan), as two columns; `None` before the
/// first edit.
fn changes(app: &App) -> Option<[(String, Vec<String>); 2]> {
    let (then, what) = crate::changes::reference(app)?;
    let now = crate::changes::Snapshot::of(app)?;
    let (l, lt) = (app.run.ledger.as_ref()?, then.ledger.as_ref()?);
    let built = |s: &crate::changes::Snapshot| {
        let names: Vec<&str> = s
            .built
            .keys()
            .map(|(_, st)| *st)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|st| st.name())
            .collect();
        if names.is_empty() {
            "nothing".to_string()
        } else {
            names.join("+")
        }
    };
    let gap = match app.run.gap(app.scenario.objective) {
        Some(g) if g.abs() < 5e-5 => "optimal".to_string(),
        Some(g) => format!("{:.2} %", g * 100.0),
        None => "-".to_string(),
    };
    let shown = column((now.capex, now.benefit, now.co2), l, built(&now), gap);
    let money = |a: f64, b: f64| crate::changes::signed(a - b, short, MAX_COL);
    let count = |a: f64, b: f64| crate::changes::signed(a - b, |x| group_thousands(x, 0), MAX_COL);
    let opt = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => count(a, b),
        _ => String::new(),
    };
    let (nk, tk) = (kpi_rows(l), kpi_rows(lt));
    let kpi = |label: &str| {
        let find = |rows: &[(&str, String)]| {
            rows.iter()
                .find(|(k, _)| *k == label)
                .map_or("-".to_string(), |(_, v)| v.clone())
        };
        crate::changes::kpi_change(&find(&nk), &find(&tk), MAX_COL)
    };
    let change = vec![
        money(now.capex, then.capex),
        money(now.benefit, then.benefit),
        count(now.co2, then.co2),
        count(l.carbon.totals.removed, lt.carbon.totals.removed),
        kpi(KPI_LABELS[0]),
        kpi(KPI_LABELS[1]),
        kpi(KPI_LABELS[2]),
        kpi(KPI_LABELS[3]),
        kpi(KPI_LABELS[4]),
        kpi(KPI_LABELS[5]),
        opt(l.carbon.emissions_before, lt.carbon.emissions_before),
        opt(l.carbon.emissions_after, lt.carbon.emissions_after),
        crate::changes::summary(then, &now),
        String::new(),
    ];
    Some([
        ("plan shown".to_string(), shown),
        (format!("vs {what}"), change),
    ])
}

fn cut(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The columns shown: from the first that lets `sel` fit (as far left as
/// possible), then as many as fit. Returns (first, last), inclusive.
fn window(widths: &[usize], sel: usize, avail: usize) -> (usize, usize) {
    let cost = |k: usize| widths[k] + SPACING;
    let mut first = sel;
    let mut used = cost(sel);
    while first > 0 && used + cost(first - 1) <= avail {
        first -= 1;
        used += cost(first);
    }
    let mut last = sel;
    while last + 1 < widths.len() && used + cost(last + 1) <= avail {
        last += 1;
        used += cost(last);
    }
    (first, last)
}

impl Compare {
    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let t = &app.theme;
        let a = self;
        let shown = a.shown();
        let n = shown.map_or(0, |(v, _)| v.results.len());
        let stale = shown.is_some_and(|(_, stale)| stale);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused())
            .title(Span::styled(
                if stale {
                    format!(
                        " Compare · recomputing… (before the edit) · {n} scenarios · ←→ scenario "
                    )
                } else {
                    format!(
                        " Compare · {} objective · {n} scenarios · ←→ scenario ",
                        app.scenario.objective.name()
                    )
                },
                t.title(),
            ));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let v = match (&a.compare, shown) {
            (_, Some((v, _))) => v,
            (Analysis::Running | Analysis::Ready(_), None) => {
                let line = Line::from(Span::styled("computing…", t.warn()));
                frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
                return;
            }
            (Analysis::Idle, None) => {
                let line = Line::from(Span::styled("not computed yet", t.dim()));
                frame.render_widget(Paragraph::new(line).alignment(Alignment::Center), inner);
                return;
            }
            (Analysis::Failed(e), None) => {
                let line = Line::from(Span::styled(format!("failed: {e}"), t.bad()));
                frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), inner);
                return;
            }
        };
        let failed_lines = usize::from(!v.failed.is_empty());
        if v.results.is_empty() {
            let mut lines = vec![Line::from(Span::styled(
                "no scenario could be solved",
                t.bad(),
            ))];
            for (name, why) in &v.failed {
                lines.push(Line::from(Span::styled(format!("{name}: {why}"), t.bad())));
            }
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
            return;
        }
        // The table, then the position and the selected scenario's description
        // right under it (the table gives way on short screens: it scrolls).
        // The description gets two lines when there is room, one otherwise.
        let min_info = (1 + failed_lines + 1) as u16;
        let table_h = ((ROWS + 1) as u16).min(inner.height.saturating_sub(min_info).max(2));
        let [table_area, info] =
            Layout::vertical([Constraint::Length(table_h), Constraint::Min(0)]).areas(inner);

        let cells: Vec<Vec<String>> = v.results.iter().map(figures).collect();
        let width_of = |name: &str, col: &[String]| {
            col.iter()
                .map(|c| c.chars().count())
                .chain(std::iter::once(name.chars().count()))
                .max()
                .unwrap_or(0)
                .clamp(MIN_COL, MAX_COL)
        };
        let widths: Vec<usize> = v
            .results
            .iter()
            .zip(&cells)
            .map(|(r, col)| width_of(&r.name, col))
            .collect();
        // After an edit: the plan shown and its change, before the scenarios
        // (they stay while the scenarios scroll).
        let fixed: Vec<(String, Vec<String>, usize)> = changes(app)
            .map(|cols| {
                cols.into_iter()
                    .map(|(name, col)| {
                        let w = width_of(&name, &col);
                        (name, col, w)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let fixed_w: usize = fixed.iter().map(|(_, _, w)| w + SPACING).sum();
        let sel = a.col.min(n - 1);
        // The label column is LABEL_W - SPACING wide; each scenario takes its
        // width and the spacing before it.
        let avail = (table_area.width.saturating_sub(LABEL_W - SPACING as u16) as usize)
            .saturating_sub(fixed_w);
        let (first, last) = window(&widths, sel, avail);

        let mut header = vec![Cell::from(Span::styled("scenario", t.header()))];
        for (name, _, w) in &fixed {
            header.push(Cell::from(
                Line::from(Span::styled(format!("{name:>w$}"), t.header())).right_aligned(),
            ));
        }
        for (k, (r, w)) in v
            .results
            .iter()
            .zip(&widths)
            .enumerate()
            .take(last + 1)
            .skip(first)
        {
            let name = format!("{:>w$}", cut(&r.name, *w), w = *w);
            let style = if k == sel { t.selected() } else { t.header() };
            header.push(Cell::from(
                Line::from(Span::styled(name, style)).right_aligned(),
            ));
        }
        let changed = t.warn().add_modifier(ratatui::style::Modifier::BOLD);
        let rows: Vec<Row> = LABELS
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let mut row = vec![Cell::from(Span::styled(*label, t.dim()))];
                for (k, (_, col, w)) in fixed.iter().enumerate() {
                    // The change column: a change stands out (bold: without colour too).
                    let style = if k == 1 && !col[i].is_empty() && col[i] != "0" {
                        changed
                    } else {
                        t.base()
                    };
                    row.push(Cell::from(
                        Line::from(Span::styled(cut(&col[i], *w), style)).right_aligned(),
                    ));
                }
                for k in first..=last {
                    let text = cut(&cells[k][i], widths[k]);
                    // The comparison before the edit: dimmed, as the Plan is.
                    let style = if stale {
                        t.dim()
                    } else if k == sel {
                        t.total()
                    } else {
                        t.base()
                    };
                    row.push(Cell::from(
                        Line::from(Span::styled(text, style)).right_aligned(),
                    ));
                }
                Row::new(row)
            })
            .collect();
        let mut constraints = vec![Constraint::Length(LABEL_W - SPACING as u16)];
        constraints.extend(fixed.iter().map(|(_, _, w)| Constraint::Length(*w as u16)));
        constraints.extend((first..=last).map(|k| Constraint::Length(widths[k] as u16)));
        let table = Table::new(rows, constraints)
            .header(Row::new(header))
            .column_spacing(SPACING as u16)
            .row_highlight_style(t.selected());
        // The figures scroll on short screens: where the selection is, with
        // ▲ ▼ for figures hidden above or below.
        let selected = a.row.min(ROWS - 1);
        let visible = (table_h as usize).saturating_sub(1).max(1);
        let start = (selected + 1).saturating_sub(visible);
        let end = (start + visible).min(ROWS);
        let mut state = TableState::default()
            .with_offset(start)
            .with_selected(Some(selected));
        frame.render_stateful_widget(table, table_area, &mut state);
        frame.render_widget(
            Line::from(Span::styled(
                super::position(selected, ROWS, start, end),
                t.title(),
            ))
            .right_aligned(),
            Rect {
                y: area.bottom().saturating_sub(1),
                x: area.x + 1,
                width: area.width.saturating_sub(2),
                height: 1.min(area.height),
            },
        );

        let mut lines = Vec::new();
        let mut pos = Vec::new();
        if first > 0 {
            pos.push(Span::styled(format!("◀ {first} more  "), t.key()));
        }
        pos.push(Span::styled(
            format!("scenarios {}-{} of {n}", first + 1, last + 1),
            t.dim(),
        ));
        if last + 1 < n {
            pos.push(Span::styled(format!("  {} more ▶", n - 1 - last), t.key()));
        }
        lines.push(Line::from(pos));
        if let Some((name, why)) = v.failed.first() {
            let more = if v.failed.len() > 1 {
                format!(" (and {} more)", v.failed.len() - 1)
            } else {
                String::new()
            };
            lines.push(Line::from(Span::styled(
                format!("not solved: {name}: {why}{more}"),
                t.bad(),
            )));
        }
        // The selected scenario's description under them, paged by PgUp/PgDn
        // when longer than its room, with where it is (`lines 1-2 of 4 ▼`).
        let r = &v.results[sel];
        let desc_text = format!("{}: {}", r.name, r.description);
        let desc_lines = super::wrapped_rows(&desc_text, info.width) as usize;
        let head: u16 = lines
            .iter()
            .map(|l| {
                let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
                super::wrapped_rows(&text, info.width)
            })
            .sum();
        let room = info.height.saturating_sub(head) as usize;
        self.desc_room.set((desc_lines, room));
        let at = self.desc_line.min(desc_lines.saturating_sub(room));
        if desc_lines > room && room > 0 {
            // On the bottom border, left, as the figures' position is right.
            let end = (at + room).min(desc_lines);
            let more = super::common::range_position("description line", at, end, desc_lines);
            let key = if end < desc_lines { "PgDn" } else { "PgUp" };
            frame.render_widget(
                Line::from(Span::styled(format!(" {more} {key} "), t.title())),
                Rect {
                    y: area.bottom().saturating_sub(1),
                    x: area.x + 1,
                    width: area.width.saturating_sub(20),
                    height: 1.min(area.height),
                },
            );
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), info);
        let desc = Line::from(vec![
            Span::styled(format!("{}: ", r.name), t.key()),
            Span::raw(r.description.clone()),
        ]);
        let desc_area = Rect {
            y: info.y + head,
            height: room as u16,
            ..info
        };
        frame.render_widget(
            Paragraph::new(desc)
                .wrap(Wrap { trim: true })
                .scroll((at as u16, 0)),
            desc_area,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kpi_label_is_one_of_report_kpi_rows() {
        let park = parkplan::park::Park::paper_case();
        let opts = parkplan::compile(&park);
        let sol = parkplan::solve::solve_exact(&opts, parkplan::model::Objective::Economic);
        let l = parkplan::analysis::ledger::ledger(&park, &opts, &sol.plan);
        let labels: Vec<&str> = kpi_rows(&l).into_iter().map(|(k, _)| k).collect();
        for k in KPI_LABELS {
            assert!(labels.contains(&k), "{k:?} not in {labels:?}");
        }
        assert!(LABELS.iter().all(|l| l.len() <= LABEL_W as usize - SPACING));
    }

    #[test]
    fn the_window_keeps_the_selection_visible() {
        let w = [10, 10, 10, 10, 10];
        assert_eq!(window(&w, 0, 36), (0, 2));
        assert_eq!(window(&w, 2, 36), (0, 2));
        assert_eq!(window(&w, 3, 36), (1, 3));
        assert_eq!(window(&w, 4, 36), (2, 4));
        // Too narrow for one column: the selected one alone.
        assert_eq!(window(&w, 1, 5), (1, 1));
    }
}
