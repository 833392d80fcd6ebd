//! Random but plausible parks for tests and benchmarks (`parkplan generate`).

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::{Land, PAPER_CASE_NAME, PAPER_CASE_TOML, Park, Region, Slot, Strategy};

/// A park of `regions` regions: the paper case's economics and catalogue, a mix
/// of empty lots, factories and rooftops with varied caps, and a budget of about
/// a third of what building everything would cost, so the budget binds.
pub fn generate(regions: usize, seed: u64) -> Park {
    let mut park = Park::from_toml(PAPER_CASE_TOML, PAPER_CASE_NAME)
        .expect("the built-in paper case is checked by tests");
    let mut rng = SmallRng::seed_from_u64(seed);
    park.name = format!("Generated park: {regions} regions, seed {seed}");
    park.notes =
        "Random example for tests and benchmarks; catalogue and economics of the paper case."
            .into();
    park.regions = (0..regions)
        .map(|k| {
            let land = match rng.random_range(0..10) {
                0..=2 => Land::EmptyLot,
                3..=7 => Land::Factory,
                _ => Land::Rooftop,
            };
            let mut slots = Vec::new();
            let add = |slots: &mut Vec<Slot>, s: Strategy, max: f64| {
                slots.push(Slot {
                    strategy: s,
                    min: 0.0,
                    max: max.round(),
                    techs: None,
                });
            };
            match land {
                Land::EmptyLot => {
                    let area_m2 = rng.random_range(5_000.0..150_000.0);
                    let fcs = rng.random_bool(0.8);
                    if fcs {
                        add(&mut slots, Strategy::Fcs, area_m2);
                    }
                    if !fcs || rng.random_bool(0.6) {
                        add(&mut slots, Strategy::Pv, area_m2);
                    }
                }
                Land::Factory => {
                    if rng.random_bool(0.5) {
                        add(
                            &mut slots,
                            Strategy::Ccu,
                            rng.random_range(2_000.0..60_000.0),
                        );
                    }
                    if rng.random_bool(0.8) {
                        add(&mut slots, Strategy::Whr, rng.random_range(200.0..8_000.0));
                    }
                    if slots.is_empty() || rng.random_bool(0.5) {
                        add(
                            &mut slots,
                            Strategy::Pv,
                            rng.random_range(1_000.0..20_000.0),
                        );
                    }
                }
                Land::Rooftop => add(&mut slots, Strategy::Pv, rng.random_range(500.0..30_000.0)),
            }
            let name = match land {
                Land::EmptyLot => format!("Lot {}", k + 1),
                Land::Factory => format!("Factory {}", k + 1),
                Land::Rooftop => format!("Roof {}", k + 1),
            };
            Region {
                id: k as u32 + 1,
                name,
                land,
                slots,
            }
        })
        .collect();
    // Budget: a third of building every slot at its cap with the dearest technology.
    let opts = crate::model::compile(&park);
    let full = opts.max_spend();
    park.economics.capex_cap_cny = (full / 3.0 / 1e5).round() * 1e5;
    park
}
