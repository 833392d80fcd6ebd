//! The console's last rough edges (s5): names cut with `…`, headers whole,
//! hints dropped whole, the previous plan kept while recomputing, the tab
//! names, the Ledger's subsystem changes, Compare's description scrolling.

use crate::helpers::*;
use parkplan_console::app::App;
use ratatui::crossterm::event::KeyCode;

/// The Plan table's lines on screen, as characters, with the column where
/// each header starts (the header row is the first line holding "Region").
fn plan_table(screen: &str) -> (Vec<Vec<char>>, Vec<(String, usize)>) {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let at = lines
        .iter()
        .position(|l| l.iter().collect::<String>().contains("Region"))
        .expect("a header row");
    let header = &lines[at];
    // The Plan is the first pane: its header ends at its right border.
    let end = header[1..]
        .iter()
        .position(|c| "│┃".contains(*c))
        .map_or(header.len(), |p| p + 1);
    let mut cols = Vec::new();
    let mut x = 1;
    while x < end {
        if header[x] != ' ' && (header[x - 1] == ' ' || "│┃".contains(header[x - 1])) {
            let word: String = header[x..end].iter().take_while(|c| **c != ' ').collect();
            cols.push((word, x));
        }
        x += 1;
    }
    let rows = lines[at + 1..]
        .iter()
        .take_while(|l| l.first().is_some_and(|c| "│┃".contains(*c)))
        .map(|l| l[..end.min(l.len())].to_vec())
        .collect();
    (rows, cols)
}

/// A cell's text: from its column to the next one's, trimmed.
fn cell(row: &[char], cols: &[(String, usize)], k: usize) -> String {
    let from = cols[k].1;
    let to = cols.get(k + 1).map_or(row.len(), |c| c.1);
    row[from.min(row.len())..to.min(row.len())]
        .iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// Every region and technology name in the Plan is whole (the full name or
/// the technology's short name) or cut with `…`; every header is whole.
fn check_plan_names(app: &App, w: u16, h: u16) {
    let screen = text(&render(app, w, h));
    let (rows, cols) = plan_table(&screen);
    let names: Vec<&str> = cols.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names[..3],
        ["Region", "Land", "Strat"],
        "{w}x{h}: headers {names:?}\n{screen}"
    );
    for want in ["Capacity/cap", "Capex", "Benefit/yr", "CO2"] {
        assert!(
            names.contains(&want),
            "{w}x{h}: {want} cut: {names:?}\n{screen}"
        );
    }
    let tech_col = names
        .iter()
        .position(|n| n.starts_with("Tech"))
        .unwrap_or_else(|| panic!("{w}x{h}: {names:?}\n{screen}"));
    let strats: Vec<String> = parkplan::park::Strategy::ALL
        .iter()
        .map(|s| s.name().to_string())
        .collect();
    let park = &app.scenario.park;
    let opts = app.run.opts.as_ref().unwrap();
    // Whole forms: every technology's `code name` and `code short`.
    let mut techs: Vec<String> = Vec::new();
    for it in &opts.items {
        techs.push(format!("{} {}", it.tech, it.tech_name));
        if let Some(s) = parkplan::park::techs::short_name(&it.tech_name) {
            techs.push(format!("{} {s}", it.tech));
        }
    }
    let regions: Vec<String> = park
        .regions
        .iter()
        .flat_map(|r| [r.id.to_string(), format!("{} {}", r.id, r.name)])
        .collect();
    let ok = |shown: &str, whole: &[String]| {
        whole.iter().any(|n| n == shown)
            || shown.strip_suffix('…').is_some_and(|p| {
                !p.is_empty() && whole.iter().any(|n| n.starts_with(p) && n.len() > p.len())
            })
    };
    let mut checked = 0;
    for row in &rows {
        let region = cell(row, &cols, 0);
        let line: String = row.iter().collect();
        if region.starts_with("Total")
            || region.starts_with("Change")
            || region.is_empty()
            || line.contains("marks:")
        {
            continue;
        }
        assert!(
            ok(&region, &regions),
            "{w}x{h}: region {region:?}\n{screen}"
        );
        let strat = cell(row, &cols, 2);
        assert!(
            strats.contains(&strat),
            "{w}x{h}: strategy {strat:?}\n{screen}"
        );
        let tech = cell(row, &cols, tech_col);
        assert!(
            tech == "-" || ok(&tech, &techs),
            "{w}x{h}: technology {tech:?}\n{screen}"
        );
        checked += usize::from(tech != "-");
    }
    assert!(checked > 0, "{w}x{h}: no technology on screen\n{screen}");
}

/// Review items 11 (160x48: `Benefit/y`, `1 Cogenerati`, `1 Absorption
/// chill`) and the brief's `1 Post-comb`, `1 Biomass C`, `2 Pinus el`.
#[test]
fn plan_names_are_whole_or_cut_with_an_ellipsis_and_headers_fit() {
    let mut apps = vec![("net", started_on(net_park())), ("paper", started())];
    // The paper case's second Pareto point plants pines.
    let mut pareto = started();
    press(&mut pareto, KeyCode::Char('5'));
    press(&mut pareto, KeyCode::Down);
    press(&mut pareto, KeyCode::Enter);
    apps.push(("pareto", pareto));
    // The NET park at the carbon price where BECCS enters (its name is the
    // longest).
    let mut beccs = started_on(net_park());
    edit_param(&mut beccs, "ets_price", "300");
    press(&mut beccs, KeyCode::Char('1'));
    apps.push(("beccs", beccs));
    for (name, app) in &apps {
        for (w, h) in [(80, 24), (100, 30), (120, 30), (160, 48), (200, 60)] {
            eprintln!("{name} {w}x{h}");
            check_plan_names(app, w, h);
        }
    }
}
