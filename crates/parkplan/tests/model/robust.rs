//! `parkplan robust`: option shares and percentiles against a closed form, the
//! plan best on average against brute force, thread independence, and the
//! errors of a bad `[uncertainty]`.

use parkplan::analysis::robust::{self, Config, RobustReport};
use parkplan::model::{self, Objective};
use parkplan::park::uncertainty::Uncertainty;
use parkplan::park::{
    Annualization, FcsSpecies, Land, PAPER_CASE_TOML, Park, Region, Slot, Strategy,
};
use parkplan::solve::{CancelToken, solve_exact};

fn run(park: &Park, spec: &Uncertainty, samples: usize, seed: u64) -> RobustReport {
    let cfg = Config {
        samples,
        seed,
        objective: Objective::Economic,
        tornado: true,
    };
    robust::run(park, spec, &cfg, None, &|_| {}, &CancelToken::new()).unwrap()
}

const AREA_HA: f64 = 10.0;
const T: f64 = 20.0;
const ALPHA: f64 = 0.1;
const PLANTING: f64 = 20_000.0;

/// One empty lot of 10 ha for forest only: one species with no timber income
/// and no project cost, so the forest pays exactly when the carbon price
/// exceeds a tipping point.
fn forest_park() -> Park {
    let mut p = Park::paper_case();
    p.uncertainty = Uncertainty::default();
    p.economics.annualization = Annualization::Fixed { alpha: ALPHA };
    p.economics.service_life_yr = T;
    p.economics.capex_cap_cny = 1e9;
    p.catalogue.fcs_project_development_cny = 0.0;
    p.catalogue.fcs = vec![FcsSpecies {
        code: 1,
        name: "test species".into(),
        growth_a_m3: 0.5,
        growth_b_per_yr: -0.1,
        growth_c: 3.0,
        density_t_per_m3: 0.5,
        bef: 1.5,
        root_shoot: 0.25,
        carbon_fraction: 0.5,
        trees_per_ha: 1000.0,
        planting_cny_per_ha: PLANTING,
        management_cny_per_ha_yr: 0.0,
        timber_price_cny_per_m3: 0.0,
        harvest_cost_cny_per_m3: 0.0,
    }];
    p.regions = vec![Region {
        id: 1,
        name: "lot".into(),
        land: Land::EmptyLot,
        land_group: None,
        slots: vec![Slot {
            strategy: Strategy::Fcs,
            min: 0.0,
            max: AREA_HA * 10_000.0,
            techs: None,
        }],
    }];
    p
}

/// By hand: tCO2 per ha credited over T years, C(T) - C(0) with
/// V(T) = 0.5 (1 - e^{-0.1 T})^3 m3 per tree (eqs. 3.10-3.12).
fn credited_per_ha() -> f64 {
    let v = 0.5 * (1.0 - (-0.1 * T).exp()).powi(3);
    44.0 / 12.0 * v * 0.5 * 1.5 * 1.25 * 1000.0 * 0.5
}

