//! The chart views a planner reads in a meeting (issue 15): the Sensitivity
//! view follows the user and lists every tipping point, each chart's legend
//! shows its series' markers (told apart without colour), and the MAC curve is
//! drawn as bars as wide as each option's abatement potential.

use parkplan::analysis::{mac, sweep};
use parkplan::model::Objective;
use parkplan::park::Park;
use parkplan_console::app::{Analysis, App};
use parkplan_console::theme::{Palette, Theme};
use parkplan_console::view::{Sensitivity, sweep_param};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;

use crate::helpers::*;

const SIZES: [(u16, u16); 3] = [(80, 24), (100, 30), (160, 48)];
const PALETTES: [Palette; 2] = [Palette::Basic16, Palette::NoColor];

fn rows(buf: &Buffer) -> Vec<Vec<String>> {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect()
        })
        .collect()
}

/// The screen as text, then its styles, a character per cell: the background
/// colour in capitals, else the foreground colour (g green, b blue, m magenta,
/// c cyan, y yellow, d dark grey, r red, w white), else reversed `R`, bold `*`,
/// dim `-`, underlined `_`; `.` plain. So a snapshot in colour and one without
/// show what each palette does.
fn styled(buf: &Buffer) -> String {
    use ratatui::style::{Color, Modifier};
    let letter = |c: Color| match c {
        Color::Green => 'g',
        Color::Blue => 'b',
        Color::Magenta => 'm',
        Color::Cyan => 'c',
        Color::Yellow => 'y',
        Color::DarkGray => 'd',
        Color::Red => 'r',
        Color::White => 'w',
        Color::Black => 'k',
        _ => '?',
    };
    let mut out = text(buf);
    out.push_str("--- styles ---\n");
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| {
                let c = &buf[(x, y)];
                if c.bg != Color::Reset {
                    letter(c.bg).to_ascii_uppercase()
                } else if c.fg != Color::Reset {
                    letter(c.fg)
                } else if c.modifier.contains(Modifier::REVERSED) {
                    'R'
                } else if c.modifier.contains(Modifier::BOLD) {
                    '*'
                } else if c.modifier.contains(Modifier::DIM) {
                    '-'
                } else if c.modifier.contains(Modifier::UNDERLINED) {
                    '_'
                } else {
                    '.'
                }
            })
            .collect();
        out.push_str(line.trim_end_matches('.'));
        out.push('\n');
    }
    out
}

/// Columns (x) in which `glyph` stands in at least `min` rows.
fn columns_of(buf: &Buffer, glyph: &str, min: usize) -> Vec<u16> {
    let g = rows(buf);
    (0..buf.area.width)
        .filter(|&x| g.iter().filter(|r| r[x as usize] == glyph).count() >= min)
        .collect()
}

/// Where `what` starts on the screen (column, row), the first match.
fn find(buf: &Buffer, what: &str) -> Option<(u16, u16)> {
    let g = rows(buf);
    for (y, r) in g.iter().enumerate() {
        let line: String = r.concat();
        if let Some(i) = line.find(what) {
            let col = line[..i].chars().count();
            return Some((col as u16, y as u16));
        }
    }
    None
}

