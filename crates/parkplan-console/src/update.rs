//! Actions change the state; worker messages too. Side effects (starting a
//! solve, writing files) are returned as [`Effect`]s for the loop to carry out.

use std::path::PathBuf;

use parkplan::analysis::ledger::ledger;
use parkplan::model::Objective;
use parkplan::park::{PARAMS, Park};
use parkplan::plan::Plan;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::action::Action;
use super::app::{
    Analysis, AnalysisKind, App, Edit, EditTarget, Field, Focus, GaField, Note, Prompt, PromptKind,
    Run, RunStatus, Scenario, SlotRef, SweepSetup, UNDO_LIMIT, sweep_param, sweep_params,
};
use super::worker::{AnalysisJob, AnalysisResult, Job, WorkerMsg};

/// What the loop must do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start a fresh optimization of the current scenario (cancelling the old one).
    Solve,
    /// Write the scenario as a park file.
    Save { path: PathBuf, overwrite: bool },
    /// Write the shown plan (CSV, or JSON for a .json path).
    Export { path: PathBuf, overwrite: bool },
    /// Run an analysis of the current scenario in the background.
    Analyze(AnalysisKind),
}

const PAGE: usize = 10;

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
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
        Action::Redraw => {}
        Action::FocusNext | Action::FocusPrev => {
            let k = Focus::ALL.iter().position(|f| *f == app.focus).unwrap_or(0);
            let n = Focus::ALL.len();
            let next = if action == Action::FocusNext {
                k + 1
            } else {
                k + n - 1
            };
            return focus(app, Focus::ALL[next % n]);
        }
        Action::Focus(f) => return focus(app, f),
        Action::Left | Action::Right => {
            if app.focus == Focus::Sensitivity {
                let n = sweep_params(&app.scenario.park);
                let k = app.analyses.sweep_setup.param.min(n - 1);
                let next = (if action == Action::Right {
                    k + 1
                } else {
                    k + n - 1
                }) % n;
                app.analyses.sweep_setup = SweepSetup::around(&app.scenario.park, next);
                app.analyses.sweep_row = 0;
                return analyze(app, AnalysisKind::Sweep);
            }
            if app.focus == Focus::Compare {
                move_compare_col(app, if action == Action::Right { 1 } else { -1 });
            }
        }
        Action::Up => move_row(app, -1),
        Action::Down => move_row(app, 1),
        Action::PageUp => move_row(app, -(PAGE as isize)),
        Action::PageDown => move_row(app, PAGE as isize),
        Action::Top => move_row(app, isize::MIN / 2),
        Action::Bottom => move_row(app, isize::MAX / 2),
        Action::Activate => return activate(app),
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
            Some(prev) => {
                app.scenario = prev;
                app.note = Some(Note::Info("undone".into()));
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
            let mut effects = vec![Effect::Solve];
            if let Some(kind) = app.focus.analysis() {
                effects.extend(analyze(app, kind));
            }
            return effects;
        }
        Action::SaveScenario => {
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
        Action::ToggleMarkers => app.chart_dots = !app.chart_dots,
        Action::Input(ev) => {
            if let Some(p) = app.prompt.as_mut() {
                p.input.handle_event(&ev);
            } else if let Some(e) = app.edit.as_mut() {
                e.input.handle_event(&ev);
                e.error = None;
            }
        }
        Action::Cancel => {
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
                app.note = Some(Note::Info("not written".into()));
            }
        }
    }
    Vec::new()
}

fn app_objective_name(app: &App, toggled: bool) -> &'static str {
    match (app.scenario.objective, toggled) {
        (Objective::Economic, false) | (Objective::Carbon, true) => "economic",
        _ => "carbon",
    }
}

fn move_row(app: &mut App, delta: isize) {
    let slots = app.slots().len();
    let ledger_lines = app
        .run
        .ledger
        .as_ref()
        .map_or(0, super::view::ledger_line_count);
    let a = &mut app.analyses;
    let (row, len) = match app.focus {
        Focus::Plan => (&mut app.plan_row, slots + 1),
        Focus::Params => (&mut app.param_row, Field::all(&app.scenario.park).len()),
        Focus::Chart => return,
        Focus::Ledger => (&mut app.ledger_row, ledger_lines),
        Focus::Compare => {
            let n = match &a.compare {
                Analysis::Ready(_) => super::view::COMPARE_ROWS,
                _ => 0,
            };
            (&mut a.compare_row, n)
        }
        Focus::Sensitivity => {
            let n = match &a.sweep {
                Analysis::Ready(v) => v.rows.len(),
                _ => 0,
            };
            (&mut a.sweep_row, n)
        }
        Focus::Pareto => {
            let n = match &a.pareto {
                Analysis::Ready(v) => v.points.len(),
                _ => 0,
            };
            (&mut a.pareto_row, n)
        }
        Focus::Mac => {
            let n = match &a.mac {
                Analysis::Ready(v) => v.entries.len(),
                _ => 0,
            };
            (&mut a.mac_row, n)
        }
    };
    let max = len.saturating_sub(1) as isize;
    // From the row on screen: a list that got shorter keeps no hidden offset.
    let current = (*row as isize).min(max);
    *row = current.saturating_add(delta).clamp(0, max) as usize;
}

