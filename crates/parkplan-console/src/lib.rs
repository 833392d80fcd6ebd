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
pub mod changes;
pub mod fields;
pub mod files;
pub mod input;
pub mod mouse;
pub mod runner;
pub mod solve;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};

use parkplan::model::Objective;
use parkplan::park::Park;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;

use self::app::{App, Note, Prompt, PromptKind};
use self::runner::Runner;
use self::solve::WorkerMsg;
use self::theme::Theme;
use self::update::{Effect, analysis_job, begin_run, on_worker, update};

/// What the loop waits for.
#[derive(Debug)]
pub enum Msg {
    Input(Event),
    Worker(WorkerMsg),
    /// A save or export finished (it ran on a thread of its own).
    Written(Box<files::Written>),
    /// SIGTERM or SIGHUP: keep the unsaved edits and leave.
    Signal(&'static str),
}

/// Carries out the effects `update` returns.
pub trait Executor {
    fn execute(&mut self, app: &mut App, effects: Vec<Effect>);
    /// Ctrl-z: stop the process as a shell's job (the terminal restored
    /// meanwhile, mouse reports too); returns once resumed with mouse reports
    /// as `mouse` says. Nothing where there is no terminal.
    fn suspend(&mut self, _mouse: bool) {}
    /// Mouse reports on or off (`M`). Nothing where there is no terminal.
    fn mouse(&mut self, _on: bool) {}
}

/// The console's executor: jobs to the runner's threads, files written on a
/// thread of their own (the status line says so meanwhile).
pub struct Threads {
    runner: Runner<WorkerMsg>,
    tx: mpsc::Sender<Msg>,
}

impl Threads {
    /// Job messages go to `tx`.
    pub fn new(tx: mpsc::Sender<Msg>) -> Threads {
        let jobs = std::sync::Mutex::new(tx.clone());
        Threads {
            runner: Runner::new(move |m| {
                if let Ok(tx) = jobs.lock() {
                    let _ = tx.send(Msg::Worker(m));
                }
            }),
            tx,
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
                other => {
                    if let Some(w) = files::prepare(app, other) {
                        app.saving = Some(w.path.clone());
                        let tx = self.tx.clone();
                        let spawned = std::thread::Builder::new()
                            .name("parkplan-write".into())
                            .spawn(move || {
                                let _ = tx.send(Msg::Written(Box::new(w.run())));
                            });
                        if let Err(e) = spawned {
                            app.saving = None;
                            app.note = Some(Note::Error(format!("could not start the write: {e}")));
                        }
                    }
                }
            }
        }
    }

    fn suspend(&mut self, mouse: bool) {
        terminal::suspend(mouse);
    }

    fn mouse(&mut self, on: bool) {
        terminal::set_mouse(on);
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
                    let Some(job) = analysis_job(app, view) else {
                        continue;
                    };
                    let mut msgs = Vec::new();
                    let token = parkplan::solve::CancelToken::new();
                    if let Some(m) = job.run_streaming(&token, &mut |m| msgs.push(m)) {
                        msgs.push(m);
                    }
                    for m in msgs {
                        on_worker(app, m);
                    }
                }
                other => write_file(app, other),
            }
        }
    }
}

/// How the console starts, from the command line's flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Mouse reports (`--no-mouse`: off; `M` toggles).
    pub mouse: bool,
    /// The high-contrast theme (`--theme high-contrast`; `T` toggles).
    pub high_contrast: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mouse: true,
            high_contrast: false,
        }
    }
}

