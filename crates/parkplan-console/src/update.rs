//! Actions change the state; worker messages too. Side effects (starting a
//! solve or an analysis, writing files) are returned as [`Effect`]s for the
//! loop's executor to carry out. The focused view sees each action first.

use std::path::PathBuf;

use parkplan::analysis::ledger::ledger;
use parkplan::model::Objective;
use parkplan::park::PARAMS;
use parkplan::plan::Plan;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::action::Action;
use crate::app::{
    App, Edit, EditTarget, Note, Prompt, PromptKind, Run, RunStatus, Scenario, UNDO_LIMIT, Undo,
};
use crate::fields::{apply_edit, field_name};
use crate::solve::{AnalysisJob, Job, WorkerMsg};
use crate::view::View;

/// What the loop must do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start a fresh optimization of the current scenario (cancelling the old one).
    Solve,
    /// Write the scenario as a park file.
    Save { path: PathBuf, overwrite: bool },
    /// Write the shown plan (CSV, or JSON for a .json path).
    Export { path: PathBuf, overwrite: bool },
    /// Run the analysis of the view with this key in the background.
    Analyze(&'static str),
}

const PAGE: usize = 10;

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let focus = app.focus;
    let edit_of_view = app
        .edit
        .as_ref()
        .is_some_and(|e| e.target == EditTarget::View);
    // The focused view first: its keys, its Enter, and the Enter of its field.
    if (app.prompt.is_none() && (app.edit.is_none() || edit_of_view))
        && let Some(effects) = with_view(app, focus, |v, app| v.handle(app, &action))
    {
        return effects;
    }
    match action {
        Action::Quit => {
            if app.dirty() && app.prompt.is_none() {
                app.prompt = Some(Prompt {
                    kind: PromptKind::ConfirmQuit,
                    input: Input::default(),
                });
            } else {
                app.quit = true;
            }
        }
        Action::ToggleHelp => app.show_help = !app.show_help,
        Action::Suspend => app.suspend = true,
        Action::Redraw => {}
        Action::FocusNext | Action::FocusPrev => {
            let n = app.views.len();
            let k = app.focus;
            let next = if action == Action::FocusNext {
                k + 1
            } else {
                k + n - 1
            };
            return focus_view(app, next % n);
        }
        Action::Focus(k) => return focus_view(app, k),
        Action::Click { column, row } => return crate::mouse::click(app, column, row),
        Action::Scroll {
            column,
            row,
            notches,
        } => return crate::mouse::scroll(app, column, row, notches),
        Action::ToggleMouse => {
            app.mouse = !app.mouse;
            app.note = Some(Note::Info(
                if app.mouse {
                    "mouse on: click a tab, a row or a point; the wheel scrolls (M: off, to select text)"
                } else {
                    "mouse off: the terminal selects text again (M: on)"
                }
                .into(),
            ));
        }
        Action::Left | Action::Right => {}
        Action::Up => move_row(app, -1),
        Action::Down => move_row(app, 1),
        Action::PageUp => move_row(app, -(PAGE as isize)),
        Action::PageDown => move_row(app, PAGE as isize),
        Action::Top => move_row(app, isize::MIN / 2),
        Action::Bottom => move_row(app, isize::MAX / 2),
        Action::Activate => {}
        Action::ToggleObjective => {
            let mut s = app.scenario.clone();
            s.objective = match s.objective {
                Objective::Economic => Objective::Carbon,
                Objective::Carbon => Objective::Economic,
            };
            return change(
                app,
                s,
                format!("objective: {}", app_objective_name(app, true)),
            );
        }
        Action::Undo => match app.undo.pop() {
            Some(Undo::Loaded { plan, status }) => {
                app.previous = crate::changes::Snapshot::of(app).or(app.previous.take());
                app.run.id += 1;
                show_plan(app, plan);
                let Some(status) = status else {
                    app.note = Some(Note::Info(
                        "undone: Pareto point loaded; optimizing again (the load had stopped the run)"
                            .into(),
                    ));
                    return vec![Effect::Solve];
                };
                app.run.status = status;
                app.note = Some(Note::Info(
                    "undone: Pareto point loaded; the plan before is back".into(),
                ));
            }
            Some(Undo::Scenario(prev)) => {
                let prev = *prev;
                let what = crate::fields::describe_change(&app.scenario, &prev);
                app.previous = crate::changes::Snapshot::of(app).or(app.previous.take());
                app.scenario = prev;
                app.note = Some(Note::Info(format!("undone: {what}")));
                return scenario_changed(app);
            }
            None => app.note = Some(Note::Info("nothing to undo".into())),
        },
        Action::Reset => {
            if app.scenario == app.original {
                app.note = Some(Note::Info("already at the file's values".into()));
            } else {
                let original = app.original.clone();
                return change(app, original, "reset to the file's values".into());
            }
        }
        Action::Rerun => {
            app.note = Some(Note::Info(
                "optimizing again (a new GA run of the same scenario)".into(),
            ));
            let mut effects = vec![Effect::Solve];
            effects.extend(with_view(app, focus, |v, _| v.restart()));
            return effects;
        }
        Action::SaveScenario => {
            // From the quit question: save, then quit.
            app.quit_after_save = matches!(
                app.prompt.as_ref().map(|p| &p.kind),
                Some(PromptKind::ConfirmQuit)
            );
            let path = app.default_save_path();
            app.prompt = Some(Prompt {
                kind: PromptKind::SaveScenario,
                input: Input::new(path.display().to_string()),
            });
        }
        Action::ExportPlan => {
            if app.run.plan.is_none() {
                app.note = Some(Note::Error("no plan to export yet".into()));
            } else {
                let path = app.default_export_path();
                app.prompt = Some(Prompt {
                    kind: PromptKind::ExportPlan,
                    input: Input::new(path.display().to_string()),
                });
            }
        }
        Action::PinBaseline => {
            if app.baseline.take().is_some() {
                app.note = Some(Note::Info(
                    "plan unpinned: marks compare with the plan before each edit".into(),
                ));
            } else {
                match crate::changes::Snapshot::of(app) {
                    Some(s) => {
                        app.baseline = Some(s);
                        app.note = Some(Note::Info(
                            "plan pinned: the marks and changes compare with this pinned plan (b unpins)"
                                .into(),
                        ));
                    }
                    None => app.note = Some(Note::Info("no plan to pin yet".into())),
                }
            }
        }
        Action::ToggleTheme => {
            app.theme = app.theme.toggled_contrast();
            app.note = Some(Note::Info(
                if app.theme.high_contrast() {
                    "high-contrast theme (T: the usual one)"
                } else {
                    "the usual theme (T: high contrast)"
                }
                .into(),
            ));
        }
        Action::ParetoPoints => {
            let k = app.view_index("pareto").map_or(0, |k| k + 1);
            app.note = Some(Note::Info(format!(
                "n chooses the number of points in the Pareto view ({k})"
            )));
        }
        Action::Filter | Action::BuiltOnly | Action::CycleSort => {
            app.note = Some(Note::Info(
                "filter, built only and sort are keys of the Plan view (1)".into(),
            ));
        }
        Action::ToggleMarkers => {
            app.chart_dots = !app.chart_dots;
            app.note = Some(Note::Info(
                if app.chart_dots {
                    "chart markers: dots (for fonts without braille)"
                } else {
                    "chart markers: braille"
                }
                .into(),
            ));
        }
        Action::Input(ev) => {
            if let Some(p) = app.prompt.as_mut() {
                p.input.handle_event(&ev);
            } else if let Some(e) = app.edit.as_mut() {
                e.key(&ev);
            }
        }
        Action::Cancel => {
            app.quit_after_save = false;
            if app.prompt.take().is_none() && app.edit.take().is_none() {
                app.note = None;
            }
        }
        Action::Accept => {
            if app.prompt.is_some() {
                return accept_prompt(app);
            }
            if let Some(edit) = app.edit.clone() {
                return accept_edit(app, edit);
            }
        }
        Action::Confirm(yes)
            if matches!(
                app.prompt.as_ref().map(|p| &p.kind),
                Some(PromptKind::ConfirmQuit)
            ) =>
        {
            app.prompt = None;
            if yes {
                app.quit = true;
            }
        }
        Action::Confirm(yes)
            if matches!(
                app.prompt.as_ref().map(|p| &p.kind),
                Some(PromptKind::ConfirmRestore { .. })
            ) =>
        {
            if let Some(Prompt {
                kind: PromptKind::ConfirmRestore { path },
                ..
            }) = app.prompt.take()
            {
                return restore(app, &path, yes);
            }
        }
        Action::Confirm(yes) => {
            if let Some(Prompt {
                kind: PromptKind::ConfirmOverwrite { path, then },
                ..
            }) = app.prompt.take()
            {
                if yes {
                    return vec![match *then {
                        PromptKind::ExportPlan => Effect::Export {
                            path,
                            overwrite: true,
                        },
                        _ => Effect::Save {
                            path,
                            overwrite: true,
                        },
                    }];
                }
                app.quit_after_save = false;
                app.note = Some(Note::Info("not written".into()));
            }
        }
    }
    Vec::new()
}