/// After the ETS price is set to 300 the default range is centred on it
/// (0..600, 300 the middle of 41 values: by hand), where it stayed at 0..236
/// and then went to 0..1,200 with 300 at a quarter; both charts mark 300 with
/// a line of full blocks (seen without colour) and say so in their legends.
#[test]
fn the_sensitivity_range_is_centred_on_the_value_and_marks_it() {
    let mut app = started();
    edit_param(&mut app, "ets_price", "300");
    press(&mut app, KeyCode::Char('4'));
    let s = app.view::<Sensitivity>().setup.clone();
    assert_eq!((s.from, s.to, s.count), (0.0, 600.0, 41));
    let Analysis::Ready(v) = app.view::<Sensitivity>().sweep.clone() else {
        panic!("{:?}", app.view::<Sensitivity>().sweep)
    };
    assert_eq!(v.rows[20].0, 300.0);
    // Another parameter: centred on its own value (co2_transport_km 80: 0..160).
    press(&mut app, KeyCode::Right);
    let s = app.view::<Sensitivity>().setup.clone();
    assert_eq!(sweep_param(s.param).key, "co2_transport_km");
    assert_eq!((s.from, s.to), (0.0, 160.0));
    press(&mut app, KeyCode::Left);
    for (w, h) in SIZES {
        for palette in PALETTES {
            app.theme = Theme { palette };
            let buf = render(&app, w, h);
            let screen = text(&buf);
            assert_eq!(screen.matches("█ now 300").count(), 2, "{w}x{h}\n{screen}");
            // One column of blocks per chart, each in the middle of its x
            // axis (between the labels 0 and 600).
            let marks = columns_of(&buf, "█", 3);
            assert_eq!(marks.len(), 2, "{w}x{h} {marks:?}\n{screen}");
            let g = rows(&buf);
            for (k, m) in marks.iter().enumerate() {
                let half = w / 2;
                let (lo, hi) = if k == 0 { (0, half) } else { (half, w) };
                let label_row = g
                    .iter()
                    .position(|r| {
                        let seg = r[lo as usize..hi as usize].concat();
                        let words: Vec<&str> = seg
                            .split(|c: char| c == '│' || c.is_whitespace())
                            .filter(|w| !w.is_empty())
                            .collect();
                        words == ["0", "300", "600"]
                    })
                    .expect("an x axis labelled 600");
                let line = g[label_row][lo as usize..hi as usize].concat();
                let col = |i: usize| lo + line[..i].chars().count() as u16;
                let zero = col(line.find(" 0 ").unwrap() + 1);
                let end = col(line.find("600").unwrap()) + 2;
                let mid = (zero + end) as f64 / 2.0;
                assert!(
                    (*m as f64 - mid).abs() <= 1.5,
                    "{w}x{h}: mark at {m}, axis {zero}..{end}\n{screen}"
                );
            }
        }
    }
    if std::env::var_os("PARKPLAN_SHOW").is_some() {
        eprintln!("{}", text(&render(&app, 80, 24)));
    }
    for (w, h) in SIZES {
        for palette in PALETTES {
            app.theme = Theme { palette };
            insta::assert_snapshot!(
                format!("sensitivity_centred_{w}x{h}_{palette:?}"),
                styled(&render(&app, w, h))
            );
        }
    }
}

/// The net park's tipping points between 0 and 236 CNY/t, as `parkplan sweep
/// parks/net-park.toml --param ets_price --range 0:236:41` lists them: all are
/// listed, PgDn brings each into view whole (wrapped, never cut), and the
/// header says where the list is (`n of N`, ▲ ▼). Before: two of four shown,
/// no way to scroll, cut mid-sentence at 80x24.
#[test]
fn every_tipping_point_is_listed_and_scrolls_with_its_position() {
    let park = net_park();
    let mut app = started_on(park.clone());
    press(&mut app, KeyCode::Char('4'));
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "0:236:41");
    press(&mut app, KeyCode::Enter);
    // What the command line computes and lists, from the library.
    let values: Vec<f64> = (0..41).map(|k| 236.0 * k as f64 / 40.0).collect();
    let points = sweep::sweep(&park, "ets_price", &values, Objective::Economic).unwrap();
    let tips = sweep::tipping_points(&park, "ets_price", &points, Objective::Economic).unwrap();
    let Analysis::Ready(v) = app.view::<Sensitivity>().sweep.clone() else {
        panic!("{:?}", app.view::<Sensitivity>().sweep)
    };
    let n = tips.len();
    assert!(n >= 4, "{tips:?}");
    assert_eq!(v.tipping.len(), n);
    for (a, b) in v.tipping.iter().zip(&tips) {
        assert_eq!(a.0, b.above);
    }
    for (w, h) in SIZES {
        press(&mut app, KeyCode::Home);
        let mut seen = vec![false; n];
        for step in 0..=n {
            let buf = render(&app, w, h);
            let screen = text(&buf);
            let flat = screen.replace(['│', '\n', ' '], "");
            assert!(flat.contains(&format!("of{n}")), "{w}x{h}\n{screen}");
            for (k, (_, words)) in v.tipping.iter().enumerate() {
                let whole = words.replace(' ', "");
                if flat.contains(&whole) {
                    seen[k] = true;
                } else {
                    // Not shown, or shown whole: never the first words only.
                    let half = words.split(' ').count() / 2;
                    let first: String = words.split(' ').take(half).collect();
                    assert!(!flat.contains(&first), "{w}x{h}: cut: {words}\n{screen}");
                }
            }
            let header = screen
                .lines()
                .find(|l| l.contains(&format!("of {n}")))
                .unwrap()
                .to_string();
            if step == 0 {
                assert!(!header.contains('▲'), "{header}");
            }
            if step == n {
                assert!(header.contains('▲') && !header.contains('▼'), "{header}");
            }
            if std::env::var_os("PARKPLAN_SHOW").is_some() && w == 80 {
                eprintln!("{screen}");
            }
            press(&mut app, KeyCode::PageDown);
        }
        assert!(seen.iter().all(|s| *s), "{w}x{h}: seen {seen:?}");
    }
    // Scrolled to the last tipping point: snapshots.
    for (w, h) in SIZES {
        for palette in PALETTES {
            app.theme = Theme { palette };
            insta::assert_snapshot!(
                format!("sensitivity_tipping_last_{w}x{h}_{palette:?}"),
                styled(&render(&app, w, h))
            );
        }
    }
    // ↑ brings the list back to follow the selection.
    press(&mut app, KeyCode::Home);
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains(&format!("tipping point 1 of {n}")) || screen.contains("tipping points 1-"),
        "{screen}"
    );
}

