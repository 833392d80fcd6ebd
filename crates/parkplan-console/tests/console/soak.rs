//! Console soak (issue 8): thousands of random terminal events through the
//! update loop, on random parks, with solves and analyses finishing, being
//! cancelled, and arriving late or out of order. After every step:
//! (a) no panic; (b) the plan on screen is feasible for the current parameters
//! and, once its solve has finished, optimal for them (or Pareto-optimal when
//! loaded from the Pareto view); (c) every 50 steps the view renders at a random
//! size; (d) no NaN or infinity held for display; (e) the analyses shown are
//! those of the current parameters (and the sweep that of the selected
//! parameter and range), and a stale message changes nothing on screen.
//! A second test drives the real worker threads and checks that threads and
//! memory do not grow. Bugs the soak found have reduced tests at the end.
//!
//! `cargo test --release --bin parkplan soak -- --nocapture` prints the figures;
//! `PARKPLAN_SOAK_SEEDS=63,86` replays other seeds.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use parkplan::model::{Objective, Options};
use parkplan::park::{PARAMS, Park};
use parkplan::plan::Plan;
use parkplan::solve::{epsilon, solve_exact};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use parkplan::solve::CancelToken;
use parkplan_console::action::{Mode, action_for, all_keys};
use parkplan_console::app::{Analysis, App, RunStatus, Scenario};
use parkplan_console::runner::Runner;
use parkplan_console::solve::{AnalysisJob, Job, WorkerMsg, run_job};
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::update::{Effect, analysis_job, begin_run, on_worker, update};
use parkplan_console::view::{
    self, Compare, CompareView, Mac, MacView, Pareto, ParetoView, Sensitivity, SweepView,
    sweep_param,
};

/// 4 seeds x 2,500 events = 10,000 events.
const SEEDS: [u64; 4] = [5, 6, 7, 8];
const EVENTS_PER_SEED: usize = 2_500;
/// Events of the threaded soak, and how many of them warm up.
const THREADED_EVENTS: usize = 2_000;
const WARM_UP: usize = 100;
/// The status text of a plan loaded from the Pareto view.
const PARETO_WHY: &str = "plan loaded from the Pareto front";
/// A synchronous solve running longer than this is cancelled (counted).
const JOB_TIME_LIMIT: Duration = Duration::from_millis(300);
/// Jobs waiting to be run; beyond this the oldest is never run (a cancelled job).
const MAX_PENDING: usize = 40;
/// Node limit of the epsilon-constraint check of a Pareto plan.
const EPSILON_NODES: u64 = 2_000_000;

// ---------------------------------------------------------------------------
// Events

/// Every key of the keymap (each once), and the number keys of the views.
fn documented_keys() -> Vec<KeyEvent> {
    let mut keys: Vec<KeyEvent> = Vec::new();
    let numbers = (1..=view::registry(&Park::paper_case()).len()).map(|k| {
        KeyEvent::new(
            KeyCode::Char(char::from(b'0' + k as u8)),
            KeyModifiers::NONE,
        )
    });
    for ev in all_keys()
        .filter(|(m, _)| *m == Mode::Normal)
        .map(|(_, k)| k)
        .chain(numbers)
    {
        if !keys.contains(&ev) {
            keys.push(ev);
        }
    }
    keys
}

fn key(code: KeyCode, m: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, m))
}

/// A random terminal event: documented keys (those that edit more often),
/// typing (digits, '.', '-', ':', letters), editing keys, control keys,
/// resizes, key releases and mouse clicks and wheel.
fn random_event(rng: &mut SmallRng, keys: &[KeyEvent]) -> Event {
    const TYPED: &[u8] = b"01234567890123456789.-.-:_";
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let none = KeyModifiers::NONE;
    match rng.random_range(0..100) {
        0..32 => Event::Key(keys[rng.random_range(0..keys.len())]),
        // Documented keys that change the scenario or open a field, more often.
        32..40 => {
            let code = [
                KeyCode::Char('2'),
                KeyCode::Char('o'),
                KeyCode::Char('u'),
                KeyCode::Char('R'),
                KeyCode::Char('r'),
                KeyCode::Char('e'),
                KeyCode::Enter,
                KeyCode::Enter,
            ][rng.random_range(0..8)];
            key(code, none)
        }
        40..62 => key(
            KeyCode::Char(TYPED[rng.random_range(0..TYPED.len())] as char),
            none,
        ),
        62..71 => {
            let c = LETTERS[rng.random_range(0..LETTERS.len())] as char;
            let m = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                none
            };
            key(KeyCode::Char(c), m)
        }
        71..78 => key(KeyCode::Backspace, none),
        78..84 => key(KeyCode::Enter, none),
        84..87 => key(KeyCode::Esc, none),
        87..91 => {
            let c = ['c', 'z', 'u', 'd'][rng.random_range(0..4)];
            key(KeyCode::Char(c), KeyModifiers::CONTROL)
        }
        91..93 => Event::Resize(rng.random_range(1..300), rng.random_range(1..100)),
        93..95 => {
            // A release: ignored by the console.
            let k = keys[rng.random_range(0..keys.len())];
            Event::Key(KeyEvent::new_with_kind(
                k.code,
                k.modifiers,
                KeyEventKind::Release,
            ))
        }
        95..98 => {
            // The mouse: clicks and the wheel anywhere (the hits are those of
            // the last frame drawn, of whatever size).
            use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
            let kind = [
                MouseEventKind::Down(MouseButton::Left),
                MouseEventKind::Down(MouseButton::Left),
                MouseEventKind::ScrollDown,
                MouseEventKind::ScrollUp,
                MouseEventKind::Up(MouseButton::Left),
                MouseEventKind::Drag(MouseButton::Left),
            ][rng.random_range(0..6)];
            Event::Mouse(MouseEvent {
                kind,
                column: rng.random_range(0..300),
                row: rng.random_range(0..100),
                modifiers: none,
            })
        }
        _ => {
            let code = [
                KeyCode::Delete,
                KeyCode::Insert,
                KeyCode::F(5),
                KeyCode::Char(' '),
                KeyCode::Char('y'),
                KeyCode::Char('n'),
            ][rng.random_range(0..6)];
            key(code, none)
        }
    }
}

/// An event and its action, short, for failure messages.
fn describe(ev: &Event, action: &Option<parkplan_console::action::Action>) -> String {
    let ev = match ev {
        Event::Key(k) => {
            let mut s = format!("{:?}", k.code);
            if !k.modifiers.is_empty() {
                s = format!("{:?}+{s}", k.modifiers);
            }
            if k.kind == KeyEventKind::Release {
                s += " (release)";
            }
            s
        }
        other => format!("{other:?}"),
    };
    let action = match action {
        Some(parkplan_console::action::Action::Input(_)) => "Input".to_string(),
        Some(a) => format!("{a:?}"),
        None => "-".to_string(),
    };
    format!("{ev} -> {action}")
}

