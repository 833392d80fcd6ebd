//! A plan's energy balance per carrier, carbon ledger and operating KPIs
//! (docs/energy-and-nets.md). Built from each item's flows per unit, so the
//! carbon ledger's net equals the plan's CO2 reduction (eq. 3.2) item by item,
//! and, with an `[energy]` baseline, every carrier closes and the park's
//! emissions after the plan are computed twice: from the ledger and from the
//! energy balance.

use serde::Serialize;

use crate::model::{Flows, GJ_PER_MWH, Options};
use crate::park::{Economics, Energy, EnumCount, Park, Strategy};
use crate::plan::Plan;

/// Everything the ledger says about one plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    /// Per carrier; `None` when the park has no `[energy]` baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub energy: Option<Vec<CarrierBalance>>,
    pub carbon: CarbonLedger,
    /// Energy made and used per subsystem (the baseline and each strategy).
    pub subsystems: Vec<SubsystemUse>,
    pub kpis: Kpis,
}

/// One carrier: what uses it and what supplies it (MWh/yr). Closes: the totals agree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarrierBalance {
    pub carrier: &'static str,
    pub unit: &'static str,
    pub uses: Vec<Line>,
    pub supplies: Vec<Line>,
    pub total_use: f64,
    pub total_supply: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub label: String,
    pub value: f64,
}

/// CO2 kept apart by kind (t/yr).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarbonLedger {
    pub items: Vec<ItemCarbon>,
    /// Sums over the items.
    pub totals: CarbonTotals,
    /// Credit the model gives for recovered heat or cooling beyond what the
    /// park can use (only with a baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unusable_credit: Option<f64>,
    /// The park's emissions today: grid and boiler gas (only with a baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emissions_before: Option<f64>,
    /// After the plan, from the energy balance: net grid, gas, steam, water and
    /// biomass supply, less CO2 utilized and removed (only with a baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emissions_after: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct CarbonTotals {
    /// WHR, PV and NET by-products: displaced grid, boiler gas and chiller power.
    pub avoided: f64,
    /// CCU: captured and sold, released again downstream.
    pub utilized: f64,
    /// FCS, DAC, BECCS, biochar after permanence.
    pub removed: f64,
    /// Emissions of the energy, water and biomass the items use.
    pub auxiliary: f64,
    /// avoided + utilized + removed - auxiliary.
    pub net: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemCarbon {
    pub region: u32,
    pub strategy: Strategy,
    pub technology: u32,
    #[serde(flatten)]
    pub co2: CarbonTotals,
}

/// Energy made and used by one subsystem (MWh/yr; steam in MWh at 3.6 GJ/MWh).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SubsystemUse {
    /// "baseline" (today's park, before the plan) or a strategy's name.
    pub subsystem: String,
    pub electricity_in: f64,
    pub electricity_out: f64,
    pub heat_in: f64,
    pub heat_out: f64,
    pub cooling_out: f64,
    pub steam_in: f64,
    pub gas_in: f64,
    pub biomass_in: f64,
    /// Process waste heat recovered (WHR).
    pub waste_heat_in: f64,
}

/// Operating KPIs. Those that need the baseline or the hourly profile are
/// `None` without one.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Kpis {
    /// Energy services delivered over energy bought or harvested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub efficiency_before: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub efficiency_after: Option<f64>,
    /// Energy (electricity, heat, steam, gas) the NETs use per tonne they remove (MWh/t).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub energy_penalty_mwh_per_t: Option<f64>,
    /// Removed less the auxiliary emissions of the removal technologies
    /// (FCS and the NETs), t/yr.
    pub net_negative_t: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grid_import_before_mwh: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grid_import_after_mwh: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grid_export_after_mwh: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_import_before_mw: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_import_after_mw: Option<f64>,
    /// The same with the flexible part of the new load shed in the peak hour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_import_flexible_mw: Option<f64>,
    /// Share of PV output used in the park, hour by hour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pv_self_consumption: Option<f64>,
    /// Dry biomass the plan burns or pyrolyses, t/yr.
    pub biomass_t: f64,
    /// That over the supply `[energy] biomass_supply` states, if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biomass_supply_share: Option<f64>,
    /// Electricity the plan adds to the park's load (CCU and NETs), MWh/yr.
    pub new_load_mwh: f64,
    /// Share of that load that can shift or be curtailed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flexible_share: Option<f64>,
}

impl Kpis {
    /// Change of the peak hourly grid import (MW).
    pub fn peak_change_mw(&self) -> Option<f64> {
        Some(self.peak_import_after_mw? - self.peak_import_before_mw?)
    }
}

