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
use parkplan::report::{group_thousands, kpi_rows, subsystem_label};

use super::{View, fit};
use crate::app::{App, RunStatus};
use crate::changes::{Mark, Snapshot};
use crate::theme::Theme;

/// The label, value and change columns of the carbon ledger and the KPIs.
const LABEL: usize = 34;
const VALUE: usize = 20;
const GAP: usize = 2;
const CHANGE: usize = 20;
/// Energy: carrier name, total (and its change), then "uses "/"from " and
/// the items, wrapped.
const CARRIER: usize = 12;
const TOTAL: usize = 11;
const WIDTH: usize = 78;
/// By item: the mark, the item, then five figures.
const ITEM: usize = 14;
const FIGURE: usize = 11;

/// How a piece of text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Header,
    Text,
    Total,
    Dim,
    Warn,
    Bad,
    Changed,
}

type DocLine = Vec<(String, Kind)>;

/// What the changes compare with: the reference ledger, its name ("the last
/// edit", "pinned plan") and the plans, for the items' marks.
struct Reference<'a> {
    ledger: &'a Ledger,
    what: &'static str,
    then: &'a Snapshot,
    now: &'a Snapshot,
}

/// Lines of the Ledger view as it is now (for moving its selection).
pub fn line_count(app: &App) -> usize {
    let now = Snapshot::of(app);
    app.shown_ledger()
        .map_or(0, |l| doc(app, l, reference(app, now.as_ref())).len())
}

fn reference<'a>(app: &'a App, now: Option<&'a Snapshot>) -> Option<Reference<'a>> {
    let (then, what) = crate::changes::reference(app)?;
    Some(Reference {
        ledger: then.ledger.as_ref()?,
        what,
        then,
        now: now?,
    })
}

/// A figure in `w` characters: grouped when it fits, else rounded (k, M, ...).
fn figure(x: f64, w: usize) -> String {
    fit(group_thousands(x, 0), x, w)
}

/// A change in `w` characters, its style: changed ones stand out.
fn change(text: String) -> (String, Kind) {
    let kind = if text == "0" || text.is_empty() {
        Kind::Dim
    } else {
        Kind::Changed
    };
    (format!("{text:>CHANGE$}"), kind)
}

