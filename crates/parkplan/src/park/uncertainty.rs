//! `[uncertainty]`: a probability distribution for any parameter `--set`
//! accepts and for technology prices and costs, with optional correlation
//! groups. The same text form is read from the park file and from
//! `--vary KEY=SPEC` on the command line (docs/robust.md).

use std::fmt;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::read::{Reader, Rule, Table, fmt_num};
use super::techs::{Tech, TechKey, with_techs};
use super::{Catalogue, ENERGY_PARAMS, PARAMS, Park, Strategy};

/// A probability distribution of one parameter. Normal and lognormal are
/// truncated to `[lo, hi]` (the parameter's allowed range when not given).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "dist", rename_all = "lowercase")]
pub enum Dist {
    Uniform {
        lo: f64,
        hi: f64,
    },
    Triangular {
        lo: f64,
        mode: f64,
        hi: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
        lo: f64,
        hi: f64,
    },
    /// ln X is normal with mean ln(median) and standard deviation sigma.
    Lognormal {
        median: f64,
        sigma: f64,
        lo: f64,
        hi: f64,
    },
}

/// The standard normal CDF.
pub fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// The standard normal quantile: Acklam's rational approximation (relative
/// error 1.2e-9) polished by one Halley step on `erfc` (to about 1e-15).
pub fn norm_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383_577_518_672_69e2,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    let low = 0.02425;
    let x = if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // One Halley step.
    let e = norm_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    let y = x - u / (1.0 + x * u / 2.0);
    if y.is_finite() { y } else { x }
}

impl Dist {
    /// The value at cumulative probability `u` in (0, 1): the inverse CDF.
    pub fn quantile(&self, u: f64) -> f64 {
        let x = match *self {
            Dist::Uniform { lo, hi } => lo + u * (hi - lo),
            Dist::Triangular { lo, mode, hi } => {
                let fc = (mode - lo) / (hi - lo);
                if u < fc {
                    lo + (u * (hi - lo) * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - u) * (hi - lo) * (hi - mode)).sqrt()
                }
            }
            Dist::Normal { mean, sd, lo, hi } => {
                let (a, b) = (norm_cdf((lo - mean) / sd), norm_cdf((hi - mean) / sd));
                mean + sd * norm_quantile(a + u * (b - a))
            }
            Dist::Lognormal {
                median,
                sigma,
                lo,
                hi,
            } => {
                let m = median.ln();
                let z = |x: f64| {
                    if x <= 0.0 {
                        f64::NEG_INFINITY
                    } else {
                        (x.ln() - m) / sigma
                    }
                };
                let (a, b) = (norm_cdf(z(lo)), norm_cdf(z(hi)));
                (m + sigma * norm_quantile(a + u * (b - a))).exp()
            }
        };
        let (lo, hi) = self.support();
        x.clamp(lo, hi)
    }

    /// The smallest and largest value it can take.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Uniform { lo, hi }
            | Dist::Triangular { lo, hi, .. }
            | Dist::Normal { lo, hi, .. }
            | Dist::Lognormal { lo, hi, .. } => (lo, hi),
        }
    }

    /// The median: the central value of the tornado.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// Probability mass within the truncation bounds (1 for bounded kinds).
    fn kept_mass(&self) -> f64 {
        match *self {
            Dist::Normal { mean, sd, lo, hi } => {
                norm_cdf((hi - mean) / sd) - norm_cdf((lo - mean) / sd)
            }
            Dist::Lognormal {
                median,
                sigma,
                lo,
                hi,
            } => {
                let z = |x: f64| {
                    if x <= 0.0 {
                        f64::NEG_INFINITY
                    } else {
                        (x.ln() - median.ln()) / sigma
                    }
                };
                norm_cdf(z(hi)) - norm_cdf(z(lo))
            }
            _ => 1.0,
        }
    }

    /// The text form, as `--vary` takes it (bounds always written out).
    pub fn spec(&self) -> String {
        let n = |v: f64| format!("{v}");
        match *self {
            Dist::Uniform { lo, hi } => format!("uniform:{}:{}", n(lo), n(hi)),
            Dist::Triangular { lo, mode, hi } => {
                format!("triangular:{}:{}:{}", n(lo), n(mode), n(hi))
            }
            Dist::Normal { mean, sd, lo, hi } => {
                format!("normal:{}:{}:{}:{}", n(mean), n(sd), n(lo), n(hi))
            }
            Dist::Lognormal {
                median,
                sigma,
                lo,
                hi,
            } => format!("lognormal:{}:{}:{}:{}", n(median), n(sigma), n(lo), n(hi)),
        }
    }

    /// A short label for tables, e.g. "tri 50/100/300".
    pub fn label(&self) -> String {
        let n = |v: f64| fmt_num(v);
        match *self {
            Dist::Uniform { lo, hi } => format!("uniform {}-{}", n(lo), n(hi)),
            Dist::Triangular { lo, mode, hi } => {
                format!("triangular {}/{}/{}", n(lo), n(mode), n(hi))
            }
            Dist::Normal { mean, sd, .. } => format!("normal {}±{}", n(mean), n(sd)),
            Dist::Lognormal { median, sigma, .. } => {
                format!("lognormal median {} σ {}", n(median), n(sigma))
            }
        }
    }
}