/// A random park: the paper case, or a generated one of 1 to 6 regions, with
/// negative-emission technologies and an energy baseline when its seed is a
/// multiple of 3 (one of the four default soak seeds).
fn random_park(rng: &mut SmallRng) -> Park {
    match rng.random_range(0..=6usize) {
        0 => Park::paper_case(),
        n => {
            let seed = rng.random_range(0..1_000_000);
            if seed % 3 == 0 {
                parkplan::park::generate_with_nets(n, seed)
            } else {
                parkplan::park::generate(n, seed)
            }
        }
    }
}

fn random_theme(rng: &mut SmallRng) -> Theme {
    let palette = [Palette::NoColor, Palette::Basic16, Palette::TrueColor][rng.random_range(0..3)];
    Theme { palette }
}

/// Renders into a TestBackend of a random size from 20x5 to 200x60 (80x24
/// one time in five).
fn render_random(app: &App, rng: &mut SmallRng) -> (u16, u16) {
    let (w, h) = if rng.random_bool(0.2) {
        (80, 24)
    } else {
        (rng.random_range(20..=200), rng.random_range(5..=60))
    };
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    t.draw(|f| view::view(app, f)).expect("drawn");
    (w, h)
}

// ---------------------------------------------------------------------------
// Invariants

/// What the soak counted.
#[derive(Debug, Default)]
struct Stats {
    events: usize,
    actions: usize,
    edits: usize,
    quits: usize,
    writes_dropped: usize,
    solves: usize,
    analyses: usize,
    /// Solve jobs run to the end and every message delivered.
    solves_completed: usize,
    /// Solve jobs cancelled: only a prefix of their messages delivered, or
    /// stopped at the time limit, or never run.
    solves_cancelled: usize,
    solves_time_limited: usize,
    jobs_never_run: usize,
    interleavings: usize,
    analyses_delivered: usize,
    analyses_dropped: usize,
    msgs_delivered: usize,
    /// Messages of superseded runs or analyses (must change nothing).
    msgs_stale: usize,
    optimum_checks: usize,
    pareto_checks: usize,
    /// Analyses shown, checked against the current scenario.
    analysis_checks: usize,
    pareto_unproven: usize,
    renders: usize,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        macro_rules! sum {
            ($($f:ident),*) => { $( self.$f += o.$f; )* };
        }
        sum!(
            events,
            actions,
            edits,
            quits,
            writes_dropped,
            solves,
            analyses,
            solves_completed,
            solves_cancelled,
            solves_time_limited,
            jobs_never_run,
            interleavings,
            analyses_delivered,
            analyses_dropped,
            msgs_delivered,
            msgs_stale,
            optimum_checks,
            pareto_checks,
            analysis_checks,
            pareto_unproven,
            renders
        );
    }
}

fn rel_tol(x: f64) -> f64 {
    1e-9 * x.abs().max(1.0)
}

/// The most objective that the budget tolerance of `Plan::check` (1e-9
/// relative + 1e-6 CNY) can buy: a plan may overspend by that much, and the
/// GA's repair does, so on a tiny budget its plan can beat the exact solver's
/// (which spends exactly the budget) by more than 1e-9 of a tiny optimum.
fn budget_slack(opts: &Options, obj: Objective) -> f64 {
    let best_ratio = (0..opts.items.len())
        .filter(|&i| opts.items[i].coef.capex_per_unit > 0.0)
        .map(|i| opts.value_per_unit(i, obj) / opts.items[i].coef.capex_per_unit)
        .fold(0.0, f64::max);
    best_ratio * (1e-9 * opts.budget_cny + 1e-6)
}

/// Checks the invariants on the app, caching the expensive parts (compiled
/// options, exact optima) by scenario.
#[derive(Default)]
struct Checker {
    opts: Option<(Park, Options)>,
    exact: Option<(Scenario, f64)>,
    /// The last (scenario, plan, status text) found correct.
    checked: Option<(Scenario, Plan, String)>,
    /// The last analyses found to belong to the scenario.
    sweep_checked: Option<(Scenario, SweepView)>,
    pareto_checked: Option<(Scenario, ParetoView)>,
    mac_checked: Option<(Scenario, MacView)>,
    compare_checked: Option<(Scenario, CompareView)>,
}

impl Checker {
    fn opts(&mut self, park: &Park) -> &Options {
        if self.opts.as_ref().is_none_or(|(p, _)| p != park) {
            self.opts = Some((park.clone(), parkplan::compile(park)));
        }
        &self.opts.as_ref().unwrap().1
    }

    fn check(&mut self, app: &App, stats: &mut Stats) -> Result<(), String> {
        finite_everywhere(app)?;
        self.check_analyses(app, stats)?;
        if let Analysis::Ready(v) = &app.view::<Sensitivity>().sweep {
            if v.setup != app.view::<Sensitivity>().setup {
                return Err(format!(
                    "the Sensitivity view shows a sweep of {:?} under the selected {:?}",
                    v.setup,
                    app.view::<Sensitivity>().setup
                ));
            }
        }
        let Some(plan) = &app.run.plan else {
            return Ok(());
        };
        // Any plan on screen (running or done) is a plan of the current park.
        let opts = self.opts(&app.scenario.park);
        plan.check(opts)
            .map_err(|e| format!("the plan on screen is infeasible for the current park: {e}"))?;
        // The Ledger view shows the ledger of this plan on the current park.
        if app.run.opts.is_some() {
            let expected = parkplan::analysis::ledger::ledger(&app.scenario.park, opts, plan);
            if app.run.ledger.as_ref() != Some(&expected) {
                return Err(
                    "the Ledger view does not show the ledger of the plan on screen".into(),
                );
            }
        }
        let RunStatus::Done { why } = &app.run.status else {
            return Ok(());
        };
        if self
            .checked
            .as_ref()
            .is_some_and(|(s, p, w)| s == &app.scenario && p == plan && w == why)
        {
            return Ok(());
        }
        let obj = app.scenario.objective;
        if why == PARETO_WHY {
            // Pareto-optimal: no plan has a better benefit at equal or higher CO2.
            let opts = self.opts(&app.scenario.park);
            let co2 = plan.objective(opts, Objective::Carbon);
            let benefit = plan.objective(opts, Objective::Economic);
            let best = epsilon::solve(opts, co2, None, EPSILON_NODES)
                .map_err(|e| format!("epsilon solve: {e}"))?
                .ok_or_else(|| {
                    format!("no plan reaches the CO2 ({co2} t/yr) of the loaded Pareto plan")
                })?;
            if best.proven_optimal {
                if benefit < best.value - 1e-7 * best.value.abs().max(1.0) {
                    return Err(format!(
                        "the loaded Pareto plan is dominated: benefit {benefit} at {co2} t/yr, \
                         {} possible",
                        best.value
                    ));
                }
            } else {
                stats.pareto_unproven += 1;
            }
            stats.pareto_checks += 1;
        } else {
            let scenario = &app.scenario;
            let optimum = match &self.exact {
                Some((s, v)) if s == scenario => *v,
                _ => {
                    let opts = self.opts(&scenario.park);
                    let exact = solve_exact(opts, obj);
                    if !exact.proven_optimal {
                        return Err("the exact solver did not prove the optimum".into());
                    }
                    self.exact = Some((scenario.clone(), exact.value));
                    exact.value
                }
            };
            let opts = self.opts(&app.scenario.park);
            let value = plan.objective(opts, obj);
            // Never worse than the optimum; better only by what the budget's
            // feasibility tolerance (`Plan::check`) lets a plan overspend.
            let above = rel_tol(optimum) + budget_slack(opts, obj);
            if value < optimum - rel_tol(optimum) || value > optimum + above {
                return Err(format!(
                    "a finished run shows {value}, the optimum of the current scenario \
                     ({} objective) is {optimum}; status: {why}",
                    obj.name()
                ));
            }
            stats.optimum_checks += 1;
        }
        self.checked = Some((app.scenario.clone(), plan.clone(), why.clone()));
        Ok(())
    }
}

