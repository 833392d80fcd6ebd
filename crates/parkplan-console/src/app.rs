//! Console state. Rendering only reads it; `update` is the only writer.

use std::path::PathBuf;
use std::sync::Arc;

use parkplan::analysis::compare::ScenarioResult;
use parkplan::analysis::ledger::Ledger;
use parkplan::model::{Objective, Options};
use parkplan::park::{PARAMS, Park, Strategy, param};
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
    Sensitivity,
    Pareto,
    Mac,
    /// The carbon ledger, energy balance and KPIs of the plan shown.
    Ledger,
    /// The park's scenarios solved side by side.
    Compare,
}

impl Focus {
    pub const ALL: [Focus; 8] = [
        Focus::Plan,
        Focus::Params,
        Focus::Chart,
        Focus::Sensitivity,
        Focus::Pareto,
        Focus::Mac,
        Focus::Ledger,
        Focus::Compare,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Focus::Plan => "Plan",
            Focus::Params => "Params",
            Focus::Chart => "GA",
            Focus::Sensitivity => "Sensitivity",
            Focus::Pareto => "Pareto",
            Focus::Mac => "MAC",
            Focus::Ledger => "Ledger",
            Focus::Compare => "Compare",
        }
    }
    /// The analysis this view shows, if it is one.
    pub fn analysis(self) -> Option<AnalysisKind> {
        match self {
            Focus::Sensitivity => Some(AnalysisKind::Sweep),
            Focus::Pareto => Some(AnalysisKind::Pareto),
            Focus::Mac => Some(AnalysisKind::Mac),
            Focus::Compare => Some(AnalysisKind::Compare),
            _ => None,
        }
    }
}

/// The background analyses of the analysis views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnalysisKind {
    Sweep,
    Pareto,
    Mac,
    Compare,
}

/// What the Sensitivity view sweeps.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSetup {
    /// Index into [`PARAMS`].
    pub param: usize,
    pub from: f64,
    pub to: f64,
    pub count: usize,
}

/// A parameter the Sensitivity view can sweep: the economics, then (in a park
/// with `[energy]`) the electricity and gas prices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepParam {
    pub key: &'static str,
    pub unit: &'static str,
    /// What is allowed, as a range (and in words for an energy price).
    pub lo: f64,
    pub hi: f64,
    energy_rule: &'static str,
}

/// The energy prices the Sensitivity view sweeps (demands do not move the plan).
const SWEEP_ENERGY: [(&str, &str); 2] =
    [("electricity_price", "CNY/MWh"), ("gas_price", "CNY/MWh")];

/// How many parameters the Sensitivity view offers for this park.
pub fn sweep_params(park: &Park) -> usize {
    PARAMS.len()
        + if park.energy.is_some() {
            SWEEP_ENERGY.len()
        } else {
            0
        }
}

/// The `i`-th sweepable parameter (see [`sweep_params`]).
pub fn sweep_param(i: usize) -> SweepParam {
    match PARAMS.get(i) {
        Some(p) => {
            let (lo, hi) = p.range();
            SweepParam {
                key: p.key,
                unit: p.unit,
                lo,
                hi,
                energy_rule: "",
            }
        }
        None => {
            let (key, unit) = SWEEP_ENERGY[(i - PARAMS.len()).min(SWEEP_ENERGY.len() - 1)];
            SweepParam {
                key,
                unit,
                lo: 0.0,
                hi: 1e15,
                energy_rule: "a number >= 0",
            }
        }
    }
}

/// The park's value of the `i`-th sweepable parameter.
pub fn sweep_value(park: &Park, i: usize) -> f64 {
    match PARAMS.get(i) {
        Some(p) => p.get(&park.economics),
        None => park
            .energy
            .as_ref()
            .and_then(|e| e.get(sweep_param(i).key))
            .unwrap_or(f64::NAN),
    }
}

impl SweepParam {
    /// What is allowed, in words.
    pub fn allowed(&self) -> String {
        match param(self.key) {
            Some(p) => p.allowed(),
            None => self.energy_rule.to_string(),
        }
    }
}

impl SweepSetup {
    /// From 0 to four times the current value (clamped to what is allowed), 41 values.
    pub fn around(park: &Park, param: usize) -> SweepSetup {
        let p = sweep_param(param);
        let (lo, hi) = (p.lo, p.hi);
        let v = sweep_value(park, param);
        let v = if v.is_finite() && v > 0.0 { v } else { 1.0 };
        SweepSetup {
            param,
            from: lo.max(0.0),
            to: (4.0 * v).min(hi),
            count: 41,
        }
    }
}

/// A sweep as the Sensitivity view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepView {
    pub setup: SweepSetup,
    /// (value, annual benefit) and (value, annual CO2).
    pub benefit: Vec<(f64, f64)>,
    pub co2: Vec<(f64, f64)>,
    /// Column labels ("CCU 1 t/a") and, per value, the capacities.
    pub columns: Vec<String>,
    pub rows: Vec<(f64, Vec<f64>)>,
    /// Where the plan changes, and how, in words.
    pub tipping: Vec<(f64, String)>,
}