/// Answers the recovery question: `yes` takes the kept edits as the scenario
/// (an undo step away from the file's values) and removes the file.
fn restore(app: &mut App, path: &std::path::Path, yes: bool) -> Vec<Effect> {
    if !yes {
        app.note = Some(Note::Info(format!(
            "not restored; the edits stay in {} (delete it to stop this question)",
            path.display()
        )));
        return Vec::new();
    }
    match crate::files::read_recovery(path) {
        Ok(s) => {
            let _ = std::fs::remove_file(path);
            change(
                app,
                s,
                format!("restored the unsaved edits of {}", path.display()),
            )
        }
        Err(e) => {
            app.note = Some(Note::Error(format!(
                "could not restore {}: {e}",
                path.display()
            )));
            Vec::new()
        }
    }
}

fn app_objective_name(app: &App, toggled: bool) -> &'static str {
    match (app.scenario.objective, toggled) {
        (Objective::Economic, false) | (Objective::Carbon, true) => "economic",
        _ => "carbon",
    }
}

fn move_row(app: &mut App, delta: isize) {
    let focus = app.focus;
    with_view(app, focus, |v, app| {
        if let Some((row, len)) = v.cursor(app) {
            crate::view::move_row(row, len, delta);
        }
    });
}

/// Lends view `k` the app: meanwhile a placeholder stands in its place, so
/// what it calls (even `update`) sees every other view.
pub fn with_view<R>(app: &mut App, k: usize, f: impl FnOnce(&mut dyn View, &mut App) -> R) -> R {
    let mut v = std::mem::replace(&mut app.views[k], Box::new(crate::view::Lent));
    let r = f(v.as_mut(), app);
    app.views[k] = v;
    r
}