/// What the accepted forms are, for messages.
pub const DIST_FORMS: &str = "uniform:LO:HI, triangular:LO:MODE:HI, normal:MEAN:SD[:LO:HI] or lognormal:MEDIAN:SIGMA[:LO:HI]";

/// Technology fields that cannot be uncertain: they decide which options
/// exist and their bounds, not the coefficients.
pub const STRUCTURAL_FIELDS: [&str; 1] = ["min_capacity"];

/// The field of strategy `s` called `key` (its static key, rule and unit).
fn tech_field(s: Strategy, key: &str) -> Option<(&'static str, Rule, &'static str)> {
    fn find<T: Tech>(_: &[T], key: &str) -> Option<(&'static str, Rule, &'static str)> {
        T::FIELDS
            .iter()
            .find(|f| f.key == key)
            .map(|f| (f.key, f.rule, f.unit))
    }
    let empty = Catalogue::default();
    with_techs!(empty, s, |list| find(list, key))
}

/// Sets a technology field in place, without checks or allocation.
pub type TechSetter = Box<dyn Fn(&mut Catalogue, f64) + Send + Sync>;

/// A setter for field `field` of technology `code` of strategy `s` in
/// catalogues shaped like `cat` (None if absent).
pub fn tech_setter(cat: &Catalogue, s: Strategy, code: u32, field: &str) -> Option<TechSetter> {
    fn make<T: Tech>(
        list: &[T],
        code: u32,
        field: &str,
        pick: fn(&mut Catalogue) -> &mut Vec<T>,
    ) -> Option<TechSetter> {
        let i = list.iter().position(|t| t.code() == code)?;
        let f = T::FIELDS.iter().find(|f| f.key == field)?;
        Some(Box::new(move |c: &mut Catalogue, v: f64| {
            (f.set)(&mut pick(c)[i], v)
        }))
    }
    match s {
        Strategy::Fcs => make(&cat.fcs, code, field, |c| &mut c.fcs),
        Strategy::Ccu => make(&cat.ccu, code, field, |c| &mut c.ccu),
        Strategy::Whr => make(&cat.whr, code, field, |c| &mut c.whr),
        Strategy::Pv => make(&cat.pv, code, field, |c| &mut c.pv),
        Strategy::Dac => make(&cat.dac, code, field, |c| &mut c.dac),
        Strategy::Beccs => make(&cat.beccs, code, field, |c| &mut c.beccs),
        Strategy::Biochar => make(&cat.biochar, code, field, |c| &mut c.biochar),
    }
}