impl Checker {
    /// (e): the analyses shown are those of the current scenario: the Pareto
    /// points are its plans' totals, the MAC curve is its curve, and the sweep's
    /// first, middle and last points re-solve to what is shown.
    fn check_analyses(&mut self, app: &App, stats: &mut Stats) -> Result<(), String> {
        let scenario = &app.scenario;
        let close = |a: f64, b: f64| (a - b).abs() <= rel_tol(b);
        if let Analysis::Ready(v) = &app.view::<Pareto>().front {
            if self
                .pareto_checked
                .as_ref()
                .is_none_or(|(s, c)| s != scenario || c != v)
            {
                let opts = self.opts(&scenario.park);
                for (k, (plan, &(co2, benefit))) in v.plans.iter().zip(&v.points).enumerate() {
                    plan.check(opts)
                        .map_err(|e| format!("Pareto point {k} is infeasible now: {e}"))?;
                    let t = plan.evaluate(opts).totals;
                    if !close(t.annual_co2_reduction, co2) || !close(t.annual_benefit, benefit) {
                        return Err(format!(
                            "Pareto point {k} shows ({co2}, {benefit}), its plan gives ({}, {}) \
                             for the current parameters",
                            t.annual_co2_reduction, t.annual_benefit
                        ));
                    }
                }
                stats.analysis_checks += 1;
                self.pareto_checked = Some((scenario.clone(), v.clone()));
            }
        }
        if let Analysis::Ready(v) = &app.view::<Mac>().curve {
            if self
                .mac_checked
                .as_ref()
                .is_none_or(|(s, c)| s != scenario || c != v)
            {
                let ets = scenario.park.economics.ets_price_cny_per_t;
                let opts = self.opts(&scenario.park);
                let entries: Vec<_> = parkplan::analysis::mac::curve(opts, ets)
                    .into_iter()
                    .filter(|m| !m.alternative)
                    .collect();
                if entries != v.entries {
                    return Err("the MAC view shows the curve of other parameters".into());
                }
                stats.analysis_checks += 1;
                self.mac_checked = Some((scenario.clone(), v.clone()));
            }
        }
        if let Analysis::Ready(v) = &app.view::<Compare>().compare {
            if self
                .compare_checked
                .as_ref()
                .is_none_or(|(s, c)| s != scenario || c != v)
            {
                // The scenarios of the current park, each solved with the
                // current objective (the first re-solved to what is shown).
                let names: Vec<String> = parkplan::analysis::compare::available(&scenario.park)
                    .into_iter()
                    .map(|sc| sc.name)
                    .collect();
                let shown: Vec<String> = v
                    .results
                    .iter()
                    .map(|r| r.name.clone())
                    .chain(v.failed.iter().map(|f| f.0.clone()))
                    .collect();
                let mut sorted = (names.clone(), shown.clone());
                sorted.0.sort();
                sorted.1.sort();
                if sorted.0 != sorted.1 {
                    return Err(format!(
                        "the Compare view shows {shown:?}, the park offers {names:?}"
                    ));
                }
                if let Some(r) = v.results.first() {
                    if r.objective != scenario.objective.name() {
                        return Err(format!(
                            "the Compare view solved for {}, the console's objective is {}",
                            r.objective,
                            scenario.objective.name()
                        ));
                    }
                    let sc = parkplan::analysis::compare::available(&scenario.park)
                        .into_iter()
                        .find(|sc| sc.name == r.name)
                        .expect("checked above");
                    let again =
                        parkplan::analysis::compare::run(&scenario.park, &sc, scenario.objective)
                            .map_err(|e| format!("scenario {}: {e}", r.name))?;
                    if !close(again.annual_benefit, r.annual_benefit)
                        || !close(again.annual_co2_reduction, r.annual_co2_reduction)
                    {
                        return Err(format!(
                            "the Compare view shows scenario {} at ({}, {}); the current \
                             parameters give ({}, {})",
                            r.name,
                            r.annual_benefit,
                            r.annual_co2_reduction,
                            again.annual_benefit,
                            again.annual_co2_reduction
                        ));
                    }
                }
                stats.analysis_checks += 1;
                self.compare_checked = Some((scenario.clone(), v.clone()));
            }
        }
        if let Analysis::Ready(v) = &app.view::<Sensitivity>().sweep {
            if self
                .sweep_checked
                .as_ref()
                .is_none_or(|(s, c)| s != scenario || c != v)
            {
                let key = sweep_param(v.setup.param).key;
                let n = v.rows.len();
                if n != v.benefit.len() || n != v.co2.len() || n < 2 {
                    return Err(format!("a sweep of {n} rows, {} points", v.benefit.len()));
                }
                for k in [0, n / 2, n - 1] {
                    let x = v.benefit[k].0;
                    let pt = parkplan::analysis::sweep::solve_at(
                        &scenario.park,
                        key,
                        x,
                        scenario.objective,
                    )
                    .map_err(|e| format!("sweep point {key} = {x}: {e}"))?;
                    if !close(pt.totals.annual_benefit, v.benefit[k].1)
                        || !close(pt.totals.annual_co2_reduction, v.co2[k].1)
                    {
                        return Err(format!(
                            "the sweep shows ({}, {}) at {key} = {x}; the current parameters \
                             give ({}, {})",
                            v.benefit[k].1,
                            v.co2[k].1,
                            pt.totals.annual_benefit,
                            pt.totals.annual_co2_reduction
                        ));
                    }
                }
                stats.analysis_checks += 1;
                self.sweep_checked = Some((scenario.clone(), v.clone()));
            }
        }
        Ok(())
    }
}

