//! Numeric edge cases: every plan is valid and no output holds NaN or infinity.

use std::process::Command;

use parkplan::model::Objective;
use parkplan::park::{PAPER_CASE_TOML, Park};
use parkplan::solve::{solve_exact, upper_bound};

const BIN: &str = env!("CARGO_BIN_EXE_parkplan");

fn tmp(name: &str, text: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("parkplan-edge-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs the binary; asserts success and that nothing non-finite was printed.
fn run_clean(args: &[&str]) -> String {
    let o = Command::new(BIN).args(args).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{args:?}: {err}");
    for bad in ["NaN", "nan", "inf", "null"] {
        assert!(!out.contains(bad), "{args:?} printed {bad}:\n{out}");
    }
    out
}

fn every_format(file: Option<&str>, sets: &[&str]) {
    for obj in ["economic", "carbon"] {
        for solver in ["exact", "ga"] {
            for format in ["json", "csv", "table"] {
                let mut args = vec![
                    "solve",
                    "--objective",
                    obj,
                    "--solver",
                    solver,
                    "--format",
                    format,
                ];
                if let Some(f) = file {
                    args.push(f);
                }
                for s in sets {
                    args.push("--set");
                    args.push(s);
                }
                run_clean(&args);
            }
        }
    }
}

/// The library view: both objectives give a feasible plan with a finite value
/// no better than the bound.
fn check_park(park: &Park) {
    let opts = parkplan::compile(park);
    for obj in [Objective::Economic, Objective::Carbon] {
        let s = solve_exact(&opts, obj);
        s.plan.check(&opts).unwrap();
        assert!(s.value.is_finite() && s.upper_bound.is_finite(), "{s:?}");
        assert!(s.value <= upper_bound(&opts, obj) * (1.0 + 1e-9) + 1e-9);
        let t = s.plan.evaluate(&opts).totals;
        for v in [
            t.capex,
            t.annual_income,
            t.annual_benefit,
            t.annual_co2_reduction,
        ] {
            assert!(v.is_finite());
        }
    }
}

#[test]
fn a_zero_budget_gives_the_empty_plan() {
    let mut park = Park::paper_case();
    park.set_param("capex_cap", 0.0).unwrap();
    check_park(&park);
    let s = solve_exact(&parkplan::compile(&park), Objective::Economic);
    assert_eq!(s.plan.built().count(), 0);
    every_format(None, &["capex_cap=0"]);
}

#[test]
fn extreme_prices_and_distances() {
    for set in [
        "ets_price=0",
        "ets_price=1e15",
        "co2_transport_km=0",
        "co2_transport_km=1e15",
        "operating_hours=0",
        "solar_radiation=0",
        "grid_ef=0",
        "gas_ef=1e15",
        "capex_cap=1e15",
        "discount_rate=0",
        "discount_rate=1",
        "service_life=1",
        "service_life=200",
    ] {
        let mut park = Park::paper_case();
        park.apply_assignment(set).unwrap();
        check_park(&park);
        every_format(None, &[set]);
    }
}

#[test]
fn every_cap_zero_and_a_region_without_strategies() {
    let mut text = PAPER_CASE_TOML.to_string();
    for (from, to) in [
        ("max_ha = 13.5", "max_ha = 0"),
        ("max_ha = 2.0 }", "max_ha = 0 }"),
        ("max_ha = 1.2", "max_ha = 0"),
        ("max_kt_per_yr = 20", "max_kt_per_yr = 0"),
        ("max_mw = 2 ", "max_mw = 0 "),
        ("max_mw = 1.3", "max_mw = 0"),
        ("max_mw = 0.6", "max_mw = 0"),
        ("max_ha = 0.4", "max_ha = 0"),
        ("max_ha = 0.6", "max_ha = 0"),
    ] {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    text.push_str("\n[[region]]\nid = 99\nname = \"Bare lot\"\nland = \"empty_lot\"\n");
    let park = Park::from_toml(&text, "zero.toml").unwrap();
    check_park(&park);
    let f = tmp("zero.toml", &text);
    every_format(Some(f.to_str().unwrap()), &[]);
    let out = run_clean(&["solve", f.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["plan"].as_array().unwrap().len(), 0);
    run_clean(&[
        "sweep",
        f.to_str().unwrap(),
        "--param",
        "ets_price",
        "--values",
        "0,100",
        "--format",
        "json",
    ]);
    run_clean(&["mac", f.to_str().unwrap(), "--format", "json"]);
    let _ = std::fs::remove_file(f);
}

#[test]
fn analyses_at_the_edges_print_no_nan() {
    run_clean(&[
        "sweep",
        "--param",
        "capex_cap",
        "--values",
        "0,1e15",
        "--format",
        "json",
    ]);
    run_clean(&[
        "sweep",
        "--param",
        "ets_price",
        "--values",
        "0,1e15",
        "--format",
        "csv",
    ]);
    run_clean(&["pareto", "--set", "capex_cap=0", "--format", "json"]);
    run_clean(&["mac", "--set", "operating_hours=0", "--format", "json"]);
}

#[test]
fn too_many_regions_are_refused_with_a_clear_message() {
    let mut text = PAPER_CASE_TOML[..PAPER_CASE_TOML.find("[[region]]").unwrap()].to_string();
    for k in 0..=parkplan::park::MAX_REGIONS {
        text.push_str(&format!(
            "[[region]]\nid = {k}\nname = \"r\"\nland = \"rooftop\"\npv = {{ max_m2 = 1 }}\n"
        ));
    }
    let e = Park::from_toml(&text, "huge.toml").unwrap_err();
    assert!(e.to_string().contains("at most 200000"), "{e}");
}
