//! Command-line interface: argument parsing, exit codes and the subcommands.

//! One file per command (`solve.rs`, `analysis.rs` for sweep, pareto and mac,
//! `compare.rs`, `check.rs`, `generate.rs`); `output.rs` is the one way out to
//! stdout; `format/` writes a command's output as a table, JSON or CSV (one
//! file per format). A new command: its file, a variant of [`Command`] and one
//! arm in [`main`].

mod analysis;
mod check;
mod compare;
mod export;
mod format;
mod generate;
mod limit;
mod output;
mod robust;
mod solve;

use output::is_broken_pipe;
pub use output::{print, sanitize};

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use parkplan::park::{PAPER_CASE_NAME, PAPER_CASE_TOML};
use parkplan::{Objective, Park};

/// Exit status for bad input (file, flags, values), as opposed to 1 for failures.
pub const EXIT_BAD_INPUT: u8 = 2;

/// An error caused by what the user gave us: exits with status 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for BadInput {}

/// Plan carbon-reduction investment in an industrial park.
///
/// parkplan chooses, for each region of a park, which strategies to build (forestry
/// carbon sequestration FCS, carbon capture and utilization CCU, waste heat recovery
/// WHR, photovoltaics PV, and the negative-emission technologies DAC, BECCS and
/// biochar), with which technology and at what capacity, to maximize the annual
/// economic benefit or the annual CO2 reduction under a capital budget (the model of
/// Zhao et al. 2024, Front. Energy Res. 12:1272679). Each plan comes with its energy
/// balance, carbon ledger and operating KPIs.
///
/// Without a PARK file every command uses the built-in paper case (Table 1 of the paper).
///
/// Exit status: 0 success, 1 runtime failure, 2 bad input (file, flag or value).
#[derive(Debug, Parser)]
#[command(name = "parkplan", version, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  parkplan solve --objective carbon\n  parkplan solve parks/chemical-park.toml --set ets_price=100 --format json\n  parkplan compare parks/net-park.toml --objective carbon\n  parkplan check parks/*.toml"
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Park file to open in the console (`parkplan PARK` is `parkplan tui PARK`).
    pub park: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the what-if console (the default when no command is given).
    #[command(
        visible_alias = "console",
        after_help = "Examples:\n  parkplan\n  parkplan tui parks/chemical-park.toml --objective carbon\n  NO_COLOR=1 parkplan tui --set ets_price=100\n  parkplan console --no-mouse --theme high-contrast"
    )]
    Tui {
        /// Park file (TOML); the built-in paper case if omitted.
        park: Option<PathBuf>,
        /// Objective to start with [default: the one saved with the scenario, else economic].
        #[arg(long, value_enum)]
        objective: Option<ObjectiveArg>,
        /// Start from an override, e.g. --set ets_price=100 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// Leave the mouse to the terminal, so text can be selected (M toggles it in the console).
        #[arg(long)]
        no_mouse: bool,
        /// Colours: the usual ones, or high contrast for projectors (T toggles; NO_COLOR still wins).
        #[arg(long, value_enum, default_value_t = ThemeArg::Normal)]
        theme: ThemeArg,
    },
    /// Optimize a park and print the plan.
    #[command(
        after_help = "Examples:\n  parkplan solve\n  parkplan solve --objective carbon --set capex_cap=35000000\n  parkplan solve parks/chemical-park.toml --format csv > plan.csv"
    )]
    Solve(solve::SolveArgs),
    /// Re-optimize over a range of one parameter and locate the tipping points.
    #[command(
        after_help = "Examples:\n  parkplan sweep --param ets_price --range 59:450:40\n  parkplan sweep --param capex_cap --values 5e6,20e6,35e6 --format csv\n  parkplan sweep --param co2_transport_km --range 80:200:13 --objective carbon"
    )]
    Sweep(analysis::SweepArgs),
    /// The economic/carbon Pareto front, each point with its plan.
    #[command(
        after_help = "Examples:\n  parkplan pareto\n  parkplan pareto --points 50 --format csv"
    )]
    Pareto(analysis::ParetoArgs),
    /// The marginal abatement cost curve: cost per tonne and potential of every option.
    #[command(
        after_help = "In a park with resource rows ([energy], [land]) each bar is what its option adds \
                      given the bars before it, marked by the rows that cut it (docs/energy-and-nets.md).\n\n\
                      Examples:\n  parkplan mac\n  parkplan mac parks/chemical-park.toml --format csv\n  \
                      parkplan mac parks/net-park.toml --format json"
    )]
    Mac(analysis::MacArgs),
    /// Integration configurations (no NETs, each NET alone, the mix, the park's
    /// own scenarios) solved and compared: energy balance, carbon ledger, KPIs.
    #[command(
        after_help = "Examples:\n  parkplan compare parks/net-park.toml\n  parkplan compare parks/net-park.toml --objective carbon --scenario no-net --scenario mix\n  parkplan compare parks/net-park.toml --list"
    )]
    Compare(compare::CompareArgs),
    /// How sure is the plan: scenarios drawn from the park's [uncertainty] (or
    /// --vary), each solved exactly; option shares, regret, the plan best on average.
    #[command(
        after_help = "Examples:\n  parkplan robust --samples 10000 --seed 7\n  parkplan robust parks/net-park.toml --tornado\n  parkplan robust --vary ets_price=triangular:50:100:300 --format json"
    )]
    Robust(robust::RobustArgs),
    /// The compiled model as a standard MILP file (LP or MPS) for any MILP solver.
    #[command(
        after_help = "Examples:\n  parkplan export parks/net-park.toml --format mps > net.mps\n  parkplan export --objective carbon --set capex_cap=35000000"
    )]
    Export(export::ExportArgs),
    /// Write a random but plausible park (for tests and benchmarks).
    #[command(
        after_help = "Examples:\n  parkplan generate --regions 1000 --seed 7 > big.toml\n  parkplan generate --regions 50 --output parks/random-50.toml\n  parkplan generate --regions 30 --nets > net-30.toml"
    )]
    Generate(generate::GenerateArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  parkplan completions bash > ~/.local/share/bash-completion/completions/parkplan"
    )]
    Completions {
        /// Shell.
        shell: clap_complete::Shell,
    },
    /// Validate park files and list every problem found.
    #[command(after_help = "Example:\n  parkplan check parks/*.toml")]
    Check {
        /// Park files (TOML) to check.
        #[arg(required = true)]
        parks: Vec<PathBuf>,
    },
}

