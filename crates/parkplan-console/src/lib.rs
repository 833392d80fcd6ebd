//! The what-if console. The state (`app`) is shared by the views (`view`,
//! one file each); terminal events become actions through one keymap
//! (`action`); `update` changes the state and returns effects as data, which
//! an [`Executor`] carries out (the solve and the analyses on the newest-job-wins
//! [`runner`], files written atomically). One channel carries terminal events
//! and job messages to the loop, which blocks on it, drains what is pending and
//! draws once. The loop is generic over the backend and the executor, so tests
//! drive the real loop with a TestBackend and jobs run in the test's thread.

pub mod action;
pub mod app;
pub mod fields;
pub mod runner;
pub mod solve;
pub mod theme;
pub mod update;
pub mod view;

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};

use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::report::Report;
use parkplan::solve::{BoundKind, Solution};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};

use self::app::{App, Note};
use self::runner::Runner;
use self::solve::WorkerMsg;
use self::theme::Theme;
use self::update::{Effect, analysis_job, begin_run, on_worker, update};

/// What the loop waits for.
#[derive(Debug)]
pub enum Msg {
    Input(Event),
    Worker(WorkerMsg),
}

/// Carries out the effects `update` returns.
pub trait Executor {
    fn execute(&mut self, app: &mut App, effects: Vec<Effect>);
}

/// The console's executor: jobs to the runner's threads, files to disk.
pub struct Threads {
    runner: Runner<WorkerMsg>,
}

impl Threads {
    /// Job messages go to `tx`.
    pub fn new(tx: mpsc::Sender<Msg>) -> Threads {
        let tx = std::sync::Mutex::new(tx);
        Threads {
            runner: Runner::new(move |m| {
                if let Ok(tx) = tx.lock() {
                    let _ = tx.send(Msg::Worker(m));
                }
            }),
        }
    }
}

impl Executor for Threads {
    fn execute(&mut self, app: &mut App, effects: Vec<Effect>) {
        // After an edit, analyses of the old scenario still running are wasted work.
        self.runner.cancel_stale(app.analyses_id);
        for e in effects {
            match e {
                Effect::Solve => self.runner.submit(begin_run(app).into_task()),
                Effect::Analyze(view) => {
                    if let Some(job) = analysis_job(app, view) {
                        self.runner.submit(job.into_task());
                    }
                }
                other => write_file(app, other),
            }
        }
    }
}

/// An executor that runs every job to its end in the calling thread and
/// applies its messages at once: for tests, the soak's replays and the
/// screenshots. Solve timings are pinned to `seconds` (they vary from run to
/// run) so that rendered screens are stable.
#[derive(Debug, Clone, Copy)]
pub struct Inline {
    pub seconds: f64,
}

impl Default for Inline {
    fn default() -> Inline {
        Inline { seconds: 0.0012 }
    }
}

impl Executor for Inline {
    fn execute(&mut self, app: &mut App, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Solve => {
                    let job = begin_run(app);
                    let mut msgs = Vec::new();
                    solve::run_job(&job, &mut |m| msgs.push(m));
                    for m in msgs {
                        on_worker(app, m);
                    }
                    app.run.seconds = self.seconds;
                }
                Effect::Analyze(view) => {
                    if let Some(m) = analysis_job(app, view)
                        .and_then(|job| job.run(&parkplan::solve::CancelToken::new()))
                    {
                        on_worker(app, m);
                    }
                }
                other => write_file(app, other),
            }
        }
    }
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
    let mut exec = Threads::new(tx.clone());
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
    let result = run_loop(&mut terminal, &mut app, &mut exec, &rx);
    ratatui::restore();
    result
}

/// The loop: the first solve, then draw, wait for a message, handle it and
/// every other pending one, draw again; until the user quits or the channel
/// closes.
pub fn run_loop<B: Backend, E: Executor>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    exec: &mut E,
    rx: &Receiver<Msg>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    exec.execute(app, vec![Effect::Solve]);
    loop {
        terminal.draw(|f| view::view(app, f))?;
        let Ok(mut msg) = rx.recv() else {
            return Ok(());
        };
        loop {
            handle(app, exec, msg);
            match rx.try_recv() {
                Ok(m) => msg = m,
                Err(_) => break,
            }
        }
        if app.quit {
            terminal.draw(|f| view::view(app, f))?;
            return Ok(());
        }
    }
}

/// One message: an input event through the keymap and `update`, or a job's
/// message; then the effects.
pub fn handle<E: Executor>(app: &mut App, exec: &mut E, msg: Msg) {
    let effects = match msg {
        Msg::Input(ev) => match action::action_for(app, &ev) {
            Some(a) => update(app, a),
            None => Vec::new(),
        },
        Msg::Worker(m) => {
            on_worker(app, m);
            Vec::new()
        }
    };
    exec.execute(app, effects);
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
    let sol = Solution {
        plan,
        objective: app.scenario.objective,
        value,
        upper_bound: bound,
        bound: kind,
        proven_optimal: false,
        evaluations: run.evaluations,
        seconds: run.seconds,
        solver: "ga",
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