fn doc(app: &App, l: &Ledger, r: Option<Reference>) -> Vec<DocLine> {
    let mut out: Vec<DocLine> = Vec::new();
    if l.energy.is_none() {
        out.push(vec![(
            "no [energy] baseline in this park: no energy balance (docs/energy-and-nets.md)"
                .to_string(),
            Kind::Warn,
        )]);
    }
    let head = |title: &str, unit: &str| -> DocLine {
        let mut line = vec![(format!("{title:<LABEL$}{unit:>VALUE$}"), Kind::Header)];
        if let Some(r) = &r {
            line.push((" ".repeat(GAP), Kind::Text));
            line.push((
                format!("{:>CHANGE$}", format!("vs {}", r.what)),
                Kind::Header,
            ));
        }
        line
    };

    // The carbon ledger, each line with its change.
    let c = &l.carbon.totals;
    let cr = r.as_ref().map(|r| &r.ledger.carbon);
    let lines: Vec<(&str, f64, Option<f64>, Kind)> = {
        let mut v = vec![
            (
                "avoided",
                c.avoided,
                cr.map(|x| x.totals.avoided),
                Kind::Text,
            ),
            (
                "utilized (CCU)",
                c.utilized,
                cr.map(|x| x.totals.utilized),
                Kind::Text,
            ),
            (
                "removed",
                c.removed,
                cr.map(|x| x.totals.removed),
                Kind::Text,
            ),
            (
                "auxiliary",
                -c.auxiliary,
                cr.map(|x| -x.totals.auxiliary),
                Kind::Text,
            ),
            (
                "net reduction",
                c.net,
                cr.map(|x| x.totals.net),
                Kind::Total,
            ),
        ];
        if let (Some(b), Some(a)) = (l.carbon.emissions_before, l.carbon.emissions_after) {
            v.push((
                "emitted before",
                b,
                cr.and_then(|x| x.emissions_before),
                Kind::Text,
            ));
            if let Some(u) = l.carbon.unusable_credit.filter(|u| *u > 0.0) {
                v.push((
                    "unusable credit",
                    u,
                    cr.map(|x| x.unusable_credit.unwrap_or(0.0)),
                    Kind::Text,
                ));
            }
            v.push((
                "emitted after",
                a,
                cr.and_then(|x| x.emissions_after),
                Kind::Text,
            ));
        }
        v
    };
    out.push(head("Carbon", "t CO2/yr"));
    for (label, value, then, kind) in lines {
        let mut line = vec![(
            format!("{label:<LABEL$}{:>VALUE$}", figure(value, VALUE)),
            kind,
        )];
        if r.is_some() {
            line.push((" ".repeat(GAP), Kind::Text));
            line.push(change(then.map_or(String::new(), |b| {
                crate::changes::signed(value - b, |x| group_thousands(x, 0), CHANGE)
            })));
        }
        out.push(line);
    }

    // The KPIs, each with its change in its own unit.
    let then_kpis = r.as_ref().map(|r| kpi_rows(r.ledger));
    let kpis: Vec<(&str, String)> = kpi_rows(l).into_iter().filter(|(_, v)| v != "-").collect();
    if !kpis.is_empty() {
        out.push(Vec::new());
        out.push(head("KPIs", ""));
    }
    for (label, value) in kpis {
        let mut line = vec![
            (format!("{label:<LABEL$}"), Kind::Dim),
            (
                format!("{:>VALUE$}", crate::changes::fit_kpi(&value, VALUE)),
                Kind::Text,
            ),
        ];
        if let Some(then) = &then_kpis {
            let before = then
                .iter()
                .find(|(k, _)| *k == label)
                .map_or("-", |(_, v)| v.as_str());
            line.push((" ".repeat(GAP), Kind::Text));
            line.push(change(crate::changes::kpi_change(&value, before, CHANGE)));
        }
        out.push(line);
    }

    // The energy balance, one block per carrier.
    let items_at = CARRIER + TOTAL + r.as_ref().map_or(0, |_| TOTAL + 1) + 2 + 5;
    if let Some(carriers) = &l.energy {
        out.push(Vec::new());
        let mut line = vec![(
            format!("{:<CARRIER$}{:>TOTAL$}", "Energy", "MWh/yr"),
            Kind::Header,
        )];
        if r.is_some() {
            line.push((format!(" {:>TOTAL$}", "change"), Kind::Header));
        }
        line.push(("  per carrier, uses = supplies".to_string(), Kind::Dim));
        out.push(line);
        let then = r.as_ref().and_then(|r| r.ledger.energy.as_ref());
        for cb in carriers {
            let before = then.map(|t| {
                t.iter()
                    .find(|x| x.carrier == cb.carrier)
                    .map_or(0.0, |x| x.total_use)
            });
            carrier_lines(cb, before, items_at, &mut out);
        }
    }

    // Energy made and used per subsystem (today's park, then each strategy).
    if !l.subsystems.is_empty() {
        let items_at = CARRIER + TOTAL + 2 + 5;
        out.push(Vec::new());
        out.push(vec![
            (
                format!("{:<CARRIER$}{:>TOTAL$}", "Subsystem", "MWh/yr"),
                Kind::Header,
            ),
            (
                match &r {
                    Some(r) => format!("  made and used (change vs {})", r.what),
                    None => "  made and used".to_string(),
                },
                Kind::Dim,
            ),
        ]);
        // Against the reference plan: each flow's change after it, where it
        // changed; a subsystem new to the plan or gone from it says so.
        let then = r.as_ref().map(|r| &r.ledger.subsystems);
        let flows = |u: &parkplan::analysis::ledger::SubsystemUse| {
            [
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
        };
        let name_of = |u: &parkplan::analysis::ledger::SubsystemUse| {
            super::ellipsis(subsystem_label(&u.subsystem), CARRIER + TOTAL)
        };
        for u in &l.subsystems {
            let before = then.map(|t| t.iter().find(|x| x.subsystem == u.subsystem));
            let old = before.flatten().map(flows);
            let mut changed = false;
            let items: Vec<String> = flows(u)
                .into_iter()
                .enumerate()
                .filter(|(k, (_, v))| *v != 0.0 || old.is_some_and(|o| o[*k].1 != 0.0))
                .map(|(k, (label, v))| {
                    let room = WIDTH - items_at - label.len() - 1;
                    let d = old.map_or(String::new(), |o| {
                        crate::changes::signed(v - o[k].1, |x| group_thousands(x, 0), room)
                    });
                    if d.is_empty() || d == "0" {
                        format!("{label} {}", figure(v, room))
                    } else {
                        changed = true;
                        format!("{label} {} ({d})", figure(v, room))
                    }
                })
                .collect();
            let (name, kind) = match before {
                Some(None) => (
                    format!(
                        "{} (new)",
                        super::ellipsis(subsystem_label(&u.subsystem), items_at - 7)
                    ),
                    Kind::Changed,
                ),
                _ => (name_of(u), Kind::Text),
            };
            let kind = if changed { Kind::Changed } else { kind };
            for (i, text) in wrap(&items, WIDTH - items_at).into_iter().enumerate() {
                let head = if i == 0 {
                    format!("{name:<w$}", w = items_at)
                } else {
                    " ".repeat(items_at)
                };
                out.push(vec![(head, kind), (text, kind)]);
            }
        }
        if let Some(then) = then {
            for u in then {
                if !l.subsystems.iter().any(|x| x.subsystem == u.subsystem) {
                    out.push(vec![
                        (format!("{:<w$}", name_of(u), w = items_at), Kind::Changed),
                        ("left the plan".to_string(), Kind::Changed),
                    ]);
                }
            }
        }
    }

    // Carbon per built item, kept apart by kind; after an edit each item is
    // marked as in the Plan view, and the items that left are listed.
    if !l.carbon.items.is_empty() || r.is_some() {
        out.push(Vec::new());
        out.push(vec![(
            format!(
                "  {:<ITEM$}{:>FIGURE$}{:>FIGURE$}{:>FIGURE$}{:>FIGURE$}{:>FIGURE$}",
                "By item t/yr", "avoided", "utilized", "removed", "auxiliary", "net"
            ),
            Kind::Header,
        )]);
        let index: std::collections::HashMap<u32, usize> = app
            .scenario
            .park
            .regions
            .iter()
            .enumerate()
            .map(|(k, reg)| (reg.id, k))
            .collect();
        let mark_of = |region: u32, strategy| {
            r.as_ref().and_then(|r| {
                let k = *index.get(&region)?;
                Some(crate::changes::mark(r.then, r.now, (k, strategy)))
            })
        };
        for it in &l.carbon.items {
            let c = &it.co2;
            let what = format!("{} {} {}", it.region, it.strategy, it.technology);
            let f = |x: f64| figure(x, FIGURE - 1);
            let m = mark_of(it.region, it.strategy).unwrap_or(Mark::Same);
            let kind = if m == Mark::Same {
                Kind::Text
            } else {
                Kind::Changed
            };
            out.push(vec![
                (format!("{} ", m.symbol()), kind),
                (
                    format!(
                        "{:<ITEM$}{:>FIGURE$}{:>FIGURE$}{:>FIGURE$}{:>FIGURE$}{:>FIGURE$}",
                        super::ellipsis(&what, ITEM - 1),
                        f(c.avoided),
                        f(c.utilized),
                        f(c.removed),
                        f(-c.auxiliary),
                        f(c.net)
                    ),
                    kind,
                ),
            ]);
        }
        if let Some(r) = &r {
            for it in &r.ledger.carbon.items {
                let gone = !l
                    .carbon
                    .items
                    .iter()
                    .any(|x| x.region == it.region && x.strategy == it.strategy);
                if gone {
                    let what = format!("{} {} {}", it.region, it.strategy, it.technology);
                    out.push(vec![
                        (format!("{} ", Mark::Left.symbol()), Kind::Changed),
                        (
                            format!("{:<ITEM$}", super::ellipsis(&what, ITEM - 1)),
                            Kind::Changed,
                        ),
                        (
                            format!("left the plan (net was {} t/yr)", figure(it.co2.net, 20)),
                            Kind::Dim,
                        ),
                    ]);
                }
            }
        }
    }
    out
}

fn carrier_lines(
    cb: &CarrierBalance,
    before: Option<f64>,
    items_at: usize,
    out: &mut Vec<DocLine>,
) {
    let width = WIDTH - items_at;
    let mut head = vec![
        (
            format!("{:<CARRIER$}", cb.carrier.replace('_', " ")),
            Kind::Text,
        ),
        (
            format!("{:>TOTAL$}", figure(cb.total_use, TOTAL - 1)),
            Kind::Total,
        ),
    ];
    if let Some(b) = before {
        let text = crate::changes::signed(cb.total_use - b, |x| group_thousands(x, 0), TOTAL - 1);
        let (s, k) = change(text);
        head.push((format!(" {}", &s[CHANGE - TOTAL..]), k));
    }
    head.push(("  ".into(), Kind::Text));
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
            .map(|x| {
                format!(
                    "{} {}",
                    x.label,
                    figure(x.value, width.saturating_sub(x.label.chars().count() + 1))
                )
            })
            .collect();
        let wrapped = wrap(&items, width);
        for (k, text) in wrapped.into_iter().enumerate() {
            let mut line = first
                .take()
                .unwrap_or_else(|| vec![(" ".repeat(items_at - 5), Kind::Text)]);
            line.push((if k == 0 { word } else { "     " }.to_string(), Kind::Dim));
            line.push((text, Kind::Text));
            out.push(line);
        }
    }
    let scale = cb.total_use.abs().max(cb.total_supply.abs()).max(1.0);
    if (cb.total_use - cb.total_supply).abs() > 1e-6 * scale {
        out.push(vec![
            (" ".repeat(items_at), Kind::Text),
            (
                format!("does not close: supplies {}", figure(cb.total_supply, 20)),
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
        // Bold as well: a change reads without colour too.
        Kind::Changed => t.warn().add_modifier(ratatui::style::Modifier::BOLD),
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
        let n = line_count(app);
        Some((&mut self.row, n))
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, _block: Block<'static>) {
        self.draw(app, frame, area);
    }
}

pub fn title(app: &App) -> String {
    let state = match app.run.status {
        _ if app.recomputing() => " before the edit (recomputing…)",
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
        let Some(l) = app.shown_ledger() else {
            frame.render_widget(
                Paragraph::new(Line::from(Span::styled("no plan yet", t.dim())))
                    .alignment(Alignment::Center),
                inner,
            );
            return;
        };
        let now = Snapshot::of(app);
        let lines = doc(app, l, reference(app, now.as_ref()));
        let n = lines.len();
        let items: Vec<ListItem> = lines
            .into_iter()
            .map(|dl| {
                ListItem::new(Line::from(
                    dl.into_iter()
                        .map(|(s, k)| {
                            // The plan before an edit, dimmed as in the Plan.
                            let k = if app.recomputing() && k != Kind::Header {
                                Kind::Dim
                            } else {
                                k
                            };
                            Span::styled(s, style(t, k))
                        })
                        .collect::<Vec<_>>(),
                ))
            })
            .collect();
        let list = List::new(items).highlight_style(t.selected());
        let row = self.row.min(n.saturating_sub(1));
        // The selection is kept mid-page (the view keeps no offset of its
        // own), so that PgDn always scrolls the text visibly.
        let height = inner.height as usize;
        let start = row
            .saturating_sub(height.saturating_sub(1) / 2)
            .min(n.saturating_sub(height));
        let end = (start + height).min(n);
        let mut state = ListState::default()
            .with_offset(start)
            .with_selected(Some(row));
        frame.render_stateful_widget(list, inner, &mut state);
        // Where the selection is, with ▲ ▼ for lines hidden above or below.
        frame.render_widget(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.border_focused())
                .title(Span::styled(title(app), t.title()))
                .title_bottom(Line::from(super::position(row, n, start, end)).right_aligned()),
            area,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