fn solved(palette: Palette, park: Park) -> App {
    let mut app = App::new(park, None, Objective::Economic, Theme { palette });
    execute(&mut app, vec![parkplan_console::update::Effect::Solve]);
    app
}

/// The GA chart without colour and in dots mode: best, mean and the exact
/// optimum each drawn with a glyph of its own, shown in the legend in the
/// frame's border (before: all three `•`, and a legend box over the data).
#[test]
fn the_ga_series_are_told_apart_without_colour_in_dots_mode() {
    for palette in PALETTES {
        let mut app = solved(palette, Park::paper_case());
        press(&mut app, KeyCode::Char('3'));
        press(&mut app, KeyCode::Char('m'));
        assert!(app.chart_dots);
        for (w, h) in SIZES {
            let buf = render(&app, w, h);
            let screen = text(&buf);
            for legend in ["• best", "+ mean", "╌ exact optimum"] {
                assert!(screen.contains(legend), "{w}x{h} {legend}\n{screen}");
            }
            // Each glyph drawn in the plot (rows between the tabs and the
            // legend's border row), not only in the legend.
            let (_, legend_row) = find(&buf, "• best").unwrap();
            let plot: String = screen
                .lines()
                .skip(2)
                .take(legend_row as usize - 2)
                .collect();
            for glyph in ['•', '+', '╌'] {
                assert!(plot.contains(glyph), "{w}x{h} {glyph}\n{screen}");
            }
            insta::assert_snapshot!(format!("ga_dots_{w}x{h}_{palette:?}"), styled(&buf));
        }
    }
}

/// Bars read off the screen: (fill, first column, width, cells above the
/// zero line, cells below), left to right, from the row of `┼` (the zero line).
/// A bar read off the screen: fill, first column, width, cells above, below.
type Bar = (String, u16, u16, usize, usize);

fn bars(buf: &Buffer) -> (Vec<Bar>, u16) {
    let g = rows(buf);
    let (axis_x, zero_y) = g
        .iter()
        .enumerate()
        .find_map(|(y, r)| r.iter().position(|c| c == "┼").map(|x| (x, y)))
        .expect("a zero line");
    let is_bar = |c: &str| ["█", "▓", "░", "▁", "▔", "▲", "▼"].contains(&c);
    let mut out: Vec<Bar> = Vec::new();
    for x in axis_x + 1..buf.area.width as usize - 1 {
        // The column's fill: the first bar glyph next to the zero line.
        let up = (0..zero_y).rev().take_while(|&y| is_bar(&g[y][x])).count();
        let down = (zero_y + 1..g.len())
            .take_while(|&y| is_bar(&g[y][x]))
            .count();
        let fill = if up > 0 {
            g[zero_y - 1][x].clone()
        } else if down > 0 {
            g[zero_y + 1][x].clone()
        } else {
            continue;
        };
        match out.last_mut() {
            Some(b) if b.0 == fill && b.1 + b.2 == x as u16 && (b.3, b.4) == (up, down) => b.2 += 1,
            _ => out.push((fill, x as u16, 1, up, down)),
        }
    }
    let plot_w = buf.area.width as usize - 2 - axis_x;
    (out, plot_w as u16)
}