/// Sums of flows x capacity.
fn scaled(acc: &mut Flows, f: &Flows, k: f64) {
    acc.electricity_out_mwh += f.electricity_out_mwh * k;
    acc.heat_out_mwh += f.heat_out_mwh * k;
    acc.cooling_out_mwh += f.cooling_out_mwh * k;
    acc.electricity_in_mwh += f.electricity_in_mwh * k;
    acc.heat_in_mwh += f.heat_in_mwh * k;
    acc.steam_in_gj += f.steam_in_gj * k;
    acc.gas_in_mwh += f.gas_in_mwh * k;
    acc.biomass_in_mwh += f.biomass_in_mwh * k;
    acc.biomass_in_t += f.biomass_in_t * k;
    acc.water_in_t += f.water_in_t * k;
    acc.waste_heat_in_mwh += f.waste_heat_in_mwh * k;
    acc.utilized_t += f.utilized_t * k;
    acc.removed_t += f.removed_t * k;
    acc.supply_chain_t += f.supply_chain_t * k;
    acc.flexible_electricity_mwh += f.flexible_electricity_mwh * k;
    acc.avoided_extra_t += f.avoided_extra_t * k;
}

fn carbon_of(f: &Flows, e: &Economics) -> CarbonTotals {
    let avoided = f.avoided_t(e);
    let auxiliary = f.auxiliary_t(e);
    CarbonTotals {
        avoided,
        utilized: f.utilized_t,
        removed: f.removed_t,
        auxiliary,
        net: avoided + f.utilized_t + f.removed_t - auxiliary,
    }
}

fn add(a: &mut CarbonTotals, b: &CarbonTotals) {
    a.avoided += b.avoided;
    a.utilized += b.utilized;
    a.removed += b.removed;
    a.auxiliary += b.auxiliary;
    a.net += b.net;
}

fn line(label: impl Into<String>, value: f64) -> Line {
    Line {
        label: label.into(),
        value,
    }
}

/// The ledger of `plan` (compiled from `park` into `opts`; the park must be
/// the one compiled, as the flows are looked up in its catalogue).
pub fn ledger(park: &Park, opts: &Options, plan: &Plan) -> Ledger {
    let e = &park.economics;
    // Flows per strategy, in the order of Strategy::ALL.
    let mut by_strategy = [Flows::default(); Strategy::COUNT];
    let mut pv_out = 0.0;
    let mut items = Vec::new();
    let mut totals = CarbonTotals::default();
    let mut removal = CarbonTotals::default();
    let (mut net_removed, mut net_penalty) = (0.0, 0.0);
    for b in plan.built() {
        let it = &opts.items[b.item];
        let mut f = Flows::default();
        scaled(&mut f, &crate::model::flows(park, it), b.capacity);
        scaled(&mut by_strategy[it.strategy.index()], &f, 1.0);
        if it.strategy == Strategy::Pv {
            pv_out += f.electricity_out_mwh;
        }
        let co2 = carbon_of(&f, e);
        add(&mut totals, &co2);
        // Removal technologies by kind, not by result: a DAC plant whose CO2
        // leaks (permanence 0) still spends its energy on removal.
        if matches!(
            it.strategy,
            Strategy::Fcs | Strategy::Dac | Strategy::Beccs | Strategy::Biochar
        ) {
            add(&mut removal, &co2);
        }
        // The energy penalty is the NETs': trees would dilute it with free tonnes.
        if it.strategy.is_net() {
            net_removed += f.removed_t;
            net_penalty += f.penalty_mwh();
        }
        items.push(ItemCarbon {
            region: it.region_id,
            strategy: it.strategy,
            technology: it.tech,
            co2,
        });
    }
    let mut all = Flows::default();
    for f in &by_strategy {
        scaled(&mut all, f, 1.0);
    }
    let mut subsystems = Vec::new();
    if let Some(en) = &park.energy {
        subsystems.push(SubsystemUse {
            subsystem: crate::park::BASELINE.into(),
            electricity_in: en.electricity_demand_mwh + en.cooling_demand_mwh / e.chiller_cop,
            heat_in: en.heat_demand_mwh,
            gas_in: en.heat_demand_mwh / e.boiler_efficiency,
            ..SubsystemUse::default()
        });
    }
    for (s, f) in Strategy::ALL.iter().zip(&by_strategy) {
        if *f != Flows::default() {
            subsystems.push(SubsystemUse {
                subsystem: s.name().into(),
                electricity_in: f.electricity_in_mwh,
                electricity_out: f.electricity_out_mwh,
                heat_in: f.heat_in_mwh,
                heat_out: f.heat_out_mwh,
                cooling_out: f.cooling_out_mwh,
                steam_in: f.steam_in_gj / GJ_PER_MWH,
                gas_in: f.gas_in_mwh,
                biomass_in: f.biomass_in_mwh,
                waste_heat_in: f.waste_heat_in_mwh,
            });
        }
    }
    let new_load = all.electricity_in_mwh;
    let mut kpis = Kpis {
        energy_penalty_mwh_per_t: ratio(net_penalty, net_removed),
        net_negative_t: removal.removed - removal.auxiliary,
        new_load_mwh: new_load,
        biomass_t: all.biomass_in_t,
        biomass_supply_share: park
            .energy
            .as_ref()
            .and_then(|en| en.biomass_supply_t)
            .and_then(|s| ratio(all.biomass_in_t, s)),
        flexible_share: ratio(all.flexible_electricity_mwh, new_load),
        ..Kpis::default()
    };
    let mut carbon = CarbonLedger {
        items,
        totals,
        unusable_credit: None,
        emissions_before: None,
        emissions_after: None,
    };
    let energy = park
        .energy
        .as_ref()
        .map(|en| balance(en, e, &by_strategy, &all, pv_out, &mut carbon, &mut kpis));
    Ledger {
        energy,
        carbon,
        subsystems,
        kpis,
    }
}