/// `[energy]` keys that can be uncertain: all of them. Since the resource rows,
/// a demand changes the plan too (it caps the credited cooling and heat), and
/// each scenario's rows are rebuilt from its own values (`analysis::robust`).
fn energy_keys() -> String {
    ENERGY_PARAMS
        .iter()
        .map(|p| p.key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an uncertain key sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Index into [`PARAMS`].
    Economics(usize),
    /// Index into [`ENERGY_PARAMS`].
    Energy(usize),
    /// A technology parameter, `STRATEGY.CODE.FIELD`.
    Tech {
        strategy: Strategy,
        code: u32,
        field: &'static str,
    },
}

impl Target {
    /// The unit of the value.
    pub fn unit(&self) -> &'static str {
        match *self {
            Target::Economics(i) => PARAMS[i].unit,
            Target::Energy(i) => ENERGY_PARAMS[i].unit,
            Target::Tech {
                strategy, field, ..
            } => tech_field(strategy, field).map_or("", |f| f.2),
        }
    }

    fn rule(&self) -> Rule {
        match *self {
            Target::Economics(i) => PARAMS[i].rule,
            Target::Energy(i) => ENERGY_PARAMS[i].rule,
            Target::Tech {
                strategy, field, ..
            } => tech_field(strategy, field).map_or(Rule::non_negative(""), |f| f.1),
        }
    }

    /// The key in its canonical spelling (`ccu.1.capex`).
    pub fn key(&self) -> String {
        match *self {
            Target::Economics(i) => PARAMS[i].key.to_string(),
            Target::Energy(i) => ENERGY_PARAMS[i].key.to_string(),
            Target::Tech {
                strategy,
                code,
                field,
            } => format!("{}.{code}.{field}", strategy.key()),
        }
    }

    /// The value in `park` (0 if the park lacks it, which resolution prevents).
    pub fn get(&self, park: &Park) -> f64 {
        match *self {
            Target::Economics(i) => PARAMS[i].get(&park.economics),
            Target::Energy(i) => park
                .energy
                .as_ref()
                .map_or(0.0, |e| ENERGY_PARAMS[i].get(e)),
            Target::Tech {
                strategy,
                code,
                field,
            } => park
                .catalogue
                .field(&TechKey {
                    strategy,
                    code,
                    field,
                })
                .map_or(0.0, |v| v.0),
        }
    }
}

/// Position of technology `code` in its catalogue list.
pub fn tech_index(c: &Catalogue, s: Strategy, code: u32) -> Option<usize> {
    c.techs(s).iter().position(|&(k, _)| k == code)
}

/// One uncertain parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertain {
    /// As written: `ets_price`, `gas_price`, `ccu.1.capex`.
    pub key: String,
    pub target: Target,
    pub dist: Dist,
}

/// Parameters whose normal scores share one factor: every pair has
/// correlation `rho` (a Gaussian copula with equal correlations).
#[derive(Debug, Clone, PartialEq)]
pub struct Correlated {
    /// Indices into [`Uncertainty::vars`].
    pub vars: Vec<usize>,
    pub rho: f64,
}

/// The `[uncertainty]` table, possibly extended by `--vary`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Uncertainty {
    pub vars: Vec<Uncertain>,
    pub groups: Vec<Correlated>,
}

/// A refused `--vary` or `--correlate`, or a key that cannot be uncertain.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VaryError {
    #[error("expected KEY=SPEC with SPEC one of {DIST_FORMS}, found {0:?}")]
    Syntax(String),
    #[error("{key}: {why}")]
    Key { key: String, why: String },
    #[error("{key}: {why}; expected {DIST_FORMS}")]
    Spec { key: String, why: String },
}

/// The keys that may be uncertain, for messages.
pub fn uncertain_keys_help() -> String {
    let econ: Vec<&str> = PARAMS
        .iter()
        .filter(|p| !p.rule.integer)
        .map(|p| p.key)
        .collect();
    format!(
        "{}; with [energy]: {}; per technology STRATEGY.CODE.FIELD, e.g. ccu.1.capex (fields in docs/robust.md)",
        econ.join(", "),
        energy_keys()
    )
}

