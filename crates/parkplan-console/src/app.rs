//! Console state. Rendering only reads it; `update` is the only writer.

use std::path::PathBuf;
use std::sync::Arc;

use parkplan::analysis::ledger::Ledger;
use parkplan::model::{Objective, Options};
use parkplan::park::{Park, Strategy};
use parkplan::plan::{Evaluation, Plan};
use parkplan::solve::BoundKind;
use tui_input::Input;

use crate::fields::Field;
use crate::theme::Theme;
use crate::view::View;

/// What the user is planning: the park with their edits, and the objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub park: Park,
    pub objective: Objective,
}

/// The state of a view's background analysis.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Analysis<T> {
    #[default]
    Idle,
    Running,
    Ready(T),
    Failed(String),
}

/// A row of the plan table: one region-strategy slot of the park.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotRef {
    pub region: usize,
    pub slot: usize,
}

/// What an open text field edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditTarget {
    Field(Field),
    /// The capacity cap of a slot, in report units.
    Cap(SlotRef),
    /// A field of the focused view's own (the Sensitivity range): its keys
    /// and Enter go to that view.
    View,
}

/// A text field being edited in place.
#[derive(Debug, Clone)]
pub struct Edit {
    pub target: EditTarget,
    pub input: Input,
    /// Why the last attempt was refused.
    pub error: Option<String>,
    /// The text is selected, as it is when the field opens: typing replaces
    /// it (`Enter` on 59 then `200` gives 200, not 59200); a move keeps it.
    pub selected: bool,
}

impl Edit {
    /// A field holding `text`, selected.
    pub fn new(target: EditTarget, text: String) -> Edit {
        Edit {
            target,
            input: Input::new(text),
            error: None,
            selected: true,
        }
    }

    /// A key typed in the field.
    pub fn key(&mut self, ev: &ratatui::crossterm::event::Event) {
        use ratatui::crossterm::event::{Event, KeyCode};
        use tui_input::backend::crossterm::EventHandler;
        if self.selected
            && let Event::Key(k) = ev
        {
            self.selected = false;
            if matches!(
                k.code,
                KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
            ) {
                self.input = Input::default();
                if !matches!(k.code, KeyCode::Char(_)) {
                    return;
                }
            }
        }
        self.input.handle_event(ev);
        self.error = None;
    }
}

/// What a path prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    SaveScenario,
    /// The loaded file changed on disk: save the scenario under another name.
    SaveElsewhere {
        why: String,
    },
    ExportPlan,
    /// The file exists: overwrite it? (y/n), then do `then`.
    ConfirmOverwrite {
        path: PathBuf,
        then: Box<PromptKind>,
    },
    /// Unsaved edits: quit anyway? (y/n; s saves first)
    ConfirmQuit,
    /// A signal stopped an earlier session with unsaved edits, kept here:
    /// restore them? (y/n)
    ConfirmRestore {
        path: PathBuf,
    },
}

