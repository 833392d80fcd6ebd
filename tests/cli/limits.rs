//! Issue 14 item 5: `--time-limit` of `sweep`, `pareto`, `compare` and
//! `robust`. When time is up the command prints what it computed, labelled
//! incomplete in every format, exit status 0; each part shown is checked
//! against an independent run (a `solve --set` per sweep value, a `compare
//! --scenario` per scenario, a `robust --samples m` run for the m samples
//! done). No timing is asserted: a limit of 0.05 s on a 10,000-region park
//! (reading it takes longer than that) fires before any solve of it can
//! end, and a generous one never fires.

use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_parkplan");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run parkplan")
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "parkplan {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8(o.stdout).expect("UTF-8 output");
    for bad in ["NaN", "null", "inf"] {
        assert!(
            !out.contains(bad),
            "parkplan {args:?} printed {bad}:\n{out}"
        );
    }
    out
}

fn json(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

/// A generated park without resource rows, in a temporary folder.
fn generated(regions: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("g.toml");
    let text = ok(&["generate", "--regions", regions, "--seed", "3"]);
    std::fs::write(&path, text).expect("write park");
    (dir, path.to_string_lossy().into_owned())
}

/// The completion fields agree with each other and with the parts shown.
fn check_completion(doc: &Value, shown: usize) -> (bool, usize, usize) {
    let complete = doc["complete"].as_bool().expect("complete");
    let done = doc["done"].as_u64().expect("done") as usize;
    let of = doc["of"].as_u64().expect("of") as usize;
    assert!(done <= of, "{done} of {of}");
    if complete {
        assert_eq!(done, of);
        assert!(doc.get("stopped").is_none());
    } else {
        assert_eq!(doc["stopped"], "time limit");
    }
    assert!(shown <= done.max(1), "{shown} shown, {done} done");
    (complete, done, of)
}

/// The table and the CSV of an incomplete run say so; a complete one does not.
fn check_labels(args: &[&str], complete: bool) {
    for format in ["table", "csv"] {
        let mut a = args.to_vec();
        a.extend(["--format", format]);
        let out = ok(&a);
        let first = out.lines().next().unwrap_or("");
        if complete {
            assert!(!out.contains("INCOMPLETE"), "{a:?}:\n{out}");
        } else if format == "csv" {
            assert!(
                first.starts_with("# INCOMPLETE: stopped at the time limit"),
                "{a:?}: {first}"
            );
        } else {
            assert!(
                first.starts_with("INCOMPLETE: stopped at the time limit"),
                "{a:?}: {first}"
            );
            let last = out.trim_end().lines().last().unwrap_or("");
            assert_eq!(first, last, "{a:?}: the note starts and ends the table");
        }
    }
}

#[test]
fn a_time_limit_that_fires_at_once_gives_a_labelled_empty_answer() {
    let (_dir, park) = generated("10000");
    let cases: [&[&str]; 4] = [
        &[
            "sweep",
            &park,
            "--param",
            "ets_price",
            "--values",
            "50,100,200",
        ],
        &["pareto", &park, "--points", "5"],
        &["compare", &park],
        &[
            "robust",
            &park,
            "--vary",
            "ets_price=triangular:50:100:300",
            "--samples",
            "50",
        ],
    ];
    for args in cases {
        let mut a = args.to_vec();
        a.extend(["--time-limit", "0.05"]);
        let mut j = a.clone();
        j.extend(["--format", "json"]);
        let doc = json(&j);
        let shown = ["points", "scenarios"]
            .iter()
            .find_map(|k| doc[*k].as_array().map(|v| v.len()))
            .unwrap_or(0);
        let (complete, _, _) = check_completion(&doc, shown);
        assert!(
            !complete,
            "{a:?}: a 0.05 s limit on 10,000 regions cannot finish"
        );
        check_labels(&a, false);
    }
}

#[test]
fn a_stopped_sweep_shows_values_each_equal_to_its_own_solve() {
    // 100,000 values of the paper case: far more than fit in half a second.
    let args = [
        "sweep",
        "--param",
        "ets_price",
        "--range",
        "50:400:100000",
        "--time-limit",
        "0.5",
    ];
    let mut j = args.to_vec();
    j.extend(["--format", "json"]);
    let doc = json(&j);
    let points = doc["points"].as_array().expect("points");
    let (complete, done, of) = check_completion(&doc, points.len());
    assert_eq!(of, 100_000);
    assert_eq!(points.len(), done);
    if !complete {
        assert_eq!(
            doc["left_out"][0], "the tipping points were not located",
            "{}",
            doc["left_out"]
        );
        assert!(doc["tipping_points"].as_array().unwrap().is_empty());
    }
    // Values in the order asked, each one of the range's.
    let values: Vec<f64> = points
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] < w[1]));
    let picks = [0, values.len() / 2, values.len().saturating_sub(1)];
    for &k in picks.iter().filter(|&&k| k < values.len()) {
        let v = values[k];
        let set = format!("ets_price={v}");
        let solo = json(&["solve", "--set", &set, "--format", "json"]);
        for key in ["annual_benefit", "annual_co2_reduction", "capex"] {
            assert_eq!(
                points[k]["totals"][key], solo["totals"][key],
                "{key} at ets_price {v}"
            );
        }
    }
    check_labels(&args, complete);
}