fn finite(what: &str, x: f64) -> Result<(), String> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(format!("{what} is {x}"))
    }
}

fn finite_pairs(what: &str, v: &[(f64, f64)]) -> Result<(), String> {
    for (k, &(x, y)) in v.iter().enumerate() {
        finite(&format!("{what}[{k}].0"), x)?;
        finite(&format!("{what}[{k}].1"), y)?;
    }
    Ok(())
}

/// (d): every number the app holds for display is finite.
fn finite_everywhere(app: &App) -> Result<(), String> {
    let run = &app.run;
    finite_pairs("run.best", &run.best)?;
    finite_pairs("run.mean", &run.mean)?;
    if let Some((b, _)) = run.bound {
        finite("run.bound", b)?;
    }
    if let Some(g) = run.gap(app.scenario.objective) {
        finite("run.gap", g)?;
    }
    finite("run.seconds", run.seconds)?;
    if let Some(plan) = &run.plan {
        for b in plan.built() {
            finite("plan capacity", b.capacity)?;
        }
    }
    if let Some(e) = &run.evaluation {
        let t = &e.totals;
        for (w, x) in [
            ("capex", t.capex),
            ("annual_income", t.annual_income),
            ("annual_benefit", t.annual_benefit),
            ("annual_co2_reduction", t.annual_co2_reduction),
        ] {
            finite(&format!("run totals {w}"), x)?;
        }
        for it in &e.items {
            for x in [
                it.capacity,
                it.capex,
                it.annual_income,
                it.annual_benefit,
                it.annual_co2_reduction,
            ] {
                finite(&format!("plan item of region {}", it.region_id), x)?;
            }
        }
    }
    finite_analyses(app)
}

fn finite_analyses(app: &App) -> Result<(), String> {
    let s = app.view::<Sensitivity>();
    finite("sweep from", s.setup.from)?;
    finite("sweep to", s.setup.to)?;
    if let Analysis::Ready(v) = &s.sweep {
        finite_pairs("sweep benefit", &v.benefit)?;
        finite_pairs("sweep co2", &v.co2)?;
        for (x, caps) in &v.rows {
            finite("sweep row value", *x)?;
            for c in caps {
                finite("sweep capacity", *c)?;
            }
        }
        for (x, _) in &v.tipping {
            finite("tipping point", *x)?;
        }
    }
    if let Analysis::Ready(v) = &app.view::<Pareto>().front {
        finite_pairs("pareto points", &v.points)?;
    }
    if let Analysis::Ready(v) = &app.view::<Compare>().compare {
        for r in &v.results {
            for x in [r.capex, r.annual_benefit, r.annual_co2_reduction, r.gap] {
                finite(&format!("compare {}", r.name), x)?;
            }
        }
    }
    if let Analysis::Ready(v) = &app.view::<Mac>().curve {
        finite_pairs("mac steps", &v.steps)?;
        if let Some(b) = v.budget_at {
            finite("mac budget_at", b)?;
        }
        for e in &v.entries {
            for x in [e.capacity, e.cost_per_t, e.potential_t, e.capex] {
                finite(&format!("mac entry of region {}", e.region), x)?;
            }
        }
    }
    Ok(())
}

/// Whether the view with this key has a background analysis.
fn is_analysis(view: &str) -> bool {
    matches!(view, "sensitivity" | "pareto" | "mac" | "compare")
}

/// Whether the analysis of the view with this key is running.
fn running_view(app: &App, view: &str) -> bool {
    match view {
        "sensitivity" => matches!(app.view::<Sensitivity>().sweep, Analysis::Running),
        "pareto" => matches!(app.view::<Pareto>().front, Analysis::Running),
        "mac" => matches!(app.view::<Mac>().curve, Analysis::Running),
        "compare" => matches!(app.view::<Compare>().compare, Analysis::Running),
        _ => false,
    }
}

fn is_stale(app: &App, m: &WorkerMsg) -> bool {
    match m {
        WorkerMsg::Analysis { id, .. } => *id != app.analyses_id,
        WorkerMsg::Started { run_id, .. }
        | WorkerMsg::Progress { run_id, .. }
        | WorkerMsg::Done { run_id, .. }
        | WorkerMsg::Failed { run_id, .. } => *run_id != app.run.id,
    }
}

/// What a stale message must leave unchanged.
#[derive(PartialEq, Debug)]
struct Shown {
    run_id: u64,
    status: RunStatus,
    plan: Option<Plan>,
    points: usize,
    sweep: Analysis<SweepView>,
    pareto: Analysis<ParetoView>,
    mac: Analysis<MacView>,
    compare: Analysis<CompareView>,
    ledger: Option<parkplan::analysis::ledger::Ledger>,
}

fn shown(app: &App) -> Shown {
    Shown {
        run_id: app.run.id,
        status: app.run.status.clone(),
        plan: app.run.plan.clone(),
        points: app.run.best.len(),
        sweep: app.view::<Sensitivity>().sweep.clone(),
        pareto: app.view::<Pareto>().front.clone(),
        mac: app.view::<Mac>().curve.clone(),
        compare: app.view::<Compare>().compare.clone(),
        ledger: app.run.ledger.clone(),
    }
}

/// How the scenario differs from the file's values, for failure messages.
fn edits_of(app: &App) -> String {
    let (o, s) = (&app.original, &app.scenario);
    let mut out = vec![format!("objective {}", s.objective.name())];
    for p in PARAMS {
        let (a, b) = (p.get(&o.park.economics), p.get(&s.park.economics));
        if a.to_bits() != b.to_bits() {
            out.push(format!("{} = {b:?} (was {a:?})", p.key));
        }
    }
    if o.park.solver != s.park.solver {
        out.push(format!("solver {:?}", s.park.solver));
    }
    for (r, (ro, rs)) in o.park.regions.iter().zip(&s.park.regions).enumerate() {
        for (k, (a, b)) in ro.slots.iter().zip(&rs.slots).enumerate() {
            if a.max.to_bits() != b.max.to_bits() {
                out.push(format!(
                    "cap of region {r} slot {k} ({}) = {:?} (was {:?})",
                    b.strategy, b.max, a.max
                ));
            }
        }
    }
    out.join(", ")
}

