//! Random but plausible parks for tests and benchmarks (`parkplan generate`).

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::{Land, NET_PARK_TOML, PAPER_CASE_LITERATURE_TOML, Park, Region, Slot, Strategy};

/// A park of `regions` regions: the economics and catalogue of the paper case
/// with literature values (`parks/paper-case-literature.toml`), a mix
/// of empty lots, factories and rooftops with varied caps, and a budget of about
/// a third of what building everything would cost, so the budget binds.
pub fn generate(regions: usize, seed: u64) -> Park {
    let mut park = Park::from_toml(PAPER_CASE_LITERATURE_TOML, "paper-case-literature.toml")
        .expect("the literature paper case is checked by tests");
    let mut rng = SmallRng::seed_from_u64(seed);
    park.name = format!("Generated park: {regions} regions, seed {seed}");
    park.notes =
        "Random example for tests and benchmarks; catalogue and economics of the paper case (literature values)."
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
                land_group: None,
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

/// [`generate`], plus negative-emission technologies: the NET catalogue and
/// energy prices of `parks/net-park.toml`, a generated hourly profile, demands
/// in proportion to the number of regions, and DAC, BECCS and biochar slots on
/// some lots and factories. The same seed gives the same paper-strategy slots
/// as [`generate`].
pub fn generate_with_nets(regions: usize, seed: u64) -> Park {
    let mut park = generate(regions, seed);
    let net = Park::from_toml_structure(NET_PARK_TOML, "net-park.toml")
        .expect("the NET example park is checked by tests");
    park.catalogue.dac = net.catalogue.dac;
    park.catalogue.beccs = net.catalogue.beccs;
    park.catalogue.biochar = net.catalogue.biochar;
    let mut energy = net.energy.expect("the NET example park has [energy]");
    let n = regions as f64;
    energy.electricity_demand_mwh = (30_000.0 * n).round();
    energy.heat_demand_mwh = (60_000.0 * n).round();
    energy.cooling_demand_mwh = (8_000.0 * n).round();
    energy.biomass_supply_t = Some((8_000.0 * n).round());
    energy.profile = super::profile::generate(1.3);
    park.energy = Some(energy);
    park.name = format!("Generated park with NETs: {regions} regions, seed {seed}");
    park.notes = "Random example for tests and benchmarks; paper-case catalogue and economics (literature values), NET catalogue and energy prices of net-park.toml.".into();
    let mut rng = SmallRng::seed_from_u64(seed ^ 0x4e45_5453);
    for r in &mut park.regions {
        let mut add = |s: Strategy, lo: f64, hi: f64, p: f64| {
            if rng.random_bool(p) {
                let max: f64 = rng.random_range(lo..hi);
                r.slots.push(Slot {
                    strategy: s,
                    min: 0.0,
                    max: max.round(),
                    techs: None,
                });
            }
        };
        match r.land {
            Land::EmptyLot => {
                add(Strategy::Dac, 1_000.0, 20_000.0, 0.2);
                add(Strategy::Biochar, 3_000.0, 30_000.0, 0.3);
            }
            Land::Factory => {
                add(Strategy::Dac, 1_000.0, 20_000.0, 0.1);
                add(Strategy::Beccs, 10_000.0, 100_000.0, 0.25);
                add(Strategy::Biochar, 3_000.0, 30_000.0, 0.1);
            }
            Land::Rooftop => {}
        }
    }
    // The budget again, now with the NET slots.
    let opts = crate::model::compile(&park);
    park.economics.capex_cap_cny = (opts.max_spend() / 3.0 / 1e5).round() * 1e5;
    park
}
