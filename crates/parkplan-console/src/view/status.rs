//! The status lines: the plan's totals, the solver's state, and the message,
//! prompt or key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use parkplan::report::{group_thousands, short};

use super::compact;
use parkplan::solve::BoundKind;

use crate::app::{App, EditTarget, Note, PromptKind, RunStatus};

/// `-0` shown as `0` (an optimum of zero at a zero budget).
fn z(x: f64) -> f64 {
    if x == 0.0 { 0.0 } else { x }
}

/// The plan's totals, in two-space columns, or one-space ones when that is
/// what fits `width` (never cut: 80 columns hold the largest totals).
fn plan_line(app: &App, width: u16) -> Line<'static> {
    let t = &app.theme;
    let e = &app.scenario.park.economics;
    let Some(tot) = app.shown_evaluation().map(|e| e.totals) else {
        return Line::from(Span::styled("no plan yet", t.dim()));
    };
    // While recomputing, the totals are the plan's before the edit: said
    // first, and the figures dimmed.
    let before = app.recomputing();
    let figure = if before {
        t.dim()
    } else {
        ratatui::style::Style::default()
    };
    let payback = tot
        .payback_years()
        .map_or("-".to_string(), |y| format!("{y:.1} yr"));
    // Payback is capex over the annual net operating income (not over the
    // benefit, which already takes the annualized capex off): the income is
    // named where it fits, and the help says so at every width.
    let income = |exact: bool| {
        let x = z(tot.annual_income);
        let m = if exact { short(x) } else { compact(x) };
        format!(" = capex / income {m}/yr")
    };
    // Exact figures, else (the largest values a park allows) rounded ones.
    // `more`: 2 with payback and income, 1 payback alone, 0 neither (the
    // figures stay exact rather than the payback shown).
    let build = |sep: &str, exact: bool, more: u8| {
        let with_income = more >= 2;
        let money = |x: f64| if exact { short(z(x)) } else { compact(x) };
        let co2 = if exact {
            group_thousands(z(tot.annual_co2_reduction), 0)
        } else {
            compact(tot.annual_co2_reduction)
        };
        let mut spans = Vec::new();
        if before {
            spans.push(Span::styled(format!("before the edit:{sep}"), t.warn()));
        }
        spans.extend([
            Span::styled("capex ", t.dim()),
            Span::styled(
                format!("{}/{}", money(tot.capex), money(e.capex_cap_cny)),
                figure,
            ),
            Span::styled(format!("{sep}benefit "), t.dim()),
            Span::styled(format!("{} CNY/yr", money(tot.annual_benefit)), figure),
            Span::styled(format!("{sep}CO2 "), t.dim()),
            Span::styled(format!("{co2} t/yr"), figure),
        ]);
        if more >= 1 {
            spans.push(Span::styled(format!("{sep}payback "), t.dim()));
            spans.push(Span::styled(payback.clone(), figure));
        }
        spans.extend([Span::styled(
            if with_income && tot.payback_years().is_some() {
                income(exact)
            } else {
                String::new()
            },
            t.dim(),
        )]);
        Line::from(spans)
    };
    [
        build("  ", true, 2),
        build(" ", true, 2),
        build("  ", true, 1),
        build(" ", true, 1),
        build(" ", false, 1),
        build("  ", true, 0),
        build(" ", true, 0),
        build(" ", false, 0),
    ]
    .into_iter()
    .find(|l| l.width() <= width as usize)
    .unwrap_or_else(|| build(" ", false, 0))
}

