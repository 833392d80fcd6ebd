//! `parkplan check`: validate park files and list every problem found.

use std::path::PathBuf;

use parkplan::Park;

use super::{BadInput, print, sanitize};

pub fn run(parks: &[PathBuf]) -> anyhow::Result<()> {
    let mut bad = Vec::new();
    for p in parks {
        match Park::load(p) {
            Ok(park) => {
                let opts = parkplan::compile(&park);
                let mut extra = String::new();
                if let Some(en) = &park.energy {
                    let rows = en.profile.load.len();
                    extra += &match &en.profile.source {
                        parkplan::park::ProfileSource::File(f) => {
                            format!(
                                "; energy baseline, {}-row profile {f}",
                                parkplan::report::group_thousands(rows as f64, 0)
                            )
                        }
                        parkplan::park::ProfileSource::Generated { .. } => {
                            "; energy baseline, generated profile".to_string()
                        }
                    };
                }
                if !park.scenarios.is_empty() {
                    extra += &format!("; {} scenarios", park.scenarios.len());
                }
                print(&format!(
                    "{}: ok ({} regions, {} options in {} groups{extra})\n",
                    p.display(),
                    park.regions.len(),
                    opts.items.len(),
                    opts.groups.len()
                ))?;
            }
            Err(e) => {
                let e = e.to_string();
                eprint!("{}", sanitize(&e));
                if !e.ends_with('\n') {
                    eprintln!();
                }
                bad.push(p.display().to_string());
            }
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(BadInput(format!(
            "{} of {} park files have problems",
            bad.len(),
            parks.len()
        ))
        .into())
    }
}