/// The paper case's MAC curve: one bar per option (the library's curve,
/// cheapest first, alternatives left out), each as wide as its potential's
/// share of the plot (to a column), every cost negative so every bar below
/// the zero line; the carbon price line and the budget column in the
/// legend; the title's numbers whole at 80 columns (`budget 20` was cut).
#[test]
fn the_mac_curve_is_drawn_as_bars_as_wide_as_the_potential() {
    let park = Park::paper_case();
    let opts = parkplan::compile(&park);
    let curve: Vec<mac::MacEntry> = mac::curve(&opts, park.economics.ets_price_cny_per_t)
        .into_iter()
        .filter(|m| !m.alternative)
        .collect();
    assert!(curve.iter().all(|m| m.cost_per_t < 0.0));
    let total: f64 = curve.iter().map(|m| m.potential_t).sum();
    for palette in PALETTES {
        let mut app = solved(palette, park.clone());
        press(&mut app, KeyCode::Char('6'));
        for (w, h) in SIZES {
            let buf = render(&app, w, h);
            let screen = text(&buf);
            let (bars, plot_w) = bars(&buf);
            assert_eq!(bars.len(), curve.len(), "{w}x{h} {bars:?}\n{screen}");
            for (b, m) in bars.iter().zip(&curve) {
                let want = m.potential_t / total * plot_w as f64;
                assert!(
                    (b.2 as f64 - want).abs() <= 1.0,
                    "{w}x{h}: {} t/yr: {} columns, {want:.1} expected\n{screen}",
                    m.potential_t,
                    b.2
                );
                assert!(b.3 == 0 && b.4 >= 1, "{w}x{h}: below zero {b:?}\n{screen}");
            }
            // Neighbours never share a fill; the selected (first) bar is ░.
            assert_eq!(bars[0].0, "░");
            assert!(bars.windows(2).all(|p| p[0].0 != p[1].0), "{bars:?}");
            // A cheaper option is at least as deep (costs sorted, linear axis).
            for p in bars.windows(2) {
                assert!(p[0].4 >= p[1].4 || p[1].0 == "▔", "{bars:?}\n{screen}");
            }
            for what in ["╌ carbon price", "┆ budget ends", "budget 20.00 M CNY"] {
                assert!(screen.contains(what), "{w}x{h}: {what}\n{screen}");
            }
            insta::assert_snapshot!(format!("mac_bars_{w}x{h}_{palette:?}"), styled(&buf));
        }
    }
}

/// The net park's curve holds one option (direct air capture, 17,123 CNY/t)
/// some twenty times dearer than the rest: the axis is cut at a robust range
/// so the others stay readable, and the screen says what was cut and the true
/// value (before: every other bar squashed to one row).
#[test]
fn one_dear_option_does_not_squash_the_mac_axis() {
    let park = net_park();
    let opts = parkplan::compile(&park);
    let curve: Vec<mac::MacEntry> = mac::curve(&opts, park.economics.ets_price_cny_per_t)
        .into_iter()
        .filter(|m| !m.alternative)
        .collect();
    let dearest = curve.iter().map(|m| m.cost_per_t).fold(f64::MIN, f64::max);
    let second = curve
        .iter()
        .map(|m| m.cost_per_t)
        .filter(|c| *c < dearest)
        .fold(f64::MIN, f64::max);
    assert!(dearest > 10.0 * second.abs().max(1.0), "{dearest} {second}");
    let dear = parkplan::report::group_thousands(dearest, 0);
    for palette in PALETTES {
        let mut app = solved(palette, park.clone());
        press(&mut app, KeyCode::Char('6'));
        for (w, h) in SIZES {
            let buf = render(&app, w, h);
            let screen = text(&buf);
            let flat = screen.replace(['│', '\n'], " ");
            let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains(&format!("bar goes higher, up to {dear} CNY/t")),
                "{w}x{h}\n{screen}"
            );
            // The top of the axis (the label on the `▲ axis cut at` line) is
            // far below the dear option.
            let cut: f64 = flat
                .split("axis cut at ")
                .nth(1)
                .and_then(|s| s.split(':').next())
                .map(|s| s.replace(',', "").parse().unwrap())
                .unwrap();
            assert!(cut < dearest / 5.0 && cut >= second, "{cut}");
            insta::assert_snapshot!(format!("mac_cut_{w}x{h}_{palette:?}"), styled(&buf));
        }
    }
}