/// The change in capex, benefit and CO2 of the plan shown against the plan
/// before the last edit (or the pinned plan), once there is one.
fn change_line(app: &App, width: u16) -> Option<Line<'static>> {
    let t = &app.theme;
    let (then, what) = crate::changes::reference(app)?;
    let now = crate::changes::Snapshot::of(app)?;
    // `0` when the change rounds to nothing (never `+0` or `-0`).
    let signed = |x: f64, exact: bool, money: bool| match (exact, money) {
        (true, true) => crate::changes::signed(x, short, usize::MAX),
        (true, false) => crate::changes::signed(x, |v| group_thousands(v, 0), usize::MAX),
        (false, _) => crate::changes::signed(x, compact, usize::MAX),
    };
    let build = |sep: &str, exact: bool| {
        Line::from(vec![
            Span::styled(format!("vs {what}:"), t.dim()),
            Span::styled(format!("{sep}benefit "), t.dim()),
            Span::styled(
                format!("{} CNY/yr", signed(now.benefit - then.benefit, exact, true)),
                t.warn(),
            ),
            Span::styled(format!("{sep}CO2 "), t.dim()),
            Span::styled(
                format!("{} t/yr", signed(now.co2 - then.co2, exact, false)),
                t.warn(),
            ),
            Span::styled(format!("{sep}capex "), t.dim()),
            Span::styled(signed(now.capex - then.capex, exact, true), t.warn()),
        ])
    };
    [build("  ", true), build(" ", true), build(" ", false)]
        .into_iter()
        .find(|l| l.width() <= width as usize)
        .or_else(|| Some(build(" ", false)))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut lines = Vec::new();
    lines.push(plan_line(app, area.width));
    let change = change_line(app, area.width);
    let change_rows = change.as_ref().map_or(0, |l| third_rows(l, area.width));
    lines.extend(change);

    lines.extend(keep_tail_whole(solver_line(app), area.width));

    // Prompt, field edit, message or hints: wrapped (the area grows, see
    // `height`), never cut.
    let (third, cursor) = third_line(app, area.width);
    let third = keep_tail_whole(third, area.width);
    let rows: u16 = third.iter().map(|l| third_rows(l, area.width)).sum();
    lines.extend(third);
    let mut block = Block::default()
        .borders(Borders::TOP)
        .border_style(t.border());
    // Mouse capture off (the terminal selects text): said until it is on again.
    if !app.mouse {
        block = block.title(Line::from(Span::styled(" mouse off (M) ", t.warn())).right_aligned());
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
    if let Some(x) = cursor {
        let w = area.width.max(1) as usize;
        let above = 1
            + change_rows
            + third_rows(&plan_line(app, area.width), area.width)
            + rows_of(&keep_tail_whole(solver_line(app), area.width), area.width);
        let (x, y) = (area.x + (x % w) as u16, area.y + above + (x / w) as u16);
        if rows > 0 && x < area.right() && y < area.bottom() {
            frame.set_cursor_position((x, y));
        }
    }
}

/// The solver's state, the gap to the bound and the time.
fn solver_line(app: &App) -> Line<'static> {
    let t = &app.theme;
    let run = &app.run;
    // The solver.
    // A reason in several clauses ("…; GA at 0.19% gap, showing the exact
    // plan") breaks between them, never inside one (see [`TAIL`]).
    let mut clauses: Vec<Span<'static>> = Vec::new();
    let state = match &run.status {
        RunStatus::Starting => Span::styled("starting", t.warn()),
        RunStatus::Running { generation } => {
            Span::styled(format!("running, generation {generation}"), t.warn())
        }
        RunStatus::Done { why } => {
            let mut parts = why.split("; ");
            let first = parts.next().unwrap_or_default();
            for p in parts {
                clauses.push(Span::styled(format!(" {p}"), t.good()));
            }
            let semi = if clauses.is_empty() { "" } else { ";" };
            Span::styled(format!("done, {first}{semi}"), t.good())
        }
        RunStatus::Failed(err) => Span::styled(format!("error: {err}"), t.bad()),
    };
    let mut solver = vec![Span::styled("GA ", t.dim()), state];
    solver.extend(clauses);
    if let (Some(gap), Some((b, kind))) = (run.gap(app.scenario.objective), run.bound) {
        let what = match kind {
            BoundKind::Optimum => "optimum",
            BoundKind::Relaxation => "bound",
        };
        solver.push(Span::styled(format!("{TAIL}gap "), t.dim()));
        solver.push(Span::raw(format!(
            "{:.3}% ({what} {})",
            z(gap * 100.0),
            short(z(b))
        )));
    }
    if run.evaluations > 0 {
        solver.push(Span::styled("  ", t.dim()));
        solver.push(Span::raw(format!("{:.1} ms", run.seconds * 1e3)));
    }
    Line::from(solver)
}

/// Rows the status area needs at this width: the border, the plan and the
/// solver lines, and the message wrapped (up to 4 rows).
pub fn height(app: &App, width: u16) -> u16 {
    1 + third_rows(&plan_line(app, width), width).min(2)
        + change_line(app, width).map_or(0, |l| third_rows(&l, width).min(2))
        + rows_of(&keep_tail_whole(solver_line(app), width), width).min(2)
        + rows_of(&keep_tail_whole(third_line(app, width).0, width), width).clamp(1, 4)
}

fn rows_of(lines: &[Line], width: u16) -> u16 {
    lines.iter().map(|l| third_rows(l, width)).sum()
}

/// Marks the span that starts a line's tail: a phrase that must stay whole
/// (`Enter accept · Esc cancel`, the solver's gap). A line too wide for the
/// terminal is split before its tail, which then starts a row of its own,
/// rather than wrapped in the middle of the phrase.
const TAIL: &str = "  ";