/// The Pareto front as the view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoView {
    /// (CO2 t/yr, benefit CNY/yr) per point, and its plan.
    pub points: Vec<(f64, f64)>,
    pub plans: Vec<Plan>,
}

/// One bar of the MAC view.
#[derive(Debug, Clone, PartialEq)]
pub struct MacView {
    pub entries: Vec<parkplan::analysis::mac::MacEntry>,
    /// The step curve: (cumulative t/yr, CNY/t) corners.
    pub steps: Vec<(f64, f64)>,
    /// Cumulative potential where the budget runs out, if it does.
    pub budget_at: Option<f64>,
}

/// The scenarios of the park (`compare::available`), solved with the
/// console's objective on the edited park.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareView {
    pub results: Vec<ScenarioResult>,
    /// Scenarios that could not be solved: (name, why).
    pub failed: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Analysis<T> {
    Idle,
    Running,
    Ready(T),
    Failed(String),
}

/// The analyses of the current scenario. Replaced (by a new id) on every
/// edit, so no analysis of older parameters can be shown.
#[derive(Debug, Clone)]
pub struct Analyses {
    pub id: u64,
    pub sweep_setup: SweepSetup,
    pub sweep: Analysis<SweepView>,
    pub pareto: Analysis<ParetoView>,
    pub mac: Analysis<MacView>,
    pub compare: Analysis<CompareView>,
    pub sweep_row: usize,
    pub pareto_row: usize,
    pub mac_row: usize,
    /// Selected figure (row) and scenario (column) of the Compare view.
    pub compare_row: usize,
    pub compare_col: usize,
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
    /// Index into [`parkplan::park::ENERGY_PARAMS`] (parks with `[energy]`).
    Energy(usize),
    Ga(GaField),
}

impl Field {
    /// Every row for this park, in display order.
    pub fn all(park: &Park) -> Vec<Field> {
        let mut v = vec![Field::Objective];
        v.extend((0..PARAMS.len()).map(Field::Econ));
        if park.energy.is_some() {
            v.extend((0..parkplan::park::ENERGY_PARAMS.len()).map(Field::Energy));
        }
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
    /// The Sensitivity view's range, as FROM:TO:COUNT.
    SweepRange,
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
    /// Unsaved edits: quit anyway? (y/n)
    ConfirmQuit,
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
        why: String,
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
    /// The ledger of `plan`, computed when the plan changes (never while drawing).
    pub ledger: Option<Ledger>,
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
            ledger: None,
            evaluations: 0,
            seconds: 0.0,
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
    /// Selected line of the Ledger view.
    pub ledger_row: usize,
    pub edit: Option<Edit>,
    pub prompt: Option<Prompt>,
    pub run: Run,
    pub note: Option<Note>,
    pub show_help: bool,
    pub analyses: Analyses,
    /// The scenario as last saved from the console, if it was.
    pub saved: Option<Scenario>,
    /// The park file's text as loaded (the built-in case's when `source` is
    /// `None`): saves edit it in place, keeping the planner's comments.
    pub source_text: Option<String>,
    /// Plot with dots instead of braille (for fonts without braille).
    pub chart_dots: bool,
    pub theme: Theme,
    pub quit: bool,
    /// `--set` overrides given on the command line (already in the park).
    pub cli_sets: Vec<(String, f64)>,
}

/// Most undo steps kept.
pub const UNDO_LIMIT: usize = 200;

impl App {
    pub fn new(park: Park, source: Option<PathBuf>, objective: Objective, theme: Theme) -> App {
        let ets = PARAMS
            .iter()
            .position(|p| p.key == "ets_price")
            .unwrap_or(0);
        let analyses = Analyses {
            id: 0,
            sweep_setup: SweepSetup::around(&park, ets),
            sweep: Analysis::Idle,
            pareto: Analysis::Idle,
            mac: Analysis::Idle,
            compare: Analysis::Idle,
            sweep_row: 0,
            pareto_row: 0,
            mac_row: 0,
            compare_row: 0,
            compare_col: 0,
        };
        let scenario = Scenario { park, objective };
        App {
            analyses,
            saved: None,
            source_text: None,
            source,
            original: scenario.clone(),
            scenario,
            undo: Vec::new(),
            focus: Focus::Plan,
            plan_row: 0,
            param_row: 0,
            ledger_row: 0,
            edit: None,
            prompt: None,
            run: Run::new(0),
            note: None,
            show_help: false,
            chart_dots: false,
            theme,
            quit: false,
            cli_sets: Vec::new(),
        }
    }

    /// Whether there are edits that were neither saved nor undone.
    pub fn dirty(&self) -> bool {
        self.scenario != self.original && self.saved.as_ref() != Some(&self.scenario)
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