#[test]
fn a_forest_enters_above_its_tipping_price_in_the_share_of_scenarios_the_cdf_says() {
    let park = forest_park();
    let mut spec = Uncertainty::default();
    spec.vary(&park, "ets_price=uniform:0:200").unwrap();
    // Benefit per ha and year: λ C / T − α P; it pays above λ* = α P T / C.
    let c = credited_per_ha();
    let tipping = ALPHA * PLANTING * T / c;
    assert!((70.0..74.0).contains(&tipping), "{tipping}");
    let n = 4000;
    let r = run(&park, &spec, n, 11);
    let share_expected = (200.0 - tipping) / 200.0;
    let opt = &r.options[0];
    let sd = (share_expected * (1.0 - share_expected) / n as f64).sqrt();
    assert!(
        (opt.share - share_expected).abs() < 4.0 * sd,
        "share {} expected {share_expected} ± {}",
        opt.share,
        4.0 * sd
    );
    // Built at the cap whenever built: P10 is 0 (not built in 36 %), P50 and P90 the cap.
    assert_eq!(opt.p10, 0.0);
    assert_eq!(opt.p50, AREA_HA * 10_000.0);
    assert_eq!(opt.p90, AREA_HA * 10_000.0);
    // The optimum g(λ) = max(0, A (λ C/T − α P)) is monotone in λ, so its
    // quantiles are g of λ's quantiles: λ_p = 200 p.
    let g = |lam: f64| (AREA_HA * (lam * c / T - ALPHA * PLANTING)).max(0.0);
    let slope = AREA_HA * c / T;
    for (p, got) in [
        (0.5, r.benefit.p50),
        (0.95, r.benefit.p95),
        (0.05, r.benefit.p5),
    ] {
        // Sample quantile sd ≈ sqrt(p(1-p)/n) / density (1/200), times the slope.
        let tol = 4.0 * (p * (1.0 - p) / n as f64).sqrt() * 200.0 * slope + 1e-6;
        assert!(
            (got - g(200.0 * p)).abs() <= tol,
            "P{p}: {got} expected {} ± {tol}",
            g(200.0 * p)
        );
    }
    // The mean of g over the uniform: ∫ from λ* to 200 of slope (λ − λ*) dλ / 200.
    let mean = slope * (200.0 - tipping).powi(2) / 2.0 / 200.0;
    let sd_mean = slope * 200.0 / (12f64).sqrt() / (n as f64).sqrt();
    assert!(
        (r.benefit.mean - mean).abs() < 4.0 * sd_mean,
        "{} vs {mean}",
        r.benefit.mean
    );
    // At the file's 59 CNY/t the forest does not pay: the file's plan is empty,
    // and its regret is the whole optimum.
    assert!(r.reference.built.is_empty());
    assert!((r.reference.regret.mean - r.optimum.mean).abs() < 1e-6 * r.optimum.mean);
    // The plan best on average builds it (mean value > 0 as the mean price 100 > λ*).
    assert_eq!(r.expected_value_plan.built.len(), 1);
    // The tornado's parameter quantiles by hand.
    let t = r.tornado.as_ref().unwrap();
    assert!(
        (t.rows[0].low_value - 20.0).abs() < 1e-9 && (t.rows[0].high_value - 180.0).abs() < 1e-9
    );
    assert!((t.rows[0].optimum_at_high - g(180.0)).abs() < 1e-6 * g(180.0));
    assert!((t.optimum_at_medians - g(100.0)).abs() < 1e-6 * g(100.0));
}

#[test]
fn triangular_parameter_quantiles_match_the_hand_formula() {
    let park = Park::paper_case();
    let mut spec = Uncertainty::default();
    spec.vary(&park, "ets_price=triangular:40:90:250").unwrap();
    let r = run(&park, &spec, 10, 1);
    let p = &r.parameters[0];
    // F(mode) = 50/210; below it x = 40 + sqrt(u 210 50), above x = 250 − sqrt((1−u) 210 160).
    assert!((p.p10 - (40.0 + (0.1f64 * 210.0 * 50.0).sqrt())).abs() < 1e-9);
    assert!((p.p50 - (250.0 - (0.5f64 * 210.0 * 160.0).sqrt())).abs() < 1e-9);
    assert!((p.p90 - (250.0 - (0.1f64 * 210.0 * 160.0).sqrt())).abs() < 1e-9);
}