impl PromptKind {
    /// A y/n question rather than a text prompt.
    pub fn is_question(&self) -> bool {
        matches!(
            self,
            PromptKind::ConfirmOverwrite { .. }
                | PromptKind::ConfirmQuit
                | PromptKind::ConfirmRestore { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Input,
}

/// State of the current run.
/// Why a run is done when the plan shown was loaded from the Pareto front: a
/// save then says that a park file keeps the parameters, not that plan.
pub const PARETO_LOADED: &str = "plan loaded from the Pareto front";

#[derive(Debug, Clone, PartialEq)]
pub enum RunStatus {
    Starting,
    Running {
        generation: usize,
    },
    /// Finished; the text says why it stopped.
    Done {
        why: String,
    },
    Failed(String),
}

/// A plan with what is shown of it, kept from the run before an edit until
/// the new run has a plan of its own (a 1,000-region park takes seconds): the
/// views show it marked as the plan before the edit, never as the new one.
#[derive(Debug, Clone)]
pub struct Before {
    pub opts: Arc<Options>,
    pub plan: Plan,
    pub evaluation: Evaluation,
    pub ledger: Option<Ledger>,
}

/// The current optimization and everything shown of it. Replaced on every
/// edit; of an older run only `before` is kept, and shown as such.
#[derive(Debug, Clone)]
pub struct Run {
    pub id: u64,
    pub status: RunStatus,
    pub opts: Option<Arc<Options>>,
    /// Upper bound (the proven optimum when `BoundKind::Optimum`).
    pub bound: Option<(f64, BoundKind)>,
    /// (generation, value) of the best and the mean individual.
    pub best: Vec<(f64, f64)>,
    pub mean: Vec<(f64, f64)>,
    pub plan: Option<Plan>,
    pub evaluation: Option<Evaluation>,
    /// The ledger of `plan`, computed when the plan changes (never while drawing).
    pub ledger: Option<Ledger>,
    pub evaluations: u64,
    pub seconds: f64,
    /// Which solver found `plan` (the exact solver's certification, or the GA).
    pub solver: parkplan::solve::SolverKind,
    /// The plan shown before the edit that started this run, until `plan`.
    pub before: Option<Box<Before>>,
}

impl Run {
    pub fn new(id: u64) -> Run {
        Run {
            id,
            status: RunStatus::Starting,
            opts: None,
            bound: None,
            best: Vec::new(),
            mean: Vec::new(),
            plan: None,
            evaluation: None,
            ledger: None,
            evaluations: 0,
            seconds: 0.0,
            solver: parkplan::solve::SolverKind::Ga,
            before: None,
        }
    }

    /// What this run shows, to be kept while the next one has no plan yet:
    /// its own plan, else the one it was itself keeping.
    pub fn take_shown(&mut self) -> Option<Box<Before>> {
        match (&self.opts, self.plan.take(), self.evaluation.take()) {
            (Some(opts), Some(plan), Some(evaluation)) => Some(Box::new(Before {
                opts: opts.clone(),
                plan,
                evaluation,
                ledger: self.ledger.take(),
            })),
            _ => self.before.take(),
        }
    }

    /// The best value so far.
    pub fn value(&self) -> Option<f64> {
        self.best.last().map(|p| p.1)
    }

    /// Relative gap of the plan on screen to the bound (of the GA's best while
    /// no plan is shown yet).
    pub fn gap(&self, obj: Objective) -> Option<f64> {
        let value = match &self.evaluation {
            Some(e) => e.totals.objective(obj),
            None => self.value()?,
        };
        Some(parkplan::solve::relative_gap(value, self.bound?.0))
    }
}

/// What `u` undoes.
#[derive(Debug, Clone, PartialEq)]
pub enum Undo {
    /// An edit: the scenario before it.
    Scenario(Box<Scenario>),
    /// A plan loaded from the Pareto front: the plan shown before (the
    /// scenario did not change), with why its run finished (`None`: the load
    /// stopped it, so undoing runs it again).
    Loaded {
        plan: Plan,
        status: Option<RunStatus>,
    },
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    Info(String),
    Error(String),
}

/// The whole console state.
#[derive(Debug, Clone)]
pub struct App {
    /// The park file, or `None` for the built-in case.
    pub source: Option<PathBuf>,
    /// The values as loaded (reset target).
    pub original: Scenario,
    pub scenario: Scenario,
    /// Undo steps, most recent last.
    pub undo: Vec<Undo>,
    /// The views, in tab order (see `view::registry`), each with its own state.
    pub views: Vec<Box<dyn View>>,
    /// The key of each view, in tab order (also while `views` is lent out).
    pub view_keys: Vec<&'static str>,
    /// Index of the view shown (into `views`).
    pub focus: usize,
    pub edit: Option<Edit>,
    pub prompt: Option<Prompt>,
    pub run: Run,
    pub note: Option<Note>,
    pub show_help: bool,
    /// The id of the current scenario's analyses: bumped on every edit, so no
    /// analysis of older parameters can be shown.
    pub analyses_id: u64,
    /// The scenario as last saved from the console, if it was.
    pub saved: Option<Scenario>,
    /// The park file's text as loaded (the built-in case's when `source` is
    /// `None`): saves edit it in place, keeping the planner's comments.
    pub source_text: Option<String>,
    /// The park file as loaded (or last saved): a save over it is refused if
    /// it changed on disk since (`parkplan::io::write_if_unchanged`).
    pub source_state: Option<parkplan::io::FileState>,
    /// Plot with dots instead of braille (for fonts without braille).
    pub chart_dots: bool,
    pub theme: Theme,
    pub quit: bool,
    /// Ctrl-z was pressed: the loop suspends the console (see `Executor::suspend`).
    pub suspend: bool,
    /// Quit once the save asked for from the quit prompt is written.
    pub quit_after_save: bool,
    /// The file being written in the background, if one is.
    pub saving: Option<PathBuf>,
    /// Why the console was stopped (by a signal), for the caller to report.
    pub stopped: Option<String>,
    /// The plan shown before the last edit, for the change marks.
    pub previous: Option<crate::changes::Snapshot>,
    /// A plan pinned with `b`: the marks compare with it until unpinned.
    pub baseline: Option<crate::changes::Snapshot>,
    /// `--set` overrides given on the command line (already in the park).
    pub cli_sets: Vec<(String, f64)>,
    /// Mouse reports asked of the terminal (`M` toggles, `--no-mouse` starts
    /// without): off, the terminal selects text as usual.
    pub mouse: bool,
    /// Where the last frame drew tabs, rows and points, for mouse clicks.
    pub hits: crate::mouse::HitMap,
}

/// Most undo steps kept.
pub const UNDO_LIMIT: usize = 200;

impl App {
    pub fn new(park: Park, source: Option<PathBuf>, objective: Objective, theme: Theme) -> App {
        let views = crate::view::registry(&park);
        let view_keys = views.iter().map(|v| v.key()).collect();
        let scenario = Scenario { park, objective };
        App {
            views,
            view_keys,
            analyses_id: 0,
            saved: None,
            source_text: None,
            source_state: None,
            source,
            original: scenario.clone(),
            scenario,
            undo: Vec::new(),
            focus: 0,
            edit: None,
            prompt: None,
            run: Run::new(0),
            note: None,
            show_help: false,
            chart_dots: false,
            theme,
            quit: false,
            suspend: false,
            quit_after_save: false,
            saving: None,
            stopped: None,
            previous: None,
            baseline: None,
            cli_sets: Vec::new(),
            mouse: true,
            hits: Default::default(),
        }
    }

    /// The key of the view shown.
    pub fn focused(&self) -> &'static str {
        self.view_keys[self.focus]
    }

    /// Index of the view with this key.
    pub fn view_index(&self, key: &str) -> Option<usize> {
        self.view_keys.iter().position(|k| *k == key)
    }

    /// The view of type `V` (tests and views read each other's state with it).
    /// Panics if no view has that type, or while the views are lent out.
    pub fn view<V: View>(&self) -> &V {
        self.views
            .iter()
            .find_map(|v| v.as_any().downcast_ref::<V>())
            .expect("a view of this type")
    }

    /// The view of type `V`, to change.
    pub fn view_mut<V: View>(&mut self) -> &mut V {
        self.views
            .iter_mut()
            .find_map(|v| v.as_any_mut().downcast_mut::<V>())
            .expect("a view of this type")
    }

    /// Whether there are edits that were neither saved nor undone.
    pub fn dirty(&self) -> bool {
        self.scenario != self.original && self.saved.as_ref() != Some(&self.scenario)
    }

    /// Every region-strategy slot of the park, in table order.
    pub fn slots(&self) -> Vec<SlotRef> {
        slots_of(&self.scenario.park)
    }

    /// The new run has no plan yet and the plan before the edit is shown
    /// (dimmed, and said so) in its place.
    pub fn recomputing(&self) -> bool {
        self.run.plan.is_none() && self.run.before.is_some()
    }

    /// The option table of the plan shown (the one before the edit while
    /// recomputing).
    pub fn shown_opts(&self) -> Option<&Arc<Options>> {
        match &self.run.before {
            Some(b) if self.recomputing() => Some(&b.opts),
            _ => self.run.opts.as_ref(),
        }
    }

    /// The evaluation of the plan shown (see [`App::recomputing`]).
    pub fn shown_evaluation(&self) -> Option<&Evaluation> {
        match &self.run.before {
            Some(b) if self.recomputing() => Some(&b.evaluation),
            _ => self.run.evaluation.as_ref(),
        }
    }

    /// The ledger of the plan shown (see [`App::recomputing`]).
    pub fn shown_ledger(&self) -> Option<&Ledger> {
        match &self.run.before {
            Some(b) if self.recomputing() => b.ledger.as_ref(),
            _ => self.run.ledger.as_ref(),
        }
    }

    /// The built item of a slot in the shown plan: (item index, capacity).
    pub fn built(&self, s: SlotRef) -> Option<(usize, f64)> {
        let opts = self.shown_opts()?;
        let plan = match &self.run.before {
            Some(b) if self.recomputing() => &b.plan,
            _ => self.run.plan.as_ref()?,
        };
        let region = &self.scenario.park.regions[s.region];
        let strategy: Strategy = region.slots[s.slot].strategy;
        plan.built().find_map(|b| {
            let it = &opts.items[b.item];
            (it.region == s.region && it.strategy == strategy).then_some((b.item, b.capacity))
        })
    }

    /// Name for the default save path: `<stem>-edited.toml` next to the source.
    pub fn default_save_path(&self) -> PathBuf {
        match &self.source {
            Some(p) => {
                let stem = p
                    .file_stem()
                    .map_or("park".into(), |s| s.to_string_lossy().to_string());
                p.with_file_name(format!("{stem}-edited.toml"))
            }
            None => PathBuf::from("paper-case-edited.toml"),
        }
    }

    pub fn default_export_path(&self) -> PathBuf {
        let stem = self
            .source
            .as_ref()
            .and_then(|p| p.file_stem())
            .map_or("paper-case".into(), |s| s.to_string_lossy().to_string());
        PathBuf::from(format!(
            "{stem}-{}-plan.csv",
            self.scenario.objective.name()
        ))
    }
}

pub fn slots_of(park: &Park) -> Vec<SlotRef> {
    park.regions
        .iter()
        .enumerate()
        .flat_map(|(r, reg)| (0..reg.slots.len()).map(move |s| SlotRef { region: r, slot: s }))
        .collect()
}
