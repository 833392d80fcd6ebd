//! `parkplan export`: the compiled MILP as an LP or MPS file.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use parkplan::model::{Objective, compile};
use parkplan::solve::export::{self, Format};

use super::{ObjectiveArg, load_park, print};

/// A file format for `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    /// CPLEX LP (readable; HiGHS, CBC, Gurobi, SCIP, GLPK read it).
    Lp,
    /// Free MPS (column-wise; every MILP solver reads it).
    Mps,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Park file (TOML); the built-in paper case if omitted.
    pub park: Option<PathBuf>,
    /// File format.
    #[arg(long, value_enum, default_value_t = FileFormat::Lp)]
    pub format: FileFormat,
    /// What to maximize.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Economic)]
    pub objective: ObjectiveArg,
    /// Overrides (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Write to this file (atomically; refuses to overwrite without --force) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Replace an existing --output file.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<()> {
    let park = load_park(args.park.as_ref(), &args.sets)?;
    let opts = compile(&park);
    let obj: Objective = args.objective.into();
    let format = match args.format {
        FileFormat::Lp => Format::Lp,
        FileFormat::Mps => Format::Mps,
    };
    let text = export::write(&opts, obj, format, &park.name);
    match &args.output {
        Some(path) => parkplan::io::write_atomic(path, text.as_bytes(), args.force)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
        None => print(&text),
    }
}
