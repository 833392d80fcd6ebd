//! `parkplan generate`: a random but plausible park.

use std::path::PathBuf;

use clap::Args;

use super::{BadInput, print};

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of regions, 1-200000 (the most a park file may have).
    #[arg(long, default_value_t = 100, value_parser = regions_in_range)]
    pub regions: usize,
    /// Random seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write to this file (atomically; refuses to overwrite without --force) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Replace an existing --output file.
    #[arg(long)]
    pub force: bool,
    /// Add negative-emission technologies (DAC, BECCS, biochar) and an
    /// energy baseline with a generated hourly profile.
    #[arg(long)]
    pub nets: bool,
}

/// `generate --regions`: 1 to [`parkplan::park::MAX_REGIONS`], so the generator
/// never writes a park that `check` refuses.
fn regions_in_range(text: &str) -> Result<usize, String> {
    let max = parkplan::park::MAX_REGIONS;
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("expected a whole number from 1 to {max}")),
    }
}

pub fn run(args: &GenerateArgs) -> anyhow::Result<()> {
    let (regions, seed, nets) = (args.regions, args.seed, args.nets);
    let park = if nets {
        parkplan::park::generate_with_nets(regions, seed)
    } else {
        parkplan::park::generate(regions, seed)
    };
    let text = parkplan::park::to_toml(
        &park,
        &format!(
            "generated (parkplan generate --regions {regions} --seed {seed}{})",
            if nets { " --nets" } else { "" }
        ),
    );
    match &args.output {
        Some(path) => parkplan::io::write_atomic(path, text.as_bytes(), args.force).map_err(|e| {
            let msg = format!("cannot write {}: {e}", path.display());
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::Error::from(BadInput(format!("{msg} (use --force to replace it)")))
            } else {
                anyhow::anyhow!(msg)
            }
        }),
        None => print(&text),
    }
}