#[test]
fn the_plan_best_on_average_is_the_mean_of_its_values_and_no_sampled_optimum_within_the_cap_beats_it()
 {
    let park = Park::paper_case();
    let spec = park.uncertainty.clone();
    assert!(
        spec.vars.len() >= 5,
        "the paper case ships an [uncertainty] table"
    );
    let n = 150;
    let seed = 5;
    let r = run(&park, &spec, n, seed);
    let ev = &r.expected_value_plan;
    assert!(
        (ev.value_on_mean_table - ev.value.mean).abs() <= 1e-9 * ev.value.mean.abs(),
        "{} vs {}",
        ev.value_on_mean_table,
        ev.value.mean
    );
    // Second method: each scenario as a whole park, compiled from scratch and
    // solved; its optimum must be the run's (the fast path re-derives only
    // the coefficients).
    let tables: Vec<_> = (0..n)
        .map(|k| model::compile(&robust::draw_park(&park, &spec, seed, k)))
        .collect();
    let optima: Vec<_> = tables
        .iter()
        .map(|o| solve_exact(o, Objective::Economic))
        .collect();
    for (k, (o, row)) in optima.iter().zip(&r.scenarios).enumerate() {
        assert!(
            (o.value - row.optimum).abs() <= 1e-9 * o.value.abs().max(1.0),
            "scenario {k}: {} vs {}",
            o.value,
            row.optimum
        );
    }
    // Brute force: every sampled optimal plan valued in every scenario. The
    // plan best on average keeps the cap at the mean costs; a sampled plan
    // that spends more than the mean cap at the mean costs is another problem.
    let nf = n as f64;
    let mean_budget: f64 = tables.iter().map(|t| t.budget_cny).sum::<f64>() / nf;
    let mut compared = 0;
    for (k, o) in optima.iter().enumerate() {
        let mean_capex: f64 = tables.iter().map(|t| o.plan.capex(t)).sum::<f64>() / nf;
        if mean_capex > mean_budget * (1.0 + 1e-9) {
            continue;
        }
        compared += 1;
        let mean: f64 = tables
            .iter()
            .map(|t| o.plan.objective(t, Objective::Economic))
            .sum::<f64>()
            / nf;
        assert!(
            mean <= ev.value.mean + 1e-9 * ev.value.mean.abs(),
            "scenario {k}'s optimum averages {mean} > the plan best on average {}",
            ev.value.mean
        );
    }
    assert!(
        compared >= n / 4,
        "only {compared} sampled plans keep the mean cap"
    );
    // And the regret figures are the scenario optimum minus the plan's value.
    let regrets: Vec<f64> = r
        .scenarios
        .iter()
        .map(|s| s.optimum - s.expected_value_plan)
        .collect();
    let max = regrets.iter().cloned().fold(f64::MIN, f64::max);
    assert!((ev.regret.max - max).abs() <= 1e-9 * max.abs().max(1.0));
}

#[test]
fn the_same_seed_gives_the_same_report_on_one_thread_and_on_four() {
    let park = Park::from_toml(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../parks/net-park.toml"
        ))
        .unwrap(),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../parks/net-park.toml"),
    )
    .unwrap();
    let spec = park.uncertainty.clone();
    let go = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| serde_json::to_string(&run(&park, &spec, 130, 3)).unwrap())
    };
    let one = go(1);
    assert_eq!(one, go(4));
    // A different seed draws different scenarios.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let other = pool.install(|| serde_json::to_string(&run(&park, &spec, 130, 4)).unwrap());
    assert_ne!(one, other);
}

#[test]
fn cancelling_stops_the_run() {
    let park = Park::paper_case();
    let token = CancelToken::new();
    token.cancel();
    let cfg = Config {
        samples: 1000,
        seed: 1,
        objective: Objective::Carbon,
        tornado: false,
    };
    let r = robust::run(&park, &park.uncertainty, &cfg, None, &|_| {}, &token);
    assert_eq!(r.unwrap_err(), robust::RobustError::Cancelled);
}

/// The paper case with `extra` appended, and the line number the first
/// appended line gets.
fn with_table(extra: &str) -> (String, usize) {
    let base = PAPER_CASE_TOML.split("\n[uncertainty]").next().unwrap();
    let base = base.split("\n[[uncertainty.correlated]]").next().unwrap();
    let text = format!("{base}\n{extra}");
    (text.clone(), base.lines().count() + 1)
}