/// Resolves a key against the park's catalogue (`codes` per strategy in
/// [`Strategy::ALL`] order) and whether it has `[energy]`.
fn resolve(
    key: &str,
    codes: &dyn Fn(Strategy) -> Vec<u32>,
    has_energy: bool,
) -> Result<Target, String> {
    if let Some(i) = PARAMS.iter().position(|p| p.key == key) {
        if PARAMS[i].rule.integer {
            return Err(format!(
                "a whole number cannot be drawn from a distribution; uncertain keys: {}",
                uncertain_keys_help()
            ));
        }
        return Ok(Target::Economics(i));
    }
    if let Some(i) = ENERGY_PARAMS.iter().position(|p| p.key == key) {
        if !has_energy {
            return Err("this park has no [energy] table".into());
        }
        return Ok(Target::Energy(i));
    }
    let shape = key.split('.').count() == 3;
    if let Some(tk) = TechKey::parse(key).filter(|_| shape) {
        let s = tk.strategy;
        let fields: Vec<&str> = super::techs::field_keys(s)
            .into_iter()
            .filter(|f| !STRUCTURAL_FIELDS.contains(f))
            .collect();
        if STRUCTURAL_FIELDS.contains(&tk.field) {
            return Err(format!(
                "{} decides which options exist, not their coefficients; uncertain {} fields: {}",
                tk.field,
                s.key(),
                fields.join(", ")
            ));
        }
        let Some((field, _, _)) = tech_field(s, tk.field) else {
            return Err(format!(
                "{} technologies have no field {:?}; uncertain {} fields: {}",
                s.key(),
                tk.field,
                s.key(),
                fields.join(", ")
            ));
        };
        let known = codes(s);
        if !known.contains(&tk.code) {
            let list: Vec<String> = known.iter().map(|c| c.to_string()).collect();
            return Err(format!(
                "no {} technology with code {}; the catalogue has {}",
                s.key(),
                tk.code,
                if list.is_empty() {
                    "none".to_string()
                } else {
                    list.join(", ")
                }
            ));
        }
        return Ok(Target::Tech {
            strategy: s,
            code: tk.code,
            field,
        });
    }
    Err(format!(
        "unknown parameter; uncertain keys: {}",
        uncertain_keys_help()
    ))
}

/// Whether every value of `d` keeps the technology's cross-field rules (the
/// other fields at their file values); the reason if not.
fn check_tech_support(cat: &Catalogue, t: Target, d: &Dist) -> Result<(), String> {
    let Target::Tech {
        strategy,
        code,
        field,
    } = t
    else {
        return Ok(());
    };
    let key = TechKey {
        strategy,
        code,
        field,
    };
    let (lo, hi) = d.support();
    for v in [lo, hi] {
        cat.clone()
            .set_field(&key, v)
            .map_err(|why| format!("at {}: {why}", fmt_num(v)))?;
    }
    Ok(())
}