/// Moves the Compare view's selected scenario (its column) left or right.
fn move_compare_col(app: &mut App, delta: isize) {
    let a = &mut app.analyses;
    let n = match &a.compare {
        Analysis::Ready(v) => v.results.len(),
        _ => 0,
    };
    let max = n.saturating_sub(1) as isize;
    let current = (a.compare_col as isize).min(max);
    a.compare_col = current.saturating_add(delta).clamp(0, max) as usize;
}

/// Replaces the scenario (remembering the old one for undo) and asks for a solve.
fn change(app: &mut App, new: Scenario, what: String) -> Vec<Effect> {
    if new == app.scenario {
        return Vec::new();
    }
    let old = std::mem::replace(&mut app.scenario, new);
    app.undo.push(old);
    if app.undo.len() > UNDO_LIMIT {
        app.undo.remove(0);
    }
    app.note = Some(Note::Info(what));
    scenario_changed(app)
}

/// After any change of the scenario: a new solve, and every analysis is
/// invalidated (re-run at once if its view is open).
fn scenario_changed(app: &mut App) -> Vec<Effect> {
    let a = &mut app.analyses;
    a.id += 1;
    a.sweep = Analysis::Idle;
    a.pareto = Analysis::Idle;
    a.mac = Analysis::Idle;
    a.compare = Analysis::Idle;
    let mut effects = vec![Effect::Solve];
    if let Some(kind) = app.focus.analysis() {
        effects.extend(analyze(app, kind));
    }
    effects
}

/// Moves to a view, starting its analysis if it has none yet.
fn focus(app: &mut App, f: Focus) -> Vec<Effect> {
    app.focus = f;
    let a = &app.analyses;
    let idle = match f.analysis() {
        Some(AnalysisKind::Sweep) => matches!(a.sweep, Analysis::Idle),
        Some(AnalysisKind::Pareto) => matches!(a.pareto, Analysis::Idle),
        Some(AnalysisKind::Mac) => matches!(a.mac, Analysis::Idle),
        Some(AnalysisKind::Compare) => matches!(a.compare, Analysis::Idle),
        None => false,
    };
    match f.analysis() {
        Some(kind) if idle => analyze(app, kind),
        _ => Vec::new(),
    }
}

/// Marks an analysis running and asks for it.
fn analyze(app: &mut App, kind: AnalysisKind) -> Vec<Effect> {
    let a = &mut app.analyses;
    match kind {
        AnalysisKind::Sweep => a.sweep = Analysis::Running,
        AnalysisKind::Pareto => a.pareto = Analysis::Running,
        AnalysisKind::Mac => a.mac = Analysis::Running,
        AnalysisKind::Compare => a.compare = Analysis::Running,
    }
    vec![Effect::Analyze(kind)]
}

/// The job for an analysis of the current scenario.
pub fn analysis_job(app: &App, kind: AnalysisKind) -> AnalysisJob {
    AnalysisJob {
        overrides: user_overrides(app),
        id: app.analyses.id,
        kind,
        park: app.scenario.park.clone(),
        objective: app.scenario.objective,
        setup: app.analyses.sweep_setup.clone(),
    }
}

/// What the user set on top of the file: the command line's `--set`, then every
/// economics and energy value the console's edits changed.
fn user_overrides(app: &App) -> Vec<(String, f64)> {
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
            if v != p.get(b) {
                out.push((p.key.to_string(), v));
            }
        }
    }
    out
}