// ---------------------------------------------------------------------------
// The synchronous soak

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

enum Pending {
    Solve(Box<Job>),
    Analysis(AnalysisJob),
}

/// Runs a solve job in this thread. With `limit`, the job is cancelled once it
/// has sent that many messages (a run superseded by an edit) and only those
/// are returned. Returns the messages and whether the time limit stopped it.
fn run_solve(job: &Job, limit: Option<usize>) -> (Vec<WorkerMsg>, bool) {
    let token = job.token.clone();
    if limit == Some(0) {
        token.cancel();
    }
    let t0 = Instant::now();
    let mut msgs = Vec::new();
    let mut timed_out = false;
    run_job(job, &mut |m| {
        msgs.push(m);
        if limit.is_some_and(|l| msgs.len() >= l) {
            token.cancel();
        }
        if t0.elapsed() > JOB_TIME_LIMIT {
            timed_out = true;
            token.cancel();
        }
    });
    if let Some(l) = limit {
        msgs.truncate(l);
    }
    (msgs, timed_out)
}

fn finished(msgs: &[WorkerMsg]) -> bool {
    matches!(
        msgs.last(),
        Some(WorkerMsg::Done { .. } | WorkerMsg::Failed { .. })
    )
}

struct Soak {
    seed: u64,
    rng: SmallRng,
    keys: Vec<KeyEvent>,
    app: App,
    pending: VecDeque<Pending>,
    checker: Checker,
    stats: Stats,
    /// The last events and deliveries, for the failure message.
    log: VecDeque<String>,
    step: usize,
}

impl Soak {
    fn new(seed: u64) -> Soak {
        let mut rng = SmallRng::seed_from_u64(seed);
        let park = random_park(&mut rng);
        let objective = if rng.random_bool(0.5) {
            Objective::Economic
        } else {
            Objective::Carbon
        };
        let theme = random_theme(&mut rng);
        let mut s = Soak {
            seed,
            rng,
            keys: documented_keys(),
            app: App::new(park, None, objective, theme),
            pending: VecDeque::new(),
            checker: Checker::default(),
            stats: Stats::default(),
            log: VecDeque::new(),
            step: 0,
        };
        // As `tui::run`: a first solve at start.
        s.effects(vec![Effect::Solve]);
        s
    }

    fn note(&mut self, line: String) {
        if self.log.len() == 60 {
            self.log.pop_front();
        }
        self.log.push_back(line);
    }

    fn fail(&self, why: &str) -> ! {
        let log: Vec<&str> = self.log.iter().map(|s| s.as_str()).collect();
        panic!(
            "soak seed {} park {:?}, step {}: {why}\nscenario: {}\nlast events:\n  {}",
            self.seed,
            self.app.scenario.park.name,
            self.step,
            edits_of(&self.app),
            log.join("\n  ")
        );
    }

    /// Carries out effects as `tui::execute` would, but queues the jobs
    /// instead of running them, and never writes files.
    fn effects(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Solve => {
                    let job = begin_run(&mut self.app);
                    self.stats.solves += 1;
                    self.pending.push_back(Pending::Solve(Box::new(job)));
                }
                Effect::Analyze(view) => {
                    self.stats.analyses += 1;
                    if let Some(job) = analysis_job(&self.app, view) {
                        self.pending.push_back(Pending::Analysis(job));
                    }
                }
                Effect::Save { .. } | Effect::Export { .. } => self.stats.writes_dropped += 1,
            }
        }
        while self.pending.len() > MAX_PENDING {
            if let Some(Pending::Solve(_)) = self.pending.pop_front() {
                self.stats.solves_cancelled += 1;
            }
            self.stats.jobs_never_run += 1;
        }
    }

    fn deliver(&mut self, m: WorkerMsg) {
        let stale = is_stale(&self.app, &m);
        let what = match &m {
            WorkerMsg::Started { run_id, .. } => format!("Started run {run_id}"),
            WorkerMsg::Progress { run_id, .. } => format!("Progress run {run_id}"),
            WorkerMsg::Done { run_id, .. } => format!("Done run {run_id}"),
            WorkerMsg::Failed { run_id, error } => format!("Failed run {run_id}: {error}"),
            WorkerMsg::Analysis { view, id, result } => format!(
                "Analysis {id} {view}{}",
                match result {
                    Ok(_) => String::new(),
                    Err(e) => format!(" failed: {e}"),
                }
            ),
        };
        self.note(format!(
            "    deliver {what}{} (current run {}, analyses {})",
            if stale { " [stale]" } else { "" },
            self.app.run.id,
            self.app.analyses_id
        ));
        if matches!(m, WorkerMsg::Analysis { .. }) {
            self.stats.analyses_delivered += 1;
        }
        self.stats.msgs_delivered += 1;
        let before = stale.then(|| shown(&self.app));
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| on_worker(&mut self.app, m))) {
            self.fail(&format!("on_worker({what}) panicked: {}", panic_text(&p)));
        }
        if let Some(before) = before {
            self.stats.msgs_stale += 1;
            if shown(&self.app) != before {
                self.fail(&format!("a stale message ({what}) changed what is shown"));
            }
        }
    }

    /// Runs a job; `full` false cancels a solve after a random prefix of its
    /// messages (or drops an analysis result). Returns the messages to deliver.
    fn run(&mut self, job: Pending, full: bool) -> Vec<WorkerMsg> {
        match job {
            Pending::Solve(job) => {
                let limit = (!full).then(|| self.rng.random_range(0..=3));
                let (msgs, timed_out) = run_solve(&job, limit);
                if timed_out {
                    self.stats.solves_time_limited += 1;
                }
                if finished(&msgs) {
                    self.stats.solves_completed += 1;
                } else {
                    self.stats.solves_cancelled += 1;
                }
                msgs
            }
            Pending::Analysis(job) => {
                let msg = job.run(&CancelToken::new());
                if full {
                    msg.into_iter().collect()
                } else {
                    self.stats.analyses_dropped += 1;
                    Vec::new()
                }
            }
        }
    }

    /// Runs some queued jobs (old ones included) and delivers their messages:
    /// all of them, a prefix, or interleaved with other jobs' messages.
    fn service(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let n = self.pending.len();
        match self.rng.random_range(0..100) {
            0..55 => {
                let k = if self.rng.random_bool(0.5) {
                    n - 1
                } else {
                    self.rng.random_range(0..n)
                };
                let job = self.pending.remove(k).unwrap();
                for m in self.run(job, true) {
                    self.deliver(m);
                }
            }
            55..80 => {
                let k = self.rng.random_range(0..n);
                let job = self.pending.remove(k).unwrap();
                for m in self.run(job, false) {
                    self.deliver(m);
                }
            }
            _ => {
                // Two or three jobs at once, their messages interleaved (each
                // job's own in order), then all or a prefix delivered.
                self.stats.interleavings += 1;
                let count = self.rng.random_range(2..=3).min(n);
                let mut streams: Vec<VecDeque<WorkerMsg>> = Vec::new();
                for _ in 0..count {
                    let k = self.rng.random_range(0..self.pending.len());
                    let job = self.pending.remove(k).unwrap();
                    let full = self.rng.random_bool(0.7);
                    streams.push(self.run(job, full).into());
                }
                let mut merged = Vec::new();
                loop {
                    let open: Vec<usize> = (0..streams.len())
                        .filter(|&s| !streams[s].is_empty())
                        .collect();
                    if open.is_empty() {
                        break;
                    }
                    let s = open[self.rng.random_range(0..open.len())];
                    merged.push(streams[s].pop_front().unwrap());
                }
                if self.rng.random_bool(0.3) {
                    let keep = self.rng.random_range(0..=merged.len());
                    merged.truncate(keep);
                }
                for m in merged {
                    self.deliver(m);
                }
            }
        }
    }

    fn step(&mut self) {
        self.step += 1;
        let ev = random_event(&mut self.rng, &self.keys);
        self.stats.events += 1;
        let action = action_for(&self.app, &ev);
        self.note(describe(&ev, &action));
        if let Some(a) = action {
            self.stats.actions += 1;
            let before = self.app.scenario.clone();
            let text = format!("{a:?}");
            let effects = match catch_unwind(AssertUnwindSafe(|| update(&mut self.app, a))) {
                Ok(effects) => effects,
                Err(p) => self.fail(&format!("update({text}) panicked: {}", panic_text(&p))),
            };
            if self.app.scenario != before {
                self.stats.edits += 1;
            }
            self.effects(effects);
        }
        if self.app.quit {
            self.stats.quits += 1;
            self.app.quit = false;
        }
        if self.rng.random_bool(0.35) {
            self.service();
        }
        if let Err(e) = self.checker.check(&self.app, &mut self.stats) {
            self.fail(&e);
        }
        if self.step % 50 == 0 {
            self.app.theme = random_theme(&mut self.rng);
            let (app, rng) = (&self.app, &mut self.rng);
            if let Err(p) = catch_unwind(AssertUnwindSafe(|| render_random(app, rng))) {
                self.fail(&format!("the view panicked: {}", panic_text(&p)));
            }
            self.stats.renders += 1;
        }
    }
}