/// Replaces the scenario (remembering the old one for undo) and asks for a solve.
fn change(app: &mut App, new: Scenario, what: String) -> Vec<Effect> {
    if new == app.scenario {
        return Vec::new();
    }
    app.previous = crate::changes::Snapshot::of(app).or(app.previous.take());
    let old = std::mem::replace(&mut app.scenario, new);
    push_undo(app, Undo::Scenario(Box::new(old)));
    app.note = Some(Note::Info(what));
    scenario_changed(app)
}

/// Remembers an undo step (the oldest goes past `UNDO_LIMIT`, or once the
/// steps hold more than [`UNDO_REGIONS`] regions in all).
pub fn push_undo(app: &mut App, step: Undo) {
    app.undo.push(step);
    let regions = |u: &Undo| match u {
        Undo::Scenario(s) => s.park.regions.len(),
        Undo::Loaded { .. } => 0,
    };
    let mut held: usize = app.undo.iter().map(regions).sum();
    while app.undo.len() > UNDO_LIMIT || (held > UNDO_REGIONS && app.undo.len() > 1) {
        held -= regions(&app.undo.remove(0));
    }
}

/// Regions the undo steps may hold in all: each step is a whole park, about
/// 19 MB on a 100,000-region park (measured: 20 edits added 374 MB), so
/// that park keeps its last 10 edits and parks of 5,000 regions or fewer
/// all 200.
pub const UNDO_REGIONS: usize = 1_000_000;