/// The energy balance against the baseline; fills the baseline-dependent parts
/// of the carbon ledger and the KPIs.
fn balance(
    en: &Energy,
    e: &Economics,
    by_strategy: &[Flows; Strategy::COUNT],
    all: &Flows,
    pv_out: f64,
    carbon: &mut CarbonLedger,
    kpis: &mut Kpis,
) -> Vec<CarrierBalance> {
    let named = |f: fn(&Flows) -> f64| -> Vec<Line> {
        Strategy::ALL
            .iter()
            .zip(by_strategy)
            .filter(|(_, fl)| f(fl) != 0.0)
            .map(|(s, fl)| line(s.name(), f(fl)))
            .collect()
    };
    let cop = e.chiller_cop;
    let eta = e.boiler_efficiency;

    // Cooling: recovered cooling serves demand first; the rest is unused.
    let cool_used = all.cooling_out_mwh.min(en.cooling_demand_mwh);
    let cool_surplus = all.cooling_out_mwh - cool_used;
    let chillers_cooling = en.cooling_demand_mwh - cool_used;
    let mut cool_supplies = named(|f| f.cooling_out_mwh);
    cool_supplies.push(line("electric chillers", chillers_cooling));
    let mut cool_uses = vec![line("baseline demand", en.cooling_demand_mwh)];
    if cool_surplus > 0.0 {
        cool_uses.push(line("unused (recovered beyond demand)", cool_surplus));
    }

    // Heat: recovered heat serves the baseline and the NETs; boilers make the rest.
    let steam_mwh = all.steam_in_gj / GJ_PER_MWH;
    let heat_need = en.heat_demand_mwh + all.heat_in_mwh;
    let boiler_heat = (heat_need - all.heat_out_mwh).max(0.0);
    let heat_surplus = (all.heat_out_mwh - heat_need).max(0.0);
    let mut heat_uses = vec![line("baseline demand", en.heat_demand_mwh)];
    for l in named(|f| f.heat_in_mwh) {
        heat_uses.push(line(format!("{} (process heat)", l.label), l.value));
    }
    if steam_mwh > 0.0 {
        heat_uses.push(line("CCU reboiler steam", steam_mwh));
    }
    if heat_surplus > 0.0 {
        heat_uses.push(line("unused (recovered beyond demand)", heat_surplus));
    }
    let mut heat_supplies = named(|f| f.heat_out_mwh);
    heat_supplies.push(line("gas boilers", boiler_heat));
    if steam_mwh > 0.0 {
        heat_supplies.push(line("purchased steam", steam_mwh));
    }

    // Gas.
    let boiler_gas = boiler_heat / eta;
    let gas_total = boiler_gas + all.gas_in_mwh;
    let mut gas_uses = vec![line("gas boilers", boiler_gas)];
    for l in named(|f| f.gas_in_mwh) {
        gas_uses.push(line(format!("{} (burned directly)", l.label), l.value));
    }
    let gas_supplies = vec![line("purchase", gas_total)];

    // Waste heat: recovered from the processes, free but not without limit.
    let waste_uses = named(|f| f.waste_heat_in_mwh);
    let waste_supplies = vec![line("process waste heat", all.waste_heat_in_mwh)];

    // Biomass.
    let biomass_uses = named(|f| f.biomass_in_mwh);
    let biomass_supplies = vec![line("purchase", all.biomass_in_mwh)];

    // Electricity, hour by hour: the baseline and chillers follow the load
    // column, PV the pv column, everything else is flat.
    let chillers_el = chillers_cooling / cop;
    let shaped_load = en.electricity_demand_mwh + chillers_el;
    let flat_load = all.electricity_in_mwh;
    let other_gen = all.electricity_out_mwh - pv_out;
    let p = &en.profile;
    let n = p.load.len() as f64;
    let (mut import, mut export, mut peak_after, mut pv_used) = (0.0, 0.0, 0.0f64, 0.0);
    // PV summed hour by hour, so that the self-consumed share is at most 1
    // despite rounding in the shares.
    let mut pv_hourly = 0.0;
    let mut peak_flex = 0.0f64;
    let flexible = all.flexible_electricity_mwh;
    let mut peak_before = 0.0f64;
    let before_load = en.electricity_demand_mwh + en.cooling_demand_mwh / cop;
    for (l, s) in p.load.iter().zip(&p.pv) {
        let load = shaped_load * l + flat_load / n;
        let pv = pv_out * s;
        let other = other_gen / n;
        let net = load - pv - other;
        if net > 0.0 {
            import += net;
        } else {
            export -= net;
        }
        peak_after = peak_after.max(net.max(0.0) / p.hours_per_row);
        peak_flex = peak_flex.max((net - flexible / n).max(0.0) / p.hours_per_row);
        peak_before = peak_before.max(before_load * l / p.hours_per_row);
        // PV serves the load first (it costs nothing to run); other
        // generation covers the rest.
        pv_used += pv.min(load);
        pv_hourly += pv;
    }
    let mut el_uses = vec![
        line("baseline demand", en.electricity_demand_mwh),
        line("electric chillers", chillers_el),
    ];
    el_uses.extend(named(|f| f.electricity_in_mwh));
    el_uses.push(line("export to the grid", export));
    let mut el_supplies = named(|f| f.electricity_out_mwh);
    el_supplies.push(line("grid import", import));

    // Carbon against the baseline.
    let before = before_load * e.grid_ef_t_per_mwh + en.heat_demand_mwh / eta * e.gas_ef_t_per_mwh;
    let after = (import - export) * e.grid_ef_t_per_mwh
        + gas_total * e.gas_ef_t_per_mwh
        + all.steam_in_gj * e.steam_ef_t_per_gj
        + all.water_in_t * e.water_ef_t_per_t
        + all.supply_chain_t
        - all.utilized_t
        - all.removed_t;
    carbon.unusable_credit =
        Some(cool_surplus / cop * e.grid_ef_t_per_mwh + heat_surplus / eta * e.gas_ef_t_per_mwh);
    carbon.emissions_before = Some(before);
    carbon.emissions_after = Some(after);

    // Efficiency: services delivered over energy bought or harvested.
    let services = en.electricity_demand_mwh + en.heat_demand_mwh + en.cooling_demand_mwh;
    let input_before = before_load + en.heat_demand_mwh / eta;
    let input_after =
        import + gas_total + steam_mwh + all.biomass_in_mwh + pv_out + all.waste_heat_in_mwh;
    kpis.efficiency_before = ratio(services, input_before);
    kpis.efficiency_after = ratio(services + export, input_after);
    kpis.grid_import_before_mwh = Some(before_load);
    kpis.grid_import_after_mwh = Some(import);
    kpis.grid_export_after_mwh = Some(export);
    kpis.peak_import_before_mw = Some(peak_before);
    kpis.peak_import_after_mw = Some(peak_after);
    kpis.peak_import_flexible_mw = (flexible > 0.0).then_some(peak_flex);
    kpis.pv_self_consumption = ratio(pv_used, pv_hourly).map(|r| r.min(1.0));

    let carrier = |name, uses: Vec<Line>, supplies: Vec<Line>| CarrierBalance {
        carrier: name,
        unit: "MWh/yr",
        total_use: uses.iter().map(|l| l.value).sum(),
        total_supply: supplies.iter().map(|l| l.value).sum(),
        uses,
        supplies,
    };
    vec![
        carrier("electricity", el_uses, el_supplies),
        carrier("heat", heat_uses, heat_supplies),
        carrier("cooling", cool_uses, cool_supplies),
        carrier("natural_gas", gas_uses, gas_supplies),
        carrier("biomass", biomass_uses, biomass_supplies),
        carrier("waste_heat", waste_uses, waste_supplies),
    ]
}

/// A KPI ratio, or none when the denominator is zero or so small that the
/// ratio is not a finite number (a permanence of 1e-300 removes next to
/// nothing: "MWh per t removed" then has no meaning to show).
fn ratio(num: f64, den: f64) -> Option<f64> {
    let r = num / den;
    (den > 0.0 && r.is_finite()).then_some(r)
}
