//! The console's files: saves and exports, written away from the UI thread
//! (a large park's in-place save takes seconds), the temporary files a killed
//! save left behind, and the recovery file of unsaved edits written when the
//! console is stopped by a signal and offered at the next start.

use std::path::{Path, PathBuf};

use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan::report::Report;
use parkplan::solve::{BoundKind, Solution};

use crate::app::{App, Note, Scenario};
use crate::update::Effect;

/// A write to carry out: everything it needs, taken from the app.
pub struct Write {
    pub path: PathBuf,
    pub overwrite: bool,
    /// "scenario" or "plan", for the status line.
    pub what: &'static str,
    /// The scenario a save writes (marked saved once written).
    pub scenario: Option<Scenario>,
    /// The loaded file's state, when this save writes over it.
    loaded: Option<parkplan::io::FileState>,
    text: Box<dyn FnOnce() -> String + Send>,
}

/// How a write went.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub what: &'static str,
    pub scenario: Option<Scenario>,
    /// The file's new state after a save over the loaded file.
    pub state: Option<parkplan::io::FileState>,
    pub result: Result<(), String>,
    /// Refused because the file changed on disk since it was loaded.
    pub changed_on_disk: bool,
}

/// The write an effect asks for (`None`, with a message, if there is nothing
/// to write). Building the text is left to [`Write::run`], off the UI thread.
pub fn prepare(app: &mut App, effect: Effect) -> Option<Write> {
    match effect {
        Effect::Save { path, overwrite } => {
            let data = SaveData::of(app);
            let target = path.clone();
            let loaded = app
                .source_state
                .clone()
                .filter(|_| app.source.as_ref().is_some_and(|s| same_file(s, &path)));
            Some(Write {
                path,
                overwrite,
                what: "scenario",
                scenario: Some(app.scenario.clone()),
                loaded,
                text: Box::new(move || data.text(&target)),
            })
        }
        Effect::Export { path, overwrite } => match export_text(app, &path) {
            Some(text) => Some(Write {
                path,
                overwrite,
                what: "plan",
                scenario: None,
                loaded: None,
                text: Box::new(move || text),
            }),
            None => {
                app.note = Some(Note::Error("no plan to export yet".into()));
                None
            }
        },
        Effect::Solve | Effect::Analyze(_) => None,
    }
}

impl Write {
    /// Builds the text and writes it atomically, after removing what earlier
    /// killed writes to the same path left behind.
    pub fn run(self) -> Written {
        parkplan::io::clean_stale_temporaries(&self.path);
        let text = (self.text)();
        let result = match &self.loaded {
            // Over the loaded file: refused if another program (or console)
            // changed it since it was loaded, rather than discard its edits.
            Some(state) => parkplan::io::write_if_unchanged(&self.path, text.as_bytes(), state),
            None => parkplan::io::write_atomic(&self.path, text.as_bytes(), self.overwrite)
                .map_err(parkplan::io::SaveError::from),
        };
        let state = (result.is_ok() && self.loaded.is_some())
            .then(|| parkplan::io::FileState::of(&self.path, u64::MAX).ok())
            .flatten();
        let changed_on_disk = matches!(result, Err(parkplan::io::SaveError::ChangedOnDisk { .. }));
        Written {
            path: self.path,
            what: self.what,
            scenario: self.scenario,
            state,
            changed_on_disk,
            result: result.map_err(|e| match e {
                parkplan::io::SaveError::ChangedOnDisk { .. } => {
                    "it changed on disk since it was loaded".to_string()
                }
                other => other.to_string(),
            }),
        }
    }
}

