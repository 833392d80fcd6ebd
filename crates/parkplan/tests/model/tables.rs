//! The key tables: technology parameters addressed as `STRATEGY.CODE.FIELD`,
//! `[solver]` settings through one rule set, and each table's keys read,
//! written and read back.

use parkplan::Park;
use parkplan::park::{SetError, Strategy, TechKey};

#[test]
fn a_technology_parameter_is_set_by_its_key() {
    let mut park = Park::paper_case();
    park.apply_assignment("ccu.1.capex=1500").unwrap();
    assert_eq!(park.catalogue.ccu[0].capex_cny_per_t_yr, 1500.0);
    park.apply_assignment("whr.3.price = 0.05").unwrap();
    let w3 = park.catalogue.whr.iter().find(|t| t.code == 3).unwrap();
    assert_eq!(w3.price_cny_per_kwh, 0.05);
    // The compiled model sees it: CCU capex per unit is the new capex (eq. 3.15).
    let opts = parkplan::compile(&park);
    let ccu = opts
        .items
        .iter()
        .find(|it| it.strategy == Strategy::Ccu)
        .unwrap();
    assert_eq!(ccu.coef.capex_per_unit, 1500.0);
}

#[test]
fn bad_technology_keys_say_what_is_allowed() {
    let mut park = Park::paper_case();
    let before = park.clone();
    let err = park.apply_assignment("ccu.9.capex=1").unwrap_err();
    assert!(matches!(err, SetError::Tech { .. }));
    assert!(
        err.to_string().contains("no ccu technology with code 9"),
        "{err}"
    );
    let err = park.apply_assignment("ccu.1.capx=1").unwrap_err();
    assert!(err.to_string().contains("valid fields: capex"), "{err}");
    let err = park.apply_assignment("pv.1.efficiency=0").unwrap_err();
    assert!(err.to_string().contains("> 0"), "{err}");
    let err = park.apply_assignment("ccu.1.capex=abc").unwrap_err();
    assert!(err.to_string().contains("not a number"), "{err}");
    assert_eq!(park, before, "a refused assignment changes nothing");
}

#[test]
fn tech_keys_parse_only_their_shape() {
    let k = TechKey::parse("beccs.2.capture_rate").unwrap();
    assert_eq!(
        (k.strategy, k.code, k.field),
        (Strategy::Beccs, 2, "capture_rate")
    );
    assert!(TechKey::parse("ets_price").is_none());
    assert!(TechKey::parse("ccu.x.capex").is_none());
    assert!(TechKey::parse("oil.1.capex").is_none());
}

#[test]
fn solver_settings_share_one_rule_set() {
    let mut park = Park::paper_case();
    let err = park.set_solver("population", 3.0).unwrap_err();
    assert!(err.contains(">= 4 and <= 100000"), "{err}");
    assert!(park.set_solver("population", 100_001.0).is_err());
    assert!(park.set_solver("population", 2.5).is_err());
    park.set_solver("population", 10.0).unwrap();
    let err = park.set_solver("elitism", 10.0).unwrap_err();
    assert!(err.contains("below the population (10)"), "{err}");
    park.set_solver("elitism", 9.0).unwrap();
    let err = park.set_solver("population", 9.0).unwrap_err();
    assert!(err.contains("above the elitism (9)"), "{err}");
    assert_eq!((park.solver.population, park.solver.elitism), (10, 9));
}

#[test]
fn every_table_key_survives_write_and_read() {
    // Change one field of every technology (an independent, known value) and
    // check the written file reads back to exactly the same park.
    let mut park = Park::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../parks/net-park.toml"
    )))
    .unwrap();
    park.apply_assignment("dac.1.storage_cost=12.5").unwrap();
    park.apply_assignment("biochar.1.biochar_price=1234")
        .unwrap();
    park.set_solver("time_limit_s", 3.5).unwrap();
    // A generated profile, so the written file stands on its own.
    park.energy.as_mut().unwrap().profile.source = parkplan::park::ProfileSource::Generated {
        day_load_factor: 1.3,
    };
    let text = parkplan::park::to_toml(&park, "test");
    assert!(
        text.contains("storage_cost = 12.5  # [CNY/t] test"),
        "{text}"
    );
    assert!(text.contains("time_limit_s = 3.5  # [s] test"));
    let mut back = Park::from_toml(&text, "written").unwrap();
    // The profile is carried by the CSV path; compare everything else.
    back.energy.as_mut().unwrap().profile = park.energy.as_ref().unwrap().profile.clone();
    assert_eq!(back, park);
}

#[test]
fn one_range_rule_for_every_sweep() {
    use parkplan::analysis::sweep::SweepRange;
    // Downwards is allowed and swept in the order given.
    assert_eq!(
        SweepRange::parse("100:50:3", 1000).unwrap().values(),
        vec![100.0, 75.0, 50.0]
    );
    assert_eq!(
        SweepRange::parse(" 0 : 240 : 5 ", 1000).unwrap().values(),
        vec![0.0, 60.0, 120.0, 180.0, 240.0]
    );
    for bad in [
        "1:1:3",
        "0:10:1",
        "0:10:1001",
        "0:inf:3",
        "0:10",
        "a:b:c",
        "0:10:2.5",
    ] {
        let err = SweepRange::parse(bad, 1000).unwrap_err();
        assert!(
            err.contains("FROM") || err.contains("COUNT"),
            "{bad}: {err}"
        );
    }
}
