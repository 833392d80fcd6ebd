//! Every way the project writes a number as text, in one place: the command
//! line's tables, JSON and CSV, the park checker's messages and the console all
//! take their numbers from here, so the same value reads the same everywhere.

/// Rounds away float noise (1e-9 relative) so reports are stable across
/// platforms and no `2070800.0000000002` reaches JSON or CSV. Rounding through
/// the decimal text (10 significant digits) holds at every magnitude: a
/// power-of-ten scale overflows below about 1e-299 (NaN, printed as `null`)
/// and above 1e299.
pub fn clean(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { 0.0 } else { x };
    }
    match format!("{x:.9e}").parse::<f64>() {
        // 1.7976931348623157e308 rounds up past the largest float: keep it.
        Ok(r) if r.is_finite() => {
            if r == 0.0 {
                0.0
            } else {
                r
            }
        }
        _ => x,
    }
}

/// Formats with thousands separators and `decimals` decimals: 1234567.8 -> "1,234,568".
pub fn group_thousands(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let neg = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    format!(
        "{}{}{}",
        if neg { "-" } else { "" },
        grouped,
        frac.map(|f| format!(".{f}")).unwrap_or_default()
    )
}

/// A number as a user would type it: no grouping, no trailing zeros
/// (20000000, 0.08, 1189.77).
pub fn plain_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x}");
        if s.len() > 14 {
            // 1e15 -> "1000000000000000", never "1000000000000000." (a cut look).
            format!("{x:.6}")
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        } else {
            s
        }
    }
}

/// [`plain_number`] rounded to 6 significant digits, for messages (a tipping
/// point located by bisection: 123.456789012 -> "123.457").
pub fn plain_rounded(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return plain_number(x);
    }
    let digits = 6 - x.abs().log10().ceil() as i32;
    let scale = 10f64.powi(digits);
    plain_number((x * scale).round() / scale)
}

/// A number in a message about a value read or refused: whole numbers as
/// integers, very large and very small ones in exponent form (1e-300).
pub fn exact(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else if v.is_finite() && (v.abs() >= 1e15 || (v != 0.0 && v.abs() < 1e-6)) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Short money: 1234567 -> "1.23 M", 12345 -> "12.3 k", 123 -> "123"; from
/// G up to E, so that the largest values a park allows stay short
/// (1e15 -> "1.00 P", never "1000000.00 G"). The unit is the largest one the
/// rounded figure reaches (999,999 -> "1.00 M", not "1000.0 k").
pub fn short(x: f64) -> String {
    let a = x.abs();
    const UNITS: [(f64, &str); 5] = [
        (1e18, "E"),
        (1e15, "P"),
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
    ];
    for (u, s) in UNITS {
        if (a / u * 100.0).round() >= 100.0 {
            return format!("{:.2} {s}", x / u);
        }
    }
    if a >= 1e4 {
        format!("{:.1} k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

/// A fraction as a percentage with `decimals` decimals: 0.1234 -> "12.3 %".
pub fn percent(x: f64, decimals: usize) -> String {
    format!("{:.*} %", decimals, x * 100.0)
}

/// A number in a CSV cell: [`clean`]ed (10 significant digits, no float
/// noise) and, when whole, written without a decimal point (`16100000`, not
/// serde's `16100000.0`). CSV rows use it as `#[serde(serialize_with =
/// "figure")]` on their `f64` fields, or as the [`Figure`] type.
pub fn figure<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    let x = clean(*x);
    // Below 2^53 every whole float is an exact integer.
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        s.serialize_i64(x as i64)
    } else {
        s.serialize_f64(x)
    }
}

/// [`figure`] for an optional number (an empty cell when absent).
pub fn figure_opt<S: serde::Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => figure(x, s),
        None => s.serialize_none(),
    }
}

/// An `f64` written as [`figure`] writes it (rows whose columns are known
/// only at run time, a sweep's).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figure(pub f64);

impl serde::Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        figure(&self.0, s)
    }
}