/// After any change of the scenario: a new solve, and every analysis is
/// invalidated (re-run at once if its view is open).
fn scenario_changed(app: &mut App) -> Vec<Effect> {
    app.analyses_id += 1;
    for v in app.views.iter_mut() {
        v.invalidate();
    }
    for k in 0..app.views.len() {
        with_view(app, k, |v, app| v.follow(app));
    }
    let mut effects = vec![Effect::Solve];
    let focus = app.focus;
    effects.extend(with_view(app, focus, |v, _| v.restart()));
    effects
}

/// Moves to view `k`, which starts its analysis if it has none yet.
pub fn focus_view(app: &mut App, k: usize) -> Vec<Effect> {
    if k >= app.views.len() {
        return Vec::new();
    }
    // An error belongs to the view it was made in.
    if app.focus != k && matches!(app.note, Some(Note::Error(_))) {
        app.note = None;
    }
    app.focus = k;
    with_view(app, k, |v, app| v.on_focus(app))
}

/// The job for the analysis of the view with this key.
pub fn analysis_job(app: &App, view: &str) -> Option<AnalysisJob> {
    app.views.iter().find(|v| v.key() == view)?.job(app)
}

/// What the user set on top of the file: the command line's `--set`, then every
/// economics and energy value the console's edits changed.
pub fn user_overrides(app: &App) -> Vec<(String, f64)> {
    let mut out = app.cli_sets.clone();
    let (now, was) = (&app.scenario.park, &app.original.park);
    for p in PARAMS {
        let v = p.get(&now.economics);
        if v.is_finite() && v != p.get(&was.economics) {
            out.push((p.key.to_string(), v));
        }
    }
    if let (Some(a), Some(b)) = (&now.energy, &was.energy) {
        for p in parkplan::park::ENERGY_PARAMS {
            let v = p.get(a);
            // An optional key left unset reads NaN on both sides.
            if v.is_finite() && v != p.get(b) {
                out.push((p.key.to_string(), v));
            }
        }
    }
    out
}

/// Opens a text field on `target`, holding `value`.
pub fn open_edit(app: &mut App, target: EditTarget, value: f64) {
    let text = if value.is_finite() {
        parkplan::report::plain_number(value)
    } else {
        String::new()
    };
    app.edit = Some(Edit::new(target, text));
}

fn accept_edit(app: &mut App, edit: Edit) -> Vec<Effect> {
    let text = edit.input.value().to_string();
    if edit.target == EditTarget::View {
        return Vec::new();
    }
    match apply_edit(&app.scenario.park, edit.target, &text) {
        Ok(park) => {
            app.edit = None;
            let what = match edit.target {
                EditTarget::View => String::new(),
                EditTarget::Field(f) => format!("{} = {}", field_name(f), text.trim()),
                EditTarget::Cap(s) => {
                    let r = &park.regions[s.region];
                    let sl = &r.slots[s.slot];
                    format!(
                        "cap of {} in region {} = {} {}",
                        sl.strategy,
                        r.id,
                        text.trim(),
                        sl.strategy.unit()
                    )
                }
            };
            // A CCU cap below the catalogue's minimum keeps CCU out: say so.
            let mut what = what;
            if let EditTarget::Cap(s) = edit.target {
                let sl = &park.regions[s.region].slots[s.slot];
                let min = park
                    .catalogue
                    .ccu
                    .iter()
                    .map(|t| t.min_capacity_t_per_yr)
                    .fold(f64::INFINITY, f64::min);
                if sl.strategy == parkplan::park::Strategy::Ccu && sl.max < min {
                    what += &format!(
                        "; below the {} t/a minimum of CCU, so it cannot be built there",
                        parkplan::report::plain_number(min)
                    );
                }
            }
            let new = Scenario {
                park,
                objective: app.scenario.objective,
            };
            if new == app.scenario {
                app.note = Some(Note::Info("unchanged".into()));
                return Vec::new();
            }
            change(app, new, what)
        }
        Err(why) => {
            // Refused at the field: the old value stays and no solve starts.
            if let Some(e) = app.edit.as_mut() {
                e.error = Some(why.clone());
            }
            app.note = Some(Note::Error(why));
            Vec::new()
        }
    }
}