/// Opens the console on `park` and runs it until the user quits.
/// `cli_sets` are the `--set` overrides already applied to `park`.
pub fn run(
    park: Park,
    source: Option<PathBuf>,
    objective: Option<Objective>,
    cli_sets: Vec<(String, f64)>,
    options: Options,
) -> anyhow::Result<()> {
    let theme = Theme::from_env_with(options.high_contrast);
    let mut app = open(park, source, objective, cli_sets, theme);
    app.mouse = options.mouse;
    offer_recovery(&mut app);
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut exec = Threads::new(tx.clone());
    terminal::spawn_signals(tx.clone())?;
    terminal::spawn_input(tx)?;
    // Installs a panic hook that restores the terminal (mouse reports too).
    let mut terminal = terminal::init(app.mouse);
    let result = run_loop(&mut terminal, &mut app, &mut exec, &rx);
    // Every way out of the loop (quit, SIGTERM/SIGHUP, an error) comes here.
    terminal::restore();
    match (result, app.stopped.take()) {
        (Err(e), _) => Err(e),
        (Ok(()), Some(why)) => Err(anyhow::anyhow!(why)),
        (Ok(()), None) => Ok(()),
    }
}

/// The console's state on `park` loaded from `source`: with `objective`, else
/// the one saved with the scenario (`s` keeps it in the file), else economic.
pub fn open(
    park: Park,
    source: Option<PathBuf>,
    objective: Option<Objective>,
    cli_sets: Vec<(String, f64)>,
    theme: Theme,
) -> App {
    let loaded = source
        .as_ref()
        .and_then(|p| parkplan::park::read_text(p).ok());
    let objective = objective
        .or_else(|| loaded.as_ref().and_then(|(t, _)| files::saved_objective(t)))
        .unwrap_or(Objective::Economic);
    let mut app = App::new(park, source, objective, theme);
    if let Some((text, state)) = loaded {
        app.source_text = Some(text);
        app.source_state = Some(state);
    }
    app.cli_sets = cli_sets;
    app
}

/// If a signal stopped an earlier session on this file with unsaved edits,
/// asks whether to restore them.
pub fn offer_recovery(app: &mut App) {
    let path = files::recovery_path(app.source.as_deref());
    if path.is_file() {
        app.prompt = Some(Prompt {
            kind: PromptKind::ConfirmRestore { path },
            input: Default::default(),
        });
    }
}

/// The loop: the first solve, then draw, wait for a message, handle it and
/// every other pending one, draw again; until the user quits or the channel
/// closes. Mouse reports are assumed as `app.mouse` says at the start (the
/// caller set them up); `M` changes them through the executor.
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
    let mut mouse = app.mouse;
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
        if app.mouse != mouse {
            mouse = app.mouse;
            exec.mouse(mouse);
        }
        if std::mem::take(&mut app.suspend) {
            exec.suspend(mouse);
            // Back from `fg` on a cleared screen: draw all of it (both
            // buffers reset; `clear` would ask the terminal for the cursor,
            // whose answer the input thread reads).
            terminal.swap_buffers();
            terminal.swap_buffers();
        }
        // A save still being written is waited for.
        if app.quit && app.saving.is_none() {
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
        Msg::Written(w) => {
            files::on_written(app, *w);
            Vec::new()
        }
        Msg::Signal(name) => {
            stop(app, name);
            Vec::new()
        }
    };
    exec.execute(app, effects);
}

/// Writes a save or export in this thread; the outcome goes to the status line.
pub fn write_file(app: &mut App, effect: Effect) {
    if let Some(w) = files::prepare(app, effect) {
        files::on_written(app, w.run());
    }
}

/// The shown plan as CSV, or JSON for a `.json` path.
pub fn export_text(app: &App, path: &std::path::Path) -> Option<String> {
    files::export_text(app, path)
}

/// A signal asks the console to stop: unsaved edits go to the recovery file,
/// and the loop ends (the caller restores the terminal).
pub fn stop(app: &mut App, signal: &str) {
    let why = if app.dirty() {
        match files::write_recovery(app, signal) {
            Ok(path) => format!(
                "stopped by {signal}; the unsaved edits were written to {} and the next start on \
                 the same file offers to restore them",
                path.display()
            ),
            Err(e) => format!("stopped by {signal}; the unsaved edits could not be kept: {e}"),
        }
    } else {
        format!("stopped by {signal}")
    };
    app.stopped = Some(why);
    app.quit = true;
    app.saving = None;
}