/// Parses the text form; on error, the byte offset in `text` of the bad part.
fn parse_spec(text: &str, rule: Rule) -> Result<Dist, (usize, String)> {
    let mut fields = Vec::new();
    let mut at = 0;
    for part in text.split(':') {
        fields.push((at, part));
        at += part.len() + 1;
    }
    let kind = fields[0].1.trim();
    let nums = &fields[1..];
    let arity: &[usize] = match kind {
        "uniform" => &[2],
        "triangular" => &[3],
        "normal" | "lognormal" => &[2, 4],
        _ => {
            return Err((
                0,
                format!("unknown distribution {kind:?}; expected {DIST_FORMS}"),
            ));
        }
    };
    if !arity.contains(&nums.len()) {
        let forms = match kind {
            "uniform" => "uniform:LO:HI",
            "triangular" => "triangular:LO:MODE:HI",
            "normal" => "normal:MEAN:SD or normal:MEAN:SD:LO:HI",
            _ => "lognormal:MEDIAN:SIGMA or lognormal:MEDIAN:SIGMA:LO:HI",
        };
        return Err((
            0,
            format!("{kind} takes {forms}; found {} numbers", nums.len()),
        ));
    }
    let mut v = Vec::new();
    for &(off, s) in nums {
        match s.trim().replace('_', "").parse::<f64>() {
            Ok(x) if x.is_finite() => v.push(x),
            _ => return Err((off, format!("{s:?} is not a finite number"))),
        }
    }
    let off = |k: usize| nums[k].0;
    let check = |k: usize, x: f64| -> Result<(), (usize, String)> {
        rule.check(x).map_err(|why| (off(k), why))
    };
    let d = match kind {
        "uniform" => {
            check(0, v[0])?;
            check(1, v[1])?;
            if v[0] >= v[1] {
                return Err((
                    off(1),
                    "HI must be above LO (for a fixed value use --set)".into(),
                ));
            }
            Dist::Uniform { lo: v[0], hi: v[1] }
        }
        "triangular" => {
            check(0, v[0])?;
            check(2, v[2])?;
            if v[0] >= v[2] {
                return Err((
                    off(2),
                    "HI must be above LO (for a fixed value use --set)".into(),
                ));
            }
            if !(v[0] <= v[1] && v[1] <= v[2]) {
                return Err((off(1), "MODE must lie between LO and HI".into()));
            }
            Dist::Triangular {
                lo: v[0],
                mode: v[1],
                hi: v[2],
            }
        }
        _ => {
            let normal = kind == "normal";
            if v[1] <= 0.0 {
                return Err((
                    off(1),
                    format!("{} must be > 0", if normal { "SD" } else { "SIGMA" }),
                ));
            }
            if !normal && v[0] <= 0.0 {
                return Err((off(0), "MEDIAN must be > 0".into()));
            }
            let (lo, hi) = if v.len() == 4 {
                check(2, v[2])?;
                check(3, v[3])?;
                if v[2] >= v[3] {
                    return Err((off(3), "HI must be above LO".into()));
                }
                (v[2], v[3])
            } else {
                (rule.min, rule.max)
            };
            let d = if normal {
                Dist::Normal {
                    mean: v[0],
                    sd: v[1],
                    lo,
                    hi,
                }
            } else {
                Dist::Lognormal {
                    median: v[0],
                    sigma: v[1],
                    lo,
                    hi,
                }
            };
            if d.kept_mass().is_nan() || d.kept_mass() <= 1e-9 {
                let at = if v.len() == 4 { off(2) } else { 0 };
                return Err((
                    at,
                    format!(
                        "the bounds [{}, {}] keep almost none of the distribution; widen them or move the centre",
                        fmt_num(lo),
                        fmt_num(hi)
                    ),
                ));
            }
            d
        }
    };
    // An open lower bound (alpha > 0) must not be reached.
    if rule.min_exclusive && d.support().0 <= rule.min {
        return Err((off(0), format!("must stay {}", rule.allowed())));
    }
    Ok(d)
}

impl Uncertainty {
    /// True when nothing is uncertain.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// Adds or replaces a variable from `KEY=SPEC` (`--vary`), checked
    /// against `park`. A replaced variable keeps its correlation group.
    pub fn vary(&mut self, park: &Park, text: &str) -> Result<(), VaryError> {
        let (key, spec) = text
            .split_once('=')
            .ok_or_else(|| VaryError::Syntax(text.to_string()))?;
        let key = key.trim();
        let codes = |s: Strategy| park.catalogue.techs(s).iter().map(|t| t.0).collect();
        let target = resolve(key, &codes, park.energy.is_some()).map_err(|why| VaryError::Key {
            key: key.to_string(),
            why,
        })?;
        let dist = parse_spec(spec.trim(), target.rule()).map_err(|(_, why)| VaryError::Spec {
            key: key.to_string(),
            why,
        })?;
        check_tech_support(&park.catalogue, target, &dist).map_err(|why| VaryError::Key {
            key: key.to_string(),
            why,
        })?;
        let v = Uncertain {
            key: target.key(),
            target,
            dist,
        };
        match self.vars.iter_mut().find(|u| u.target == target) {
            Some(old) => *old = v,
            None => self.vars.push(v),
        }
        Ok(())
    }