/// Objective to maximize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObjectiveArg {
    /// Annual economic benefit, CNY/yr (eq. 3.1).
    Economic,
    /// Annual CO2 reduction, t/yr (eq. 3.2).
    Carbon,
}

impl From<ObjectiveArg> for Objective {
    fn from(o: ObjectiveArg) -> Objective {
        match o {
            ObjectiveArg::Economic => Objective::Economic,
            ObjectiveArg::Carbon => Objective::Carbon,
        }
    }
}

/// `--set KEY=VALUE` texts as pairs (those `load_park` has accepted).
pub fn parsed_sets(sets: &[String]) -> Vec<(String, f64)> {
    sets.iter()
        .filter_map(|s| {
            let (k, v) = s.split_once('=')?;
            Some((k.trim().to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

/// Loads PARK, or the built-in paper case, and applies `--set` overrides.
pub fn load_park(path: Option<&PathBuf>, sets: &[String]) -> Result<Park, BadInput> {
    let mut park = match path {
        Some(p) => Park::load(p).map_err(|e| BadInput(e.to_string()))?,
        None => Park::from_toml(PAPER_CASE_TOML, PAPER_CASE_NAME)
            .map_err(|e| BadInput(e.to_string()))?,
    };
    for s in sets {
        park.apply_assignment(s)
            .map_err(|e| BadInput(format!("--set {s}: {e}")))?;
    }
    Ok(park)
}

/// `--theme` of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeArg {
    Normal,
    HighContrast,
}

fn console(
    park: Option<PathBuf>,
    objective: Option<ObjectiveArg>,
    sets: &[String],
    options: parkplan_console::Options,
) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let scenario = load_park(park.as_ref(), sets)?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(BadInput(
            "the console needs a terminal; for scripts use `parkplan solve` (see parkplan --help)"
                .into(),
        )
        .into());
    }
    parkplan_console::run(
        scenario,
        park,
        objective.map(Into::into),
        parsed_sets(sets),
        options,
    )
}

/// The parameters `--set` accepts, with units and meaning, for the help text.
fn set_keys_help() -> String {
    let mut s =
        String::from("Parameters for --set KEY=VALUE (the park file's [economics] keys):\n");
    for p in parkplan::park::PARAMS {
        s += &format!("  {:<18} {:<10} {}\n", p.key, p.unit, p.help);
    }
    s
}

/// The clap command with the generated parts of the help added.
fn command() -> clap::Command {
    let keys = set_keys_help();
    let mut cmd = Cli::command();
    for &(name, ..) in format::HELP {
        if let Some((short, long)) = format::help(name) {
            cmd = cmd.mut_subcommand(name, |c| {
                c.mut_arg("format", |a| {
                    a.help(short).long_help(long).hide_possible_values(true)
                })
            });
        }
    }
    cmd.mut_subcommand("solve", |c| {
        let after = c
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        c.after_long_help(format!("{keys}\n{after}"))
    })
    .mut_subcommand("tui", |c| {
        let after = c
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        c.after_long_help(format!("{keys}\n{after}"))
    })
}

/// Prints clap's help, version or usage error and exits with its status (0
/// for help and version, 2 for bad arguments), or 1 if that text cannot be
/// written (`parkplan --help > /dev/full`).
fn clap_exit(e: &clap::Error) -> ExitCode {
    use std::io::Write;
    let written = e.print().and_then(|()| std::io::stdout().flush());
    match written {
        Err(w) if w.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("parkplan: cannot write the output: {w}");
            ExitCode::from(1)
        }
        _ => ExitCode::from(e.exit_code().clamp(0, 255) as u8),
    }
}

/// Runs the command line and maps errors to exit codes.
pub fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_exit(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_exit(&e),
    };
    let result = match cli.command {
        Some(Command::Solve(args)) => solve::run(&args),
        Some(Command::Check { parks }) => check::run(&parks),
        Some(Command::Sweep(args)) => analysis::run_sweep(&args),
        Some(Command::Mac(args)) => analysis::run_mac(&args),
        Some(Command::Pareto(args)) => analysis::run_pareto(&args),
        Some(Command::Compare(args)) => compare::run(&args),
        Some(Command::Robust(args)) => robust::run(&args),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Completions { shell }) => {
            let mut cmd = command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "parkplan", &mut script);
            print(&String::from_utf8_lossy(&script))
        }
        Some(Command::Generate(args)) => generate::run(&args),
        Some(Command::Tui {
            park,
            objective,
            sets,
            no_mouse,
            theme,
        }) => console(
            park,
            objective,
            &sets,
            parkplan_console::Options {
                mouse: !no_mouse,
                high_contrast: theme == ThemeArg::HighContrast,
            },
        ),
        None => match cli.park {
            // `parkplan slove` is more likely a mistyped command than a park file.
            Some(p) if !p.exists() => Err(BadInput(format!(
                "{}: no such park file, and not a command; commands: {}",
                p.display(),
                command()
                    .get_subcommands()
                    .filter(|c| !c.is_hide_set())
                    .map(|c| c.get_name().to_string())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into()),
            park => console(park, None, &[], Default::default()),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let msg = format!("{e:#}");
            eprintln!("parkplan: {}", sanitize(msg.trim_end()));
            if e.downcast_ref::<BadInput>().is_some() {
                ExitCode::from(EXIT_BAD_INPUT)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
