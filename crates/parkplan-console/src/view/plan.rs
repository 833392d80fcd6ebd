//! The region table: every region-strategy slot of the current plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState};

use parkplan::park::Land;
use parkplan::report::{group_thousands, short};

use super::{View, compact, ellipsis, fit};
use crate::action::Action;
use crate::app::{App, EditTarget, Note, SlotRef};
use crate::update::{Effect, open_edit};

/// The order of the Plan table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// As in the park file.
    #[default]
    Table,
    Capex,
    Benefit,
    Co2,
    /// Annualized net cost (the benefit's negative: α·capex − income) per
    /// tonne of CO2 reduced, cheapest first; items that reduce none last.
    CostPerTonne,
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Table => Sort::Capex,
            Sort::Capex => Sort::Benefit,
            Sort::Benefit => Sort::Co2,
            Sort::Co2 => Sort::CostPerTonne,
            Sort::CostPerTonne => Sort::Table,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Sort::Table => "park order",
            Sort::Capex => "capex",
            Sort::Benefit => "benefit",
            Sort::Co2 => "CO2",
            Sort::CostPerTonne => "cost per t CO2",
        }
    }
}

/// The Plan view's own state.
#[derive(Debug, Clone, Default)]
pub struct PlanTable {
    /// Selected row (an index into `rows`; one past them: the totals).
    pub row: usize,
    /// Rows whose region (id or name), strategy or technology contains this
    /// text (any case); empty: every row.
    pub filter: String,
    /// Only slots the plan builds in.
    pub built_only: bool,
    pub sort: Sort,
}