    /// Adds a correlation group from `KEY,KEY[,...]=RHO` (`--correlate`); the
    /// keys must be uncertain already and leave any group they were in.
    pub fn correlate(&mut self, text: &str) -> Result<(), VaryError> {
        let bad = || {
            VaryError::Syntax(format!(
                "{text:?}: expected KEY,KEY[,...]=RHO with RHO from 0 to 1"
            ))
        };
        let (keys, rho) = text.split_once('=').ok_or_else(bad)?;
        let rho: f64 = rho.trim().parse().map_err(|_| bad())?;
        if !(0.0..=1.0).contains(&rho) {
            return Err(VaryError::Key {
                key: keys.to_string(),
                why: format!(
                    "correlation {} must be from 0 to 1 (shared-factor model)",
                    fmt_num(rho)
                ),
            });
        }
        let mut vars = Vec::new();
        for k in keys.split(',').map(str::trim) {
            let i = self
                .vars
                .iter()
                .position(|u| u.key == k)
                .ok_or_else(|| VaryError::Key {
                    key: k.to_string(),
                    why: format!(
                        "not uncertain; give it a distribution first (uncertain now: {})",
                        self.vars
                            .iter()
                            .map(|u| u.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
            if !vars.contains(&i) {
                vars.push(i);
            }
        }
        if vars.len() < 2 {
            return Err(bad());
        }
        for g in &mut self.groups {
            g.vars.retain(|i| !vars.contains(i));
        }
        self.groups.retain(|g| g.vars.len() >= 2);
        self.groups.push(Correlated { vars, rho });
        Ok(())
    }

    /// The table in park-file form (empty when nothing is uncertain).
    pub fn to_toml(&self) -> String {
        if self.vars.is_empty() {
            return String::new();
        }
        let mut s = String::from("[uncertainty]\n");
        for v in &self.vars {
            s += &format!("\"{}\" = \"{}\"\n", v.key, v.dist.spec());
        }
        for g in &self.groups {
            let keys: Vec<String> = g
                .vars
                .iter()
                .map(|&i| format!("\"{}\"", self.vars[i].key))
                .collect();
            s += &format!(
                "\n[[uncertainty.correlated]]\nkeys = [{}]\nrho = {}\n",
                keys.join(", "),
                g.rho
            );
        }
        s
    }
}

impl fmt::Display for Uncertain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.dist.spec())
    }
}

/// Keys the table form of a distribution takes, per kind.
const TABLE_KEYS: &[&str] = &[
    "dist", "min", "max", "mode", "mean", "sd", "median", "sigma",
];

/// Keys documented in docs/park-format.md for the docs test: the dynamic
/// parameter keys are written there as `uncertainty.<key>`.
const DOCUMENTED: &[&str] = &[
    "uncertainty.<key>",
    "uncertainty.<key>.dist",
    "uncertainty.<key>.min",
    "uncertainty.<key>.max",
    "uncertainty.<key>.mode",
    "uncertainty.<key>.mean",
    "uncertainty.<key>.sd",
    "uncertainty.<key>.median",
    "uncertainty.<key>.sigma",
    "uncertainty.correlated.keys",
    "uncertainty.correlated.rho",
];

/// Decodes `[uncertainty]` (absent: nothing uncertain). `codes` are the
/// technology codes declared per strategy ([`Strategy::ALL`] order).
pub(super) fn decode(
    r: &mut Reader,
    root: &mut Table,
    codes: &[Vec<u32>; 7],
    catalogue: Option<&Catalogue>,
    has_energy: bool,
) -> Option<Uncertainty> {
    if !root.has("uncertainty") {
        return Some(Uncertainty::default());
    }
    let t = root.table(r, "uncertainty")?;
    let before = r.problems.len();
    let codes_of = |s: Strategy| {
        let i = Strategy::ALL.iter().position(|&x| x == s).unwrap_or(0);
        codes[i].clone()
    };
    let mut out = Uncertainty::default();
    let mut group_tables = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    flatten(r, t.raw(), "", &mut entries, &mut group_tables);
    for (key, key_span, span, value) in entries {
        let path = format!("uncertainty.{key}");
        let target = match resolve(&key, &codes_of, has_energy) {
            Ok(t) => t,
            Err(why) => {
                r.problem(&key_span, &path, why);
                continue;
            }
        };
        if out.vars.iter().any(|u| u.target == target) {
            r.problem(&key_span, &path, "given twice");
            continue;
        }
        let dist = match value {
            DeValue::String(s) => {
                match parse_spec(s, target.rule()) {
                    Ok(d) => Some(d),
                    Err((off, why)) => {
                        // Point inside the string when it is written plainly.
                        let raw = r.source.text().get(span.clone()).unwrap_or("");
                        let at = if raw.len() == s.len() + 2 {
                            span.start + 1 + off
                        } else {
                            span.start
                        };
                        r.problem(&(at..at), &path, format!("{why} (forms: {DIST_FORMS})"));
                        None
                    }
                }
            }
            DeValue::Table(tab) => dist_table(r, tab, span.clone(), &path, target.rule()),
            other => {
                r.problem(
                    &key_span,
                    &path,
                    format!(
                        "expected a distribution, \"triangular:LO:MODE:HI\" or {{ dist = \"triangular\", min = .., mode = .., max = .. }}, found {}",
                        other.type_str()
                    ),
                );
                None
            }
        };
        if let Some(dist) = dist {
            if let Some(cat) = catalogue
                && let Err(why) = check_tech_support(cat, target, &dist)
            {
                r.problem(&span, &path, why);
                continue;
            }
            out.vars.push(Uncertain {
                key: target.key(),
                target,
                dist,
            });
        }
    }
    for (span, tab) in group_tables {
        let mut g = Table::new("uncertainty.correlated", span.clone(), tab);
        let keys = g.opt_strings(r, "keys");
        let rho = g.num(r, "rho", Rule::range("-", 0.0, 1.0));
        g.finish(r);
        let Some(keys) = keys else {
            r.problem(
                &span,
                "uncertainty.correlated.keys",
                "missing; expected an array of at least 2 uncertain keys",
            );
            continue;
        };
        let mut vars = Vec::new();
        for (k, kspan) in keys {
            match out.vars.iter().position(|u| u.key == k) {
                Some(i) if out.groups.iter().any(|g| g.vars.contains(&i)) || vars.contains(&i) => {
                    r.problem(
                        &kspan,
                        "uncertainty.correlated.keys",
                        format!("{k:?} is already in a correlation group"),
                    );
                }
                Some(i) => vars.push(i),
                None => r.problem(
                    &kspan,
                    "uncertainty.correlated.keys",
                    format!(
                        "{k:?} has no distribution in [uncertainty]; uncertain keys: {}",
                        out.vars
                            .iter()
                            .map(|u| u.key.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            }
        }
        if vars.len() < 2 && r.problems.len() == before {
            r.problem(
                &span,
                "uncertainty.correlated.keys",
                "a correlation group needs at least 2 keys",
            );
        }
        if let Some(rho) = rho
            && vars.len() >= 2
        {
            out.groups.push(Correlated { vars, rho });
        }
    }
    r.accepted.retain(|k| !k.starts_with("uncertainty."));
    r.accepted.extend(DOCUMENTED.iter().map(|k| k.to_string()));
    (r.problems.len() == before).then_some(out)
}

/// A flattened entry: dotted key, the key's span, the value's span, the value.
type Entry<'t, 'i> = (String, Range<usize>, Range<usize>, &'t DeValue<'i>);

/// Walks nested tables (`ccu.1.capex = ".."` is a dotted key, so nested),
/// collecting (dotted key, key span, value) and the correlation tables.
fn flatten<'t, 'i>(
    r: &mut Reader,
    table: &'t DeTable<'i>,
    prefix: &str,
    out: &mut Vec<Entry<'t, 'i>>,
    groups: &mut Vec<(Range<usize>, &'t DeTable<'i>)>,
) {
    for (k, v) in table.iter() {
        let name = k.get_ref().to_string();
        let key = format!("{prefix}{name}");
        if prefix.is_empty() && name == "correlated" {
            match v.get_ref() {
                DeValue::Array(items) => {
                    for item in items.iter() {
                        match item.get_ref() {
                            DeValue::Table(t) => groups.push((item.span(), t)),
                            other => r.problem(
                                &item.span(),
                                "uncertainty.correlated",
                                format!("expected a table, found {}", other.type_str()),
                            ),
                        }
                    }
                }
                other => r.problem(
                    &v.span(),
                    "uncertainty.correlated",
                    format!(
                        "expected an array of tables [[uncertainty.correlated]], found {}",
                        other.type_str()
                    ),
                ),
            }
            continue;
        }
        match v.get_ref() {
            DeValue::Table(t) if !t.iter().any(|(k, _)| k.get_ref() == "dist") => {
                flatten(r, t, &format!("{key}."), out, groups);
            }
            value => out.push((key, k.span(), v.span(), value)),
        }
    }
}

/// `{ dist = "triangular", min = .., mode = .., max = .. }`.
fn dist_table(
    r: &mut Reader,
    tab: &DeTable,
    span: Range<usize>,
    path: &str,
    rule: Rule,
) -> Option<Dist> {
    let mut t = Table::new(path, span.clone(), tab);
    let kinds = ["uniform", "triangular", "normal", "lognormal"];
    let kind = t.choice(r, "dist", &kinds);
    let free = Rule::range(rule.unit, f64::NEG_INFINITY, f64::INFINITY);
    let mut get = |r: &mut Reader, k: &'static str, req: bool, rl: Rule| {
        if req {
            t.num(r, k, rl)
        } else {
            t.opt_num(r, k, rl).flatten()
        }
    };
    let before = r.problems.len();
    let text = match kind.map(|k| k.0) {
        Some("uniform") => {
            let (lo, hi) = (get(r, "min", true, rule), get(r, "max", true, rule));
            format!("uniform:{}:{}", lo?, hi?)
        }
        Some("triangular") => {
            let (lo, m, hi) = (
                get(r, "min", true, rule),
                get(r, "mode", true, rule),
                get(r, "max", true, rule),
            );
            format!("triangular:{}:{}:{}", lo?, m?, hi?)
        }
        Some(k) => {
            let normal = k == "normal";
            let centre = if normal {
                get(r, "mean", true, free)
            } else {
                get(r, "median", true, free)
            };
            let spread = if normal {
                get(r, "sd", true, free)
            } else {
                get(r, "sigma", true, free)
            };
            let lo = get(r, "min", false, rule);
            let hi = get(r, "max", false, rule);
            let (lo, hi) = (lo.unwrap_or(rule.min), hi.unwrap_or(rule.max));
            format!("{k}:{}:{}:{}:{}", centre?, spread?, lo, hi)
        }
        None => return None,
    };
    // Keys of other kinds are unknown here.
    let _ = TABLE_KEYS;
    t.finish(r);
    if r.problems.len() > before {
        return None;
    }
    match parse_spec(&text, rule) {
        Ok(d) => Some(d),
        Err((_, why)) => {
            r.problem(&span, path, why);
            None
        }
    }
}
