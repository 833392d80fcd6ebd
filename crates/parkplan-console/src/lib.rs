//! The what-if console: state (`app`), events to actions (`action`), state
//! changes (`update`), rendering (`view`) and the solver thread (`worker`).
//! One channel carries terminal events and worker messages to the loop, which
//! blocks on it, drains what is pending and draws once.

pub mod action;
pub mod app;
pub mod shots;
pub mod theme;
pub mod update;
pub mod view;
pub mod worker;

#[cfg(test)]
mod soak;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::mpsc;

use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::report::Report;
use parkplan::solve::{BoundKind, Solution};
use ratatui::crossterm::event::{self, Event};

use self::app::{App, Note};
use self::theme::Theme;
use self::update::{Effect, analysis_job, begin_run, on_worker, update};
use self::worker::{AnalysisWorker, Worker, WorkerMsg};

enum Msg {
    Input(Event),
    Worker(WorkerMsg),
}

/// Opens the console on `park` and runs it until the user quits.
/// `cli_sets` are the `--set` overrides already applied to `park`.
pub fn run(
    park: Park,
    source: Option<PathBuf>,
    objective: Objective,
    cli_sets: Vec<(String, f64)>,
) -> anyhow::Result<()> {
    let source_text = source
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok());
    let mut app = App::new(park, source, objective, Theme::from_env());
    app.source_text = source_text;
    app.cli_sets = cli_sets;
    let (tx, rx) = mpsc::channel::<Msg>();
    let wtx = tx.clone();
    let atx = tx.clone();
    let mut workers = Workers {
        solver: Worker::spawn(move |m| {
            let _ = wtx.send(Msg::Worker(m));
        }),
        analysis: AnalysisWorker::spawn(move |id, result| {
            let _ = atx.send(Msg::Worker(WorkerMsg::Analysis { id, result }));
        }),
    };
    std::thread::Builder::new()
        .name("parkplan-input".into())
        .spawn(move || {
            while let Ok(ev) = event::read() {
                if tx.send(Msg::Input(ev)).is_err() {
                    break;
                }
            }
        })?;
    // Installs a panic hook that restores the terminal.
    let mut terminal = ratatui::init();
    execute(&mut app, &mut workers, vec![Effect::Solve]);
    let result = (|| -> anyhow::Result<()> {
        loop {
            terminal.draw(|f| view::view(&app, f))?;
            let mut msg = rx.recv()?;
            loop {
                let effects = match msg {
                    Msg::Input(ev) => match action::action_for(&app, &ev) {
                        Some(a) => update(&mut app, a),
                        None => Vec::new(),
                    },
                    Msg::Worker(m) => {
                        on_worker(&mut app, m);
                        Vec::new()
                    }
                };
                execute(&mut app, &mut workers, effects);
                match rx.try_recv() {
                    Ok(m) => msg = m,
                    Err(_) => break,
                }
            }
            if app.quit {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result
}

/// Carries out effects: solves go to the worker, files are written atomically.
fn execute(app: &mut App, workers: &mut Workers, effects: Vec<Effect>) {
    // After an edit, analyses of the old scenario still running are wasted work.
    workers.analysis.cancel_stale(app.analyses.id);
    for e in effects {
        match e {
            Effect::Solve => {
                let job = begin_run(app);
                workers.solver.submit(job.run_id, job.park, job.objective);
            }
            Effect::Analyze(kind) => workers.analysis.submit(analysis_job(app, kind)),
            other => write_file(app, other),
        }
    }
}

/// The background threads.
struct Workers {
    solver: Worker,
    analysis: AnalysisWorker,
}

/// Writes a save or export; the outcome goes to the status line.
pub fn write_file(app: &mut App, effect: Effect) {
    let (path, overwrite, text, what) = match effect {
        Effect::Save { path, overwrite } => {
            // Edit the loaded file in place (comments and sources kept); fall
            // back to writing the whole park when that cannot express the edits.
            let base = match (&app.source, &app.source_text) {
                (None, _) => Some(parkplan::park::PAPER_CASE_TOML),
                (Some(_), Some(t)) => Some(t.as_str()),
                (Some(_), None) => None,
            };
            let text = base
                .and_then(|b| {
                    parkplan::park::updated_toml(b, &app.original.park, &app.scenario.park).ok()
                })
                .unwrap_or_else(|| {
                    parkplan::park::to_toml(&app.scenario.park, "saved from the parkplan console")
                });
            // Saved elsewhere, a relative profile path would lose its CSV.
            let text = match parkplan::park::profile_path_for_save(
                &app.scenario.park,
                app.source.as_deref(),
                &path,
            ) {
                Some(abs) => parkplan::park::with_profile_file(&text, &abs).unwrap_or_else(|_| {
                    // The whole park, written with the CSV's absolute path.
                    let mut park = app.scenario.park.clone();
                    if let Some(en) = park.energy.as_mut() {
                        en.profile.source = parkplan::park::ProfileSource::File(abs);
                    }
                    parkplan::park::to_toml(&park, "saved from the parkplan console")
                }),
                None => text,
            };
            (path, overwrite, text, "scenario")
        }
        Effect::Export { path, overwrite } => match export_text(app, &path) {
            Some(text) => (path, overwrite, text, "plan"),
            None => {
                app.note = Some(Note::Error("no plan to export yet".into()));
                return;
            }
        },
        Effect::Solve | Effect::Analyze(_) => return,
    };
    app.note = Some(
        match parkplan::io::write_atomic(&path, text.as_bytes(), overwrite) {
            Ok(()) => {
                if what == "scenario" {
                    app.saved = Some(app.scenario.clone());
                }
                Note::Info(format!("{what} written to {}", path.display()))
            }
            Err(e) => Note::Error(format!(
                "could not write {}: {e}; nothing was changed",
                path.display()
            )),
        },
    );
}

/// The shown plan as CSV, or JSON for a `.json` path.
pub fn export_text(app: &App, path: &std::path::Path) -> Option<String> {
    let run = &app.run;
    let opts = run.opts.as_ref()?;
    let plan = run.plan.clone()?;
    let (bound, kind) = run.bound.unwrap_or((f64::NAN, BoundKind::Relaxation));
    let value = plan.objective(opts, app.scenario.objective);
    // The plan on screen is proven optimal when the exact solver's optimum is
    // known and the plan reaches it (the GA's or a loaded Pareto point's alike).
    let proven = kind == BoundKind::Optimum
        && parkplan::solve::relative_gap(value, bound) <= parkplan::solve::PROVEN_GAP;
    let sol = Solution {
        plan,
        objective: app.scenario.objective,
        value,
        upper_bound: bound,
        bound: kind,
        proven_optimal: proven,
        evaluations: run.evaluations,
        seconds: run.seconds,
        solver: run.solver,
    };
    let report = Report::new(&app.scenario.park, opts, &sol);
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    Some(if json {
        report.to_json()
    } else {
        report.to_csv()
    })
}