#[test]
fn a_stopped_robust_run_is_the_run_of_the_samples_it_did() {
    let args = ["robust", "--samples", "1000000", "--time-limit", "0.5"];
    let mut j = args.to_vec();
    j.extend(["--format", "json"]);
    let mut doc = json(&j);
    let (complete, done, of) = check_completion(&doc, 0);
    assert_eq!(of, 1_000_000);
    assert_eq!(doc["samples"].as_u64().unwrap() as usize, done);
    if !complete && done > 0 {
        let m = done.to_string();
        let mut whole = json(&["robust", "--samples", &m, "--format", "json"]);
        for d in [&mut doc, &mut whole] {
            let o = d.as_object_mut().unwrap();
            for k in ["complete", "stopped", "done", "of", "counting", "left_out"] {
                o.remove(k);
            }
        }
        assert!(doc == whole, "the stopped run differs from --samples {m}");
    }
    check_labels(&args, complete);
}

#[test]
fn a_stopped_compare_shows_scenarios_each_equal_to_its_own_run() {
    let (_dir, park) = generated("1000");
    let doc = json(&["compare", &park, "--time-limit", "1", "--format", "json"]);
    let shown = doc["scenarios"].as_array().expect("scenarios");
    check_completion(&doc, shown.len());
    assert_eq!(doc["done"].as_u64().unwrap() as usize, shown.len());
    for sc in shown {
        let name = sc["name"].as_str().unwrap();
        let solo = json(&["compare", &park, "--scenario", name, "--format", "json"]);
        assert_eq!(sc, &solo["scenarios"][0], "scenario {name}");
    }
}

#[test]
fn a_generous_limit_changes_nothing_but_says_complete() {
    let cases: [&[&str]; 4] = [
        &["sweep", "--param", "ets_price", "--range", "50:400:8"],
        &["pareto", "--points", "7"],
        &["compare", "parks/net-park.toml"],
        &["robust", "--samples", "300", "--tornado"],
    ];
    for args in cases {
        let mut plain = args.to_vec();
        plain.extend(["--format", "json"]);
        let mut limited = plain.clone();
        limited.extend(["--time-limit", "1000"]);
        let mut without = json(&plain);
        let mut with = json(&limited);
        let shown = ["points", "scenarios"]
            .iter()
            .find_map(|k| with[*k].as_array().map(|v| v.len()))
            .unwrap_or(0);
        let (complete, done, of) = check_completion(&with, shown);
        assert!(complete && done == of, "{args:?}");
        for d in [&mut with, &mut without] {
            let o = d.as_object_mut().unwrap();
            for k in ["complete", "done", "of", "counting"] {
                assert!(o.remove(k).is_some(), "{args:?}: no {k}");
            }
        }
        assert!(
            with == without,
            "{args:?}: --time-limit 1000 changed the answer"
        );
        let table = ok(&[args, &["--time-limit", "1000"][..]].concat());
        assert!(!table.contains("INCOMPLETE"), "{table}");
    }
}

#[test]
fn a_time_limit_must_be_a_positive_number_of_seconds() {
    for bad in ["0", "-1", "nan", "inf", "soon"] {
        for cmd in ["sweep", "pareto", "compare", "robust"] {
            let mut a = vec![cmd];
            if cmd == "sweep" {
                a.extend(["--param", "ets_price", "--values", "50,100"]);
            }
            let flag = format!("--time-limit={bad}");
            a.push(&flag);
            let o = run(&a);
            assert_eq!(o.status.code(), Some(2), "{a:?}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("seconds above 0"), "{a:?}: {err}");
        }
    }
}
