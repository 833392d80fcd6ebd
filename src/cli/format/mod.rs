//! Output formats. A command builds its output once, as an [`Output`]: the
//! text for people (tables written by `parkplan::table`), the JSON document
//! and the CSV rows, all from the serde structs of `parkplan::report`; [`emit`]
//! writes the one chosen, through `output::print`. A new format is one file
//! here, its [`Format`] variant and its arm in [`emit`].

mod csv;
mod json;
mod table;

use clap::{Args, ValueEnum};
use serde::Serialize;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned tables for people (names cut only to fit a terminal).
    Table,
    /// JSON with a stable schema.
    Json,
    /// CSV, one row per item, with a header.
    Csv,
}

/// The `--format` flag, defined once for every command that prints a report;
/// its help says what each format holds for that command ([`HELP`]).
#[derive(Debug, Clone, Copy, Args)]
pub struct FormatArg {
    /// Output format: table, json or csv.
    #[arg(long = "format", value_enum, default_value_t = Format::Table, value_name = "FORMAT")]
    pub format: Format,
}

impl Default for FormatArg {
    fn default() -> Self {
        FormatArg {
            format: Format::Table,
        }
    }
}

/// What `--format` gives, per command: (command, table, json, csv). The
/// `--help` of each command shows its own line ([`help`]).
pub const HELP: &[(&str, &str, &str, &str)] = &[
    (
        "solve",
        "every region's strategy slots (unbuilt ones as 0), totals, payback and the solver's status, then the carbon ledger, energy balance and KPIs",
        "the same as one document with a stable schema (park, objective, parameters, plan, totals, solver, ledger; README)",
        "one row per built item: region, strategy, technology, capacity and capacity_unit, capex_cny, annual_income_cny_per_yr, annual_benefit_cny_per_yr, annual_co2_t_per_yr",
    ),
    (
        "sweep",
        "one row per value (benefit, CO2, capex, gap and each technology's built capacity), then the tipping points in words",
        "the points (totals, capacities, solver status) and the tipping points",
        "one row per value: the parameter with its unit (ets_price_cny_per_t), annual_benefit_cny_per_yr, annual_co2_t_per_yr, capex_cny, annual_income_cny_per_yr, gap_fraction, then one capacity column per technology (CCU_1_t_per_a)",
    ),
    (
        "pareto",
        "one row per point (CO2, benefit, capex, proven or gap), then the capacity built at each point, one column per point",
        "each point with its totals, plan rows, upper bound and gap",
        "one row per point: point, annual_co2_t_per_yr, annual_benefit_cny_per_yr, capex_cny, gap_fraction, proven_optimal and the plan in words",
    ),
    (
        "mac",
        "the options cheapest first: cost per tonne, potential, running totals and the budget line",
        "the carbon price, the capex cap and every option (entries)",
        "one row per option: region, strategy, technology, capacity and capacity_unit, cost_cny_per_t, potential_t_per_yr, capex_cny, cumulative_potential_t_per_yr, cumulative_capex_cny, within_budget, alternative",
    ),
    (
        "compare",
        "the scenarios side by side, one row per figure (capex, benefit, CO2 and its parts, emissions, KPIs, what is built)",
        "each scenario whole: plan, ledger and KPIs",
        "one row per scenario and figure (scenario,kpi,value), the figure's name carrying its unit (capex_cny, annual_co2_t_per_yr, efficiency_before_fraction)",
    ),
    (
        "robust",
        "the parameters' spread, the optimum's, each option's share, the regret of the reference and expected-value plans (and the tornado)",
        "the whole report, every scenario included",
        "one figure a row (section,item,field,value,unit), then every scenario",
    ),
];

/// `command`'s `--format` help from [`HELP`]: a short line for `-h`, each
/// format's content for `--help`.
pub fn help(command: &str) -> Option<(String, String)> {
    let &(_, table, json, csv) = HELP.iter().find(|h| h.0 == command)?;
    let short = "Output format: table, json or csv (--help says what each holds)".to_string();
    let long = format!(
        "Output format [possible values: table, json, csv]\n\
         - table: {table} (names cut only to fit a terminal, never in a file or a pipe)\n\
         - json: {json}\n\
         - csv: {csv}"
    );
    Some((short, long))
}