/// A unit as the end of a CSV column name: `CNY/t` -> `cny_per_t`, `kWh/m2/yr`
/// -> `kwh_per_m2_per_yr`, `1/yr` -> `per_yr`; empty for a pure number (`-`).
pub fn unit_suffix(unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() || unit == "-" {
        return String::new();
    }
    let unit = unit.strip_prefix("1/").map_or_else(
        || unit.to_lowercase(),
        |rest| format!("/{}", rest.to_lowercase()),
    );
    let mut out = String::new();
    for c in unit.chars() {
        match c {
            '/' => out += "_per_",
            '%' => out += "pct",
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push('_'),
        }
    }
    out.trim_matches('_').to_string()
}

/// A CSV column name: `name` with its unit (`capex`, `CNY` -> `capex_cny`).
pub fn column(name: &str, unit: &str) -> String {
    match unit_suffix(unit) {
        u if u.is_empty() => name.to_string(),
        u => format!("{name}_{u}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14 item 6: tiny and huge accepted values stay finite numbers.
    #[test]
    fn rounding_holds_at_every_magnitude() {
        for (x, want) in [
            (1e-300, 1e-300),
            (-1e-300, -1e-300),
            (5e-324, 5e-324),
            (1.23456789012e-310, 1.234567890e-310),
            (f64::MAX, f64::MAX),
            (1e300, 1e300),
            (123_456_789_012.0, 123_456_789_000.0),
            (0.1 + 0.2, 0.3),
            (-2.5, -2.5),
            (2_070_800.000_000_000_2, 2_070_800.0),
        ] {
            let got = clean(x);
            assert!(got.is_finite(), "{x:e} -> {got}");
            assert_eq!(got, want, "{x:e}");
        }
    }

    #[test]
    fn each_writer_by_hand() {
        assert_eq!(group_thousands(1_234_567.8, 0), "1,234,568");
        assert_eq!(group_thousands(-0.4, 0), "0");
        assert_eq!(group_thousands(-1234.5, 1), "-1,234.5");
        assert_eq!(plain_number(20_000_000.0), "20000000");
        assert_eq!(plain_number(0.08), "0.08");
        assert_eq!(plain_number(1e15), "1000000000000000");
        assert_eq!(plain_rounded(123.456_789_012), "123.457");
        assert_eq!(plain_rounded(0.0), "0");
        assert_eq!(exact(1e-300), "1e-300");
        assert_eq!(exact(42.0), "42");
        assert_eq!(short(1_234_567.0), "1.23 M");
        assert_eq!(short(12_345.0), "12.3 k");
        // Issue 15: the largest values keep a short form.
        assert_eq!(short(1e15), "1.00 P");
        assert_eq!(short(4_446_893.22e9), "4.45 P");
        assert_eq!(short(2.5e12), "2.50 T");
        assert_eq!(short(-3e18), "-3.00 E");
        assert_eq!(short(999_999.0), "1.00 M");
        assert_eq!(short(999_999_999.0), "1.00 G");
        assert_eq!(short(9_999.0), "9999");
        assert_eq!(percent(0.1234, 1), "12.3 %");
    }

    /// Issue 15: CSV headers carry units, whole numbers carry no `.0`.
    #[test]
    fn csv_figures_and_unit_suffixes_by_hand() {
        let csv = |x: f64| {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::new());
            w.serialize([Figure(x)]).unwrap();
            String::from_utf8(w.into_inner().unwrap())
                .unwrap()
                .trim_end()
                .to_string()
        };
        assert_eq!(csv(16_100_000.0), "16100000");
        assert_eq!(csv(2_070_800.000_000_000_2), "2070800");
        assert_eq!(csv(-0.0), "0");
        assert_eq!(csv(13_416.666_666_666_67), "13416.66667");
        assert_eq!(csv(1e300), "1e300");
        assert_eq!(unit_suffix("CNY/t"), "cny_per_t");
        assert_eq!(unit_suffix("kWh/m2/yr"), "kwh_per_m2_per_yr");
        assert_eq!(unit_suffix("1/yr"), "per_yr");
        assert_eq!(unit_suffix("-"), "");
        assert_eq!(column("ets_price", "CNY/t"), "ets_price_cny_per_t");
        assert_eq!(column("crossover_rate", "-"), "crossover_rate");
    }
}