#[test]
fn soak_update_loop_with_interleaved_jobs() {
    let t0 = Instant::now();
    let mut total = Stats::default();
    let mut parks = Vec::new();
    // PARKPLAN_SOAK_SEEDS=63,86 replays other seeds.
    let seeds: Vec<u64> = match std::env::var("PARKPLAN_SOAK_SEEDS") {
        Ok(v) => v
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .expect("PARKPLAN_SOAK_SEEDS: comma-separated seeds")
            })
            .collect(),
        Err(_) => SEEDS.to_vec(),
    };
    for &seed in &seeds {
        let mut soak = Soak::new(seed);
        parks.push(format!(
            "{} ({} regions)",
            soak.app.scenario.park.name,
            soak.app.scenario.park.regions.len()
        ));
        for _ in 0..EVENTS_PER_SEED {
            soak.step();
        }
        // Finally every queued job runs in order and is delivered: the last
        // run finishes on the current parameters and is checked.
        while let Some(job) = soak.pending.pop_front() {
            for m in soak.run(job, true) {
                soak.deliver(m);
            }
        }
        if let Err(e) = soak.checker.check(&soak.app, &mut soak.stats) {
            soak.fail(&e);
        }
        total.add(&soak.stats);
    }
    eprintln!(
        "soak_update_loop_with_interleaved_jobs: {} events in {:.1} s on {}\n{total:#?}",
        total.events,
        t0.elapsed().as_secs_f64(),
        parks.join(", ")
    );
    assert_eq!(total.events, seeds.len() * EVENTS_PER_SEED);
    // The soak did what it is for.
    assert!(total.edits > 100, "{total:?}");
    assert!(total.solves_completed > 100, "{total:?}");
    assert!(total.solves_cancelled > 50, "{total:?}");
    assert!(total.msgs_stale > 100, "{total:?}");
    assert!(total.optimum_checks > 50, "{total:?}");
    assert!(total.pareto_checks > 0, "{total:?}");
    assert!(total.quits > 0, "{total:?}");
}

// ---------------------------------------------------------------------------
// The real worker threads

/// Thread ids of the threads of this process named by the console
/// ("parkplan-solver", "parkplan-analysis" shown as "parkplan-analys"): robust
/// to other tests running in parallel. The main thread (named after the test
/// binary, "parkplan-<hash>") does not count.
fn console_threads() -> BTreeSet<u64> {
    let main = std::fs::read_to_string("/proc/self/comm").unwrap_or_default();
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else {
        return BTreeSet::new();
    };
    dir.filter_map(|e| e.ok())
        .filter(|e| {
            std::fs::read_to_string(e.path().join("comm"))
                .is_ok_and(|c| c.starts_with("parkplan-") && c.trim_end() != main.trim_end())
        })
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect()
}