/// A command's rows for row formats (CSV).
pub enum Rows<'a, R> {
    /// Rows of a struct: the header is its field names.
    Typed(&'a [R]),
    /// Rows under a header known only at run time (a sweep's columns).
    WithHeader(&'a [String], &'a [R]),
}

/// What a command shows, in every format.
pub struct Output<'a, J: ?Sized, R> {
    /// The text for people, given the terminal's width (`None`: a file or a
    /// pipe, nothing cut). Built only when asked for.
    pub text: Box<dyn FnOnce(Option<usize>) -> String + 'a>,
    /// The JSON document.
    pub json: &'a J,
    /// The rows.
    pub rows: Rows<'a, R>,
}

/// Writes `out` in the chosen format to stdout.
pub fn emit<J: Serialize + ?Sized, R: Serialize + Default>(
    format: FormatArg,
    out: Output<'_, J, R>,
) -> anyhow::Result<()> {
    let text = match format.format {
        Format::Table => table::write(out.text),
        Format::Json => json::write(out.json),
        Format::Csv => csv::write(&out.rows),
    };
    super::print(&text)
}

/// How much of an analysis was computed: `done` of `of` units (values,
/// targets, scenarios, samples), and why it stopped short if it did. An
/// analysis under `--time-limit` always says it, in every format, so that a
/// partial answer is never shown as complete.
#[derive(Debug, Clone, Serialize)]
pub struct Completion {
    pub complete: bool,
    /// Why it stopped before the end ("time limit"); absent when complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<&'static str>,
    pub done: usize,
    pub of: usize,
    /// What `done` counts ("values", "points", "scenarios", "samples").
    pub counting: &'static str,
    /// What else was left out (tipping points not located, the tornado).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
}

impl Completion {
    /// `done` of `of`, stopped by the time limit if `stopped` (or if not all
    /// were done), with what else was `left_out` because of it.
    pub fn new(done: usize, of: usize, counting: &'static str, stopped: bool) -> Self {
        let stopped = stopped || done < of;
        Completion {
            complete: !stopped,
            stopped: stopped.then_some("time limit"),
            done,
            of,
            counting,
            left_out: Vec::new(),
        }
    }

    /// The note in words, for the table and the CSV comment; `None` when complete.
    pub fn note(&self) -> Option<String> {
        if self.complete {
            return None;
        }
        let mut s = format!(
            "INCOMPLETE: stopped at the time limit; {} of {} {} computed, only those are shown",
            self.done, self.of, self.counting
        );
        for l in &self.left_out {
            s += "; ";
            s += l;
        }
        Some(s)
    }
}

/// The document with its [`Completion`] first.
#[derive(Serialize)]
struct WithCompletion<'a, J: Serialize + ?Sized> {
    #[serde(flatten)]
    completion: &'a Completion,
    #[serde(flatten)]
    doc: &'a J,
}

/// [`emit`] for an analysis that may have stopped at its time limit: the
/// JSON document gains `complete`, `done`, `of`, `counting` (and `stopped`,
/// `left_out` when incomplete); an incomplete table starts and ends with the
/// note, an incomplete CSV starts with it as a `#` comment line.
pub fn emit_analysis<J: Serialize + ?Sized, R: Serialize + Default>(
    format: FormatArg,
    out: Output<'_, J, R>,
    completion: &Completion,
) -> anyhow::Result<()> {
    let note = completion.note();
    let text = match format.format {
        Format::Table => {
            let body = table::write(out.text);
            match &note {
                Some(n) => format!("{n}\n\n{body}\n{n}\n"),
                None => body,
            }
        }
        Format::Json => json::write(&WithCompletion {
            completion,
            doc: out.json,
        }),
        Format::Csv => {
            let body = csv::write(&out.rows);
            match &note {
                Some(n) => format!("# {n}\n{body}"),
                None => body,
            }
        }
    };
    super::print(&text)
}
