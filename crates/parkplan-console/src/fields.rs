//! The rows of the Params view (objective, economics, energy, GA settings) and
//! how an edit of a field or a region's cap is checked and applied. Shared by
//! `update` (which applies edits) and the Params view (which shows them).

use parkplan::park::{PARAMS, Park, SOLVER_PARAMS};

use crate::app::{EditTarget, SlotRef};

/// A row of the parameter list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Objective,
    /// Index into [`PARAMS`].
    Econ(usize),
    /// Index into [`parkplan::park::ENERGY_PARAMS`] (parks with `[energy]`).
    Energy(usize),
    /// Index into [`SOLVER_PARAMS`] (the genetic algorithm's settings).
    Ga(usize),
}

impl Field {
    /// Every row for this park, in display order.
    pub fn all(park: &Park) -> Vec<Field> {
        let mut v = vec![Field::Objective];
        v.extend((0..PARAMS.len()).map(Field::Econ));
        if park.energy.is_some() {
            v.extend((0..parkplan::park::ENERGY_PARAMS.len()).map(Field::Energy));
        }
        v.extend((0..SOLVER_PARAMS.len()).map(Field::Ga));
        v
    }
}

/// Current value of a parameter row.
pub fn field_value(park: &Park, f: Field) -> f64 {
    match f {
        Field::Objective => f64::NAN,
        Field::Econ(i) => PARAMS[i].get(&park.economics),
        Field::Energy(i) => park
            .energy
            .as_ref()
            .and_then(|e| e.get(parkplan::park::ENERGY_PARAMS[i].key))
            .unwrap_or(f64::NAN),
        Field::Ga(i) => SOLVER_PARAMS[i].get(&park.solver),
    }
}

/// Applies a text edit to a copy of the park; the error says what is allowed.
pub fn apply_edit(park: &Park, target: EditTarget, text: &str) -> Result<Park, String> {
    let v = parse_number(text)?;
    let mut p = park.clone();
    match target {
        EditTarget::Field(Field::Objective) => {}
        // Through `set_param`: the same range and finiteness checks as `--set`.
        EditTarget::Field(Field::Econ(i)) => {
            p.set_param(PARAMS[i].key, v).map_err(|e| match e {
                parkplan::park::SetError::OutOfRange { why, .. } => why,
                other => other.to_string(),
            })?
        }
        EditTarget::Field(Field::Energy(i)) => p
            .set_param(parkplan::park::ENERGY_PARAMS[i].key, v)
            .map_err(|e| match e {
                parkplan::park::SetError::OutOfRange { why, .. } => why,
                other => other.to_string(),
            })?,
        EditTarget::Field(Field::Ga(i)) => p.set_solver(SOLVER_PARAMS[i].key, v)?,
        EditTarget::View => {}
        EditTarget::Cap(SlotRef { region, slot }) => {
            let sl = &mut p.regions[region].slots[slot];
            let unit = sl.strategy.unit();
            // The same bound as a park file (1e15), so that sums stay exact enough.
            if !(v.is_finite() && (0.0..=1e15).contains(&v)) {
                return Err(format!(
                    "must be a number >= 0 and <= 1e15 ({unit}), found {v}"
                ));
            }
            if v < sl.min {
                return Err(format!(
                    "must be at least the region's minimum {} {unit}, found {v}",
                    parkplan::report::plain_number(sl.min)
                ));
            }
            sl.max = v;
            if let Some(why) = p.nonfinite() {
                return Err(why);
            }
        }
    }
    Ok(p)
}

/// Key of a parameter row.
pub fn field_name(f: Field) -> &'static str {
    match f {
        Field::Objective => "objective",
        Field::Econ(i) => PARAMS[i].key,
        Field::Energy(i) => parkplan::park::ENERGY_PARAMS[i].key,
        Field::Ga(i) => SOLVER_PARAMS[i].key,
    }
}

/// Unit of a parameter row.
pub fn unit(f: Field) -> &'static str {
    match f {
        Field::Objective => "",
        // Counts are shown bare; the time limit in seconds.
        Field::Ga(i) => match SOLVER_PARAMS[i].unit {
            "-" => "",
            unit => unit,
        },
        Field::Econ(i) => PARAMS[i].unit,
        Field::Energy(i) => parkplan::park::ENERGY_PARAMS[i].unit,
    }
}

/// A number as the screen shows it or a planner writes it: `35000000`,
/// `35,000,000`, `35_000_000`, `35e6`, `35M`, `35 M`, `2.5k` (k, M, G and T
/// multiply by 1e3, 1e6, 1e9 and 1e12).
pub fn parse_number(text: &str) -> Result<f64, String> {
    let bad = || {
        format!(
            "{:?} is not a number (examples: 35000000, 35,000,000, 35e6, 35M, 2.5k)",
            text.trim()
        )
    };
    let s: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | ',' | '_'))
        .collect();
    let (digits, mult) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1e3),
        Some((i, 'M')) => (&s[..i], 1e6),
        Some((i, 'G')) => (&s[..i], 1e9),
        Some((i, 'T')) => (&s[..i], 1e12),
        _ => (s.as_str(), 1.0),
    };
    let v: f64 = digits.parse().map_err(|_| bad())?;
    let v = v * mult;
    if v.is_finite() { Ok(v) } else { Err(bad()) }
}

/// What changed from `old` to `new`, in words: `co2_transport_km 200 -> 80`.
pub fn describe_change(old: &crate::app::Scenario, new: &crate::app::Scenario) -> String {
    use parkplan::report::plain_number;
    let mut out = Vec::new();
    if old.objective != new.objective {
        out.push(format!(
            "objective {} -> {}",
            old.objective.name(),
            new.objective.name()
        ));
    }
    for f in Field::all(&new.park) {
        let (a, b) = (field_value(&old.park, f), field_value(&new.park, f));
        if f != Field::Objective && a.to_bits() != b.to_bits() {
            out.push(format!(
                "{} {} -> {}",
                field_name(f),
                plain_number(a),
                plain_number(b)
            ));
        }
    }
    for (ro, rn) in old.park.regions.iter().zip(&new.park.regions) {
        for (so, sn) in ro.slots.iter().zip(&rn.slots) {
            if so.max.to_bits() != sn.max.to_bits() {
                out.push(format!(
                    "cap of {} in region {} {} -> {} {}",
                    sn.strategy,
                    rn.id,
                    plain_number(so.max),
                    plain_number(sn.max),
                    sn.strategy.unit()
                ));
            }
        }
    }
    if out.is_empty() {
        "no change".into()
    } else {
        out.join(", ")
    }
}
