//! Saving an edited scenario by editing the park file in place
//! (`park::updated_toml`): the edited values read back exactly, every other
//! byte of the file is kept, and what cannot be written so is refused.

use parkplan::park::{
    Annualization, EditError, PAPER_CASE_TOML, PARAMS, Park, Slot, Strategy, updated_toml,
};
use proptest::prelude::*;
use proptest::strategy::Strategy as _;

const CHEMICAL: &str = include_str!("../../../../parks/chemical-park.toml");
const ROOFTOPS: &str = include_str!("../../../../parks/rooftops.toml");

const EDITED: &str = "edited in the parkplan console";

fn read(text: &str) -> Park {
    Park::from_toml(text, "updated").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn assert_reads_back(text: &str, edited: &Park) {
    let back = read(text);
    assert_eq!(back.economics, edited.economics);
    assert_eq!(back.solver, edited.solver);
    assert_eq!(back.regions, edited.regions);
    assert_eq!(back, *edited);
}

/// Lines with their line ends, so that a changed line end counts as a change.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Indices of the lines that differ; the two texts must have as many lines.
fn changed_lines(source: &str, updated: &str) -> Vec<usize> {
    let (a, b) = (lines(source), lines(updated));
    assert_eq!(a.len(), b.len(), "line count changed:\n{updated}");
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

/// Index of the first line starting with `start` after the `nth` line equal to
/// `header` (0-based).
fn line_of(text: &str, header: &str, nth: usize, start: &str) -> usize {
    let ls = lines(text);
    let head = ls
        .iter()
        .enumerate()
        .filter(|(_, l)| l.trim_end() == header)
        .nth(nth)
        .unwrap_or_else(|| panic!("no {header} #{nth}"))
        .0;
    (head + 1..ls.len())
        .find(|&i| ls[i].starts_with(start))
        .unwrap_or_else(|| panic!("no {start} after {header} #{nth}"))
}

fn slot_mut(park: &mut Park, region: usize, s: Strategy) -> &mut Slot {
    park.regions[region]
        .slots
        .iter_mut()
        .find(|sl| sl.strategy == s)
        .expect("slot")
}

/// The edits of the paper case that the first tests check, with the line each
/// changes and what that line must say afterwards.
fn paper_edits() -> (Park, Vec<(usize, &'static str)>) {
    let src = PAPER_CASE_TOML;
    let mut p = Park::paper_case();
    p.set_param("ets_price", 200.0).unwrap();
    p.set_param("capex_cap", 35_000_000.0).unwrap();
    p.set_param("co2_transport_km", 120.5).unwrap();
    p.set_param("alpha", 0.12).unwrap();
    p.solver.population = 128;
    p.solver.crossover_rate = 0.85;
    slot_mut(&mut p, 0, Strategy::Fcs).max = 200_000.0; // 20 ha
    slot_mut(&mut p, 3, Strategy::Ccu).max = 25_500.0; // 25.5 kt/a
    slot_mut(&mut p, 3, Strategy::Whr).max = 2_750.0; // 2.75 MW
    let econ = |key| line_of(src, "[economics]", 0, key);
    let lines = vec![
        (
            econ("ets_price ="),
            "ets_price = 200               # [CNY/t] paper section 4.3 (59 CNY/t base case); edited in the parkplan console (was 59)\n",
        ),
        (
            econ("capex_cap ="),
            "capex_cap = 35_000_000        # [CNY] paper section 4.2 (20 million CNY); edited in the parkplan console (was 20_000_000)\n",
        ),
        (
            econ("co2_transport_km ="),
            "co2_transport_km = 120.5      # [km] paper section 4.3 (base 80 km); edited in the parkplan console (was 80)\n",
        ),
        (
            econ("discount_rate ="),
            "alpha = 0.12                  # [1/yr] Construction project economic evaluation methods and parameters, 3rd ed. (8 %); edited in the parkplan console (was discount_rate = 0.08)\n",
        ),
        (
            line_of(src, "[solver]", 0, "population ="),
            "population = 128              # [-] GA population size (project default); edited in the parkplan console (was 64)\n",
        ),
        (
            line_of(src, "[solver]", 0, "crossover_rate ="),
            "crossover_rate = 0.85         # [-] project default; edited in the parkplan console (was 0.9)\n",
        ),
        (
            line_of(src, "[[region]]", 0, "fcs ="),
            "fcs = { max_ha = 20 }         # [ha] Table 1; edited in the parkplan console (was 13.5)\n",
        ),
        (
            line_of(src, "[[region]]", 3, "ccu ="),
            "ccu = { max_kt_per_yr = 25.5 } # [kt/a] Table 1; edited in the parkplan console (was 20)\n",
        ),
        (
            line_of(src, "[[region]]", 3, "whr ="),
            "whr = { max_mw = 2.75 }       # [MW] Table 1; edited in the parkplan console (was 2)\n",
        ),
    ];
    (p, lines)
}

#[test]
fn edits_of_the_paper_case_read_back_and_keep_every_other_line() {
    let original = Park::paper_case();
    let (edited, expected) = paper_edits();
    let updated = updated_toml(PAPER_CASE_TOML, &original, &edited).unwrap();
    // (a) the file reads back as the edited park
    assert_reads_back(&updated, &edited);
    assert_eq!(
        read(&updated).economics.annualization,
        Annualization::Fixed { alpha: 0.12 }
    );
    // (b) only the edited lines changed, and (c) they say what they were
    let mut want: Vec<usize> = expected.iter().map(|e| e.0).collect();
    want.sort();
    assert_eq!(changed_lines(PAPER_CASE_TOML, &updated), want, "{updated}");
    let ls = lines(&updated);
    for (i, line) in expected {
        assert_eq!(ls[i], line);
    }
}

#[test]
fn alpha_switches_back_to_the_discount_rate_in_place() {
    let original = Park::paper_case();
    let mut edited = original.clone();
    edited.set_param("alpha", 0.12).unwrap();
    let first = updated_toml(PAPER_CASE_TOML, &original, &edited).unwrap();
    let row = line_of(PAPER_CASE_TOML, "[economics]", 0, "discount_rate =");

    // Saved again from the saved file, with the discount rate set again.
    let loaded = read(&first);
    let mut again = loaded.clone();
    again.set_param("discount_rate", 0.05).unwrap();
    let second = updated_toml(&first, &loaded, &again).unwrap();
    assert_reads_back(&second, &again);
    assert_eq!(changed_lines(&first, &second), vec![row]);
    assert_eq!(
        lines(&second)[row],
        "discount_rate = 0.05          # [1/yr] Construction project economic evaluation methods and parameters, 3rd ed. (8 %); edited in the parkplan console (was alpha = 0.12)\n"
    );

    // Straight back to the file's value: only the comment remembers the edit.
    let mut back = loaded.clone();
    back.set_param("discount_rate", 0.08).unwrap();
    let third = updated_toml(&first, &loaded, &back).unwrap();
    assert_reads_back(&third, &original);
    assert_eq!(changed_lines(PAPER_CASE_TOML, &third), vec![row]);
    assert!(lines(&third)[row].starts_with("discount_rate = 0.08          # [1/yr]"));
}

#[test]
fn no_edit_gives_the_source_back_byte_for_byte() {
    for src in [PAPER_CASE_TOML, CHEMICAL, ROOFTOPS] {
        let p = read(src);
        assert_eq!(updated_toml(src, &p, &p.clone()).unwrap(), src);
    }
}

#[test]
fn the_other_shipped_parks_keep_their_comments() {
    for src in [CHEMICAL, ROOFTOPS] {
        let original = read(src);
        let mut edited = original.clone();
        edited.set_param("ets_price", 150.0).unwrap();
        edited.solver.seed = 7;
        for r in &mut edited.regions {
            for s in &mut r.slots {
                s.max *= 1.5;
            }
        }
        let updated = updated_toml(src, &original, &edited).unwrap();
        assert_reads_back(&updated, &edited);
        let slots: usize = edited.regions.iter().map(|r| r.slots.len()).sum();
        let changed = changed_lines(src, &updated);
        assert_eq!(changed.len(), 2 + slots, "{updated}");
        for i in changed {
            assert!(
                lines(&updated)[i].contains(EDITED),
                "{}",
                lines(&updated)[i]
            );
        }
    }
}

#[test]
fn a_missing_solver_table_is_inserted_after_economics() {
    let start = PAPER_CASE_TOML.find("[solver]").unwrap();
    let end = PAPER_CASE_TOML.find("# ----").unwrap();
    let src = format!("{}{}", &PAPER_CASE_TOML[..start], &PAPER_CASE_TOML[end..]);
    let original = read(&src);
    let mut edited = original.clone();
    edited.solver.population = 100;
    edited.solver.time_limit_s = 2.5;
    let updated = updated_toml(&src, &original, &edited).unwrap();
    assert_reads_back(&updated, &edited);
    let inserted = "[solver]\n\
        population = 100  # [-] edited in the parkplan console (was unset, default 64)\n\
        time_limit_s = 2.5 # [s] edited in the parkplan console (was unset, default 10)\n\n";
    assert_eq!(
        updated,
        format!("{}{inserted}{}", &src[..start], &src[start..])
    );
}

#[test]
fn a_missing_solver_key_is_appended_to_the_table() {
    let seed = "seed = 1                      # [-] project default\n";
    let src = PAPER_CASE_TOML.replacen(seed, "", 1);
    let original = read(&src);
    let mut edited = original.clone();
    edited.solver.seed = 42;
    let updated = updated_toml(&src, &original, &edited).unwrap();
    assert_reads_back(&updated, &edited);
    let time = "time_limit_s = 10             # [s] project default\n";
    let added = "seed = 42                     # [-] edited in the parkplan console (was unset, default 1)\n";
    assert_eq!(updated, src.replacen(time, &format!("{time}{added}"), 1));
}

#[test]
fn caps_that_the_file_unit_cannot_hold_exactly_are_written_in_report_units() {
    let original = Park::paper_case();
    // Find an area (m2) that no number of hectares gives exactly.
    // Between 80,000 and 131,072 m2 neighbouring hectare values are further
    // apart (times 10,000) than neighbouring areas.
    let m2 = (1..1000)
        .map(|k| f64::from_bits(100_000f64.to_bits() + k))
        .find(|&m2: &f64| {
            let x = m2 / 10_000.0;
            let near = |x: f64, d: i64| f64::from_bits((x.to_bits() as i64 + d) as u64);
            (-4..=4).all(|d| near(x, d) * 10_000.0 != m2)
        })
        .expect("an area not representable in ha");
    let mut edited = original.clone();
    slot_mut(&mut edited, 0, Strategy::Fcs).max = m2;
    let updated = updated_toml(PAPER_CASE_TOML, &original, &edited).unwrap();
    assert_reads_back(&updated, &edited);
    let row = line_of(PAPER_CASE_TOML, "[[region]]", 0, "fcs =");
    assert_eq!(changed_lines(PAPER_CASE_TOML, &updated), vec![row]);
    let line = lines(&updated)[row];
    assert!(
        line.starts_with(&format!("fcs = {{ max_m2 = {m2:?} }}")),
        "{line}"
    );
    assert!(line.ends_with("# [m2] Table 1; edited in the parkplan console (was max_ha = 13.5)\n"));

    // A cap given in the report unit stays there.
    let src = PAPER_CASE_TOML.replacen("fcs = { max_ha = 13.5 }  ", "fcs = { max_m2 = 135000 }", 1);
    let original = read(&src);
    let mut edited = original.clone();
    slot_mut(&mut edited, 0, Strategy::Fcs).max = 140_000.5;
    let updated = updated_toml(&src, &original, &edited).unwrap();
    assert_reads_back(&updated, &edited);
    assert_eq!(
        lines(&updated)[row],
        "fcs = { max_m2 = 140000.5 }   # [m2] Table 1; edited in the parkplan console (was 135000)\n"
    );
}

#[test]
fn strategy_tables_and_dotted_keys_are_edited_too() {
    let src = PAPER_CASE_TOML
        .replacen(
            "ccu = { max_kt_per_yr = 20 }  # [kt/a] Table 1\n",
            "ccu.max_kt_per_yr = 20  # [kt/a] Table 1\n",
            1,
        )
        .replacen(
            "pv = { max_ha = 0.6 }         # [ha] Table 1",
            "[region.pv]\nmax_ha = 0.6 # [ha] Table 1",
            1,
        );
    let original = read(&src);
    let mut edited = original.clone();
    slot_mut(&mut edited, 3, Strategy::Ccu).max = 30_000.0;
    slot_mut(&mut edited, 6, Strategy::Pv).max = 7_000.0;
    let updated = updated_toml(&src, &original, &edited).unwrap();
    assert_reads_back(&updated, &edited);
    let changed = changed_lines(&src, &updated);
    let ls = lines(&updated);
    assert_eq!(changed.len(), 2);
    assert_eq!(
        ls[changed[0]],
        "ccu.max_kt_per_yr = 30  # [kt/a] Table 1; edited in the parkplan console (was 20)\n"
    );
    assert_eq!(
        ls[changed[1]],
        "max_ha = 0.7 # [ha] Table 1; edited in the parkplan console (was 0.6)\n"
    );
}

#[test]
fn differences_other_than_values_are_refused() {
    let original = Park::paper_case();
    let unsupported = |change: &dyn Fn(&mut Park)| {
        let mut edited = original.clone();
        change(&mut edited);
        match updated_toml(PAPER_CASE_TOML, &original, &edited) {
            Err(EditError::Unsupported(what)) => what,
            other => panic!("expected Unsupported, got {other:?}"),
        }
    };
    let what = unsupported(&|p| p.name = "renamed".into());
    assert!(what.contains("park name"), "{what}");
    let what = unsupported(&|p| p.catalogue.pv[0].capex_cny_per_kw = 3000.0);
    assert!(what.contains("catalogue"), "{what}");
    let what = unsupported(&|p| {
        let mut r = p.regions[0].clone();
        r.id = 8;
        p.regions.push(r);
    });
    assert!(what.contains("number of regions"), "{what}");
    let what = unsupported(&|p| {
        let mut pv = p.regions[1].slots[1].clone();
        pv.max = 5_000.0;
        p.regions[0].slots.push(pv);
    });
    assert!(what.contains("strategies allowed in region 1"), "{what}");
    let what = unsupported(&|p| p.regions[2].slots[0].min = 100.0);
    assert!(what.contains("PV minimum in region 3"), "{what}");
    let what = unsupported(&|p| p.regions[4].slots[0].techs = Some(vec![1]));
    assert!(what.contains("WHR technologies"), "{what}");
    let what = unsupported(&|p| p.regions[4].name = "Mill".into());
    assert!(what.contains("name of region 5"), "{what}");
    // The message names what cannot be written.
    let e = EditError::Unsupported(what).to_string();
    assert!(
        e.contains("cannot be written by editing the park file in place"),
        "{e}"
    );
}

#[test]
fn a_source_that_is_not_the_original_park_is_refused() {
    let chemical = read(CHEMICAL);
    assert!(matches!(
        updated_toml(PAPER_CASE_TOML, &chemical, &chemical),
        Err(EditError::SourceMismatch(_))
    ));
    let p = Park::paper_case();
    assert!(matches!(
        updated_toml("[park]\nname = 1\n", &p, &p),
        Err(EditError::InvalidSource(_))
    ));
}

#[test]
fn values_applied_on_top_of_the_file_are_written_too() {
    // `parkplan tui --set ets_price=100`: the console's original is not the file.
    let mut original = Park::paper_case();
    original.set_param("ets_price", 100.0).unwrap();
    let mut edited = original.clone();
    edited.set_param("grid_ef", 0.6).unwrap();
    let updated = updated_toml(PAPER_CASE_TOML, &original, &edited).unwrap();
    assert_reads_back(&updated, &edited);
    assert_eq!(changed_lines(PAPER_CASE_TOML, &updated).len(), 2);
}

#[test]
fn values_the_reader_would_refuse_are_reported() {
    let original = Park::paper_case();
    let mut edited = original.clone();
    edited.solver.elitism = 64;
    assert!(matches!(
        updated_toml(PAPER_CASE_TOML, &original, &edited),
        Err(EditError::ReadBack(_))
    ));
}

#[test]
fn crlf_files_keep_their_line_ends() {
    let src = PAPER_CASE_TOML.replace('\n', "\r\n");
    let original = read(&src);
    let mut edited = original.clone();
    edited.set_param("ets_price", 80.0).unwrap();
    let updated = updated_toml(&src, &original, &edited).unwrap();
    assert_reads_back(&updated, &edited);
    let changed = changed_lines(&src, &updated);
    assert_eq!(changed.len(), 1);
    assert!(lines(&updated)[changed[0]].ends_with("(was 59)\r\n"));
}

/// A value in `p`'s allowed range: `u` in [0, 1] spreads over a finite range,
/// and over 0..10^exp when the range is open above.
fn in_range(range: (f64, f64), u: f64, exp: i32) -> f64 {
    let (lo, hi) = range;
    if hi.is_finite() {
        lo + u * (hi - lo)
    } else {
        lo.max(0.0) + u * 10f64.powi(exp)
    }
}

proptest! {
    #[test]
    fn random_economics_edits_round_trip(
        edits in prop::collection::vec((any::<bool>(), 0.0f64..=1.0, 0i32..13), PARAMS.len()),
        annualization in (0u8..3, 0.0f64..=1.0),
    ) {
        let original = Park::paper_case();
        let mut edited = original.clone();
        for (p, &(edit, u, exp)) in PARAMS.iter().zip(&edits) {
            if !edit || matches!(p.key, "discount_rate" | "alpha") {
                continue;
            }
            let v = in_range(p.range(), u, exp);
            // Whole-number parameters (service life) take the rounded value;
            // the open end of a range (> 0) is skipped.
            if p.set(&mut edited.economics, v).is_err() {
                let _ = p.set(&mut edited.economics, v.round());
            }
        }
        let (kind, u) = annualization;
        match kind {
            1 => { let _ = edited.set_param("discount_rate", u); }
            2 => { let _ = edited.set_param("alpha", u); }
            _ => {}
        }
        let updated = updated_toml(PAPER_CASE_TOML, &original, &edited).unwrap();
        let back = read(&updated);
        prop_assert_eq!(&back.economics, &edited.economics);
        for p in PARAMS {
            prop_assert_eq!(p.get(&back.economics).to_bits(), p.get(&edited.economics).to_bits());
        }
        prop_assert_eq!(&back, &edited);
        // Every changed line is one edited value, saying so.
        let changed = changed_lines(PAPER_CASE_TOML, &updated);
        let differ = PARAMS
            .iter()
            .filter(|p| !matches!(p.key, "discount_rate" | "alpha"))
            .filter(|p| p.get(&original.economics) != p.get(&edited.economics))
            .count()
            + usize::from(original.economics.annualization != edited.economics.annualization);
        prop_assert_eq!(changed.len(), differ);
        for i in changed {
            prop_assert!(lines(&updated)[i].contains(EDITED));
        }
    }

    #[test]
    fn random_cap_edits_round_trip(
        caps in prop::collection::vec(prop_oneof![
            Just(None),
            (0.0f64..1e7).prop_map(Some),
            (0u32..2000).prop_map(|k| Some(k as f64 * 100.0)),
        ], 10),
    ) {
        let original = Park::paper_case();
        let mut edited = original.clone();
        let mut k = 0;
        for r in &mut edited.regions {
            for s in &mut r.slots {
                if let Some(c) = caps[k] {
                    s.max = c;
                }
                k += 1;
            }
        }
        let updated = updated_toml(PAPER_CASE_TOML, &original, &edited).unwrap();
        let back = read(&updated);
        prop_assert_eq!(&back.regions, &edited.regions);
        let differ = original
            .regions
            .iter()
            .zip(&edited.regions)
            .flat_map(|(a, b)| a.slots.iter().zip(&b.slots))
            .filter(|(a, b)| a.max != b.max)
            .count();
        let changed = changed_lines(PAPER_CASE_TOML, &updated);
        prop_assert_eq!(changed.len(), differ);
        for i in changed {
            prop_assert!(lines(&updated)[i].contains(EDITED));
        }
    }
}

/// Issue 14 item 8: a file that starts with a UTF-8 byte-order mark keeps it,
/// and every comment, when saved in place (it used to be rewritten whole).
#[test]
fn a_byte_order_mark_and_the_comments_survive_an_in_place_save() {
    let src = format!("\u{feff}{PAPER_CASE_TOML}");
    let original = read(&src);
    let mut edited = original.clone();
    edited.set_param("ets_price", 120.0).unwrap();
    let updated = updated_toml(&src, &original, &edited).unwrap();
    assert!(updated.starts_with('\u{feff}'), "the mark was dropped");
    assert_reads_back(&updated, &edited);
    // Only the edited line changed; every comment line is still there.
    assert_eq!(changed_lines(&src, &updated).len(), 1);
    let comments = |t: &str| {
        t.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
    };
    assert_eq!(comments(&updated), comments(&src));
    // With CRLF line ends too.
    let crlf = src.replace('\n', "\r\n");
    let updated = updated_toml(&crlf, &original, &edited).unwrap();
    assert!(updated.starts_with('\u{feff}'));
    assert!(!updated.replace("\r\n", "").contains('\n'));
    assert_eq!(comments(&updated), comments(&src));
}