fn activate(app: &mut App) -> Vec<Effect> {
    match app.focus {
        Focus::Params => {
            let fields = Field::all(&app.scenario.park);
            let field = fields[app.param_row.min(fields.len() - 1)];
            if field == Field::Objective {
                return update(app, Action::ToggleObjective);
            }
            let value = field_value(&app.scenario.park, field);
            open_edit(app, EditTarget::Field(field), value);
        }
        Focus::Plan => {
            let slots = app.slots();
            match slots.get(app.plan_row) {
                Some(&s) => {
                    let max = app.scenario.park.regions[s.region].slots[s.slot].max;
                    open_edit(app, EditTarget::Cap(s), max);
                }
                None => app.note = Some(Note::Info("select a region row to edit its cap".into())),
            }
        }
        Focus::Chart | Focus::Mac | Focus::Ledger | Focus::Compare => {}
        Focus::Sensitivity => {
            let s = &app.analyses.sweep_setup;
            let text = format!(
                "{}:{}:{}",
                parkplan::report::plain_number(s.from),
                parkplan::report::plain_number(s.to),
                s.count
            );
            app.edit = Some(Edit {
                target: EditTarget::SweepRange,
                input: Input::new(text),
                error: None,
            });
        }
        Focus::Pareto => {
            let row = app.analyses.pareto_row;
            let plan = match &app.analyses.pareto {
                Analysis::Ready(v) => v.plans.get(row).cloned(),
                _ => None,
            };
            match (plan, app.run.opts.is_some()) {
                (Some(plan), true) => {
                    // The loaded plan is pinned: a new run id drops whatever the
                    // running solve still sends (and "r" re-optimizes).
                    app.run.id += 1;
                    show_plan(app, plan);
                    app.run.status = RunStatus::Done {
                        why: "plan loaded from the Pareto front".into(),
                    };
                    app.focus = Focus::Plan;
                    app.note = Some(Note::Info(
                        "Pareto point loaded; r re-optimizes the objective".into(),
                    ));
                }
                _ => app.note = Some(Note::Info("no Pareto point to load yet".into())),
            }
        }
    }
    Vec::new()
}

fn open_edit(app: &mut App, target: EditTarget, value: f64) {
    let text = if value.is_finite() {
        parkplan::report::plain_number(value)
    } else {
        String::new()
    };
    app.edit = Some(Edit {
        target,
        input: Input::new(text),
        error: None,
    });
}

/// Current value of a parameter row.
pub fn field_value(park: &Park, f: Field) -> f64 {
    let s = &park.solver;
    match f {
        Field::Objective => f64::NAN,
        Field::Econ(i) => PARAMS[i].get(&park.economics),
        Field::Energy(i) => park
            .energy
            .as_ref()
            .and_then(|e| e.get(parkplan::park::ENERGY_PARAMS[i].key))
            .unwrap_or(f64::NAN),
        Field::Ga(g) => match g {
            GaField::Population => s.population as f64,
            GaField::Generations => s.generations as f64,
            GaField::Seed => s.seed as f64,
            GaField::CrossoverRate => s.crossover_rate,
            GaField::MutationRate => s.mutation_rate,
            GaField::Elitism => s.elitism as f64,
            GaField::Stall => s.stall_generations as f64,
        },
    }
}

/// Applies a text edit to a copy of the park; the error says what is allowed.
pub fn apply_edit(park: &Park, target: EditTarget, text: &str) -> Result<Park, String> {
    let v: f64 = text
        .trim()
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{:?} is not a number", text.trim()))?;
    let mut p = park.clone();
    match target {
        EditTarget::Field(Field::Objective) => {}
        // Through `set_param`: the same range and finiteness checks as `--set`.
        EditTarget::Field(Field::Econ(i)) => {
            p.set_param(PARAMS[i].key, v).map_err(|e| match e {
                parkplan::park::SetError::OutOfRange { why, .. } => why,
                other => other.to_string(),
            })?
        }
        EditTarget::Field(Field::Energy(i)) => p
            .set_param(parkplan::park::ENERGY_PARAMS[i].key, v)
            .map_err(|e| match e {
                parkplan::park::SetError::OutOfRange { why, .. } => why,
                other => other.to_string(),
            })?,
        EditTarget::Field(Field::Ga(g)) => p.set_solver(g.key(), v)?,
        EditTarget::SweepRange => {}
        EditTarget::Cap(SlotRef { region, slot }) => {
            let sl = &mut p.regions[region].slots[slot];
            let unit = sl.strategy.unit();
            // The same bound as a park file (1e15), so that sums stay exact enough.
            if !(v.is_finite() && (0.0..=1e15).contains(&v)) {
                return Err(format!(
                    "must be a number >= 0 and <= 1e15 ({unit}), found {v}"
                ));
            }
            if v < sl.min {
                return Err(format!(
                    "must be at least the region's minimum {} {unit}, found {v}",
                    parkplan::report::plain_number(sl.min)
                ));
            }
            sl.max = v;
            if let Some(why) = p.nonfinite() {
                return Err(why);
            }
        }
    }
    Ok(p)
}

