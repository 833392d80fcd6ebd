//! The Ledger view: the carbon ledger, the KPIs and the energy balance per
//! carrier of the plan on screen. The ledger itself is computed in `update`
//! when the plan changes (`Run::ledger`); this only lays it out.
//!
//! The text is laid out for 78 columns whatever the terminal's width, so the
//! number of lines (which `update` needs to move the selected line) depends on
//! the ledger alone.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use parkplan::analysis::ledger::{CarrierBalance, Ledger};
use parkplan::report::{group_thousands, item_carbon_cells, kpi_rows, subsystem_label};

use super::View;
use crate::app::{App, RunStatus};
use crate::theme::Theme;

/// Carbon label and value widths, the gap before the KPIs, the KPI label width.
const CARBON_LABEL: usize = 15;
const CARBON_VALUE: usize = 11;
const GAP: usize = 3;
const KPI_LABEL: usize = 34;
/// Energy: carrier name, total, then "uses "/"from " and the items, wrapped.
const CARRIER: usize = 12;
const TOTAL: usize = 11;
const ITEMS_AT: usize = CARRIER + TOTAL + 2 + 5;
const WIDTH: usize = 78;

/// How a piece of text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Header,
    Text,
    Total,
    Dim,
    Warn,
    Bad,
}

type DocLine = Vec<(String, Kind)>;

/// Lines of the Ledger view for this ledger (for moving its selection).
pub fn line_count(l: &Ledger) -> usize {
    doc(l).len()
}

