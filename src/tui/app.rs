//! Console state. Rendering only reads it; `update` is the only writer.

use std::path::PathBuf;
use std::sync::Arc;

use parkplan::model::{Objective, Options};
use parkplan::park::{PARAMS, Park, Strategy};
use parkplan::plan::{Evaluation, Plan};
use parkplan::solve::BoundKind;
use tui_input::Input;

use super::theme::Theme;

/// What the user is planning: the park with their edits, and the objective.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub park: Park,
    pub objective: Objective,
}

/// The panes; on small terminals they become tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Plan,
    Params,
    Chart,
}

impl Focus {
    pub const ALL: [Focus; 3] = [Focus::Plan, Focus::Params, Focus::Chart];
    pub fn title(self) -> &'static str {
        match self {
            Focus::Plan => "Plan",
            Focus::Params => "Parameters",
            Focus::Chart => "GA fitness",
        }
    }
}

/// A genetic-algorithm setting editable in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GaField {
    Population,
    Generations,
    Seed,
    CrossoverRate,
    MutationRate,
    Elitism,
    Stall,
}

impl GaField {
    pub const ALL: [GaField; 7] = [
        GaField::Population,
        GaField::Generations,
        GaField::Seed,
        GaField::CrossoverRate,
        GaField::MutationRate,
        GaField::Elitism,
        GaField::Stall,
    ];
    pub fn key(self) -> &'static str {
        match self {
            GaField::Population => "population",
            GaField::Generations => "generations",
            GaField::Seed => "seed",
            GaField::CrossoverRate => "crossover_rate",
            GaField::MutationRate => "mutation_rate",
            GaField::Elitism => "elitism",
            GaField::Stall => "stall_generations",
        }
    }
}

/// A row of the parameter list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Objective,
    /// Index into [`PARAMS`].
    Econ(usize),
    Ga(GaField),
}

impl Field {
    /// Every row, in display order.
    pub fn all() -> Vec<Field> {
        let mut v = vec![Field::Objective];
        v.extend((0..PARAMS.len()).map(Field::Econ));
        v.extend(GaField::ALL.map(Field::Ga));
        v
    }
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
}

/// A text field being edited in place.
#[derive(Debug, Clone)]
pub struct Edit {
    pub target: EditTarget,
    pub input: Input,
    /// Why the last attempt was refused.
    pub error: Option<String>,
}

/// What a path prompt is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    SaveScenario,
    ExportPlan,
    /// The file exists: overwrite it? (y/n), then do `then`.
    ConfirmOverwrite {
        path: PathBuf,
        then: Box<PromptKind>,
    },
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Input,
}

/// State of the current run.
#[derive(Debug, Clone, PartialEq)]
pub enum RunStatus {
    Starting,
    Running {
        generation: usize,
    },
    /// Finished; the text says why it stopped.
    Done {
        why: &'static str,
    },
    Failed(String),
}

/// The current optimization and everything shown of it. Replaced on every edit,
/// so nothing of an older run can be shown.
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
    pub evaluations: u64,
    pub seconds: f64,
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
            evaluations: 0,
            seconds: 0.0,
        }
    }

    /// The best value so far.
    pub fn value(&self) -> Option<f64> {
        self.best.last().map(|p| p.1)
    }

    /// Relative gap of the best to the bound.
    pub fn gap(&self) -> Option<f64> {
        Some(parkplan::solve::relative_gap(self.value()?, self.bound?.0))
    }
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
    /// Earlier scenarios, most recent last.
    pub undo: Vec<Scenario>,
    pub focus: Focus,
    /// Selected row of the plan table (an index into `slots()`).
    pub plan_row: usize,
    /// Selected row of the parameter list.
    pub param_row: usize,
    pub edit: Option<Edit>,
    pub prompt: Option<Prompt>,
    pub run: Run,
    pub note: Option<Note>,
    pub show_help: bool,
    /// Plot with dots instead of braille (for fonts without braille).
    pub chart_dots: bool,
    pub theme: Theme,
    pub quit: bool,
}

/// Most undo steps kept.
pub const UNDO_LIMIT: usize = 200;

impl App {
    pub fn new(park: Park, source: Option<PathBuf>, objective: Objective, theme: Theme) -> App {
        let scenario = Scenario { park, objective };
        App {
            source,
            original: scenario.clone(),
            scenario,
            undo: Vec::new(),
            focus: Focus::Plan,
            plan_row: 0,
            param_row: 0,
            edit: None,
            prompt: None,
            run: Run::new(0),
            note: None,
            show_help: false,
            chart_dots: false,
            theme,
            quit: false,
        }
    }

    /// Every region-strategy slot of the park, in table order.
    pub fn slots(&self) -> Vec<SlotRef> {
        slots_of(&self.scenario.park)
    }

    /// The built item of a slot in the shown plan: (item index, capacity).
    pub fn built(&self, s: SlotRef) -> Option<(usize, f64)> {
        let opts = self.run.opts.as_ref()?;
        let plan = self.run.plan.as_ref()?;
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
