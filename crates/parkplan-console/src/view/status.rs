//! The status lines: the plan's totals, the solver's state, and the message,
//! prompt or key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use parkplan::report::{group_thousands, short};
use parkplan::solve::BoundKind;

use crate::app::{App, EditTarget, Note, PromptKind, RunStatus};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let e = &app.scenario.park.economics;
    let run = &app.run;
    let mut lines = Vec::new();

    // The plan.
    let plan_line = match run.evaluation.as_ref().map(|e| e.totals) {
        Some(tot) => {
            let payback = tot
                .payback_years()
                .map_or("-".to_string(), |y| format!("{y:.1} yr"));
            Line::from(vec![
                Span::styled("capex ", t.dim()),
                Span::raw(format!("{}/{}", short(tot.capex), short(e.capex_cap_cny))),
                Span::styled("  benefit ", t.dim()),
                Span::raw(format!("{} CNY/yr", short(tot.annual_benefit))),
                Span::styled("  CO2 ", t.dim()),
                Span::raw(format!(
                    "{} t/yr",
                    group_thousands(tot.annual_co2_reduction, 0)
                )),
                Span::styled("  payback ", t.dim()),
                Span::raw(payback),
            ])
        }
        None => Line::from(Span::styled("no plan yet", t.dim())),
    };
    lines.push(plan_line);

    // The solver.
    let state = match &run.status {
        RunStatus::Starting => Span::styled("starting", t.warn()),
        RunStatus::Running { generation } => {
            Span::styled(format!("running, generation {generation}"), t.warn())
        }
        RunStatus::Done { why } => Span::styled(format!("done, {why}"), t.good()),
        RunStatus::Failed(err) => Span::styled(format!("error: {err}"), t.bad()),
    };
    let mut solver = vec![Span::styled("GA ", t.dim()), state];
    if let (Some(gap), Some((b, kind))) = (run.gap(app.scenario.objective), run.bound) {
        let what = match kind {
            BoundKind::Optimum => "optimum",
            BoundKind::Relaxation => "bound",
        };
        solver.push(Span::styled("  gap ", t.dim()));
        solver.push(Span::raw(format!(
            "{:.3}% ({what} {})",
            gap * 100.0,
            short(b)
        )));
    }
    if run.evaluations > 0 {
        solver.push(Span::styled("  ", t.dim()));
        solver.push(Span::raw(format!("{:.1} ms", run.seconds * 1e3)));
    }
    lines.push(Line::from(solver));

    // Prompt, field edit, message or hints.
    let third = if let Some(p) = &app.prompt {
        match &p.kind {
            PromptKind::ConfirmOverwrite { path, .. } => Line::from(vec![Span::styled(
                format!("{} exists: overwrite it? (y/n)", path.display()),
                t.warn(),
            )]),
            PromptKind::ConfirmRestore { path } => Line::from(vec![Span::styled(
                format!(
                    "unsaved edits of an earlier session: restore them? (y/n) They are in {}",
                    path.display()
                ),
                t.warn(),
            )]),
            PromptKind::ConfirmQuit => Line::from(vec![Span::styled(
                "unsaved edits: quit without saving? (y/n; s saves)".to_string(),
                t.warn(),
            )]),
            kind => {
                let label = if *kind == PromptKind::ExportPlan {
                    "export plan to (.csv or .json): "
                } else {
                    "save scenario as: "
                };
                Line::from(vec![
                    Span::raw(label),
                    Span::styled(format!("{} ", p.input.value()), t.input()),
                    Span::styled("  Enter save · Esc cancel", t.dim()),
                ])
            }
        }
    } else if let Some(ed) = app
        .edit
        .as_ref()
        .filter(|e| matches!(e.target, EditTarget::Cap(_)))
    {
        let EditTarget::Cap(s) = ed.target else {
            unreachable!()
        };
        let region = &app.scenario.park.regions[s.region];
        let sl = &region.slots[s.slot];
        let mut spans = vec![
            Span::raw(format!(
                "cap of {} in region {} ({}): ",
                sl.strategy,
                region.id,
                sl.strategy.unit()
            )),
            Span::styled(format!("{} ", ed.input.value()), t.input()),
        ];
        match &ed.error {
            Some(err) => spans.push(Span::styled(format!("  refused: {err}"), t.bad())),
            None => spans.push(Span::styled("  Enter accept · Esc cancel", t.dim())),
        }
        Line::from(spans)
    } else if let Some(path) = &app.saving {
        Line::from(Span::styled(
            format!("saving {}…", path.display()),
            t.warn(),
        ))
    } else {
        match &app.note {
            Some(Note::Error(m)) => Line::from(Span::styled(m.clone(), t.bad())),
            Some(Note::Info(m)) => Line::from(Span::styled(m.clone(), t.good())),
            None => hints(app),
        }
    };
    lines.push(third);
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(t.border());
    frame.render_widget(Paragraph::new(lines).block(block), area);
    // Cursor in a prompt or cap field.
    let cursor = app
        .prompt
        .as_ref()
        .filter(|p| {
            !matches!(
                p.kind,
                PromptKind::ConfirmOverwrite { .. }
                    | PromptKind::ConfirmQuit
                    | PromptKind::ConfirmRestore { .. }
            )
        })
        .map(|p| {
            let label = if p.kind == PromptKind::ExportPlan {
                32
            } else {
                18
            };
            label + p.input.visual_cursor()
        })
        .or_else(|| {
            let ed = app.edit.as_ref()?;
            let EditTarget::Cap(s) = ed.target else {
                return None;
            };
            let region = &app.scenario.park.regions[s.region];
            let sl = &region.slots[s.slot];
            let label = format!(
                "cap of {} in region {} ({}): ",
                sl.strategy,
                region.id,
                sl.strategy.unit()
            );
            Some(label.chars().count() + ed.input.visual_cursor())
        });
    if let Some(x) = cursor {
        let x = area.x + x as u16;
        let y = area.y + 3;
        if x < area.right() && y < area.bottom() {
            frame.set_cursor_position((x, y));
        }
    }
}

fn hints(app: &App) -> Line<'static> {
    let t = &app.theme;
    let mut spans = Vec::new();
    for (action, what) in app.views[app.focus].hints() {
        spans.push(Span::styled(crate::action::key_label(action), t.key()));
        spans.push(Span::styled(format!(" {what}  "), t.dim()));
    }
    Line::from(spans)
}