fn doc(l: &Ledger) -> Vec<DocLine> {
    let t = |x: f64| group_thousands(x, 0);
    let mut out: Vec<DocLine> = Vec::new();
    if l.energy.is_none() {
        out.push(vec![(
            "no [energy] baseline in this park: no energy balance (docs/energy-and-nets.md)"
                .to_string(),
            Kind::Warn,
        )]);
    }

    // The carbon ledger beside the KPIs.
    let c = &l.carbon.totals;
    let mut carbon: Vec<(&str, String, Kind)> = vec![
        ("avoided", t(c.avoided), Kind::Text),
        ("utilized (CCU)", t(c.utilized), Kind::Text),
        ("removed", t(c.removed), Kind::Text),
        ("auxiliary", t(-c.auxiliary), Kind::Text),
        ("net reduction", t(c.net), Kind::Total),
    ];
    if let (Some(b), Some(a)) = (l.carbon.emissions_before, l.carbon.emissions_after) {
        carbon.push(("emitted before", t(b), Kind::Text));
        if let Some(u) = l.carbon.unusable_credit.filter(|u| *u > 0.0) {
            carbon.push(("unusable credit", t(u), Kind::Text));
        }
        carbon.push(("emitted after", t(a), Kind::Text));
    }
    let kpis: Vec<(&str, String)> = kpi_rows(l).into_iter().filter(|(_, v)| v != "-").collect();
    out.push(vec![
        (
            format!("{:<CARBON_LABEL$}{:>CARBON_VALUE$}", "Carbon", "t CO2/yr"),
            Kind::Header,
        ),
        (" ".repeat(GAP), Kind::Text),
        ("KPIs".to_string(), Kind::Header),
    ]);
    for i in 0..carbon.len().max(kpis.len()) {
        let mut line: DocLine = Vec::new();
        match carbon.get(i) {
            Some((label, value, kind)) => line.push((
                format!("{label:<CARBON_LABEL$}{value:>CARBON_VALUE$}"),
                *kind,
            )),
            None => line.push((" ".repeat(CARBON_LABEL + CARBON_VALUE), Kind::Text)),
        }
        if let Some((label, value)) = kpis.get(i) {
            line.push((" ".repeat(GAP), Kind::Text));
            line.push((format!("{label:<KPI_LABEL$} "), Kind::Dim));
            line.push((value.clone(), Kind::Text));
        }
        out.push(line);
    }

    // The energy balance, one block per carrier.
    if let Some(carriers) = &l.energy {
        out.push(Vec::new());
        out.push(vec![
            (
                format!("{:<CARRIER$}{:>TOTAL$}", "Energy", "MWh/yr"),
                Kind::Header,
            ),
            ("  per carrier, uses = supplies".to_string(), Kind::Dim),
        ]);
        for cb in carriers {
            carrier_lines(cb, &mut out);
        }
    }

    // Energy made and used per subsystem (today's park, then each strategy).
    if !l.subsystems.is_empty() {
        out.push(Vec::new());
        out.push(vec![
            (
                format!("{:<CARRIER$}{:>TOTAL$}", "Subsystem", "MWh/yr"),
                Kind::Header,
            ),
            ("  made and used".to_string(), Kind::Dim),
        ]);
        for u in &l.subsystems {
            let items: Vec<String> = [
                ("elec in", u.electricity_in),
                ("elec out", u.electricity_out),
                ("heat in", u.heat_in),
                ("heat out", u.heat_out),
                ("cooling out", u.cooling_out),
                ("steam in", u.steam_in),
                ("gas in", u.gas_in),
                ("biomass in", u.biomass_in),
                ("waste heat in", u.waste_heat_in),
            ]
            .into_iter()
            .filter(|(_, v)| *v != 0.0)
            .map(|(k, v)| format!("{k} {}", t(v)))
            .collect();
            let name: String = subsystem_label(&u.subsystem)
                .chars()
                .take(CARRIER + TOTAL)
                .collect();
            for (i, text) in wrap(&items, WIDTH - ITEMS_AT).into_iter().enumerate() {
                let head = if i == 0 {
                    format!("{name:<w$}", w = ITEMS_AT)
                } else {
                    " ".repeat(ITEMS_AT)
                };
                out.push(vec![(head, Kind::Text), (text, Kind::Text)]);
            }
        }
    }

    // Carbon per built item, kept apart by kind.
    if !l.carbon.items.is_empty() {
        out.push(Vec::new());
        out.push(vec![(
            format!(
                "{:<16}{:>11}{:>11}{:>11}{:>11}{:>11}",
                "By item t/yr", "avoided", "utilized", "removed", "auxiliary", "net"
            ),
            Kind::Header,
        )]);
        for it in &l.carbon.items {
            let [what, a, u, r, x, n] = item_carbon_cells(it);
            out.push(vec![(
                format!("{what:<16}{a:>11}{u:>11}{r:>11}{x:>11}{n:>11}"),
                Kind::Text,
            )]);
        }
    }
    out
}

fn carrier_lines(cb: &CarrierBalance, out: &mut Vec<DocLine>) {
    let t = |x: f64| group_thousands(x, 0);
    let head = vec![
        (
            format!("{:<CARRIER$}", cb.carrier.replace('_', " ")),
            Kind::Text,
        ),
        (format!("{:>TOTAL$}  ", t(cb.total_use)), Kind::Total),
    ];
    if cb.total_use == 0.0 && cb.total_supply == 0.0 {
        let mut line = head;
        line.push(("none".to_string(), Kind::Dim));
        out.push(line);
        return;
    }
    let mut first = Some(head);
    for (word, side) in [("uses ", &cb.uses), ("from ", &cb.supplies)] {
        let items: Vec<String> = side
            .iter()
            .filter(|x| x.value != 0.0)
            .map(|x| format!("{} {}", x.label, t(x.value)))
            .collect();
        let wrapped = wrap(&items, WIDTH - ITEMS_AT);
        for (k, text) in wrapped.into_iter().enumerate() {
            let mut line = first
                .take()
                .unwrap_or_else(|| vec![(" ".repeat(CARRIER + TOTAL + 2), Kind::Text)]);
            line.push((if k == 0 { word } else { "     " }.to_string(), Kind::Dim));
            line.push((text, Kind::Text));
            out.push(line);
        }
    }
    let scale = cb.total_use.abs().max(cb.total_supply.abs()).max(1.0);
    if (cb.total_use - cb.total_supply).abs() > 1e-6 * scale {
        out.push(vec![
            (" ".repeat(ITEMS_AT), Kind::Text),
            (
                format!("does not close: supplies {}", t(cb.total_supply)),
                Kind::Bad,
            ),
        ]);
    }
}

