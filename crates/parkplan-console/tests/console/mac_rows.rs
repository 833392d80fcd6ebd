//! The MAC view of a park with resource rows: the bars a row cut are marked
//! (a `Limit` column), options that add nothing are said, at 80x24; and
//! `export_price` is edited in the Params view like the other energy prices.

use parkplan::analysis::mac;
use ratatui::crossterm::event::KeyCode;

use crate::helpers::{edit_param, net_park, press, render, started_on, text};

#[test]
fn the_mac_view_marks_limited_bars_and_says_what_adds_nothing() {
    // 1,000 t/yr of biomass: below every BECCS unit's (30,000 t/a) and the
    // biochar line's (3,000 t/a) minimum size, so BECCS in region 1 (its slot
    // has nothing else) adds nothing; the cooling demand still cuts region 8's
    // chiller, as on the shipped park.
    let mut park = net_park();
    park.energy.as_mut().unwrap().biomass_supply_t = Some(1000.0);
    let opts = parkplan::compile(&park);
    let curve = mac::walk(&opts, park.economics.ets_price_cny_per_t);
    assert!(
        curve
            .unused
            .iter()
            .any(|u| u.region == 1 && u.limited_by == ["biomass supply"]),
        "{:#?}",
        curve.unused
    );
    let n = curve.unused.len();
    let cut = curve
        .entries
        .iter()
        .find(|m| m.region == 8 && !m.alternative)
        .unwrap();
    assert_eq!(cut.limited_by, ["cooling demand"]);
    let mut app = started_on(park);
    press(&mut app, KeyCode::Char('6'));
    let screen = text(&render(&app, 80, 24));
    let flat = screen.replace(['│', '\n'], " ");
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!("{n} options add nothing once the rows are used")),
        "{screen}"
    );
    assert!(screen.contains("Limit"), "{screen}");
    assert!(screen.lines().all(|l| l.chars().count() <= 80));
    // Down to region 8's chiller: its row reads "cooling" in the Limit column.
    let at = curve
        .entries
        .iter()
        .filter(|m| !m.alternative)
        .position(|m| m.region == 8)
        .unwrap();
    for _ in 0..at {
        press(&mut app, KeyCode::Down);
    }
    let screen = text(&render(&app, 80, 24));
    let row = screen
        .lines()
        .find(|l| l.starts_with("│8 ") && l.contains("Absorption"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        row.trim_end_matches('│').trim_end().ends_with("cooling"),
        "{row}"
    );
}

#[test]
fn export_price_is_edited_in_the_params_view() {
    let park = net_park();
    assert_eq!(park.energy.as_ref().unwrap().export_price_cny_per_mwh, None);
    let mut app = started_on(park);
    edit_param(&mut app, "export_price", "420");
    let en = app.scenario.park.energy.as_ref().unwrap();
    assert_eq!(en.export_price_cny_per_mwh, Some(420.0));
    let opts = parkplan::compile(&app.scenario.park);
    assert!(opts.rows.rows.iter().any(|r| r.name == "electricity"));
    let overrides = parkplan_console::update::user_overrides(&app);
    assert!(
        overrides.contains(&("export_price".to_string(), 420.0)),
        "{overrides:?}"
    );
    // Refused out of range, with what is allowed.
    edit_param(&mut app, "export_price", "-5");
    assert_eq!(
        app.scenario
            .park
            .energy
            .as_ref()
            .unwrap()
            .export_price_cny_per_mwh,
        Some(420.0)
    );
}
