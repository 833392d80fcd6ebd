//! The MAC view: the marginal abatement cost curve of the park's options,
//! with the carbon price and where the budget runs out.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use parkplan::report::{group_thousands, short};

use super::common::{LEVEL_LOOK, Look, MARK_LOOK, fit_title, legend, value_label};
use super::{Analyzed, View, fit, frame_block, pending, wrapped_rows};
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
    /// Options that add nothing once the bars before them have used the
    /// park's resource rows (not bars; named by `parkplan mac`).
    pub unused: usize,
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
            let curve = mac::walk(&opts, e.ets_price_cny_per_t);
            let unused = curve.unused.len();
            let entries: Vec<mac::MacEntry> = curve
                .entries
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
                unused,
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

/// The y range of the bars: Tukey's fences (1.5 times the interquartile
/// range beyond the quartiles) so that one outlier (direct air capture at
/// 17,000 CNY/t) does not squash every other bar to a line; always holding 0
/// and the carbon price. Bars beyond are drawn to the edge and labelled.
pub fn robust_range(costs: &[f64], potentials: &[f64], ets: f64) -> [f64; 2] {
    let mut v: Vec<f64> = costs.iter().copied().filter(|c| c.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let (mut lo, mut hi) = (0.0f64, ets.max(0.0));
    if let (Some(&min), Some(&max)) = (v.first(), v.last()) {
        let q = |p: f64| {
            let at = p * (v.len() - 1) as f64;
            let (i, f) = (at.floor() as usize, at.fract());
            v[i] + (v[(i + 1).min(v.len() - 1)] - v[i]) * f
        };
        let iqr = (q(0.75) - q(0.25)).max((max - min) * 0.05);
        let (flo, fhi) = (q(0.25) - 1.5 * iqr, q(0.75) + 1.5 * iqr);
        for &c in &v {
            if c >= flo && c <= fhi {
                lo = lo.min(c);
                hi = hi.max(c);
            }
        }
    }
    // The bars are as wide as their potential: the axis serves most of the
    // width, so a lower end held by bars of less than a tenth of the width (the
    // net park's waste-heat options at -1,136 CNY/t, 5 % of it, while BECCS
    // at -14 takes 73 %) is cut there, those bars clipped and labelled.
    let total: f64 = potentials.iter().filter(|p| p.is_finite()).sum();
    if total > 0.0 && costs.len() == potentials.len() {
        let mut by: Vec<(f64, f64)> = costs
            .iter()
            .zip(potentials)
            .filter(|(c, p)| c.is_finite() && p.is_finite())
            .map(|(c, p)| (*c, *p))
            .collect();
        by.sort_by(|a, b| a.0.total_cmp(&b.0));
        let quantile = |share: f64| {
            let mut cum = 0.0;
            for (c, p) in &by {
                cum += p;
                if cum >= share * total {
                    return *c;
                }
            }
            by.last().map_or(0.0, |b| b.0)
        };
        // Only when it gains much (the ends more than twice as deep): the
        // paper case's deepest bars are a tenth of its width and stay whole.
        let q = quantile(0.10).min(0.0);
        if lo < 2.0 * q {
            lo = q;
        }
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    [lo, hi]
}

/// Which bar each of `w` columns shows: the bar under the column's middle
/// (bars narrower than a column may show in none).
pub fn bar_columns(potentials: &[f64], w: usize) -> Vec<Option<usize>> {
    let total: f64 = potentials.iter().sum();
    let mut out = vec![None; w];
    if total <= 0.0 || w == 0 {
        return out;
    }
    let mut k = 0;
    let mut end = potentials.first().copied().unwrap_or(0.0);
    for (c, slot) in out.iter_mut().enumerate() {
        let mid = (c as f64 + 0.5) / w as f64 * total;
        while mid >= end && k + 1 < potentials.len() {
            k += 1;
            end += potentials[k];
        }
        *slot = Some(k);
    }
    out
}

impl Mac {
    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let t = &app.theme;
        let e = &app.scenario.park.economics;
        let block = frame_block(
            app,
            fit_title(
                &[
                    "Abatement cost curve".into(),
                    format!("ETS {} CNY/t", value_label(e.ets_price_cny_per_t)),
                    format!(
                        "budget {} CNY",
                        fit(short(e.capex_cap_cny), e.capex_cap_cny, 9)
                    ),
                    "cost before carbon revenue".into(),
                ],
                area.width,
            ),
        );
        let inner = block.inner(area);
        frame.render_widget(block.clone(), area);
        if let Some(line) = pending(app, &self.curve) {
            frame.render_widget(
                Paragraph::new(line)
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true }),
                inner,
            );
            return;
        }
        let Analysis::Ready(v) = &self.curve else {
            return;
        };
        if v.entries.is_empty() {
            frame.render_widget(
                Paragraph::new("no option reduces CO2 in this park").alignment(Alignment::Center),
                inner,
            );
            return;
        }
        // The chart gets 55 % and at least 11 rows (6 of plot at 80x24) while
        // the table keeps 5 (its header and 4 options).
        let chart_h = (inner.height * 55 / 100)
            .max(11.min(inner.height.saturating_sub(5)))
            .min(inner.height);
        let [chart_area, list] =
            Layout::vertical([Constraint::Length(chart_h), Constraint::Fill(1)]).areas(inner);
        self.draw_bars(app, frame, chart_area, v);
        // A column of the resource row that cut each bar, when one did (a
        // park with `[energy]` or `[land]`); its first word, "+" for more.
        let limits = v.entries.iter().any(|m| !m.limited_by.is_empty());
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
                let num = |s: String, x: f64, w: usize| {
                    Cell::from(Line::from(fit(s, x, w)).right_aligned())
                };
                let mut cells = vec![
                    Cell::from(m.region.to_string()),
                    Cell::from(m.strategy.name()),
                    Cell::from(format!("{} {}", m.technology, m.technology_name)),
                    num(group_thousands(m.cost_per_t, 0), m.cost_per_t, 9),
                    num(group_thousands(m.potential_t, 0), m.potential_t, 9),
                    num(short(m.capex), m.capex, 9),
                ];
                if limits {
                    cells.push(Cell::from(limit_word(&m.limited_by)));
                }
                Row::new(cells).style(style)
            })
            .collect();
        let mut widths = vec![
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Min(12),
            Constraint::Length(9),
            Constraint::Length(9),
            Constraint::Length(9),
        ];
        let mut heads = vec!["Region", "Strat", "Technology", "CNY/t", "t/yr", "Capex"];
        if limits {
            widths.push(Constraint::Length(8));
            heads.push("Limit");
        }
        let table = Table::new(rows, widths)
            .header(Row::new(
                heads
                    .into_iter()
                    .map(|h| Cell::from(Span::styled(h, t.header()))),
            ))
            .row_highlight_style(t.selected());
        let mut state = TableState::default().with_selected(Some(self.row));
        frame.render_stateful_widget(table, list, &mut state);
        let first = state.offset();
        let last = (first + list.height.saturating_sub(1) as usize).min(v.entries.len());
        let selected = self.row.min(v.entries.len() - 1);
        frame.render_widget(
            block.title_bottom(
                Line::from(super::position(selected, v.entries.len(), first, last)).right_aligned(),
            ),
            area,
        );
    }

    /// The curve as planners know it: one bar per option, cheapest first,
    /// as wide as its abatement potential (t/yr) and as high as its cost per
    /// tonne (CNY/t, negative below the zero line); the carbon price as a
    /// level line, where the budget runs out as a dashed column. Each bar's
    /// fill differs from its neighbours' (█ ▓), the selected one is ░: read
    /// without colour.
    fn draw_bars(&self, app: &App, frame: &mut Frame, area: Rect, v: &MacView) {
        let t = &app.theme;
        if area.height < 5 || area.width < 20 {
            // Too small for a chart: the table below lists every option.
            return;
        }
        let ets = app.scenario.park.economics.ets_price_cny_per_t;
        let costs: Vec<f64> = v.entries.iter().map(|m| m.cost_per_t).collect();
        let pots: Vec<f64> = v.entries.iter().map(|m| m.potential_t).collect();
        let total: f64 = pots.iter().sum();
        let [lo, hi] = robust_range(&costs, &pots, ets);
        let selected = self.row.min(v.entries.len() - 1);
        let fill = [BAR_A, BAR_B];
        let styles = [t.best_series(), t.mean_series()];
        // Legend and what was clipped, above the bars, wrapped.
        let mut items = vec![
            (
                Look {
                    marker: Marker::Block,
                    glyph: "█▓",
                },
                t.best_series(),
                "width t/yr × height CNY/t".to_string(),
            ),
            (LEVEL_LOOK, t.bound_series(), "carbon price".to_string()),
        ];
        if v.budget_at.is_some() {
            items.push((MARK_LOOK, t.bound_series(), "budget ends".to_string()));
        }
        items.push((
            Look {
                marker: Marker::Block,
                glyph: BAR_SELECTED,
            },
            t.selected(),
            "selected".to_string(),
        ));
        let above: Vec<f64> = costs.iter().copied().filter(|c| *c > hi).collect();
        let below: Vec<f64> = costs.iter().copied().filter(|c| *c < lo).collect();
        // Two or three clipped bars: each one's value; more: the extreme.
        let each = |v: &[f64]| {
            if (2..=3).contains(&v.len()) {
                let mut v = v.to_vec();
                v.sort_by(f64::total_cmp);
                let all: Vec<String> = v.iter().map(|c| group_thousands(*c, 0)).collect();
                format!(" ({})", all.join(", "))
            } else {
                String::new()
            }
        };
        let mut notes = Vec::new();
        if !above.is_empty() {
            let max = above.iter().copied().fold(f64::MIN, f64::max);
            notes.push(format!(
                "▲ axis cut at {}: {} {} higher, up to {} CNY/t{}",
                value_label(hi),
                above.len(),
                if above.len() == 1 {
                    "bar goes"
                } else {
                    "bars go"
                },
                group_thousands(max, 0),
                each(&above)
            ));
        }
        if !below.is_empty() {
            let min = below.iter().copied().fold(f64::MAX, f64::min);
            notes.push(format!(
                "▼ axis cut at {}: {} {} lower, down to {} CNY/t{}",
                value_label(lo),
                below.len(),
                if below.len() == 1 {
                    "bar goes"
                } else {
                    "bars go"
                },
                group_thousands(min, 0),
                each(&below)
            ));
        }
        // The label column is as wide as the widest label it may show, so the
        // plot's width (and which bars are too narrow for a column) is known
        // before the layout.
        let lw = [hi, lo, ets, 0.0]
            .iter()
            .map(|x| value_label(*x).chars().count())
            .max()
            .unwrap_or(1) as u16;
        if area.width <= lw + 5 {
            return;
        }
        let x0 = area.x + lw + 1;
        let w = (area.x + area.width - x0) as usize;
        let mut cols = bar_columns(&pots, w);
        // A clipped bar (off the axis, named in the notes) keeps a column even
        // when narrower than one (direct air capture: 720 of 578,640 t/yr),
        // the one under its middle, taken from a neighbour wider than a column.
        let mut cum = 0.0;
        for (k, p) in pots.iter().enumerate() {
            let mid = cum + p / 2.0;
            cum += p;
            if (costs[k] <= hi && costs[k] >= lo) || cols.contains(&Some(k)) || total <= 0.0 {
                continue;
            }
            let c = ((mid / total * w as f64).floor() as usize).min(w.saturating_sub(1));
            if let Some(other) = cols.get(c).copied().flatten()
                && cols.iter().filter(|x| **x == Some(other)).count() > 1
            {
                cols[c] = Some(k);
            }
        }
        let hidden = (0..pots.len())
            .filter(|k| !cols.contains(&Some(*k)))
            .count();
        if v.unused > 0 {
            notes.push(format!(
                "{} {} nothing once the rows are used (listed by parkplan mac)",
                v.unused,
                if v.unused == 1 {
                    "option adds"
                } else {
                    "options add"
                }
            ));
        }
        if hidden > 0 {
            notes.push(format!(
                "{hidden} {} narrower than a column: not drawn (listed below)",
                if hidden == 1 { "option" } else { "options" }
            ));
        }
        let legend_line = legend(&items);
        let legend_text: String = legend_line
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        let mut head: Vec<Line> = vec![legend_line];
        let mut head_h = wrapped_rows(legend_text.trim(), area.width);
        for n in &notes {
            head_h += wrapped_rows(n, area.width);
            head.push(Line::from(Span::styled(n.clone(), t.warn())));
        }
        let head_h = head_h.min(area.height.saturating_sub(4));
        let [head_area, plot, xlabels] = Layout::vertical([
            Constraint::Length(head_h),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), head_area);
        if plot.height < 2 || xlabels.height == 0 {
            return;
        }
        // Rows above and below the zero line, in proportion to the range.
        let avail = plot.height.saturating_sub(1) as f64;
        let mut p_rows = (avail * hi / (hi - lo)).round();
        if hi > 0.0 && avail >= 2.0 {
            // Two rows above zero when the carbon price is below the top, so
            // its line has a row of its own under the top label.
            let min_up = if ets > 0.0 && ets < hi && avail >= 4.0 {
                2.0
            } else {
                1.0
            };
            p_rows = p_rows.clamp(min_up, avail - if lo < 0.0 { 1.0 } else { 0.0 });
        }
        let p_rows = p_rows as u16;
        let n_rows = plot.height.saturating_sub(1 + p_rows);
        let zero_y = plot.y + p_rows;
        // The price line always has a row when the price is within the axis
        // (at least one above zero, below the top when the price is).
        let ets_rows = if hi > 0.0 && ets > 0.0 && ets <= hi && p_rows > 0 {
            let r = (ets / hi * p_rows as f64).round() as u16;
            let top = if ets < hi && p_rows > 1 {
                p_rows - 1
            } else {
                p_rows
            };
            r.clamp(1, top)
        } else {
            0
        };
        let label = |x: f64| value_label(x);
        let mut ylabels: Vec<(u16, String)> = vec![(zero_y, "0".into())];
        if p_rows > 0 {
            ylabels.push((plot.y, label(hi)));
        }
        if n_rows > 0 {
            ylabels.push((zero_y + n_rows, label(lo)));
        }
        if ets_rows >= 1 && ets_rows <= p_rows && ets > 0.0 {
            let y = zero_y - ets_rows;
            ylabels.retain(|(yy, _)| *yy != y);
            ylabels.push((y, label(ets)));
        }
        let buf = frame.buffer_mut();
        for (y, s) in &ylabels {
            buf.set_string(plot.x + lw - s.chars().count() as u16, *y, s, t.dim());
        }
        for y in plot.y..plot.y + plot.height {
            buf.set_string(
                plot.x + lw,
                y,
                if y == zero_y { "┼" } else { "│" },
                t.border(),
            );
        }
        // Fill by the order on screen, so that neighbours always differ.
        let mut drawn = 0usize;
        let mut last = None;
        let mut order = vec![0usize; v.entries.len()];
        for k in cols.iter().flatten() {
            if last != Some(*k) {
                order[*k] = drawn;
                drawn += 1;
                last = Some(*k);
            }
        }
        for (c, k) in cols.iter().enumerate() {
            let x = x0 + c as u16;
            let Some(k) = *k else { continue };
            let cost = costs[k];
            let (ch, style) = if k == selected {
                (BAR_SELECTED, t.selected())
            } else {
                (fill[order[k] % 2], styles[order[k] % 2])
            };
            if cost >= 0.0 {
                let r = if cost > hi {
                    p_rows
                } else {
                    // A bar not zero has one cell at least: seen, not `▁`.
                    ((cost / hi * p_rows as f64).round() as u16)
                        .max(u16::from(cost > 0.0))
                        .min(p_rows)
                };
                for y in zero_y - r..zero_y {
                    buf.set_string(x, y, ch, style);
                }
                if r == 0 && p_rows > 0 {
                    buf.set_string(x, zero_y - 1, "▁", style);
                }
                if cost > hi && p_rows > 0 {
                    buf.set_string(x, plot.y, "▲", t.warn());
                }
            } else {
                let r = if cost < lo {
                    n_rows
                } else {
                    ((cost / lo * n_rows as f64).round() as u16)
                        .max(u16::from(cost < 0.0))
                        .min(n_rows)
                };
                for y in zero_y + 1..zero_y + 1 + r {
                    buf.set_string(x, y, ch, style);
                }
                if r == 0 && n_rows > 0 {
                    buf.set_string(x, zero_y + 1, "▔", style);
                }
                if cost < lo && n_rows > 0 {
                    buf.set_string(x, zero_y + n_rows, "▼", t.warn());
                }
            }
            buf.set_string(x, zero_y, "─", t.border());
        }
        // A clipped bar wide enough carries its true value at the cut.
        for (k, &cost) in costs.iter().enumerate() {
            let (y, clipped) = if cost > hi && p_rows > 1 {
                (plot.y + 1, true)
            } else if cost < lo && n_rows > 1 {
                (zero_y + n_rows - 1, true)
            } else {
                (0, false)
            };
            if !clipped {
                continue;
            }
            let span: Vec<usize> = (0..w).filter(|c| cols[*c] == Some(k)).collect();
            let text = fit(group_thousands(cost, 0), cost, span.len());
            if let Some(&c0) = span.first()
                && text.chars().count() <= span.len()
            {
                buf.set_string(x0 + c0 as u16, y, &text, t.warn());
            }
        }
        // The carbon price and the budget, on empty cells only.
        let empty = |buf: &ratatui::buffer::Buffer, x: u16, y: u16| buf[(x, y)].symbol() == " ";
        if ets_rows >= 1 && ets_rows <= p_rows {
            let y = zero_y - ets_rows;
            for c in 0..w as u16 {
                if empty(buf, x0 + c, y) {
                    buf.set_string(x0 + c, y, LEVEL_LOOK.glyph, t.bound_series());
                }
            }
        }
        if let Some(b) = v.budget_at
            && total > 0.0
        {
            let c = ((b / total * w as f64).floor() as u16).min(w as u16 - 1);
            for y in plot.y..plot.y + plot.height {
                if y != zero_y && empty(buf, x0 + c, y) {
                    buf.set_string(x0 + c, y, MARK_LOOK.glyph, t.bound_series());
                }
            }
        }
        // The x axis: 0, its name, the total.
        let total_s = format!("{} t/yr", fit(group_thousands(total, 0), total, 9));
        let name = "cumulative abatement";
        let right = xlabels.x + xlabels.width - total_s.chars().count() as u16;
        buf.set_string(x0, xlabels.y, "0", t.dim());
        let mid = x0 + ((w as u16).saturating_sub(name.len() as u16)) / 2;
        if mid > x0 + 2 && mid + name.len() as u16 + 1 < right {
            buf.set_string(mid, xlabels.y, name, t.dim());
        }
        if right > x0 + 1 {
            buf.set_string(right, xlabels.y, &total_s, t.dim());
        }
    }
}

/// The first word of the first row that cut a bar ("cooling", "biomass",
/// "land", "export"), with "+" when more than one did: at most 8 characters.
pub fn limit_word(limited_by: &[String]) -> String {
    let Some(first) = limited_by.first() else {
        return String::new();
    };
    let word: String = first
        .split(' ')
        .next()
        .unwrap_or_default()
        .chars()
        .take(7)
        .collect();
    if limited_by.len() > 1 {
        format!("{word}+")
    } else {
        word
    }
}

/// The two fills of neighbouring bars and the selected bar's.
pub const BAR_A: &str = "█";
pub const BAR_B: &str = "▓";
pub const BAR_SELECTED: &str = "░";
