//! Checks over every shipped park file in `parks/`: it parses and compiles, follows
//! the comment convention ("# [unit] source" after every number), and the exact
//! solver's plans are feasible and within the upper bound for both objectives.

use std::path::PathBuf;

use parkplan::Objective;

const PARKS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../parks");

/// Every `*.toml` file in `parks/`, sorted, with its text.
fn park_files() -> Vec<(PathBuf, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(PARKS_DIR)
        .unwrap_or_else(|e| panic!("cannot read {PARKS_DIR}: {e}"))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no park files in {PARKS_DIR}");
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            (p, text)
        })
        .collect()
}

fn load(path: &std::path::Path, text: &str) -> parkplan::Park {
    let name = path.display().to_string();
    match parkplan::Park::from_toml(text, &name) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn every_park_parses_and_compiles() {
    for (path, text) in park_files() {
        let park = load(&path, &text);
        assert!(!park.regions.is_empty(), "{}: no regions", path.display());
        let opts = parkplan::compile(&park);
        assert!(
            !opts.items.is_empty(),
            "{}: compiles to no options",
            path.display()
        );
        assert!(
            !opts.groups.is_empty(),
            "{}: compiles to no groups",
            path.display()
        );
    }
}

#[test]
fn every_number_carries_unit_and_source() {
    let mut bad = Vec::new();
    for (path, text) in park_files() {
        for (line, why, content) in uncommented_numbers(&text) {
            bad.push(format!("{}:{line}: {why}: {content}", path.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "numbers without a \"# [unit] source\" comment:\n{}",
        bad.join("\n")
    );
}

#[test]
fn exact_plans_are_feasible_and_within_the_bound() {
    for (path, text) in park_files() {
        let park = load(&path, &text);
        let opts = parkplan::compile(&park);
        for obj in [Objective::Economic, Objective::Carbon] {
            let sol = parkplan::solve::solve_exact(&opts, obj);
            if let Err(e) = sol.plan.check(&opts) {
                panic!(
                    "{} ({}): exact plan infeasible: {e:?}",
                    path.display(),
                    obj.name()
                );
            }
            let value = sol.plan.objective(&opts, obj);
            let tol = 1e-6 * value.abs().max(1.0);
            assert!(
                (value - sol.value).abs() <= tol,
                "{} ({}): reported value {} but the plan evaluates to {value}",
                path.display(),
                obj.name(),
                sol.value
            );
            let ub = parkplan::solve::upper_bound(&opts, obj);
            let tol = 1e-6 * ub.abs().max(1.0);
            assert!(
                value <= ub + tol,
                "{} ({}): value {value} above the upper bound {ub}",
                path.display(),
                obj.name()
            );
        }
    }
}

#[test]
fn paper_case_on_disk_matches_the_built_in_copy() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../parks/paper-case.toml");
    let disk = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    assert!(
        disk == parkplan::park::PAPER_CASE_TOML.as_bytes(),
        "{path} differs from parkplan::park::PAPER_CASE_TOML"
    );
}

// ---------------------------------------------------------------------------
// The comment convention, checked with plain string processing.

/// Keys whose numbers are labels, not quantities: technology codes and region ids
/// carry no unit or source.
const LABEL_KEYS: &[&str] = &["code", "id"];

/// Lines that assign a number (`key = 1_000`, `x = -0.5e3`, also inside inline
/// tables such as `fcs = { max_ha = 13.5 }`) without a trailing comment of the form
/// `# [unit] source`: (1-based line number, what is wrong, the line).
fn uncommented_numbers(text: &str) -> Vec<(usize, &'static str, String)> {
    let mut out = Vec::new();
    // Delimiter of a multi-line string that is still open at the end of a line.
    let mut open: Option<&'static str> = None;
    for (n, line) in text.lines().enumerate() {
        let (code, comment, still_open) = split_comment(line, open);
        open = still_open;
        let numbers: Vec<&str> = numeric_keys(&code)
            .into_iter()
            .filter(|k| !LABEL_KEYS.contains(k))
            .collect();
        if numbers.is_empty() {
            continue;
        }
        if let Err(why) = check_comment(comment) {
            out.push((n + 1, why, line.to_string()));
        }
    }
    out
}

/// Splits a line into its code (with string contents blanked out, so that `#` and
/// `=` inside strings do not count) and its comment text after `#`, if any.
/// `open` is the delimiter of a multi-line string carried over from earlier lines;
/// the third value is the one still open at the end of this line.
fn split_comment<'a>(
    line: &'a str,
    open: Option<&'static str>,
) -> (String, Option<&'a str>, Option<&'static str>) {
    let mut code = String::new();
    let mut in_str: Option<&'static str> = open;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        let rest = &line[i..];
        match in_str {
            Some(delim) => {
                // Basic strings have escapes; literal ('...') strings do not.
                if delim.starts_with('"') && rest.starts_with('\\') {
                    i += rest.chars().take(2).map(char::len_utf8).sum::<usize>();
                    code.push(' ');
                    continue;
                }
                if rest.starts_with(delim) {
                    code.push_str(delim);
                    i += delim.len();
                    in_str = None;
                } else {
                    let c = rest.chars().next().expect("non-empty rest");
                    code.push(' ');
                    i += c.len_utf8();
                }
            }
            None => {
                if rest.starts_with('#') {
                    return (code, Some(&line[i + 1..]), None);
                }
                let delim = ["\"\"\"", "'''", "\"", "'"]
                    .into_iter()
                    .find(|d| rest.starts_with(d));
                if let Some(d) = delim {
                    code.push_str(d);
                    i += d.len();
                    in_str = Some(d);
                } else {
                    let c = rest.chars().next().expect("non-empty rest");
                    code.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }
    // Single-line strings end with the line; only multi-line ones stay open.
    let still_open = in_str.filter(|d| d.len() == 3);
    (code, None, still_open)
}

/// The keys in `code` (strings already blanked) whose value is a number.
fn numeric_keys(code: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    let mut start = 0;
    for (i, c) in code.char_indices() {
        if c != '=' {
            continue;
        }
        let value = code[i + 1..].trim_start();
        if starts_with_number(value) {
            // The key is the last dotted/bare word before `=`.
            let before = code[start..i].trim_end();
            let key = before
                .rsplit(|c: char| c == '{' || c == ',' || c.is_whitespace())
                .next()
                .unwrap_or("");
            let key = key.rsplit('.').next().unwrap_or(key);
            keys.push(key.trim_matches(|c| c == '"' || c == '\''));
        }
        start = i + 1;
    }
    keys
}

/// Whether `s` starts with a TOML integer or float token, e.g. `1_000`, `-0.5`,
/// `6.2e3`, `+inf`, `0x1F`, followed by the end, whitespace, `,`, `}` or `]`.
fn starts_with_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let end = body
        .find(|c: char| c.is_whitespace() || c == ',' || c == '}' || c == ']')
        .unwrap_or(body.len());
    let tok = &body[..end];
    if tok == "inf" || tok == "nan" {
        return true;
    }
    for prefix in ["0x", "0o", "0b"] {
        if let Some(digits) = tok.strip_prefix(prefix) {
            return !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
        }
    }
    let (mantissa, exponent) = match tok.find(['e', 'E']) {
        Some(k) => (&tok[..k], Some(&tok[k + 1..])),
        None => (tok, None),
    };
    let digits = |d: &str| {
        !d.is_empty()
            && d.chars().all(|c| c.is_ascii_digit() || c == '_')
            && d.starts_with(|c: char| c.is_ascii_digit())
            && d.ends_with(|c: char| c.is_ascii_digit())
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Checks a comment text (after `#`) is `[unit] source` with both parts non-empty.
fn check_comment(comment: Option<&str>) -> Result<(), &'static str> {
    let c = comment.ok_or("no comment")?.trim();
    let rest = c
        .strip_prefix('[')
        .ok_or("comment does not start with [unit]")?;
    let (unit, source) = rest
        .split_once(']')
        .ok_or("comment does not start with [unit]")?;
    if unit.trim().is_empty() {
        return Err("empty [unit]");
    }
    if source.trim().is_empty() {
        return Err("no source after [unit]");
    }
    Ok(())
}

#[test]
fn comment_check_reports_offending_lines() {
    let text = r#"# header comment with a number = 5 inside
[economics]
capex_cap = 20_000_000        # [CNY] paper section 4.2
ets_price = 59
discount_rate = 0.08          # 8 % without unit
service_life = 20             # [yr]
grid_ef = 5.703e-1            # [] MEE 2023
name = "a # b = 3"
notes = """
x = 4
"""
fcs = { max_ha = 13.5 }       # [ha] Table 1
pv = { max_ha = 2.0 }
ccu = { max_t_per_yr = 1_000, techs = [1] } # [t/a] example park: flue gas
whr = { max_kw = -0.5 }   # no unit here
code = 1
id = 3
bad = 1_000 # [x] source # [y]
quoted = "59" # a string, not a number
"#;
    let found = uncommented_numbers(text);
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    assert_eq!(lines, vec![4, 5, 6, 7, 13, 15], "{found:#?}");
    assert_eq!(found[0].1, "no comment");
    assert_eq!(found[0].2, "ets_price = 59");
    assert_eq!(found[1].1, "comment does not start with [unit]");
    assert_eq!(found[2].1, "no source after [unit]");
    assert_eq!(found[3].1, "empty [unit]");
}

#[test]
fn number_tokens() {
    for good in [
        "1", "1_000", "-0.5", "+6.2e3", "5.703e-1", "inf", "-nan", "0x1F", "2 }", "3,",
    ] {
        assert!(starts_with_number(good), "{good}");
    }
    for bad in [
        "",
        "\"59\"",
        "{ max_ha = 1 }",
        "[1, 2]",
        "1979-05-27",
        "1.",
        ".5",
        "_1",
        "true",
        "1e",
    ] {
        assert!(!starts_with_number(bad), "{bad}");
    }
}