fn accept_edit(app: &mut App, edit: Edit) -> Vec<Effect> {
    let text = edit.input.value().to_string();
    if edit.target == EditTarget::SweepRange {
        return match parse_sweep_range(&app.analyses.sweep_setup, &text) {
            Ok(setup) => {
                app.edit = None;
                app.analyses.sweep_setup = setup;
                app.analyses.sweep_row = 0;
                analyze(app, AnalysisKind::Sweep)
            }
            Err(why) => {
                if let Some(e) = app.edit.as_mut() {
                    e.error = Some(why.clone());
                }
                app.note = Some(Note::Error(why));
                Vec::new()
            }
        };
    }
    match apply_edit(&app.scenario.park, edit.target, &text) {
        Ok(park) => {
            app.edit = None;
            let what = match edit.target {
                EditTarget::SweepRange => String::new(),
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

/// FROM:TO:COUNT for the Sensitivity view, checked against the parameter's range.
pub fn parse_sweep_range(current: &SweepSetup, text: &str) -> Result<SweepSetup, String> {
    let p = sweep_param(current.param);
    let parts: Vec<&str> = text.trim().split(':').collect();
    let bad = || {
        format!(
            "expected FROM:TO:COUNT, e.g. 0:240:41 ({} in {})",
            p.key, p.unit
        )
    };
    if parts.len() != 3 {
        return Err(bad());
    }
    let from: f64 = parts[0].trim().parse().map_err(|_| bad())?;
    let to: f64 = parts[1].trim().parse().map_err(|_| bad())?;
    let count: usize = parts[2].trim().parse().map_err(|_| bad())?;
    if !(2..=1000).contains(&count) {
        return Err(format!("COUNT must be from 2 to 1000, found {count}"));
    }
    if to.partial_cmp(&from) != Some(std::cmp::Ordering::Greater) {
        return Err(format!("TO must be above FROM, found {from}:{to}"));
    }
    let (lo, hi) = (p.lo, p.hi);
    if from < lo || to > hi {
        return Err(format!("{}: must be {}", p.key, p.allowed()));
    }
    Ok(SweepSetup {
        param: current.param,
        from,
        to,
        count,
    })
}

/// Key of a parameter row.
pub fn field_name(f: Field) -> &'static str {
    match f {
        Field::Objective => "objective",
        Field::Econ(i) => PARAMS[i].key,
        Field::Energy(i) => parkplan::park::ENERGY_PARAMS[i].key,
        Field::Ga(g) => g.key(),
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
    app.run = Run::new(id);
    Job {
        run_id: id,
        park: app.scenario.park.clone(),
        objective: app.scenario.objective,
        token: Default::default(),
    }
}

/// Applies a worker message; messages of older runs are dropped.
pub fn on_worker(app: &mut App, msg: WorkerMsg) {
    if let WorkerMsg::Analysis { id, result } = msg {
        let a = &mut app.analyses;
        if id != a.id {
            return;
        }
        match result {
            // A sweep of a parameter or range no longer selected is stale too.
            AnalysisResult::Sweep(v) if v.setup != a.sweep_setup => {}
            AnalysisResult::Sweep(v) => a.sweep = Analysis::Ready(v),
            AnalysisResult::Pareto(v) => a.pareto = Analysis::Ready(v),
            AnalysisResult::Mac(v) => a.mac = Analysis::Ready(v),
            AnalysisResult::Compare(v) => a.compare = Analysis::Ready(v),
            AnalysisResult::Failed(kind, e) => {
                match kind {
                    AnalysisKind::Sweep => a.sweep = Analysis::Failed(e.clone()),
                    AnalysisKind::Pareto => a.pareto = Analysis::Failed(e.clone()),
                    AnalysisKind::Mac => a.mac = Analysis::Failed(e.clone()),
                    AnalysisKind::Compare => a.compare = Analysis::Failed(e.clone()),
                }
                app.note = Some(Note::Error(e));
            }
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
            run.evaluations = solution.evaluations;
            run.seconds = solution.seconds;
            run.status = RunStatus::Done { why };
        }
        WorkerMsg::Failed { error, .. } => {
            run.status = RunStatus::Failed(error.clone());
            app.note = Some(Note::Error(error));
        }
        WorkerMsg::Analysis { .. } => {}
    }
}

/// Puts `plan` on screen with its evaluation and ledger, computed here once
/// per new plan (progress messages repeat the GA's best plan until it improves).
fn show_plan(app: &mut App, plan: Plan) {
    let run = &mut app.run;
    if run.plan.as_ref() == Some(&plan) && run.evaluation.is_some() && run.ledger.is_some() {
        return;
    }
    if let Some(opts) = &run.opts {
        run.evaluation = Some(plan.evaluate(opts));
        run.ledger = Some(ledger(&app.scenario.park, opts, &plan));
    }
    run.plan = Some(plan);
}
