//! `[energy] export_price` is a parameter like the other energy prices:
//! `--set`, scenarios, the console's Params view (through `Park::set_param`)
//! and the in-place editor.

use std::process::Command;

use parkplan::model::compile;
use parkplan::park::{Park, updated_toml};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

/// The paper's economics and PV, `[energy]` without `export_price`, an
/// electricity demand of 2,000 MWh/yr and three roofs of 10,000 m2 of PV;
/// the budget out of the way.
fn pv_park_text() -> String {
    let paper = parkplan::park::PAPER_CASE_TOML;
    let head: String = paper[..paper.find("[[region]]").expect("regions")]
        .lines()
        .filter(|l| !l.starts_with("displaced_ef"))
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .replace("capex_cap = 20_000_000 ", "capex_cap = 1_000_000_000_000 ");
    let mut text = format!(
        "{head}
[energy]
electricity_price = 650  # [CNY/MWh] test
gas_price = 300  # [CNY/MWh] test
electricity_demand = 2000  # [MWh/yr] test
heat_demand = 0  # [MWh/yr] test
cooling_demand = 0  # [MWh/yr] test

[energy.profile]
day_load_factor = 1.3
"
    );
    for id in 1..=3 {
        text += &format!(
            "\n[[region]]\nid = {id}\nname = \"Roof {id}\"\nland = \"rooftop\"\npv = {{ max_m2 = 10000 }}\n"
        );
    }
    text
}

fn benefit(file: &str, sets: &[&str]) -> f64 {
    let mut args = vec!["solve", file, "--format", "json"];
    for s in sets {
        args.extend(["--set", s]);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["totals"]["annual_benefit"].as_f64().unwrap()
}

#[test]
fn set_export_price_changes_the_benefit_by_the_export_income() {
    let text = pv_park_text();
    let park = Park::from_toml(&text, "pv.toml").unwrap_or_else(|e| panic!("{e}"));
    assert!(park.economics.capex_cap_cny >= 1e12, "budget not lifted");
    assert_eq!(park.energy.as_ref().unwrap().export_price_cny_per_mwh, None);
    // By hand (eqs. 3.23-3.26): a m2 makes w MWh/yr and is worth v CNY/yr
    // (every MWh at the PV's own λ_PV, its carbon credit, less maintenance
    // and annualized capex). 30,000 m2 make w x 30,000 MWh, beyond the
    // 2,000 the park uses.
    let e = &park.economics;
    let pv = &park.catalogue.pv[0];
    let w = e.solar_radiation_kwh_per_m2_yr * pv.efficiency * pv.loss_factor / 1000.0;
    let alpha = e.alpha();
    let v = (pv.feed_in_price_cny_per_kwh + e.ets_price_cny_per_t * e.grid_ef_t_per_mwh / 1000.0
        - pv.maintenance_cny_per_kwh)
        * w
        * 1000.0
        - alpha * pv.capex_cny_per_kw / pv.area_m2_per_kw;
    let lambda = pv.feed_in_price_cny_per_kwh * 1000.0;
    let (cap, demand, x) = (30_000.0, 2_000.0, 700.0);
    let surplus = w * cap - demand;
    assert!(surplus > 0.0 && v > 0.0);
    // At 700 CNY/MWh a m2 beyond the demand still pays (v - w (λ - 700) > 0),
    // so the roofs stay full and the surplus earns 700 instead of λ_PV.
    assert!(v - w * (lambda - x) > 0.0 && lambda > x);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pv.toml");
    std::fs::write(&file, &text).unwrap();
    let f = file.to_str().unwrap();
    let before = benefit(f, &[]);
    assert!(close(before, v * cap, 1e-6), "{before} vs {}", v * cap);
    let after = benefit(f, &["export_price=700"]);
    let by_hand = v * cap - surplus * (lambda - x);
    assert!(
        close(after - before, -surplus * (lambda - x), 1e-6),
        "benefit {before} -> {after}, by hand {by_hand}"
    );
    // The same through a scenario's `set` and the console's path
    // (`Park::set_param`), which also adds the electricity row.
    let mut edited = park.clone();
    edited.set_param("export_price", x).unwrap();
    assert_eq!(
        edited.energy.as_ref().unwrap().export_price_cny_per_mwh,
        Some(x)
    );
    assert!(
        compile(&edited)
            .rows
            .rows
            .iter()
            .any(|r| r.name == "electricity")
    );
    assert!(compile(&park).rows.rows.is_empty());
    let refused = edited.clone().set_param("export_price", -1.0).unwrap_err();
    assert!(refused.to_string().contains("CNY/MWh"), "{refused}");
    // Saved in place: the key is added to [energy], read back the same.
    let saved = updated_toml(&text, &park, &edited).unwrap();
    let back = Park::from_toml(&saved, "saved.toml").unwrap_or_else(|e| panic!("{e}\n{saved}"));
    assert_eq!(back.energy.unwrap().export_price_cny_per_mwh, Some(x));
    // A park edited elsewhere keeps the key out.
    let mut other = park.clone();
    other.set_param("ets_price", 80.0).unwrap();
    let saved = updated_toml(&text, &park, &other).unwrap();
    assert!(!saved.contains("export_price"), "{saved}");
    let scen = format!("{text}\n[[scenario]]\nname = \"export\"\nset = {{ export_price = 700 }}\n");
    let p = Park::from_toml(&scen, "scen.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.scenarios.len(), 1);
}
