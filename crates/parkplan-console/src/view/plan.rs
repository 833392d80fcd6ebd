//! The region table: every region-strategy slot of the current plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Row, Table, TableState};

use parkplan::park::Land;
use parkplan::report::{group_thousands, short};

use super::{View, compact, fit};
use crate::action::Action;
use crate::app::EditTarget;
use crate::app::{App, Note};
use crate::update::{Effect, open_edit};

/// The Plan view's own state.
#[derive(Debug, Clone, Default)]
pub struct PlanTable {
    /// Selected row (an index into `app.slots()`; one past them: the totals).
    pub row: usize,
}

impl View for PlanTable {
    fn key(&self) -> &'static str {
        "plan"
    }
    fn title(&self) -> &'static str {
        "Plan"
    }
    fn describe(&self) -> &'static str {
        "plan"
    }
    fn frame_title(&self, app: &App) -> String {
        title(app)
    }
    fn main_screen(&self) -> bool {
        true
    }
    fn cursor(&mut self, app: &App) -> Option<(&mut usize, usize)> {
        Some((&mut self.row, app.slots().len() + 1))
    }
    fn handle(&mut self, app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        if *action != Action::Activate {
            return None;
        }
        match app.slots().get(self.row) {
            Some(&s) => {
                let max = app.scenario.park.regions[s.region].slots[s.slot].max;
                open_edit(app, EditTarget::Cap(s), max);
            }
            None => app.note = Some(Note::Info("select a region row to edit its cap".into())),
        }
        Some(Vec::new())
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, block: Block<'static>) {
        render(self.row, app, frame, area, block);
    }
}

pub fn title(app: &App) -> String {
    let n = app.scenario.park.regions.len();
    format!(" Plan · {} · {n} regions ", app.scenario.objective.name())
}

fn land(l: Land) -> &'static str {
    match l {
        Land::EmptyLot => "lot",
        Land::Factory => "fact",
        Land::Rooftop => "roof",
    }
}