impl PlanTable {
    /// The slots shown, filtered and sorted (largest first). While `/` is
    /// open its text filters as it is typed.
    pub fn rows(&self, app: &App) -> Vec<SlotRef> {
        let typing = app
            .edit
            .as_ref()
            .filter(|e| e.target == EditTarget::View && app.focused() == "plan");
        let filter = typing
            .map_or(self.filter.as_str(), |e| e.input.value())
            .trim()
            .to_lowercase();
        let park = &app.scenario.park;
        let result = |s: &SlotRef| {
            let (item, _) = app.built(*s)?;
            app.shown_evaluation()
                .and_then(|e| e.items.iter().find(|r| r.item == item))
        };
        let mut rows: Vec<SlotRef> = app
            .slots()
            .into_iter()
            .filter(|s| !self.built_only || app.built(*s).is_some())
            .filter(|s| {
                if filter.is_empty() {
                    return true;
                }
                let region = &park.regions[s.region];
                let slot = &region.slots[s.slot];
                let tech = result(s).map_or(String::new(), |r| r.tech_name.to_lowercase());
                format!("{} {}", region.id, region.name.to_lowercase()).contains(&filter)
                    || slot.strategy.name().to_lowercase().contains(&filter)
                    || tech.contains(&filter)
            })
            .collect();
        if self.sort == Sort::CostPerTonne {
            // Cheapest first; slots that reduce no CO2 (or build nothing) last.
            let key = |s: &SlotRef| {
                result(s)
                    .filter(|r| r.annual_co2_reduction > 0.0)
                    .map(|r| -r.annual_benefit / r.annual_co2_reduction)
            };
            rows.sort_by(|a, b| match (key(a), key(b)) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        } else if self.sort != Sort::Table {
            let key = |s: &SlotRef| {
                result(s).map_or(0.0, |r| match self.sort {
                    Sort::Capex => r.capex,
                    Sort::Benefit => r.annual_benefit,
                    _ => r.annual_co2_reduction,
                })
            };
            // Stable: ties keep the park's order.
            rows.sort_by(|a, b| key(b).total_cmp(&key(a)));
        }
        rows
    }

    /// What the rows show, for the frame: filter, built only, order.
    fn scope(&self) -> String {
        let mut parts = Vec::new();
        if !self.filter.is_empty() {
            parts.push(format!("filter \"{}\"", self.filter));
        }
        if self.built_only {
            parts.push("built only".to_string());
        }
        if self.sort != Sort::Table {
            parts.push(format!("by {}", self.sort.name()));
        }
        parts.join(" · ")
    }
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
        let n = self.rows(app).len();
        Some((&mut self.row, n + 1))
    }
    fn edit_label(&self, _app: &App) -> Option<String> {
        Some("filter rows (region, strategy or technology; empty: all): ".into())
    }
    fn handle(&mut self, app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        let typing = app
            .edit
            .as_ref()
            .is_some_and(|e| e.target == EditTarget::View);
        match action {
            Action::Filter => {
                app.edit = Some(crate::app::Edit::new(EditTarget::View, self.filter.clone()));
                return Some(Vec::new());
            }
            Action::Accept if typing => {
                let text = app.edit.take().map(|e| e.input.value().trim().to_string());
                self.filter = text.unwrap_or_default();
                self.row = 0;
                let n = self.rows(app).len();
                app.note = Some(Note::Info(if self.filter.is_empty() {
                    format!("filter cleared: {} rows", group_thousands(n as f64, 0))
                } else {
                    format!(
                        "filter \"{}\": {} rows (/ then Enter on an empty field clears it)",
                        self.filter,
                        group_thousands(n as f64, 0)
                    )
                }));
                return Some(Vec::new());
            }
            Action::BuiltOnly => {
                self.built_only = !self.built_only;
                self.row = 0;
                app.note = Some(Note::Info(
                    if self.built_only {
                        "built items only (a shows every slot)"
                    } else {
                        "every slot"
                    }
                    .into(),
                ));
                return Some(Vec::new());
            }
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.row = 0;
                app.note = Some(Note::Info(match self.sort {
                    Sort::Table => "rows in the park's order".to_string(),
                    Sort::CostPerTonne => {
                        "rows by cost per t CO2 (annualized cost / CO2 reduced), \
                        cheapest first; items that reduce no CO2 last (t: next order)"
                            .to_string()
                    }
                    s => format!("rows by {}, largest first (t: next order)", s.name()),
                }));
                return Some(Vec::new());
            }
            Action::Activate => {}
            _ => return None,
        }
        match self.rows(app).get(self.row) {
            Some(&s) => {
                let max = app.scenario.park.regions[s.region].slots[s.slot].max;
                open_edit(app, EditTarget::Cap(s), max);
            }
            None => app.note = Some(Note::Info("select a region row to edit its cap".into())),
        }
        Some(Vec::new())
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, block: Block<'static>) {
        let rows = self.rows(app);
        let scope = self.scope();
        let block = if scope.is_empty() {
            block
        } else {
            block.title(Line::from(format!(" {scope} ")).right_aligned())
        };
        // Until the new run has a plan, the one before the edit stays on
        // screen, dimmed and said to be that.
        let block = if app.recomputing() {
            block.title(
                Line::from(Span::styled(
                    " recomputing… (plan before the edit) ",
                    app.theme.warn(),
                ))
                .right_aligned(),
            )
        } else {
            block
        };
        render(self.row, &rows, app, frame, area, block);
    }
}

/// What the Total row says while the plan before an edit is shown.
const BEFORE: &str = "before the edit";

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