/// A number of /proc/self/status ("Threads", "VmRSS" in kB).
fn proc_status(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[test]
fn soak_real_worker_threads() {
    let t0 = Instant::now();
    // Start rayon's pool (used by the Pareto front) from this thread, so its
    // threads do not inherit a worker thread's name.
    let _ = rayon::current_num_threads();
    let threads_before = console_threads();
    let mut rng = SmallRng::seed_from_u64(0x50ab);
    let keys = documented_keys();
    let park = random_park(&mut rng);
    let mut app = App::new(park, None, Objective::Economic, random_theme(&mut rng));
    let (tx, rx) = mpsc::channel::<WorkerMsg>();
    let tx = std::sync::Mutex::new(tx);
    let mut runner = Runner::new(move |m| {
        let _ = tx.lock().unwrap().send(m);
    });
    // The solve's lane starts with the first solve; its thread names itself
    // once it runs.
    runner.submit(begin_run(&mut app).into_task());
    let deadline = Instant::now() + Duration::from_secs(5);
    let mine = loop {
        let new: BTreeSet<u64> = console_threads()
            .difference(&threads_before)
            .copied()
            .collect();
        if !new.is_empty() || Instant::now() > deadline {
            break new;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    // Other tests may start workers at the same moment: at least ours.
    assert!(!mine.is_empty(), "a solver thread: {mine:?}");
    let mut stats = Stats::default();
    let mut execute = move |app: &mut App, effects: Vec<Effect>, stats: &mut Stats| {
        runner.cancel_stale(app.analyses_id);
        for e in effects {
            match e {
                Effect::Solve => {
                    stats.solves += 1;
                    runner.submit(begin_run(app).into_task());
                }
                Effect::Analyze(view) => {
                    stats.analyses += 1;
                    if let Some(job) = analysis_job(app, view) {
                        runner.submit(job.into_task());
                    }
                }
                Effect::Save { .. } | Effect::Export { .. } => stats.writes_dropped += 1,
            }
        }
    };
    let mut checker = Checker::default();
    let drain = |app: &mut App, stats: &mut Stats| {
        while let Ok(m) = rx.try_recv() {
            stats.msgs_delivered += 1;
            if is_stale(app, &m) {
                stats.msgs_stale += 1;
            }
            match m {
                WorkerMsg::Analysis { .. } => stats.analyses_delivered += 1,
                WorkerMsg::Done { .. } | WorkerMsg::Failed { .. } => stats.solves_completed += 1,
                _ => {}
            }
            on_worker(app, m);
        }
    };
    execute(&mut app, vec![Effect::Solve], &mut stats);
    let mut warm = (BTreeSet::new(), 0, 0);
    let mut log: VecDeque<String> = VecDeque::new();
    for step in 0..THREADED_EVENTS {
        if step == WARM_UP {
            warm = (
                console_threads(),
                proc_status("Threads"),
                proc_status("VmRSS"),
            );
        }
        let ev = random_event(&mut rng, &keys);
        stats.events += 1;
        let action = action_for(&app, &ev);
        if log.len() == 40 {
            log.pop_front();
        }
        log.push_back(describe(&ev, &action));
        if let Some(a) = action {
            stats.actions += 1;
            let before = app.scenario.clone();
            let effects = update(&mut app, a);
            if app.scenario != before {
                stats.edits += 1;
            }
            execute(&mut app, effects, &mut stats);
        }
        if app.quit {
            stats.quits += 1;
            app.quit = false;
        }
        drain(&mut app, &mut stats);
        if let Err(e) = checker.check(&app, &mut stats) {
            panic!(
                "threaded soak, step {step}: {e}\nlast events:\n  {}",
                Vec::from(log.clone()).join("\n  ")
            );
        }
        if rng.random_bool(0.25) {
            std::thread::sleep(Duration::from_micros(rng.random_range(0..=2_000)));
        }
        if step % 50 == 0 {
            render_random(&app, &mut rng);
            stats.renders += 1;
        }
    }
    // Wait for the current run to finish (and stay finished a moment: a Pareto
    // plan loaded while the solve still ran is replaced when it arrives).
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut done_since: Option<Instant> = None;
    loop {
        drain(&mut app, &mut stats);
        match &app.run.status {
            RunStatus::Done { .. } => {
                if done_since.get_or_insert_with(Instant::now).elapsed()
                    > Duration::from_millis(300)
                {
                    break;
                }
            }
            RunStatus::Failed(e) => panic!("the last run failed: {e}"),
            _ => done_since = None,
        }
        assert!(
            Instant::now() < deadline,
            "the last run did not finish within 30 s: {:?}",
            app.run.status
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(app.run.plan.is_some(), "a finished run shows a plan");
    checker
        .check(&app, &mut stats)
        .unwrap_or_else(|e| panic!("threaded soak, at the end: {e}"));
    // The analysis of the open view, if any, should arrive too.
    let mut stuck = None;
    if is_analysis(app.focused()) {
        let kind = app.focused();
        // Analyses of a park of at most 7 regions take well under a second
        // alone; other tests share the two cores, so allow plenty.
        let deadline = Instant::now() + Duration::from_secs(60);
        while running_view(&app, kind) && Instant::now() < deadline {
            drain(&mut app, &mut stats);
            std::thread::sleep(Duration::from_millis(5));
        }
        if running_view(&app, kind) {
            stuck = Some(kind);
        }
    }
    // Runs superseded before they finished.
    stats.solves_cancelled = stats.solves.saturating_sub(stats.solves_completed);
    let end = (
        console_threads(),
        proc_status("Threads"),
        proc_status("VmRSS"),
    );
    // Dropping the runner ends its threads.
    drop(execute);
    // Their message senders go with them: the channel disconnects once both
    // threads have ended (robust to other tests' threads of the same name).
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut after_drop = 2;
    while Instant::now() < deadline {
        match rx.try_recv() {
            Err(mpsc::TryRecvError::Disconnected) => {
                after_drop = 0;
                break;
            }
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    let new_after_warm_up = end.0.difference(&warm.0).count();
    eprintln!(
        "soak_real_worker_threads: {} events in {:.1} s on {:?}; console threads {} before, \
         {} after warm-up, {} at the end ({new_after_warm_up} new), {after_drop} of the soak's \
         two alive after dropping the workers; all threads {} after warm-up / {} at the end; \
         VmRSS {} kB / {} kB; analysis of the open view {:?} stuck: {stuck:?}\n{stats:#?}",
        stats.events,
        t0.elapsed().as_secs_f64(),
        app.scenario.park.name,
        threads_before.len(),
        warm.0.len(),
        end.0.len(),
        warm.1,
        end.1,
        warm.2,
        end.2,
        app.focused(),
    );
    // (The workers were alive to the end: the last run and analysis arrived.)
    // Slack for other tests' workers running at the same time: an analysis
    // worker is four threads (one per kind of analysis), and two tests that
    // spawn one may overlap. A leak over the soak's thousands of jobs would
    // show as hundreds.
    assert!(
        new_after_warm_up <= 10,
        "console threads grew: {:?} -> {:?}",
        warm.0,
        end.0
    );
    assert!(
        end.2 <= warm.2 + 200 * 1024,
        "resident memory grew by more than 200 MB: {} kB -> {} kB",
        warm.2,
        end.2
    );
    assert_eq!(after_drop, 0, "the worker threads end with their handles");
    assert_eq!(
        stuck, None,
        "the analysis of the open view never arrived (\"computing…\" for ever)"
    );
    assert!(stats.edits > 20, "{stats:?}");
    assert!(stats.solves > 20, "{stats:?}");
}

// ---------------------------------------------------------------------------
// Bugs found by the soak, reduced (regression tests)

fn paper_app() -> App {
    App::new(
        Park::paper_case(),
        None,
        Objective::Economic,
        Theme {
            palette: Palette::Basic16,
        },
    )
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    match action_for(app, &key(code, KeyModifiers::NONE)) {
        Some(a) => update(app, a),
        None => Vec::new(),
    }
}

/// `4` (Sensitivity: a sweep of ets_price is asked for), then `→` before it
/// arrives (a sweep of co2_transport_km is asked for), then the first sweep
/// arrives: it was shown under the title and axis of co2_transport_km, since
/// `on_worker` accepted any sweep with the current analyses id.
#[test]
fn a_late_sweep_of_the_previous_parameter_is_not_shown() {
    let mut app = paper_app();
    assert_eq!(
        press(&mut app, KeyCode::Char('4')),
        vec![Effect::Analyze("sensitivity")]
    );
    let first = analysis_job(&app, "sensitivity").unwrap();
    assert_eq!(
        press(&mut app, KeyCode::Right),
        vec![Effect::Analyze("sensitivity")]
    );
    on_worker(&mut app, first.run(&CancelToken::new()).unwrap());
    if let Analysis::Ready(v) = &app.view::<Sensitivity>().sweep {
        assert_eq!(
            v.setup,
            app.view::<Sensitivity>().setup,
            "the Sensitivity view shows a sweep of {} under the title of {}",
            sweep_param(v.setup.param).key,
            sweep_param(app.view::<Sensitivity>().setup.param).key
        );
    }
}

/// `4` `5` `6` in quick succession (or Tab held through the analysis views):
/// while the sweep runs, the Pareto and MAC jobs queue up. The analysis thread
/// used to keep only one of the queued jobs (`newer.kind == job.kind ||
/// newer.id > job.id` dropped queued jobs of another kind with the same id), and
/// the dropped view showed "computing…" for ever: going back to it asks for
/// nothing (it is Running).
#[test]
fn analyses_asked_for_in_quick_succession_all_arrive() {
    let mut app = paper_app();
    // A longer sweep, so that the other two queue up behind it whatever the timing.
    app.view_mut::<Sensitivity>().setup.count = 1000;
    let (tx, rx) = mpsc::channel::<WorkerMsg>();
    let tx = std::sync::Mutex::new(tx);
    let mut runner = Runner::new(move |m| {
        let _ = tx.lock().unwrap().send(m);
    });
    for k in ['4', '5', '8', '6'] {
        for e in press(&mut app, KeyCode::Char(k)) {
            if let Effect::Analyze(view) = e {
                runner.submit(analysis_job(&app, view).unwrap().into_task());
            }
        }
    }
    let mut arrived = HashSet::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while arrived.len() < 4 && Instant::now() < deadline {
        if let Ok(m) = rx.recv_timeout(Duration::from_millis(50)) {
            if let WorkerMsg::Analysis { view, result, .. } = &m {
                arrived.insert(if result.is_ok() { *view } else { "failed" });
            }
            on_worker(&mut app, m);
        }
    }
    assert_eq!(app.focused(), "mac");
    let still: Vec<&str> = ["sensitivity", "pareto", "mac", "compare"]
        .into_iter()
        .filter(|v| running_view(&app, v))
        .collect();
    assert!(
        still.is_empty(),
        "arrived: {arrived:?}; still computing after 10 s: {still:?}"
    );
}

/// Runs a job to the end in this thread and delivers its messages.
fn solve_now(app: &mut App, effects: Vec<Effect>) {
    for e in effects {
        if e == Effect::Solve {
            let job = begin_run(app);
            let (msgs, _) = run_solve(&job, None);
            for m in msgs {
                on_worker(app, m);
            }
        }
    }
}

/// `1` `Enter` (edit the cap of region 1's FCS, 135000 m2), `e` `3` `0`
/// (135000e30 m2), `Enter`: the cap used to be accepted (finite; a park file
/// refuses numbers above 1e15), and the GA's repair, losing precision on caps
/// above about 1e23, made the run finish with a plan far over budget and an
/// absurd benefit, shown as "reached the exact optimum".
#[test]
fn a_huge_region_cap_is_refused_or_solved_feasibly() {
    let mut app = paper_app();
    solve_now(&mut app, vec![Effect::Solve]);
    for code in [KeyCode::Char('1'), KeyCode::Enter] {
        let effects = press(&mut app, code);
        solve_now(&mut app, effects);
    }
    assert!(app.edit.is_some(), "the cap of the first row is open");
    for c in "e30".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let effects = press(&mut app, KeyCode::Enter);
    solve_now(&mut app, effects);
    if app.edit.is_some() {
        // Refused at the field, as a park file would refuse it: fine.
        assert_eq!(app.scenario, app.original);
        return;
    }
    assert!(
        matches!(app.run.status, RunStatus::Done { .. }),
        "{:?}",
        app.run.status
    );
    let opts = parkplan::compile(&app.scenario.park);
    let plan = app.run.plan.as_ref().expect("a plan");
    if let Err(e) = plan.check(&opts) {
        panic!(
            "the plan on screen is infeasible ({e}), benefit {} CNY/yr, status {:?}",
            plan.objective(&opts, Objective::Economic),
            app.run.status
        );
    }
}

/// On `parkplan generate --regions 2 --seed 594203`: `1` `Enter` (the cap of
/// region 1's waste-heat recovery, 3106 kW), ten `0`s (31,060,000,000,000 kW,
/// within the 1e15 that park files allow), `Enter`. The GA holds a capacity as
/// a fraction of [min, cap], so on a cap this large its repair cannot land on
/// the budget: the plan spends 8,900,000.098 CNY of 8,900,000 (beyond the
/// tolerance of `Plan::check`), beats the exact plan by that overspend, and is
/// shown as "reached the exact optimum".
#[test]
fn a_large_but_allowed_cap_gives_a_feasible_plan() {
    let mut app = App::new(
        parkplan::park::generate(2, 594203),
        None,
        Objective::Economic,
        Theme {
            palette: Palette::Basic16,
        },
    );
    solve_now(&mut app, vec![Effect::Solve]);
    for code in [KeyCode::Char('1'), KeyCode::Enter] {
        let effects = press(&mut app, code);
        solve_now(&mut app, effects);
    }
    assert_eq!(
        app.edit.as_ref().map(|e| e.input.value().to_string()),
        Some("3106".to_string())
    );
    for _ in 0..10 {
        press(&mut app, KeyCode::Char('0'));
    }
    let effects = press(&mut app, KeyCode::Enter);
    assert!(app.edit.is_none(), "accepted: {:?}", app.note);
    solve_now(&mut app, effects);
    assert!(
        matches!(app.run.status, RunStatus::Done { .. }),
        "{:?}",
        app.run.status
    );
    let opts = parkplan::compile(&app.scenario.park);
    let plan = app.run.plan.as_ref().expect("a plan");
    if let Err(e) = plan.check(&opts) {
        panic!(
            "the plan on screen is infeasible ({e}; capex {:?}), status {:?}",
            plan.capex(&opts),
            app.run.status
        );
    }
}