fn accept_prompt(app: &mut App) -> Vec<Effect> {
    let Some(prompt) = app.prompt.take() else {
        return Vec::new();
    };
    let text = prompt.input.value().trim().to_string();
    if text.is_empty() {
        app.note = Some(Note::Error("no file name given".into()));
        return Vec::new();
    }
    let path = PathBuf::from(&text);
    let is_source = app.source.as_ref().is_some_and(|s| same_file(s, &path));
    if path.exists() || is_source {
        app.prompt = Some(Prompt {
            kind: PromptKind::ConfirmOverwrite {
                path,
                then: Box::new(prompt.kind),
            },
            input: Input::default(),
        });
        return Vec::new();
    }
    vec![match prompt.kind {
        PromptKind::ExportPlan => Effect::Export {
            path,
            overwrite: false,
        },
        _ => Effect::Save {
            path,
            overwrite: false,
        },
    }]
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Starts a new run for the current scenario: a fresh run id, an empty chart.
/// Returns the job for the worker.
pub fn begin_run(app: &mut App) -> Job {
    let id = app.run.id + 1;
    let before = app.run.take_shown();
    app.run = Run::new(id);
    app.run.before = before;
    Job {
        run_id: id,
        park: app.scenario.park.clone(),
        objective: app.scenario.objective,
        token: Default::default(),
    }
}

/// Applies a worker message; messages of older runs are dropped.
pub fn on_worker(app: &mut App, msg: WorkerMsg) {
    if let WorkerMsg::Analysis { view, id, result } = msg {
        if id != app.analyses_id {
            return;
        }
        if let Some(k) = app.view_index(view) {
            with_view(app, k, |v, app| v.on_result(app, result));
        }
        return;
    }
    let run = &mut app.run;
    let id = match &msg {
        WorkerMsg::Started { run_id, .. }
        | WorkerMsg::Progress { run_id, .. }
        | WorkerMsg::Done { run_id, .. }
        | WorkerMsg::Failed { run_id, .. } => *run_id,
        WorkerMsg::Analysis { .. } => return,
    };
    if id != run.id {
        return;
    }
    match msg {
        WorkerMsg::Started {
            opts,
            bound,
            bound_kind,
            ..
        } => {
            run.opts = Some(opts);
            run.bound = Some((bound, bound_kind));
            run.status = RunStatus::Running { generation: 0 };
        }
        WorkerMsg::Progress {
            points,
            plan,
            evaluations,
            elapsed_s,
            ..
        } => {
            for (g, best, mean) in points {
                run.best.push((g as f64, best));
                run.mean.push((g as f64, mean));
            }
            show_plan(app, plan);
            let run = &mut app.run;
            run.evaluations = evaluations;
            run.seconds = elapsed_s;
            if let Some(&(g, _)) = run.best.last() {
                run.status = RunStatus::Running {
                    generation: g as usize,
                };
            }
        }
        WorkerMsg::Done { solution, why, .. } => {
            show_plan(app, solution.plan);
            let run = &mut app.run;
            run.solver = solution.solver;
            run.evaluations = solution.evaluations;
            run.seconds = solution.seconds;
            run.status = RunStatus::Done { why };
        }
        WorkerMsg::Failed { error, .. } => {
            // The plan before the edit is no longer "being recomputed".
            run.before = None;
            run.status = RunStatus::Failed(error.clone());
            app.note = Some(Note::Error(error));
        }
        WorkerMsg::Analysis { .. } => {}
    }
}

/// Puts `plan` on screen with its evaluation and ledger, computed here once
/// per new plan (progress messages repeat the GA's best plan until it improves).
pub fn show_plan(app: &mut App, plan: Plan) {
    let run = &mut app.run;
    run.before = None;
    if run.plan.as_ref() == Some(&plan) && run.evaluation.is_some() && run.ledger.is_some() {
        return;
    }
    if let Some(opts) = &run.opts {
        run.evaluation = Some(plan.evaluate(opts));
        run.ledger = Some(ledger(&app.scenario.park, opts, &plan));
    }
    run.plan = Some(plan);
}