/// The items joined by " · ", wrapped at `width` between items ("-" for none).
fn wrap(items: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for it in items {
        if cur.is_empty() {
            cur = it.clone();
        } else if cur.chars().count() + 3 + it.chars().count() <= width {
            cur += " · ";
            cur += it;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = it.clone();
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(if cur.is_empty() { "-".into() } else { cur });
    }
    lines
}

fn style(t: &Theme, k: Kind) -> ratatui::style::Style {
    match k {
        Kind::Header => t.header(),
        Kind::Text => t.base(),
        Kind::Total => t.total(),
        Kind::Dim => t.dim(),
        Kind::Warn => t.warn(),
        Kind::Bad => t.bad(),
    }
}

/// The Ledger view's own state.
#[derive(Debug, Clone, Default)]
pub struct LedgerView {
    /// Selected line.
    pub row: usize,
}

impl View for LedgerView {
    fn key(&self) -> &'static str {
        "ledger"
    }
    fn title(&self) -> &'static str {
        "Ledger"
    }
    fn describe(&self) -> &'static str {
        "ledger of the plan shown"
    }
    fn cursor(&mut self, app: &App) -> Option<(&mut usize, usize)> {
        let n = app.run.ledger.as_ref().map_or(0, line_count);
        Some((&mut self.row, n))
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, _block: Block<'static>) {
        self.draw(app, frame, area);
    }
}

pub fn title(app: &App) -> String {
    let state = match app.run.status {
        RunStatus::Done { .. } => "",
        RunStatus::Failed(_) => " (run failed)",
        _ => " (best so far)",
    };
    format!(
        " Ledger · {} plan{state} · ↑↓ line ",
        app.scenario.objective.name()
    )
}

impl LedgerView {
    fn draw(&self, app: &App, frame: &mut Frame, area: Rect) {
        let t = &app.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(t.border_focused())
            .title(Span::styled(title(app), t.title()));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(l) = &app.run.ledger else {
            frame.render_widget(
                Paragraph::new(Line::from(Span::styled("no plan yet", t.dim())))
                    .alignment(Alignment::Center),
                inner,
            );
            return;
        };
        let lines = doc(l);
        let n = lines.len();
        let items: Vec<ListItem> = lines
            .into_iter()
            .map(|dl| {
                ListItem::new(Line::from(
                    dl.into_iter()
                        .map(|(s, k)| Span::styled(s, style(t, k)))
                        .collect::<Vec<_>>(),
                ))
            })
            .collect();
        let list = List::new(items).highlight_style(t.selected());
        let mut state = ListState::default().with_selected(Some(self.row.min(n.saturating_sub(1))));
        frame.render_stateful_widget(list, inner, &mut state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_78_columns() {
        let park = parkplan::park::Park::paper_case();
        let opts = parkplan::compile(&park);
        let sol = parkplan::solve::solve_exact(&opts, parkplan::model::Objective::Economic);
        let l = parkplan::analysis::ledger::ledger(&park, &opts, &sol.plan);
        for line in doc(&l) {
            let w: usize = line.iter().map(|(s, _)| s.chars().count()).sum();
            assert!(w <= WIDTH, "{line:?}");
        }
    }

    #[test]
    fn wrap_between_items() {
        let items: Vec<String> = ["aaaa 1", "bbbb 2", "cccc 3"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(wrap(&items, 15), vec!["aaaa 1 · bbbb 2", "cccc 3"]);
        assert_eq!(wrap(&[], 15), vec!["-"]);
    }
}