/// A figure as the screen shows it: `1,234`, `-2,773`, `151.9` or the compact
/// `1.00 P` (k M G T P E).
fn parse_shown(s: &str) -> f64 {
    let s = s.trim().replace(',', "");
    let units = [
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    for (u, f) in units {
        if let Some(n) = s.strip_suffix(u) {
            return n.trim().parse::<f64>().unwrap_or(f64::NAN) * f;
        }
    }
    s.parse().unwrap_or(f64::NAN)
}

/// No number cut at 80 columns in these views (issue 15.1 and 15.6): with a
/// cap of 1e15 m2 (the largest a park allows) the MAC table's figures for that
/// option read back as the model's, whole or rounded to three digits (before:
/// a capex of 1000000.00 G in a 9-character column lost its digits).
#[test]
fn the_mac_table_cuts_no_number_at_80_columns() {
    let mut park = Park::paper_case();
    park.regions[0].slots[0].max = 1e15;
    let opts = parkplan::compile(&park);
    let curve: Vec<mac::MacEntry> = mac::curve(&opts, park.economics.ets_price_cny_per_t)
        .into_iter()
        .filter(|m| !m.alternative)
        .collect();
    let big = curve
        .iter()
        .find(|m| m.region == 1)
        .expect("region 1's option");
    assert!(big.potential_t > 1e9 && big.capex > 1e12, "{big:?}");
    let mut app = solved(Palette::NoColor, park);
    press(&mut app, KeyCode::Char('6'));
    press(&mut app, KeyCode::End);
    let screen = text(&render(&app, 80, 24));
    let line = screen
        .lines()
        .find(|l| l.starts_with("│1 ") && l.contains("FCS"))
        .unwrap_or_else(|| panic!("{screen}"));
    let cells: Vec<char> = line.chars().collect();
    let n = cells.len();
    // The last three columns, 9 characters each, one space apart, before │.
    let cell = |k: usize| -> String {
        let end = n - 1 - (2 - k) * 10;
        cells[end - 9..end].iter().collect()
    };
    for (k, want) in [big.cost_per_t, big.potential_t, big.capex]
        .iter()
        .enumerate()
    {
        let shown = parse_shown(&cell(k));
        assert!(
            (shown - want).abs() <= 0.005 * want.abs().max(1.0),
            "column {k}: {:?} is {shown}, the model's {want}\n{screen}",
            cell(k)
        );
    }
    // The budget in the title, whole.
    assert!(screen.contains("budget 20.00 M CNY"), "{screen}");
}

/// A failed analysis says why in full at 80 columns, wrapped (issue 15.6:
/// messages were cut at the frame's edge).
#[test]
fn a_failed_sweep_or_curve_says_why_whole_at_80_columns() {
    use parkplan_console::view::Mac;
    let why = "ets_price = 1e300: the coefficients of region 4's CCU overflow; \
               allowed: a finite number >= 0 (CNY/t) small enough for the model";
    let mut app = started();
    press(&mut app, KeyCode::Char('4'));
    app.view_mut::<Sensitivity>().sweep = Analysis::Failed(why.into());
    let flat = |s: String| s.replace(['│', '\n', ' '], "");
    let screen = text(&render(&app, 80, 24));
    assert!(
        flat(screen.clone()).contains(&why.replace(' ', "")),
        "{screen}"
    );
    press(&mut app, KeyCode::Char('6'));
    app.view_mut::<Mac>().curve = Analysis::Failed(why.into());
    let screen = text(&render(&app, 80, 24));
    assert!(
        flat(screen.clone()).contains(&why.replace(' ', "")),
        "{screen}"
    );
}

/// Review s4 item 6: the Pareto chart's axis titles (`CNY/yr`, `CO2 t/yr`)
/// were drawn over the front's end points; the list had no position, the
/// selected point's `█` was explained nowhere, and there was no capex column.
#[test]
fn pareto_titles_leave_the_data_alone_and_the_list_says_where_it_is() {
    use parkplan_console::theme::{Palette, Theme};
    let mut app = started();
    press(&mut app, KeyCode::Char('5'));
    for dots in [false, true] {
        if dots {
            press(&mut app, KeyCode::Char('m'));
        }
        let screen = text(&render(&app, 80, 24));
        let lines: Vec<&str> = screen.lines().collect();
        // The chart: from the top y label to the x axis.
        let top = lines
            .iter()
            .position(|l| l.starts_with("│") && l.contains(" M│"))
            .unwrap_or_else(|| panic!("{screen}"));
        let axis = lines
            .iter()
            .position(|l| l.contains("│       └"))
            .unwrap_or_else(|| panic!("{screen}"));
        for l in &lines[top..axis] {
            // Right of the y axis: data only, no words.
            let plot: String = l.chars().skip(9).take(70).collect();
            assert!(
                !plot.chars().any(char::is_alphabetic),
                "words over the data: {l:?}\n{screen}"
            );
        }
        // The legend explains the marks and names the units.
        assert!(screen.contains("█ the selected row's point"), "{screen}");
        assert!(screen.contains("↑ CNY/yr → CO2 t/yr"), "{screen}");
    }
    let n = match &app.view::<parkplan_console::view::Pareto>().front {
        parkplan_console::app::Analysis::Ready(v) => v.points.len(),
        other => panic!("{other:?}"),
    };
    assert!(n >= 6, "{n}");
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains(&format!("row 1 of {n} ▼")), "{screen}");
    // The capex column: the economic optimum (row 1) spends the paper's
    // whole budget of 20 million CNY (section 4.2).
    let row1 = screen
        .lines()
        .find(|l| l.contains("13,638,657"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        screen.contains("capex CNY") && row1.contains("20,000,000"),
        "{row1}"
    );
    press(&mut app, KeyCode::End);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains(&format!("row {n} of {n} ▲")), "{screen}");
    for palette in [Palette::Basic16, Palette::NoColor] {
        app.theme = Theme { palette };
        for (w, h) in [(80, 24), (160, 48)] {
            insta::assert_snapshot!(
                format!("pareto_legend_{w}x{h}_{palette:?}"),
                text(&render(&app, w, h))
            );
        }
    }
}

