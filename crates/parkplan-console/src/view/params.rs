//! The parameter list: objective, economics, GA settings; edited in place.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use parkplan::park::{ENERGY_PARAMS, PARAMS, SOLVER_PARAMS};
use parkplan::report::plain_number;

use super::View;
use crate::action::Action;
use crate::app::{App, EditTarget};
use crate::fields::{Field, field_name, field_value, unit};
use crate::update::{Effect, open_edit};

/// The Params view's own state.
#[derive(Debug, Clone, Default)]
pub struct Params {
    /// Selected row (into `Field::all`).
    pub row: usize,
}

impl View for Params {
    fn key(&self) -> &'static str {
        "params"
    }
    fn title(&self) -> &'static str {
        "Params"
    }
    fn describe(&self) -> &'static str {
        "parameters"
    }
    fn frame_title(&self, _app: &App) -> String {
        " Parameters ".into()
    }
    fn main_screen(&self) -> bool {
        true
    }
    fn cursor(&mut self, app: &App) -> Option<(&mut usize, usize)> {
        Some((&mut self.row, Field::all(&app.scenario.park).len()))
    }
    fn handle(&mut self, app: &mut App, action: &Action) -> Option<Vec<Effect>> {
        if *action != Action::Activate {
            return None;
        }
        let fields = Field::all(&app.scenario.park);
        let field = fields[self.row.min(fields.len() - 1)];
        if field == Field::Objective {
            return Some(crate::update::update(app, Action::ToggleObjective));
        }
        let value = field_value(&app.scenario.park, field);
        open_edit(app, EditTarget::Field(field), value);
        Some(Vec::new())
    }
    fn render(&self, app: &App, frame: &mut Frame, area: Rect, block: Block<'static>) {
        render(self.row, app, frame, area, block);
    }
}

fn help(f: Field) -> String {
    match f {
        Field::Objective => "economic: max annual benefit, eq. 3.1 (CNY/yr); carbon: max annual CO2 reduction, eq. 3.2 (t/yr). Enter or o switches.".into(),
        Field::Econ(i) => format!("{}. Allowed: {}.", PARAMS[i].help, PARAMS[i].allowed()),
        Field::Energy(i) => format!(
            "{}. Allowed: {}.",
            ENERGY_PARAMS[i].help,
            ENERGY_PARAMS[i].allowed()
        ),
        Field::Ga(i) => format!(
            "{}. Allowed: {}.",
            SOLVER_PARAMS[i].help,
            SOLVER_PARAMS[i].allowed()
        ),
    }
}

fn render(row: usize, app: &App, frame: &mut Frame, area: Rect, block: Block) {
    let t = &app.theme;
    let inner = block.inner(area);
    let frame_again = block.clone();
    frame.render_widget(block, area);
    let fields = Field::all(&app.scenario.park);
    let selected = row.min(fields.len() - 1);
    let help_h = if inner.height >= 12 { 3 } else { 1 };
    let [list, help_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(help_h)]).areas(inner);
    let park = &app.scenario.park;
    let rows: Vec<Row> = fields
        .iter()
        .map(|&f| {
            let editing = app
                .edit
                .as_ref()
                .filter(|e| e.target == EditTarget::Field(f));
            let value: Line = match (f, editing) {
                (Field::Objective, _) => Line::from(app.scenario.objective.name()),
                (_, Some(e)) => Line::from(vec![Span::styled(
                    format!("{} ", e.input.value()),
                    if e.selected { t.selected() } else { t.input() },
                )]),
                _ => {
                    let v = field_value(park, f);
                    let changed = v.to_bits() != field_value(&app.original.park, f).to_bits();
                    let text = if v.is_finite() {
                        plain_number(v)
                    } else {
                        "-".into()
                    };
                    if changed {
                        Line::from(Span::styled(format!("{text}*"), t.warn()))
                    } else {
                        Line::from(text)
                    }
                }
            };
            Row::new(vec![
                Cell::from(field_name(f)),
                Cell::from(value),
                Cell::from(Span::styled(unit(f), t.dim())),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(18),
            Constraint::Min(10),
            Constraint::Length(10),
        ],
    )
    .row_highlight_style(t.selected());
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(table, list, &mut state);
    // Where the selection is, with ▲ ▼ for rows hidden above or below.
    let start = state.offset();
    let end = (start + list.height as usize).min(fields.len());
    app.hits.record(|h| {
        h.rows.push(crate::mouse::Rows {
            view: "params",
            area: list,
            lines: (start..end)
                .enumerate()
                .map(|(i, k)| (list.y + i as u16, k))
                .collect(),
        })
    });
    frame.render_widget(
        frame_again.title_bottom(
            Line::from(super::position(selected, fields.len(), start, end)).right_aligned(),
        ),
        area,
    );
    let f = fields[selected];
    let text = match app.edit.as_ref().and_then(|e| e.error.as_ref()) {
        Some(err)
            if app
                .edit
                .as_ref()
                .is_some_and(|e| e.target == EditTarget::Field(f)) =>
        {
            Line::from(Span::styled(format!("refused: {err}"), t.bad()))
        }
        _ => Line::from(Span::styled(help(f), t.dim())),
    };
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), help_area);
    // Put the cursor in the field being edited.
    if let Some(e) = &app.edit
        && let EditTarget::Field(ef) = e.target
        && let Some(k) = fields.iter().position(|x| *x == ef)
    {
        let offset = state.offset();
        if k >= offset && ((k - offset) as u16) < list.height {
            let x = list.x + 19 + e.input.visual_cursor() as u16;
            let y = list.y + (k - offset) as u16;
            if x < list.right() {
                frame.set_cursor_position((x, y));
            }
        }
    }
}