/// The line as is when it fits `width`, else its phrases (split before each
/// span starting with two spaces, see [`TAIL`], and after a span ending a
/// clause with `;`) packed into as few lines as
/// hold them, so that no phrase is split by the wrap unless it is wider than
/// the terminal on its own.
fn keep_tail_whole(line: Line<'static>, width: u16) -> Vec<Line<'static>> {
    let w = width as usize;
    if line.width() <= w {
        return vec![line];
    }
    let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0usize;
    let mut phrase: Vec<Span<'static>> = Vec::new();
    let mut phrases = Vec::new();
    for span in line.spans {
        // A phrase starts with two spaces, or after a clause's `;`.
        let after_clause = phrase.last().is_some_and(|s| s.content.ends_with(';'));
        let tail = span.content.starts_with(TAIL) && !span.content.trim().is_empty();
        if !phrase.is_empty() && (tail || after_clause) {
            phrases.push(std::mem::take(&mut phrase));
        }
        phrase.push(span);
    }
    phrases.push(phrase);
    for mut p in phrases {
        let pw: usize = p.iter().map(|s| s.width()).sum();
        if used > 0 && used + pw > w {
            rows.push(Vec::new());
            if let Some(first) = p.first_mut() {
                first.content = first.content.trim_start().to_string().into();
            }
            used = p.iter().map(|s| s.width()).sum();
        } else {
            used += pw;
        }
        rows.last_mut().unwrap().extend(p);
    }
    rows.into_iter().map(Line::from).collect()
}

/// Rows a line takes when word-wrapped at `width` (as `Paragraph` wraps).
fn third_rows(line: &Line, width: u16) -> u16 {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    super::wrapped_rows(&text, width)
}

/// The label of the open text field, in the status line.
fn edit_label(app: &App, target: EditTarget) -> String {
    match target {
        EditTarget::Cap(s) => {
            let region = &app.scenario.park.regions[s.region];
            let sl = &region.slots[s.slot];
            format!(
                "cap of {} in region {} ({}): ",
                sl.strategy,
                region.id,
                sl.strategy.unit()
            )
        }
        EditTarget::Field(f) => {
            let unit = crate::fields::unit(f);
            if unit.is_empty() {
                format!("{}: ", crate::fields::field_name(f))
            } else {
                format!("{} ({unit}): ", crate::fields::field_name(f))
            }
        }
        EditTarget::View => app.views[app.focus]
            .edit_label(app)
            .unwrap_or_else(|| "value: ".into()),
    }
}

/// The third line and where the cursor goes in it.
fn third_line(app: &App, width: u16) -> (Line<'static>, Option<usize>) {
    let t = &app.theme;
    if let Some(p) = &app.prompt {
        let line = match &p.kind {
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
                let label = match kind {
                    PromptKind::ExportPlan => "export plan to (.csv or .json): ".to_string(),
                    PromptKind::SaveElsewhere { why } => format!("{why}; save as: "),
                    _ => "save scenario as: ".to_string(),
                };
                let cursor = label.chars().count() + p.input.visual_cursor();
                return (
                    Line::from(vec![
                        Span::raw(label),
                        Span::styled(format!("{} ", p.input.value()), t.input()),
                        Span::styled("  Enter save · Esc cancel", t.dim()),
                    ]),
                    Some(cursor),
                );
            }
        };
        return (line, None);
    }
    if let Some(ed) = &app.edit {
        let label = edit_label(app, ed.target);
        // A parameter is edited in its row, where its cursor is.
        let cursor = (!matches!(ed.target, EditTarget::Field(_)))
            .then(|| label.chars().count() + ed.input.visual_cursor());
        let mut spans = vec![
            Span::raw(label),
            Span::styled(
                format!("{} ", ed.input.value()),
                if ed.selected { t.selected() } else { t.input() },
            ),
        ];
        // After a refused value the field stays open, and says so.
        if let Some(err) = &ed.error {
            spans.push(Span::styled(format!(" refused: {err}"), t.bad()));
        }
        let hint = if ed.error.is_some() {
            "still editing: Enter accept · Esc cancel"
        } else {
            "Enter accept · Esc cancel"
        };
        spans.push(Span::styled(format!("{TAIL}{hint}"), t.dim()));
        return (Line::from(spans), cursor);
    }
    let line = if let Some(path) = &app.saving {
        Line::from(Span::styled(
            format!("saving {}…", path.display()),
            t.warn(),
        ))
    } else {
        match &app.note {
            Some(Note::Error(m)) => Line::from(Span::styled(m.clone(), t.bad())),
            Some(Note::Info(m)) => Line::from(Span::styled(m.clone(), t.good())),
            None => hints(app, width),
        }
    };
    (line, None)
}

/// The key hints that fit one row of `width`: a hint is shown whole or not at
/// all, the last ones (the least important) left off first.
fn hints(app: &App, width: u16) -> Line<'static> {
    let t = &app.theme;
    let all = app.views[app.focus].hints();
    let line = |n: usize| {
        let mut spans = Vec::new();
        for (action, what) in &all[..n] {
            spans.push(Span::styled(crate::action::key_label(action), t.key()));
            spans.push(Span::styled(format!(" {what}  "), t.dim()));
        }
        Line::from(spans)
    };
    (1..=all.len())
        .rev()
        .map(line)
        .find(|l| l.width() <= width as usize)
        .unwrap_or_else(|| line(1.min(all.len())))
}
