//! The documentation keeps up with the code.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_key_the_parser_accepts_is_documented() {
    let doc = read("docs/park-format.md");
    let keys = parkplan::Park::accepted_keys();
    // The list must be the real one: the paper case exercises every table.
    assert!(keys.len() > 90, "{keys:?}");
    assert!(keys.contains("economics.ets_price"));
    assert!(keys.contains("region.whr.max_mw"));
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .collect();
    assert!(missing.is_empty(), "undocumented keys: {missing:?}");
}

#[test]
fn every_documented_economics_key_exists() {
    let doc = read("docs/park-format.md");
    let keys = parkplan::Park::accepted_keys();
    for line in doc.lines().filter(|l| l.starts_with("| `economics.")) {
        let key = line.split('`').nth(1).unwrap();
        assert!(keys.contains(key), "documented but not accepted: {key}");
    }
}

#[test]
fn the_readme_quick_start_matches_the_ci_script() {
    let readme = read("README.md");
    let ci = read(".ci/run");
    let test_cmd = "cargo test --release";
    assert!(readme.contains("cargo run --release"));
    assert!(readme.contains(test_cmd));
    assert!(ci.lines().any(|l| l.trim() == test_cmd), "{ci}");
}