/// The chart views draw at any size without a panic, down to a terminal of
/// 20x6 (bars, labels and legends are written cell by cell).
#[test]
fn the_chart_views_draw_at_every_small_size() {
    let mut app = started_on(net_park());
    for key in ['3', '4', '6'] {
        press(&mut app, KeyCode::Char(key));
        for w in (20..=90).step_by(7) {
            for h in 6..=26 {
                render(&app, w, h);
            }
        }
    }
}

/// In the high-contrast theme (projectors) the chart views use the 16 named
/// colours only, dim nothing and keep every letter readable.
#[test]
fn the_chart_views_in_high_contrast_dim_nothing() {
    use ratatui::style::{Color, Modifier};
    let mut app = solved(Palette::HighContrast, net_park());
    let sixteen = |c: Color| {
        !matches!(
            c,
            Color::Rgb(..) | Color::Indexed(_) | Color::DarkGray | Color::Gray
        )
    };
    for key in ['3', '4', '6'] {
        press(&mut app, KeyCode::Char(key));
        for (w, h) in SIZES {
            let buf = render(&app, w, h);
            for c in buf.content() {
                assert!(sixteen(c.fg) && sixteen(c.bg), "{key} {w}x{h}: {c:?}");
                assert!(!c.modifier.contains(Modifier::DIM), "{key} {w}x{h}: {c:?}");
                if c.symbol().chars().any(char::is_alphanumeric) {
                    assert_ne!(c.fg, c.bg, "{key} {w}x{h}: unreadable: {c:?}");
                }
            }
        }
    }
}