#[test]
fn a_bad_uncertainty_table_is_reported_at_its_line_and_column() {
    let (text, line) = with_table("[uncertainty]\nets_price = \"triangular:50:x:300\"\n");
    let e = Park::from_toml(&text, "p.toml").unwrap_err();
    let p = &e.problems[0];
    // `ets_price = "` is 13 characters; "triangular:50:" 14 more: x is column 28.
    assert_eq!((p.line, p.column), (line + 1, 28), "{e}");
    assert_eq!(p.key, "uncertainty.ets_price");
    assert!(p.message.contains("\"x\" is not a finite number"), "{e}");
    assert!(p.message.contains("triangular:LO:MODE:HI"), "{e}");

    let (text, line) = with_table(
        "[uncertainty]\n\"ccu.9.capex\" = \"uniform:1:2\"\nservice_life = \"uniform:10:30\"\ngrid_ef = { dist = \"normal\", mean = 0.57, sd = 0.05, mode = 1 }\nets_price = \"uniform:-5:100\"\n",
    );
    let e = Park::from_toml(&text, "p.toml").unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains(&format!("p.toml:{}:1: uncertainty.ccu.9.capex: no ccu technology with code 9; the catalogue has 1", line + 1)), "{msg}");
    assert!(
        msg.contains(&format!(
            "p.toml:{}:1: uncertainty.service_life: a whole number",
            line + 2
        )),
        "{msg}"
    );
    assert!(
        msg.contains("uncertainty.grid_ef.mode: unknown key"),
        "{msg}"
    );
    // "-5" starts after `ets_price = "uniform:` (21 characters).
    assert!(
        msg.contains(&format!(
            "p.toml:{}:22: uncertainty.ets_price: must be a finite number >= 0",
            line + 4
        )),
        "{msg}"
    );

    let (text, line) = with_table(
        "[uncertainty]\nets_price = \"uniform:50:100\"\n\n[[uncertainty.correlated]]\nkeys = [\"ets_price\", \"gas_price\"]\nrho = 1.5\n",
    );
    let msg = Park::from_toml(&text, "p.toml").unwrap_err().to_string();
    assert!(
        msg.contains(&format!(
            "p.toml:{}:22: uncertainty.correlated.keys: \"gas_price\" has no distribution",
            line + 4
        )),
        "{msg}"
    );
    assert!(
        msg.contains(&format!(
            "p.toml:{}:7: uncertainty.correlated.rho: must be a finite number >= 0 and <= 1",
            line + 5
        )),
        "{msg}"
    );
}

#[test]
fn the_table_form_dotted_keys_and_vary_read_the_same() {
    let (text, _) = with_table(
        "[uncertainty]\nccu.1.capex = { dist = \"triangular\", min = 950, mode = 1189.77, max = 1600 }\n\"ccu.1.product_price\" = \"lognormal:700:0.2\"\n",
    );
    let park = Park::from_toml(&text, "p.toml").unwrap();
    let mut spec = Uncertainty::default();
    spec.vary(&park, "ccu.1.capex=triangular:950:1189.77:1600")
        .unwrap();
    spec.vary(&park, "ccu.1.product_price=lognormal:700:0.2")
        .unwrap();
    assert_eq!(park.uncertainty, spec);
    // Written and read back unchanged.
    let back = Park::from_toml(&parkplan::park::to_toml(&park, "test"), "back.toml").unwrap();
    assert_eq!(back.uncertainty, park.uncertainty);
    // A lognormal without bounds is truncated to the allowed range (>= 0).
    assert!(spec.vars[1].dist.support().0 == 0.0);
    assert!(
        spec.vary(&park, "ccu.1.min_capacity=uniform:1:2")
            .unwrap_err()
            .to_string()
            .contains("decides which options exist")
    );
    assert!(
        spec.vary(&park, "electricity_price=uniform:1:2")
            .unwrap_err()
            .to_string()
            .contains("no [energy] table")
    );
    assert!(
        spec.vary(&park, "ets_price=normal:100:0")
            .unwrap_err()
            .to_string()
            .contains("SD must be > 0")
    );
}

#[test]
fn the_normal_quantile_is_accurate() {
    use parkplan::park::uncertainty::{norm_cdf, norm_quantile};
    // Published values: Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.9) = 1.2815515655446004.
    assert!((norm_quantile(0.975) - 1.959963984540054).abs() < 1e-13);
    assert!((norm_quantile(0.1) + 1.2815515655446004).abs() < 1e-13);
    assert!((norm_quantile(1e-10) + 6.361340902404056).abs() < 1e-9);
    assert!((norm_cdf(1.959963984540054) - 0.975).abs() < 1e-15);
}