fn render(row: usize, app: &App, frame: &mut Frame, area: Rect, block: Block) {
    let t = &app.theme;
    let park = &app.scenario.park;
    let slots = app.slots();
    let wide = area.width >= 90;
    // Only the rows on screen are formatted: large parks stay fast.
    let visible = (area.height as usize).saturating_sub(4).max(1);
    let selected = row.min(slots.len());
    let start = if selected < visible {
        0
    } else {
        selected + 1 - visible
    };
    let end = (start + visible).min(slots.len());
    // Column widths: region, land, strategy, technology (at least), capacity/cap,
    // capex, benefit, CO2. The capacity column takes the room the technology
    // can spare; a number that still does not fit is shown rounded (k, M, ...),
    // never with digits cut.
    let w: [u16; 8] = if wide {
        [16, 4, 5, 18, 20, 9, 11, 9]
    } else {
        [6, 4, 5, 8, 17, 8, 10, 8]
    };
    let inner = area.width.saturating_sub(2);
    let spare = inner.saturating_sub(w.iter().sum::<u16>() + 7);
    let cap_text = |s: &crate::app::SlotRef, built: f64, width: usize| {
        let slot = &park.regions[s.region].slots[s.slot];
        let unit = slot.strategy.unit();
        let exact = format!(
            "{}/{} {unit}",
            group_thousands(built, 0),
            group_thousands(slot.max, 0)
        );
        if exact.chars().count() <= width {
            exact
        } else {
            format!("{}/{} {unit}", compact(built), compact(slot.max))
        }
    };
    let needed = slots[start.min(end)..end]
        .iter()
        .map(|s| {
            let built = app.built(*s).map_or(0.0, |b| b.1);
            cap_text(s, built, usize::MAX).chars().count() as u16
        })
        .max()
        .unwrap_or(0);
    let cap_w = needed.clamp(w[4], w[4] + spare);
    let mut rows: Vec<Row> = Vec::with_capacity(end - start + 1);
    for s in &slots[start.min(end)..end] {
        let region = &park.regions[s.region];
        let slot = &region.slots[s.slot];
        let built = app.built(*s);
        let name = if wide {
            ellipsis(&format!("{} {}", region.id, region.name), 16)
        } else {
            ellipsis(&region.id.to_string(), 6)
        };
        let result = built.and_then(|(item, _)| {
            app.run
                .evaluation
                .as_ref()
                .and_then(|e| e.items.iter().find(|r| r.item == item))
        });
        let cells: Vec<Cell> = match result {
            Some(r) => {
                let tech = if wide {
                    format!("{} {}", r.tech, r.tech_name)
                } else {
                    format!("{} {}", r.tech, abbreviate(&r.tech_name))
                };
                vec![
                    Cell::from(name),
                    Cell::from(land(region.land)),
                    Cell::from(slot.strategy.name()),
                    Cell::from(tech),
                    Cell::from(Line::from(cap_text(s, r.capacity, cap_w as usize)).right_aligned()),
                    Cell::from(
                        Line::from(fit(short(r.capex), r.capex, w[5] as usize)).right_aligned(),
                    ),
                    Cell::from(
                        Line::from(fit(
                            short(r.annual_benefit),
                            r.annual_benefit,
                            w[6] as usize,
                        ))
                        .right_aligned(),
                    ),
                    Cell::from(
                        Line::from(fit(
                            group_thousands(r.annual_co2_reduction, 0),
                            r.annual_co2_reduction,
                            w[7] as usize,
                        ))
                        .right_aligned(),
                    ),
                ]
            }
            _ => vec![
                Cell::from(name),
                Cell::from(land(region.land)),
                Cell::from(slot.strategy.name()),
                Cell::from("-"),
                Cell::from(Line::from(cap_text(s, 0.0, cap_w as usize)).right_aligned()),
                Cell::from(Line::from("0").right_aligned()),
                Cell::from(Line::from("0").right_aligned()),
                Cell::from(Line::from("0").right_aligned()),
            ],
        };
        let style = if result.is_some() { t.base() } else { t.dim() };
        rows.push(Row::new(cells).style(style));
    }
    let totals = app.run.evaluation.as_ref().map(|e| e.totals);
    let (capex, benefit, co2) = totals.map_or(("-".into(), "-".into(), "-".into()), |t| {
        (
            fit(short(t.capex), t.capex, w[5] as usize),
            fit(short(t.annual_benefit), t.annual_benefit, w[6] as usize),
            fit(
                group_thousands(t.annual_co2_reduction, 0),
                t.annual_co2_reduction,
                w[7] as usize,
            ),
        )
    });
    rows.push(
        Row::new(vec![
            Cell::from("Total"),
            Cell::from(""),
            Cell::from(""),
            Cell::from(""),
            Cell::from(""),
            Cell::from(Line::from(capex).right_aligned()),
            Cell::from(Line::from(benefit).right_aligned()),
            Cell::from(Line::from(co2).right_aligned()),
        ])
        .style(t.total()),
    );
    let header = Row::new(
        [
            "Region",
            "Land",
            "Strat",
            "Technology",
            "Capacity/cap",
            "Capex",
            "Benefit/yr",
            "CO2 t/yr",
        ]
        .map(|h| Cell::from(Span::styled(h, t.header()))),
    );
    let widths = [
        Constraint::Length(w[0]),
        Constraint::Length(w[1]),
        Constraint::Length(w[2]),
        Constraint::Min(w[3]),
        Constraint::Length(cap_w),
        Constraint::Length(w[5]),
        Constraint::Length(w[6]),
        Constraint::Length(w[7]),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(t.selected());
    // The totals row follows the visible slots.
    let shown = if selected == slots.len() {
        end - start.min(end)
    } else {
        selected - start
    };
    let mut state = TableState::default().with_selected(Some(shown));
    frame.render_stateful_widget(table, area, &mut state);
}

/// A short form of a technology name for narrow screens.
fn abbreviate(name: &str) -> String {
    let known = [
        ("Absorption chiller", "Abs.chiller"),
        ("Organic Rankine cycle unit", "ORC"),
        ("Absorption heat pump", "Abs.HP"),
        ("Heat exchanger", "Heat exch."),
        ("Fixed solar panels", "Fixed PV"),
        ("Post-combustion capture, chemical absorption", "Post-comb."),
    ];
    known
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .unwrap_or_else(|| name.chars().take(10).collect())
}

/// Cuts text to `w` characters, marking the cut with an ellipsis.
fn ellipsis(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