/// Puts the outcome of a write on the status line.
pub fn on_written(app: &mut App, w: Written) {
    app.saving = None;
    if w.changed_on_disk {
        // Another program (or console) saved the file meanwhile: offer to
        // save elsewhere rather than discard its edits or these.
        app.prompt = Some(crate::app::Prompt {
            kind: crate::app::PromptKind::SaveElsewhere {
                why: format!(
                    "{} changed on disk since it was loaded: not saved",
                    w.path.display()
                ),
            },
            input: tui_input::Input::new(app.default_save_path().display().to_string()),
        });
        app.note = Some(Note::Error(format!(
            "{} changed on disk since it was loaded; nothing was written",
            w.path.display()
        )));
        return;
    }
    let scenario_saved = w.scenario.is_some();
    app.note = Some(match w.result {
        Ok(()) => {
            if let Some(s) = w.scenario {
                app.saved = Some(s);
            }
            if w.state.is_some() {
                app.source_state = w.state;
            }
            let loaded = matches!(&app.run.status,
                crate::app::RunStatus::Done { why } if why == crate::app::PARETO_LOADED);
            let tail = if loaded && scenario_saved {
                // Reopened, the file is solved again: say so before the
                // planner expects the Pareto plan on screen back.
                "; a park file keeps the parameters, not the loaded Pareto plan (x exports it)"
            } else {
                ""
            };
            Note::Info(format!("{} written to {}{tail}", w.what, w.path.display()))
        }
        Err(e) => Note::Error(format!(
            "could not write {}: {e}; nothing was changed",
            w.path.display()
        )),
    });
    if app.quit_after_save {
        app.quit_after_save = false;
        if !app.dirty() {
            app.quit = true;
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// What a save needs of the app.
struct SaveData {
    objective: Objective,
    original: Park,
    park: Park,
    source: Option<PathBuf>,
    source_text: Option<String>,
}

impl SaveData {
    fn of(app: &App) -> SaveData {
        SaveData {
            objective: app.scenario.objective,
            original: app.original.park.clone(),
            park: app.scenario.park.clone(),
            source: app.source.clone(),
            source_text: app.source_text.clone(),
        }
    }

    /// The park file to write at `path`: the loaded file edited in place
    /// (comments and sources kept), else the whole park.
    fn text(&self, path: &Path) -> String {
        let base = match (&self.source, &self.source_text) {
            (None, _) => Some(parkplan::park::PAPER_CASE_TOML),
            (Some(_), Some(t)) => Some(t.as_str()),
            (Some(_), None) => None,
        };
        let text = base
            .and_then(|b| parkplan::park::updated_toml(b, &self.original, &self.park).ok())
            .unwrap_or_else(|| {
                parkplan::park::to_toml(&self.park, "saved from the parkplan console")
            });
        // Saved elsewhere, a relative profile path would lose its CSV.
        let text =
            match parkplan::park::profile_path_for_save(&self.park, self.source.as_deref(), path) {
                Some(abs) => parkplan::park::with_profile_file(&text, &abs).unwrap_or_else(|_| {
                    // The whole park, written with the CSV's absolute path.
                    let mut park = self.park.clone();
                    if let Some(en) = park.energy.as_mut() {
                        en.profile.source = parkplan::park::ProfileSource::File(abs);
                    }
                    parkplan::park::to_toml(&park, "saved from the parkplan console")
                }),
                None => text,
            };
        with_objective(&text, self.objective)
    }
}

/// The park file's text with the console's objective in its comment line
/// (replacing an older one): a comment, so the park format and every other
/// command are unchanged; `parkplan console FILE` starts with it.
pub fn with_objective(text: &str, objective: Objective) -> String {
    let mut out = format!("{OBJECTIVE_LINE}{}\n", objective.name());
    for line in text.lines().filter(|l| !l.starts_with(OBJECTIVE_LINE)) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The objective saved with a scenario by the console, if the text has one.
pub fn saved_objective(text: &str) -> Option<Objective> {
    text.lines()
        .find_map(|l| l.strip_prefix(OBJECTIVE_LINE))
        .and_then(|o| match o.trim() {
            "carbon" => Some(Objective::Carbon),
            "economic" => Some(Objective::Economic),
            _ => None,
        })
}

/// The shown plan as CSV, or JSON for a `.json` path.
pub fn export_text(app: &App, path: &Path) -> Option<String> {
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

/// Where the unsaved edits of a session on `source` are kept when a signal
/// stops it: `.FILE.recover.toml` (FILE the park file's whole name, as
/// the README says) next to the park file (so that its relative
/// profile path still resolves), or `.paper-case.recover.toml` in the working
/// folder for the built-in case.
pub fn recovery_path(source: Option<&Path>) -> PathBuf {
    match source {
        Some(p) => {
            let name = p
                .file_name()
                .map_or("park.toml".into(), |n| n.to_string_lossy().to_string());
            p.with_file_name(format!(".{name}.recover.toml"))
        }
        None => PathBuf::from(".paper-case.recover.toml"),
    }
}

const OBJECTIVE_LINE: &str = "# parkplan console objective: ";

/// Writes the unsaved edits to the recovery file; returns its path.
pub fn write_recovery(app: &App, why: &str) -> Result<PathBuf, String> {
    let path = recovery_path(app.source.as_deref());
    let body = SaveData::of(app).text(&path);
    let text = format!(
        "# parkplan recovery: unsaved edits of {}, written when the console was stopped by {why}.\n\
         # The next `parkplan console` on that file offers to restore them.\n{body}",
        app.source
            .as_ref()
            .map_or("the built-in paper case".to_string(), |p| p
                .display()
                .to_string()),
    );
    parkplan::io::write_atomic(&path, text.as_bytes(), true)
        .map(|()| path.clone())
        .map_err(|e| format!("could not write {}: {e}", path.display()))
}

/// Reads a recovery file back: the scenario it holds.
pub fn read_recovery(path: &Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let objective = saved_objective(&text).unwrap_or(Objective::Economic);
    let park = Park::load(path).map_err(|e| e.to_string())?;
    Ok(Scenario { park, objective })
}