fn render(row: usize, slots: &[SlotRef], app: &App, frame: &mut Frame, area: Rect, block: Block) {
    let t = &app.theme;
    let park = &app.scenario.park;
    let wide = area.width >= 90;
    // After an edit (or against the pinned plan): a mark per slot and a row
    // of the changes in the totals.
    let now = crate::changes::Snapshot::of(app);
    let marks = crate::changes::reference(app).zip(now.as_ref());
    let extra = usize::from(marks.is_some());
    // Only the rows on screen are formatted: large parks stay fast.
    let visible = (area.height as usize).saturating_sub(4 + extra).max(1);
    let selected = row.min(slots.len());
    let start = if selected < visible {
        0
    } else {
        selected + 1 - visible
    };
    let end = (start + visible).min(slots.len());
    // Where the selection is, and whether rows are hidden above or below.
    let block = block.title_bottom(
        Line::from(super::position(selected, slots.len(), start, end)).right_aligned(),
    );
    // Column widths. Land, strategy and the three numbers are fixed (each at
    // least as wide as its header); the capacity takes what it needs, and the
    // rest goes to the region and technology names, which are then cut to
    // their columns with `…` (a technology first gives way to its short name).
    // A number that does not fit is shown rounded (k, M, ...), never cut.
    let inner = area.width.saturating_sub(2);
    let marks_w = 2 * extra as u16;
    let numbers_wide: [u16; 3] = [9, 11, 9];
    let numbers_narrow: [u16; 3] = [8, 10, 8];
    // The strategy column holds its longest name (`BIOCHAR`) in the whole
    // table, so that the columns do not move while scrolling.
    let strat_w = slots
        .iter()
        .map(|s| park.regions[s.region].slots[s.slot].strategy.name().len() as u16)
        .max()
        .unwrap_or(0)
        .max(5);
    let fixed = |n: [u16; 3]| 4 + strat_w + n.iter().sum::<u16>() + 7 + marks_w;
    let nums = if wide && inner >= fixed(numbers_wide) + 12 + 30 {
        numbers_wide
    } else {
        numbers_narrow
    };
    let w: [u16; 8] = [0, 4, strat_w, 0, 0, nums[0], nums[1], nums[2]];
    let avail = inner.saturating_sub(fixed(nums));
    let cap_text = |s: &SlotRef, built: f64, width: usize| {
        let slot = &park.regions[s.region].slots[s.slot];
        let unit = slot.strategy.unit();
        // An edited cap carries the `*` of an edited parameter.
        let edited = app
            .original
            .park
            .regions
            .get(s.region)
            .and_then(|r| r.slots.get(s.slot))
            .is_some_and(|o| o.max.to_bits() != slot.max.to_bits());
        let star = if edited { "*" } else { "" };
        let exact = format!(
            "{}/{}{star} {unit}",
            group_thousands(built, 0),
            group_thousands(slot.max, 0)
        );
        if exact.chars().count() <= width {
            exact
        } else {
            format!("{}/{}{star} {unit}", compact(built), compact(slot.max))
        }
    };
    let shown = &slots[start.min(end)..end];
    let result_of = |s: &SlotRef| {
        let (item, _) = app.built(*s)?;
        app.shown_evaluation()?
            .items
            .iter()
            .find(|r| r.item == item)
    };
    let width_of = |t: &str| t.chars().count() as u16;
    // The names at their widest and at their narrowest (the id alone, the
    // technology's short name).
    let region_need = shown
        .iter()
        .map(|s| {
            let r = &park.regions[s.region];
            width_of(&format!("{} {}", r.id, r.name))
        })
        .max()
        .unwrap_or(0)
        .max(width_of("Region"));
    let region_min = shown
        .iter()
        .map(|s| width_of(&park.regions[s.region].id.to_string()))
        .max()
        .unwrap_or(0)
        .max(width_of("Region"));
    let tech_full =
        |s: &SlotRef| result_of(s).map_or(1, |r| width_of(&format!("{} {}", r.tech, r.tech_name)));
    let tech_short = |s: &SlotRef| {
        result_of(s).map_or(1, |r| {
            let name = parkplan::park::techs::short_name(&r.tech_name).unwrap_or(&r.tech_name);
            width_of(&format!("{} {}", r.tech, name))
        })
    };
    let tech_need = shown.iter().map(tech_full).max().unwrap_or(0).max(4);
    // A name without a short form is cut to ten letters at most here.
    let tech_short_need = shown
        .iter()
        .map(tech_short)
        .max()
        .unwrap_or(0)
        .clamp(width_of("Tech"), 13);
    let needed = shown
        .iter()
        .map(|s| {
            let built = app.built(*s).map_or(0.0, |b| b.1);
            width_of(&cap_text(s, built, usize::MAX))
        })
        .max()
        .unwrap_or(0);
    // The capacity first (exact where the names keep their narrowest form:
    // the region's id, eight letters of the technology), then the names.
    let tech_min = 8;
    // The Change row names its reference in this column.
    let cap_min = marks.map_or(width_of("Capacity/cap"), |((_, what), _)| {
        width_of(&format!("vs {what}")).max(width_of("Capacity/cap"))
    });
    // ... and the Total row says which plan it sums.
    let recomputing = app.recomputing();
    let cap_min = if recomputing {
        cap_min.max(width_of(BEFORE))
    } else {
        cap_min
    };
    let cap_w = needed
        .max(cap_min)
        .min(avail.saturating_sub(region_min + tech_min))
        .max(cap_min);
    let names = avail.saturating_sub(cap_w);
    let (region_w, tech_w) = if region_need + tech_need <= names {
        (region_need, names - region_need)
    } else {
        let tech = tech_short_need.min(names.saturating_sub(region_min));
        let region = region_need.min(names.saturating_sub(tech));
        // Room for an id and fewer than seven letters of a name shows the id
        // alone (see below): the technology gets that room instead.
        let ids = shown
            .iter()
            .map(|s| width_of(&park.regions[s.region].id.to_string()))
            .max()
            .unwrap_or(0);
        let region = if region < region_need && region < ids + 1 + 7 {
            region_min
        } else {
            region
        };
        (region, names.saturating_sub(region))
    };
    let mut rows: Vec<Row> = Vec::with_capacity(end - start + 1);
    for s in &slots[start.min(end)..end] {
        let region = &park.regions[s.region];
        let slot = &region.slots[s.slot];
        let built = app.built(*s);
        let name = {
            let id = region.id.to_string();
            // The id is never cut; a name is shown whole, or when six letters
            // of it fit.
            let room = (region_w as usize).saturating_sub(id.chars().count() + 1);
            let name_len = region.name.chars().count();
            if name_len > 0 && (room >= name_len || room >= 7) {
                ellipsis(&format!("{id} {}", region.name), region_w as usize)
            } else {
                id
            }
        };
        let result = built.and_then(|(item, _)| {
            app.shown_evaluation()
                .and_then(|e| e.items.iter().find(|r| r.item == item))
        });
        let cells: Vec<Cell> = match result {
            Some(r) => {
                let tech = tech_label(r.tech, &r.tech_name, tech_w as usize);
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
        let style = if result.is_some() && !recomputing {
            t.base()
        } else {
            t.dim()
        };
        let mut cells = cells;
        if let Some(((then, _), now)) = marks {
            let m = crate::changes::mark(then, now, (s.region, slot.strategy));
            let st = if m == crate::changes::Mark::Same {
                t.base()
            } else {
                t.warn().add_modifier(ratatui::style::Modifier::BOLD)
            };
            cells.insert(0, Cell::from(Span::styled(m.symbol(), st)));
        }
        rows.push(Row::new(cells).style(style));
    }
    let totals = app.shown_evaluation().map(|e| e.totals);
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
    // Under a filter the Total is still the whole plan's: it says so (in
    // the capacity column, empty on this row, wide enough at 80 columns).
    let partial = slots.len() < app.slots().len();
    let mut total = vec![
        Cell::from("Total"),
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
        Cell::from(if recomputing {
            BEFORE
        } else if partial {
            "(whole plan)"
        } else {
            ""
        }),
        Cell::from(Line::from(capex).right_aligned()),
        Cell::from(Line::from(benefit).right_aligned()),
        Cell::from(Line::from(co2).right_aligned()),
    ];
    if marks.is_some() {
        total.insert(0, Cell::from(""));
    }
    rows.push(Row::new(total).style(if recomputing { t.dim() } else { t.total() }));
    if let Some(((then, what), now)) = marks {
        let d = |a: f64, b: f64, money: bool, w: u16| {
            let x = a - b;
            let x = if x.abs() < 1e-6 * a.abs().max(b.abs()).max(1.0) {
                0.0
            } else {
                x
            };
            let sign = if x > 0.0 { "+" } else { "" };
            let exact = if money {
                short(x)
            } else {
                group_thousands(x, 0)
            };
            let s = fit(format!("{sign}{exact}"), x, w as usize);
            if x > 0.0 && !s.starts_with('+') {
                format!("+{s}")
            } else {
                s
            }
        };
        rows.push(
            Row::new(vec![
                Cell::from(""),
                Cell::from("Change"),
                Cell::from(""),
                Cell::from(""),
                Cell::from(""),
                Cell::from(Line::from(format!("vs {what}")).right_aligned()),
                Cell::from(Line::from(d(now.capex, then.capex, true, w[5])).right_aligned()),
                Cell::from(Line::from(d(now.benefit, then.benefit, true, w[6])).right_aligned()),
                Cell::from(Line::from(d(now.co2, then.co2, false, w[7])).right_aligned()),
            ])
            .style(t.warn()),
        );
    }
    let mut header: Vec<Cell> = [
        "Region",
        "Land",
        "Strat",
        // The header gives way to the names on narrow screens.
        if tech_w >= 10 { "Technology" } else { "Tech" },
        "Capacity/cap",
        "Capex",
        "Benefit/yr",
        "CO2 t/yr",
    ]
    .map(|h| Cell::from(Span::styled(h, t.header())))
    .to_vec();
    let mut widths = vec![
        Constraint::Length(region_w),
        Constraint::Length(w[1]),
        Constraint::Length(w[2]),
        Constraint::Length(tech_w),
        Constraint::Length(cap_w),
        Constraint::Length(w[5]),
        Constraint::Length(w[6]),
        Constraint::Length(w[7]),
    ];
    if marks.is_some() {
        header.insert(0, Cell::from(""));
        widths.insert(0, Constraint::Length(1));
    }
    let header = Row::new(header);
    // Rows drawn: the header, the slots shown, Total and Change.
    let used = rows.len() + 1;
    let has_marks = marks.is_some();
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
    // What the change marks mean, on the last row where one is free (a
    // blank row above it).
    let inner_h = area.height.saturating_sub(2) as usize;
    let legend = "marks: + entered  - left  ~ technology switched  ↑ grew  ↓ shrank";
    if has_marks && inner_h >= used + 2 && legend.chars().count() + 2 <= area.width as usize {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(legend, t.dim()))),
            Rect {
                x: area.x + 1,
                y: area.bottom() - 2,
                width: area.width - 2,
                height: 1,
            },
        );
    }
    // For clicks: the slots' rows and the totals row, below the header.
    let top = area.y + 2;
    let mut lines: Vec<(u16, usize)> = (start.min(end)..end)
        .enumerate()
        .map(|(i, s)| (top + i as u16, s))
        .collect();
    lines.push((top + (end - start.min(end)) as u16, slots.len()));
    lines.retain(|(y, _)| *y < area.bottom().saturating_sub(1));
    app.hits.record(|h| {
        h.rows.push(crate::mouse::Rows {
            view: "plan",
            area,
            lines,
        })
    });
}

/// A technology as `code name` in `w` characters: the full name where it
/// fits, else its short name (`park::techs::SHORT_NAMES`), else cut with `…`.
fn tech_label(code: u32, name: &str, w: usize) -> String {
    let full = format!("{code} {name}");
    if full.chars().count() <= w {
        return full;
    }
    let short = parkplan::park::techs::short_name(name).unwrap_or(name);
    ellipsis(&format!("{code} {short}"), w)
}
